"""Simulate another machine's math library: numpy's exp, log, tanh, ... answer a few ulp off.

Put this folder on PYTHONPATH and set RNNLIB_ULP_NOISE to a seed (a small int). Every Python
process started with that environment (pytest, and the kernels nbval starts) then replaces
numpy's float64 transcendental ufuncs by wrappers that move each result by up to MAX_ULP units in
the last place, as another SIMD implementation of those functions may (numpy's AVX-512 code,
Apple's Accelerate, an older numpy). The offset is a hash of the input's bits and the seed, so
the same input always gives the same output, as in a real library; exact results (0, +-1, inf,
nan) stay exact. Without RNNLIB_ULP_NOISE nothing is changed. Used by scripts/machine_matrix.py.
"""

import os

MAX_ULP = 4  # what vectorised libraries promise for these functions (SVML: up to 4 ulp)
FUNCTIONS = ("exp", "expm1", "log", "log1p", "tanh", "arctanh")


def _install(seed):
    import numpy as np

    mix = np.uint64((0x9E3779B97F4A7C15 * (seed + 1)) % 2**64)  # seed -> a 64-bit odd-ish key

    def offsets(x):
        """Deterministic ulp offsets in [-MAX_ULP, MAX_ULP] from the input's bits."""
        bits = np.array(x, dtype=np.float64, order="C").view(np.uint64)
        with np.errstate(over="ignore"):
            h = (bits ^ mix) * np.uint64(0xBF58476D1CE4E5B9)  # one round of a 64-bit mixer
        h ^= h >> np.uint64(31)
        span = np.uint64(2 * MAX_ULP + 1)
        return (h % span).astype(np.int64) - MAX_ULP

    def wrap(ufunc):
        def noisy(x, *args, **kwargs):
            if args or np.asarray(x).dtype.kind not in "fiub":
                return ufunc(x, *args, **kwargs)
            k = offsets(x)  # before the call: out= may overwrite x
            result = ufunc(x, *args, **kwargs)
            arr = np.asarray(result)
            if arr.dtype != np.float64:
                return result
            shift = np.broadcast_to(k, arr.shape) * np.spacing(arr)  # k ulp of each result
            shift = np.array(shift)  # writable, also for one number
            exact = ~np.isfinite(arr) | (arr == 0.0) | (np.abs(arr) == 1.0)
            shift[exact] = 0.0
            if isinstance(result, np.ndarray):
                result += shift  # in place, so out= keeps working
                return result
            return np.float64(arr + shift)

        noisy.__name__ = noisy.__qualname__ = ufunc.__name__
        noisy.__doc__ = ufunc.__doc__
        return noisy

    for name in FUNCTIONS:
        setattr(np, name, wrap(getattr(np, name)))


if os.environ.get("RNNLIB_ULP_NOISE"):
    _install(int(os.environ["RNNLIB_ULP_NOISE"]))
