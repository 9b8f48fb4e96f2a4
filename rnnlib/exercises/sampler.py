"""Exercise 4: sampling, checked by its properties (any correct way of drawing passes).

    h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h),  y_t = W_hy h_t + b_y,  draw from softmax(y_t / tau)

Exact properties: temperature 0 and top_k = 1 are greedy (the argmax); the same rng gives the
same draws; top-k never leaves the k largest logits; top_k >= V and rng=None work; large logits
do not overflow. Statistical property: over N runs with rngs seeded 0..N-1, the first and the
second draw follow the distribution rnnlib.sampling.next_distribution gives, by a G-test at
false-alarm rate ALPHA each. A G-test that fails on these fixed seeds is run again on fresh
seeds, default_rng([E, i]) with E new at every check, and only a second failure rejects: a
correct sampler that maps the random numbers to draws in its own way is then rejected with
probability at most N_TESTS * ALPHA on any run, never on every run. Mistakes are named by
probing: the draws are compared with those of simulated mistakes (greedy paths, distributions)
and with the sampler's own draws in other settings; when a G-test fails, the sampler is re-run
with an rng that records every random number it asks for (replay.SpyRng), and the draw rule
that turns those numbers into its draws exactly (replay.replay) names the mistake, or the
distribution it passed to rng.choice is shown against softmax(y / tau).
"""

import numpy as np

from ..cell import PARAM_NAMES as NAMES
from ..cell import read_index
from ..sampling import next_distribution
from ..sampling import sample as rnnlib_sample
from . import replay, stats
from ._core import Fail, NotYet, call, catalogue, describe, run_check, snapshot, unchanged
from .replay import SpyRng

V, H, SEED_IX, N_GREEDY = 5, 4, 2, 8
N_DRAWS = 1000  # runs per setting of the statistical test
BIG_K = V + 3  # a top_k >= V: keeps every logit
SETTINGS = ((1.0, None), (0.5, None), (2.0, None), (1.0, 2), (1.0, BIG_K))  # (tau, top_k)
N_TESTS = 2 * len(SETTINGS)  # a G-test of the first and of the second draw per setting
LONG = 5.0  # all N_DRAWS runs of one setting may take 5 x TIMEOUT seconds

