"""Build every view of the notebooks in-process and time it: per view, the median build time
over a few builds and the number of states (control combinations) and distinct frames.

Why: a view renders every frame of its grid before its cell returns, so the build time is most
of a notebook's Run All (issue 21). Run on one thread, as a notebook kernel does:

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
import numpy as np  # noqa: E402


def view_calls():
    """(notebook, name, thunk) per view, each called as the notebook calls it."""
    from rnnlib import examples, hello
    from rnnlib.corpus import load_corpus, load_corpus_model, split
    from rnnlib.widgets import hello as hello_views
    from rnnlib.widgets import overview as ov_views
    from rnnlib.widgets import sampling as s_views
    from rnnlib.widgets import units as u_views
    from rnnlib.widgets import unroll as unroll_views

    model = load_corpus_model()
    held = split(load_corpus(), model.meta["held_out_fraction"])[1]
    params = examples.hello_params()
    trained = hello.train_hello(500, seed=0)
    stops = hello.replay_iterations(hello.loss_path(trained), 14, hello.prediction_path(trained))
    models = {"lecture": hello.solve_params(), "trained": trained.params}
    meta = model.meta
    curve = (np.arange(meta["n_iters"]), meta["smooth_loss_per_char"])
    snapshots = (meta["sample_iterations"], meta["samples"])
    held_curve = (meta["held_out_iterations"], meta["held_out_loss_per_char"])
    log_v = np.log(len(model.vocab))
    return [
        ("01", "capacity_explorer", lambda: ov_views.capacity_explorer(H=10)),
        ("01", "behaviours_explorer", lambda: ov_views.behaviours_explorer(3.0, 0.0, 5)),
        ("01", "process_explorer", lambda: ov_views.process_explorer("many-to-many")),
        ("02", "forward_explorer", lambda: unroll_views.forward_explorer(params)),
        ("02", "setups_explorer", lambda: unroll_views.setups_explorer(params)),
        ("02", "backward_explorer", lambda: unroll_views.backward_explorer(params)),
        ("02", "radius_explorer", lambda: unroll_views.radius_explorer(T=12)),
        ("02", "truncation_explorer", lambda: unroll_views.truncation_explorer(params)),
        ("03", "timestep_explorer", lambda: hello_views.timestep_explorer(models)),
        ("03", "training_replay", lambda: hello_views.training_replay(trained, stops)),
        ("04", "step_explorer", lambda: s_views.step_explorer(trained.params, hello.vocab(), "h")),
        (
            "04",
            "temperature_explorer",
            lambda: s_views.temperature_explorer(model.params, model.vocab, "the robot "),
        ),
        (
            "04",
            "training_explorer",
            lambda: s_views.training_explorer(
                *held_curve, *snapshots, train_curve=curve, log_v=log_v
            ),
        ),
        ("04", "units_explorer", lambda: u_views.units_explorer(model.params, model.vocab, held)),
    ]


def main(repeat):
    print(f"{'nb':<3} {'view':<22} {'median ms':>10} {'states':>7} {'frames':>7}")
    total = 0.0
    for notebook, name, build in view_calls():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            view = build()
            times.append(time.perf_counter() - t0)
            plt.close(view.fig)
        median = statistics.median(times) * 1000
        total += median
        frames = len({id(png) for png, _, _ in view.frames.values()})
        print(f"{notebook:<3} {name:<22} {median:>10.0f} {len(view.frames):>7} {frames:>7}")
    print(f"{'':<3} {'total':<22} {total:>10.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per view (default 3)")
    main(parser.parse_args().repeat)
