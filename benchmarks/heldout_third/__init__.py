"""A third held-out set of student solutions to notebook 05's five exercises, correct and buggy,
kept untouched for the final measurement of issue 22, after the checks have been tuned on the
first set (benchmarks/heldout_solutions) and the second (benchmarks/heldout_fresh).

Written afresh, by someone who had seen neither of the other sets' solutions, the checks
(rnnlib/exercises), their tests nor the reference solutions: from the notebook's contracts
(notebooks/05_exercises.ipynb, its markdown and skeletons) and rnnlib's public math (cell, bptt,
sampling, training, clip, optim) only. Per exercise: three correct implementations in styles
students write, and ten single slips sampled the way a teacher meets them in a class (about half
the most common ones, half less common but realistic), each a whole function with its one
mistake, labelled with its real cause and with patterns that a message naming that cause must
match (several phrasings: the code form and the words). Every label was verified without the
checks, against rnnlib's functions on inputs of its own (for the samplers, greedy paths,
reproducibility and statistics of the draws).

The registration API is the first set's (heldout_solutions.registry): `student(exercise, *,
correct, cause, names=(), not_names=(), forward=None)`, with a list of its own, and
all_solutions(). benchmarks/checker_diagnosis.py --set third scores it.
"""

try:  # as a package next to heldout_solutions (benchmarks on sys.path, as checker_diagnosis)
    from heldout_solutions import Solution, registry
except ImportError:  # pragma: no cover (imported as benchmarks.heldout_third)
    from ..heldout_solutions import Solution, registry

__all__ = ["SOLUTIONS", "Solution", "all_solutions", "student"]

SOLUTIONS = []  # filled in, in the order of definition, as ex1 .. ex5 are imported
student = registry(SOLUTIONS)


def all_solutions():
    """Every registered solution of this set, exercise by exercise."""
    from . import ex1, ex2, ex3, ex4, ex5  # noqa: F401 (importing registers them)

    return sorted(SOLUTIONS, key=lambda s: s.exercise)
