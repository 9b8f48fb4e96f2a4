"""Exercise 4, sample(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None) -> list."""

import numpy as np

from . import student

# ---------------------------------------------------------------- correct


@student(4, correct=True, cause="rng.choice on the softmax, top-k through argsort")
def choice_argsort(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
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


@student(4, correct=True, cause="Gumbel-max: argmax of y / tau plus rng.gumbel noise")
def gumbel_max(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    V = params["W_hy"].shape[0]
    ix, draws = seed_ix, []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            y = np.where(np.isin(np.arange(V), np.argsort(y)[::-1][:top_k]), y, -np.inf)
        if temperature > 0:
            ix = int(np.argmax(y / temperature + rng.gumbel(size=V)))
        else:
            ix = int(np.argmax(y))
        draws.append(ix)
    return draws


@student(
    4,
    correct=True,
    cause="column vectors and one-hot inputs, inverse CDF with rng.random(), argpartition top-k",
)
def inverse_cdf_columns(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"][:, None], params["b_y"][:, None]
    V = Why.shape[0]
    x = np.zeros((V, 1))
    x[seed_ix] = 1
    hc = np.reshape(h, (-1, 1))
    ixes = []
    for _ in range(n):
        hc = np.tanh(Wxh @ x + Whh @ hc + bh)
        y = (Why @ hc + by).ravel()
        if top_k is not None and top_k < V:
            drop = np.argpartition(-y, top_k)[top_k:]
            y = y.copy()
            y[drop] = -np.inf
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = np.exp((y - y.max()) / temperature)
            cdf = np.cumsum(p / p.sum())
            ix = min(int(np.searchsorted(cdf, rng.random(), side="right")), V - 1)
        x = np.zeros((V, 1))
        x[ix] = 1
        ixes.append(ix)
    return ixes


# ---------------------------------------------------------------- buggy


@student(
    4,
    correct=False,
    cause="the logits multiplied by the temperature instead of divided by it",
    names=(
        r"multipl\w*.{0,60}(temperature|τ|tau)",
        r"(temperature|τ|tau).{0,60}multipl",
        r"y ?\* ?(temperature|τ|tau)",
        r"(inverse|reciprocal).{0,30}(temperature|τ|tau)",
        r"1 ?/ ?(τ|tau|temperature)",
    ),
)
def temperature_multiplies(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
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
    cause="the temperature divides the probabilities after the softmax (and the renormalisation "
    "undoes it) instead of the logits",
    names=(
        r"(after|on|to) (the )?(softmax|probabilit)",
        r"probabilit\w*.{0,40}(instead of|not|rather than) (the )?logits",
        r"temperature.{0,40}(no effect|ignored|has no|not applied|does nothing)",
        r"ignor\w* (the )?temperature",
    ),
)
def temperature_on_probabilities(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        p = np.exp(y - y.max())
        p /= p.sum()
        if temperature == 0:
            ix = int(np.argmax(p))
        else:
            p = p / temperature
            p /= p.sum()
            ix = int(rng.choice(V, p=p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="greedy (temperature 0) takes np.argmax(h), the hidden state, instead of the logits y",
    names=(
        r"argmax.{0,40}(hidden|\bh\b|state)",
        r"(hidden|\bh\b|state).{0,40}instead of.{0,20}(logits|\by\b)",
    ),
)
def greedy_argmax_of_state(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
            keep = np.argsort(-y)[:top_k]
            masked = np.full(V, -np.inf)
            masked[keep] = y[keep]
            y = masked
        if temperature == 0:
            ix = int(np.argmax(h))
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
    cause="draws before stepping the cell: the first draw comes from the state before seed_ix "
    "is fed (each input is fed one draw late)",
    names=(
        r"seed.{0,80}(not fed|never fed|before|late|ignored|skipped)",
        r"(before|without) (feeding|reading|stepping).{0,40}(seed|input|cell)",
        r"one (step|draw) late",
    ),
)
def draw_before_step(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
    for _ in range(n):
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
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        ix = nxt
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="the one-hot input is built once from seed_ix and never updated: the seed is fed at "
    "every step instead of the drawn index",
    names=(
        r"(feed|fed|input)\w*.{0,60}(seed|same (index|character|input)|first)",
        r"(drawn|sampled|previous) (index|character|draw).{0,40}(not|never) fed",
        r"(not|never) fe(e)?d\w* (it )?back",
    ),
)
def always_feeds_seed(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"][:, None], params["b_y"][:, None]
    V = Why.shape[0]
    x = np.zeros((V, 1))
    x[seed_ix] = 1
    hc = np.reshape(h, (-1, 1))
    ixes = []
    for _ in range(n):
        hc = np.tanh(Wxh @ x + Whh @ hc + bh)
        y = (Why @ hc + by).ravel()
        if top_k is not None and top_k < V:
            drop = np.argpartition(-y, top_k)[top_k:]
            y = y.copy()
            y[drop] = -np.inf
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = np.exp((y - y.max()) / temperature)
            cdf = np.cumsum(p / p.sum())
            ix = min(int(np.searchsorted(cdf, rng.random(), side="right")), V - 1)
        ixes.append(ix)
    return ixes


@student(
    4,
    correct=False,
    cause="top-k keeps np.argsort(y)[:k], the k smallest logits",
    names=(r"smallest", r"lowest", r"ascending", r"bottom", r"argsort\(y\)"),
)
def top_k_smallest(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
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
    cause="top-k threshold np.sort(y)[-top_k - 1] with y < threshold dropped: keeps k + 1 logits",
    names=(r"k ?\+ ?1", r"off[- ]by[- ]one", r"one (too many|more|extra)"),
)
def top_k_threshold_off_by_one(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
            kth = np.sort(y)[-top_k - 1]
            y = np.where(y < kth, -np.inf, y)
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
    cause="top-k sets the dropped logits to 0 instead of -inf, so they keep probability",
    names=(
        r"(set|mask|zero)\w*.{0,40}\b(0|zero)\b.{0,40}(instead|rather|not)",
        r"zero(ed)? (logits|instead)",
        r"\b0 instead of -inf",
    ),
)
def top_k_masks_with_zero(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
    for _ in range(n):
        h = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h + b_y
        if top_k is not None and top_k < V:
            keep = np.argsort(-y)[:top_k]
            masked = np.zeros(V)
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
    cause="draws with np.random.choice, numpy's global generator, instead of the rng given",
    names=(
        r"global",
        r"np\.random\.(choice|rand|random)",
        r"(not|never) (from|use\w*|draw\w* from) (the )?(given |supplied |passed )?(rng|generator)",
        r"ignor\w* (the )?(rng|generator)",
    ),
)
def global_random_state(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
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
            ix = int(np.random.choice(V, p=p))  # noqa: NPY002 (the student's slip)
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="one uniform number u = rng.random() drawn before the loop and reused for every draw",
    names=(
        r"same (uniform|random) (number|draw|value)",
        r"reus\w*.{0,40}(random|uniform)",
        r"(one|a single) (uniform|random) (number|value)",
        r"(draws|steps) (are )?(not independent|dependent|correlated)",
    ),
)
def one_uniform_for_all(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"][:, None], params["b_y"][:, None]
    V = Why.shape[0]
    x = np.zeros((V, 1))
    x[seed_ix] = 1
    hc = np.reshape(h, (-1, 1))
    u = rng.random()
    ixes = []
    for _ in range(n):
        hc = np.tanh(Wxh @ x + Whh @ hc + bh)
        y = (Why @ hc + by).ravel()
        if top_k is not None and top_k < V:
            drop = np.argpartition(-y, top_k)[top_k:]
            y = y.copy()
            y[drop] = -np.inf
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = np.exp((y - y.max()) / temperature)
            cdf = np.cumsum(p / p.sum())
            ix = min(int(np.searchsorted(cdf, u, side="right")), V - 1)
        x = np.zeros((V, 1))
        x[ix] = 1
        ixes.append(ix)
    return ixes


@student(
    4,
    correct=False,
    cause="the uniform number compared with p itself (first index with p > u) instead of the "
    "cumulative sum",
    names=(r"cumul", r"\bcdf\b", r"cumsum"),
)
def compares_with_p_not_cdf(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
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
            u = rng.random()
            above = np.nonzero(p > u)[0]
            ix = int(above[0]) if len(above) else int(np.argmax(p))
        out.append(ix)
    return out


@student(
    4,
    correct=False,
    cause="Gumbel-max with Gaussian noise (rng.standard_normal) instead of Gumbel noise",
    names=(r"gauss", r"normal", r"gumbel"),
)
def gumbel_with_gaussian_noise(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    V = params["W_hy"].shape[0]
    ix, draws = seed_ix, []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            y = np.where(np.isin(np.arange(V), np.argsort(y)[::-1][:top_k]), y, -np.inf)
        if temperature > 0:
            ix = int(np.argmax(y / temperature + rng.standard_normal(V)))
        else:
            ix = int(np.argmax(y))
        draws.append(ix)
    return draws


@student(
    4,
    correct=False,
    cause="Gumbel noise made as -log(U) (exponential) instead of -log(-log(U))",
    names=(r"gumbel", r"exponential", r"log\s*\(\s*-\s*(np\.)?log", r"-ln\s*\(?\s*-\s*ln"),
)
def gumbel_missing_log(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = np.random.default_rng(0) if rng is None else rng
    V = params["W_hy"].shape[0]
    ix, draws = seed_ix, []
    for _ in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        if top_k is not None and top_k < V:
            y = np.where(np.isin(np.arange(V), np.argsort(y)[::-1][:top_k]), y, -np.inf)
        if temperature > 0:
            g = -np.log(rng.random(V))
            ix = int(np.argmax(y / temperature + g))
        else:
            ix = int(np.argmax(y))
        draws.append(ix)
    return draws


@student(
    4,
    correct=False,
    cause="the state is never carried: h_new is computed from the initial h at every step",
    names=(
        r"(state|\bh\b).{0,60}(not|never) (carried|updated|kept|passed)",
        r"same (initial |starting )?state",
        r"(initial|starting) state.{0,40}(every|each) step",
    ),
)
def state_not_carried(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    ix, out = seed_ix, []
    for _ in range(n):
        h_new = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)
        y = W_hy @ h_new + b_y
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
    cause="top-k through np.argpartition(-y, top_k): raises when top_k >= V (kth out of bounds)",
    names=(
        r"top_k ?(>=|≥|=) ?V",
        r"top_k.{0,40}(at least|as large as|larger than|equal to|greater).{0,20}(V\b|vocab)",
        r"argpartition",
        r"kth",
    ),
)
def argpartition_top_k_ge_v(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"][:, None], params["b_y"][:, None]
    V = Why.shape[0]
    x = np.zeros((V, 1))
    x[seed_ix] = 1
    hc = np.reshape(h, (-1, 1))
    ixes = []
    for _ in range(n):
        hc = np.tanh(Wxh @ x + Whh @ hc + bh)
        y = (Why @ hc + by).ravel()
        if top_k is not None:
            drop = np.argpartition(-y, top_k)[top_k:]
            y = y.copy()
            y[drop] = -np.inf
        if temperature == 0:
            ix = int(np.argmax(y))
        else:
            p = np.exp((y - y.max()) / temperature)
            cdf = np.cumsum(p / p.sum())
            ix = min(int(np.searchsorted(cdf, rng.random(), side="right")), V - 1)
        x = np.zeros((V, 1))
        x[ix] = 1
        ixes.append(ix)
    return ixes
