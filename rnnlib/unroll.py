"""The unrolled computation graph: one cell per timestep, one cache per step.

Inputs are dense vectors xs (T, B, D) (a step without input is a row of zeros), so one code path
runs every process-sequence shape: which steps get an input and which carry a loss is data.
Losses are softmax cross-entropy against integer targets, summed over the chosen steps and
averaged over the batch, as in loss_and_grads. Batched rows compute x @ W_xh.T + h @ W_hh.T + b_h.
BPTT runs in full or truncated to k steps, in chunks (as training does) or in sliding windows;
loss_reach shows which loss term reaches which step, grad_difference how far a truncated
gradient lies from the full one.
"""

import numpy as np

from . import _check
from .cell import log_softmax, rnn_step_backward, rnn_step_forward

SETUPS = ("one-to-one", "one-to-many", "many-to-one", "many-to-many", "encoder-decoder")


def sequence_setup(kind, n_in=3, n_out=3):
    """Which steps of an unrolled RNN get an input and which carry a loss, for one shape.

    Inputs: kind, one of SETUPS; n_in, n_out the input and output lengths (ints > 0).
    one-to-one: T = 1. one-to-many: T = n_out, input at step 0 only, a loss at every step.
    many-to-one: T = n_in, inputs at every step, one loss at the last. many-to-many (aligned):
    T = n_in = n_out, input and loss at every step. encoder-decoder: T = n_in + n_out, the
    encoder reads steps 0..n_in-1 (no loss), the decoder writes steps n_in..T-1 with zero input.
    The same cell and parameters play both roles (a translation model would give the decoder
    its own weights); the state after the last input is all the decoder knows. Feeding back the
    previous target (teacher forcing) means adding decoder steps to input_steps.
    Returns a dict: kind, T, input_steps (list of int), loss_steps (list of int).
    """
    n_in = _check.positive_int("n_in", n_in)
    n_out = _check.positive_int("n_out", n_out)
    if kind == "one-to-one":
        T, ins, outs = 1, [0], [0]
    elif kind == "one-to-many":
        T, ins, outs = n_out, [0], list(range(n_out))
    elif kind == "many-to-one":
        T, ins, outs = n_in, list(range(n_in)), [n_in - 1]
    elif kind == "many-to-many":
        if n_in != n_out:
            raise ValueError(f"aligned many-to-many needs n_in == n_out, got {n_in} and {n_out}")
        T, ins, outs = n_in, list(range(n_in)), list(range(n_in))
    elif kind == "encoder-decoder":
        T, ins, outs = n_in + n_out, list(range(n_in)), list(range(n_in, n_in + n_out))
    else:
        raise ValueError(f"kind must be one of {SETUPS}, got {kind!r}")
    return {"kind": kind, "T": T, "input_steps": ins, "loss_steps": outs}


def steps_list(name, steps, T):
    """Check a list of distinct timesteps in [0, T); None means all T steps."""
    if steps is None:
        return list(range(T))
    out = [int(s) for s in np.atleast_1d(np.asarray(steps, dtype=np.int64))]
    if not out:
        raise ValueError(f"{name} must name at least one step, got an empty list")
    bad = [s for s in out if not 0 <= s < T]
    if bad:
        raise ValueError(f"{name} holds step {bad[0]}, outside [0, {T - 1}]")
    if len(set(out)) != len(out):
        raise ValueError(f"{name} must not repeat a step, got {out}")
    return out


def one_hot_inputs(indices, V, *, steps=None, T=None):
    """One-hot input vectors placed at chosen steps, zeros at the others.

    Inputs: indices integer (L,) or (L, B), one row per input step; V vocabulary size;
    steps the L timesteps that get an input (None: steps 0..L-1); T the total length
    (None: L, or max(steps) + 1).
    Returns xs (T, V) or (T, B, V) float64.
    """
    V = _check.positive_int("V", V)
    ix = _check.indices("indices", indices, V)
    if ix.ndim not in (1, 2):
        raise ValueError(f"indices must have shape (L,) or (L, B), got {ix.shape}")
    L = ix.shape[0]
    steps = list(range(L)) if steps is None else [int(s) for s in np.atleast_1d(steps)]
    if len(steps) != L:
        raise ValueError(f"steps has {len(steps)} entries but indices has {L} rows")
    T = max(steps) + 1 if T is None else _check.positive_int("T", T)
    steps = steps_list("steps", steps, T)
    xs = np.zeros((T, *ix.shape[1:], V))
    xs[steps] = np.eye(V)[ix]  # x_t = onehot(index) at input steps
    return xs


