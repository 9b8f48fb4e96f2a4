"""loss_and_grads against an independent per-timestep loop, numerical gradients and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlib import bptt, init_params, loss_and_grads
from rnnlib.gradcheck import check_grads
from rnnlib.unroll import one_hot_inputs, unroll_loss_and_grads

KEYS = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
SIZES = [(1, 1, 1, 1), (4, 2, 4, 3), (6, 3, 5, 7)]  # (T, B, V, H)


def reference(p, inputs, targets, hprev):
    """min-char-rnn's loop for ONE sequence, with column vectors and one-hot inputs."""
    W_xh, W_hh, W_hy = p["W_xh"], p["W_hh"], p["W_hy"]
    b_h, b_y = p["b_h"][:, None], p["b_y"][:, None]
    V = W_xh.shape[1]
    xs, hs, ps = {}, {-1: np.asarray(hprev, dtype=float).reshape(-1, 1)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1.0  # one-hot input
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        ys = W_hy @ hs[t] + b_y
        ps[t] = np.exp(ys) / np.sum(np.exp(ys))
        loss += -np.log(ps[t][targets[t], 0])
    d = {k: np.zeros_like(p[k]) for k in KEYS}
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        d["W_hy"] += dy @ hs[t].T
        d["b_y"] += dy[:, 0]
        dh = W_hy.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        d["b_h"] += dhraw[:, 0]
        d["W_xh"] += dhraw @ xs[t].T
        d["W_hh"] += dhraw @ hs[t - 1].T
        dhnext = W_hh.T @ dhraw
    return loss, d, hs[len(inputs) - 1][:, 0]


def reference_batch(p, inputs, targets, hprev):
    """The batch loss and gradients as the mean over its sequences (columns)."""
    runs = [reference(p, inputs[:, b], targets[:, b], hprev[b]) for b in range(inputs.shape[1])]
    loss = np.mean([r[0] for r in runs])
    grads = {k: np.mean([r[1][k] for r in runs], axis=0) for k in KEYS}
    return loss, grads, np.array([r[2] for r in runs])


def random_case(make_params, T, B, V, H, seed):
    rng = np.random.default_rng(seed)
    p = make_params(V, H, seed)
    inputs, targets = rng.integers(0, V, (T, B)), rng.integers(0, V, (T, B))
    return p, inputs, targets, rng.standard_normal((B, H)) * 0.5


def assert_same(got, want, tol=1e-12):
    loss, grads, h_last = got
    assert loss == pytest.approx(want[0], rel=tol, abs=tol)
    assert set(grads) == set(KEYS)
    for k in KEYS:
        np.testing.assert_allclose(grads[k], want[1][k], rtol=1e-9, atol=tol, err_msg=k)
    np.testing.assert_allclose(h_last, want[2], rtol=1e-12, atol=tol)


@pytest.mark.parametrize("T, B, V, H", SIZES)
def test_one_sequence_equals_the_classic_loop(make_params, T, B, V, H):
    p, inputs, targets, h = random_case(make_params, T, 1, V, H, seed=T + V)
    got = loss_and_grads(p, inputs[:, 0], targets[:, 0], h[0])
    assert got[2].shape == (H,)
    assert_same(got, reference(p, inputs[:, 0], targets[:, 0], h[0]))


@pytest.mark.parametrize("T, B, V, H", SIZES)
def test_batch_is_the_mean_over_its_sequences(make_params, T, B, V, H):
    p, inputs, targets, h = random_case(make_params, T, B, V, H, seed=B + H)
    got = loss_and_grads(p, inputs, targets, h)
    assert got[2].shape == (B, H)
    assert_same(got, reference_batch(p, inputs, targets, h))


def test_batch_of_one_equals_one_sequence(make_params):
    p, inputs, targets, h = random_case(make_params, 5, 1, 4, 3, seed=2)
    one = loss_and_grads(p, inputs[:, 0], targets[:, 0], h[0])
    batch = loss_and_grads(p, inputs, targets, h)
    assert_same((batch[0], batch[1], batch[2][0]), one, tol=1e-14)


def test_h_last_carries_the_state_across_chunks(make_params):
    p, inputs, targets, h = random_case(make_params, 8, 2, 5, 4, seed=3)
    loss, _, h_last = loss_and_grads(p, inputs, targets, h)
    loss1, _, h_mid = loss_and_grads(p, inputs[:3], targets[:3], h)
    loss2, _, h_end = loss_and_grads(p, inputs[3:], targets[3:], h_mid)
    assert loss1 + loss2 == pytest.approx(loss, rel=1e-13)
    np.testing.assert_allclose(h_end, h_last, rtol=1e-13, atol=1e-15)


def test_zero_weights_give_the_uniform_loss():
    p = init_params(4, 3, scale=0.0)
    loss, grads, h_last = loss_and_grads(p, [0, 1, 2, 2], [1, 2, 2, 3], np.zeros(3))
    assert loss == pytest.approx(4 * np.log(4), rel=1e-14)  # T ln V: perplexity = V
    assert not h_last.any()


def test_does_not_modify_its_arguments(make_params):
    p, inputs, targets, h = random_case(make_params, 4, 2, 3, 2, seed=4)
    before = ({k: v.copy() for k, v in p.items()}, inputs.copy(), h.copy())
    loss_and_grads(p, inputs, targets, h)
    assert all(np.array_equal(p[k], before[0][k]) for k in p)
    assert np.array_equal(inputs, before[1]) and np.array_equal(h, before[2])


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("T, B, V, H", SIZES)
def test_gradcheck(make_params, T, B, V, H, batched):
    p, inputs, targets, h = random_case(make_params, T, B, V, H, seed=7 * T + H)
    if not batched:
        inputs, targets, h = inputs[:, 0], targets[:, 0], h[0]
    _, grads, _ = loss_and_grads(p, inputs, targets, h)
    errors = check_grads(lambda q: loss_and_grads(q, inputs, targets, h)[0], p, grads)
    assert max(errors.values()) <= 1e-7, errors


@pytest.mark.parametrize("scale", [1e2, 1e4, 1e8])
def test_stable_for_huge_logits(scale):
    p = init_params(3, 2, rng=0, scale=0.0)
    p["W_xh"][:] = [[5.0, -5.0, 0.0], [0.0, 5.0, -5.0]]  # saturate h to +/-1
    p["W_hy"][:] = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]) * scale  # logits ~ scale
    inputs, targets = [0, 1, 2], [2, 2, 0]  # confidently wrong predictions
    loss, grads, _ = loss_and_grads(p, inputs, targets, np.zeros(2))
    assert np.isfinite(loss) and loss > scale  # about scale nats per wrong step
    assert all(np.isfinite(g).all() for g in grads.values())
    right, grads, _ = loss_and_grads(p, [0, 0], [0, 0], np.zeros(2))
    assert 0.0 <= right < 1e-6 and all(np.isfinite(g).all() for g in grads.values())


