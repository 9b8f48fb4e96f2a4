"""Exercises 1 and 2: one step of the cell forward and backward.

    h = tanh(W_xh x + W_hh h_prev + b_h)      (a batch in rows: x @ W_xh.T + h_prev @ W_hh.T + b_h)

A wrong answer is diagnosed: the catalogue (MISTAKES) names the typical mistakes; each that can
be simulated is written as the correct computation with that one mistake (FORWARD_SIMS,
BACKWARD_SIMS), and a mistake is named only when its simulation agrees with the student's output
on every case, on all outputs or (for a student making two mistakes) output by output. Otherwise
the message says which outputs are off and how (scaled, transposed, some rows only, ...).
"""

import numpy as np

from .. import cell, hello
from ..gradcheck import numerical_grad
from ._core import (
    IN_PLACE,
    Fail,
    as_array,
    call,
    catalogue,
    close,
    low_precision,
    off,
    run_check,
    shapes,
    snapshot,
    unchanged,
    unpack,
)
from ._diagnose import NotApplicable, evidence, explain, recognise, wrong_of

# (D, H, B): B None is one 1-D input. D = H first, so that a transposed W_xh still runs there.
CASES = ((2, 2, None), (3, 2, None), (2, 4, None), (3, 3, 1), (3, 3, 4), (5, 4, 3))
GRAD_NAMES = ("dx", "dh_prev", "dW_xh", "dW_hh", "db_h")


def case_inputs(D, H, B, seed):
    """x, h_prev, W_xh, W_hh, b_h for one case: random, scaled so that tanh bends."""
    rng = np.random.default_rng(seed)
    lead = () if B is None else (B,)
    return (
        rng.standard_normal(lead + (D,)),
        rng.standard_normal(lead + (H,)) * 0.8,
        rng.standard_normal((H, D)) * 0.8,
        rng.standard_normal((H, H)) * 0.8,
        rng.standard_normal(H) * 0.5,
    )


def hello_step():
    """The lecture's first step of "hello": x = onehot(h), h_prev = 0, the weights of
    rnnlib.hello.solve_params; h comes out as the printed h_1 = [0.3, -0.1, 0.9]."""
    params = hello.solve_params()
    x = np.eye(len(hello.CHARS))[hello.vocab().encode("h")[0]]
    return x, np.zeros(hello.HIDDEN_SIZE), params["W_xh"], params["W_hh"], params["b_h"]


def cases():
    """Every case as (label, inputs), the smallest first; the lecture's step after the
    D = H cases."""
    out = []
    for i, (D, H, B) in enumerate(CASES):
        inputs = case_inputs(D, H, B, seed=100 + i)
        label = shapes(x=inputs[0], h_prev=inputs[1]) + f" (D = {D}, H = {H}"
        label += ", one 1-D input)" if B is None else f", a batch of B = {B})"
        out.append((label, inputs))
    step = (
        'for the lecture\'s first step of "hello" (x = onehot(h), h_prev = 0, '
        "h_1 = [0.3, -0.1, 0.9])",
        hello_step(),
    )
    return out[:1] + [step] + out[1:]


def _affine(x, h_prev, W_xh, W_hh, b_h):
    return x @ W_xh.T + h_prev @ W_hh.T + b_h


