"""The Pyodide machine of `make test`: the notebooks and the exercise checks as they run in the
browser, under Node with Pyodide 0.27.7 (CPython 3.12 on wasm32, numpy 2.0.2, matplotlib 3.8.4).

    .venv/bin/python scripts/pyodide_machine.py [NOTEBOOK ...] [--no-exercises]

Assembles build/pyodide if stale (scripts/pyodide_dist.py), then runs scripts/pyodide_machine.js:
in Pyodide, each notebook's code cells in order in a fresh IPython shell that records outputs as
ipykernel sends them (scripts/pyodide_guest.py), and the exercise checks on the reference
solutions and catalogued mistakes of tests/solutions/ (scripts/pyodide_exercises.py). Back
here, each cell's outputs are compared with the stored ones exactly as `pytest --nbval` compares
them: its tags and # NBVAL_* comments, the sanitizer tests/nbval_sanitize.cfg, streams merged,
every output field but those nbval skips (images, widget model ids, metadata, tracebacks).
Prints each difference and a summary; exits 1 on any difference or failed check. Without
node it says so and exits 0, but 1 when CI=true.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

import nbformat
from nbval.plugin import (
    coalesce_streams,
    find_comment_markers,
    find_metadata_tags,
    get_sanitize_patterns,
    transform_streams_for_comparison,
)

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
import pyodide_dist  # noqa: E402

REPO = SCRIPTS.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("0*.ipynb"))
SANITIZE = REPO / "tests" / "nbval_sanitize.cfg"  # as pyproject.toml's addopts give nbval
MOUNT = "/repo"  # where pyodide_machine.js mounts the checkout inside Pyodide
# nbval's IPyNbFile.skip_compare (without --nbdime): keys never compared
SKIP_COMPARE = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}


def cell_options(cell):
    """nbval's options for a code cell: its tags, then its # NBVAL_* comments (which win)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbval warns about conflicting markers; pytest shows it
        options = defaultdict(bool, find_metadata_tags(cell.metadata))
        options.update(dict(find_comment_markers(cell.source)))
    options.setdefault("check", True)  # --nbval, not --nbval-lax
    return options


def sanitizer(path=SANITIZE):
    """nbval's sanitize(): the file's regex/replace pairs applied in order to every string."""
    patterns = dict(get_sanitize_patterns(Path(path).read_text()))

    def sanitize(value):
        if isinstance(value, str):
            for regex, replace in patterns.items():
                value = re.sub(regex, replace, value)
        return value

    return sanitize


def compared(outputs, sanitize):
    """Outputs as nbval compares them: streams merged per name, then each field (a data dict
    flattened into its MIME types) mapped to the list of its sanitized values."""
    nodes = coalesce_streams([nbformat.from_dict(o) for o in outputs])  # new nodes
    fields = defaultdict(list)
    for output in transform_streams_for_comparison(nodes):
        for key, value in output.items():
            if key == "data":
                for mime, data in value.items():
                    if mime not in SKIP_COMPARE:
                        fields[mime].append(sanitize(data))
            elif key not in SKIP_COMPARE:
                fields[key].append(sanitize(value))
    return fields


def cell_differences(cell, got, sanitize):
    """Why nbval would fail this cell had a run given the outputs `got`: a list of (field,
    expected values, got values), empty when it passes."""
    options = cell_options(cell)
    if options["skip"]:
        return []
    errors = [o for o in got if o["output_type"] == "error"]
    if errors and not options["check_exception"]:  # checked with or without nbval-ignore-output
        return [("error", [], [f"{e['ename']}: {e['evalue']}" for e in errors[:1]])]
    if cell.execution_count is None:  # stored unrun: not compared, but must have no outputs
        return [("unrun", [], ["outputs stored for a cell never run"])] if cell.outputs else []
    if not options["check"]:
        return []
    want, have = compared(cell.outputs, sanitize), compared(got, sanitize)
    return [(k, want[k], have[k]) for k in sorted(want.keys() | have.keys()) if want[k] != have[k]]


def notebook_job(path):
    """The notebook, and its job for the guest: the folder it runs in (inside Pyodide) and the
    source of each code cell in order, None where nbval skips the cell."""
    path = Path(path).resolve()
    if not path.is_relative_to(REPO):
        raise ValueError(f"{path} is not in the checkout {REPO}, which Pyodide sees")
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    folder = f"{MOUNT}/{path.parent.relative_to(REPO).as_posix()}"
    return nb, {
        "folder": folder,
        "cells": [None if cell_options(c)["skip"] else c.source for c in code],
    }


