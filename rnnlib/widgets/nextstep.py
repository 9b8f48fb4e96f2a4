"""NextStepTable: the next-step table of 01's text box, built in the page as you type.

Why: the table depends on free text, so it cannot be precomputed like a FrameSwitcher's frames;
built in the page from the text box's value (jslinked), it answers at once, and on the course
site, where there is no kernel, it answers at all. Python computes the same HTML (value) for the
tests and for readers without JavaScript; the browser tests check the page writes the same.
"""

from pathlib import Path

import anywidget
import traitlets


class NextStepTable(anywidget.AnyWidget):
    """Traits: text (synced, jslinked from the text box); table_style, the table's inline CSS,
    short, the HTML shown for fewer than two characters, and labels, the visible stand-ins of
    blank characters (synced); value, the HTML Python computes for text (not synced: the page
    computes its own)."""

    _esm = Path(__file__).with_name("nextstep.js").read_text(encoding="utf-8")
    text = traitlets.Unicode("").tag(sync=True)
    table_style = traitlets.Unicode("").tag(sync=True)
    short = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    value = traitlets.Unicode("")
