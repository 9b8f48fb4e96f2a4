"""The numbers notebooks/01_overview.ipynb states in its prose, checked."""

import numpy as np
import pytest

from rnnlib import classify, dynamics_weights
from rnnlib import dynamics as dyn
from rnnlib.draw import new_figure
from rnnlib.draw import overview as draw
from rnnlib.widgets import overview as views


@pytest.mark.parametrize("H, patterns, weights", [(10, 1_024, 100), (20, 1_048_576, 400)])
def test_patterns_against_weights(H, patterns, weights):
    fig, ax = new_figure()
    assert draw.update_capacity(draw.draw_capacity(ax), H) == (patterns, weights)


def test_three_processes_of_eight_units():
    units, states = 3 * 8, (2**8) ** 3
    assert (units, states) == (24, 16_777_216) and states == 2**24


def test_the_setup_of_the_behaviours_section():
    W = dynamics_weights(1.0, 1.0, 0)
    assert W.shape == (32, 32)  # H = 32
    assert np.isclose(np.degrees(np.arctan2(W[1, 0], W[0, 0])), 36.0)  # 36 degrees per step
    assert dyn.CHAOS_THRESHOLD == 0.01
    assert views.NEARBY == 1e-8 and views.SHOW_STEPS == 400 and views.BURN == 300
    assert draw.PATH_TAIL == 60 and draw.PHASE_STEPS == 80
    assert dyn.classify.__kwdefaults__ == {"burn": 300, "steps": 700}  # the 300-step transient


def test_capacity_caveat():
    H = 20
    assert H * 2**H == 20_971_520  # "about 21 million bits"
    assert H**2 * 64 == 25_600
    assert (2 * H) ** 2 == 4 * H**2


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


def test_fixed_point_exponent_is_ln_rho():
    W = dynamics_weights(1.5, 0.0, 3)
    points, radii = dyn.fixed_points(W)
    np.testing.assert_allclose(points[1], -points[2], atol=1e-12)  # tanh is odd
    np.testing.assert_allclose(radii[1], radii[2], rtol=1e-9)
    lam = dyn.lyapunov_exponent(W, steps=3000)
    assert f"{lam:.3f}" == f"{np.log(radii[1]):.3f}" == "-0.165" and f"{radii[1]:.3f}" == "0.848"
    W = dynamics_weights(0.5, 0.0, 0)
    rho0 = np.max(np.abs(np.linalg.eigvals(dyn.jacobian(W, np.zeros(32)))))
    lam0 = dyn.lyapunov_exponent(W, steps=3000)
    assert f"{lam0:.3f}" == f"{np.log(rho0):.3f}" == "-0.628"


@pytest.fixture(scope="module")
def shipped():
    from rnnlib.corpus import load_corpus, load_corpus_model, split

    model = load_corpus_model()
    return model, model.vocab.encode(split(load_corpus())[1])


def test_gradients_decay_faster_along_real_text(shipped):
    model, x = shipped
    p = model.params
    assert p["W_hh"].shape == (64, 64)
    lags, logs = dyn.gradient_decay(p, x, max_lag=40, n_ends=60)
    slope = draw.decay_slope(lags, logs)
    lam_free = dyn.lyapunov_exponent(p["W_hh"], b_h=p["b_h"], steps=3000)
    assert f"{slope:+.2f}" == "-0.28" and f"{lam_free:+.2f}" == "-0.13"
    assert 1.8 < slope / lam_free < 2.4  # "about twice as fast"
    assert f"{np.exp(logs[40]):.0e}" == "1e-04"
    h, driven = np.zeros(64), []
    for i in x:
        h = np.tanh(p["W_xh"][:, i] + p["W_hh"] @ h + p["b_h"])
        driven.append(1 - h**2)
    free = 1 - dyn.trajectory(p["W_hh"], np.zeros(64), 3300, p["b_h"])[300:] ** 2
    assert f"{np.mean(driven):.2f}" == "0.39" and f"{free.mean():.2f}" == "0.49"


def test_oscillation_example_is_quasi_periodic_and_cycles_merge():
    run = views.behaviour_run(2.0, 1.0, 0, T=3000)
    assert run["label"] == "oscillation" and run["period"] is None  # quasi-periodic
    assert abs(run["lyapunov"]) < 0.01
    cycle = views.behaviour_run(2.5, 0.0, 3)  # a stable periodic orbit: lambda < 0
    assert cycle["label"] == "oscillation" and cycle["period"] == 8 and cycle["lyapunov"] < -0.01


def test_the_static_paths_match_their_description():
    """The phase portraits: the point attractor reaches the origin within about ten steps; the
    oscillation runs near the square's edges after a few steps, never repeating exactly."""
    point = views.behaviour_run(0.5, 0.0, 0, T=3000)
    assert np.abs(point["transient"][10]).max() < 1e-3
    osc = views.behaviour_run(2.0, 1.0, 0, T=3000)
    path = np.vstack([osc["transient"], osc["hs"][1:, 0]])[: draw.PHASE_STEPS + 1, :2]
    assert np.max(np.abs(path[4:]), axis=1).min() > 0.85  # units 0, 1 near the edges
    assert osc["period"] is None  # quasi-periodic
