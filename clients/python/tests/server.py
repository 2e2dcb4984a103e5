"""The real LossPrism server, started from its jar ($LOSSPRISM_JAR, default target/lossprism.jar) on a
free port with a temporary storage directory; the control token is read from its token file."""

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def jar_path():
    return Path(os.environ.get("LOSSPRISM_JAR") or ROOT / "target" / "lossprism.jar")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, storage, log_path):
        jar = jar_path()
        assert jar.is_file(), f"{jar}: no such jar; build it with ./mvnw -B package -DskipTests or set LOSSPRISM_JAR"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.storage = Path(storage)
        self.log_path = Path(log_path)
        settings = {
            "http.port": self.port,
            "storage.dir": self.storage,
            # the built-in DL4J run, kept tiny so that it is over in seconds and leaves the CPU to the tests
            "training.imageSize": 32,
            "training.batchSize": 4,
            "training.epochs": 1,
            "data.trainImages": 8,
            "data.validationImages": 0,
            "monitor.samplesEveryIterations": 0,
            # alerts from the first report, smoothed lightly: a few steps are enough to see a lagging class
            "alerts.warmupIterations": 0,
            "alerts.emaAlpha": 0.5,
            "alerts.iouLag.for": 2,
        }
        command = ["java", "-jar", str(jar)]
        for key, value in settings.items():
            command += ["--set", f"{key}={value}"]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.storage.parent)
        self.token = self._await_start(timeout=240)

    def _await_start(self, timeout):
        deadline = time.monotonic() + timeout
        token_file = self.storage / "token"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                self.get("/api/status")
                if token_file.is_file() and token_file.read_text().strip():
                    return token_file.read_text().strip()
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise AssertionError(f"the server did not answer within {timeout} s:\n{self.log_text()}")

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.loads(response.read())

    def log_text(self):
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(30)
        self.log.close()
