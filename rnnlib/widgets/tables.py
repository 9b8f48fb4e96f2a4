"""HTML tables beside the figures: one way to write a cell and a table, for every view.

Tables are HTML because text in the page is far cheaper than text drawn in matplotlib, and the
reader can select and copy it. The views differ only in their styles, so each view module states
its look with these two functions. (The next-step table is also written in the page, as you
type, by nextstep.js, which produces the same HTML as overview's table; the browser tests
compare the two.)
"""


def _style(style):
    return f" style='{style}'" if style else ""


def cell(content, tag="td", style=None):
    """One cell's HTML: <td> (or <th> with tag="th") around `content`, HTML as given, with an
    optional inline style."""
    if tag not in ("td", "th"):
        raise ValueError(f"a table cell's tag must be 'td' or 'th', got {tag!r}")
    return f"<{tag}{_style(style)}>{content}</{tag}>"


def table(rows, style=None):
    """A <table> from rows, each a list of cell HTML strings (see cell), with an optional inline
    style."""
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f"<table{_style(style)}>{body}</table>"
