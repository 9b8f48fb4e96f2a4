"""A check never raises on student code: exceptions, wrong shapes, None, NaN and hangs become
messages; a skeleton that still raises NotImplementedError gets the friendly message."""

import sys
import threading
import time

import numpy as np
import pytest
from solutions.hangs import hangs, swallows

from rnnlib import exercises
from rnnlib.exercises import _core


def raises(*args, **kwargs):
    raise ZeroDivisionError("student bug")


def not_yet(*args, **kwargs):
    raise NotImplementedError


def returns_none(*args, **kwargs):
    return None


def returns_nan(*args, **kwargs):
    return (np.full((7, 7), np.nan),) * 7


def returns_junk(*args, **kwargs):
    return ("junk", object(), [1, 2], None, {"a": 1}, 3, 4)


def exits(*args, **kwargs):
    raise SystemExit(1)


def step_forward(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


CHECKS = {
    "rnn_step_forward": exercises.check_step_forward,
    "rnn_step_backward": lambda fn: exercises.check_step_backward(step_forward, fn),
    "loss_and_grads": exercises.check_loss_and_grads,
    "sample": exercises.check_sample,
    "train_chunked": exercises.check_training,
}
STUDENTS = [raises, returns_none, returns_nan, returns_junk, exits]


@pytest.mark.parametrize("name", CHECKS)
@pytest.mark.parametrize("student", STUDENTS, ids=lambda f: f.__name__)
def test_a_check_turns_bad_student_code_into_a_message(name, student):
    result = CHECKS[name](student)
    assert result.passed is False
    assert isinstance(result.message, str) and result.message
    assert repr(result).startswith(f"{name}: not passed yet\n")


@pytest.mark.parametrize("name", CHECKS)
def test_a_skeleton_gets_the_friendly_message(name):
    result = CHECKS[name](not_yet)
    assert not result.passed
    assert repr(result) == (
        f"{name}: not passed yet\nNot implemented yet: write the body of {name} in the cell "
        "above (replace the line `raise NotImplementedError`), run that cell, then run this "
        "one again."
    )


def test_an_exception_is_named_with_the_case():
    result = exercises.check_step_forward(raises)
    assert result.message == (
        "rnn_step_forward raised ZeroDivisionError: student bug for x (2,), h_prev (2,) "
        "(D = 2, H = 2, one 1-D input)."
    )


@pytest.mark.parametrize("name", CHECKS)
def test_a_hang_is_stopped_after_the_time_limit(name, monkeypatch):
    monkeypatch.setattr(_core, "TIMEOUT", 0.3)
    start = time.perf_counter()
    result = CHECKS[name](hangs)
    assert time.perf_counter() - start < 3.0
    assert not result.passed and "hangs" in result.message
    assert "did not return within" in result.message


def test_a_hang_that_catches_everything_is_still_stopped(monkeypatch):
    monkeypatch.setattr(_core, "TIMEOUT", 0.3)
    start = time.perf_counter()
    result = exercises.check_step_forward(swallows)
    assert time.perf_counter() - start < 3.0
    assert "hangs" in result.message and "did not return within 0.3 s" in result.message


def test_the_time_limit_needs_no_thread(monkeypatch):
    """As under Pyodide (WebAssembly), where starting a thread raises."""

    def no_thread(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    monkeypatch.setattr(_core, "TIMEOUT", 0.3)
    assert exercises.check_step_forward(step_forward).passed
    assert "did not return within 0.3 s" in exercises.check_step_forward(hangs).message


def test_the_previous_tracer_is_put_back():
    """A debugger's or coverage's tracer is set again after a check, a timeout included."""
    seen = []

    def tracer(frame, event, arg):
        seen.append(event)

    before = sys.gettrace()
    sys.settrace(tracer)
    try:
        _core.limited(lambda: None)
        after_return = sys.gettrace()
        with pytest.raises(TimeoutError):
            _core.limited(hangs, 0.05)
        after_timeout = sys.gettrace()
    finally:
        sys.settrace(before)
    assert after_return is tracer and after_timeout is tracer
    assert "call" in seen  # it still traced the calls outside the time limit


def test_a_time_limit_inside_another_keeps_its_own():
    """The inner limit's timeout is the inner call's; the outer one goes on."""

    def inner():
        with pytest.raises(TimeoutError):
            _core.limited(hangs, 0.05)
        return "outer finished"

    assert _core.limited(inner, 5.0) == "outer finished"


def test_the_backward_check_names_a_missing_forward():
    result = exercises.check_step_backward(not_yet, not_yet)
    assert result.message == (
        "Not implemented yet: rnn_step_backward is checked with your rnn_step_forward, which "
        "still raises NotImplementedError. Write rnn_step_forward first, run its cell, then "
        "this one."
    )


NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


@pytest.mark.parametrize(
    ("check", "student", "says"),
    [
        (exercises.check_step_forward, lambda *a: (np.zeros(5), None), "h has shape (5,)"),
        (exercises.check_step_forward, lambda x, h, *a: (h * np.nan, None), "h holds NaN"),
        (
            exercises.check_loss_and_grads,
            lambda p, i, t, h: (1.0, {k: np.zeros(3) for k in NAMES}, h),
            "grads['W_xh'] has shape (3,)",
        ),
        (
            exercises.check_loss_and_grads,
            lambda p, i, t, h: (None, {}, h),
            "it should be one number",
        ),
        (exercises.check_sample, lambda p, h, s, n, **k: [0] * (n + 1), "returned 7 indices"),
        (exercises.check_sample, lambda p, h, s, n, **k: None, "should return a list of 6"),
        (exercises.check_training, lambda f, p, *a: (p, None), "losses should hold one loss"),
        (exercises.check_training, lambda f, p, *a: None, "should return a tuple (params, los"),
    ],
)
def test_wrong_shapes_and_nones_are_named(check, student, says):
    result = check(student)
    assert not result.passed and says in result.message, result.message
