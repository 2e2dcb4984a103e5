"""The background thread that sends queued records, retries with backoff, and spools what it cannot send.

The training thread only appends to a bounded queue (or, when that is full, to the spool file): it never
waits for the network.
"""

import collections
import logging
import threading

from .http import HttpError

log = logging.getLogger("lossprism")

_FINISH = object()


class Sender:
    def __init__(
        self,
        api,
        definition,
        spool,
        *,
        max_queue=10_000,
        batch_size=200,
        linger=0.2,
        retries=4,
        backoff=0.5,
        max_backoff=30.0,
    ):
        self.api = api
        self.definition = definition
        self.spool = spool
        self.max_queue = max_queue
        self.batch_size = batch_size
        self.linger = linger
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.run_id = None
        self.sent = 0
        self.dropped = 0
        self.offline = False
        self.last_error = None
        self._queue = collections.deque()
        self._lock = threading.Condition()
        self._pending = 0  # submitted, not yet sent, spooled or dropped
        self._abandon = threading.Event()
        self._finished = False
        self._warned_spool = False
        self._warned = set()
        self._thread = threading.Thread(target=self._loop, name="lossprism-sender", daemon=True)
        self._thread.start()

    # ---- the training thread's side

    def submit(self, record):
        with self._lock:
            if self._finished:
                # a second model.fit after the callback ended the run, say: training goes on regardless
                self._warn_once("the run has finished; records logged after finish() are dropped (start a new Run)")
                self.dropped += 1
                return
            if len(self._queue) < self.max_queue:
                self._queue.append(record)
                self._pending += 1
                self._lock.notify_all()
                return
        # the queue is full: the server is slower than training, so this record goes to the file
        self._spool([record], "the send queue is full (" + str(self.max_queue) + " records)", queued=False)

    def flush(self, timeout=30.0):
        """Waits until everything submitted so far was sent, spooled or dropped; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending == 0, timeout)

    def finish(self, timeout=30.0):
        """Ends the run: sends what is queued and the finish call; after timeout spools the rest."""
        with self._lock:
            if self._finished:
                return self.delivered
            self._finished = True
            self._queue.append(_FINISH)
            self._lock.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abandon.set()
            with self._lock:
                self._lock.notify_all()
            self._thread.join(max(5.0, self.api.timeout + 1))
        return self.delivered

    @property
    def delivered(self):
        """Whether the server has everything: nothing spooled and nothing dropped."""
        return not self.spool.exists and self.dropped == 0 and self._pending == 0

    # ---- the sender thread

    def _loop(self):
        while True:
            batch, finish = self._take()
            if self._abandon.is_set():
                self._spool(batch + self._drain(), "the run ended before the server took them", finish=True)
                return
            if batch:
                self._deliver(batch)
            if finish:
                if self._ensure_run() and self._call(lambda: self.api.finish(self.run_id), "finish"):
                    return
                self._spool([], "the server did not take the run's end", finish=True)
                return

    def _take(self):
        with self._lock:
            self._lock.wait_for(lambda: self._queue or self._abandon.is_set())
            if len(self._queue) < self.batch_size and _FINISH not in self._queue:
                # a moment for more records: fewer, larger requests
                self._lock.wait_for(
                    lambda: len(self._queue) >= self.batch_size or self._abandon.is_set(), self.linger
                )
            batch, finish = [], False
            while self._queue and len(batch) < self.batch_size:
                item = self._queue.popleft()
                if item is _FINISH:
                    finish = True
                    break
                batch.append(item)
            return batch, finish

    def _drain(self):
        with self._lock:
            rest = [r for r in self._queue if r is not _FINISH]
            self._queue.clear()
            return rest

    def _deliver(self, batch):
        if not self._ensure_run():
            self._spool(batch, f"the run could not be created on the server ({self.last_error})")
            return
        try:
            ok = self._call(lambda: self.api.send_batches(self.run_id, batch), "batches")
        except HttpError as e:
            if e.status == 413 and len(batch) > 1:
                half = len(batch) // 2
                self._deliver(batch[:half])
                self._deliver(batch[half:])
                return
            self._warn_once(f"server refused {len(batch)} records: {e.message}")
            self._settle(len(batch), dropped=True)
            return
        if ok:
            self.sent += len(batch)
            self._settle(len(batch))
        else:
            self._spool(batch, f"the server did not take them ({self.last_error})")

    def _ensure_run(self):
        if self.run_id is not None:
            return True
        try:
            result = self._call(lambda: self.api.create_run(self.definition), "run")
        except HttpError as e:
            self.last_error = e
            self._warn_once(f"server refused the run: {e.message}")
            return False
        if result:
            self.run_id = result
            return True
        return False

    def _call(self, action, what):
        """True and the result on success; False when retries ran out; raises HttpError when refused for good."""
        attempts = 1 if self.offline else self.retries + 1
        delay = self.backoff
        for attempt in range(attempts):
            if self._abandon.is_set():
                return False
            try:
                result = action()
                if self.offline:
                    log.warning("lossprism: the server answers again; sending")
                self.offline = False
                return result if what == "run" else True
            except HttpError as e:
                if not e.retryable:
                    raise
                self.last_error = e
                if attempt + 1 == attempts:
                    break
                wait = e.retry_after if e.status == 429 and e.retry_after is not None else delay
                log.debug("lossprism: %s failed (%s); retry in %.1f s", what, e, wait)
                self._abandon.wait(min(wait, self.max_backoff))
                delay = min(delay * 2, self.max_backoff)
        self.offline = True
        return False

    def _spool(self, records, why, finish=False, queued=True):
        if records or finish:
            self.spool.write(records, self.run_id, finish=finish)
        if not self._warned_spool and (records or finish):
            self._warned_spool = True
            log.warning(
                "lossprism: %s; records are kept in %s. Send them later with: python -m lossprism upload %s",
                why,
                self.spool.path,
                self.spool.path,
            )
        if queued:
            self._settle(len(records))

    def _settle(self, count, dropped=False):
        with self._lock:
            if dropped:
                self.dropped += count
            self._pending = max(0, self._pending - count)
            self._lock.notify_all()

    def _warn_once(self, message):
        if message not in self._warned:
            self._warned.add(message)
            log.warning("lossprism: %s", message)
