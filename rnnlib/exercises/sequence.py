"""Exercise 3: loss and gradients of a character sequence by backpropagation through time.

    h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h),  y_t = W_hy h_t + b_y,  p_t = softmax(y_t)
    L = sum_t -ln p_t[target_t]                 (summed over time, as rnnlib.loss_and_grads)

The catalogue (MISTAKES) names the typical mistakes; most are simulated by one loop
implementation of BPTT with a switch per mistake (bptt), and a mistake is named only when its
simulation agrees with the student's outputs on every case (so that, say, hs[t-1] wrapping to
the last state at t = 0 is not taken for dW_hh using h_t, which it equals at T = 1).
"""

import numpy as np

from .. import hello
from ..bptt import loss_and_grads as rnnlib_loss_and_grads
from ..cell import PARAM_NAMES as NAMES
from ..cell import log_softmax, softmax
from ..gradcheck import numerical_grad, rel_error
from ._core import (
    IN_PLACE,
    LOW_RTOL,
    Fail,
    as_array,
    as_number,
    call,
    catalogue,
    close,
    low_precision,
    off,
    run_check,
    snapshot,
    unchanged,
)
from ._diagnose import NotApplicable, evidence, explain, wrong_of

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


def bptt(params, inputs, targets, h_prev, bug=None, record=None):
    """Loss, grads, h_last by a plain loop over time; `bug` switches on one catalogued mistake;
    record (a dict), when given, receives each step's contributions {t: {name: array}}."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in NAMES)
    T, V = len(inputs), len(b_y)
    hs, ps, loss = {-1: 0.0 * h_prev if bug == "h_prev_ignored" else h_prev}, {}, 0.0
    ys, pre = {}, {}
    for t in range(T):
        pre[t] = a = W_xh[:, inputs[t]] + W_hh @ hs[t - 1] + b_h
        hs[t] = a if bug == "no_tanh" else np.tanh(a)
        ys[t] = y = W_hy @ hs[t] + b_y
        ps[t] = softmax(y)
        target = inputs[t] if bug == "inputs_as_targets" else targets[t]
        loss -= log_softmax(y)[target]
    if bug in ("softmax_over_time", "shift_over_time"):  # a softmax along the wrong axis
        Y = np.array([ys[t] for t in range(T)])
        E = np.exp(Y - Y.max(axis=0))  # each column shifted by its max over time
        P = E / E.sum(axis=0 if bug == "softmax_over_time" else 1, keepdims=True)
        ps = dict(enumerate(P))
        loss = -float(np.sum(np.log(P[np.arange(T), targets])))
    before = dict(hs)  # before[t - 1]: the state that entered step t, as dW_hh reads it
    before[-1] = {"hs_wrap": hs[T - 1], "dW_hh_first_zero": 0.0 * h_prev}.get(bug, hs[-1])
    grads = {k: np.zeros_like(params[k]) for k in NAMES}
    dh_next = np.zeros_like(h_prev)
    dhraws = {}
    steps = {
        "range_misses_first": range(T - 1, 0, -1),
        "range_misses_last": range(T - 2, -1, -1),
        "backward_forward_in_time": range(T),
    }
    for t in steps.get(bug, range(T - 1, -1, -1)):
        dy = (ps[T - 1] if bug == "p_last" else ps[t]).copy()
        if bug != "no_minus_one":
            dy[inputs[t] if bug in ("inputs_as_targets", "dy_at_input") else targets[t]] -= 1.0
        h_out = {"dW_hy_last_h": hs[T - 1], "dW_hy_h_prev": hs[t - 1]}.get(bug, hs[t])
        add = {"W_hy": np.outer(dy, h_out), "b_y": dy}
        joined = bug in ("no_dh_next", "dh_next_after_tanh")
        dh = W_hy.T @ dy + (0.0 if joined else dh_next)
        dhraw = {
            "one_minus_h": (1.0 - hs[t]) * dh,
            "derivative_parenthesis": (1.0 - hs[t]) ** 2 * dh,
            "derivative_sign": (hs[t] ** 2 - 1.0) * dh,
            "one_minus_a_squared": (1.0 - pre[t] ** 2) * dh,
            "tanh_of_h": (1.0 - np.tanh(hs[t]) ** 2) * dh,
            "dhraw_with_h_prev": (1.0 - hs[t - 1] ** 2) * dh,
            "no_tanh_grad": dh,
            "no_tanh": dh,
        }.get(bug, (1.0 - hs[t] ** 2) * dh)  # backprop through tanh
        if bug == "dh_next_after_tanh":
            dhraw = dhraw + dh_next
        add["W_xh"] = np.zeros_like(W_xh)
        add["W_xh"][:, targets[t] if bug == "dW_xh_from_target" else inputs[t]] = dhraw
        h_in = {"W_hh_with_h_t": hs[t], "dW_hh_last_h": hs[T - 1]}.get(bug, before[t - 1])
        add["W_hh"] = np.outer(dhraw, h_in)
        add["b_h"] = dh if bug == "db_h_before_tanh" else dhraw
        dhraws[t] = dhraw
        if record is not None:
            record[t] = add
        for k in NAMES:
            grads[k] = add[k] + (0.0 if bug == "assign_not_accumulate" else grads[k])
        if bug == "dh_next_before_tanh":
            dh_next = W_hh.T @ dh
        else:
            dh_next = (W_hh if bug == "W_hh_not_transposed" else W_hh.T) @ dhraw
    if bug in ("W_xh_fancy_last", "W_xh_fancy_first"):  # one step per input column counts
        grads["W_xh"] = np.zeros_like(W_xh)
        order = range(T) if bug == "W_xh_fancy_last" else range(T - 1, -1, -1)
        for t in order:  # the write that comes last stays
            grads["W_xh"][:, inputs[t]] = dhraws[t]
    if bug == "b_h_holds_dh_next":  # db_h and dh_next one array: the last write wins
        grads["b_h"] = dh_next
    if bug == "loss_sign":
        loss = -loss
    if bug == "dW_hh_transposed":
        grads["W_hh"] = grads["W_hh"].T
    if bug in ("mean_loss", "mean_all"):
        loss /= T
    if bug == "loss_mean_vocab":
        loss /= V
    if bug == "mean_all":
        grads = {k: g / T for k, g in grads.items()}
    h_last = {"h_last_is_h_prev": h_prev, "h_last_is_first": hs[0]}.get(bug, hs[T - 1])
    return loss, grads, h_last


def outputs(loss, grads, h_last):
    """(loss, grads, h_last) as one dict name -> value, the names the messages use."""
    return {"loss": loss, **{f"grads[{k!r}]": grads[k] for k in NAMES}, "h_last": h_last}


def _sim(bug):
    return lambda args, want, got: outputs(*bptt(*args, bug=bug))


def _fancy_index(args, want, got):
    """dW_xh[:, inputs] += dhraws.T: a repeated input's column keeps one step's dhraw (the
    last in index order, as numpy does in practice; or the first, for indices reversed)."""
    last, first = (outputs(*bptt(*args, bug=b)) for b in ("W_xh_fancy_last", "W_xh_fancy_first"))
    g = got.get("grads['W_xh']")  # absent when an output other than dW_xh is compared
    if g is not None and close(g, first["grads['W_xh']"]):
        return first
    return last


def _clipped(args, want, got):
    """The expected gradients clipped to the largest magnitude among the student's."""
    top = max(float(np.max(np.abs(v))) for n, v in got.items() if n.startswith("grads"))
    return {n: np.clip(v, -top, top) if n.startswith("grads") else v for n, v in want.items()}


