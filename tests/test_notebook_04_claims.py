"""The claims notebooks/04_sampling.ipynb makes in its text, checked on the same objects."""

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from rounding import nudge_every_update

from rnnlib import hello, init_params, sample, sample_steps, units
from rnnlib.corpus import load_corpus, load_corpus_model, split
from rnnlib.dynamics import gradient_decay
from rnnlib.sampling import after_prompt, entropy, next_distribution
from rnnlib.training import per_char_loss, train
from rnnlib.widgets import sampling as views
from rnnlib.widgets import units as unit_views

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_sampling.ipynb"
PROMPT = "the robot "


def notebook_value(name):
    """The literal assigned to `name` in a code cell of the notebook (e.g. my_text)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or name not in cell.source:
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
                return ast.literal_eval(node.value)
    raise LookupError(f"no assignment to {name} in {NOTEBOOK.name}")


@pytest.fixture(scope="module")
def model():
    return load_corpus_model()


@pytest.fixture(scope="module")
def start(model):
    return after_prompt(model.params, model.vocab, PROMPT)  # (h, seed_ix, y)


def test_the_notebook_uses_the_prompt_tested_here():
    assert notebook_value("prompt") == PROMPT


def test_hello_net_spells_ello_with_probability_above_099():
    params = hello.train_hello().params
    steps = sample_steps(params, np.zeros(3), 0, 8, rng=0)  # the step view's defaults
    assert hello.vocab().decode(steps["ix"][:4]) == "ello"
    assert np.all(steps["p"][np.arange(4), steps["ix"][:4]] > 0.99)


def test_entropy_is_zero_at_tau_zero_and_grows_toward_log_v(model, start):
    _, _, y = start
    log_v = np.log(len(model.vocab))
    ents = [entropy(next_distribution(y, t)) for t in views.TEMPERATURES]
    assert ents[0] == 0.0
    assert all(a < b for a, b in zip(ents[:-1], ents[1:], strict=True))
    assert max(ents) < log_v
    assert entropy(next_distribution(y, 1e4)) == pytest.approx(log_v, abs=1e-3)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 10])
def test_top_k_entropy_levels_off_at_log_k(start, k):
    _, _, y = start
    assert entropy(next_distribution(y, 1e4, k)) == pytest.approx(np.log(k), abs=1e-3)
    assert entropy(next_distribution(y, 1.0, k)) < np.log(k) + 1e-12


def test_top1_is_greedy_for_every_seed_and_temperature(model, start):
    h, seed_ix, _ = start
    greedy = sample(model.params, h, seed_ix, 80, temperature=0.0)
    for seed in range(3):
        for tau in (0.5, 1.0, 5.0):
            assert (
                sample(model.params, h, seed_ix, 80, temperature=tau, top_k=1, rng=seed) == greedy
            )


def test_greedy_text_falls_into_a_loop(model, start):
    h, seed_ix, _ = start
    text = model.vocab.decode(sample(model.params, h, seed_ix, 400, temperature=0.0))
    tail = text[160:]
    assert any(tail[p:] == tail[:-p] for p in range(1, 81))  # periodic, with a period <= 80


def test_words_at_half_temperature_noise_at_five(model, start):
    h, seed_ix, _ = start
    words = set(re.findall(r"[a-z]+", load_corpus()))

    def real_share(tau):
        texts = [
            model.vocab.decode(sample(model.params, h, seed_ix, 160, temperature=tau, rng=s))
            for s in range(3)  # the seeds the view offers
        ]
        found = [w for t in texts for w in re.findall(r"[a-z]+", t)]
        return np.mean([w in words for w in found])

    half, one, five = real_share(0.5), real_share(1.0), real_share(5.0)
    assert half > 0.6  # mostly words
    assert half > one > five
    assert five < 0.3  # close to random characters


def test_same_seed_same_text_other_seed_other_text(model, start):
    h, seed_ix, _ = start
    a, b, c = (sample(model.params, h, seed_ix, 60, rng=s) for s in (7, 7, 8))
    assert a == b and a != c


def test_temperature_view_samples_160_characters(model):
    view = views.temperature_explorer(model.params, model.vocab, PROMPT, prerender=False)
    assert len(view.result["text"]) == 160


def test_held_out_loss_is_recorded_and_below_uniform(model):
    meta = model.meta
    _, held = split(load_corpus(), meta["held_out_fraction"])
    loss = per_char_loss(model.params, held, model.vocab)
    assert loss == pytest.approx(meta["held_out_loss"], rel=1e-9)
    assert loss < np.log(len(model.vocab)) - 1.0


def test_curves_start_at_uniform_and_part_ways_at_the_end(model):
    meta, log_v = model.meta, np.log(len(model.vocab))
    held, its = meta["held_out_loss_per_char"], meta["held_out_iterations"]
    smooth, raw = meta["smooth_loss_per_char"], meta["loss_per_char"]
    assert held[0] == pytest.approx(log_v, abs=0.01) and its[0] == 0
    assert smooth[0] == pytest.approx(log_v, abs=0.01) and meta["smoothing"] == 0.99
    at = dict(zip(its.tolist(), held, strict=True))
    assert f"{raw[-100:].mean():.2f}" == "1.49"
    assert smooth[2 * meta["n_iters"] // 3] - smooth[-1] > 0.05  # training: still falling
    late = held[its >= 2400]  # "from iteration 2400 to 3000 it moves between 1.712 and 1.737"
    assert f"{late.min():.3f}" == "1.712" and f"{late.max():.3f}" == "1.737"
    assert its[np.argmin(held)] == 2800 and at[3000] > at[2800]  # lowest at 2800, not the end

    def gap(i):  # held-out loss at i minus the training chunks of the 100 iterations before
        return at[i] - raw[i - 100 : i].mean()

    assert f"{gap(2000):.2f}" == "0.14" and f"{gap(3000):.2f}" == "0.22"
    assert f"{at[3000] - raw[-100:].mean():.2f}" == "0.22"


def test_the_running_average_lags_above_the_held_out_curve_until_about_800(model):
    meta = model.meta
    held, its = meta["held_out_loss_per_char"], meta["held_out_iterations"]
    smooth, raw = meta["smooth_loss_per_char"], meta["loss_per_char"]
    inside = (its > 0) & (its < len(smooth))
    above = its[inside][smooth[its[inside]] > held[inside]]
    assert above.min() == 50 and above.max() == 800 and len(above) == 16  # 50, 100, ..., 800
    for i, h in zip(its[inside], held[inside], strict=True):  # the chunks themselves: lower
        assert raw[max(i - 10, 0) : i + 10].mean() < h, i
    assert 1 / (1 - meta["smoothing"]) == pytest.approx(100)  # "about the last 100 iterations"


def test_baselines_units_and_the_unigram_plateau(model):
    from rnnlib import baselines

    meta = model.meta
    train_text, held_text = split(load_corpus(), meta["held_out_fraction"])
    ngram = baselines.ngram_losses(train_text, held_text, model.vocab, range(1, 6))
    assert f"{ngram[1]:.3f}" == "2.966" and f"{ngram[2]:.3f}" == "2.289"
    loss = meta["held_out_loss"]
    assert f"{baselines.bits(loss):.2f}" == "2.47" and f"{baselines.perplexity(loss):.2f}" == "5.56"
    held, its = meta["held_out_loss_per_char"], meta["held_out_iterations"]
    plateau = held[(its >= 50) & (its <= 150)]
    assert 2.94 <= plateau.min() and plateau.max() <= 2.975  # "2.94 to 2.97"
    assert np.all(np.abs(plateau - ngram[1]) < 0.03)
    beats = its[held < ngram[2]]
    assert beats.min() == 400 and np.all(held[its >= 400] < ngram[2])


def test_ngrams_meet_the_rnn_between_three_and_four_characters(model):
    from rnnlib import baselines

    meta, vocab = model.meta, model.vocab
    train_text, held_text = split(load_corpus(), meta["held_out_fraction"])
    ngram = baselines.ngram_losses(train_text, held_text, vocab, range(1, 6))
    assert [f"{ngram[n]:.3f}" for n in (3, 4, 5)] == ["1.787", "1.578", "1.592"]
    assert ngram[1] > ngram[2] > ngram[3] > ngram[4]  # "each character of context helps, up to 3"
    assert ngram[3] > meta["held_out_loss"] > ngram[4]  # better than the trigram, worse than 4
    assert ngram[5] > ngram[4]  # "no better"
    assert len(train_text) == 33358
    five = baselines.ngram_model(train_text, vocab, 5)
    keys, N_u, _ = five.contexts[4]  # the 4-character contexts of the training text, N(u)
    ix = vocab.encode(held_text).astype(np.int64)
    code = sum(ix[j : len(ix) - 4 + j] * len(vocab) ** (3 - j) for j in range(4))  # u before t
    seen = baselines._lookup(keys, N_u, code)
    assert f"{np.mean(seen == 0):.0%}" == "12%" and f"{np.mean(seen < 5):.0%}" == "38%"


def test_the_clip_never_binds_with_the_mean_and_almost_always_with_the_sum(model, monkeypatch):
    """The shipped run, repeated (7 s): its largest gradient entry, and how often 16 times it
    (the sum over the streams) would pass the clip."""
    import rnnlib.training as training

    meta = model.meta
    assert meta["batch_size"] == 16 and meta["clip"] == 5.0 and meta["n_iters"] == 3000
    largest, compute = [], training.loss_and_grads

    def recording(*args):
        loss, grads, h = compute(*args)
        largest.append(max(np.abs(g).max() for g in grads.values()))
        return loss, grads, h

    monkeypatch.setattr(training, "loss_and_grads", recording)
    train_text, _ = split(load_corpus(), meta["held_out_fraction"])
    keys = ("seq_length", "batch_size", "optimizer", "lr", "clip", "smoothing")
    start = init_params(len(model.vocab), model.params["W_hh"].shape[0], rng=meta["seed"])
    run = train(train_text, start, vocab=model.vocab, n_iters=3000, **{k: meta[k] for k in keys})
    np.testing.assert_allclose(run.params["W_hh"], model.params["W_hh"], rtol=0, atol=1e-9)
    largest = np.array(largest)
    assert len(largest) == 3000 and largest.max() < 5.0 and f"{largest.max():.1f}" == "4.4"
    summed = 16 * largest
    assert np.sum(summed > 5.0) == 2997
    assert np.min(np.abs(summed - 5.0)) > 1e-3  # no iteration near the line: the count is stable


def test_adam_hardly_notices_a_factor_16_in_the_gradients(model, monkeypatch):
    import rnnlib.training as training

    meta, compute = model.meta, training.loss_and_grads
    train_text, _ = split(load_corpus(), meta["held_out_fraction"])
    keys = ("seq_length", "batch_size", "optimizer", "lr", "smoothing")
    runs = []
    for factor in (1.0, 16.0):

        def scaled(*args, factor=factor):
            loss, grads, h = compute(*args)
            return loss, {k: factor * g for k, g in grads.items()}, h

        monkeypatch.setattr(training, "loss_and_grads", scaled)
        start = init_params(len(model.vocab), model.params["W_hh"].shape[0], rng=meta["seed"])
        runs.append(train(train_text, start, vocab=model.vocab, n_iters=300, clip=None,
                          **{k: meta[k] for k in keys}).params)  # fmt: skip
    for k in runs[0]:
        moved = np.abs(runs[1][k] - runs[0][k]).max()
        assert moved < 0.01 * np.abs(runs[0][k]).max(), k  # under 1% of the weights' size


def test_temperature_keeps_the_ranking_and_ties_share_the_mass(start):
    _, _, y = start
    order = np.argsort(-y, kind="stable")
    for tau in [t for t in views.TEMPERATURES if t > 0]:
        p = next_distribution(y, tau)
        assert np.all(np.diff(p[order]) <= 0)  # the same order at every temperature
    tied = np.array([1.0, 3.0, 3.0, 0.0])
    np.testing.assert_allclose(next_distribution(tied, 1e-3), [0, 0.5, 0.5, 0], atol=1e-12)
    assert next_distribution(tied, 0.0).tolist() == [0, 1, 0, 0]  # tau = 0: the first of them


def test_samples_show_words_emerging(model):
    meta = model.meta
    assert meta["sample_seed_char"] == "t" and meta["sample_temperature"] == 0.7
    words = set(re.findall(r"[a-z]+", load_corpus()))
    samples = [str(s) for s in meta["samples"]]
    assert len(samples) >= 4 and meta["sample_iterations"][0] == 0

    def real_words(s):
        found = re.findall(r"[a-z]+", s)
        return np.mean([w in words for w in found])

    assert samples[0].count(" ") / len(samples[0]) < 0.05  # hardly a space at first
    assert samples[1].count(" ") / len(samples[1]) > 0.1
    assert real_words(samples[-1]) > 0.6 > real_words(samples[0])


def test_live_training_repeats_the_start_of_the_record(model):
    meta = model.meta
    train_text, _ = split(load_corpus(), meta["held_out_fraction"])
    keys = ("seq_length", "batch_size", "optimizer", "lr", "clip", "smoothing")
    params = init_params(len(model.vocab), model.params["W_hh"].shape[0], rng=meta["seed"])
    live = train(train_text, params, vocab=model.vocab, n_iters=5, **{k: meta[k] for k in keys})
    np.testing.assert_allclose(live.history["loss_per_char"], meta["loss_per_char"][:5], rtol=1e-12)


@pytest.mark.parametrize("nudge", [None, 1, 2, 3, 4, 5])
def test_own_text_is_learned_and_recited_from_its_own_words(nudge):
    """The "own text" cell's claim, on every machine: its training is chaotic (the stored output
    is not compared; a relative 1e-15 nudge per update moves the final loss between 0.11 and
    0.29 and changes the sample), but the loss always ends low and the sample is made of the
    text's own words, give or take an invented one."""
    my_text = notebook_value("my_text")
    kw = {} if nudge is None else {"callback": nudge_every_update(nudge), "callback_every": 1}
    mine = train(my_text, hidden_size=32, n_iters=300, rng=0, **kw)
    assert 0.05 < mine.history["loss_per_char"][-20:].mean() < 0.4  # "about 0.1 to 0.3"
    ix = sample(mine.params, np.zeros(32), mine.vocab.index[my_text[0]], 150, temperature=0.5)
    words = re.findall(r"[a-z]+", my_text[0] + mine.vocab.decode(ix))[:-1]  # whole words
    own = set(re.findall(r"[a-z]+", my_text))
    assert len(words) > 15 and np.mean([w in own for w in words]) >= 0.8


