"""Build every view of the notebooks in-process and time it: per view, the median build time
over a few builds and the number of states (control combinations) and distinct frames.

Why: this is the work of drawing every state of every view. Built here (no kernel) a view draws
them all before it returns, as the site build does; in a notebook kernel its cell returns after
the default state and its neighbours, and the rest is drawn in the background
(rnnlib.widgets.view). Run on one thread, as a notebook kernel does:

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=$PWD python benchmarks/view_build.py [--repeat 3]

With PYTHONPATH pointing at another checkout it times that checkout's code (before/after).
The data the views are built from (models, training runs) is prepared once, untimed.
"""

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def view_calls():
    """(notebook, name, thunk) per view with frames, called as the notebook calls it: the
    registry (rnnlib.course) gives the builders and their arguments."""
    from rnnlib import course

    out = []
    for notebook in course.NOTEBOOKS:
        if not notebook.builders:
            continue
        calls = notebook.calls()
        for builder in notebook.builders:
            if not builder.module.startswith("rnnlib.widgets"):
                continue  # a static figure
            args, kwargs = calls[builder.function]
            fn = builder.resolve()
            out.append(
                (notebook.stem[:2], builder.function, lambda f=fn, a=args, k=kwargs: f(*a, **k))
            )
    return out


def main(repeat):
    print(f"{'nb':<3} {'view':<22} {'median ms':>10} {'states':>7} {'frames':>7}")
    total = 0.0
    for notebook, name, build in view_calls():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            view = build()
            times.append(time.perf_counter() - t0)
            if not hasattr(view, "frames"):  # a text box: no figure, no frames
                break
            plt.close(view.fig)
        if not hasattr(view, "frames"):
            continue
        median = statistics.median(times) * 1000
        total += median
        frames = len({id(png) for png, _, _ in view.frames.values()})
        print(f"{notebook:<3} {name:<22} {median:>10.0f} {len(view.frames):>7} {frames:>7}")
    print(f"{'':<3} {'total':<22} {total:>10.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per view (default 3)")
    main(parser.parse_args().repeat)
