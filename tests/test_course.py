"""The registry of notebooks and views (rnnlib.course) agrees with what is there: the notebook
files, the builders their code calls, their headings and the README's table."""

import ast
from pathlib import Path

import nbformat
import pytest

from rnnlib import course

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"


def test_every_notebook_file_is_registered_and_every_registered_one_exists():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == course.stems()


def test_notebooks_are_in_their_numbered_order_and_stems_are_unique():
    assert [s[:2] for s in course.stems()] == [
        f"{n:02d}" for n in range(1, len(course.stems()) + 1)
    ]


def test_each_notebook_opens_with_its_number_and_registered_title():
    for n, nb in enumerate(course.NOTEBOOKS, start=1):
        first = nbformat.read(NOTEBOOKS / f"{nb.stem}.ipynb", as_version=4).cells[0]
        assert first.cell_type == "markdown", nb.stem
        assert first.source.splitlines()[0] == f"# {n}. {nb.title}", nb.stem


def _code(cell):
    """A code cell's Python, IPython magics and shell lines left out."""
    lines = cell.source.splitlines()
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def called_builders(path):
    """{"module:function"} of every builder (a name course.BUILDER_NAME matches) the notebook's
    code calls, its module found from the notebook's imports ("?" for a name not imported)."""
    aliases, found = {}, set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_code(cell))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    head = a.name.split(".")[0]  # `import a.b` binds a
                    aliases[a.asname or head] = a.name if a.asname else head
            elif isinstance(node, ast.ImportFrom):
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Attribute) and course.BUILDER_NAME.fullmatch(f.attr):
                owner = ast.unparse(f.value)
                head, _, rest = owner.partition(".")
                module = aliases.get(head, "?") + (f".{rest}" if rest else "")
                found.add(f"{module}:{f.attr}")
            elif isinstance(f, ast.Name) and course.BUILDER_NAME.fullmatch(f.id):
                module, _, name = aliases.get(f.id, f"?.{f.id}").rpartition(".")
                found.add(f"{module}:{name}")
    return found


@pytest.mark.parametrize("nb", course.NOTEBOOKS, ids=lambda nb: nb.stem)
def test_the_builders_a_notebook_calls_are_exactly_its_registered_ones(nb):
    registered = {f"{b.module}:{b.function}" for b in nb.builders}
    assert called_builders(NOTEBOOKS / f"{nb.stem}.ipynb") == registered


def test_the_call_finder_sees_aliases_direct_imports_and_unknown_names(tmp_path):
    """The check above has teeth: it names the module of each call, and a builder defined in the
    notebook itself (not in a module) shows as "?"."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("%matplotlib inline\nfrom rnnlib.widgets import unroll as v"),
        nbformat.v4.new_code_cell(
            "from rnnlib.draw.unroll import cell_figure\nv.radius_explorer()"
        ),
        nbformat.v4.new_code_cell("import rnnlib.draw.hello\nrnnlib.draw.hello.hello_figure(r)"),
        nbformat.v4.new_code_cell("cell_figure(T=3)\nmy_view(1)\nv.after_prompt(1)"),
    ]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert called_builders(path) == {
        "rnnlib.widgets.unroll:radius_explorer",
        "rnnlib.draw.unroll:cell_figure",
        "rnnlib.draw.hello:hello_figure",
        "?:my_view",
    }


def test_builder_names_are_unique_across_the_course():
    """They name the figures in the figure tests and in tests/notebook_figures.py's PNGs."""
    names = [name for nb in course.NOTEBOOKS for name in nb.names()]
    assert len(names) == len(set(names))


def test_every_lecture_notebook_has_builders_and_the_exercises_none():
    for nb in course.NOTEBOOKS:
        assert bool(nb.builders) != nb.exercises, nb.stem


def test_every_builder_resolves_to_a_function():
    for nb in course.NOTEBOOKS:
        for b in nb.builders:
            assert callable(b.resolve()), f"{b.module}.{b.function}"


def readme_table():
    """The README's table of notebooks, as the registry says it."""
    rows = ["| notebook | title | what it teaches |", "|---|---|---|"]
    for n, nb in enumerate(course.NOTEBOOKS, start=1):
        rows.append(f"| `notebooks/{nb.stem}.ipynb` | {n}. {nb.title} | {nb.topics} |")
    return rows


def test_the_readme_table_lists_the_registered_notebooks_in_order():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    header = readme_table()[0]
    assert header in lines, "README.md's table should read:\n" + "\n".join(readme_table())
    start = lines.index(header)
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    assert table == readme_table(), "README.md's table should read:\n" + "\n".join(readme_table())


def test_a_lookup_of_an_unknown_notebook_names_it_and_the_known_ones():
    with pytest.raises(ValueError, match=r"'07_x'.*01_overview"):
        course.notebook("07_x")
    assert course.notebook("03_hello").title == 'A language model that learns "hello"'


def test_bad_entries_are_refused_with_what_was_expected():
    with pytest.raises(ValueError, match=r"'cell_plot'.*_figure"):
        course.Builder("rnnlib.draw.unroll", "cell_plot")
    with pytest.raises(ValueError, match=r"'6_demo'.*NN_name"):
        course.Notebook("6_demo", "Demo", summary="", topics="")
    cell = course.builders("rnnlib.draw.unroll", "cell_figure")
    with pytest.raises(ValueError, match=r"06_demo.*\['cell_figure'\].*calls"):
        course.Notebook("06_demo", "Demo", summary="", topics="", builders=cell)


def test_figures_builds_each_builder_with_its_call_and_checks_the_calls_match():
    from matplotlib.figure import Figure

    cell = course.builders("rnnlib.draw.unroll", "cell_figure")
    good = course.Notebook(
        "06_demo",
        "Demo",
        summary="",
        topics="",
        builders=cell,
        calls=lambda: {"cell_figure": course.call(T=2)},
    )
    [(name, fig)] = list(course.figures(good))
    assert name == "cell_figure" and isinstance(fig, Figure)  # the Figure of (fig, axes)
    wrong = course.Notebook(
        "06_demo",
        "Demo",
        summary="",
        topics="",
        builders=cell,
        calls=lambda: {"layered_figure": course.call()},
    )
    with pytest.raises(ValueError, match=r"\['layered_figure'\].*\['cell_figure'\]"):
        list(course.figures(wrong))
