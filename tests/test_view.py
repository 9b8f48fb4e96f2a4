"""FigureView: frames cached by control state, prerendered along each control, blitted when the
moving artists are known, and a static PNG left in the saved output."""

import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.image import imread

from rnnlib.draw import new_figure
from rnnlib.draw.style import SCALE
from rnnlib.widgets import FigureView, control_values
from rnnlib.widgets.view import PRERENDER_LIMIT, STATE_LIMIT, _choices

X = np.linspace(0.0, 6.0, 50)


def sine_view(*, animated=False, prerender=True, n=5, width=2):
    """A line y = sin(k x) and a bar of height k / n, driven by two sliders k and w."""
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

    controls = {"k": widgets.IntSlider(value=1, min=1, max=n), "w": widgets.IntSlider(1, 1, width)}
    view = FigureView(
        fig,
        update,
        controls,
        table=lambda values, result: f"<b>k = {result['k']}</b>",
        prerender=prerender,
        animated=[line, bar] if animated else None,
    )
    return view, calls


def decode(png):
    return imread(io.BytesIO(png), format="png")


@pytest.mark.parametrize("animated", [False, True])
def test_prerender_covers_every_state_when_there_are_few(animated):
    view, calls = sine_view(animated=animated, n=5, width=3)
    assert set(view.frames) == {(k, w) for k in range(1, 6) for w in range(1, 4)}
    assert len(calls) == 1 + 15  # the layout draw, then each state once
    assert view.result == {"k": 1, "w": 1}
    assert decode(view.png()).shape[2] == 4


def test_prerender_covers_the_states_along_each_control_when_the_grid_is_large():
    view, calls = sine_view(n=50, width=3)  # 150 states together, 52 along the two controls
    assert 150 > PRERENDER_LIMIT
    assert set(view.frames) == {(k, 1) for k in range(1, 51)} | {(1, w) for w in range(1, 4)}
    assert len(calls) == 1 + 52


def test_no_prerender_when_there_would_be_too_many_frames():
    view, _ = sine_view(n=PRERENDER_LIMIT + 1)
    assert list(view.frames) == [(1, 1)]


@pytest.mark.parametrize("animated", [False, True])
def test_moving_a_slider_swaps_the_frame_and_the_table(animated):
    view, calls = sine_view(animated=animated, prerender=False)
    first = view.png()
    view.controls["k"].value = 3
    assert view.result == {"k": 3, "w": 1} and view.html.value == "<b>k = 3</b>"
    assert view.png() != first
    n_calls = len(calls)
    view.controls["k"].value = 1  # back to a cached state: nothing is drawn again
    assert view.png() == first and len(calls) == n_calls
    view.controls["w"].value = 2  # a state off the prerendered axes renders on demand
    assert view.result == {"k": 1, "w": 2} and control_values(view.controls) == {"k": 1, "w": 2}


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


def one_control_view(control):
    fig, ax = new_figure(3, 2)
    (line,) = ax.plot(X, np.sin(X))
    ax.set_ylim(-1.1, 1.1)

    def update(k):
        line.set_ydata(np.sin(k * X))
        return k

    return FigureView(fig, update, {"k": control}, table=lambda values, result: f"k={result}")


@pytest.mark.parametrize(
    ("control", "attr", "offset"),
    [
        (widgets.IntSlider(value=2, min=1, max=4), "value", 1),
        (widgets.IntSlider(value=0, min=-2, max=3), "value", -2),
        (widgets.SelectionSlider(options=[0.5, 1.0, 2.0], value=1.0), "index", 0),
    ],
)
def test_one_prerendered_control_switches_frames_in_the_page(control, attr, offset):
    view = one_control_view(control)
    sw = view.switcher
    keys = [(v,) for v in _choices(control)]  # frame keys in the control's order
    assert sw.frames == [view.frames[k][0] for k in keys]  # every frame is already in the page
    assert sw.tables == [view.frames[k][1] for k in keys]
    assert (sw.counts, sw.offsets, sw.figure_axes) == ([len(keys)], [offset], [0])
    assert sw.i0 == getattr(control, attr)  # linked in the page: starts where the control is
    assert (sw.width, sw.height) == tuple(int(n[:-2]) for n in png_size(view.png()))
    assert sw.scale == SCALE and len(sw.labels) == len(keys)
    assert sw.labels[0] == view.label({"k": keys[0][0]})  # each state's accessible name
    assert view.widget.children[-1] is sw  # what is shown


