"""Tests for rnnlib.training and rnnlib.optim: the loop, the optimizers, the "hello" claims."""

import numpy as np
import pytest

from rnnlib import Vocab, init_params, loss_and_grads, sample
from rnnlib.optim import Optimizer
from rnnlib.training import per_char_loss, streams, train, train_step

HELO = Vocab("helo", order="given")  # [h, e, l, o]
TWO_LN_2 = 2.0 * np.log(2.0)


def reference_train(ix, params, T, B, n, method, lr, clip, freeze=()):
    """An independent, dict-based replica of the training loop (streams, carry, reset, updates)."""
    L = (len(ix) - 1) // B
    X = np.stack([ix[b * L : b * L + L] for b in range(B)], axis=1)
    Y = np.stack([ix[b * L + 1 : b * L + L + 1] for b in range(B)], axis=1)
    p = {k: v.copy() for k, v in params.items()}
    s1 = {k: np.zeros_like(v) for k, v in p.items()}
    s2 = {k: np.zeros_like(v) for k, v in p.items()}
    h, pos, losses = np.zeros((B, p["W_hh"].shape[0])), 0, []
    for t in range(1, n + 1):
        if pos >= L:
            pos, h = 0, np.zeros_like(h)
        loss, grads, h = loss_and_grads(p, X[pos : pos + T], Y[pos : pos + T], h)
        losses.append(loss)
        pos += T
        for k in p:
            g = (
                np.zeros_like(p[k])
                if k in freeze
                else np.minimum(np.maximum(grads[k], -clip), clip)
            )
            if method == "sgd":
                p[k] -= lr * g
            elif method == "adagrad":
                s1[k] += g**2
                p[k] -= lr * g / np.sqrt(s1[k] + 1e-8)
            else:
                s1[k] = 0.9 * s1[k] + 0.1 * g
                s2[k] = 0.999 * s2[k] + 0.001 * g**2
                m_hat, v_hat = s1[k] / (1 - 0.9**t), s2[k] / (1 - 0.999**t)
                p[k] -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)
    return p, np.array(losses)


@pytest.mark.parametrize("method,lr", [("sgd", 0.05), ("adagrad", 0.1), ("adam", 0.01)])
@pytest.mark.parametrize("B", [1, 3])
def test_train_matches_reference_loop(method, lr, B):
    rng = np.random.default_rng(5)
    ix = rng.integers(0, 6, size=3 * 17 + 1)  # L = 17 per stream at B = 3: chunks 5, 5, 5, 2
    params = init_params(6, 4, rng=1, scale=0.5)
    n = 11  # crosses the end of the streams twice at B = 3 (state reset)
    res = train(ix, params, vocab=Vocab("abcdef"), seq_length=5, batch_size=B,
                optimizer=method, lr=lr, clip=0.3, n_iters=n)  # fmt: skip
    ref, losses = reference_train(ix, params, 5, B, n, method, lr, 0.3)
    np.testing.assert_allclose(res.history["loss"], losses, rtol=1e-12)
    for k in ref:
        np.testing.assert_allclose(res.params[k], ref[k], rtol=1e-11, atol=1e-13)


def test_streams_layout():
    ix = np.arange(23)
    X, Y = streams(ix, 4)  # L = (23 - 1) // 4 = 5
    assert X.shape == Y.shape == (5, 4)
    np.testing.assert_array_equal(X[:, 1], [5, 6, 7, 8, 9])  # stream b starts at b L
    np.testing.assert_array_equal(Y, X + 1)  # targets = inputs advanced by one
    assert Y.max() <= 22
    with pytest.raises(ValueError, match="too short for 4 streams"):
        streams(np.arange(4), 4)


@pytest.mark.parametrize(
    "method,lr,n", [("adagrad", 0.1, 2000), ("adam", 0.1, 300), ("sgd", 0.1, 1500)]
)
def test_hello_learns_and_samples_ello(method, lr, n):
    res = train("hello", vocab=HELO, hidden_size=3, seq_length=4, optimizer=method, lr=lr,
                n_iters=n, rng=0)  # fmt: skip
    assert res.history["loss"][-1] < 0.01  # summed over the 4 predictions
    greedy = sample(res.params, np.zeros(3), HELO.index["h"], 4, temperature=0)
    assert HELO.decode(greedy) == "ello"