def unroll_forward(params, xs, h_prev=None):
    """Run the cell over T steps, keeping one cache per step.

    Inputs: params with W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (V, H), b_y (V,) and, for a
    learned initial state, h0 (H,) (broadcast over the batch); xs (T, B, D), or (T, D) for one
    sequence; h_prev None (start from params['h0'] if present, else zeros) or a constant initial
    state (B, H) / (H,) (not allowed together with params['h0']).
    Returns hs (T, B, H) hidden states h_t, ys (T, B, V) logits y_t ((T, H), (T, V) for one
    sequence), and a cache for unroll_backward.
    """
    D, H, V = _check.param_shapes(params)
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim not in (2, 3) or xs.shape[-1] != D or 0 in xs.shape:
        raise ValueError(f"xs has shape {xs.shape}, expected (T, {D}) or (T, B, {D}), T, B >= 1")
    single = xs.ndim == 2
    X = xs[:, None] if single else xs
    T, B = X.shape[:2]
    learned = "h0" in params
    if learned and h_prev is not None:
        raise ValueError("pass h_prev or a learned params['h0'], not both")
    if learned:
        h = np.broadcast_to(_check.hidden("params['h0']", params["h0"], H), (B, H)).copy()
    elif h_prev is None:
        h = np.zeros((B, H))  # initial state all zeros
    else:
        h = _check.hidden("h_prev", h_prev, H, None if single else B).reshape(B, H)
    hs, ys, steps = np.empty((T, B, H)), np.empty((T, B, V)), []
    for t in range(T):
        h, cache = rnn_step_forward(X[t], h, params["W_xh"], params["W_hh"], params["b_h"])
        hs[t], ys[t] = h, h @ params["W_hy"].T + params["b_y"]  # y_t = W_hy h_t + b_y
        steps.append(cache)
    cache = {"steps": steps, "params": params, "hs": hs, "single": single, "learned": learned}
    return (hs[:, 0], ys[:, 0], cache) if single else (hs, ys, cache)


def sequence_loss(ys, targets, loss_steps=None):
    """Softmax cross-entropy at chosen steps, summed over them and averaged over the batch.

    Inputs: ys (T, B, V) or (T, V) logits; targets integer (L, B) or (L,), row i the target of
    step loss_steps[i]; loss_steps L distinct steps (None: all T steps, L = T).
    Returns loss (float, sum over t in loss_steps of -ln p_t[target_t], mean over B) and
    dys (like ys) = dL/dy_t = (p_t - onehot(target_t)) / B at loss steps, zero elsewhere.
    """
    ys = np.asarray(ys, dtype=np.float64)
    Y = ys[:, None] if ys.ndim == 2 else ys
    T, B, V = Y.shape
    steps = steps_list("loss_steps", loss_steps, T)
    tg = _check.indices("targets", targets, V)
    if tg.shape != (len(steps), *ys.shape[1:-1]):
        raise ValueError(f"targets has shape {tg.shape}, expected {(len(steps), *ys.shape[1:-1])}")
    tg = tg.reshape(len(steps), B)
    logp = log_softmax(Y[steps])  # log p_t, stable for any logits
    rows = np.arange(B)
    loss = -sum(logp[i, rows, tg[i]].sum() for i in range(len(steps))) / B
    dY = np.zeros_like(Y)
    dY[steps] = np.exp(logp)
    for i, t in enumerate(steps):
        dY[t, rows, tg[i]] -= 1.0  # p_t - onehot(target_t)
    dY /= B
    return float(loss), (dY[:, 0] if ys.ndim == 2 else dY)


TRUNCATIONS = ("chunked", "sliding")
CELL_KEYS = _check.CELL_NAMES  # the parameters truncation changes


