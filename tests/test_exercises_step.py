"""Exercises 1 and 2: every correct implementation passes, every buggy one is rejected with the
catalogued cause of its mistake (by id, from the one catalogue the checks and tests share),
messages print numbers that differ, and a mistake outside the catalogue is described without
naming a cause."""

import re

import numpy as np
import pytest
from solutions import step as S

from rnnlib.exercises import check_step_backward, check_step_forward, step
from rnnlib.exercises._core import RTOL, close, pattern
from rnnlib.exercises.catalogue import CATALOGUE


def named(result, key):
    """Whether the result names the catalogued mistake `key` (by id and by its text)."""
    return not result.passed and result.cause == key and CATALOGUE[key].cause in result.message


def pairs_differ(message):
    """Every 'got A, expected B' in a message shows two different numbers."""
    found = re.findall(r"got ([-\d.e+]+), expected ([-\d.e+]+)", message)
    return all(a != b for a, b in found)


@pytest.mark.parametrize("fn", S.CORRECT_FORWARD, ids=lambda f: f.__name__)
def test_correct_forward_passes(fn):
    result = check_step_forward(fn)
    assert result.passed and result.cause is None, result.message
    assert "all 7 cases" in result.message


@pytest.mark.parametrize("pair", S.CORRECT_PAIRS, ids=lambda p: p[1].__name__)
def test_correct_backward_passes_with_its_own_forward(pair):
    result = check_step_backward(*pair)
    assert result.passed and result.cause is None, result.message


@pytest.mark.parametrize("bug", S.FORWARD_BUGS, ids=lambda b: b[0].__name__)
def test_forward_bug_is_rejected_with_its_cause(bug):
    fn, key = bug
    result = check_step_forward(fn)
    assert named(result, key), result.message
    assert pairs_differ(result.message), result.message


@pytest.mark.parametrize("bug", S.BACKWARD_BUGS, ids=lambda b: b[0].__name__)
def test_backward_bug_is_rejected_with_its_cause(bug):
    fn, key = bug
    result = check_step_backward(S.rnn_step_forward, fn)
    assert named(result, key), result.message
    assert pairs_differ(result.message), result.message


@pytest.mark.parametrize("bug", S.BACKWARD_PAIR_BUGS, ids=lambda b: b[0][1].__name__)
def test_backward_bug_with_its_own_forward_is_rejected_with_its_cause(bug):
    (forward, backward), key = bug
    assert check_step_forward(forward).passed
    result = check_step_backward(forward, backward)
    assert named(result, key), result.message
    assert pairs_differ(result.message), result.message


def test_every_catalogued_mistake_has_a_student_bug():
    tags = {k for _, k in S.FORWARD_BUGS + S.BACKWARD_BUGS + S.BACKWARD_PAIR_BUGS}
    assert set(step.MISTAKES) == tags
    assert {m.exercise for m in step.MISTAKES.values()} == {1, 2}
    assert all(CATALOGUE[k] == m for k, m in step.MISTAKES.items())


def test_backward_asks_to_fix_the_forward_first():
    result = check_step_backward(S.fw_no_tanh, S.rnn_step_backward)
    assert result.message.startswith("Fix rnn_step_forward first")
    assert named(result, "fw_no_tanh")


def test_two_mistakes_are_both_named():
    result = check_step_backward(S.rnn_step_forward, S.bw_two_mistakes)
    assert named(result, "bw_W_xh_not_transposed")
    assert CATALOGUE["bw_dW_hh_transposed"].cause in result.message
    assert "Right: dh_prev, dW_xh, db_h." in result.message


def test_float32_is_rejected_even_within_the_tolerance():
    """The policy, the same in exercises 1-3: results must be float64. fw_float32's h agrees
    with float64 to the check's relative error of 1e-7 on the first case, and is rejected."""
    label, inputs = step.cases()[0]
    h32 = S.fw_float32(*inputs)[0]
    want = S.rnn_step_forward(*inputs)[0]
    assert h32.dtype == np.float32 and close(h32, want, RTOL)
    result = check_step_forward(S.fw_float32)
    assert named(result, "fw_float32")
    assert "got 0.95783168, expected 0.95783172" in result.message


def doubled_db(dh, cache):
    dx, dh_prev, dW_xh, dW_hh, db_h = S.rnn_step_backward(dh, cache)
    return dx, dh_prev, dW_xh, dW_hh, 2 * db_h


def dW_hh_nudged(dh, cache):
    dx, dh_prev, dW_xh, dW_hh, db_h = S.rnn_step_backward(dh, cache)
    return dx, dh_prev, dW_xh, dW_hh + 1e-4, db_h


def leaky(x, h_prev, W_xh, W_hh, b_h):
    h, cache = S.rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)
    return h + 0.5 * h_prev, cache


def test_a_bug_outside_the_catalogue_is_described_without_a_cause():
    result = check_step_backward(S.rnn_step_forward, doubled_db)
    assert not result.passed and result.cause is None
    assert result.message.startswith("db_h is wrong for x (2,), h_prev (2,)")
    assert "it is 2 times the expected value" in result.message
    assert "relative error 0.33" in result.message  # |2g - g| / (|2g| + |g|) = 1/3
    assert "Right: dx, dh_prev, dW_xh, dW_hh." in result.message
    result = check_step_backward(S.rnn_step_forward, dW_hh_nudged)
    assert result.cause is None and "Right: dx, dh_prev, dW_xh, db_h." in result.message
    assert pairs_differ(result.message)


def test_a_forward_bug_outside_the_catalogue_is_measured():
    result = check_step_forward(leaky)
    assert not result.passed and result.cause is None
    assert result.message.startswith("h is wrong for x (2,), h_prev (2,) (D = 2, H = 2")
    assert not any(m.cause in result.message for m in step.MISTAKES.values())


def test_a_pattern_is_named_only_when_it_is_there():
    assert pattern(np.array([2.0, 4.0]), np.array([1.0, 2.0])) == (
        "it is 2 times the expected value"
    )
    assert pattern(np.array([0.25, 0.5]), np.array([1.0, 2.0])) == (
        "it is 1/4 times the expected value"
    )
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert pattern(m.T, m) == "it is the transpose of the expected value"
    assert pattern(np.array([[1.0, 2.0], [3.0, 5.0]]), m) == "only row 1 differs"
    assert pattern(np.array([1.0, 2.5]), np.array([1.0, 2.0])) is None


def one_d_only_no_bias(x, h_prev, W_xh, W_hh, b_h):
    """1-D code only (np.dot of a matrix with a 1-D vector; a batch raises) and no bias."""
    if x.ndim != 1:
        raise ValueError("shapes not aligned")
    h = np.tanh(np.dot(W_xh, x) + np.dot(W_hh, h_prev))
    return h, (x, h_prev, W_xh, W_hh, h)


def test_a_sim_that_cannot_run_where_the_student_did_is_not_the_cause():
    """W_xh.reshape(D, H) equals W_xh used transposed where D = H; the transposed simulation
    cannot run where D != H, the student's code did: it is not named there. Conversely a student
    who crashes where D != H is told W_xh is transposed (the reshape simulation would have run);
    a crash of the student's own (1-D code on a batch) does not hide a slip that alone fits."""
    result = check_step_forward(S.fw_reshape_for_transpose)
    assert named(result, "fw_W_xh_reshaped")
    assert CATALOGUE["fw_W_xh_transposed"].cause not in result.message
    assert named(check_step_forward(S.fw_W_xh_transposed), "fw_W_xh_transposed")
    assert named(check_step_forward(one_d_only_no_bias), "fw_no_bias")
