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
        (lambda: bl.unigram_probs("ab", Vocab("ab"), alpha=0.0), "alpha must be > 0"),
        (lambda: bl.bigram_probs("ab", Vocab("ab"), alpha=-1.0), "alpha must be > 0"),
        (lambda: bl.unigram_probs("a", Vocab("ab")), "at least 2 characters"),
        (lambda: bl.baseline_losses("ab", "ac", Vocab("ab")), "outside the vocabulary: ['c']"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()