MISTAKES = catalogue(
    3,
    no_dh_next="the gradient from the next step is not added: dh_t = W_hy^T dy_t + dh_next, "
    "where dh_next = W_hh^T dhraw_{t+1} comes back from step t + 1 (it starts at zero once, "
    "before the loop)",
    no_tanh_grad="the tanh derivative is missing: dhraw_t = (1 - h_t**2) * dh_t",
    one_minus_h="the tanh derivative is written 1 - h_t; it is 1 - h_t**2",
    derivative_parenthesis="the tanh derivative is written (1 - h_t)**2; it is 1 - h_t**2 (the "
    "square is on h_t only)",
    derivative_sign="the tanh derivative is written h_t**2 - 1, with the wrong sign; it is "
    "1 - h_t**2",
    one_minus_a_squared="the tanh derivative is written 1 - a_t**2 with a_t the pre-activation; "
    "it is 1 - tanh(a_t)**2 = 1 - h_t**2",
    dW_hh_last_h="dW_hh uses the last state at every step; step t adds dhraw_t h_{t-1}^T, with "
    "the state that entered step t",
    tanh_of_h="the tanh derivative is taken at h_t, as 1 - tanh(h_t)**2; h_t is already a "
    "tanh, so the derivative is 1 - h_t**2",
    dhraw_with_h_prev="the tanh derivative uses h_{t-1}; it is 1 - h_t**2 with h_t the state "
    "step t computed",
    W_hh_not_transposed="dh_next uses W_hh where W_hh.T is needed: dh_next = W_hh^T dhraw_t",
    dh_next_before_tanh="dh_next is computed from dh_t before the tanh derivative; it is "
    "W_hh^T dhraw_t with dhraw_t = (1 - h_t**2) * dh_t",
    W_hh_with_h_t="dW_hh uses h_t (hs[t + 1] when hs[0] is h_prev: an index off by one) "
    "instead of h_{t-1}; step t's contribution is dhraw_t h_{t-1}^T (the state that "
    "entered the step)",
    hs_wrap="at t = 0, dW_hh uses the last state: hs[t-1] with t = 0 is hs[-1], the end of a "
    "list; the state that entered step 0 is h_prev",
    dW_hh_first_zero="at t = 0, dW_hh uses a zero state; the state that entered step 0 is h_prev",
    h_prev_ignored="h_prev is not used: the forward pass starts from zeros instead of h_prev",
    no_minus_one="dy_t is p_t; the gradient of -ln p_t[target_t] is p_t - onehot(target_t) "
    "(subtract 1 at the target)",
    p_last="dy uses the last step's p at every step; keep every p_t of the forward pass, "
    "dy_t = p_t - onehot(target_t)",
    dW_hy_last_h="dW_hy uses the last state at every step; keep every h_t of the forward "
    "pass, step t adds dy_t h_t^T",
    dW_xh_from_target="dW_xh is added at the target's column; step t adds dhraw_t to column "
    "inputs[t] (dhraw_t x_t^T with x_t the one-hot input)",
    range_misses_first="the backward loop misses t = 0: it must visit every step, "
    "t = T-1, ..., 0 (range(T - 1, -1, -1))",
    range_misses_last="the backward loop misses the last step t = T-1: it must visit every "
    "step, t = T-1, ..., 0 (range(T - 1, -1, -1))",
    assign_not_accumulate="a gradient is assigned (=) instead of accumulated (+=) over the "
    "steps: what is left is one step's contribution only (step 0's, where the backward loop "
    "ends)",
    mean_loss="the loss is averaged over time; the contract sums it over the T steps",
    mean_all="the loss and the gradients are averaged over time; the contract sums them "
    "over the T steps",
    loss_mean_vocab="the loss is averaged over the vocabulary (a mean of onehot * ln p); it "
    "is -ln p_t[target_t], summed over the steps",
    inputs_as_targets="the loss uses the inputs as targets; step t predicts targets[t]",
    h_last_is_h_prev="h_last is h_prev; it is the state after the last step, h_T",
    h_last_is_first="h_last is h_1; it is the state after the last step, h_T",
    no_tanh="the tanh is missing from the forward pass: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)",
    loss_sign="the loss has the wrong sign: it is minus the log-probability of the targets, "
    "-ln p_t[target_t], summed over the steps (a positive number)",
    dW_hh_transposed="dW_hh is transposed: step t adds dhraw_t h_{t-1}^T, np.outer(dhraw_t, "
    "h_{t-1}), whose row i belongs to unit i",
    dy_at_input="the one-hot is subtracted at the input character (dy_t[inputs[t]] -= 1), not "
    "at the target: dy_t = p_t - onehot(targets[t])",
    dW_hy_h_prev="dW_hy uses the previous state h_{t-1}; step t adds dy_t h_t^T, with the state "
    "y_t was computed from",
    softmax_over_time="the softmax normalises over time, axis 0 of the (T, V) logits; each "
    "step's p_t = softmax(y_t) sums to 1 over the vocabulary (axis 1, or axis=-1)",
    W_xh_fancy_index="dW_xh adds a repeated input's gradient once: with fancy indexing, "
    "dW_xh[:, inputs] += ... writes each column once, however often its character occurs; "
    "use np.add.at, or add step by step in the loop",
    shift_over_time="the softmax is shifted by the max over time, Y.max(axis=0) of the (T, V) "
    "logits: each character gets a shift of its own, so p_t is not softmax(y_t); shift each step "
    "by its own max, Y.max(axis=1, keepdims=True)",
    dh_next_after_tanh="dh_next is added after the tanh derivative, (1 - h_t**2) * W_hy^T dy_t "
    "+ dh_next; it joins before it: dhraw_t = (1 - h_t**2) * (W_hy^T dy_t + dh_next)",
    backward_forward_in_time="the backward loop walks forward in time (t = 0, ..., T-1), so "
    "dh_next carries the gradient of an earlier step instead of a later one; it must run "
    "t = T-1, ..., 0",
    db_h_before_tanh="db_h accumulates dh_t, the gradient before the tanh derivative; it sums "
    "dhraw_t = (1 - h_t**2) * dh_t",
    b_h_holds_dh_next="grads['b_h'] ends up holding dh_next, the gradient passed back to h_prev: "
    "the two names share one array (as after dh_next = db_h = np.zeros(H)), so writing dh_next "
    "in place overwrites db_h; give each its own np.zeros",
    p_changed_in_place="the loss is read from p after dy = p (no copy) had 1 subtracted at the "
    "target: ln(p - 1) is nan; copy p first (dy = p.copy()) or add up the loss before",
    clipped="the gradients are clipped; loss_and_grads returns the exact gradients, with no "
    "clipping (min-char-rnn clips inside its loss function, the contract does not)",
    softmax_overflow="every case with moderate logits passes, this one does not: the softmax "
    "overflows. exp(y) is inf for y above 709; shift by the max first, softmax(y) = "
    "softmax(y - max(y)), and compute -ln p_t[target] as ln sum exp(y - max) - (y[target] - "
    "max)",
    bptt_float32="it is computed in float32; the checks compare with float64 (numpy's "
    "default) to a relative error of 1e-7, which float32's 7 significant digits do not "
    "reach, so compute in float64 (no dtype=np.float32, no .astype(np.float32))",
    in_place=IN_PLACE,
)
NOT_SIMULATED = (
    "W_xh_fancy_index",
    "clipped",
    "softmax_overflow",
    "bptt_float32",
    "in_place",
    "p_changed_in_place",
)
SIMS = {k: _sim(k) for k in MISTAKES if k not in NOT_SIMULATED}
SIMS["clipped"] = _clipped
SIMS["W_xh_fancy_index"] = _fancy_index


