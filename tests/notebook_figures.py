"""Every figure and view the notebooks show, built as the notebooks build them (default state).

Used by tests/test_style.py (readable text in every one) and by `python tests/notebook_figures.py
FOLDER`, which writes each default frame as a PNG for looking at them side by side.
"""

import re
import sys
from pathlib import Path

import nbformat
import numpy as np

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CALL = re.compile(r"\b(\w+_(?:explorer|view|replay|figure))\(")


def names_in_notebooks():
    """The figure and view builders the notebooks call, by function name."""
    found = set()
    for path in sorted(NOTEBOOKS.glob("0[1-4]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                found.update(CALL.findall(cell.source))
    return found


def every_figure():
    """(name, object) for every builder the notebooks call: a FigureView, a TextView or a
    Figure (static figures; the second element of a (fig, artists) pair)."""
    from rnnlib import dynamics, examples, hello
    from rnnlib.corpus import load_corpus, load_corpus_model, split
    from rnnlib.draw import hello as hello_draw
    from rnnlib.draw import overview as ov_draw
    from rnnlib.draw import unroll as unroll_draw
    from rnnlib.widgets import hello as hello_views
    from rnnlib.widgets import overview as ov_views
    from rnnlib.widgets import sampling as s_views
    from rnnlib.widgets import units as u_views
    from rnnlib.widgets import unroll as unroll_views

    model = load_corpus_model()
    held = split(load_corpus(), model.meta["held_out_fraction"])[1]
    params = examples.hello_params()
    trained = hello.train_hello(500, seed=0)
    frozen = hello.train_hello(500, seed=0, memory=False)
    lecture = hello.run(hello.solve_params())
    runs = [
        dynamics.behaviour_run(*e, T=3000) for e in [(0.5, 0.0, 0), (2.0, 1.0, 0), (3.0, 0.0, 0)]
    ]
    lags, logs = dynamics.gradient_decay(model.params, model.vocab.encode(held))
    lam_free = dynamics.lyapunov_exponent(model.params["W_hh"], b_h=model.params["b_h"])
    meta = model.meta
    stops = hello.replay_iterations(hello.loss_path(trained), 14, hello.prediction_path(trained))
    yield "graphs_figure", ov_draw.graphs_figure()[0]
    yield "next_step_view", ov_views.next_step_view("hello")
    yield "capacity_explorer", ov_views.capacity_explorer(H=10)
    yield "phases_figure", ov_draw.phases_figure(runs)[0]
    yield "behaviours_explorer", ov_views.behaviours_explorer(gain=3.0, rotation=0.0, seed=5)
    yield "decay_figure", ov_draw.decay_figure(lags, logs, lam_free)[0]
    yield "process_explorer", ov_views.process_explorer("many-to-many")
    yield "cell_figure", unroll_draw.cell_figure(T=3)[0]
    yield "forward_explorer", unroll_views.forward_explorer(params)
    yield "layered_figure", unroll_draw.layered_figure(T=3)[0]
    yield "setups_explorer", unroll_views.setups_explorer(params)
    yield "backward_explorer", unroll_views.backward_explorer(params)
    yield "radius_explorer", unroll_views.radius_explorer(T=12)
    yield "truncation_explorer", unroll_views.truncation_explorer(params)
    yield "hello_figure", hello_draw.hello_figure(lecture, "the lecture's numbers")
    yield (
        "timestep_explorer",
        hello_views.timestep_explorer({"lecture": hello.solve_params(), "trained": trained.params}),
    )
    yield "training_replay", hello_views.training_replay(trained, stops)
    r_frozen = hello.run(frozen.params)
    floor = hello.memoryless_floor()
    yield (
        "memory_figure",
        hello_draw.memory_figure(
            trained.history["loss"], frozen.history["loss"], floor, r_frozen["p"]
        ),
    )
    yield "gradient_figure", hello_draw.gradient_figure(lecture)
    yield "step_explorer", s_views.step_explorer(trained.params, hello.vocab(), "h", 8)
    yield (
        "temperature_explorer",
        s_views.temperature_explorer(model.params, model.vocab, "the robot "),
    )
    yield (
        "training_explorer",
        s_views.training_explorer(
            meta["held_out_iterations"],
            meta["held_out_loss_per_char"],
            meta["sample_iterations"],
            meta["samples"],
            train_curve=(np.arange(meta["n_iters"]), meta["smooth_loss_per_char"]),
            log_v=np.log(len(model.vocab)),
        ),
    )
    yield "units_explorer", u_views.units_explorer(model.params, model.vocab, held)


def main(folder):
    from rnnlib.draw.style import figure_png

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, obj in every_figure():
        if hasattr(obj, "png"):
            (folder / f"{name}.png").write_bytes(obj.png())
            if getattr(obj, "table", None):
                (folder / f"{name}.html").write_text(obj.html.value, encoding="utf-8")
        elif hasattr(obj, "savefig"):
            (folder / f"{name}.png").write_bytes(figure_png(obj))
        print(name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/figures")