def excerpt(want, got, width=100):
    """The two strings around their first difference, as two short lines."""
    if not (isinstance(want, str) and isinstance(got, str)):
        return repr(want)[:width], repr(got)[:width]
    common = min(len(want), len(got))
    at = next((i for i in range(common) if want[i] != got[i]), common)
    start = max(0, at - width // 3)
    cut = [("..." if start else "") + repr(s[start : start + width])[1:-1] for s in (want, got)]
    return tuple(cut)


def describe(cell_number, field, want, got):
    """Lines saying how one field of one cell differs."""
    head = f"  cell {cell_number}, {field}"
    if len(want) != len(got):
        lines = [f"{head}: {len(want)} outputs expected, got {len(got)}"]
        lines += [f"      expected: {repr(w)[:100]}" for w in want]
        return lines + [f"      got:      {repr(g)[:100]}" for g in got]
    lines = []
    for w, g in zip(want, got, strict=True):
        if w != g:
            e, h = excerpt(w, g)
            lines += [f"{head}:", f"      expected: {e}", f"      got:      {h}"]
    return lines


def run_guest(node, job, timeout=1800):
    """Run the job under Node + Pyodide; returns the guest's results."""
    dist = pyodide_dist.ensure()
    script = SCRIPTS / "pyodide_machine.js"
    with tempfile.TemporaryDirectory() as tmp:
        job_path, out_path = Path(tmp) / "job.json", Path(tmp) / "out.json"
        job_path.write_text(json.dumps(job))
        command = [node, str(script), str(dist), str(REPO), MOUNT, str(job_path), str(out_path)]
        done = subprocess.run(command, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"node {script.name} failed (exit {done.returncode})")
        return json.loads(out_path.read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, default=NOTEBOOKS)
    parser.add_argument("--no-exercises", action="store_true")
    args = parser.parse_args(argv)
    node = shutil.which("node")
    if node is None:
        ci = os.environ.get("CI") == "true"
        print(f"Pyodide machine: node not found, {'failed' if ci else 'skipped'}", flush=True)
        return 1 if ci else 0
    start = time.perf_counter()
    notebooks = {Path(p).stem: notebook_job(p) for p in args.notebooks}
    job = {
        "notebooks": {name: spec for name, (_, spec) in notebooks.items()},
        "solutions": None if args.no_exercises else f"{MOUNT}/tests",
    }
    results = run_guest(node, job)
    bad = report_notebooks(notebooks, results["notebooks"])
    bad += report_exercises(results["exercises"])
    verdict = "all match" if not bad else f"{bad} difference(s) or failure(s)"
    print(f"Pyodide machine: {verdict}, {time.perf_counter() - start:.0f} s in all")
    return 1 if bad else 0


def report_notebooks(notebooks, results):
    """Print every difference and a row per notebook; returns the number of cells that differ.
    Cells nbval does not compare (nbval-ignore-output) but whose outputs differ are named."""
    sanitize, rows, bad = sanitizer(), [], 0
    for name, (nb, _) in notebooks.items():
        code = [c for c in nb.cells if c.cell_type == "code"]
        lines, differing, ignored = [], 0, []
        for number, (cell, got) in enumerate(zip(code, results[name]["cells"], strict=True)):
            outputs = [] if got is None else got["outputs"]
            diffs = cell_differences(cell, outputs, sanitize)
            differing += bool(diffs)
            for field, want, have in diffs:
                lines += describe(number, field, want, have)
            if got is not None and not diffs and not cell_options(cell)["check"]:
                if compared(cell.outputs, sanitize) != compared(outputs, sanitize):
                    ignored.append(number)
        if lines:
            print(f"{name}: {differing} cell(s) differ from the stored outputs", *lines, sep="\n")
        if ignored:
            print(f"{name}: cells {ignored} differ too, but nbval does not compare them (tags)")
        checked = [c for c in code if not cell_options(c)["skip"] and cell_options(c)["check"]]
        rows.append((name, len(code), len(checked), differing, results[name]["seconds"]))
        bad += differing
    print(f"\n{'notebook':20s} {'cells':>5s} {'compared':>8s} {'differ':>6s} {'seconds':>7s}")
    for name, n, c, d, s in rows:
        print(f"{name:20s} {n:5d} {c:8d} {d:6d} {s:7.1f}")
    return bad


def report_exercises(results):
    """Print every check whose result is not the expected one and a row; returns their count."""
    if not results:
        return 0
    failed = [c for c in results["cases"] if not c["ok"]]
    for case in failed:
        print(f"exercise check {case['case']}: not the expected result\n  {case['message']}")
    print(
        f"{'exercise checks':20s} {len(results['cases']):5d} {'':8s} {len(failed):6d} "
        f"{results['seconds']:7.1f}"
    )
    slowest = max(results["cases"], key=lambda c: c["seconds"])
    print(f"(slowest check: {slowest['case']}, {slowest['seconds']:.1f} s)")
    return len(failed)


if __name__ == "__main__":
    sys.exit(main())
