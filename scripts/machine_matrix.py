"""Run the notebooks and their claims as they would run on other machines (make test runs this).

    python scripts/machine_matrix.py [--skip-current] [--max N] [--jobs J] [--list]

The stored outputs of the notebooks must match a fresh run on any machine a teacher or student
uses. This box can pretend to be several of them:
- numpy's SIMD dispatch (NPY_DISABLE_CPU_FEATURES): from the best level this CPU supports down to
  numpy's baseline, so exp, log, tanh and sums run through other vector code;
- OpenBLAS's kernels (OPENBLAS_CORETYPE): every kernel this CPU can run, so matrix products add up
  in other orders (a kernel the CPU cannot execute is found by a probe and left out);
- another math library (scripts/ulp_noise): exp, log, tanh, ... off by up to 4 ulp, as numpy's
  AVX-512 code, Apple's Accelerate or an older numpy may be.
Each configuration runs strict `pytest --nbval` on notebooks/ plus the tests of the notebooks'
claims, two configurations at a time, BLAS on one thread. The table says which passed; a
failure prints the failing cells and the log's path (build/machine_matrix/). Exit status 1 if
any configuration failed.
"""

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / "build" / "machine_matrix"
NOISE = ROOT / "scripts" / "ulp_noise"
TESTS = [
    "notebooks",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_notebook_0*_claims.py")),
    "tests/test_stable_outputs.py",
    "tests/test_corpus.py",
]
# OpenBLAS kernels worth trying, oldest first (a probe keeps those this CPU runs)
CORETYPES = {
    "x86_64": ["Prescott", "Nehalem", "Sandybridge", "Haswell", "Zen", "SkylakeX", "Cooperlake"],
    "aarch64": ["ARMV8", "CortexA57", "NeoverseN1", "NeoverseV1"],
}
# numpy 1.x dispatches single features; these are the ones that change the vector width
NUMPY1_LEVELS = ("AVX", "AVX2", "AVX512F", "AVX512_SKX", "AVX512_ICL")
NOISE_SEEDS = (1,)
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

PROBE = r"""
import ctypes, glob, os, numpy as np
try:
    from numpy._core import _multiarray_umath as mu
except ImportError:
    from numpy.core import _multiarray_umath as mu
a = np.random.default_rng(0).standard_normal((64, 64))
s = float((a @ a).sum() + (a @ a[0]).sum())  # runs the BLAS kernels
core = "none"
libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
for path in glob.glob(os.path.join(libdir, "*openblas*")):
    lib = ctypes.CDLL(path)
    for name in ("scipy_openblas_get_corename64_", "openblas_get_corename64_",
                 "openblas_get_corename"):
        if hasattr(lib, name):
            getattr(lib, name).restype = ctypes.c_char_p
            core = getattr(lib, name)().decode()
            break
on = [f for f in mu.__cpu_dispatch__ if mu.__cpu_features__.get(f)]
print(core, ",".join(on), ",".join(mu.__cpu_dispatch__), np.__version__)
"""


def probe(env):
    """What numpy sees under env: (BLAS core name, dispatch targets on, all targets, version),
    or None if the process dies (an OpenBLAS kernel this CPU cannot execute)."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    if run.returncode != 0:
        return None
    core, on, targets, version = run.stdout.split()
    return core, on.split(","), targets.split(","), version


def base_env():
    env = {k: v for k, v in os.environ.items() if k != "RNNLIB_ULP_NOISE"}
    return {**env, **ONE_THREAD}


def simd_levels(targets_on, all_targets, numpy_version):
    """[(label, NPY_DISABLE_CPU_FEATURES value)] from this CPU's best level down to baseline."""
    if numpy_version.startswith("1."):
        bounds = [t for t in all_targets if t in NUMPY1_LEVELS]
    else:
        bounds = list(all_targets)  # numpy 2 dispatches whole levels (X86_V3, X86_V4, ...)
    bounds = [t for t in bounds if t in targets_on]
    levels = [(f"numpy {targets_on[-1] if targets_on else 'baseline'}", "")]
    for i in range(len(bounds) - 1, -1, -1):  # drop the top level, then the next one
        dropped = all_targets[all_targets.index(bounds[i]) :]
        below = bounds[i - 1] if i > 0 else "baseline"
        levels.append((f"numpy {below}", " ".join(dropped)))
    return levels


