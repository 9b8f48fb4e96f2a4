"""One catalogue of the mistakes the exercise checks name, read by the checks and their tests.

Each check module declares the Mistakes it can recognise (`MISTAKES`, built with
_core.catalogue) next to the code that recognises them; this module gathers them into one
dict keyed by id, so a test names the mistake a buggy solution makes by its id and asserts the
check's Result names it (`result.cause == id`, and the message carries `CATALOGUE[id].cause`).
"""

from . import sampler, sequence, step, training

_MODULES = (step, sequence, sampler, training)


def _gather():
    out = {}
    for module in _MODULES:
        for key, mistake in module.MISTAKES.items():
            if key in out:
                raise ValueError(f"mistake id {key!r} is declared twice; ids must be unique")
            out[key] = mistake
    return out


CATALOGUE = _gather()


def of_exercise(n):
    """The Mistakes of exercise n (1-5), in declaration order."""
    return {k: m for k, m in CATALOGUE.items() if m.exercise == n}
