"""The claims notebooks/02_unrolling.ipynb makes, checked on the same examples it runs."""

from functools import cache
from pathlib import Path

import nbformat
import numpy as np
import pytest

import rnnlib
from rnnlib import examples

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_unrolling.ipynb"


@cache
def read_notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


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


@pytest.fixture(scope="module")
def chunk_case(params):
    """Section 5's truncation example: "hellohellohello", a loss at every step, T = 14."""
    ix = np.array([examples.VOCAB.index(c) for c in "hellohellohello"])
    xs, targets = rnnlib.one_hot_inputs(ix[:-1], 4), ix[1:]
    shown = examples.chunk_example("hellohellohello")  # what the notebook and the view call
    assert np.array_equal(shown[0], xs) and np.array_equal(shown[1], targets)
    _, full, _ = rnnlib.unroll_loss_and_grads(params, xs, targets)
    return ix, xs, targets, full


def test_chunked_truncation_errors_against_full_bptt(params, chunk_case):
    """The numbers the cell prints and the prose quotes: relative error and cosine per k."""
    _, xs, targets, full = chunk_case
    want = {1: ("1.24", "0.52"), 5: ("1.90", "0.68"), 12: ("2.41", "0.05"), 13: ("0.20", "0.98")}
    for k, (err_s, cos_s) in want.items():
        _, cut, trace = rnnlib.unroll_loss_and_grads(params, xs, targets, k=k)
        err, cos = rnnlib.unroll.grad_difference(cut, full)
        assert (f"{err:.2f}", f"{cos:.2f}") == (err_s, cos_s), k
        assert trace["backward_steps"] == 14  # one sweep, as full BPTT
    errs = {
        k: rnnlib.unroll.grad_difference(
            rnnlib.unroll_loss_and_grads(params, xs, targets, k=k)[1], full
        )
        for k in range(1, 14)
    }
    assert errs[12][0] > errs[11][0]  # not monotone in k
    assert min(c for _, c in errs.values()) > 0  # k = 6 and 12: cosine 0.05, the lowest
    assert {k for k, (_, c) in errs.items() if f"{c:.2f}" == "0.05"} == {6, 12}
    assert rnnlib.unroll.chunk_starts(14, 12) == [0, 12]  # the last chunk: L_13 and L_14


def test_chunked_k_equal_T_is_full_bptt_and_sliding_costs_60_steps(params, chunk_case):
    """Sliding windows: sum_s min(k, s) backward steps, 60 at k = 5 and 104 at k = 13; at k = T
    nothing is cut and one sweep of 14 steps gives full BPTT, not 105 separate walks."""
    _, xs, targets, full = chunk_case
    whole = rnnlib.unroll_loss_and_grads(params, xs, targets, k=14)[1]
    for name in full:
        np.testing.assert_array_equal(whole[name], full[name])
    err, cos = rnnlib.unroll.grad_difference(whole, full)
    assert (f"{err:.2f}", f"{cos:.2f}") == ("0.00", "1.00")
    chunked = rnnlib.unroll_loss_and_grads(params, xs, targets, k=5)[2]
    assert chunked["backward_steps"] == 14
    walks = {}
    for k in (5, 13, 14):
        _, grads, trace = rnnlib.unroll_loss_and_grads(
            params, xs, targets, k=k, truncation="sliding"
        )
        walks[k] = trace["backward_steps"]
        if k == 14:  # every window reaches h_0: the full gradient
            assert rnnlib.unroll.grad_difference(grads, full)[0] < 1e-12
    assert walks == {5: 60, 13: 104, 14: 14}
    assert [sum(min(k, s) for s in range(1, 15)) for k in (5, 13, 14)] == [60, 104, 105]


