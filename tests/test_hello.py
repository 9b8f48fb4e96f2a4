"""Tests of rnnlib.hello: the lecture's numbers, the weights that reproduce them, training."""

import dataclasses

import numpy as np
import pytest

from rnnlib import hello as hl
from rnnlib.bptt import loss_and_grads
from rnnlib.cell import softmax


@pytest.fixture(scope="module")
def lecture():
    return hl.solve_params()


@pytest.fixture(scope="module")
def trained():
    return hl.train_hello()


@pytest.fixture(scope="module")
def frozen():
    return hl.train_hello(memory=False)


def test_vocabulary_and_sequences():
    assert hl.vocab().chars == ["h", "e", "l", "o"]
    assert (hl.INPUTS, hl.TARGETS) == ("hell", "ello")
    assert hl.HIDDEN.shape == (4, 3) and hl.LOGITS.shape == (4, 4)
    assert hl.HIDDEN[hl.ONE_AT] == 1.0


@pytest.mark.parametrize("one", [0.95, 0.96, 0.98, 0.999])
def test_solved_weights_reproduce_every_printed_number(one):
    params = hl.solve_params(one)
    r = hl.run(params)
    np.testing.assert_allclose(r["hs"], hl.true_hidden(one), atol=1e-12)
    np.testing.assert_allclose(r["ys"], hl.LOGITS, atol=1e-12)
    assert np.array_equal(np.round(r["hs"], 1), hl.HIDDEN)  # as printed, to one decimal
    assert np.array_equal(np.round(r["ys"], 1), hl.LOGITS)


def test_solved_weights_follow_the_lecture_cell(lecture):
    shapes = {"W_xh": (3, 4), "W_hh": (3, 3), "W_hy": (4, 3), "b_h": (3,), "b_y": (4,)}
    assert {k: v.shape for k, v in lecture.items()} == shapes
    assert np.all(lecture["b_h"] == 0.0)  # h_t = tanh(W_hh h_{t-1} + W_xh x_t), no b_h
    np.testing.assert_allclose(lecture["W_xh"][:, 3], 0.0, atol=1e-12)  # o is never an input
    # an independent step-by-step forward pass from h_0 = 0
    h = np.zeros(3)
    for t, c in enumerate(hl.INPUTS):
        h = np.tanh(lecture["W_hh"] @ h + lecture["W_xh"][:, hl.CHARS.index(c)])
        y = lecture["W_hy"] @ h + lecture["b_y"]
        assert np.allclose(h, hl.true_hidden()[t]) and np.allclose(y, hl.LOGITS[t])


def test_the_two_l_steps_differ_only_through_w_hh(lecture):
    hs = hl.true_hidden()
    lhs = np.arctanh(hs[3]) - np.arctanh(hs[2])  # same input l at steps 3 and 4
    np.testing.assert_allclose(lhs, lecture["W_hh"] @ (hs[2] - hs[1]), atol=1e-12)


@pytest.mark.parametrize("one", [1.0, 0.94, 1.2, float("nan"), "0.96"])
def test_true_hidden_rejects_values_that_do_not_print_as_one(one):
    with pytest.raises(ValueError, match="one must lie in"):
        hl.true_hidden(one)


def test_no_bias_free_output_layer_fits_the_logits():
    assert np.linalg.matrix_rank(hl.LOGITS) == 4
    H = hl.true_hidden()
    W, *_ = np.linalg.lstsq(H, hl.LOGITS, rcond=None)  # best y_t = W_hy h_t without b_y
    assert np.abs(H @ W - hl.LOGITS).max() > 0.5
    sigma_min, reach = hl.rank_gap()
    assert sigma_min == pytest.approx(0.26759, abs=1e-5) and reach == pytest.approx(0.2)
    assert sigma_min > reach  # no rank-3 matrix rounds to the printed logits


def test_lecture_predictions_and_loss(lecture):
    r = hl.run(lecture)
    assert "".join(hl.CHARS[i] for i in r["pred"]) == "oolo"
    assert f"{r['loss']:.2f}" == "5.59"
    assert r["loss"] == pytest.approx(-np.log(softmax(hl.LOGITS)[range(4), [1, 2, 2, 3]]).sum())
    assert f"{hl.uniform_loss():.3f}" == "5.545"
    assert hl.uniform_loss() == pytest.approx(4 * np.log(4))
    assert r["loss"] > hl.uniform_loss()  # worse than guessing uniformly


