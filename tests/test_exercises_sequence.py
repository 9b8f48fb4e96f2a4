"""Exercise 3: every correct BPTT passes, every catalogued bug gets its own hint."""

import numpy as np
import pytest
from solutions import sequence as S

from rnnlib.exercises import check_loss_and_grads
from rnnlib.exercises.sequence import BUGS, bptt, cases


@pytest.mark.parametrize("fn", S.CORRECT, ids=lambda f: f.__name__)
def test_correct_implementations_pass(fn):
    result = check_loss_and_grads(fn)
    assert result.passed, result.message
    assert "all 6 cases" in result.message


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("bug", S.BUGS, ids=lambda b: b[2])
def test_bug_is_rejected_with_its_hint(bug):
    fn, hint, _ = bug
    result = check_loss_and_grads(fn)
    assert not result.passed
    assert hint in result.message, result.message


def test_every_catalogued_mistake_has_a_student_bug():
    assert set(BUGS) <= {m for _, _, m in S.BUGS}
    assert len(set(S.BUG_HINTS.values())) == len(S.BUG_HINTS)


def test_the_catalogue_loop_without_a_bug_is_rnnlib():
    from rnnlib import loss_and_grads

    for _, args, _ in cases():
        loss, grads, h = bptt(*args)
        want = loss_and_grads(*args)
        assert abs(loss - want[0]) <= 1e-12 * abs(want[0])
        assert all(np.allclose(grads[k], want[1][k], rtol=1e-10, atol=1e-12) for k in grads)
        assert np.allclose(h, want[2], rtol=0, atol=1e-14)


def test_the_large_case_overflows_a_naive_softmax():
    *_, (_, (params, inputs, _, h_prev), large) = cases()
    assert large
    with np.errstate(over="ignore"):
        h = np.tanh(params["W_xh"][:, inputs[0]] + params["W_hh"] @ h_prev + params["b_h"])
        assert np.isinf(np.exp(params["W_hy"] @ h + params["b_y"])).all()


def test_a_bug_outside_the_catalogue_is_measured_on_the_smallest_case():
    def scaled_b_y(params, inputs, targets, h_prev):
        loss, grads, h = S.loss_and_grads(params, inputs, targets, h_prev)
        return loss, {**grads, "b_y": 3 * grads["b_y"]}, h

    result = check_loss_and_grads(scaled_b_y)
    assert not result.passed
    assert result.message.startswith("grads['b_y'] is off for T = 1, V = 3, H = 2: relative")
    assert "relative error 0.5;" in result.message  # |3g - g| / (|3g| + |g|) = 1/2
