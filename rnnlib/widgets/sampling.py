"""Views for test time: step through the sampler, turn temperature and top-k, watch text emerge."""

import html
from functools import partial

import numpy as np

from ..draw import sampling as draw
from ..draw.style import new_figure
from ..sampling import after_prompt, entropy, next_distribution, sample, sample_steps
from .spec import FigureSpec, build, int_range, slider
from .spec import progress_bar as progress_bar  # made by the engine; notebook 04 calls it here

TEMPERATURES = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 5.0)
MONO = "font-family: monospace; white-space: pre-wrap; max-width: 34em"


def _text_html(text, mark=None):
    """Monospace HTML of `text`; the character at index `mark` highlighted (blanks made visible)."""
    esc = [html.escape(c) for c in text]
    if mark is not None:
        shown = html.escape(draw.char_label(text[mark]))
        esc[mark] = f'<b style="background:#ffe2a8">{shown}</b>'
    return f'<div style="{MONO}">{"".join(esc)}</div>'


def step_explorer(params, vocab, seed_char, n=8, *, temperature=1.0, rng=0, prerender=True):
    """Step through n steps of sampling: the chain so far and p_t with the drawn character.

    Inputs: params; vocab (Vocab); seed_char the first input, fed from h = 0; n steps;
    temperature; rng a seed or Generator for the draws; prerender, as in FigureView.
    Returns a FigureView with a `step` slider (1..n, starting at n // 2); view.result is a
    dict with step, input, drawn (characters), p (V,) and text (seed + characters drawn so
    far); view.steps holds sample_steps' arrays.
    """
    H = params["W_hh"].shape[0]
    steps = sample_steps(
        params, np.zeros(H), vocab.index[seed_char], n, temperature=temperature, rng=rng
    )
    inputs = [vocab.chars[i] for i in steps["inputs"]]
    drawn = [vocab.chars[i] for i in steps["ix"]]
    fig, (ax_chain, ax_p) = new_figure(8.0, 4.6, nrows=2, height_ratios=[1.5, 1.0])
    chain = draw.sampling_chain(ax_chain, n)
    bars = draw.distribution_bars(ax_p, vocab.chars)
    ax_p.set_title("$p_t$ = softmax($y_t$); the drawn character in sky blue", fontsize=10)

    def update(step):
        t = step - 1
        draw.set_chain(chain, inputs, drawn, step)
        draw.set_distribution(bars, steps["p"][t], steps["ix"][t])
        text = seed_char + "".join(drawn[:step])
        return {
            "step": step,
            "input": inputs[t],
            "drawn": drawn[t],
            "p": steps["p"][t],
            "text": text,
        }

    def table(values, result):
        p_drawn = result["p"][vocab.index[result["drawn"]]]
        return (
            f"<p>step {result['step']}: input <b>{html.escape(result['input'])}</b>, "
            f"drew <b>{html.escape(result['drawn'])}</b> with probability {p_drawn:.3f}</p>"
            f"<p>text so far:</p>{_text_html(result['text'], mark=len(result['text']) - 1)}"
        )

    controls = {"step": int_range(1, n, max(1, n // 2), "step")}
    animated = chain["animated"] + list(bars)
    alt = "The sampler unrolled up to a step: each drawn character fed back as the next input"
    spec = FigureSpec(fig, update, controls, table, animated, alt=alt, attributes={"steps": steps})
    return build(spec, prerender=prerender)


def top_k_options(V):
    """Top-k choices for a vocabulary of V, from V itself ("all") down to a few small k.

    Returns a list of (label, k) pairs, largest k first: sliding right cuts more of the tail.
    """
    ks = [k for k in (10, 5, 3, 2, 1) if k < V]
    return [(f"all ({V})", V)] + [(str(k), k) for k in ks]


def _entropy_curves(y, ks, temperatures):
    """Entropy (nats) of the next-character distribution from logits y against temperature, one
    curve per top-k: {k: list of entropies at each of `temperatures`}, drawn behind the marker."""
    return {k: [entropy(next_distribution(y, t, k)) for t in temperatures] for _, k in ks}


def _temperature_controls(temperatures, ks, V, seeds):
    """The controls of temperature_explorer: a temperature slider (starting at 1.0), a top-k
    slider over ks ((label, k) pairs; starting at V, no cut) and a seed range 0 .. seeds - 1."""
    labels, values = zip(*ks, strict=True)
    return {
        "temperature": slider(temperatures, 1.0, "temperature"),
        "top_k": slider(values, V, "top-k", labels=labels),
        "seed": int_range(0, seeds - 1, 0, "seed"),
    }


def _temperature_table(prompt, V, values, result):
    """The table beside the temperature figure: the entropy against its ceiling (ln V, or ln k
    under a top-k cut), the largest probability, and the sample after the prompt. Returns HTML."""
    top_k = values["top_k"]
    ceiling = f"; top-{top_k}: at most ln {top_k} = {np.log(top_k):.3f}" if top_k < V else ""
    return (
        f"<p>entropy {result['entropy']:.3f} nats (uniform: ln V = {result['log_v']:.3f}"
        f"{ceiling}); largest probability {result['p'].max():.3f}</p>"
        f"<p>sample with seed {values['seed']}:</p>"
        f"{_text_html(prompt + result['text'])}"
    )


def temperature_explorer(
    params, vocab, prompt, *, n=160, seeds=3, temperatures=TEMPERATURES, prerender=True
):
    """Temperature and top-k: the next-character distribution after a prompt, and samples.

    Inputs: params; vocab; prompt (str, >= 1 character; the model reads it from h = 0, its last
    character is the first input of the sampler); n characters per sample; seeds, the number
    of rng seeds offered (0 .. seeds - 1); temperatures, the slider's values; prerender, as
    in FigureView.
    Returns a FigureView with controls temperature, top_k, seed; view.result is a dict with
    p (V,), entropy (nats), log_v (ln V) and text (the sample, prompt excluded).
    """
    h, seed_ix, y = after_prompt(params, vocab, prompt)
    V = len(vocab)
    log_v = float(np.log(V))
    ks = top_k_options(V)
    grid = np.linspace(0.0, max(temperatures), 121)
    curves = _entropy_curves(y, ks, grid)
    fig, (ax_p, ax_h) = new_figure(8.0, 3.0, ncols=2, width_ratios=[2.2, 1.0])
    bars = draw.distribution_bars(ax_p, vocab.chars)
    ax_p.set_title(f"next character after {prompt!r}", fontsize=10)
    line, marker = draw.entropy_curve(ax_h, grid, curves[V], log_v)
    ceiling = draw.top_k_ceiling(ax_h, grid)

    def update(temperature, top_k, seed):
        p = next_distribution(y, temperature, top_k)
        ent = entropy(p)
        draw.set_distribution(bars, p)
        line.set_ydata(curves[top_k])
        draw.set_top_k_ceiling(ceiling, top_k, V)
        marker.set_data([temperature], [ent])
        return {"p": p, "entropy": ent, "log_v": log_v}

    def details(temperature, top_k, seed):  # the sample: only the table shows it
        ix = sample(params, h, seed_ix, n, temperature=temperature, top_k=top_k, rng=seed)
        return {"text": vocab.decode(ix)}

    spec = FigureSpec(
        fig,
        update,
        _temperature_controls(temperatures, ks, V, seeds),
        table=partial(_temperature_table, prompt, V),
        details=details,
        animated=[*bars, line, marker, *ceiling],
        figure_controls=["temperature", "top_k"],  # the seed changes only the sample
        alt="The next-character distribution after the prompt, and its entropy against temperature",
    )
    return build(spec, prerender=prerender)


def training_explorer(
    iterations, losses, snapshot_iters, samples, *, train_curve=None, log_v=None, prerender=True
):
    """Text emerging during training: a loss curve, and the sample taken at each snapshot.

    Inputs: iterations (n,) and losses (n,) per character, the curve the marker rides on (e.g.
    held-out loss); snapshot_iters (S,) the iterations at which samples (S strings) were drawn;
    train_curve, None or (iterations (m,), losses (m,)) drawn faint behind; log_v = ln V for a
    baseline; prerender, as in FigureView.
    Returns a FigureView with a `snapshot` slider over snapshot_iters (starting in the middle,
    so a reader without a kernel sees text half formed); view.result is a dict
    with iteration, loss (the curve's value there) and text.
    """
    iterations = np.asarray(iterations, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    if len(snapshot_iters) != len(samples) or len(samples) == 0:
        raise ValueError(
            f"need one sample per snapshot, got {len(snapshot_iters)} iterations "
            f"and {len(samples)} samples"
        )
    fig, ax = new_figure(6.0, 2.6)
    back = None if train_curve is None else (*train_curve, "training loss (smoothed)")
    _, marker = draw.loss_curve(
        ax, iterations, losses, label="held-out loss", log_v=log_v, background=back
    )
    texts = dict(zip((int(i) for i in snapshot_iters), (str(t) for t in samples), strict=True))

    def update(snapshot):
        loss = float(np.interp(snapshot, iterations, losses))  # the curve at that iteration
        marker.set_data([snapshot], [loss])
        return {"iteration": snapshot, "loss": loss, "text": texts[snapshot]}

    def table(values, result):
        return (
            f"<p>after {result['iteration']} iterations (held-out loss {result['loss']:.3f} "
            f"nats/char):</p>{_text_html(result['text'])}"
        )

    controls = {"snapshot": slider(texts, list(texts)[len(texts) // 2], "iteration")}
    alt = "Held-out and training loss per character against iteration, marked at one snapshot"
    return build(FigureSpec(fig, update, controls, table, [marker], alt=alt), prerender=prerender)
