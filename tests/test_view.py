"""The engine: declared views (rnnlib.widgets.spec) made live. Controls made from the grid,
every state rendered once and switched in the page through one position vector (the controls'
indices), a ValueError at build time when a view cannot be switched in the page, frames
blitted when the moving artists are known, and a static PNG left in the saved output."""

import asyncio
import base64
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.image import imread

from rnnlib.draw import new_figure
from rnnlib.draw.style import SCALE
from rnnlib.widgets import FigureView, control_values
from rnnlib.widgets.frames import FrameSwitcher
from rnnlib.widgets.layout import control_row
from rnnlib.widgets.spec import Control, FigureSpec, TextSpec, build, buttons, int_range, slider
from rnnlib.widgets.view import PRERENDER_LIMIT, STATE_LIMIT, make_control

X = np.linspace(0.0, 6.0, 50)


def sine_spec(*, animated=False, n=5, width=2):
    """A line y = sin(k x) and a bar of height k / n, driven by two sliders k and w; the calls
    update received are appended to spec.attributes["calls"]."""
    fig, ax = new_figure(4, 2.5)
    (line,) = ax.plot(X, np.sin(X))
    (bar,) = ax.bar([7.0], [0.0])
    ax.set_xlim(0, 8)
    ax.set_ylim(-1.1, 1.1)
    calls = []

    def update(k, w):
        calls.append((k, w))
        line.set_ydata(np.sin(k * X))
        line.set_linewidth(w)
        bar.set_height(k / n)
        return {"k": k, "w": w}

    return FigureSpec(
        fig,
        update,
        {"k": int_range(1, n, 1, "k"), "w": int_range(1, width, 1, "w")},
        table=lambda values, result: f"<b>k = {result['k']}</b>",
        animated=[line, bar] if animated else [],
        attributes={"calls": calls},
    )


def sine_view(*, animated=False, prerender=True, n=5, width=2):
    view = FigureView(sine_spec(animated=animated, n=n, width=width), prerender=prerender)
    return view, view.calls


def decode(png):
    return imread(io.BytesIO(png), format="png")


@pytest.mark.parametrize("animated", [False, True])
def test_every_state_is_rendered_once(animated):
    view, calls = sine_view(animated=animated, n=5, width=3)
    assert set(view.frames) == {(k, w) for k in range(1, 6) for w in range(1, 4)}
    assert len(calls) == 1 + 15  # the layout draw, then each state once
    assert view.result == {"k": 1, "w": 1}
    assert decode(view.png()).shape[2] == 4


@pytest.mark.parametrize("animated", [False, True])
def test_moving_a_control_swaps_the_frame_and_the_table(animated):
    view, calls = sine_view(animated=animated, prerender=False)
    first = view.png()
    view.controls["k"].value = 3
    assert view.result == {"k": 3, "w": 1} and view.html.value == "<b>k = 3</b>"
    assert view.png() != first
    n_calls = len(calls)
    view.controls["k"].index = 0  # back to a cached state: nothing is drawn again
    assert view.png() == first and len(calls) == n_calls
    view.controls["w"].value = 2  # a state not yet shown renders on demand
    assert view.result == {"k": 1, "w": 2} and control_values(view.controls) == {"k": 1, "w": 2}
    assert view.values() == {"k": 1, "w": 2}


def test_a_blitted_frame_equals_a_full_render():
    full, _ = sine_view(animated=False, prerender=False)
    blit, _ = sine_view(animated=True, prerender=False)
    for k in (1, 4, 2):
        full.controls["k"].value = blit.controls["k"].value = k
        a, b = decode(full.png()), decode(blit.png())
        assert a.shape == b.shape
        assert (np.abs(a - b).max(axis=2) > 0.1).mean() < 1e-3  # antialiasing at most


