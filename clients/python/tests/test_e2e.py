"""End to end: each integration (Keras callback, plain PyTorch loop, Lightning) trains a tiny U-Net
against the real LossPrism server started from its jar. The server stores one report per step, its
class terms add up to the loss the framework reported (within float32 rounding), and the rare class
that the network does not learn raises the IoU-lag alert."""

import time

import pytest

import lossprism
import trainers
from server import Server

REL = 2e-6
IOU_LAG = "LossPrismClassIouLagging"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("lossprism")
    started = Server(base / "storage", base / "server.log")
    yield started
    started.stop()


def new_run(server, tmp_path, name, convention):
    return lossprism.Run(
        server.url,
        server.token,
        name=name,
        classes=trainers.CLASSES,
        convention=convention,
        spool=tmp_path / "spool.ndjson",
    )


def stored(server, run_id, split="train"):
    return server.get(f"/api/runs/{run_id}/reports?split={split}&limit=5000")["reports"]


def check_run(server, run, losses, tmp_path):
    """One stored report per step; class terms adding up to the framework's loss; the IoU-lag alert."""
    assert not (tmp_path / "spool.ndjson").exists(), "the client spooled: the server refused something"
    assert run.id is not None
    reports = stored(server, run.id)
    assert [r["iteration"] for r in reports] == sorted(losses), "one stored report per step"
    for report in reports:
        loss = losses[report["iteration"]]
        terms = sum(c["loss"] for c in report["classes"])
        assert [c["name"] for c in report["classes"]] == trainers.CLASSES
        assert terms == pytest.approx(loss, rel=REL), f"step {report['iteration']}: class terms vs framework loss"
        assert report["loss"] == pytest.approx(loss, rel=REL)
    speck = reports[-1]["classes"][2]
    assert speck["iou"] is None or speck["iou"] < 0.2, "the rare class should not have been learned"
    alerts = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not alerts:
        alerts = [
            a
            for a in server.get(f"/api/runs/{run.id}/alerts")["alerts"]
            if a["alertname"] == IOU_LAG and a["class"] == "speck" and a["to"] == "firing"
        ]
        time.sleep(0.5)
    assert alerts, f"no {IOU_LAG} alert for speck on run {run.id}"


def test_keras_callback(server, tmp_path):
    run = new_run(server, tmp_path, "keras e2e", "keras")
    losses, _ = trainers.train_keras(run, epochs=12)
    assert run.finish()
    check_run(server, run, losses, tmp_path)


def test_plain_pytorch_loop(server, tmp_path):
    run = new_run(server, tmp_path, "torch e2e", "torch")
    losses = trainers.train_torch(run, steps=12)
    assert run.finish()
    check_run(server, run, losses, tmp_path)


def test_lightning_callback(server, tmp_path):
    run = new_run(server, tmp_path, "lightning e2e", "torch")
    losses = trainers.train_lightning(run, epochs=12)
    assert run.finish()
    check_run(server, run, losses, tmp_path)
    assert len(stored(server, run.id, "validation")) == 12
