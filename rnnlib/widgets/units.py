"""A view inside the hidden units: pick a unit, see what it correlates with and where it fires."""

from ..draw import units as draw
from ..draw.style import new_figure
from ..units import FEATURES, best_units, check_unit, correlations, hidden_states, text_features
from .spec import FigureSpec, build, int_range


def units_explorer(params, vocab, text, *, shown=480, unit=None):
    """A slider over the hidden units of a model reading `text` from h_0 = 0.

    The figure: the unit's correlation r with each of FEATURES over the whole text. The table:
    the first `shown` characters coloured by the unit's activation after reading each one.
    Inputs: params; vocab (encodes text); text (str); shown (int > 0); unit shown first (None:
    the unit with the strongest correlation of all). Returns a FigureView with control unit;
    view.result: dict unit, r (dict feature -> r of this unit). view.best: best_units() rows;
    view.states (N, H), view.features and view.corr: what the correlations were computed from.
    """
    hs = hidden_states(params, vocab.encode(text))
    features = text_features(text)
    corr = correlations(hs, features)
    best = best_units(corr)
    H = hs.shape[1]
    unit = best[0][1] if unit is None else check_unit(unit, H)
    passage = text[:shown]
    fig, ax = new_figure(5.2, 2.8)
    art = draw.correlation_bars(ax, list(FEATURES))
    title = ax.set_title(" ", fontsize=10)

    def update(unit):
        r = {name: float(corr[name][unit]) for name in FEATURES}
        draw.set_correlations(art, [r[name] for name in FEATURES])
        title.set_text(f"hidden unit {unit} of {H}")
        return {"unit": unit, "r": r}

    def table(values, result):
        acts = hs[: len(passage), values["unit"]]
        return (
            f"<p>activation of unit {values['unit']} after each character "
            "(red +1, white 0, blue -1; hover for the value)</p>"
            + draw.activation_html(passage, acts)
        )

    alt = "One hidden unit's correlation with properties of the text, and where it is active"
    seen = {"best": best, "states": hs, "features": features, "corr": corr}
    controls = {"unit": int_range(0, H - 1, unit, "unit")}
    animated = [*art[0], *art[1], title]
    return build(FigureSpec(fig, update, controls, table, animated, alt=alt, attributes=seen))
