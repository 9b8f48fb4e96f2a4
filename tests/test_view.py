"""FigureView: frames cached by control state, prerendered along each control, blitted when the
moving artists are known, and a static PNG left in the saved output."""

import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.image import imread

from rnnlib.draw import new_figure
from rnnlib.widgets import FigureView, control_values
from rnnlib.widgets.view import PRERENDER_LIMIT, _choices

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
    view, calls = sine_view(n=30, width=3)  # 90 states together, 32 along the two controls
    assert set(view.frames) == {(k, 1) for k in range(1, 31)} | {(1, w) for w in range(1, 4)}
    assert len(calls) == 1 + 32


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
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "<interactive figure: k, w>"
    png = base64.b64decode(bundle["image/png"])
    assert png == view.png() and png.startswith(b"\x89PNG")


def one_control_view(control):
    fig, ax = new_figure(3, 2)
    (line,) = ax.plot(X, np.sin(X))
    ax.set_ylim(-1.1, 1.1)

    def update(k):
        line.set_ydata(np.sin(k * X))
        return k

    return FigureView(fig, update, {"k": control}, table=lambda values, result: f"k={result}")


@pytest.mark.parametrize(
    ("control", "attr", "pad"),
    [
        (widgets.IntSlider(value=2, min=1, max=4), "value", 1),
        (widgets.IntSlider(value=0, min=0, max=3), "value", 0),
        (widgets.SelectionSlider(options=[0.5, 1.0, 2.0], value=1.0), "index", 0),
    ],
)
def test_one_prerendered_control_switches_frames_in_the_page(control, attr, pad):
    view = one_control_view(control)
    image_stack, table_stack = view.stacks
    values = [(v,) for v in _choices(control)]  # frame keys in the control's order
    assert len(image_stack.children) == pad + len(values)
    for child, key in zip(image_stack.children[pad:], values, strict=True):
        assert child.value == view.frames[key][0]  # every frame is already in the page
    assert [c.value for c in table_stack.children[pad:]] == [view.frames[k][1] for k in values]
    assert image_stack.selected_index == getattr(control, attr)
    assert view.widget.children[-1].children == (image_stack, table_stack)  # what is shown


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
    assert view.stacks == []
    assert view.image in view.widget.children[-1].children


def test_two_prerendered_controls_switch_frames_in_nested_stacks():
    view, _ = sine_view(n=4, width=2)
    image_stack, table_stack = view.stacks
    assert len(image_stack.children) == 1 + 4  # k: a placeholder below min=1, then k = 1..4
    for k in range(1, 5):
        inner = image_stack.children[k]
        assert len(inner.children) == 1 + 2  # w: a placeholder, then w = 1, 2
        for w in (1, 2):
            assert inner.children[w].value == view.frames[(k, w)][0]
            assert table_stack.children[k].children[w].value == view.frames[(k, w)][1]


def test_two_controls_with_a_large_grid_fetch_frames_from_the_kernel():
    view, _ = sine_view(n=40, width=2)
    assert view.stacks == [] and view.image in view.widget.children[-1].children