def test_saved_output_holds_the_widget_and_a_static_png():
    view, _ = sine_view()
    bundle, meta = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "<interactive figure: k, w>"
    png = base64.b64decode(bundle["image/png"])
    assert png == view.png() and png.startswith(b"\x89PNG")
    width, height = view.css_size
    assert meta["image/png"] == {
        "width": width,
        "height": height,
        "alt": view.label({"k": 1, "w": 1}),
    }
    assert meta["image/png"]["alt"].endswith(": k 1, w 1")  # what it shows, then the state
    html = bundle["text/html"]  # read without a kernel: the frame, its alt text, its table
    assert f'width="{width}"' in html and 'alt="' in html and bundle["image/png"] in html
    assert view.html.value in html


@pytest.mark.parametrize(
    ("control", "kind", "shown"),
    [
        (int_range(-2, 3, 0, "k"), widgets.SelectionSlider, ["-2", "-1", "0", "1", "2", "3"]),
        (slider([0.5, 1.0, 2.0], 1.0, "rho"), widgets.SelectionSlider, ["0.5", "1.0", "2.0"]),
        (slider([9, 5, 1], 9, "top-k", labels=["all", "5", "1"]), widgets.SelectionSlider, None),
        (buttons(["ab", "cd"], "cd", "kind"), widgets.ToggleButtons, ["ab", "cd"]),
    ],
)
def test_controls_are_made_from_the_grid_and_read_by_index(control, kind, shown):
    made = make_control(control)
    assert type(made) is kind and made.description == control.description
    assert made.index == control.values.index(control.default)
    assert made.value == control.default
    assert list(made.options) == list(zip(control.labels, control.values, strict=True))
    assert shown is None or list(control.labels) == shown
    control_row([made])  # the row shows each description whole
    assert made.style.description_width == "initial"
    assert kind is widgets.ToggleButtons or made.continuous_update


def one_control_view(control):
    fig, ax = new_figure(3, 2)
    (line,) = ax.plot(X, np.sin(X))
    ax.set_ylim(-1.1, 1.1)

    def update(k):
        line.set_ydata(np.sin(k * X))
        return k

    table = lambda values, result: f"k={result}"  # noqa: E731
    return build(FigureSpec(fig, update, {"k": control}, table=table, animated=[line]))


@pytest.mark.parametrize(
    "control",
    [
        int_range(1, 4, 2, "k"),
        int_range(-2, 3, 0, "k"),
        slider([0.5, 1.0, 2.0], 1.0, "k"),
        buttons([1, 2, 3], 3, "k"),
    ],
)
def test_one_control_switches_frames_in_the_page(control):
    view = one_control_view(control)
    sw = view.switcher
    keys = [(v,) for v in control.values]  # frame keys in the control's order
    assert sw.frames == [view.frames[k][0] for k in keys]  # every frame is already in the page
    assert sw.tables == [view.frames[k][1] for k in keys]
    assert (sw.counts, sw.figure_axes) == ([len(keys)], [0])
    assert sw.controls == [view.controls["k"]]  # the page reads the control's index itself
    assert (sw.width, sw.height) == tuple(int(n[:-2]) for n in png_size(view.png()))
    assert sw.scale == SCALE and len(sw.labels) == len(keys)
    assert sw.labels[0] == view.label({"k": keys[0][0]})  # each state's accessible name
    assert view.widget.children[-1] is sw  # what is shown


def test_the_position_vector_is_the_controls_in_the_page():
    """The switcher's state refers to each control by its model id, in the grid's order: the
    page resolves them and reads each one's index (no per-control traits, no links)."""
    view, _ = sine_view(n=4, width=2)
    sw = view.switcher
    state = sw.get_state()
    ids = [f"IPY_MODEL_{view.controls[n].model_id}" for n in ("k", "w")]
    assert state["controls"] == ids
    assert not [t for t in sw.trait_names() if t.startswith("i") and t[1:].isdigit()]
    assert "change:index" in sw._esm and "get_model" in sw._esm


