"""The course: its notebooks in order, and the views and figures each one shows (issue 21).

One registry that the site build, the notebook and figure tests, the README table's check and the
benchmarks read: a new notebook or view is added here, beside the notebook and the view's module,
and nowhere else. Importing this module imports neither matplotlib nor ipywidgets; a builder's
module is imported only when its figure is built (`figures`).

Each lecture notebook has a `calls` function that loads the data its views need once (the corpus
model, a trained net) and returns, for each of its builders, the arguments the notebook passes:
the views' default states, as the notebook shows them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

# how a builder's name ends: the tests find the calls in a notebook's code by it
BUILDER_NAME = re.compile(r"\w+_(?:explorer|view|replay|figure)")
STEM = re.compile(r"\d\d_\w+")


@dataclass(frozen=True)
class Builder:
    """A function a notebook calls to show a view or a figure: `module.function`.

    It returns a view (rnnlib.widgets), a matplotlib Figure, or a (Figure, axes) pair."""

    module: str
    function: str

    def __post_init__(self):
        if not BUILDER_NAME.fullmatch(self.function):
            raise ValueError(
                f"builder {self.function!r} of {self.module}: expected a name ending in "
                "_explorer, _view, _replay or _figure (the tests find notebook calls by it)"
            )

    def resolve(self):
        return getattr(import_module(self.module), self.function)


@dataclass(frozen=True)
class Notebook:
    """notebooks/STEM.ipynb: its heading is "# N. title" (N its place in NOTEBOOKS)."""

    stem: str
    title: str
    summary: str  # the site index's line under the title
    topics: str  # the README table's "what it teaches"
    builders: tuple = ()
    calls: Callable[[], dict] | None = None  # -> {function name: call(...)}, for the builders
    exercises: bool = False  # the exercises notebook: checks, no views

    def __post_init__(self):
        if not STEM.fullmatch(self.stem):
            raise ValueError(f"notebook stem {self.stem!r}: expected NN_name, e.g. 06_attention")
        if self.builders and self.calls is None:
            raise ValueError(f"notebook {self.stem}: builders {self.names()} need a calls function")

    def names(self):
        """The function names of its builders, in order."""
        return [b.function for b in self.builders]


def call(*args, **kwargs):
    """The arguments of one builder call, as `calls` functions return them."""
    return args, kwargs


def builders(module, *functions):
    """Builder(module, f) for each function name f."""
    return tuple(Builder(module, f) for f in functions)


def figures(notebook):
    """(function name, object) for each builder of `notebook`, called with its `calls` arguments,
    in the registry's order; a (Figure, axes) pair gives its Figure."""
    if not notebook.builders:
        return
    calls = notebook.calls()
    if set(calls) != set(notebook.names()):
        raise ValueError(
            f"notebook {notebook.stem}: calls() gives {sorted(calls)}, expected exactly its "
            f"builders {sorted(notebook.names())}"
        )
    for builder in notebook.builders:
        args, kwargs = calls[builder.function]
        obj = builder.resolve()(*args, **kwargs)
        yield builder.function, obj[0] if isinstance(obj, tuple) else obj


def notebook(stem):
    """The registered notebook `stem`."""
    for nb in NOTEBOOKS:
        if nb.stem == stem:
            return nb
    raise ValueError(f"no notebook {stem!r} in the course; expected one of {stems()}")


def stems():
    return [nb.stem for nb in NOTEBOOKS]


def _overview_calls():
    import rnnlib
    from rnnlib.corpus import load_corpus, load_corpus_model, split

    model = load_corpus_model()
    held = split(load_corpus())[1]
    examples = [(0.5, 0.0, 0), (2.0, 1.0, 0), (3.0, 0.0, 0)]
    runs = [rnnlib.dynamics.behaviour_run(*e, T=3000) for e in examples]
    lags, logs = rnnlib.gradient_decay(
        model.params, model.vocab.encode(held), max_lag=40, n_ends=60
    )
    lam_free = rnnlib.lyapunov_exponent(model.params["W_hh"], b_h=model.params["b_h"], steps=3000)
    return {
        "graphs_figure": call(),
        "next_step_view": call("hello"),
        "capacity_explorer": call(H=10),
        "phases_figure": call(runs),
        "behaviours_explorer": call(gain=3.0, rotation=0.0, seed=5),
        "decay_figure": call(lags, logs, lam_free),
        "process_explorer": call("many-to-many"),
    }


def _unrolling_calls():
    from rnnlib import examples

    params = examples.hello_params()
    return {
        "cell_figure": call(T=3),
        "forward_explorer": call(params),
        "layered_figure": call(T=3),
        "setups_explorer": call(params),
        "backward_explorer": call(params),
        "radius_explorer": call(T=12),
        "truncation_explorer": call(params),
    }


