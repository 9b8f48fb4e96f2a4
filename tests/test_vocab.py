"""The character vocabulary: deterministic order, encode/decode, bad text."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlib import Vocab


def test_sorted_by_default():
    v = Vocab("hello")
    assert v.chars == ["e", "h", "l", "o"] and len(v) == 4
    assert Vocab.from_text("hello") == v
    assert Vocab("olleh") == v  # the order does not depend on the text's order


def test_explicit_order_gives_the_lecture_vocabulary():
    v = Vocab("helo", order="given")
    assert v.chars == ["h", "e", "l", "o"]
    assert Vocab("hello", order="given") == v  # repeats keep their first place
    np.testing.assert_array_equal(v.encode("hello"), [0, 1, 2, 2, 3])
    np.testing.assert_array_equal(v.one_hot("hel"), np.eye(4)[:3])
    assert v != Vocab("hello")


def test_encode_decode_round_trip():
    v = Vocab.from_text("the cat sat.")
    ix = v.encode("a cat.")
    assert ix.dtype == np.intp and ix.shape == (6,)
    assert v.decode(ix) == "a cat."
    assert v.decode([]) == "" and v.encode("").shape == (0,)
    assert eval(repr(v)) == v


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_round_trip_property(text):
    v = Vocab.from_text(text)
    assert v.chars == sorted(set(text))
    assert v.decode(v.encode(text)) == text


def test_unknown_character_is_named():
    with pytest.raises(ValueError, match=r"character 'z' at position 2 is not in the vocabulary"):
        Vocab("hello").encode("hez")


@pytest.mark.parametrize("bad", [4, -1])
def test_decode_rejects_indices_outside(bad):
    with pytest.raises(ValueError, match=rf"index {bad} is outside the vocabulary \[0, 3\]"):
        Vocab("helo").decode([0, bad])


@pytest.mark.parametrize("text", ["", None, 42])
def test_empty_training_text(text):
    with pytest.raises(ValueError, match=f"training text must be a non-empty string, got {text!r}"):
        Vocab.from_text(text)


def test_rejects_bad_construction():
    with pytest.raises(ValueError, match="at least one character, got an empty text"):
        Vocab("")
    with pytest.raises(ValueError, match="single characters, got 'ab'"):
        Vocab(["ab", "c"])
    with pytest.raises(ValueError, match="order must be 'sorted' or 'given', got 'random'"):
        Vocab("abc", order="random")