def test_run_matches_loss_and_grads(lecture):
    r = hl.run(lecture)
    x, y = hl.vocab().encode("hell"), hl.vocab().encode("ello")
    loss, grads, _ = loss_and_grads(lecture, x, y, np.zeros(3))
    assert r["loss"] == pytest.approx(loss, rel=1e-12)
    for k in grads:
        np.testing.assert_allclose(r["grads"][k], grads[k], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(r["dW_hh_t"].sum(axis=0), grads["W_hh"], atol=1e-12)
    assert np.all(r["dW_hh_t"][0] == 0.0)  # h_0 = 0: step 1 adds nothing to dW_hh
    np.testing.assert_allclose(r["dys"].sum(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(r["p"].sum(axis=1), 1.0)
    np.testing.assert_allclose(r["step_loss"].sum(), r["loss"])


@pytest.mark.parametrize(
    ("inputs", "targets", "match"),
    [("hel", "ello", "equal length"), ("hexl", "ello", "not in the vocabulary")],
)
def test_run_rejects_bad_sequences(lecture, inputs, targets, match):
    with pytest.raises(ValueError, match=match):
        hl.run(lecture, inputs, targets)


def test_memoryless_floor():
    assert hl.memoryless_floor() == pytest.approx(2 * np.log(2))
    q = np.array([2, 1]) / 3
    assert hl.memoryless_floor("hhh", "eel") == pytest.approx(-3 * np.sum(q * np.log(q)))
    assert hl.memoryless_floor("he", "el") == 0.0


def test_training_learns_hello(trained):
    r = hl.run(trained.params)
    assert r["loss"] < 0.01
    assert "".join(hl.CHARS[i] for i in r["pred"]) == "ello"
    assert hl.greedy_text(trained.params) == "ello"
    assert len(trained.history["loss"]) == 500 and sorted(trained.snapshots) == list(range(501))
    for i in (0, 7, 499):  # history['loss'][i] is the loss of snapshot i
        assert hl.run(trained.snapshots[i])["loss"] == pytest.approx(trained.history["loss"][i])
    again = hl.train_hello()
    assert np.array_equal(again.history["loss"], trained.history["loss"])  # deterministic


def test_training_without_memory_stalls_at_2_ln_2(frozen):
    assert np.all(frozen.params["W_hh"] == 0.0)
    r = hl.run(frozen.params)
    floor = 2 * np.log(2)
    assert floor < r["loss"] < floor + 0.01
    assert frozen.history["loss"].min() > floor
    np.testing.assert_allclose(r["p"][2], r["p"][3])  # both l's get one distribution
    np.testing.assert_allclose(r["p"][2, [2, 3]], 0.5, atol=0.01)
    assert r["step_loss"][:2].sum() < 0.01


def test_replay_iterations():
    losses = np.geomspace(8.0, 0.01, 501)  # falls evenly in ln(loss): stops evenly spaced
    its = hl.replay_iterations(losses, 6)
    assert its == [0, 100, 200, 300, 400, 500]
    plateau = np.r_[np.full(100, 5.0), np.geomspace(5.0, 0.05, 11)]  # nothing moves for 100
    its = hl.replay_iterations(plateau, 5)
    assert its[0] == 0 and its[-1] == 110 and all(i >= 100 for i in its[1:])
    bumpy = [4.0, 1.0, 3.0, 0.5]  # a rise does not count: the best loss so far does
    assert hl.replay_iterations(bumpy, 3) == [0, 1, 3]
    assert hl.replay_iterations([2.0, 1.0], 5) == [0, 1]
    labels = ["a"] * 60 + ["b"] * 40 + ["a"] * 401  # a stop wherever the label changes
    assert hl.replay_iterations(losses, 6, labels) == [0, 60, 100, 200, 300, 400, 500]
    with pytest.raises(ValueError, match="one label per loss"):
        hl.replay_iterations(losses, 6, labels[:-1])
    with pytest.raises(ValueError, match="at least 2 losses"):
        hl.replay_iterations([1.0])
    with pytest.raises(ValueError, match="count >= 2"):
        hl.replay_iterations([2.0, 1.0], 1)
    with pytest.raises(ValueError, match="finite and positive"):
        hl.replay_iterations([2.0, 0.0])


def test_loss_path_and_ties():
    result = hl.train_hello(5)
    path = hl.loss_path(result)
    assert len(path) == 6
    np.testing.assert_allclose(path[:5], result.history["loss"])
    assert path[-1] == pytest.approx(hl.run(result.params)["loss"])
    r = hl.run(result.snapshots[0])  # weights of size 0.01: every logit within the tie margin
    assert r["tied"].all() and hl.argmax_label(r, 0) == "tie: h, e, l, o"
    r = hl.run(hl.solve_params())
    assert np.array_equal(r["tied"].sum(axis=1), [1, 1, 1, 1])
    assert [hl.argmax_label(r, t) for t in range(4)] == ["o", "o", "l", "o"]
    assert hl.argmax_text(r) == "oolo"
    labels = hl.prediction_path(result)
    assert len(labels) == 6 and labels[0] == "????"
    assert labels[-1] == hl.argmax_text(hl.run(result.params))
    with pytest.raises(ValueError, match="snapshot at every iteration"):
        snaps = {i: p for i, p in result.snapshots.items() if i != 2}
        hl.prediction_path(dataclasses.replace(result, snapshots=snaps))


def test_first_update_is_adagrads_first_step_and_its_line():
    result = hl.train_hello(2, seed=0)
    first = hl.first_update(result, ts=[0.0, 0.5, 1.0])
    losses = result.history["loss"]
    assert first["losses"][0] == pytest.approx(losses[0], rel=1e-12)  # t = 0: before
    assert first["losses"][-1] == pytest.approx(losses[1], rel=1e-12)  # t = 1: after
    g, lr = first["grad"], result.optimizer.lr
    adagrad = lr * np.abs(g) / np.sqrt(g**2 + 1e-8)  # |lr g / sqrt(mem + eps)|, mem = g^2
    np.testing.assert_allclose(first["step"], adagrad, rtol=1e-9, atol=1e-15)
    assert first["step"].shape == g.shape == (40,) and first["step"].max() <= lr
    assert -1.0 <= first["cosine"] <= 1.0 and first["step_norm"] > 0
    assert len(hl.first_update(result)["losses"]) == 11  # default t = 0, 0.1, ..., 1
    with pytest.raises(ValueError, match=r"no snapshot for iterations \[1\]"):
        hl.first_update(dataclasses.replace(result, snapshots={0: result.snapshots[0]}))
