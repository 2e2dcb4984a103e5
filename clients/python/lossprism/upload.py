"""Sends a spool file (records the client could not send while training) to the server: to the run it
names if the server still has it, otherwise to a new run with the same definition; then ends the run if
the training had ended. Sending twice is harmless: the server keeps one record per (split, step).
"""

import json
import sys

from . import spool
from .http import Api, HttpError

CHUNK = 500


def upload(path, url=None, token=None, out=None):
    out = out or sys.stdout
    header, run_id, records, finished = spool.read(path)
    api = Api(url or header["url"], token)
    first = 0
    if run_id is not None:
        try:
            _send(api, run_id, records[:CHUNK])
            first = CHUNK
        except HttpError as e:
            if e.status != 404:
                raise
            print(f"run {run_id} is not on the server; creating a new one", file=out)
            run_id = None
    if run_id is None:
        run_id = api.create_run(header["run"])
        # noted in the file, so that an interrupted upload, run again, continues the same run
        with open(path, "a", encoding="utf-8") as out_file:
            out_file.write(json.dumps({"id": run_id}) + "\n")
    for start in range(first, len(records), CHUNK):
        _send(api, run_id, records[start : start + CHUNK])
    if finished:
        api.finish(run_id)
    print(f"sent {len(records)} records to run {run_id} at {api.url}{' and ended it' if finished else ''}", file=out)
    return run_id


def _send(api, run_id, records):
    if records:
        api.send_batches(run_id, records)
