"""Drive JupyterLab in headless Chromium: a throwaway server, a browser, and a notebook page.

Used by the browser tests (tests/browser) and by benchmarks/slider_latency.py. Everything runs
against a temporary copy of the notebooks, so nothing the browser does can change the repo.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = Path(os.environ.get("RNNLIB_NOTEBOOK_DIR", REPO / "notebooks"))  # to try others
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAB_SETTINGS = {  # user settings of the throwaway server: no news, no autosave, no virtual cells
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "scrollPastEnd": False},
}
SERVER_CONFIG = {  # offline: no announcements feed, no update check
    "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}
}


def notebooks(folder=NOTEBOOK_DIR):
    """The notebooks to test, sorted by name (a list of Paths)."""
    return sorted(Path(folder).glob("*.ipynb"))


def has_views(name, folder=NOTEBOOK_DIR):
    """Whether the stored notebook `name` shows widget views (the exercises notebook has none)."""
    cells = json.loads((Path(folder) / name).read_text())["cells"]
    return any(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        for cell in cells
        for out in cell.get("outputs", [])
    )


def chromium_missing():
    """Why the browser tests cannot run here (a sentence), or None when they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium not found at {CHROMIUM} (Debian package 'chromium')"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed"
    return None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kill_ours(marker):
    """SIGKILL every process whose command line contains marker (our unique temp path)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if marker.encode() in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)


@contextlib.contextmanager
def lab_server(notebook_dir=NOTEBOOK_DIR, timeout=90):
    """A fresh JupyterLab on a free loopback port, serving a temporary copy of notebook_dir.

    The copy sits in <tmp>/root/notebooks beside symlinks to the repo's other top-level entries,
    so relative paths in the notebooks still resolve. Config, runtime, data and settings
    directories are temporary too. Yields a dict with url, token, root (Path) and log (Path).
    On exit (also on failure, Ctrl-C or SIGTERM) the kernels and the server are stopped.
    """
    tmp = Path(tempfile.mkdtemp(prefix="rnnlib-lab-"))
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_DFL:  # a SIGTERM (a CI timeout) unwinds, so the finally runs
        signal.signal(signal.SIGTERM, _interrupt_on_sigterm)
    try:
        port, token = _free_port(), secrets.token_hex(16)
        cmd, env = _prepare(tmp, Path(notebook_dir), port, token)
        url, log = f"http://127.0.0.1:{port}", tmp / "server.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                cmd,
                cwd=tmp / "root",
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_ready(proc, f"{url}/api/status?token={token}", log, timeout)
            yield {"url": url, "token": token, "root": tmp / "root", "log": log}
        finally:
            _stop_server(proc, url, token)
    finally:
        _kill_ours(str(tmp))  # kernels run in their own sessions; their command lines name tmp
        shutil.rmtree(tmp, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _prepare(tmp, notebook_dir, port, token):
    """Fill tmp (root with the notebooks' copy, settings, config...); returns (cmd, env)."""
    root = tmp / "root"
    root.mkdir()
    shutil.copytree(notebook_dir, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_*"))
    for entry in REPO.iterdir():
        if entry.name not in ("notebooks", ".git") and not (root / entry.name).exists():
            (root / entry.name).symlink_to(entry)
    for plugin, values in LAB_SETTINGS.items():
        path = tmp / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    for name in ("config", "runtime", "data", "ipython"):
        (tmp / name).mkdir()
    (tmp / "config" / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        IPYTHONDIR=str(tmp / "ipython"),
    )
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--allow-root",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={tmp / 'settings'}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
    ]
    return cmd, env


def _interrupt_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt("SIGTERM")  # pytest then stops the run and tears fixtures down


def _wait_ready(proc, status_url, log, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(status_url, timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()}")


def _stop_server(proc, url, token):
    """Ask the server to shut down (it stops its kernels), then kill its process group."""
    if proc.poll() is None:
        request = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=5).close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def frame_for(view):
    """The frame an in-page view (rnnlib's FrameSwitcher) should show for its controls' values:
    row-major over the controls the figure depends on, each position being the control's index
    (a selection slider's aria-valuenow, a toggle button's place). view: a dict with values,
    counts and figure_axes."""
    positions = view["values"]
    frame = 0
    for k in view["figure_axes"]:
        frame = frame * view["counts"][k] + positions[k]
    return frame


@contextlib.contextmanager
def browser():
    """Headless Debian Chromium driven by Playwright (one per process: Playwright's sync API
    cannot start a second one while the first runs); yields the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def new_context(chromium, viewport=(1366, 768), scale=2):
    """A fresh browser context; the default is a 13-inch laptop's screen (1366 x 768 CSS px) at
    devicePixelRatio 2."""
    size = {"width": viewport[0], "height": viewport[1]}
    return chromium.new_context(viewport=size, device_scale_factor=scale)


@contextlib.contextmanager
def chromium(viewport=(1366, 768), scale=2):
    """A browser and a fresh context in it (for the benchmarks); yields the context."""
    with browser() as chromium:
        yield new_context(chromium, viewport, scale)