sizes = st.tuples(*(st.integers(1, n) for n in (6, 4, 5, 5)), st.integers(0, 2**16))


@settings(max_examples=25, deadline=None)
@given(sizes)
def test_property_matches_the_loop_and_the_unrolled_graph(make_params, case):
    T, B, V, H, seed = case
    p, inputs, targets, h = random_case(make_params, T, B, V, H, seed)
    got = loss_and_grads(p, inputs, targets, h)
    assert_same(got, reference_batch(p, inputs, targets, h), tol=1e-11)
    loss, grads, trace = unroll_loss_and_grads(p, one_hot_inputs(inputs, V), targets, h_prev=h)
    assert_same(got, (loss, grads, trace["hs"][-1]), tol=1e-11)


H3 = np.zeros(3)


@pytest.mark.parametrize(
    "inputs, targets, h_prev, match",
    [
        ([0, 4, 1], [1, 1, 1], H3, "inputs holds index 4, outside the vocabulary"),
        ([0, -1, 1], [1, 1, 1], H3, "inputs holds index -1, outside the vocabulary"),
        ([0, 1, 1], [1, 1, 7], H3, "targets holds index 7"),
        ([0, 1, 1], [-2, 1, 1], H3, "targets holds index -2"),
        ([0, 1, 1], [1, 1], H3, r"inputs have shape \(3,\) but targets have shape \(2,\)"),
        ([[0, 1]], [0, 1], H3, r"inputs have shape \(1, 2\) but targets have shape \(2,\)"),
        ([], [], H3, "inputs must be a non-empty sequence"),
        ([0, 1], [1, 2], np.zeros(4), r"h_prev has shape \(4,\), expected \(3,\)"),
        ([[0], [1]], [[1], [2]], H3, r"h_prev has shape \(3,\), expected \(1, 3\)"),
        ([[0, 1]], [[1, 2]], np.zeros((3, 3)), r"h_prev has shape \(3, 3\), expected \(2, 3\)"),
        ([0.5, 1], [1, 2], H3, "inputs must hold integer indices, got dtype float64"),
        ([[[0]]], [[[1]]], H3, r"inputs must have shape \(T,\) or \(T, B\), got \(1, 1, 1\)"),
    ],
)
def test_rejects_bad_input(inputs, targets, h_prev, match):
    p = init_params(4, 3)
    with pytest.raises(ValueError, match=match):
        loss_and_grads(p, inputs, targets, h_prev)


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda p: p.pop("b_y"), r"missing \['b_y'\]"),
        (
            lambda p: p.update(W_hh=np.zeros((3, 2))),
            r"W_hh'\] has shape \(3, 2\), expected \(3, 3\)",
        ),
        (
            lambda p: p.update(W_hy=np.zeros((5, 3))),
            r"W_hy'\] has shape \(5, 3\), expected \(4, 3\)",
        ),
    ],
)
def test_rejects_inconsistent_params(change, match):
    p = init_params(4, 3)
    change(p)
    with pytest.raises(ValueError, match=match):
        loss_and_grads(p, [0, 1], [1, 2], H3)


