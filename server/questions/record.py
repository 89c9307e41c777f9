"""One logged answer (`LoggedAnswer`), as the request path builds it: no database import here."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

MAX_ORIGIN_CHARS = 200
MAX_CONVERSATION_CHARS = 64
MAX_COMMENT_CHARS = 1000


def utc_now() -> datetime:
    """Now, as the log stores times: naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def question_key(question: str) -> str:
    """What makes two questions "the same" in the report: case, accents, spacing, end punctuation and
    invisible format characters (zero-width spaces, soft hyphens, direction marks: category Cf) ignored."""
    text = unicodedata.normalize("NFKD", question.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", " ", text).strip().rstrip("?!.…;: ").strip()


def question_hash(key: str) -> int:
    """63 bits of sha256(`key`): a compact, portable (BIGINT) id of a distinct question."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") >> 1


@dataclass(frozen=True, slots=True)
class LoggedAnswer:
    """One `/api/ask` as the log keeps it (no IP address, no cookie, no user agent)."""

    answer_id: str
    asked_at: datetime
    question: str
    query: str
    language: str
    answered: bool
    confidence: float
    answer: str
    short_answer: str | None
    doc_ids: tuple[str, ...]
    index_version: str
    latency_ms: float
    origin: str | None = None
    conversation_id: str | None = None

    def row(self) -> dict[str, Any]:
        key = question_key(self.question)
        return {
            "answer_id": self.answer_id,
            "asked_at": self.asked_at,
            "day": self.asked_at.date(),
            "question": self.question,
            "question_key": key,
            "question_hash": question_hash(key),
            "query": self.query,
            "language": self.language[:8],
            "answered": self.answered,
            "confidence": float(self.confidence),
            "answer": self.answer,
            "short_answer": self.short_answer,
            "doc_ids": json.dumps(list(self.doc_ids), ensure_ascii=False),
            "index_version": self.index_version[:64],
            "latency_ms": float(self.latency_ms),
            "origin": self.origin[:MAX_ORIGIN_CHARS] if self.origin else None,
            "conversation_id": self.conversation_id[:MAX_CONVERSATION_CHARS] if self.conversation_id else None,
        }


