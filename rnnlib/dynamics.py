"""Dynamics of an input-free RNN: trajectories, fixed points, Lyapunov exponent, behaviour label.

    h_{t+1} = tanh(W_hh h_t + b_h)          (no input: the net runs on its own state)

Its Jacobian is J(h_t) = diag(1 - h_{t+1}^2) W_hh. A fixed point h* = tanh(W_hh h* + b_h) is
stable when the spectral radius of J(h*) is below 1, and a run that settles there has Lyapunov
exponent ln rho(J(h*)). The largest Lyapunov exponent is the mean log growth per step of a small
perturbation: > 0 means nearby states fly apart (chaos); < 0 means they merge, on a point
attractor or on a stable periodic cycle (for a map, every direction of a stable cycle
contracts); about 0 means they keep their distance on average, as in quasi-periodic motion
(a rotation by an irrational angle) or a marginally stable system. Estimates over a finite
window are finite-time exponents: near 0 their sign can change with the window.
Batched states are rows (B, H), so batched code computes h @ W_hh.T.
"""

import numpy as np

from . import _check
from .units import hidden_states

LABELS = ("point attractor", "oscillation", "chaos")
CHAOS_THRESHOLD = 0.01  # chaos: a Lyapunov exponent above this (per step), and
SEPARATION = 1e-3  # the run and its copy nudged by NEARBY end up farther apart than this
NEARBY = 1e-8  # distance of the nudged copy from the run
BURN = 1000  # behaviour_runs: steps of transient before the nudge
SHOW_STEPS = 1000  # behaviour_runs: steps after the nudge, the window the label is measured over


def _system(W_hh, b_h):
    """Check W_hh (H, H) and b_h (H,) (None means zeros); return them as float64 arrays."""
    W_hh = np.asarray(W_hh, dtype=np.float64)
    if W_hh.ndim != 2 or W_hh.shape[0] != W_hh.shape[1] or W_hh.shape[0] == 0:
        raise ValueError(f"W_hh has shape {W_hh.shape}, expected a square (H, H) with H > 0")
    if not np.all(np.isfinite(W_hh)):
        raise ValueError("W_hh holds a non-finite value, expected finite weights")
    H = W_hh.shape[0]
    b_h = np.zeros(H) if b_h is None else np.asarray(b_h, dtype=np.float64)
    if b_h.shape != (H,) or not np.all(np.isfinite(b_h)):
        raise ValueError(f"b_h has shape {b_h.shape}, expected finite values of shape ({H},)")
    return W_hh, b_h


def start_state(H, seed=0):
    """The default start: H values uniform in [-0.5, 0.5] from default_rng(seed); returns (H,)."""
    return np.random.default_rng(seed).uniform(-0.5, 0.5, _check.positive_int("H", H))


def _start(h0, H):
    """Check a start state (H,) or a batch of starts (B, H); None means start_state(H)."""
    if h0 is None:
        return start_state(H)
    h0 = np.asarray(h0, dtype=np.float64)
    if h0.ndim not in (1, 2) or h0.shape[-1] != H or not np.all(np.isfinite(h0)):
        raise ValueError(f"h0 has shape {h0.shape}, expected finite (H,) or (B, H) with H={H}")
    return h0


