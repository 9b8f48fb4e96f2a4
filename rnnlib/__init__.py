"""rnnlib: a small, exact numpy library for teaching vanilla (Elman) recurrent networks.

The math lives here and imports numpy only; drawing (rnnlib.draw, matplotlib) and the notebook
views (rnnlib.widgets, ipywidgets) are submodules imported on demand.
"""

from .bptt import loss_and_grads
from .cell import PARAM_NAMES, init_params, rnn_step_backward, rnn_step_forward, softmax
from .checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from .clip import clip_elementwise, clip_global_norm, global_norm
from .corpus import load_corpus, load_corpus_model
from .dynamics import (
    classify,
    dynamics_weights,
    fixed_points,
    gradient_decay,
    jacobian,
    lyapunov_exponent,
    start_state,
    trajectory,
)
from .gradcheck import check_grads, numerical_grad, rel_error
from .layered import (
    build_layers,
    layered_backward,
    layered_forward,
    layered_loss_and_grads,
    tie_grads,
)
from .optim import Optimizer
from .sampling import sample, sample_steps
from .training import TrainResult, per_char_loss, train, train_step
from .unroll import (
    SETUPS,
    one_hot_inputs,
    sequence_loss,
    sequence_setup,
    unroll_backward,
    unroll_forward,
    unroll_loss_and_grads,
)
from .vocab import Vocab

__all__ = [
    "PARAM_NAMES",
    "SETUPS",
    "Checkpoint",
    "Optimizer",
    "TrainResult",
    "Vocab",
    "build_layers",
    "check_grads",
    "classify",
    "clip_elementwise",
    "clip_global_norm",
    "dynamics_weights",
    "fixed_points",
    "global_norm",
    "gradient_decay",
    "init_params",
    "jacobian",
    "layered_backward",
    "layered_forward",
    "layered_loss_and_grads",
    "load_checkpoint",
    "load_corpus",
    "load_corpus_model",
    "loss_and_grads",
    "lyapunov_exponent",
    "numerical_grad",
    "one_hot_inputs",
    "per_char_loss",
    "rel_error",
    "rnn_step_backward",
    "rnn_step_forward",
    "sample",
    "sample_steps",
    "save_checkpoint",
    "sequence_loss",
    "sequence_setup",
    "softmax",
    "start_state",
    "tie_grads",
    "train",
    "train_step",
    "trajectory",
    "unroll_backward",
    "unroll_forward",
    "unroll_loss_and_grads",
]
