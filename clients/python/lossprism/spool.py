"""A local file of the records the server did not take, to send later with `python -m lossprism upload`.

NDJSON, one object a line: first {"lossprism": 1, "url": ..., "run": <definition>, "id": <run id or null>},
then {"id": ...} once the run's id is known, {"record": ...} per batch record and {"finish": true} when
the run ended. The control token is never written.
"""

import json
import os
import threading
import time


class Spool:
    def __init__(self, path, url, definition):
        self.path = os.fspath(path)
        self._url = url
        self._definition = definition
        self._lock = threading.Lock()
        self._known_id = None
        self.records = 0

    @staticmethod
    def default_path(name):
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:60] or "run"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return os.path.join("lossprism-spool", f"{safe}-{stamp}-{os.getpid()}.ndjson")

    @property
    def exists(self):
        return os.path.exists(self.path)

    def write(self, records, run_id=None, finish=False):
        with self._lock:
            lines = []
            if not os.path.exists(self.path):
                os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
                lines.append({"lossprism": 1, "url": self._url, "run": self._definition, "id": run_id})
                self._known_id = run_id
            elif run_id is not None and run_id != self._known_id:
                lines.append({"id": run_id})
                self._known_id = run_id
            lines.extend({"record": r} for r in records)
            if finish:
                lines.append({"finish": True})
            with open(self.path, "a", encoding="utf-8") as out:
                for line in lines:
                    out.write(json.dumps(line, separators=(",", ":")) + "\n")
            self.records += len(records)


def read(path):
    """(header, run id or None, records, finished) of a spool file; ValueError naming the line if bad."""
    header, run_id, records, finished = None, None, [], False
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError:
                raise ValueError(f"{path}:{number}: not JSON") from None
            if number == 1:
                if not isinstance(item, dict) or item.get("lossprism") != 1 or "run" not in item:
                    raise ValueError(f"{path}:1: not a LossPrism spool (no header line)")
                header, run_id = item, item.get("id")
            elif "record" in item:
                records.append(item["record"])
            elif "id" in item:
                run_id = item["id"]
            elif item.get("finish"):
                finished = True
            else:
                raise ValueError(f"{path}:{number}: unknown line")
    if header is None:
        raise ValueError(f"{path}: empty")
    return header, run_id, records, finished