FLOAT32 = (
    "it is computed in float32; the checks compare with float64 (numpy's default) to a "
    "relative error of 1e-7, which float32's 7 significant digits do not reach, so compute "
    "in float64 (no dtype=np.float32, no .astype(np.float32))"
)
MISTAKES = {
    **catalogue(
        1,
        fw_no_tanh="the tanh is missing: h = tanh(a) with a = W_xh x + W_hh h_prev + b_h",
        fw_W_hh_transposed="W_hh is used transposed: the recurrent term is W_hh h_prev (in rows "
        "h_prev @ W_hh.T)",
        fw_W_xh_transposed="W_xh is used transposed: the input term is W_xh x (in rows x @ W_xh.T)",
        fw_no_bias="the bias b_h is missing",
        fw_no_recurrence="h_prev is not used: the recurrent term W_hh h_prev is missing",
        fw_no_input="x is not used: the input term W_xh x is missing",
        fw_sigmoid="a sigmoid is used where the cell has tanh",
        fw_relu="a ReLU, max(0, a), is used where the cell has tanh",
        fw_bias_outside_tanh="b_h is added after the tanh; it belongs inside: "
        "h = tanh(W_xh x + W_hh h_prev + b_h)",
        fw_recurrence_outside_tanh="W_hh h_prev is added after the tanh; it belongs inside: "
        "h = tanh(W_xh x + W_hh h_prev + b_h)",
        fw_float32=FLOAT32,
        fw_in_place=IN_PLACE,
        fw_no_cache="rnn_step_forward returns a pair (h, cache), the cache for the backward pass",
        fw_batch_rows="every 1-D case passes but a batch does not: a batch holds one example "
        "per row, and h = tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h) serves both",
        fw_h_transposed="h is transposed: for a batch it has one row per example, (B, H)",
        fw_weights_swapped="W_xh and W_hh are swapped: the input term is W_xh x and the "
        "recurrent term W_hh h_prev (in rows x @ W_xh.T + h_prev @ W_hh.T)",
        fw_both_transposed="W_xh and W_hh are both used transposed: h = tanh(W_xh x + W_hh "
        "h_prev + b_h), in rows x @ W_xh.T + h_prev @ W_hh.T + b_h",
        fw_input_outside_tanh="W_xh x is added after the tanh; it belongs inside: "
        "h = tanh(W_xh x + W_hh h_prev + b_h)",
        fw_batch_rows_skipped="rows of a batch are left at zero: the loop over the batch skips "
        "examples (range(1, B) skips the first, row 0; range(B - 1) the last); it must visit "
        "every row, range(B)",
        fw_bias_broadcast="b_h (H,) is added to an (H, B) array of columns, so numpy broadcasts "
        "it along the batch, not along the units; add it as a column, b_h[:, None], or work in "
        "rows: x @ W_xh.T + h_prev @ W_hh.T + b_h",
        fw_W_xh_reshaped="W_xh is reshaped where it should be transposed: W_xh.reshape(D, H) "
        "keeps the order of the entries and scrambles the weights; W_xh.T swaps rows and "
        "columns (in rows x @ W_xh.T)",
        fw_sum_wrong_axis="an elementwise product W * v is summed over axis 0, which gives "
        "v * W.sum(axis=0); the product W v sums each row, (W * v).sum(axis=1)",
        fw_units_in_place="a loop over the units updates the state in place while it reads it: "
        "units after the first see the new values of earlier units instead of h_prev; compute "
        "every unit from h_prev, into a new array",
        fw_batch_one_row="a loop over the batch reads the same row (of h_prev or x) for every "
        "example; example b uses x[b] and h_prev[b]",
    ),
    **catalogue(
        2,
        bw_no_tanh_grad="the tanh derivative is missing: dh must be multiplied by 1 - h**2 first",
        bw_one_minus_h="the tanh derivative is written 1 - h; it is 1 - h**2 (tanh' = 1 - tanh**2)",
        bw_tanh_of_h="the tanh derivative is taken at h, as 1 - tanh(h)**2; h is already "
        "tanh(a), so tanh'(a) = 1 - h**2",
        bw_derivative_of_h_prev="the tanh derivative uses h_prev; it is 1 - h**2 with h this "
        "step's output",
        bw_W_hh_not_transposed="dh_prev uses W_hh where W_hh.T is needed: dh_prev = W_hh.T "
        "dhraw (in rows dhraw @ W_hh)",
        bw_W_xh_not_transposed="dx uses W_xh where W_xh.T is needed: dx = W_xh.T dhraw (in rows "
        "dhraw @ W_xh)",
        bw_dW_hh_transposed="dW_hh is transposed: dW_hh = dhraw h_prev^T, an (H, H) matrix with "
        "row i for unit i",
        bw_dW_xh_transposed="dW_xh is transposed: dW_xh = dhraw x^T has W_xh's shape (H, D)",
        bw_dW_hh_with_h="dW_hh uses the new state h, the step's output, instead of h_prev: it "
        "is dhraw h_prev^T, with the state that entered the step",
        bw_dh_prev_before_tanh="dh_prev is computed from dh; it is W_hh^T dhraw, after the tanh "
        "derivative, dhraw = (1 - h**2) * dh",
        bw_batch_mean="the weight gradients are averaged over the batch; the loss of a batch is "
        "the sum of its examples' losses, so dW_xh, dW_hh and db_h are sums over the batch",
        bw_db_not_summed="db_h is not summed over the batch: it has one row per example; the "
        "gradients of the weights and the bias are summed over the batch (axis 0)",
        bw_float32=FLOAT32,
        bw_in_place=IN_PLACE,
        bw_one_minus_a_squared="the tanh derivative is written 1 - a**2 with a the "
        "pre-activation; it is tanh'(a) = 1 - tanh(a)**2 = 1 - h**2",
        bw_derivative_sign="every gradient has the wrong sign, as from a tanh derivative "
        "written h**2 - 1; it is 1 - h**2",
        bw_weights_swapped="W_xh and W_hh are swapped between dx and dh_prev: dx = W_xh^T "
        "dhraw and dh_prev = W_hh^T dhraw (in rows dhraw @ W_xh and dhraw @ W_hh)",
        bw_db_wrong_axis="db_h is summed over axis 1, the units of each example; the bias "
        "gradient sums over the batch, axis 0, and has one entry per unit, (H,)",
        bw_outer_on_batch="np.outer flattens its arguments: on a batch, np.outer(dhraw, x) is "
        "(B*H, B*D); the batch's dW_xh is dhraw.T @ x, (H, D) (and dW_hh dhraw.T @ h_prev), "
        "the sum of the examples' outer products",
        bw_derivative_parenthesis="the tanh derivative is written (1 - h)**2; it is 1 - h**2 "
        "(the square is on h only)",
        bw_dW_xh_reshaped="dW_xh is computed as x^T dhraw, (D, H), and reshaped to (H, D): "
        "reshape keeps the order of the entries; transpose, or compute dhraw x^T directly "
        "(np.outer(dhraw, x), in rows dhraw.T @ x)",
        bw_dh_prev_extra_derivative="dh_prev is also multiplied by 1 - h_prev**2, the tanh "
        "derivative of the previous step, which belongs to that step's own backward pass: "
        "dh_prev = W_hh^T dhraw",
        bw_grads_before_tanh="a weight or bias gradient is computed from dh, the gradient "
        "before the tanh derivative; dW_xh, dW_hh and db_h all use dhraw = (1 - h**2) * dh",
        bw_assign_in_batch_loop="in the loop over the batch a weight or bias gradient is "
        "assigned (=), not accumulated (+=): only one example's contribution is kept; the "
        "gradients sum over the batch",
        bw_batch_only="for one 1-D example, dhraw.T @ x is a dot product, a number: .T leaves a "
        "1-D array as it is; use np.outer(dhraw, x) there (or treat x as a batch of one, "
        "x[None], and return 1-D dx and dh_prev)",
    ),
}


