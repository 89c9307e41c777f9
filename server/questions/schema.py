"""The question log's tables (SQLAlchemy Core). Migrations (migrations/versions/) create and change them;
this module is what the code reads and writes, and a test checks that both agree.

Times are naive UTC (`asked_at`, `rated_at`) on both databases; `day` is the UTC date, kept as its
own column so that per-day figures are one portable GROUP BY.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Float, Index, Integer, LargeBinary, MetaData, SmallInteger, String, Table, Text

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
    Index("ix_questions_asked_at", "asked_at"),
    Index("ix_questions_rated_at", "rated_at"),
)

# Per-day counts the report reads instead of the questions themselves (rollups.py), written in the same
# transaction as the questions they count: its cost follows days × distinct questions, not questions.
question_days = Table(
    "question_days",
    metadata,
    Column("day", Date(), primary_key=True),
    Column("question_hash", BigInteger(), primary_key=True),
    Column("answered", Boolean(), primary_key=True),
    Column("asked", Integer(), nullable=False),
    Column("question", Text(), nullable=False),  # one of its wordings (the latest written)
)
latency_days = Table(
    "latency_days",
    metadata,
    Column("day", Date(), primary_key=True),
    Column("answered", Boolean(), primary_key=True),
    Column("bucket", SmallInteger(), primary_key=True),  # round(log(latency_ms) / log(1.05)): 5% wide
    Column("asked", Integer(), nullable=False),
)
origin_days = Table(
    "origin_days",
    metadata,
    Column("day", Date(), primary_key=True),
    Column("origin", String(MAX_ORIGIN_CHARS), primary_key=True),  # "" for none
    Column("asked", Integer(), nullable=False),
)

question_vectors = Table(
    "question_vectors",
    metadata,
    # Embeddings of logged question texts, made once when the report first groups them.
    Column("model", String(200), primary_key=True),
    Column("question_hash", BigInteger(), primary_key=True),  # questions.question_hash
    Column("vector", LargeBinary(), nullable=False),  # float16, L2-normalised
)