def test_two_controls_switch_frames_in_the_page_row_major():
    view, _ = sine_view(n=4, width=2)
    sw = view.switcher
    keys = [(k, w) for k in range(1, 5) for w in (1, 2)]  # the first control varies slowest
    assert sw.frames == [view.frames[key][0] for key in keys]
    assert sw.tables == [view.frames[key][1] for key in keys]
    assert (sw.counts, sw.figure_axes) == ([4, 2], [0, 1])
    view.controls["k"].value = 3  # the kernel follows a change
    assert view.result == {"k": 3, "w": 1} and view.png() == view.frames[(3, 1)][0]
    view.controls["w"].index = 1
    assert view.result == {"k": 3, "w": 2} and view.png() == view.frames[(3, 2)][0]


def test_too_many_frames_is_an_error_naming_the_view():
    spec = sine_spec(n=PRERENDER_LIMIT + 1, width=1)
    spec.title = "sines"
    with pytest.raises(ValueError, match=rf"view 'sines': {PRERENDER_LIMIT + 1} figure frames"):
        FigureView(spec)


def test_too_many_states_is_an_error_naming_the_view():
    n_seeds = STATE_LIMIT // 4 + 1  # 4 frames, but more states than STATE_LIMIT
    with pytest.raises(ValueError, match=rf"{4 * n_seeds} states, more than the {STATE_LIMIT}"):
        text_view(n_seeds=n_seeds)


def test_too_large_a_grid_renders_in_the_kernel_only_when_asked():
    view, calls = sine_view(n=PRERENDER_LIMIT + 1, width=1, prerender=False)
    assert view.switcher is None and len(calls) == 2  # the layout draw, the default frame
    assert view.image in view.widget.children[-1].children
    assert (view.image.layout.width, view.image.layout.height) == png_size(view.png())


def blit_view(update_changes):
    """A blitted view whose update moves the line and then calls update_changes(ax, k)."""
    fig, ax = new_figure(3, 2)
    (line,) = ax.plot(X, np.sin(X))
    ax.set_ylim(-1.1, 1.1)
    ax.set_title("fixed")

    def update(k):
        line.set_ydata(np.sin(k * X))
        update_changes(ax, k)
        return k

    return FigureSpec(fig, update, {"k": int_range(1, 3, 1, "k")}, animated=[line], alt="sines")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (lambda ax, k: ax.title.set_text(f"k = {k}"), r"changed Text\(.*not declared animated"),
        (
            lambda ax, k: ax.spines["left"].set_color("red") if k == 2 else None,
            "changed <matplotlib.spines",
        ),
        (lambda ax, k: ax.plot([0, 1], [0, k]) if k == 2 else None, "added or removed artists"),
        (lambda ax, k: ax.set_ylim(-k, k), "moved an axes' view limits"),
    ],
)
def test_an_update_changing_an_undeclared_artist_is_an_error(changes, reason):
    with pytest.raises(ValueError, match=rf"view 'sines': update\(\{{'k': \d\}}\) {reason}"):
        FigureView(blit_view(changes))


def test_an_update_changing_only_animated_artists_is_accepted():
    view = FigureView(blit_view(lambda ax, k: None))
    assert len(view.switcher.frames) == 3


def test_the_page_side_is_shipped_with_the_package():
    esm = FrameSwitcher._esm
    assert "export default" in esm and "createImageBitmap" in esm
    assert "widget_manager.get_model" in esm


def test_the_switcher_takes_one_selection_control_per_axis():
    with pytest.raises(ValueError, match=r"controls must be 2 selection widgets"):
        FrameSwitcher(counts=[2, 3], controls=[widgets.IntSlider()])


def png_size(png):
    """The CSS size a frame is shown at: its pixels over SCALE (frames carry SCALE x pixels)."""
    height, width = decode(png).shape[:2]
    assert width % SCALE == 0 and height % SCALE == 0
    return f"{width // SCALE}px", f"{height // SCALE}px"


