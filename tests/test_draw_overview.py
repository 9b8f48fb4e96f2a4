"""Tests for rnnlib.draw.overview: what each drawing function puts on its axes."""

import numpy as np
import pytest
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from rnnlib import sequence_setup, trajectory
from rnnlib.draw import new_figure
from rnnlib.draw import overview as draw
from rnnlib.unroll import SETUPS


def patches(ax, kind):
    return [p for p in ax.patches if isinstance(p, kind)]


def test_graphs_dag_cycle_and_unrolled():
    fig, axes = new_figure(9.0, 3.4, ncols=3)
    art = draw.draw_graphs(axes)
    assert len(art) > 0
    assert [len(patches(ax, Circle)) for ax in axes] == [13, 3, 12]  # 3+4+4+2 nodes; x h y; 4 x 3
    assert len(patches(axes[0], FancyArrowPatch)) == 3 * 4 + 4 * 4 + 4 * 2  # layer to layer only
    arrows = patches(axes[1], FancyArrowPatch)
    assert len(arrows) == 3  # x -> h, h -> y, and the cycle h -> h
    assert [a.get_connectionstyle().rad != 0 for a in arrows] == [False, False, True]
    assert len(patches(axes[2], FancyArrowPatch)) == 4 * 2 + 3  # up arrows and h_{t-1} -> h_t
    texts = [t.get_text() for t in axes[2].texts]
    assert texts.count("$W_{hh}$") == 3  # the same W_hh on every step
    fig.canvas.draw()


@pytest.mark.parametrize("kind", SETUPS)
def test_process_shapes_follow_sequence_setup(kind):
    fig, ax = new_figure(6.0, 2.6)
    art, setup = draw.draw_process(ax, kind)
    assert setup == sequence_setup(kind, *draw.LENGTHS[kind])
    if kind == "encoder-decoder":
        assert setup["T"] == 5  # 'hel' -> 'lo', as in notebook 02
    boxes = patches(ax, Rectangle)
    n_in, n_out = len(setup["input_steps"]), len(setup["loss_steps"])
    assert len(boxes) == setup["T"] + n_in + n_out
    colors = [tuple(np.round(b.get_facecolor()[:3], 3)) for b in boxes]
    assert len(set(colors)) == 3  # inputs, hidden states, outputs
    arrows = patches(ax, FancyArrowPatch)
    assert len(arrows) == (setup["T"] - 1) + n_in + n_out
    assert any(draw.EXAMPLES[kind] in t.get_text() for t in ax.texts)
    for a in art:
        a.remove()
    assert not ax.patches and not ax.texts  # the widget swaps shapes by removing the artists


def test_examples_cover_every_shape():
    assert list(draw.EXAMPLES) == list(SETUPS)


@pytest.mark.parametrize("H", [1, 10, 20])
def test_capacity_markers(H):
    fig, ax = new_figure(5.0, 3.0)
    art = draw.draw_capacity(ax, 20)
    assert draw.update_capacity(art, H) == (2**H, H**2)
    x, y = art["dots"].get_data()
    np.testing.assert_array_equal(x, [H, H])
    np.testing.assert_array_equal(y, [2.0**H, H * H])
    assert ax.get_yscale() == "log"


def _run(hs, label="chaos", lam=0.2, period=None, settled=False):
    """A behaviour_run-like dict: a 3-step transient ending where the two runs hs start."""
    transient = np.linspace(-0.5, 1.0, 3)[:, None] * hs[0, 0]
    return {
        "hs": hs,
        "dist": np.linalg.norm(hs[:, 0] - hs[:, 1], axis=1),
        "transient": transient,
        "label": label,
        "lyapunov": lam,
        "period": period,
        "settled": settled,
    }


def test_behaviour_panels_show_the_distance():
    fig, axes = new_figure(7.0, 3.0, ncols=2)
    art = draw.draw_behaviour(axes, 100, 3)
    W = 2.0 * np.random.default_rng(0).standard_normal((6, 6)) / np.sqrt(6)
    hs = trajectory(W, np.array([[0.1] * 6, [0.1 + 1e-8] + [0.1] * 5]), 100)
    run = _run(hs)
    dist = draw.update_behaviour(art, run, "chaos, λ = +0.200")
    np.testing.assert_allclose(dist, np.linalg.norm(hs[:, 0] - hs[:, 1], axis=1))
    assert abs(dist[0] - 1e-8) < 1e-16  # 0.1 + 1e-8 rounds in float64
    rate = art["rate"].get_ydata()
    np.testing.assert_allclose(rate[:10], dist[0] * np.exp(0.2 * np.arange(10)), rtol=1e-12)
    np.testing.assert_array_equal(art["path"][0].get_xdata(), run["transient"][:, 0])
    np.testing.assert_array_equal(art["path"][2].get_xdata(), hs[-draw.PATH_TAIL :, 1, 0])
    assert art["title"].get_text() == "chaos, λ = +0.200"
    dist = draw.update_behaviour(art, _run(hs * 0.0, "point attractor", lam=-2.0), "merge")
    assert art["rate"].get_ydata().min() == draw.DIST_FLOOR  # drawn at the floor, not below


@pytest.mark.parametrize(
    "period, settled, label, title",
    [
        (None, True, "point attractor", "point attractor"),
        (None, False, "point attractor", "point attractor, still settling"),
        (8, False, "oscillation", "oscillation, period 8"),
        (None, False, "oscillation", "oscillation, quasi-periodic"),
        (None, False, "chaos", "chaos"),
    ],
)
def test_behaviour_titles(period, settled, label, title):
    run = _run(np.zeros((3, 2, 2)), label, period=period, settled=settled)
    assert draw.behaviour_title(run) == title


def test_phases_titles_and_time_order():
    fig, axes = new_figure(6.0, 3.0, ncols=2)
    hs = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3) / 30
    runs = [_run(hs, "point attractor", lam=-0.04, settled=True), _run(hs, "chaos", lam=0.234)]
    lines = draw.draw_phases(axes, runs, steps=4)
    assert len(lines) == 6  # per run: the joining line, the dots, the start ring
    path = np.vstack([runs[0]["transient"], hs[1:, 0]])[:5]
    np.testing.assert_array_equal(lines[0].get_xdata(), path[:, 0])  # in time order
    assert lines[0].get_linestyle() == "-" and lines[2].get_xdata()[0] == path[0, 0]
    assert axes[0].get_title() == "point attractor\n$\\lambda$ ≈ +0.0 per step"  # no "-0.0"
    assert axes[1].get_title() == "chaos\n$\\lambda$ ≈ +0.2 per step"


def test_static_figures_have_fixed_layouts():
    fig, axes = draw.graphs_figure()
    assert len(axes) == 3 and not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    boxes = [ax.get_position() for ax in axes]
    assert all(0 <= b.x0 < b.x1 <= 1 for b in boxes)
    assert boxes[0].x1 <= boxes[1].x0 and boxes[1].x1 <= boxes[2].x0  # side by side, no overlap
    runs = [_run(np.zeros((3, 2, 4)), "chaos", lam=0.3)] * 2
    fig, axes = draw.phases_figure(runs)
    assert [ax.get_title() for ax in axes] == ["chaos\n$\\lambda$ ≈ +0.3 per step"] * 2
