"""What a character model's loss should be compared with: counting models and the units.

A loss of L nats per character is L / ln 2 bits per character, and a perplexity of e^L: the
model is as uncertain as a uniform choice among e^L characters. Three baselines that need no
network, each fitted on the training text and scored on held-out text:

- uniform: every character 1/V, loss ln V;
- unigram: p(c) from the character counts, the best model that ignores all context;
- bigram: p(c | previous character) from pair counts, a context of one character.

Counts get add-alpha smoothing (alpha added to every count), so a character or pair never seen
in training still has a probability above 0 and the held-out loss stays finite.

NGram generalises them to a context of n - 1 characters, by default with Witten-Bell
interpolation, a fixed rule with nothing to tune: with N(u c) the count of context u followed
by c, N(u) = sum_c N(u c) and T(u) the number of distinct characters seen after u,

    p_k(c | u) = (N(u c) + T(u) p_{k-1}(c | u')) / (N(u) + T(u)),   p_0(c) = 1 / V,

where u' is u without its oldest character; a context never seen (N(u) = 0) gets p_{k-1}.
T(u) / (N(u) + T(u)) is the weight left to the shorter context: large when u was followed by
many different characters, each only a few times.
"""

from dataclasses import dataclass

import numpy as np

from . import _check
from .vocab import Vocab


def bits(nats):
    """A loss in nats per character as bits per character: nats / ln 2."""
    return float(nats / np.log(2.0))


def perplexity(nats):
    """The perplexity e^L of a loss of L nats per character."""
    return float(np.exp(nats))


def _indices(text, vocab, name):
    if not isinstance(text, str) or len(text) < 2:
        raise ValueError(f"{name} must be a string of at least 2 characters, got {text!r:.40}")
    unknown = sorted(set(text) - set(vocab.chars))
    if unknown:
        raise ValueError(f"{name} holds characters outside the vocabulary: {unknown[:5]}")
    return vocab.encode(text)


def unigram_probs(text, vocab, alpha=1.0):
    """p(c) = (count(c) + alpha) / (len(text) + alpha V) over the vocabulary; returns (V,)."""
    alpha = _check.positive_number("alpha", alpha)  # > 0 keeps unseen characters possible
    counts = np.bincount(_indices(text, vocab, "text"), minlength=len(vocab)) + alpha
    return counts / counts.sum()


def bigram_probs(text, vocab, alpha=1.0):
    """p(c | b) = (count(b c) + alpha) / (count(b .) + alpha V); returns (V, V), rows b."""
    alpha = _check.positive_number("alpha", alpha)  # > 0 keeps unseen pairs possible
    ix = _indices(text, vocab, "text")
    V = len(vocab)
    counts = np.full((V, V), float(alpha))
    np.add.at(counts, (ix[:-1], ix[1:]), 1.0)
    return counts / counts.sum(axis=1, keepdims=True)


def baseline_losses(train_text, held_text, vocab=None, alpha=1.0):
    """Held-out loss in nats per character of the uniform, unigram and bigram models.

    Each model predicts held_text[1:] (the characters a next-character model predicts, as
    per_char_loss does), the bigram from the character before. Inputs: train_text, held_text
    (str); vocab (None: Vocab.from_text of both); alpha the smoothing count.
    Returns a dict: uniform, unigram, bigram (floats).
    """
    vocab = Vocab.from_text(train_text + held_text) if vocab is None else vocab
    held = _indices(held_text, vocab, "held_text")
    prev, nxt = held[:-1], held[1:]
    uni = unigram_probs(train_text, vocab, alpha)
    bi = bigram_probs(train_text, vocab, alpha)
    return {
        "uniform": float(np.log(len(vocab))),
        "unigram": float(-np.mean(np.log(uni[nxt]))),
        "bigram": float(-np.mean(np.log(bi[prev, nxt]))),
    }


WITTEN_BELL = "witten-bell"


def _codes(ix, k, V):
    """The k-grams of an index sequence as base-V integers (int64), one per start position."""
    n = len(ix) - k + 1
    code = np.zeros(max(n, 0), dtype=np.int64)
    for i in range(k):
        code = code * V + ix[i : i + n]  # append one more character: code * V + index
    return code


def _lookup(keys, values, query):
    """values[i] where keys[i] == query (keys sorted), 0 where the query is not among the keys."""
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[pos] == query, values[pos], 0)


