"""Nudges that stand in for another machine's rounding, for the stability tests.

Another CPU, BLAS kernel or numpy version changes results in their last digits. A computation
whose printed output survives these nudges, which are larger, prints the same there too.
"""

import numpy as np


def nudged(params, seed, rel=1e-13):
    """A copy of params with every entry moved by a relative ~rel (seeded)."""
    rng = np.random.default_rng(seed)
    return {k: v * (1.0 + rel * rng.standard_normal(v.shape)) for k, v in params.items()}


def nudge_every_update(seed, rel=1e-15):
    """A training callback (callback_every=1) that moves every live weight by a relative ~rel."""
    rng = np.random.default_rng(seed)

    def callback(info):
        for v in info.params.values():
            v *= 1.0 + rel * rng.standard_normal(v.shape)

    return callback
