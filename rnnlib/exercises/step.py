"""Exercises 1 and 2: one step of the cell forward and backward.

    h = tanh(W_xh x + W_hh h_prev + b_h)      (a batch in rows: x @ W_xh.T + h_prev @ W_hh.T + b_h)

A wrong answer is compared with a catalogue of typical mistakes, each written as the correct
computation with that one mistake; a match names the mistake.
"""

import numpy as np

from .. import cell, hello
from ..gradcheck import numerical_grad
from ._core import (
    Fail,
    as_array,
    call,
    close,
    off,
    run_check,
    shapes,
    snapshot,
    unchanged,
    unpack,
)

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


FORWARD_BUGS = {
    "the tanh is missing: h = tanh(a) with a = W_xh x + W_hh h_prev + b_h": _affine,
    "W_hh is used transposed: the recurrent term is W_hh h_prev (in rows h_prev @ W_hh.T)": (
        lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + h @ Wh + b)
    ),
    "W_xh is used transposed: the input term is W_xh x (in rows x @ W_xh.T)": (
        lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b)
    ),
    "the bias b_h is missing": lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + h @ Wh.T),
    "h_prev is not used: the recurrent term W_hh h_prev is missing": (
        lambda x, h, Wx, Wh, b: np.tanh(x @ Wx.T + b)
    ),
    "x is not used: the input term W_xh x is missing": (
        lambda x, h, Wx, Wh, b: np.tanh(h @ Wh.T + b)
    ),
    "a sigmoid is used where the cell has tanh": (lambda *a: 1.0 / (1.0 + np.exp(-_affine(*a)))),
}


def recognise(catalogue, got, args):
    """The name of the catalogued mistake whose output matches `got`, or None."""
    for name, bug in catalogue.items():
        try:
            with np.errstate(all="ignore"):
                want = bug(*args)
        except ValueError:  # the mistake does not run on this case's shapes
            continue
        if isinstance(want, tuple):
            if all(close(g, w) for g, w in zip(got, want, strict=True)):
                return name
        elif close(got, want):
            return name
    return None


def forward_case(forward, label, inputs, name="rnn_step_forward"):
    """Run the student's forward on one case; return (h, cache) or Fail with a diagnosis."""
    copies = snapshot(*inputs)
    out = call(forward, name, inputs, case=label)
    unchanged(name, ("x", "h_prev", "W_xh", "W_hh", "b_h"), inputs, copies, label)
    h, cache = unpack(out, 2, name, ("h", "cache"))
    x, h_prev = inputs[0], inputs[1]
    want = cell.rnn_step_forward(*inputs)[0]
    if np.shape(h) == want.shape[::-1] and want.ndim == 2 and want.shape[0] != want.shape[1]:
        raise Fail(
            f"h has shape {np.shape(h)} {label}; expected {want.shape}, one row per example "
            "(your h is transposed)."
        )
    h = as_array(h, "h", want.shape, label)
    if not close(h, want):
        mistake = recognise(FORWARD_BUGS, h, inputs)
        if mistake:
            raise Fail(f"h is wrong {label}: {mistake}.")
        raise Fail(off("h", h, want, label))
    return h, cache, x, h_prev


def forward_body(forward, name="rnn_step_forward"):
    """Every case; the message of a pass, or Fail on the first (smallest) failing case."""
    one_d_passed = False
    for label, inputs in cases():
        try:
            forward_case(forward, label, inputs, name)
        except Fail as fail:
            if one_d_passed and inputs[0].ndim == 2:
                raise Fail(
                    f"{fail} Every 1-D case passes but this batch does not: in row form "
                    "h = tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h) serves both."
                ) from None
            raise
        one_d_passed = one_d_passed or inputs[0].ndim == 1
    return (
        f"h agrees with rnnlib.rnn_step_forward on all {len(CASES) + 1} cases (1-D inputs and "
        'batches, D = H and D != H, the lecture\'s first step of "hello") to a relative error '
        "below 1e-7."
    )


def check_step_forward(fn):
    """Check a student's rnn_step_forward(x, h_prev, W_xh, W_hh, b_h) -> (h, cache)."""
    return run_check("rnn_step_forward", lambda: forward_body(fn))