def test_tanh_through_expm1_is_within_a_few_ulp_of_np_tanh():
    x = np.concatenate(
        [
            np.linspace(-25.0, 25.0, 200_001),
            np.geomspace(1e-310, 1.0, 2_000),  # subnormal up to 1: no cancellation near 0
            -np.geomspace(1e-310, 1.0, 2_000),
            [0.0, -0.0, 354.0, -400.0, 1e300, -1e308, np.inf, -np.inf],
        ]
    )
    out, scratch = np.empty_like(x), np.empty((2, *x.shape))
    with np.errstate(over="ignore"):
        bptt.tanh_expm1(x, out, scratch)
    want = np.tanh(x)
    ulp = np.abs(out - want) / np.spacing(np.abs(want))
    assert ulp.max() <= 4
    assert np.array_equal(np.signbit(out), np.signbit(want))  # -0.0 stays -0.0
    nan = np.full(3, np.nan)
    bptt.tanh_expm1(nan, nan, np.empty((2, 3)))
    assert np.isnan(nan).all()


def test_large_batches_take_the_expm1_tanh_and_equal_the_loop(make_params, monkeypatch):
    T, B, V, H = 4, bptt.EXPM1_TANH_MIN // 8, 5, 8
    calls, tanh_expm1 = [], bptt.tanh_expm1

    def counting(x, out, scratch):
        calls.append(x.shape)
        tanh_expm1(x, out, scratch)

    monkeypatch.setattr(bptt, "tanh_expm1", counting)
    p, inputs, targets, h = random_case(make_params, T, B, V, H, seed=11)
    got = loss_and_grads(p, inputs, targets, h)
    assert calls == [(B, H)] * T  # one call per step, none below the threshold
    assert_same(got, reference_batch(p, inputs, targets, h))
    calls.clear()
    loss_and_grads(p, inputs[:, :7], targets[:, :7], h[:7])
    assert calls == []  # small batches keep np.tanh


def test_gradcheck_on_the_expm1_tanh_path(make_params):
    T, B, V, H = 3, bptt.EXPM1_TANH_MIN // 4, 4, 4
    p, inputs, targets, h = random_case(make_params, T, B, V, H, seed=12)
    _, grads, _ = loss_and_grads(p, inputs, targets, h)
    errors = check_grads(lambda q: loss_and_grads(q, inputs, targets, h)[0], p, grads)
    assert max(errors.values()) <= 1e-7, errors


def chunked_objective(p, inputs, targets, k, carried, h_prev):
    """Sum over chunks of each chunk's loss, run with p from the state entering it, a constant
    taken from `carried` (the states of a forward pass with the unperturbed parameters)."""
    loss, T = 0.0, len(inputs)
    for start in range(0, T, k):
        h = h_prev if start == 0 else carried[start - 1]
        loss += loss_and_grads(p, inputs[start : start + k], targets[start : start + k], h)[0]
    return loss


