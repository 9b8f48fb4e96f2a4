"""rnnlib: a small, exact numpy library for teaching vanilla (Elman) recurrent networks."""

from .bptt import loss_and_grads
from .cell import init_params, rnn_step_backward, rnn_step_forward, softmax
from .sampling import sample, sample_steps
from .vocab import Vocab

__all__ = [
    "Vocab",
    "init_params",
    "loss_and_grads",
    "rnn_step_backward",
    "rnn_step_forward",
    "sample",
    "sample_steps",
    "softmax",
]
