"""The exercise checks on the catalogues of tests/solutions/, for a machine without pytest (the
Pyodide machine runs it inside Pyodide through scripts/pyodide_guest.py).

What tests/test_exercises_{step,sequence,sampler,training}.py assert, on the same catalogues:
every reference solution passes its check, every catalogued mistake is rejected with its hint;
and, as tests/test_exercises_robust.py, a student function that never returns is stopped by
the time limit, even one that catches every exception. RuntimeWarnings from rnnlib are errors,
as pyproject.toml makes them for pytest, but where those tests ignore them (the mistakes of
exercises 3 and 4).
"""

import sys
import time
import warnings
from functools import partial


def cases(step, sequence, sampler, training, ex):
    """(name, check, hint, quiet) for every function of the catalogues: check() returns the
    Result; hint None means it must pass, else its message must hold the hint; quiet: the test
    ignores RuntimeWarnings."""
    out = []
    for f in step.CORRECT_FORWARD:
        out.append((f"step_forward {f.__name__}", partial(ex.check_step_forward, f), None, False))
    for fw, bw in step.CORRECT_PAIRS:
        check = partial(ex.check_step_backward, fw, bw)
        out.append((f"step_backward {bw.__name__}", check, None, False))
    for f, hint in step.FORWARD_BUGS:
        out.append((f"step_forward {f.__name__}", partial(ex.check_step_forward, f), hint, False))
    for f, hint in step.BACKWARD_BUGS:
        check = partial(ex.check_step_backward, step.rnn_step_forward, f)
        out.append((f"step_backward {f.__name__}", check, hint, False))
    for module, check, quiet in (
        (sequence, ex.check_loss_and_grads, True),
        (sampler, ex.check_sample, True),
        (training, ex.check_training, False),
    ):
        name = check.__name__.removeprefix("check_")
        out += [(f"{name} {f.__name__}", partial(check, f), None, False) for f in module.CORRECT]
        out += [(f"{name} {m}", partial(check, f), hint, quiet) for f, hint, m in module.BUGS]
    return out


def run(tests_folder):
    """Every case as {"case", "ok", "message", "seconds"}; tests_folder holds solutions/."""
    sys.path.insert(0, tests_folder)
    from solutions import sampler, sequence, step, training
    from solutions.hangs import hangs, swallows

    from rnnlib import exercises
    from rnnlib.exercises import _core

    out = []
    for name, check, hint, quiet in cases(step, sequence, sampler, training, exercises):
        start = time.perf_counter()
        with warnings.catch_warnings():
            if quiet:
                warnings.simplefilter("ignore", RuntimeWarning)
            else:
                warnings.filterwarnings("error", category=RuntimeWarning, module="rnnlib.*")
            result = check()
        ok = result.passed if hint is None else (not result.passed and hint in result.message)
        seconds = time.perf_counter() - start
        out.append({"case": name, "ok": ok, "message": result.message, "seconds": seconds})
    saved, _core.TIMEOUT = _core.TIMEOUT, 0.3
    try:
        for student in (hangs, swallows):
            start = time.perf_counter()
            result = exercises.check_step_forward(student)
            seconds = time.perf_counter() - start
            ok = "did not return within 0.3 s" in result.message and seconds < 3.0
            case = f"step_forward {student.__name__} (time limit)"
            out.append({"case": case, "ok": ok, "message": result.message, "seconds": seconds})
    finally:
        _core.TIMEOUT = saved
    return out