def dynamics_weights(gain, rotation, seed, *, hidden_size=32, angle=2 * np.pi / 10):
    """A recurrent weight matrix mixing a random matrix and a rotation, scaled by a gain.

        W_hh = gain * ((1 - rotation) G + rotation R)

    G is Gaussian with entries N(0, 1/H) (spectral radius about 1), drawn from
    np.random.default_rng(seed); R turns each pair of units (0, 1), (2, 3), ... by `angle` per
    step (an odd last unit keeps its value). gain < 1 contracts to a point attractor, gain > 1
    with rotation 1 circles (oscillation), large gain with rotation 0 is chaotic.
    Inputs: gain >= 0; rotation in [0, 1]; seed an int >= 0; hidden_size H >= 2; angle (radians).
    Returns W_hh (H, H).
    """
    gain = _check.nonneg_number("gain", gain)
    if not 0 <= rotation <= 1:
        raise ValueError(f"rotation must be in [0, 1], got {rotation!r}")
    if not np.isfinite(angle):
        raise ValueError(f"angle must be a finite number of radians, got {angle!r}")
    seed = _check.nonneg_int("seed", seed)
    H = _check.positive_int("hidden_size", hidden_size)
    if H < 2:
        raise ValueError(f"hidden_size must be >= 2 (a rotation needs a pair), got {H}")
    G = np.random.default_rng(seed).standard_normal((H, H)) / np.sqrt(H)  # N(0, 1/H) entries
    c, s = np.cos(angle), np.sin(angle)
    R = np.eye(H)
    for i in range(0, H - 1, 2):
        R[i : i + 2, i : i + 2] = [[c, -s], [s, c]]  # rotate units (i, i+1) by angle
    return gain * ((1 - rotation) * G + rotation * R)


def trajectory(W_hh, h0, T, b_h=None):
    """Run the input-free RNN for T steps.

    Inputs: W_hh (H, H); h0 (H,) or a batch of starts (B, H); T steps (int >= 0); b_h (H,) or
    None for zeros.
    Returns hs (T+1, H) or (T+1, B, H), time-first, with hs[0] = h0.
    """
    W_hh, b_h = _system(W_hh, b_h)
    h0 = _start(h0, W_hh.shape[0])
    T = _check.nonneg_int("T", T)
    hs = np.empty((T + 1,) + h0.shape)
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(hs[t] @ W_hh.T + b_h)  # h_{t+1} = tanh(W_hh h_t + b_h)
    return hs


def jacobian(W_hh, h, b_h=None):
    """The Jacobian dh_{t+1}/dh_t = diag(1 - h_{t+1}^2) W_hh at a state h (H,); returns (H, H)."""
    W_hh, b_h = _system(W_hh, b_h)
    h = np.asarray(h, dtype=np.float64)
    if h.shape != (W_hh.shape[0],):
        raise ValueError(f"h has shape {h.shape}, expected ({W_hh.shape[0]},)")
    h_next = np.tanh(W_hh @ h + b_h)
    return (1 - h_next**2)[:, None] * W_hh  # tanh' = 1 - tanh^2, row-scaled


def fixed_points(W_hh, b_h=None, *, n_starts=16, seed=0, tol=1e-12, max_iter=100):
    """Fixed points h* = tanh(W_hh h* + b_h), found by Newton's method from several starts.

    Newton solves F(h) = tanh(W_hh h + b_h) - h = 0 with dF/dh = J(h) - I, from h = 0 and from
    n_starts - 1 points uniform in [-1, 1]^H drawn with np.random.default_rng(seed); starts that
    do not reach |F| < tol within max_iter steps are dropped, and duplicates (closer than 1e-6)
    merged. A fixed point is stable when its radius (the spectral radius of J(h*)) is < 1.
    Returns (points (K, H), radii (K,)), sorted by norm (ties by the coordinates).
    """
    W_hh, b_h = _system(W_hh, b_h)
    H = W_hh.shape[0]
    n_starts = _check.positive_int("n_starts", n_starts)
    starts = np.vstack([np.zeros(H), np.random.default_rng(seed).uniform(-1, 1, (n_starts - 1, H))])
    found = []
    for h in starts:
        for _ in range(max_iter):
            F = np.tanh(W_hh @ h + b_h) - h  # residual of the fixed-point equation
            if np.max(np.abs(F)) < tol:
                if all(np.max(np.abs(h - p)) > 1e-6 for p in found):
                    found.append(h)
                break
            J = jacobian(W_hh, h, b_h) - np.eye(H)  # dF/dh
            try:
                h = h - np.linalg.solve(J, F)  # Newton step
            except np.linalg.LinAlgError:
                break
            if not np.all(np.isfinite(h)):
                break
    order = sorted(found, key=lambda p: (round(np.linalg.norm(p), 9), *np.round(p, 9)))
    points = np.array(order).reshape(-1, H)
    radii = np.array([np.max(np.abs(np.linalg.eigvals(jacobian(W_hh, p, b_h)))) for p in points])
    return points, radii


