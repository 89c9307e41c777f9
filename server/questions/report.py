"""The staff report's figures, read from the question log's per-day rollups (rollups.py).

Per day: questions, answered, p50/p95 latency; the most frequent questions; unanswered questions
grouped by meaning (grouping.py); answers rated unhelpful, with comments; counts per origin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, select

from docqa.server.questions.grouping import QuestionCount, UnansweredGroup, group_by_meaning
from docqa.server.questions.rollups import bucket_ms
from docqa.server.questions.schema import latency_days, origin_days, question_days, questions
from docqa.server.questions.store import QuestionStore, utc_now

if TYPE_CHECKING:
    from docqa.index.embedding.embedder import Embedder

TOP_QUESTIONS = 20
GROUPED_QUESTIONS = 300
"""The most frequent distinct unanswered questions that are grouped by meaning (the rest are counted)."""
UNHELPFUL_SHOWN = 100


@dataclass(frozen=True)
class DayFigures:
    day: date
    asked: int
    answered: int
    p50_ms: float
    p95_ms: float

    @property
    def declined(self) -> int:
        return self.asked - self.answered

    @property
    def answer_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class RatedAnswer:
    asked_at: datetime
    question: str
    answer: str
    answered: bool
    comment: str | None
    doc_ids: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Everything the admin page shows, for the questions asked since `since`."""

    since: datetime
    days: int
    asked: int
    answered: int
    rated_helpful: int
    rated_unhelpful: int
    daily: tuple[DayFigures, ...]
    frequent: tuple[QuestionCount, ...]
    unanswered_groups: tuple[UnansweredGroup, ...]
    unanswered_distinct: int
    grouped_by_meaning: bool
    unhelpful: tuple[RatedAnswer, ...]
    origins: tuple[tuple[str | None, int], ...]

    @property
    def answer_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


def window_start(days: int, *, now: datetime | None = None) -> datetime:
    """The start of the report's window: midnight UTC `days - 1` days ago (so the window holds `days` whole days)."""
    return datetime.combine((now or utc_now()).date() - timedelta(days=days - 1), time.min)


def build_report(store: QuestionStore, *, days: int = 30, embedder: "Embedder | None" = None, now: datetime | None = None) -> Report:
    """The report over the last `days` days, today included (UTC); unanswered questions are grouped by meaning
    when `embedder` is given. Counts come from the per-day rollups (rollups.py), not from the questions."""
    since = window_start(days, now=now)
    first = since.date()
    qd, ld, od, q = question_days.c, latency_days.c, origin_days.c, questions.c
    asked = func.sum(qd.asked)
    with store.for_request() as connection:
        histogram = connection.execute(select(ld.day, ld.answered, ld.bucket, ld.asked).where(ld.day >= first)).all()
        origins = connection.execute(select(od.origin, func.sum(od.asked)).where(od.day >= first).group_by(od.origin)).all()
        frequent = connection.execute(
            select(qd.question_hash, asked, func.sum(case((qd.answered, qd.asked), else_=0)), func.max(qd.question))
            .where(qd.day >= first)
            .group_by(qd.question_hash)
            .order_by(asked.desc(), qd.question_hash)
            .limit(TOP_QUESTIONS)
        ).all()
        unanswered_in_window = and_(qd.day >= first, qd.answered.is_(False))
        unanswered = connection.execute(
            select(qd.question_hash, asked, func.max(qd.question))
            .where(unanswered_in_window)
            .group_by(qd.question_hash)
            .order_by(asked.desc(), qd.question_hash)
            .limit(GROUPED_QUESTIONS)
        ).all()
        unanswered_distinct = connection.execute(select(func.count(func.distinct(qd.question_hash))).where(unanswered_in_window)).scalar_one()
        # Ratings made in the window (they follow their answers within minutes): read through the rated_at index.
        rated = dict(connection.execute(select(q.helpful, func.count()).where(q.rated_at >= since).group_by(q.helpful)).all())
        unhelpful = connection.execute(
            select(q.asked_at, q.question, q.answer, q.answered, q.comment, q.doc_ids)
            .where(q.rated_at >= since, q.helpful.is_(False))
            .order_by(q.rated_at.desc())
            .limit(UNHELPFUL_SHOWN)
        ).all()
    daily = _daily(histogram)
    items = [QuestionCount(hash=h, question=text, count=int(n)) for h, n, text in unanswered]
    groups = group_by_meaning(items, store=store, embedder=embedder) if embedder is not None else [UnansweredGroup((i,)) for i in items]
    return Report(
        since=since,
        days=days,
        asked=sum(d.asked for d in daily),
        answered=sum(d.answered for d in daily),
        rated_helpful=rated.get(True, 0),
        rated_unhelpful=rated.get(False, 0),
        daily=daily,
        frequent=tuple(QuestionCount(hash=h, question=text, count=int(n), answered=int(a or 0)) for h, n, a, text in frequent),
        unanswered_groups=tuple(groups),
        unanswered_distinct=unanswered_distinct,
        grouped_by_meaning=embedder is not None,
        unhelpful=tuple(RatedAnswer(r[0], r[1], r[2], bool(r[3]), r[4], tuple(json.loads(r[5] or "[]"))) for r in unhelpful),
        origins=tuple(sorted(((o or None, int(n)) for o, n in origins), key=lambda item: -item[1])),
    )


def _daily(histogram) -> tuple[DayFigures, ...]:
    """Per-day counts and p50/p95 latency (to the 5% bucket) from the latency histograms."""
    by_day: dict[date, list] = {}
    for day, answered, bucket, n in histogram:
        by_day.setdefault(day, []).append((bucket, n, answered))
    out = []
    for day in sorted(by_day):
        rows = sorted(by_day[day])  # by bucket: the cumulative count finds the percentile
        total = sum(n for _, n, _ in rows)
        out.append(
            DayFigures(
                day=day,
                asked=total,
                answered=sum(n for _, n, a in rows if a),
                p50_ms=_percentile(rows, total, 0.50),
                p95_ms=_percentile(rows, total, 0.95),
            )
        )
    return tuple(out)


def _percentile(rows: list, total: int, share: float) -> float:
    """The latency below which `share` of the day's questions fall (the bucket's value), from sorted (bucket, n, _)."""
    target, seen = share * total, 0
    for bucket, n, _ in rows:
        seen += n
        if seen >= target:
            return bucket_ms(bucket)
    return bucket_ms(rows[-1][0])
