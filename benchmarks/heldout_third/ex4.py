"""Exercise 4 (sample), third held-out set: three correct samplers, ten single slips."""

import numpy as np

from . import student

# ---------------------------------------------------------------- correct


@student(4, correct=True, cause="rng.choice(V, p=p), top-k by argsort and a -inf mask")
def sample_choice(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
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


@student(
    4,
    correct=True,
    cause="Gumbel-max (argmax of y / T + rng.gumbel), one-hot inputs, "
    "top-k by a threshold from np.sort",
)
def sample_gumbel(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    V = params["b_y"].shape[0]
    x = np.zeros(V)
    x[seed_ix] = 1.0
    picks = []
    while len(picks) < n:
        h = np.tanh(params["W_xh"] @ x + params["W_hh"] @ h + params["b_h"])
        logits = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            kth = np.sort(logits)[-top_k]
            logits = np.where(logits >= kth, logits, -np.inf)
        if temperature > 0:
            nxt = int(np.argmax(logits / temperature + rng.gumbel(size=V)))
        else:
            nxt = int(np.argmax(logits))
        picks.append(nxt)
        x = np.zeros(V)
        x[nxt] = 1.0
    return picks


@student(
    4,
    correct=True,
    cause="inverse CDF with rng.random() and searchsorted, top-k by "
    "argpartition, probabilities through exp(log-softmax)",
)
def sample_inverse_cdf(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    gen = rng if rng is not None else np.random.default_rng(0)
    V = len(params["b_y"])
    k = V if top_k is None else min(top_k, V)
    result = []
    prev = seed_ix
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, prev] + params["W_hh"].dot(h) + params["b_h"])
        y = params["W_hy"].dot(h) + params["b_y"]
        if k < V:
            top = np.argpartition(-y, k - 1)[:k]
            mask = np.ones(V, dtype=bool)
            mask[top] = False
            y = y.copy()
            y[mask] = -np.inf
        if temperature == 0:
            prev = int(np.argmax(y))
        else:
            s = (y - y.max()) / temperature
            logp = s - np.log(np.sum(np.exp(s)))
            cdf = np.cumsum(np.exp(logp))
            u = gen.random() * cdf[-1]
            prev = int(min(np.searchsorted(cdf, u, side="right"), V - 1))
        result.append(prev)
    return result


# ---------------------------------------------------------------- common slips


@student(
    4,
    correct=False,
    cause="temperature multiplies the logits (y * T) instead of dividing them (y / T)",
    names=(
        r"y\s*\*\s*(temperature|T|tau|τ)\b",
        r"multipl\w*.{0,40}(temperature|by T\b|by τ|by tau)",
        r"(temperature|τ|tau).{0,40}multipl",
        r"(instead of|rather than|not)\s.{0,15}divid",
        r"1\s*/\s*(temperature|T|τ|tau)\b.{0,30}(temperature|instead|swap|invert)",
        r"(inverse|inverted|reciprocal).{0,20}(temperature|τ|tau)",
    ),
    not_names=(r"top[-_ ]?k",),
)
def temp_multiplied(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
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
    cause="temperature 0 not handled: y / 0 (no greedy argmax branch), NaN probabilities",
    names=(
        r"(temperature|τ|tau)\s*(=|==)?\s*0\b.{0,60}(not handled|greedy|argmax|divi|special)",
        r"divi\w*\s.{0,20}(by )?(zero|0\b)",
        r"(greedy|argmax).{0,40}(branch|case)?.{0,20}(missing|not handled|never taken|forgot)",
        r"y\s*/\s*0\b",
        r"zero temperature",
    ),
)
def temp_zero_divides(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        z = y / temperature
        p = np.exp(z - np.max(z))
        p = p / np.sum(p)
        ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="top-k keeps the k smallest logits: np.argsort(y)[:k] instead of np.argsort(-y)[:k]",
    names=(
        r"smallest",
        r"lowest",
        r"argsort\s*\(\s*y\s*\)\s*\[\s*:\s*(top_)?k",
        r"(wrong|reversed|ascending) (end|order)",
        r"bottom[- ]k",
    ),
)
def topk_smallest(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
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
    cause="rng ignored: draws with numpy's global np.random.choice instead of the rng passed in",
    names=(
        r"np\.random\.(choice|rand|random|multinomial)",
        r"global (generator|random|rng|state|numpy)",
        r"(ignor\w*|not us\w*|never us\w*|doesn't use|does not use).{0,30}\brng\b",
        r"\brng\b.{0,40}(ignored|not used|never used|unused)",
        r"(not|never|isn't|aren't) (drawn|taken|made) (from|with) (the )?(given )?(generator|rng)",
        r"(draw|random numbers?).{0,40}from (the )?(generator|rng) (you are given|passed|given)",
    ),
)
def global_np_random(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
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
            ix = int(np.random.choice(V, p=p))  # noqa: NPY002
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="the drawn index is not fed back: seed_ix is the input at every step",
    names=(
        r"(not|never) fed back",
        r"feed\w*.{0,30}(back|in).{0,30}(missing|not|never)",
        r"seed_ix.{0,40}(every|each|all) (step|time)",
        r"(every|each) step.{0,40}seed",
        r"(same|first|seed) (input|character|index).{0,30}(every|each|all|repeat)",
        r"(drawn|sampled|previous) (index|character|draw).{0,40}(not|never|isn't) (used|fed)",
    ),
)
def not_fed_back(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, seed_ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
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


@student(
    4,
    correct=False,
    cause="the returned list starts with seed_ix (n + 1 items)",
    names=(
        r"seed_ix.{0,40}(included|first|prepended|at the start|in the list|returned)",
        r"(includ|prepend|start)\w*.{0,30}seed",
        r"n\s*\+\s*1",
        r"one (item|index|element|draw) too many",
        r"(without|not include|excluding|exclude)\s.{0,10}seed_ix",
    ),
)
def includes_seed(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ixes = [seed_ix]
    for _ in range(n):
        h = np.tanh(W_xh[:, ixes[-1]] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            nxt = int(np.argmax(y))
        else:
            z = y / temperature
            p = np.exp(z - z.max())
            p /= p.sum()
            nxt = int(rng.choice(V, p=p))
        ixes.append(nxt)
    return ixes


@student(
    4,
    correct=False,
    cause="the hidden state is not carried: the new state goes into another variable and every "
    "step starts from the h passed in",
    names=(
        r"(state|\bh\b).{0,30}(not|never) (carried|updated|kept|passed)",
        r"(every|each) step.{0,40}(same|initial|starting|original) (state|h\b)",
        r"(from|with) the (same|initial|starting|original) (state|h\b)",
        r"(memory|hidden state).{0,40}(reset|lost|dropped|ignored|not used)",
        r"\bh\b.{0,20}(is )?(never|not) (reassigned|updated)",
    ),
    not_names=(r"fed back",),
)
def state_not_carried(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h_t = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h_t + b_y
        if top_k is not None and top_k < V:
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


# ---------------------------------------------------------------- less common slips


@student(
    4,
    correct=False,
    cause="rng=None not handled: rng.choice is called on None",
    names=(
        r"rng\s*=\s*None",
        r"rng (is|was) None",
        r"NoneType.{0,40}(choice|random|attribute)",
        r"(generator|rng) of (your|its) own",
        r"default_rng",
    ),
)
def rng_none_crash(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
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


@student(
    4,
    correct=False,
    cause="temperature applied to the probabilities (p / T, renormalised) instead of the logits, "
    "so it has no effect",
    names=(
        r"(temperature|τ|tau).{0,60}(no effect|ignored|has no|not applied|makes no difference)",
        r"(temperature|τ|tau).{0,40}(probabilit|after (the )?softmax)",
        r"(probabilit|softmax).{0,40}(divided|scaled).{0,20}(temperature|τ|tau)",
        r"softmax\s*\(\s*y\s*\)\s*(regardless|whatever|at every|for every|for all)",
        r"p\s*/\s*(temperature|T|τ|tau)\b",
    ),
)
def temp_on_probs(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = np.exp(y - y.max())
            p /= p.sum()
            p = p / temperature  # sharpen or flatten
            p /= p.sum()
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="top_k >= V not handled: np.argpartition(-y, top_k) raises (kth out of bounds)",
    names=(
        r"top_k\s*(>=|≥|=)\s*V",
        r"top_k.{0,40}(larger|greater|bigger|more|at least|exceed).{0,30}(V\b|vocab)",
        r"(kth|out of bounds|argpartition)",
        r"top_k\s*=\s*(V|None).{0,40}(fail|rais|crash|error)",
    ),
)
def topk_at_v_crash(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_hy.shape[0]
    ix = seed_ix
    out = []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None:
            keep = np.argpartition(-y, top_k)[:top_k]
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
