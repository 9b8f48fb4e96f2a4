"""The teacher's copy: the exercises notebook with the reference solutions filled in runs clean
and every check in it passes (scripts/teacher_copy.py, `make teacher`)."""

import importlib.util
from pathlib import Path

import nbformat

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "teacher_copy.py"


def load_script():
    spec = importlib.util.spec_from_file_location("teacher_copy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_teacher_copy_runs_clean_and_every_check_passes(tmp_path):
    teacher = load_script()
    out = tmp_path / "teacher" / "05_exercises.ipynb"
    assert teacher.build(out) == []
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    checks = [c for c in code if c.source.startswith("exercises.check_")]
    assert len(checks) == 5
    for cell in checks:
        assert cell.outputs[0].data["text/plain"].split("\n")[0].endswith(": passed")
    skeletons = [c for c in code if "exercise" in c.metadata.get("tags", [])]
    assert len(skeletons) == 5
    assert not any("NotImplementedError" in c.source for c in skeletons)


def test_the_teacher_copy_fails_loudly_when_a_check_does_not_pass():
    teacher = load_script()
    nb = nbformat.read(teacher.NOTEBOOK, as_version=4)  # the student's copy: nothing passes
    assert len(teacher.check_results(nb)) == 5
