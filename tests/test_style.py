"""The course's visual language: a palette that survives colour-vision deficiencies, text that
can be read when projected, figures crisp at devicePixelRatio 2, and alt text."""

import base64
import io
import itertools

import numpy as np
import pytest
from matplotlib.text import Text
from notebook_figures import every_figure
from PIL import Image

from rnnlib import course
from rnnlib.draw import style

# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color
# vision deficiency", severity 1.0: matrices on linear RGB.
SIMULATIONS = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
    "typical vision": np.eye(3),
}
MIN_DELTA_E = 15.0  # CIE76 distance in L*a*b*: well above "just noticeable" (about 2.3)


def _linear(hex_color):
    c = np.array([int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(rgb_linear):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    t = xyz @ rgb_linear / np.array([0.95047, 1.0, 1.08883])  # D65 white
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, matrix):
    """CIE76 distance between two colours as seen through a simulation matrix."""
    m = np.asarray(matrix)
    la, lb = (_lab(np.clip(m @ _linear(c), 0, 1)) for c in (a, b))
    return float(np.linalg.norm(la - lb))


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_every_pair_of_meanings_stays_apart(vision):
    colors = {**style.COLORS, "reference": style.REFERENCE}
    worst = min(
        (delta_e(colors[a], colors[b], SIMULATIONS[vision]), a, b)
        for a, b in itertools.combinations(colors, 2)
    )
    assert worst[0] > MIN_DELTA_E, worst


def test_the_old_palette_failed_for_deuteranopes():
    """The check has teeth: input red and output green of the first palette were ~12 apart."""
    assert delta_e("#d64545", "#3a9a52", SIMULATIONS["deuteranopia"]) < MIN_DELTA_E


def _glyph(char):
    from rnnlib.draw import new_figure

    fig, ax = new_figure(0.5, 0.5)
    ax.set_axis_off()
    ax.text(0.5, 0.5, char, ha="center", va="center", fontsize=24, family=style.CHAR_FONT)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0] < 128  # ink


def test_the_character_l_cannot_be_read_as_I_or_a_bar():
    ell = _glyph("l")
    for other in ("I", "|", "1"):
        differ = np.mean(ell != _glyph(other))
        assert differ > 0.01, other  # at least 1% of the cell's pixels differ


@pytest.fixture(scope="module")
def figures():
    return list(every_figure())


def test_every_figure_of_the_notebooks_is_checked(figures):
    """Every registered builder is built (tests/test_course.py: the registered builders are the
    ones the notebooks call)."""
    registered = [name for nb in course.NOTEBOOKS for name in nb.names()]
    assert [name for name, _ in figures] == registered


def _smallest_px(fig):
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0
    ]
    return min(sizes) * style.DPI / 72


def test_text_is_readable_when_projected(figures):
    """Every figure's smallest text is at least MIN_FONT_PX CSS pixels, as shown."""
    small = {name: _smallest_px(fig) for name, fig in _shown_figures(figures)}
    assert len(small) >= 20
    assert min(small.values()) >= style.MIN_FONT_PX, {n: round(v, 1) for n, v in small.items()}


def _shown_figures(figures):
    """(name, matplotlib figure) of every figure and view, made readable as they are shown
    (a text box with a table only has no figure and is left out)."""
    for name, obj in figures:
        fig = getattr(obj, "fig", obj)
        if hasattr(fig, "findobj"):
            if not hasattr(obj, "fig"):
                style.figure_png(fig)  # a static figure is made readable when it is shown
            yield name, fig


def test_titles_read_above_their_labels(figures):
    """Every title (axes titles, suptitles) is at least FONT["title"] points, larger than the
    smallest labels, so it still reads first from the back of the room."""
    assert style.FONT["title"] > style.FONT["small"]
    small, seen = {}, 0
    for name, fig in _shown_figures(figures):
        for title in style.titles(fig):
            if title.get_text().strip():
                seen += 1
                if title.get_fontsize() < style.FONT["title"]:
                    small[name] = title.get_text()
    assert seen >= 20 and not small, small


def _drawn_texts(fig):
    """The texts a draw of the figure shows: visible, non-empty, and for tick labels only those
    of visible axes within the view limits (matplotlib keeps others it does not draw)."""
    fig.canvas.draw()
    every_tick, drawn_ticks = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                every_tick.update({id(tick.label1), id(tick.label2)})
            if ax.axison and ax.get_visible() and axis.get_visible():
                for tick in axis._update_ticks():
                    drawn_ticks.update(id(t) for t in (tick.label1, tick.label2) if t.get_visible())
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible()
        and t.get_text().strip()
        and t.get_alpha() != 0
        and (id(t) not in every_tick or id(t) in drawn_ticks)
        and (t.axes is None or t.axes.get_visible())
    ]


OVERLAP_PX = 2  # glyph boxes include side bearings: 2 px of box overlap is not touching ink


def test_no_text_overlaps_another_or_leaves_the_figure(figures):
    """In every figure and view's default frame, no two texts' boxes overlap by more than
    OVERLAP_PX in both directions, and no text sticks out of the figure (clipped in the PNG)."""
    bad = []
    for name, fig in _shown_figures(figures):
        renderer = fig.canvas.get_renderer()
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _drawn_texts(fig)]
        for (ta, a), (tb, b) in itertools.combinations(boxes, 2):
            wide = min(a.x1, b.x1) - max(a.x0, b.x0)
            high = min(a.y1, b.y1) - max(a.y0, b.y0)
            if wide > OVERLAP_PX and high > OVERLAP_PX:
                bad.append(f"{name}: {ta!r} overlaps {tb!r} by {wide:.0f} x {high:.0f} px")
        width, height = fig.bbox.width, fig.bbox.height
        for text, b in boxes:
            if b.x0 < -1 or b.y0 < -1 or b.x1 > width + 1 or b.y1 > height + 1:
                bad.append(f"{name}: {text!r} leaves the figure ({b.x0:.0f}, {b.y0:.0f})")
    assert not bad, "\n".join(bad)


def test_views_carry_2x_frames_and_name_them(figures):
    for name, obj in figures:
        if not hasattr(obj, "css_size"):
            continue
        width, height = Image.open(io.BytesIO(obj.png())).size
        assert (width, height) == tuple(style.SCALE * n for n in obj.css_size), name
        bundle, meta = obj._repr_mimebundle_()
        alt = meta["image/png"]["alt"]
        assert len(alt) > 30 and not alt.startswith("figure:"), (name, alt)  # a sentence
        assert 'alt="' in bundle["text/html"]


def test_static_figures_show_at_2x_with_alt_text(figures):
    for name, obj in figures:
        if hasattr(obj, "css_size") or not hasattr(obj, "savefig"):
            continue
        data, meta = obj._repr_mimebundle_()
        png = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
        assert png.size[0] == style.SCALE * meta["image/png"]["width"], name
        assert len(meta["image/png"]["alt"]) > 30, name
        assert data["text/plain"] == f"<{meta['image/png']['alt']}>"
