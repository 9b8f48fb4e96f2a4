"""Time to quality: seconds of training until the held-out loss per character reaches a target.

The corpus that ships with rnnlib is cut into training text (first 90%) and held-out text (last
10%). Each recipe trains from the same initial parameters (init_params, seed 0, H=100, T=25,
clipping to +/-5) and is stopped at the first evaluation, every 5000 training characters, whose
held-out loss per character (rnnlib.training.per_char_loss, nats) is at or below the target.
Recipes: the classic one (min-char-rnn's loop from train_throughput.py, B=1, Adagrad lr 0.1),
the same recipe on rnnlib, and rnnlib with batched streams and Adam. Only training is timed,
in CPU seconds of this process (robust to other load on the machine); evaluation is not.

Run from the repository root:  python benchmarks/time_to_quality.py [--target 2.1]
"""

import os

for _var in (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
):
    os.environ[_var] = "1"  # one BLAS thread; must happen before numpy is imported

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from train_throughput import classic_params, classic_step  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib.corpus import load_corpus, split  # noqa: E402
from rnnlib.optim import Optimizer  # noqa: E402
from rnnlib.training import per_char_loss, streams, train_step  # noqa: E402

H, T, CLIP, EVERY = 100, 25, 5.0, 5000
RECIPES = (  # (code, B, optimizer, lr)
    ("classic loop", 1, "adagrad", 0.1),
    ("rnnlib", 1, "adagrad", 0.1),
    ("rnnlib", 8, "adam", 0.005),
    ("rnnlib", 16, "adam", 0.005),
    ("rnnlib", 32, "adam", 0.01),
)


def classic_trainer(params):
    """The loop's update as step(x, y, h) -> h, and a function giving its params for rnnlib."""
    P = classic_params(params)
    mem = {k: np.zeros_like(v) for k, v in P.items()}

    def step(x, y, h):
        h = np.zeros((H, 1)) if h is None else h
        return classic_step(P, mem, x[:, 0].tolist(), y[:, 0].tolist(), h)[1]

    def current():
        names = {"W_xh": "Wxh", "W_hh": "Whh", "W_hy": "Why", "b_h": "bh", "b_y": "by"}
        return {k: P[v].reshape(np.shape(params[k])) for k, v in names.items()}

    return step, current


def rnnlib_trainer(params, B, method, lr):
    """rnnlib's train_step with its Optimizer, as step(x, y, h) -> h, and its live params."""
    opt = Optimizer(params, method, lr, clip=CLIP)

    def step(x, y, h):
        return train_step(opt, x, y, np.zeros((B, H)) if h is None else h)[1]

    return step, lambda: opt.params


def train_until(step, current, X, Y, held, target, max_cpu):
    """Train on chunks of T rows of the streams X, Y (state reset when they end) until the
    held-out loss per character is <= target or max_cpu seconds of training have passed.

    Returns (reached, cpu seconds, wall seconds, training characters, last held-out loss).
    """
    L, B = X.shape
    p, h, chars, cpu, wall, loss = 0, None, 0, 0.0, 0.0, float("nan")
    while cpu < max_cpu:
        if p >= L:
            p, h = 0, None  # the streams start over: reset the memory
        c0, w0 = time.process_time(), time.perf_counter()
        h = step(X[p : p + T], Y[p : p + T], h)
        cpu, wall = cpu + time.process_time() - c0, wall + time.perf_counter() - w0
        chars_before, chars = chars, chars + min(T, L - p) * B
        p += T
        if chars // EVERY > chars_before // EVERY:
            loss = per_char_loss(current(), held)
            if loss <= target:
                return True, cpu, wall, chars, loss
    return False, cpu, wall, chars, loss


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", type=float, default=2.1, help="held-out nats/char (default 2.1)")
    ap.add_argument("--max-cpu", type=float, default=45.0, help="CPU seconds per recipe at most")
    args = ap.parse_args()
    text = load_corpus()
    vocab = rnnlib.Vocab.from_text(text)
    train_text, held_text = split(text, 0.1)
    train_ix, held = vocab.encode(train_text), vocab.encode(held_text)
    V = len(vocab)
    counts = np.bincount(train_ix, minlength=V) + 1.0  # add-one unigram model
    unigram = -np.log(counts[held[1:]] / counts.sum()).mean()
    print(f"corpus: {len(train_ix)} training and {len(held)} held-out characters, V={V}")
    print(f"reference losses (nats/char): uniform ln V = {np.log(V):.3f}, unigram = {unigram:.3f}")
    print(f"target: held-out loss <= {args.target:.3f} nats/char; H={H}, T={T}, clip {CLIP}")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"\n{'recipe':<34}{'reached':>8}{'CPU s':>8}{'wall s':>8}{'chars':>9}{'chars/s':>9}")
    results = {}
    for code, B, method, lr in RECIPES:
        params = rnnlib.init_params(V, H, rng=0)
        trainer = classic_trainer(params) if code == "classic loop" else None
        step, current = trainer or rnnlib_trainer(params, B, method, lr)
        X, Y = streams(train_ix, B)
        reached, cpu, wall, chars, loss = train_until(
            step, current, X, Y, held, args.target, args.max_cpu
        )
        name = f"{code}, B={B}, {method} lr {lr}"
        results[name] = cpu if reached else None
        status = "yes" if reached else f"no ({loss:.3f})"
        print(f"{name:<34}{status:>8}{cpu:>8.2f}{wall:>8.2f}{chars:>9,}{chars / cpu:>9,.0f}")
    base = results[f"{RECIPES[0][0]}, B=1, adagrad lr 0.1"]
    if base is not None:
        print("\nspeed-up in CPU seconds to the target over the classic loop:")
        for name, cpu in results.items():
            print(f"  {name:<34}" + (f"{base / cpu:6.1f}x" if cpu else "  not reached"))
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
