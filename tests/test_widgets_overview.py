"""Tests for rnnlib.widgets.overview: every control at its minimum, middle and maximum."""

import numpy as np
import pytest

from rnnlib import sequence_setup
from rnnlib.draw import overview as draw
from rnnlib.dynamics import LABELS, NEARBY, SHOW_STEPS
from rnnlib.unroll import SETUPS
from rnnlib.widgets import overview as views


@pytest.fixture(scope="module")
def behaviours():
    return views.behaviours_explorer()


@pytest.fixture(scope="module")
def capacity():
    return views.capacity_explorer()


def test_process_explorer_switches_shapes():
    view = views.process_explorer()
    assert len(view.frames) == len(SETUPS)  # every shape prerendered
    pngs = set()
    for kind in SETUPS:
        view.controls["kind"].value = kind
        assert view.result == sequence_setup(kind, *draw.LENGTHS[kind])
        assert f"<td>{kind}</td>" in view.html.value
        first = view.result["input_steps"][0] + 1
        assert f"<td>{first}" in view.html.value  # steps counted from 1
        pngs.add(view.png())
    assert len(pngs) == len(SETUPS)  # each shape draws a different picture


def test_next_step_targets_for_hello():
    view = views.next_step_view()
    assert view.result["inputs"] == list("hell")
    assert view.result["targets"] == list("ello")  # the input advanced by one step
    assert view.result["vocab"] == list("helo")  # the lecture's order [h, e, l, o]
    html = view.html.value
    assert "<td>input index</td><td>0</td><td>1</td><td>2</td><td>2</td>" in html
    assert "<td>target index</td><td>1</td><td>2</td><td>2</td><td>3</td>" in html
    assert view._repr_mimebundle_()["text/html"] == html  # the static fallback


@pytest.mark.parametrize("text", ["", "a", "ab", "a<b>&"])
def test_next_step_short_and_odd_texts(text):
    view = views.next_step_view("hello")
    view.controls["text"].value = text
    assert view.result["inputs"] == list(text[:-1])
    assert view.result["targets"] == list(text[1:])
    if len(text) < 2:
        assert "at least two characters" in view.html.value
    assert "<b>" not in view.html.value  # characters are escaped


def test_next_step_table_shows_blanks_and_uses_a_monospace_font():
    view = views.next_step_view("a b")
    assert view.result["inputs"] == ["a", " "]  # the data keep the space ...
    assert "<td>input x_t</td><td>a</td><td>\u2423</td>" in view.html.value  # ... shown as a box
    assert "font-family:monospace" in view.html.value  # an l that is not an I
    assert view.link.source == (view.controls["text"], "value")  # the page rebuilds the table
    assert view.link.target == (view.html, "text")


def test_next_step_pairs():
    assert views.next_step_pairs("abc") == (["a", "b"], ["b", "c"])
    assert views.next_step_pairs("") == ([], [])


@pytest.mark.parametrize("H", [1, 10, 20])
def test_capacity_explorer(capacity, H):
    view = capacity
    before = view.png()
    view.controls["H"].value = H
    r = view.result
    assert (r["patterns"], r["weights"]) == (2**H, H**2)
    assert r["fsa"] == (2**H, 4**H) and r["rnn"] == (H, 2 * H)  # squares versus doubles
    assert f"{4**H:,}" in view.html.value
    assert (view.png() != before) == (H != 10)
    assert len(view.frames) == 20  # H = 1..20 prerendered
    view.controls["H"].value = 10


@pytest.mark.parametrize(
    "control, values",
    [("gain", [0.5, 1.5, 3.0]), ("rotation", [0.0, 0.5, 1.0]), ("seed", [5, 60, 71])],
)
def test_behaviours_explorer_controls(behaviours, control, values):
    view = behaviours
    pngs = set()
    for v in values:
        view.controls[control].value = v
        r = view.result
        assert r["label"] in LABELS
        assert np.isfinite(r["lyapunov"]) and np.all(np.isfinite(r["dist"]))
        assert r["hs"].shape == (SHOW_STEPS + 1, 2, 2)  # the two units drawn are kept
        assert r["label"] in view.html.value
        pngs.add(view.png())
    assert len(pngs) == 3  # each value draws a different frame
    view.controls[control].value = {"gain": 3.0, "rotation": 0.0, "seed": 5}[control]


def test_behaviours_explorer_prerenders_its_grid_into_the_page(behaviours):
    grid = len(views.GAINS) * len(views.ROTATIONS) * len(views.SEEDS)
    assert len(behaviours.frames) == grid == 120  # every state: its frames switch in the page
    distinct = {png for png, _, _ in behaviours.frames.values()}
    assert len(distinct) == 6 * 4 * 4 + 6  # at rotation 1, W_hh = gain R: the seed plays no part
    assert len(behaviours.switcher.frames) == grid and len(behaviours.switcher.tables) == grid


@pytest.mark.parametrize(
    "setting, label",
    [((0.5, 0.0, 5), "point attractor"), ((2.0, 1.0, 5), "oscillation"), ((3.0, 0.0, 5), "chaos")],
)
def test_behaviours_labels_and_distances(behaviours, setting, label):
    view = behaviours
    for name, v in zip(("gain", "rotation", "seed"), setting, strict=True):
        view.controls[name].value = v
    r = view.result
    assert r["label"] == label
    assert r["dist"][0] == pytest.approx(NEARBY, rel=1e-6)
    if label == "point attractor":
        assert r["dist"][-1] < 1e-20  # the two runs merge
    elif label == "oscillation":
        assert 1e-10 < r["dist"][-1] < 1e-6  # they keep their distance
        assert "quasi-periodic" in view.html.value
    else:
        assert r["dist"][-1] > 0.1  # they fly apart
    assert f"{r['lyapunov']:+.4f}" in view.html.value
    for name, v in zip(("gain", "rotation", "seed"), (3.0, 0.0, 5), strict=True):
        view.controls[name].value = v


def test_every_behaviour_state_agrees_with_its_label(behaviours):
    """Over all 120 states: chaos is what grows, and the dashed d_0 e^(lambda t) follows the data.

    The label and the exponent are measured over the same steps the distance panel shows.
    """
    for state, (_, table, r) in behaviours.frames.items():
        dist, lam = r["dist"], r["lyapunov"]
        growth = dist.max() / dist[0]
        if r["label"] == "chaos":
            assert growth > 100, state  # nearby runs part
        else:
            assert growth < 100, state  # they merge, or keep (roughly) their distance
        big = np.flatnonzero(dist >= 1e-3)  # from here on the runs are no longer nearby
        end = big[0] if big.size else len(dist)
        t = np.flatnonzero(dist[:end] > 1e-13)[-1]  # the last step above rounding, still small
        rate = np.log(dist[t] / dist[0]) / t  # the distance's mean rate while the runs are nearby
        # the dashed d_0 e^(lambda t) follows it; chaotic rates fluctuate (and differ by machine)
        low, high = (0.5, 2.5) if r["label"] == "chaos" else (0.6, 1.5)
        assert low < rate / lam < high, state
        assert ("no effect" in table) == (
            state[1] == 1.0  # (gain, rotation, seed)
        )