@dataclass(frozen=True)
class NGram:
    """A smoothed n-gram model of a text: p(c | the n - 1 characters before c).

    Build it with ngram_model. Fields: n; V; smoothing (WITTEN_BELL or an add-alpha count);
    grams[k - 1] = (codes, counts) of the k-grams seen, k = 1 .. n, codes sorted; contexts[k - 1]
    = (codes, N(u), T(u)) of their (k - 1)-character contexts u.
    """

    n: int
    V: int
    smoothing: object
    grams: tuple
    contexts: tuple

    def predict(self, context, nxt):
        """p(nxt | context) for M cases at once.

        Inputs: context (M, n - 1) indices, -1 where the text has no character yet (the
        start: then the longest context available is used); nxt (M,) indices. Returns (M,).
        """
        M = len(nxt)
        p = np.full(M, 1.0 / self.V)  # p_0: uniform
        for k in range(1, self.n + 1):
            u = context[:, context.shape[1] - (k - 1) :]  # the last k - 1 characters
            seen = np.all(u >= 0, axis=1)  # the text has k - 1 characters before c
            code = np.zeros(M, dtype=np.int64)
            for j in range(k - 1):
                code = code * self.V + np.maximum(u[:, j], 0)
            g_keys, g_counts = self.grams[k - 1]
            c_keys, N_u, T_u = self.contexts[k - 1]
            N_uc = _lookup(g_keys, g_counts, code * self.V + nxt).astype(np.float64)
            N_u, T_u = _lookup(c_keys, N_u, code), _lookup(c_keys, T_u, code)
            if self.smoothing == WITTEN_BELL:
                with np.errstate(invalid="ignore", divide="ignore"):
                    mixed = (N_uc + T_u * p) / (N_u + T_u)  # interpolate with p_{k-1}
                p = np.where(seen & (N_u > 0), mixed, p)
            else:
                a = self.smoothing
                p = np.where(seen, (N_uc + a) / (N_u + a * self.V), p)  # add-alpha
        return p

    def probs(self, history):
        """The distribution (V,) of the character after `history` (indices; only the last
        n - 1 count, a shorter history uses the context it has)."""
        h = np.asarray(history).reshape(-1)
        if h.size and (h.dtype.kind not in "iu" or np.any((h < 0) | (h >= self.V))):
            raise ValueError(f"history must hold indices in [0, {self.V}), got {h!r:.60}")
        h = h[max(h.size - (self.n - 1), 0) :].astype(np.int64) if self.n > 1 else h[:0]
        row = np.concatenate([np.full(self.n - 1 - len(h), -1), h])
        return self.predict(np.tile(row, (self.V, 1)), np.arange(self.V))


def ngram_model(text, vocab, n, smoothing=WITTEN_BELL):
    """Count the 1- to n-grams of a training text; returns an NGram.

    Inputs: text (str, >= 2 characters, all in vocab); vocab; n >= 1 (n - 1 characters of
    context); smoothing WITTEN_BELL (interpolated, see the module docstring) or a number
    alpha > 0 (add-alpha on the n-grams alone: n = 1 and 2 are unigram_probs, bigram_probs).
    """
    n = _check.positive_int("n", n)
    if smoothing != WITTEN_BELL:
        try:
            smoothing = _check.positive_number("alpha", smoothing)
        except ValueError:
            raise ValueError(
                f"smoothing must be {WITTEN_BELL!r} or a count alpha > 0, got {smoothing!r}"
            ) from None
    ix = _indices(text, vocab, "text")
    V = len(vocab)
    if n > len(ix) or float(V) ** n >= 2.0**62:
        raise ValueError(
            f"n must be at most the text's length {len(ix)} and keep V^n = {V}^{n} below 2^62, "
            f"got n = {n}"
        )
    grams, contexts = [], []
    for k in range(1, n + 1):
        keys, counts = np.unique(_codes(ix, k, V), return_counts=True)  # N(u c), sorted
        u, inverse = np.unique(keys // V, return_inverse=True)  # the contexts u
        N_u = np.bincount(inverse, weights=counts)  # N(u) = sum_c N(u c)
        T_u = np.bincount(inverse).astype(np.float64)  # T(u): distinct c after u
        grams.append((keys, counts.astype(np.float64)))
        contexts.append((u, N_u, T_u))
    return NGram(n, V, smoothing, tuple(grams), tuple(contexts))


def ngram_loss(model, held_text, vocab):
    """Held-out loss in nats per character of an NGram: -mean ln p(held[t] | the n - 1 before),
    t = 1 .. N - 1 (what per_char_loss averages); the first characters use the shorter
    context the text gives them, as the RNN starts from h = 0. Returns a float."""
    held = _indices(held_text, vocab, "held_text").astype(np.int64)
    padded = np.concatenate([np.full(model.n - 1, -1), held])
    windows = np.lib.stride_tricks.sliding_window_view(padded, model.n)[1:]  # (N - 1, n)
    return float(-np.mean(np.log(model.predict(windows[:, :-1], windows[:, -1]))))


def ngram_losses(train_text, held_text, vocab, orders, smoothing=WITTEN_BELL):
    """Held-out loss (nats per character) of the n-gram model fitted on train_text, for each
    n in `orders`; returns a dict n -> float (see ngram_model and ngram_loss)."""
    return {
        int(n): ngram_loss(ngram_model(train_text, vocab, n, smoothing), held_text, vocab)
        for n in orders
    }
