"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per test run.

Without Chromium (or Playwright) the browser tests are skipped, and the run's summary says so in
plain words; under CI=true a missing Chromium fails instead, so CI cannot pass without them.
"""

import os

import lab
import pytest

ARTIFACTS = lab.REPO / "artifacts" / "browser"
_skipped = []  # the reason, once the browser tests have been skipped


@pytest.fixture(scope="session")
def chromium_present():
    """Skip (fail under CI=true) when Chromium or Playwright is missing; the summary says so."""
    missing = lab.chromium_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI=true: {missing}", pytrace=False)
        _skipped.append(missing)
        pytest.skip(f"browser tests skipped: {missing}")


@pytest.fixture(scope="session")
def chromium_browser(chromium_present):
    """The one headless Chromium of the test run, shared by JupyterLab's tests and the site's."""
    with lab.browser() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def lab_browser(chromium_browser):
    """(server, page): a running JupyterLab (dict from lab.lab_server) and a browser page."""
    with lab.lab_server() as server:
        context = lab.new_context(chromium_browser)
        try:
            yield server, context.new_page()
        finally:
            context.close()


@pytest.fixture(scope="session")
def artifacts():
    """The folder for screenshots and logs of the browser run (artifacts/browser, gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.section("browser tests", sep="-", yellow=True, bold=True)
        terminalreporter.write_line(
            f"SKIPPED all browser tests (JupyterLab and the site in headless Chromium): "
            f"{_skipped[0]}. "
            "Install Debian's chromium to run them.",
            yellow=True,
            bold=True,
        )
