"""Each integration with the real framework (tiny U-Net, a few steps) against the recording server:
one record per step, and class sums whose total over the convention's element count is the loss
the framework reported, within float32 rounding."""

import pytest

import lossprism
import trainers
from recorder import Recorder

REL = 2e-6  # float32 rounding of a mean over a few thousand elements, and the float64 sum's order


@pytest.fixture
def server():
    recorder = Recorder()
    yield recorder
    recorder.close()


def new_run(server, tmp_path, convention, **options):
    return lossprism.Run(
        server.url,
        "t",
        name="it",
        classes=trainers.CLASSES,
        convention=convention,
        spool=tmp_path / "spool.ndjson",
        **options,
    )


def mean_loss(record):
    total = sum(c["positiveLoss"] + c["negativeLoss"] for c in record["classes"])
    return total / sum(c["elements"] for c in record["classes"])


def by_step(records, split="train"):
    return {r["step"]: r for r in records if r["split"] == split}


def test_keras_callback_sums_add_up_to_the_loss_keras_reports(server, tmp_path):
    run = new_run(server, tmp_path, "keras")
    losses, _ = trainers.train_keras(run, epochs=4, validation=True)
    assert server.paths()[-1].endswith("/finish")
    records = by_step(server.records())
    assert sorted(records) == [1, 2, 3, 4] == sorted(losses)
    for step, loss in losses.items():
        assert records[step]["images"] == 8
        assert mean_loss(records[step]) == pytest.approx(loss, rel=REL)
        assert records[step]["loss"] == pytest.approx(loss, rel=REL)
    validation = by_step(server.records(), "validation")
    assert sorted(validation) == [1, 2, 3, 4]
    assert all(v["images"] == 4 and mean_loss(v) == pytest.approx(v["loss"], rel=REL) for v in validation.values())


def test_keras_with_steps_per_execution_sends_exact_sums_per_execution(server, tmp_path):
    run = new_run(server, tmp_path, "keras")
    _, epoch_losses = trainers.train_keras(run, epochs=2, images=32, batch_size=8, steps_per_execution=2)
    records = server.records()
    assert [(r["step"], r["epoch"], r["images"]) for r in records] == [(2, 0, 16), (4, 0, 16), (6, 1, 16), (8, 1, 16)]
    for epoch, loss in epoch_losses.items():
        mine = [r for r in records if r["epoch"] == epoch]
        total = sum(c["positiveLoss"] + c["negativeLoss"] for r in mine for c in r["classes"])
        elements = sum(c["elements"] for r in mine for c in r["classes"])
        assert total / elements == pytest.approx(loss, rel=REL)
        assert all(mean_loss(r) == pytest.approx(r["loss"], rel=1e-5) for r in mine)


def test_plain_pytorch_loop_sums_add_up_to_bce_with_logits(server, tmp_path):
    run = new_run(server, tmp_path, "torch", pos_weight=[1.0, 1.0, 20.0])
    losses = trainers.train_torch(run, steps=5, pos_weight=[1.0, 1.0, 20.0])
    records = by_step(server.records())
    assert sorted(records) == [1, 2, 3, 4, 5]
    assert server.requests[0].json["posWeight"] == [1.0, 1.0, 20.0]
    for step, loss in losses.items():
        assert mean_loss(records[step]) == pytest.approx(loss, rel=REL)
        assert records[step]["loss"] == loss


def test_lightning_callback_sums_add_up_to_the_training_step_loss(server, tmp_path):
    run = new_run(server, tmp_path, "torch")
    losses = trainers.train_lightning(run, epochs=3)
    records = by_step(server.records())
    assert sorted(records) == [1, 2, 3] == sorted(losses)
    for step, loss in losses.items():
        assert mean_loss(records[step]) == pytest.approx(loss, rel=REL)
    validation = by_step(server.records(), "validation")
    assert sorted(validation) == [1, 2, 3]
    assert server.paths()[-1].endswith("/finish")