MISTAKES = catalogue(
    4,
    sample_seed_fed_always="seed_ix is fed at every step; each sampled index is the next input",
    sample_h_not_carried="the hidden state is not carried: every step starts from the given h; "
    "update h = tanh(W_xh x + W_hh h + b_h) and keep it",
    sample_seed_not_fed="the first draw comes from h itself; feed seed_ix through the cell "
    "first, then draw from the logits of that new state",
    sample_logits_before_update="the logits come from the state before the step's input is fed "
    "(y = W_hy h + b_y computed before h is updated: the draw is made before the cell steps, the "
    "first one from h before seed_ix is fed), so each draw lags one step behind; update h first, "
    "then draw from y = W_hy h + b_y",
    sample_no_tanh="the tanh is missing from the state update: h = tanh(W_xh x + W_hh h + b_h)",
    sample_seed_in_output="the output starts with seed_ix; return the n sampled indices only",
    sample_n_plus_one="it returns n + 1 indices, seed_ix first; return the n sampled indices only",
    sample_floats="the indices are floats; return ints (int(ix) on a drawn index)",
    sample_returns_distribution="it returns probability distributions; return the indices "
    "drawn from them",
    sample_h_in_place="it changes the h it was given in place (h[:] = ..., h += ...); compute "
    "each new state into a new array, h = np.tanh(...)",
    sample_rng_none="rng=None must work too: then draw from a generator of your own, "
    "np.random.default_rng() (a fixed seed is fine as well)",
    sample_divide_by_zero="temperature 0 is the limit tau -> 0 of softmax(y / tau): all mass on "
    "the largest logit, so take the argmax instead of dividing by 0",
    sample_top_k_smallest="top_k keeps the k largest logits (np.argsort(y)[-top_k:] or "
    "np.argsort(-y)[:top_k]), not the smallest",
    sample_top_k_one_too_many="top_k keeps one logit too many (off by one); top_k = k keeps "
    "exactly the k largest",
    sample_top_k_one_too_few="top_k keeps one logit too few (off by one); top_k = k keeps "
    "exactly the k largest",
    sample_top_k_ge_v="top_k >= V must keep all V logits, as no top-k does (only mask when "
    "top_k < V; np.argsort(y)[:V - top_k] counts from the end when V - top_k < 0)",
    sample_global_random="draw with the rng passed in (rng.random(), rng.choice(V, p=p)); "
    "np.random.choice uses numpy's global state",
    sample_fixed_rng="draw with the rng passed in, not a fixed seed or an rng of your own",
    sample_argmax_always="it takes the argmax at temperature > 0 too; only temperature 0 is "
    "greedy, at tau > 0 draw from softmax(y / tau) with the rng",
    sample_temperature_ignored="the temperature has no effect (it was applied to the "
    "probabilities, or not at all); divide the logits: softmax(y / tau)",
    sample_temperature_multiplies="the logits are multiplied by the temperature; divide them: "
    "softmax(y / tau)",
    sample_choice_p_positional="rng.choice(V, p) passes the probabilities positionally: the "
    "second argument of rng.choice is size (the shape of the output) and the third replace, "
    "p comes fourth; name it: rng.choice(V, p=p)",
    sample_choice_of_p="rng.choice(p) draws one of the probabilities themselves, not an index; "
    "draw the index: rng.choice(V, p=p)",
    sample_draw_arrays="each draw is an array holding one index (rng.choice(V, 1, p=p) or "
    "size=1 returns an array); append the index itself: int(rng.choice(V, p=p))",
    sample_top_k_masked_zero="top-k sets the other logits to 0, which leaves them a share of "
    "the probability (exp(0 / tau) > 0); set them to -inf, so that softmax gives them 0",
    sample_uniform="the draws are uniform: draw index i with probability softmax(y / tau)[i]",
    sample_argmax_fed_back="the argmax of the logits is fed back as the next input; feed the "
    "drawn index",
    sample_not_normalised="the probabilities do not sum to 1: after p ** (1 / tau), a top-k on "
    "probabilities or any masking, divide them by their sum",
    sample_greedy_argmax_h="the greedy draw takes the argmax of the hidden state h; take it of "
    "the logits y = W_hy h + b_y (an index of the vocabulary, not of the hidden units)",
    sample_one_uniform="one random number (or noise vector) is drawn once and reused for every "
    "draw (u = rng.random() before the loop); draw a new one at every step, inside the loop",
    sample_p_not_cdf="the uniform number u is compared with p itself (the first i with "
    "p[i] > u); the inverse CDF compares it with the cumulative sum: the first i with "
    "np.cumsum(p)[i] > u",
    sample_gumbel_exponential="the noise added to the logits is -log(U), exponential noise, not "
    "Gumbel noise: Gumbel-max is argmax(y / tau - np.log(-np.log(U))) (or rng.gumbel(size=V))",
    sample_gaussian_noise="the noise added to the logits is Gaussian (rng.standard_normal); "
    "Gumbel-max needs Gumbel noise: argmax(y / tau + rng.gumbel(size=V))",
    sample_overflow="the softmax overflows: exp(y / tau) is inf once y / tau exceeds 709; shift "
    "first, softmax(z) = softmax(z - max(z)) with z = y / tau",
)


def named(cause, text):
    """A Fail naming catalogued mistake `cause` (Mistake.fail)."""
    return MISTAKES[cause].fail(text)


def fixture(w_hy_scale=1.0):
    """params (V = 5, H = 4) and the starting state h: distributions far from uniform and
    from one-hot, that move visibly with the temperature; along the greedy path the two largest
    logits of every step differ by at least 0.36 (so that large logits and tiny temperatures
    make the argmax certain)."""
    rng = np.random.default_rng(424)
    params = {
        "W_xh": rng.standard_normal((H, V)),
        "W_hh": rng.standard_normal((H, H)) * 0.7,
        "W_hy": rng.standard_normal((V, H)) * 1.2 * w_hy_scale,
        "b_h": rng.standard_normal(H) * 0.2,
        "b_y": rng.standard_normal(V) * 0.2,
    }
    return params, rng.standard_normal(H) * 0.5


def logits(params, h, ix):
    """The next state and its logits after feeding index ix: (h_t, y_t)."""
    h = read_index(params, h, ix)
    return h, params["W_hy"] @ h + params["b_y"]