def test_hello_without_memory_stalls_at_two_ln_two():
    # With W_hh = 0, h_t depends on x_t alone, so the model predicts one distribution q per input
    # character. The input l occurs twice, followed once by l and once by o, so the loss contains
    # -ln q(l) - ln q(o) >= -2 ln((q(l) + q(o)) / 2) >= 2 ln 2 (AM-GM, q(l) + q(o) <= 1); the
    # other two terms are >= 0. The floor 2 ln 2 is approached as h -> e and e -> l become sure.
    params = init_params(4, 3, rng=0)
    params["W_hh"][:] = 0.0
    res = train("hello", params, vocab=HELO, seq_length=4, optimizer="adam", lr=0.1, n_iters=600,
                freeze=("W_hh",))  # fmt: skip
    assert np.all(res.params["W_hh"] == 0.0)
    assert res.history["loss"].min() >= TWO_LN_2 - 1e-6
    assert res.history["loss"][-1] < TWO_LN_2 + 0.05
    free = train("hello", params, vocab=HELO, seq_length=4, optimizer="adam", lr=0.1, n_iters=600)
    assert free.history["loss"][-1] < 0.01  # the same start with memory gets below the floor


def test_history_and_smoothing():
    text = "the cat sat on the mat. " * 4
    res = train(text, hidden_size=8, seq_length=10, n_iters=12, smoothing=0.9)
    hist, V = res.history, len(res.vocab)
    assert all(len(v) == 12 for v in hist.values())
    np.testing.assert_array_equal(hist["iteration"], np.arange(12))
    chars = [10] * 9 + [5, 10, 10]  # L = 95: nine chunks of 10, one of 5, then start over
    np.testing.assert_allclose(hist["loss_per_char"], hist["loss"] / chars)
    s = np.log(V)  # smoothing starts at the uniform model's ln V
    for it in range(12):
        s = 0.9 * s + 0.1 * hist["loss_per_char"][it]
        assert hist["smooth_loss_per_char"][it] == pytest.approx(s, rel=1e-12)
    np.testing.assert_allclose(hist["smooth_loss"], hist["smooth_loss_per_char"] * 10)


def test_callback_every_and_stop():
    seen = []

    def cb(info):
        seen.append((info.iteration, info.loss_per_char, info.h.shape))
        return info.iteration < 6

    res = train("abcabcabcabd", hidden_size=5, seq_length=3, n_iters=20, callback=cb,
                callback_every=3, batch_size=2)  # fmt: skip
    assert [s[0] for s in seen] == [3, 6]
    assert res.stopped and len(res.history["loss"]) == 6
    assert seen[1][1] == res.history["loss_per_char"][5] and seen[0][2] == (2, 5)
    calls = []
    train("abcabc", hidden_size=4, seq_length=2, n_iters=7, callback=calls.append, callback_every=3)
    assert [c.iteration for c in calls] == [3, 6, 7]  # the last iteration is always reported


def test_snapshots_are_copies_at_requested_iterations():
    res = train("hello", vocab=HELO, hidden_size=3, seq_length=4, n_iters=10, snapshot_every=4)
    assert sorted(res.snapshots) == [0, 4, 8, 10]
    np.testing.assert_array_equal(res.snapshots[0]["W_hy"], init_params(4, 3, rng=None)["W_hy"])
    np.testing.assert_array_equal(res.snapshots[10]["W_hy"], res.params["W_hy"])
    assert not np.array_equal(res.snapshots[4]["W_hy"], res.snapshots[8]["W_hy"])
    x, y = HELO.encode("hell"), HELO.encode("ello")  # one chunk per pass, state reset each time
    loss4, _, _ = loss_and_grads(res.snapshots[4], x, y, np.zeros(3))
    assert loss4 == pytest.approx(res.history["loss"][4], rel=1e-12)  # loss i uses snapshot i


