"""Exercise 4: sampling, checked by its properties (any correct way of drawing passes).

    h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h),  y_t = W_hy h_t + b_y,  draw from softmax(y_t / tau)

Exact properties: temperature 0 and top_k = 1 are greedy (the argmax); the same rng gives the
same draws; top-k never leaves the k largest logits; large logits do not overflow. Statistical
property: over N runs with rngs seeded 0..N-1, the first and the second draw follow the
distribution rnnlib.sampling.next_distribution gives, by a G-test at false-alarm rate ALPHA each.
The seeds are fixed, so the verdict on a given implementation is the same on every run.
"""

import numpy as np

from ..sampling import next_distribution, read_index
from ..sampling import sample as rnnlib_sample
from . import stats
from ._core import Fail, NotYet, call, describe, run_check, snapshot, unchanged

V, H, SEED_IX, N_GREEDY = 5, 4, 2, 8
N_DRAWS = 1000  # runs per setting of the statistical test
SETTINGS = ((1.0, None), (0.5, None), (2.0, None), (1.0, 2))  # (temperature, top_k)
N_TESTS = 2 * len(SETTINGS)  # a G-test of the first and of the second draw per setting
LONG = 5.0  # all N_DRAWS runs of one setting may take 5 x TIMEOUT seconds
NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


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
    """Greedy sampling, or greedy with one catalogued mistake in the loop."""
    out, ix, h0 = [], seed_ix, h
    for t in range(n):
        if mistake == "seed_not_fed" and t == 0:
            y = params["W_hy"] @ h + params["b_y"]
        else:
            h_new, y = logits(params, h0 if mistake == "h_not_carried" else h, ix)
            h = h_new
        pick = int(np.argmax(y))
        out.append(pick)
        ix = seed_ix if mistake == "seed_fed_always" else pick
    if mistake == "seed_in_output":
        out = [seed_ix] + out[:-1]
    return out


GREEDY_MISTAKES = {
    "seed_fed_always": "seed_ix is fed at every step; each sampled index is the next input",
    "h_not_carried": "the hidden state is not carried: every step starts from the given h; "
    "update h = tanh(W_xh x + W_hh h + b_h) and keep it",
    "seed_not_fed": "the first draw comes from h itself; feed seed_ix through the cell first, "
    "then draw from the logits of that new state",
    "seed_in_output": "the output starts with seed_ix; return the n sampled indices only",
}


def read_draws(out, n, label):
    """A student's return value as a list of n ints in [0, V), else Fail."""
    if out is None or isinstance(out, (str, bytes, dict)) or not hasattr(out, "__len__"):
        raise Fail(f"sample should return a list of {n} ints {label}, got {type(out).__name__}.")
    if len(out) != n:
        raise Fail(f"sample returned {len(out)} indices {label}; expected n = {n}.")
    items = list(out)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise Fail(
                f"sample returned {item!r} ({type(item).__name__}) {label}; expected ints "
                "(use int(ix) on a drawn index)."
            )
        if not 0 <= item < V:
            raise Fail(f"sample returned index {int(item)} {label}, outside [0, {V - 1}].")
    return [int(i) for i in items]


def draw_once(fn, params, h, n, label, **kw):
    """One call of the student's sample, its inputs checked for changes in place."""
    arrays = [params[k] for k in NAMES] + [h]
    copies = snapshot(*arrays)
    out = call(fn, "sample", (params, h, SEED_IX, n), kw, case=label)
    labels = [f"params[{k!r}]" for k in NAMES] + ["h"]
    unchanged("sample", labels, arrays, copies, label)
    return read_draws(out, n, label)


