"""Exercise 4 as students write it: the reference sampler, alternatives, catalogued bugs."""

from functools import partial

import numpy as np


def sample(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """n indices, each drawn from softmax(y / temperature) and fed back as the next input."""
    rng = np.random.default_rng(0) if rng is None else rng
    V = params["W_hy"].shape[0]
    ix, out = seed_ix, []
    for _ in range(n):
        x = np.zeros(V)
        x[ix] = 1.0
        h = np.tanh(params["W_xh"] @ x + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            drop = np.argsort(y)[: V - top_k]  # all but the top_k largest
            y = y.copy()
            y[drop] = -np.inf
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            z = y / temperature
            p = np.exp(z - z.max())  # shift by the max: no overflow
            p /= p.sum()
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


def sample_inverse_cdf(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """One uniform number per draw through the cumulative distribution; top-k by partition."""
    rng = rng if rng is not None else np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        keep = np.ones(len(y), dtype=bool)
        if top_k is not None and top_k < len(y):
            kth = np.partition(y, len(y) - top_k)[len(y) - top_k]
            keep = y >= kth
        if temperature == 0:
            ix = int(np.flatnonzero(y == y[keep].max())[0])
        else:
            w = np.where(keep, np.exp((y - y[keep].max()) / temperature), 0.0)
            c = np.cumsum(w)
            ix = int(np.searchsorted(c, rng.random() * c[-1], side="right"))
        out.append(ix)
    return out


def sample_gumbel(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """The Gumbel-max trick: argmax(y / tau + g), g Gumbel noise, draws from softmax(y / tau)."""
    rng = rng or np.random.default_rng(0)
    P = params
    V = len(P["b_y"])
    ix, out = seed_ix, []
    for _ in range(n):
        h = np.tanh(np.einsum("hv,v->h", P["W_xh"], np.eye(V)[ix]) + P["W_hh"] @ h + P["b_h"])
        y = P["W_hy"] @ h + P["b_y"]
        if top_k:
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        if temperature == 0:
            ix = int(y.argmax())
        else:
            ix = int(np.argmax(y / temperature + rng.gumbel(size=V)))
        out.append(ix)
    return out


def sample_multinomial(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Row vectors, rng.multinomial for the draw, a log-softmax helper."""
    rng = np.random.default_rng(0) if rng is None else rng
    h = h[None, :]
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"].T[ix][None, :] + h @ params["W_hh"].T + params["b_h"])
        y = (h @ params["W_hy"].T + params["b_y"])[0]
        order = np.argsort(-y, kind="stable")
        if top_k is not None:
            y = np.full_like(y, -np.inf)
            y[order[:top_k]] = (h @ params["W_hy"].T + params["b_y"])[0][order[:top_k]]
        if temperature == 0:
            out.append(int(order[0]))
        else:
            z = y / temperature
            logp = z - (z.max() + np.log(np.sum(np.exp(z - z.max()))))
            out.append(int(np.argmax(rng.multinomial(1, np.exp(logp) / np.exp(logp).sum()))))
        ix = out[-1]
    return out


CORRECT = [sample, sample_inverse_cdf, sample_gumbel, sample_multinomial]


def buggy(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None, *, mistake):
    """The reference sampler with one typical mistake."""
    if mistake == "fixed_rng" or rng is None:
        rng = np.random.default_rng(0)
    V = params["W_hy"].shape[0]
    h0, ix, out = h, seed_ix, []
    for t in range(n):
        if mistake == "seed_not_fed" and t == 0:
            y = params["W_hy"] @ h + params["b_y"]
        else:
            start = h0 if mistake == "h_not_carried" else h
            new = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ start + params["b_h"])
            if mistake == "h_in_place":
                h[:] = new
            else:
                h = new
            y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            if mistake == "top_k_smallest":
                keep = np.argsort(y)[:top_k]
            elif mistake == "top_k_off_by_one":
                keep = np.argsort(-y)[: top_k + 1]
            else:
                keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0 and mistake != "divide_by_zero":
            pick = int(np.argmax(y))
        else:
            with np.errstate(all="ignore"):
                if mistake == "temperature_on_probabilities":
                    p = np.exp(y - y.max())
                    p = p / p.sum() / temperature
                    p = p / p.sum()
                elif mistake == "temperature_multiplies":
                    z = y * temperature
                    p = np.exp(z - z.max())
                    p = p / p.sum()
                elif mistake in ("overflow", "divide_by_zero"):
                    p = np.exp(y / temperature)
                    p = p / p.sum()
                else:
                    z = y / temperature
                    p = np.exp(z - z.max())
                    p = p / p.sum()
            if mistake == "global_random":
                pick = int(np.random.choice(V, p=p))  # noqa: NPY002 (the bug)
            elif mistake == "argmax_fed_back":
                pick = int(rng.choice(V, p=p))
            else:
                pick = int(rng.choice(V, p=p))
        out.append(pick)
        if mistake == "seed_fed_always":
            ix = seed_ix
        elif mistake == "argmax_fed_back":
            ix = int(np.argmax(y))
        else:
            ix = pick
    if mistake == "seed_in_output":
        out = [seed_ix] + out[:-1]
    if mistake == "floats":
        out = [float(i) for i in out]
    return out


BUG_HINTS = {
    "temperature_on_probabilities": "the temperature has no effect",
    "temperature_multiplies": "the logits are multiplied by the temperature",
    "overflow": "this is the softmax overflowing",
    "divide_by_zero": "take the argmax instead of dividing by 0",
    "top_k_smallest": "not the smallest",
    "top_k_off_by_one": "it keeps one logit too many (off by one)",
    "seed_fed_always": "seed_ix is fed at every step",
    "h_not_carried": "the hidden state is not carried",
    "seed_not_fed": "feed seed_ix through the cell first",
    "seed_in_output": "the output starts with seed_ix",
    "global_random": "Draw with the rng passed in",
    "fixed_rng": "for every one of 1000 different rngs",
    "argmax_fed_back": "The first draws are right: is the drawn index fed back",
    "floats": "expected ints",
    "h_in_place": "changed its input h in place",
}
BUGS = [(partial(buggy, mistake=m), hint, m) for m, hint in BUG_HINTS.items()]
