"""Tests for rnnlib.widgets.unroll: the examples, and each view at min, middle and max."""

import numpy as np
import pytest

import rnnlib
from rnnlib import examples
from rnnlib.widgets import unroll as wu


@pytest.fixture(scope="module")
def params():
    return examples.hello_params()


def _check_view(view, name, values):
    """Set the control to each value; return results and PNGs; no NaN anywhere."""
    results, pngs = [], []
    for v in values:
        view.controls[name].value = v
        pngs.append(view.png())
        results.append(view.result)
        for x in view.result.values():
            if isinstance(x, np.ndarray) and x.dtype.kind == "f":
                assert np.isfinite(x).all()
    assert len(set(pngs)) == len(values)  # every value draws a different frame
    return results


def test_forward_explorer_fills_steps_in_order(params):
    view = wu.forward_explorer(params)
    ex = examples.hello_example("many-to-many")
    hs, ys, _ = rnnlib.unroll_forward(params, ex["xs"])
    results = _check_view(view, "t", [0, 2, 4])
    for t, r in zip([0, 2, 4], results, strict=True):
        assert r["t"] == t
        np.testing.assert_array_equal(r["hs"], hs[:t])
        np.testing.assert_array_equal(r["ys"], ys[:t])
    assert view.html.value.count("<tr>") == 5  # a header and one row per step
    assert f"{hs[3][0]:+.2f}" in view.html.value


def test_setups_explorer_runs_every_shape_on_the_same_code(params):
    view = wu.setups_explorer(params)
    results = _check_view(view, "kind", list(rnnlib.SETUPS))
    for kind, r in zip(rnnlib.SETUPS, results, strict=True):
        ex = examples.hello_example(kind)
        loss, _, _ = rnnlib.unroll_loss_and_grads(
            params, ex["xs"], ex["targets"], loss_steps=ex["loss_steps"]
        )
        assert r["kind"] == kind and r["loss"] == pytest.approx(loss, abs=1e-12)
        assert sum(r["step_losses"]) == pytest.approx(loss, abs=1e-12)
        assert len(r["step_losses"]) == len(ex["loss_steps"])
    assert f"{results[-1]['loss']:.4f}" in view.html.value


def test_backward_explorer_reveals_gradients_from_the_last_step(params):
    view = wu.backward_explorer(params)
    ex = examples.hello_example("many-to-many")
    _, _, trace = rnnlib.unroll_loss_and_grads(params, ex["xs"], ex["targets"])
    results = _check_view(view, "n", [0, 2, 4])
    assert results[0]["reached"] == [3]
    assert results[1]["reached"] == [1, 2, 3]
    assert results[2]["reached"] == [-1, 0, 1, 2, 3]  # all the way to h_0
    np.testing.assert_array_equal(results[1]["norms"][:1], 0.0)
    np.testing.assert_allclose(results[1]["norms"][1:], trace["dh_norms"][1:])
    np.testing.assert_allclose(results[2]["norms"], trace["dh_norms"])


def test_radius_explorer_shows_geometric_vanishing_and_explosion():
    view = wu.radius_explorer(T=10, H=6)
    results = _check_view(view, "rho", [0.5, 1.0, 1.5])
    for rho, r in zip([0.5, 1.0, 1.5], results, strict=True):
        assert r["rho"] == rho and r["factor"] == pytest.approx(rho, rel=1e-3)
    assert results[0]["norms"][0] < 1e-2 * results[0]["norms"][-1]  # vanished
    assert results[2]["norms"][0] > 10 * results[2]["norms"][-1]  # exploded
    assert len(view.frames) == len(examples.RHOS)  # every value prerendered


def test_truncation_explorer_keeps_only_the_last_k_steps():
    T = 6
    view = wu.truncation_explorer(T=T, H=5)
    results = _check_view(view, "k", [1, 3, T])
    full = results[-1]
    for k, r in zip([1, 3, T], results, strict=True):
        assert not r["norms"][: T - k].any() and not r["contrib"][: T - k].any()
        np.testing.assert_allclose(r["contrib"][T - k :], full["contrib"][T - k :], rtol=1e-12)
        assert r["norms"][T - k :].all()
    assert full["dW_hh_norm"] == pytest.approx(full["full_norm"])
    assert len(view.frames) == T
