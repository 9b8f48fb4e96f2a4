"""The English corpus that ships with rnnlib (written for the project; lowercase, about 37 KB).

It mixes short stories, a weather diary, garden and kitchen notes, riddles and plain sentences
about recurrent networks, so that a small character model visibly learns words from it.
"""

from importlib import resources

from .checkpoint import load_checkpoint


def load_corpus():
    """The shipped corpus text (str, about 37 000 characters, 35 distinct characters)."""
    return resources.files(__package__).joinpath("data", "corpus.txt").read_text(encoding="utf-8")


def load_corpus_model():
    """The model trained on the corpus by scripts/train_corpus_model.py, as a Checkpoint
    (params, vocab, and meta: settings, loss curves, held-out loss, samples during training).
    """
    ref = resources.files(__package__).joinpath("data", "corpus_model.npz")
    with resources.as_file(ref) as path:
        if not path.is_file():
            raise FileNotFoundError(
                f"the shipped corpus model is missing: no file at {path}. Reinstall rnnlib "
                "(pip install -e . in the project folder), or rebuild the file with "
                "`make checkpoint` (scripts/train_corpus_model.py, a few minutes)"
            )
        return load_checkpoint(path)


def split(text, held_out=0.1):
    """Cut a text into a training part and a held-out part (the last `held_out` fraction).

    Inputs: text, a non-empty str; held_out, a fraction in (0, 1).
    Returns (train, held): train = text[:cut], held = text[cut:] with
    cut = round(len(text) * (1 - held_out)); both parts are non-empty.
    """
    if not isinstance(text, str) or len(text) < 2:
        raise ValueError(f"text must be a string of at least 2 characters, got {text!r:.40}")
    if not 0.0 < held_out < 1.0:
        raise ValueError(f"held_out must be a fraction in (0, 1), got {held_out!r}")
    cut = min(max(round(len(text) * (1.0 - held_out)), 1), len(text) - 1)
    return text[:cut], text[cut:]
