"""Tests for rnnlib.widgets.sampling: every control at its ends and middle, checked numbers."""

import io

import matplotlib.colors as mcolors
import numpy as np
import pytest
from PIL import Image

from rnnlib import Vocab, hello, loss_and_grads, sample
from rnnlib.draw.style import COLORS, REFERENCE
from rnnlib.sampling import entropy, next_distribution
from rnnlib.widgets import control_values
from rnnlib.widgets import sampling as ws


@pytest.fixture(scope="module")
def hello_model():
    return hello.train_hello().params, hello.vocab()


@pytest.fixture(scope="module")
def random_model(make_params):
    return make_params(6, 8, seed=3, scale=1.0), Vocab("ab cd\n", order="given")


@pytest.fixture(scope="module")
def step_view(hello_model):
    params, vocab = hello_model
    return ws.step_explorer(params, vocab, "h", 8, prerender=False)


@pytest.fixture(scope="module")
def temp_view(random_model):
    params, vocab = random_model
    return ws.temperature_explorer(params, vocab, "ab c", n=30, prerender=False)


def set_controls(view, **values):
    """Set controls (others back to their defaults), then redraw the artists for that state."""
    for name, c in view.controls.items():
        c.value = values.get(name, view._defaults[name])
    view.update(**control_values(view.controls))  # frames are cached: draw this state again
    return view.result


def highlighted(bars):
    return [i for i, b in enumerate(bars) if mcolors.to_hex(b.get_facecolor()) == COLORS["sample"]]


def test_text_html_escapes_and_marks():
    out = ws._text_html("a<b\n", mark=1)
    assert "a&lt;b" not in out  # the '<' is escaped and marked on its own
    assert '<b style="background:#ffe2a8">&lt;</b>' in out and out.endswith("b\n</div>")
    assert "\\n" in ws._text_html("ab\n", mark=2)  # a marked newline is shown as \n


@pytest.mark.parametrize("step", [1, 4, 8])
def test_step_explorer_each_step(step_view, hello_model, step):
    _, vocab = hello_model
    view = step_view
    r, steps = set_controls(view, step=step), view.steps
    assert r["text"] == "h" + vocab.decode(steps["ix"][:step])
    assert r["drawn"] == vocab.chars[steps["ix"][step - 1]]
    assert r["input"] == vocab.chars[steps["inputs"][step - 1]]
    np.testing.assert_array_equal(r["p"], steps["p"][step - 1])
    bars = view.fig.axes[1].patches
    assert [b.get_height() for b in bars] == pytest.approx(r["p"].tolist())
    assert highlighted(bars) == [vocab.index[r["drawn"]]]
    assert np.all(np.isfinite(r["p"])) and r["p"].sum() == pytest.approx(1.0)
    assert f"drew <b>{r['drawn']}</b>" in view.html.value


def test_step_explorer_png_changes_with_step(step_view):
    set_controls(step_view, step=1)
    first = step_view.png()
    set_controls(step_view, step=2)
    assert step_view.png() != first


def test_step_explorer_prerenders_every_step(hello_model):
    params, vocab = hello_model
    view = ws.step_explorer(params, vocab, "h", 5)
    assert len(view.frames) == 5
    assert view.grid["step"].values == (1, 2, 3, 4, 5)
    assert view.controls["step"].value == 2  # starts half way, so ArrowRight moves it


def test_step_explorer_feeds_each_sample_back(random_model):
    params, vocab = random_model
    view = ws.step_explorer(params, vocab, "a", 6, rng=2, prerender=False)
    assert np.array_equal(view.steps["inputs"][1:], view.steps["ix"][:-1])


def test_top_k_options():
    assert ws.top_k_options(4) == [("all (4)", 4), ("3", 3), ("2", 2), ("1", 1)]
    assert [k for _, k in ws.top_k_options(35)] == [35, 10, 5, 3, 2, 1]


@pytest.mark.parametrize(
    ("control", "value"),
    [
        ("temperature", 0.0),
        ("temperature", 1.0),
        ("temperature", 5.0),
        ("top_k", 1),
        ("top_k", 3),
        ("top_k", 6),
        ("seed", 0),
        ("seed", 1),
        ("seed", 2),
    ],
)
def test_temperature_explorer_each_control(temp_view, random_model, control, value):
    params, vocab = random_model
    view = temp_view
    r = set_controls(view, **{control: value})
    vals = control_values(view.controls)
    ix = vocab.encode("ab c")
    _, _, h = loss_and_grads(params, ix[:-1], ix[1:], np.zeros(8))
    y = params["W_hy"] @ np.tanh(params["W_xh"][:, ix[-1]] + params["W_hh"] @ h + params["b_h"])
    p = next_distribution(y + params["b_y"], vals["temperature"], vals["top_k"])
    np.testing.assert_allclose(r["p"], p, rtol=1e-12, atol=1e-15)
    assert r["entropy"] == pytest.approx(entropy(p), abs=1e-12)
    assert r["log_v"] == pytest.approx(np.log(6))
    want = sample(
        params,
        h,
        ix[-1],
        30,
        temperature=vals["temperature"],
        top_k=vals["top_k"],
        rng=vals["seed"],
    )
    assert r["text"] == vocab.decode(want)
    bars = view.fig.axes[0].patches
    assert [b.get_height() for b in bars] == pytest.approx(p.tolist())
    marker = next(ln for ln in view.fig.axes[1].get_lines() if ln.get_marker() == "o")
    assert list(marker.get_xdata()) == [vals["temperature"]]
    dashed = [ln for ln in view.fig.axes[1].get_lines() if ln.get_linestyle() == "--"]
    ceiling = [ln for ln in dashed if ln.get_visible() and ln.get_color() == REFERENCE]
    k_lines = [ln for ln in ceiling if np.allclose(ln.get_ydata(), np.log(vals["top_k"]))]
    assert (len(k_lines) > 0) == (vals["top_k"] < len(vocab))  # the line ln k, when k < V
    assert list(marker.get_ydata()) == pytest.approx([r["entropy"]])
    assert np.isfinite(r["entropy"]) and f"{r['entropy']:.3f} nats" in view.html.value


