"""Tests of rnnlib.widgets.hello: set every control to its ends and a middle value, check what
is drawn and returned, without a browser."""

import numpy as np
import pytest

from rnnlib import hello as hl
from rnnlib.widgets import hello as wh


@pytest.fixture(scope="module")
def trained():
    return hl.train_hello(60)


@pytest.fixture(scope="module")
def explorer(trained):
    return wh.timestep_explorer({"lecture": hl.solve_params(), "trained": trained.params})


@pytest.fixture(scope="module")
def replay(trained):
    return wh.training_replay(trained, [0, 3, 20, 60])


def test_explorer_prerenders_every_state(explorer):
    assert len(explorer.frames) == 8  # 2 weight sets x 4 steps


@pytest.mark.parametrize("model", ["lecture", "trained"])
@pytest.mark.parametrize("step", [1, 2, 4])
def test_explorer_states(explorer, model, step):
    explorer.controls["model"].value = model
    explorer.controls["step"].value = step
    res = explorer.result
    t = step - 1
    r = res["run"]
    assert res["model"] == model and res["step"] == step
    assert np.isfinite(res["p"]).all() and res["p"].sum() == pytest.approx(1.0)
    assert res["p_target"] == pytest.approx(r["p"][t, r["target"][t]])
    html = explorer.html.value
    assert f"p(target) = {r['p_target'][t]:.3f}" in html
    assert f"input <b>{hl.INPUTS[t]}</b>, target <b>{hl.TARGETS[t]}</b>" in html
    assert all(f"<td>{v:+.3f}</td>" in html for v in r["hs"][t])  # h_t, one cell per unit
    if model == "lecture":
        np.testing.assert_allclose(r["ys"][t], hl.LOGITS[t], atol=1e-12)


def test_explorer_picture_changes_with_each_control(explorer):
    explorer.controls["model"].value = "lecture"
    explorer.controls["step"].value = 1
    first = explorer.png()
    explorer.controls["step"].value = 3
    assert explorer.png() != first
    step3 = explorer.png()
    explorer.controls["model"].value = "trained"
    assert explorer.png() != step3


def test_explorer_needs_weights():
    with pytest.raises(ValueError, match="at least one"):
        wh.timestep_explorer({})


@pytest.mark.parametrize("iteration", [0, 20, 60])
def test_replay_states(replay, trained, iteration):
    replay.controls["iteration"].value = iteration
    res = replay.result
    assert res["iteration"] == iteration
    expected = hl.run(trained.snapshots[iteration])["loss"]
    assert res["loss"] == pytest.approx(expected) and np.isfinite(res["loss"])
    if iteration < 60:
        assert res["loss"] == pytest.approx(trained.history["loss"][iteration])
    assert f"iteration {iteration}: loss {expected:.4f}" in replay.html.value


def test_replay_draws_and_moves(replay):
    replay.controls["iteration"].value = 0
    start = replay.png()
    replay.controls["iteration"].value = 60
    assert replay.png() != start
    assert len(replay.frames) == 4
    losses = [replay.frames[(i,)][2]["loss"] for i in (0, 3, 20, 60)]
    assert losses == sorted(losses, reverse=True)  # training lowers the loss


def test_replay_needs_snapshots(trained):
    with pytest.raises(ValueError, match="no snapshot for iterations"):
        wh.training_replay(trained, [0, 61])
    with pytest.raises(ValueError, match="start 5 is not one of the iterations"):
        wh.training_replay(trained, [0, 3], start=5)


def test_replay_starts_where_the_predictions_come_right(replay, trained):
    right = [i for i in range(61) if hl.argmax_text(hl.run(trained.snapshots[i])) == "ello"]
    first = min(i for i in (0, 3, 20, 60) if i in right)
    assert wh.training_replay(trained, [0, 3, 20, 60]).controls["iteration"].value == first
    assert wh.training_replay(trained, [0, 3], start=0).controls["iteration"].value == 0


def test_replay_shows_ties_as_ties(replay):
    replay.controls["iteration"].value = 0
    assert hl.argmax_text(replay.result["run"]) == "????"
    assert replay.html.value.count("tie: h, e, l, o") == 4
