"""Exercise 3: loss and gradients of a character sequence by backpropagation through time.

    h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h),  y_t = W_hy h_t + b_y,  p_t = softmax(y_t)
    L = sum_t -ln p_t[target_t]                 (summed over time, as rnnlib.loss_and_grads)

The catalogue of mistakes is one loop implementation of BPTT with a switch per mistake.
"""

import numpy as np

from .. import hello
from ..bptt import loss_and_grads as rnnlib_loss_and_grads
from ..cell import log_softmax, softmax
from ..gradcheck import numerical_grad
from ._core import Fail, as_array, as_number, call, close, off, run_check, snapshot, unchanged

NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
CASES = ((1, 3, 2), (2, 3, 2), (4, 4, 3), (7, 5, 4))  # (T, V, H), the smallest first
LARGE_LOGITS = 1000.0  # added to b_y in the last case: exp(y) overflows beyond y = 709.78


def case_inputs(T, V, H, seed, offset=0.0):
    """params, inputs, targets, h_prev for one case (random weights, a nonzero h_prev)."""
    rng = np.random.default_rng(seed)
    params = {
        "W_xh": rng.standard_normal((H, V)) * 0.8,
        "W_hh": rng.standard_normal((H, H)) * 0.8,
        "W_hy": rng.standard_normal((V, H)),
        "b_h": rng.standard_normal(H) * 0.3,
        "b_y": rng.standard_normal(V) * 0.3 + offset,
    }
    inputs, targets = rng.integers(0, V, T), rng.integers(0, V, T)
    inputs, targets = inputs.astype(np.intp), targets.astype(np.intp)  # as Vocab.encode's
    return params, inputs, targets, rng.standard_normal(H) * 0.5


def hello_case():
    """The lecture's "hello" net (rnnlib.hello.solve_params) on "hell" -> "ello" from h = 0."""
    v = hello.vocab()
    params = hello.solve_params()
    return params, v.encode(hello.INPUTS), v.encode(hello.TARGETS), np.zeros(hello.HIDDEN_SIZE)


def cases():
    """Every case as (label, (params, inputs, targets, h_prev), large), the smallest first
    (the lecture's "hello" example after the two smallest)."""
    out = []
    for i, (T, V, H) in enumerate(CASES):
        label = f"for T = {T}, V = {V}, H = {H}"
        out.append((label, case_inputs(T, V, H, seed=300 + i), False))
    lecture = 'for the lecture\'s "hello" net on "hell" -> "ello" (T = 4, V = 4, H = 3)'
    out.insert(2, (lecture, hello_case(), False))
    label = f"for T = 5, V = 4, H = 3 with large logits (b_y + {LARGE_LOGITS:g})"
    out.append((label, case_inputs(5, 4, 3, seed=310, offset=LARGE_LOGITS), True))
    return out


def bptt(params, inputs, targets, h_prev, bug=None):
    """Loss, grads, h_last by a plain loop over time; `bug` switches on one catalogued mistake."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in NAMES)
    T = len(inputs)
    hs, ps, loss = {-1: h_prev}, {}, 0.0
    for t in range(T):
        a = W_xh[:, inputs[t]] + W_hh @ hs[t - 1] + b_h
        hs[t] = a if bug == "no_tanh" else np.tanh(a)
        y = W_hy @ hs[t] + b_y
        ps[t] = softmax(y)
        target = inputs[t] if bug == "inputs_as_targets" else targets[t]
        loss -= log_softmax(y)[target]
    grads = {k: np.zeros_like(params[k]) for k in NAMES}
    dh_next = np.zeros_like(h_prev)
    for t in reversed(range(T)):
        dy = ps[t].copy()
        if bug != "no_minus_one":
            dy[inputs[t] if bug == "inputs_as_targets" else targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t])
        grads["b_y"] += dy
        dh = W_hy.T @ dy + (0.0 if bug == "no_dh_next" else dh_next)
        if bug == "one_minus_h":
            dhraw = (1.0 - hs[t]) * dh
        elif bug in ("no_tanh_grad", "no_tanh"):
            dhraw = dh
        else:
            dhraw = (1.0 - hs[t] ** 2) * dh
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t] if bug == "W_hh_with_h_t" else hs[t - 1])
        grads["b_h"] += dhraw
        if bug == "dh_next_before_tanh":
            dh_next = W_hh.T @ dh
        else:
            dh_next = (W_hh if bug == "W_hh_not_transposed" else W_hh.T) @ dhraw
    if bug in ("mean_loss", "mean_all"):
        loss /= T
    if bug == "mean_all":
        grads = {k: g / T for k, g in grads.items()}
    h_last = {"h_last_is_h_prev": h_prev, "h_last_is_first": hs[0]}.get(bug, hs[T - 1])
    return loss, grads, h_last


BUGS = {
    "no_dh_next": "the gradient from the next step is not added: dh_t = W_hy^T dy_t + dh_next, "
    "where dh_next = W_hh^T dhraw_{t+1} comes back from step t + 1",
    "no_tanh_grad": "the tanh derivative is missing: dhraw_t = (1 - h_t**2) * dh_t",
    "one_minus_h": "the tanh derivative is written 1 - h_t; it is 1 - h_t**2",
    "W_hh_not_transposed": "dh_next uses W_hh where W_hh.T is needed: dh_next = W_hh^T dhraw_t",
    "dh_next_before_tanh": "dh_next is computed from dh_t before the tanh derivative; it is "
    "W_hh^T dhraw_t with dhraw_t = (1 - h_t**2) * dh_t",
    "W_hh_with_h_t": "dW_hh uses h_t; step t's contribution is dhraw_t h_{t-1}^T (the state "
    "that entered the step)",
    "no_minus_one": "dy_t is p_t; the gradient of -ln p_t[target_t] is p_t - onehot(target_t) "
    "(subtract 1 at the target)",
    "mean_loss": "the loss is averaged over time; the contract sums it over the T steps",
    "mean_all": "the loss and the gradients are averaged over time; the contract sums them "
    "over the T steps",
    "inputs_as_targets": "the loss uses the inputs as targets; step t predicts targets[t]",
    "h_last_is_h_prev": "h_last is h_prev; it is the state after the last step, h_T",
    "h_last_is_first": "h_last is h_1; it is the state after the last step, h_T",
    "no_tanh": "the tanh is missing from the forward pass: h_t = tanh(W_xh x_t + W_hh h_{t-1} "
    "+ b_h)",
}
OVERFLOW = (
    "Every case with moderate logits passes, this one does not: the softmax overflows. "
    "exp(y) is inf for y above 709; shift by the max first, softmax(y) = softmax(y - max(y)), "
    "and compute -ln p_t[target] as ln sum exp(y - max) - (y[target] - max)."
)


def expected(args, numeric):
    """rnnlib's loss, grads and h_last; the grads by centred differences when `numeric`."""
    loss, grads, h_last = rnnlib_loss_and_grads(*args)
    if numeric:
        params, inputs, targets, h_prev = args
        point = {k: np.array(params[k], dtype=np.float64) for k in NAMES}
        grads = numerical_grad(
            lambda q: rnnlib_loss_and_grads(q, inputs, targets, h_prev)[0], point
        )
    return loss, grads, h_last


