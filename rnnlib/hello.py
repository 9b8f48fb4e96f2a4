"""The lecture's "hello" example: its printed numbers, weights that reproduce them, training.

The lecture's figure feeds "hell" (one-hot over the vocabulary [h, e, l, o]) into a net with
H = 3 hidden units and asks it to predict "ello". Its numbers are illustrative; solve_params finds
weights that reproduce every printed number (to the printed decimal) with the lecture's hidden
layer h_t = tanh(W_hh h_{t-1} + W_xh x_t) (b_h = 0) and an output layer y_t = W_hy h_t + b_y.
"""

import numpy as np

from .cell import PARAM_NAMES, init_params, softmax
from .sampling import sample
from .training import train
from .unroll import one_hot_inputs, unroll_loss_and_grads
from .vocab import Vocab

CHARS = "helo"  # the vocabulary, in the lecture's order
TEXT = "hello"  # the training sequence
INPUTS, TARGETS = TEXT[:-1], TEXT[1:]  # "hell" -> "ello": the target is the next character
HIDDEN_SIZE = 3
HIDDEN = np.array(  # h_t as printed, one row per step
    [[0.3, -0.1, 0.9], [1.0, 0.3, 0.1], [0.1, -0.5, -0.3], [-0.3, 0.9, 0.7]]
)
LOGITS = np.array(  # y_t as printed, one row per step, columns h, e, l, o
    [[1.0, 2.2, -3.0, 4.1], [0.5, 0.3, -1.0, 1.2], [0.1, 0.5, 1.9, -1.1], [0.2, -1.5, -0.1, 2.2]]
)
ONE_AT = (1, 0)  # the printed 1.0 (step 2, unit 1): tanh never reaches 1, so it is rounded
TRUE_ONE = 0.96  # the value we read it as; any value in [0.95, 1) rounds to 1.0
ROUND_HALF_WIDTH = 0.05  # a number printed with one decimal is within 0.05 of the truth


def vocab():
    """The lecture's vocabulary [h, e, l, o] (its order, not sorted)."""
    return Vocab(CHARS, order="given")


def true_hidden(one=TRUE_ONE):
    """The printed hidden states with the printed 1.0 replaced by `one` (0.95 <= one < 1).

    Returns hs (T, H) = (4, 3).
    """
    number = isinstance(one, (int, float, np.integer, np.floating)) and not isinstance(one, bool)
    if not (number and 0.95 <= one < 1.0):
        raise ValueError(f"one must lie in [0.95, 1) so that it prints as 1.0, got {one!r}")
    hs = HIDDEN.copy()
    hs[ONE_AT] = one
    return hs


def output_design(one=TRUE_ONE):
    """The 4 x 4 matrix with rows [h_t, 1]: y_t = W_hy h_t + b_y for all steps is
    output_design() @ [W_hy b_y]^T = LOGITS, one exact solution when it is invertible."""
    hs = true_hidden(one)
    return np.hstack([hs, np.ones((len(hs), 1))])


def solve_params(one=TRUE_ONE):
    """Weights under which the net prints the lecture's hidden states and logits.

    Hidden layer (b_h = 0, h_0 = 0): tanh must receive a_t = atanh(h_t), so for each unit i,
    a_t[i] = W_hh[i] . h_{t-1} + W_xh[i, x_t]: 4 equations in 3 + 4 unknowns; we take the
    minimum-norm solution (W_xh[:, o] = 0 exactly, as o is never an input). Output layer:
    y_t = W_hy h_t + b_y for the 4 steps is 4 equations in 4 unknowns per output, solved exactly.
    Input: one, the true value of the printed 1.0. Returns a params dict (W_xh (3, 4),
    W_hh (3, 3), W_hy (4, 3), b_h (3,), b_y (4,)).
    """
    hs = true_hidden(one)
    T, H = hs.shape
    V = len(CHARS)
    a = np.arctanh(hs)  # the pre-activations a_t the tanh must receive
    h_prev = np.vstack([np.zeros(H), hs[:-1]])  # h_{t-1}, with h_0 = 0
    Z = np.hstack([h_prev, np.eye(V)[vocab().encode(INPUTS)]])  # rows [h_{t-1}, x_t]
    used = np.flatnonzero(np.any(Z != 0.0, axis=0))  # W_xh[:, o] meets no equation
    theta = np.zeros((Z.shape[1], H))
    theta[used] = np.linalg.pinv(Z[:, used]) @ a  # minimum-norm [W_hh W_xh]^T, Z theta = a
    out = np.linalg.solve(output_design(one), LOGITS)  # [W_hy b_y]^T with M out = y
    return {
        "W_xh": theta[H:].T.copy(),
        "W_hh": theta[:H].T.copy(),
        "W_hy": out[:H].T.copy(),
        "b_h": np.zeros(H),
        "b_y": out[H].copy(),
    }


