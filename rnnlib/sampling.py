"""Test time: draw characters one at a time and feed each back as the next input."""

import numpy as np

from . import _check
from .cell import as_rng, read_index, softmax


def next_distribution(y, temperature=1.0, top_k=None):
    """The distribution a sampler draws from, given logits y (V,).

    temperature 0 puts all mass on the argmax (ties: first index); top_k keeps the k largest
    logits (ties at the k-th are kept in index order). Returns p (V,), summing to 1.
    """
    t = check_temperature(temperature)
    y = np.asarray(y, dtype=np.float64)
    V = y.shape[-1]
    if top_k is not None:
        if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)) or top_k < 1:
            raise ValueError(f"top_k must be an integer >= 1 or None, got {top_k!r}")
        if top_k < V:
            keep = np.argsort(-y, kind="stable")[:top_k]
            masked = np.full_like(y, -np.inf)
            masked[keep] = y[keep]
            y = masked
    if t == 0.0:
        p = np.zeros(V)
        p[int(np.argmax(y))] = 1.0
        return p
    with np.errstate(over="ignore"):  # a tiny temperature sends the non-max logits to -inf
        return softmax((y - np.max(y)) / t)  # p = softmax(y / temperature), shifted first


def entropy(p):
    """Entropy in nats of a distribution p (V,): -sum p ln p, with 0 ln 0 = 0."""
    p = np.asarray(p, dtype=np.float64)
    nz = p[p > 0]
    return float(-np.sum(nz * np.log(nz)) + 0.0)  # + 0.0 turns -0.0 into 0.0


def check_temperature(temperature):
    """A temperature as a float >= 0, or a ValueError."""
    return _check.nonneg_number("temperature", temperature)


def draw(p, rng):
    """One index drawn from distribution p with a single uniform number (inverse CDF)."""
    c = np.cumsum(p)
    return int(min(np.searchsorted(c, rng.random() * c[-1], side="right"), len(p) - 1))


def state_after(params, ix):
    """Hidden state after reading indices ix (n,) from a zero state: h_n (H,)."""
    h = np.zeros(params["W_hh"].shape[0])
    for i in ix:
        h = read_index(params, h, i)  # h_t
    return h


def after_prompt(params, vocab, prompt):
    """Where sampling starts after a prompt read from a zero state.

    Inputs: params; vocab; prompt (str, >= 1 character).
    Returns (h, seed_ix, y): h (H,) the state before the prompt's last character, seed_ix that
    character's index (the sampler's first input), y (V,) the logits it gives for what follows.
    """
    ix = vocab.encode(prompt)
    if len(ix) == 0:
        raise ValueError("prompt must hold at least one character, got an empty string")
    h = state_after(params, ix[:-1])
    h_last = read_index(params, h, ix[-1])
    return h, int(ix[-1]), params["W_hy"] @ h_last + params["b_y"]  # y = W_hy h + b_y


def sample_steps(params, h, seed_ix, n, *, temperature=1.0, top_k=None, rng=None):
    """Sample n indices and keep everything seen on the way.

    Inputs: params; h (H,) the state before the seed; seed_ix the first input index; n >= 0.
    Returns a dict: ix (n,) sampled indices, inputs (n,) the index fed at each step,
    h (n, H) hidden states, y (n, V) logits, p (n, V) the distributions drawn from.
    """
    V, H = _check.params(params)
    h = _check.hidden("h", h, H)
    seed_ix = int(_check.indices("seed_ix", [seed_ix], V)[0])
    n = _check.nonneg_int("n", n)
    check_temperature(temperature)
    rng = as_rng(rng)
    W_hy, b_y = params["W_hy"], params["b_y"]
    out = {
        "ix": np.zeros(n, dtype=np.intp),
        "inputs": np.zeros(n, dtype=np.intp),
        "h": np.zeros((n, H)),
        "y": np.zeros((n, V)),
        "p": np.zeros((n, V)),
    }
    ix = seed_ix
    for t in range(n):
        h = read_index(params, h, ix)  # feed the previous character back in
        y = W_hy @ h + b_y
        p = next_distribution(y, temperature, top_k)
        out["inputs"][t], out["h"][t], out["y"][t], out["p"][t] = ix, h, y, p
        ix = draw(p, rng)
        out["ix"][t] = ix
    return out


def sample(params, h, seed_ix, n, *, temperature=1.0, top_k=None, rng=None):
    """Sample n character indices, each fed back as the next input.

    Inputs: params; h (H,) the starting hidden state; seed_ix the index fed first; n >= 0;
    temperature (0 = greedy argmax, 1 = the model's softmax, large = near uniform); top_k
    (None or >= 1); rng a Generator or int seed (None = seed 0).
    Returns a list of n ints.
    """
    steps = sample_steps(params, h, seed_ix, n, temperature=temperature, top_k=top_k, rng=rng)
    return [int(i) for i in steps["ix"]]