def tangent_start(H):
    """The unit vector (1, ..., 1) / sqrt(H) the exponent's tangent vector starts from."""
    H = _check.positive_int("H", H)
    return np.full(H, 1 / np.sqrt(H))


def _tangent_growth(W_hh, hs):
    """Mean ln ||J v|| per step of a renormalised tangent vector v along states hs (T+1, H)."""
    v = tangent_start(W_hh.shape[0])
    total = 0.0
    for h_next in hs[1:]:
        v = (1 - h_next**2) * (W_hh @ v)  # v <- J(h_t) v = diag(1 - h_{t+1}^2) W_hh v
        n = max(float(np.sqrt(v @ v)), 1e-300)
        total += np.log(n)  # growth of the perturbation this step
        v = v / n  # renormalise, so v never under- or overflows
    return total / (len(hs) - 1)


def _run_after_burn(W_hh, h0, b_h, burn, steps):
    """Validate one start and run it: returns W_hh and the states after the burn-in (steps+1, H)."""
    W_hh, b_h = _system(W_hh, b_h)
    h0 = _start(h0, W_hh.shape[0])
    if h0.ndim != 1:
        raise ValueError(f"h0 has shape {h0.shape}, expected one start ({W_hh.shape[0]},)")
    burn = _check.nonneg_int("burn", burn)
    steps = _check.positive_int("steps", steps)
    return W_hh, trajectory(W_hh, h0, burn + steps, b_h)[burn:]


def lyapunov_exponent(W_hh, h0=None, b_h=None, *, burn=300, steps=700):
    """Largest Lyapunov exponent (per step) by carrying a renormalised tangent vector.

    After `burn` steps (to reach the attractor) a unit vector v is pushed through the Jacobian,
    v <- J(h_t) v, and rescaled to length 1 every step; the exponent is the mean of ln ||J v||
    over `steps` steps. This is the limit of following two trajectories a tiny distance apart
    and pulling them back to that distance each step. A tangent vector that collapses to 0
    (every unit saturated) counts as ln(1e-300).
    Inputs: W_hh (H, H); h0 (H,) or None for a fixed start; b_h (H,) or None; burn, steps ints.
    Returns lambda, a float.
    """
    W_hh, hs = _run_after_burn(W_hh, h0, b_h, burn, steps)
    return _tangent_growth(W_hh, hs)


def _systems(W_hh, h0, b_h):
    """Check a stack of systems W_hh (N, H, H) with starts h0 ((N, H), (H,) or None for
    start_state(H)) and biases b_h ((N, H), (H,) or None for zeros); return them (N, ...)."""
    W_hh = np.asarray(W_hh, dtype=np.float64)
    if W_hh.ndim != 3 or W_hh.shape[1] != W_hh.shape[2] or 0 in W_hh.shape:
        raise ValueError(f"W_hh has shape {W_hh.shape}, expected a stack (N, H, H), N, H > 0")
    if not np.all(np.isfinite(W_hh)):
        raise ValueError("W_hh holds a non-finite value, expected finite weights")
    N, H, _ = W_hh.shape
    out = []
    for name, x, default in (("h0", h0, start_state(H)), ("b_h", b_h, np.zeros(H))):
        x = default if x is None else np.asarray(x, dtype=np.float64)
        if x.shape not in ((H,), (N, H)) or not np.all(np.isfinite(x)):
            raise ValueError(f"{name} has shape {x.shape}, expected finite ({H},) or ({N}, {H})")
        out.append(np.broadcast_to(x, (N, H)))
    return W_hh, *out


