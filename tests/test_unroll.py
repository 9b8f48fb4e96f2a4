"""The unrolled graph: process-sequence setups, learned h0, full and truncated BPTT, traces."""

import numpy as np
import pytest

from rnnlib import loss_and_grads
from rnnlib.cell import log_softmax
from rnnlib.gradcheck import check_grads
from rnnlib.unroll import (
    SETUPS,
    one_hot_inputs,
    sequence_loss,
    sequence_setup,
    unroll_backward,
    unroll_forward,
    unroll_loss_and_grads,
)

CELL = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")


def make_case(make_params, kind, B, *, D=3, V=4, H=5, init="zero", seed=0, n_in=3, n_out=2):
    """Params, dense inputs (zero at steps without input), targets and h_prev for one setup."""
    setup = sequence_setup(kind, n_in, n_in if kind == "many-to-many" else n_out)
    rng = np.random.default_rng(seed)
    p = make_params(V, H, seed, D=D, h0=init == "learned")
    lead = (B,) if B else ()
    xs = np.zeros((setup["T"], *lead, D))
    xs[setup["input_steps"]] = rng.standard_normal((len(setup["input_steps"]), *lead, D))
    targets = rng.integers(0, V, (len(setup["loss_steps"]), *lead))
    h_prev = rng.standard_normal((*lead, H)) if init == "given" else None
    return setup, p, xs, targets, h_prev


def forward_loop(p, xs, h):
    """h_t and y_t by the formula, batched rows (T, B, D) -> (T, B, H), (T, B, V)."""
    hs, ys = [], []
    for x in xs:
        h = np.tanh(x @ p["W_xh"].T + h @ p["W_hh"].T + p["b_h"])
        hs.append(h)
        ys.append(h @ p["W_hy"].T + p["b_y"])
    return np.array(hs), np.array(ys)