def test_what_the_hidden_units_track(model):
    _, held = split(load_corpus(), model.meta["held_out_fraction"])
    assert len(held) == 3707 and model.params["W_hh"].shape == (64, 64)
    corr = units.correlations(
        units.hidden_states(model.params, model.vocab.encode(held)), units.text_features(held)
    )
    best = {name: (u, r) for name, u, r in units.best_units(corr)}
    strong = {name for name, (u, r) in best.items() if abs(r) > 0.5}
    assert strong == {
        "just read a space",
        "just read a letter",
        "just read a vowel",
        "letters into the word",
    }
    assert best["letters into the word"][0] == 30 and best["just read a space"][0] == 40
    for name in ("characters into the line", "inside quotes"):
        assert np.abs(corr[name]).max() <= 0.115  # "at most 0.11"
    r30 = {name: corr[name][30] for name in corr}
    assert f"{r30['letters into the word']:+.2f}" == "-0.63"
    assert f"{r30['just read a space']:+.2f}" == "+0.38"
    assert f"{r30['just read a letter']:+.2f}" == "-0.44"
    view = unit_views.units_explorer(model.params, model.vocab, held)
    assert view.result["unit"] == 40  # the strongest


def test_unit_30_steps_down_after_the_second_letter(model):
    _, held = split(load_corpus(), model.meta["held_out_fraction"])
    hs = units.hidden_states(model.params, model.vocab.encode(held))
    word = units.text_features(held)["letters into the word"]
    means, _ = units.mean_by_value(hs[:, 30], word, range(8))
    printed = [f"{m:+.2f}" for m in means]
    assert printed == ["+0.50", "+0.61", "-0.24", "-0.71", "-0.58", "-0.50", "-0.44", "-0.41"]
    assert means[1] > means[0] > 0 > means[2] > means[3] == means.min()  # high, then a step
    assert np.all(np.diff(means[3:]) > 0)  # then it creeps back up, letter after letter
    assert np.polyfit(word, hs[:, 30], 1)[0] < 0  # a straight line through them slopes down