def _fw(f):
    return lambda args, want, got: {"h": f(*args)}


FORWARD_SIMS = {
    "fw_no_tanh": _fw(_affine),
    "fw_W_hh_transposed": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + h @ Wh + b)),
    "fw_W_xh_transposed": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b)),
    "fw_no_bias": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + h @ Wh.T)),
    "fw_no_recurrence": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + b)),
    "fw_no_input": _fw(lambda x, h, Wx, Wh, b: np.tanh(h @ Wh.T + b)),
    "fw_sigmoid": _fw(lambda *a: 1.0 / (1.0 + np.exp(-_affine(*a)))),
    "fw_relu": _fw(lambda *a: np.maximum(0.0, _affine(*a))),
    "fw_bias_outside_tanh": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + h @ Wh.T) + b),
    "fw_recurrence_outside_tanh": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + b) + h @ Wh.T),
    "fw_both_transposed": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh + b)),
    "fw_input_outside_tanh": _fw(lambda x, h, Wx, Wh, b: np.tanh(h @ Wh.T + b) + x @ Wx.T),
    "fw_weights_swapped": _fw(lambda x, h, Wx, Wh, b: np.tanh(x @ Wh.T + h @ Wx.T + b)),
}


def _rows_skipped(args, want, got):
    """The expected h of a batch with the rows the student left all zero set to zero."""
    h, g = want["h"].copy(), got["h"]
    if h.ndim != 2:
        raise NotApplicable("one 1-D input: no rows to skip")
    h[~np.any(g, axis=1)] = 0.0
    return {"h": h}


