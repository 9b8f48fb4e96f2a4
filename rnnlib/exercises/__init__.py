"""Exercises with automatic, specific feedback (notebooks/05_exercises.ipynb).

Each check takes the student's function, runs it on fixtures and random cases, compares with
rnnlib in float64 and returns a Result (`passed`, `message`). A wrong answer is compared with a
catalogue of typical mistakes and named when recognised; otherwise the message says which
quantity is off and by how much, on the smallest failing case. Student code never crashes a
check: an exception, a wrong shape, None, NaN or a hang (past a time limit) becomes a message.
"""

from ._core import TIMEOUT, Result
from .sampler import check_sample
from .sequence import check_loss_and_grads
from .step import check_step_backward, check_step_forward
from .training import TARGET_LOSS, check_training

__all__ = [
    "TARGET_LOSS",
    "TIMEOUT",
    "Result",
    "check_loss_and_grads",
    "check_sample",
    "check_step_backward",
    "check_step_forward",
    "check_training",
]
