"""Page memory of the views' frames, per notebook: what the page holds and what it decodes.

Every view the notebooks show is built as they build it (the registry, rnnlib/course.py). A view
whose frames switch in the page sends all its PNGs to the page (held there as bytes), and the page
decodes frames into bitmaps of width x height x 4 bytes. frames.js decodes a frame when it is
first needed and keeps at most CACHE of them per view, so the decoded memory is bounded by
min(frames, CACHE) bitmaps per view, whatever the number of states. Printed per notebook: the
frames, the PNG bytes, the decoded bitmaps if every frame were decoded at once (what the page
did before the bounded cache, and at 1x), and the bound now (at SCALE x pixels).

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/frame_memory.py
"""

import re
from collections import defaultdict
from pathlib import Path

from rnnlib import course
from rnnlib.draw.style import SCALE

ROOT = Path(__file__).resolve().parents[1]

FRAMES_JS = ROOT / "rnnlib" / "widgets" / "frames.js"
CACHE = int(re.search(r"const CACHE = (\d+);", FRAMES_JS.read_text()).group(1))
MB = 1024 * 1024


def add(r, view, switcher):
    """Count one view's frames into the notebook's row r."""
    width, height = view.size  # image pixels (SCALE x the CSS size)
    n = len(switcher.frames)
    bitmap = width * height * 4
    r["views"] += 1
    r["frames"] += n
    r["png"] += sum(len(f) for f in switcher.frames)
    r["all_1x"] += n * bitmap / SCALE**2
    r["bound"] += min(n, CACHE) * bitmap


def main():
    rows = defaultdict(lambda: {"views": 0, "frames": 0, "png": 0, "all_1x": 0, "bound": 0})
    for notebook in course.NOTEBOOKS:
        for _, obj in course.figures(notebook):
            switcher = getattr(obj, "switcher", None)
            if switcher is None:
                continue  # frames come from the kernel one at a time, or no figure at all
            add(rows[notebook.stem], obj, switcher)
    print(f"decoded frames kept per view: at most {CACHE} (frames.js), at {SCALE}x pixels")
    head = f"{'notebook':14s} {'views':>5s} {'frames':>6s} {'PNG MB':>7s}"
    print(head + f" {'all decoded, 1x MB':>19s} {'bound now, 2x MB':>17s}")
    for nb in sorted(rows):
        r = rows[nb]
        print(
            f"{nb:14s} {r['views']:5d} {r['frames']:6d} {r['png'] / MB:7.1f}"
            f" {r['all_1x'] / MB:19.1f} {r['bound'] / MB:17.1f}"
        )


if __name__ == "__main__":
    main()
