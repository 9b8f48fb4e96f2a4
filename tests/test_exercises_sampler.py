"""Exercise 4: every correct sampler passes, every catalogued mistake is named by its cause,
and the statistical test has the false-alarm rate it states, per implementation."""

import numpy as np
import pytest
from solutions import sampler as S

from rnnlib.exercises import check_sample, replay, sampler, stats
from rnnlib.exercises.catalogue import CATALOGUE
from rnnlib.sampling import next_distribution


@pytest.mark.parametrize("fn", S.CORRECT, ids=lambda f: f.__name__)
def test_correct_samplers_pass(fn):
    result = check_sample(fn)
    assert result.passed, result.message
    assert result.cause is None
    assert "probability at most 0.001 on any run" in result.message  # 10 G-tests at 1e-4 each
    if fn is not S.sample_sorted:
        assert "Re-tested" not in result.message  # the fixed seeds decide: the same every run


def test_the_issues_case_a_sampler_in_sorted_order_is_saved_by_the_retest(monkeypatch):
    """Sorting the vocabulary by logit before drawing maps the fixed seeds' random numbers to
    other draws; on them its second draws at tau = 0.5 fail the G-test (p = 6.1e-05), which
    fixed seeds alone would repeat on every run. The re-test on fresh seeds passes it (in a
    student's run, except with probability 1e-4; here the fresh seeds are fixed, so the test
    cannot fail by chance)."""
    monkeypatch.setattr(sampler, "fresh_entropy", lambda: 7)
    result = check_sample(S.sample_sorted)
    assert result.passed and result.cause is None, result.message
    assert (
        "Re-tested: the draws at step 2 at temperature 0.5 failed on the rngs seeded 0..999 "
        "(p = 6.1e-05) and passed on fresh seeds np.random.default_rng(["
    ) in result.message


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    ("fn", "mistake"), S.TAGGED, ids=[f"{m}-{getattr(f, '__name__', 'buggy')}" for f, m in S.TAGGED]
)
def test_a_mistake_is_named_by_its_cause(fn, mistake):
    result = check_sample(fn)
    assert not result.passed
    assert result.cause == mistake, result.message
    assert CATALOGUE[mistake].cause in result.message


def test_every_catalogued_mistake_has_a_student_bug():
    assert {m for _, m in S.TAGGED} == set(sampler.MISTAKES)
    assert all(m.exercise == 4 and m.id.startswith("sample_") for m in sampler.MISTAKES.values())
    assert len({m.cause for m in sampler.MISTAKES.values()}) == len(sampler.MISTAKES)


def test_the_stated_false_alarm_rate():
    """10 G-tests at 1e-4; a failure on the fixed seeds is re-tested on fresh seeds and only a
    second failure rejects, so whatever the sampler's fate on the fixed seeds, a correct one is
    rejected on a run with probability at most 10 * 1e-4 (union bound over the fresh tests)."""
    assert stats.ALPHA == 1e-4 and sampler.N_TESTS == 10
    assert sampler.N_TESTS * stats.ALPHA == pytest.approx(1e-3)
    message = check_sample(S.sample).message
    assert f"{sampler.N_TESTS} G-tests of {sampler.N_DRAWS} runs each" in message
    assert f"at most {sampler.N_TESTS * stats.ALPHA:g} on any run" in message


def first_uniforms():
    """The first number rng.random() gives for each fixed seed of the statistical test."""
    return np.array([np.random.default_rng(s).random() for s in range(sampler.N_DRAWS)])


