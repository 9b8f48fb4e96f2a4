"""Exercise 4 as students write it: the reference sampler, alternatives, catalogued bugs.

CORRECT: samplers that must pass. BUGS: (function, the cause its message must hold, mistake id),
each with one mistake of rnnlib.exercises.sampler.MISTAKES, by id.
"""

from functools import partial

import numpy as np

from rnnlib.exercises.sampler import MISTAKES


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
        if top_k is not None and top_k < V:
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
        if top_k and top_k < V:
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


def sample_sorted(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """The vocabulary sorted by logit (largest first) before drawing: an index drawn in sorted
    order, mapped back. The same rng gives other draws than rng.choice on the index order."""
    rng = np.random.default_rng() if rng is None else rng  # rng=None: fresh, unseeded
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        order = np.argsort(-y, kind="stable")  # largest logit first
        z = y[order]
        if top_k is not None:
            z = z[:top_k]  # the top_k largest (all of them when top_k >= V)
        if temperature == 0:
            ix = int(order[0])
        else:
            p = np.exp((z - z[0]) / temperature)
            ix = int(order[rng.choice(len(z), p=p / p.sum())])
        out.append(ix)
    return out


def sample_columns(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """min-char-rnn's sample: column vectors, a one-hot x; top-k after the temperature, on
    the probabilities, renormalised (the same distribution as top-k on the logits)."""
    if rng is None:
        rng = np.random.default_rng(2024)
    Wxh, Whh, Why, bh, by = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    vocab_size = Why.shape[0]
    x = np.zeros((vocab_size, 1))
    x[seed_ix] = 1
    h = h.reshape(-1, 1)
    ixes = []
    for _ in range(n):
        h = np.tanh(np.dot(Wxh, x) + np.dot(Whh, h) + bh[:, None])
        y = np.dot(Why, h) + by[:, None]
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            z = y.ravel() / temperature
            p = np.exp(z - np.max(z)) / np.sum(np.exp(z - np.max(z)))
            if top_k is not None and top_k < vocab_size:
                p[np.argsort(p)[: vocab_size - top_k]] = 0.0
                p = p / p.sum()
            ix = int(rng.choice(range(vocab_size), p=p))
        x = np.zeros((vocab_size, 1))
        x[ix] = 1
        ixes.append(ix)
    return ixes


def sample_power(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """The temperature applied after the softmax as p ** (1 / tau), renormalised: the same
    distribution as softmax(y / tau). Logs of probabilities, a list of states."""
    rng = rng or np.random.default_rng()
    hs, out = [h], []
    ix = seed_ix
    for _ in range(n):
        hs.append(np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ hs[-1] + params["b_h"]))
        y = params["W_hy"] @ hs[-1] + params["b_y"]
        if top_k is not None and top_k < len(y):
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = np.exp(y - y.max())
            p = p / p.sum()
            with np.errstate(divide="ignore", under="ignore"):
                q = np.exp(np.log(p) / temperature)  # p ** (1 / tau), no overflow
            ix = int(rng.choice(len(q), p=q / q.sum()))
        out.append(ix)
    return out


CORRECT = [
    sample,
    sample_inverse_cdf,
    sample_gumbel,
    sample_multinomial,
    sample_sorted,
    sample_columns,
    sample_power,
]


def buggy(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None, *, mistake):
    """The reference sampler with one typical mistake."""
    if mistake == "sample_fixed_rng" or rng is None:
        rng = np.random.default_rng(0)
    V = params["W_hy"].shape[0]
    h0, ix, out = h, seed_ix, []
    for t in range(n):
        if mistake == "sample_seed_not_fed" and t == 0:
            y = params["W_hy"] @ h + params["b_y"]
        else:
            start = h0 if mistake == "sample_h_not_carried" else h
            new = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ start + params["b_h"])
            if mistake == "sample_h_in_place":
                h[:] = new
            else:
                h = new
            y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            if mistake == "sample_top_k_smallest":
                keep = np.argsort(y)[:top_k]
            elif mistake == "sample_top_k_one_too_many":
                keep = np.argsort(-y)[: top_k + 1]
            else:
                keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0 and mistake != "sample_divide_by_zero":
            pick = int(np.argmax(y))
        else:
            with np.errstate(all="ignore"):
                if mistake == "sample_temperature_ignored":
                    p = np.exp(y - y.max())
                    p = p / p.sum() / temperature
                    p = p / p.sum()
                elif mistake == "sample_temperature_multiplies":
                    z = y * temperature
                    p = np.exp(z - z.max())
                    p = p / p.sum()
                elif mistake in ("sample_overflow", "sample_divide_by_zero"):
                    p = np.exp(y / temperature)
                    p = p / p.sum()
                else:
                    z = y / temperature
                    p = np.exp(z - z.max())
                    p = p / p.sum()
            if mistake == "sample_global_random":
                pick = int(np.random.choice(V, p=p))  # noqa: NPY002 (the bug)
            elif mistake == "sample_argmax_fed_back":
                pick = int(rng.choice(V, p=p))
            else:
                pick = int(rng.choice(V, p=p))
        out.append(pick)
        if mistake == "sample_seed_fed_always":
            ix = seed_ix
        elif mistake == "sample_argmax_fed_back":
            ix = int(np.argmax(y))
        else:
            ix = pick
    if mistake == "sample_seed_in_output":
        out = [seed_ix] + out[:-1]
    if mistake == "sample_floats":
        out = [float(i) for i in out]
    return out


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def argmax_always(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Takes the most probable index at every temperature (the issue's example)."""
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        p = softmax(y / temperature) if temperature > 0 else softmax(y)
        ix = int(np.argmax(p))
        out.append(ix)
    return out


def rng_required(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Uses rng without a default: rng=None raises AttributeError."""
    V = len(params["b_y"])
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            y = np.where(y >= np.sort(y)[-min(top_k, V)], y, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = int(rng.choice(V, p=softmax(y / temperature)))
        out.append(ix)
    return out


def top_k_index_error(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """The k-th largest logit as np.sort(y)[-top_k]: IndexError once top_k > V."""
    rng = np.random.default_rng() if rng is None else rng
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            kth = np.sort(y)[-top_k]
            y = np.where(y >= kth, y, -np.inf)
        ix = (
            int(np.argmax(y))
            if temperature == 0
            else int(rng.choice(len(y), p=softmax(y / temperature)))
        )
        out.append(ix)
    return out


def top_k_wraps(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Drops np.argsort(y)[:V - top_k]: for top_k > V the slice counts from the end and drops
    the smallest logits."""
    rng = np.random.default_rng(0) if rng is None else rng
    V = params["W_hy"].shape[0]
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            y = y.copy()
            y[np.argsort(y)[: V - top_k]] = -np.inf
        ix = (
            int(np.argmax(y))
            if temperature == 0
            else int(rng.choice(V, p=softmax(y / temperature)))
        )
        out.append(ix)
    return out


def top_k_one_too_few(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Keeps np.argsort(-y)[:top_k - 1]: nothing at top_k = 1 (NaN probabilities)."""
    rng = np.random.default_rng(0) if rng is None else rng
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[: top_k - 1]
            masked = np.full_like(y, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            with np.errstate(invalid="ignore"):
                ix = int(rng.choice(len(y), p=softmax(y / temperature)))
        out.append(ix)
    return out


def power_not_renormalised(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Temperature after the softmax, p ** (1 / tau), not divided by its sum."""
    rng = np.random.default_rng(0) if rng is None else rng
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < len(y):
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = softmax(y) ** (1.0 / temperature)
            ix = int(rng.choice(len(p), p=p))
        out.append(ix)
    return out


def top_k_probabilities_not_renormalised(
    params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None
):
    """Top-k on the probabilities, the others set to 0, without dividing by the new sum."""
    rng = np.random.default_rng(0) if rng is None else rng
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if temperature == 0:
            out.append(int(np.argmax(y)))
        else:
            p = softmax(y / temperature)
            if top_k is not None and top_k < len(p):
                p[np.argsort(p)[:-top_k]] = 0.0
            out.append(int(rng.choice(len(p), p=p)))
        ix = out[-1]
    return out


def logits_before_update(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """min-char-rnn's loop reordered: y from the state before this step's input is fed."""
    rng = np.random.default_rng(0) if rng is None else rng
    V = len(params["b_y"])
    x = np.zeros(V)
    x[seed_ix] = 1.0
    out = []
    for _ in range(n):
        y = params["W_hy"] @ h + params["b_y"]  # the bug: h not yet updated with x
        h = np.tanh(params["W_xh"] @ x + params["W_hh"] @ h + params["b_h"])
        if top_k is not None and top_k < V:
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        ix = (
            int(np.argmax(y))
            if temperature == 0
            else int(rng.choice(V, p=softmax(y / temperature)))
        )
        x = np.zeros(V)
        x[ix] = 1.0
        out.append(ix)
    return out


def no_tanh(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Row vectors; the state update without its tanh."""
    rng = np.random.default_rng(0) if rng is None else rng
    h, out, ix = h[None, :], [], seed_ix
    for _ in range(n):
        h = params["W_xh"].T[ix][None, :] + h @ params["W_hh"].T + params["b_h"]
        y = (h @ params["W_hy"].T + params["b_y"])[0]
        if top_k is not None and top_k < len(y):
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        ix = (
            int(np.argmax(y))
            if temperature == 0
            else int(rng.choice(len(y), p=softmax(y / temperature)))
        )
        out.append(ix)
    return out


def returns_distributions(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Returns the distribution of every step instead of the drawn indices."""
    rng = np.random.default_rng(0) if rng is None else rng
    ps, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        p = softmax(y / max(temperature, 1e-3))
        ix = int(rng.choice(len(p), p=p))
        ps.append(p)
    return ps


def n_plus_one(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """A list that starts with the seed, then the n draws."""
    rng = np.random.default_rng(0) if rng is None else rng
    ixes = [seed_ix]
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ixes[-1]] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < len(y):
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        if temperature == 0:
            ixes.append(int(np.argmax(y)))
        else:
            ixes.append(int(rng.choice(len(y), p=softmax(y / temperature))))
    return ixes


def forgets_p(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Draws among the indices top-k keeps but forgets p=: every kept index equally likely."""
    rng = np.random.default_rng(0) if rng is None else rng
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        keep = np.argsort(-y)[:top_k] if top_k is not None else np.arange(len(y))
        ix = int(np.argmax(y)) if temperature == 0 else int(rng.choice(keep))
        out.append(ix)
    return out


def choice_size_for_p(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Passes the probabilities to rng.choice positionally (after the vocabulary size)."""
    rng = np.random.default_rng() if rng is None else rng
    V = len(params["b_y"])
    drawn, ix = [], seed_ix
    while len(drawn) < n:
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        logits = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            logits = np.where(logits >= np.sort(logits)[V - top_k], logits, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(logits))
        else:
            probs = softmax(logits / temperature)
            ix = int(rng.choice(V, 1, probs)[0])  # the bug: probs lands on replace, not p
        drawn.append(ix)
    return drawn


def draws_a_probability(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """rng.choice(probs): picks one of the probabilities, then rounds it to an 'index'."""
    rng = rng or np.random.default_rng()
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < len(y):
            y[np.argsort(y)[: len(y) - top_k]] = -np.inf
        ix = int(np.argmax(y)) if temperature == 0 else rng.choice(softmax(y / temperature))
        out.append(ix)
    return out


def keeps_size_one(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Draws with size=1 and appends what comes back (an array of one index)."""
    rng = np.random.default_rng(5) if rng is None else rng
    V, ix, result = params["W_hy"].shape[0], seed_ix, []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        if temperature == 0:
            result.append(int(np.argmax(y)))
            ix = result[-1]
            continue
        choice = rng.choice(V, size=1, p=softmax(y / temperature))
        result.append(choice)
        ix = int(choice[0])
    return result


def top_k_zeros_the_rest(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Multiplies the logits by a 0/1 mask of the top k: the others become 0, not -inf."""
    rng = np.random.default_rng() if rng is None else rng
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            mask = np.zeros_like(y)
            mask[np.argsort(y)[::-1][:top_k]] = 1.0
            y = y * mask
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = int(rng.choice(len(y), p=softmax(y / temperature)))
        out.append(ix)
    return out


def one_uniform_before_the_loop(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Draws u = rng.random() once, before the loop, and walks every step's CDF with it."""
    rng = np.random.default_rng() if rng is None else rng
    u = rng.random()
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < len(y):
            y = np.where(y >= np.sort(y)[-top_k], y, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            cdf = np.cumsum(softmax(y / temperature))
            ix = int(min(np.searchsorted(cdf, u), len(y) - 1))
        out.append(ix)
    return out


def u_below_p(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """A loop over the vocabulary that stops at the first p[i] above u (no running sum)."""
    rng = np.random.default_rng() if rng is None else rng
    V = len(params["b_y"])
    out, ix = [], seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            y[np.argsort(y)[:-top_k]] = -np.inf
        if temperature == 0:
            ix = int(np.argmax(y))
            out.append(ix)
            continue
        p = softmax(y / temperature)
        u = rng.uniform()
        ix = V - 1
        for i in range(V):
            if u < p[i]:
                ix = i
                break
        out.append(ix)
    return out


def exponential_race_added(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Gumbel-max with rng.exponential noise added to the logits (a missing -log)."""
    rng = np.random.default_rng() if rng is None else rng
    V, ix, out = len(params["b_y"]), seed_ix, []
    hs = [h]
    for _ in range(n):
        hs.append(np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ hs[-1] + params["b_h"]))
        y = params["W_hy"] @ hs[-1] + params["b_y"]
        if top_k is not None and top_k < V:
            y = np.where(np.argsort(np.argsort(-y)) < top_k, y, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = int(np.argmax(y / temperature + rng.exponential(size=V)))
        out.append(ix)
    return out


def normal_noise(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Row vectors; perturbs the logits with rng.normal noise and takes the argmax."""
    rng = np.random.default_rng() if rng is None else rng
    V, ix, out = len(params["b_y"]), seed_ix, []
    h = h[None, :]
    for _ in range(n):
        x = np.eye(V)[[ix]]
        h = np.tanh(x @ params["W_xh"].T + h @ params["W_hh"].T + params["b_h"])
        y = (h @ params["W_hy"].T + params["b_y"])[0]
        if top_k is not None and top_k < V:
            y = y.copy()
            y[np.argsort(-y)[top_k:]] = -np.inf
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = int(np.argmax(y / temperature + rng.normal(size=V)))
        out.append(ix)
    return out


def greedy_on_state(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """Column vectors; at temperature 0 it returns the index of the largest hidden unit."""
    rng = np.random.default_rng() if rng is None else rng
    V = params["W_hy"].shape[0]
    h = h.reshape(-1, 1)
    ix, out = seed_ix, []
    for _ in range(n):
        x = np.zeros((V, 1))
        x[ix] = 1
        h = np.tanh(params["W_xh"] @ x + params["W_hh"] @ h + params["b_h"].reshape(-1, 1))
        y = (params["W_hy"] @ h + params["b_y"].reshape(-1, 1)).ravel()
        if temperature == 0:
            ix = int(np.argmax(h))
        else:
            if top_k is not None and top_k < V:
                y[np.argsort(y)[: V - top_k]] = -np.inf
            ix = int(rng.choice(V, p=softmax(y / temperature)))
        out.append(ix)
    return out


SWITCHED = [
    "sample_fixed_rng",
    "sample_seed_not_fed",
    "sample_h_not_carried",
    "sample_h_in_place",
    "sample_top_k_smallest",
    "sample_top_k_one_too_many",
    "sample_divide_by_zero",
    "sample_temperature_ignored",
    "sample_temperature_multiplies",
    "sample_overflow",
    "sample_global_random",
    "sample_argmax_fed_back",
    "sample_seed_fed_always",
    "sample_seed_in_output",
    "sample_floats",
]
TAGGED = [(partial(buggy, mistake=m), m) for m in SWITCHED] + [
    (argmax_always, "sample_argmax_always"),
    (rng_required, "sample_rng_none"),
    (top_k_index_error, "sample_top_k_ge_v"),
    (top_k_wraps, "sample_top_k_ge_v"),
    (top_k_one_too_few, "sample_top_k_one_too_few"),
    (power_not_renormalised, "sample_not_normalised"),
    (top_k_probabilities_not_renormalised, "sample_not_normalised"),
    (logits_before_update, "sample_logits_before_update"),
    (no_tanh, "sample_no_tanh"),
    (returns_distributions, "sample_returns_distribution"),
    (n_plus_one, "sample_n_plus_one"),
    (forgets_p, "sample_uniform"),
    (choice_size_for_p, "sample_choice_p_positional"),
    (draws_a_probability, "sample_choice_of_p"),
    (keeps_size_one, "sample_draw_arrays"),
    (top_k_zeros_the_rest, "sample_top_k_masked_zero"),
    (one_uniform_before_the_loop, "sample_one_uniform"),
    (u_below_p, "sample_p_not_cdf"),
    (exponential_race_added, "sample_gumbel_exponential"),
    (normal_noise, "sample_gaussian_noise"),
    (greedy_on_state, "sample_greedy_argmax_h"),
]
BUGS = [(fn, MISTAKES[m].cause, m) for fn, m in TAGGED]
