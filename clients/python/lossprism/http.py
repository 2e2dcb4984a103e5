"""The few HTTP calls of the ingest API, with the standard library only."""

import gzip
import json
import urllib.error
import urllib.request


class HttpError(Exception):
    """A response the server refused, or no response at all (status None)."""

    def __init__(self, status, message, retry_after=None):
        super().__init__(f"HTTP {status}: {message}" if status else message)
        self.status = status
        self.message = message
        self.retry_after = retry_after

    @property
    def retryable(self):
        """Worth trying again later: no answer, 5xx, 429, 408, and 401/404 (a token or a run may come back)."""
        return self.status is None or self.status >= 500 or self.status in (401, 404, 408, 429)


class Api:
    def __init__(self, url, token, timeout=10.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def create_run(self, definition):
        return self._post("/api/ingest/runs", definition)["id"]

    def send_batches(self, run_id, records):
        body = json.dumps(records, separators=(",", ":")).encode()
        # bodies of many records compress about tenfold; small ones are not worth the CPU
        return self._post(f"/api/ingest/runs/{run_id}/batches", body, compress=len(body) > 4096)

    def finish(self, run_id):
        return self._post(f"/api/ingest/runs/{run_id}/finish", {})

    def _post(self, path, payload, compress=False):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        if compress:
            body = gzip.compress(body, 6)
            headers["Content-Encoding"] = "gzip"
        request = urllib.request.Request(self.url + path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode() or "{}"
                return json.loads(text)
        except urllib.error.HTTPError as e:
            raise HttpError(e.code, _error_message(e), _retry_after(e.headers.get("Retry-After"))) from None
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = getattr(e, "reason", e)
            raise HttpError(None, f"{self.url}: {reason}") from None


def _error_message(error):
    try:
        text = error.read().decode(errors="replace")
        return json.loads(text).get("error", text)
    except (ValueError, AttributeError, OSError):
        return error.reason


def _retry_after(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None