def greedy_variant(params, h, seed_ix, n, mistake=None):
    """Greedy sampling, or greedy with one catalogued mistake (its id) in the loop."""
    out, ix, h0 = [], seed_ix, h
    for t in range(n):
        if mistake == "sample_seed_not_fed" and t == 0:
            y = params["W_hy"] @ h + params["b_y"]
        elif mistake == "sample_logits_before_update":
            y = params["W_hy"] @ h + params["b_y"]
            h = read_index(params, h, ix)
        elif mistake == "sample_greedy_argmax_h":
            h, y = read_index(params, h, ix), None
        elif mistake == "sample_no_tanh":
            h = params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"]
            y = params["W_hy"] @ h + params["b_y"]
        else:
            h, y = logits(params, h0 if mistake == "sample_h_not_carried" else h, ix)
        pick = int(np.argmax(h if y is None else y))
        out.append(pick)
        ix = seed_ix if mistake == "sample_seed_fed_always" else pick
    if mistake == "sample_seed_in_output":
        out = [seed_ix] + out[:-1]
    return out


GREEDY_MISTAKES = (
    "sample_seed_fed_always",
    "sample_h_not_carried",
    "sample_seed_not_fed",
    "sample_logits_before_update",
    "sample_no_tanh",
    "sample_seed_in_output",
    "sample_greedy_argmax_h",
)


def read_draws(out, n, label, probe=None):
    """A student's return value as a list of n ints in [0, V), else Fail; probe(m) calls the
    sampler again with n = m (to tell n + 1 draws with the seed first)."""
    if out is None or isinstance(out, (str, bytes, dict)) or not hasattr(out, "__len__"):
        raise Fail(f"sample should return a list of {n} ints {label}, got {type(out).__name__}.")
    items = list(out)
    if items and not isinstance(items[0], (int, np.integer)) and np.shape(items[0]) == (V,):
        try:
            sums = [float(np.sum(np.asarray(i, dtype=np.float64))) for i in items]
        except (TypeError, ValueError):
            sums = [0.0]
        if all(np.shape(i) == (V,) for i in items) and all(abs(s - 1.0) < 1e-6 for s in sums):
            raise named(
                "sample_returns_distribution",
                f"sample returned {len(items)} arrays of shape ({V},) {label}, each summing to 1",
            )
    if len(items) != n:
        msg = f"sample returned {len(items)} indices {label}; expected n = {n}"
        if len(items) == n + 1 and probe is not None and items[:1] == [SEED_IX]:
            try:
                empty = list(probe(0))
            except Exception:  # the probe only helps to name the cause
                empty = None
            if empty == [SEED_IX]:
                raise named("sample_n_plus_one", f"{msg}, and with n = 0 it returned [{SEED_IX}]")
        raise Fail(f"{msg}.")
    if items and all(
        isinstance(i, np.ndarray) and i.shape == (1,) and i.dtype.kind in "iu" for i in items
    ):
        raise named(
            "sample_draw_arrays",
            f"sample returned {items[0]!r}, ... {label}: {len(items)} arrays of shape (1,)",
        )
    for item in items:
        if isinstance(item, (float, np.floating)) and float(item).is_integer():
            raise named("sample_floats", f"sample returned {item!r} {label}, a float")
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise Fail(
                f"sample returned {item!r} ({type(item).__name__}) {label}; expected ints "
                "(use int(ix) on a drawn index)."
            )
        if not 0 <= item < V:
            raise Fail(f"sample returned index {int(item)} {label}, outside [0, {V - 1}].")
    return [int(i) for i in items]


def student_error(e, label):
    """Fail for an exception of the student's sampler, naming the cause its text implies."""
    text = f"sample raised {describe(e)} {label}"
    if "do not sum to 1" in str(e).lower():
        return named("sample_not_normalised", text)
    return Fail(f"{text}.")


def is_distribution(a):
    """Whether a is a float array of shape (V,) with entries in [0, 1] summing to 1 (to 1e-6)."""
    try:
        a = np.asarray(a)
    except Exception:  # whatever the student passed
        return False
    if a.shape != (V,) or a.dtype.kind != "f":
        return False
    return bool(np.all((a >= 0) & (a <= 1)) and abs(float(a.sum()) - 1.0) < 1e-6)


