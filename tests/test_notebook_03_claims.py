"""Every number notebooks/03_hello.ipynb states in its prose, checked."""

import numpy as np
import pytest

from rnnlib import hello as hl
from rnnlib.cell import init_params
from rnnlib.widgets import hello as hw


@pytest.fixture(scope="module")
def lecture():
    return hl.solve_params()


@pytest.fixture(scope="module")
def r_lecture(lecture):
    return hl.run(lecture)


@pytest.fixture(scope="module")
def trained():
    return hl.train_hello(500, seed=0)


@pytest.fixture(scope="module")
def frozen():
    return hl.train_hello(500, seed=0, memory=False)


def chars(ix):
    return "".join(hl.CHARS[int(i)] for i in ix)


def test_setup(lecture):
    assert len(hl.vocab()) == 4 and hl.vocab().chars == list("helo")
    assert (hl.INPUTS, hl.TARGETS, hl.HIDDEN_SIZE) == ("hell", "ello", 3)
    assert lecture["W_xh"].shape == (3, 4) and lecture["W_hh"].shape == (3, 3)
    assert lecture["W_hy"].shape == (4, 3)


def test_lecture_numbers_need_b_y_and_a_rounded_one(lecture):
    assert np.linalg.matrix_rank(hl.LOGITS) == 4
    sigma_min, reach = hl.rank_gap()
    assert f"{sigma_min:.3f}" == "0.268" and f"{reach:.1f}" == "0.2" and sigma_min > reach
    assert hl.TRUE_ONE == 0.96 and np.tanh(np.arctanh(0.999)) < 1.0
    assert np.all(lecture["b_h"] == 0.0)


def test_solution_is_the_smallest(lecture):
    """Minimum norm: each unit's [W_hh[i], W_xh[i]] is orthogonal to the null space of the
    equations, so no other exact solution is smaller."""
    hs = hl.true_hidden()
    Z = np.hstack([np.vstack([np.zeros(3), hs[:-1]]), np.eye(4)[hl.vocab().encode("hell")]])
    null = np.linalg.svd(Z)[2][np.linalg.matrix_rank(Z) :]  # rows spanning the null space
    theta = np.hstack([lecture["W_hh"], lecture["W_xh"]])  # (3, 7), one row per unit
    np.testing.assert_allclose(theta @ null.T, 0.0, atol=1e-10)
    np.testing.assert_allclose(theta @ Z.T, np.arctanh(hs).T, atol=1e-12)


def test_lecture_predictions(r_lecture):
    assert chars(r_lecture["pred"]) == "oolo"
    right = [chars(r_lecture["pred"])[t] == hl.TARGETS[t] for t in range(4)]
    assert right == [False, False, True, True]
    assert f"{r_lecture['loss']:.2f}" == "5.59" and f"{hl.uniform_loss():.3f}" == "5.545"
    assert r_lecture["loss"] > hl.uniform_loss()


def test_trained_network(trained):
    r = hl.run(trained.params)
    assert len(trained.history["loss"]) == 500 and trained.optimizer.method == "adagrad"
    assert trained.optimizer.lr == 0.3
    init = init_params(4, 3, rng=0)
    assert all(np.array_equal(trained.snapshots[0][k], init[k]) for k in init)
    assert r["loss"] < 0.01 and chars(r["pred"]) == "ello"
    assert hl.greedy_text(trained.params) == "ello"
    ys, tg = r["ys"], r["target"]
    margins = [ys[t, tg[t]] - np.delete(ys[t], tg[t]).max() for t in range(4)]
    assert min(margins) > 6
    hs = r["hs"]
    assert min(np.linalg.norm(hs[i] - hs[j]) for i in range(4) for j in range(i)) > 1.5
    np.testing.assert_allclose(trained.history["loss_per_char"] * 4, trained.history["loss"])


def test_replay_positions(trained):
    labels = hl.prediction_path(trained)
    its = hl.replay_iterations(hl.loss_path(trained), 14, labels)
    assert its[0] == 0 and its[-1] == 500
    assert {1, 5, 6, 7, 8, 9} <= set(its)  # every change of prediction is a stop
    assert len(its) == 18  # 12 loss levels + 0 + 500 + the changes not already there
    replay = hw.training_replay(trained, its)
    assert replay.result["iteration"] == 7 and labels[7] == "ello"
    assert all(labels[i] != "ello" for i in range(7))  # 7: the first with every argmax right
    r0 = hl.run(trained.snapshots[0])
    assert r0["tied"].all() and np.ptp(r0["ys"], axis=1).max() < hl.TIE_MARGIN  # all tied
    assert labels[0] == "????" and all("?" not in lab for lab in labels[1:])
    assert sum(lab.count("l") for lab in labels[1:7]) >= 20  # mostly l
    assert labels[8] == "elll" and all(lab == "ello" for lab in labels[9:])


def test_output_layer_is_exactly_determined():
    sigma = np.linalg.svd(hl.output_design(), compute_uv=False)[-1]
    assert f"{sigma:.3f}" == "0.659" and sigma > 0.5


def test_training_recipe(trained):
    assert trained.optimizer.clip == 5.0
    biggest = max(
        np.abs(g).max() for i in range(500) for g in hl.run(trained.snapshots[i])["grads"].values()
    )
    assert biggest < 5.0  # the clip never binds here


