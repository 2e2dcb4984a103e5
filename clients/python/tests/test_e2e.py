"""End to end: each integration (Keras callback, plain PyTorch loop, Lightning) trains a tiny U-Net
against the real LossPrism server started from its jar. The server stores one report per step, its
class terms add up to the loss the framework reported (within float32 rounding), and the rare class
that the network does not learn raises the IoU-lag alert."""

import os
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
    dust = reports[-1]["classes"][2]
    assert dust["iou"] is None or dust["iou"] < 0.2, "the rare class should not have been learned"


def test_one_validation_report_per_validation_pass(server, trained):
    # Keras and Lightning validate after every epoch (one batch each); the plain loop does not validate
    expected = [] if trained.kind == "torch" else list(range(1, STEPS + 1))
    assert [r["iteration"] for r in stored(server, trained.run.id, "validation")] == expected


def iou_lag_firings(server, run_id):
    """The run's IoU-lag transitions to firing for the rare class: stored with the run, or in the run's
    live alert history (GET /api/alerts?run=, which must name the run: a server that ignores the
    parameter answers for its own DL4J run)."""
    stored_alerts = server.get(f"/api/runs/{run_id}/alerts")["alerts"]
    live = server.get(f"/api/alerts?run={run_id}")
    history = live.get("history", []) if live.get("run") == run_id else []
    return [
        a
        for a in stored_alerts + history
        if a.get("alertname") == IOU_LAG and a.get("class") == "dust" and a.get("to") == "firing"
    ]


def test_the_rare_class_raises_the_iou_lag_alert(server, trained):
    deadline = time.monotonic() + 30
    firings = iou_lag_firings(server, trained.run.id)
    while not firings and time.monotonic() < deadline:
        time.sleep(0.5)
        firings = iou_lag_firings(server, trained.run.id)
    assert firings, f"no {IOU_LAG} alert for dust on run {trained.run.id}"


def test_a_spool_written_while_the_server_was_down_uploads_into_the_real_server(server, tmp_path):
    import socket

    import numpy as np

    from lossprism.upload import upload

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}"
    spool = tmp_path / "spool.ndjson"
    run = lossprism.Run(
        down, server.token, name="offline", classes=trainers.CLASSES, convention="torch", spool=spool, retries=0
    )
    rng = np.random.default_rng(3)
    for step in range(1, 6):
        y = (rng.random((2, 3, 8, 8)) < 0.3).astype(np.float32)
        run.log(step, y, rng.normal(0, 2, y.shape).astype(np.float32), from_logits=True)
    assert run.finish(timeout=30) is False and spool.exists()
    run_id = upload(spool, server.url, server.token, out=open(os.devnull, "w"))
    assert [r["iteration"] for r in stored(server, run_id)] == [1, 2, 3, 4, 5]
    assert server.get(f"/api/ingest/runs/{run_id}")["state"] == "finished"