def unroll_backward(dys, cache, *, k=None, truncation="chunked"):
    """Backprop through time over the unrolled graph, full or truncated to k steps.

    Inputs: dys (T, B, V) or (T, V), dL/dy_t for each step (zero where there is no loss);
    cache from unroll_forward; k None for full BPTT, or an int >= 1 for truncated BPTT, the
    exact gradient of a truncated objective; truncation, which one:
    "chunked" (the standard one, used in training): the steps are cut into chunks
    0..k-1, k..2k-1, ...; the gradient stops at each chunk boundary, i.e. the state entering a
    chunk is treated as a constant (the forward pass still carried it). A loss at position j of
    its chunk (j = 0..k-1) reaches back j steps, to the chunk's first step. One backward sweep of
    T steps, as full BPTT.
    "sliding" (sliding-window truncation): each loss term L_t flows back through the recurrence
    to steps t, t-1, ..., t-k+1 only, the state h_{t-k} entering its window a constant. Each loss
    walks back on its own: up to T k backward steps, more than full BPTT's T.
    Either way a window or chunk that starts at step 0 ends at the initial state, which then gets
    its gradient; k >= T is full BPTT (chunked: the same operations, so bit for bit). The output
    layer (W_hy, b_y) is never truncated.
    Returns grads (W_xh, W_hh, b_h, W_hy, b_y, and h0 when learned: the sum over the batch of
    dh_init) and a trace dict: dxs (like xs) dL/dx_t; dhs (like hs) dL/dh_t, the gradient
    reaching h_t along the paths kept; dh_norms (T,) the norm of dhs[t] over (B, H);
    dW_hh_t (T, H, H) the contribution of step t to dW_hh (they sum to grads['W_hh']);
    dh_init (like the initial state) dL/dh_{-1}; backward_steps, how many steps back through
    the cell were taken.
    """
    p, steps, hs, single = cache["params"], cache["steps"], cache["hs"], cache["single"]
    dY = np.asarray(dys, dtype=np.float64)
    dY = dY[:, None] if single else dY
    T, B, H = hs.shape
    if dY.shape != (T, B, p["W_hy"].shape[0]):
        raise ValueError(f"dys has shape {np.shape(dys)}, expected the shape of ys")
    k = T if k is None else _check.positive_int("k", k)
    if truncation not in TRUNCATIONS:
        raise ValueError(f"truncation must be one of {TRUNCATIONS}, got {truncation!r}")
    dh_out = dY @ p["W_hy"]  # gradient reaching h_t from y_t = W_hy h_t + b_y
    dxs, dhs = np.zeros((T, B, p["W_xh"].shape[1])), np.zeros((T, B, H))
    dW_hh_t, dW_xh, db_h = np.zeros((T, H, H)), np.zeros_like(p["W_xh"]), np.zeros(H)
    dh_init = np.zeros((B, H))
    n_back = 0

    def step_back(s, dh):  # one step of the recurrence backwards, accumulating its gradients
        nonlocal n_back
        n_back += 1
        dhs[s] += dh
        dx, dh_prev, dWxh, dWhh, dbh = rnn_step_backward(dh, steps[s])
        dxs[s] += dx
        dW_hh_t[s] += dWhh
        dW_xh[...] += dWxh
        db_h[...] += dbh
        return dh_prev

    if truncation == "chunked" or k >= T:  # one sweep: output term + dL/dh_{t+1} through W_hh
        for s in range(T - 1, -1, -1):
            dh_init = step_back(s, dh_out[s] + dh_init)
            if s % k == 0 and s > 0:  # s opens a chunk: h_{s-1} entering it is a constant
                dh_init = np.zeros((B, H))
    else:  # sliding window: each loss term walks back at most k steps
        for t in range(T):
            if not dY[t].any():
                continue
            dh = dh_out[t]
            for s in range(t, max(t - k, -1), -1):
                dh = step_back(s, dh)
            if t - k < 0:
                dh_init += dh  # the window reached the initial state
    grads = {
        "W_xh": dW_xh,
        "W_hh": dW_hh_t.sum(axis=0),  # tied weight: sum of the per-step contributions
        "b_h": db_h,
        "W_hy": np.einsum("tbv,tbh->vh", dY, hs),  # sum over t and b of dy_t h_t^T
        "b_y": dY.sum(axis=(0, 1)),
    }
    if cache["learned"]:
        grads["h0"] = dh_init.sum(axis=0)  # h0 is shared by every sequence of the batch
    trace = {
        "dxs": dxs[:, 0] if single else dxs,
        "dhs": dhs[:, 0] if single else dhs,
        "dh_norms": np.sqrt((dhs**2).sum(axis=(1, 2))),
        "dW_hh_t": dW_hh_t,
        "dh_init": dh_init[0] if single else dh_init,
        "backward_steps": n_back,
    }
    return grads, trace


