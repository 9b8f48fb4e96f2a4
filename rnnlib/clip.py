"""Gradient clipping: element-wise (min-char-rnn's +/-5) and by global norm.

Both return a new dict and leave the gradients passed in unchanged, so a notebook can show a
gradient before and after clipping side by side.
"""

import numpy as np

from . import _check


def clip_elementwise(grads, limit=5.0):
    """Clip every gradient entry to [-limit, limit], as min-char-rnn does with limit 5.

    Inputs: grads dict of arrays; limit > 0. Returns a new dict of clipped copies (the
    direction of the gradient can change; NaN entries stay NaN).
    """
    c = _check.positive_number("limit", limit)
    return {k: np.clip(g, -c, c) for k, g in grads.items()}  # g <- min(max(g, -c), c)


def global_norm(grads):
    """The norm of all gradients seen as one long vector: sqrt(sum_k ||g_k||^2)."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def clip_global_norm(grads, max_norm):
    """Rescale all gradients together so that their global norm is at most max_norm.

    Inputs: grads dict of arrays; max_norm > 0.
    Returns (clipped, norm): a new dict, scaled by max_norm / norm when norm > max_norm
    (the direction is kept), and the global norm before clipping.
    """
    c = _check.positive_number("max_norm", max_norm)
    norm = global_norm(grads)
    scale = c / norm if norm > c else 1.0  # g <- g * max_norm / ||g||
    return {k: np.asarray(g) * scale for k, g in grads.items()}, norm