def check_greedy(fn, params, h):
    """Temperature 0 and top_k = 1 give the argmax path exactly."""
    want = rnnlib_sample(params, h, SEED_IX, N_GREEDY, temperature=0)
    for kw, what in (
        ({"temperature": 0.0}, "at temperature 0"),
        ({"temperature": 1.0, "top_k": 1}, "with top_k = 1 (temperature 1)"),
        ({"temperature": 2.0, "top_k": 1}, "with top_k = 1 (temperature 2)"),
    ):
        label = f"{what}, n = {N_GREEDY}"
        try:
            got = draw_once(fn, params, h, N_GREEDY, label, rng=np.random.default_rng(1), **kw)
        except Fail as fail:
            tail = ""
            if "temperature" in kw and kw["temperature"] == 0.0 and "top_k" not in kw:
                tail = (
                    " Temperature 0 is the limit tau -> 0 of softmax(y / tau): all mass on the "
                    "largest logit, so take the argmax instead of dividing by 0."
                )
            raise Fail(f"{fail}{tail}") from None
        if got != want:
            for mistake, hint in GREEDY_MISTAKES.items():
                if got == greedy_variant(params, h, SEED_IX, N_GREEDY, mistake):
                    raise Fail(f"sample is not greedy {label}: {hint}.")
            if "top_k" in kw:
                top_k_mistake(params, h, got, label)
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


def top_k_mistake(params, h, got, label):
    """Fail naming the mistake if the top_k = 1 draws are the smallest or within the top 2."""
    r = ranks(params, h, got)
    if all(k == V - 1 for k in r):
        raise Fail(
            f"sample {label} always drew the smallest logit: top_k keeps the k largest "
            "logits (np.argsort(y)[-top_k:] or np.argsort(-y)[:top_k]), not the smallest."
        )
    if max(r) == 1:
        raise Fail(
            f"sample {label} drew from the 2 largest logits: it keeps one logit too many "
            "(off by one); top_k = 1 keeps the largest only."
        )


def check_reproducible(fn, params, h):
    label = "with temperature 1 called twice with np.random.default_rng(7)"
    a = draw_once(fn, params, h, 10, label, rng=np.random.default_rng(7))
    b = draw_once(fn, params, h, 10, label, rng=np.random.default_rng(7))
    if a != b:
        raise Fail(
            f"sample is not reproducible {label}: {a} then {b}. Draw with the rng passed in "
            "(rng.random(), rng.choice(V, p=p)); np.random.choice uses numpy's global state."
        )


OVERFLOW = (
    " Greedy and the statistics are right at moderate logits, so this is the softmax "
    "overflowing: exp(y / tau) is inf once y / tau exceeds 709. Shift first: "
    "softmax(z) = softmax(z - max(z)) with z = y / tau."
)


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
            raise Fail(f"{fail}{OVERFLOW}") from None
        if got != want:
            raise Fail(
                f"sample {label} returned {got}; there the distribution is the argmax to "
                f"within 1e-12, so the draws must be the greedy path {want}.{OVERFLOW}"
            )


def run_draws(fn, params, h, temperature, top_k):
    """The first two draws of N_DRAWS runs, rng seeded 0 .. N_DRAWS - 1: an (N_DRAWS, 2) array."""
    label = f"at temperature {temperature:g}" + (f", top_k = {top_k}" if top_k else "")
    kw = {"temperature": temperature, "top_k": top_k}

    def many():  # under one time limit: the calls are many and quick
        out = []
        for seed in range(N_DRAWS):
            try:
                got = fn(params, h, SEED_IX, 2, rng=np.random.default_rng(seed), **kw)
            except NotImplementedError:
                raise NotYet("sample") from None
            except Exception as e:
                raise Fail(f"sample raised {describe(e)} {label} with rng seed {seed}.") from None
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
    """The first draw outside the top-k logits of its step, as (step, index, allowed), or None."""
    for first, second in draws:
        for step, (d, y) in enumerate(((first, y1), (second, logits(params, h1, first)[1]))):
            allowed = sorted(int(i) for i in np.argsort(-y, kind="stable")[:top_k])
            if d not in allowed:
                return step + 1, int(d), allowed
    return None


