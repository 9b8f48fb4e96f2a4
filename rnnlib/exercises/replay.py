"""Exercise 4's replay: an rng that records every random number a student's sampler asks for,
and the ways of turning those numbers into draws, correct or typical mistakes.

A sampler run with a SpyRng leaves the list of its rng calls (method, arguments, output).
`replay` splits the numbers they returned into one share per draw (one uniform, V noise values,
a distribution passed to rng.choice ...) and finds the draw rules that reproduce every draw the
sampler returned exactly: a correct rule (inverse CDF, Gumbel-max, the exponential race), or a
mistake (u compared with p instead of its cumulative sum, -log(U) or Gaussian noise for Gumbel
noise, one uniform reused for every draw), each combined with the distribution it draws from
(softmax(y / tau), or a temperature mistake's). Deterministic and exact: nothing is estimated.
Plain Python and numpy (a subclass of np.random.Generator), so it runs under Pyodide too.
"""

import numpy as np

from ..sampling import next_distribution

RECORDED = (  # the Generator methods a sampler may draw with; each call is recorded
    "random",
    "uniform",
    "standard_normal",
    "normal",
    "gumbel",
    "exponential",
    "standard_exponential",
    "choice",
    "multinomial",
    "integers",
    "permutation",
    "shuffle",
)
NOISE = {  # method -> the kind of numbers it returns
    "random": "uniform",
    "uniform": "uniform",
    "standard_normal": "normal",
    "normal": "normal",
    "gumbel": "gumbel",
    "exponential": "exponential",
    "standard_exponential": "exponential",
}


class SpyRng(np.random.Generator):
    """np.random.default_rng(seed) that records its calls: `calls` holds [method, args,
    kwargs, output] of every call made by the code it is handed (not the calls numpy makes
    inside one, as choice does to random); it draws what default_rng(seed) draws."""

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))
        self.calls, self._depth = [], 0

    @property
    def choices(self):
        """(args, kwargs) of every rng.choice call."""
        return [(c[1], c[2]) for c in self.calls if c[0] == "choice"]


def _recording(name):
    base = getattr(np.random.Generator, name)

    def method(self, *args, **kwargs):
        if self._depth:
            return base(self, *args, **kwargs)
        entry = [name, args, kwargs, None]
        self.calls.append(entry)  # before the call: a call that raises is seen too
        self._depth += 1
        try:
            out = base(self, *args, **kwargs)
        finally:
            self._depth -= 1
        entry[3] = None if out is None else np.array(out, copy=True)
        return out

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Generator.{name}, recorded."
    return method


for _name in RECORDED:
    setattr(SpyRng, _name, _recording(_name))


