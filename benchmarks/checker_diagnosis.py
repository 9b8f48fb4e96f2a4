"""How well the exercise checks of notebook 05 name the cause of a student's mistake, on a
held-out set of student solutions (issue 22's goal: on a broader held-out set of typical
mistakes, 95% of rejections name the cause, no correct implementation is rejected, no message
names a cause that is not there).

The held-out set, benchmarks/heldout_solutions/ (ex1.py .. ex5.py), was written independently
of the checks: from the notebook's contracts (notebooks/05_exercises.ipynb, its markdown and
skeletons) and rnnlib's public math only, without reading rnnlib/exercises or the checks' tests
and catalogues, so that neither the mistakes nor their labels are shaped by what the checks know.
It holds, per exercise, correct implementations in different styles and typical single-slip
mistakes, each labelled with its real cause, patterns a message naming that cause must match
(`names`) and patterns of a wrong cause it must not contain (`not_names`).

As the checks are tuned against that first set, it no longer measures them on unseen mistakes.
A second set, benchmarks/heldout_fresh/ (--set fresh), is kept for the final measurement, run
once when the tuning is done and not tuned on. It was written afresh, by someone who had not seen
the first set, under the same rules (the notebook's contracts and rnnlib's public math only, not
rnnlib/exercises, tests/solutions, the checks' tests or the first set's solutions): per exercise
three correct implementations in other styles (Python lists, dict caches, column vectors,
batch loops, np.add.at, Gumbel-max, inverse CDF, while loops...) and 12 to 15 single slips that
a class makes beyond the textbook ones (reshape for a transpose, a (H,) bias broadcast against
columns, np.tanh(a, out=a) aliasing the cached pre-activation, a zero array shared by two
gradients, fancy-index += on repeated inputs, hs[-1] = h_prev in an array, temperature, top-k
and rng misuse, chunking and reset slips...). Every label was verified without the checks:
each solution compared with rnnlib's functions on inputs of the writer's own (for the samplers,
greedy paths, reproducibility and G-tests of the first two draws), a correct one matching
everywhere and a buggy one differing somewhere.

As the checks were then tuned on the fresh set too, a third set, benchmarks/heldout_third/
(--set third), is kept untouched for the final measurement. It was written under the same rules
by someone who had seen neither of the other sets' solutions: per exercise three correct
implementations (column vectors with atleast_2d, einsum, row loops, a pre-activation cache,
log-softmax with np.add.at, Gumbel-max, inverse CDF with argpartition, while loops over chunk
starts...) and ten single slips sampled the way a teacher meets them, about half the most common
ones (transposes, tanh derivative forms, missing terms, averaging instead of summing, state not
carried, temperature, top-k and rng misuse, update rules, chunk slicing) and half less common but
realistic (an activation other than tanh, a misplaced parenthesis, a state written back into
h_prev, db_h summed over every axis, tanh applied twice, a backward loop that skips the first
step, min-char-rnn's clipping or Adagrad, top_k >= V not handled, the chunk length k shadowed by a
loop over the parameter names...). Every label was verified the same way and, where it could
be, the mistaken model reproduced: the buggy outputs recomputed from rnnlib's functions with the
named cause applied, or the outputs it leaves right and wrong (for the samplers, greedy paths and
G-tests of the draws against the distribution the cause predicts).

Each solution goes through its check (rnnlib.exercises.check_step_forward, check_step_backward
with a (forward, backward) pair, check_loss_and_grads, check_sample, check_training) in a process
of its own, forked before any check has run, so that no solution sees module state another one
left. Printed per exercise and in total:
  correct     correct solutions that pass / correct solutions;
  rejected    buggy solutions rejected / buggy solutions;
  named       rejections whose message matches a `names` pattern and no `not_names` pattern
              (case-insensitive) / rejections, and that share;
  wrong cause rejections whose message matches a `not_names` pattern (a cause that is not
              there, as far as the registered confusions go);
then every rejected bug whose message does not name its cause (its description and the message),
every bug that passed, and every correct solution rejected, with its message. It asserts nothing
and exits 0. One BLAS thread.

Run from the repository root:
    python benchmarks/checker_diagnosis.py [--set first|fresh|third] [--exercise N] [--width W]
        [--named]
"""