def _backward_with(dh, x, h_prev, W_xh, W_hh, h, *, dhraw=None, W_hh_for_dh=None, **flip):
    """rnnlib's backward pass, optionally with one mistake (for the catalogue)."""
    dhraw = (1.0 - h * h) * dh if dhraw is None else dhraw
    dx = dhraw @ (W_xh.T if flip.get("dx") else W_xh)
    dh_prev = dhraw @ (W_hh if W_hh_for_dh is None else W_hh_for_dh)
    rows = dhraw.reshape(-1, dhraw.shape[-1])
    x2, h2 = x.reshape(len(rows), -1), h_prev.reshape(len(rows), -1)
    scale = 1.0 / len(rows) if flip.get("mean") else 1.0
    dW_xh = rows.T @ x2 * scale
    dW_hh = rows.T @ h2 * scale
    if flip.get("dW_xh"):
        dW_xh = dW_xh.T
    if flip.get("dW_hh"):
        dW_hh = dW_hh.T
    return dx, dh_prev, dW_xh, dW_hh, rows.sum(axis=0) * scale


BACKWARD_BUGS = {
    "the tanh derivative is missing: dh must be multiplied by 1 - h**2 first": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, dhraw=dh)
    ),
    "the tanh derivative is written 1 - h; it is 1 - h**2 (tanh' = 1 - tanh**2)": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, dhraw=(1 - h) * dh)
    ),
    "the tanh derivative uses h_prev; it is 1 - h**2 with h this step's output": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, dhraw=(1 - hp**2) * dh)
    ),
    "dh_prev uses W_hh where W_hh.T is needed: dh_prev = W_hh.T dhraw (in rows dhraw @ W_hh)": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, W_hh_for_dh=Wh.T)
    ),
    "dx uses W_xh where W_xh.T is needed: dx = W_xh.T dhraw (in rows dhraw @ W_xh)": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, dx=True)
    ),
    "dW_hh is transposed: dW_hh = dhraw h_prev^T, an (H, H) matrix with row i for unit i": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, dW_hh=True)
    ),
    "dW_xh is transposed: dW_xh = dhraw x^T has W_xh's shape (H, D)": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, dW_xh=True)
    ),
    "the weight gradients are averaged over the batch; the loss of a batch is the sum of its "
    "examples' losses, so dW_xh, dW_hh and db_h are sums over the batch": (
        lambda dh, x, hp, Wx, Wh, h: _backward_with(dh, x, hp, Wx, Wh, h, mean=True)
    ),
}


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
            f"Fix rnn_step_forward first (the backward pass uses its cache): {fail}"
        ) from None
    for i, (label, inputs) in enumerate(cases()):
        h, cache, x, h_prev = forward_case(forward, label, inputs)
        dh = np.random.default_rng(200 + i).standard_normal(h.shape)
        dh_copy = dh.copy()
        copies = snapshot(*inputs)
        out = call(backward, "rnn_step_backward", (dh, cache), case=label)
        unchanged("rnn_step_backward", ("dh",), (dh,), (dh_copy,), label)
        labels = ("x", "h_prev", "W_xh", "W_hh", "b_h")
        unchanged("rnn_step_backward", labels, inputs, copies, label)
        got = unpack(out, 5, "rnn_step_backward", GRAD_NAMES)
        want = expected_grads(dh, inputs, numeric=i < 2)
        if x.ndim == 2 and np.shape(got[4]) == (x.shape[0], h.shape[1]) != (h.shape[1],):
            raise Fail(
                f"db_h has shape {np.shape(got[4])} {label}; expected ({h.shape[1]},): the "
                "gradients of the weights and the bias are summed over the batch (axis 0)."
            )
        got = tuple(
            as_array(g, n, w.shape, label) for g, n, w in zip(got, GRAD_NAMES, want, strict=True)
        )
        wrong = [n for g, w, n in zip(got, want, GRAD_NAMES, strict=True) if not close(g, w)]
        if wrong:
            args = (dh, x, h_prev, inputs[2], inputs[3], h)
            mistake = recognise(BACKWARD_BUGS, got, args)
            if mistake:
                raise Fail(f"{', '.join(wrong)} wrong {label}: {mistake}.")
            n = wrong[0]
            k = GRAD_NAMES.index(n)
            rest = "" if len(wrong) > 1 else " The other four gradients are right."
            raise Fail(off(n, got[k], want[k], label) + rest)
    return (
        f"All five gradients agree on all {len(CASES) + 1} cases (1-D and batched) with centred "
        "differences (the two smallest cases) and with rnnlib.rnn_step_backward (all), to a "
        "relative error below 1e-7."
    )


def check_step_backward(forward, backward):
    """Check a student's rnn_step_backward(dh, cache) -> (dx, dh_prev, dW_xh, dW_hh, db_h),
    with the cache of the student's own rnn_step_forward."""
    return run_check("rnn_step_backward", lambda: backward_body(forward, backward))