def unroll_loss_and_grads(
    params, xs, targets, *, h_prev=None, loss_steps=None, k=None, truncation="chunked"
):
    """Forward, loss at chosen steps and (possibly truncated) BPTT in one call.

    Inputs: as unroll_forward (params, xs, h_prev), sequence_loss (targets, loss_steps) and
    unroll_backward (k, truncation).
    Returns loss (float), grads (as unroll_backward) and the trace of unroll_backward extended
    with hs and ys from the forward pass.
    """
    hs, ys, cache = unroll_forward(params, xs, h_prev)
    loss, dys = sequence_loss(ys, targets, loss_steps)
    grads, trace = unroll_backward(dys, cache, k=k, truncation=truncation)
    trace.update(hs=hs, ys=ys)
    return loss, grads, trace


def chunk_starts(T, k):
    """The first step of each chunk of k steps: 0, k, 2k, ... below T (k None: one chunk)."""
    T = _check.positive_int("T", T)
    k = T if k is None else _check.positive_int("k", k)
    return list(range(0, T, k))


def loss_reach(params, xs, targets, *, h_prev=None, loss_steps=None, k=None, truncation="chunked"):
    """How far each loss term's gradient reaches back: ||dL_s/dh_t|| for every pair (s, t).

    Inputs: as unroll_loss_and_grads. Each loss term L_s is backpropagated on its own through
    unroll_backward, with the same truncation.
    Returns reach (T, T): row s, column t holds the norm (over batch and units) of the gradient
    of L_s reaching h_t along the paths kept; zero where it does not reach (t > s, a step cut
    off by truncation, or a step s without loss). The rows sum, as vectors, to the trace's dhs.
    """
    _, ys, cache = unroll_forward(params, xs, h_prev)
    _, dys = sequence_loss(ys, targets, loss_steps)
    T = dys.shape[0]
    reach = np.zeros((T, T))
    for s in steps_list("loss_steps", loss_steps, T):
        only = np.zeros_like(dys)
        only[s] = dys[s]  # L_s alone
        reach[s] = unroll_backward(only, cache, k=k, truncation=truncation)[1]["dh_norms"]
    return reach


def cut_by_loss(
    params, xs, targets, *, k, h_prev=None, loss_steps=None, truncation="chunked", keys=CELL_KEYS
):
    """What truncation takes from each loss term: the relative error its cut terms alone make.

    Inputs: as unroll_loss_and_grads (k required); keys, the parameters compared (the cell's).
    Returns cut (T,): row s holds ||g_s - g_s,k|| / ||g||, where g_s and g_s,k are the gradients
    of L_s alone in full and truncated BPTT and g the full gradient of L; zero for a step
    without loss or a loss that loses nothing. The differences add up, as vectors, to g - g_k.
    """
    _, ys, cache = unroll_forward(params, xs, h_prev)
    _, dys = sequence_loss(ys, targets, loss_steps)

    def flat(g):
        return np.concatenate([np.ravel(g[name]) for name in keys])

    ref = np.linalg.norm(flat(unroll_backward(dys, cache)[0]))  # ||g||, full BPTT
    cut = np.zeros(dys.shape[0])
    for s in steps_list("loss_steps", loss_steps, dys.shape[0]):
        only = np.zeros_like(dys)
        only[s] = dys[s]  # L_s alone
        full = flat(unroll_backward(only, cache)[0])
        kept = flat(unroll_backward(only, cache, k=k, truncation=truncation)[0])
        cut[s] = np.linalg.norm(full - kept) / ref  # ||g_s - g_s,k|| / ||g||
    return cut


def grad_difference(grads, reference, keys=CELL_KEYS):
    """How far a (truncated) gradient lies from a reference (full BPTT) gradient.

    Inputs: grads, reference dicts of arrays; keys the parameters compared (default the cell's,
    the ones truncation changes), each dict seen as one long vector g, g_ref.
    Returns (relative error ||g - g_ref|| / ||g_ref||, cosine of the angle between g and g_ref).
    """
    missing = [k for k in keys if k not in grads or k not in reference]
    if missing:
        raise ValueError(f"both gradients need the keys {list(keys)}; missing {missing}")
    g = np.concatenate([np.ravel(grads[k]) for k in keys]).astype(np.float64)
    ref = np.concatenate([np.ravel(reference[k]) for k in keys]).astype(np.float64)
    if g.shape != ref.shape:
        raise ValueError(f"the gradients have {g.size} and {ref.size} entries; expected equal")
    n_ref, n_g = np.linalg.norm(ref), np.linalg.norm(g)
    if n_ref == 0 or n_g == 0:
        raise ValueError("a gradient is all zeros: its relative error or angle is undefined")
    return float(np.linalg.norm(g - ref) / n_ref), float(g @ ref / (n_g * n_ref))
