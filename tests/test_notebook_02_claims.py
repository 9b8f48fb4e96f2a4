"""The claims notebooks/02_unrolling.ipynb makes, checked on the same examples it runs."""

import numpy as np
import pytest

import rnnlib
from rnnlib import examples


@pytest.fixture(scope="module")
def params():
    return examples.hello_params()


def n_params(p):
    return sum(np.size(v) for v in p.values())


def test_parameter_count_does_not_depend_on_T_but_untied_layers_multiply_it(params):
    for T in (1, 3, 100):
        hs, _, _ = rnnlib.unroll_forward(params, np.zeros((T, 4)))
        assert hs.shape == (T, 3) and n_params(params) == 3 * 4 + 3 * 3 + 4 * 3 + 3 + 4
        layers = rnnlib.build_layers(params, T)
        assert sum(n_params(layer) for layer in layers) == T * n_params(params)


def test_bias_free_cell_is_the_slides_equation(params):
    p = {**params, "b_h": np.zeros(3)}
    x, h = np.eye(4)[2], np.array([0.3, -0.1, 0.9])
    h1, _ = rnnlib.rnn_step_forward(x, h, p["W_xh"], p["W_hh"], p["b_h"])
    np.testing.assert_allclose(h1, np.tanh(p["W_hh"] @ h + p["W_xh"] @ x), rtol=1e-14)


def test_learned_h0_changes_h1_and_gets_a_gradient(params):
    ex = examples.hello_example("many-to-many")
    learned = {**params, "h0": np.array([0.5, -0.5, 0.2])}
    hs0, _, _ = rnnlib.unroll_forward(params, ex["xs"])
    hs1, _, _ = rnnlib.unroll_forward(learned, ex["xs"])
    assert not np.allclose(hs0[0], hs1[0])
    _, grads, _ = rnnlib.unroll_loss_and_grads(learned, ex["xs"], ex["targets"])
    assert grads["h0"].shape == (3,) and np.abs(grads["h0"]).max() > 0


def test_layered_net_equals_the_rnn_and_tied_gradient_is_the_sum(params):
    ex = examples.hello_example("many-to-many")
    layers = rnnlib.build_layers(params, ex["T"])
    hs_r, ys_r, _ = rnnlib.unroll_forward(params, ex["xs"])
    hs_l, ys_l, _ = rnnlib.layered_forward(layers, ex["xs"])
    assert np.abs(hs_l - hs_r).max() < 1e-12 and np.abs(ys_l - ys_r).max() < 1e-12
    loss_l, layer_grads = rnnlib.layered_loss_and_grads(layers, ex["xs"], ex["targets"])
    loss_r, grads, trace = rnnlib.unroll_loss_and_grads(params, ex["xs"], ex["targets"])
    assert loss_l == pytest.approx(loss_r, abs=1e-12)
    tied = rnnlib.tie_grads(layer_grads)
    for k in tied:
        assert rnnlib.rel_error(tied[k], grads[k]) < 1e-12
    for t, g in enumerate(layer_grads):
        np.testing.assert_allclose(g["W_hh"], trace["dW_hh_t"][t], rtol=1e-12, atol=1e-15)
    assert not layer_grads[0]["W_hh"].any()  # layer 1 multiplies h_0 = 0: no gradient


def test_every_shape_sums_its_step_losses(params):
    for kind in rnnlib.SETUPS:
        ex = examples.hello_example(kind)
        loss, step_losses, _, _ = examples.run_example(params, ex)
        assert len(step_losses) == len(ex["outputs"])
        assert loss == pytest.approx(sum(step_losses), abs=1e-12)


@pytest.mark.parametrize("rho", examples.RHOS)
def test_gradient_norm_is_multiplied_by_rho_per_step_back(rho):
    norms = examples.radius_run(rho, T=12)[2]["dh_norms"]
    np.testing.assert_allclose(norms[:-1] / norms[1:], rho, rtol=1e-3)
    if rho < 1:
        assert np.all(np.diff(norms) > 0)  # shrinks going back in time
    elif rho > 1:
        assert np.all(np.diff(norms) < 0)  # grows going back in time


def test_rho_half_passes_back_half_to_the_eleventh_power():
    norms = examples.radius_run(0.5, T=12)[2]["dh_norms"]
    assert norms[0] / norms[-1] == pytest.approx(0.5**11, rel=1e-2)
    assert f"{0.5**11:.1e}" == "4.9e-04"


def test_saturated_units_make_even_rho_1_5_vanish():
    norms = examples.radius_run(1.5, T=12, input_scale=1.0)[2]["dh_norms"]
    assert np.exp(np.mean(np.log(norms[:-1] / norms[1:]))) < 1.0


@pytest.mark.parametrize("k", [1, 3, 5, 8])
def test_truncation_cuts_everything_beyond_k_steps_back(k):
    T = 8
    full = examples.radius_run(1.0, T=T, input_scale=0.3)[2]
    cut = examples.radius_run(1.0, T=T, k=k, input_scale=0.3)[2]
    assert not cut["dh_norms"][: T - k].any() and not cut["dW_hh_t"][: T - k].any()
    np.testing.assert_allclose(cut["dW_hh_t"][T - k :], full["dW_hh_t"][T - k :], rtol=1e-12)


def test_many_to_many_truncation_still_reaches_every_step(params):
    ex = examples.hello_example("many-to-many")
    _, _, _, trace = examples.run_example(params, ex, k=1)
    assert trace["dh_norms"].all()  # each loss has its own window: every h_t gets gradient


def test_clipping_on_the_exploding_example():
    _, big, _ = examples.radius_run(1.5, T=12)
    rep = examples.clip_report(big, limit=5.0, max_norm=5.0)
    assert rep["raw"]["norm"] > 100 and rep["raw"]["max"] > 5.0
    assert rep["element-wise"]["max"] <= 5.0 and rep["element-wise"]["cos"] < 0.999
    assert rep["global norm"]["norm"] == pytest.approx(5.0, abs=1e-9)
    assert rep["global norm"]["cos"] == pytest.approx(1.0, abs=1e-12)


def test_gradient_check_of_the_notebook_and_centred_vs_one_sided():
    rng = np.random.default_rng(1)
    H, V, T, B = 3, 4, 5, 2
    p = rnnlib.init_params(V, H, rng=rng, scale=0.5)
    p["b_h"], p["b_y"] = rng.standard_normal(H) * 0.5, rng.standard_normal(V) * 0.5
    p["h0"] = rng.standard_normal(H) * 0.5
    xs = rnnlib.one_hot_inputs(rng.integers(0, V, (T, B)), V)
    targets = rng.integers(0, V, (T, B))

    def loss_of(q):
        return rnnlib.unroll_loss_and_grads(q, xs, targets)[0]

    _, grads, _ = rnnlib.unroll_loss_and_grads(p, xs, targets)
    errors = rnnlib.check_grads(loss_of, p, grads)
    assert set(errors) == {"W_xh", "W_hh", "W_hy", "b_h", "b_y", "h0"}
    assert max(errors.values()) < 1e-7
    h, w, g = 1e-5, p["W_hh"], grads["W_hh"][0, 1]
    old = w[0, 1]
    w[0, 1] = old + h
    up = loss_of(p)
    w[0, 1] = old - h
    down = loss_of(p)
    w[0, 1] = old
    one_sided = abs((up - loss_of(p)) / h - g)
    centred = abs((up - down) / (2 * h) - g)
    assert centred < 1e-8 < one_sided < 1e-3  # O(h^2) against O(h)
