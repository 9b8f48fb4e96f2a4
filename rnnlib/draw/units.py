"""Drawings for looking inside the hidden units: a unit's correlations with nameable
properties of the text (bars), and a passage coloured by the unit's activation (HTML)."""

import html

import numpy as np
from matplotlib import colormaps

from .style import CHAR_FONT, COLORS, DIVERGING

_ENDS = colormaps[DIVERGING]
POSITIVE = tuple(round(255 * c) for c in _ENDS(0.85)[:3])  # activations near +1: red
NEGATIVE = tuple(round(255 * c) for c in _ENDS(0.15)[:3])  # activations near -1: blue
VISIBLE = {"\n": "\u21b5\n"}  # a newline shown as an arrow, then the line break


def correlation_bars(ax, names):
    """One horizontal bar per feature, lengths set by set_correlations (r in [-1, 1]).

    Inputs: ax; names, the feature names (top to bottom). Returns (bars, labels): the
    BarContainer and a Text per bar for the value of r.
    """
    y = np.arange(len(names))[::-1]
    bars = ax.barh(y, np.zeros(len(names)), color=COLORS["hidden"], height=0.6)
    ax.set_yticks(y, names, fontsize=9)
    ax.set_xlim(-1.0, 1.0)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.axvline(0.0, color="0.3", lw=0.8)
    ax.set_xlabel("correlation r with the unit's activation")
    ax.spines[["top", "right"]].set_visible(False)
    labels = [ax.text(0.0, yi, "", va="center", fontsize=9) for yi in y]
    return bars, labels


def set_correlations(art, r):
    """Set the bars to the values r (one per feature) and print each value beside its bar."""
    bars, labels = art
    for bar, text, v in zip(bars, labels, r, strict=True):
        bar.set_width(float(v))
        bar.set_color(COLORS["hidden"] if abs(v) >= 0.3 else "0.7")  # the strong ones stand out
        text.set_x(float(v) + (0.04 if v >= 0 else -0.04))
        text.set_ha("left" if v >= 0 else "right")
        text.set_text(f"{v:+.2f}")
    return [*bars, *labels]


def activation_html(text, acts):
    """A passage with each character's background coloured by an activation in [-1, 1] (red
    positive, blue negative, white near 0); the value shows on hover. Returns HTML."""
    acts = np.asarray(acts, dtype=np.float64)
    if acts.shape != (len(text),):
        raise ValueError(f"acts has shape {acts.shape}, expected ({len(text)},), one per character")
    spans = []
    for c, a in zip(text, np.clip(acts, -1.0, 1.0), strict=True):
        rgb = POSITIVE if a >= 0 else NEGATIVE
        shown = html.escape(VISIBLE.get(c, c))
        style = f"background:rgba({rgb[0]},{rgb[1]},{rgb[2]},{abs(a):.2f})"
        spans.append(f'<span style="{style}" title="{a:+.2f}">{shown}</span>')
    box = (
        f"font-family: '{CHAR_FONT}', monospace; white-space: pre-wrap; max-width: 60em; "
        "line-height: 1.5"
    )
    return f'<div style="{box}">{"".join(spans)}</div>'
