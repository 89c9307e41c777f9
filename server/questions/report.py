"""The staff report's figures, read from the question log with a few aggregate queries.

Per day: questions, answered, p50/p95 latency; the most frequent questions; unanswered questions
grouped by meaning (grouping.py); answers rated unhelpful, with comments; counts per origin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import and_, case, func, select

from docqa.server.questions.grouping import QuestionCount, UnansweredGroup, group_by_meaning
from docqa.server.questions.schema import questions
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


def build_report(store: QuestionStore, *, days: int = 30, embedder: "Embedder | None" = None, now: datetime | None = None) -> Report:
    """The report over the last `days` days; unanswered questions are grouped by meaning when `embedder` is given."""
    since = (now or utc_now()) - timedelta(days=days)
    q = questions.c
    recent = q.asked_at >= since
    answered_count = func.sum(case((q.answered, 1), else_=0))
    with store.engine.connect() as connection:
        per_day = connection.execute(
            select(q.day, func.count(), answered_count).where(recent).group_by(q.day).order_by(q.day)
        ).all()
        latencies = connection.execute(select(q.day, q.latency_ms).where(recent)).all()
        rated = dict(connection.execute(select(q.helpful, func.count()).where(recent, q.helpful.is_not(None)).group_by(q.helpful)).all())
        frequent = connection.execute(
            select(func.min(q.question), func.count().label("n"), answered_count)
            .where(recent)
            .group_by(q.question_key)
            .order_by(func.count().desc(), func.min(q.question))
            .limit(TOP_QUESTIONS)
        ).all()
        unanswered_where = and_(recent, q.answered.is_(False))
        unanswered = connection.execute(
            select(q.question_key, func.min(q.question), func.count())
            .where(unanswered_where)
            .group_by(q.question_key)
            .order_by(func.count().desc(), q.question_key)
            .limit(GROUPED_QUESTIONS)
        ).all()
        unanswered_distinct = connection.execute(select(func.count(func.distinct(q.question_key))).where(unanswered_where)).scalar_one()
        unhelpful = connection.execute(
            select(q.asked_at, q.question, q.answer, q.answered, q.comment, q.doc_ids)
            .where(recent, q.helpful.is_(False))
            .order_by(q.rated_at.desc())
            .limit(UNHELPFUL_SHOWN)
        ).all()
        origins = connection.execute(select(q.origin, func.count()).where(recent).group_by(q.origin).order_by(func.count().desc())).all()
    daily = _daily(per_day, latencies)
    items = [QuestionCount(key=key, question=text, count=n) for key, text, n in unanswered]
    groups = group_by_meaning(items, store=store, embedder=embedder) if embedder is not None else [UnansweredGroup((i,)) for i in items]
    return Report(
        since=since,
        days=days,
        asked=sum(d.asked for d in daily),
        answered=sum(d.answered for d in daily),
        rated_helpful=rated.get(True, 0),
        rated_unhelpful=rated.get(False, 0),
        daily=daily,
        frequent=tuple(QuestionCount(key="", question=text, count=n, answered=int(a or 0)) for text, n, a in frequent),
        unanswered_groups=tuple(groups),
        unanswered_distinct=unanswered_distinct,
        grouped_by_meaning=embedder is not None,
        unhelpful=tuple(RatedAnswer(r[0], r[1], r[2], bool(r[3]), r[4], tuple(json.loads(r[5] or "[]"))) for r in unhelpful),
        origins=tuple((origin, n) for origin, n in origins),
    )


def _daily(per_day, latencies) -> tuple[DayFigures, ...]:
    by_day: dict[date, list[float]] = {}
    for day, latency in latencies:
        by_day.setdefault(day, []).append(latency)
    out = []
    for day, asked, answered in per_day:
        values = np.asarray(by_day.get(day, [0.0]))
        p50, p95 = np.percentile(values, [50, 95])
        out.append(DayFigures(day=day, asked=asked, answered=int(answered or 0), p50_ms=float(p50), p95_ms=float(p95)))
    return tuple(out)
