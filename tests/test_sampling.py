"""Sampling semantics: greedy, top-k, temperature, determinism and the exact first draw."""

import numpy as np
import pytest

from rnnlib import Vocab, loss_and_grads, sample, sample_steps
from rnnlib.cell import softmax
from rnnlib.sampling import (
    after_prompt,
    draw,
    entropy,
    next_distribution,
    state_after,
)

V, H = 5, 4


@pytest.fixture
def params(make_params):
    return make_params(V, H, 3, scale=1.0)


def greedy_loop(p, h, ix, n):
    """Independent greedy decoder: feed back the argmax of y_t each step."""
    out = []
    for _ in range(n):
        h = np.tanh(p["W_xh"][:, ix] + p["W_hh"] @ h + p["b_h"])
        ix = int(np.argmax(p["W_hy"] @ h + p["b_y"]))
        out.append(ix)
    return out


@pytest.mark.parametrize("seed_ix", range(V))
def test_temperature_zero_is_greedy_argmax(params, seed_ix):
    h = np.linspace(-0.5, 0.5, H)
    want = greedy_loop(params, h, seed_ix, 12)
    assert sample(params, h, seed_ix, 12, temperature=0) == want
    assert sample(params, h, seed_ix, 12, temperature=0.0, rng=99) == want  # rng is not used


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_top_k_one_equals_greedy(params, temperature, seed):
    h = np.zeros(H)
    got = sample(params, h, 1, 15, temperature=temperature, top_k=1, rng=seed)
    assert got == greedy_loop(params, h, 1, 15)


def test_same_seed_same_sequence(params):
    h = np.zeros(H)
    a = sample(params, h, 0, 40, rng=7)
    assert a == sample(params, h, 0, 40, rng=np.random.default_rng(7))
    assert sample(params, h, 0, 40) == sample(params, h, 0, 40, rng=0)  # None means seed 0
    assert a != sample(params, h, 0, 40, rng=8)
    assert all(isinstance(i, int) and 0 <= i < V for i in a) and len(a) == 40


def test_n_zero_gives_an_empty_list(params):
    assert sample(params, np.zeros(H), 2, 0) == []
    steps = sample_steps(params, np.zeros(H), 2, 0)
    assert steps["ix"].shape == (0,) and steps["h"].shape == (0, H)


def test_each_sample_is_fed_back(params):
    s = sample_steps(params, np.zeros(H), 3, 10, rng=1)
    assert s["inputs"][0] == 3
    np.testing.assert_array_equal(s["inputs"][1:], s["ix"][:-1])


def test_first_draw_is_the_inverse_cdf_of_softmax(params):
    """At temperature 1 the first index is the i with F(i-1) <= u < F(i), F the CDF of
    softmax(y_1) and u the generator's first uniform number: exact, seed by seed."""
    h = np.full(H, 0.2)
    h1 = np.tanh(params["W_xh"][:, 2] + params["W_hh"] @ h + params["b_h"])
    p = softmax(params["W_hy"] @ h1 + params["b_y"])
    F = np.cumsum(p)
    counts = np.zeros(V)
    for seed in range(400):
        u = np.random.default_rng(seed).random()
        want = int(np.sum(F <= u))  # number of CDF steps at or below u
        got = sample(params, h, 2, 1, rng=seed)[0]
        assert got == want, (seed, u, F)
        counts[got] += 1
    steps = sample_steps(params, h, 2, 1)
    np.testing.assert_allclose(steps["p"][0], p, rtol=1e-14)
    assert (counts > 0).sum() >= 3


def test_draw_frequencies_follow_p():
    p = np.array([0.1, 0.0, 0.25, 0.4, 0.25])
    rng = np.random.default_rng(0)
    n = 20000
    counts = np.bincount([draw(p, rng) for _ in range(n)], minlength=5)
    assert counts[1] == 0  # zero probability is never drawn
    keep = p > 0
    chi2 = np.sum((counts[keep] - n * p[keep]) ** 2 / (n * p[keep]))
    assert chi2 < 16.27  # 99.9% quantile of chi-square with 3 degrees of freedom


