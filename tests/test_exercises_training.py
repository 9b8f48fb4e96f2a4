"""Exercise 5: every correct training loop passes, every catalogued bug gets its own hint."""

import numpy as np
import pytest
from solutions import training as S

from rnnlib.bptt import chunked_loss_and_grads
from rnnlib.exercises import check_training
from rnnlib.exercises import training as T


@pytest.mark.parametrize("fn", S.CORRECT, ids=lambda f: f.__name__)
def test_correct_loops_pass(fn):
    result = check_training(fn)
    assert result.passed, result.message
    assert "below the target 0.05" in result.message


@pytest.mark.parametrize("bug", S.BUGS, ids=lambda b: b[2])
def test_bug_is_rejected_with_its_hint(bug):
    fn, hint, _ = bug
    result = check_training(fn)
    assert not result.passed
    assert hint in result.message, result.message


def test_every_catalogued_mistake_has_a_student_bug():
    assert set(T.MISTAKES) <= set(S.BUG_HINTS)
    assert len(set(S.BUG_HINTS.values())) == len(S.BUG_HINTS)


def test_the_reference_is_chunked_loss_and_grads_plus_sgd():
    X, Y, params = T.hello_setup()
    got, losses = T.reference(params, X, Y, T.K, T.LR, 3)
    p = {n: w.copy() for n, w in params.items()}
    for i in range(3):
        loss, grads, _ = chunked_loss_and_grads(p, X, Y, np.zeros(3), T.K)
        assert loss == losses[i]
        p = {n: p[n] - T.LR * grads[n] for n in p}
    assert all(np.array_equal(got[n], p[n]) for n in p)


def test_the_target_loss_is_reached_with_a_margin():
    """The reference reaches 0.014 after 200 passes: the target 0.05 leaves a factor 3."""
    X, Y, params = T.hello_setup()
    trained, losses = T.reference(params, X, Y, T.K, T.LR, T.N_ITERS)
    final = T.final_loss(trained)
    assert (T.K, T.LR, T.N_ITERS, T.TARGET_LOSS) == (2, 0.3, 200, 0.05)
    assert round(final, 3) == 0.014
    assert final < T.TARGET_LOSS / 3
    assert losses[0] > 5.5  # from about the uniform loss 4 ln 4 = 5.55


def test_a_loop_outside_the_catalogue_gets_the_quantity_that_is_off():
    def smaller_step(loss_and_grads, params, inputs, targets, k, lr, n_iters):
        return S.train_chunked(loss_and_grads, params, inputs, targets, k, 0.7 * lr, n_iters)

    result = check_training(smaller_step)
    assert not result.passed
    assert result.message.startswith('the losses are off on "hell" -> "ello" with k = 2')
