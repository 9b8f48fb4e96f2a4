"""Tests for rnnlib.draw.unroll: the unrolled graph and its update functions."""

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from rnnlib.draw import unroll as du
from rnnlib.draw.style import figure_png, new_figure


@pytest.mark.parametrize(
    ("T", "ins", "outs"),
    [
        (4, None, None),
        (1, [0], [0]),
        (4, [0], [0, 1, 2, 3]),
        (4, [0, 1, 2, 3], [3]),
        (5, [0, 1, 2], [3, 4]),
    ],
)
def test_nodes_and_cells_follow_the_setup(T, ins, outs):
    _, ax = new_figure()
    H, V = 3, 4
    art = du.draw_unrolled(ax, T, H=H, V=V, input_steps=ins, loss_steps=outs)
    ins = list(range(T)) if ins is None else ins
    outs = list(range(T)) if outs is None else outs
    nodes = art["nodes"]
    assert sorted(t for k, t in nodes if k == "x") == ins
    assert sorted(t for k, t in nodes if k == "y") == outs
    assert sorted(t for k, t in nodes if k == "L") == outs
    assert sorted(t for k, t in nodes if k == "h") == list(range(-1, T))
    assert ("sum", 0) in nodes
    n_cells = H * (T + 1) + V * len(ins) + V * len(outs)  # one cell per unit of each vector node
    assert len(art["cells"].get_paths()) == n_cells
    assert sum(1 for w, _ in art["arrows"] if w == "W_hh") == T
    assert sum(1 for w, _ in art["arrows"] if w == "sum") == len(outs)


def test_weights_are_told_apart_by_labels_not_colours():
    _, (a, b) = new_figure(ncols=2)
    tied = du.draw_unrolled(a, 4)
    untied = du.draw_unrolled(b, 4, tied=False)
    for w in ("W_xh", "W_hh", "W_hy"):
        colours = {tuple(tied["arrows"][(w, t)].get_facecolor()) for t in range(4)}
        assert colours == {to_rgba(du.WEIGHT_COLORS[w])}
        assert {tuple(untied["arrows"][(w, t)].get_facecolor()) for t in range(4)} == colours
    labels = [t.get_text() for t in b.texts]
    layers = {x for x in labels if x.startswith("W_hh")}
    assert len(layers) == 4  # untied: one label per layer, W_hh^(1) .. W_hh^(4)
    assert "W_hh\u207d\u00b2\u207e" in labels and "W_hh" in [t.get_text() for t in a.texts]
    assert du.sub("h", 12) == "h\u2081\u2082" and du.sup("(-3)") == "\u207d\u207b\u00b3\u207e"


def test_highlight_thickens_only_that_weight():
    _, ax = new_figure()
    art = du.draw_unrolled(ax, 3, highlight="W_hh")
    assert all(art["arrows"][("W_hh", t)].get_linewidth() == 2.5 for t in range(3))
    assert all(art["arrows"][("W_xh", t)].get_linewidth() == 0 for t in range(3))


def test_show_values_colours_computed_cells_and_leaves_others_pending():
    _, ax = new_figure()
    art = du.draw_unrolled(ax, 2, H=2, V=3)
    h1 = np.array([1.0, -1.0])
    done = du.show_values(art, {("h", 0): h1, ("y", 0): np.array([2.0, 0.0, -2.0])}, {"y": 2.0})
    assert set(done) == {("h", 0), ("y", 0)}
    fc = art["cells"].get_facecolor()
    np.testing.assert_allclose(fc[art["slots"][("h", 0)]], du.CMAP([1.0, 0.0]))  # +1 and -1
    np.testing.assert_allclose(fc[art["slots"][("y", 0)]], du.CMAP([1.0, 0.5, 0.0]))  # scaled
    np.testing.assert_allclose(fc[art["slots"][("h", 1)]][:, :3], 0.957)  # still pending
    assert to_rgba(art["nodes"][("h", 1)].get_facecolor()) == to_rgba(du.PENDING)
    assert art["arrows"][("W_hh", 0)].get_alpha() == 1.0  # its head h_1 is computed
    assert art["arrows"][("W_hh", 1)].get_alpha() == 0.25


def test_show_gradient_marks_reached_states_and_the_arrows_between_them():
    _, ax = new_figure()
    art = du.draw_unrolled(ax, 4)
    assert du.show_gradient(art, [3, 2]) == [2, 3]
    assert to_rgba(art["nodes"][("h", 3)].get_edgecolor()) == to_rgba(du.GRAD_COLOR)
    assert art["nodes"][("h", 2)].get_linewidth() == 3.0
    assert to_rgba(art["arrows"][("W_hh", 3)].get_facecolor()) == to_rgba(du.GRAD_COLOR)
    assert to_rgba(art["arrows"][("W_hh", 2)].get_facecolor()) == to_rgba(du.WEIGHT_COLORS["W_hh"])


def test_folded_and_static_figures_render():
    _, ax = new_figure()
    art = du.draw_folded(ax)
    assert set(art["nodes"]) == {"x", "h", "y"} and set(art["arrows"]) == {"W_xh", "W_hh", "W_hy"}
    for fig, _ in (du.cell_figure(3), du.layered_figure(3)):
        fig.canvas.draw()
        img = np.asarray(fig.canvas.buffer_rgba())
        assert (img[..., :3] < 250).any()  # something was drawn


@pytest.mark.parametrize("figure", [du.cell_figure, du.layered_figure])
def test_static_figures_keep_every_label_apart(figure):
    """No two texts touch: the W_hh labels sit a line below the W_hy labels (the layered net's
    W_hh^(2) once ran into W_hy^(1)), and each W_hh label clears the boxes it sits between."""
    fig, _ = figure(3)
    assert figure_png(fig)  # made readable, as shown
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer), ax) for ax in fig.axes for t in ax.texts]
    for (ta, a, _), (tb, b, _) in itertools.combinations(boxes, 2):
        gap = max(max(a.x0, b.x0) - min(a.x1, b.x1), max(a.y0, b.y0) - min(a.y1, b.y1))
        assert gap > 2.0, (ta, tb, gap)  # pixels between the two text boxes
    unrolled = fig.axes[-1]
    hh = [b for t, b, ax in boxes if ax is unrolled and t.startswith("W_hh")]
    hy = [b for t, b, ax in boxes if ax is unrolled and t.startswith("W_hy")]
    assert len(hh) == len(hy) == 3  # every arrow named, T = 3
    assert max(b.y1 for b in hh) < min(b.y0 for b in hy)  # every W_hh label below every W_hy