import os

for _var in (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
):
    os.environ[_var] = "1"  # one BLAS thread; must happen before numpy is imported

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import numpy as np  # noqa: E402, F401 (imported before the fork, as the checks need it)

from rnnlib import exercises  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import heldout_fresh  # noqa: E402
import heldout_solutions  # noqa: E402
import heldout_third  # noqa: E402

SETS = {  # --set: the registry of each held-out set, and where it lives
    "first": (heldout_solutions.all_solutions, "benchmarks/heldout_solutions"),
    "fresh": (heldout_fresh.all_solutions, "benchmarks/heldout_fresh"),
    "third": (heldout_third.all_solutions, "benchmarks/heldout_third"),
}
all_solutions = SETS["first"][0]  # the set being scored; main() sets it before any fork

CHECKS = {
    1: exercises.check_step_forward,
    2: exercises.check_step_backward,
    3: exercises.check_loss_and_grads,
    4: exercises.check_sample,
    5: exercises.check_training,
}
LIMIT = 300.0  # s for one solution's check, in case a check itself never returns
FLAGS = re.IGNORECASE | re.DOTALL


def run_one(index, conn):
    """In the forked child: run solution `index` through its check, send back what it said."""
    sol = all_solutions()[index]
    start = time.perf_counter()
    try:
        res = CHECKS[sol.exercise](*sol.fns)
        out = {
            "passed": bool(res.passed),
            "message": str(res.message),
            "cause": getattr(res, "cause", None),
            "crashed": False,
        }
    except BaseException:  # the check itself failed: reported as such, never hides a solution
        out = {
            "passed": False,
            "message": "the check raised:\n" + traceback.format_exc(),
            "cause": None,
            "crashed": True,
        }
    out["seconds"] = time.perf_counter() - start
    out["cause"] = None if out["cause"] is None else str(out["cause"])
    conn.send(out)
    conn.close()


def run_isolated(index):
    """Solution `index` through its check in a forked process (fresh module state)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=run_one, args=(index, child))
    proc.start()
    child.close()
    out = None
    if parent.poll(LIMIT):
        try:
            out = parent.recv()
        except EOFError:
            out = None
    proc.join(5.0)
    if proc.is_alive():
        proc.kill()
        proc.join()
    if out is None:
        out = {
            "passed": False,
            "message": f"no result: the check's process ended ({proc.exitcode}) "
            f"or ran over {LIMIT} s",
            "cause": None,
            "crashed": True,
            "seconds": float("nan"),
        }
    return out


def names_cause(sol, message):
    """Whether `message` names `sol`'s cause: a `names` pattern, and no `not_names` pattern."""
    hit = any(re.search(p, message, FLAGS) for p in sol.names)
    wrong = [p for p in sol.not_names if re.search(p, message, FLAGS)]
    return hit and not wrong, wrong