def test_next_distribution_temperature_and_top_k():
    y = np.array([2.0, -1.0, 0.5, 2.0, 1.0])
    np.testing.assert_allclose(next_distribution(y, 0.5), softmax(y / 0.5), rtol=1e-15)
    np.testing.assert_array_equal(next_distribution(y, 0), [1, 0, 0, 0, 0])  # first argmax
    assert np.ptp(next_distribution(y, 1e6)) < 1e-5  # hot: near uniform
    p2 = next_distribution(y, 1.0, top_k=3)
    assert np.count_nonzero(p2) == 3 and p2.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(p2[[0, 3, 4]], softmax(y[[0, 3, 4]]), rtol=1e-14)
    np.testing.assert_array_equal(next_distribution(y, 1.0, top_k=V), next_distribution(y))
    np.testing.assert_array_equal(next_distribution(y, 1.0, top_k=1), [1, 0, 0, 0, 0])
    p_cold = next_distribution(y * 1e4, 1e-3)  # logits of 1e7 after scaling
    assert np.isfinite(p_cold).all() and p_cold[[0, 3]].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"temperature": -1.0}, "temperature must be a finite number >= 0, got -1.0"),
        ({"temperature": float("nan")}, "temperature must be a finite number >= 0, got nan"),
        ({"temperature": float("inf")}, "temperature must be a finite number >= 0, got inf"),
        ({"temperature": "hot"}, "temperature must be a finite number >= 0, got 'hot'"),
        ({"top_k": 0}, "top_k must be an integer >= 1 or None, got 0"),
        ({"top_k": -2}, "top_k must be an integer >= 1 or None, got -2"),
        ({"top_k": 1.5}, "top_k must be an integer >= 1 or None, got 1.5"),
        ({"seed_ix": -1}, r"seed_ix holds index -1, outside the vocabulary \[0, 4\]"),
        ({"seed_ix": V}, r"seed_ix holds index 5, outside the vocabulary \[0, 4\]"),
        ({"n": -1}, "n must be a non-negative integer, got -1"),
        ({"n": 2.5}, "n must be a non-negative integer, got 2.5"),
        ({"h": np.zeros(H + 1)}, r"h has shape \(5,\), expected \(4,\)"),
        ({"rng": "seed"}, "rng must be a numpy Generator, an int seed or None, got 'seed'"),
    ],
)
def test_rejects_bad_input(params, kw, match):
    args = {"h": np.zeros(H), "seed_ix": 0, "n": 3, **kw}
    with pytest.raises(ValueError, match=match):
        sample(params, args.pop("h"), args.pop("seed_ix"), args.pop("n"), **args)


@pytest.mark.parametrize("temperature", [1e-300, 1e-320])
def test_tiny_temperature_is_greedy_not_nan(temperature):
    p = next_distribution(np.array([1.0, 2.0, 3.0, 1e308]), temperature)
    np.testing.assert_array_equal(p, [0.0, 0.0, 0.0, 1.0])


@pytest.mark.parametrize("V", [1, 4, 37])
def test_entropy_uniform_is_log_v_and_one_hot_is_zero(V):
    assert entropy(np.full(V, 1.0 / V)) == pytest.approx(np.log(V), rel=1e-12)
    one_hot = np.eye(V)[0]
    assert entropy(one_hot) == 0.0
    assert str(entropy(one_hot)) == "0.0"  # no negative zero in printed output


def test_entropy_known_value_and_zero_terms():
    assert entropy([0.5, 0.5, 0.0]) == pytest.approx(np.log(2), rel=1e-12)
    p = np.array([0.7, 0.2, 0.1])
    assert entropy(p) == pytest.approx(-(p * np.log(p)).sum(), rel=1e-12)


def test_state_after_matches_the_forward_pass(params):
    ix = np.array([0, 3, 2, 4])
    _, _, h_last = loss_and_grads(params, ix, ix, np.zeros(H))
    np.testing.assert_allclose(state_after(params, ix), h_last, rtol=0, atol=1e-14)
    assert np.array_equal(state_after(params, []), np.zeros(H))


def test_after_prompt_gives_the_samplers_first_distribution(params):
    vocab = Vocab("ab cd", order="given")
    h, seed_ix, y = after_prompt(params, vocab, "ab c")
    assert seed_ix == vocab.index["c"]
    np.testing.assert_allclose(h, state_after(params, vocab.encode("ab ")), atol=1e-15)
    first = sample_steps(params, h, seed_ix, 1)
    np.testing.assert_allclose(first["y"][0], y, rtol=1e-13, atol=1e-15)
    with pytest.raises(ValueError, match="prompt must hold at least one character"):
        after_prompt(params, vocab, "")