def rng_misuse(fn, params, h, n, kw, fail):
    """Fail naming how rng.choice was misused, if a rerun with a spying rng shows it; `fail`
    the Fail of the first run (its text comes first)."""
    spy = SpyRng(0)
    try:
        call(fn, "sample", (params, np.array(h), SEED_IX, n), dict(kw, rng=spy))
    except (Fail, NotYet):  # the rerun only helps to name the cause
        pass
    text = str(fail).rstrip(".")
    for args, kwargs in spy.choices:
        if "p" in kwargs:
            continue
        where = [i for i in (1, 2) if i < len(args) and is_distribution(args[i])]  # p is 4th
        if where:
            shown = ", ".join(
                f"<{V} probabilities>" if i in where else repr(a) for i, a in enumerate(args)
            )
            raise named(
                "sample_choice_p_positional",
                f"{text}; it called rng.choice({shown}), the probabilities positional, no p=",
            )
        if args and is_distribution(args[0]):
            raise named(
                "sample_choice_of_p",
                f"{text}; it called rng.choice(<{V} probabilities>) without p=, which draws one "
                "of them",
            )


def draw_once(fn, params, h, n, label, **kw):
    """One call of the student's sample, its inputs checked for changes in place."""
    arrays = [params[k] for k in NAMES]
    copies, h_copy = snapshot(*arrays), np.array(h, copy=True)
    try:
        out = call(fn, "sample", (params, h, SEED_IX, n), kw, case=label)
    except Fail as fail:
        if "do not sum to 1" in str(fail).lower():
            raise named("sample_not_normalised", str(fail).rstrip(".")) from None
        if kw.get("rng") is not None:
            rng_misuse(fn, params, h_copy, n, kw, fail)
        raise
    if not np.array_equal(h, h_copy):
        raise named("sample_h_in_place", f"sample changed its input h {label}")
    unchanged("sample", [f"params[{k!r}]" for k in NAMES], arrays, copies, label)

    def probe(m):
        return fn(params, np.array(h_copy), SEED_IX, m, **kw)

    try:
        return read_draws(out, n, label, probe)
    except Fail as fail:
        if fail.cause is None and kw.get("rng") is not None:
            rng_misuse(fn, params, h_copy, n, kw, fail)
        raise


def check_greedy(fn, params, h):
    """Temperature 0 and top_k = 1 give the argmax path exactly."""
    want = rnnlib_sample(params, h, SEED_IX, N_GREEDY, temperature=0)
    for kw, what in (
        ({"temperature": 0.0}, "at temperature 0"),
        ({"temperature": 1.0, "top_k": 1}, "with top_k = 1 (temperature 1)"),
        ({"temperature": 2.0, "top_k": 1}, "with top_k = 1 (temperature 2)"),
    ):
        label = f"{what}, n = {N_GREEDY}"
        rng = np.random.default_rng(1)
        try:
            got = draw_once(fn, params, h, N_GREEDY, label, rng=rng, **kw)
        except Fail as fail:
            if fail.cause is not None:
                raise
            if "top_k" in kw:
                top_k_too_few(fn, params, h, str(fail).rstrip("."))
                raise
            raise named(
                "sample_divide_by_zero", f"{str(fail).rstrip('.')} (at temperature 1 it worked)"
            ) from None
        if got == want:
            continue
        for mistake in GREEDY_MISTAKES:
            if got == greedy_variant(params, h, SEED_IX, N_GREEDY, mistake):
                raise named(mistake, f"sample {label} returned {got}, not the greedy path {want}")
        if "top_k" in kw:
            top_k_mistake(fn, params, h, got, want, label)
        first = next(i for i in range(N_GREEDY) if got[i] != want[i])
        why = (
            " top_k = 1 keeps only the largest logit, so every draw is the argmax."
            if "top_k" in kw
            else " Temperature 0 means: always take the index of the largest logit."
        )
        raise Fail(
            f"sample {label} returned {got}; the greedy path is {want} (first difference "
            f"at step {first + 1}).{why}"
        )


def ranks(params, h, path):
    """The rank (0 = largest) of each drawn index among the logits of its step."""
    out, ix = [], SEED_IX
    for d in path:
        h, y = logits(params, h, ix)
        out.append(int(np.sum(y > y[d])))
        ix = d
    return out


def top_k_mistake(fn, params, h, got, want, label):
    """Fail naming the mistake if the top_k = 1 draws are the smallest or within the top 2."""
    r = ranks(params, h, got)
    text = f"sample {label} returned {got}, not the greedy path {want}; the ranks of its draws"
    if all(k == V - 1 for k in r):
        raise named("sample_top_k_smallest", f"{text} (0 = largest logit) are {r}, the smallest")
    if max(r) == 1:
        raise named("sample_top_k_one_too_many", f"{text} (0 = largest logit) are {r}")
    top_k_zero_probe(fn, params, h, f"{text} (0 = largest logit) are {r}")
    top_k_too_few(fn, params, h, f"sample {label} returned {got}, not the greedy path {want}")