def text_spec(n_seeds, n_k=4):
    """A figure that depends on k only, and a table that depends on k and a seed."""
    fig, ax = new_figure(3, 2)
    (line,) = ax.plot(X, np.sin(X))
    ax.set_ylim(-1.1, 1.1)

    def update(k, seed):
        line.set_ydata(np.sin(k * X))
        return {"k": k, "seed": seed}

    controls = {"k": int_range(1, n_k, 1, "k"), "seed": int_range(0, n_seeds - 1, 0, "seed")}
    return FigureSpec(
        fig,
        update,
        controls,
        table=lambda values, r: f"k={r['k']} seed={r['seed']}",
        figure_controls=["k"],
        animated=[line],
    )


def text_view(n_seeds, n_k=4):
    return build(text_spec(n_seeds, n_k))


def test_states_that_differ_only_in_table_controls_share_one_frame():
    view = text_view(n_seeds=3)
    assert len(view.frames) == 4 * 3  # every state, with its own table
    assert len({id(png) for png, _, _ in view.frames.values()}) == 4  # one frame per k
    for k in range(1, 5):
        assert view.frames[(k, 0)][0] is view.frames[(k, 2)][0]
        assert view.frames[(k, 2)][1] == f"k={k} seed=2"
    assert view.frames[(1, 0)][0] != view.frames[(2, 0)][0]


def test_the_page_reads_frames_over_the_figure_controls_only():
    view = text_view(n_seeds=3)
    sw = view.switcher
    assert sw.frames == [view.frames[(k, 0)][0] for k in range(1, 5)]  # one frame per k
    assert sw.figure_axes == [0] and sw.counts == [4, 3]
    assert sw.tables == [f"k={k} seed={s}" for k in range(1, 5) for s in range(3)]
    view.controls["seed"].value = 2  # the kernel follows: table and result, same frame
    assert view.result == {"k": 1, "seed": 2} and view.png() is view.frames[(1, 0)][0]


@pytest.mark.parametrize("names", [["k", "w"], [], ["seed", "x"]])
def test_figure_controls_must_name_some_of_the_controls(names):
    fig, _ = new_figure(3, 2)
    controls = {"k": int_range(1, 3, 1, "k"), "seed": int_range(0, 2, 0, "seed")}
    spec = FigureSpec(fig, lambda k, seed: None, controls, figure_controls=names)
    with pytest.raises(ValueError, match=r"figure_controls must name some of the controls"):
        FigureView(spec)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: slider([], None, "k"), r"control 'k' needs at least one value"),
        (lambda: slider([1, 2], 3, "k"), r"control 'k': 3 is not one of its values \[1, 2\]"),
        (lambda: slider([1, 2], 1, "k", labels=["a"]), r"one label per value \(2\), got 1"),
        (lambda: Control((1,), 1, "k", kind="dial"), r"kind must be one of .*got 'dial'"),
    ],
)
def test_a_bad_control_declaration_is_an_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_build_takes_declarations_only():
    with pytest.raises(ValueError, match=r"FigureSpec or a TextSpec, got dict"):
        build({})


def test_a_text_view_answers_in_the_kernel():
    spec = TextSpec("ab", "text", lambda t: ({"n": len(t)}, f"<p>{t}</p>"), "<box>")
    view = build(spec)
    assert view.result == {"n": 2} and view.html.value == "<p>ab</p>"
    view.controls["text"].value = "abc"
    assert view.result == {"n": 3} and view.html.text == "abc"
    assert view._repr_mimebundle_()["text/plain"] == "<box>"


