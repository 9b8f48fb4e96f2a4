"""A held-out set of student solutions to notebook 05's five exercises, correct and buggy.

Written from the notebook's contracts (notebooks/05_exercises.ipynb: its markdown and skeletons)
and rnnlib's public math (cell, bptt, sampling, training, clip, optim) only, without reading the
checks (rnnlib/exercises) or their tests and catalogues, so that the mistakes and their labels
are not shaped by what the checks already know. Each solution is a complete function, written
the way a student would write all of it, with the one slip in it; the decorator only registers
it:

  exercise    1 to 5;
  fns         what the check takes: (fn,), or (forward, backward) for exercise 2, where a buggy
              backward is paired with a correct forward of the same style (its cache);
  correct     whether the implementation meets the contract;
  cause       one line: the real cause of the bug (or the style of a correct one);
  names       regular expressions (case-insensitive), one of which a message that names the
              cause must match;
  not_names   patterns of a wrong cause that a message must not contain (where a confusion is
              likely).

benchmarks/checker_diagnosis.py runs them through rnnlib.exercises' checks and scores them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Solution:
    exercise: int
    name: str
    fns: tuple
    correct: bool
    cause: str
    names: tuple = ()
    not_names: tuple = ()


SOLUTIONS = []  # filled in, in the order of definition, as ex1 .. ex5 are imported


def registry(solutions):
    """A `student` decorator that registers into the list `solutions` (one list per held-out
    set: benchmarks/heldout_fresh makes its own)."""

    def student(exercise, *, correct, cause, names=(), not_names=(), forward=None):
        """Register the decorated function as a held-out solution of `exercise` (returned as is)."""
        if not correct and not names:
            raise ValueError("a buggy solution needs at least one pattern in names")

        def register(fn):
            fns = (fn,) if forward is None else (forward, fn)
            solutions.append(
                Solution(exercise, fn.__name__, fns, correct, cause, tuple(names), tuple(not_names))
            )
            return fn

        return register

    return student


student = registry(SOLUTIONS)


def all_solutions():
    """Every registered solution, exercise by exercise."""
    from . import ex1, ex2, ex3, ex4, ex5  # noqa: F401 (importing registers them)

    return sorted(SOLUTIONS, key=lambda s: s.exercise)
