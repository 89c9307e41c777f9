"""The question log's tables (SQLAlchemy Core). Migrations (migrations/versions/) create and change them;
this module is what the code reads and writes, and a test checks that both agree.

Times are naive UTC (`asked_at`, `rated_at`) on both databases; `day` is the UTC date, kept as its
own column so that per-day figures are one portable GROUP BY.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Float, Index, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

from docqa.server.questions.record import MAX_CONVERSATION_CHARS, MAX_ORIGIN_CHARS

ANSWER_ID_CHARS = 32

questions = Table(
    "questions",
    metadata,
    # BIGINT on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY.
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("answer_id", String(ANSWER_ID_CHARS), nullable=False, unique=True),
    Column("asked_at", DateTime(), nullable=False),
    Column("day", Date(), nullable=False),
    Column("question", Text(), nullable=False),
    Column("question_key", Text(), nullable=False),  # folded: what "the same question" groups by
    Column("question_hash", BigInteger(), nullable=False),  # 63 bits of sha256(question_key): the report groups by it
    Column("query", Text(), nullable=False),  # as searched (glossed, completed from the conversation)
    Column("language", String(8), nullable=False),
    Column("answered", Boolean(), nullable=False),
    Column("confidence", Float(), nullable=False),
    Column("answer", Text(), nullable=False),
    Column("short_answer", Text()),
    Column("doc_ids", Text(), nullable=False),  # JSON list of the cited documents' ids
    Column("index_version", String(64), nullable=False),
    Column("latency_ms", Float(), nullable=False),
    Column("origin", String(MAX_ORIGIN_CHARS)),  # the page's Origin header (a widget's site, or this server's chat page)
    Column("conversation_id", String(MAX_CONVERSATION_CHARS)),
    Column("helpful", Boolean()),  # the visitor's thumbs up (true) / down (false), if any
    Column("comment", Text()),
    Column("rated_at", DateTime()),
    # The report reads every question of its window from this index alone (SQLite: a covering index scan).
    Index("ix_questions_report", "asked_at", "day", "answered", "latency_ms", "question_hash", "helpful", "origin"),
    Index("ix_questions_rated_at", "rated_at"),
)

question_vectors = Table(
    "question_vectors",
    metadata,
    # Embeddings of logged question texts, made once when the report first groups them.
    Column("model", String(200), primary_key=True),
    Column("question_hash", BigInteger(), primary_key=True),  # questions.question_hash
    Column("vector", LargeBinary(), nullable=False),  # float16, L2-normalised
)