FORWARD_SIMS["fw_batch_rows_skipped"] = _rows_skipped


def _closest(got, candidates):
    """{"h": c} for the candidate closest to the student's h (the first, when none fits)."""
    g = got.get("h")
    for c in candidates:
        if g is not None and np.shape(c) == np.shape(g) and close(g, c):
            return {"h": c}
    return {"h": candidates[0]}


def _reshaped(args, want, got):
    """x @ W_xh.reshape(D, H) where x @ W_xh.T is meant."""
    x, h, Wx, Wh, b = args
    return {"h": np.tanh(x @ Wx.reshape(Wx.shape[::-1]) + h @ Wh.T + b)}


def _column_sums(args, want, got):
    """(W * v).sum(axis=0), v * W.sum(axis=0), in place of W v, for W_hh or W_xh (D = H)."""
    x, h, Wx, Wh, b = args
    rec = np.tanh(x @ Wx.T + h * Wh.sum(axis=0) + b)
    inp = np.tanh(x * Wx.sum(axis=0) + h @ Wh.T + b) if Wx.shape[0] == Wx.shape[1] else rec
    return _closest(got, [rec, inp])


def _units_in_place(args, want, got):
    """A loop over the units of a state that starts as h_prev and is overwritten unit by unit."""
    x, h_prev, Wx, Wh, b = args
    rows = np.atleast_2d(np.array(h_prev, dtype=np.float64))
    xs = np.atleast_2d(x)
    for r in range(len(rows)):
        for i in range(len(b)):
            rows[r, i] = np.tanh(Wx[i] @ xs[r] + Wh[i] @ rows[r] + b[i])
    return {"h": rows.reshape(np.shape(h_prev))}


def _one_row(args, want, got):
    """A batch whose every example reads row 0 (or the last row) of h_prev or of x."""
    x, h, Wx, Wh, b = args
    if np.ndim(x) != 2 or len(x) < 2:
        raise NotApplicable("one example: every row is the same row")
    ones = np.ones((len(x), 1))
    candidates = [np.tanh(x @ Wx.T + ones * (h[k] @ Wh.T) + b) for k in (0, -1)]
    candidates += [np.tanh(ones * (x[k] @ Wx.T) + h @ Wh.T + b) for k in (0, -1)]
    return _closest(got, candidates)


def _bias_broadcast_1d(args, want, got):
    """Column code on one 1-D input: a column (H, 1) plus b_h (H,) is an (H, H) array, whose
    entry (i, j) has the bias of unit j; the student returns one of its rows or columns."""
    x, h, Wx, Wh, b = args
    if np.ndim(x) != 1:
        raise NotApplicable("a batch: told by the shape of h (run_forward)")
    M = np.tanh((Wx @ x + Wh @ h)[:, None] + b[None, :])
    return _closest(got, [M[:, 0], M[:, -1], M[0], M[-1]])


FORWARD_SIMS.update(
    fw_W_xh_reshaped=_reshaped,
    fw_sum_wrong_axis=_column_sums,
    fw_units_in_place=_units_in_place,
    fw_batch_one_row=_one_row,
    fw_bias_broadcast=_bias_broadcast_1d,
)


