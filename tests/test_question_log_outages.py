"""The question log when its database fails while the server runs: PostgreSQL stopped and started again,
a table locked by another session, a SQLite file deleted under the server. The assistant keeps answering;
/api/feedback and /admin answer 503 with a message (never a 500 or a hang); logging resumes by itself."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tests.test_question_log_http import TOKEN, ask, make_client

BEARER = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def cluster():
    from tests.postgres_harness import MISSING, restartable_cluster, server_binaries

    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    with restartable_cluster(binaries) as running:
        yield running


def test_postgres_stopped_and_started_again_while_serving(tiny_index, fake_embedder, cluster) -> None:
    with make_client(tiny_index, fake_embedder, database_url=cluster.url) as c:
        rated = ask(c, "Where does the Rhine rise?")["answer_id"]
        assert c.app.state.question_log.flush(timeout=10)
        cluster.stop()  # no question since: the log's pool still holds its connections
        r = c.post("/api/feedback", json={"answer_id": rated, "helpful": True})
        assert r.status_code == 503 and "try again later" in r.json()["error"], r.text
        for path in ("/admin", "/admin/export/questions.csv", "/admin/export/daily.jsonl"):
            r = c.get(path, headers=BEARER)
            assert r.status_code == 503 and "cannot be reached" in r.json()["error"], (path, r.status_code, r.text)
        assert all(ask(c, "Where does the Rhine rise?")["answered"] for _ in range(3))  # answers keep flowing
        assert c.app.state.question_log.flush(timeout=20)
        assert c.app.state.question_log.counts().dropped_write_failed == 3  # dropped, and said
        cluster.start()
        deadline = time.monotonic() + 30
        while c.app.state.question_log.counts().written < 2 and time.monotonic() < deadline:  # resumes by itself
            ask(c, "When was Voyager 1 launched?")
            c.app.state.question_log.flush(timeout=10)
            time.sleep(0.5)
        assert c.app.state.question_log.counts().written >= 2
        assert c.post("/api/feedback", json={"answer_id": rated, "helpful": True}).status_code == 200
        assert c.get("/admin", headers=BEARER).status_code == 200


def test_a_locked_table_delays_rows_not_answers_and_staff_pages_do_not_hang(tiny_index, fake_embedder, postgres_server, monkeypatch) -> None:
    import psycopg

    from docqa.server.questions import store as store_module
    from tests.postgres_harness import new_database

    monkeypatch.setattr(store_module, "REQUEST_TIMEOUT_S", 1.0, raising=False)
    url = new_database(postgres_server, "locked_table")
    with make_client(tiny_index, fake_embedder, database_url=url) as c:
        rated = ask(c, "Where does the Rhine rise?")["answer_id"]
        assert c.app.state.question_log.flush(timeout=10)
        with psycopg.connect(url) as locker:  # another session holds the table (a long migration, a VACUUM FULL)
            locker.execute("LOCK TABLE questions IN ACCESS EXCLUSIVE MODE")
            release = threading.Timer(20, locker.rollback)  # a page that waits for the lock would wait forever
            release.start()
            started = time.monotonic()
            assert all(ask(c, "Where does the Rhine rise?")["answered"] for _ in range(5))
            assert time.monotonic() - started < 5
            r = c.post("/api/feedback", json={"answer_id": rated, "helpful": True})
            assert r.status_code == 503 and "try again later" in r.json()["error"], r.text
            r = c.get("/admin", headers=BEARER)
            assert r.status_code == 503, r.text
            assert time.monotonic() - started < 15
            assert c.app.state.question_log.counts().queued + c.app.state.question_log.counts().written >= 1
            release.cancel()
            locker.rollback()
        assert c.app.state.question_log.flush(timeout=20)
        counts = c.app.state.question_log.counts()
        assert counts.written == 6 and counts.dropped == 0  # the writer waited: nothing lost


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_sqlite_log_deleted_or_replaced_while_serving_is_written_where_it_is_now(tiny_index, fake_embedder, tmp_path, how) -> None:
    from docqa.server.questions.store import QuestionStore

    path = tmp_path / "q.sqlite3"
    with make_client(tiny_index, fake_embedder, database_url=f"sqlite:///{path}") as c:
        ask(c, "Where does the Rhine rise?")
        assert c.app.state.question_log.flush(timeout=10)
        if how == "replaced":  # an operator restores a copy (rm q.sqlite3*; mv backup.sqlite3 q.sqlite3)
            QuestionStore.open(f"sqlite:///{tmp_path / 'backup.sqlite3'}").close()
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / f"q.sqlite3{suffix}").unlink(missing_ok=True)
        if how == "replaced":
            (tmp_path / "backup.sqlite3").rename(path)
        second = ask(c, "When was Voyager 1 launched?")["answer_id"]
        assert c.app.state.question_log.flush(timeout=10)
        assert c.post("/api/feedback", json={"answer_id": second, "helpful": True}).status_code == 200
        assert path.exists(), "the log went on writing into the deleted file: every answer since is lost"
    reopened = QuestionStore.open(f"sqlite:///{path}")
    assert [(r["answer_id"], r["helpful"]) for r in reopened.rows()] == [(second, True)]
    reopened.close()


def test_a_purge_while_the_server_writes_keeps_the_report_counts_true(database_url) -> None:
    # The writer inserts a batch, then adds its counts to the rollups in a second transaction: a purge between
    # the two recounted the day from the rows (the batch included) and the writer then added the batch again.
    from datetime import datetime, timedelta

    from sqlalchemy import func, select

    from docqa.server.questions.schema import latency_days, origin_days, question_days
    from docqa.server.questions.store import QuestionStore
    from tests.test_question_log import answer

    store = QuestionStore.open(database_url)
    now = datetime(2026, 3, 1, 12)
    store.insert([answer(1, asked_at=now - timedelta(seconds=2)), answer(2, asked_at=now - timedelta(seconds=1))])
    pending = [answer(3, asked_at=now - timedelta(milliseconds=500)), answer(4, asked_at=now + timedelta(seconds=1))]
    store.insert(pending, with_rollups=False)  # written; its counts not yet added
    assert store.purge(before=now - timedelta(milliseconds=100)) == 3  # 1, 2 and 3: asked before the cut
    store.add_rollups(pending)  # the writer's second step, after the purge
    with store.engine.connect() as connection:
        sums = [connection.execute(select(func.coalesce(func.sum(t.c.asked), 0))).scalar_one() for t in (question_days, latency_days, origin_days)]
    assert store.count() == 1 and sums == [1, 1, 1]
    store.close()


def test_docqa_questions_on_a_busy_database_says_so_without_a_traceback(tmp_path, monkeypatch, capsys) -> None:
    import sqlite3

    from docqa.server.cli import main
    from docqa.server.questions import database
    from docqa.server.questions.store import QuestionStore
    from tests.test_question_log import answer

    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    monkeypatch.delenv("DOCQA_DATABASE_URL", raising=False)
    path = tmp_path / "questions.sqlite3"
    store = QuestionStore.open(f"sqlite:///{path}")
    store.insert([answer(1)])
    store.close()
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process is writing (a server's batch, another purge)
    try:
        capsys.readouterr()
        assert main(["questions", "purge", "--before", "0d", "--index", str(tmp_path)]) == 1
        err = capsys.readouterr().err
        assert "locked" in err and "try again" in err and "Traceback" not in err, err
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert QuestionStore.open(f"sqlite:///{path}").count() == 1  # nothing deleted


def test_a_shutdown_while_the_database_hangs_says_what_it_could_not_write(tmp_path, caplog) -> None:
    import logging

    from docqa.server.questions.log import QuestionLog
    from docqa.server.questions.store import QuestionStore
    from tests.test_question_log import answer

    class HangingStore:
        def __init__(self) -> None:
            self.real = QuestionStore.open(f"sqlite:///{tmp_path / 'q.sqlite3'}")
            self.gate = threading.Event()

        def insert(self, batch, **_) -> None:
            self.gate.wait(10)  # a table locked by another session, a stalled server

        def close(self) -> None:
            self.real.close()

        def file_replaced(self) -> bool:
            return False

    hanging = HangingStore()
    log = QuestionLog(lambda: hanging, linger_s=0)
    log.start()
    log.record(answer(1))
    time.sleep(0.2)  # the writer is now stuck in its write
    for n in range(2, 5):
        log.record(answer(n))
    with caplog.at_level(logging.WARNING, logger="docqa.questions"):
        started = time.monotonic()
        log.close(timeout=0.5)
    hanging.gate.set()
    assert time.monotonic() - started < 5
    assert any("not written" in r.getMessage() and "4" in r.getMessage() for r in caplog.records), [r.getMessage() for r in caplog.records]
