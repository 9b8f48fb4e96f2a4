"""Tests for rnnlib.baselines: counting models, checked by hand on tiny texts."""

import re

import numpy as np
import pytest

from rnnlib import baselines as bl
from rnnlib.vocab import Vocab


def test_units():
    assert bl.bits(np.log(2.0)) == pytest.approx(1.0)
    assert bl.perplexity(np.log(35.0)) == pytest.approx(35.0)
    assert isinstance(bl.bits(1.0), float) and isinstance(bl.perplexity(1.0), float)


def test_unigram_by_hand():
    v = Vocab("ab")
    np.testing.assert_allclose(bl.unigram_probs("aab", v, alpha=1.0), [3 / 5, 2 / 5])
    np.testing.assert_allclose(bl.unigram_probs("aab", v, alpha=1e-9), [2 / 3, 1 / 3])


def test_bigram_by_hand():
    v = Vocab("ab")
    p = bl.bigram_probs("abab", v, alpha=1.0)  # pairs ab, ba, ab
    np.testing.assert_allclose(p, [[1 / 4, 3 / 4], [2 / 3, 1 / 3]])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_baseline_losses_by_hand():
    v = Vocab("ab")
    losses = bl.baseline_losses("abab", "aba", v, alpha=1.0)
    assert losses["uniform"] == pytest.approx(np.log(2))
    uni = bl.unigram_probs("abab", v)  # predicts held[1:] = "ba"
    assert losses["unigram"] == pytest.approx(-np.mean(np.log([uni[1], uni[0]])))
    bi = bl.bigram_probs("abab", v)  # a -> b, then b -> a
    assert losses["bigram"] == pytest.approx(-np.mean(np.log([bi[0, 1], bi[1, 0]])))
    assert losses["bigram"] < losses["unigram"] <= losses["uniform"]  # alternation: context helps


def test_a_perfectly_predictable_text_approaches_zero_with_little_smoothing():
    losses = bl.baseline_losses("ab" * 50, "abab", Vocab("ab"), alpha=1e-6)
    assert losses["bigram"] < 1e-5


