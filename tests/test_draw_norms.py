"""Tests for rnnlib.draw.norms: the gradient-norm bars and curve."""

import numpy as np
import pytest

from rnnlib.draw import norms
from rnnlib.draw.style import new_figure


def test_bars_and_curve():
    _, (a, b) = new_figure(nrows=2)
    bars = norms.draw_norm_bars(a, 5, ymax=2.0)
    h = norms.set_bar_heights(bars, [1.0, np.nan, 0.5, 2.0, 0.0])
    assert [bar.get_height() for bar in bars] == [1.0, 0.0, 0.5, 2.0, 0.0]
    np.testing.assert_array_equal(h, [1.0, 0.0, 0.5, 2.0, 0.0])
    with pytest.raises(ValueError):
        norms.set_bar_heights(bars, [1.0, 2.0])  # one height per bar
    art = norms.draw_norm_curve(b, 6, (1e-3, 1e2), n_ghosts=2)
    assert b.get_yscale() == "log" and b.get_ylim() == pytest.approx((1e-3, 1e2))
    assert len(art["ghosts"]) == 2 and len(art["line"].get_xdata()) == 6
