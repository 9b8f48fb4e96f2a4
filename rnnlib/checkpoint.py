"""Save and load a trained character model as a plain .npz archive (no pickled objects).

Keys: format_version (int), hidden_size (int), vocab (V,) unicode characters, the five
parameters W_xh (H, V), W_hh (H, H), W_hy (V, H), b_h (H,), b_y (V,) in float64, and optional
metadata "meta_<name>" holding numbers, numeric arrays or strings. The zip entries carry a fixed
timestamp, so saving the same model twice gives identical bytes.
"""

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import _check
from ._check import PARAM_NAMES
from .vocab import Vocab

FORMAT_VERSION = 1
REQUIRED = ("format_version", "hidden_size", "vocab", *PARAM_NAMES)
# what a damaged archive raises inside zipfile, zlib and numpy
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError)


@dataclass
class Checkpoint:
    """A loaded checkpoint: params dict, vocab (Vocab, explicit order), meta dict, version."""

    params: dict
    vocab: Vocab
    meta: dict = field(default_factory=dict)
    version: int = FORMAT_VERSION


def save_checkpoint(path, params, vocab, meta=None):
    """Write params, vocab and metadata to `path` (.npz, deflate-compressed, deterministic).

    Inputs: path (str or Path); params dict (W_xh (H, V), ...; finite); vocab a Vocab with V
    characters; meta, a dict name -> int, float, str, or an array of numbers or strings.
    """
    V, H = _check.params(params)
    if not isinstance(vocab, Vocab) or len(vocab) != V:
        raise ValueError(f"vocab must be a Vocab of {V} characters (W_xh has V={V}), got {vocab!r}")
    arrays = {
        "format_version": np.array(FORMAT_VERSION, dtype=np.int64),
        "hidden_size": np.array(H, dtype=np.int64),
        "vocab": np.array(vocab.chars, dtype="<U1"),
    }
    for k in PARAM_NAMES:
        arrays[k] = np.asarray(params[k], dtype=np.float64)
        if not np.all(np.isfinite(arrays[k])):
            raise ValueError(f"params[{k!r}] holds non-finite values; cannot save it")
    for name, value in (meta or {}).items():
        arr = np.asarray(value)
        if not (isinstance(name, str) and name.isidentifier()) or arr.dtype.kind not in "biufU":
            raise ValueError(f"meta[{name!r}] must be a number, a string or an array of them")
        arrays[f"meta_{name}"] = arr
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key, arr in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as f:
                np.lib.format.write_array(f, arr, allow_pickle=False)


def load_checkpoint(path):
    """Read a checkpoint written by save_checkpoint, checking everything in it.

    Input: path of an .npz file. Returns a Checkpoint. A file that is not an npz archive, is
    truncated, misses a key, has an unknown key, wrong shapes or dtypes, non-finite values or a
    vocabulary that does not match the weights raises ValueError saying which.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"no checkpoint file at {Path(path).resolve()}: check the path, or write one "
            "with rnnlib.save_checkpoint(path, params, vocab)"
        )
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not an .npz checkpoint (no zip archive found)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
    except READ_ERRORS as err:
        raise ValueError(f"{path} is not a readable rnnlib checkpoint (.npz): {err}") from None
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise ValueError(f"{path} is missing {missing}; a checkpoint needs {list(REQUIRED)}")
    unknown = [k for k in data if k not in REQUIRED and not k.startswith("meta_")]
    if unknown:
        raise ValueError(f"{path} has unexpected keys {unknown}")
    version = _int_scalar(data, "format_version")
    if version != FORMAT_VERSION:
        raise ValueError(f"format_version is {version}, this rnnlib reads {FORMAT_VERSION}")
    chars = data["vocab"]
    if chars.dtype.kind != "U" or chars.ndim != 1 or any(len(c) != 1 for c in chars.tolist()):
        raise ValueError(f"vocab must be a 1-D array of single characters, got {chars!r:.80}")
    if len(set(chars.tolist())) != len(chars):
        raise ValueError(f"vocab has repeated characters: {''.join(chars.tolist())!r}")
    params = {}
    for k in PARAM_NAMES:
        if data[k].dtype.kind != "f":
            raise ValueError(f"{k} has dtype {data[k].dtype}, expected float64")
        params[k] = data[k].astype(np.float64)
        if not np.all(np.isfinite(params[k])):
            raise ValueError(f"{k} holds non-finite values (NaN or inf)")
    V, H = _check.params(params)
    if V != len(chars):
        raise ValueError(f"the vocabulary has {len(chars)} characters but W_xh has V={V}")
    if H != _int_scalar(data, "hidden_size"):
        raise ValueError(f"hidden_size is {int(data['hidden_size'])} but W_hh has H={H}")
    meta = {
        k[5:]: (v.item() if v.ndim == 0 else v) for k, v in data.items() if k.startswith("meta_")
    }
    return Checkpoint(params, Vocab(chars.tolist(), order="given"), meta, version)


def _int_scalar(data, key):
    """data[key] as a Python int, or a ValueError if it is not an integer scalar."""
    arr = data[key]
    if arr.shape != () or arr.dtype.kind not in "iu":
        raise ValueError(f"{key} must be an integer scalar, got {arr!r:.60}")
    return int(arr)