def _broadcast_bias(x, h_prev, W_xh, W_hh, b_h):
    """h of column code that adds b_h (H,) to the (H, B) columns, as the student may return it
    (as computed, or transposed back): numpy broadcasts b_h along the batch."""
    cols = (x @ W_xh.T + h_prev @ W_hh.T).T
    h = np.tanh(cols + b_h)  # (H, B) + (H,): the units of b_h meet the examples
    return h, h.T


def _close_any(got, want):
    """close() for a student's value of any type: False where it is not an array of numbers."""
    try:
        return close(got, want)
    except (TypeError, ValueError):
        return False


def run_forward(forward, label, inputs, name="rnn_step_forward"):
    """The student's forward on one case: (h as float64, want, cache, low precision), or Fail."""
    copies = snapshot(*inputs)
    out = call(forward, name, inputs, case=label)
    unchanged(name, ("x", "h_prev", "W_xh", "W_hh", "b_h"), inputs, copies, label, "fw_in_place")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        try:
            unpack(out, 2, name, ("h", "cache"))
        except Fail as fail:
            raise Fail(f"{fail} {MISTAKES['fw_no_cache'].cause}.", "fw_no_cache") from None
    h, cache = out
    want = cell.rnn_step_forward(*inputs)[0]
    if np.ndim(inputs[0]) == 2 and np.shape(h) != want.shape:
        try:
            with np.errstate(all="ignore"):
                broadcast = _broadcast_bias(*inputs)
        except ValueError:
            broadcast = ()
        if any(_close_any(h, b) for b in broadcast):
            cause = MISTAKES["fw_bias_broadcast"].cause
            raise Fail(
                f"h has shape {np.shape(h)} {label}; expected {want.shape}: {cause}.",
                "fw_bias_broadcast",
            )
    if np.shape(h) == want.shape[::-1] and want.ndim == 2 and want.shape[0] != want.shape[1]:
        cause = MISTAKES["fw_h_transposed"].cause
        raise Fail(
            f"h has shape {np.shape(h)} {label}; expected {want.shape}: {cause}.",
            "fw_h_transposed",
        )
    return as_array(h, "h", want.shape, label), want, cache, low_precision(h)


def forward_body(forward, name="rnn_step_forward"):
    """Every case; the message of a pass, or Fail about the smallest failing case."""
    runs, crashed = [], None
    for label, inputs in cases():
        try:
            h, want, _, low = run_forward(forward, label, inputs, name)
        except Fail as fail:
            if bad_runs(runs):
                crashed = inputs, {"h": cell.rnn_step_forward(*inputs)[0]}
                break  # diagnose the failure found on a smaller case
            if fail.cause is None and runs and inputs[0].ndim == 2 and one_d_pass(runs):
                raise Fail(with_cause(fail, "fw_batch_rows"), "fw_batch_rows") from None
            raise
        runs.append((label, inputs, {"h": h}, {"h": want}, low))
    bad = bad_runs(runs)
    low = any(r[4] for r in runs)
    batch_only = one_d_pass(runs) and all(r[1][0].ndim == 2 for r in bad)
    triples = [(r[1], r[2], r[3]) for r in runs]
    if bad and not low and batch_only and not recognise(triples, FORWARD_SIMS):
        label, _, got, want, _ = bad[0]
        message = off("h", got["h"], want["h"], label)
        raise Fail(with_cause(message, "fw_batch_rows"), "fw_batch_rows")
    if low and not bad:  # float32 within the tolerance: rejected all the same, as exercise 3
        label, _, got, want, _ = runs[0]
        example = evidence("h", got["h"], want["h"])
        raise Fail(
            f"h {label}: {MISTAKES['fw_float32'].cause}. For example {example}.", "fw_float32"
        )
    if bad:
        explain(runs, FORWARD_SIMS, MISTAKES, "fw_float32", crashed=crashed)
    return (
        f"h agrees with rnnlib.rnn_step_forward on all {len(CASES) + 1} cases (1-D inputs and "
        'batches, D = H and D != H, the lecture\'s first step of "hello") to a relative error '
        "below 1e-7."
    )