def unlucky(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
    """A correct sampler that maps uniforms to draws in its own measure-preserving way, which
    happens to be the worst one for the fixed seeds at temperature 2: an interval of width
    2e-9 around each of their first uniforms swaps with one of the same width near 0 (the
    swaps keep the uniform distribution), so all 1000 first draws there are index 0."""
    rng = np.random.default_rng() if rng is None else rng
    out, ix = [], seed_ix
    for t in range(n):
        h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
        p = next_distribution(params["W_hy"] @ h + params["b_y"], temperature, top_k)
        if temperature == 0:
            ix = int(np.argmax(p))
        else:
            u = rng.random()
            if t == 0 and temperature == 2.0:
                u = SWAP(u)
            ix = int(min(np.searchsorted(np.cumsum(p), u, side="right"), len(p) - 1))
        out.append(ix)
    return out


class Swap:
    """u -> u with intervals [a_j - w, a_j + w) and [2 j w, 2 (j + 1) w) exchanged."""

    def __init__(self, anchors, w=1e-9):
        self.a, self.w = np.sort(anchors), w
        lows = np.concatenate([self.a - w, 2 * w * np.arange(len(self.a))])
        assert np.all(
            np.diff(np.sort(lows)) >= 2 * w * (1 - 1e-6)
        )  # disjoint: the map keeps the measure

    def __call__(self, u):
        j = int(np.searchsorted(self.a, u))
        for i in (j - 1, j):
            if 0 <= i < len(self.a) and abs(u - self.a[i]) < self.w:
                return 2 * self.w * i + (u - self.a[i] + self.w)
        i = int(u // (2 * self.w))
        if i < len(self.a):
            return self.a[i] - self.w + (u - 2 * self.w * i)
        return u


SWAP = Swap(first_uniforms())


def test_an_unlucky_correct_sampler_fails_the_fixed_seeds_and_passes_on_fresh_ones(monkeypatch):
    params, h = sampler.fixture()
    draws, _ = sampler.run_draws(unlucky, params, h, 2.0, None)
    p1 = sampler.expected(params, h, 2.0, None)[0]
    assert np.all(draws[:, 0] == 0) and p1[0] < 0.25  # failed with certainty on the fixed seeds
    monkeypatch.setattr(sampler, "fresh_entropy", lambda: 20240611)  # deterministic here
    result = check_sample(unlucky)
    assert result.passed and result.cause is None, result.message
    assert (
        "Re-tested: the draws at step 1 at temperature 2 failed on the rngs seeded 0..999 "
        "(p = 0) and passed on fresh seeds np.random.default_rng([20240611, i]), i = 0..999"
    ) in result.message


def test_the_fresh_seeds_differ_from_run_to_run():
    assert len({sampler.fresh_entropy() for _ in range(5)}) == 5


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_rejection_names_the_fresh_seeds_that_failed_too():
    result = check_sample(next(f for f, m in S.TAGGED if m == "sample_uniform"))
    assert "with rngs seeded 0..999" in result.message
    assert "and again on fresh seeds np.random.default_rng([" in result.message


def test_the_check_calls_with_rng_none_and_top_k_at_least_v():
    """The contract's options are what the check exercises: rng=None (at temperatures 1 and 0),
    top_k = 1, top_k = V and top_k > V."""
    seen = []

    def spy(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
        seen.append((temperature, top_k, rng is None))
        return S.sample(params, h, seed_ix, n, temperature, top_k, rng)

    assert check_sample(spy).passed
    assert (1.0, None, True) in seen and (0.0, None, True) in seen
    assert {k for _, k, _ in seen} >= {None, 1, 2, sampler.V, sampler.V + 3}


def test_rng_none_may_be_fresh_or_seeded():
    """The contract allows both readings of rng=None: unseeded (sample_sorted) and a fixed
    seed (sample, sample_columns); a sampler that needs an rng is told what None means."""
    assert "np.random.default_rng()" in sampler.MISTAKES["sample_rng_none"].cause
    params, h = sampler.fixture()

    def twice(fn):
        return [fn(params, h, sampler.SEED_IX, 30, temperature=2.0) for _ in range(2)]

    a, b = twice(S.sample_sorted)  # unseeded: 30 draws at tau = 2 practically never repeat
    assert a != b
    for fn in (S.sample, S.sample_columns):  # seeded
        a, b = twice(fn)
        assert a == b
    assert {S.sample_sorted, S.sample, S.sample_columns} <= set(S.CORRECT)  # all pass


def test_a_sampler_that_passes_once_passes_every_time():
    first, second = check_sample(S.sample_gumbel), check_sample(S.sample_gumbel)
    assert first.passed and first.message == second.message


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


def test_the_runner_up_is_likely_at_top_k_2():
    """The probe for top-k keeping k - 1: along the greedy path the runner-up of every step has
    probability >= 0.17 at top_k = 2, so 50 runs of 8 draws all greedy have chance < 1e-30."""
    params, h = sampler.fixture()
    path = sampler.greedy_variant(params, h, sampler.SEED_IX, sampler.N_GREEDY)
    ix, runner_up = sampler.SEED_IX, []
    for d in path:
        h, y = sampler.logits(params, h, ix)
        runner_up.append(np.sort(next_distribution(y, 1.0, 2))[-2])
        ix = d
    assert min(runner_up) >= 0.17
    assert (1 - min(runner_up)) ** (50 * sampler.N_GREEDY) < 1e-30


def power(q, p):
    """-log10 of the chi-square tail at the expected G statistic of N draws from q tested
    against p (cells with p = 0 and q > 0 are certain rejections: inf)."""
    if np.any((p == 0) & (q > 0)):
        return np.inf
    nz = q > 0
    g = 2 * sampler.N_DRAWS * float(np.sum(q[nz] * np.log(q[nz] / p[nz])))
    return -np.log10(max(stats.chi2_sf(g, int(np.sum(p > 0)) - 1), 1e-300))


def test_the_statistical_test_has_power_against_every_catalogued_distribution():
    """The distributions the catalogued mistakes draw from are far from the right ones: at
    N = 1000 the expected G statistic of each gives a p-value below 1e-8 (the test rejects at
    1e-4) at every setting where it applies, and below 1e-40 at the best one, on the fixed
    seeds and again on fresh ones."""
    params, h = sampler.fixture()
    best = {}
    for temperature, top_k in sampler.SETTINGS:
        p1, p2, y1, h1 = sampler.expected(params, h, temperature, top_k)
        for step, p in ((1, p1), (2, p2)):
            alts = sampler.alternatives(params, h, y1, h1, temperature, top_k, step)
            for mistake, q in alts.items():
                assert power(q, p) > 8, (temperature, top_k, step, mistake)
                best[mistake] = max(best.get(mistake, 0), power(q, p))
    assert min(best.values()) > 40
    p1, _, y1, _ = sampler.expected(params, h, 1.0, None)
    wrapped = next_distribution(y1, 1.0, sampler.V - 2)  # top_k = V + 3 dropping 2 logits
    assert power(wrapped, p1) > 40


def test_a_misused_rng_choice_is_seen_by_a_spying_rng():
    """When a sampler fails, it runs again with an rng that records its rng.choice calls: the
    probabilities passed positionally (as size or replace) or as the array to draw from are
    named, with the call shown; the spy draws what default_rng(0) draws."""
    result = check_sample(S.choice_size_for_p)
    assert result.cause == "sample_choice_p_positional"
    assert "it called rng.choice(5, 1, <5 probabilities>)" in result.message
    assert "sample raised ValueError" in result.message  # what failed comes first
    result = check_sample(S.draws_a_probability)
    assert result.cause == "sample_choice_of_p"
    assert "it called rng.choice(<5 probabilities>) without p=" in result.message
    spy, plain = sampler.SpyRng(0), np.random.default_rng(0)
    assert (
        spy.choice(5, p=np.full(5, 0.2), size=9).tolist()
        == plain.choice(5, 9, p=[0.2] * 5).tolist()
    )
    assert isinstance(spy, np.random.Generator) and len(spy.choices) == 1


def test_p_in_its_own_positional_place_is_not_blamed():
    """rng.choice(V, None, True, p) is correct (p is the fourth parameter): a sampler that does
    so passes, and if it fails for another reason (here floats returned) the spy names nothing
    about rng.choice."""

    def fourth(params, h, seed_ix, n, temperature=1.0, top_k=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        out, ix = [], seed_ix
        for _ in range(n):
            h = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])
            y = params["W_hy"] @ h + params["b_y"]
            p = next_distribution(y, temperature, top_k)
            ix = int(np.argmax(p)) if temperature == 0 else int(rng.choice(len(y), None, True, p))
            out.append(ix)
        return out

    assert check_sample(fourth).passed

    def halves(*args, **kwargs):
        return [i + 0.5 for i in fourth(*args, **kwargs)]

    result = check_sample(halves)
    assert not result.passed and result.cause is None
    assert "rng.choice" not in result.message


def test_the_spying_rng_records_every_draw_and_draws_as_default_rng():
    """SpyRng records each call the sampler makes (not numpy's own inner calls, as choice's
    call of random) with its output, and draws what default_rng(seed) draws."""
    spy, plain = sampler.SpyRng(3), np.random.default_rng(3)
    assert np.random.default_rng(spy) is spy
    assert spy.random() == plain.random()
    assert spy.choice(5, p=np.full(5, 0.2)) == plain.choice(5, p=np.full(5, 0.2))
    assert np.array_equal(spy.gumbel(size=4), plain.gumbel(size=4))
    assert [c[0] for c in spy.calls] == ["random", "choice", "gumbel"]
    assert spy.calls[2][3].shape == (4,)


@pytest.mark.parametrize("fn", [S.sample_inverse_cdf, S.sample_gumbel, S.sample])
def test_replaying_a_correct_samplers_numbers_names_nothing(fn):
    params, h = sampler.fixture()
    for tau, top_k in sampler.SETTINGS:
        runs = sampler.spied_runs(fn, params, h, tau, top_k)
        assert runs is not None and replay.replay(runs, tau, top_k) is None


def test_replay_tells_a_reused_uniform_from_a_fresh_one():
    """The same inverse-CDF rule: with one number per draw it is the contract, with one number
    for all draws it is sample_one_uniform; nothing is estimated."""
    params, h = sampler.fixture()
    runs = sampler.spied_runs(S.one_uniform_before_the_loop, params, h, 1.0, None)
    assert [len(calls) for calls, _ in runs] == [1, 1, 1]
    cause, text = replay.replay(runs, 1.0, None)
    assert cause == "sample_one_uniform" and "1 call of rng.random for 8 draws" in text