def top_k_zero_probe(fn, params, h, text):
    """Fail naming a top-k that sets the other logits to 0 if, at top_k = 2 and temperature 1,
    first draws leave the top 2 and their frequencies fit that distribution (a G-test)."""
    try:
        draws, _ = run_draws(fn, params, h, 1.0, 2)
    except Fail:  # the probe only helps to name the cause
        return
    y1 = logits(params, h, SEED_IX)[1]
    counts = np.bincount(draws[:, 0], minlength=V)
    zero = masked_to_zero(y1, 1.0, 2)
    outside = int(np.sum(counts[np.argsort(-y1, kind="stable")[2:]]))
    if outside and stats.g_test(counts, zero) >= stats.ALPHA:
        freq = ", ".join(f"{c / N_DRAWS:.3f}" for c in counts)
        raise named(
            "sample_top_k_masked_zero",
            f"{text}; with top_k = 2 at temperature 1, {outside} of {N_DRAWS} first draws left "
            f"the top 2, and their frequencies [{freq}] fit softmax(y) with the other logits set "
            f"to 0, [{', '.join(f'{q:.3f}' for q in zero)}]",
        )


def top_k_too_few(fn, params, h, text):
    """Fail naming top-k keeping k - 1 if, at top_k = 2, 50 runs never leave the argmax path
    (the runner-up of every step has probability >= 0.17 there: a chance below 1e-30)."""
    want = rnnlib_sample(params, h, SEED_IX, N_GREEDY, temperature=0)
    for seed in range(50):
        try:
            got = fn(
                params,
                np.array(h),
                SEED_IX,
                N_GREEDY,
                rng=np.random.default_rng(seed),
                temperature=1.0,
                top_k=2,
            )
        except Exception:  # the probe only helps to name the cause
            return
        if not hasattr(got, "__len__") or [int(i) for i in got] != want:
            return
    raise named(
        "sample_top_k_one_too_few",
        f"{text}; and with top_k = 2 all of 50 runs (rng seeded 0 to 49) took the greedy path "
        f"{want}, as if it kept one logit",
    )


def check_reproducible(fn, params, h):
    label = "with temperature 1 called twice with np.random.default_rng(7)"
    a = draw_once(fn, params, h, 10, label, rng=np.random.default_rng(7))
    b = draw_once(fn, params, h, 10, label, rng=np.random.default_rng(7))
    if a != b:
        raise named("sample_global_random", f"sample is not reproducible {label}: {a} then {b}")


def check_options(fn, params, h):
    """top_k = V and top_k > V work (as no top-k); rng=None works."""
    for top_k in (V, BIG_K):
        label = f"with top_k = {top_k} >= V = {V}, n = 6"
        try:
            draw_once(fn, params, h, 6, label, rng=np.random.default_rng(0), top_k=top_k)
        except Fail as fail:
            if fail.cause is not None:
                raise
            raise named(
                "sample_top_k_ge_v", f"{str(fail).rstrip('.')} (with top_k = None it worked)"
            ) from None
    for kw in ({"temperature": 1.0}, {"temperature": 0.0}):
        label = f"with rng=None at temperature {kw['temperature']:g}, n = 6"
        try:
            got = draw_once(fn, params, h, 6, label, rng=None, **kw)
        except Fail as fail:
            if fail.cause is not None:
                raise
            raise named("sample_rng_none", str(fail).rstrip(".")) from None
        want = rnnlib_sample(params, h, SEED_IX, 6, temperature=0)
        if kw["temperature"] == 0.0 and got != want:
            raise Fail(f"sample {label} returned {got}; the greedy path is {want}.")


OVERFLOW_WHY = "greedy and the statistics are right at moderate logits"


def check_extremes(fn, params, h):
    """Large logits (W_hy scaled by 500) and a tiny temperature: the draws are the argmax."""
    big, _ = fixture(w_hy_scale=500.0)
    for p, kw, what in (
        (big, {"temperature": 1.0}, "with large logits (W_hy scaled by 500), temperature 1"),
        (params, {"temperature": 0.005}, "at temperature 0.005"),
    ):
        want = rnnlib_sample(p, h, SEED_IX, N_GREEDY, temperature=0)
        label = f"{what}, n = {N_GREEDY}"
        try:
            got = draw_once(fn, p, h, N_GREEDY, label, rng=np.random.default_rng(3), **kw)
        except Fail as fail:
            raise named("sample_overflow", f"{str(fail).rstrip('.')}; {OVERFLOW_WHY}") from None
        if got != want:
            raise named(
                "sample_overflow",
                f"sample {label} returned {got}; there the distribution is the argmax to "
                f"within 1e-12, so the draws must be the greedy path {want}; {OVERFLOW_WHY}",
            )


