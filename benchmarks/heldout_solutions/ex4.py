"""Exercise 4, sample(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None) -> list."""

import random

import numpy as np

from . import student

OWN_RNG = [
    r"default_rng",
    r"(new|own|fresh|other|separate|global|module'?s?) (random )?(generator|rng|random state|seed)",
    r"(ignor|not use|instead of|never use|bypass)\w*.{0,40}(\brng\b|generator)",
    r"(every|all) random (number|draw)s?.{0,30}from (the )?(given )?(\brng\b|generator)",
    r"np\.random\.(choice|rand|random|seed)",
    r"reproduc",
]


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


# ---------------------------------------------------------------- correct implementations


@student(
    4,
    correct=False,
    cause="rng=None not handled (the contract since issue 22: a generator of its own); "
    "rng.choice(V, p=p), argmax at temperature 0, argsort for top-k",
    names=[r"rng\s*=\s*None"],
)
def choice_with_p(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            z = y / temperature
            p = np.exp(z - z.max())
            p /= p.sum()
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(4, correct=True, cause="inverse CDF: one rng.random() and np.searchsorted on the cumsum")
def inverse_cdf(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    V = params["W_hy"].shape[0]
    x = np.zeros(V)
    x[seed_ix] = 1
    drawn = []
    for _ in range(n):
        h = np.tanh(params["W_xh"] @ x + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            kth = np.sort(y)[-top_k]
            y = np.where(y >= kth, y, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = _softmax(y / temperature)
            c = np.cumsum(p)
            ix = int(np.searchsorted(c, rng.random() * c[-1], side="right"))
            ix = min(ix, V - 1)
        drawn.append(ix)
        x = np.zeros(V)
        x[ix] = 1
    return drawn


@student(4, correct=True, cause="Gumbel-max: argmax of y / tau plus rng.gumbel noise")
def gumbel_max(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    V = len(params["b_y"])
    ix = seed_ix
    result = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            drop = np.argsort(y)[: max(V - top_k, 0)]
            y = y.copy()
            y[drop] = -np.inf
        if temperature > 0:
            ix = int(np.argmax(y / temperature + rng.gumbel(size=V)))
        else:
            ix = int(np.argmax(y))
        result.append(ix)
    return result


@student(
    4,
    correct=False,
    cause="rng=None not handled (the contract since issue 22: a generator of its own); "
    "rng.multinomial(1, p): the index of the one count",
    names=[r"rng\s*=\s*None"],
)
def multinomial_draw(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    seq = []
    ix = seed_ix
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh.dot(h) + b_h)
        logits = W_hy.dot(h) + b_y
        allowed = np.ones(V, dtype=bool)
        if top_k is not None:
            allowed[:] = False
            allowed[np.argsort(logits)[::-1][:top_k]] = True
        if temperature == 0:
            ix = int(np.argmax(np.where(allowed, logits, -np.inf)))
        else:
            z = np.where(allowed, logits / temperature, -np.inf)
            p = np.exp(z - z.max())
            p = p / p.sum()
            ix = int(np.argmax(rng.multinomial(1, p)))
        seq.append(ix)
    return seq


@student(
    4,
    correct=False,
    cause="rng=None not handled (the contract since issue 22: a generator of its own); softmax "
    "first, then p ** (1 / tau) renormalised; a Python loop over the cumulative sum",
    names=[r"rng\s*=\s*None"],
)
def power_of_p_loop(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            order = sorted(range(V), key=lambda i: -y[i])
            y = np.array([y[i] if i in order[:top_k] else -np.inf for i in range(V)])
        if temperature == 0:
            out.append(int(np.argmax(y)))
            ix = out[-1]
            continue
        p = _softmax(y) ** (1.0 / temperature)
        p = p / p.sum()
        u = rng.random()
        acc = 0.0
        ix = V - 1
        for i in range(V):
            acc += p[i]
            if u < acc:
                ix = i
                break
        out.append(ix)
    return out


# ---------------------------------------------------------------- mistakes


@student(
    4,
    correct=False,
    cause="always the argmax, also at temperature > 0: nothing is drawn",
    names=[
        r"argmax",
        r"greedy",
        r"(always|every time|deterministic)\w*.{0,50}(largest|most likely|same|highest)",
        r"never (draw|sampl)",
        r"(not|never) (random|drawn|sampled)",
    ],
)
def always_argmax(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full_like(y, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature > 0:
            y = y / temperature
        p = np.exp(y - y.max())
        p /= p.sum()
        ix = int(np.argmax(p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="logits multiplied by the temperature instead of divided",
    names=[
        r"multipl\w*.{0,40}(temperature|tau|τ)",
        r"(temperature|tau|τ).{0,40}multipl",
        r"y ?\* ?(temperature|tau|τ)",
        r"(invert|inverse|reciprocal)",
        r"1 ?/ ?(tau|τ|temperature)",
        r"instead of divid",
    ],
)
def multiplies_by_temperature(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            z = y * temperature
            p = np.exp(z - z.max())
            p /= p.sum()
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="the temperature divides p after the softmax, which renormalising undoes",
    names=[
        r"(after|outside) (the )?softmax",
        r"temperature.{0,50}(no effect|ignored|not applied|has no|unused)",
        r"(no|without) effect",
        r"(ignor|not appl)\w*.{0,30}temperature",
        r"(same|identical).{0,50}(every|all|each) temperatures?",
    ],
)
def temperature_after_softmax(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = np.exp(y - y.max())
            p = p / p.sum() / temperature
            p /= p.sum()
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="top-k keeps the k smallest logits: np.argsort(y)[:top_k] (ascending)",
    names=[
        r"smallest",
        r"argsort\(-",
        r"ascending",
        r"descending",
        r"(lowest|least likely)",
        r"(wrong|revers\w*) order",
    ],
)
def top_k_smallest(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argsort(y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            z = y / temperature
            p = np.exp(z - z.max())
            p /= p.sum()
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="top-k threshold off by one: np.sort(y)[::-1][top_k] is the (k+1)-th largest, k + 1 kept",
    names=[
        r"off[- ]by[- ]one",
        r"k ?\+ ?1\b",
        r"(one|1) (too many|more|extra)",
        r"\bk-?th\b",
        r"(\d+|k) \+ 1 (logits|characters|indices)",
    ],
)
def top_k_keeps_one_more(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng(0)
    V = params["W_hy"].shape[0]
    ix = seed_ix
    drawn = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            cut = np.sort(y)[::-1][top_k]
            y = np.where(y >= cut, y, -np.inf)
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = _softmax(y / temperature)
            ix = int(rng.choice(V, p=p))
        drawn.append(ix)
    return drawn


@student(
    4,
    correct=False,
    cause="a new unseeded generator np.random.default_rng() instead of the rng passed in",
    names=OWN_RNG,
)
def own_generator(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = _softmax(y / temperature)
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="draws with np.random.choice, numpy's global generator, not rng",
    names=OWN_RNG,
)
def global_np_random(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = _softmax(y / temperature)
            ix = int(np.random.choice(V, p=p))  # noqa: NPY002 (the student's mistake)
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="a generator seeded with 42 in the function: every rng gives the same draws",
    names=OWN_RNG
    + [
        r"\bseed(ed|s)?\b.{0,40}(fixed|constant|own|inside|42)",
        r"re-?seed",
        r"(same|identical) draws.{0,40}(every|all|different) (rng|generator|seed)",
    ],
)
def fixed_seed(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng(42)  # reproducible
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = int(rng.choice(V, p=_softmax(y / temperature)))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="Python's random.choices, a generator outside rng",
    names=OWN_RNG + [r"random\.choices", r"python'?s? random", r"\brandom module"],
)
def python_random_module(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = random.choices(range(V), weights=_softmax(y / temperature))[0]
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="feeds seed_ix at every step instead of the character just drawn",
    names=[
        r"feed\w*.{0,40}(back|drawn|sampled|previous|last)",
        r"seed_ix.{0,50}(every|each|always|again)",
        r"(same|first|seed) (input|character)",
        r"(drawn|sampled) (index|character).{0,40}(input|fed)",
    ],
)
def feeds_seed_every_step(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    V = params["W_hy"].shape[0]
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, seed_ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = int(rng.choice(V, p=_softmax(y / temperature)))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="the list starts with seed_ix and holds n - 1 draws (everything shifted by one)",
    names=[
        r"seed_ix.{0,60}(first|included|list|return|element)",
        r"(first|included).{0,40}seed",
        r"off[- ]by[- ]one",
        r"shift\w* by one",
        r"n ?- ?1 draws",
    ],
)
def includes_seed(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    V = params["W_hy"].shape[0]
    ixes = [seed_ix]
    while len(ixes) < n:
        h = np.tanh(params["W_xh"][:, ixes[-1]] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ixes.append(int(np.argmax(y)))
        else:
            ixes.append(int(rng.choice(V, p=_softmax(y / temperature))))
    return ixes[:n]


@student(
    4,
    correct=False,
    cause="the hidden state is not carried: every step starts from the h passed in",
    names=[
        r"(state|\bh\b).{0,40}(not|never) (updated|carried|passed|fed|kept)",
        r"(carry|carries|update|keep)\w* (the )?(hidden )?(state|\bh\b)",
        r"same (hidden |starting )?state",
        r"\bh\b.{0,20}(stale|fixed|unchanged)",
    ],
)
def state_not_carried(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h_next = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h_next + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            ix = int(rng.choice(V, p=_softmax(y / temperature)))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="exp(y / tau) without subtracting the max: overflows on large logits",
    names=[
        r"overflow",
        r"(y|z) - (np\.)?max",
        r"subtract\w*.{0,40}max",
        r"shift\w*",
        r"stab(le|ility)",
    ],
)
def softmax_overflows(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            e = np.exp(y / temperature)
            ix = int(rng.choice(V, p=e / e.sum()))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="no case for temperature 0: y / 0 gives inf and NaN probabilities",
    names=[
        r"divi\w* by (zero|0)",
        r"/ ?0\b",
        r"zero ?division",
        r"greedy",
        r"argmax",
        r"(special case|handle|case)\w*.{0,40}(temperature|tau|τ) ?(=|==)? ?0",
        r"(temperature|tau|τ) ?(=|==|of) ?0\b.{0,80}(inf|nan|divi)",
    ],
)
def divides_by_zero_temperature(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        z = y / temperature
        p = np.exp(z - z.max())
        p /= p.sum()
        ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="rng.choice(V, p) without p=: the second positional argument is size",
    names=[r"\bsize\b", r"p ?= ?p", r"keyword", r"second (positional )?argument", r"positional"],
)
def choice_p_positional(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = _softmax(y / temperature)
            ix = int(rng.choice(V, p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="top-k zeroes the other probabilities after the softmax but does not renormalise",
    names=[r"renormali[sz]", r"normali[sz]", r"do(es)? not sum to (1|one)", r"sum\w* to (1|one)"],
)
def top_k_not_renormalised(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    V = params["W_hy"].shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if temperature == 0:
            if top_k is not None:
                y = np.where(np.isin(np.arange(V), np.argsort(-y)[:top_k]), y, -np.inf)
            ix = int(np.argmax(y))
        else:
            p = _softmax(y / temperature)
            if top_k is not None:
                p[np.argsort(-p)[top_k:]] = 0.0
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out
