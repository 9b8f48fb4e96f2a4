"""Tests for rnnlib.draw.norms: the gradient-norm bars and curve."""

import numpy as np
import pytest

from rnnlib.draw import norms
from rnnlib.draw.style import new_figure


def test_bars_and_curve():
    _, (a, b) = new_figure(nrows=2)
    bars = norms.draw_norm_bars(a, 5, ymax=2.0)
    h = norms.set_bar_heights(bars, [1.0, np.nan, 0.5, 2.0, 0.0])
    assert [bar.get_height() for bar in bars] == [1.0, 0.0, 0.5, 2.0, 0.0]
    np.testing.assert_array_equal(h, [1.0, 0.0, 0.5, 2.0, 0.0])
    with pytest.raises(ValueError):
        norms.set_bar_heights(bars, [1.0, 2.0])  # one height per bar
    art = norms.draw_norm_curve(b, 6, (1e-3, 1e2), n_ghosts=2)
    assert b.get_yscale() == "log" and b.get_ylim() == pytest.approx((1e-3, 1e2))
    assert len(art["ghosts"]) == 2 and len(art["line"].get_xdata()) == 6


def test_curve_draws_the_prediction_on_top_in_its_own_colour_and_names_it():
    _, ax = new_figure()
    art = norms.draw_norm_curve(ax, 4, (1e-2, 1e2), n_ghosts=3, ref_label="pred", ghost_label="g")
    line, ref = art["line"], art["ref"]
    assert line.get_linestyle() == "None" and line.get_marker() == "o"  # markers only
    assert ref.get_linestyle() == "--" and ref.get_zorder() > line.get_zorder()
    assert line.get_color() != ref.get_color()
    labels = [t.get_text() for t in art["legend"].get_texts()]
    assert labels == ["measured \u2016dL/dh\u209c\u2016", "pred", "g"]
    assert norms.draw_norm_curve(ax, 4, (1e-2, 1e2), legend=False)["legend"] is None


def test_reach_map_colours_kept_cut_and_empty_pairs():
    reach = np.array([[1.0, 0.0, 0.0], [0.5, 2.0, 0.0], [0.1, 0.4, 1.0]])
    kept = np.array([[True, False, False], [False, True, False], [False, True, True]])
    rgba = norms.reach_colors(reach, kept, 0.1, 2.0)
    assert rgba.shape == (3, 3, 4)
    assert tuple(rgba[0, 1]) == norms.REACH_EMPTY  # t > s: no path
    r, g, b, _ = rgba[1, 0]
    assert r == pytest.approx(g) == pytest.approx(b)  # cut: grey
    assert rgba[1, 1, 1] < min(rgba[1, 1, 0], rgba[1, 1, 2])  # kept: the gradient's purple
    assert rgba[1, 1].sum() < rgba[0, 0].sum()  # larger norm, darker
    _, ax = new_figure()
    art = norms.draw_reach_map(ax, 3, title="t")
    shown = norms.show_reach(art, reach, kept, [0, 2], 0.1, 2.0)
    assert shown == [3]
    assert [v.get_visible() for v in art["vlines"]] == [False, True]
    assert [h.get_visible() for h in art["hlines"]] == [False, True]
    np.testing.assert_allclose(art["image"].get_array(), rgba)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["gradient kept", "cut by truncation", "chunk boundary"]