def fresh_entropy():
    """A number new at every check: the fresh seeds of a re-test are default_rng([E, i])."""
    return int(np.random.SeedSequence().entropy % 10**9)


def run_draws(fn, params, h, temperature, top_k, entropy=None):
    """The first two draws of N_DRAWS runs, rng seeded 0 .. N_DRAWS - 1 (or [entropy, i]):
    an (N_DRAWS, 2) array and the setting's label."""
    label = f"at temperature {temperature:g}" + (f", top_k = {top_k}" if top_k else "")
    kw = {"temperature": temperature, "top_k": top_k}

    def seed(i):
        return i if entropy is None else [entropy, i]

    def many():  # under one time limit: the calls are many and quick
        out = []
        for i in range(N_DRAWS):
            try:
                got = fn(params, h, SEED_IX, 2, rng=np.random.default_rng(seed(i)), **kw)
            except NotImplementedError:
                raise NotYet("sample") from None
            except Exception as e:
                raise student_error(e, f"{label} with rng seed {seed(i)}") from None
            out.append(read_draws(got, 2, label))
        return out

    return np.array(call(many, "sample", (), case=label, scale=LONG), dtype=np.intp), label


def expected(params, h, temperature, top_k):
    """The distribution of the first draw (V,) and of the second (V,) under rnnlib."""
    h1, y1 = logits(params, h, SEED_IX)
    p1 = next_distribution(y1, temperature, top_k)
    p2 = sum(
        p1[d] * next_distribution(logits(params, h1, d)[1], temperature, top_k) for d in range(V)
    )
    return p1, p2, y1, h1


def top_k_violation(params, h1, y1, draws, top_k):
    """The first draw outside the top-k logits of its step, as (step, index, allowed, rank),
    rank that of the drawn logit (0 = largest), or None."""
    for first, second in draws:
        for step, (d, y) in enumerate(((first, y1), (second, logits(params, h1, first)[1]))):
            allowed = sorted(int(i) for i in np.argsort(-y, kind="stable")[:top_k])
            if d not in allowed:
                return step + 1, int(d), allowed, int(np.sum(y > y[d]))
    return None


def masked_to_zero(y, temperature, top_k):
    """The distribution of a top-k that sets the logits outside the top k to 0 (not -inf)."""
    keep = np.argsort(-y, kind="stable")[:top_k]
    z = np.zeros_like(y)
    z[keep] = y[keep]
    return next_distribution(z, temperature, None)


def alternatives(params, h, y1, h1, temperature, top_k, step):
    """The distributions of step 1 or 2 that typical mistakes draw from, by mistake id."""
    if step == 2:
        fed = logits(params, h1, int(np.argmax(y1)))[1]
        return {"sample_argmax_fed_back": next_distribution(fed, temperature, top_k)}
    out = {"sample_uniform": np.full(V, 1.0 / V)}
    if temperature != 1.0:
        out["sample_temperature_ignored"] = next_distribution(y1, 1.0, top_k)
        out["sample_temperature_multiplies"] = next_distribution(
            y1 * temperature * temperature, temperature, top_k
        )
    return out


def constant_draws(fn, params, h, draws, label):
    """Fail for the same draws from every rng: the argmax at tau > 0, or a fixed rng."""
    want = rnnlib_sample(params, h, SEED_IX, N_GREEDY, temperature=0)
    text = (
        f"sample {label} returned {[int(i) for i in draws[0]]} for every one of {N_DRAWS} "
        "different rngs"
    )
    probes = []
    for t in (1.0, 2.0):
        try:
            got = fn(
                params, np.array(h), SEED_IX, N_GREEDY, temperature=t, rng=np.random.default_rng(11)
            )
            probes.append([int(i) for i in got])
        except Exception:  # the probe only helps to name the cause
            probes.append(None)
    if list(draws[0]) == want[:2] and probes == [want, want]:
        raise named(
            "sample_argmax_always",
            f"{text}, and with n = {N_GREEDY} at temperatures 1 and 2 it returned the greedy "
            f"path {want}",
        )
    raise named("sample_fixed_rng", text)


