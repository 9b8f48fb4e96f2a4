"""Student code that never returns, for the checks' time limit: one plain endless loop, and one
that catches every exception, the time limit's own included."""

import time


def hangs(*args, **kwargs):
    while True:
        pass


def swallows(*args, **kwargs):
    """Catches everything, the time limit's exception included; gives up after 5 s (so that a
    time limit that cannot stop it fails the test instead of hanging it)."""
    end = time.monotonic() + 5.0
    while time.monotonic() < end:
        try:
            while time.monotonic() < end:
                pass
        except:  # noqa: E722
            pass