def test_view_modules_import_no_ipywidgets():
    """Only the engine uses ipywidgets: the view modules declare their views with spec."""
    code = (
        "import sys\n"
        "import rnnlib.widgets.overview, rnnlib.widgets.unroll, rnnlib.widgets.hello\n"
        "import rnnlib.widgets.sampling, rnnlib.widgets.units\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'anywidget')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def in_a_loop(build, *then, mode="background"):
    """Build a view inside a running event loop with RNNLIB_RENDER=`mode` (background: as in a
    notebook kernel), in a thread of its own (the test process may run a loop of its own, a
    browser driver's); the messages the
    switcher sends the page are recorded: view.sent (frame index, PNG) and view.sent_tables
    (state index, HTML). Each of `then` is called with the view before the filling task runs;
    returns the view after `filled()`, with view.first and view.first_tables the switcher's
    frames and tables as the cell returned."""
    from rnnlib.widgets.view import filled

    def record(view, msg, buffers):
        if "frame" in msg:
            view.sent.append((msg["frame"], buffers[0]))
        if "state" in msg:
            view.sent_tables.append((msg["state"], msg["table"]))

    async def main():
        view = build()
        view.sent, view.sent_tables = [], []
        view.switcher.send = lambda msg, buffers: record(view, msg, buffers)
        view.first = list(view.switcher.frames)
        view.first_tables = list(view.switcher.tables)
        for step in then:
            step(view)
        await filled()
        return view

    saved = os.environ.get("RNNLIB_RENDER")
    os.environ["RNNLIB_RENDER"] = mode
    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, main()).result()
    finally:
        if saved is None:
            del os.environ["RNNLIB_RENDER"]
        else:
            os.environ["RNNLIB_RENDER"] = saved


@pytest.mark.parametrize("animated", [False, True])
def test_in_a_running_loop_frames_are_drawn_after_the_cell_returns(animated):
    """In a loop (a kernel) the view returns with its default frame and those one step from it
    in the page, every figure state's update checked; the other frames come one per message,
    nearest the controls first, then all at once in `frames`. They are the frames an eager
    build draws."""
    view = in_a_loop(lambda: sine_view(animated=animated, n=5, width=3)[0])
    eager, _ = sine_view(animated=animated, n=5, width=3)
    keys = [(k, w) for k in range(1, 6) for w in range(1, 4)]
    first = [i for i, png in enumerate(view.first) if png]
    assert first == [0, 1, 3]  # (1, 1), then (1, 2) and (2, 1): one step along each control
    assert [view.first[i] for i in first] == [eager.switcher.frames[i] for i in first]
    assert view.switcher.tables == eager.switcher.tables  # every figure state's table at once
    assert view.switcher.frames == eager.switcher.frames and view.complete
    later = [i for i in range(15) if i not in first]
    assert sorted(i for i, _ in view.sent) == later  # each missing frame once
    assert [png for _, png in sorted(view.sent)] == [eager.switcher.frames[i] for i in later]
    steps = [keys[i][0] - 1 + keys[i][1] - 1 for i, _ in view.sent]
    assert steps == sorted(steps)  # nearest the default (1, 1) first
    assert {k: f[:2] for k, f in view.frames.items()} == {k: f[:2] for k, f in eager.frames.items()}


def test_a_press_on_a_frame_not_drawn_yet_is_drawn_and_sent_at_once():
    def press(view):
        view.controls["k"].index = 4  # before the task's first step
        assert view.sent[0][0] == 4 * 3 and view.result == {"k": 5, "w": 1}

    view = in_a_loop(lambda: sine_view(animated=True, n=5, width=3)[0], press)
    near = [i for i, _ in view.sent[1:3]]
    assert sorted(near) == [9, 13]  # then the frames one step from (5, 1): (4, 1), (5, 2)
    assert len(view.sent) == 15 - 3 and view.complete  # all but the three drawn first


def test_in_a_loop_tables_come_with_their_states():
    """Tables do not hold the cell up either: the build runs one update per frame (checked),
    but computes the tables of the states it draws (the default, k 1 seed 0, and those one step
    away); the others, other seeds' too, come in messages."""
    view = in_a_loop(lambda: text_view(n_seeds=3))
    eager = text_view(n_seeds=3)
    computed = [i for i, t in enumerate(view.first_tables) if t]
    assert computed == [0, 1, 3]  # k 1 seed 0, k 1 seed 1, k 2 seed 0
    assert sorted(i for i, _ in view.sent_tables) == [2, 4, 5, 6, 7, 8, 9, 10, 11]
    assert all(eager.switcher.tables[i] == html for i, html in view.sent_tables)  # each in place
    assert view.switcher.tables == eager.switcher.tables and view.complete
    assert view.switcher.frames == eager.switcher.frames