def bad_runs(runs):
    """The runs (label, args, got, want, low) whose outputs disagree with the reference."""
    return [r for r in runs if wrong_of(r[2], r[3])]


def one_d_pass(runs):
    """Whether the runs hold a 1-D case and every 1-D case passed."""
    one_d = [r for r in runs if r[1][0].ndim == 1]
    return bool(one_d) and not bad_runs(one_d)


def with_cause(message, key):
    """A message that ends with a full stop, completed by the catalogued cause `key`."""
    return f"{str(message).rstrip('.')}: {MISTAKES[key].cause}."


def check_step_forward(fn):
    """Check a student's rnn_step_forward(x, h_prev, W_xh, W_hh, b_h) -> (h, cache)."""
    return run_check("rnn_step_forward", lambda: forward_body(fn))


def _backward_with(dh, x, h_prev, W_xh, W_hh, h, *, dhraw=None, **flip):
    """rnnlib's backward pass, optionally with one mistake (for the catalogue), as a dict."""
    dhraw = (1.0 - h * h) * dh if dhraw is None else dhraw
    if flip.get("swapped"):
        W_xh, W_hh = W_hh, W_xh  # dx and dh_prev only: the weight gradients stay right
    dx = dhraw @ (W_xh.T if flip.get("dx") else W_xh)
    dh_prev = (dh if flip.get("dh_prev_from_dh") else dhraw) @ (
        W_hh.T if flip.get("dh_prev") else W_hh
    )
    if flip.get("dh_prev_extra"):
        dh_prev = dh_prev * (1.0 - h_prev**2)
    rows = dhraw.reshape(-1, dhraw.shape[-1])
    x2 = x.reshape(len(rows), -1)
    h2 = (h if flip.get("dW_hh_with_h") else h_prev).reshape(len(rows), -1)
    scale = 1.0 / len(rows) if flip.get("mean") else 1.0
    dW_xh = rows.T @ x2 * scale
    dW_hh = rows.T @ h2 * scale
    if flip.get("dW_xh"):
        dW_xh = dW_xh.T
    if flip.get("dW_xh_reshaped"):
        dW_xh = dW_xh.T.reshape(dW_xh.shape)
    if flip.get("dW_hh"):
        dW_hh = dW_hh.T
    db_h = rows.sum(axis=0) * scale
    return dict(zip(GRAD_NAMES, (dx, dh_prev, dW_xh, dW_hh, db_h), strict=True))


def _bw(**kw):
    def sim(args, want, got):
        dh, x, h_prev, W_xh, W_hh, h, a = args
        if "dhraw" in kw:
            kw2 = {**kw, "dhraw": kw["dhraw"](dh, h, h_prev, a)}
        else:
            kw2 = kw
        return _backward_with(dh, x, h_prev, W_xh, W_hh, h, **kw2)

    return sim


BACKWARD_SIMS = {
    "bw_no_tanh_grad": _bw(dhraw=lambda dh, h, hp, a: dh),
    "bw_one_minus_h": _bw(dhraw=lambda dh, h, hp, a: (1 - h) * dh),
    "bw_tanh_of_h": _bw(dhraw=lambda dh, h, hp, a: (1 - np.tanh(h) ** 2) * dh),
    "bw_derivative_of_h_prev": _bw(dhraw=lambda dh, h, hp, a: (1 - hp**2) * dh),
    "bw_one_minus_a_squared": _bw(dhraw=lambda dh, h, hp, a: (1 - a**2) * dh),
    "bw_derivative_sign": _bw(dhraw=lambda dh, h, hp, a: (h * h - 1) * dh),
    "bw_weights_swapped": _bw(swapped=True),
    "bw_W_hh_not_transposed": _bw(dh_prev=True),
    "bw_W_xh_not_transposed": _bw(dx=True),
    "bw_dW_hh_transposed": _bw(dW_hh=True),
    "bw_dW_xh_transposed": _bw(dW_xh=True),
    "bw_dW_hh_with_h": _bw(dW_hh_with_h=True),
    "bw_dh_prev_before_tanh": _bw(dh_prev_from_dh=True),
    "bw_batch_mean": _bw(mean=True),
    "bw_derivative_parenthesis": _bw(dhraw=lambda dh, h, hp, a: (1 - h) ** 2 * dh),
    "bw_dW_xh_reshaped": _bw(dW_xh_reshaped=True),
    "bw_dh_prev_extra_derivative": _bw(dh_prev_extra=True),
}