def test_the_gradient_fades_long_before_the_chunk_ends(model):
    meta = model.meta
    _, held = split(load_corpus(), meta["held_out_fraction"])
    lags, logs = gradient_decay(model.params, model.vocab.encode(held), max_lag=25, n_ends=60)
    size = np.exp(logs)
    assert [f"{size[k]:.2g}" for k in (1, 10, 25)] == ["2.4", "0.47", "0.0078"]
    assert size[10] < 0.5 and size[25] < 0.01  # "less than half", "less than 1%"
    assert meta["seq_length"] == 25  # a loss reaches back at most 24 characters
    assert len(split(load_corpus(), meta["held_out_fraction"])[0]) == 33358


def test_the_space_unit_is_not_the_one_with_the_largest_space_weight(model):
    _, held = split(load_corpus(), model.meta["held_out_fraction"])
    ix = model.vocab.encode(held)
    P, space = model.params, model.vocab.index[" "]
    hs = units.hidden_states(P, ix)
    is_space = {"space": units.text_features(held)["just read a space"]}
    r = units.correlations(hs, is_space)["space"]
    w = P["W_xh"][:, space]
    assert f"{w[40]:+.2f}" == "-1.51" and int(np.argmax(np.abs(r))) == 40
    larger = np.flatnonzero(np.abs(w) > abs(w[40]))
    assert set(larger.tolist()) == {38, 17, 60, 55, 6}  # five units, all tracking it less well
    assert np.all(np.abs(r[larger]) < abs(r[40]))
    assert f"{w[17]:+.2f}" == "-1.86" and f"{r[17]:+.2f}" == "-0.29"
    h_prev = np.vstack([np.zeros(len(w)), hs[:-1]])
    input_term = P["W_xh"][:, ix].T  # W_xh x_t, (N, H)
    context_term = h_prev @ P["W_hh"].T + P["b_h"]  # W_hh h_{t-1} + b_h
    np.testing.assert_allclose(input_term + context_term, np.arctanh(hs), atol=1e-9)
    r_in = units.correlations(input_term, is_space)["space"]
    r_ctx = units.correlations(context_term, is_space)["space"]
    assert int(np.argmax(np.abs(r_in))) == 40 and f"{r_in[40]:+.2f}" == "-0.79"
    assert f"{r_ctx[17]:+.2f}" == "+0.27" and f"{r_in[17]:+.2f}" == "-0.72"


