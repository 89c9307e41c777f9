"""QuestionLog: records each answer off the request path.

`record()` (on the request path) only puts a frozen `LoggedAnswer` on a bounded queue: no I/O, a few
microseconds. One writer thread waits for an answer and writes everything queued as one batch (one
INSERT, one transaction) at once: what arrives during a write is the next batch, so batches grow with the
load and an answer waits for about one write. The batch's counts in the rollup tables, and `after_write`
(the embedding of declined questions), follow on a second thread: replicas adding to the same day's counts
wait for each other's row locks, and the questions' own write must not wait with them. A process killed
outright (SIGKILL, power) loses what was not yet written, the batch being written and what queued
meanwhile, and may leave the rollups a batch or two short. When the queue is full (the database is slower
than the questions, or down), `record()` drops the answer and counts it; a batch the database refuses is
counted as dropped too, and the writer retries the database after a pause. Questions are answered either
way. `close()` writes what is queued, counts included (graceful shutdown). The writer also deletes rows
older than the retention period, at start and hourly.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import secrets
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from docqa.server.questions.record import LoggedAnswer

if TYPE_CHECKING:
    from docqa.server.questions.store import QuestionStore

log = logging.getLogger("docqa.questions")

QUEUE_CAPACITY = 10_000
MAX_BATCH = 1000
LINGER_SECONDS = 0.05
"""When an answer arrives alone (a quiet moment), the writer waits this long for more before writing: few
transactions, few turns of the GIL taken from the answering (one per answer cost +0.4 to +0.9 ms at p50,
measured). When answers queued during the last write (a busy moment), it writes them at once: batches then
grow with the load, and what a process killed outright loses stays one write batch (BENCHMARKS.md)."""
FOLLOW_UP_LINGER_SECONDS = 0.1
"""The follow-up thread gathers this long: the counts of many writes go to the rollups in one transaction."""
FOLLOW_UP_CAPACITY = 1000
"""Written batches waiting for their rollups and `after_write`; when as many wait, the writer adds the counts itself."""
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)
RETENTION_CHECK_SECONDS = 3600.0
_STOP = object()


def new_answer_id() -> str:
    """A random id for one answer (what a visitor's feedback names): 32 hex digits."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class LogCounts:
    """What this process's log has done since it started."""

    written: int
    dropped_queue_full: int
    dropped_write_failed: int
    queued: int
    batches: int
    largest_batch: int
    database_ok: bool
    last_error: str | None

    @property
    def dropped(self) -> int:
        return self.dropped_queue_full + self.dropped_write_failed


class StoreUnavailable(Exception):
    """The log's database cannot be reached now."""


@contextlib.contextmanager
def database_errors_unavailable() -> Iterator[None]:
    """Raise the driver's errors inside (the database went down, timed out, or is damaged) as `StoreUnavailable`:
    what the HTTP routes answer with 503, where a connected store's error was a 500."""
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            raise StoreUnavailable(_one_line(exc)) from exc
        raise


class QuestionLog:
    """A bounded queue in front of a `QuestionStore`, written by one background thread.

    `open_store` connects (and migrates); it is called by the writer thread, again after a failure,
    so a database that is down at start or goes down later costs dropped rows, never a failed question.
    """

    def __init__(
        self,
        open_store: Callable[[], QuestionStore],
        *,
        retention_days: int = 0,
        capacity: int = QUEUE_CAPACITY,
        max_batch: int = MAX_BATCH,
        linger_s: float = LINGER_SECONDS,
        describe: str = "",
        after_write: "Callable[[QuestionStore, list[LoggedAnswer]], None] | None" = None,
    ) -> None:
        self._open_store = open_store
        self.after_write = after_write
        """Called by the writer thread with each batch written (e.g. to cache its declined questions' vectors);
        its errors are logged, never raised."""
        self.retention_days = retention_days
        self.describe = describe
        self.max_batch = max_batch
        self.linger_s = linger_s
        self._queue: queue.Queue = queue.Queue(maxsize=capacity)
        self._follow_ups: queue.Queue = queue.Queue(maxsize=FOLLOW_UP_CAPACITY)
        self._follow_up_thread: threading.Thread | None = None
        self._closing = False
        self._enqueued = itertools.count(1)  # next() is atomic in CPython: record() needs no lock
        self._last_enqueued = 0
        self._processed = 0
        self._handed_on = self._counted = 0  # batches given to the follow-up thread, and those it has counted
        self._progress = threading.Condition()
        self._store: QuestionStore | None = None
        self._store_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._retry_at = 0.0
        self._writing = 0  # the batch being written now
        self._failures = 0
        self._next_retention = 0.0
        self.written = self.dropped_queue_full = self.dropped_write_failed = self.batches = self.largest_batch = 0
        self.last_error: str | None = None

    # -- the request path -------------------------------------------------------------------------

    def record(self, answer: LoggedAnswer) -> bool:
        """Queue `answer` for writing; False (and counted) when the queue is full."""
        try:
            self._queue.put_nowait(answer)
        except queue.Full:
            self.dropped_queue_full += 1
            return False
        self._last_enqueued = next(self._enqueued)
        return True

    # -- feedback and readers -------------------------------------------------------------------

    def store(self) -> QuestionStore:
        """The connected store (connecting now if needed); `StoreUnavailable` if the database cannot be reached."""
        with self._store_lock:
            if self._store is not None and self._store.file_replaced():
                log.warning("question log: %s was deleted or replaced while serving; writing to the file there now", self.describe)
                self._store.close()
                self._store = None
            if self._store is None:
                try:
                    self._store = self._open_store()
                except Exception as exc:  # noqa: BLE001 - any driver error means "not now"
                    self.last_error = _one_line(exc)
                    raise StoreUnavailable(self.last_error) from exc
            return self._store

    def rate(self, answer_id: str, *, helpful: bool, comment: str | None, wait_s: float = 2.0) -> bool:
        """Record a rating; False if `answer_id` is unknown. An answer still queued here is written first;
        one logged by another worker gets a moment to arrive. `StoreUnavailable` when the database fails."""
        with database_errors_unavailable():
            store = self.store()
            if store.rate(answer_id, helpful=helpful, comment=comment):
                return True
            self.flush(timeout=wait_s)
            if store.rate(answer_id, helpful=helpful, comment=comment):
                return True
            time.sleep(0.25)  # another worker's writer may be mid-batch
            return store.rate(answer_id, helpful=helpful, comment=comment)

    def flush(self, *, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far has been written (or dropped), its counts included; False on timeout."""
        target = self._last_enqueued
        deadline = time.monotonic() + timeout
        with self._progress:
            while self._processed < target or self._counted < self._handed_on:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None or not self._thread.is_alive():
                    return self._processed >= target and self._counted >= self._handed_on
                self._progress.wait(left)
        return True

    def counts(self) -> LogCounts:
        return LogCounts(
            written=self.written,
            dropped_queue_full=self.dropped_queue_full,
            dropped_write_failed=self.dropped_write_failed,
            queued=self._queue.qsize(),
            batches=self.batches,
            largest_batch=self.largest_batch,
            database_ok=self._store is not None and self._failures == 0,
            last_error=self.last_error,
        )

    # -- the writer thread ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="docqa-question-log", daemon=True)
            self._thread.start()
            self._follow_up_thread = threading.Thread(target=self._follow_up, name="docqa-question-log-after", daemon=True)
            self._follow_up_thread.start()

    def close(self, *, timeout: float = 10.0) -> None:
        """Write what is queued, stop the writer and disconnect (graceful shutdown)."""
        if self._thread is not None:
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                pass
            self._thread.join(timeout)
            if self._thread.is_alive():  # stuck in a write (a locked table, a stalled server): say what is lost
                queued = sum(1 for item in list(self._queue.queue) if item is not _STOP)
                log.warning("question log: the database did not finish writing within %.0f s; %d answers not written (%s)",
                            timeout, queued + self._writing, self.describe)
            self._thread = None
        if self._follow_up_thread is not None:  # the counts are added; shutdown does not wait for embedding
            self._closing = True
            try:
                self._follow_ups.put(_STOP, timeout=timeout)
            except queue.Full:
                pass
            self._follow_up_thread.join(timeout)
            self._follow_up_thread = None
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
        if self.dropped_queue_full or self.dropped_write_failed:
            log.warning("question log: %s written, %s dropped (queue full %s, write failed %s)",
                        self.written, self.dropped_queue_full + self.dropped_write_failed, self.dropped_queue_full, self.dropped_write_failed)

    def _run(self) -> None:
        try:
            self.store()  # connect and migrate now, not on the first question
            self._keep_retention()
        except StoreUnavailable:
            log.warning("question log: database unavailable at start (%s): %s", self.describe, self.last_error)
        stopping = False
        while not stopping:
            first = self._queue.get()
            batch: list[LoggedAnswer] = []
            if first is _STOP:
                stopping = True
            else:
                batch.append(first)
                if self._queue.empty():
                    time.sleep(self.linger_s)
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    continue  # keep draining: close() writes everything queued before it
                batch.append(item)
            if batch:
                self._writing = len(batch)
                self._write(batch, final=stopping)
                self._writing = 0
            self._keep_retention()
            with self._progress:
                self._processed += len(batch)
                self._progress.notify_all()

    def _write(self, batch: list[LoggedAnswer], *, final: bool) -> None:
        if time.monotonic() < self._retry_at and not final:
            self.dropped_write_failed += len(batch)  # the database failed a moment ago: do not queue behind it
            return
        try:
            self.store().insert(batch, with_rollups=False)
        except Exception as exc:  # noqa: BLE001 - the database's trouble must not reach the questions
            self._failures += 1
            self.dropped_write_failed += len(batch)
            self.last_error = _one_line(exc)
            self._retry_at = time.monotonic() + RETRY_SECONDS[min(self._failures, len(RETRY_SECONDS)) - 1]
            log.warning("question log: could not write %d answers (%s): %s", len(batch), self.describe, self.last_error)
            if not isinstance(exc, StoreUnavailable):
                self._reconnect()
            return
        self._failures = 0
        self.written += len(batch)
        self.batches += 1
        self.largest_batch = max(self.largest_batch, len(batch))
        try:
            self._follow_ups.put_nowait(batch)
            self._handed_on += 1
        except queue.Full:  # the follow-up thread is far behind: add the counts here, skip the embedding
            self._add_rollups(batch)

    def _follow_up(self) -> None:
        stopping = False
        while not stopping:
            batches = [self._follow_ups.get()]
            if batches[0] is not _STOP:
                time.sleep(FOLLOW_UP_LINGER_SECONDS)
            while True:  # the counts of every batch written meanwhile in one transaction
                try:
                    batches.append(self._follow_ups.get_nowait())
                except queue.Empty:
                    break
            stopping = _STOP in batches
            batches = [b for b in batches if b is not _STOP]
            answers = [answer for batch in batches for answer in batch]
            if answers:  # (at shutdown, with a database that is down, no warning about adding nothing)
                self._add_rollups(answers)
            with self._progress:
                self._counted += len(batches)
                self._progress.notify_all()
            if not answers or self.after_write is None or self._closing:
                continue
            try:
                self.after_write(self.store(), answers)
            except Exception as exc:  # noqa: BLE001 - a helper's trouble must not stop the log
                log.warning("question log: after writing %d answers: %s", len(answers), _one_line(exc))

    def _add_rollups(self, batch: list[LoggedAnswer]) -> None:
        try:
            self.store().add_rollups(batch)
        except Exception as exc:  # noqa: BLE001 - the rows are written; the report's counts lag, the log goes on
            log.warning("question log: could not count %d answers in the rollups (%s): %s", len(batch), self.describe, _one_line(exc))

    def _reconnect(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _keep_retention(self) -> None:
        if not self.retention_days or time.monotonic() < self._next_retention or self._store is None:
            return
        self._next_retention = time.monotonic() + RETENTION_CHECK_SECONDS
        try:
            from docqa.server.questions.store import days_ago

            removed = self._store.purge(before=days_ago(self.retention_days))
        except Exception as exc:  # noqa: BLE001
            log.warning("question log: could not delete old rows: %s", _one_line(exc))
            return
        if removed:
            log.info("question log: deleted %d questions older than %d days", removed, self.retention_days)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]
