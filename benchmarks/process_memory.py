"""Memory of the Chromium this process drives: its processes' resident memory, sampled.

Chromium's processes are this process's descendants (through Playwright's driver) whose command
is Chromium's; other Chromiums on the machine are not counted. RSS counts a page shared by two
processes twice; PSS splits it between them (from /proc/PID/smaps_rollup), so their sum is
what the browser costs the machine.
"""

import contextlib
import os
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children():
    """{pid: [child pids]} of every process we can read."""
    tree = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (proc / "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            tree.setdefault(ppid, []).append(int(proc.name))
    return tree


def chromium_pids(root=None):
    """The pids of Chromium's processes among the descendants of root (default: this process)."""
    tree, todo, found = _children(), [root or os.getpid()], []
    while todo:
        for child in tree.get(todo.pop(), []):
            todo.append(child)
            with contextlib.suppress(OSError):
                if "chrom" in (Path("/proc") / str(child) / "comm").read_text():
                    found.append(child)
    return found


def rss(pids):
    """RSS in bytes, summed over pids (those that have exited count 0)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE
    return total


def pss(pids):
    """PSS in bytes, summed over pids. Costly: the kernel walks each process's mappings (about
    50 ms of system time for a browser running Pyodide), so sample it sparingly."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in (Path("/proc") / str(pid) / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
    return total


class Sampler:
    """In a with block, samples the summed RSS of chromium_pids() every `interval` seconds and
    their PSS every `sparse` seconds, in a thread (the process list is scanned again at each PSS
    sample); peak_rss and peak_pss are the largest sums seen (bytes), first_rss and first_pss
    those of the first sample."""

    def __init__(self, interval=0.25, sparse=2.0):
        self.interval, self.sparse, self.peak_rss, self.peak_pss = interval, sparse, 0, 0
        self._stop, self._pids, self._sparse_at = threading.Event(), [], -sparse

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self):
        if time.monotonic() - self._sparse_at >= self.sparse:
            self._pids, self._sparse_at = chromium_pids(), time.monotonic()
            self.peak_pss = max(self.peak_pss, pss(self._pids))
            if not hasattr(self, "first_pss"):
                self.first_pss = self.peak_pss
        now = rss(self._pids)
        if not hasattr(self, "first_rss"):
            self.first_rss = now
        self.peak_rss = max(self.peak_rss, now)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sparse_at = -self.sparse
        self.sample()
