"""Look inside the hidden units: their activations along a text, and what a unit tracks.

A unit "tracks" a property of the text when its activation h_t[i], after reading character t,
moves with that property across the text; we measure it by the Pearson correlation r between
the two over every position. The properties are simple ones a reader can name (FEATURES), each
a number per position computed from the text alone.
"""

import numpy as np

from . import _check
from .cell import read_index

FEATURES = (
    "just read a space",
    "just read a letter",
    "letters into the word",
    "just read a vowel",
    "just read . ! or ?",
    "characters into the line",
    "inside quotes",
)


def hidden_states(params, inputs, h0=None):
    """The states h_1 .. h_N of the RNN reading an index sequence (no output layer needed).

    h_t = tanh(W_xh[:, x_t] + W_hh h_{t-1} + b_h) from h0 (None: zeros), W_xh x_t being the
    column of the one-hot input. Inputs: params (W_xh (H, V), W_hh (H, H), b_h (H,)); inputs,
    a 1-D sequence of indices in [0, V); h0 (H,) or None. Returns (N, H).
    """
    V, H = _check.params(params, _check.CELL_NAMES)
    x = np.asarray(inputs)
    if x.ndim != 1:
        raise ValueError(f"inputs has shape {x.shape}, expected a 1-D sequence of indices")
    x = _check.indices("inputs", x, V) if x.size else x
    h = np.zeros(H) if h0 is None else _check.hidden("h0", h0, H)
    hs = np.empty((len(x), H))
    for t, i in enumerate(x):
        h = read_index(params, h, i)
        hs[t] = h
    return hs


def text_features(text):
    """Each of FEATURES as a number per character position of `text` (a non-empty str).

    At position t (the state has just read text[t]): 1/0 whether text[t] is a space, a letter,
    a vowel (a e i o u), one of . ! ?; how many letters of the current word have been read
    (0 outside words); how many characters since the last newline; 1 between an opening and
    a closing double quote (the quotes themselves included in the inside). Returns a dict
    name -> (N,) float array.
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r:.40}")
    N = len(text)
    word, line, quote = np.zeros(N), np.zeros(N), np.zeros(N)
    w = n = 0
    inside = False
    for t, c in enumerate(text):
        w = w + 1 if c.isalpha() else 0
        n = 0 if c == "\n" else n + 1
        if c == '"':
            inside = not inside
        word[t], line[t] = w, n
        quote[t] = 1.0 if inside or c == '"' else 0.0

    def flag(test):
        return np.array([1.0 if test(c) else 0.0 for c in text])

    return {
        "just read a space": flag(lambda c: c == " "),
        "just read a letter": flag(str.isalpha),
        "letters into the word": word,
        "just read a vowel": flag(lambda c: c in "aeiou"),
        "just read . ! or ?": flag(lambda c: c in ".!?"),
        "characters into the line": line,
        "inside quotes": quote,
    }


def correlations(states, features):
    """Pearson r between every unit's activation and every feature, over all positions.

    Inputs: states (N, H); features, dict name -> (N,). A constant unit or feature has no
    correlation: r = 0 there. Returns a dict name -> (H,) array in [-1, 1].
    """
    S = np.asarray(states, dtype=np.float64)
    if S.ndim != 2 or len(S) < 2:
        raise ValueError(f"states has shape {S.shape}, expected (N, H) with N >= 2")
    Sc = S - S.mean(axis=0)
    s_norm = np.sqrt(np.sum(Sc**2, axis=0))
    scale = 1e-12 * np.sqrt(len(S))  # below this (times the size of the values): constant
    s_norm = np.where(s_norm > scale * (np.abs(S).max(axis=0) + 1.0), s_norm, 0.0)
    out = {}
    for name, f in features.items():
        f = np.asarray(f, dtype=np.float64)
        if f.shape != (len(S),):
            raise ValueError(f"feature {name!r} has shape {f.shape}, expected ({len(S)},)")
        fc = f - f.mean()
        f_norm = np.sqrt(np.sum(fc**2))
        f_norm = f_norm if f_norm > scale * (np.abs(f).max() + 1.0) else 0.0
        denom = s_norm * f_norm
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(denom > 0, (fc @ Sc) / np.where(denom > 0, denom, 1.0), 0.0)
        out[name] = np.clip(r, -1.0, 1.0)
    return out


def mean_by_value(activation, feature, values):
    """The mean activation at the positions where a feature takes each of `values`.

    Shows what a correlation summarises: e.g. a unit's mean at 0, 1, 2, ... letters into the
    word. Inputs: activation (N,) or (N, H); feature (N,); values, numbers the feature takes.
    Returns (means (K,) or (K, H), counts (K,) the number of positions of each value).
    """
    a = np.asarray(activation, dtype=np.float64)
    f = np.asarray(feature, dtype=np.float64)
    if a.ndim not in (1, 2) or f.shape != (len(a),):
        raise ValueError(
            f"activation has shape {a.shape} and feature {f.shape}; expected (N,) or (N, H) "
            "and (N,)"
        )
    means, counts = [], []
    for v in values:
        at = f == v  # the positions where the feature equals v
        if not at.any():
            raise ValueError(f"the feature never takes the value {v!r}; expected values it takes")
        means.append(a[at].mean(axis=0))
        counts.append(int(at.sum()))
    return np.array(means), np.array(counts)


def best_units(corr):
    """For each feature, the unit whose |r| is largest: a list of (feature, unit, r), strongest
    first. Input: corr, correlations()' dict."""
    rows = []
    for name, r in corr.items():
        u = int(np.argmax(np.abs(r)))
        rows.append((name, u, float(r[u])))
    return sorted(rows, key=lambda row: -abs(row[2]))


def check_unit(unit, H):
    """Check a unit index in [0, H)."""
    unit = _check.nonneg_int("unit", unit)
    if unit >= H:
        raise ValueError(f"unit must be in [0, {H}), got {unit}")
    return unit
