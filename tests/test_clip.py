"""Gradient clipping, element-wise (min-char-rnn) and by global norm."""

import numpy as np
import pytest

from rnnlib.clip import clip_elementwise, clip_global_norm, global_norm


def grads():
    return {"W": np.array([[-7.0, 2.0], [5.0, 6.5]]), "b": np.array([0.5, -5.5, -4.9])}


@pytest.mark.parametrize("limit", [5.0, 1, 0.25])
def test_elementwise_clips_each_entry_and_copies(limit):
    g = grads()
    out = clip_elementwise(g, limit)
    for k in g:
        assert np.abs(out[k]).max() <= limit
        inside = np.abs(g[k]) <= limit
        np.testing.assert_array_equal(out[k][inside], g[k][inside])  # small entries untouched
        np.testing.assert_array_equal(out[k][~inside], np.sign(g[k][~inside]) * limit)
    assert all(np.array_equal(g[k], grads()[k]) for k in g)  # the input is not modified


def test_elementwise_default_is_five():
    out = clip_elementwise(grads())
    np.testing.assert_array_equal(out["W"], [[-5.0, 2.0], [5.0, 5.0]])
    np.testing.assert_array_equal(out["b"], [0.5, -5.0, -4.9])


def test_global_norm():
    g = grads()
    want = np.sqrt(sum(np.sum(v**2) for v in g.values()))
    assert global_norm(g) == pytest.approx(want, rel=1e-15)
    assert global_norm({"z": np.zeros(3)}) == 0.0


@pytest.mark.parametrize("max_norm", [0.1, 3.0, 20.0])
def test_clip_global_norm(max_norm):
    g = grads()
    out, norm = clip_global_norm(g, max_norm)
    assert norm == pytest.approx(global_norm(g), rel=1e-15)  # the norm before clipping
    assert global_norm(out) == pytest.approx(min(norm, max_norm), rel=1e-14)
    scale = out["W"][0, 0] / g["W"][0, 0]
    for k in g:  # one common factor: the direction is kept
        np.testing.assert_allclose(out[k], scale * g[k], rtol=1e-15)
    assert all(np.array_equal(g[k], grads()[k]) for k in g)


def test_small_gradients_pass_unchanged():
    g = {"a": np.array([0.3, -0.4])}
    out, norm = clip_global_norm(g, 1.0)
    assert norm == pytest.approx(0.5) and np.array_equal(out["a"], g["a"])
    assert out["a"] is not g["a"]


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), "5", None])
def test_rejects_bad_thresholds(bad):
    with pytest.raises(ValueError, match=f"limit must be a finite number > 0, got {bad!r}"):
        clip_elementwise(grads(), bad)
    with pytest.raises(ValueError, match=f"max_norm must be a finite number > 0, got {bad!r}"):
        clip_global_norm(grads(), bad)