def _one_example(args, want, got):
    """Each weight and bias gradient as the student has it when it is one example's
    contribution (the first or the last: = in place of += in a loop over the batch)."""
    dh, x, h_prev, W_xh, W_hh, h, a = args
    if np.ndim(x) != 2 or len(x) < 2:
        raise NotApplicable("one example: its contribution is the sum")
    dhraw = (1.0 - h * h) * dh
    out = dict(want)
    for name, parts in (
        ("dW_xh", [np.outer(dhraw[k], x[k]) for k in (0, -1)]),
        ("dW_hh", [np.outer(dhraw[k], h_prev[k]) for k in (0, -1)]),
        ("db_h", [dhraw[k] for k in (0, -1)]),
    ):
        g = got.get(name)
        for p in parts:
            if g is not None and close(g, p):
                out[name] = p
    return out


BACKWARD_SIMS["bw_assign_in_batch_loop"] = _one_example


def _before_tanh(args, want, got):
    """dW_xh, dW_hh or db_h (those where the student's value fits) computed from dh."""
    dh, x, h_prev, W_xh, W_hh, h, a = args
    raw = _backward_with(dh, x, h_prev, W_xh, W_hh, h, dhraw=dh)
    out = dict(want)
    for n in ("dW_xh", "dW_hh", "db_h"):
        g = got.get(n)
        if g is not None and np.shape(g) == np.shape(raw[n]) and close(g, raw[n]):
            out[n] = raw[n]
    return out


BACKWARD_SIMS["bw_grads_before_tanh"] = _before_tanh


def expected_grads(dh, inputs, numeric):
    """dx, dh_prev, dW_xh, dW_hh, db_h of sum(dh * h): centred differences or rnnlib."""
    if not numeric:
        h, cache = cell.rnn_step_forward(*inputs)
        return cell.rnn_step_backward(dh, cache)
    names = ("x", "h_prev", "W_xh", "W_hh", "b_h")
    point = {n: np.array(a, dtype=np.float64) for n, a in zip(names, inputs, strict=True)}
    num = numerical_grad(
        lambda q: float(np.sum(dh * cell.rnn_step_forward(*(q[n] for n in names))[0])), point
    )
    return tuple(num[n] for n in names)


def backward_body(forward, backward):
    """Check forward first, then backward on every case with the student's own cache."""
    try:
        forward_body(forward)
    except Fail as fail:
        raise Fail(
            f"Fix rnn_step_forward first (the backward pass uses its cache): {fail}", fail.cause
        ) from None
    runs, crashed = [], None
    for i, (label, inputs) in enumerate(cases()):
        try:
            runs.append(backward_case(forward, backward, i, label, inputs))
        except Fail:
            if bad_runs(runs):
                h = cell.rnn_step_forward(*inputs)[0]
                dh = np.random.default_rng(200 + i).standard_normal(h.shape)
                want = cell.rnn_step_backward(dh, cell.rnn_step_forward(*inputs)[1])
                args = (dh, inputs[0], inputs[1], inputs[2], inputs[3], h, _affine(*inputs))
                crashed = args, dict(zip(GRAD_NAMES, want, strict=True))
                break  # diagnose the failure found on a smaller case
            raise
    low = any(r[4] for r in runs)
    if low and not bad_runs(runs):  # float32 within the tolerance: rejected all the same
        label, _, got, want, _ = runs[0]
        example = evidence("dW_hh", got["dW_hh"], want["dW_hh"])
        cause = MISTAKES["bw_float32"].cause
        raise Fail(
            f"the gradients are rejected {label}: {cause}. For example {example}.", "bw_float32"
        )
    if bad_runs(runs):
        explain(runs, BACKWARD_SIMS, MISTAKES, "bw_float32", crashed=crashed)
    return (
        f"All five gradients agree on all {len(CASES) + 1} cases (1-D and batched) with centred "
        "differences (the two smallest cases) and with rnnlib.rnn_step_backward (all), to a "
        "relative error below 1e-7."
    )


