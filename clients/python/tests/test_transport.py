"""The client's transport against a real local HTTP server that records requests: batching, retry and
backoff on 5xx and 429, never blocking training, the spool when the server is down, upload later."""

import json
import logging
import os
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest

import lossprism
from lossprism import spool as spool_file
from lossprism.upload import upload
from recorder import Recorder

CLASSES = ["road", "car", "speck"]
TOKEN = "s3cret-token"


@pytest.fixture
def server():
    recorder = Recorder()
    yield recorder
    recorder.close()


def arrays(images=2):
    rng = np.random.default_rng(1)
    y = (rng.random((images, 4, 4, 3)) < 0.3).astype(np.float32)
    p = rng.random((images, 4, 4, 3)).astype(np.float32)
    return y, p


def new_run(url, tmp_path, **options):
    options.setdefault("backoff", 0.05)
    return lossprism.Run(
        url, TOKEN, name="unet", classes=CLASSES, convention="keras", spool=tmp_path / "spool.ndjson", **options
    )


def closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_run_is_created_its_records_sent_in_batches_and_finished(server, tmp_path):
    run = new_run(server.url, tmp_path, framework="keras 3.15")
    y, p = arrays()
    for step in range(1, 6):
        run.log(step, y, p, loss=0.5, epoch=0)
    run.log(6, y, p, split="validation")
    assert run.finish()
    paths = server.paths()
    assert paths[0] == "/api/ingest/runs" and paths[-1] == "/api/ingest/runs/run-1/finish"
    create = server.requests[0]
    assert create.headers["Authorization"] == "Bearer " + TOKEN
    assert create.json == {
        "name": "unet",
        "classes": CLASSES,
        "loss": "bce",
        "convention": "keras",
        "framework": "keras 3.15",
    }
    records = server.records()
    assert [(r["split"], r["step"]) for r in records] == [("train", s) for s in range(1, 6)] + [("validation", 6)]
    assert len(server.batches()) < len(records), "records go in batches, not one request each"
    first = records[0]
    assert first["images"] == 2 and first["epoch"] == 0 and first["loss"] == 0.5 and first["timestamp"] > 0
    assert "loss" not in records[-1]
    assert [sorted(c) for c in first["classes"]] == [
        sorted(["positiveLoss", "negativeLoss", "positives", "elements", "tp", "fp", "fn", "tn"])
    ] * 3
    expected = lossprism.stats.batch_sums(y, p)
    assert [c["tp"] for c in first["classes"]] == expected["tp"].astype(int).tolist()
    assert [c["positiveLoss"] for c in first["classes"]] == pytest.approx(expected["positiveLoss"].tolist())
    assert not (tmp_path / "spool.ndjson").exists()


def test_5xx_is_retried_with_growing_backoff(tmp_path):
    failures = {"left": 3}

    def answer(request):
        if request.path.endswith("/batches") and failures["left"] > 0:
            failures["left"] -= 1
            return 503, {}, {"error": "busy"}
        return Recorder.ok(request)

    server = Recorder(answer)
    try:
        run = new_run(server.url, tmp_path, backoff=0.1)
        run.log(1, *arrays())
        assert run.finish()
        attempts = server.batches()
        assert [r.status for r in attempts] == [503, 503, 503, 200]
        gaps = [b.at - a.at for a, b in zip(attempts, attempts[1:])]
        assert gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.4, gaps
        assert [r["step"] for r in server.records()] == [1]
    finally:
        server.close()


def test_429_waits_as_long_as_retry_after_says(tmp_path):
    refused = {"left": 1}

    def answer(request):
        if request.path.endswith("/batches") and refused["left"]:
            refused["left"] -= 1
            return 429, {"Retry-After": "1"}, {"error": "too many requests; slow down"}
        return Recorder.ok(request)

    server = Recorder(answer)
    try:
        run = new_run(server.url, tmp_path, backoff=0.01)
        run.log(1, *arrays())
        assert run.finish()
        first, second = server.batches()
        assert (first.status, second.status) == (429, 200)
        assert second.at - first.at >= 1.0
    finally:
        server.close()


def test_training_never_waits_for_a_server_that_hangs(tmp_path):
    release = threading.Event()
    arrived = threading.Event()

    def answer(request):
        arrived.set()
        release.wait(60)
        return Recorder.ok(request)

    server = Recorder(answer)
    try:
        run = new_run(server.url, tmp_path, max_queue=10, timeout=30)
        y, p = arrays()
        done = threading.Event()

        def training():
            for step in range(1, 101):
                run.log(step, y, p)
            done.set()

        threading.Thread(target=training, daemon=True).start()
        assert arrived.wait(30)
        # the server holds the first request; 100 logs still complete, the overflow going to the spool
        assert done.wait(30), "run.log blocked while the server hung"
        assert not release.is_set()
        _, _, spooled, _ = spool_file.read(run.spool_path)
        assert len(spooled) >= 100 - 10
        release.set()
        run.finish()
    finally:
        release.set()
        server.close()


