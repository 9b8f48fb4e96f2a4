"""Tests for rnnlib.units and its view: states along a text, nameable features, correlations."""

import re

import numpy as np
import pytest

from rnnlib import init_params, rnn_step_forward
from rnnlib import units as un
from rnnlib.draw import units as draw
from rnnlib.vocab import Vocab
from rnnlib.widgets import units as views

TEXT = 'a "bc" d.\nef g'


@pytest.fixture(scope="module")
def small():
    vocab = Vocab(TEXT)
    return init_params(len(vocab), 5, rng=3, scale=1.0), vocab


def test_hidden_states_are_the_cell_run_step_by_step(small):
    params, vocab = small
    hs = un.hidden_states(params, vocab.encode(TEXT))
    h = np.zeros(5)
    for t, x in enumerate(vocab.one_hot(TEXT)):
        h, _ = rnn_step_forward(x, h, params["W_xh"], params["W_hh"], params["b_h"])
        np.testing.assert_allclose(hs[t], h, rtol=0, atol=1e-15)


def test_text_features_by_hand():
    f = un.text_features(TEXT)
    assert set(f) == set(un.FEATURES)
    assert f["just read a space"].tolist() == [float(c == " ") for c in TEXT]
    assert f["letters into the word"].tolist() == [1, 0, 0, 1, 2, 0, 0, 1, 0, 0, 1, 2, 0, 1]
    assert f["characters into the line"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]
    assert f["inside quotes"].tolist() == [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert f["just read . ! or ?"].tolist() == [float(c == ".") for c in TEXT]
    assert f["just read a vowel"].tolist() == [float(c in "ae") for c in TEXT]


def test_correlations_match_numpy_and_constants_give_zero():
    rng = np.random.default_rng(0)
    states = rng.standard_normal((50, 3))
    states[:, 2] = 0.4  # a constant unit
    feats = {"f": rng.standard_normal(50), "const": np.ones(50)}
    r = un.correlations(states, feats)
    for u in range(2):
        assert r["f"][u] == pytest.approx(np.corrcoef(states[:, u], feats["f"])[0, 1], abs=1e-12)
    assert r["f"][2] == 0.0 and np.all(r["const"] == 0.0)
    rows = un.best_units({"a": np.array([0.1, -0.9]), "b": np.array([0.5, 0.2])})
    assert rows == [("a", 1, -0.9), ("b", 0, 0.5)]


def test_mean_by_value_by_hand(small):
    act = np.array([0.5, -1.0, 0.25, 0.0, 1.0])
    feature = np.array([0, 1, 0, 2, 1])
    means, counts = un.mean_by_value(act, feature, [0, 1, 2])
    np.testing.assert_allclose(means, [0.375, 0.0, 0.0])
    assert counts.tolist() == [2, 2, 1]
    params, vocab = small
    hs = un.hidden_states(params, vocab.encode(TEXT))
    word = un.text_features(TEXT)["letters into the word"]
    means, counts = un.mean_by_value(hs, word, [0, 1, 2])  # (K, H): every unit at once
    assert means.shape == (3, 5) and counts.sum() == len(TEXT)
    for k in range(3):
        np.testing.assert_allclose(means[k], hs[word == k].mean(axis=0), rtol=1e-15)


@pytest.mark.parametrize(
    "call, words",
    [
        (
            lambda p, v: un.hidden_states(p, [0, 99]),
            "inputs holds index 99, outside the vocabulary [0, 10]",
        ),
        (lambda p, v: un.hidden_states(p, [[0]]), "1-D sequence"),
        (lambda p, v: un.hidden_states(p, [0], h0=np.zeros(2)), "h0 has shape (2,)"),
        (
            lambda p, v: un.hidden_states(p | {"b_h": np.zeros(2)}, [0]),
            "params['b_h'] has shape (2,), expected (5,)",
        ),
        (
            lambda p, v: un.hidden_states({"W_hh": p["W_hh"]}, [0]),
            "params is missing ['W_xh', 'b_h']",
        ),
        (lambda p, v: un.text_features(""), "non-empty string"),
        (lambda p, v: un.correlations(np.zeros((1, 2)), {}), "N >= 2"),
        (lambda p, v: un.correlations(np.zeros((3, 2)), {"x": np.zeros(2)}), "shape (2,)"),
        (lambda p, v: un.check_unit(5, 5), "unit must be in [0, 5)"),
        (lambda p, v: draw.activation_html("ab", [0.1]), "one per character"),
        (lambda p, v: un.mean_by_value(np.zeros(3), [0, 1, 1], [0, 2]), "never takes the value 2"),
        (lambda p, v: un.mean_by_value(np.zeros(3), [0, 1], [0]), "and (N,)"),
    ],
)
def test_bad_input(small, call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call(*small)


def test_activation_html_colours_and_escapes():
    out = draw.activation_html('<"\n', [1.0, -0.5, 0.0])
    assert "&lt;" in out and "&quot;" in out and "\u21b5" in out  # escaped, newline visible
    red, blue = draw.POSITIVE, draw.NEGATIVE
    assert f"rgba({red[0]},{red[1]},{red[2]},1.00)" in out
    assert f"rgba({blue[0]},{blue[1]},{blue[2]},0.50)" in out
    assert 'title="+1.00"' in out and 'title="-0.50"' in out


def test_units_explorer(small):
    params, vocab = small
    view = views.units_explorer(params, vocab, TEXT, shown=10)
    assert len(view.frames) == 5  # every unit prerendered
    hs = un.hidden_states(params, vocab.encode(TEXT))
    assert np.array_equal(view.states, hs) and view.features.keys() == set(un.FEATURES)
    assert view.corr.keys() == set(un.FEATURES)
    assert view.result["unit"] == view.best[0][1]  # starts on the strongest
    pngs = set()
    for u in range(5):
        view.controls["unit"].value = u
        r = view.result["r"]
        corr = un.correlations(un.hidden_states(params, vocab.encode(TEXT)), un.text_features(TEXT))
        assert all(r[name] == pytest.approx(corr[name][u]) for name in un.FEATURES)
        assert view.html.value.count("<span") == 10  # the first `shown` characters
        pngs.add(view.png())
    assert len(pngs) == 5
    with pytest.raises(ValueError, match=re.escape("unit must be in [0, 5)")):
        views.units_explorer(params, vocab, TEXT, unit=7)
