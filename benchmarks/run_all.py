"""Run All in JupyterLab: seconds per notebook, and when each view's controls are live.

In a fresh JupyterLab and headless Chromium (the tests/browser harness, 2x device pixels), each
notebook is opened (kernel started and idle), then Run > Run All Cells is chosen `--repeats` times
(outputs cleared before each, the kernel kept: the first run pays the imports, the later ones
show a warm kernel). Timed from the menu click until every code cell has run
(NotebookPage.run_all). After each run the script also waits until every view's frame switcher
in the page draws a frame (a canvas marked with data-frame) and prints that wait as "live s":
the time after Run All finished until the last view could answer a slider in the page. A run
whose outputs hold an error stops the script (it would time nothing).
Printed per notebook: the first run, the median of the others, and live s of the last run; then
whether the goal (warm Run All <= 5 s per notebook) is met. Kernel, server and browser share
this machine: run it on a quiet one (the load average is printed at the start and the end).

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/run_all.py [--repeats 3] [NAME ...]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import lab  # noqa: E402
from notebook_page import each_open, output_problems  # noqa: E402

GOAL_S = 5.0
ALL_LIVE = """() => Array.from(document.querySelectorAll('.jp-Notebook .rnnlib-frames'))
  .every(el => el.querySelector('canvas[data-frame]'))"""


def run(nb, repeats):
    """Run All `repeats` times; returns (seconds per run, live seconds after the last run)."""
    runs, live = [], 0.0
    for _ in range(repeats):
        took = nb.run_all(timeout=300)
        errors, _ = output_problems(nb.cells())
        if errors:  # a Run All stopped by an error is fast and measures nothing
            raise SystemExit(f"{nb.path}: Run All failed: {errors[0]}")
        start = time.monotonic()
        nb.page.wait_for_function(ALL_LIVE, timeout=60_000, polling=50)
        live = max(0.0, time.monotonic() - start)
        runs.append(took)
    return runs, live


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebook stems to keep (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="Run All per notebook")
    args = parser.parse_args()
    if args.repeats < 2:
        sys.exit(f"--repeats must be at least 2 (a cold and a warm run), got {args.repeats}")
    missing = lab.chromium_missing()
    if missing:
        sys.exit(f"cannot measure: {missing}")
    paths = [p for p in lab.notebooks() if not args.names or p.stem in args.names]
    print(__doc__.split("Run:")[0].strip())
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start\n")
    head = f"{'notebook':<14} {'first s':>8} {'warm s':>7} {'live s':>7}"
    print(head)
    print("-" * len(head))
    worst = 0.0
    for path, nb in each_open(paths):
        runs, live = run(nb, args.repeats)
        warm = statistics.median(runs[1:])
        worst = max(worst, warm)
        print(f"{path.stem:<14} {runs[0]:>8.1f} {warm:>7.1f} {live:>7.2f}", flush=True)
    print("-" * len(head))
    verdict = "met" if worst <= GOAL_S else "NOT met"
    print(f"goal: warm Run All <= {GOAL_S:.0f} s per notebook: {verdict}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0 if worst <= GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
