"""The Elman cell: init_params, softmax, one step forward and its backward pass."""

import numpy as np
import pytest

from rnnlib import init_params, rnn_step_backward, rnn_step_forward, softmax
from rnnlib.cell import as_rng, log_softmax
from rnnlib.gradcheck import check_grads

SIZES = [(1, 1, 1), (3, 4, 2), (5, 2, 6)]  # (D, H, B)


@pytest.mark.parametrize("V, H", [(1, 1), (4, 3), (7, 10)])
def test_init_params_shapes_and_zero_biases(V, H):
    p = init_params(V, H, rng=1)
    shapes = {k: v.shape for k, v in p.items()}
    assert shapes == {"W_xh": (H, V), "W_hh": (H, H), "W_hy": (V, H), "b_h": (H,), "b_y": (V,)}
    assert all(v.dtype == np.float64 for v in p.values())
    assert not p["b_h"].any() and not p["b_y"].any()


def test_init_params_is_deterministic_and_scaled():
    a, b = init_params(5, 4, rng=3), init_params(5, 4, rng=np.random.default_rng(3))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    other = init_params(5, 4, rng=4)
    assert not any(np.array_equal(a[k], other[k]) for k in ("W_xh", "W_hh", "W_hy"))
    default = init_params(5, 4)  # rng=None means seed 0, never global state
    assert all(np.array_equal(default[k], v) for k, v in init_params(5, 4, rng=0).items())
    big = init_params(50, 40, rng=0, scale=1.0)["W_hh"]
    assert 0.9 < big.std() < 1.1
    assert not init_params(3, 2, scale=0.0)["W_xh"].any()


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
@pytest.mark.parametrize("which", ["vocab_size", "hidden_size"])
def test_init_params_rejects_bad_sizes(bad, which):
    args = {"vocab_size": 4, "hidden_size": 3, which: bad}
    with pytest.raises(ValueError, match=f"{which}.*{bad!r}"):
        init_params(args["vocab_size"], args["hidden_size"])


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_init_params_rejects_bad_scale(bad):
    with pytest.raises(ValueError, match=f"scale.*{bad!r}"):
        init_params(3, 2, scale=bad)


def test_as_rng_rejects_other_values():
    with pytest.raises(ValueError, match="rng.*'seed'"):
        as_rng("seed")


def test_softmax_is_stable_for_huge_logits():
    y = np.array([[1e4, 0.0, -1e4], [3.0, 3.0, 3.0]])
    p = softmax(y)
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    logp = log_softmax(y)
    assert np.isfinite(logp).all()
    np.testing.assert_allclose(logp[0], [0.0, -1e4, -2e4])
    np.testing.assert_allclose(softmax(y + 1e6), p)  # invariant to a shift of the logits


@pytest.mark.parametrize("D, H, B", SIZES)
def test_step_forward_matches_the_formula(D, H, B):
    rng = np.random.default_rng(0)
    W_xh, W_hh, b_h = (
        rng.standard_normal((H, D)),
        rng.standard_normal((H, H)),
        rng.standard_normal(H),
    )
    x, h_prev = rng.standard_normal((B, D)), rng.standard_normal((B, H))
    h, _ = rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)
    for b in range(B):
        want = np.tanh(W_hh @ h_prev[b] + W_xh @ x[b] + b_h)
        np.testing.assert_allclose(h[b], want, rtol=1e-13, atol=1e-15)
        h1, _ = rnn_step_forward(x[b], h_prev[b], W_xh, W_hh, b_h)
        assert h1.shape == (H,)
        np.testing.assert_allclose(h1, want, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("D, H, B", SIZES)
def test_step_backward_gradcheck(D, H, B, batched):
    rng = np.random.default_rng(D * 100 + H * 10 + B)
    lead = (B,) if batched else ()
    p = {
        "x": rng.standard_normal((*lead, D)),
        "h_prev": rng.standard_normal((*lead, H)),
        "W_xh": rng.standard_normal((H, D)) * 0.5,
        "W_hh": rng.standard_normal((H, H)) * 0.5,
        "b_h": rng.standard_normal(H) * 0.5,
    }
    G = rng.standard_normal((*lead, H))  # L = sum(G * h), so dL/dh = G

    def f(q):
        return float(np.sum(G * rnn_step_forward(**q)[0]))

    h, cache = rnn_step_forward(**p)
    dx, dh_prev, dW_xh, dW_hh, db_h = rnn_step_backward(G, cache)
    grads = {"x": dx, "h_prev": dh_prev, "W_xh": dW_xh, "W_hh": dW_hh, "b_h": db_h}
    assert {k: v.shape for k, v in grads.items()} == {k: v.shape for k, v in p.items()}
    errors = check_grads(f, p, grads)
    assert max(errors.values()) <= 1e-7, errors


def test_step_backward_of_a_batch_sums_the_rows():
    rng = np.random.default_rng(5)
    W_xh, W_hh, b_h = rng.standard_normal((3, 2)), rng.standard_normal((3, 3)), np.zeros(3)
    x, h_prev, dh = (
        rng.standard_normal((4, 2)),
        rng.standard_normal((4, 3)),
        rng.standard_normal((4, 3)),
    )
    batch = rnn_step_backward(dh, rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)[1])
    rows = [
        rnn_step_backward(dh[b], rnn_step_forward(x[b], h_prev[b], W_xh, W_hh, b_h)[1])
        for b in range(4)
    ]
    for i in (0, 1):  # dx, dh_prev stay per row
        np.testing.assert_allclose(batch[i], np.array([r[i] for r in rows]), atol=1e-14)
    for i in (2, 3, 4):  # weight gradients are summed over the batch
        np.testing.assert_allclose(batch[i], sum(r[i] for r in rows), atol=1e-13)


@pytest.mark.parametrize(
    "x, h_prev, match",
    [
        (np.zeros(3), np.zeros(4), r"x has shape \(3,\), expected \(2,\)"),
        (np.zeros((5, 2)), np.zeros(4), r"h_prev has shape \(4,\), expected \(5, 3\)"),
        (np.zeros(2), np.zeros(4), r"h_prev has shape \(4,\), expected \(3,\)"),
        (np.zeros((1, 1, 2)), np.zeros(3), r"x has shape \(1, 1, 2\)"),
    ],
)
def test_step_forward_rejects_bad_shapes(x, h_prev, match):
    with pytest.raises(ValueError, match=match):
        rnn_step_forward(x, h_prev, np.zeros((3, 2)), np.zeros((3, 3)), np.zeros(3))
