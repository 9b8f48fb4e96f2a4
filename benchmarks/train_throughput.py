"""Training throughput of rnnlib against the classic per-timestep numpy loop (and PyTorch).

Characters per second of loss_and_grads (forward + backward) and of a full training step
(element-wise clipping to +/-5 and an Adagrad update, lr 0.1), at H=100, T=25, V=80, float64,
with BLAS limited to one thread, for B = 1, 16 and 64. The baseline is min-char-rnn's algorithm,
written below: one-hot column vectors, a Python loop over the timesteps forward and backward,
Adagrad. PyTorch CPU nn.RNN + autograd (float64, one thread) joins when it is importable.
"numpy floor" does only the float64 array work that no vectorized version can avoid (see
floor_contender): a ceiling for what numpy can do here.
The contenders alternate in rounds, so that a change in machine load hits them all alike; the
table shows the median over rounds and the median of the per-round ratios to the loop.

Run from the repository root:  python benchmarks/train_throughput.py [--rounds N] [--burst S]
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
import ctypes  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import bptt  # noqa: E402
from rnnlib.optim import Optimizer  # noqa: E402
from rnnlib.training import train_step  # noqa: E402

H, T, V = 100, 25, 80
BATCHES = (1, 16, 64)
CLIP, LR = 5.0, 0.1


def classic_loss_and_grads(P, inputs, targets, hprev):
    """min-char-rnn's loss function: one sequence, column vectors, a loop over t both ways.

    Inputs: P dict Wxh (H, V), Whh (H, H), Why (V, H), bh (H, 1), by (V, 1); inputs, targets
    lists of T indices; hprev (H, 1). Returns loss, dict of gradients (keys "d" + name), h_T.
    Written as the original (np.dot, softmax without a shift), which is also its fastest form.
    """
    Wxh, Whh, Why, bh, by = P["Wxh"], P["Whh"], P["Why"], P["bh"], P["by"]
    xs, hs, ps = {}, {-1: np.copy(hprev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((Wxh.shape[1], 1))
        xs[t][inputs[t]] = 1.0  # one-hot x_t
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)  # hidden state
        ys = np.dot(Why, hs[t]) + by  # logits
        ps[t] = np.exp(ys) / np.sum(np.exp(ys))  # softmax
        loss += -np.log(ps[t][targets[t], 0])  # cross-entropy
    d = {"d" + k: np.zeros_like(v) for k, v in P.items()}
    dhnext = np.zeros_like(hprev)
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1.0  # backprop into y
        d["dWhy"] += np.dot(dy, hs[t].T)
        d["dby"] += dy
        dh = np.dot(Why.T, dy) + dhnext  # backprop into h
        dhraw = (1.0 - hs[t] * hs[t]) * dh  # backprop through tanh
        d["dbh"] += dhraw
        d["dWxh"] += np.dot(dhraw, xs[t].T)
        d["dWhh"] += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    return loss, d, hs[len(inputs) - 1]


def classic_step(P, mem, inputs, targets, hprev):
    """One min-char-rnn update: gradients, clip to [-5, 5], Adagrad. Returns loss and h_T."""
    loss, d, h = classic_loss_and_grads(P, inputs, targets, hprev)
    for k in P:
        g = d["d" + k]
        np.clip(g, -CLIP, CLIP, out=g)  # mitigate exploding gradients
        mem[k] += g * g
        P[k] += -LR * g / np.sqrt(mem[k] + 1e-8)  # Adagrad
    return loss, h


def classic_params(params):
    """rnnlib's params as the loop's column-vector dict."""
    names = {"Wxh": "W_xh", "Whh": "W_hh", "Why": "W_hy", "bh": "b_h", "by": "b_y"}
    return {
        k: params[v].reshape(-1, 1).copy() if k[0] == "b" else params[v].copy()
        for k, v in names.items()
    }


def cpu_model():
    """The processor's model name from /proc/cpuinfo ("?" where there is none)."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        return "?"


