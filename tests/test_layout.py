"""rnnlib.widgets.layout.control_row: a wrapping row, whole descriptions, sliders whose track
column has a minimum width. What a browser makes of it is tested in tests/browser/test_narrow.py
(390 px phone and JupyterLab at 1366 px)."""

import ipywidgets as widgets
import pytest

from rnnlib.widgets.layout import MIN_TRACK, SLIDER_GRID, control_row


def three_sliders():
    return [
        widgets.SelectionSlider(options=[0.5, 1.0, 3.0], value=1.0, description="temperature"),
        widgets.IntSlider(value=0, min=0, max=4, description="seed"),
        widgets.FloatSlider(value=0.0, min=0, max=1, step=0.5, description="rotation"),
    ]


def test_the_row_wraps_and_holds_the_controls_in_order():
    controls = three_sliders() + [widgets.ToggleButtons(options=["a", "b"], description="model")]
    row = control_row(controls)
    assert isinstance(row, widgets.HBox)
    assert row.layout.flex_flow == "row wrap"
    assert list(row.children) == controls


def test_each_horizontal_slider_is_a_grid_with_a_minimum_track():
    row = control_row(three_sliders())
    for s in row.children:
        assert s.layout.display == "grid"
        columns = s.layout.grid_template_columns
        assert columns == SLIDER_GRID
        assert columns.startswith("max-content minmax(calc(") and columns.endswith("max-content")
        assert f"calc({MIN_TRACK}px + var(--jp-widgets-slider-handle-size))" in columns
        assert s.layout.min_width == "min-content"
        assert s.style.description_width == "initial"
    assert MIN_TRACK == 120


def test_other_controls_keep_their_own_layout():
    buttons = widgets.ToggleButtons(options=["a", "b"], description="model")
    text = widgets.Text(description="text")
    vertical = widgets.IntSlider(orientation="vertical", description="v")
    control_row([buttons, text, vertical])
    for c in (buttons, text, vertical):
        assert c.layout.display is None and c.layout.grid_template_columns is None
        assert c.layout.min_width is None
    assert text.style.description_width == "initial"


def test_an_empty_list_is_an_empty_row():
    assert control_row([]).children == ()


@pytest.mark.parametrize("bad", ["gain", 3, None, widgets.Layout()])
def test_anything_but_a_widget_is_refused(bad):
    with pytest.raises(ValueError, match=r"expects ipywidgets controls .*got .*of type"):
        control_row([widgets.IntSlider(), bad])


def test_a_view_lays_its_controls_out_with_control_row():
    from rnnlib.draw import new_figure
    from rnnlib.widgets.spec import FigureSpec, build, int_range, slider

    fig, ax = new_figure(2, 1)
    (line,) = ax.plot([0, 1], [0, 0])
    controls = {
        "temperature": slider([0.5, 1.0, 3.0], 1.0, "temperature"),
        "seed": int_range(0, 4, 0, "seed"),
        "rotation": slider([0.0, 0.5, 1.0], 0.0, "rotation"),
    }
    view = build(FigureSpec(fig, lambda **v: line.set_ydata([0, v["seed"]]), controls))
    row = view.widget.children[0]
    assert row.layout.flex_flow == "row wrap"
    assert list(row.children) == list(view.controls.values())
    assert [c.description for c in row.children] == ["temperature", "seed", "rotation"]
    assert all(c.layout.grid_template_columns == SLIDER_GRID for c in row.children)
    assert all(c.style.description_width == "initial" for c in row.children)
