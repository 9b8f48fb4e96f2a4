"""Centred numerical gradients and the relative error used by every gradient check."""

import numpy as np
import pytest

from rnnlib.gradcheck import check_grads, numerical_grad, rel_error


def cubic(p):
    return float(np.sum(p["a"] ** 3) + np.sum(p["a"][0] * p["b"]))


@pytest.mark.parametrize("shape", [(1,), (3,), (2, 4)])
def test_numerical_grad_of_a_known_function(shape):
    rng = np.random.default_rng(0)
    p = {"a": rng.standard_normal(shape), "b": rng.standard_normal(shape[1:])}
    num = numerical_grad(cubic, p)
    want_a = 3 * p["a"] ** 2
    want_a[0] += p["b"]
    assert set(num) == {"a", "b"} and num["a"].shape == shape
    assert rel_error(num["a"], want_a) <= 1e-9  # error of the centred difference: eps^2 = 1e-10
    assert rel_error(num["b"], p["a"][0]) <= 1e-9


def test_centred_difference_error_is_order_eps_squared():
    p = {"w": np.array([0.7])}
    f = lambda q: float(np.exp(q["w"][0]))  # noqa: E731
    e1 = abs(numerical_grad(f, p, eps=1e-2)["w"][0] - np.exp(0.7))
    e2 = abs(numerical_grad(f, p, eps=1e-3)["w"][0] - np.exp(0.7))
    assert 80 < e1 / e2 < 120  # eps / 10 -> error / 100


def test_numerical_grad_restores_the_params_exactly():
    rng = np.random.default_rng(1)
    p = {"a": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    before = {k: v.copy() for k, v in p.items()}
    numerical_grad(cubic, p)
    assert all(np.array_equal(p[k], before[k]) for k in p)


def test_rel_error_definition():
    a = np.array([1.0, -2.0, 0.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(a, -a) == pytest.approx(1.0)  # the largest possible value
    assert rel_error(a, a + [0.0, 0.0, 1e-6]) == pytest.approx(
        1e-6 / 4.0
    )  # max|a-b| / max(|a|+|b|)
    assert rel_error(1e-30 * a, 1e-30 * (a + [0, 0, 1e-6])) == pytest.approx(1e-6 / 4.0)
    assert rel_error([], []) == 0.0


def test_check_grads_accepts_right_and_flags_wrong_gradients():
    rng = np.random.default_rng(2)
    p = {"a": rng.standard_normal(4), "b": rng.standard_normal(())}
    p["b"] = np.array(p["b"])
    right = {"a": 3 * p["a"] ** 2, "b": np.array(0.0)}
    f = lambda q: float(np.sum(q["a"] ** 3))  # noqa: E731
    ok = check_grads(f, p, right)
    assert set(ok) == {"a", "b"} and max(ok.values()) <= 1e-9
    wrong = {"a": 2 * p["a"] ** 2, "b": np.array(0.0)}
    assert check_grads(f, p, wrong)["a"] > 1e-2


@pytest.mark.parametrize("eps", [0.0, -1e-5, float("nan"), float("inf")])
def test_rejects_bad_step(eps):
    with pytest.raises(ValueError, match=f"eps must be a finite number > 0, got {eps!r}"):
        numerical_grad(cubic, {"a": np.zeros(2), "b": np.zeros(())}, eps=eps)


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"params\['a'\] must be a float64 array, got list"):
        numerical_grad(cubic, {"a": [1.0]})
    with pytest.raises(ValueError, match=r"params\['a'\] must be a float64 array"):
        numerical_grad(cubic, {"a": np.zeros(2, dtype=np.float32)})
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"grads is missing \['b'\]"):
        check_grads(cubic, {"a": np.zeros(2), "b": np.zeros(())}, {"a": np.zeros(2)})
