"""The Pyodide machine (scripts/pyodide_machine.py) compares outputs as nbval does: the stored
outputs match themselves, every change nbval fails on is reported with its cell, and what nbval
does not compare (images, model ids, sanitized PNG bytes, nbval-ignore-output) is not."""

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "pyodide_machine.py"


@pytest.fixture(scope="module")
def machine():
    spec = importlib.util.spec_from_file_location("pyodide_machine", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def overview():
    nb = nbformat.read(REPO / "notebooks" / "01_overview.ipynb", as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"]


def outputs(cell):
    """A cell's stored outputs as the guest sends them: plain dicts, text as one string."""
    return [copy.deepcopy(dict(o)) for o in cell.outputs]


def differences(machine, cell, got):
    return machine.cell_differences(cell, got, machine.sanitizer())


def test_every_notebook_matches_its_own_outputs(machine):
    for path in machine.NOTEBOOKS:
        nb, job = machine.notebook_job(path)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert len(job["cells"]) == len(code) and job["folder"] == "/repo/notebooks"
        assert all(differences(machine, c, outputs(c)) == [] for c in code), path.name


def test_a_changed_number_is_reported_with_its_cell(machine, overview, capsys):
    cell = overview[2]
    got = outputs(cell)
    got[0]["text"] = got[0]["text"].replace("0.6753", "0.6754")
    diffs = differences(machine, cell, got)
    assert [field for field, _, _ in diffs] == ["stdout"]
    lines = machine.describe(2, *diffs[0])
    assert lines[0] == "  cell 2, stdout:"
    assert "0.6753" in lines[1] and "0.6754" in lines[2]


def test_a_changed_figure_text_is_reported_but_not_its_pixels(machine, overview):
    cell = overview[1]
    got = outputs(cell)
    data = got[0]["data"]
    data["image/png"] = "iVBORw0KGgo" + "A" * 40  # another picture: nbval skips image/png
    data["text/html"] = data["text/html"].replace("base64,iVBOR", "base64,XXXX")  # sanitized
    assert differences(machine, cell, got) == []
    data["text/plain"] = data["text/plain"].replace("Three graphs", "Two graphs")
    data["text/html"] = data["text/html"].replace("alt=", "title=")
    assert [field for field, _, _ in differences(machine, cell, got)] == ["text/html", "text/plain"]


def test_streams_are_merged_and_extra_or_missing_outputs_count(machine, overview):
    cell = overview[2]
    text = cell.outputs[0]["text"]
    split = [{"output_type": "stream", "name": "stdout", "text": t} for t in (text[:9], text[9:])]
    assert differences(machine, cell, split) == []  # as written in two pieces
    warning = {"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: overflow\n"}
    assert differences(machine, cell, split + [warning]) == [
        ("stderr", [], ["RuntimeWarning: overflow\n"])
    ]
    assert [field for field, _, _ in differences(machine, cell, [])] == ["stdout"]


def test_ignored_cells_are_not_compared_but_must_not_raise(machine, overview):
    cell = overview[3]
    assert "nbval-ignore-output" in cell.metadata["tags"]
    assert differences(machine, cell, []) == []
    error = {"output_type": "error", "ename": "TypeError", "evalue": "bad", "traceback": []}
    assert differences(machine, cell, [error]) == [("error", [], ["TypeError: bad"])]


def test_comment_markers_and_skip_tags_as_nbval(machine, overview):
    cell = copy.deepcopy(overview[3])
    cell.source = "# NBVAL_CHECK_OUTPUT\n" + cell.source  # a comment wins over the tag
    assert [f for f, _, _ in differences(machine, cell, [])] == ["text/html", "text/plain"]
    cell = copy.deepcopy(overview[2])
    cell.metadata["tags"] = ["nbval-skip"]
    assert differences(machine, cell, []) == []
    cell = copy.deepcopy(overview[2])
    cell.source = "# NBVAL_IGNORE_OUTPUT\n" + cell.source
    assert differences(machine, cell, []) == []


def test_a_cell_expected_to_raise_compares_the_error(machine, overview):
    cell = copy.deepcopy(overview[2])
    cell.metadata["tags"] = ["raises-exception"]
    error = {"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": ["..."]}
    cell.outputs = [nbformat.from_dict(error)]
    assert differences(machine, cell, [dict(error, traceback=["other"])]) == []
    assert differences(machine, cell, [dict(error, evalue="y")]) == [("evalue", ["x"], ["y"])]


def test_skipped_cells_are_not_run(machine, tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1"), nbformat.v4.new_code_cell("2")]
    nb.cells[1].metadata["tags"] = ["nbval-skip"]
    path = tmp_path / "lessons" / "x.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="x.ipynb is not in the checkout"):
        machine.notebook_job(path)
    monkeypatch.setattr(machine, "REPO", tmp_path)
    assert machine.notebook_job(path)[1] == {"folder": "/repo/lessons", "cells": ["1", None]}


def test_the_report_counts_differences_and_failed_checks(machine, capsys):
    path = machine.NOTEBOOKS[0]
    nb, job = machine.notebook_job(path)
    ran = [{"outputs": outputs(c)} for c in nb.cells if c.cell_type == "code"]
    ran[2]["outputs"][0]["text"] = "something else\n"
    assert (
        machine.report_notebooks({path.stem: (nb, job)}, {path.stem: {"cells": ran, "seconds": 1}})
        == 1
    )
    shown = capsys.readouterr().out
    assert f"{path.stem}: 1 cell(s) differ" in shown and "cell 2, stdout" in shown
    cases = [{"case": "sample buggy", "ok": False, "message": "passed", "seconds": 0.1}]
    assert machine.report_exercises({"cases": cases, "seconds": 0.1}) == 1
    assert "exercise check sample buggy: not the expected result" in capsys.readouterr().out


def test_without_node_it_skips_but_fails_on_ci(machine, monkeypatch, capsys):
    monkeypatch.setattr(machine.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    assert machine.main([]) == 0
    assert "node not found, skipped" in capsys.readouterr().out
    monkeypatch.setenv("CI", "true")
    assert machine.main([]) == 1
    assert "node not found, failed" in capsys.readouterr().out
