"""The site's lite app (site/lite/: JupyterLite, Python as WebAssembly in the tab) in headless
Chromium: how long a student waits, what a visit downloads, what the browser holds.

site/ is served from a local static server, every request outside it aborted, and each notebook
is visited in a fresh browser context (empty storage and cache: a first visit), one after the
other (tests/browser/lite_page.py). Per notebook:
  first     s from navigation start (page.goto) until the first code cell's result: as soon as
            the notebook has a kernel session (Pyodide still loading), that cell is selected
            and Shift+Enter pressed, the run waits for the kernel, and the time is taken when
            the cell's execution count is set (every notebook's first cell only imports, so
            that is its result); polled every 50 ms. (Pressed earlier, while the notebook is
            shown but has no session yet, Lab opens its Select Kernel dialog, and accepting it
            races with the session being started: an uncaught "Session ... not found", and
            now and then a cell that never runs.)
  run all   s from Run > Run All Cells (outputs cleared first, the kernel warm) until every code
            cell has run (notebook_page.NotebookPage.run_all);
  sliders   each slider pressed --presses times (ArrowRight and ArrowLeft in turn), each timed
            in the page from the keydown's timeStamp to the frame that shows the new figure
            (notebook_page.PROBE);
  memory    the peak, while the notebook was open, of the summed RSS of the browser's processes,
            sampled every 0.25 s, and of their PSS (shared pages counted once), sampled every
            2 s as reading it costs (benchmarks/process_memory.py);
  MB        bytes the server sent during the visit: until the first result, and in all (Run All
            and the presses included).
Then where the first result's time goes, from the console messages of the app and of the
kernel's worker (received times, relative to navigation start) and from events recorded in the
page (the kernel's status, the cell's first output), the size of site/lite/ on disk,
and whether the goals are met: first result <= 15 s, Run All <= 20 s per notebook, slider median
<= 50 ms and p95 <= 100 ms, browser memory <= 1.2 GB (RSS). performance.measureUserAgentSpecific
Memory needs a cross-origin isolated page, which a plain static server does not give: RSS it is.
Browser, server and this script share the machine's cores.

Run: .venv/bin/python benchmarks/lite_latency.py [--presses 5] [--site DIR] [NAME ...]
(NAME: notebook stems to keep, e.g. 03_hello; default all five).
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))
import lab  # noqa: E402
import lite_page  # noqa: E402
import site_page  # noqa: E402
from notebook_page import PANEL  # noqa: E402
from process_memory import Sampler  # noqa: E402

GOAL_FIRST_S, GOAL_RUN_ALL_S, GOAL_MEDIAN_MS, GOAL_P95_MS, GOAL_MEMORY_GB = 15, 20, 50, 100, 1.2
MB = 1e6
# Milestones of the first result, in the order they happen: (label, console message pattern)
MILESTONES = [
    ("Pyodide runtime up (first package load)", r"^Loading micropip"),
    ("kernel's IPython packages loaded", r"^Loaded .*ipython"),
    ("the cell's imports: loading packages", r"^Loading .*numpy"),
    ("the cell's imports: packages loaded", r"^Loaded .*numpy"),
]
SHOWN = f"() => {PANEL}?.context?.isReady && {PANEL}.content.widgets.length > 0"
SESSION = f"() => Boolean({PANEL}.sessionContext.session?.kernel)"
# Selects the first code cell (its stored execution count cleared: not this run's result) and
# records in the page, in ms since navigation start, the kernel's status changes and the cell's
# first output.
FIRST_CODE = f"""() => {{
  const nb = {PANEL}.content;
  const seen = window.__lite = {{status: [], output: null}};
  {PANEL}.sessionContext.statusChanged.connect((_, s) => seen.status.push([s, performance.now()]));
  nb.activeCellIndex = nb.widgets.findIndex(w => w.model.type === 'code');
  const cell = nb.activeCell.model;
  cell.executionCount = null;
  cell.outputs.changed.connect(() => {{
    if (cell.outputs.length) seen.output ??= performance.now();
  }});
  nb.mode = 'command';
  nb.node.focus();
  return nb.activeCellIndex;
}}"""
RAN = f"(i) => {PANEL}.content.model.cells.get(i).executionCount !== null"


def first_result(nb, url, console):
    """Open url; press Shift+Enter on the first code cell as soon as the notebook has a kernel
    session; returns (seconds to the cell's result, milestones {label: s}); console: the list
    of the page's (time.monotonic(), message text)."""
    start = time.monotonic()
    nb.page.goto(url, wait_until="commit")
    nb.page.wait_for_function(SHOWN, timeout=120_000, polling=50)
    steps = {"app and notebook shown": time.monotonic() - start}
    nb.page.wait_for_function(SESSION, timeout=120_000, polling=50)
    steps["kernel session created (Pyodide loading)"] = time.monotonic() - start
    index = nb.page.evaluate(FIRST_CODE)
    nb.page.keyboard.press("Shift+Enter")
    steps["Shift+Enter pressed"] = time.monotonic() - start
    nb.page.wait_for_function(RAN, arg=index, timeout=300_000, polling=50)
    first = time.monotonic() - start
    for label, pattern in MILESTONES:
        seen = [t for t, text in console if t >= start and re.search(pattern, text)]
        if seen:
            steps[label] = seen[0] - start
    steps["first result (execution count set)"] = first
    seen = nb.page.evaluate("() => window.__lite")
    idle = [ms for status, ms in seen["status"] if status == "idle"]
    if idle:
        steps["kernel idle (first time)"] = idle[0] / 1000
    if seen["output"] is not None:
        steps["the cell's first output (stderr)"] = seen["output"] / 1000
    return first, dict(sorted(steps.items(), key=lambda kv: kv[1]))


def sliders(nb, presses):
    """keydown -> figure painted (ms) of every press on every slider."""
    times = []
    for s in nb.sliders():
        keys = (
            ["ArrowLeft", "ArrowRight"] if s["value"] >= s["max"] else ["ArrowRight", "ArrowLeft"]
        )
        for i in range(presses):
            figure, _ = nb.press(s["index"], keys[i % 2], quiet=0.1)
            times.append(np.nan if figure is None else figure)
    return times


def visit(chromium, server, site, name, presses):
    """Measure one notebook on a first visit; returns a dict of its figures."""
    aborted, console = [], []
    context = lite_page.context(chromium, server.base, site, aborted)
    page = context.new_page()
    page.on("console", lambda m: console.append((time.monotonic(), m.text)))
    nb = lite_page.LitePage(page, name)
    before = server.bytes_sent
    try:
        with Sampler() as memory:
            first, steps = first_result(nb, lite_page.url(site, name), console)
            first_mb = (server.bytes_sent - before) / MB
            nb.open()  # kernel idle, file browser open
            run_all = nb.run_all(timeout=300)
            presses_ms = sliders(nb, presses)
        return {
            "first": first,
            "steps": steps,
            "run_all": run_all,
            "presses": presses_ms,
            "rss": memory.peak_rss,
            "pss": memory.peak_pss,
            "idle_rss": memory.first_rss,
            "idle_pss": memory.first_pss,
            "first_mb": first_mb,
            "mb": (server.bytes_sent - before) / MB,
            "aborted": aborted,
            "errors": nb.page_errors,
        }
    finally:
        context.close()


def disk(folder):
    """{part: bytes} of folder's files by top-level folder (static/ by its subfolders)."""
    parts = {}
    for f in folder.rglob("*"):
        if f.is_file():
            rel = f.relative_to(folder).parts
            part = "/".join(rel[:2]) if rel[0] == "static" else rel[0]
            part = part if len(rel) > 1 else "(files at the top)"
            parts[part] = parts.get(part, 0) + f.stat().st_size
    return parts


def stats(ms):
    ok = np.asarray(ms, float)
    ok = ok[~np.isnan(ok)]
    if not ok.size:
        return np.nan, np.nan
    return float(np.median(ok)), float(np.percentile(ok, 95))


def report(rows, site_dir):
    """Print the tables; returns whether every goal is met."""
    head = (
        f"{'notebook':<14} {'first s':>8} {'run all s':>10} {'presses':>8} {'med ms':>7} "
        f"{'p95 ms':>7} {'RSS MB':>7} {'PSS MB':>7} {'MB first':>9} {'MB all':>7}"
    )
    print(head)
    print("-" * len(head))
    for name, r in rows.items():
        med, p95 = stats(r["presses"])
        print(
            f"{name:<14} {r['first']:>8.1f} {r['run_all']:>10.1f} {len(r['presses']):>8} "
            f"{med:>7.1f} {p95:>7.1f} {r['rss'] / MB:>7.0f} {r['pss'] / MB:>7.0f} "
            f"{r['first_mb']:>9.1f} {r['mb']:>7.1f}"
        )
    print("-" * len(head))
    presses = [ms for r in rows.values() for ms in r["presses"]]
    med, p95 = stats(presses)
    misses = int(np.isnan(np.asarray(presses, float)).sum())
    worst_first = max(r["first"] for r in rows.values())
    worst_run = max(r["run_all"] for r in rows.values())
    peak, peak_pss = max(r["rss"] for r in rows.values()), max(r["pss"] for r in rows.values())
    idle = min(r["idle_rss"] for r in rows.values()), min(r["idle_pss"] for r in rows.values())
    print(
        f"sliders: {len(presses)} presses, median {med:.1f} ms, p95 {p95:.1f} ms, {misses} misses"
    )
    print(
        f"memory of the browser with a blank page, before a visit: RSS {idle[0] / MB:.0f} MB, "
        f"PSS {idle[1] / MB:.0f} MB"
    )
    print("\nwhere the first result's time goes (s from navigation start):")
    labels = list(dict.fromkeys(label for r in rows.values() for label in r["steps"]))
    print(f"  {'':<44}" + "".join(f"{name[:12]:>13}" for name in rows))
    for label in labels:
        cells = [r["steps"].get(label) for r in rows.values()]
        print(f"  {label:<44}" + "".join(f"{'-' if c is None else f'{c:.1f}':>13}" for c in cells))
    parts = disk(site_dir / "lite")
    print(f"\nsite/lite on disk: {sum(parts.values()) / MB:.1f} MB")
    for part, size in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {part:<28} {size / MB:7.1f} MB")
    goals = [
        (
            f"first result <= {GOAL_FIRST_S} s (worst {worst_first:.1f} s)",
            worst_first <= GOAL_FIRST_S,
        ),
        (
            f"Run All <= {GOAL_RUN_ALL_S} s per notebook (worst {worst_run:.1f} s)",
            worst_run <= GOAL_RUN_ALL_S,
        ),
        (
            f"slider median <= {GOAL_MEDIAN_MS} ms, p95 <= {GOAL_P95_MS} ms",
            misses == 0 and med <= GOAL_MEDIAN_MS and p95 <= GOAL_P95_MS,
        ),
        (
            f"browser memory <= {GOAL_MEMORY_GB} GB as RSS summed (peak {peak / 1e9:.2f} GB)",
            peak <= GOAL_MEMORY_GB * 1e9,
        ),
        (
            f"browser memory <= {GOAL_MEMORY_GB} GB as PSS summed (peak {peak_pss / 1e9:.2f} GB)",
            peak_pss <= GOAL_MEMORY_GB * 1e9,
        ),
    ]
    print()
    for goal, met in goals:
        print(f"  goal {goal}: {'met' if met else 'NOT met'}")
    return all(met for _, met in goals)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebook stems to keep (default: all)")
    parser.add_argument("--presses", type=int, default=5, help="presses per slider")
    parser.add_argument(
        "--site", type=Path, help="a built site to serve (default: site/, rebuilt if stale)"
    )
    args = parser.parse_args()
    missing = lab.chromium_missing()
    if missing:
        sys.exit(f"cannot measure: {missing}")
    site_dir = args.site or site_page.SITE
    if args.site is None:
        site_page.builder().ensure_built(site_dir)
    names = [n for n in lite_page.NAMES if not args.names or n in args.names]
    print(__doc__.split("Run:")[0].strip())
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start\n")
    rows = {}
    with site_page.static_server(site_dir) as server, lab.browser() as chromium:
        for name in names:
            rows[name] = visit(chromium, server, server.base, name, args.presses)
            if rows[name]["aborted"] or rows[name]["errors"]:
                print(f"{name}: aborted {rows[name]['aborted']}, errors {rows[name]['errors']}")
    met = report(rows, site_dir)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return met


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
