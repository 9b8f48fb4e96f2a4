"""What every check shares: the result it returns, running student code safely, comparing.

Student code runs under a time limit kept by a trace function (sys.settrace) in the caller's
thread: no threads and no signals, so it works the same in Jupyter on Linux, macOS and Windows
(where signal.alarm does not exist or only works in the main thread) and in the browser under
Pyodide (WebAssembly, where no thread can start). The tracer reads the clock at every call and
every line of Python the student's function runs and, once the limit has passed, raises an
exception there, which ends a pure-Python endless loop at its next line; a single long numpy call
cannot be interrupted, but on the checks' tiny inputs none takes long. CPython turns a tracer
off once it raises, so should the student's code catch that exception (a bare `except:`) and
go on, the exception turns the tracer back on when it is dropped. The tracer set before (a
debugger, coverage) is put back afterwards; meanwhile it does not see the student's code.
"""

import sys
import time
from typing import NamedTuple

import numpy as np

from ..gradcheck import rel_error

TIMEOUT = 2.0  # seconds a single call of student code may take on the checks' tiny inputs
RTOL = 1e-7  # a quantity agrees with the reference when its relative error is at most this


class Fail(Exception):
    """Raised inside a check: the student's function failed; the message says how, and `cause`
    is the id of the catalogued mistake it names (rnnlib.exercises.catalogue), or None."""

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.cause = cause


class Mistake(NamedTuple):
    """One typical mistake a check can name: its id, the exercise (1-5) and the cause as the
    student reads it (a clause that completes "...: "). Checks and their tests share these."""

    id: str
    exercise: int
    cause: str

    def fail(self, text):
        """A Fail naming this mistake: `text`, then the cause as the student reads it."""
        return Fail(f"{text}: {self.cause}.", self.id)


def catalogue(exercise, **causes):
    """The Mistakes of one exercise, keyed by id: catalogue(3, no_tanh="the tanh is ...")."""
    return {k: Mistake(k, exercise, text) for k, text in causes.items()}


class NotYet(Exception):
    """Raised inside a check: the student's function still raises NotImplementedError."""


class _Stop(BaseException):
    """Raised by a _Deadline's tracer in student code whose time ran out (args: the deadline).

    A BaseException, so `except Exception` in student code lets it through. Dropped while its
    deadline is still on (the student's code caught it and goes on), it turns the tracer back on
    in the frame that dropped it and in the frames between that one and limited's.
    """

    def __del__(self):
        deadline = self.args[0]
        if deadline.on:
            deadline.arm(sys._getframe(1))


class Result:
    """What a check returns: `passed` (bool) and `message` (str), shown as one readable block;
    `cause` is the id of the catalogued mistake the message names, else None."""

    def __init__(self, name, passed, message, cause=None):
        self.name, self.passed, self.message = name, bool(passed), str(message)
        self.cause = cause

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
        return Result(name, False, str(fail), fail.cause)
    except Exception as e:  # the check met something it does not understand
        return Result(name, False, f"the check could not use what {name} returned: {describe(e)}")
    return Result(name, True, message)


def describe(e):
    """An exception as 'TypeError: text'."""
    text = str(e)
    return type(e).__name__ + (f": {text}" if text else "")


class _Deadline:
    """The time limit of one limited() call: its tracer raises _Stop once the clock passes
    `end`, in every frame started below `top` (the frame of limited) while `on`."""

    def __init__(self, timeout, top):
        self.end, self.top, self.on = time.monotonic() + timeout, top, True

    def trace(self, frame, event, arg):
        if not self.on:
            return None
        if time.monotonic() > self.end:
            raise _Stop(self)
        return self.trace  # trace this frame's lines too: an endless loop is stopped in it

    def arm(self, frame):
        """Turn the tracer on again, for new frames and for `frame` and its callers up to top."""
        sys.settrace(self.trace)
        while frame is not None and frame is not self.top:
            frame.f_trace = self.trace
            frame = frame.f_back


def limited(thunk, timeout=None):
    """Call thunk() under a time limit; return its value, re-raise its exception, or raise
    TimeoutError once it has run for `timeout` seconds (None: TIMEOUT)."""
    timeout = TIMEOUT if timeout is None else timeout
    deadline = _Deadline(timeout, sys._getframe())
    previous = sys.gettrace()
    sys.settrace(deadline.trace)
    try:
        return thunk()
    except _Stop as stop:
        if stop.args[0] is not deadline:  # an enclosing limited call's deadline
            raise
        deadline.on = False  # before `stop` is dropped: no tracer is turned back on
        raise TimeoutError(f"it did not return within {timeout:g} s") from None
    finally:
        deadline.on = False
        sys.settrace(previous)


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


