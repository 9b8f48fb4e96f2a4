"""Optimizers for training: SGD, Adagrad (min-char-rnn's) and Adam on one flat parameter vector.

All parameters live in one float64 vector, with the params dict holding views into it, so that
clipping and an update are a handful of vectorised, in-place numpy operations per step.
"""

import numpy as np

from . import _check
from ._check import PARAM_NAMES

DEFAULT_LR = {"adagrad": 0.1, "sgd": 0.01, "adam": 0.005}


class Optimizer:
    """Parameters and optimizer state as flat float64 vectors, updated in place by step().

    Inputs: params dict (copied; self.params holds views into the flat vector self.flat, same
    keys and shapes); method "adagrad", "sgd" or "adam"; lr > 0 (None: DEFAULT_LR[method]);
    clip, the element-wise limit c (gradients clipped to [-c, c]) or None; freeze, names of
    parameters kept fixed; betas, Adam's decay rates; eps, the small constant under the root.
    """

    def __init__(
        self,
        params,
        method="adagrad",
        lr=None,
        *,
        clip=5.0,
        freeze=(),
        betas=(0.9, 0.999),
        eps=1e-8,
    ):
        _check.params(params)
        if method not in DEFAULT_LR:
            raise ValueError(f"optimizer must be one of {sorted(DEFAULT_LR)}, got {method!r}")
        lr = _check.positive_number("lr", DEFAULT_LR[method] if lr is None else lr)
        clip = None if clip is None else _check.positive_number("clip", clip)
        freeze = (freeze,) if isinstance(freeze, str) else tuple(freeze)
        for k in freeze:
            if k not in PARAM_NAMES:
                raise ValueError(f"cannot freeze {k!r}: expected names from {list(PARAM_NAMES)}")
        b1, b2 = (float(b) for b in betas)
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must both lie in [0, 1), got {betas!r}")
        self.method, self.lr, self.clip, self.freeze = method, lr, clip, freeze
        self.betas, self.eps, self.t = (b1, b2), _check.positive_number("eps", eps), 0
        sizes = [np.size(params[k]) for k in PARAM_NAMES]
        ends = np.cumsum(sizes)
        self.slices = {k: slice(e - n, e) for k, n, e in zip(PARAM_NAMES, sizes, ends, strict=True)}
        self.flat = np.concatenate([np.asarray(params[k], np.float64).ravel() for k in PARAM_NAMES])
        self.grad, self.tmp = np.zeros_like(self.flat), np.zeros_like(self.flat)
        self.params = self._views(self.flat, params)
        self.grads = self._views(self.grad, params)
        self.mem = np.zeros_like(self.flat) if method == "adagrad" else None  # sum of g^2
        self.m = np.zeros_like(self.flat) if method == "adam" else None  # first moment
        self.v = np.zeros_like(self.flat) if method == "adam" else None  # second moment

    def _views(self, flat, shapes):
        return {k: flat[self.slices[k]].reshape(np.shape(shapes[k])) for k in PARAM_NAMES}

    def step(self, grads):
        """Clip `grads` (dict like params) into self.grad, zero frozen ones, update in place."""
        c = self.clip
        for k in PARAM_NAMES:  # copy into the flat gradient, clipping on the way
            if c is None:
                np.copyto(self.grads[k], grads[k])
            else:
                np.clip(grads[k], -c, c, out=self.grads[k])  # g <- min(max(g, -c), c)
        g, tmp = self.grad, self.tmp
        for k in self.freeze:
            g[self.slices[k]] = 0.0
        self.t += 1
        if self.method == "sgd":
            np.multiply(g, self.lr, out=tmp)
        elif self.method == "adagrad":
            np.multiply(g, g, out=tmp)
            self.mem += tmp  # mem += g^2
            np.add(self.mem, self.eps, out=tmp)  # min-char-rnn's order: sqrt(mem + eps)
            np.sqrt(tmp, out=tmp)
            np.divide(g, tmp, out=tmp)
            tmp *= self.lr  # lr g / sqrt(mem + eps)
        else:
            b1, b2 = self.betas
            c1, c2 = 1.0 - b1**self.t, np.sqrt(1.0 - b2**self.t)  # bias corrections
            self.m *= b1
            np.multiply(g, 1.0 - b1, out=tmp)
            self.m += tmp  # m <- b1 m + (1 - b1) g
            self.v *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1.0 - b2
            self.v += tmp  # v <- b2 v + (1 - b2) g^2
            np.sqrt(self.v, out=tmp)
            tmp += self.eps * c2
            np.divide(self.m, tmp, out=tmp)
            tmp *= self.lr * c2 / c1  # lr m_hat / (sqrt(v_hat) + eps), m_hat = m / c1
        self.flat -= tmp
