"""Character vocabulary: a fixed order of characters, and text <-> index arrays."""

import numpy as np


class Vocab:
    """An ordered set of characters.

    Vocab("hello") sorts the distinct characters (['e', 'h', 'l', 'o']);
    Vocab("helo", order="given") keeps the order given (['h', 'e', 'l', 'o']).
    """

    def __init__(self, chars, order="sorted"):
        if isinstance(chars, str):
            chars = list(chars)
        chars = list(chars)
        if not chars:
            raise ValueError("Vocab needs at least one character, got an empty text")
        for c in chars:
            if not isinstance(c, str) or len(c) != 1:
                raise ValueError(f"Vocab entries must be single characters, got {c!r}")
        if order == "sorted":
            chars = sorted(set(chars))
        elif order == "given":
            seen = set()
            chars = [c for c in chars if not (c in seen or seen.add(c))]
        else:
            raise ValueError(f"order must be 'sorted' or 'given', got {order!r}")
        self.chars = chars
        self.index = {c: i for i, c in enumerate(chars)}

    @classmethod
    def from_text(cls, text):
        """The sorted vocabulary of a training text (an empty text is an error)."""
        if not isinstance(text, str) or not text:
            raise ValueError(f"training text must be a non-empty string, got {text!r}")
        return cls(text)

    def __len__(self):
        return len(self.chars)

    def __repr__(self):
        return f"Vocab({''.join(self.chars)!r}, order='given')"

    def __eq__(self, other):
        return isinstance(other, Vocab) and self.chars == other.chars

    def encode(self, text):
        """Indices (T,) of the characters of `text`, np.intp (numpy's index type: int64, int32 on
        wasm32); an unknown character is an error."""
        try:
            return np.array([self.index[c] for c in text], dtype=np.intp)
        except KeyError as err:
            c = err.args[0]
            raise ValueError(
                f"character {c!r} at position {text.index(c)} is not in the vocabulary "
                f"{''.join(self.chars)!r}"
            ) from None

    def decode(self, indices):
        """The text spelled by a sequence of indices."""
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        bad = (idx < 0) | (idx >= len(self.chars))
        if bad.any():
            raise ValueError(
                f"index {int(idx[bad][0])} is outside the vocabulary [0, {len(self.chars) - 1}]"
            )
        return "".join(self.chars[i] for i in idx)

    def one_hot(self, text):
        """One-hot rows (T, V) for the characters of `text`."""
        return np.eye(len(self.chars))[self.encode(text)]
