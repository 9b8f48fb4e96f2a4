"""The exercise checks on the catalogues of tests/solutions/, for a machine without pytest (the
Pyodide machine runs it inside Pyodide through scripts/pyodide_guest.py).

What tests/test_exercises_{step,sequence,sampler,training}.py assert, on the same catalogues:
every reference solution passes its check, every buggy one is rejected naming its mistake (the
id it is tagged with, the last item of its entry in BUGS, and that mistake's text from
rnnlib.exercises.catalogue);
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
    """(name, check, key, quiet) for every function of the catalogues: check() returns the
    Result; key None means it must pass, else the id of the mistake it must name; quiet: the
    test ignores RuntimeWarnings."""
    out = []
    for f in step.CORRECT_FORWARD:
        out.append((f"step_forward {f.__name__}", partial(ex.check_step_forward, f), None, False))
    for fw, bw in step.CORRECT_PAIRS:
        check = partial(ex.check_step_backward, fw, bw)
        out.append((f"step_backward {bw.__name__}", check, None, False))
    for f, key in step.FORWARD_BUGS:
        out.append((f"step_forward {f.__name__}", partial(ex.check_step_forward, f), key, False))
    for f, key in step.BACKWARD_BUGS:
        check = partial(ex.check_step_backward, step.rnn_step_forward, f)
        out.append((f"step_backward {f.__name__}", check, key, False))
    for (fw, bw), key in step.BACKWARD_PAIR_BUGS:  # a backward that needs its own forward
        check = partial(ex.check_step_backward, fw, bw)
        out.append((f"step_backward {bw.__name__}", check, key, False))
    for module, check, quiet in (
        (sequence, ex.check_loss_and_grads, True),
        (sampler, ex.check_sample, True),
        (training, ex.check_training, False),
    ):
        name = check.__name__.removeprefix("check_")
        out += [(f"{name} {f.__name__}", partial(check, f), None, False) for f in module.CORRECT]
        for entry in module.BUGS:  # (function, id) or (function, cause, id)
            f, key = entry[0], entry[-1]
            out.append((f"{name} {getattr(f, '__name__', key)}", partial(check, f), key, quiet))
    return out


def names(result, key, catalogue):
    """Whether a Result rejects and names the catalogued mistake `key` (an id missing from the
    catalogue is never named)."""
    mistake = catalogue.get(key)
    return not result.passed and result.cause == key and mistake.cause in result.message


def run(tests_folder):
    """Every case as {"case", "ok", "message", "seconds"}; tests_folder holds solutions/."""
    sys.path.insert(0, tests_folder)
    from solutions import sampler, sequence, step, training
    from solutions.hangs import hangs, swallows

    from rnnlib import exercises
    from rnnlib.exercises import _core
    from rnnlib.exercises.catalogue import CATALOGUE

    out = []
    for name, check, key, quiet in cases(step, sequence, sampler, training, exercises):
        start = time.perf_counter()
        with warnings.catch_warnings():
            if quiet:
                warnings.simplefilter("ignore", RuntimeWarning)
            else:
                warnings.filterwarnings("error", category=RuntimeWarning, module="rnnlib.*")
            result = check()
        ok = result.passed if key is None else names(result, key, CATALOGUE)
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
