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


def indices(name, value, vocab_size):
    """Return `value` as an array of indices in [0, vocab_size), or raise.

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
        raise ValueError(
            f"{name} holds index {int(first)}, outside the vocabulary [0, {vocab_size - 1}]"
        )
    return arr.astype(np.intp, copy=False)


def params(p, keys=("W_xh", "W_hh", "W_hy", "b_h", "b_y")):
    """Check that `p` holds the parameter arrays with consistent shapes; return (V, H)."""
    missing = [k for k in keys if k not in p]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys {list(keys)}")
    H, V = np.shape(p["W_xh"])
    expected = {"W_xh": (H, V), "W_hh": (H, H), "W_hy": (V, H), "b_h": (H,), "b_y": (V,)}
    for k in keys:
        if np.shape(p[k]) != expected[k]:
            raise ValueError(
                f"params[{k!r}] has shape {np.shape(p[k])}, expected {expected[k]} "
                f"(H={H}, V={V} from W_xh)"
            )
    return V, H


def hidden(name, h, H, batch=None):
    """Check a hidden state: (H,) for one sequence or (B, H) for a batch of B."""
    h = np.asarray(h, dtype=np.float64)
    want = (H,) if batch is None else (batch, H)
    if h.shape != want:
        raise ValueError(f"{name} has shape {h.shape}, expected {want}")
    return h
