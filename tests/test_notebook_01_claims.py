"""The numbers notebooks/01_overview.ipynb states in its prose, checked."""

import numpy as np
import pytest

from rnnlib import classify, dynamics_weights
from rnnlib import dynamics as dyn
from rnnlib.draw import new_figure
from rnnlib.draw import overview as draw
from rnnlib.widgets import overview as views


@pytest.mark.parametrize("N, patterns, weights", [(10, 1_024, 100), (20, 1_048_576, 400)])
def test_patterns_against_weights(N, patterns, weights):
    fig, ax = new_figure()
    assert draw.update_capacity(draw.draw_capacity(ax), N) == (patterns, weights)


def test_three_processes_of_eight_units():
    units, states = 3 * 8, (2**8) ** 3
    assert (units, states) == (24, 16_777_216) and states == 2**24


def test_the_setup_of_the_behaviours_section():
    W = dynamics_weights(1.0, 1.0, 0)
    assert W.shape == (32, 32)  # H = 32
    assert np.isclose(np.degrees(np.arctan2(W[1, 0], W[0, 0])), 36.0)  # 36 degrees per step
    assert dyn.CHAOS_THRESHOLD == 0.01
    assert views.NEARBY == 1e-8 and views.SHOW_STEPS == 120


def test_the_three_examples_and_their_printed_exponents():
    expect = {(0.5, 0.0, 0): ("point attractor", -0.6), (2.0, 1.0, 0): ("oscillation", 0.0)}
    expect[(3.0, 0.0, 0)] = ("chaos", 0.2)
    for setting, (label, lam) in expect.items():
        run = views.behaviour_run(*setting)
        assert run["label"] == label
        assert round(run["lyapunov"], 1) + 0.0 == lam
    assert 0.15 < views.behaviour_run(3.0, 0.0, 0)["lyapunov"] < 0.25  # "+0.2" with a margin


def test_chaotic_runs_part_after_about_80_steps():
    dist = np.linalg.norm(np.diff(views.behaviour_run(3.0, 0.0, 0)["hs"], axis=1)[:, 0], axis=1)
    parted = np.flatnonzero(dist > 0.1)[0]
    assert 60 <= parted <= 100


def test_gain_half_rotation_one_gives_ln_half():
    assert abs(classify(dynamics_weights(0.5, 1.0, 0))["lyapunov"] - np.log(0.5)) < 1e-9
    assert f"{np.log(0.5):.3f}" == "-0.693"


def test_vanishing_after_20_steps():
    assert f"{0.5**20:.1e}" == "9.5e-07"


def test_fixed_points_of_the_example():
    points, radii = dyn.fixed_points(dynamics_weights(1.5, 0.0, 3))
    assert len(points) == 3 and radii[0] > 1 and np.all(radii[1:] < 1)
    assert np.linalg.norm(points[0]) < 1e-12  # the unstable one is the origin