@pytest.mark.parametrize(
    "call, words",
    [
        (
            lambda: bl.unigram_probs("ab", Vocab("ab"), alpha=0.0),
            "alpha must be a finite number > 0, got 0.0",
        ),
        (
            lambda: bl.bigram_probs("ab", Vocab("ab"), alpha=-1.0),
            "alpha must be a finite number > 0, got -1.0",
        ),
        (lambda: bl.unigram_probs("a", Vocab("ab")), "at least 2 characters"),
        (lambda: bl.baseline_losses("ab", "ac", Vocab("ab")), "outside the vocabulary: ['c']"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()


def witten_bell_by_dicts(text, n, V, chars):
    """An independent Witten-Bell model: plain dicts keyed by context strings, recursion by hand."""
    follow = {}  # context -> {next char: count}
    for k in range(1, n + 1):
        for i in range(len(text) - k + 1):
            u, c = text[i : i + k - 1], text[i + k - 1]
            follow.setdefault(u, {}).setdefault(c, 0)
            follow[u][c] += 1

    def p(c, u):  # p_k(c | u) with k - 1 = len(u)
        lower = p(c, u[1:]) if u else 1.0 / V  # p_{k-1}(c | u'), p_0 = 1 / V
        seen = follow.get(u)
        if not seen:
            return lower
        N, T = sum(seen.values()), len(seen)
        return (seen.get(c, 0) + T * lower) / (N + T)

    def probs(history):
        u = history[max(len(history) - (n - 1), 0) :] if n > 1 else ""
        return np.array([p(c, u) for c in chars])

    return probs


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_witten_bell_matches_a_dict_implementation(n):
    text, v = "the cat sat on the mat. the hat", Vocab("the cat sat on the mat. the hat")
    model = bl.ngram_model(text, v, n)
    ref = witten_bell_by_dicts(text, n, len(v), v.chars)
    for history in ["", "t", "th", "the", "at ", "mat", "hh", " . "]:
        np.testing.assert_allclose(model.probs(v.encode(history)), ref(history), rtol=1e-13)


def test_witten_bell_by_hand():
    v = Vocab("ab")
    model = bl.ngram_model("aab", v, 2)  # unigram: a 2, b 1 (T = 2); after a: a 1, b 1 (T = 2)
    uni = np.array([(2 + 2 * 0.5) / (3 + 2), (1 + 2 * 0.5) / (3 + 2)])  # [0.6, 0.4]
    np.testing.assert_allclose(model.probs([]), uni)
    np.testing.assert_allclose(model.probs([0]), (np.array([1, 1]) + 2 * uni) / (2 + 2))
    np.testing.assert_allclose(model.probs([1]), uni)  # b was never followed: back to p_1


@pytest.mark.parametrize("smoothing", [bl.WITTEN_BELL, 1.0, 0.05])
@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_ngram_probabilities_sum_to_one_for_any_context(n, smoothing):
    text = "the cat sat on the mat, and the rat ran at the cat. "
    v = Vocab(text + "qz")  # q and z never occur: every context holding them is unseen
    model = bl.ngram_model(text, v, n, smoothing)
    rng = np.random.default_rng(0)
    histories = [[], [v.index["t"]], v.encode("the "), v.encode("qzq"), v.encode("zt")]
    histories += [rng.integers(0, len(v), size=s) for s in (1, 2, 4, 7) for _ in range(5)]
    for h in histories:
        p = model.probs(h)
        assert p.shape == (len(v),) and np.all(p > 0)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_add_alpha_ngrams_of_order_1_and_2_are_the_unigram_and_bigram():
    text = "abracadabra, a cab"
    v = Vocab(text + "z")
    for alpha in (1.0, 0.3):
        uni = bl.ngram_model(text, v, 1, alpha)
        np.testing.assert_allclose(uni.probs([]), bl.unigram_probs(text, v, alpha), rtol=1e-14)
        bi, table = bl.ngram_model(text, v, 2, alpha), bl.bigram_probs(text, v, alpha)
        for b in range(len(v)):
            np.testing.assert_allclose(bi.probs([b]), table[b], rtol=1e-14)
    held = "a bad cab, abracadabra"
    losses = bl.baseline_losses(text, held, v)
    for n, name in ((1, "unigram"), (2, "bigram")):
        model = bl.ngram_model(text, v, n, 1.0)
        assert bl.ngram_loss(model, held, v) == pytest.approx(losses[name], rel=1e-14)


@pytest.mark.parametrize("smoothing", [bl.WITTEN_BELL, 0.5])
def test_ngram_loss_is_the_mean_of_one_prediction_at_a_time(smoothing):
    text, held = "the cat sat on the mat. " * 3, "the rat sat on a hat."
    v = Vocab(text + held)
    model = bl.ngram_model(text, v, 4, smoothing)
    ix = v.encode(held)
    one_by_one = [-np.log(model.probs(ix[max(t - 3, 0) : t])[ix[t]]) for t in range(1, len(ix))]
    assert bl.ngram_loss(model, held, v) == pytest.approx(np.mean(one_by_one), rel=1e-13)


def test_more_context_helps_on_a_repetitive_text():
    text = "one two three four five six seven. " * 20
    v = Vocab(text)
    losses = [bl.ngram_loss(bl.ngram_model(text, v, n), text[:80], v) for n in (1, 2, 3, 4)]
    assert all(a > b for a, b in zip(losses[:-1], losses[1:], strict=True))


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: bl.ngram_model("abab", Vocab("ab"), 0), "n must be a positive integer, got 0"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), 2.0), "n must be a positive integer"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), True), "n must be a positive integer"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), 5), "at most the text's length 4"),
        (lambda: bl.ngram_model("ab" * 40, Vocab("ab"), 62), "below 2^62, got n = 62"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), 2, "kneser-ney"), "or a count alpha > 0"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), 2, 0.0), "or a count alpha > 0, got 0.0"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), 2, np.inf), "or a count alpha > 0"),
        (lambda: bl.ngram_model("abac", Vocab("ab"), 2), "outside the vocabulary: ['c']"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), 2).probs([0, 2]), "indices in [0, 2)"),
        (lambda: bl.ngram_model("abab", Vocab("ab"), 2).probs([0.5]), "indices in [0, 2)"),
        (
            lambda: bl.ngram_loss(bl.ngram_model("abab", Vocab("ab"), 2), "a", Vocab("ab")),
            "at least 2 characters",
        ),  # fmt: skip
    ],
)
def test_ngram_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()


def test_ngram_losses_is_one_model_per_order():
    text, held = "the cat sat on the mat. " * 3, "the rat sat on a hat."
    v = Vocab(text + held)
    losses = bl.ngram_losses(text, held, v, range(1, 4))
    assert list(losses) == [1, 2, 3]
    for n, loss in losses.items():
        assert loss == bl.ngram_loss(bl.ngram_model(text, v, n), held, v)