def blas_report():
    """Lines describing numpy's BLAS: build configuration and, when readable, the runtime."""
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    build = f"{cfg.get('name')} {cfg.get('version')}; {cfg.get('openblas configuration', '')}"
    lines = [f"BLAS build: {build}"]
    try:
        import threadpoolctl

        for info in threadpoolctl.threadpool_info():
            lines.append(f"threadpoolctl: {info}")
    except ImportError:
        lines.append(f"threadpoolctl: not installed; OpenBLAS runtime: {openblas_runtime()}")
    env = (
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "OPENBLAS_CORETYPE",
        "OPENBLAS_L2_SIZE",
    )
    lines.append("env: " + " ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in env))
    return lines


def openblas_runtime():
    """Core type and thread count reported by the loaded OpenBLAS, found in /proc/self/maps."""
    try:
        with open("/proc/self/maps") as f:
            path = next(ln.split()[-1] for ln in f if "openblas" in ln.lower() and ".so" in ln)
        lib = ctypes.CDLL(path)
    except (OSError, StopIteration):
        return "unknown (library not found)"
    found = {}
    for what, restype in (("corename", ctypes.c_char_p), ("num_threads", ctypes.c_int)):
        for prefix, suffix in (("scipy_openblas", "64_"), ("openblas", "64_"), ("openblas", "")):
            fn = getattr(lib, f"{prefix}_get_{what}{suffix}", None)
            if fn is not None:
                fn.restype = restype
                value = fn()
                found[what] = value.decode() if isinstance(value, bytes) else value
                break
    return ", ".join(f"{k} {v}" for k, v in found.items()) or "unknown (no query function)"


def torch_contenders(params, data):
    """PyTorch CPU nn.RNN + autograd in float64 (one thread), or {} when torch is missing."""
    try:
        import torch
    except ImportError:
        print("torch not installed")
        return {}
    torch.set_num_threads(1)
    print(f"torch {torch.__version__} (CPU, float64, 1 thread)")
    found = {}
    for B in BATCHES:
        rnn = torch.nn.RNN(V, H, nonlinearity="tanh").double()
        out = torch.nn.Linear(H, V).double()
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(torch.from_numpy(params["W_xh"]))
            rnn.weight_hh_l0.copy_(torch.from_numpy(params["W_hh"]))
            rnn.bias_ih_l0.copy_(torch.from_numpy(params["b_h"]))
            rnn.bias_hh_l0.zero_()
            out.weight.copy_(torch.from_numpy(params["W_hy"]))
            out.bias.copy_(torch.from_numpy(params["b_y"]))
        weights = list(rnn.parameters()) + list(out.parameters())
        opt = torch.optim.Adagrad(weights, lr=LR)
        X, Y = (torch.from_numpy(a) for a in data[B][:2])
        x = torch.nn.functional.one_hot(X, V).double()  # (T, B, V)
        h0 = torch.zeros(1, B, H, dtype=torch.float64)

        def grads(x=x, Y=Y, h0=h0, rnn=rnn, out=out, B=B, weights=weights):
            for w in weights:
                w.grad = None
            hs, _ = rnn(x, h0)
            logits = out(hs).reshape(-1, V)
            loss = torch.nn.functional.cross_entropy(logits, Y.reshape(-1), reduction="sum") / B
            loss.backward()
            return loss

        def step(grads=grads, weights=weights, opt=opt):
            grads()
            torch.nn.utils.clip_grad_value_(weights, CLIP)
            opt.step()

        found[("grads", "torch nn.RNN", B)] = grads
        found[("step", "torch nn.RNN", B)] = step
    return found


def make_data(rng):
    """Per batch size: inputs (T, B), targets (T, B) and h_prev (B, H)."""
    data = {}
    for B in BATCHES:
        ix = rng.integers(0, V, (T + 1, B))
        data[B] = (ix[:-1], ix[1:], np.zeros((B, H)))
    return data


def floor_contender(params, B):
    """The array work a vectorized float64 loss_and_grads cannot avoid, and nothing else.

    Per call: T recurrence products (B, H) @ (H, H) with tanh (rnnlib's choice of np.tanh or
    its expm1 form), the output layer (TB, H) @ (H, V) and its exp, the product back into h,
    T products with W_hh backwards, and the gradients of W_hh and W_hy as two GEMMs; no
    lookups, no softmax sums, no loss, no checks, buffers preallocated. Its rate is a ceiling
    for numpy here: what rnnlib could reach if everything else cost nothing.
    """
    W_hh, W_hy = params["W_hh"], params["W_hy"]
    N = T * B
    hs, step = np.zeros((T + 1, B, H)), np.empty((B, H))
    y, dh, scratch = np.empty((N, V)), np.empty((T, B, H)), np.empty((2, B, H))
    big = B * H >= bptt.EXPM1_TANH_MIN

    def run():
        for t in range(T):
            np.dot(hs[t], W_hh, out=step)
            if big:
                bptt.tanh_expm1(step, hs[t + 1], scratch)
            else:
                np.tanh(step, out=hs[t + 1])
        np.matmul(hs[1:].reshape(N, H), W_hy.T, out=y)
        np.exp(y, out=y)
        np.matmul(y, W_hy, out=dh.reshape(N, H))
        for t in range(T - 1, 0, -1):
            np.dot(dh[t], W_hh, out=step)
        dh.reshape(N, H).T @ hs[:-1].reshape(N, H)
        y.T @ hs[1:].reshape(N, H)

    return run


def contenders(params, data):
    """{(kind, name, B): function doing one call}; kind is "grads" or "step"."""
    P, mem = classic_params(params), {}
    mem.update({k: np.zeros_like(v) for k, v in P.items()})
    xs, ys = data[1][0][:, 0].tolist(), data[1][1][:, 0].tolist()  # Python ints, as min-char-rnn
    h1 = np.zeros((H, 1))
    found = {
        ("grads", "classic loop", 1): lambda: classic_loss_and_grads(P, xs, ys, h1),
        ("step", "classic loop", 1): lambda: classic_step(P, mem, xs, ys, h1),
    }
    for B in BATCHES:
        X, Y, h = data[B]
        opt = Optimizer(params, "adagrad", LR, clip=CLIP)
        found[("grads", "rnnlib", B)] = lambda X=X, Y=Y, h=h: rnnlib.loss_and_grads(params, X, Y, h)
        found[("step", "rnnlib", B)] = lambda X=X, Y=Y, h=h, opt=opt: train_step(opt, X, Y, h)
        found[("grads", "numpy floor", B)] = floor_contender(params, B)
    found.update(torch_contenders(params, data))
    return found


def accuracy_check(params, data):
    """Largest relative difference between rnnlib and the loop on one B=1 sequence."""
    X, Y, _ = data[1]
    loss, g, _ = rnnlib.loss_and_grads(params, X[:, 0], Y[:, 0], np.zeros(H))
    loss_c, d, _ = classic_loss_and_grads(
        classic_params(params), X[:, 0].tolist(), Y[:, 0].tolist(), np.zeros((H, 1))
    )
    pairs = zip(
        ("W_xh", "W_hh", "W_hy", "b_h", "b_y"), ("dWxh", "dWhh", "dWhy", "dbh", "dby"), strict=True
    )
    err = max(np.abs(g[a] - d[b].reshape(g[a].shape)).max() / np.abs(d[b]).max() for a, b in pairs)
    return abs(loss - loss_c) / abs(loss_c), err


def measure(fns, rounds, burst):
    """Time every function in bursts of about `burst` seconds, alternating them in rounds.

    Returns {key: (N, 2) array}: per round, chars per CPU second of this process and the
    wall-clock seconds per CPU second (above 1 when other processes took the core). The order
    of contenders rotates each round.
    """
    calls = {}
    for key, f in fns.items():  # warm up, then size a burst
        f()
        t0, n = time.process_time(), 0
        while time.process_time() - t0 < burst / 2:
            f()
            n += 1
        calls[key] = max(1, round(2 * n))
    keys, rates = list(fns), {key: [] for key in fns}
    for r in range(rounds):
        for key in keys[r % len(keys) :] + keys[: r % len(keys)]:
            f, n = fns[key], calls[key]
            c0, w0 = time.process_time(), time.perf_counter()
            for _ in range(n):
                f()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            rates[key].append((n * T * key[2] / cpu, wall / cpu))
    return {k: np.array(v) for k, v in rates.items()}


def print_table(kind, title, rates):
    """One table: median chars/s, microseconds per char, spread, ratio to the loop, and the
    best round of each contender (closest to an idle machine)."""
    base = rates[(kind, "classic loop", 1)][:, 0]
    print(f"\n{title}")
    head = f"{'contender':<14}{'B':>4}{'chars/s':>10}{'us/char':>9}{'IQR/med':>9}{'vs loop':>9}"
    print(f"{head}{'best chars/s':>14}{'vs best loop':>14}")
    keys = sorted((k for k in rates if k[0] == kind), key=lambda k: (k[1] != "classic loop", k))
    for key in keys:
        r = rates[key][:, 0]
        med, (q1, q3) = np.median(r), np.percentile(r, [25, 75])
        ratio = np.median(r / base)  # paired with the loop measured in the same round
        print(
            f"{key[1]:<14}{key[2]:>4}{med:>10,.0f}{1e6 / med:>9.2f}{(q3 - q1) / med:>9.1%}"
            f"{ratio:>8.2f}x{r.max():>14,.0f}{r.max() / base.max():>13.2f}x"
        )
    slow = np.median(np.concatenate([rates[k][:, 1] for k in keys]))
    print(f"(CPU time of this process; median wall/CPU time {slow:.2f}: 1.00 means no contention)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=80, help="rounds of alternation (default 80)")
    ap.add_argument("--burst", type=float, default=0.02, help="CPU seconds per contender per turn")
    args = ap.parse_args()
    print(f"rnnlib training throughput: H={H}, T={T}, V={V}, float64, B in {BATCHES}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, CPU {cpu_model()}")
    print(f"logical CPUs {os.cpu_count()}, this process may use {len(os.sched_getaffinity(0))}")
    for line in blas_report():
        print(line)
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    rng = np.random.default_rng(0)
    params = rnnlib.init_params(V, H, rng=rng)
    data = make_data(rng)
    rel_loss, rel_grad = accuracy_check(params, data)
    print(
        f"rnnlib vs loop at B=1: loss rel diff {rel_loss:.1e}, largest grad rel diff {rel_grad:.1e}"
    )
    print("full step: rnnlib.training.train_step (Optimizer adagrad, lr 0.1, clip 5)")
    fns = contenders(params, data)
    t0 = time.perf_counter()
    rates = measure(fns, args.rounds, args.burst)
    print(f"{args.rounds} rounds in {time.perf_counter() - t0:.0f} s")
    print_table("grads", "loss_and_grads (forward + backward), chars/s, median over rounds", rates)
    print_table(
        "step", "full training step (+ clip + Adagrad update), chars/s, median over rounds", rates
    )
    print("\nload average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