def read(out, args, label):
    """The student's (loss, grads, h_last) as float, dict of arrays, array; else Fail."""
    params, _, _, h_prev = args
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        got = "None" if out is None else type(out).__name__
        raise Fail(f"loss_and_grads should return a tuple (loss, grads, h_last), got {got}.")
    loss, grads, h_last = out
    loss = as_number(loss, "the loss", label)
    if not isinstance(grads, dict):
        raise Fail(f"grads should be a dict with keys {list(NAMES)}, got {type(grads).__name__}.")
    missing = [k for k in NAMES if k not in grads]
    if missing:
        raise Fail(f"grads is missing {missing} {label}; expected the keys {list(NAMES)}.")
    grads = {k: as_array(grads[k], f"grads[{k!r}]", np.shape(params[k]), label) for k in NAMES}
    return loss, grads, as_array(h_last, "h_last", np.shape(h_prev), label)


def compare(got, want):
    """The names of the wrong quantities among loss, the five grads and h_last."""
    wrong = [] if close(got[0], want[0]) else ["loss"]
    wrong += [f"grads[{k!r}]" for k in NAMES if not close(got[1][k], want[1][k])]
    return wrong + ([] if close(got[2], want[2]) else ["h_last"])


def body(fn):
    moderate_passed = 0
    for i, (label, args, large) in enumerate(cases()):
        params, inputs, targets, h_prev = args
        arrays = [params[k] for k in NAMES] + [inputs, targets, h_prev]
        copies = snapshot(*arrays)
        try:
            out = call(fn, "loss_and_grads", args, case=label)
            unchanged(
                "loss_and_grads",
                [f"params[{k!r}]" for k in NAMES] + ["inputs", "targets", "h_prev"],
                arrays,
                copies,
                label,
            )
            got = read(out, args, label)
        except Fail as fail:
            if large and moderate_passed:
                raise Fail(f"{fail} {OVERFLOW}") from None
            raise
        want = expected(args, numeric=i < 2)
        wrong = compare(got, want)
        if not wrong:
            moderate_passed += not large
            continue
        if large and moderate_passed:
            raise Fail(f"{', '.join(wrong)} wrong {label}. {OVERFLOW}")
        for bug, hint in BUGS.items():
            with np.errstate(all="ignore"):
                if not compare(got, bptt(*args, bug=bug)):
                    raise Fail(f"{', '.join(wrong)} wrong {label}: {hint}.")
        what = wrong[0]
        if what == "loss":
            g, w = got[0], want[0]
        elif what == "h_last":
            g, w = got[2], want[2]
        else:
            g, w = got[1][what[7:-2]], want[1][what[7:-2]]
        others = f" (also wrong: {', '.join(wrong[1:])})" if wrong[1:] else ""
        raise Fail(off(what, g, w, label) + others)
    return (
        f"The loss, all five gradients and h_last agree on all {len(CASES) + 2} cases (the "
        'lecture\'s "hello" net, one with logits near 1000) with rnnlib.loss_and_grads, the '
        "gradients of the two smallest also with centred differences, to a relative error "
        "below 1e-7."
    )


def check_loss_and_grads(fn):
    """Check a student's loss_and_grads(params, inputs, targets, h_prev) -> (loss, grads,
    h_last) for one sequence: inputs, targets (T,) integer indices, h_prev (H,)."""
    return run_check("loss_and_grads", lambda: body(fn))