def test_temperature_explorer_png_changes_with_temperature_and_top_k(random_model):
    params, vocab = random_model
    view = ws.temperature_explorer(params, vocab, "a", n=20, prerender=False)
    first = view.png()
    view.controls["temperature"].value = 2.0
    assert view.png() != first
    second = view.png()
    view.controls["top_k"].value = 2
    assert view.png() != second


def test_temperature_explorer_shapes_of_the_distribution(random_model):
    params, vocab = random_model
    view = ws.temperature_explorer(params, vocab, "cd", n=40, prerender=False)
    V = len(vocab)

    def result(temperature=1.0, top_k=V, seed=0):  # a state's result, without rendering
        values = {"temperature": temperature, "top_k": top_k, "seed": seed}
        return {**view.update(**values), **view.spec.details(**values)}

    ents = [result(t)["entropy"] for t in ws.TEMPERATURES]
    assert ents[0] == 0.0
    assert all(a < b for a, b in zip(ents[:-1], ents[1:], strict=True))
    assert ents[-1] < np.log(V)
    greedy = result(0.0)["text"]
    assert result(1.0, top_k=1)["entropy"] == 0.0
    assert result(1.0, top_k=1)["text"] == greedy  # top-1 sampling is greedy
    assert result(2.0, top_k=1)["text"] == greedy
    assert np.count_nonzero(result(1.0, top_k=2)["p"]) == 2


def test_temperature_explorer_seed_reproduces(random_model):
    params, vocab = random_model
    a = ws.temperature_explorer(params, vocab, "a", n=50, prerender=False)
    b = ws.temperature_explorer(params, vocab, "a", n=50, prerender=False)
    texts = [a.spec.details(temperature=1.0, top_k=6, seed=seed)["text"] for seed in range(4)]
    again = [b.spec.details(temperature=1.0, top_k=6, seed=seed)["text"] for seed in range(4)]
    assert texts == again
    assert len(set(texts)) == 4  # different seeds, different texts at T = 1


def test_progress_bar_follows_the_callback():
    box, callback = ws.progress_bar(50)
    bar, label = box.children

    class Info:
        iteration, smooth_loss_per_char = 20, 1.23456

    callback(Info)
    assert bar.value == 20 and bar.max == 50
    assert label.value == "iteration 20, loss 1.235 nats/char"


def png_pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def test_blitted_frame_matches_a_full_render(temp_view):
    set_controls(temp_view, temperature=0.5, top_k=3)
    blitted = png_pixels(temp_view.png())
    for a in temp_view.animated:
        a.set_animated(False)
    try:
        buf = io.BytesIO()
        temp_view.fig.savefig(buf, format="png", dpi=temp_view.fig.dpi)
        full = png_pixels(buf.getvalue())
    finally:
        for a in temp_view.animated:
            a.set_animated(True)
    assert blitted.shape == full.shape
    assert np.mean(np.abs(blitted - full) > 8) < 0.002  # at most a few anti-aliased pixels differ


@pytest.fixture(scope="module")
def history():
    its = np.arange(0, 301, 50)
    held = 3.0 - np.log1p(its) / 3
    return its, held, [0, 100, 300], ["xq!z", "the ca", "the cat sat"]


@pytest.mark.parametrize("snapshot", [0, 100, 300])
def test_training_explorer_each_snapshot(history, snapshot):
    its, held, snaps, texts = history
    view = ws.training_explorer(
        its, held, snaps, texts, train_curve=(its, held + 0.1), log_v=3.0, prerender=False
    )
    r = set_controls(view, snapshot=snapshot)
    assert r["iteration"] == snapshot
    assert r["text"] == texts[snaps.index(snapshot)]
    assert r["loss"] == pytest.approx(float(np.interp(snapshot, its, held)))
    marker = view.animated[0]
    assert list(marker.get_xdata()) == [snapshot] and list(marker.get_ydata()) == [r["loss"]]
    assert r["text"] in view.html.value and f"{r['loss']:.3f}" in view.html.value
    assert view.grid["snapshot"].values == (0, 100, 300)
    assert view._defaults["snapshot"] == 100  # starts in the middle


def test_training_explorer_png_changes_and_checks_lengths(history):
    its, held, snaps, texts = history
    view = ws.training_explorer(its, held, snaps, texts, prerender=False)
    last = view.png()
    set_controls(view, snapshot=0)
    assert view.png() != last
    with pytest.raises(ValueError, match="one sample per snapshot"):
        ws.training_explorer(its, held, snaps, texts[:2])


def test_no_control_starts_at_its_last_value(step_view, temp_view, history):
    """A browser test presses ArrowRight on every slider: each must have somewhere to go."""
    train_view = ws.training_explorer(*history, prerender=False)
    for view in (step_view, temp_view, train_view):
        for name, c in view.controls.items():
            last = c.options[-1] if hasattr(c, "options") else c.max
            last = last[1] if isinstance(last, tuple) else last
            assert view._defaults[name] != last, name
