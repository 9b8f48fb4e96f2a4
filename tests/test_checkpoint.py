"""Tests for rnnlib.checkpoint: round trip, determinism, and every way a file can be wrong."""

import zipfile

import numpy as np
import pytest

from rnnlib import Vocab, init_params
from rnnlib.checkpoint import load_checkpoint, save_checkpoint
from rnnlib.training import train

HELO = Vocab("helo", order="given")


def saved(tmp_path, name="model.npz", **meta):
    """A small valid checkpoint on disk, its params and its path."""
    params = init_params(4, 3, rng=7, scale=0.3)
    path = tmp_path / name
    save_checkpoint(path, params, HELO, meta=meta)
    return path, params


def rewrite(tmp_path, path, change):
    """Copy the archive's arrays, apply change(dict) and write them back with np.savez."""
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    out = tmp_path / "tampered.npz"
    np.savez(out, **arrays)
    return out


def test_round_trip(tmp_path):
    samples = np.array(["the sea", "a lamp"])
    path, params = saved(tmp_path, iterations=120, loss=0.25, note="hi", curve=np.arange(4.0),
                         samples=samples)  # fmt: skip
    ck = load_checkpoint(path)
    assert ck.vocab == HELO and ck.vocab.chars == ["h", "e", "l", "o"]  # order kept
    assert ck.version == 1
    for k, v in params.items():
        assert ck.params[k].dtype == np.float64
        np.testing.assert_array_equal(ck.params[k], v)
    assert ck.meta["iterations"] == 120 and ck.meta["loss"] == 0.25 and ck.meta["note"] == "hi"
    np.testing.assert_array_equal(ck.meta["curve"], np.arange(4.0))
    assert ck.meta["samples"].tolist() == ["the sea", "a lamp"]


def test_no_pickled_objects_inside(tmp_path):
    path, _ = saved(tmp_path, note="x")
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    assert all(a.dtype != object for a in arrays.values())
    assert arrays["vocab"].dtype.kind == "U" and arrays["hidden_size"] == 3


def test_same_seed_gives_identical_files(tmp_path):
    files = []
    for name in ("a.npz", "b.npz"):
        res = train("hello there", hidden_size=5, seq_length=4, n_iters=30, rng=11)
        save_checkpoint(tmp_path / name, res.params, res.vocab, meta={"iterations": 30})
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]  # same seed, same params, fixed zip timestamps
    with zipfile.ZipFile(tmp_path / "a.npz") as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(
    "change,match",
    [
        (lambda a: a.pop("W_hh"), r"missing \['W_hh'\]"),
        (lambda a: a.update(extra=np.zeros(2)), r"unexpected keys \['extra'\]"),
        (
            lambda a: a.update(W_hh=np.zeros((3, 4))),
            r"W_hh'\] has shape \(3, 4\), expected \(3, 3\)",
        ),
        (lambda a: a.update(b_y=np.array([0.0, np.nan, 0.0, 0.0])), "b_y holds non-finite"),
        (lambda a: a.update(W_hy=np.full((4, 3), np.inf)), "W_hy holds non-finite"),
        (lambda a: a.update(vocab=np.array(list("helox"))), "vocabulary has 5 characters"),
        (lambda a: a.update(vocab=np.array(list("hell"))), "repeated characters"),
        (lambda a: a.update(vocab=np.array(["h", "e", "l", "oo"])), "single characters"),
        (lambda a: a.update(vocab=np.arange(4)), "single characters"),
        (lambda a: a.update(W_xh=np.zeros((3, 4), dtype=np.int64)), "W_xh has dtype int64"),
        (lambda a: a.update(format_version=np.array(2)), "format_version is 2"),
        (lambda a: a.update(format_version=np.array([1, 1])), "integer scalar"),
        (lambda a: a.update(hidden_size=np.array(5)), "hidden_size is 5 but W_hh has H=3"),
        (lambda a: a.update(vocab=np.array(["h", 1, "l", "o"], dtype=object)), "Object arrays"),
    ],
)
def test_tampered_files_raise_value_error(tmp_path, change, match):
    path, _ = saved(tmp_path)
    with pytest.raises(ValueError, match=match):
        load_checkpoint(rewrite(tmp_path, path, change))


def test_not_an_npz_or_truncated(tmp_path):
    path, _ = saved(tmp_path)
    data = path.read_bytes()
    cases = {
        "text.npz": b"W_xh,W_hh\n1,2\n",
        "array.npy": None,
        "half.npz": data[: len(data) // 2],
        "empty.npz": b"",
    }
    for name, content in cases.items():
        if content is None:
            np.save(tmp_path / name, np.arange(3.0))
        else:
            (tmp_path / name).write_bytes(content)
        with pytest.raises(ValueError, match="not an .npz checkpoint"):
            load_checkpoint(tmp_path / name)
    with pytest.raises(FileNotFoundError):
        load_checkpoint(tmp_path / "missing.npz")


def test_flipped_bytes_never_load_wrong_values(tmp_path):
    path, params = saved(tmp_path)
    data = path.read_bytes()
    errors, tried = 0, range(0, len(data), 13)
    for i in tried:
        corrupt = bytearray(data)
        corrupt[i] ^= 0xFF
        (tmp_path / "c.npz").write_bytes(bytes(corrupt))
        try:
            ck = load_checkpoint(tmp_path / "c.npz")
        except ValueError:
            errors += 1
            continue
        for k, v in params.items():  # a flip the format ignores (a header date) changes nothing
            np.testing.assert_array_equal(ck.params[k], v)
        assert ck.vocab == HELO
    assert errors > len(tried) // 2  # most flips hit compressed data, guarded by CRC-32


def test_save_rejects_bad_input(tmp_path):
    params = init_params(4, 3)
    with pytest.raises(ValueError, match="vocab must be a Vocab of 4 characters"):
        save_checkpoint(tmp_path / "x.npz", params, Vocab("abc"))
    with pytest.raises(ValueError, match=r"meta\['bad'\]"):
        save_checkpoint(tmp_path / "x.npz", params, HELO, meta={"bad": {"a": 1}})
    params["W_hh"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\['W_hh'\] holds non-finite"):
        save_checkpoint(tmp_path / "x.npz", params, HELO)
    with pytest.raises(ValueError, match="missing"):
        save_checkpoint(tmp_path / "x.npz", {"W_xh": np.zeros((3, 4))}, HELO)


def test_a_missing_checkpoint_names_the_path_and_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"missing\.npz.*save_checkpoint"):
        load_checkpoint(tmp_path / "missing.npz")