def test_memory(trained, frozen):
    floor = hl.memoryless_floor()
    assert floor == pytest.approx(2 * np.log(2)) and f"{floor:.3f}" == "1.386"
    r = hl.run(frozen.params)
    assert np.all(frozen.params["W_hh"] == 0.0)
    np.testing.assert_allclose(r["p"][2], r["p"][3])  # both l's, one distribution
    np.testing.assert_allclose(r["p"][2, 2:], 0.5, atol=0.005)
    assert r["step_loss"][:2].sum() < 0.01  # steps 1 and 2 driven to (almost) zero
    losses = frozen.history["loss"]
    assert losses.min() > floor  # never below the floor
    assert losses[100] > losses[300] > losses[-1] > floor  # creeping down toward it
    assert r["loss"] - floor < 0.01
    assert trained.history["loss"][-1] < 0.01
    assert hl.memoryless_floor("hel", "elo") == 0.0  # "helo" needs no memory


def test_gradients(r_lecture, trained):
    dys, tg = r_lecture["dys"], r_lecture["target"]
    for t in range(4):
        assert dys[t, tg[t]] < 0 and np.all(np.delete(dys[t], tg[t]) > 0)
    assert f"{r_lecture['p_target'][1]:.3f}" == "0.055"
    assert np.argmin(r_lecture["p_target"]) == 1
    assert np.argmax(r_lecture["dh_norms"]) == 1
    parts = np.linalg.norm(r_lecture["dW_hh_t"], axis=(1, 2))
    assert np.argmax(parts) == 1 and parts[0] == 0.0
    r = hl.run(trained.params)
    assert np.abs(r["dys"]).max() < 0.01
    assert np.sqrt(sum(np.sum(g**2) for g in r["grads"].values())) < 0.05


def test_check_yourself_answers(lecture, trained):
    assert sum(v.size for v in lecture.values()) == 40
    assert np.array_equal(trained.params["W_xh"][:, 3], trained.snapshots[0]["W_xh"][:, 3])
    assert f"{4 * np.log(4):.3f}" == "5.545"


def test_replay_frame_of_iteration_8_prints_two_decimals_at_step_4(trained):
    """At iteration 8, step 4, l (1.213, the argmax) and o (1.166) both round to 1.2: that step
    is printed with two decimals, 1.21 and 1.17; every other stop prints one."""
    from rnnlib.draw import hello as hd

    labels = hl.prediction_path(trained)
    stops = hl.replay_iterations(hl.loss_path(trained), 14, labels)
    r = hl.run(trained.snapshots[8])
    assert f"{r['ys'][3, 2]:.3f}" == "1.213" and f"{r['ys'][3, 3]:.3f}" == "1.166"
    assert r["tied"][3].tolist() == [False, False, True, False]  # l alone is the argmax
    assert hd.logit_texts(r["ys"][3], r["tied"][3])[2:] == ["1.21", "1.17"]
    two = []
    for i in stops:
        run = hl.run(trained.snapshots[i])
        for t in range(4):
            if len(hd.logit_texts(run["ys"][t], run["tied"][t])[0].split(".")[1]) > 1:
                two.append((i, t + 1))
    assert two == [(8, 4)]
    replay = hw.training_replay(trained, stops)
    replay.update(iteration=8)  # the artists as the frame of iteration 8 draws them
    shown = [t.get_text() for t in replay.fig.axes[0].texts]
    assert "1.21" in shown and "1.17" in shown


def test_why_the_loss_rises_at_the_first_update(trained):
    """Adagrad's first step is lr g / sqrt(g^2 + 1e-8): 26 of 40 weights move by 0.29-0.30
    whatever their gradient (0.0005 to 1.00), 0.3 > 10 x the largest initial weight (0.023);
    length 1.61, cosine 0.28 with -g; along it the loss falls to 5.435 at t = 0.3 (near the
    line's lowest), is back at the start near t = 0.7 and ends at 5.807; the clip (5) never
    binds (largest entry 1.00); the plain step lr g (length 0.42) gives 5.035; update 2: 4.524."""
    first = hl.first_update(trained)
    losses, step, grad = first["losses"], first["step"], np.abs(first["grad"])
    assert f"{losses[0]:.3f}" == "5.545" and f"{losses[-1]:.3f}" == "5.807"
    big = step >= 0.29
    assert big.sum() == 26 and step[big].max() <= 0.3 and step[~big].max() < 0.285
    assert f"{grad[big].min():.4f}" == "0.0005" and f"{grad[big].max():.2f}" == "1.00"
    assert grad[big].max() / grad[big].min() > 2000
    assert f"{first['init_max']:.3f}" == "0.023" and 0.3 > 10 * first["init_max"]
    assert f"{first['step_norm']:.2f}" == "1.61" and f"{first['cosine']:.2f}" == "0.28"
    printed = [f"{v:.4f}" for v in losses]
    assert printed[3] == "5.4350" and np.argmin(losses) == 3  # t = 0.3 on the printed grid
    fine = hl.first_update(trained, ts=np.linspace(0.0, 1.0, 101))["losses"]
    assert 0.3 <= np.argmin(fine) / 100 <= 0.4 and losses[3] - fine.min() < 0.003  # near lowest
    assert losses[7] < losses[0] < losses[8]  # back at its start near t = 0.7, above after
    assert abs(losses[7] - losses[0]) < 0.001
    assert np.all(np.diff(losses[3:]) > 0) and np.all(np.diff(losses[:4]) < 0)  # down, then up
    assert grad.max() < trained.optimizer.clip == 5.0  # the clip plays no part
    plain = trained.optimizer.lr * np.linalg.norm(first["grad"])
    assert f"{plain:.2f}" == "0.42" and f"{first['sgd_loss']:.3f}" == "5.035"
    assert f"{trained.history['loss'][2]:.3f}" == "4.524" and trained.history["loss"][2] < losses[0]