def alternatives(y, temperature, top_k):
    """Distributions that typical mistakes draw from, with the hint for each."""
    out = {
        "the temperature has no effect (it was applied to the probabilities, or not at all); "
        "divide the logits: softmax(y / tau)": next_distribution(y, 1.0, top_k),
        "the logits are multiplied by the temperature; divide them: softmax(y / tau)": (
            next_distribution(y * temperature * temperature, temperature, top_k)
        ),
        "the draws are uniform: draw index i with probability softmax(y / tau)[i]": (
            np.full(V, 1.0 / V)
        ),
    }
    if temperature == 1.0:
        out.pop(next(iter(out)))
        out.pop(next(iter(out)))
    return out


def check_statistics(fn, params, h):
    for temperature, top_k in SETTINGS:
        draws, label = run_draws(fn, params, h, temperature, top_k)
        p1, p2, y1, h1 = expected(params, h, temperature, top_k)
        if top_k is not None:
            bad = top_k_violation(params, h1, y1, draws, top_k)
            if bad:
                step, d, allowed = bad
                raise Fail(
                    f"sample {label} drew index {d} at step {step}, outside the {top_k} largest "
                    f"logits of that step (indices {allowed}): keep the top_k largest logits "
                    "(np.argsort(y)[-top_k:]) and set the others to -inf before the softmax."
                )
        if len({tuple(r) for r in draws}) == 1:
            raise Fail(
                f"sample {label} returned {[int(i) for i in draws[0]]} for every one of "
                f"{N_DRAWS} different rngs: draw with the rng passed in, not a fixed seed or "
                "an rng of your own."
            )
        for step, p, column in ((1, p1, draws[:, 0]), (2, p2, draws[:, 1])):
            counts = np.bincount(column, minlength=V)
            if stats.g_test(counts, p) >= stats.ALPHA:
                continue
            freq = ", ".join(f"{c / N_DRAWS:.3f}" for c in counts)
            want = ", ".join(f"{q:.3f}" for q in p)
            msg = (
                f"The draws at step {step} {label} do not follow softmax(y / tau): over "
                f"{N_DRAWS} runs the frequencies of indices 0..{V - 1} are [{freq}], expected "
                f"[{want}] (G-test p-value below {stats.ALPHA:g})."
            )
            if step == 1:
                for hint, q in alternatives(y1, temperature, top_k).items():
                    if stats.g_test(counts, q) >= stats.ALPHA:
                        raise Fail(f"{msg} They fit another distribution: {hint}.")
            else:
                msg += " The first draws are right: is the drawn index fed back as the next input?"
            raise Fail(msg)


def body(fn):
    params, h = fixture()
    draw_once(fn, params, h, 6, "with n = 6, temperature 1", rng=np.random.default_rng(0))
    check_greedy(fn, params, h)
    draw_once(fn, params, h, 0, "with n = 0", rng=np.random.default_rng(0))
    check_reproducible(fn, params, h)
    check_statistics(fn, params, h)
    check_extremes(fn, params, h)
    draw_once(fn, params, h, 3, "with rng=None", rng=None)
    false_alarm = N_TESTS * stats.ALPHA
    return (
        "Greedy at temperature 0 and with top_k = 1, exactly; the same rng gives the same "
        f"draws; no overflow with large logits; top-k never left the top k; and {N_TESTS} "
        f"G-tests of {N_DRAWS} runs each (first and second draw at tau = 0.5, 1, 2 and with "
        f"top_k = 2) pass. Each G-test has a false-alarm rate of {stats.ALPHA:g}, so a correct "
        f"sampler fails this check with probability at most {false_alarm:g}; the rngs are "
        "seeded 0, 1, ..., so a sampler that passes once passes every time."
    )


def check_sample(fn):
    """Check a student's sample(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None)
    -> list of n ints, by its properties (see the module docstring)."""
    return run_check("sample", lambda: body(fn))