def test_server_down_spools_says_so_once_and_upload_sends_it_later(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="lossprism")
    url = closed_port_url()
    run = new_run(url, tmp_path, retries=2, backoff=0.01)
    y, p = arrays()
    for step in range(1, 8):
        run.log(step, y, p, loss=0.25)
    assert run.finish(timeout=20) is False
    spool_path = tmp_path / "spool.ndjson"
    header, run_id, records, finished = spool_file.read(spool_path)
    assert header["run"]["classes"] == CLASSES and header["url"] == url and run_id is None
    assert [r["step"] for r in records] == list(range(1, 8)) and finished
    assert TOKEN not in spool_path.read_text()
    told = [r for r in caplog.records if "python -m lossprism upload" in r.getMessage()]
    assert len(told) == 1 and str(spool_path) in told[0].getMessage()

    server = Recorder()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "lossprism", "upload", str(spool_path), "--url", server.url],
            env={**os.environ, "LOSSPRISM_TOKEN": TOKEN},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "sent 7 records to run run-1" in result.stdout
        assert server.paths()[0] == "/api/ingest/runs" and server.paths()[-1] == "/api/ingest/runs/run-1/finish"
        assert server.requests[0].json["classes"] == CLASSES
        assert [r["step"] for r in server.records()] == list(range(1, 8))
        assert spool_file.read(spool_path)[1] == "run-1", "the new run's id is noted in the file"
        assert all(r.headers["Authorization"] == "Bearer " + TOKEN for r in server.requests)
    finally:
        server.close()


def test_a_server_that_goes_away_midway_gets_the_rest_spooled_under_its_run_id(tmp_path):
    state = {"down": False}

    def answer(request):
        if state["down"]:
            return 503, {}, {"error": "going down"}
        return Recorder.ok(request)

    server = Recorder(answer)
    try:
        run = new_run(server.url, tmp_path, retries=1, backoff=0.01)
        y, p = arrays()
        run.log(1, y, p)
        assert run.flush(20)
        state["down"] = True
        run.log(2, y, p)
        run.log(3, y, p)
        assert run.finish(timeout=20) is False
        _, run_id, records, finished = spool_file.read(run.spool_path)
        assert run_id == "run-1" and [r["step"] for r in records] == [2, 3] and finished
        # upload to a server that still has the run: same id, no new run
        state["down"] = False
        before = len(server.requests)
        assert upload(run.spool_path, server.url, TOKEN, out=open(os.devnull, "w")) == "run-1"
        assert "/api/ingest/runs" not in server.paths()[before:]
    finally:
        server.close()


def test_upload_creates_a_new_run_when_the_server_lost_the_old_one(tmp_path):
    def answer(request):
        if request.path.startswith("/api/ingest/runs/old/"):
            return 404, {}, {"error": "no run with id 'old'"}
        if request.path == "/api/ingest/runs":
            return 201, {}, {"id": "new"}
        return 200, {}, {}

    path = tmp_path / "s.ndjson"
    old = spool_file.Spool(path, "http://unused", {"name": "n", "classes": ["a"]})
    old.write([{"step": 1}], run_id="old", finish=True)
    server = Recorder(answer)
    try:
        assert upload(path, server.url, TOKEN, out=open(os.devnull, "w")) == "new"
        assert server.paths()[-1] == "/api/ingest/runs/new/finish"
        assert server.records() == [{"step": 1}]
    finally:
        server.close()


def test_a_refused_record_is_dropped_with_the_server_message(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="lossprism")

    def answer(request):
        if request.path.endswith("/batches"):
            return 400, {}, {"error": "records[0].classes: 3 classes, the run has 2"}
        return Recorder.ok(request)

    server = Recorder(answer)
    try:
        run = new_run(server.url, tmp_path)
        run.log(1, *arrays())
        assert run.finish() is False
        assert len(server.batches()) == 1, "a 400 is not retried"
        assert any("records[0].classes" in r.getMessage() for r in caplog.records)
    finally:
        server.close()


def test_an_oversized_request_is_split(tmp_path):
    def answer(request):
        if request.path.endswith("/batches") and len(request.json) > 2:
            return 413, {}, {"error": "body: larger than the limit"}
        return Recorder.ok(request)

    server = Recorder(answer)
    try:
        run = new_run(server.url, tmp_path)
        y, p = arrays()
        for step in range(1, 9):
            run.log(step, y, p)
        assert run.finish()
        assert sorted(r["step"] for r in server.records()) == list(range(1, 9))
    finally:
        server.close()


def test_parameters_and_weights_go_into_the_run_definition(server, tmp_path):
    run = lossprism.Run(
        server.url, TOKEN, name="d", classes=["a", "b"], loss="bce_dice", convention="torch",
        class_weights=[1, 2], parameters={"dice": "macro", "smooth": 1}, spool=tmp_path / "s.ndjson",
    )
    with pytest.raises(ValueError, match="step"):
        run.log(0, *[np.moveaxis(a[..., :2], -1, 1) for a in arrays()])
    run.log(1, *[np.moveaxis(a[..., :2], -1, 1) for a in arrays()])
    assert run.finish()
    assert sorted(server.records()[0]["classes"][0]) == sorted(lossprism.stats.FIELDS["bce_dice"])
    assert server.requests[0].json == {
        "name": "d", "classes": ["a", "b"], "loss": "bce_dice", "convention": "torch",
        "framework": server.requests[0].json["framework"], "classWeights": [1.0, 2.0], "dice": "macro", "smooth": 1,
    }


def test_upload_of_a_file_that_is_not_a_spool_names_it(tmp_path):
    bad = tmp_path / "x.ndjson"
    bad.write_text(json.dumps({"hello": 1}) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "lossprism", "upload", str(bad), "--token", "t"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert str(bad) in result.stderr and "not a LossPrism spool" in result.stderr


def test_logging_after_finish_warns_and_does_not_raise(server, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="lossprism")
    run = new_run(server.url, tmp_path)
    run.log(1, *arrays())
    assert run.finish()
    run.log(2, *arrays())
    run.log(3, *arrays())
    assert [r["step"] for r in server.records()] == [1]
    assert len([r for r in caplog.records if "after finish()" in r.getMessage()]) == 1
