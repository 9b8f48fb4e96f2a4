"""Every figure and view the notebooks show, built as the notebooks build them (default state),
from the registry rnnlib.course.

Used by tests/test_style.py (readable text in every one), benchmarks/frame_memory.py and by
`python tests/notebook_figures.py FOLDER`, which writes each default frame as a PNG for looking at
them side by side.
"""

import sys
from pathlib import Path

from rnnlib import course


def every_figure():
    """(name, object) for every registered builder of every notebook: a FigureView, a TextView
    or a Figure (static figures)."""
    for notebook in course.NOTEBOOKS:
        yield from course.figures(notebook)


def main(folder):
    from rnnlib.draw.style import figure_png

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, obj in every_figure():
        if hasattr(obj, "png"):
            (folder / f"{name}.png").write_bytes(obj.png())
            if getattr(obj, "table", None):
                (folder / f"{name}.html").write_text(obj.html.value, encoding="utf-8")
        elif hasattr(obj, "savefig"):
            (folder / f"{name}.png").write_bytes(figure_png(obj))
        print(name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/figures")