def _hello_calls():
    from rnnlib import hello

    lecture = hello.solve_params()
    trained = hello.train_hello(500, seed=0)
    frozen = hello.train_hello(500, seed=0, memory=False)
    r_lecture = hello.run(lecture)
    stops = hello.replay_iterations(hello.loss_path(trained), 14, hello.prediction_path(trained))
    memory = (trained.history["loss"], frozen.history["loss"], hello.memoryless_floor())
    return {
        "hello_figure": call(r_lecture, "the lecture's numbers, from solved weights"),
        "timestep_explorer": call({"lecture": lecture, "trained": trained.params}),
        "training_replay": call(trained, stops),
        "memory_figure": call(*memory, hello.run(frozen.params)["p"]),
        "gradient_figure": call(r_lecture),
    }


def _sampling_calls():
    import numpy as np

    from rnnlib import hello
    from rnnlib.corpus import load_corpus, load_corpus_model, split

    trained = hello.train_hello()
    model = load_corpus_model()
    meta = model.meta
    held = split(load_corpus(), meta["held_out_fraction"])[1]
    return {
        "step_explorer": call(trained.params, hello.vocab(), "h", 8),
        "temperature_explorer": call(model.params, model.vocab, "the robot "),
        "training_explorer": call(
            meta["held_out_iterations"],
            meta["held_out_loss_per_char"],
            meta["sample_iterations"],
            meta["samples"],
            train_curve=(np.arange(meta["n_iters"]), meta["smooth_loss_per_char"]),
            log_v=np.log(len(model.vocab)),
        ),
        "units_explorer": call(model.params, model.vocab, held),
    }


NOTEBOOKS = (
    Notebook(
        "01_overview",
        "Recurrent networks: an overview",
        summary="What makes a network recurrent, where its training signal comes from, and "
        "what a recurrent state can hold.",
        topics="feed-forward DAG vs recurrent digraph, the cycle as memory, the five sequence "
        "shapes, next-step targets, capacity (2^H states from H^2 weights, FSAs), point "
        "attractors, oscillation and chaos, how fast a trained net's gradients fade along real "
        "text",
        builders=builders("rnnlib.draw.overview", "graphs_figure", "phases_figure", "decay_figure")
        + builders(
            "rnnlib.widgets.overview",
            "next_step_view",
            "capacity_explorer",
            "behaviours_explorer",
            "process_explorer",
        ),
        calls=_overview_calls,
    ),
    Notebook(
        "02_unrolling",
        "The computation graph: unrolling an RNN",
        summary="Unrolling the cycle into a feed-forward graph over time, and the forward and "
        "backward passes through it.",
        topics="the Elman cell, the unrolled graph with shared weights, losses summed over time, "
        "the equivalent layered net, backprop through time, vanishing and exploding gradients, "
        "truncation, clipping, gradient checking",
        builders=builders("rnnlib.draw.unroll", "cell_figure", "layered_figure")
        + builders(
            "rnnlib.widgets.unroll",
            "forward_explorer",
            "setups_explorer",
            "backward_explorer",
            "radius_explorer",
            "truncation_explorer",
        ),
        calls=_unrolling_calls,
    ),
    Notebook(
        "03_hello",
        'A language model that learns "hello"',
        summary="The lecture's running example: a vanilla RNN that learns to predict the "
        'characters of "hello".',
        topics='the lecture\'s "hello" example rebuilt with weights that reproduce its figure, '
        "then trained; why the two l's need memory",
        builders=builders("rnnlib.draw.hello", "hello_figure", "memory_figure", "gradient_figure")
        + builders("rnnlib.widgets.hello", "timestep_explorer", "training_replay"),
        calls=_hello_calls,
    ),
    Notebook(
        "04_sampling",
        "Test time: generating text one character at a time",
        summary="Sampling from the trained model: temperature, top-k and the prompt shape the "
        "text; then a look at what single hidden units have learned.",
        topics="test time: sampling and feeding back, teacher forcing and exposure bias, "
        "temperature, top-k, seeds, a model trained on the project's own corpus, bits, "
        "perplexity and counting baselines, what its hidden units track",
        builders=builders(
            "rnnlib.widgets.sampling", "step_explorer", "temperature_explorer", "training_explorer"
        )
        + builders("rnnlib.widgets.units", "units_explorer"),
        calls=_sampling_calls,
    ),
    Notebook(
        "05_exercises",
        "Build it yourself: exercises with automatic feedback",
        summary="Build it yourself: the cell, backpropagation through time, sampling and "
        "training, with automatic feedback (the checks run when you run the notebook in your "
        "browser, or in Python).",
        topics="exercises: one step forward and backward, BPTT of a character sequence, sampling "
        "and a chunked truncated-BPTT training loop, each checked with specific feedback",
        exercises=True,
    ),
)
