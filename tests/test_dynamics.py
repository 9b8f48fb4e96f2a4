"""Tests for rnnlib.dynamics: trajectories, fixed points, Lyapunov exponents, behaviour labels."""

import re

import numpy as np
import pytest

from rnnlib import classify, dynamics_weights, fixed_points, jacobian, lyapunov_exponent, trajectory
from rnnlib.cell import init_params
from rnnlib.dynamics import (
    behaviour_run,
    behaviour_runs,
    classify_many,
    gradient_decay,
    run_pairs,
    start_state,
    tangent_start,
)

SMALL = init_params(4, 3, rng=0, scale=1.0)  # V = 4, H = 3


def rotation(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


@pytest.mark.parametrize("H", [1, 3, 8])
def test_trajectory_matches_a_hand_loop(H):
    rng = np.random.default_rng(H)
    W, b, h = rng.standard_normal((H, H)), rng.standard_normal(H), rng.standard_normal(H)
    hs = trajectory(W, h, 7, b)
    assert hs.shape == (8, H)
    assert np.array_equal(hs[0], h)
    for t in range(7):
        h = np.tanh(W @ h + b)
        np.testing.assert_allclose(hs[t + 1], h, rtol=0, atol=1e-15)


def test_batched_trajectory_is_each_start_on_its_own():
    rng = np.random.default_rng(1)
    W, starts = rng.standard_normal((5, 5)), rng.standard_normal((3, 5))
    hs = trajectory(W, starts, 6)
    assert hs.shape == (7, 3, 5)  # time-first (T+1, B, H)
    for i in range(3):
        np.testing.assert_allclose(hs[:, i], trajectory(W, starts[i], 6), rtol=0, atol=1e-15)


def test_zero_steps_give_the_start():
    assert np.array_equal(trajectory(np.eye(2), [0.1, 0.2], 0), [[0.1, 0.2]])


def test_jacobian_matches_centred_differences():
    rng = np.random.default_rng(2)
    W, b, h = rng.standard_normal((4, 4)), rng.standard_normal(4), rng.standard_normal(4)
    num = np.empty((4, 4))
    for j in range(4):
        e = np.zeros(4)
        e[j] = 1e-5
        num[:, j] = (np.tanh(W @ (h + e) + b) - np.tanh(W @ (h - e) + b)) / 2e-5
    np.testing.assert_allclose(jacobian(W, h, b), num, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("gain, rotation_, seed", [(0.5, 0.0, 0), (1.5, 0.0, 1), (2.0, 0.5, 2)])
def test_fixed_points_satisfy_the_equation(gain, rotation_, seed):
    W = dynamics_weights(gain, rotation_, seed, hidden_size=8)
    b = np.random.default_rng(seed).normal(0, 0.3, 8)
    points, radii = fixed_points(W, b)
    assert len(points) >= 1 and radii.shape == (len(points),)
    for p in points:
        assert np.max(np.abs(np.tanh(W @ p + b) - p)) < 1e-10  # h* = tanh(W_hh h* + b_h)


def test_fixed_points_of_a_bistable_unit():
    points, radii = fixed_points([[2.0]], n_starts=8)
    x = abs(points[-1, 0])
    assert len(points) == 3 and abs(points[0, 0]) < 1e-12  # 0 and +-x*
    np.testing.assert_allclose(points[:, 0], [0.0, -x, x], atol=1e-12)  # by norm, then value
    assert abs(x - np.tanh(2 * x)) < 1e-12
    np.testing.assert_allclose(radii, [2.0, 2 * (1 - x**2), 2 * (1 - x**2)], rtol=1e-10)
    assert radii[0] > 1 > radii[1]  # the origin is unstable, the two others stable


def test_lyapunov_of_a_contraction_is_its_rate():
    Q = np.linalg.qr(np.random.default_rng(3).standard_normal((6, 6)))[0]
    lam = lyapunov_exponent(0.5 * Q)  # settles at 0, where J = 0.5 Q shrinks every vector by 0.5
    assert lam < 0
    assert abs(lam - np.log(0.5)) < 1e-9


def test_lyapunov_matches_two_nearby_trajectories():
    W = dynamics_weights(3.0, 0.0, 0)
    h = trajectory(W, None, 300)[-1]
    d0, total, g = 1e-8, 0.0, np.ones(32) / np.sqrt(32)
    for _ in range(700):  # two runs d0 apart, pulled back to distance d0 after every step
        h, g = np.tanh(W @ h), np.tanh(W @ (h + d0 * g))
        gap = np.linalg.norm(g - h)
        total += np.log(gap / d0)
        g = (g - h) / gap
    assert abs(lyapunov_exponent(W) - total / 700) < 1e-3


@pytest.mark.parametrize("seed", range(5))
def test_the_three_behaviours(seed):
    for rot in (0.0, 0.5, 1.0):
        assert classify(dynamics_weights(0.5, rot, seed))["label"] == "point attractor"
    osc = classify(dynamics_weights(2.0, 1.0, seed))
    assert osc["label"] == "oscillation" and abs(osc["lyapunov"]) < 0.01
    chaos = classify(dynamics_weights(3.0, 0.0, seed))
    assert chaos["label"] == "chaos" and chaos["lyapunov"] > 0.1


def test_the_notebook_examples():
    examples = {(0.5, 0.0, 0): "point attractor", (2.0, 1.0, 0): "oscillation"}
    examples[(3.0, 0.0, 0)] = "chaos"
    for (gain, rot, seed), label in examples.items():
        c = classify(dynamics_weights(gain, rot, seed))
        assert c["label"] == label
    assert classify(dynamics_weights(0.5, 0.0, 0))["lyapunov"] < -0.5
    assert classify(dynamics_weights(3.0, 0.0, 0))["lyapunov"] > 0.15


def test_a_point_attractor_ends_at_a_stable_fixed_point():
    W = dynamics_weights(1.5, 0.0, 3)
    c = classify(W)
    assert c["label"] == "point attractor"
    points, radii = fixed_points(W)
    d = np.max(np.abs(points - c["h_last"]), axis=1)
    assert d.min() < 1e-6 and radii[np.argmin(d)] < 1


def test_a_square_cycle_has_period_four():
    c = classify(2.0 * rotation(np.pi / 2), h0=[0.3, 0.1])
    assert c["label"] == "oscillation" and c["period"] == 4


def test_a_slowly_closing_spiral_is_a_point_attractor():
    c = classify(rotation(0.6), h0=[0.3, 0.1])  # gain 1: the radius shrinks like 1/sqrt(t)
    assert c["label"] == "point attractor" and c["period"] is None


def test_classify_many_labels_each_system_as_classify_does():
    W = np.stack([dynamics_weights(g, r, 1) for g, r in [(0.5, 0.0), (2.0, 1.0), (3.0, 0.0)]])
    many = classify_many(W, steps=400)
    assert [c["label"] for c in many] == ["point attractor", "oscillation", "chaos"]
    for Wi, c in zip(W, many, strict=True):
        one = classify(Wi, steps=400)
        assert one["label"] == c["label"] and one["period"] == c["period"]
        assert one["lyapunov"] == pytest.approx(c["lyapunov"], abs=1e-12)


def test_run_pairs_carries_a_nudged_copy_and_the_tangent():
    W = np.stack([dynamics_weights(3.0, 0.0, 0), dynamics_weights(0.5, 0.0, 0)])
    r = run_pairs(W, burn=300, steps=700)
    assert r["hs"].shape == (701, 2, 2, 32) and r["transient"].shape == (301, 2, 32)
    np.testing.assert_allclose(r["dist"][0], 1e-8, rtol=1e-6)  # the nudge, NEARBY
    assert abs(r["lyapunov"][1] - lyapunov_exponent(W[1])) < 1e-9  # lyapunov_exponent's
    early = run_pairs(W, burn=5, steps=30)  # short: the chaotic run's rounding has not grown
    for i in range(2):  # the run is trajectory's
        hs = trajectory(W[i], None, 35)
        np.testing.assert_allclose(early["transient"][:, i], hs[:6], atol=1e-12)
        np.testing.assert_allclose(early["hs"][:, i, 0], hs[5:], atol=1e-12)
    short = run_pairs(W, burn=300, steps=700, keep=5)
    np.testing.assert_array_equal(short["tail"], r["hs"][-5:, :, 0])
    assert "hs" not in short and "transient" not in short  # only the tail is kept
    two = run_pairs(W, burn=300, steps=700, keep=5, units=[4, 0])  # and every state of two units
    np.testing.assert_array_equal(two["hs"], r["hs"][..., [4, 0]])
    np.testing.assert_array_equal(two["transient"], r["transient"][..., [4, 0]])
    for key in ("lyapunov", "moves", "dist"):  # over every unit, whichever are kept
        np.testing.assert_array_equal(two[key], r[key])


def test_behaviour_runs_draw_what_classify_measures():
    """One batched run per setting: the transient, the run and its nudged copy, and the label
    and exponent classify gives over the same window from the same start."""
    settings = [(0.5, 0.0, 0), (2.0, 1.0, 0), (3.0, 0.0, 0)]
    runs = behaviour_runs(settings, T=200, burn=50)
    for setting, r in zip(settings, runs, strict=True):
        W = dynamics_weights(*setting)
        c = classify(W, start_state(32), burn=50, steps=200)
        assert r["label"] == c["label"] and r["lyapunov"] == pytest.approx(c["lyapunov"], abs=1e-12)
        assert r["transient"].shape == (51, 32) and r["hs"].shape == (201, 2, 32)
        np.testing.assert_allclose(r["transient"], trajectory(W, start_state(32), 50), atol=1e-12)
        np.testing.assert_allclose(r["hs"][0, 0], r["transient"][-1], rtol=0, atol=0)
        assert r["dist"][0] == pytest.approx(1e-8, rel=1e-6)  # the nudge, NEARBY
        one = behaviour_run(*setting, T=200, burn=50)
        assert one["label"] == r["label"] and np.array_equal(one["hs"], r["hs"])
    assert [r["label"] for r in runs] == ["point attractor", "oscillation", "chaos"]
    drawn = behaviour_runs(settings, T=200, burn=50, units=(0, 1))  # what a drawing keeps
    for r, d in zip(runs, drawn, strict=True):
        assert d["hs"].shape == (201, 2, 2) and d["transient"].shape == (51, 2)
        np.testing.assert_array_equal(d["hs"], r["hs"][..., :2])
        assert d["label"] == r["label"] and np.array_equal(d["dist"], r["dist"])


def test_behaviour_run_rejects_bad_settings():
    with pytest.raises(ValueError, match="gain must be a finite number >= 0, got -1.0"):
        behaviour_run(-1.0, 0.0, 0)
    with pytest.raises(ValueError, match="steps must be a positive integer, got 0"):
        behaviour_run(1.0, 0.0, 0, T=0)


def test_chaos_needs_the_runs_to_part():
    """A positive exponent whose nudged copy stays within SEPARATION is not called chaos."""
    c = classify(dynamics_weights(3.0, 0.0, 0), steps=20)  # 20 steps: no time to part
    assert c["lyapunov"] > 0.01 and c["separation"] < 1e-3 and c["label"] != "chaos"


def test_dynamics_weights():
    R = dynamics_weights(1.0, 1.0, 0, hidden_size=5, angle=0.3)
    np.testing.assert_allclose(R @ R.T, np.eye(5), atol=1e-15)  # a pure rotation is orthogonal
    np.testing.assert_allclose(R[:2, :2], rotation(0.3), atol=1e-15)
    G = dynamics_weights(2.0, 0.0, 4, hidden_size=6)
    expected = 2.0 * np.random.default_rng(4).standard_normal((6, 6)) / np.sqrt(6)
    np.testing.assert_allclose(G, expected, rtol=1e-15)
    assert not np.allclose(G, dynamics_weights(2.0, 0.0, 5, hidden_size=6))


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: trajectory(np.ones((2, 3)), [0, 0], 3), "W_hh has shape (2, 3)"),
        (lambda: trajectory(np.eye(2), [0, 0, 0], 3), "h0 has shape (3,)"),
        (lambda: trajectory(np.eye(2), [0, 0], -1), "T must be a non-negative integer"),
        (lambda: trajectory(np.eye(2), [0, 0], 3, b_h=[1.0]), "b_h has shape (1,)"),
        (lambda: trajectory([[np.nan]], [0], 3), "non-finite"),
        (lambda: jacobian(np.eye(2), [0.0]), "h has shape (1,)"),
        (lambda: fixed_points(np.eye(2), n_starts=0), "n_starts must be a positive integer"),
        (lambda: lyapunov_exponent(np.eye(2), steps=0), "steps must be a positive integer"),
        (lambda: classify(np.eye(2), h0=np.zeros((2, 2))), "expected one start"),
        (lambda: run_pairs(np.eye(2)), "W_hh has shape (2, 2), expected a stack (N, H, H)"),
        (lambda: run_pairs(np.ones((3, 2, 2)), h0=np.zeros((2, 2))), "h0 has shape (2, 2)"),
        (lambda: run_pairs(np.ones((1, 2, 2)), keep=0), "keep must be a positive integer"),
        (
            lambda: run_pairs(np.ones((1, 2, 2)), units=[0, 2]),
            "units holds index 2, outside the units [0, 1]",
        ),
        (lambda: dynamics_weights(-1.0, 0.0, 0), "gain must be a finite number >= 0"),
        (lambda: dynamics_weights(1.0, 1.5, 0), "rotation must be in [0, 1]"),
        (lambda: dynamics_weights(1.0, 0.0, -2), "seed must be a non-negative integer"),
        (lambda: dynamics_weights(1.0, 0.0, 0, hidden_size=1), "hidden_size must be >= 2"),
        (
            lambda: gradient_decay(SMALL, [0, 1, 9]),
            "inputs holds index 9, outside the vocabulary [0, 3]",
        ),
        (lambda: gradient_decay(SMALL, [[0, 1]]), "1-D sequence"),
        (lambda: gradient_decay(SMALL, [0, 1], max_lag=5), "more than max_lag = 5 inputs, got 2"),
        (lambda: gradient_decay(SMALL, [0, 1], max_lag=0), "max_lag must be a positive integer"),
        (
            lambda: gradient_decay(SMALL | {"W_xh": np.ones((2, 4))}, [0]),
            "params['W_hh'] has shape (3, 3), expected (2, 2) (H=2, V=4 from W_xh)",
        ),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        call()


def _states(params, x, h0):
    h, hs = h0, []
    for i in x:
        h = np.tanh(params["W_xh"][:, i] + params["W_hh"] @ h + params["b_h"])
        hs.append(h)
    return hs


def test_gradient_decay_matches_finite_differences():
    """ln ||dh_T/dh_t|| against a centred-difference Jacobian of the real run."""
    params = init_params(4, 3, rng=1, scale=1.0) | {"b_h": np.array([0.1, -0.2, 0.3])}
    x = np.random.default_rng(2).integers(0, 4, 12)
    lags, logs = gradient_decay(params, x, max_lag=4, n_ends=1)  # one end: the last step
    assert lags.tolist() == [0, 1, 2, 3, 4] and logs[0] == 0.0
    T = len(x) - 1
    hs = _states(params, x, np.zeros(3))
    for k in lags[1:]:
        t = T - k  # perturb h_t, run the remaining k inputs, read h_T
        J = np.empty((3, 3))
        for j in range(3):
            e = np.eye(3)[j] * 1e-6
            up, down = (_states(params, x[t + 1 :], hs[t] + s * e)[-1] for s in (1, -1))
            J[:, j] = (up - down) / 2e-6
        assert logs[k] == pytest.approx(np.log(np.linalg.norm(J, 2)), abs=1e-7)


def test_gradient_decay_of_a_contraction():
    """W_hh = 0.5 I with tiny states: every lag multiplies the norm by (almost) 0.5."""
    params = {"W_xh": np.zeros((2, 3)), "W_hh": 0.5 * np.eye(2), "b_h": np.zeros(2)}
    lags, logs = gradient_decay(params, np.zeros(30, dtype=int), max_lag=10, n_ends=5)
    np.testing.assert_allclose(logs, lags * np.log(0.5), atol=1e-12)


def test_tangent_start_is_a_unit_vector():
    v = tangent_start(32)
    assert v.shape == (32,) and np.linalg.norm(v) == pytest.approx(1.0) and np.all(v == v[0])