@pytest.mark.parametrize("init", ["zero", "learned", "given"])
@pytest.mark.parametrize("B", [0, 1, 3])
def test_forward_matches_the_formula(make_params, B, init):
    _, p, xs, _, h_prev = make_case(make_params, "many-to-many", B, init=init, n_in=4)
    hs, ys, _ = unroll_forward(p, xs, h_prev)
    X = xs[:, None] if B == 0 else xs
    h = {"zero": np.zeros((X.shape[1], 5)), "learned": np.tile(p.get("h0"), (X.shape[1], 1))}
    h["given"] = None if h_prev is None else np.reshape(h_prev, (X.shape[1], 5))
    want_h, want_y = forward_loop(p, X, h[init])
    assert hs.shape == xs.shape[:-1] + (5,) and ys.shape == xs.shape[:-1] + (4,)
    np.testing.assert_allclose(hs.reshape(want_h.shape), want_h, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(ys.reshape(want_y.shape), want_y, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("B", [None, 1, 3])
def test_all_steps_equal_loss_and_grads(make_params, B):
    rng = np.random.default_rng(1)
    p = make_params(4, 3, 1)
    shape = (6,) if B is None else (6, B)
    inputs, targets = rng.integers(0, 4, shape), rng.integers(0, 4, shape)
    h = rng.standard_normal(shape[1:] + (3,))
    loss, grads, h_last = loss_and_grads(p, inputs, targets, h)
    got, ugrads, trace = unroll_loss_and_grads(p, one_hot_inputs(inputs, 4), targets, h_prev=h)
    assert got == pytest.approx(loss, rel=1e-13)
    for k in CELL:
        np.testing.assert_allclose(ugrads[k], grads[k], rtol=1e-10, atol=1e-13, err_msg=k)
    np.testing.assert_allclose(trace["hs"][-1], h_last, rtol=1e-13, atol=1e-15)
    assert set(ugrads) == set(CELL)


def check_all(f, p, xs, h_prev, grads, trace):
    """Gradcheck every parameter and the inputs (and h_prev when given); return the errors."""
    q = {**p, "xs": xs.copy()}
    analytic = {**grads, "xs": trace["dxs"]}
    if h_prev is not None:
        q["h_prev"], analytic["h_prev"] = h_prev.copy(), trace["dh_init"]

    def g(q):
        params = {k: v for k, v in q.items() if k not in ("xs", "h_prev")}
        return f(params, q["xs"], q.get("h_prev"))

    return check_grads(g, q, analytic)


@pytest.mark.parametrize("init", ["zero", "learned", "given"])
@pytest.mark.parametrize("B", [0, 2])
@pytest.mark.parametrize("kind", SETUPS)
def test_gradcheck_full_bptt(make_params, kind, B, init):
    setup, p, xs, tg, h_prev = make_case(make_params, kind, B, init=init, seed=len(kind))
    ls = setup["loss_steps"]
    loss, grads, trace = unroll_loss_and_grads(p, xs, tg, h_prev=h_prev, loss_steps=ls)
    assert set(grads) == set(p)

    def f(q, x, h):
        return unroll_loss_and_grads(q, x, tg, h_prev=h, loss_steps=ls)[0]

    errors = check_all(f, p, xs, h_prev, grads, trace)
    assert max(errors.values()) <= 1e-7, errors


def initial_state(p, h_prev, B, H):
    """The state before step 0: p['h0'], h_prev or zeros, as (B, H) rows."""
    h_init = np.tile(p["h0"], (B, 1)) if "h0" in p else np.zeros((B, H))
    return h_init if h_prev is None else np.reshape(h_prev, (B, H))


def chunked_objective(p, xs, targets, loss_steps, k, carried, h_prev):
    """Sum over the chunks 0..k-1, k..2k-1, ... of each chunk's loss, the chunk run with the
    parameters p from the state entering it (a constant from `carried`; the first chunk starts
    from the initial state). Batched rows; mean over the batch."""
    T, B, H = xs.shape[0], xs.shape[1], p["W_hh"].shape[0]
    rows = {t: i for i, t in enumerate(loss_steps)}
    loss = 0.0
    for start in range(0, T, k):
        h = initial_state(p, h_prev, B, H) if start == 0 else carried[start - 1]
        _, ys = forward_loop(p, xs[start : start + k], h)
        for j, t in enumerate(range(start, min(start + k, T))):
            if t in rows:
                tg = np.reshape(targets[rows[t]], B)
                loss -= log_softmax(ys[j])[np.arange(B), tg].sum() / B
    return loss


def sliding_objective(p, xs, targets, loss_steps, k, carried, h_prev):
    """Sum over loss steps t of L_t, run from h_{t-k} (a constant from `carried`) through
    steps t-k+1..t with the parameters p; a window reaching step 0 starts from the initial
    state (p['h0'], h_prev or zeros). Batched rows; mean over the batch."""
    B, H = xs.shape[1], p["W_hh"].shape[0]
    h_init = initial_state(p, h_prev, B, H)
    loss = 0.0
    for i, t in enumerate(loss_steps):
        start = max(0, t - k + 1)
        h = h_init if start == 0 else carried[start - 1]
        hs, ys = forward_loop(p, xs[start : t + 1], h)
        loss -= log_softmax(ys[-1])[np.arange(B), np.reshape(targets[i], B)].sum() / B
    return loss


@pytest.mark.parametrize(
    "kind, B, k, init",
    [
        ("many-to-many", 2, 1, "zero"),
        ("many-to-many", 2, 2, "learned"),
        ("many-to-many", 0, 3, "given"),
        ("many-to-many", 3, 4, "learned"),
        ("encoder-decoder", 0, 2, "learned"),
        ("encoder-decoder", 2, 3, "given"),
        ("one-to-many", 3, 1, "learned"),
        ("one-to-many", 0, 2, "zero"),
        ("many-to-one", 2, 3, "learned"),
    ],
)
@pytest.mark.parametrize("truncation", ["chunked", "sliding"])
def test_gradcheck_truncated_bptt(make_params, kind, B, k, init, truncation):
    setup, p, xs, tg, h_prev = make_case(make_params, kind, B, init=init, seed=k, n_in=5, n_out=4)
    ls = setup["loss_steps"]
    loss, grads, trace = unroll_loss_and_grads(
        p, xs, tg, h_prev=h_prev, loss_steps=ls, k=k, truncation=truncation
    )
    hs0 = trace["hs"][:, None] if B == 0 else trace["hs"]  # states carried, held constant
    objective = chunked_objective if truncation == "chunked" else sliding_objective

    def f(q, x, h):
        x = x[:, None] if B == 0 else x
        return objective(q, x, tg, ls, k, hs0, h)

    assert f(p, xs, h_prev) == pytest.approx(loss, rel=1e-13)  # same objective value
    errors = check_all(f, p, xs, h_prev, grads, trace)
    assert max(errors.values()) <= 1e-7, errors


def test_chunked_gradient_stops_at_chunk_boundaries(make_params):
    """Loss at position j of a chunk reaches back j steps: with one loss per chunk end, dL/dh_t
    is nonzero exactly inside chunks, and a lone loss never crosses its chunk's first step."""
    setup, p, xs, tg, _ = make_case(make_params, "many-to-many", 0, n_in=10)
    T, k = 10, 4  # chunks 0-3, 4-7, 8-9
    for t in range(T):
        dys = np.zeros((T, 4))
        dys[t, tg[t]] = 1.0
        _, _, cache = unroll_forward(p, xs)
        _, tr = unroll_backward(dys, cache, k=k)
        start = (t // k) * k
        reached = np.flatnonzero(tr["dh_norms"])
        assert list(reached) == list(range(start, t + 1)), (t, reached)
        assert tr["backward_steps"] == T and not (start > 0 and tr["dh_init"].any())


@pytest.mark.parametrize("B", [0, 2])
def test_backward_steps_chunked_is_T_and_sliding_about_T_times_k(make_params, B):
    setup, p, xs, tg, _ = make_case(make_params, "many-to-many", B, n_in=12)
    T = 12
    for k in (1, 3, 5, 12, 20):
        chunked = unroll_loss_and_grads(p, xs, tg, k=k)[2]["backward_steps"]
        sliding = unroll_loss_and_grads(p, xs, tg, k=k, truncation="sliding")[2]["backward_steps"]
        assert chunked == T
        assert sliding == sum(min(k, t + 1) for t in range(T)) if k < T else sliding == T
    assert unroll_loss_and_grads(p, xs, tg, k=3, truncation="sliding")[2]["backward_steps"] == 33


@pytest.mark.parametrize("truncation", ["chunked", "sliding"])
@pytest.mark.parametrize("B", [0, 2])
def test_truncation_limits(make_params, B, truncation):
    setup, p, xs, tg, _ = make_case(make_params, "many-to-many", B, init="learned", n_in=5)
    full = unroll_loss_and_grads(p, xs, tg)
    for k in (5, 6, 100):  # k >= T is full BPTT, bit for bit
        same = unroll_loss_and_grads(p, xs, tg, k=k, truncation=truncation)
        for key in p:
            np.testing.assert_array_equal(same[1][key], full[1][key])
    short = unroll_loss_and_grads(p, xs, tg, k=1, truncation=truncation)
    assert short[0] == full[0]  # truncation changes the gradient, never the loss
    for key in ("W_hy", "b_y"):  # the output layer is not truncated
        np.testing.assert_allclose(short[1][key], full[1][key], rtol=1e-13, atol=1e-15)
    assert not np.allclose(short[1]["W_xh"], full[1]["W_xh"])
    assert np.abs(short[1]["h0"]).max() > 0  # only L_0 reaches h0 when k = 1
    with_h0 = unroll_loss_and_grads(p, xs, tg, k=1, truncation=truncation)
    only_first = unroll_loss_and_grads(p, xs[:1], tg[:1], k=1, truncation=truncation)
    np.testing.assert_allclose(with_h0[1]["h0"], only_first[1]["h0"], rtol=1e-13)


def test_k_1_chunked_and_sliding_agree(make_params):
    """A chunk of one step and a window of one step are the same cut."""
    setup, p, xs, tg, _ = make_case(make_params, "many-to-many", 2, n_in=6)
    a = unroll_loss_and_grads(p, xs, tg, k=1)[1]
    b = unroll_loss_and_grads(p, xs, tg, k=1, truncation="sliding")[1]
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("k, truncation", [(None, "chunked"), (2, "chunked"), (2, "sliding")])
@pytest.mark.parametrize("B", [0, 3])
def test_trace_is_consistent(make_params, B, k, truncation):
    setup, p, xs, tg, _ = make_case(make_params, "many-to-many", B, n_in=6)
    _, grads, tr = unroll_loss_and_grads(p, xs, tg, k=k, truncation=truncation)
    T, H = 6, 5
    assert tr["dW_hh_t"].shape == (T, H, H) and tr["dh_norms"].shape == (T,)
    assert tr["dhs"].shape == tr["hs"].shape and tr["dxs"].shape == xs.shape
    np.testing.assert_allclose(tr["dW_hh_t"].sum(axis=0), grads["W_hh"], rtol=1e-13, atol=1e-15)
    dhs = tr["dhs"].reshape(T, -1, H)
    np.testing.assert_allclose(tr["dh_norms"], np.linalg.norm(dhs.reshape(T, -1), axis=1))
    if k is None:  # dL/dh_t = W_hy^T dy_t + W_hh^T ((1 - h_{t+1}^2) * dL/dh_{t+1})
        _, dys = sequence_loss(tr["ys"], tg)
        dys, hs = dys.reshape(T, -1, 4), tr["hs"].reshape(T, -1, H)
        for t in range(T):
            back = ((1 - hs[t + 1] ** 2) * dhs[t + 1]) @ p["W_hh"] if t + 1 < T else 0.0
            np.testing.assert_allclose(dhs[t], dys[t] @ p["W_hy"] + back, atol=1e-14)


def test_vanishing_and_exploding_rates(make_params):
    p = make_params(3, 4, 0, D=2)
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))
    xs = np.zeros((10, 2))
    tg = [1]
    p["W_hh"], p["b_h"] = 0.5 * q, np.zeros(4)  # spectral norm 0.5: vanishing
    tr = unroll_loss_and_grads(p, xs, tg, h_prev=np.full(4, 0.3), loss_steps=[9])[2]
    ratios = tr["dh_norms"][:-1] / tr["dh_norms"][1:]
    assert (ratios <= 0.5 + 1e-12).all() and (ratios > 0.3).all()
    p["W_hh"] = 1.5 * q  # linear regime near h = 0: every step back multiplies by 1.5
    tr = unroll_loss_and_grads(p, xs, tg, h_prev=np.full(4, 1e-9), loss_steps=[9])[2]
    ratios = tr["dh_norms"][:-1] / tr["dh_norms"][1:]
    np.testing.assert_allclose(ratios, 1.5, rtol=1e-6)


@pytest.mark.parametrize(
    "kind, T, ins, outs",
    [
        ("one-to-one", 1, [0], [0]),
        ("one-to-many", 4, [0], [0, 1, 2, 3]),
        ("many-to-one", 3, [0, 1, 2], [2]),
        ("encoder-decoder", 7, [0, 1, 2], [3, 4, 5, 6]),
    ],
)
def test_sequence_setup(kind, T, ins, outs):
    s = sequence_setup(kind, n_in=3, n_out=4)
    assert s == {"kind": kind, "T": T, "input_steps": ins, "loss_steps": outs}
    aligned = sequence_setup("many-to-many", 5, 5)
    assert aligned["input_steps"] == aligned["loss_steps"] == list(range(5))


@pytest.mark.parametrize(
    "args, match",
    [
        (("two-to-one",), "kind must be one of .*'two-to-one'"),
        (("many-to-many", 3, 4), "n_in == n_out, got 3 and 4"),
        (("many-to-one", 0), "n_in must be a positive integer, got 0"),
        (("one-to-many", 2, -1), "n_out must be a positive integer, got -1"),
    ],
)
def test_sequence_setup_rejects(args, match):
    with pytest.raises(ValueError, match=match):
        sequence_setup(*args)


def test_one_hot_inputs_places_inputs_at_their_steps():
    xs = one_hot_inputs([[1, 2], [0, 3]], 4, steps=[0, 3], T=5)
    assert xs.shape == (5, 2, 4)
    np.testing.assert_array_equal(xs[0], np.eye(4)[[1, 2]])
    np.testing.assert_array_equal(xs[3], np.eye(4)[[0, 3]])
    assert not xs[[1, 2, 4]].any()
    np.testing.assert_array_equal(one_hot_inputs([2, 0], 3), np.eye(3)[[2, 0]])
    assert one_hot_inputs([1], 3, steps=[2]).shape == (3, 3)


@pytest.mark.parametrize(
    "args, kw, match",
    [
        (([0, 5], 4), {}, "indices holds index 5"),
        (([0, 1], 4), {"steps": [0]}, "steps has 1 entries but indices has 2 rows"),
        (([0], 4), {"steps": [3], "T": 2}, r"steps holds step 3, outside \[0, 1\]"),
        (([0, 1], 4), {"steps": [1, 1]}, "must not repeat a step"),
        (([0], 0), {}, "V must be a positive integer, got 0"),
    ],
)
def test_one_hot_inputs_rejects(args, kw, match):
    with pytest.raises(ValueError, match=match):
        one_hot_inputs(*args, **kw)


def test_sequence_loss_at_chosen_steps_and_huge_logits():
    ys = np.array([[[1e4, 0.0, -1e4]], [[0.0, 0.0, 0.0]], [[2.0, 1.0, 0.0]]])  # (T=3, B=1, V=3)
    loss, dys = sequence_loss(ys, [[2], [0]], loss_steps=[0, 2])
    want = 2e4 - log_softmax(ys[2, 0])[0]
    assert loss == pytest.approx(want, rel=1e-14)
    assert not dys[1].any() and np.isfinite(dys).all()
    np.testing.assert_allclose(dys[0, 0], [1.0, 0.0, -1.0], atol=1e-15)
    half, _ = sequence_loss(np.concatenate([ys, ys], axis=1), [[2, 2], [0, 0]], [0, 2])
    assert half == pytest.approx(loss, rel=1e-14)  # mean over the batch


@pytest.mark.parametrize(
    "targets, steps, match",
    [
        ([0, 1], [0], r"targets has shape \(2,\), expected \(1,\)"),
        ([0], [3], r"loss_steps holds step 3, outside \[0, 2\]"),
        ([0], [-1], "loss_steps holds step -1"),
        ([], [], "loss_steps must name at least one step"),
        ([0, 1], [1, 1], "must not repeat a step"),
        ([4], [0], "targets holds index 4"),
    ],
)
def test_sequence_loss_rejects(targets, steps, match):
    with pytest.raises(ValueError, match=match):
        sequence_loss(np.zeros((3, 4)), targets, steps)


def test_forward_and_backward_reject(make_params):
    p = make_params(4, 3, 0, D=2)
    with pytest.raises(ValueError, match=r"xs has shape \(5, 3\), expected \(T, 2\)"):
        unroll_forward(p, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"xs has shape \(0, 2\)"):
        unroll_forward(p, np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"h_prev has shape \(4,\), expected \(3,\)"):
        unroll_forward(p, np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match=r"h_prev has shape \(3,\), expected \(2, 3\)"):
        unroll_forward(p, np.zeros((5, 2, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"W_hy'\] has shape \(4, 2\), expected \(4, 3\)"):
        unroll_forward({**p, "W_hy": np.zeros((4, 2))}, np.zeros((5, 2)))
    learned = {**p, "h0": np.zeros(3)}
    with pytest.raises(ValueError, match="not both"):
        unroll_forward(learned, np.zeros((5, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"params\['h0'\] has shape \(2,\), expected \(3,\)"):
        unroll_forward({**p, "h0": np.zeros(2)}, np.zeros((5, 2)))
    _, ys, cache = unroll_forward(p, np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"dys has shape \(4, 4\)"):
        unroll_backward(ys[:4], cache)
    for bad in (0, -2, 2.5, True, "3"):
        with pytest.raises(ValueError, match=f"k must be a positive integer, got {bad!r}"):
            unroll_backward(ys, cache, k=bad)
    with pytest.raises(ValueError, match="truncation must be one of .*chunked.*got 'window'"):
        unroll_backward(ys, cache, k=2, truncation="window")


def test_chunk_starts():
    from rnnlib.unroll import chunk_starts

    assert chunk_starts(10, 4) == [0, 4, 8]
    assert chunk_starts(10, 1) == list(range(10))
    assert chunk_starts(10, 10) == chunk_starts(10, 99) == chunk_starts(10, None) == [0]
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError, match="k must be a positive integer"):
            chunk_starts(10, bad)
    with pytest.raises(ValueError, match="T must be a positive integer"):
        chunk_starts(0, 2)


@pytest.mark.parametrize("truncation", ["chunked", "sliding"])
@pytest.mark.parametrize("B", [0, 2])
def test_loss_reach_follows_the_truncation(make_params, B, truncation):
    from rnnlib.unroll import loss_reach

    setup, p, xs, tg, _ = make_case(make_params, "many-to-many", B, n_in=7)
    T, k = 7, 3
    full = loss_reach(p, xs, tg)
    cut = loss_reach(p, xs, tg, k=k, truncation=truncation)
    assert full.shape == (T, T) and not np.triu(full, 1).any()  # no path from h_t to L_s, t > s
    assert (np.tril(full) > 0).sum() == T * (T + 1) // 2
    for s in range(T):
        lo = (s // k) * k if truncation == "chunked" else max(0, s - k + 1)
        assert list(np.flatnonzero(cut[s])) == list(range(lo, s + 1))
        np.testing.assert_allclose(cut[s, lo : s + 1], full[s, lo : s + 1], rtol=1e-12)
    _, _, tr = unroll_loss_and_grads(p, xs, tg[-1:], loss_steps=[T - 1], k=k, truncation=truncation)
    np.testing.assert_allclose(cut[T - 1], tr["dh_norms"], rtol=1e-12)  # one loss: its trace
    one = loss_reach(p, xs, tg[:1], loss_steps=[0])
    assert one[0, 0] > 0 and not one[1:].any()


def test_grad_difference():
    from rnnlib.unroll import grad_difference

    g = {"W_xh": np.array([[3.0]]), "W_hh": np.array([[0.0]]), "b_h": np.array([4.0])}
    assert grad_difference(g, g) == (0.0, 1.0)
    half = {k: v / 2 for k, v in g.items()}
    err, cos = grad_difference(half, g)
    assert err == pytest.approx(0.5) and cos == pytest.approx(1.0)
    flip = {k: -v for k, v in g.items()}
    assert grad_difference(flip, g) == (pytest.approx(2.0), pytest.approx(-1.0))
    with pytest.raises(ValueError, match="missing"):
        grad_difference({"W_xh": g["W_xh"]}, g)
    with pytest.raises(ValueError, match="all zeros"):
        grad_difference({k: 0 * v for k, v in g.items()}, g)
    with pytest.raises(ValueError, match="entries"):
        grad_difference({**g, "b_h": np.zeros(2)}, g)


@pytest.mark.parametrize("truncation", ["chunked", "sliding"])
@pytest.mark.parametrize("B", [0, 2])
def test_cut_by_loss_is_each_loss_terms_share_of_the_error(make_params, B, truncation):
    from rnnlib.unroll import cut_by_loss, grad_difference

    setup, p, xs, tg, _ = make_case(make_params, "many-to-many", B, n_in=7)
    T, k, keys = 7, 3, ("W_xh", "W_hh", "b_h")
    cut = cut_by_loss(p, xs, tg, k=k, truncation=truncation)
    _, full, _ = unroll_loss_and_grads(p, xs, tg)
    ref = np.linalg.norm(np.concatenate([np.ravel(full[n]) for n in keys]))
    for s in range(T):  # L_s alone, through the public API: its gradients full and truncated
        one = {"loss_steps": [s], "truncation": truncation}
        _, a, _ = unroll_loss_and_grads(p, xs, tg[s : s + 1], **one)
        _, b, _ = unroll_loss_and_grads(p, xs, tg[s : s + 1], k=k, **one)
        want = np.linalg.norm(np.concatenate([np.ravel(a[n] - b[n]) for n in keys])) / ref
        assert cut[s] == pytest.approx(want, rel=1e-12, abs=1e-15)
        assert (cut[s] == 0.0) == (s < k)  # only a loss in the first k steps loses nothing
    err = grad_difference(unroll_loss_and_grads(p, xs, tg, k=k, truncation=truncation)[1], full)[0]
    assert err <= cut.sum() + 1e-12  # the parts add up as vectors: triangle inequality
    assert not cut_by_loss(p, xs, tg, k=T, truncation=truncation).any()  # k = T: nothing cut
    with pytest.raises(ValueError, match="k must be"):
        cut_by_loss(p, xs, tg, k=0)
