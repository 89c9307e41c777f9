"""What visitors' text and other sites can do to the pages docqa serves (the staff report, its exports):
fast checks without a browser (tests/test_web_audit_browser.py has the ones that need one)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from docqa.config import Settings
from docqa.index.assistant import Assistant
from docqa.server.app import create_app

TOKEN = "audit-token"
SHOP = "https://shop.example"


def _client(index: Path, embedder, **settings) -> TestClient:
    app = create_app(Settings(index=index, model=embedder.name, **settings), assistant=Assistant(index, embedder=embedder))
    return TestClient(app, raise_server_exceptions=False)


def _frame_ancestors(response) -> str:
    directives = dict(d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
    return directives["frame-ancestors"]


def test_the_staff_report_cannot_be_framed_by_the_widget_sites(tiny_index, fake_embedder, tmp_path):
    """Clickjacking: the sites allowed to embed the widget (and frame the chat page) must not frame /admin."""
    with _client(tiny_index, fake_embedder, admin_token=TOKEN, allowed_origins=SHOP, database_url=f"sqlite:///{tmp_path / 'q.db'}") as c:
        assert _frame_ancestors(c.get("/")) == f"'self' {SHOP}"  # the chat page: framed as configured
        signed_in = {"Authorization": f"Bearer {TOKEN}"}
        answers = [
            c.get("/admin"),  # the sign-in form, 401
            c.get("/admin/login"),
            c.get("/admin", headers=signed_in),  # the report itself
            c.get("/admin/export/nothing.csv", headers=signed_in),  # a 404 under /admin
            c.post("/admin/login", data={"token": TOKEN}, follow_redirects=False),
        ]
        for r in answers:
            assert _frame_ancestors(r) == "'none'", (r.request.url, r.status_code)
            assert r.headers["x-frame-options"] == "DENY", r.request.url


def test_eval_export_of_questions_with_line_separators_reads_back(tmp_path):
    """A visitor's question holding U+2028, U+2029 or NEL (JSON leaves them raw) is one item, not a broken file."""
    from docqa.index.evaluation.evaluate import load_questions
    from docqa.server.questions.export import eval_lines

    questions = ["opening\u2028hours?", "parking\u2029prices?", "next\x85bus?", "plain question?"]
    rows = [{"answer_id": f"{n:032x}", "question": q, "answered": False} for n, q in enumerate(questions)]
    path = tmp_path / "eval.jsonl"
    path.write_text("".join(eval_lines(rows)), encoding="utf-8")
    items = load_questions(path)
    assert [item.turns[0] for item in items] == questions


def test_report_isolates_visitors_right_to_left_overrides(tiny_index, fake_embedder, tmp_path):
    """A question or answer holding U+202E (right-to-left override) must not reverse the count or the
    document ids printed after it on the same line: each visitor's or document's text is a <bdi>."""
    from html import escape

    from docqa.server.questions.store import QuestionStore
    from tests.test_question_log import answer

    url = f"sqlite:///{tmp_path / 'q.db'}"
    store = QuestionStore.open(url)
    spoof = "parking prices \u202e"  # without isolation " (12)" after it shows as ")21( "
    rows = [answer(n, answered=False, question=spoof if n % 2 else "Parking prices \u202e?") for n in range(24)]
    rows.append(answer(99, answered=True, question="museum?", answer="It opens at \u202enine"))
    store.insert(rows)
    store.rate(rows[-1].answer_id, helpful=False, comment="wrong \u202eanswer")
    store.close()
    with _client(tiny_index, fake_embedder, admin_token=TOKEN, database_url=url) as c:
        html = c.get("/admin", headers={"Authorization": f"Bearer {TOKEN}"}).text
    for text in (spoof, "It opens at \u202enine", "wrong \u202eanswer", "museum?"):
        shown = escape(text, quote=False)
        assert shown in html, text
        assert html.count(shown) == html.count(f"<bdi>{shown}</bdi>"), text


def test_csv_export_quotes_carriage_returns_so_no_row_or_formula_is_injected():
    """A question holding a bare CR: spreadsheets end a row at an unquoted CR, so the rest would start a
    new row and its first cell would run as a formula (the apostrophe guards only the cell's start)."""
    import csv
    import io

    from docqa.server.questions.export import Table, csv_lines

    hostile = ["What?\r=cmd|' /C calc'!A0", 'a\r=HYPERLINK("http://evil.example","click")', "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "fine\nline"]
    table = Table("questions", ("question", "comment"), [{"question": q, "comment": q} for q in hostile])
    text = "".join(csv_lines(table))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(hostile), rows
    for row in rows[1:]:
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    assert [row[0].lstrip("'") for row in rows[1:]] == hostile  # nothing lost but the guard's apostrophe


def test_invisible_characters_do_not_split_a_question_in_the_report(tmp_path):
    """Zero-width spaces, soft hyphens (pasted from web pages), direction marks: the same question to staff."""
    from docqa.server.questions.report import build_report
    from docqa.server.questions.store import QuestionStore
    from tests.test_question_log import answer

    store = QuestionStore.open(f"sqlite:///{tmp_path / 'q.db'}")
    wordings = ["opening hours?", "opening \u200bhours?", "open\u00ading hours?", "\u200fopening hours\u202e?", "opening\u2060 hours"]
    store.insert([answer(n, answered=False, question=q) for n, q in enumerate(wordings)])
    report = build_report(store, days=7, embedder=None)
    store.close()
    assert [q.count for q in report.frequent] == [len(wordings)]
    assert report.unanswered_distinct == 1
