"""The fast loss_and_grads equals a plain per-timestep loop, and its reused buffers leak nothing."""

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rnnlib.bptt as bptt
from rnnlib import loss_and_grads

KEYS = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


def reference(params, inputs, targets, h_prev):
    """min-char-rnn's algorithm with rows for the batch: one-hot x_t, a Python loop over t forward
    and backward, gradients accumulated step by step. Same inputs and outputs as loss_and_grads.
    """
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    X, Y, h = np.asarray(inputs), np.asarray(targets), np.asarray(h_prev, dtype=np.float64)
    single = X.ndim == 1
    if single:
        X, Y, h = X[:, None], Y[:, None], h[None]
    T, B = X.shape
    H, V = W_xh.shape
    rows = np.arange(B)
    xs, hs, ps, loss = {}, {-1: h}, {}, 0.0
    for t in range(T):
        xs[t] = np.zeros((B, V))
        xs[t][rows, X[t]] = 1.0  # one-hot x_t
        hs[t] = np.tanh(xs[t] @ W_xh.T + hs[t - 1] @ W_hh.T + b_h)
        y = hs[t] @ W_hy.T + b_y
        s = y - y.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))  # log softmax
        ps[t] = np.exp(logp)
        loss -= logp[rows, Y[t]].sum() / B
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dhnext = np.zeros((B, H))
    for t in reversed(range(T)):
        dy = ps[t].copy()
        dy[rows, Y[t]] -= 1.0
        dy /= B
        grads["W_hy"] += dy.T @ hs[t]
        grads["b_y"] += dy.sum(axis=0)
        dhraw = (1.0 - hs[t] ** 2) * (dy @ W_hy + dhnext)
        grads["W_xh"] += dhraw.T @ xs[t]
        grads["W_hh"] += dhraw.T @ hs[t - 1]
        grads["b_h"] += dhraw.sum(axis=0)
        dhnext = dhraw @ W_hh
    return loss, grads, (hs[T - 1][0] if single else hs[T - 1])


def make_case(T, B, V, H, seed, *, scale=0.5, single=False):
    """Random params (biases too), inputs, targets and h_prev for one call."""
    rng = np.random.default_rng(seed)
    p = {
        "W_xh": rng.standard_normal((H, V)) * scale,
        "W_hh": rng.standard_normal((H, H)) * scale / np.sqrt(H),
        "W_hy": rng.standard_normal((V, H)) * scale,
        "b_h": rng.standard_normal(H) * scale,
        "b_y": rng.standard_normal(V) * scale,
    }
    shape = (T,) if single else (T, B)
    h = rng.uniform(-0.9, 0.9, (H,) if single else (B, H))
    return p, rng.integers(0, V, shape), rng.integers(0, V, shape), h


def assert_matches(got, want, rtol=1e-12):
    """Loss, every gradient and h_last agree to rtol relative (scaled by the largest entry)."""
    (loss, grads, h), (loss_r, grads_r, h_r) = got, want
    assert isinstance(loss, float)
    assert abs(loss - loss_r) <= rtol * abs(loss_r)
    assert set(grads) == set(KEYS)
    for k in KEYS:
        assert grads[k].shape == grads_r[k].shape and grads[k].dtype == np.float64
        np.testing.assert_allclose(
            grads[k], grads_r[k], rtol=rtol, atol=rtol * np.abs(grads_r[k]).max(), err_msg=k
        )
    assert h.shape == h_r.shape
    np.testing.assert_allclose(h, h_r, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("B", [1, 16, 64])
def test_benchmark_shapes_match_the_loop(B):
    case = make_case(25, B, 80, 100, seed=B)
    assert_matches(loss_and_grads(*case), reference(*case))


def test_one_unbatched_sequence_matches_the_loop():
    case = make_case(25, 1, 80, 100, seed=3, single=True)
    got = loss_and_grads(*case)
    assert got[2].shape == (100,)
    assert_matches(got, reference(*case))


def test_huge_logits_stay_finite_and_exact():
    p, x, y, h = make_case(6, 3, 7, 5, seed=4)
    p["W_hy"] *= 1e3  # logits of order 1e3: a naive exp would overflow
    p["b_y"] *= 1e3
    got = loss_and_grads(p, x, y, h)
    assert np.isfinite(got[0]) and all(np.all(np.isfinite(g)) for g in got[1].values())
    assert_matches(got, reference(p, x, y, h))


@settings(max_examples=60, deadline=None)
@given(
    T=st.integers(1, 8),
    B=st.integers(1, 5),
    V=st.integers(1, 9),
    H=st.integers(1, 7),
    seed=st.integers(0, 2**16),
    single=st.booleans(),
)
def test_random_small_shapes_match_the_loop(T, B, V, H, seed, single):
    case = make_case(T, B, V, H, seed, single=single)
    assert_matches(loss_and_grads(*case), reference(*case))


def test_reused_buffers_do_not_leak_between_calls():
    shapes = [(25, 16, 80, 100), (7, 3, 11, 9), (25, 16, 80, 100), (1, 1, 2, 1), (7, 3, 11, 9)]
    kept = []
    for i, shape in enumerate(shapes):  # same shapes come back with other params and states
        case = make_case(*shape, seed=100 + i)
        got = loss_and_grads(*case)
        assert_matches(got, reference(*case))
        kept.append((got, reference(*case)))
    for got, want in kept:  # earlier results were not overwritten by later calls
        assert_matches(got, want)
    arrays = [a for got, _ in kept for a in (*got[1].values(), got[2])]
    for i, a in enumerate(arrays):
        assert not any(np.shares_memory(a, b) for b in arrays[i + 1 :])


def test_inputs_are_left_unchanged():
    p, x, y, h = make_case(5, 4, 6, 3, seed=7)
    before = ({k: v.copy() for k, v in p.items()}, x.copy(), y.copy(), h.copy())
    loss_and_grads(p, x, y, h)
    for k in KEYS:
        np.testing.assert_array_equal(p[k], before[0][k])
    for a, b in zip((x, y, h), before[1:], strict=True):
        np.testing.assert_array_equal(a, b)


def test_threads_keep_their_own_buffers():
    cases = [make_case(12, 5, 9, 8, seed=20), make_case(12, 5, 9, 8, seed=21)]
    wants = [reference(*c) for c in cases]
    errors = []

    def work(i):
        for _ in range(30):
            try:
                assert_matches(loss_and_grads(*cases[i]), wants[i])
            except AssertionError as e:
                errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors


def test_cache_stays_within_its_memory_budget(monkeypatch):
    monkeypatch.setattr(bptt, "_WORKSPACE_BYTES", 200_000)
    for T in (5, 6, 7, 8, 400):
        case = make_case(T, 4, 10, 8, seed=T)
        assert_matches(loss_and_grads(*case), reference(*case))
        cache = bptt._WORKSPACES.by_shape
        assert sum(w.nbytes for w in cache.values()) <= 200_000
    assert (400, 4, 8, 10) not in cache  # larger than the whole budget: never kept
    assert (8, 4, 8, 10) in cache  # the newest shape that fits is kept
