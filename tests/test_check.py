"""The shared checks of rnnlib._check and the one definition of the parameter names."""

import re

import numpy as np
import pytest

import rnnlib
from rnnlib import _check
from rnnlib.cell import init_params, read_index, rnn_step_forward


def test_parameter_names_are_defined_once():
    assert rnnlib.PARAM_NAMES == ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
    assert _check.CELL_NAMES == ("W_xh", "W_hh", "b_h")
    assert _check.OUTPUT_NAMES == ("W_hy", "b_y")
    assert tuple(init_params(3, 2)) == rnnlib.PARAM_NAMES
    from rnnlib import checkpoint, layered, optim, unroll
    from rnnlib.exercises import sampler, sequence, training

    for names in (optim.PARAM_NAMES, checkpoint.PARAM_NAMES, training.NAMES, sampler.NAMES):
        assert names is rnnlib.PARAM_NAMES
    assert sequence.NAMES is rnnlib.PARAM_NAMES and unroll.CELL_KEYS is _check.CELL_NAMES
    assert layered.LAYER_KEYS == ("W_xh", "W_hh", "b_h", "W_hy", "b_y")


def params_of(H=3, D=4, V=5):
    return {
        "W_xh": np.zeros((H, D)),
        "W_hh": np.zeros((H, H)),
        "W_hy": np.zeros((V, H)),
        "b_h": np.zeros(H),
        "b_y": np.zeros(V),
    }


def test_param_shapes_reads_the_sizes():
    assert _check.param_shapes(params_of()) == (4, 3, 5)  # (D, H, V), V from W_hy
    assert _check.param_shapes(params_of(V=4), index_inputs=True) == (4, 3, 4)
    assert _check.param_shapes(params_of(), _check.CELL_NAMES) == (4, 3, None)
    assert _check.params(params_of(D=5)) == (5, 3)  # (V, H) for index inputs


@pytest.mark.parametrize(
    "p, kw, words",
    [
        (params_of() | {"b_h": np.zeros(2)}, {}, "params['b_h'] has shape (2,), expected (3,)"),
        (params_of() | {"b_y": np.zeros(4)}, {}, "expected (5,) (H=3 from W_xh, V=5 from W_hy)"),
        (params_of(), {"index_inputs": True}, "params['W_hy'] has shape (5, 3), expected (4, 3)"),
        (params_of() | {"W_xh": np.zeros(3)}, {}, "params['W_xh'] has shape (3,), expected (H, D)"),
        ({"W_xh": np.zeros((3, 4))}, {}, "params is missing ['W_hh', 'W_hy', 'b_h', 'b_y']"),
        (params_of() | {"W_hh": np.zeros((3, 2))}, {}, "params['W_hh'] has shape (3, 2)"),
    ],
)
def test_param_shapes_names_the_bad_array_and_the_shape_expected(p, kw, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        _check.param_shapes(p, **kw)


@pytest.mark.parametrize("value", [1, 0.5, np.float32(2.0), np.int64(3), 1e-300])
def test_positive_number_takes_finite_numbers_above_zero(value):
    assert _check.positive_number("lr", value) == float(value)


@pytest.mark.parametrize("value", [0, -1.0, np.inf, np.nan, True, "0.1", None, [1.0]])
def test_positive_number_rejects_everything_else(value):
    with pytest.raises(
        ValueError, match=re.escape(f"lr must be a finite number > 0, got {value!r}")
    ):
        _check.positive_number("lr", value)


@pytest.mark.parametrize("value", [0, 0.0, 2, np.float32(0.25)])
def test_nonneg_number_takes_zero_too(value):
    assert _check.nonneg_number("temperature", value) == float(value)


@pytest.mark.parametrize("value", [-1e-300, np.inf, np.nan, False, "0", None])
def test_nonneg_number_rejects_negatives_and_non_numbers(value):
    words = f"temperature must be a finite number >= 0, got {value!r}"
    with pytest.raises(ValueError, match=re.escape(words)):
        _check.nonneg_number("temperature", value)


@pytest.mark.parametrize("value", [0, -2, 1.5, True, "3"])
def test_positive_int_rejects_what_is_not_a_whole_number_above_zero(value):
    with pytest.raises(ValueError, match=re.escape(f"T must be a positive integer, got {value!r}")):
        _check.positive_int("T", value)


def test_read_index_is_the_cell_step_on_a_one_hot_input():
    p = init_params(5, 4, rng=1, scale=0.7) | {"b_h": np.linspace(-0.3, 0.3, 4)}
    h = np.tanh(np.arange(4.0) - 1.5)
    for ix in range(5):
        want, _ = rnn_step_forward(np.eye(5)[ix], h, p["W_xh"], p["W_hh"], p["b_h"])
        np.testing.assert_allclose(read_index(p, h, ix), want, rtol=1e-14, atol=1e-15)
