"""The worked examples behind the unrolling notebook: hello data per shape, W_hh of a chosen
spectral radius, clipping reports."""

import numpy as np
import pytest

import rnnlib
from rnnlib import examples


@pytest.mark.parametrize("kind", rnnlib.SETUPS)
def test_hello_example_places_inputs_and_targets(kind):
    ex = examples.hello_example(kind)
    ins, outs = examples.HELLO[kind]
    assert ex["xs"].shape == (ex["T"], 4)
    for t in range(ex["T"]):
        row = ex["xs"][t]
        if t in ex["input_steps"]:
            assert (
                examples.VOCAB[int(row.argmax())] == ins[ex["input_steps"].index(t)]
                and row.sum() == 1
            )
        else:
            assert not row.any()  # no input: x_t = 0
    assert "".join(examples.VOCAB[i] for i in ex["targets"]) == outs
    assert len(ex["loss_steps"]) == len(outs)


def test_hello_example_rejects_an_unknown_shape():
    with pytest.raises(ValueError, match="kind must be one of"):
        examples.hello_example("many-to-few")


def test_orthogonal_scaled_has_spectral_radius_rho():
    Q = examples.orthogonal(6, np.random.default_rng(3))
    np.testing.assert_allclose(Q.T @ Q, np.eye(6), atol=1e-12)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(1.3 * Q)), 1.3, rtol=1e-10)


def test_clip_report():
    grads = {"a": np.array([10.0, -1.0]), "b": np.array([[0.5, -20.0]])}
    rep = examples.clip_report(grads, limit=5.0, max_norm=2.0)
    raw = np.sqrt(100 + 1 + 0.25 + 400)
    assert rep["raw"]["norm"] == pytest.approx(raw) and rep["raw"]["cos"] == pytest.approx(1.0)
    assert rep["element-wise"]["max"] == 5.0 and rep["element-wise"]["cos"] < 0.99
    assert rep["global norm"]["norm"] == pytest.approx(2.0)
    assert rep["global norm"]["cos"] == pytest.approx(1.0, abs=1e-12)
    assert rep["global norm"]["max"] == pytest.approx(20.0 * 2.0 / raw)


def test_chunk_example_is_next_step_data_on_hello_text():
    xs, targets = examples.chunk_example("hello")
    np.testing.assert_array_equal(xs, np.eye(4)[[0, 1, 2, 2]])  # h e l l over [h, e, l, o]
    np.testing.assert_array_equal(targets, [1, 2, 2, 3])  # e l l o
    xs, targets = examples.chunk_example()  # the truncation view's text
    assert examples.CHUNK_TEXT == "hellohellohello" and xs.shape == (14, 4) and len(targets) == 14


@pytest.mark.parametrize("text", ["hex", "h", ""])
def test_chunk_example_rejects_bad_text(text):
    want = f"text must have >= 2 characters from 'helo', got '{text}'"
    with pytest.raises(ValueError, match=want):
        examples.chunk_example(text)
