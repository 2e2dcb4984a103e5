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
STEPS = 12


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("lossprism")
    started = Server(base / "storage", base / "server.log")
    yield started
    started.stop()


class Trained:
    def __init__(self, kind, run, losses, spool):
        self.kind = kind
        self.run = run
        self.losses = losses
        self.spool = spool


@pytest.fixture(scope="module", params=["keras", "torch", "lightning"])
def trained(request, server, tmp_path_factory):
    """One training per integration, shared by the checks below."""
    kind = request.param
    spool = tmp_path_factory.mktemp(kind) / "spool.ndjson"
    run = lossprism.Run(
        server.url,
        server.token,
        name=f"{kind} e2e",
        classes=trainers.CLASSES,
        convention="keras" if kind == "keras" else "torch",
        spool=spool,
    )
    if kind == "keras":
        losses, _ = trainers.train_keras(run, epochs=STEPS, validation=True)
    elif kind == "torch":
        losses = trainers.train_torch(run, steps=STEPS)
    else:
        losses = trainers.train_lightning(run, epochs=STEPS)
    delivered = run.finish()
    assert not spool.exists(), f"the client spooled: the server did not take everything:\n{server.log_text()}"
    assert delivered and run.id is not None
    return Trained(kind, run, losses, spool)


def stored(server, run_id, split="train"):
    return server.get(f"/api/runs/{run_id}/reports?split={split}&limit=5000")["reports"]


def test_one_stored_report_per_step_whose_class_terms_add_up_to_the_framework_loss(server, trained):
    reports = stored(server, trained.run.id)
    assert [r["iteration"] for r in reports] == sorted(trained.losses) == list(range(1, STEPS + 1))
    for report in reports:
        loss = trained.losses[report["iteration"]]
        terms = sum(c["loss"] for c in report["classes"])
        assert [c["name"] for c in report["classes"]] == trainers.CLASSES
        assert terms == pytest.approx(loss, rel=REL), f"step {report['iteration']}: class terms vs framework loss"
        assert report["loss"] == pytest.approx(loss, rel=REL)
    speck = reports[-1]["classes"][2]
    assert speck["iou"] is None or speck["iou"] < 0.2, "the rare class should not have been learned"


def test_one_validation_report_per_validation_pass(server, trained):
    # Keras and Lightning validate after every epoch (one batch each); the plain loop does not validate
    expected = [] if trained.kind == "torch" else list(range(1, STEPS + 1))
    assert [r["iteration"] for r in stored(server, trained.run.id, "validation")] == expected


def test_the_rare_class_raises_the_iou_lag_alert(server, trained):
    alerts = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not alerts:
        alerts = [
            a
            for a in server.get(f"/api/runs/{trained.run.id}/alerts")["alerts"]
            if a["alertname"] == IOU_LAG and a["class"] == "speck" and a["to"] == "firing"
        ]
        time.sleep(0.5)
    assert alerts, f"no {IOU_LAG} alert for speck on run {trained.run.id}"
