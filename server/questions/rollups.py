"""Per-day rollups of the question log (schema.py: question_days, latency_days, origin_days).

The writer adds each batch's counts in the transaction that inserts the batch (an upsert that adds to the
existing counts, keys sorted so concurrent writers on PostgreSQL lock rows in one order); a purge deletes
whole days, and takes the rows it deletes of the day it cuts away from that day's counts. The report then
reads per-day counts and 5%-wide latency histograms, so its cost follows days × distinct questions rather
than the number of questions.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any, Iterable

from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite

from docqa.server.questions.schema import latency_days, origin_days, question_days

BUCKET_BASE = 1.05


def latency_bucket(latency_ms: float) -> int:
    """The histogram bucket of a latency: 5% wide, from 0.01 ms."""
    return round(math.log(max(latency_ms, 0.01)) / math.log(BUCKET_BASE))


def bucket_ms(bucket: int) -> float:
    return BUCKET_BASE**bucket


def _counts(rows: Iterable[dict[str, Any]]) -> tuple[list[dict], list[dict], list[dict]]:
    """A batch of question rows (schema.questions columns) → rows to add to each rollup table."""
    asked: Counter = Counter()
    wording: dict[tuple, str] = {}
    latency: Counter = Counter()
    origins: Counter = Counter()
    for row in rows:
        key = (row["day"], row["question_hash"], row["answered"])
        asked[key] += 1
        wording[key] = row["question"]
        latency[(row["day"], row["answered"], latency_bucket(row["latency_ms"]))] += 1
        origins[(row["day"], row["origin"] or "")] += 1
    return (
        [{"day": d, "question_hash": h, "answered": a, "asked": n, "question": wording[(d, h, a)]} for (d, h, a), n in sorted(asked.items())],
        [{"day": d, "answered": a, "bucket": b, "asked": n} for (d, a, b), n in sorted(latency.items())],
        [{"day": d, "origin": o, "asked": n} for (d, o), n in sorted(origins.items())],
    )


def add(connection: Connection, rows: list[dict[str, Any]], *, sign: int = 1) -> None:
    """Add the counts of `rows` (just inserted into questions, same transaction) to the rollups; with `sign=-1`,
    take away the counts of rows deleted (their wording left as it is)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for table, values in zip((question_days, latency_days, origin_days), _counts(rows)):
        if not values:
            continue
        if sign != 1:
            values = [{**v, "asked": sign * v["asked"]} for v in values]
        statement = dialect.insert(table).values(values)
        update = {"asked": table.c.asked + statement.excluded.asked}
        if table is question_days and sign == 1:
            update["question"] = statement.excluded.question
        keys = [c.name for c in table.primary_key.columns]
        connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=update))


def subtract(connection: Connection, rows: list[dict[str, Any]], day: date) -> None:
    """Take the counts of `rows` (questions of `day` just deleted) away from that day's rollups.

    Not a recount of the day from the rows left: the log's writer adds a batch's counts in a transaction after
    the batch's own, so a recount between the two counted the batch once and the writer then a second time.
    Taking away is right in either order (a count may be below zero until the writer's addition arrives)."""
    add(connection, rows, sign=-1)
    for table in (question_days, latency_days, origin_days):
        connection.execute(delete(table).where(table.c.day == day, table.c.asked == 0))


def drop_before(connection: Connection, day: date) -> None:
    """Forget the days before `day`."""
    for table in (question_days, latency_days, origin_days):
        connection.execute(delete(table).where(table.c.day < day))
