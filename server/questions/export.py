"""Lists of the question log as CSV or JSONL, and as question sets `docqa eval` reads.

CSV cells that a spreadsheet would run as a formula (a visitor's question starting with `=`, `+`,
`-`, `@`) get a leading apostrophe, as OWASP advises; JSONL keeps every text exactly as asked.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from docqa.server.questions.report import Report
from docqa.server.questions.store import EXPORT_COLUMNS, QuestionStore, Selection

FORMATS = ("csv", "jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A named list: its columns and rows (dicts)."""

    name: str
    columns: tuple[str, ...]
    rows: Iterable[dict[str, Any]]


def report_table(report: Report, name: str) -> Table:
    """One of the report's lists: daily, frequent, unanswered, unhelpful, origins. KeyError for another name."""
    if name == "daily":
        rows = (
            {"day": d.day.isoformat(), "asked": d.asked, "answered": d.answered, "answer_rate": round(d.answer_rate, 4),
             "p50_ms": round(d.p50_ms, 1), "p95_ms": round(d.p95_ms, 1)}
            for d in report.daily
        )  # fmt: skip
        return Table(name, ("day", "asked", "answered", "answer_rate", "p50_ms", "p95_ms"), rows)
    if name == "frequent":
        return Table(name, ("question", "count", "answered"), ({"question": q.question, "count": q.count, "answered": q.answered} for q in report.frequent))
    if name == "unanswered":
        rows = (
            {"group": n, "question": m.question, "count": m.count}
            for n, group in enumerate(report.unanswered_groups, start=1)
            for m in group.members
        )
        return Table(name, ("group", "question", "count"), rows)
    if name == "unhelpful":
        rows = (
            {"asked_at": r.asked_at.isoformat(timespec="seconds") + "Z", "question": r.question, "answer": r.answer,
             "answered": r.answered, "comment": r.comment, "doc_ids": list(r.doc_ids)}
            for r in report.unhelpful
        )  # fmt: skip
        return Table(name, ("asked_at", "question", "answer", "answered", "comment", "doc_ids"), rows)
    if name == "origins":
        return Table(name, ("origin", "count"), ({"origin": o, "count": n} for o, n in report.origins))
    raise KeyError(name)


REPORT_TABLES = ("daily", "frequent", "unanswered", "unhelpful", "origins")


def questions_table(store: QuestionStore, selection: Selection) -> Table:
    """Every logged answer selected, oldest first (all columns)."""
    return Table("questions", EXPORT_COLUMNS, store.rows(selection))


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV text, a line at a time (with a header line)."""
    buffer = io.StringIO()
    # CRLF line ends (RFC 4180): the writer then quotes every cell holding a CR or LF. With "\n" alone a bare CR
    # stayed unquoted, and spreadsheets end a row there: the rest of the cell became a new row (a formula).
    writer = csv.DictWriter(buffer, fieldnames=list(table.columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(table: Table) -> Iterator[str]:
    """The table as JSON Lines (one object a row, its columns only)."""
    for row in table.rows:
        yield json.dumps({k: row.get(k) for k in table.columns}, ensure_ascii=False) + "\n"


def lines(table: Table, fmt: str) -> Iterator[str]:
    """`table` in `fmt` (csv or jsonl)."""
    return csv_lines(table) if fmt == "csv" else jsonl_lines(table)


def eval_items(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """`docqa eval` items: a helpful answer becomes an answerable item (its short answer, else the answer,
    and its first cited document); an unanswered question becomes an item for staff to label (expected: a
    decline, until someone fills in `answer` and sets `answerable`). Other rows are left out; each distinct
    question once (its latest row)."""
    chosen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get("helpful") is True and row.get("answered"):
            item = {"question": row["question"], "answer": row.get("short_answer") or row["answer"],
                    "source": (row.get("doc_ids") or [None])[0], "answerable": True}  # fmt: skip
        elif not row.get("answered"):
            item = {"question": row["question"], "answerable": False, "to_label": True}
        else:
            continue
        item["logged_answer_id"] = row["answer_id"]
        chosen[row["question"].strip().casefold()] = item
    yield from chosen.values()


def eval_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for item in eval_items(rows):
        yield json.dumps(item, ensure_ascii=False) + "\n"