def rank_gap():
    """How far the printed logits are from any matrix of rank <= 3 (which a bias-free W_hy
    would give, since y_t = W_hy h_t stacks to W_hy (4x3) times a 3x4 matrix).

    Returns (sigma_min, reach): the smallest singular value of the 4x4 logit matrix (its
    spectral distance to rank 3), and the largest spectral norm of a change that rounding can
    hide (every entry within ROUND_HALF_WIDTH, so at most 4 * 0.05 = 0.2). sigma_min > reach
    means no bias-free W_hy reproduces the printed logits, whatever the hidden states.
    """
    sigma_min = float(np.linalg.svd(LOGITS, compute_uv=False)[-1])
    return sigma_min, float(np.sqrt(LOGITS.size) * ROUND_HALF_WIDTH)  # ||E||_2 <= ||E||_F


# Logits this close to the largest count as tied: their probabilities differ by under 1 %.
TIE_MARGIN = 0.01


def run(params, inputs=INPUTS, targets=TARGETS):
    """Forward pass, loss and BPTT of the net on the example, with everything the views show.

    Inputs: params (V = 4); inputs, targets strings over CHARS of equal length T.
    Returns a dict: x, target (T,) indices; hs (T, H); ys, p (T, V) logits and softmax;
    p_target (T,); step_loss (T,) = -ln p_t[target_t]; loss (sum); pred (T,) argmax indices;
    tied (T, V) True for each logit within TIE_MARGIN of the step's largest (argmax and ties);
    dys (T, V) = p_t - onehot(target_t); dh_norms (T,) ||dL/dh_t||; dW_hh_t (T, H, H) each
    step's contribution to dW_hh; grads (dict like params).
    """
    v = vocab()
    x, target = v.encode(inputs), v.encode(targets)
    if len(x) != len(target):
        raise ValueError(f"inputs {inputs!r} and targets {targets!r} must have equal length")
    xs = one_hot_inputs(x, len(v))  # x_t = onehot(input_t), (T, V)
    loss, grads, trace = unroll_loss_and_grads(params, xs, target)
    ys = trace["ys"]
    p = softmax(ys)  # p_t = softmax(y_t)
    rows = np.arange(len(x))
    dys = p.copy()
    dys[rows, target] -= 1.0  # dL/dy_t = p_t - onehot(target_t)
    return {
        "x": x,
        "target": target,
        "hs": trace["hs"],
        "ys": ys,
        "p": p,
        "p_target": p[rows, target],
        "step_loss": -np.log(p[rows, target]),  # -ln p_t[target_t]
        "loss": loss,
        "pred": np.argmax(ys, axis=1),
        "tied": ys >= ys.max(axis=1, keepdims=True) - TIE_MARGIN,  # every (near) max
        "dys": dys,
        "dh_norms": trace["dh_norms"],
        "dW_hh_t": trace["dW_hh_t"],
        "grads": grads,
    }


def uniform_loss(T=None, V=None):
    """The loss of a net that predicts the uniform distribution at each of T steps: T ln V.

    T defaults to the example's 4 steps, V to its 4 characters.
    """
    T = len(INPUTS) if T is None else T
    V = len(CHARS) if V is None else V
    return T * np.log(V)


def memoryless_floor(inputs=INPUTS, targets=TARGETS):
    """The lowest loss a net without memory (W_hh = 0) can reach on the example.

    Without W_hh, p_t depends on the current input only, so steps with the same input share
    one distribution; the best one is the targets' empirical distribution there, and the loss
    is the sum over inputs of count * entropy. For "hell" -> "ello": the two l's have targets
    l and o, so the floor is 2 ln 2.
    """
    total = 0.0
    for c in sorted(set(inputs)):
        seen = [t for i, t in zip(inputs, targets, strict=True) if i == c]
        q = np.array([seen.count(t) for t in sorted(set(seen))]) / len(seen)
        total -= len(seen) * float(np.sum(q * np.log(q)))  # count * entropy
    return total


def train_hello(n_iters=500, *, seed=0, lr=0.3, memory=True):
    """Train the H = 3 net on "hello" with Adagrad, one update per pass over "hell" -> "ello".

    Inputs: n_iters updates; seed of the initial weights; lr; memory False keeps W_hh at zero
    (frozen). Returns rnnlib.training's TrainResult, with a snapshot of params at every iteration
    (snapshots[i] = the params after i updates; history['loss'][i] is their loss).
    """
    params = init_params(len(CHARS), HIDDEN_SIZE, rng=seed)
    freeze = ()
    if not memory:
        params["W_hh"][:] = 0.0  # no path from h_{t-1} to h_t
        freeze = ("W_hh",)
    return train(
        TEXT,
        params,
        vocab=vocab(),
        seq_length=len(INPUTS),
        optimizer="adagrad",
        lr=lr,
        n_iters=n_iters,
        freeze=freeze,
        snapshot_every=1,
    )


def loss_path(result):
    """The loss after 0, 1, ..., n updates of a train_hello() run: n + 1 values."""
    return np.append(result.history["loss"], run(result.params)["loss"])