def passed_p(call):
    """The distribution a choice/multinomial call was given (p= or positional), or None."""
    name, args, kwargs, _ = call
    if name == "choice":
        p = kwargs.get("p", args[3] if len(args) > 3 else None)
    elif name == "multinomial":
        p = kwargs.get("pvals", args[1] if len(args) > 1 else None)
    else:
        return None
    try:
        return None if p is None else np.asarray(p, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return None


def shares(calls, n, V):
    """The random numbers of the recorded calls, one share per draw: (kind, [share per draw],
    reused) or None. kind is a NOISE kind; a share holds 1 or V numbers; reused is True when
    the calls gave the numbers of one draw only (n > 1): every draw gets the same share."""
    kinds = {NOISE.get(c[0]) for c in calls}
    if len(kinds) != 1 or None in kinds or any(c[3] is None for c in calls):
        return None
    kind = kinds.pop()
    flat = np.concatenate([np.ravel(c[3]) for c in calls]) if calls else np.zeros(0)
    for size in (1, V):
        if len(flat) == n * size and n > 0:
            return kind, [flat[t * size : (t + 1) * size] for t in range(n)], False
    if n > 1 and len(flat) in (1, V):
        return kind, [flat] * n, True
    return None


def _cdf(u, p, side="right"):
    c = np.cumsum(p)
    return int(min(np.searchsorted(c, u * c[-1], side=side), len(p) - 1))


def _first_above(u, p):
    """The first index with p[i] > u, or None when there is none (the code's fallback varies)."""
    above = np.flatnonzero(p > u)
    return int(above[0]) if len(above) else None


def _argmax(a):
    return int(np.argmax(a))


# Rules: (id or None for a correct rule, kind of share, size of share, f(share, p, z) -> index
# or None (any index fits)); p the distribution, z = log p (the logits / tau, -inf where masked).
RULES = {
    "the inverse CDF (the first i with cumsum(p)[i] > u)": (
        None,
        "uniform",
        1,
        lambda s, p, z: _cdf(s[0], p),
    ),
    "inverse CDF (side left)": (None, "uniform", 1, lambda s, p, z: _cdf(s[0], p, "left")),
    "inverse CDF from the last index": (
        None,
        "uniform",
        1,
        lambda s, p, z: len(p) - 1 - _cdf(s[0], p[::-1]),
    ),
    "comparing u with p itself (the first i with p[i] > u)": (
        "sample_p_not_cdf",
        "uniform",
        1,
        lambda s, p, z: _first_above(s[0], p),
    ),
    "Gumbel-max with rng.gumbel": (None, "gumbel", 0, lambda s, p, z: _argmax(z + s)),
    "Gumbel-max with -log(-log(U))": (
        None,
        "uniform",
        0,
        lambda s, p, z: _argmax(z - np.log(-np.log(s))),
    ),
    "argmax(y / tau - log(U)) with those uniforms U": (
        "sample_gumbel_exponential",
        "uniform",
        0,
        lambda s, p, z: _argmax(z - np.log(s)),
    ),
    "the exponential race argmin(E / p)": (
        None,
        "exponential",
        0,
        lambda s, p, z: _argmax(z - np.log(s)),
    ),
    "argmax(y / tau + E) with those exponential numbers E": (
        "sample_gumbel_exponential",
        "exponential",
        0,
        lambda s, p, z: _argmax(z + s),
    ),
    "argmax(y / tau + z) with that Gaussian noise z": (
        "sample_gaussian_noise",
        "normal",
        0,
        lambda s, p, z: _argmax(z + s),
    ),
}


def distributions(y, temperature, top_k):
    """{id or None: the distribution} of the draws: None the contract's, else a mistake's."""
    out = {None: next_distribution(y, temperature, top_k)}
    if temperature not in (0.0, 1.0):
        out["sample_temperature_ignored"] = next_distribution(y, 1.0, top_k)
        out["sample_temperature_multiplies"] = next_distribution(
            y * temperature * temperature, temperature, top_k
        )
    return out


def fits(rule, split, steps, dist):
    """Whether `rule` maps the shares to the draws at every step (a step where the rule leaves
    the draw open counts for nothing; at least one must decide)."""
    _, kind, size, f = RULES[rule]
    kind_got, per_draw, _ = split
    if kind != kind_got:
        return False
    decided = 0
    with np.errstate(all="ignore"):
        for share, (y, drawn) in zip(per_draw, steps, strict=True):
            V = len(y)
            if len(share) != (V if size == 0 else size):
                return False
            p = dist(y)
            got = f(share, p, np.log(p))
            if got is None:
                continue
            if got != drawn:
                return False
            decided += 1
    return decided > 0


def replay(runs, temperature, top_k):
    """What the recorded random numbers of a few runs say about the draws: (id or None, text),
    or None when no rule reproduces them all (or the contract's does: the draws are right).

    runs: (calls, steps) per run, calls a SpyRng's record, steps [(y_t, drawn_t)] the logits of
    each step along the draws the sampler returned and its draw there."""
    splits = []
    for calls, steps in runs:
        split = shares(calls, len(steps), len(steps[0][0]) if steps else 0)
        if split is None:
            return None
        splits.append(split)
    reused = all(s[2] for s in splits)
    if not reused and any(s[2] for s in splits):
        return None
    found = []
    for name in RULES:
        for dist_id in distributions(runs[0][1][0][0], temperature, top_k):

            def dist(y, dist_id=dist_id):
                return distributions(y, temperature, top_k)[dist_id]

            if all(fits(name, s, r[1], dist) for s, r in zip(splits, runs, strict=True)):
                found.append((name, RULES[name][0], dist_id))
    causes = {}  # cause -> the rule's name, for single slips only
    for name, rule_id, dist_id in found:
        slips = [m for m in (rule_id, dist_id) if m is not None]
        if reused:
            if rule_id is not None:
                continue  # reused and a wrong rule: two slips
            slips.append("sample_one_uniform")
        if not slips:
            return None  # the draws are what the contract's sampler makes of these numbers
        if len(slips) == 1:
            causes.setdefault(slips[0], name)
    if len(causes) != 1:
        return None
    ((cause, name),) = causes.items()
    calls, n = runs[0][0], len(runs[0][1])
    count = f"{len(calls)} call{'s' if len(calls) != 1 else ''} of rng.{calls[0][0]} for {n} draws"
    text = (
        f"with the rng seeded 0 it made {count}; replaying the numbers they returned in "
        f"{len(runs)} runs, every draw is exactly what {name} gives"
    )
    if reused:
        text += " with the same number(s) at every step"
    return cause, text
