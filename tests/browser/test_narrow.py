"""Controls stay usable on any width: on a 390 px phone (the site's pages) and in JupyterLab at
1366 x 768 (the notebooks whose views have several controls in a row).

For every horizontal slider on the page: its track (noUiSlider's .noUi-target) is at least
MIN_TRACK CSS px wide; and no two text boxes of the controls (descriptions .widget-label and
readouts .widget-readout) overlap. Before rnnlib.widgets.layout.control_row, the rows of 01's
behaviours view (gain, rotation, seed) and 04's temperature view (temperature, top-k, seed)
squeezed their tracks to 0 px on a phone and each readout covered the next slider's label.
"""

import pytest
import site_page
from notebook_page import NotebookPage

pytestmark = pytest.mark.browser

MIN_TRACK = 120  # CSS px
PHONE = (390, 844)  # CSS px of a common phone, at devicePixelRatio 3
SLIDER_MODEL = "SliderModel"  # IntSliderModel, SelectionSliderModel, IntRangeSliderModel, ...
# Under root: every horizontal slider (its description and track width), the rows of controls
# (the tops of their sliders), and every pair of overlapping description / readout boxes.
CONTROLS = """(root) => {
  const scope = document.querySelector(root);
  const sliders = Array.from(scope.querySelectorAll('.widget-hslider')).map(s => {
    const label = s.querySelector('.widget-label');
    const track = s.querySelector('.noUi-target');
    return {label: label ? label.textContent.trim() : '',
            track: track ? track.getBoundingClientRect().width : null,
            top: s.getBoundingClientRect().top,
            height: s.getBoundingClientRect().height,
            row: s.parentElement};
  });
  const rows = [...new Set(sliders.map(s => s.row))].map(row =>
    sliders.filter(s => s.row === row).map(s => ({label: s.label, top: s.top, height: s.height})));
  const texts = Array.from(scope.querySelectorAll('.widget-label, .widget-readout'))
    .map(el => ({el, r: el.getBoundingClientRect()}))
    .filter(({r}) => r.width > 0 && r.height > 0)
    .map(({el, r}) => ({
      text: `${el.classList.contains('widget-readout') ? 'readout' : 'label'} `
        + JSON.stringify(el.textContent.trim()),
      left: r.left, right: r.right, top: r.top, bottom: r.bottom}));
  const overlaps = [];
  texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 0.5 && h > 0.5)
      overlaps.push(`${a.text} and ${b.text} overlap by ${w.toFixed(0)} x ${h.toFixed(0)} px`);
  }));
  return {sliders: sliders.map(({row, ...s}) => s), rows, texts: texts.length, overlaps};
}"""


def problems(found):
    """Sliders whose track is under MIN_TRACK px, and overlapping text boxes (strings)."""
    narrow = [
        f"slider {s['label']!r}: track {s['track'] if s['track'] is None else round(s['track'])} px"
        for s in found["sliders"]
        if s["track"] is None or s["track"] < MIN_TRACK
    ]
    return narrow + found["overlaps"]


def one_line(row):
    """Whether the sliders of a row (dicts with top and height) lie on one line: their tops
    differ by less than half a slider's height (sliders of different kinds sit 2 px apart)."""
    tops = [s["top"] for s in row]
    return max(tops) - min(tops) < min(s["height"] for s in row) / 2


def site_sliders(page_name):
    """How many horizontal sliders the built page's displayed views hold (its widget state)."""
    build = site_page.builder()
    text = (site_page.SITE / f"{page_name}.html").read_text(encoding="utf-8")
    state, views = build.page_widgets(text)
    models = {m for view in views for m in build._subtree(state, view)}
    return sum(
        state[m]["model_name"].endswith(SLIDER_MODEL)
        and state[m]["state"].get("orientation", "horizontal") == "horizontal"
        for m in models
    )


@pytest.fixture(scope="module")
def phone(chromium_browser):
    """(base URL, a 390 px wide browser context confined to the site, requests aborted)."""
    with site_page.served(chromium_browser) as (base, _, aborted):
        context = site_page.confined_context(
            chromium_browser, base, aborted, viewport=PHONE, scale=3
        )
        try:
            yield base, context, aborted
        finally:
            context.close()


@pytest.mark.parametrize("page_name", site_page.page_names())
def test_controls_usable_on_a_phone(phone, page_name):
    """Every slider of every view on the page (all of them rendered) keeps a track of at least
    MIN_TRACK px at 390 px wide, and no description or readout overlaps another."""
    base, context, aborted = phone
    page, errors, _ = site_page.open_page(base, context, page_name)
    try:
        found = page.evaluate(CONTROLS, "body")
        assert len(found["sliders"]) == site_sliders(page_name), "some sliders did not render"
        print(page_name, [(s["label"], round(s["track"])) for s in found["sliders"]])
        assert not problems(found), "\n".join(problems(found))
        assert not errors, errors
        assert not aborted, f"requests outside the site: {aborted}"
    finally:
        page.close()


@pytest.mark.parametrize("name", ["01_overview", "04_sampling"])
def test_controls_usable_in_lab(lab_browser, name):
    """In JupyterLab at 1366 x 768 with the file browser open, after Run All: the same checks,
    and on this wide a screen the sliders of a view share one line, as before."""
    server, page = lab_browser
    assert page.viewport_size == {"width": 1366, "height": 768}
    nb = NotebookPage(page, server, f"notebooks/{name}.ipynb")
    try:
        nb.open()
        nb.run_all()
        assert nb.left_panel_width() > 150, "the file browser is open"
        found = page.evaluate(CONTROLS, ".jp-Notebook")
        assert len(found["sliders"]) == len(nb.sliders()) > 0
        assert any(len(row) >= 3 for row in found["rows"]), "no view with three sliders in a row"
        assert not problems(found), "\n".join(problems(found))
        split = [row for row in found["rows"] if not one_line(row)]
        assert not split, f"sliders of one view on several lines at 1366 px: {split}"
        assert not nb.page_errors, nb.page_errors
    finally:
        nb.close()