def g_fail(fn, params, h, draws, label, setting, step, p, retest):
    """None if the draws of `step` pass the G-test (here or on fresh seeds), else the message
    (with the frequencies, seeds and p-values) and the id of the mistake they fit, or None."""
    temperature, top_k = setting
    counts = np.bincount(draws[:, step - 1], minlength=V)
    pvalue = stats.g_test(counts, p)
    if pvalue >= stats.ALPHA:
        return None
    entropy = fresh_entropy()
    fresh, _ = run_draws(fn, params, h, temperature, top_k, entropy)
    fresh_counts = np.bincount(fresh[:, step - 1], minlength=V)
    fresh_p = stats.g_test(fresh_counts, p)
    seeds = f"np.random.default_rng([{entropy}, i]), i = 0..{N_DRAWS - 1}"
    if fresh_p >= stats.ALPHA:
        retest.append(
            f"the draws at step {step} {label} failed on the rngs seeded 0..{N_DRAWS - 1} "
            f"(p = {pvalue:.2g}) and passed on fresh seeds {seeds} (p = {fresh_p:.2g})"
        )
        return None
    freq = ", ".join(f"{c / N_DRAWS:.3f}" for c in counts)
    fresh_freq = ", ".join(f"{c / N_DRAWS:.3f}" for c in fresh_counts)
    want = ", ".join(f"{q:.3f}" for q in p)
    msg = (
        f"The draws at step {step} {label} do not follow softmax(y / tau): over {N_DRAWS} runs "
        f"with rngs seeded 0..{N_DRAWS - 1} the frequencies of indices 0..{V - 1} are [{freq}] "
        f"(G-test p-value {pvalue:.2g}), and again on fresh seeds {seeds}: [{fresh_freq}] "
        f"(p-value {fresh_p:.2g}); expected [{want}], and each test fails a correct sampler "
        f"with probability {stats.ALPHA:g} only"
    )
    return msg, counts


N_REPLAY, REPLAY_RUNS = 8, 3  # the runs (8 draws each) whose random numbers are replayed


def spied_runs(fn, params, h, temperature, top_k):
    """REPLAY_RUNS runs of n = N_REPLAY with SpyRng(0), SpyRng(1), ...: (calls, steps) each,
    steps [(y_t, draw_t)] the logits along the sampler's own draws; None if one fails."""
    runs = []
    for seed in range(REPLAY_RUNS):
        spy = SpyRng(seed)
        kw = {"temperature": temperature, "top_k": top_k, "rng": spy}
        try:
            got = call(fn, "sample", (params, np.array(h), SEED_IX, N_REPLAY), kw)
            draws = read_draws(got, N_REPLAY, "")
        except (Fail, NotYet):  # the replay only helps to name the cause
            return None
        steps, state, ix = [], h, SEED_IX
        for d in draws:
            state, y = logits(params, state, ix)
            steps.append((y, d))
            ix = d
        runs.append((spy.calls, steps))
    return runs


def replayed(fn, params, h, setting, msg):
    """Fail naming the mistake whose draw rule turns the sampler's own random numbers into its
    draws exactly (replay.replay), or saying which distribution it passed to rng.choice."""
    temperature, top_k = setting
    runs = spied_runs(fn, params, h, temperature, top_k)
    if runs is None:
        return
    found = replay.replay(runs, temperature, top_k)
    if found is not None:
        raise named(found[0], f"{msg}. Why: {found[1]}")
    passed = [[replay.passed_p(c) for c in calls] for calls, _ in runs]
    if not all(len(ps) == N_REPLAY and all(p is not None for p in ps) for ps in passed):
        return
    for (_, steps), ps in zip(runs, passed, strict=True):
        for t, ((y, _), q) in enumerate(zip(steps, ps, strict=True)):
            want = next_distribution(y, temperature, top_k)
            if q.shape == want.shape and np.allclose(np.sort(q), np.sort(want), atol=1e-9):
                continue
            for m, other in replay.distributions(y, temperature, top_k).items():
                if m is not None and q.shape == want.shape and np.allclose(q, other, atol=1e-9):
                    raise named(
                        m,
                        f"{msg}. At step {t + 1} (rng seeded 0) it passed p = {fmt(q)} to the "
                        f"rng, not softmax(y / tau) = {fmt(want)}",
                    )
            if t > 0:  # the state may differ from here on (what is fed back): not told
                return
            raise Fail(
                f"{msg}. At step {t + 1} (rng seeded 0, n = {N_REPLAY}) it passed p = {fmt(q)} "
                f"to the rng; softmax(y / tau) there is {fmt(want)}."
            )