@pytest.mark.parametrize("T, B, k", [(7, None, 1), (7, None, 3), (9, 2, 4), (10, 3, 5)])
def test_chunked_gradcheck_against_the_chunked_objective(make_params, T, B, k):
    V, H = 4, 3
    rng = np.random.default_rng(T + k)
    p = make_params(V, H, T)
    shape = (T,) if B is None else (T, B)
    inputs, targets = rng.integers(0, V, shape), rng.integers(0, V, shape)
    h_prev = rng.standard_normal(shape[1:] + (H,)) * 0.5
    loss, grads, h_last = bptt.chunked_loss_and_grads(p, inputs, targets, h_prev, k)
    _, _, trace = unroll_loss_and_grads(p, one_hot_inputs(inputs, V), targets, h_prev=h_prev)
    carried = trace["hs"]  # the forward pass's states: the same with or without truncation
    assert loss == pytest.approx(loss_and_grads(p, inputs, targets, h_prev)[0], rel=1e-13)
    np.testing.assert_allclose(h_last, carried[-1], rtol=1e-13, atol=1e-15)

    def f(q):
        return chunked_objective(q, inputs, targets, k, carried, h_prev)

    assert f(p) == pytest.approx(loss, rel=1e-13)
    errors = check_grads(f, p, grads)
    assert max(errors.values()) < 1e-7, errors
    full = loss_and_grads(p, inputs, targets, h_prev)[1]
    assert not np.allclose(grads["W_hh"], full["W_hh"])  # truncation changed the gradient


@pytest.mark.parametrize("B", [None, 2])
def test_chunked_equals_the_unrolled_chunked_truncation(make_params, B):
    V, H, T = 4, 3, 11
    rng = np.random.default_rng(5)
    p = make_params(V, H, 5)
    shape = (T,) if B is None else (T, B)
    inputs, targets = rng.integers(0, V, shape), rng.integers(0, V, shape)
    h_prev = rng.standard_normal(shape[1:] + (H,))
    for k in (1, 2, 4, 11):
        _, g, _ = bptt.chunked_loss_and_grads(p, inputs, targets, h_prev, k)
        _, u, _ = unroll_loss_and_grads(p, one_hot_inputs(inputs, V), targets, h_prev=h_prev, k=k)
        for key in KEYS:
            np.testing.assert_allclose(g[key], u[key], rtol=1e-10, atol=1e-13, err_msg=key)


def test_chunked_with_k_at_least_T_is_full_bptt_exactly(make_params):
    p, inputs, targets, h = random_case(make_params, 6, 2, 4, 3, 0)
    full = loss_and_grads(p, inputs, targets, h)
    for k in (6, 7, 1000):
        loss, grads, h_last = bptt.chunked_loss_and_grads(p, inputs, targets, h, k)
        assert loss == full[0]
        for key in KEYS:
            np.testing.assert_array_equal(grads[key], full[1][key])
        np.testing.assert_array_equal(h_last, full[2])


def test_chunked_is_one_training_pass_without_the_updates(make_params):
    """rnnlib.train with seq_length k reads the same chunks and carries the same state: with
    every parameter frozen, its per-chunk losses add up to the chunked loss and its final state
    is the chunked h_last."""
    from rnnlib import train

    p = make_params(4, 3, 2)
    ix = np.random.default_rng(1).integers(0, 4, 13)  # 12 predictions: chunks of 4, 4, 4
    run = train(ix, {n: v.copy() for n, v in p.items()}, freeze=KEYS, seq_length=4, n_iters=3)
    loss, _, h_last = bptt.chunked_loss_and_grads(p, ix[:-1], ix[1:], np.zeros(3), 4)
    assert run.history["loss"].sum() == pytest.approx(loss, rel=1e-13)
    np.testing.assert_allclose(run.h[0], h_last, rtol=1e-13, atol=1e-15)
    first = loss_and_grads(p, ix[:4], ix[1:5], np.zeros(3))[0]
    assert run.history["loss"][0] == pytest.approx(first, rel=1e-13)


@pytest.mark.parametrize("k", [0, -1, 2.5, True, None, "4"])
def test_chunked_rejects_a_bad_k(make_params, k):
    p, inputs, targets, h = random_case(make_params, 5, 2, 4, 3, 0)
    with pytest.raises(ValueError, match=f"k must be a positive integer, got {k!r}"):
        bptt.chunked_loss_and_grads(p, inputs, targets, h, k)


def test_chunked_rejects_bad_sequences(make_params):
    p, inputs, targets, h = random_case(make_params, 5, 2, 4, 3, 0)
    with pytest.raises(ValueError, match="inputs have shape"):
        bptt.chunked_loss_and_grads(p, inputs, targets[:4], h, 2)