def test_same_seed_gives_identical_params():
    a = train("hello world", hidden_size=6, seq_length=4, n_iters=50, rng=3, batch_size=2)
    b = train("hello world", hidden_size=6, seq_length=4, n_iters=50, rng=3, batch_size=2)
    c = train("hello world", hidden_size=6, seq_length=4, n_iters=50, rng=4, batch_size=2)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W_xh"], c.params["W_xh"])


def test_non_finite_loss_stops_with_clear_error():
    with pytest.raises(ValueError, match=r"diverged at iteration 1: the loss is (nan|inf)"):
        train("hello", vocab=HELO, hidden_size=3, seq_length=4, optimizer="sgd", lr=1e308,
              clip=None, n_iters=5, rng=0)  # fmt: skip
    bad = init_params(4, 3)
    bad["b_y"][2] = np.nan
    with pytest.raises(ValueError, match=r"params\['b_y'\] holds non-finite"):
        train("hello", bad, vocab=HELO, n_iters=2)


def test_train_step_updates_in_place():
    opt = Optimizer(init_params(4, 3, rng=2), "sgd", lr=0.05, clip=5.0, freeze="b_y")
    W = opt.params["W_hy"]
    x, y = HELO.encode("hell"), HELO.encode("ello")
    loss0, _, _ = loss_and_grads(opt.params, x, y, np.zeros(3))
    before = opt.flat.copy()
    loss, h = train_step(opt, x, y, np.zeros(3))
    assert loss == loss0 and h.shape == (3,) and opt.t == 1
    assert opt.params["W_hy"] is W and np.shares_memory(W, opt.flat)  # views, updated in place
    assert not np.array_equal(before, opt.flat)
    np.testing.assert_array_equal(opt.params["b_y"], 0.0)  # frozen
    loss1, _, _ = loss_and_grads(opt.params, x, y, np.zeros(3))
    assert loss1 < loss0


def test_per_char_loss_is_independent_of_chunking():
    params = init_params(4, 3, rng=1, scale=0.7)
    ix = np.random.default_rng(0).integers(0, 4, 40)
    full, _, _ = loss_and_grads(params, ix[:-1], ix[1:], np.zeros(3))
    assert per_char_loss(params, ix, chunk=7) == pytest.approx(full / 39, rel=1e-12)
    zero = {k: np.zeros_like(v) for k, v in params.items()}
    assert per_char_loss(zero, "hello", HELO) == pytest.approx(np.log(4))  # uniform: ln V


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"optimizer": "rmsprop"}, "optimizer must be one of"),
        ({"lr": 0.0}, "lr must be a finite number > 0"),
        ({"lr": float("nan")}, "lr must be"),
        ({"clip": -1.0}, "clip must be"),
        ({"freeze": ("W_hx",)}, "cannot freeze 'W_hx'"),
        ({"seq_length": 0}, "seq_length must be a positive integer"),
        ({"n_iters": -1}, "n_iters must be a non-negative integer"),
        ({"smoothing": 1.0}, "smoothing must lie in"),
        ({"batch_size": 5}, "too short for 5 streams"),
        ({"params": init_params(5, 3)}, "params have V=5, but the vocabulary has 4"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train("hello", **{"hidden_size": 3, "n_iters": 2, **kwargs})


def test_bad_data():
    with pytest.raises(ValueError, match="non-empty string"):
        train("", n_iters=1)
    with pytest.raises(ValueError, match="needs a vocab or params"):
        train([0, 1, 2], n_iters=1)
    with pytest.raises(ValueError, match="outside the vocabulary"):
        train([0, 1, 7], vocab=HELO, n_iters=1)
    with pytest.raises(ValueError, match="1-D index array"):
        train(np.zeros((3, 2), dtype=int), vocab=HELO, n_iters=1)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        train("help", vocab=HELO, n_iters=1)