def _one_step(args, want, got):
    """Each gradient as the student has it when it is one step's contribution (the first or the
    last step the backward loop visits): = in place of += in the loop over time."""
    params, inputs, targets, h_prev = args
    if len(inputs) < 2:
        raise NotApplicable("one step: its contribution is the sum")
    record = {}
    bptt(*args, record=record)
    out = dict(want)
    for k in NAMES:
        n = f"grads[{k!r}]"
        g = got.get(n)
        for t in (0, len(inputs) - 1):
            if g is not None and close(g, record[t][k]):
                out[n] = record[t][k]
    return out


SIMS["assign_not_accumulate"] = _one_step


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


def body(fn):
    runs = []
    for i, (label, args, large) in enumerate(cases()):
        params, inputs, targets, h_prev = args
        arrays = [params[k] for k in NAMES] + [inputs, targets, h_prev]
        copies = snapshot(*arrays)
        try:
            out = call(fn, "loss_and_grads", args, case=label)
            labels = [f"params[{k!r}]" for k in NAMES] + ["inputs", "targets", "h_prev"]
            unchanged("loss_and_grads", labels, arrays, copies, label, "in_place")
            if not large:  # there, a nan loss is the softmax overflowing
                nan_loss(out, args, label)
            got = read(out, args, label)
        except Fail as fail:
            if any(wrong_of(r[2], r[3]) for r in runs):
                break  # diagnose the failure found on a smaller case
            if large and runs and fail.cause is None and not any(r[4] for r in runs):
                raise Fail(with_cause(fail, "softmax_overflow"), "softmax_overflow") from None
            raise
        want = outputs(*expected(args, numeric=i < 2))
        runs.append((label, args, outputs(*got), want, low_precision(out)))
    bad = [r for r in runs if wrong_of(r[2], r[3])]
    low = any(r[4] for r in runs)
    if bad == runs[-1:] and len(runs) == len(cases()) and not low:  # only the large logits
        label, _, got, want, _ = bad[0]
        wrong = wrong_of(got, want)
        message = off(wrong[0], got[wrong[0]], want[wrong[0]], label)
        if max(rel_error(got[n], want[n]) for n in wrong) > LOW_RTOL:
            raise Fail(with_cause(message, "softmax_overflow"), "softmax_overflow")
        raise Fail(
            f"{message} Every case with moderate logits passes and this one is off by little: "
            "precision is lost near logits of 1000, as when numbers are stored in float32 "
            "(b_y + 1000 keeps only about 4 decimals there)."
        )
    if low and not bad:  # float32 within the tolerance: rejected all the same
        label, _, got, want, _ = runs[0]
        example = evidence("the loss", got["loss"], want["loss"])
        cause = MISTAKES["bptt_float32"].cause
        raise Fail(
            f"the results are rejected {label}: {cause}. For example {example}.", "bptt_float32"
        )
    if bad:
        explain(runs, SIMS, MISTAKES, "bptt_float32", where)
    return (
        f"The loss, all five gradients and h_last agree on all {len(CASES) + 2} cases (the "
        'lecture\'s "hello" net, one with logits near 1000) with rnnlib.loss_and_grads, the '
        "gradients of the two smallest also with centred differences, to a relative error "
        "below 1e-7."
    )


