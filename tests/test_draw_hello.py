"""Tests of rnnlib.draw.hello: the "hello" figure and its companion plots (Agg, headless)."""

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from rnnlib import hello as hl
from rnnlib.draw import hello as dh
from rnnlib.draw.style import COLORS, new_figure


@pytest.fixture(scope="module")
def r_lecture():
    return hl.run(hl.solve_params())


@pytest.fixture(scope="module")
def r_other():
    return hl.run(hl.train_hello(30).params)


def pixels(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    buf.seek(0)
    return imread(buf)


def test_fmt_prints_one_decimal_without_negative_zero():
    assert dh._fmt(-0.04) == "0.0"
    assert dh._fmt(0.96) == "1.0"
    assert dh._fmt(-1.55) == "-1.6"


def test_logit_texts_add_decimals_only_where_one_cannot_tell_bold_from_plain():
    T, F = True, False
    assert dh.logit_texts([-1.354, -0.670, 1.213, 1.166], [F, F, T, F]) == [
        "-1.35",
        "-0.67",
        "1.21",
        "1.17",
    ]
    assert dh.logit_texts([1.0, 2.2, -3.0, 4.1], [F, F, F, T]) == ["1.0", "2.2", "-3.0", "4.1"]
    assert dh.logit_texts([0.004, 0.001, -0.003, 0.0], [T] * 4) == ["0.0"] * 4  # a tie: all bold
    assert dh.logit_texts([1.2151, 1.2061, 1.2050, 0.0], [T, T, F, F])[1:3] == ["1.206", "1.205"]


def test_network_shows_two_decimals_where_the_replay_needs_them():
    trained = hl.train_hello(8, seed=0)
    r = hl.run(trained.snapshots[8])  # iteration 8: step 4 has l = 1.213 (argmax), o = 1.166
    fig, ax = new_figure(6.4, 4.4)
    art = dh.network(ax)
    dh.set_network(art, r)
    step4 = art["logit_text"][3]
    assert [t.get_text() for t in step4][2:] == ["1.21", "1.17"]
    assert [t.get_fontweight() for t in step4][2:] == ["bold", "normal"]
    assert all(len(t.get_text().split(".")[1]) == 1 for col in art["logit_text"][:3] for t in col)


def test_network_shows_the_lecture_table(r_lecture):
    fig, ax = new_figure(6.4, 4.4)
    art = dh.network(ax)
    assert len(art["hidden_text"]) == 4 and all(len(c) == 3 for c in art["hidden_text"])
    assert all(len(c) == 4 for c in art["logit_text"])
    dh.set_network(art, r_lecture, step=3, title="lecture")
    shown_h = [[float(t.get_text()) for t in col] for col in art["hidden_text"]]
    shown_y = [[float(t.get_text()) for t in col] for col in art["logit_text"]]
    assert shown_h == hl.HIDDEN.tolist() and shown_y == hl.LOGITS.tolist()
    for t in range(4):
        for k, box in enumerate(art["logit_box"][t]):
            is_target = k == r_lecture["target"][t]
            assert (box.get_facecolor()[:3] != (1.0, 1.0, 1.0)) == is_target
            assert (box.get_linewidth() == 3.0) == (k == r_lecture["pred"][t])  # no ties here
        assert art["column"][t].get_visible() == (t == 2)
    assert art["title"].get_text() == "lecture"
    one_hot = [t.get_text() for t in ax.texts if t.get_text() in ("0", "1")]
    assert one_hot.count("1") == 4 and one_hot.count("0") == 12


def test_every_tied_logit_is_drawn_as_argmax():
    fig, ax = new_figure(8, 5)
    art = dh.network(ax)
    r = hl.run(hl.train_hello(1).snapshots[0])  # tiny weights: four logits tie at every step
    dh.set_network(art, r)
    widths = [[box.get_linewidth() for box in col] for col in art["logit_box"]]
    assert widths == [[3.0] * 4] * 4


def test_probability_bars(r_lecture):
    fig, ax = new_figure(3, 3)
    art = dh.probability_bars(ax)
    dh.set_probability_bars(art, r_lecture["p"][1], 2, title="step 2")
    heights = [b.get_height() for b in art["bars"]]
    np.testing.assert_allclose(heights, r_lecture["p"][1])
    assert art["labels"][2].get_text() == f"{r_lecture['p'][1, 2]:.2f}"
    target_rgb = tuple(int(COLORS["target"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    np.testing.assert_allclose(art["bars"][2].get_facecolor()[:3], target_rgb)


def test_loss_curve_and_memory_figure():
    full, frozen = np.geomspace(5.5, 0.008, 50), np.linspace(5.5, 1.39, 50)
    fig, ax = new_figure(4, 3)
    marker = dh.loss_curve(ax, [("a", full, "b")], [("floor", 2 * np.log(2))])
    assert marker.get_xdata()[0] == 0 and marker.get_ydata()[0] == full[0]
    lo, hi = ax.get_ylim()
    assert lo <= full.min() and hi >= full.max()
    p = np.full((4, 4), 0.25)
    fig = dh.memory_figure(full, frozen, 2 * np.log(2), p)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 4  # two curves, the floor, the (hidden) marker
    np.testing.assert_allclose(fig.axes[0].lines[2].get_ydata(), 2 * np.log(2))


def test_gradient_figure_draws_the_run(r_lecture):
    fig = dh.gradient_figure(r_lecture)
    ax1, ax2, ax3 = fig.axes
    np.testing.assert_allclose(ax1.images[0].get_array(), r_lecture["dys"].T)
    np.testing.assert_allclose([b.get_height() for b in ax2.patches], r_lecture["dh_norms"])
    dW = np.sqrt((r_lecture["dW_hh_t"] ** 2).sum(axis=(1, 2)))
    np.testing.assert_allclose([b.get_height() for b in ax3.patches], dW)
    assert ax3.patches[0].get_height() == 0.0
    assert pixels(fig).shape[2] == 4


def test_hello_figure(r_lecture):
    fig = dh.hello_figure(r_lecture, "the lecture")
    assert isinstance(fig, Figure) and fig.axes[0].get_title() == "the lecture"
    assert not np.isnan(pixels(fig)).any()
