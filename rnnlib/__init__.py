"""rnnlib: a small, exact numpy library for teaching vanilla (Elman) recurrent networks."""

from .bptt import loss_and_grads
from .cell import init_params, rnn_step_backward, rnn_step_forward, softmax
from .clip import clip_elementwise, clip_global_norm, global_norm
from .gradcheck import check_grads, numerical_grad, rel_error
from .layered import (
    build_layers,
    layered_backward,
    layered_forward,
    layered_loss_and_grads,
    tie_grads,
)
from .sampling import sample, sample_steps
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