def backward_case(forward, backward, i, label, inputs):
    """The student's backward on case i, with the cache of the student's forward:
    (label, args, got, want, low) for explain, or Fail."""
    h, want_h, cache, _ = run_forward(forward, label, inputs)
    x, h_prev = inputs[0], inputs[1]
    dh = np.random.default_rng(200 + i).standard_normal(h.shape)
    dh_copy = dh.copy()
    copies = snapshot(*inputs)
    out = call(backward, "rnn_step_backward", (dh, cache), case=label)
    unchanged("rnn_step_backward", ("dh",), (dh,), (dh_copy,), label, "bw_in_place")
    labels = ("x", "h_prev", "W_xh", "W_hh", "b_h")
    unchanged("rnn_step_backward", labels, inputs, copies, label, "bw_in_place")
    raw = unpack(out, 5, "rnn_step_backward", GRAD_NAMES)
    want = expected_grads(dh, inputs, numeric=i < 2)
    H = want_h.shape[-1]
    if x.ndim == 2 and np.shape(raw[4]) == (x.shape[0], H) != (H,):
        cause = MISTAKES["bw_db_not_summed"].cause
        raise Fail(
            f"db_h has shape {np.shape(raw[4])} {label}; expected ({H},): {cause}.",
            "bw_db_not_summed",
        )
    dhraw = (1.0 - want_h**2) * dh
    for n, g, w in zip(GRAD_NAMES, raw, want, strict=True):
        if np.shape(g) != w.shape:
            shape_mistake(n, g, w.shape, dhraw, x, h_prev, label)
    got = tuple(
        as_array(g, n, w.shape, label) for g, n, w in zip(raw, GRAD_NAMES, want, strict=True)
    )
    args = (dh, x, h_prev, inputs[2], inputs[3], want_h, _affine(*inputs))
    named = dict(zip(GRAD_NAMES, got, strict=True)), dict(zip(GRAD_NAMES, want, strict=True))
    return label, args, *named, low_precision(raw)


def shape_mistake(name, got, shape, dhraw, x, h_prev, label):
    """Fail naming the mistake that gives a gradient of the wrong shape, when the student's
    values are those the mistake computes; else return (as_array then says the shape)."""
    other = x if name == "dW_xh" else h_prev
    candidates = {}
    if name in ("dW_xh", "dW_hh") and x.ndim == 2:
        candidates["bw_outer_on_batch"] = np.outer(dhraw, other)
    if name in ("dW_xh", "dW_hh") and x.ndim == 1 and len(other) == len(dhraw):
        candidates["bw_batch_only"] = np.dot(dhraw, other)
    if name == "db_h":
        candidates["bw_db_wrong_axis"] = np.atleast_2d(dhraw).sum(axis=1)
    for key, value in candidates.items():
        if np.shape(got) == value.shape and _close_any(got, value):
            cause = MISTAKES[key].cause
            raise Fail(f"{name} has shape {np.shape(got)} {label}; expected {shape}: {cause}.", key)


def check_step_backward(forward, backward):
    """Check a student's rnn_step_backward(dh, cache) -> (dx, dh_prev, dW_xh, dW_hh, db_h),
    with the cache of the student's own rnn_step_forward."""
    return run_check("rnn_step_backward", lambda: backward_body(forward, backward))
