"""rnnlib.widgets.tables: the one way the views write HTML table cells and tables."""

import pytest

from rnnlib.widgets import tables


def test_cells_and_table():
    head = [tables.cell("", "th"), tables.cell("x", "th", "text-align:left")]
    row = [tables.cell("1 &lt; 2"), tables.cell("3", style="background:#f7d58f")]
    assert tables.table([head, row], "font-family:monospace") == (
        "<table style='font-family:monospace'>"
        "<tr><th></th><th style='text-align:left'>x</th></tr>"
        "<tr><td>1 &lt; 2</td><td style='background:#f7d58f'>3</td></tr></table>"
    )
    assert tables.table([]) == "<table></table>"


def test_a_cell_tag_other_than_td_or_th_is_refused():
    with pytest.raises(ValueError, match=r"'td' or 'th', got 'tr'"):
        tables.cell("x", "tr")


def test_the_views_tables_use_it():
    """Each view module's table helper writes its cells through tables.cell (same HTML as the
    hand-written builders it replaced, checked byte for byte over every state when it landed)."""
    from rnnlib.widgets import hello, overview, unroll

    assert overview._table([["a", "<b>"], [1, 2]], "s") == (
        "<table style='s'><tr><th>a</th><th>&lt;b&gt;</th></tr>"
        "<tr><td>1</td><td>2</td></tr></table>"
    )
    assert unroll._html(["t"], [["1"]]) == (
        "<table style='font-family:monospace;font-size:12px'><tr><th style='padding:0 6px'>t</th>"
        "</tr><tr><td style='padding:0 6px;text-align:right'>1</td></tr></table>"
    )
    assert hello._table([("h_t", hello._cells([0.5], "{:+.1f}", 0))], ["u"]) == (
        "<table style='font-family:monospace'><tr><th></th><th>u</th></tr><tr>"
        "<th style='text-align:left'>h_t</th><td style='background:#f7d58f'>+0.5</td></tr></table>"
    )