def test_rnnlib_averages_over_the_streams_where_exercise_2_sums(model):
    """Cell 18: loss_and_grads takes the mean over the B streams (the same size for any B);
    notebook 05's exercise 2 sums over a batch (its reference solution, and its text)."""
    from solutions.step import rnn_step_backward, rnn_step_forward

    from rnnlib.bptt import loss_and_grads

    P, B = model.params, 16
    ix = model.vocab.encode("the robot reads its own text")
    x, y, h0 = ix[:-1], ix[1:], np.zeros(P["W_hh"].shape[0])
    one = loss_and_grads(P, x, y, h0)
    many = loss_and_grads(P, np.tile(x[:, None], B), np.tile(y[:, None], B), np.zeros((B, len(h0))))
    assert many[0] == pytest.approx(one[0], rel=1e-12)
    for k in one[1]:
        np.testing.assert_allclose(many[1][k], one[1][k], rtol=1e-10, atol=1e-14)
    rng = np.random.default_rng(0)
    W_xh, W_hh, b_h = rng.standard_normal((4, 3)), rng.standard_normal((4, 4)), np.zeros(4)
    xs, hs, dh = rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal(4)
    single = rnn_step_backward(dh, rnn_step_forward(xs, hs, W_xh, W_hh, b_h)[1])
    batch = rnn_step_backward(
        np.tile(dh, (B, 1)),
        rnn_step_forward(np.tile(xs, (B, 1)), np.tile(hs, (B, 1)), W_xh, W_hh, b_h)[1],
    )
    np.testing.assert_allclose(batch[2], B * single[2], rtol=1e-12)  # dW_xh: the sum
    exercises = nbformat.read(NOTEBOOK.parent / "05_exercises.ipynb", as_version=4)
    assert any("are sums over the batch" in c.source for c in exercises.cells)


def test_the_sampler_offers_top_k_only():
    import inspect

    params = set(inspect.signature(sample).parameters) | set(
        inspect.signature(next_distribution).parameters
    )
    assert "top_k" in params and not any("top_p" in p or "nucleus" in p for p in params)