def test_errors_above_1_and_what_k_12_cuts(params, chunk_case):
    """An error above 1 (the zero vector's error is exactly 1) at k = 1, 2, 4, 5, 6, 8, 10, 12,
    every cosine positive; at k = 12 the error comes from L_13's cut terms (alone 2.22, L_14's
    0.18; ||dL_13/dh_7|| = 3.94, 1.40 at its own step); at k = 13 only L_14's: 0.20."""
    _, xs, targets, full = chunk_case
    zero = {n: np.zeros_like(g) for n, g in full.items()}
    with pytest.raises(ValueError, match="all zeros"):  # the zero vector has no angle, ...
        rnnlib.unroll.grad_difference(zero, full)
    keys = ("W_xh", "W_hh", "b_h")
    g = np.concatenate([full[n].ravel() for n in keys])
    assert np.linalg.norm(0 * g - g) / np.linalg.norm(g) == 1.0  # ... and a relative error of 1
    by_k = {
        k: rnnlib.unroll.grad_difference(
            rnnlib.unroll_loss_and_grads(params, xs, targets, k=k)[1], full
        )
        for k in range(1, 14)
    }
    assert [k for k, (err, _) in by_k.items() if err > 1] == [1, 2, 4, 5, 6, 8, 10, 12]
    assert min(abs(err - 1) for err, _ in by_k.values()) > 0.03  # none near 1
    assert min(cos for _, cos in by_k.values()) > 0  # all still point downhill
    assert f"{min(cos for _, cos in by_k.values()):.2f}" == "0.05"
    reach = rnnlib.unroll.loss_reach(params, xs, targets)
    assert f"{reach[12, 12]:.2f}" == "1.40" and f"{reach[12, 6]:.2f}" == "3.94"
    assert np.argmax(reach[12]) == 6  # h_7: where L_13 reaches hardest
    cut = rnnlib.unroll.cut_by_loss(params, xs, targets, k=12)
    assert not cut[:12].any()  # only L_13 and L_14 lose terms
    assert (f"{cut[12]:.2f}", f"{cut[13]:.2f}") == ("2.22", "0.18")
    assert f"{by_k[12][0]:.2f}" == "2.41"
    cut13 = rnnlib.unroll.cut_by_loss(params, xs, targets, k=13)
    assert not cut13[:13].any() and cut13[13] == pytest.approx(by_k[13][0], rel=1e-12)
    assert f"{cut13[13]:.2f}" == "0.20"


def test_gradient_check_is_taught_before_it_is_used_and_its_step_is_epsilon():
    """The gradient check (centred differences, step epsilon) comes right after the backward
    pass, before the chunked variant is checked with it; the step is never called h."""
    import inspect

    cells = read_notebook().cells
    first = {}
    for marker in (
        "backward_explorer(",
        "### Gradient check",
        "check_grads(loss_of",
        "check_grads(chunked_objective",
    ):
        first[marker] = next(i for i, c in enumerate(cells) if marker in c.source)
    assert list(first.values()) == sorted(first.values())
    assert first["### Gradient check"] == first["backward_explorer("] + 1
    taught = cells[first["### Gradient check"]].source
    assert "\\epsilon = 10^{-5}" in taught and "L(w+\\epsilon)" in taught
    text = "\n".join(c.source for c in cells)
    assert "L(w+h)" not in text and "h = 10^{-5}" not in text
    for f in (rnnlib.numerical_grad, rnnlib.check_grads):
        assert inspect.signature(f).parameters["eps"].default == 1e-5