def pair(got, want, least=4):
    """got and want as text with the fewest significant digits (at least `least`) that tell
    them apart: a message that says two numbers differ shows two different numbers."""
    got, want = float(got), float(want)
    for n in range(least, 18):
        a, b = f"{got:.{n}g}", f"{want:.{n}g}"
        if a != b:
            break
    return a, b


def off(what, got, want, case, how=None):
    """The message for a quantity that is off: how (a pattern, else the relative error), and
    the largest difference with enough digits to show it."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    err = rel_error(got, want)
    diff = np.abs(got - want)
    where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    at = f" at index {tuple(int(i) for i in where)}" if where else ""
    g, w = pair(got[where], want[where])
    how = how or pattern(got, want)
    how = f": {how}" if how else ""
    return (
        f"{what} is off{' ' if case else ''}{case}{how}; relative error {err:.2g}, largest "
        f"difference {float(diff.max()):.2g}{at} (got {g}, expected {w})."
    )


def close(a, b, rtol=RTOL):
    """Whether two arrays (or numbers) agree to relative error rtol (equal shapes required)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and rel_error(a, b) <= rtol


def snapshot(*arrays):
    """Copies of the arrays a student's function receives, to detect changes in place."""
    return [np.array(a, copy=True) for a in arrays]


IN_PLACE = "a function must not modify its arguments (the caller still needs them)"


def unchanged(name, labels, arrays, copies, case, cause=None):
    """Fail if the student's function changed one of its inputs in place (naming the
    catalogued mistake `cause`, whose text is IN_PLACE, when given)."""
    for label, a, c in zip(labels, arrays, copies, strict=True):
        if not np.array_equal(np.asarray(a), c):
            raise Fail(
                f"{name} changed its input {label} in place {case}: {IN_PLACE}; compute into "
                "new arrays, e.g. a = a * b rather than a *= b.",
                cause,
            )


def shapes(**arrays):
    """A case described by its shapes: 'for x (3,), h_prev (4,)'."""
    return "for " + ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())


LOW_RTOL = 1e-4  # agreement expected of a result computed in float32 (about 7 digits, summed)


def low_precision(value):
    """Whether a student's numbers (a number, an array, or a tuple, list or dict of them) were
    computed in float16/float32: a dtype says so, or every non-integer entry (at least two) is
    exactly a float32 number (as after .astype(np.float64)), which float64 arithmetic
    practically never gives."""
    parts = _leaves(value)
    if any(getattr(v, "dtype", None) in (np.float16, np.float32) for v in parts):
        return True
    flat = []
    for v in parts:
        try:
            flat.append(np.asarray(v, dtype=np.float64).reshape(-1))
        except (TypeError, ValueError):
            continue
    arr = np.concatenate(flat) if flat else np.zeros(0)
    arr = arr[np.isfinite(arr) & (arr != np.round(arr))]  # integers are float32 numbers too
    return arr.size >= 2 and bool(np.all(arr.astype(np.float32).astype(np.float64) == arr))


def _leaves(value):
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _leaves(v)]
    return [value]


def scale(got, want):
    """The c with got = c * want to a relative error of RTOL, else None."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    den = float(np.sum(want * want))
    if den == 0.0:
        return None
    c = float(np.sum(got * want)) / den
    return c if close(got, c * want) else None


def fraction(c):
    """c as text, written 1/n when it is one over a whole number."""
    if c != 0 and abs(1 / c - round(1 / c)) < 1e-9 and abs(round(1 / c)) > 1:
        return f"1/{round(1 / c)}"
    return f"{c:.6g}"


def pattern(got, want):
    """How got differs from want, when it is a simple pattern: zeros, scaled, transposed,
    clipped, off in some rows only; None otherwise."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape or not np.any(want):
        return None
    if not np.any(got):
        return "it is all zeros"
    c = scale(got, want)
    if c is not None and fraction(c) != "1":
        return f"it is {fraction(c)} times the expected value"
    if want.ndim == 2 and want.shape[0] == want.shape[1] and close(got, want.T):
        return "it is the transpose of the expected value"
    top = float(np.max(np.abs(got)))
    if np.max(np.abs(want)) > top * (1 + 1e-6) and close(got, np.clip(want, -top, top)):
        return f"it is the expected value clipped to [-{top:g}, {top:g}]"
    if want.ndim == 2 and want.shape[0] > 1:
        rows = [i for i in range(len(want)) if not close(got[i], want[i])]
        if len(rows) < len(want):
            listed = ", ".join(map(str, rows))
            return f"only rows {listed} differ" if len(rows) > 1 else f"only row {listed} differs"
    return None