def blas_kernels(env, native):
    """[(label, OPENBLAS_CORETYPE value)]: the kernel chosen for this CPU (native, the probe of
    env), then every other kernel it can run (by the core name OpenBLAS reports, so aliases
    count once)."""
    found = [(f"BLAS {native[0]}", env.get("OPENBLAS_CORETYPE", ""))]
    seen = {native[0]}
    if native[0] == "none":
        return found  # not OpenBLAS (Accelerate, MKL): no kernels to choose
    for core in CORETYPES.get(os.uname().machine, []):
        got = probe({**env, "OPENBLAS_CORETYPE": core})
        if got is not None and got[0] not in seen:
            seen.add(got[0])
            name = core if got[0].lower() == core.lower() else f"{core} ({got[0]})"
            found.append((f"BLAS {name}", core))
    return found


def configurations(max_configs):
    """The simulated machines: SIMD level x BLAS kernel (the full grid if it has at most
    max_configs cells, else each level with the native kernel and each kernel with the native
    level, plus the lowest of both), then the native machine with a noisy math library."""
    env = base_env()
    native = probe(env)
    levels, kernels = simd_levels(*native[1:]), blas_kernels(env, native)
    grid = [(s, b) for s in levels for b in kernels]
    if len(grid) > max_configs:
        grid = [(s, kernels[0]) for s in levels] + [(levels[0], b) for b in kernels[1:]]
        grid.append((levels[-1], kernels[-1]))
    out = []
    for (s_label, s_val), (b_label, b_val) in grid:
        extra = {"NPY_DISABLE_CPU_FEATURES": s_val, "OPENBLAS_CORETYPE": b_val}
        out.append((f"{s_label}, {b_label}", extra))
    for seed in NOISE_SEEDS:
        noisy = {"RNNLIB_ULP_NOISE": str(seed), "PYTHONPATH": os.pathsep.join(
            p for p in (str(NOISE), env.get("PYTHONPATH", "")) if p)}  # fmt: skip
        out.append((f"{grid[0][0][0]}, {grid[0][1][0]}, libm +-4 ulp (seed {seed})", noisy))
    return out


def is_current(extra):
    """True if running with `extra` (empty = unset) is running in this environment as it is."""
    return all(os.environ.get(key, "") == value for key, value in extra.items())


def run_one(index, label, extra):
    """Run the notebook suite under one configuration.

    Returns (ok, pytest's summary line, the FAILED/ERROR lines, seconds, the log's path)."""
    env = base_env()
    for key, value in extra.items():
        if value:
            env[key] = value
        else:
            env.pop(key, None)
    log = LOGS / f"{index:02d}.log"
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", *TESTS]
    with open(log, "w") as f:
        f.write(f"# {label}\n# {' '.join(f'{k}={v}' for k, v in extra.items())}\n")
        f.flush()
        code = subprocess.run(cmd, cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT).returncode
    seconds = time.perf_counter() - start
    lines = log.read_text().splitlines()
    summary = next((ln.strip("= ") for ln in reversed(lines) if " in " in ln), "no summary")
    failures = [ln for ln in lines if ln.startswith(("FAILED", "ERROR"))]
    return code == 0, summary, failures, seconds, log


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=10, help="most SIMD x BLAS cells (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="configurations at once (default 2)")
    parser.add_argument(
        "--skip-current", action="store_true", help="leave out this machine as it is"
    )
    parser.add_argument("--list", action="store_true", help="print the configurations, run none")
    args = parser.parse_args()
    configs = configurations(args.max)
    if args.skip_current:  # the configuration that changes nothing in this environment
        configs = [(lab, ex) for lab, ex in configs if not is_current(ex)]
    if args.list:
        for label, extra in configs:
            print(f"{label:55s} {' '.join(f'{k}={v!r}' for k, v in extra.items())}")
        return 0
    LOGS.mkdir(parents=True, exist_ok=True)
    print(f"machine matrix: {len(configs)} configurations, {args.jobs} at a time, BLAS 1 thread")
    start = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        jobs = [pool.submit(run_one, i, lab, ex) for i, (lab, ex) in enumerate(configs)]
        results = [j.result() for j in jobs]
    failed = 0
    for (label, _), (ok, summary, failures, seconds, log) in zip(configs, results, strict=True):
        print(f"  {'ok  ' if ok else 'FAIL'} {label:55s} {seconds:5.1f} s  {summary}")
        if not ok:
            failed += 1
            for line in failures:
                print(f"         {line}")
            print(f"         log: {log.relative_to(ROOT)}")
    total = time.perf_counter() - start
    print(f"machine matrix: {len(configs) - failed} of {len(configs)} configurations passed "
          f"({total:.0f} s)")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
