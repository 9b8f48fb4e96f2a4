"""Exercise 4: every correct sampler passes, every catalogued bug gets its own hint, and the
statistical test has the false-alarm rate it states."""

import numpy as np
import pytest
from solutions import sampler as S

from rnnlib.exercises import (
    check_sample,
    sampler,
    stats,
)


@pytest.mark.parametrize("fn", S.CORRECT, ids=lambda f: f.__name__)
def test_correct_samplers_pass(fn):
    result = check_sample(fn)
    assert result.passed, result.message
    assert "probability at most 0.0008" in result.message  # 8 G-tests at 1e-4 each


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("bug", S.BUGS, ids=lambda b: b[2])
def test_bug_is_rejected_with_its_hint(bug):
    fn, hint, _ = bug
    result = check_sample(fn)
    assert not result.passed
    assert hint in result.message, result.message


def test_hints_are_distinct():
    assert len(set(S.BUG_HINTS.values())) == len(S.BUG_HINTS)


def test_the_stated_false_alarm_rate():
    assert stats.ALPHA == 1e-4 and sampler.N_TESTS == 8
    assert sampler.N_TESTS * stats.ALPHA <= 1e-3


@pytest.mark.parametrize(
    ("x", "df", "p"),
    [(3.841459, 1, 0.05), (11.344867, 3, 0.01), (0.5, 4, 0.973501), (30.0, 2, np.exp(-15.0))],
)
def test_chi2_tail_matches_tables(x, df, p):
    assert stats.chi2_sf(x, df) == pytest.approx(p, rel=1e-5)


def test_g_test_is_calibrated():
    """Counts drawn from p itself: the share with p-value below 0.05 is 0.05 (binomial
    standard error 0.005 at 2000 repetitions; the asymptotic chi-square is close at N = 1000)."""
    rng = np.random.default_rng(0)
    p = sampler.expected(*sampler.fixture(), 1.0, None)[0]
    pvalues = [stats.g_test(rng.multinomial(sampler.N_DRAWS, p), p) for _ in range(2000)]
    assert abs(np.mean(np.array(pvalues) < 0.05) - 0.05) < 0.02


def test_the_fixture_makes_large_logits_and_tiny_temperatures_greedy():
    """Along the greedy path the two largest logits differ by >= 0.36: times 500 (the large
    logits) or divided by 0.005 (the tiny temperature), the runner-up has probability < e^-70."""
    params, h = sampler.fixture()
    path = sampler.greedy_variant(params, h, sampler.SEED_IX, sampler.N_GREEDY)
    ix, gaps = sampler.SEED_IX, []
    for d in path:
        h, y = sampler.logits(params, h, ix)
        top = np.sort(y)
        gaps.append(top[-1] - top[-2])
        ix = d
    assert min(gaps) >= 0.36


def test_the_statistical_test_has_power_at_each_setting():
    """The distributions the catalogued mistakes draw from are far from the right ones: at
    N = 1000 the expected G statistic of each is far beyond the critical value."""
    params, h = sampler.fixture()
    p1, *_ = sampler.expected(params, h, 0.5, None)
    untempered, *_ = sampler.expected(params, h, 1.0, None)
    g = 2 * sampler.N_DRAWS * float(np.sum(untempered * np.log(untempered / p1)))
    assert stats.chi2_sf(g, 4) < 1e-12
