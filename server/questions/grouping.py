"""Unanswered questions grouped by meaning: near-duplicates ("when does it start" / "start date?") together.

Each distinct question is embedded once with the served model (one of its wordings); the vectors are kept
in the log's `question_vectors` table, so the report embeds only questions it has not seen before. Grouping is greedy
and deterministic: questions in order of frequency; each joins the first group whose leading question is
at least `threshold` similar (cosine), else it leads a new group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError

from docqa.server.questions.schema import question_vectors
from docqa.server.questions.store import QuestionStore

if TYPE_CHECKING:
    from docqa.index.embedding.embedder import Embedder
    from docqa.server.questions.record import LoggedAnswer

EMBED_CALL = 16
"""Questions embedded per call (see question_vectors_for)."""

SIMILARITY = 0.8
"""all-MiniLM-L6-v2 cosine above which two questions count as the same question reworded."""


@dataclass(frozen=True)
class QuestionCount:
    """A distinct question (`hash`: of its folded form, store.question_hash), one of its wordings, and how often it was asked."""

    hash: int
    question: str
    count: int
    answered: int = 0


@dataclass(frozen=True)
class UnansweredGroup:
    """Questions that mean the same; the first is the most frequent."""

    members: tuple[QuestionCount, ...]

    @property
    def count(self) -> int:
        return sum(m.count for m in self.members)

    @property
    def label(self) -> str:
        return self.members[0].question


def group_by_meaning(
    items: Sequence[QuestionCount], *, store: QuestionStore, embedder: "Embedder", threshold: float = SIMILARITY
) -> list[UnansweredGroup]:
    """`items` (most frequent first) grouped; groups ordered by their total count."""
    if not items:
        return []
    vectors = question_vectors_for(items, store=store, embedder=embedder)
    similarity = vectors @ vectors.T
    leaders: list[int] = []
    members: list[list[int]] = []
    for row in range(len(items)):
        if leaders:
            to_leaders = similarity[row, leaders]
            best = int(np.argmax(to_leaders))
            if to_leaders[best] >= threshold:
                members[best].append(row)
                continue
        leaders.append(row)
        members.append([row])
    groups = [UnansweredGroup(tuple(items[r] for r in rows)) for rows in members]
    return sorted(groups, key=lambda g: -g.count)


def cache_unanswered(batch: Sequence["LoggedAnswer"], *, store: QuestionStore, embedder: "Embedder") -> None:
    """Embed and cache the declined questions of a just-written batch (the log's writer thread calls this),
    so the report finds their vectors in the database instead of embedding them while staff wait."""
    from docqa.server.questions.record import question_hash, question_key

    declined = {question_hash(question_key(a.question)): a.question for a in batch if not a.answered}
    if declined:
        question_vectors_for([QuestionCount(h, q, 1) for h, q in declined.items()], store=store, embedder=embedder)


def question_vectors_for(items: Sequence[QuestionCount], *, store: QuestionStore, embedder: "Embedder") -> np.ndarray:
    """L2-normalised float32 vectors of the questions, from the cache table, embedding (and caching) the missing ones."""
    table = question_vectors.c
    found: dict[int, np.ndarray] = {}
    hashes = [i.hash for i in items]
    with store.for_request() as connection:
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            rows = connection.execute(select(table.question_hash, table.vector).where(table.model == embedder.name, table.question_hash.in_(chunk)))
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    missing = [i for i in items if i.hash not in found]
    if missing:
        # In batches of a few questions, as the server embeds concurrent visitors' questions: a bulk call would
        # switch a split embedder to its ingest backend (torch, where installed), loading it into the server
        # (~10 s), and one run per text would take many GIL turns from the answering.
        from docqa.index.embedding.query_batcher import embed_together

        texts = [i.question for i in missing]
        fresh = np.concatenate([np.asarray(embed_together(embedder, texts[n : n + EMBED_CALL]), dtype=np.float32) for n in range(0, len(texts), EMBED_CALL)])
        fresh /= np.maximum(np.linalg.norm(fresh, axis=1, keepdims=True), 1e-12)
        rows = [{"model": embedder.name, "question_hash": i.hash, "vector": v.astype(np.float16).tobytes()} for i, v in zip(missing, fresh)]
        try:
            with store.engine.begin() as connection:
                connection.execute(insert(question_vectors), rows)
        except SQLAlchemyError:  # another worker cached them first, or the database is read-only: still usable
            pass
        for i, v in zip(missing, fresh):
            found[i.hash] = v
    return np.stack([found[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim), dtype=np.float32)
