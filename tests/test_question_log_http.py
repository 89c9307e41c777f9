"""The question log over HTTP: answer_id, /api/feedback, the staff report and its exports, `docqa questions`,
on SQLite and on a real PostgreSQL; and the bad-input list (unknown ids, long comments, floods, hostile text)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docqa.config import Settings
from docqa.index.assistant import Assistant
from docqa.server.app import create_app
from docqa.server.questions.store import QuestionStore

TOKEN = "staff-token-for-tests"
HOSTILE = "<script>alert('q')</script> Robert'); DROP TABLE questions;-- =1+2"


def make_client(index, embedder, *, base_url: str = "http://testserver", **settings) -> TestClient:
    app = create_app(Settings(index=index, model=embedder.name, admin_token=TOKEN, **settings), assistant=Assistant(index, embedder=embedder))
    return TestClient(app, base_url=base_url)


@pytest.fixture
def client(tiny_index, fake_embedder, database_url):
    with make_client(tiny_index, fake_embedder, database_url=database_url) as c:
        yield c


def logged(client: TestClient) -> list[dict]:
    assert client.app.state.question_log.flush(timeout=10)
    return list(client.app.state.question_log.store().rows())


def ask(client: TestClient, question: str, **extra) -> dict:
    r = client.post("/api/ask", json={"question": question, **extra}, headers=extra.pop("headers", None) or {})
    assert r.status_code == 200, r.text
    return r.json()


def test_every_answer_is_logged_with_its_id_and_no_visitor_identifiers(client) -> None:
    body = ask(client, "Which river rises in the Swiss Alps?", conversation_id="tab-42")
    declined = ask(client, "What is the airspeed of an unladen swallow?")
    (first, second) = logged(client)
    assert first["answer_id"] == body["answer_id"] and len(body["answer_id"]) == 32
    assert first["question"] == "Which river rises in the Swiss Alps?" and first["answer"] == body["answer"]
    assert first["answered"] is True and first["doc_ids"][0] == "rivers.txt" and first["conversation_id"] == "tab-42"
    assert first["latency_ms"] > 0 and first["index_version"] == client.app.state.assistant.index.folder.name
    assert second["answer_id"] == declined["answer_id"] and second["answered"] is declined["answered"]
    stored = json.dumps(first)
    assert "testclient" not in stored and "python-httpx" not in stored  # no address, no user agent


def test_origin_is_the_calling_page(client) -> None:
    client.post("/api/ask", json={"question": "Where does the Rhine rise?"}, headers={"origin": "https://testserver"})
    client.post("/api/ask", json={"question": "Where does the Rhine rise?"})
    assert [r["origin"] for r in logged(client)] == ["https://testserver", None]
    page = client.get("/admin", headers={"authorization": f"Bearer {TOKEN}"}).text
    assert "https://testserver <em>(this server: the chat page)</em>" in page  # behind a TLS proxy too
    assert "no Origin header (API clients, scripts)" in page


def test_feedback_is_recorded_once_per_answer(client) -> None:
    answer_id = ask(client, "When was Voyager 1 launched?")["answer_id"]
    r = client.post("/api/feedback", json={"answer_id": answer_id, "helpful": True})
    assert r.status_code == 200 and r.json() == {"status": "ok", "answer_id": answer_id}
    r = client.post("/api/feedback", json={"answer_id": answer_id, "helpful": False, "comment": HOSTILE})
    assert r.status_code == 200
    (row,) = logged(client)
    assert row["helpful"] is False and row["comment"] == HOSTILE


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"answer_id": "0" * 32, "helpful": True}, 404, "No such answer"),
        ({"answer_id": "not-an-id", "helpful": True}, 404, "No such answer"),
        ({"answer_id": "x", "helpful": True, "comment": "c" * 1001}, 422, "at most 1000 characters"),
        ({"answer_id": "x", "helpful": "yes"}, 422, "helpful"),
        ({"answer_id": "x"}, 422, "helpful: Field required"),
        ({"answer_id": "x" * 65, "helpful": True}, 422, "answer_id"),
        ({"answer_id": "x", "helpful": True, "rating": 5}, 422, "rating"),
    ],
)
def test_bad_feedback_gets_a_clear_4xx(client, body, status, message) -> None:
    r = client.post("/api/feedback", json=body)
    assert r.status_code == status and message in r.json()["error"]


def test_a_feedback_flood_is_rate_limited_like_the_api(tiny_index, fake_embedder, tmp_path) -> None:
    with make_client(tiny_index, fake_embedder, database_url=f"sqlite:///{tmp_path / 'q.sqlite3'}", rate_limit="5/minute") as c:
        statuses = [c.post("/api/feedback", json={"answer_id": "nope", "helpful": True}).status_code for _ in range(8)]
    assert statuses[:5] == [404] * 5 and statuses[5:] == [429] * 3


def test_a_too_long_conversation_id_is_refused(client) -> None:
    r = client.post("/api/ask", json={"question": "Where does the Rhine rise?", "conversation_id": "c" * 65})
    assert r.status_code == 422 and "conversation_id" in r.json()["error"]


def test_a_nul_character_is_refused_before_it_can_cost_other_answers(client) -> None:
    # PostgreSQL text cannot hold NUL (U+0000): one such question made the whole write batch fail, other
    # visitors' answers included, and a comment holding one made /api/feedback a 500.
    rated = ask(client, "Where does the Rhine rise?")["answer_id"]
    for path, body in [
        ("/api/ask", {"question": "Where does the Rhine\u0000 rise?"}),
        ("/api/ask", {"question": "Where does the Rhine rise?", "conversation_id": "tab\u0000"}),
        ("/api/ask", {"question": "Where does it rise?", "history": [{"role": "user", "content": "The Rhine\u0000"}]}),
        ("/api/feedback", {"answer_id": rated, "helpful": False, "comment": "wrong\u0000"}),
    ]:
        r = client.post(path, json=body)
        assert r.status_code == 400 and "NUL" in r.json()["error"], (path, body, r.status_code, r.text)
    ask(client, "When was Voyager 1 launched?")
    rows = logged(client)
    assert [row["question"] for row in rows] == ["Where does the Rhine rise?", "When was Voyager 1 launched?"]
    assert rows[0]["helpful"] is None
    assert client.app.state.question_log.counts().dropped_write_failed == 0


def test_with_the_log_off_nothing_is_kept(tiny_index, fake_embedder) -> None:
    with make_client(tiny_index, fake_embedder, log_questions=False) as c:
        assert ask(c, "Where does the Rhine rise?")["answer_id"] is None
        r = c.post("/api/feedback", json={"answer_id": "0" * 32, "helpful": True})
        assert r.status_code == 404 and "DOCQA_LOG_QUESTIONS=off" in r.json()["error"]
        assert "log is off" in c.get("/admin", headers={"authorization": f"Bearer {TOKEN}"}).text
    assert not (tiny_index / "questions.sqlite3").exists()


def test_a_database_that_is_down_still_answers_and_counts_what_it_dropped(tiny_index, fake_embedder) -> None:
    with make_client(tiny_index, fake_embedder, database_url="postgresql://nobody@127.0.0.1:1/none") as c:
        bodies = [ask(c, "Where does the Rhine rise?") for _ in range(3)]
        assert all(b["answered"] for b in bodies)
        assert c.app.state.question_log.flush(timeout=20)
        stats = c.get("/admin/stats", headers={"authorization": f"Bearer {TOKEN}"}).json()["question_log"]
        assert stats["written"] == 0 and stats["dropped_write_failed"] == 3 and not stats["database_ok"]
        r = c.post("/api/feedback", json={"answer_id": bodies[0]["answer_id"], "helpful": True})
        assert r.status_code == 503 and "try again later" in r.json()["error"]
        assert c.get("/admin", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 503


def test_the_report_needs_the_token_and_signs_in_with_a_strict_cookie(client) -> None:
    refused = client.get("/admin")
    assert refused.status_code == 401 and 'action="/admin/login"' in refused.text and "What visitors ask" not in refused.text
    assert client.get("/admin", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/admin/export/questions.csv").status_code == 401
    assert client.post("/admin/login", data={"token": "wrong"}).status_code == 401
    signed_in = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/admin"
    cookie = signed_in.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/admin" in cookie and "secure" not in cookie
    assert TOKEN not in cookie
    page = client.get("/admin")
    assert page.status_code == 200 and "What visitors ask" in page.text and page.headers["cache-control"] == "no-store"
    client.post("/admin/logout")
    assert client.get("/admin").status_code == 401


def test_the_report_counts_one_question_in_the_singular(client) -> None:
    ask(client, "what is the opening time of the zoo on mars?")
    logged(client)
    text = " ".join(client.get("/admin", headers={"authorization": f"Bearer {TOKEN}"}).text.split())
    assert "<strong>1</strong> question in the last 30 days" in text and "1 distinct question." in text, text


def test_the_cookie_is_secure_over_https(tiny_index, fake_embedder, tmp_path) -> None:
    with make_client(tiny_index, fake_embedder, base_url="https://testserver", database_url=f"sqlite:///{tmp_path / 'q.db'}") as c:
        assert "secure" in c.post("/admin/login", data={"token": TOKEN}, follow_redirects=False).headers["set-cookie"].lower()


def test_the_report_shows_visitors_text_escaped_and_exports_it(client) -> None:
    answer_id = ask(client, HOSTILE)["answer_id"]
    client.post("/api/feedback", json={"answer_id": answer_id, "helpful": False, "comment": "<img src=x onerror=alert(1)>"})
    for _ in range(2):
        ask(client, "Where does the Rhine rise?")
    logged(client)
    bearer = {"authorization": f"Bearer {TOKEN}"}
    page = client.get("/admin", headers=bearer).text
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert page.count("<svg") == 3 and "<script" not in page.replace("&lt;script", "")
    csv_text = client.get("/admin/export/questions.csv", headers=bearer).text
    assert "'<script>" not in csv_text and "<script>alert('q')</script>" in csv_text  # a formula start would get an apostrophe
    frequent = [json.loads(line) for line in client.get("/admin/export/frequent.jsonl", headers=bearer).text.splitlines()]
    assert frequent[0] == {"question": "Where does the Rhine rise?", "count": 2, "answered": 2}
    unhelpful = client.get("/admin/export/unhelpful.jsonl", headers=bearer).text
    assert json.loads(unhelpful)["comment"] == "<img src=x onerror=alert(1)>"
    assert client.get("/admin/export/nothing.csv", headers=bearer).status_code == 404
    assert client.get("/admin?days=0", headers=bearer).status_code == 422


def test_docqa_questions_export_and_purge(tiny_index, fake_embedder, tmp_path, monkeypatch, capsys) -> None:
    from docqa.index.evaluation.evaluate import load_questions
    from docqa.server.cli import main

    monkeypatch.delenv("DOCQA_DATABASE_URL", raising=False)
    with make_client(tiny_index, fake_embedder) as c:  # the default: SQLite beside the index versions
        helpful = ask(c, "Which river rises in the Swiss Alps?")
        c.post("/api/feedback", json={"answer_id": helpful["answer_id"], "helpful": True})
        ask(c, "=HYPERLINK(\"http://evil\")")
        ask(c, "What is the airspeed of an unladen swallow?")
    assert (tiny_index / "questions.sqlite3").exists()
    out = tmp_path / "items.jsonl"
    assert main(["questions", "export", "--index", str(tiny_index), "--format", "eval", "--output", str(out)]) == 0
    items = load_questions(out)  # what docqa eval reads
    by_question = {i.turns[0]: i for i in items}
    rhine = by_question["Which river rises in the Swiss Alps?"]
    assert rhine.answerable and rhine.answer and rhine.answer in helpful["answer"] and rhine.source == "rivers.txt"
    assert all(not i.answerable for q, i in by_question.items() if q != "Which river rises in the Swiss Alps?")
    capsys.readouterr()
    assert main(["questions", "export", "--index", str(tiny_index), "--format", "csv", "--since", "1d"]) == 0
    text = capsys.readouterr().out
    assert text.count("\n") == 4 and "'=HYPERLINK" in text
    assert main(["questions", "export", "--index", str(tiny_index), "--rated"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["questions", "export", "--index", str(tiny_index), "--format", "xml"]) == 2
    assert main(["questions", "purge", "--before", "yesterday-ish", "--index", str(tiny_index)]) == 2
    assert main(["questions", "purge", "--before", "2000-01-01", "--index", str(tiny_index)]) == 0
    assert "Deleted 0 " in capsys.readouterr().out
    assert main(["questions", "purge", "--before", "0d", "--index", str(tiny_index)]) == 0
    assert "Deleted 3 " in capsys.readouterr().out
    assert QuestionStore.open(f"sqlite:///{tiny_index / 'questions.sqlite3'}").count() == 0
    assert main(["questions", "export", "--index", str(tmp_path / "elsewhere")]) == 1


def test_questions_export_never_writes_over_the_log_itself(tiny_index, fake_embedder, tmp_path, monkeypatch, capsys) -> None:
    from docqa.server.cli import main

    monkeypatch.delenv("DOCQA_DATABASE_URL", raising=False)
    with make_client(tiny_index, fake_embedder) as c:
        ask(c, "Which river rises in the Swiss Alps?")
    log = tiny_index / "questions.sqlite3"
    kept = log.read_bytes()
    capsys.readouterr()
    for output in (log, tiny_index / "." / "questions.sqlite3"):
        assert main(["questions", "export", "--index", str(tiny_index), "--output", str(output)]) == 2
        err = capsys.readouterr().err
        assert "is the question log itself" in err and "Traceback" not in err
    assert log.read_bytes() == kept and QuestionStore.open(f"sqlite:///{log}").count() == 1


def _foreign_sqlite(path: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.execute("INSERT INTO notes VALUES ('keep me')")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("kind", ["empty", "foreign", "not sqlite"])
def test_docqa_questions_never_makes_a_log_of_a_file_that_is_none(kind, tmp_path, monkeypatch, capsys) -> None:
    """An empty SQLite file, another application's SQLite file, or a file that is no database at the log's path:
    `docqa questions export` (and purge) refuse it with one line and exit 1, the file byte-identical and nothing
    beside it. Export had created the log's tables in it (and a WAL header, a .migrate-lock file)."""
    from docqa.server.cli import main

    monkeypatch.delenv("DOCQA_DATABASE_URL", raising=False)
    index = tmp_path / "index"
    index.mkdir()
    log = index / "questions.sqlite3"
    if kind == "empty":
        log.write_bytes(b"")
    elif kind == "foreign":
        _foreign_sqlite(log)
    else:
        log.write_bytes(b"question,answer\nwhy?,because\n")
    kept = log.read_bytes()
    for command in (["questions", "export", "--index", str(index)], ["questions", "export", "--format", "eval", "--index", str(index)],
                    ["questions", "purge", "--before", "0d", "--index", str(index)]):
        assert main(command) == 1, command
        out, err = capsys.readouterr()
        assert not out and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
        assert err.startswith("Error: ") and str(log) in err, err
        assert log.read_bytes() == kept and sorted(p.name for p in index.iterdir()) == ["questions.sqlite3"], command
    monkeypatch.setenv("DOCQA_DATABASE_URL", f"sqlite:///{log}")
    assert main(["questions", "export", "--index", str(tmp_path / "elsewhere")]) == 1
    assert log.read_bytes() == kept and sorted(p.name for p in index.iterdir()) == ["questions.sqlite3"]