def prediction_path(result):
    """argmax_text after 0, 1, ..., n updates of a train_hello() run (snapshot_every=1)."""
    n = len(result.history["loss"])
    missing = [i for i in range(n + 1) if i not in result.snapshots]
    if missing:
        raise ValueError(f"need a snapshot at every iteration, missing {missing[:5]}")
    return [argmax_text(run(result.snapshots[i])) for i in range(n + 1)]


def replay_iterations(losses, count=14, labels=None):
    """Where to stop a replay of training: where the loss moves and the predictions change.

    Inputs: losses, the loss after 0, 1, ..., n updates (n + 1 values); count - 2, the number of
    loss levels; labels (optional), n + 1 values such as prediction_path(), one per iteration.
    The stops are 0, n, the first iteration at which the loss falls below each of count - 2
    levels spaced evenly in ln(loss) between the first and the last loss, and every iteration
    whose label differs from the one before. Returns a sorted list of distinct ints.
    """
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or len(losses) < 2 or count < 2:
        raise ValueError(
            f"need at least 2 losses and count >= 2, got {len(np.atleast_1d(losses))} losses "
            f"and count {count!r}"
        )
    if not np.all(np.isfinite(losses)) or np.any(losses <= 0):
        raise ValueError(f"losses must be finite and positive, got min {losses.min()!r}")
    if labels is not None and len(labels) != len(losses):
        raise ValueError(f"need one label per loss ({len(losses)}), got {len(labels)} labels")
    levels = np.geomspace(losses[0], losses[-1], count)[1:-1]
    below = np.minimum.accumulate(losses)  # the best loss so far: first passages are monotone
    firsts = np.searchsorted(-below, -levels, side="left")  # first i with below[i] <= level
    labels = [] if labels is None else list(labels)
    changes = [i for i in range(1, len(labels)) if labels[i] != labels[i - 1]]
    return sorted({0, len(losses) - 1, *(int(i) for i in firsts if i < len(losses)), *changes})


def argmax_label(r, t):
    """The predicted character at step t of run r, or every tied one ("tie: h, e, l, o")."""
    tied = [CHARS[k] for k in np.flatnonzero(r["tied"][t])]
    return tied[0] if len(tied) == 1 else "tie: " + ", ".join(tied)


def argmax_text(r):
    """The argmax of every step of run r as one string, a tie shown as "?" ("e?lo")."""
    return "".join(
        CHARS[k] if row.sum() == 1 else "?" for k, row in zip(r["pred"], r["tied"], strict=True)
    )


def greedy_text(params, start="h", n=4):
    """Greedy sampling: feed `start`, then each argmax back in, from h_0 = 0; n characters."""
    v = vocab()
    ix = sample(
        params, np.zeros(params["W_hh"].shape[0]), int(v.encode(start)[0]), n, temperature=0
    )
    return v.decode(ix)


def first_update(result, ts=None):
    """What the first update of a train_hello() run did, and the loss along its straight line.

    Inputs: result, a TrainResult with snapshots 0 and 1 (the weights before and after the
    first update); ts, fractions of the update at which to measure the loss (None: 0, 0.1,
    ..., 1).
    Returns a dict: ts; losses (len(ts),), L(w_0 + t (w_1 - w_0)) for each t; step (40,), the
    size |w_1 - w_0| of each weight's move; grad (40,), the gradient at w_0 (both flattened
    in the order of PARAM_NAMES); init_max, the largest |w_0|; cosine of the update with -grad;
    step_norm, ||w_1 - w_0||; sgd_loss, the loss after the plain step w_0 - lr grad.
    """
    missing = [i for i in (0, 1) if i not in result.snapshots]
    if missing:
        raise ValueError(f"no snapshot for iterations {missing}; train with snapshot_every=1")
    ts = np.linspace(0.0, 1.0, 11) if ts is None else np.asarray(ts, dtype=float)
    w0, w1 = result.snapshots[0], result.snapshots[1]
    g = run(w0)["grads"]
    step, grad = _flat(w1) - _flat(w0), _flat(g)
    along = [run({k: w0[k] + t * (w1[k] - w0[k]) for k in PARAM_NAMES})["loss"] for t in ts]
    lr = result.optimizer.lr
    return {
        "ts": ts,
        "losses": np.array(along),  # L(w_0 + t (w_1 - w_0))
        "step": np.abs(step),
        "grad": grad,
        "init_max": float(np.abs(_flat(w0)).max()),
        "cosine": float(-step @ grad / (np.linalg.norm(step) * np.linalg.norm(grad))),
        "step_norm": float(np.linalg.norm(step)),
        "sgd_loss": run({k: w0[k] - lr * g[k] for k in PARAM_NAMES})["loss"],  # w_0 - lr g
    }


def _flat(p):
    """The weights of a params dict as one vector, in the order of PARAM_NAMES."""
    return np.concatenate([np.ravel(p[k]) for k in PARAM_NAMES])
