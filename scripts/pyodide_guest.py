"""The Pyodide machine's side inside Pyodide (scripts/pyodide_machine.js imports it under Node).

main(job) takes the job scripts/pyodide_machine.py wrote (JSON: for each notebook its folder
and the code of its cells, null for a cell nbval skips) and returns JSON: the outputs of every
cell as a Jupyter kernel would send them to nbval, and the result of every exercise check on
the reference solutions and the catalogued mistakes of tests/solutions/.

Each notebook runs in a fresh IPython InteractiveShell (its own namespace and execution counts)
whose display hook, display publisher and sys.stdout/sys.stderr record outputs the way ipykernel
sends them: execute_result, display_data, stream and error. As in ipykernel, matplotlib's
default backend is the inline one (it draws with Agg; the browser backend of Pyodide needs a
page); widgets open comm's DummyComm, which sends nothing, since no frontend listens.
"""

import io
import json
import os
import sys
import time

INLINE = "module://matplotlib_inline.backend_inline"  # ipykernel's default backend
os.environ["MPLBACKEND"] = INLINE  # before anything imports matplotlib

from IPython.core.displayhook import DisplayHook  # noqa: E402
from IPython.core.displaypub import DisplayPublisher  # noqa: E402
from IPython.core.error import UsageError  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from traitlets.config import Config  # noqa: E402


class Stream(io.TextIOBase):
    """sys.stdout or sys.stderr of a cell: every write is a stream output, as ipykernel's."""

    encoding = "utf-8"

    def __init__(self, name, outputs):
        self.name, self.outputs = name, outputs

    def write(self, text):
        if text:
            self.outputs.append({"output_type": "stream", "name": self.name, "text": text})
        return len(text)

    def writable(self):
        return True


class Hook(DisplayHook):
    """A cell's value as an execute_result output (not printed)."""

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.shell.outputs.append(
            {
                "output_type": "execute_result",
                "data": format_dict,
                "metadata": md_dict or {},
                "execution_count": self.shell.execution_count,
            }
        )


class Publisher(DisplayPublisher):
    """display() as a display_data output. clear_output is dropped: nbval ignores it too."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        self.shell.outputs.append(
            {"output_type": "display_data", "data": data, "metadata": metadata or {}}
        )

    def clear_output(self, wait=False):
        pass


class Shell(InteractiveShell):
    """An InteractiveShell that records its outputs in `outputs` instead of printing them."""

    displayhook_class = Hook
    display_pub_class = Publisher

    def _showtraceback(self, etype, evalue, stb):
        self.outputs.append(
            {
                "output_type": "error",
                "ename": etype.__name__,
                "evalue": str(evalue),
                "traceback": stb,
            }
        )

    def enable_gui(self, gui=None):
        """%matplotlib inline needs no event loop (ipykernel's does nothing else for it)."""
        if gui not in (None, "inline"):
            raise UsageError(f"no GUI event loop under Pyodide, got {gui!r}")

    def run(self, source):
        """Run one cell; returns its outputs."""
        self.outputs = []
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = Stream("stdout", self.outputs), Stream("stderr", self.outputs)
        try:
            self.run_cell(source, store_history=True)
        finally:
            sys.stdout, sys.stderr = saved
        return self.outputs


def fresh_shell():
    """A new shell as a new kernel has it: no history file (its writer is a thread), and
    matplotlib as a kernel that has imported pyplot finds it."""
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    Shell.clear_instance()
    shell = Shell.instance(config=config)
    if "matplotlib.pyplot" in sys.modules:  # imported by an earlier notebook: start it over
        _restart_matplotlib(shell)
    return shell


def _restart_matplotlib(shell):
    """Default settings, no figures, and the inline backend set up for `shell` as importing
    pyplot does in a new kernel (matplotlib_inline's _enable_matplotlib_integration)."""
    import matplotlib
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import activate_matplotlib
    from matplotlib_inline import backend_inline

    plt.close("all")
    backend_inline.InlineBackend.clear_instance()  # an earlier %config InlineBackend...
    backend_inline.configure_inline_support.current_backend = "unset"  # formats set once
    matplotlib.rcdefaults()
    activate_matplotlib(INLINE)
    backend_inline.configure_inline_support(shell, INLINE)


def run_notebook(folder, cells):
    """Run the cells (source, or None: not run) in a fresh shell, in `folder`; returns a list
    of {"outputs": [...]} or None per cell, and the seconds it took."""
    start = time.perf_counter()
    os.chdir(folder)
    shell = fresh_shell()
    results = [None if source is None else {"outputs": shell.run(source)} for source in cells]
    return results, time.perf_counter() - start


def _plain(value):
    """JSON for what a formatter may return (bytes of an image as base64 text, as ipykernel)."""
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    return repr(value)


def main(job):
    job = json.loads(job)
    import matplotlib.font_manager  # noqa: F401 (builds the font cache, which a machine has)

    notebooks = {}
    for name, spec in job["notebooks"].items():
        cells, seconds = run_notebook(spec["folder"], spec["cells"])
        notebooks[name] = {"cells": cells, "seconds": seconds}
        print(f"{name}: {seconds:.1f} s", file=sys.stderr, flush=True)
    exercises = {}
    if job.get("solutions"):
        import pyodide_exercises

        start = time.perf_counter()
        exercises = {"cases": pyodide_exercises.run(job["solutions"])}
        exercises["seconds"] = time.perf_counter() - start
        print(f"exercises: {exercises['seconds']:.1f} s", file=sys.stderr, flush=True)
    return json.dumps({"notebooks": notebooks, "exercises": exercises}, default=_plain)