def fmt(p):
    """A distribution as text, 4 decimals."""
    return "[" + ", ".join(f"{x:.4f}" for x in np.ravel(p)) + "]"


def check_statistics(fn, params, h):
    """The G-tests of every setting; returns the re-tests that a fresh run passed."""
    retest = []
    for temperature, top_k in SETTINGS:
        draws, label = run_draws(fn, params, h, temperature, top_k)
        p1, p2, y1, h1 = expected(params, h, temperature, top_k)
        if top_k is not None and top_k < V:
            bad = top_k_violation(params, h1, y1, draws, top_k)
            if bad:
                step, d, allowed, rank = bad
                text = (
                    f"sample {label} drew index {d} at step {step}, outside the {top_k} largest "
                    f"logits of that step (indices {allowed}); its logit is the "
                    f"{'largest' if rank == 0 else f'{rank + 1}th largest'}"
                )
                if rank == top_k:
                    raise named("sample_top_k_one_too_many", text)
                zero = masked_to_zero(y1, temperature, top_k)
                counts = np.bincount(draws[:, 0], minlength=V)
                if stats.g_test(counts, zero) >= stats.ALPHA:
                    freq = ", ".join(f"{c / N_DRAWS:.3f}" for c in counts)
                    raise named(
                        "sample_top_k_masked_zero",
                        f"{text}; the first draws' frequencies [{freq}] fit softmax(y / tau) "
                        "with the other logits set to 0, "
                        f"[{', '.join(f'{q:.3f}' for q in zero)}]",
                    )
                if rank == V - 1:
                    raise named("sample_top_k_smallest", text)
                raise Fail(f"{text}: keep the top_k largest logits and set the others to -inf.")
        if len({tuple(r) for r in draws}) == 1:
            constant_draws(fn, params, h, draws, label)
        for step, p in ((1, p1), (2, p2)):
            failed = g_fail(fn, params, h, draws, label, (temperature, top_k), step, p, retest)
            if failed is None:
                continue
            msg, counts = failed
            if top_k is not None and top_k >= V:  # the same without top_k passed above
                raise named(
                    "sample_top_k_ge_v",
                    f"{msg}; with top_k = None at temperature {temperature:g} they passed",
                )
            replayed(fn, params, h, (temperature, top_k), msg)
            fits = [
                m
                for m, q in alternatives(params, h, y1, h1, temperature, top_k, step).items()
                if stats.g_test(counts, q) >= stats.ALPHA
            ]
            if len(fits) == 1:
                raise named(fits[0], f"{msg}. They fit another distribution")
            if step == 2:
                raise Fail(f"{msg}. The first draws are right: is the drawn index fed back?")
            raise Fail(f"{msg}.")
    return retest


def body(fn):
    params, h = fixture()
    draw_once(fn, params, h, 6, "with n = 6, temperature 1", rng=np.random.default_rng(0))
    check_greedy(fn, params, h)
    draw_once(fn, params, h, 0, "with n = 0", rng=np.random.default_rng(0))
    check_reproducible(fn, params, h)
    check_options(fn, params, h)
    retest = check_statistics(fn, params, h)
    check_extremes(fn, params, h)
    false_alarm = N_TESTS * stats.ALPHA
    again = "; ".join(retest)
    again = f" Re-tested: {again}." if again else ""
    return (
        "Greedy at temperature 0 and with top_k = 1, exactly; the same rng gives the same "
        f"draws; top_k >= V and rng=None work; no overflow with large logits; top-k never left "
        f"the top k; and {N_TESTS} G-tests of {N_DRAWS} runs each (first and second draw at "
        f"tau = 0.5, 1, 2, with top_k = 2 and with top_k = {BIG_K}) pass. Each G-test fails a "
        f"correct sampler with probability {stats.ALPHA:g}, and one that fails on the fixed "
        "seeds 0, 1, ... is run again on fresh seeds and only a second failure counts: a "
        f"correct sampler fails this check with probability at most {false_alarm:g} on any "
        f"run, whatever way it draws.{again}"
    )


def check_sample(fn):
    """Check a student's sample(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None)
    -> list of n ints, by its properties (see the module docstring)."""
    return run_check("sample", lambda: body(fn))
