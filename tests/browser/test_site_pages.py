"""The course site (`make site`, scripts/build_site.py) in headless Chromium, with no kernel.

site/ is served by a static server and every request outside it is aborted (tests/browser/
site_page.py). Each page must load without page errors, render every view, switch every view's
canvas to the frame of each control's new value (lab.frame_for, the frame arithmetic the
JupyterLab tests use, read from the data-* attributes frames.js sets) and back, change the
canvas's accessible name with it, typeset its formulas, and (present variant) show no code.
Times are measured and printed by benchmarks/site_latency.py, not asserted here.
"""

import lab
import pytest
import site_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(chromium_browser):
    """(base URL, browser context, requests aborted outside the site)."""
    with site_page.served(chromium_browser) as served:
        yield served


@pytest.mark.parametrize("page_name", site_page.page_names())
def test_page_works_without_a_kernel(site, page_name):
    """No page error, nothing fetched from outside, every view shows the frame of its controls,
    every control switches it to the frame of its new value and back, formulas are typeset,
    and the present variant shows no code."""
    base, context, aborted = site
    page, errors, expected = site_page.open_page(base, context, page_name)
    try:
        views = page.evaluate(site_page.VIEWS)
        assert len(views) == expected, f"{len(views)} of {expected} views rendered"
        assert expected or page_name.startswith("05"), "a lecture notebook without views"
        for n, view in enumerate(views):
            assert view["frame"] == lab.frame_for(view), f"view {n} at first: {view}"
            assert view["controls"] and len(view["controls"]) == len(view["counts"]), view
            for k, control in enumerate(view["controls"]):
                steps = (False, True) if control["value"] >= control["max"] else (True, False)
                for forward in steps:
                    before = page.evaluate(site_page.VIEWS)[n]
                    site_page.change(page, n, k, before["controls"][k], forward)
                    now = site_page.wait_frame(page, n)
                    assert now["values"] != before["values"], f"view {n} control {k} did not move"
                    assert now["frame"] == lab.frame_for(now), f"view {n}, control {k}: {now}"
                    assert now["label"] != before["label"], f"view {n}: accessible name unchanged"
                assert page.evaluate(site_page.VIEWS)[n]["values"] == view["values"], "not back"
        math = page.evaluate(
            "() => [document.querySelectorAll('.MathJax_CHTML, mjx-container').length,"
            " document.querySelectorAll('.MathJax_Error, merror').length]"
        )
        assert math[0] > 0 or page_name.startswith("05"), "no formula typeset"
        assert math[1] == 0, f"{math[1]} formulas failed to typeset"
        code = page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeCell .highlight").count()
        if page_name.endswith("-present"):
            assert code == 0, f"{code} code inputs shown in the present variant"
        else:
            assert code > 0, "no code shown"
        assert not errors, errors
        assert not aborted, f"requests outside the site: {aborted}"
    finally:
        page.close()


TYPED = ["hello", "a", "", "ab", "a<b>&'\"", "ünï 😀x😀", "a b\tc", "abcabc"]


@pytest.mark.parametrize("page_name", ["01_overview", "01_overview-present"])
def test_text_box_answers_without_a_kernel(site, page_name):
    """01's next-step view: typing in its text box rebuilds the table in the page, the same
    table (as the page's DOM reads it) that rnnlib's TextView computes in Python for the text."""
    from rnnlib.widgets.overview import next_step_view

    base, context, aborted = site
    page, errors, _ = site_page.open_page(base, context, page_name)
    try:
        box = page.locator(".widget-text input")
        assert box.count() == 1, "one text box on the page"
        table = page.locator(".rnnlib-next-step")
        for text in TYPED:
            box.fill(text)
            want = page.evaluate(
                "html => { const d = document.createElement('div'); d.innerHTML = html;"
                " return d.innerHTML; }",
                next_step_view(text).html.value,
            )
            assert table.inner_html() == want, f"typed {text!r}"
        assert not errors, errors
        assert not aborted, f"requests outside the site: {aborted}"
    finally:
        page.close()


PHONE = (390, 844)  # CSS px of a common phone, at devicePixelRatio 3
FITS = """(width) => {
  const boxes = Array.from(document.querySelectorAll('canvas.rnnlib-frame, .rnnlib-frames-table'));
  const bad = boxes.flatMap(el => {
    const r = el.getBoundingClientRect();
    const shape = el.tagName === 'CANVAS' ? Math.abs(r.width / r.height
      - el.width / el.height) : 0;
    return r.left < -1 || r.right > width + 1 || r.width < 1 || shape > 0.02
      ? [`${el.className} at ${r.left.toFixed(0)}-${r.right.toFixed(0)} px,`
         + ` ${r.width.toFixed(0)} x ${r.height.toFixed(0)}`] : [];
  });
  const label = document.querySelector('.widget-label');
  return {bad, canvases: boxes.length,
          font: label ? getComputedStyle(label).fontFamily : null};
}"""


@pytest.mark.parametrize("page_name", [n for n in site_page.page_names() if "-" not in n])
def test_page_fits_a_phone(site, chromium_browser, page_name):
    """On a 390 px phone screen every figure is scaled to the screen's width with its shape
    kept, every table stays on the screen (it scrolls inside itself if it must), and the
    widgets' labels use JupyterLab's sans-serif font, not the browser's default serif."""
    base, _, aborted = site
    phone = site_page.confined_context(chromium_browser, base, aborted, viewport=PHONE, scale=3)
    try:
        page, errors, expected = site_page.open_page(base, phone, page_name)
        fit = page.evaluate(FITS, PHONE[0])
        assert fit["canvases"] >= expected
        assert not fit["bad"], "\n".join(fit["bad"])
        if fit["font"] is not None:
            assert "system-ui" in fit["font"] and "Times" not in fit["font"], fit["font"]
        assert not errors, errors
    finally:
        phone.close()
    assert not aborted, f"requests outside the site: {aborted}"
