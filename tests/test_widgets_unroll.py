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
    view.controls["n"].value = 2  # dL/dh_1 not yet computed: its cells are blank, not 0.0000
    cells = [row.split("</td>")[:3] for row in view.html.value.split("<tr>")[2:]]
    assert cells[0][1].endswith(">") and cells[0][2].endswith(">")  # t = 1: both blank
    assert cells[1][1].endswith(f"{trace['dh_norms'][1]:.4f}")
    assert "0.0000" not in view.html.value


def test_radius_explorer_shows_geometric_vanishing_and_explosion():
    view = wu.radius_explorer(T=10, H=6)
    results = _check_view(view, "rho", [0.5, 1.0, 1.5])
    for rho, r in zip([0.5, 1.0, 1.5], results, strict=True):
        assert r["rho"] == rho and r["factor"] == pytest.approx(rho, rel=1e-3)
    assert results[0]["norms"][0] < 1e-2 * results[0]["norms"][-1]  # vanished
    assert results[2]["norms"][0] > 10 * results[2]["norms"][-1]  # exploded
    assert len(view.frames) == len(examples.RHOS)  # every value prerendered


def test_radius_explorer_prediction_is_visible_and_distinct_in_every_state():
    T = 10
    view = wu.radius_explorer(T=T, H=6)
    ax = view.fig.axes[0]
    line, ref = ax.lines[-2], ax.lines[-1]  # measured markers, then the dashed prediction
    assert line.get_marker() == "o" and line.get_linestyle() == "None"
    assert ref.get_linestyle() == "--" and ref.get_zorder() > line.get_zorder()
    assert ref.get_color() != line.get_color()
    assert "prediction" in [t.get_text() for t in ax.get_legend().get_texts()][1]
    for rho in examples.RHOS:  # the artists as each (prerendered) frame drew them
        n = view.update(rho=rho)["norms"]
        np.testing.assert_allclose(ref.get_ydata(), n[-1] * rho ** (T - np.arange(1, T + 1)))
        np.testing.assert_allclose(line.get_ydata(), n)
        assert np.isfinite(ref.get_ydata()).all() and (n > 0).all()


def test_truncation_explorer_follows_the_chunked_variant(params):
    view = wu.truncation_explorer(params)
    xs, targets = examples.chunk_example()
    T = len(targets)
    assert T == 14 and len(view.frames) == T and view.controls["k"].value == 5
    results = _check_view(view, "k", [1, 5, 12, T])
    _, full, _ = rnnlib.unroll_loss_and_grads(params, xs, targets)
    for k, r in zip([1, 5, 12, T], results, strict=True):
        assert r["k"] == k and r["starts"] == list(range(0, T, k))
        for s in range(T):  # a loss at position j of its chunk reaches back j steps
            start = (s // k) * k
            assert list(np.flatnonzero(r["kept"][s])) == list(range(start, s + 1))
        _, cut, _ = rnnlib.unroll_loss_and_grads(params, xs, targets, k=k)
        if k < T:
            err, cos = rnnlib.unroll.grad_difference(cut, full)
            assert r["error"] == pytest.approx(err, rel=1e-12)
            assert r["cosine"] == pytest.approx(cos, rel=1e-12)
        assert r["backward_steps"] == T
    assert results[-1]["error"] == 0.0 and results[-1]["kept"].sum() == T * (T + 1) // 2
    assert results[1]["sliding_steps"] == 60
    assert "1-5, 6-10, 11-14" not in view.html.value  # the table shows the last state, k = T
    view.controls["k"].value = 5
    assert "1-5, 6-10, 11-14" in view.html.value and "1.90" in view.html.value
    assert "60" in view.html.value


def test_truncation_explorer_shows_boundaries_and_highlights_k(params):
    view = wu.truncation_explorer(params)
    ax = view.fig.axes[0]
    axe = view.fig.axes[1]
    view.update(k=5)
    vis = [line.get_visible() for line in ax.lines]
    assert sum(vis) == 4  # two boundaries (before steps 6 and 11), each vertical and horizontal
    colors = [tuple(b.get_facecolor()) for b in axe.patches]
    assert len(set(colors)) == 2 and colors.count(colors[4]) == 1  # bar k = 5 stands out
    view.update(k=14)
    assert not any(line.get_visible() for line in ax.lines)
