"""Numerical gradient checking: centred differences and a relative error.

    df/dw ~ (f(w + eps) - f(w - eps)) / (2 eps),   eps = 1e-5

The step is eps, not h, which names the hidden state. The truncation error of the centred
difference is O(eps^2) and its rounding error about u |f| / eps (u = 2.2e-16, the rounding unit
of float64), so both are near 1e-10: an analytic gradient that agrees to a relative error of
1e-7 or better is right, one that disagrees at 1e-3 has a bug.
"""

import numpy as np

from . import _check


def numerical_grad(f, params, eps=1e-5):
    """Centred-difference gradient of a scalar function of a dict of arrays.

    Inputs: f(params) -> float; params dict of float64 arrays (each element is perturbed in
    place by +eps and -eps, then restored exactly); eps the step (> 0).
    Returns a dict with the keys of params: arrays of the same shapes holding df/dparams.
    """
    eps = _check.positive_number("eps", eps)
    grads = {}
    for name, w in params.items():
        if not isinstance(w, np.ndarray) or w.dtype != np.float64:
            raise ValueError(f"params[{name!r}] must be a float64 array, got {type(w).__name__}")
        g = np.zeros_like(w)
        flat, gflat = w.reshape(-1), g.reshape(-1)  # views onto w and g
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            f_plus = f(params)  # f(w + eps e_i)
            flat[i] = old - eps
            f_minus = f(params)  # f(w - eps e_i)
            flat[i] = old
            gflat[i] = (f_plus - f_minus) / (2.0 * eps)  # centred difference
        grads[name] = g
    return grads


def rel_error(a, b, tiny=1e-300):
    """Relative error of two arrays: max |a - b| / max(max(|a| + |b|), tiny).

    The largest absolute difference is measured against the largest magnitude in the pair, so
    one near-zero element cannot blow the ratio up (unlike an element-wise ratio). Two arrays
    of zeros give 0. Inputs: a, b arrays of the same shape. Returns a float in [0, 1].
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"arrays have shapes {a.shape} and {b.shape}; expected equal")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), tiny))


def check_grads(f, params, grads, eps=1e-5):
    """Relative error between analytic grads and the centred differences of f, per parameter.

    Inputs: f(params) -> float; params dict of float64 arrays; grads the analytic gradient
    (a dict with at least the keys of params); eps the step.
    Returns a dict {name: rel_error(grads[name], numerical[name])}.
    """
    missing = [k for k in params if k not in grads]
    if missing:
        raise ValueError(f"grads is missing {missing}; expected the keys of params")
    num = numerical_grad(f, params, eps)
    return {k: rel_error(grads[k], num[k]) for k in params}
