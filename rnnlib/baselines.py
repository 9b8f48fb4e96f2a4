"""What a character model's loss should be compared with: counting models and the units.

A loss of L nats per character is L / ln 2 bits per character, and a perplexity of e^L: the
model is as uncertain as a uniform choice among e^L characters. Three baselines that need no
network, each fitted on the training text and scored on held-out text:

- uniform: every character 1/V, loss ln V;
- unigram: p(c) from the character counts, the best model that ignores all context;
- bigram: p(c | previous character) from pair counts, a context of one character.

Counts get add-alpha smoothing (alpha added to every count), so a character or pair never seen
in training still has a probability above 0 and the held-out loss stays finite.
"""

import numpy as np

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
    if not alpha > 0:
        raise ValueError(f"alpha must be > 0 (it keeps unseen characters possible), got {alpha!r}")
    counts = np.bincount(_indices(text, vocab, "text"), minlength=len(vocab)) + alpha
    return counts / counts.sum()


def bigram_probs(text, vocab, alpha=1.0):
    """p(c | b) = (count(b c) + alpha) / (count(b .) + alpha V); returns (V, V), rows b."""
    if not alpha > 0:
        raise ValueError(f"alpha must be > 0 (it keeps unseen pairs possible), got {alpha!r}")
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