def details_spec(calls):
    """text_spec's grid (4 k x 3 seeds) with details: a costly part of the table, each call
    counted in `calls`."""
    spec = text_spec(n_seeds=3)

    def details(k, seed):
        calls.append((k, seed))
        return {"text": f"sample {k}.{seed}"}

    spec.table, spec.details = (lambda values, r: f"{r['k']}: {r['text']}"), details
    return spec


def test_details_join_the_result_and_wait_with_the_table():
    calls, before = [], []
    view = in_a_loop(lambda: build(details_spec(calls)), lambda v: before.extend(calls))
    assert before == [(1, 0), (2, 0), (1, 1)]  # as the cell returned: the states drawn
    assert len(calls) == len(set(calls)) == 12  # then every other state's, once
    assert view.result == {"k": 1, "seed": 0, "text": "sample 1.0"}
    view.controls["seed"].index = 2
    assert view.result == {"k": 1, "seed": 2, "text": "sample 1.2"}
    assert view.html.value == "1: sample 1.2"


def test_details_need_a_dict_from_update():
    with pytest.raises(
        ValueError, match=r"update\(\{'k': 1, 'seed': 0\}\) gave list; expected a dict"
    ):
        spec = details_spec([])
        spec.update = lambda k, seed: [k]
        build(spec)


@pytest.mark.parametrize("mode", ["eager", "background", ""])
def test_the_render_mode_comes_from_the_environment(mode):
    """eager: all first; background: after, in any running loop; unset: after only in a
    notebook kernel (tests/test_background_frames.py), so not here."""
    view = in_a_loop(lambda: sine_view(n=3, width=1)[0], mode=mode)
    assert all(view.first) == (mode != "background") and view.complete


def test_an_unknown_render_mode_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"RNNLIB_RENDER='lazy': expected one of"):
        in_a_loop(lambda: sine_view(n=3, width=1)[0], mode="lazy")


def test_an_undeclared_artist_is_an_error_at_build_time_in_a_loop_too():
    spec = sine_spec(animated=True)
    spec.animated = spec.animated[:1]  # the bar moves too
    with pytest.raises(ValueError, match="not declared animated"):
        in_a_loop(lambda: FigureView(spec))


def test_an_empty_table_is_an_error_naming_the_view():
    spec = sine_spec()
    spec.table = lambda values, result: "" if values["k"] == 3 else "<b>k</b>"
    spec.title = "sines"
    with pytest.raises(ValueError, match=r"view 'sines': table\(\{'k': 3, 'w': 1\}\) gave ''"):
        FigureView(spec)


def test_an_error_in_the_background_is_raised_by_filled_naming_the_view():
    """Only a table-only state can fail after the cell returned (every figure state's update is
    checked at build time, and the states one step away drawn): here seed 2 moves an artist
    the view did not declare."""
    fig, ax = new_figure(4, 2.5)
    (line,) = ax.plot(X, np.sin(X))
    (other,) = ax.plot(X, np.cos(X))

    def update(k, seed):
        line.set_ydata(np.sin(k * X))
        if seed == 2:
            other.set_ydata(np.cos(k * X))
        return {}

    controls = {"k": int_range(1, 2, 1, "k"), "seed": int_range(0, 2, 0, "seed")}
    spec = FigureSpec(
        fig,
        update,
        controls,
        table=lambda v, r: "<p>t</p>",
        figure_controls=["k"],
        animated=[line],
        title="seeds",
    )
    with pytest.raises(RuntimeError, match=r"view 'seeds' failed: ValueError.*not declared"):
        in_a_loop(lambda: FigureView(spec))
    with pytest.raises(ValueError, match="not declared animated"):
        FigureView(spec)  # eager: at build time
