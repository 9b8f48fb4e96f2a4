"""Exercise 3: every correct BPTT passes, every buggy one is rejected with the catalogued cause
of its mistake (by id), the issue's examples among them, and a mistake outside the catalogue
is described (which outputs, which cases) without naming a cause."""

import re

import numpy as np
import pytest
from solutions import sequence as S

from rnnlib.exercises import check_loss_and_grads, sequence
from rnnlib.exercises._core import RTOL, close
from rnnlib.exercises.catalogue import CATALOGUE
from rnnlib.exercises.sequence import MISTAKES, bptt, cases, outputs


def named(result, key):
    return not result.passed and result.cause == key and CATALOGUE[key].cause in result.message


def pairs_differ(message):
    found = re.findall(r"got ([-\d.e+]+), expected ([-\d.e+]+)", message)
    return all(a != b for a, b in found)


@pytest.mark.parametrize("fn", S.CORRECT, ids=lambda f: f.__name__)
def test_correct_implementations_pass(fn):
    result = check_loss_and_grads(fn)
    assert result.passed and result.cause is None, result.message
    assert "all 6 cases" in result.message


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("bug", S.BUGS, ids=lambda b: b[0].__name__)
def test_bug_is_rejected_with_its_cause(bug):
    fn, key = bug
    result = check_loss_and_grads(fn)
    assert named(result, key), result.message
    assert pairs_differ(result.message), result.message


def test_every_catalogued_mistake_has_a_student_bug():
    assert set(MISTAKES) == {k for _, k in S.BUGS}
    assert all(m.exercise == 3 and CATALOGUE[k] == m for k, m in MISTAKES.items())


def test_the_catalogue_loop_without_a_bug_is_rnnlib():
    from rnnlib import loss_and_grads

    for _, args, _ in cases():
        loss, grads, h = bptt(*args)
        want = loss_and_grads(*args)
        assert abs(loss - want[0]) <= 1e-12 * abs(want[0])
        assert all(np.allclose(grads[k], want[1][k], rtol=1e-10, atol=1e-12) for k in grads)
        assert np.allclose(h, want[2], rtol=0, atol=1e-14)


def test_a_list_wrapping_at_t_0_is_not_taken_for_dW_hh_using_h_t():
    """The issue's example: at T = 1 the two mistakes give the same dW_hh, so the check must
    tell them apart on the longer cases."""
    (_, first, _), (_, second, _) = cases()[:2]
    assert len(first[1]) == 1 and len(second[1]) == 2
    wrap, h_t = (outputs(*bptt(*first, bug=b)) for b in ("hs_wrap", "W_hh_with_h_t"))
    assert close(wrap["grads['W_hh']"], h_t["grads['W_hh']"], RTOL)
    wrap, h_t = (outputs(*bptt(*second, bug=b)) for b in ("hs_wrap", "W_hh_with_h_t"))
    assert not close(wrap["grads['W_hh']"], h_t["grads['W_hh']"], RTOL)
    result = check_loss_and_grads(S.bptt_list_wraps)
    assert named(result, "hs_wrap")
    assert MISTAKES["W_hh_with_h_t"].cause not in result.message


def test_min_char_rnns_clipping_is_named():
    result = check_loss_and_grads(S.BUGS[[k for _, k in S.BUGS].index("clipped")][0])
    assert named(result, "clipped") and "got 5, expected 7.327" in result.message


def test_the_hello_case_has_gradients_above_min_char_rnns_clip():
    from rnnlib import loss_and_grads

    _, args, _ = cases()[2]
    assert max(float(np.max(np.abs(g))) for g in loss_and_grads(*args)[1].values()) > 5


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_float32_is_named_with_digits_that_differ():
    result = check_loss_and_grads(S.bptt_float32)
    assert named(result, "bptt_float32")
    g, w = re.search(r"got ([-\d.e+]+), expected ([-\d.e+]+)", result.message).groups()
    assert g != w and len(g) >= 6


def test_two_mistakes_are_both_named():
    result = check_loss_and_grads(S.bptt_two_mistakes)
    assert named(result, "W_hh_with_h_t")
    assert MISTAKES["mean_loss"].cause in result.message


def test_the_large_case_overflows_a_naive_softmax():
    *_, (_, (params, inputs, _, h_prev), large) = cases()
    assert large
    with np.errstate(over="ignore"):
        h = np.tanh(params["W_xh"][:, inputs[0]] + params["W_hh"] @ h_prev + params["b_h"])
        assert np.isinf(np.exp(params["W_hy"] @ h + params["b_y"])).all()


def scaled_b_y(params, inputs, targets, h_prev):
    loss, grads, h = S.loss_and_grads(params, inputs, targets, h_prev)
    return loss, {**grads, "b_y": 3 * grads["b_y"]}, h


def W_xh_off_beyond_one_step(params, inputs, targets, h_prev):
    loss, grads, h = S.loss_and_grads(params, inputs, targets, h_prev)
    if len(inputs) > 1:
        grads = {**grads, "W_xh": grads["W_xh"] * 1.01}
    return loss, grads, h


def test_a_bug_outside_the_catalogue_is_described_without_a_cause():
    result = check_loss_and_grads(scaled_b_y)
    assert not result.passed and result.cause is None
    assert result.message.startswith("grads['b_y'] is wrong for T = 1, V = 3, H = 2")
    assert "it is 3 times the expected value" in result.message
    assert "relative error 0.5," in result.message  # |3g - g| / (|3g| + |g|) = 1/2
    assert "the forward pass is; the error is in the backward pass" in result.message
    result = check_loss_and_grads(W_xh_off_beyond_one_step)
    assert result.cause is None and "right for T = 1 and wrong for longer" in result.message
    assert "how grads['W_xh'] adds up the steps' contributions" in result.message
    assert "dh_next" not in result.message  # b_h is right: what one step passes back is
    assert not any(m.cause in result.message for m in MISTAKES.values())


def test_the_contract_is_unclipped_and_rnnlib_says_so():
    assert "No clipping." in sequence.rnnlib_loss_and_grads.__doc__