def wrapped(text, width, indent="      "):
    lines = []
    for para in str(text).splitlines() or [""]:
        lines.append(
            textwrap.fill(para, width, initial_indent=indent, subsequent_indent=indent) or indent
        )
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exercise", type=int, choices=sorted(CHECKS), help="only this exercise")
    ap.add_argument("--width", type=int, default=100, help="wrap messages at this width")
    ap.add_argument(
        "--named",
        action="store_true",
        help="also print the rejections that name their cause, with the pattern each matched",
    )
    ap.add_argument(
        "--set",
        choices=sorted(SETS),
        default="first",
        help="which held-out set to score: the first (default), the fresh one, or the third, "
        "kept untouched for the final measurement",
    )
    args = ap.parse_args()
    global all_solutions
    all_solutions, where = SETS[args.set]

    t0 = time.perf_counter()
    sols = all_solutions()
    picked = [i for i, s in enumerate(sols) if args.exercise in (None, s.exercise)]
    print(f"held-out solutions: {len(picked)} ({where}), one process each")
    rows = []
    for i in picked:
        out = run_isolated(i)
        sol = sols[i]
        named, wrong = (False, [])
        if not sol.correct and not out["passed"]:
            named, wrong = names_cause(sol, out["message"])
        rows.append((sol, out, named, wrong))
        print(".", end="", flush=True)
    print()

    def figures(sel):
        good = [r for r in sel if r[0].correct]
        bugs = [r for r in sel if not r[0].correct]
        rejected = [r for r in bugs if not r[1]["passed"]]
        named = [r for r in rejected if r[2]]
        wrong = [r for r in rejected if r[3]]
        return (
            sum(r[1]["passed"] for r in good),
            len(good),
            len(rejected),
            len(bugs),
            len(named),
            len(wrong),
        )

    head = (
        f"{'exercise':<10}{'correct passed':>16}{'bugs rejected':>16}"
        f"{'named / rejections':>21}{'share':>8}{'wrong cause':>13}"
    )
    print()
    print(head)
    print("-" * len(head))
    for ex in sorted({r[0].exercise for r in rows}) + ["total"]:
        sel = rows if ex == "total" else [r for r in rows if r[0].exercise == ex]
        ok, n_good, rej, n_bugs, nam, wrong = figures(sel)
        share = f"{100.0 * nam / rej:.0f}%" if rej else "-"
        print(
            f"{ex!s:<10}{f'{ok}/{n_good}':>16}{f'{rej}/{n_bugs}':>16}{f'{nam}/{rej}':>21}"
            f"{share:>8}{wrong:>13}"
        )

    unnamed = [r for r in rows if not r[0].correct and not r[1]["passed"] and not r[2]]
    print(f"\nRejections whose message does not name the cause ({len(unnamed)}):")
    for sol, out, _, wrong in unnamed:
        print(f"\n  ex{sol.exercise} {sol.name}: {sol.cause}")
        if out.get("cause"):
            print(f"    Result.cause: {out['cause']}")
        if wrong:
            print(f"    names a wrong cause (matches {', '.join(wrong)})")
        print(wrapped(out["message"], args.width))

    if args.named:
        hits = [r for r in rows if r[2]]
        print(f"\nRejections that name the cause ({len(hits)}):")
        for sol, out, _, _ in hits:
            pattern = next(p for p in sol.names if re.search(p, out["message"], FLAGS))
            print(f"\n  ex{sol.exercise} {sol.name}: {sol.cause}\n    matched {pattern}")
            print(wrapped(out["message"], args.width))

    missed = [r for r in rows if not r[0].correct and r[1]["passed"]]
    print(f"\nBugs that passed their check ({len(missed)}):")
    for sol, _out, _, _ in missed:
        print(f"  ex{sol.exercise} {sol.name}: {sol.cause}")

    refused = [r for r in rows if r[0].correct and not r[1]["passed"]]
    print(f"\nCorrect solutions rejected ({len(refused)}):")
    for sol, out, _, _ in refused:
        print(f"\n  ex{sol.exercise} {sol.name}: {sol.cause}")
        print(wrapped(out["message"], args.width))

    crashed = [r for r in rows if r[1]["crashed"]]
    if crashed:
        print(
            f"\nChecks that raised or never returned ({len(crashed)}): "
            + ", ".join(f"ex{r[0].exercise} {r[0].name}" for r in crashed)
        )
    slow = max(rows, key=lambda r: r[1]["seconds"] if r[1]["seconds"] == r[1]["seconds"] else 0.0)
    print(
        f"\n{time.perf_counter() - t0:.1f} s in all (slowest check: ex{slow[0].exercise} "
        f"{slow[0].name}, {slow[1]['seconds']:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
