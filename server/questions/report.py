"""The staff report's figures, read from the question log in one pass over the window.

Per day: questions, answered, p50/p95 latency; the most frequent questions; unanswered questions
grouped by meaning (grouping.py); answers rated unhelpful, with comments; counts per origin.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import String, cast, select

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
    """The report over the last `days` days; unanswered questions are grouped by meaning when `embedder` is given.

    One scan reads the window's narrow columns (a covering index on SQLite) and numpy aggregates them, so
    the cost is one pass over the window's rows; the texts shown are then read by primary key.
    """
    since = (now or utc_now()) - timedelta(days=days)
    q = questions.c
    with store.engine.connect() as connection:
        result = connection.execute(
            select(q.id, cast(q.day, String), q.answered, q.latency_ms, q.question_hash, q.helpful, q.origin).where(q.asked_at >= since)
        )
        # The driver's rows as they are (plain tuples of numbers and strings): building 100k SQLAlchemy Row
        # objects would cost more than the scan itself.
        window = _Window.of(result.cursor.fetchall())
        result.close()
        frequent = window.top(TOP_QUESTIONS)
        unanswered = window.top(GROUPED_QUESTIONS, unanswered=True)
        wanted = [row_id for _, _, _, row_id in frequent + unanswered]
        texts = dict(connection.execute(select(q.id, q.question).where(q.id.in_(wanted))).all()) if wanted else {}
        unhelpful = connection.execute(
            select(q.asked_at, q.question, q.answer, q.answered, q.comment, q.doc_ids)
            .where(q.helpful.is_(False), q.asked_at >= since)
            .order_by(q.rated_at.desc())
            .limit(UNHELPFUL_SHOWN)
        ).all()
    items = [QuestionCount(hash=h, question=texts[row_id], count=n) for h, n, _, row_id in unanswered]
    groups = group_by_meaning(items, store=store, embedder=embedder) if embedder is not None else [UnansweredGroup((i,)) for i in items]
    return Report(
        since=since,
        days=days,
        asked=window.size,
        answered=int(window.answered.sum()),
        rated_helpful=int((window.helpful == 1).sum()),
        rated_unhelpful=int((window.helpful == 0).sum()),
        daily=window.daily(),
        frequent=tuple(QuestionCount(hash=h, question=texts[row_id], count=n, answered=a) for h, n, a, row_id in frequent),
        unanswered_groups=tuple(groups),
        unanswered_distinct=window.distinct(unanswered=True),
        grouped_by_meaning=embedder is not None,
        unhelpful=tuple(RatedAnswer(r[0], r[1], r[2], bool(r[3]), r[4], tuple(json.loads(r[5] or "[]"))) for r in unhelpful),
        origins=window.origins(),
    )


@dataclass(frozen=True)
class _Window:
    """The window's questions as columns (numpy arrays), and the aggregates the report draws from them."""

    ids: np.ndarray
    days: np.ndarray  # "YYYY-MM-DD" strings
    answered: np.ndarray
    latency_ms: np.ndarray
    hashes: np.ndarray
    helpful: np.ndarray  # 1.0 helpful, 0.0 unhelpful, NaN not rated
    origin: list

    @classmethod
    def of(cls, rows: list) -> "_Window":
        columns = list(zip(*rows)) if rows else [()] * 7
        return cls(
            ids=np.asarray(columns[0], dtype=np.int64),
            days=np.asarray(columns[1], dtype="U10"),
            answered=np.asarray(columns[2], dtype=bool),
            latency_ms=np.asarray(columns[3], dtype=np.float64),
            hashes=np.asarray(columns[4], dtype=np.int64),
            helpful=np.asarray(columns[5], dtype=np.float64),  # None → NaN
            origin=list(columns[6]),
        )

    @property
    def size(self) -> int:
        return len(self.ids)

    def daily(self) -> tuple[DayFigures, ...]:
        if not self.size:
            return ()
        labels, inverse = np.unique(self.days, return_inverse=True)
        order = np.lexsort((self.latency_ms, inverse))  # by day, then latency
        bounds = np.searchsorted(inverse[order], np.arange(len(labels) + 1))
        answered = np.bincount(inverse, weights=self.answered, minlength=len(labels))
        out = []
        for n, label in enumerate(labels):
            latencies = self.latency_ms[order[bounds[n] : bounds[n + 1]]]
            p50, p95 = np.percentile(latencies, [50, 95])
            out.append(DayFigures(day=date.fromisoformat(str(label)), asked=len(latencies), answered=int(answered[n]), p50_ms=float(p50), p95_ms=float(p95)))
        return tuple(out)

    def top(self, limit: int, *, unanswered: bool = False) -> list[tuple[int, int, int, int]]:
        """The most asked distinct questions: (hash, times asked, times answered, id of its latest row)."""
        mask = ~self.answered if unanswered else slice(None)
        hashes, ids, answered = self.hashes[mask], self.ids[mask], self.answered[mask]
        if not len(hashes):
            return []
        keys, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
        latest = np.zeros(len(keys), dtype=np.int64)
        np.maximum.at(latest, inverse, ids)
        yes = np.bincount(inverse, weights=answered, minlength=len(keys))
        chosen = np.lexsort((-latest, -counts))[:limit]  # most asked first, then most recently asked
        return [(int(keys[i]), int(counts[i]), int(yes[i]), int(latest[i])) for i in chosen]

    def distinct(self, *, unanswered: bool = False) -> int:
        return len(np.unique(self.hashes[~self.answered] if unanswered else self.hashes))

    def origins(self) -> tuple[tuple[str | None, int], ...]:
        return tuple(Counter(self.origin).most_common())