def test_the_figures_show_what_the_prose_says(params):
    """Cell figure: W_hh named at every step; layered net: each arrow named by its layer; all
    weight arrows one grey (no colour per matrix or layer); the forward view names each matrix
    at its first arrow only; the radius view's dots are the gradient colour (purple); the
    backward table leaves unreached steps blank."""
    from matplotlib.colors import to_rgba

    from rnnlib.draw import unroll as du
    from rnnlib.draw.style import COLORS, REFERENCE
    from rnnlib.widgets import unroll as views

    fig, (_, art) = du.cell_figure(3)
    assert [t.get_text() for t in fig.axes[-1].texts].count("W_hh") == 3  # the unrolled net
    fig, layered = du.layered_figure(3)
    names = [t.get_text() for t in fig.axes[0].texts]
    assert {"W_hh\u207d\u00b9\u207e", "W_hh\u207d\u00b2\u207e", "W_hh\u207d\u00b3\u207e"} <= set(
        names
    )
    for a in (art, layered):
        weights = [arr for (w, _), arr in a["arrows"].items() if w.startswith("W_")]
        assert {to_rgba(arr.get_facecolor()) for arr in weights} == {to_rgba(REFERENCE)}
    forward = views.forward_explorer(params)
    shown = [t.get_text() for t in forward.fig.axes[0].texts]
    assert all(shown.count(w) == 1 for w in ("W_xh", "W_hh", "W_hy"))
    radius = views.radius_explorer(T=12)
    dots = radius.fig.axes[0].lines[-2]  # the measured norms
    assert dots.get_marker() == "o"
    assert to_rgba(dots.get_color()) == to_rgba(COLORS["gradient"]) != to_rgba(COLORS["target"])
    backward = views.backward_explorer(params)
    backward.controls["n"].value = 1  # dL/dh_4 and dL/dh_3 known
    rows = backward.html.value.split("<tr>")[2:]
    assert [r.count("></td>") for r in rows] == [2, 2, 0, 0]  # steps 1, 2: both cells blank


def test_chunked_gradient_check_of_the_notebook(params, chunk_case):
    ix, xs, targets, full = chunk_case
    T, k = 14, 5
    hs, _, _ = rnnlib.unroll_forward(params, xs)

    def chunked_objective(q):
        total = 0.0
        for s in rnnlib.unroll.chunk_starts(T, k):
            h_in = np.zeros(3) if s == 0 else hs[s - 1]
            total += rnnlib.unroll_loss_and_grads(
                q, xs[s : s + k], targets[s : s + k], h_prev=h_in
            )[0]
        return total

    loss, _, _ = rnnlib.unroll_loss_and_grads(params, xs, targets)
    loss_k, grads_k, _ = rnnlib.unroll_loss_and_grads(params, xs, targets, k=k)
    assert abs(loss_k - loss) < 1e-12 and chunked_objective(params) == pytest.approx(
        loss, rel=1e-13
    )
    assert max(rnnlib.check_grads(chunked_objective, params, grads_k).values()) < 1e-7
    trainer = rnnlib.bptt.chunked_loss_and_grads(params, ix[:-1], targets, np.zeros(3), k)[1]
    assert max(rnnlib.rel_error(trainer[n], grads_k[n]) for n in grads_k) < 1e-12


