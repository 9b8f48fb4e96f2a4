"""Input validation shared by the public functions: every failure is a ValueError that names
the bad value and what was expected."""

import numpy as np


def positive_int(name, value):
    """Return `value` as an int, or raise if it is not a whole number > 0."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def nonneg_int(name, value):
    """Return `value` as an int, or raise if it is not a whole number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def _number(name, value, above_zero):
    """`value` as a float if it is a finite number > 0 (above_zero) or >= 0, else raise."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    x = float(value) if ok else float("nan")  # True is not a number here, nor "1.0"
    if not (np.isfinite(x) and (x > 0 if above_zero else x >= 0)):
        raise ValueError(
            f"{name} must be a finite number {'>' if above_zero else '>='} 0, got {value!r}"
        )
    return x


def positive_number(name, value):
    """Return `value` as a float, or raise if it is not a finite number > 0."""
    return _number(name, value, above_zero=True)


def nonneg_number(name, value):
    """Return `value` as a float, or raise if it is not a finite number >= 0."""
    return _number(name, value, above_zero=False)


def indices(name, value, vocab_size, within="the vocabulary"):
    """Return `value` as an array of indices in [0, vocab_size), or raise; `within` names what
    they index in the error.

    The array has numpy's index type np.intp (int64 on 64-bit machines, int32 on wasm32 under
    Pyodide), which np.take and np.bincount need.
    """
    arr = np.asarray(value)
    if arr.size == 0:
        raise ValueError(f"{name} must be a non-empty sequence of indices, got an empty one")
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.intp)
        else:
            raise ValueError(f"{name} must hold integer indices, got dtype {arr.dtype}")
    bad = (arr < 0) | (arr >= vocab_size)
    if bad.any():
        first = arr[bad].flat[0]
        raise ValueError(f"{name} holds index {int(first)}, outside {within} [0, {vocab_size - 1}]")
    return arr.astype(np.intp, copy=False)


PARAM_NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")  # the order of flat vectors and checkpoints
CELL_NAMES = tuple(k for k in PARAM_NAMES if k.endswith("h"))  # the hidden layer: W_xh, W_hh, b_h
OUTPUT_NAMES = tuple(k for k in PARAM_NAMES if k.endswith("y"))  # the output layer: W_hy, b_y


def param_shapes(p, keys=PARAM_NAMES, *, index_inputs=False):
    """Check that `p` holds the arrays `keys` (W_xh among them) with the shapes of one cell and
    its output layer: W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (V, H), b_y (V,). H and D come
    from W_xh; V is D when the inputs are indices (index_inputs: one-hot over the vocabulary the
    output predicts), else it comes from W_hy (or b_y). Returns (D, H, V), V None when neither
    output array is among keys."""
    missing = [k for k in keys if k not in p]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys {list(keys)}")
    if np.ndim(p["W_xh"]) != 2:
        raise ValueError(f"params['W_xh'] has shape {np.shape(p['W_xh'])}, expected (H, D)")
    H, D = np.shape(p["W_xh"])
    if index_inputs:
        V, origin = D, f"H={H}, V={D} from W_xh"
    else:
        out = next((k for k in OUTPUT_NAMES if k in keys and np.ndim(p[k]) >= 1), None)
        V = None if out is None else np.shape(p[out])[0]
        origin = f"H={H} from W_xh" + ("" if out is None else f", V={V} from {out}")
    expected = {"W_xh": (H, D), "W_hh": (H, H), "W_hy": (V, H), "b_h": (H,), "b_y": (V,)}
    for k in keys:
        if np.shape(p[k]) != expected[k]:
            raise ValueError(
                f"params[{k!r}] has shape {np.shape(p[k])}, expected {expected[k]} ({origin})"
            )
    return D, H, V


def params(p, keys=PARAM_NAMES):
    """Check the parameters of a net reading character indices (W_xh (H, V)); return (V, H)."""
    V, H, _ = param_shapes(p, keys, index_inputs=True)
    return V, H


def hidden(name, h, H, batch=None):
    """Check a hidden state: (H,) for one sequence or (B, H) for a batch of B."""
    h = np.asarray(h, dtype=np.float64)
    want = (H,) if batch is None else (batch, H)
    if h.shape != want:
        raise ValueError(f"{name} has shape {h.shape}, expected {want}")
    return h