def nan_loss(out, args, label):
    """Fail naming p changed in place when the loss is nan and everything else is right."""
    try:
        loss, grads, h_last = out
        nan = not np.isfinite(float(np.asarray(loss, dtype=np.float64).reshape(-1)[0]))
    except (TypeError, ValueError, IndexError):
        return
    if not nan:
        return
    want = outputs(*expected(args, numeric=False))
    try:
        got = outputs(
            float("nan"), {k: np.asarray(grads[k], dtype=np.float64) for k in NAMES}, h_last
        )
    except (TypeError, ValueError, KeyError):
        return
    if all(close(got[n], want[n]) for n in want if n != "loss"):
        cause = MISTAKES["p_changed_in_place"].cause
        raise Fail(
            f"the loss is nan {label}, and the gradients and h_last are right: {cause}.",
            "p_changed_in_place",
        )


def where(runs):
    """Where the error lives, from which outputs and which cases are wrong (for explain's
    message when no catalogued mistake fits)."""
    bad = [r for r in runs if wrong_of(r[2], r[3])]
    wrong = {n for r in bad for n in wrong_of(r[2], r[3])}
    notes = []
    short = [r for r in runs if len(r[1][1]) == 1]
    if short and not any(r in bad for r in short):
        # what the outputs imply: a wrong state passed forward shows in h_last or the loss; a
        # wrong dh_next makes some dhraw_t wrong, and so their sum, grads['b_h']
        if wrong & {"loss", "h_last"}:
            link = "the state one step passes to the next"
        elif "grads['b_h']" in wrong:
            link = "how the backward pass joins the steps (dh_next, or the sums over the steps)"
        else:
            link = "how " + ", ".join(sorted(wrong)) + " adds up the steps' contributions"
        notes.append(
            f"The wrong outputs are right for T = 1 and wrong for longer sequences: the error "
            f"is in {link}."
        )
        if not wrong & {"loss", "h_last", "grads['b_h']"}:
            notes.append(
                "grads['b_h'] (the sum of every step's dhraw_t) is right, so the gradient "
                "reaching each step is."
            )
    if "h_last" in wrong:
        notes.append("h_last is wrong, so the forward pass is.")
    elif "loss" not in wrong:
        notes.append(
            "The loss and h_last are right: the forward pass is; the error is in the backward pass."
        )
    return " ".join(notes)


def with_cause(message, key):
    """A message that ends with a full stop, completed by the catalogued cause `key`."""
    return f"{str(message).rstrip('.')}: {MISTAKES[key].cause}."


def check_loss_and_grads(fn):
    """Check a student's loss_and_grads(params, inputs, targets, h_prev) -> (loss, grads,
    h_last) for one sequence: inputs, targets (T,) integer indices, h_prev (H,)."""
    return run_check("loss_and_grads", lambda: body(fn))