def test_each_control_is_jslinked_to_a_switcher_trait():
    view, _ = sine_view(n=4, width=2)
    ours = {(lk.source[0], lk.source[1], lk.target[0], lk.target[1]) for lk in view.links}
    k, w = view.controls["k"], view.controls["w"]
    sw = view.switcher
    assert ours == {(k, "value", sw, "i0"), (w, "value", sw, "i1")}


@pytest.mark.parametrize(
    "control",
    [
        widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.5),  # a float value: no index
        widgets.IntSlider(value=2, min=0, max=10, step=2),  # values are not indices
        widgets.IntSlider(value=2, min=0, max=PRERENDER_LIMIT + 5),  # too many frames
    ],
)
def test_other_controls_fetch_frames_from_the_kernel(control):
    view = one_control_view(control)
    assert view.switcher is None
    assert view.image in view.widget.children[-1].children
    assert (view.image.layout.width, view.image.layout.height) == png_size(view.png())


def test_two_prerendered_controls_switch_frames_in_the_page_row_major():
    view, _ = sine_view(n=4, width=2)
    sw = view.switcher
    keys = [(k, w) for k in range(1, 5) for w in (1, 2)]  # the first control varies slowest
    assert sw.frames == [view.frames[key][0] for key in keys]
    assert sw.tables == [view.frames[key][1] for key in keys]
    assert (sw.counts, sw.offsets, sw.figure_axes) == ([4, 2], [1, 1], [0, 1])
    view.controls["k"].value = 3  # the kernel follows a change
    assert view.result == {"k": 3, "w": 1} and view.png() == view.frames[(3, 1)][0]


def test_two_controls_with_a_large_grid_fetch_frames_from_the_kernel():
    view, _ = sine_view(n=70, width=2)  # 140 frames
    assert view.switcher is None and view.image in view.widget.children[-1].children


def test_the_page_side_is_shipped_with_the_package():
    from rnnlib.widgets.frames import FrameSwitcher

    esm = FrameSwitcher._esm
    assert "export default" in esm and "createImageBitmap" in esm
    assert "`i${k}`" in esm


def png_size(png):
    """The CSS size a frame is shown at: its pixels over SCALE (frames carry SCALE x pixels)."""
    height, width = decode(png).shape[:2]
    assert width % SCALE == 0 and height % SCALE == 0
    return f"{width // SCALE}px", f"{height // SCALE}px"


def text_view(n_seeds, n_k=4):
    """A figure that depends on k only, and a table that depends on k and a seed."""
    fig, ax = new_figure(3, 2)
    (line,) = ax.plot(X, np.sin(X))
    ax.set_ylim(-1.1, 1.1)

    def update(k, seed):
        line.set_ydata(np.sin(k * X))
        return {"k": k, "seed": seed}

    controls = {
        "k": widgets.IntSlider(value=1, min=1, max=n_k),
        "seed": widgets.IntSlider(value=0, min=0, max=n_seeds - 1),
    }
    return FigureView(
        fig,
        update,
        controls,
        table=lambda values, r: f"k={r['k']} seed={r['seed']}",
        figure_controls=["k"],
        animated=[line],
    )


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


def test_too_many_table_states_fall_back_to_the_states_along_each_control():
    n_seeds = STATE_LIMIT // 4 + 1  # 4 frames, but more states than STATE_LIMIT
    view = text_view(n_seeds=n_seeds)
    assert len(view.frames) == 4 + n_seeds - 1 and view.switcher is None


@pytest.mark.parametrize("names", [["k", "w"], [], ["seed", "x"]])
def test_figure_controls_must_name_some_of_the_controls(names):
    fig, _ = new_figure(3, 2)
    controls = {"k": widgets.IntSlider(1, 1, 3), "seed": widgets.IntSlider(0, 0, 2)}
    with pytest.raises(ValueError, match=r"figure_controls must name some of the controls"):
        FigureView(fig, lambda k, seed: None, controls, figure_controls=names)
