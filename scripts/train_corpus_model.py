"""Train the character model that ships with rnnlib, and save it with its training record.

    OPENBLAS_NUM_THREADS=1 python scripts/train_corpus_model.py      (or: make checkpoint)

Writes rnnlib/data/corpus_model.npz (rnnlib.checkpoint format): the parameters, the vocabulary,
the settings below, the per-character training loss of every iteration (raw and smoothed), the
held-out loss every EVAL_EVERY iterations, and text sampled at the iterations in SAMPLE_AT, so
that notebook 04 can show words emerging without training.

Everything is seeded, and this training is not chaotic (Adam at lr 0.002 over 16 streams), so a
rerun gives the shipped model up to rounding. Measured on 2026-12-02 (x86-64 with AVX2, 7.5 s a
run, BLAS on one thread): the file is byte-identical where numpy dispatches AVX2 (X86_V3) and
OpenBLAS runs its Haswell/Zen kernels, with numpy 2.4.6 (OpenBLAS 0.3.31) and with numpy 1.26.0
(OpenBLAS 0.3.23). With numpy's baseline SIMD, OpenBLAS's Prescott, Nehalem or Sandybridge
kernels, or exp/log/tanh off by up to 4 ulp (scripts/ulp_noise), the bytes differ but the weights
stay within 2.1e-13, the held-out loss within 1.3e-15, and every sample is the same text.
tests/test_corpus.py checks a rerun against the shipped record within such tolerances.
"""

import argparse
import time
from pathlib import Path

import numpy as np

from rnnlib import Vocab, init_params, sample
from rnnlib.checkpoint import save_checkpoint
from rnnlib.corpus import load_corpus, split
from rnnlib.training import per_char_loss, train

OUT = Path(__file__).resolve().parents[1] / "rnnlib" / "data" / "corpus_model.npz"
CONFIG = {
    "hidden_size": 64,
    "seq_length": 25,
    "batch_size": 16,
    "optimizer": "adam",
    "lr": 0.002,
    "clip": 5.0,
    "n_iters": 3000,
    "smoothing": 0.99,
}
SEED = 0  # init_params(V, H, rng=SEED)
HELD_OUT = 0.1  # the last 10% of the corpus is never trained on
EVAL_EVERY = 50  # iterations between held-out evaluations
SAMPLE_AT = (0, 100, 300, 1000, 2000, 3000)  # iterations at which text is sampled
SAMPLE = {"seed_char": "t", "length": 300, "temperature": 0.7, "rng": 1}


def draw_text(params, vocab, temperature=SAMPLE["temperature"]):
    """SAMPLE["length"] characters from a zero state after the seed character, as one str."""
    H = params["W_hh"].shape[0]
    ix = sample(params, np.zeros(H), vocab.index[SAMPLE["seed_char"]], SAMPLE["length"],
                temperature=temperature, rng=SAMPLE["rng"])  # fmt: skip
    return SAMPLE["seed_char"] + vocab.decode(ix)


def run(n_iters=CONFIG["n_iters"]):
    """Train as configured for n_iters updates; return (result, vocab, samples, held-out curve).

    samples maps each iteration of SAMPLE_AT (up to n_iters) to its text; the curve is a list
    of (iteration, held-out loss per character) every EVAL_EVERY iterations, from 0.
    """
    text = load_corpus()
    train_text, held = split(text, HELD_OUT)
    vocab = Vocab.from_text(text)
    params = init_params(len(vocab), CONFIG["hidden_size"], rng=SEED)
    samples = {0: draw_text(params, vocab)}
    curve = [(0, per_char_loss(params, held, vocab))]

    def record(info):
        if info.iteration in SAMPLE_AT:
            samples[info.iteration] = draw_text(info.params, vocab)
        if info.iteration % EVAL_EVERY == 0:
            curve.append((info.iteration, per_char_loss(info.params, held, vocab)))

    settings = {k: v for k, v in CONFIG.items() if k not in ("hidden_size", "n_iters")}
    res = train(train_text, params, vocab=vocab, n_iters=n_iters, callback=record,
                callback_every=EVAL_EVERY, **settings)  # fmt: skip
    return res, vocab, samples, curve


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    out = parser.parse_args().out
    start = time.perf_counter()
    res, vocab, samples, curve = run()
    seconds = time.perf_counter() - start
    its = np.array([i for i, _ in curve])
    held = np.array([loss for _, loss in curve])
    meta = {
        **{k: v for k, v in CONFIG.items() if k != "hidden_size"},
        "seed": SEED,
        "held_out_fraction": HELD_OUT,
        "loss_per_char": res.history["loss_per_char"],
        "smooth_loss_per_char": res.history["smooth_loss_per_char"],
        "held_out_iterations": its,
        "held_out_loss_per_char": held,
        "held_out_loss": held[-1],
        "sample_iterations": np.array(sorted(samples)),
        "samples": np.array([samples[i] for i in sorted(samples)]),
        "greedy_sample": draw_text(res.params, vocab, temperature=0.0),
        **{f"sample_{k}": v for k, v in SAMPLE.items()},
    }
    save_checkpoint(out, res.params, vocab, meta=meta)
    print(f"trained {CONFIG['n_iters']} iterations in {seconds:.1f} s; V={len(vocab)}, "
          f"uniform ln V = {np.log(len(vocab)):.3f}")  # fmt: skip
    print(f"held-out loss per char {held[-1]:.4f} (best {held.min():.4f} at iteration "
          f"{its[held.argmin()]}); last smoothed training loss "
          f"{res.history['smooth_loss_per_char'][-1]:.4f}")  # fmt: skip
    for i in sorted(samples):
        print(f"--- iteration {i}:\n{samples[i][:120]}")
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
