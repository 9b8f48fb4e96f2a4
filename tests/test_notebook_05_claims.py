"""The claims notebooks/05_exercises.ipynb makes in its text, checked on the same objects, and
the notebook's shape: empty skeletons, each followed by its check, which prints the friendly
"not implemented yet" message."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
from solutions import sampler as sampler_solutions

from rnnlib import exercises, hello, init_params, sample
from rnnlib.exercises import sampler, sequence, stats, training

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05_exercises.ipynb"
SKELETONS = ["rnn_step_forward", "rnn_step_backward", "loss_and_grads", "sample", "train_chunked"]


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def text(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_five_empty_skeletons_each_followed_by_its_check(nb):
    cells = nb.cells
    skeletons = [i for i, c in enumerate(cells) if "exercise" in c.metadata.get("tags", [])]
    assert [cells[i].source.split("(")[0].removeprefix("def ") for i in skeletons] == SKELETONS
    for i, name in zip(skeletons, SKELETONS, strict=True):
        assert cells[i].source.rstrip().endswith("    raise NotImplementedError")
        assert cells[i].source.count("\n    raise") == 1  # a docstring, then the raise only
        check = cells[i + 1]
        assert check.source.startswith("exercises.check_") and name in check.source
        (out,) = check.outputs
        assert out.data["text/plain"].startswith(f"{name}: not passed yet\nNot implemented yet:")


def test_each_call_gets_two_seconds_and_long_runs_ten(text):
    assert "each call gets 2 seconds and the long runs of exercises\n4 and 5 get 10" in text
    assert exercises.TIMEOUT == 2.0
    assert exercises.TIMEOUT * sampler.LONG == exercises.TIMEOUT * training.LONG == 10.0


def test_float64_exp_ends_at_709_78_and_the_large_case_is_near_1000(text):
    assert "e^{709.78}" in text and "logits near 1000" in text
    assert f"{np.log(np.finfo(np.float64).max):.2f}" == "709.78"
    assert sequence.LARGE_LOGITS == 1000.0


def test_the_sampling_statistics_as_stated(text):
    assert "over 1000 runs\nwith generators seeded 0 to 999" in text
    assert r"$\tau = 0.5, 1, 2$, with `top_k = 2` and with `top_k = 8`" in text
    assert "Each of these 10 tests" in text and "$10^{-4}$" in text
    assert r"$10 \times 10^{-4} = 10^{-3}$" in text
    assert sampler.N_DRAWS == 1000 and sampler.BIG_K == 8 >= sampler.V
    assert sorted(sampler.SETTINGS, key=str) == sorted(
        [(0.5, None), (1.0, None), (2.0, None), (1.0, 2), (1.0, 8)], key=str
    )
    assert sampler.N_TESTS == 10 and stats.ALPHA == 1e-4
    assert sampler.N_TESTS * stats.ALPHA == pytest.approx(1e-3)


def test_the_sampling_contract_as_stated(text):
    assert "np.random.default_rng()" in text and "keeps every logit" in text
    assert "np.random.default_rng()" in sampler.MISTAKES["sample_rng_none"].cause
    assert "top_k >= V must keep all V logits" in sampler.MISTAKES["sample_top_k_ge_v"].cause


def test_the_training_contract_as_stated(text):
    assert "no\nclipping, no momentum, no Adagrad" in text
    assert "Adagrad" in training.MISTAKES["train_adagrad"].cause


def test_a_sampler_that_passes_once_passes_every_time():
    first = exercises.check_sample(sampler_solutions.sample_gumbel)
    second = exercises.check_sample(sampler_solutions.sample_gumbel)
    assert first.passed and second.passed and first.message == second.message


def test_correct_samplers_draw_differently_with_the_same_rng(text):
    """Check yourself, question 2: rng.choice draws what rnnlib draws; rng.multinomial and
    Gumbel-max draw other sequences from the same generator; all of them pass."""
    assert "as\n`rng.choice(V, p=p)` does" in text
    params, h = sampler.fixture()

    def draws(f):
        return [int(i) for i in f(params, h, 2, 30, rng=np.random.default_rng(5))]

    ours = draws(lambda *a, rng: sample(*a, rng=rng))
    assert draws(sampler_solutions.sample) == ours  # rng.choice(V, p=p)
    assert draws(sampler_solutions.sample_multinomial) != ours
    assert draws(sampler_solutions.sample_gumbel) != ours
    fns = (
        sampler_solutions.sample,
        sampler_solutions.sample_multinomial,
        sampler_solutions.sample_gumbel,
    )
    assert all(exercises.check_sample(f).passed for f in fns)


def test_the_training_exercise_as_stated(text):
    assert "200 passes" in text and "`k = 2`" in text and "`lr = 0.3`" in text
    assert "init_params(4, 3, rng=0, scale=0.1)" in text
    assert "loss below **0.05**" in text and "reaches 0.014" in text
    assert r"$2 \ln 2 \approx 1.39$" in text and "($H = 3$" in text
    assert "tells the two l's apart" in text
    assert (training.N_ITERS, training.K, training.LR, training.TARGET_LOSS) == (200, 2, 0.3, 0.05)
    assert (training.INIT_SCALE, training.INIT_SEED, hello.HIDDEN_SIZE) == (0.1, 0, 3)
    X, Y, params = training.hello_setup()
    want = init_params(4, 3, rng=0, scale=0.1)
    assert all(np.array_equal(params[k], want[k]) for k in want)
    trained, _ = training.reference(params, X, Y, training.K, training.LR, training.N_ITERS)
    final = training.final_loss(trained)
    assert f"{final:.3f}" == "0.014" and final < training.TARGET_LOSS
    assert f"{hello.memoryless_floor():.2f}" == "1.39"
    assert hello.memoryless_floor() == pytest.approx(2 * np.log(2))
    assert training.TARGET_LOSS < hello.memoryless_floor()


def test_the_notebook_links_back_to_the_lecture_notebooks(text):
    for name in ("02_unrolling.ipynb", "03_hello.ipynb", "04_sampling.ipynb"):
        assert f"]({name})" in text
        assert (NOTEBOOK.parent / name).exists()


def float32_bptt(params, inputs, targets, h_prev):
    """A correct BPTT on float32 copies of its inputs, returning float32 results."""
    from solutions import sequence as sequence_solutions

    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    f32 = np.float32
    loss, grads, h = sequence_solutions.loss_and_grads_rows(
        p32, inputs, targets, h_prev.astype(f32)
    )
    return f32(loss), {k: g.astype(f32) for k, g in grads.items()}, h.astype(f32)


def test_float32_is_rejected_everywhere_as_stated(text):
    """float32 is within 1e-7 on every case of exercise 1, misses it on exercise 3's large
    logits, and every check rejects it, naming float32."""
    from solutions import step as step_solutions

    from rnnlib import loss_and_grads
    from rnnlib.exercises import step
    from rnnlib.exercises._core import RTOL, close

    assert "relative\nerror of $10^{-7}$" in text and "computed in float32, even one within" in text
    assert "within $10^{-7}$ on every case of exercise 1" in text
    assert "misses it on exercise 3's case with large logits" in text
    assert RTOL == 1e-7
    for _, inputs in step.cases():
        got, want = (
            step_solutions.fw_float32(*inputs)[0],
            step_solutions.rnn_step_forward(*inputs)[0],
        )
        assert got.dtype == np.float32 and close(got, want, RTOL)
    *_, (_, args, large) = sequence.cases()
    got, want = float32_bptt(*args), loss_and_grads(*args)
    assert large and not close(got[0], want[0], RTOL)
    assert exercises.check_step_forward(step_solutions.fw_float32).cause == "fw_float32"
    assert (
        exercises.check_step_backward(
            step_solutions.rnn_step_forward, step_solutions.bw_float32
        ).cause
        == "bw_float32"
    )
    assert exercises.check_loss_and_grads(float32_bptt).cause == "bptt_float32"


def test_no_clipping_in_exercise_3_as_stated(text):
    """The contract has no clipping, as rnnlib's loss_and_grads; min-char-rnn's clipping (at
    5, inside its loss function) is named, on the hello case whose gradients exceed 5."""
    from solutions import sequence as sequence_solutions

    from rnnlib import loss_and_grads

    assert "There is no gradient clipping in\n`loss_and_grads`" in text
    assert "check names clipped gradients as such" in text
    assert "No clipping." in loss_and_grads.__doc__
    clipping = dict((k, f) for f, k in sequence_solutions.BUGS)["clipped"]
    result = exercises.check_loss_and_grads(clipping)
    assert result.cause == "clipped" and sequence.MISTAKES["clipped"].cause in result.message


def test_mistakes_are_named_only_when_they_fit_every_case(text):
    """The issue's example: hs[t-1] wrapping at t = 0 equals dW_hh using h_t at T = 1; the
    check names the wrap, found on the longer cases."""
    from solutions import sequence as sequence_solutions

    assert "only when that mistake reproduces your outputs on every case" in text
    result = exercises.check_loss_and_grads(sequence_solutions.bptt_list_wraps)
    assert result.cause == "hs_wrap"
    assert sequence.MISTAKES["W_hh_with_h_t"].cause not in result.message


def test_how_an_output_is_off_as_stated(text):
    """Scaled, transposed, clipped, wrong only beyond one step: each is described."""
    from rnnlib.exercises._core import pattern

    assert "(scaled, transposed, clipped, wrong only beyond one step...)" in text
    m = np.array([[1.0, -7.0], [3.0, 4.0]])
    assert pattern(2 * m, m) == "it is 2 times the expected value"
    assert pattern(m.T, m) == "it is the transpose of the expected value"
    assert pattern(np.clip(m, -5, 5), m) == "it is the expected value clipped to [-5, 5]"
    assert "right for T = 1 and wrong for longer" in sequence.where(
        [
            ("T = 1", (None, [0]), {"a": 1.0}, {"a": 1.0}, False),
            ("T = 2", (None, [0, 1]), {"a": 1.0}, {"a": 2.0}, False),
        ]
    )
