"""Tests for rnnlib.optim: one step of each optimizer against its formula, clipping, freezing."""

import numpy as np
import pytest

from rnnlib import init_params
from rnnlib.clip import clip_elementwise
from rnnlib.optim import Optimizer


def make_setup(seed=0):
    params = init_params(5, 4, rng=seed, scale=0.5)
    rng = np.random.default_rng(seed + 1)
    grads = {k: rng.standard_normal(v.shape) * 3.0 for k, v in params.items()}  # some |g| > 2
    return params, grads


@pytest.mark.parametrize("method", ["sgd", "adagrad", "adam"])
def test_two_steps_follow_the_formulas(method):
    params, grads = make_setup()
    opt = Optimizer(params, method, lr=0.1, clip=2.0)
    g = clip_elementwise(grads, 2.0)  # the optimizer clips like rnnlib.clip
    opt.step(grads)
    opt.step(grads)
    for k, p in params.items():
        if method == "sgd":
            want = p - 2 * 0.1 * g[k]
        elif method == "adagrad":
            first = p - 0.1 * g[k] / np.sqrt(g[k] ** 2 + 1e-8)
            want = first - 0.1 * g[k] / np.sqrt(2 * g[k] ** 2 + 1e-8)
        else:  # constant gradient: m_hat = g and v_hat = g^2 at every step
            want = p - 2 * 0.1 * g[k] / (np.abs(g[k]) + 1e-8)
        np.testing.assert_allclose(opt.params[k], want, rtol=1e-12, atol=1e-15)
    assert opt.t == 2


def test_no_clip_keeps_large_gradients():
    params, grads = make_setup(3)
    opt = Optimizer(params, "sgd", lr=1.0, clip=None)
    opt.step(grads)
    for k in params:
        np.testing.assert_allclose(params[k] - opt.params[k], grads[k], rtol=1e-12, atol=1e-15)


def test_params_are_views_updated_in_place_and_inputs_untouched():
    params, grads = make_setup()
    before = {k: v.copy() for k, v in params.items()}
    opt = Optimizer(params, "adam")
    views = dict(opt.params)
    opt.step(grads)
    for k in params:
        assert opt.params[k] is views[k] and np.shares_memory(views[k], opt.flat)
        np.testing.assert_array_equal(params[k], before[k])  # the caller's arrays are copied
        assert opt.params[k].shape == params[k].shape
    assert opt.flat.size == sum(v.size for v in params.values())


@pytest.mark.parametrize("method", ["sgd", "adagrad", "adam"])
def test_frozen_parameters_never_move(method):
    params, grads = make_setup(2)
    opt = Optimizer(params, method, freeze=("W_hh", "b_h"))
    for _ in range(3):
        opt.step(grads)
    np.testing.assert_array_equal(opt.params["W_hh"], params["W_hh"])
    np.testing.assert_array_equal(opt.params["b_h"], params["b_h"])
    assert not np.array_equal(opt.params["W_xh"], params["W_xh"])


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"method": "rmsprop"}, "optimizer must be one of"),
        ({"lr": -0.1}, "lr must be a finite number > 0"),
        ({"lr": "fast"}, "lr must be"),
        ({"clip": 0.0}, "clip must be"),
        ({"clip": float("inf")}, "clip must be"),
        ({"freeze": ("h0",)}, "cannot freeze 'h0'"),
        ({"betas": (0.9, 1.0)}, "betas must both lie in"),
        ({"eps": 0.0}, "eps must be"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Optimizer(make_setup()[0], **kwargs)
    with pytest.raises(ValueError, match="missing"):
        Optimizer({"W_xh": np.zeros((2, 3))})