def _burn_in(W_T, b, h, burn, units):
    """`burn` steps of N systems h <- tanh(h W_hh^T + b) from h (N, H), W_T (N, H, H) and b
    (N, 1, H); units None, or the units of every state to keep (an index or a slice). Returns
    (the last state (N, H), the kept states (burn+1, N, U) or None)."""
    kept = None if units is None else np.empty((burn + 1, *h[:, units].shape))
    for t in range(burn):
        if kept is not None:
            kept[t] = h[:, units]
        h = np.tanh((h[:, None, :] @ W_T + b)[:, 0])
    if kept is not None:
        kept[burn] = h[:, units]
    return h, kept


def run_pairs(W_hh, h0=None, b_h=None, *, burn=300, steps=700, keep=None, units=None):
    """Run N systems h_{t+1} = tanh(W_hh h_t + b_h) at once, each with a nudged copy.

    Each system runs `burn` steps from its start (the transient); there a copy is nudged by
    NEARBY along tangent_start(H), and the run, the copy and a renormalised tangent vector
    v <- J(h_t) v (as in lyapunov_exponent) go `steps` steps more.
    Inputs: W_hh (N, H, H); h0 (N, H), (H,) or None (start_state(H) for all); b_h (N, H), (H,)
    or None; burn, steps ints; keep: None to keep every state, else how many of the last
    states of the run to keep (the rest is dropped as it goes: long runs stay small); units:
    the indices of the units whose every state is recorded (transient and hs; a drawing of
    many runs needs two and stays small), None for every unit with keep None, else none.
    Returns a dict: lyapunov (N,) the mean ln ||J v|| per step over the `steps` steps;
    moves (steps, N) the step sizes ||h_{t+1} - h_t||_inf; dist (steps+1, N) the distance
    ||h_t - h'_t|| between run and copy; tail (keep, N, H) the last states of the run; and,
    when units are recorded, transient (burn+1, N, U) and hs (steps+1, N, 2, U) the run and
    its copy, U the recorded units.
    """
    W_hh, h, b_h = _systems(W_hh, h0, b_h)
    burn = _check.nonneg_int("burn", burn)
    steps = _check.positive_int("steps", steps)
    keep = steps + 1 if keep is None else min(_check.positive_int("keep", keep), steps + 1)
    N, H, _ = W_hh.shape
    record = units is not None or keep == steps + 1
    units = slice(None) if units is None else _check.indices("units", units, H, "the units")
    W_T, b = W_hh.transpose(0, 2, 1), b_h[:, None, :]  # batched rows: h @ W_hh.T
    h, transient = _burn_in(W_T, b, h, burn, units if record else None)
    v = tangent_start(H)
    x = np.stack([h, h + NEARBY * v, np.broadcast_to(v, (N, H))], 1)
    ring = np.empty((keep, N, H))  # the state at step t sits at t % keep
    ring[0] = x[:, 0]
    hs = np.empty((steps + 1, N, 2, transient.shape[-1])) if record else None
    moves, dist, logs = np.empty((steps, N)), np.empty((steps + 1, N)), np.zeros(N)
    dist[0] = np.linalg.norm(x[:, 0] - x[:, 1], axis=1)
    if hs is not None:
        hs[0] = x[:, :2, units]
    for t in range(1, steps + 1):
        y = x @ W_T  # W_hh h for run and copy, W_hh v for the tangent
        h_next = np.tanh(y[:, :2] + b)  # h_{t+1} = tanh(W_hh h_t + b_h), run and copy
        v = (1 - h_next[:, 0] ** 2) * y[:, 2]  # v <- J(h_t) v = diag(1 - h_{t+1}^2) W_hh v
        n = np.maximum(np.sqrt(np.sum(v * v, axis=1)), 1e-300)
        logs += np.log(n)  # growth of the perturbation this step
        moves[t - 1] = np.max(np.abs(h_next[:, 0] - x[:, 0]), axis=1)
        x = np.concatenate([h_next, (v / n[:, None])[:, None]], 1)  # renormalise v
        dist[t] = np.linalg.norm(x[:, 0] - x[:, 1], axis=1)
        ring[t % keep] = x[:, 0]
        if hs is not None:
            hs[t] = x[:, :2, units]
    tail = ring[(np.arange(steps + 1 - keep, steps + 1)) % keep]  # in time order
    out = {"lyapunov": logs / steps, "moves": moves, "dist": dist, "tail": tail}
    if hs is not None:
        out |= {"transient": transient, "hs": hs}
    return out


