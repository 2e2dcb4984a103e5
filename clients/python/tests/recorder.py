"""A real local HTTP server (stdlib http.server) that records every request and answers as a test says."""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorded:
    def __init__(self, method, path, headers, body, at):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.at = at
        self.status = None

    @property
    def json(self):
        return json.loads(self.body)


class Recorder:
    """answer(request) -> (status, headers, json body); the default plays a well-behaved server."""

    def __init__(self, answer=None):
        self.requests = []
        self.answer = answer or self.ok
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                request = Recorded("POST", self.path, dict(self.headers), body.decode(), time.monotonic())
                with recorder.lock:
                    recorder.requests.append(request)
                status, headers, payload = recorder.answer(request)
                request.status = status
                data = json.dumps(payload).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def ok(request):
        if request.path == "/api/ingest/runs":
            return 201, {}, {"id": "run-1"}
        return 200, {}, {}

    def paths(self):
        with self.lock:
            return [r.path for r in self.requests]

    def batches(self):
        with self.lock:
            return [r for r in self.requests if r.path.endswith("/batches")]

    def records(self):
        """The records of the batch requests the server accepted."""
        return [rec for r in self.batches() if r.status is not None and r.status < 300 for rec in r.json]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
