"""The course site's page budget in headless Chromium, with no kernel and no network.

Serves site/ (built by `make site`, rebuilt here if stale) from a local static server, every
request outside it aborted (tests/browser/site_page.py), and for each notebook page (code shown):
  weight   the page's HTML in MB (the shared vendor/ JavaScript comes on top, once per visit);
  first    ms from navigation start until the first view's canvas shows a frame;
  all      the same until every view shows one;
  presses  one step forward and back on each slider of each view, then `--presses` more on the
           page's first slider (right and left in turn); each timed in the page from the keydown
           event's timeStamp to the animation frame after the canvas's data-frame changed (the
           new frame painted).
Prints a row per page, then the median and p95 over all presses, and whether the goals of issue 12
are met (each page under 15 MB, first view interactive within 3 s, median <= 30 ms, p95 <= 60 ms).
Browser, server and this script share the machine's two cores.

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/site_latency.py [--presses 20] [NAME ...]
(NAME: notebook stems to keep, e.g. 03_hello; default all).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import lab  # noqa: E402
import site_page  # noqa: E402

GOAL_MB, GOAL_FIRST_MS, GOAL_MEDIAN_MS, GOAL_P95_MS = 15.0, 3000.0, 30.0, 60.0


def measure(base, context, name, presses):
    """(MB, first ms, all ms, [press ms]) of one page."""
    mb = (site_page.SITE / f"{name}.html").stat().st_size / 1e6
    page, errors, expected = site_page.open_page(base, context, name)
    try:
        first, last, _ = site_page.timings(page)
        for n, view in enumerate(page.evaluate(site_page.VIEWS)):
            for k, control in enumerate(view["controls"]):
                if control["kind"] != "slider":
                    continue
                forward = control["value"] < control["max"]
                for step in (forward, not forward):
                    now = page.evaluate(site_page.VIEWS)[n]["controls"][k]
                    site_page.change(page, n, k, now, step)
                    site_page.wait_frame(page, n)
        if expected:
            handle = page.locator(".noUi-handle").first
            handle.scroll_into_view_if_needed()
            handle.focus()
            keys = ["ArrowRight", "ArrowLeft"]
            if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax"):
                keys.reverse()  # right then left, in turn, so every press moves the slider
            for i in range(presses):
                page.keyboard.press(keys[i % 2])
                time.sleep(0.08)
        if errors:
            print(f"  {name}: page errors {errors}")
        return mb, first, last, site_page.timings(page)[2]
    finally:
        page.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebook stems to keep (default: all)")
    parser.add_argument("--presses", type=int, default=20, help="extra presses per page")
    args = parser.parse_args()
    missing = lab.chromium_missing()
    if missing:
        sys.exit(f"cannot measure: {missing}")
    names = [n for n in site_page.page_names() if not n.endswith("-present")]
    names = [n for n in names if not args.names or n in args.names]
    print(__doc__.split("Run:")[0].strip())
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start\n")
    head = (
        f"{'page':<16} {'MB':>6} {'first ms':>9} {'all ms':>8} {'presses':>8} {'med':>6} {'p95':>6}"
    )
    print(head)
    print("-" * len(head))
    all_ms, worst_mb, worst_first = [], 0.0, 0.0
    with site_page.served() as (base, context, aborted):
        for name in names:
            mb, first, last, ms = measure(base, context, name, args.presses)
            worst_mb = max(worst_mb, mb)
            if first is not None:
                worst_first = max(worst_first, first)
            all_ms.extend(ms)
            cells = [f"{x:.0f}" if x is not None else "-" for x in (first, last)]
            med, p95 = (
                (f"{np.median(ms):.1f}", f"{np.percentile(ms, 95):.1f}") if ms else ("-",) * 2
            )
            print(
                f"{name:<16} {mb:>6.2f} {cells[0]:>9} {cells[1]:>8} {len(ms):>8} {med:>6} {p95:>6}"
            )
        if aborted:
            print(f"requests outside the site (aborted): {aborted}")
    print("-" * len(head))
    ms = np.array(all_ms)
    med, p95 = np.median(ms), np.percentile(ms, 95)
    print(
        f"overall: {ms.size} presses, median {med:.1f} ms, p95 {p95:.1f} ms, max {ms.max():.1f} ms"
    )
    goals = [
        (f"every page under {GOAL_MB:.0f} MB", worst_mb < GOAL_MB),
        (f"first view within {GOAL_FIRST_MS:.0f} ms", worst_first <= GOAL_FIRST_MS),
        (
            f"median <= {GOAL_MEDIAN_MS:.0f} ms, p95 <= {GOAL_P95_MS:.0f} ms",
            med <= GOAL_MEDIAN_MS and p95 <= GOAL_P95_MS,
        ),
    ]
    for goal, met in goals:
        print(f"  goal {goal}: {'met' if met else 'NOT met'}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return all(met for _, met in goals)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
