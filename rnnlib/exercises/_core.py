"""What every check shares: the result it returns, running student code safely, comparing.

Student code runs in a worker thread with a time limit (portable: threads behave the same in
Jupyter on Linux, macOS and Windows, where signal.alarm does not exist or only works in the main
thread). When the limit passes, the check stops waiting and asks the thread to stop by raising an
exception in it (CPython's PyThreadState_SetAsyncExc), which ends a pure-Python endless loop at
its next bytecode; a single long numpy call cannot be interrupted, but on the checks' tiny inputs
none takes long.
"""

import ctypes
import threading

import numpy as np

from ..gradcheck import rel_error

TIMEOUT = 2.0  # seconds a single call of student code may take on the checks' tiny inputs
RTOL = 1e-7  # a quantity agrees with the reference when its relative error is at most this


class Fail(Exception):
    """Raised inside a check: the student's function failed; the message says how."""


class NotYet(Exception):
    """Raised inside a check: the student's function still raises NotImplementedError."""


class _Stop(BaseException):
    """Raised asynchronously in a worker thread whose time ran out."""


class Result:
    """What a check returns: `passed` (bool) and `message` (str), shown as one readable block."""

    def __init__(self, name, passed, message):
        self.name, self.passed, self.message = name, bool(passed), str(message)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        head = "passed" if self.passed else "not passed yet"
        return f"{self.name}: {head}\n{self.message}"

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))


def not_implemented(name, missing=None):
    """The friendly message shown while a skeleton (`missing`, default `name`) still raises
    NotImplementedError."""
    if missing in (None, name):
        text = (
            f"Not implemented yet: write the body of {name} in the cell above (replace the line "
            "`raise NotImplementedError`), run that cell, then run this one again."
        )
    else:
        text = (
            f"Not implemented yet: {name} is checked with your {missing}, which still raises "
            f"NotImplementedError. Write {missing} first, run its cell, then this one."
        )
    return Result(name, False, text)


def run_check(name, body):
    """Run a check's body; turn its outcome (and anything unexpected) into a Result."""
    try:
        message = body()
    except NotYet as e:
        return not_implemented(name, e.args[0] if e.args else None)
    except Fail as fail:
        return Result(name, False, str(fail))
    except Exception as e:  # the check met something it does not understand
        return Result(name, False, f"the check could not use what {name} returned: {describe(e)}")
    return Result(name, True, message)


def describe(e):
    """An exception as 'TypeError: text'."""
    text = str(e)
    return type(e).__name__ + (f": {text}" if text else "")


def _interrupt(thread):
    """Ask `thread` to stop by raising _Stop in it (CPython); harmless if not possible."""
    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(_Stop)
        )
    except (AttributeError, TypeError, ValueError):
        pass


def limited(thunk, timeout=None):
    """Call thunk() in a worker thread; return its value, re-raise its exception, or raise
    TimeoutError if it has not returned after `timeout` seconds (None: TIMEOUT)."""
    timeout = TIMEOUT if timeout is None else timeout
    box = {}

    def work():
        try:
            box["value"] = thunk()
        except _Stop:
            pass
        except BaseException as e:  # student code may raise anything, SystemExit included
            box["error"] = e

    thread = threading.Thread(target=work, daemon=True, name="rnnlib-exercise")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        _interrupt(thread)
        thread.join(0.1)
        raise TimeoutError(f"it did not return within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def call(fn, name, args, kwargs=None, *, case="", scale=1.0):
    """Call student fn(*args, **kwargs) safely: NotYet for NotImplementedError, Fail for any
    other exception or a timeout after scale * TIMEOUT seconds (naming the case), else the
    return value."""
    kwargs = kwargs or {}
    timeout = scale * TIMEOUT
    try:
        return limited(lambda: fn(*args, **kwargs), timeout)
    except (Fail, NotYet):  # from a check's own helper run through call
        raise
    except NotImplementedError:
        raise NotYet(name) from None
    except TimeoutError as e:
        raise Fail(f"{name} hangs {case}: {e}. Look for a loop that never ends.") from None
    except BaseException as e:
        raise Fail(f"{name} raised {describe(e)} {case}.{shape_hint(e)}") from None


def shape_hint(e):
    """A hint for the exceptions that usually mean a transposed weight."""
    text = str(e)
    if any(word in text for word in ("matmul", "aligned", "broadcast", "shapes")):
        return (
            " Shape errors usually mean a transposed weight: W_xh is (H, D), W_hh (H, H), "
            "W_hy (V, H); for row vectors (a batch) write x @ W_xh.T, for a column W_xh @ x."
        )
    return ""


def unpack(value, count, name, names):
    """A student's return value as a tuple of `count` items, or Fail saying what came back."""
    if not isinstance(value, (tuple, list)) or len(value) != count:
        got = "None" if value is None else type(value).__name__
        if isinstance(value, (tuple, list)):
            got = f"a {got} of {len(value)} items"
        raise Fail(f"{name} should return a tuple ({', '.join(names)}), got {got}.")
    return tuple(value)


def as_array(value, what, shape, case):
    """A student's array as float64 of the expected shape with finite entries, else Fail."""
    if value is None:
        raise Fail(f"{what} is None {case}; expected an array of shape {shape}.")
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise Fail(f"{what} is not an array of numbers {case} ({describe(e)}).") from None
    if arr.shape != tuple(shape):
        turned = arr.ndim == 2 and arr.shape == tuple(shape)[::-1]
        hint = " It is transposed." if turned else ""
        raise Fail(f"{what} has shape {arr.shape} {case}; expected {tuple(shape)}.{hint}")
    if not np.all(np.isfinite(arr)):
        raise Fail(f"{what} holds NaN or inf {case}.")
    return arr


def as_number(value, what, case):
    """A student's scalar as a float, else Fail."""
    if value is None:
        raise Fail(f"{what} is None {case}; it should be one number.")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.size != 1:
        raise Fail(f"{what} should be one number {case}, got {type(value).__name__}.")
    x = float(arr.reshape(-1)[0])
    if not np.isfinite(x):
        raise Fail(f"{what} is {x} {case}.")
    return x


def off(what, got, want, case):
    """The message for a quantity that is off: by how much, and where most."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    err = rel_error(got, want)
    diff = np.abs(got - want)
    where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    at = f" at index {tuple(int(i) for i in where)}" if where else ""
    return (
        f"{what} is off {case}: relative error {err:.2g}; largest difference "
        f"{float(diff.max()):.2g}{at} (got {float(got[where]):.4g}, expected "
        f"{float(want[where]):.4g})."
    )


def close(a, b, rtol=RTOL):
    """Whether two arrays (or numbers) agree to relative error rtol (equal shapes required)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and rel_error(a, b) <= rtol


def snapshot(*arrays):
    """Copies of the arrays a student's function receives, to detect changes in place."""
    return [np.array(a, copy=True) for a in arrays]


def unchanged(name, labels, arrays, copies, case):
    """Fail if the student's function changed one of its inputs in place."""
    for label, a, c in zip(labels, arrays, copies, strict=True):
        if not np.array_equal(np.asarray(a), c):
            raise Fail(
                f"{name} changed its input {label} in place {case}. A function must not modify "
                "its arguments (the caller still needs them): compute into new arrays, e.g. "
                "a = a * b rather than a *= b."
            )


def shapes(**arrays):
    """A case described by its shapes: 'for x (3,), h_prev (4,)'."""
    return "for " + ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
