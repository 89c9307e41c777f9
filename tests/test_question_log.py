"""The question log's store and writer, on SQLite and on a real PostgreSQL (tests/postgres_harness.py)."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import datetime, timedelta

import pytest

from docqa.errors import InvalidInput
from docqa.server.questions import database
from docqa.server.questions.log import QuestionLog
from docqa.server.questions.report import build_report
from docqa.server.questions.store import LoggedAnswer, QuestionStore, Selection, parse_since, question_key, utc_now

HOSTILE = "Robert'); DROP TABLE questions;-- <script>alert('x')</script> \" \\ % _ \u00e9\u4e2d\U0001f600"


def answer(n: int = 0, *, answered: bool = True, question: str | None = None, asked_at: datetime | None = None, **extra) -> LoggedAnswer:
    values = dict(
        answer_id=f"{n:032x}",
        asked_at=asked_at or utc_now(),
        question=question or f"question {n}?",
        query=f"query {n}",
        language="en",
        answered=answered,
        confidence=0.75 if answered else 0.05,
        answer=f"answer {n}" if answered else "I could not find this in the documents.",
        short_answer="short" if answered else None,
        doc_ids=("a.html", "b.md"),
        index_version="20260101T000000Z",
        latency_ms=12.5,
        origin="https://www.example.org",
        conversation_id="tab-1",
    )
    values.update(extra)
    return LoggedAnswer(**values)


@pytest.fixture
def store(database_url):
    opened = QuestionStore.open(database_url)
    yield opened
    opened.close()


def test_rows_saved_are_read_back_exactly(store) -> None:
    logged = answer(1, question=HOSTILE, short_answer=None, origin=None, conversation_id=None)
    store.insert([logged, answer(2, answered=False)])
    rows = list(store.rows())
    assert [r["answer_id"] for r in rows] == [logged.answer_id, f"{2:032x}"]
    first = rows[0]
    assert first["question"] == HOSTILE and first["doc_ids"] == ["a.html", "b.md"] and first["answered"] is True
    assert first["confidence"] == 0.75 and first["latency_ms"] == 12.5 and first["origin"] is None and first["helpful"] is None
    assert first["asked_at"] == logged.asked_at.isoformat(timespec="seconds") + "Z"
    assert rows[1]["answered"] is False and rows[1]["short_answer"] is None
    assert store.count() == 2  # the hostile text was stored as text, the table is still there


def test_rating_is_idempotent_per_answer_and_unknown_ids_are_refused(store) -> None:
    store.insert([answer(1)])
    assert store.rate(f"{1:032x}", helpful=True, comment=None)
    assert store.rate(f"{1:032x}", helpful=False, comment=HOSTILE)  # the latest rating counts; still one row
    assert not store.rate(f"{9:032x}", helpful=True, comment=None)
    (row,) = store.rows()
    assert row["helpful"] is False and row["comment"] == HOSTILE and row["rated_at"]
    assert store.rate(f"{1:032x}", helpful=False, comment=None)  # the thumbs again: the comment stays
    assert next(iter(store.rows()))["comment"] == HOSTILE
    assert store.count(Selection(rated=True)) == 1


def test_selection_and_purge(store) -> None:
    old = utc_now() - timedelta(days=100)
    store.insert([answer(1, asked_at=old), answer(2, answered=False), answer(3)])
    assert store.count(Selection(since=utc_now() - timedelta(days=30))) == 2
    assert store.count(Selection(unanswered=True)) == 1
    assert store.purge(before=utc_now() - timedelta(days=90)) == 1
    assert [r["answer_id"] for r in store.rows()] == [f"{2:032x}", f"{3:032x}"]


def test_migrations_build_the_schema_the_code_uses_and_rerun_as_a_no_op(database_url) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from docqa.server.questions.schema import metadata

    engine = database.connect(database_url)
    try:
        assert database.upgrade(engine) == database.head_revision() == database.current_revision(engine)
        assert database.upgrade(engine) == database.head_revision()  # again: nothing to do
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_workers_starting_together_migrate_once(database_url) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            QuestionStore.open(database_url).close()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_database_from_a_newer_docqa_is_refused_clearly(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    QuestionStore.open(url).close()
    with sqlite3.connect(tmp_path / "q.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(database.SchemaTooNew, match="newer than this docqa"):
        QuestionStore.open(url)


@pytest.mark.parametrize(
    "url, message",
    [("mysql://u@h/db", "must be postgresql"), ("not a url", "not a database URL"), ("postgresql://u:hunter2@h:notaport/db", "hunter2")],
)
def test_bad_database_urls_are_refused_with_a_message(url, message) -> None:
    if message == "hunter2":  # never echo a password
        with pytest.raises(InvalidInput) as caught:
            database.normalise(url)
        assert "hunter2" not in str(caught.value)
        return
    with pytest.raises(InvalidInput, match=message):
        database.normalise(url)


def test_database_urls_are_shown_without_their_password() -> None:
    from docqa.server.questions.urls import shown

    assert shown("postgresql://docqa:hunter2@db.example.org:5432/log") == "postgresql://docqa:***@db.example.org:5432/log"
    assert database.normalise("postgres://docqa:pw@h/log") == "postgresql+psycopg://docqa:pw@h/log"


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    store = QuestionStore.open(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    store.insert([answer(1)])
    store.close()
    with sqlite3.connect(tmp_path / "q.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


class _Connection:
    """A DB-API connection standing in for SQLite's: its journal mode, the statements it ran, and how many WAL
    switches answer "database is locked" first (two connections switching a new file together deadlock)."""

    def __init__(self, mode: str, *, locked: int = 0) -> None:
        self.mode, self.locked, self.ran = mode, locked, []

    def cursor(self):
        return self

    def execute(self, statement: str):
        self.ran.append(statement)
        if statement == "PRAGMA journal_mode=WAL":
            if self.locked:
                self.locked -= 1
                raise sqlite3.OperationalError("database is locked")
            self.mode = "wal"
        return self

    def fetchone(self):
        return (self.mode,)

    def close(self) -> None:
        pass


def test_a_wal_switch_that_meets_another_is_tried_again_and_a_wal_file_is_not_switched() -> None:
    racing = _Connection("delete", locked=2)
    database._sqlite_pragmas(racing, None)
    assert racing.mode == "wal" and racing.ran.count("PRAGMA journal_mode=WAL") == 3
    switched = _Connection("wal")
    database._sqlite_pragmas(switched, None)
    assert "PRAGMA journal_mode=WAL" not in switched.ran and "PRAGMA synchronous=NORMAL" in switched.ran
    with pytest.raises(sqlite3.OperationalError):
        database._sqlite_pragmas(_Connection("delete", locked=10_000), None)  # locked for good: the error stands


def test_the_log_writes_in_batches_off_the_caller_and_flushes_on_close(database_url) -> None:
    log = QuestionLog(lambda: QuestionStore.open(database_url))
    log.start()
    assert all(log.record(answer(n)) for n in range(500))
    log.close()
    counts = log.counts()
    assert counts.written == 500 and counts.dropped == 0 and counts.batches < 500
    store = QuestionStore.open(database_url)
    assert store.count() == 500
    daily = build_report(store, days=1).daily  # the rollups, added after each write on the follow-up thread
    assert sum(day.asked for day in daily) == 500
    store.close()


def test_an_answer_is_written_at_once_and_never_waits_behind_after_write(tmp_path) -> None:
    """What a SIGKILL loses is what was not yet written: the writer neither waits for a batch to gather
    nor holds the next write while `after_write` (embedding declined questions) runs."""
    embedding, release = threading.Event(), threading.Event()

    def after_write(store, batch) -> None:
        embedding.set()
        release.wait(10)

    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    log = QuestionLog(lambda: QuestionStore.open(url), after_write=after_write)
    log.start()
    reader = QuestionStore.open(url)
    try:
        log.record(answer(1))
        assert embedding.wait(5)  # the first batch is written; its follow-up is busy
        started = time.perf_counter()
        log.record(answer(2))
        while reader.count() < 2 and time.perf_counter() - started < 2:
            time.sleep(0.002)
        assert reader.count() == 2 and time.perf_counter() - started < 0.1
    finally:
        release.set()
        log.close()
        reader.close()
    assert log.counts().written == 2


def test_a_full_queue_drops_and_counts(tmp_path) -> None:
    gate = threading.Event()

    def slow_open() -> QuestionStore:
        gate.wait(10)  # the database is slow to come up: the queue fills meanwhile
        return QuestionStore.open(f"sqlite:///{tmp_path / 'q.sqlite3'}")

    log = QuestionLog(slow_open, capacity=10)
    log.start()
    accepted = [log.record(answer(n)) for n in range(25)]
    gate.set()
    log.close()
    assert accepted.count(False) == log.counts().dropped_queue_full >= 14
    assert log.counts().written == accepted.count(True)


def test_a_database_that_is_down_costs_rows_not_answers() -> None:
    log = QuestionLog(lambda: QuestionStore.open("postgresql://nobody@127.0.0.1:1/none"))
    log.start()
    started = time.perf_counter()
    assert log.record(answer(1))
    assert time.perf_counter() - started < 0.01  # never waits for the database
    assert log.flush(timeout=20)
    log.close()
    counts = log.counts()
    assert counts.written == 0 and counts.dropped_write_failed == 1 and "OperationalError" in (counts.last_error or "")


def test_a_locked_sqlite_database_costs_rows_then_recovers(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "q.sqlite3"
    url = f"sqlite:///{path}"
    QuestionStore.open(url).close()
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    log = QuestionLog(lambda: QuestionStore.open(url))
    log.start()
    log.record(answer(1))
    assert log.flush(timeout=20)
    assert log.counts().dropped_write_failed == 1 and "locked" in log.counts().last_error
    locker.execute("ROLLBACK")
    locker.close()
    time.sleep(0.6)  # past the writer's pause after a failure
    log.record(answer(2))
    log.close()
    assert log.counts().written == 1
    assert [r["answer_id"] for r in QuestionStore.open(url).rows()] == [f"{2:032x}"]


def test_retention_deletes_old_rows_at_start(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    store = QuestionStore.open(url)
    store.insert([answer(1, asked_at=utc_now() - timedelta(days=91)), answer(2)])
    log = QuestionLog(lambda: QuestionStore.open(url), retention_days=90)
    log.start()
    log.close()
    assert [r["answer_id"] for r in store.rows()] == [f"{2:032x}"]
    store.close()


def test_question_keys_and_durations() -> None:
    assert question_key("  When does ÉRA PerMed   start?? ") == question_key("when does era permed start") == "when does era permed start"
    now = datetime(2026, 3, 1, 12)
    assert parse_since("30d", now=now) == now - timedelta(days=30)
    assert parse_since("2w", now=now) == now - timedelta(days=14)
    assert parse_since("2026-01-31") == datetime(2026, 1, 31)
    assert parse_since("2026-01-31T10:00:00+01:00") == datetime(2026, 1, 31, 9)
    with pytest.raises(InvalidInput, match="neither a duration"):
        parse_since("last tuesday")
    for too_far in ("99999999d", "9" * 400 + "w"):  # beyond the calendar: a message, not OverflowError
        with pytest.raises(InvalidInput, match="further back than"):
            parse_since(too_far, now=now)


def test_unanswered_questions_are_grouped_by_meaning_and_vectors_are_cached(tmp_path, fake_embedder) -> None:
    from docqa.server.questions.grouping import QuestionCount, group_by_meaning
    from docqa.server.questions.schema import question_vectors

    store = QuestionStore.open(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    items = [
        QuestionCount(1, "Parking prices museum?", 5),
        QuestionCount(2, "Opening hours sunday", 4),
        QuestionCount(3, "museum parking prices", 2),  # the same words: the fake embedder's "same meaning"
    ]
    groups = group_by_meaning(items, store=store, embedder=fake_embedder)
    assert [(g.label, g.count, len(g.members)) for g in groups] == [("Parking prices museum?", 7, 2), ("Opening hours sunday", 4, 1)]
    with store.engine.connect() as connection:
        assert connection.execute(question_vectors.select()).all().__len__() == 3

    class Refuses:
        name, dim = fake_embedder.name, fake_embedder.dim

        def embed(self, texts, **_):
            raise AssertionError("embedded again")

    assert group_by_meaning(items, store=store, embedder=Refuses()) == groups  # read from the cache
    store.close()


def test_grouping_many_questions_never_switches_a_server_to_its_bulk_backend(tmp_path, fake_embedder) -> None:
    """A report with hundreds of new unanswered questions embeds them as the server embeds questions: a bulk call
    would make a split embedder load its ingest backend (torch) into the serving process (~10 s, ~1 GB)."""
    from docqa.index.embedding.embedder import SplitEmbedder
    from docqa.server.questions.grouping import QuestionCount, group_by_meaning

    class Bulk:
        name, dim = fake_embedder.name, fake_embedder.dim

        def embed(self, texts, **_):
            raise AssertionError(f"a bulk call of {len(texts)} texts")

    store = QuestionStore.open(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    items = [QuestionCount(n, f"question number {n} about topic {n % 7}", 300 - n) for n in range(300)]
    groups = group_by_meaning(items, store=store, embedder=SplitEmbedder(fake_embedder, Bulk()))
    assert sum(g.count for g in groups) == sum(i.count for i in items)
    store.close()


@pytest.mark.model
def test_rewordings_group_together_with_the_real_model(tmp_path, real_embedder) -> None:
    from docqa.server.questions.grouping import QuestionCount, group_by_meaning

    store = QuestionStore.open(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    texts = [
        "what are the museum opening hours on sunday",
        "when is the museum open on sundays",
        "how much does parking cost near the museum",
        "what is the price of parking at the museum",
        "who founded the museum",
    ]
    groups = group_by_meaning([QuestionCount(n, t, 10 - n) for n, t in enumerate(texts)], store=store, embedder=real_embedder)
    assert sorted(sorted(m.question for m in g.members) for g in groups) == sorted(
        [sorted(texts[0:2]), sorted(texts[2:4]), [texts[4]]]
    )
    store.close()


def test_the_report_figures(store) -> None:
    from docqa.server.questions.report import build_report

    now = utc_now().replace(hour=12)
    yesterday, today = now - timedelta(days=1), now
    store.insert(
        [
            answer(1, question="Where is it?", asked_at=yesterday, latency_ms=10.0),
            answer(2, question="where is it", asked_at=yesterday, latency_ms=20.0, origin=None),
            answer(3, answered=False, question="Parking?", asked_at=yesterday, latency_ms=30.0),
            answer(4, answered=False, question="parking", asked_at=today, latency_ms=40.0),
            answer(5, answered=False, question="Opening hours", asked_at=today, latency_ms=50.0),
            answer(6, question="old", asked_at=now - timedelta(days=40)),
        ]
    )
    store.rate(f"{1:032x}", helpful=True, comment=None)
    store.rate(f"{4:032x}", helpful=False, comment="<b>no</b>")
    report = build_report(store, days=30, now=now + timedelta(minutes=1))
    assert (report.asked, report.answered, report.rated_helpful, report.rated_unhelpful) == (5, 2, 1, 1)
    assert [(d.day, d.asked, d.answered) for d in report.daily] == [(yesterday.date(), 3, 2), (today.date(), 2, 0)]
    # Percentiles from 5%-wide latency buckets: the median of 10, 20, 30 ms; the 95th of 40, 50 ms.
    assert [(d.p50_ms, d.p95_ms) for d in report.daily] == [(pytest.approx(20, rel=0.03), pytest.approx(30, rel=0.03)), (pytest.approx(40, rel=0.03), pytest.approx(50, rel=0.03))]
    assert [(q.question, q.count, q.answered) for q in report.frequent] == [("parking", 2, 0), ("where is it", 2, 2), ("Opening hours", 1, 0)]
    assert [(g.label, g.count) for g in report.unanswered_groups] == [("parking", 2), ("Opening hours", 1)] and report.unanswered_distinct == 2
    assert [(r.question, r.comment) for r in report.unhelpful] == [("parking", "<b>no</b>")]
    assert dict(report.origins) == {"https://www.example.org": 4, None: 1}
    # A purge that cuts through a day takes the rows it deletes away from that day's counts.
    store.purge(before=yesterday + timedelta(minutes=1))  # questions 1 to 3 (and the old one)
    after = build_report(store, days=30, now=now + timedelta(minutes=1))
    assert (after.asked, [(d.day, d.asked) for d in after.daily]) == (2, [(today.date(), 2)])
    assert [(q.question, q.count) for q in after.frequent] == [("parking", 1), ("Opening hours", 1)] or [
        (q.question, q.count) for q in after.frequent
    ] == [("Opening hours", 1), ("parking", 1)]
    assert dict(after.origins) == {"https://www.example.org": 2}
    empty = build_report(store, days=1, now=now + timedelta(days=10))
    assert (empty.asked, empty.daily, empty.frequent, empty.unanswered_groups, empty.origins) == (0, (), (), (), ())


def test_settings_read_the_log_variables(monkeypatch, tmp_path) -> None:
    from docqa.config import load_settings
    from docqa.server import components

    monkeypatch.setenv("DOCQA_LOG_QUESTIONS", "off")
    monkeypatch.setenv("DOCQA_LOG_RETENTION_DAYS", "30")
    monkeypatch.delenv("DOCQA_DATABASE_URL", raising=False)
    settings = load_settings(index=tmp_path / "index")
    assert (settings.log_questions, settings.log_retention_days) == (False, 30)
    assert components.question_log(settings) is None
    assert components.question_database(settings) == f"sqlite:///{(tmp_path / 'index' / 'questions.sqlite3').resolve()}"
    monkeypatch.setenv("DOCQA_LOG_QUESTIONS", "on")
    monkeypatch.setenv("DOCQA_DATABASE_URL", "oracle://x@y/z")
    with pytest.raises(InvalidInput, match="must be postgresql"):
        components.question_log(load_settings())
    monkeypatch.setenv("DOCQA_LOG_RETENTION_DAYS", "-1")
    with pytest.raises(InvalidInput, match="DOCQA_LOG_RETENTION_DAYS"):
        load_settings()


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_date_whose_offset_leaves_the_calendar_is_refused_with_a_message(text) -> None:
    # `docqa questions purge --before 9999-12-31T23:59:59-14:00` ended in an OverflowError traceback.
    with pytest.raises(InvalidInput, match="further"):
        parse_since(text)
