"""QuestionStore: the question log's reads and writes, the same SQLAlchemy Core code on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Sequence

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update

from docqa.errors import InvalidInput
from docqa.server.questions import database, rollups
from docqa.server.questions.record import MAX_COMMENT_CHARS, LoggedAnswer, question_key, utc_now
from docqa.server.questions.schema import questions

__all__ = ["LoggedAnswer", "QuestionStore", "Selection", "question_key", "utc_now"]

REQUEST_TIMEOUT_S = 10.0
"""What the server's request-path reads and writes (feedback, the report, its exports) wait for PostgreSQL at most:
a table locked by another session, or a stalled server, costs staff a 503, not a request that never ends.
The log's writer has no such limit: it waits, with the answers queued meanwhile (bounded)."""

@dataclass(frozen=True)
class Selection:
    """Which logged answers an export means: asked since `since`, unanswered only, rated only."""

    since: datetime | None = None
    unanswered: bool = False
    rated: bool = False

    def where(self) -> list:
        clauses = []
        if self.since is not None:
            clauses.append(questions.c.asked_at >= self.since)
        if self.unanswered:
            clauses.append(questions.c.answered.is_(False))
        if self.rated:
            clauses.append(questions.c.helpful.is_not(None))
        return clauses


EXPORT_COLUMNS = (
    "answer_id", "asked_at", "question", "query", "language", "answered", "confidence", "answer", "short_answer",
    "doc_ids", "index_version", "latency_ms", "origin", "conversation_id", "helpful", "comment", "rated_at",
)  # fmt: skip


class QuestionStore:
    """The log's database. `open(url)` connects and migrates; every method is one short transaction."""

    def __init__(self, engine: Engine, *, request_timeout_s: float | None = None) -> None:
        self.engine = engine
        self.request_timeout_s = request_timeout_s
        self._file_identity = _sqlite_file_identity(engine)

    def file_replaced(self) -> bool:
        """SQLite: the file at the log's path is gone or another one since this store opened it (deleted, or a
        backup moved there). Its open connections would go on writing the old file, lost at the next start."""
        return self._file_identity is not None and _sqlite_file_identity(self.engine) != self._file_identity

    @classmethod
    def open(cls, url: str, *, request_timeout_s: float | None = None, migrate: bool = True) -> "QuestionStore":
        """Connect and migrate (unless not `migrate`: a log already at the newest schema, read as it is);
        `request_timeout_s` bounds each statement of `for_request` (PostgreSQL)."""
        engine = database.connect(url)
        try:
            if migrate:
                database.upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, request_timeout_s=request_timeout_s)

    @contextlib.contextmanager
    def for_request(self, *, write: bool = False) -> Iterator[Connection]:
        """A connection (a transaction if `write`) whose statements each give up after `request_timeout_s` on
        PostgreSQL (SQLite waits for a lock its busy timeout at most)."""
        with (self.engine.begin() if write else self.engine.connect()) as connection:
            if self.request_timeout_s and connection.dialect.name == "postgresql":  # this transaction only
                ms = str(max(1, int(self.request_timeout_s * 1000)))
                connection.execute(text("SELECT set_config('statement_timeout', :ms, true)"), {"ms": ms})
            yield connection

    def close(self) -> None:
        self.engine.dispose()

    def insert(self, answers: Sequence[LoggedAnswer], *, with_rollups: bool = True) -> None:
        """Write a batch in one transaction (one multi-row INSERT), with its counts in the rollups unless
        `with_rollups` is False: then `add_rollups` must follow (the log's writer, so that replicas updating
        the same day's counts never hold up the questions' own write)."""
        if answers:
            rows = [a.row() for a in answers]
            with self.engine.begin() as connection:
                connection.execute(insert(questions), rows)
                if with_rollups:
                    rollups.add(connection, rows)

    def add_rollups(self, answers: Sequence[LoggedAnswer]) -> None:
        """Add the counts of a batch written with `with_rollups=False` to the rollups (one transaction)."""
        if answers:
            with self.engine.begin() as connection:
                rollups.add(connection, [a.row() for a in answers])

    def rate(self, answer_id: str, *, helpful: bool, comment: str | None) -> bool:
        """Record the visitor's rating of an answer (the last one counts; a comment stays until another replaces it,
        as the page sends the thumbs first and the comment after); False if no such answer is logged."""
        values: dict[str, Any] = {"helpful": helpful, "rated_at": utc_now()}
        if comment:
            values["comment"] = comment[:MAX_COMMENT_CHARS]
        with self.for_request(write=True) as connection:
            done = connection.execute(update(questions).where(questions.c.answer_id == answer_id).values(**values))
        return done.rowcount > 0

    def purge(self, *, before: datetime) -> int:
        """Delete the questions asked before `before` (with their ratings and counts); returns how many."""
        day, q = before.date(), questions.c
        with self.engine.begin() as connection:
            removed = connection.execute(delete(questions).where(q.day < day)).rowcount
            cut = connection.execute(  # the rows deleted of the day the cut goes through, whose counts are taken away
                delete(questions).where(q.day == day, q.asked_at < before).returning(q.day, q.question_hash, q.answered, q.question, q.latency_ms, q.origin)
            ).mappings().all()
            rollups.drop_before(connection, day)
            rollups.subtract(connection, [dict(r) for r in cut], day)
        return removed + len(cut)

    def count(self, selection: Selection = Selection()) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(questions).where(*selection.where())).scalar_one()

    def rows(self, selection: Selection = Selection(), *, batch: int = 2000) -> Iterator[dict[str, Any]]:
        """The selected rows, oldest first, as plain dicts (doc_ids a list, times ISO 8601 UTC)."""
        columns = [questions.c[name] for name in EXPORT_COLUMNS]
        query = select(*columns).where(*selection.where()).order_by(questions.c.asked_at, questions.c.id)
        with self.for_request() as connection:
            result = connection.execution_options(yield_per=batch).execute(query)
            for row in result.mappings():
                item = dict(row)
                item["doc_ids"] = json.loads(item["doc_ids"] or "[]")
                for name in ("asked_at", "rated_at"):
                    if item[name] is not None:
                        item[name] = item[name].isoformat(timespec="seconds") + "Z"
                yield item


def _sqlite_file_identity(engine: Engine) -> tuple[int, int] | None:
    """(device, inode) of a SQLite log's file; None for PostgreSQL or in-memory, (0, 0) when the file is missing."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        return None
    try:
        found = os.stat(path)
    except OSError:
        return (0, 0)
    return (found.st_dev, found.st_ino)


def days_ago(days: float, *, now: datetime | None = None) -> datetime:
    return (now or utc_now()) - timedelta(days=days)


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """`30d`, `12h`, `2w` (that long ago) or a date / ISO time (UTC) → a naive UTC datetime."""
    value = text.strip().lower()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([hdw])", value)
    if match:
        hours = float(match.group(1)) * {"h": 1, "d": 24, "w": 168}[match.group(2)]
        try:
            return (now or utc_now()) - timedelta(hours=hours)
        except OverflowError:
            raise InvalidInput(f"{text!r} is further back than dates go; give a shorter duration or a date") from None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{text!r} is neither a duration (30d, 12h, 2w) nor a date (2026-01-31)") from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # 9999-12-31T23:59:59-14:00 is in the year 10000 in UTC
            raise InvalidInput(f"{text!r} is further than dates go once in UTC; give a date within 0001-9999") from None
    return parsed
