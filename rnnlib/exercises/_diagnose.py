"""Diagnosis shared by the checks of exercises 1-3: which outputs of a student's function are
wrong, which catalogued mistake (simulated) reproduces them on every case, and the message that
says so (explain), else which outputs are off and how."""

import numpy as np

from ._core import LOW_RTOL, RTOL, Fail, close, off, pair


class NotApplicable(Exception):
    """Raised by a simulated mistake on a case where the mistake cannot show (e.g. a loop over
    the rows of a batch, on one 1-D input): that case neither supports nor refutes it."""


def agrees(got, sim, rtol):
    """Whether every output of got (a dict name -> array) agrees with sim's to rtol."""
    return all(n in sim and close(got[n], sim[n], rtol) for n in got)


def recognise(runs, sims, rtol=RTOL, crashed=None):
    """The ids of the simulated mistakes that agree with the student on every run.

    runs: (args, got, want) of each case, got and want dicts name -> array; sims: {id: f}
    with f(args, want, got) -> dict like want (a mistake that may read the student's output,
    e.g. to find a clipping threshold), raising NotApplicable where the mistake cannot show.
    A sim is a candidate only where it differs from want on the outputs the student got wrong (by
    more than 100 rtol: a mistake that hardly changes a result cannot be told from rounding).
    A sim that cannot run on a case (a shape error: ValueError, IndexError) where the student's
    code did return an output does not explain it: W_xh used transposed cannot run where D != H,
    so a student's W_xh.reshape(D, H), which runs there, is not that mistake. Conversely, on
    `crashed` ((args, want) of a case where the student's code raised or returned a wrong shape), a
    sim that runs and returns the expected shapes explains it less well than one that cannot:
    when more than one fits, those are dropped (a student's code may also fail for reasons of
    its own, so this only breaks ties).
    """
    found = []
    for key, sim in sims.items():
        seen = False
        for args, got, want in runs:
            try:
                with np.errstate(all="ignore"):
                    s = sim(args, want, got)
            except NotApplicable:
                continue
            except (ValueError, IndexError, TypeError):
                break  # the student's code ran here; this mistake could not
            if not agrees(got, s, rtol):
                break
            wrong = [n for n in want if not close(got[n], want[n], rtol)]
            if wrong and all(not close(s[n], want[n], 100 * rtol) for n in wrong):
                seen = True
        else:
            if seen:
                found.append(key)
    if crashed is not None and len(found) > 1:  # a tie: keep those that fail where it failed
        kept = [k for k in found if not _runs_on(sims[k], *crashed)]
        found = kept or found
    return found


def _runs_on(sim, args, want):
    """Whether sim runs on args and returns outputs of the expected shapes (want's)."""
    try:
        with np.errstate(all="ignore"):
            s = sim(args, want, {})
    except (NotApplicable, ValueError, IndexError, TypeError, KeyError):
        return False
    return all(n in s and np.shape(s[n]) == np.shape(want[n]) for n in want)


def recognise_each(runs, sims, rtol=RTOL):
    """{output name: [ids]}: per wrong output, the mistakes whose simulation agrees with the
    student on that output in every run and leaves right what the student got right (for a
    student making more than one mistake)."""
    names = [n for n in runs[0][2] if any(not close(g[n], w[n], rtol) for _, g, w in runs)]
    out = {}
    for n in names:
        ids = recognise([(a, {n: g[n]}, {n: w[n]}) for a, g, w in runs], sims, rtol)
        out[n] = [k for k in ids if _spares(sims[k], runs, rtol)]
    return out


def _spares(sim, runs, rtol):
    """Whether sim leaves right every output the student got right, in every run it fits."""
    for args, got, want in runs:
        try:
            with np.errstate(all="ignore"):
                s = sim(args, want, got)
        except (NotApplicable, ValueError, IndexError, TypeError):
            continue
        for n in want:
            if close(got[n], want[n], rtol) and not close(s[n], want[n], rtol):
                return False
    return True


def evidence(what, got, want):
    """'what at index (i, j): got a, expected b' at the largest difference, digits enough."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    diff = np.abs(got - want)
    where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    at = f" at index {tuple(int(i) for i in where)}" if where else ""
    g, w = pair(got[where], want[where])
    return f"{what}{at}: got {g}, expected {w}"


def explain(runs, sims, mistakes, low_id, where=None, crashed=None):
    """Fail naming what is wrong in the first failing run, and why when it can tell.

    runs: (label, args, got, want, low) per case, in order, got and want dicts name -> value
    (low: the student's output was computed in float32); sims: {id: f(args, want, got)} as for
    recognise, most specific first; mistakes: the module's MISTAKES; low_id: the id of
    computing in float32; where(runs) -> text, what the wrong cases tell (optional). A
    mistake is named only when its simulation agrees with the student
    on every case (all outputs, else output by output); otherwise the message says which
    outputs are off and how.
    """
    low = any(r[4] for r in runs)
    rtol = LOW_RTOL if low else RTOL
    label, _, got, want, _ = next(r for r in runs if wrong_of(r[2], r[3]))
    wrong = wrong_of(got, want)
    triples = [(a, g, w) for _, a, g, w, _ in runs]
    head = f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} wrong {label}"
    first = evidence(wrong[0], got[wrong[0]], want[wrong[0]])
    if low and all(agrees(g, w, LOW_RTOL) for _, g, w in triples):
        cause = mistakes[low_id].cause
        raise Fail(f"{head}: {cause}. For example {first}.", low_id)
    ids = recognise(triples, sims, rtol, crashed)
    note = f" (Also, {mistakes[low_id].cause}.)" if low else ""
    if len(ids) == 1:
        raise Fail(f"{head}: {mistakes[ids[0]].cause}. For example {first}.{note}", ids[0])
    if len(ids) > 1:
        causes = "; or ".join(mistakes[k].cause for k in ids)
        raise Fail(f"{head}, as from either of two mistakes: {causes}. For example {first}.")
    each = recognise_each(triples, sims, rtol)
    firsts = {}  # every output wrong in some case -> (label, got, want) of the first such case
    for lab, _, g, w, _ in runs:
        for n in wrong_of(g, w):
            firsts.setdefault(n, (lab, g[n], w[n]))
    later = [n for n in firsts if n not in wrong]
    if later:
        head += f"; also wrong on larger cases: {', '.join(later)}"
    named = {n: ks[0] for n, ks in each.items() if len(ks) == 1 and n in firsts}
    parts = []
    for n, (lab, g, w) in firsts.items():
        at = "" if lab == label else f" {lab}"
        if n in named:
            parts.append(f"{evidence(n, g, w)}{at}: {mistakes[named[n]].cause}")
        else:
            parts.append(off(n, g, w, "" if lab == label else lab)[:-1])
    rest = [n for n in want if n not in firsts]
    tail = f" Right: {', '.join(rest)}." if rest else ""
    cause = named[next(n for n in firsts if n in named)] if named else None
    told = f" {where(runs)}" if where and not named else ""
    raise Fail(f"{head}. " + ". ".join(parts) + "." + tail + told + note, cause)


def wrong_of(got, want, rtol=RTOL):
    """The names of the outputs of got (dict) that disagree with want."""
    return [n for n in want if not close(got[n], want[n], rtol)]