def _label(lam, moves, far, tail):
    """classify's rules for one run: exponent lam, step sizes moves (T,), the largest distance
    `far` to the nudged copy, the last states tail (K, H). Returns label, period, settled."""
    q = max(len(moves) // 4, 1)
    tail = tail[-((len(moves) + 1) // 2 + 1) :]  # a period is looked for up to half the window
    period = None
    if lam > CHAOS_THRESHOLD and far > SEPARATION:
        label = "chaos"
    elif moves[-1] < 1e-9 or moves[-q:].max() < 0.8 * moves[:q].max():
        label = "point attractor"
    else:
        label = "oscillation"
        gaps = np.max(np.abs(tail[-1] - tail[-2::-1]), axis=1)  # ||h_T - h_{T-p}||, p = 1, 2..
        hits = np.flatnonzero(gaps < 1e-6)
        period = int(hits[0]) + 1 if hits.size else None
    return label, period, bool(moves[-1] < 1e-9)


def classify_many(W_hh, h0=None, b_h=None, *, burn=300, steps=700, runs=False, units=None):
    """Label N systems at once, each by classify's rules (see there), in one batched run.

    Inputs: W_hh (N, H, H); h0 (N, H), (H,) or None; b_h (N, H), (H,) or None; burn, steps
    ints; runs: True to keep every state (for drawing), else only the last half of the window;
    units: with runs, the indices of the units kept (None: all).
    Returns a list of N dicts as classify returns, and with runs True each also holds
    transient (burn+1, U), hs (steps+1, 2, U) (U the kept units) and dist (steps+1,).
    """
    steps = _check.positive_int("steps", steps)
    if runs and units is None:
        units = range(np.shape(W_hh)[-1])
    keep = (steps + 1) // 2 + 1  # what classify's rules read: the last half of the window
    r = run_pairs(W_hh, h0, b_h, burn=burn, steps=steps, keep=keep, units=units if runs else None)
    out = []
    for i, lam in enumerate(r["lyapunov"]):
        label, period, settled = _label(
            lam, r["moves"][:, i], r["dist"][:, i].max(), r["tail"][:, i]
        )
        c = {"label": label, "lyapunov": float(lam), "period": period, "settled": settled}
        c |= {"separation": float(r["dist"][:, i].max()), "h_last": r["tail"][-1, i]}
        if runs:
            c |= {"transient": r["transient"][:, i], "hs": r["hs"][:, i], "dist": r["dist"][:, i]}
        out.append(c)
    return out


def classify(W_hh, h0=None, b_h=None, *, burn=300, steps=700):
    """Label the long-run behaviour from a start: "point attractor", "oscillation" or "chaos".

    After `burn` steps the run is copied and the copy nudged by NEARBY (see run_pairs). Rules
    over the `steps` steps after that, in order: chaos when the largest Lyapunov exponent is
    > CHAOS_THRESHOLD and the two runs part, to more than SEPARATION apart; a point attractor
    when the state stops moving (last step < 1e-9) or is still settling (the largest step in
    the last quarter of the run is below 0.8 of the largest in the first quarter, as on a
    slowly closing spiral); otherwise an oscillation, with its period if the state repeats
    within steps / 2 (to within 1e-6; else quasi-periodic, period None). A window longer than
    any transient gives the long-run behaviour; a chaotic transient still running in the
    window is labelled chaos.
    Inputs: W_hh (H, H); h0 (H,) or None; b_h (H,) or None; burn, steps ints.
    Returns a dict: label, lyapunov (float), period (int or None), settled (True if the last
    step moved less than 1e-9), separation (the largest distance between run and copy),
    h_last (H,).
    """
    W_hh, b_h = _system(W_hh, b_h)
    h0 = _start(h0, W_hh.shape[0])
    if h0.ndim != 1:
        raise ValueError(f"h0 has shape {h0.shape}, expected one start ({W_hh.shape[0]},)")
    return classify_many(W_hh[None], h0, b_h, burn=burn, steps=steps)[0]


def gradient_decay(params, inputs, *, max_lag=40, n_ends=60, h0=None):
    """How fast dh_T/dh_t shrinks along a real, input-driven run (not the input-free system).

    Runs h_t = tanh(W_xh[:, x_t] + W_hh h_{t-1} + b_h) over the index sequence `inputs` from
    h0 (None: zeros), then for n_ends end steps T spread evenly over the run (the last step
    first, each at least max_lag steps in) multiplies the Jacobians J_s = diag(1 - h_s^2) W_hh
    back from T: the spectral norm ||dh_T/dh_{T-k}|| = ||J_T ... J_{T-k+1}||_2, k = 1 .. max_lag.
    Returns (lags (max_lag + 1,) = 0 .. max_lag, mean ln ||dh_T/dh_{T-k}|| (max_lag + 1,),
    0 at lag 0). Its slope is the input-driven counterpart of the Lyapunov exponent.
    """
    W_hh, _ = _system(params["W_hh"], params["b_h"])
    max_lag = _check.positive_int("max_lag", max_lag)
    n_ends = _check.positive_int("n_ends", n_ends)
    hs = hidden_states(params, inputs, h0)  # checks the shapes and the indices
    if len(hs) <= max_lag:
        raise ValueError(f"need more than max_lag = {max_lag} inputs, got {len(hs)}")
    ends = np.unique(np.linspace(len(hs) - 1, max_lag, n_ends).round().astype(int))  # 1: the last
    logs = np.zeros((len(ends), max_lag + 1))
    P = np.broadcast_to(np.eye(len(W_hh)), (len(ends),) + W_hh.shape)  # one product per end
    for k in range(1, max_lag + 1):
        J = (1 - hs[ends - k + 1] ** 2)[:, :, None] * W_hh  # J_s, s = T - k + 1 for each end T
        P = P @ J  # dh_T/dh_{s-1} = (dh_T/dh_s) J_s
        norms = np.linalg.svd(P, compute_uv=False)[:, 0]  # the spectral norms, largest first
        logs[:, k] = np.log(np.maximum(norms, 1e-300))
    return np.arange(max_lag + 1), logs.mean(axis=0)


def behaviour_runs(settings, T=SHOW_STEPS, burn=BURN, units=None):
    """Run the systems dynamics_weights(gain, rotation, seed) of several settings at once, each
    from start_state(H): `burn` steps (the transient), then the state and a copy nudged by
    NEARBY along the exponent's start direction run T more steps. The label and the Lyapunov
    exponent come from those same T steps (classify_many, one batched run), so what is drawn
    is what is measured.
    Inputs: settings, a list of (gain, rotation, seed); T, burn ints; units: the indices of
    the hidden units kept in transient and hs (None: all; a drawing needs two).
    Returns a list of dicts: label, lyapunov, period, settled, separation (see classify),
    transient (burn+1, U) the states before the nudge, hs (T+1, 2, U) the two runs after it
    (U the kept units), dist (T+1,) their distance."""
    W_hh = np.stack([dynamics_weights(*s) for s in settings])  # (N, H, H)
    H = W_hh.shape[1]
    runs = classify_many(W_hh, start_state(H), burn=burn, steps=T, runs=True, units=units)
    keys = ("label", "lyapunov", "period", "settled", "separation", "transient", "hs", "dist")
    return [{k: r[k] for k in keys} for r in runs]


def behaviour_run(gain, rotation, seed, T=SHOW_STEPS, burn=BURN):
    """behaviour_runs for one setting (gain, rotation, seed); returns its dict."""
    return behaviour_runs([(gain, rotation, seed)], T, burn)[0]
