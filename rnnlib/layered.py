"""The RNN as a layered feed-forward net: unroll T steps into T layers with their own weights.

Layer t maps h_{t-1} to h_t = tanh(W_hh^(t) h_{t-1} + W_xh^(t) x_t + b_h^(t)) and emits
y_t = W_hy^(t) h_t + b_y^(t); the connection from layer t-1 to layer t is the time delay of 1.
When every layer holds a copy of the same weights the net computes exactly what the RNN
computes, and the gradient of the tied (shared) weight is the sum of the per-layer gradients.
"""

import numpy as np

from . import _check
from .cell import rnn_step_backward, rnn_step_forward
from .unroll import sequence_loss

LAYER_KEYS = (*_check.CELL_NAMES, *_check.OUTPUT_NAMES)  # the cell, then the output layer


def build_layers(params, T):
    """Copy the RNN's weights into T separate layers.

    Inputs: params with W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (V, H), b_y (V,); T >= 1.
    Returns a list of T dicts, each with its OWN copies of those five arrays (changing one
    layer's array leaves the others and params untouched).
    """
    _check.param_shapes(params)
    T = _check.positive_int("T", T)
    return [{k: np.array(params[k], dtype=np.float64) for k in LAYER_KEYS} for _ in range(T)]


def layered_forward(layers, xs, h_prev=None):
    """Run the layered net: the input of layer t is x_t and the hidden output of layer t-1.

    Inputs: layers, a list of T dicts (as build_layers); xs (T, B, D) or (T, D); h_prev the
    state fed to the first layer, (B, H) or (H,) (None: zeros).
    Returns hs (T, B, H), ys (T, B, V) ((T, H), (T, V) for one sequence) and a list of T
    caches for layered_backward.
    """
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim not in (2, 3) or len(xs) != len(layers):
        raise ValueError(
            f"xs has shape {xs.shape}, expected (T, D) or (T, B, D) with T = {len(layers)} layers"
        )
    D, H, V = _check.param_shapes(layers[0])
    h = np.zeros((*xs.shape[1:-1], H)) if h_prev is None else np.asarray(h_prev, np.float64)
    hs, ys, caches = [], [], []
    for x, layer in zip(xs, layers, strict=True):
        h, cache = rnn_step_forward(x, h, layer["W_xh"], layer["W_hh"], layer["b_h"])
        hs.append(h)
        ys.append(h @ layer["W_hy"].T + layer["b_y"])  # y_t = W_hy^(t) h_t + b_y^(t)
        caches.append((cache, layer))
    return np.array(hs), np.array(ys), caches


def layered_backward(dys, caches):
    """Ordinary backprop through the layers, from the last one to the first.

    Inputs: dys (T, B, V) or (T, V), dL/dy_t; caches from layered_forward.
    Returns a list of T dicts, layer t's gradients for its own W_xh, W_hh, b_h, W_hy, b_y.
    """
    dys = np.asarray(dys, dtype=np.float64)
    layer_grads = [None] * len(caches)
    dh_next = 0.0  # nothing flows into the last layer from above
    for t in range(len(caches) - 1, -1, -1):
        cache, layer = caches[t]
        h = cache[-1]
        dy = dys[t]
        dh = dy @ layer["W_hy"] + dh_next  # from this layer's output and the next layer
        _, dh_next, dW_xh, dW_hh, db_h = rnn_step_backward(dh, cache)
        layer_grads[t] = {
            "W_xh": dW_xh,
            "W_hh": dW_hh,
            "b_h": db_h,
            "W_hy": np.outer(dy, h) if dy.ndim == 1 else dy.T @ h,  # dy_t h_t^T
            "b_y": dy if dy.ndim == 1 else dy.sum(axis=0),
        }
    return layer_grads


def tie_grads(layer_grads):
    """The gradient of the shared weights: the sum over layers of each layer's gradient.

    Inputs: a list of T gradient dicts (as layered_backward). Returns one dict of the sums.
    """
    return {k: sum(g[k] for g in layer_grads) for k in LAYER_KEYS}


def layered_loss_and_grads(layers, xs, targets, *, h_prev=None, loss_steps=None):
    """Loss at chosen steps (as unroll.sequence_loss) and the per-layer gradients.

    Inputs: layers; xs (T, B, D) or (T, D); targets (L, B) or (L,); h_prev; loss_steps.
    Returns loss (float) and a list of T per-layer gradient dicts.
    """
    _, ys, caches = layered_forward(layers, xs, h_prev)
    loss, dys = sequence_loss(ys, targets, loss_steps)
    return loss, layered_backward(dys, caches)
