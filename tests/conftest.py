"""Shared fixtures: random, well-scaled float64 parameters for gradient checks."""

import numpy as np
import pytest


def random_params(V, H, seed=0, *, scale=0.5, D=None, h0=False):
    """Parameters with random weights and biases (large enough that every gradient matters).

    W_xh is (H, D) with D = V unless given; h0 adds a learned initial state (H,).
    """
    rng = np.random.default_rng(seed)
    D = V if D is None else D
    p = {
        "W_xh": rng.standard_normal((H, D)) * scale,
        "W_hh": rng.standard_normal((H, H)) * scale,
        "W_hy": rng.standard_normal((V, H)) * scale,
        "b_h": rng.standard_normal(H) * scale,
        "b_y": rng.standard_normal(V) * scale,
    }
    if h0:
        p["h0"] = rng.standard_normal(H) * scale
    return p


@pytest.fixture(scope="session")
def make_params():
    """The random_params factory, as a fixture (session-scoped so hypothesis can use it)."""
    return random_params
