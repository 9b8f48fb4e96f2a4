"""The statistical test of the sampling check: a G-test of observed counts against a
distribution, with the chi-square tail computed here (numpy only, no scipy)."""

import math

import numpy as np

ALPHA = 1e-4  # false-alarm rate of one G-test: a correct sampler fails it with this probability
MIN_EXPECTED = 5.0  # cells expected fewer times than this are pooled (the chi-square regime)


def chi2_sf(x, df):
    """P(X >= x) for X ~ chi-square with df degrees of freedom: the regularised upper incomplete
    gamma function Q(df / 2, x / 2), by its series (small x) or continued fraction (large x)."""
    if x <= 0:
        return 1.0
    a, z = df / 2.0, x / 2.0
    lead = math.exp(-z + a * math.log(z) - math.lgamma(a))
    if z < a + 1.0:  # series for the lower function P(a, z)
        term = total = 1.0 / a
        k = a
        while abs(term) > abs(total) * 1e-16:
            k += 1.0
            term *= z / k
            total += term
        return max(0.0, 1.0 - total * lead)
    b, c, d = z + 1.0 - a, 1.0 / 1e-300, 1.0 / (z + 1.0 - a)  # Lentz's continued fraction
    f = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1.0 / d
        f *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return f * lead


def pooled(counts, p, n):
    """Observed and expected counts, the cells expected under MIN_EXPECTED pooled into one."""
    counts, want = np.asarray(counts, dtype=np.float64), n * np.asarray(p, dtype=np.float64)
    small = want < MIN_EXPECTED
    if small.any():
        counts = np.append(counts[~small], counts[small].sum())
        want = np.append(want[~small], want[small].sum())
    return counts, want


def g_test(counts, p):
    """p-value of the G-test that `counts` (one per outcome) were drawn from distribution p.

    G = 2 sum_i O_i ln(O_i / E_i) is asymptotically chi-square with (cells - 1) degrees of
    freedom. Counts outside the support of p (an impossible outcome) give 0.
    """
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum()
    if np.any(counts[np.asarray(p) == 0] > 0):
        return 0.0
    obs, want = pooled(counts, p, n)
    keep = want > 0
    obs, want = obs[keep], want[keep]
    if len(obs) < 2:
        return 1.0
    nz = obs > 0
    g = 2.0 * float(np.sum(obs[nz] * np.log(obs[nz] / want[nz])))
    return chi2_sf(g, len(obs) - 1)
