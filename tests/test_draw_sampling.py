"""Tests for rnnlib.draw.sampling: what the drawing functions put on the axes."""

import matplotlib.colors as mcolors
import numpy as np
import pytest

from rnnlib.draw import sampling as draw
from rnnlib.draw.style import COLORS, new_figure


def test_char_label_makes_blanks_visible():
    assert draw.char_label(" ") == "\u2423"
    assert draw.char_label("\n") == "\\n"
    assert draw.char_label("a") == "a"


def test_sampling_chain_builds_one_column_per_step():
    fig, ax = new_figure(8, 3)
    art = draw.sampling_chain(ax, 5)
    for name in ("x", "h", "p", "s"):
        assert len(art[name]) == 5
    assert len(art["feed"]) == 4
    assert art["h"][2][1].get_text() == "h\u2083"  # h with a subscript 3
    assert len(art["animated"]) == 2 + 2 * 5  # veil, cursor, input and sample texts


@pytest.mark.parametrize("step", [1, 3, 5])
def test_set_chain_shows_the_past_and_veils_the_future(step):
    fig, ax = new_figure(8, 3)
    art = draw.sampling_chain(ax, 5)
    inputs, drawn = list("hell "), list("ell o")
    assert draw.set_chain(art, inputs, drawn, step) is art["animated"]
    shown_x = [art["x"][t][1].get_text() for t in range(5)]
    shown_s = [art["s"][t][1].get_text() for t in range(5)]
    want_x = [draw.char_label(c) for c in inputs[:step]] + ["?"] * (5 - step)
    want_s = [draw.char_label(c) for c in drawn[:step]] + ["?"] * (5 - step)
    assert shown_x == want_x and shown_s == want_s
    assert art["cursor"].get_x() == pytest.approx(step - 1 - 0.45)
    veil = art["veil"]
    assert veil.get_x() == pytest.approx(step - 0.5)  # starts right after the current step
    assert veil.get_x() + veil.get_width() >= ax.get_xlim()[1]  # and reaches the right edge
    assert veil.get_zorder() > art["h"][0][0].get_zorder()


def test_distribution_bars_heights_and_highlight():
    fig, ax = new_figure(6, 3)
    chars = list("ab c")
    bars = draw.distribution_bars(ax, chars)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["a", "b", "\u2423", "c"]
    p = np.array([0.1, 0.2, 0.3, 0.4])
    draw.set_distribution(bars, p, drawn=2)
    assert [b.get_height() for b in bars] == pytest.approx(p.tolist())
    colors = [mcolors.to_hex(b.get_facecolor()) for b in bars]
    assert colors[2] == COLORS["sample"]
    assert colors[0] == colors[1] == colors[3] == COLORS["output"]
    draw.set_distribution(bars, p)
    assert mcolors.to_hex(bars[2].get_facecolor()) == COLORS["output"]


def test_entropy_curve_marker_and_ceiling():
    fig, ax = new_figure(4, 3)
    t = np.linspace(0, 5, 11)
    line, marker = draw.entropy_curve(ax, t, np.linspace(0, 1, 11), np.log(4))
    assert np.array_equal(line.get_xdata(), t)
    assert ax.get_ylim()[1] > np.log(4)
    marker.set_data([1.0], [0.5])
    assert list(marker.get_xdata()) == [1.0]
    assert ax.get_ylim()[0] < 0  # a curve at entropy 0 (top-k = 1) is drawn above the spine


@pytest.mark.parametrize("k, shown", [(1, True), (3, True), (4, False)])
def test_top_k_ceiling_is_ln_k(k, shown):
    fig, ax = new_figure(4, 3)
    art = draw.top_k_ceiling(ax, np.linspace(0, 5, 11))
    line, text = draw.set_top_k_ceiling(art, k, 4)
    assert line.get_visible() == text.get_visible() == shown
    np.testing.assert_allclose(line.get_ydata(), np.log(k))
    assert text.get_text().startswith(f"ln {k}")


def test_loss_curve_plots_the_given_history():
    fig, ax = new_figure(4, 3)
    it, loss = np.arange(5), np.array([3.0, 2.5, 2.0, 1.8, 1.7])
    line, marker = draw.loss_curve(ax, it, loss, log_v=np.log(30))
    assert np.array_equal(line.get_ydata(), loss)
    assert len(ax.get_lines()) == 3  # curve, ln V baseline, marker
    assert len(marker.get_xdata()) == 0
