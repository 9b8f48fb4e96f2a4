"""Exercises 1 and 2: every correct implementation passes, every catalogued bug gets its hint."""

import pytest
from solutions import step as S

from rnnlib.exercises import check_step_backward, check_step_forward


@pytest.mark.parametrize("fn", S.CORRECT_FORWARD, ids=lambda f: f.__name__)
def test_correct_forward_passes(fn):
    result = check_step_forward(fn)
    assert result.passed, result.message
    assert "all 7 cases" in result.message


@pytest.mark.parametrize("pair", S.CORRECT_PAIRS, ids=lambda p: p[1].__name__)
def test_correct_backward_passes_with_its_own_forward(pair):
    result = check_step_backward(*pair)
    assert result.passed, result.message


@pytest.mark.parametrize("bug", S.FORWARD_BUGS, ids=lambda b: b[0].__name__)
def test_forward_bug_is_rejected_with_its_hint(bug):
    fn, hint = bug
    result = check_step_forward(fn)
    assert not result.passed
    assert hint in result.message, result.message


@pytest.mark.parametrize("bug", S.BACKWARD_BUGS, ids=lambda b: b[0].__name__)
def test_backward_bug_is_rejected_with_its_hint(bug):
    fn, hint = bug
    result = check_step_backward(S.rnn_step_forward, fn)
    assert not result.passed
    assert hint in result.message, result.message


def test_hints_are_distinct():
    hints = [h for _, h in S.FORWARD_BUGS] + [h for _, h in S.BACKWARD_BUGS]
    assert len(set(hints)) == len(hints)


def test_backward_asks_to_fix_the_forward_first():
    result = check_step_backward(S.fw_no_tanh, S.rnn_step_backward)
    assert not result.passed
    assert result.message.startswith("Fix rnn_step_forward first")
    assert "the tanh is missing" in result.message


def test_a_bug_outside_the_catalogue_is_measured_on_the_smallest_case():
    def doubled_db(dh, cache):
        dx, dh_prev, dW_xh, dW_hh, db_h = S.rnn_step_backward(dh, cache)
        return dx, dh_prev, dW_xh, dW_hh, 2 * db_h

    result = check_step_backward(S.rnn_step_forward, doubled_db)
    assert not result.passed
    assert result.message.startswith("db_h is off for x (2,), h_prev (2,)")
    assert "relative error 0.33" in result.message  # |2g - g| / (|2g| + |g|) = 1/3
    assert "The other four gradients are right." in result.message


def test_a_forward_bug_outside_the_catalogue_is_measured():
    def leaky(x, h_prev, W_xh, W_hh, b_h):
        h, cache = S.rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)
        return h + 0.5 * h_prev, cache

    result = check_step_forward(leaky)
    assert not result.passed
    assert result.message.startswith("h is off for x (2,), h_prev (2,) (D = 2, H = 2")