def test_the_dropped_terms_are_not_small_here(params, chunk_case):
    """8 of 14 loss terms have a larger gradient at an earlier state than at their own step;
    ||dL_12/dh_12|| = 0.84, ||dL_12/dh_7|| = 5.54."""
    _, xs, targets, _ = chunk_case
    reach = rnnlib.unroll.loss_reach(params, xs, targets)
    own = np.diag(reach)
    earlier = np.array([reach[s, :s].max() if s else 0.0 for s in range(14)])
    assert int((earlier > own).sum()) == 8
    assert f"{reach[11, 11]:.2f}" == "0.84" and f"{reach[11, 6]:.2f}" == "5.54"
    kept = rnnlib.unroll.loss_reach(params, xs, targets, k=5) > 0
    for s in range(14):  # a loss at position j of its chunk reaches back j steps
        start = (s // 5) * 5
        assert list(np.flatnonzero(kept[s])) == list(range(start, s + 1))


def test_notebook_04_trains_on_chunks_of_25_characters():
    """The shipped model of notebook 04 was trained with seq_length 25, train's default."""
    import inspect

    assert int(rnnlib.load_corpus_model().meta["seq_length"]) == 25
    assert inspect.signature(rnnlib.train).parameters["seq_length"].default == 25


def test_chunk_first_states_get_k_losses_sliding_states_get_k(params, chunk_case):
    """Check yourself: the first state of a full chunk gets all k losses of its chunk, the last
    only its own; with sliding windows every h_t, t <= T - k + 1, gets k losses."""
    _, xs, targets, _ = chunk_case
    T, k = 14, 5
    chunked = rnnlib.unroll.loss_reach(params, xs, targets, k=k) > 0
    sliding = rnnlib.unroll.loss_reach(params, xs, targets, k=k, truncation="sliding") > 0
    counts = chunked.sum(axis=0)
    assert list(counts[:10]) == [5, 4, 3, 2, 1, 5, 4, 3, 2, 1]
    assert all(sliding.sum(axis=0)[t] == k for t in range(T - k + 1))
    assert counts.max() == k


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


def test_the_matrices_add_not_their_norms(params):
    ex = examples.hello_example("many-to-many")
    layers = rnnlib.build_layers(params, ex["T"])
    _, layer_grads = rnnlib.layered_loss_and_grads(layers, ex["xs"], ex["targets"])
    norms = [np.linalg.norm(g["W_hh"]) for g in layer_grads]
    norm_of_sum = np.linalg.norm(sum(g["W_hh"] for g in layer_grads))
    assert [f"{v:.4f}" for v in norms] == ["0.0000", "0.2604", "0.7555", "0.2245"]
    assert f"{norm_of_sum:.4f}" == "0.8745" and f"{sum(norms):.3f}" == "1.240"
    assert norm_of_sum < sum(norms)


def test_h0_of_section_1_is_random_and_changes_h1(params):
    """The notebook's h0 is a random draw of rng(0), never trained: h_1 differs from h_0 = 0."""
    h0 = np.random.default_rng(0).standard_normal(3) * 0.5
    xs = np.eye(4)[[0, 1, 2, 2]]
    hs_zero, _, _ = rnnlib.unroll_forward(params, xs)
    hs_h0, _, _ = rnnlib.unroll_forward({**params, "h0": h0}, xs)
    assert np.abs(hs_h0[0] - hs_zero[0]).max() > 0.1


def test_saturated_rho_1_5_factor_and_its_bound():
    """Section 5: factor 0.80 per step, bounds sigma_max(W_hh) max_i (1 - h^2) from 1.35 to 1.50,
    every factor below its bound, every bound above 1 (some unit has 1 - h^2 >= 0.89)."""
    trace = examples.radius_run(1.5, T=12, input_scale=1.0)[2]
    norms, hs = trace["dh_norms"], trace["hs"]
    factors = norms[:-1] / norms[1:]
    assert f"{np.exp(np.mean(np.log(factors))):.2f}" == "0.80"
    gain = (1 - hs[1:] ** 2).max(axis=1)
    # W_hh = 1.5 Q with Q orthogonal: every singular value is 1.5
    sigma = np.linalg.svd(1.5 * examples.orthogonal(8, np.random.default_rng(0)), compute_uv=False)
    np.testing.assert_allclose(sigma, 1.5, rtol=1e-12)
    bounds = 1.5 * gain
    assert np.all(factors <= bounds) and np.all(bounds > 1.0) and gain.min() >= 0.89
    assert f"{bounds.min():.2f}" == "1.35" and f"{bounds.max():.2f}" == "1.50"


def test_the_step_jacobian_norm_is_bounded_by_sigma_max_times_max_tanh_prime():
    rng = np.random.default_rng(4)
    for _ in range(20):
        W_hh = rng.standard_normal((5, 5))
        h = np.tanh(rng.standard_normal(5) * 2)
        J = np.diag(1 - h**2) @ W_hh  # dh_t / dh_{t-1}
        sigma = np.linalg.norm(W_hh, 2)
        assert np.linalg.norm(J, 2) <= sigma * (1 - h**2).max() + 1e-12 <= sigma + 1e-12
        assert np.abs(np.linalg.eigvals(W_hh)).max() <= sigma + 1e-12  # rho <= sigma_max
