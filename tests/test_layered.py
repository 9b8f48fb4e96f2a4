"""The RNN as a layered net with T copies of its weights: same outputs, summed gradients."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlib.gradcheck import check_grads
from rnnlib.layered import (
    LAYER_KEYS,
    build_layers,
    layered_backward,
    layered_forward,
    layered_loss_and_grads,
    tie_grads,
)
from rnnlib.unroll import sequence_loss, unroll_forward, unroll_loss_and_grads

SIZES = [(1, 0, 2, 1, 1), (4, 1, 3, 4, 2), (5, 3, 2, 3, 4)]  # (T, B, D, V, H), B = 0: unbatched


def case(make_params, T, B, D, V, H, seed=0):
    rng = np.random.default_rng(seed)
    lead = (B,) if B else ()
    xs = rng.standard_normal((T, *lead, D))
    targets = rng.integers(0, V, (T, *lead))
    return make_params(V, H, seed, D=D), xs, targets, rng.standard_normal((*lead, H))


def test_layers_hold_their_own_copies(make_params):
    p = make_params(3, 2, 0)
    layers = build_layers(p, 4)
    assert len(layers) == 4 and all(set(layer) == set(LAYER_KEYS) for layer in layers)
    layers[1]["W_hh"][0, 0] += 1.0
    assert layers[0]["W_hh"][0, 0] == p["W_hh"][0, 0] == layers[2]["W_hh"][0, 0]
    assert layers[1]["W_hh"][0, 0] == p["W_hh"][0, 0] + 1.0
    assert all(np.array_equal(layers[0][k], p[k]) for k in LAYER_KEYS)


@pytest.mark.parametrize("T, B, D, V, H", SIZES)
def test_same_outputs_as_the_rnn(make_params, T, B, D, V, H):
    p, xs, _, h_prev = case(make_params, T, B, D, V, H)
    hs, ys, _ = layered_forward(build_layers(p, T), xs, h_prev)
    want_h, want_y, _ = unroll_forward(p, xs, h_prev)
    np.testing.assert_allclose(hs, want_h, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(ys, want_y, rtol=1e-14, atol=1e-15)
    zero_h, _, _ = layered_forward(build_layers(p, T), xs)
    np.testing.assert_allclose(zero_h, unroll_forward(p, xs)[0], rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("T, B, D, V, H", SIZES)
def test_tied_gradient_is_the_sum_of_the_layer_gradients(make_params, T, B, D, V, H):
    p, xs, targets, h_prev = case(make_params, T, B, D, V, H, seed=1)
    _, layer_grads = layered_loss_and_grads(build_layers(p, T), xs, targets, h_prev=h_prev)
    _, grads, _ = unroll_loss_and_grads(p, xs, targets, h_prev=h_prev)
    tied = tie_grads(layer_grads)
    for k in LAYER_KEYS:
        np.testing.assert_allclose(tied[k], grads[k], rtol=1e-12, atol=1e-14, err_msg=k)
    if T > 1:  # the layers' gradients differ: only their sum is the RNN's
        assert not np.allclose(layer_grads[0]["W_hh"], layer_grads[-1]["W_hh"])


@pytest.mark.parametrize("T, B, D, V, H", SIZES)
def test_gradcheck_every_layer(make_params, T, B, D, V, H):
    p, xs, targets, h_prev = case(make_params, T, B, D, V, H, seed=2)
    layers = build_layers(p, T)
    ls = list(range(0, T, 2))  # losses at some steps only
    tg = targets[ls]
    _, layer_grads = layered_loss_and_grads(layers, xs, tg, h_prev=h_prev, loss_steps=ls)
    flat = {f"{k}[{t}]": layers[t][k] for t in range(T) for k in LAYER_KEYS}  # views
    analytic = {f"{k}[{t}]": layer_grads[t][k] for t in range(T) for k in LAYER_KEYS}

    def f(_):
        return layered_loss_and_grads(layers, xs, tg, h_prev=h_prev, loss_steps=ls)[0]

    errors = check_grads(f, flat, analytic)
    assert max(errors.values()) <= 1e-7, errors


def test_layers_after_the_last_loss_get_no_gradient(make_params):
    p, xs, targets, _ = case(make_params, 4, 2, 2, 3, 3, seed=3)
    _, ys, caches = layered_forward(build_layers(p, 4), xs)
    _, dys = sequence_loss(ys, targets[[1]], loss_steps=[1])
    layer_grads = layered_backward(dys, caches)
    assert all(not g[k].any() for g in layer_grads[2:] for k in LAYER_KEYS)
    assert all(np.abs(layer_grads[t]["W_xh"]).max() > 0 for t in (0, 1))


@pytest.mark.parametrize("T", [0, -2, 1.5, True])
def test_build_layers_rejects_bad_T(make_params, T):
    with pytest.raises(ValueError, match=f"T must be a positive integer, got {T!r}"):
        build_layers(make_params(3, 2), T)


def test_forward_rejects_a_length_mismatch(make_params):
    with pytest.raises(ValueError, match=r"xs has shape \(3, 3\).*T = 4 layers"):
        layered_forward(build_layers(make_params(3, 2), 4), np.zeros((3, 3)))


SHAPES = st.tuples(*(st.integers(lo, n) for lo, n in ((1, 6), (0, 3), (1, 4), (1, 4), (1, 4))))


@settings(max_examples=25, deadline=None)
@given(SHAPES, st.integers(0, 2**16))
def test_property_layered_equals_unrolled(make_params, sizes, seed):
    T, B, D, V, H = sizes  # B = 0: one unbatched sequence
    p, xs, targets, h_prev = case(make_params, T, B, D, V, H, seed)
    keep = np.random.default_rng(seed + 1).random(T) < 0.6
    ls = [t for t in range(T) if keep[t] or t == T - 1]  # losses at a random subset of steps
    tg = targets[ls]
    loss, layer_grads = layered_loss_and_grads(
        build_layers(p, T), xs, tg, h_prev=h_prev, loss_steps=ls
    )
    want, grads, _ = unroll_loss_and_grads(p, xs, tg, h_prev=h_prev, loss_steps=ls)
    assert loss == pytest.approx(want, rel=1e-13)
    tied = tie_grads(layer_grads)
    for k in LAYER_KEYS:
        np.testing.assert_allclose(tied[k], grads[k], rtol=1e-11, atol=1e-13, err_msg=k)
