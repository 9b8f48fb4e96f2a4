"""Slider latency in JupyterLab: from a key press to the repainted figure, measured in the page.

For every slider of every notebook (Run All first, in a fresh JupyterLab and headless Chromium,
as in tests/browser), press ArrowRight and ArrowLeft in turn (so values stay in range) and time
each press inside the page with performance.now() (probe: tests/browser/notebook_page.py):
  start    the keydown event's timeStamp (a capture listener on window, the first to run);
  figure   the view's <img> shows the new frame: its 'load' event after the new src (or at once
           when a frame is shown by switching elements), then the next animation frame, then
           the task right after it (a MessageChannel message): the frame that shows the new
           pixels has been produced;
  settled  the same mark for the last change of anything in the view (figure or HTML table),
           once nothing has changed for 0.2 s.
Prints per-slider and overall median and p95 in milliseconds, and whether the goal (median
<= 50 ms, p95 <= 100 ms, settled) is met. Kernel, server and browser share this machine.

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/slider_latency.py [--presses 10] [NAME ...]
(NAME: notebook stems to keep, e.g. 03_hello; default all of notebooks/).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import lab  # noqa: E402
from notebook_page import each_open  # noqa: E402

GOAL_MEDIAN_MS, GOAL_P95_MS = 50.0, 100.0


def measure(nb, presses):
    """Press every slider `presses` times; returns rows (slider name, figure ms, settled ms)."""
    rows = []
    for s in nb.sliders():
        name = f"cell {s['cell']} slider {s['index']} {s['label']}".rstrip()
        if nb.view_of(s["index"]).count() != 1:
            print(f"skipped {name}: no figure <img> in its view")
            continue
        keys = ["ArrowRight", "ArrowLeft"]
        if s["value"] >= s["max"]:
            keys.reverse()
        figure, settled = [], []
        for i in range(presses):
            f, t = nb.press(s["index"], keys[i % 2])
            figure.append(np.nan if f is None else f)
            settled.append(np.nan if t is None else t)
        rows.append((name, np.array(figure), np.array(settled)))
    return rows


def stats(ms):
    """(median, p95, max, misses) of an array of milliseconds; misses are presses never painted."""
    ok = ms[~np.isnan(ms)]
    if ok.size == 0:
        return np.nan, np.nan, np.nan, ms.size
    return np.median(ok), np.percentile(ok, 95), ok.max(), ms.size - ok.size


def report(results):
    """Print the per-slider table and the overall line; returns True when the goal is met."""
    head = (
        f"{'notebook':<16} {'slider':<34} {'n':>3} {'fig med':>8} {'med':>7} {'p95':>7} {'max':>7}"
    )
    print(head)
    print("-" * len(head))
    all_fig, all_set = [], []
    for notebook, rows in results:
        for name, figure, settled in rows:
            med, p95, top, miss = stats(settled)
            fig_med = stats(figure)[0]
            note = f"  ({miss} presses never repainted)" if miss else ""
            print(
                f"{notebook:<16} {name[:34]:<34} {len(settled):>3} {fig_med:>8.1f}"
                f" {med:>7.1f} {p95:>7.1f} {top:>7.1f}{note}"
            )
            all_fig.append(figure)
            all_set.append(settled)
    if not all_set:
        print("no slider found")
        return False
    med, p95, top, miss = stats(np.concatenate(all_set))
    fig_med, fig_p95 = stats(np.concatenate(all_fig))[:2]
    print("-" * len(head))
    print(f"overall: {sum(a.size for a in all_set)} presses on {len(all_set)} sliders")
    print(f"  keydown -> figure repainted: median {fig_med:.1f} ms, p95 {fig_p95:.1f} ms")
    print(f"  keydown -> view settled:     median {med:.1f} ms, p95 {p95:.1f} ms, max {top:.1f} ms")
    met = miss == 0 and med <= GOAL_MEDIAN_MS and p95 <= GOAL_P95_MS
    goal = f"median <= {GOAL_MEDIAN_MS:.0f} ms and p95 <= {GOAL_P95_MS:.0f} ms (settled)"
    print(f"  goal {goal}: {'met' if met else 'NOT met'}" + (f"; {miss} misses" if miss else ""))
    return met


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebook stems to keep (default: all)")
    parser.add_argument("--presses", type=int, default=10, help="presses per slider")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args()
    missing = lab.chromium_missing()
    if missing:
        sys.exit(f"cannot measure: {missing}")
    paths = [p for p in lab.notebooks() if not args.names or p.stem in args.names]
    load = os.getloadavg()
    print(__doc__.split("Run:")[0].strip())
    print(f"\nmachine: {os.cpu_count()} cores, load average {load[0]:.2f} at start\n")
    start, results = time.monotonic(), []
    for path, nb in each_open(paths):
        nb.run_all()
        results.append((path.stem, measure(nb, args.presses)))
    met = report(results)
    took = time.monotonic() - start
    print(f"\n{took:.0f} s in all; load average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        raw = {
            nb: {n: [None if np.isnan(x) else x for x in s] for n, _, s in rows}
            for nb, rows in results
        }
        args.json.write_text(json.dumps(raw, indent=1))
    return met


if __name__ == "__main__":
    main()