def test_docqa_questions_export_reads_a_log_without_changing_it(tiny_index, fake_embedder, monkeypatch, capsys) -> None:
    from docqa.server.cli import main

    monkeypatch.delenv("DOCQA_DATABASE_URL", raising=False)
    with make_client(tiny_index, fake_embedder) as c:
        ask(c, "Which river rises in the Swiss Alps?")
    log = tiny_index / "questions.sqlite3"
    kept, beside = log.read_bytes(), sorted(p.name for p in tiny_index.iterdir())
    capsys.readouterr()
    assert main(["questions", "export", "--index", str(tiny_index)]) == 0
    assert "Which river rises in the Swiss Alps?" in capsys.readouterr().out
    assert log.read_bytes() == kept and sorted(p.name for p in tiny_index.iterdir()) == beside


def test_docqa_questions_export_leaves_a_log_of_an_older_schema_unmigrated(tiny_index, fake_embedder, monkeypatch, capsys) -> None:
    from docqa.server.cli import main
    from docqa.server.questions import database

    monkeypatch.delenv("DOCQA_DATABASE_URL", raising=False)
    with make_client(tiny_index, fake_embedder) as c:
        ask(c, "Which river rises in the Swiss Alps?")
    log = tiny_index / "questions.sqlite3"
    kept = log.read_bytes()
    monkeypatch.setattr(database, "head_revision", lambda: "9999_a_later_one")  # this docqa knows a newer schema
    capsys.readouterr()
    assert main(["questions", "export", "--index", str(tiny_index)]) == 1
    err = capsys.readouterr().err
    assert "written by an older docqa" in err and "docqa serve" in err and "Traceback" not in err, err
    assert log.read_bytes() == kept


def test_serve_refuses_a_bad_database_url_with_a_message(monkeypatch, capsys, tmp_path) -> None:
    from docqa.server.cli import main

    monkeypatch.setenv("DOCQA_DATABASE_URL", "mysql://someone@somewhere/db")
    assert main(["serve", "--index", str(tmp_path), "--workers", "2"]) == 2
    assert "DOCQA_DATABASE_URL must be postgresql://... or sqlite:///..." in capsys.readouterr().err


def test_declined_questions_are_embedded_when_written_not_when_staff_open_the_report(client) -> None:
    from docqa.server.questions.schema import question_vectors

    assert ask(client, "What is the airspeed of an unladen swallow?")["answered"] is False
    assert ask(client, "Which river rises in the Swiss Alps?")["answered"] is True
    log = client.app.state.question_log
    assert log.flush(timeout=10)
    deadline = time.monotonic() + 10  # the writer thread embeds right after its write
    while time.monotonic() < deadline:
        with log.store().engine.connect() as connection:
            cached = connection.execute(question_vectors.select()).all()
        if cached:
            break
        time.sleep(0.05)
    assert len(cached) == 1  # the declined question only, ready for the report's grouping
