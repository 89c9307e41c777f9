"""The question log, its per-day rollups for the report, and the report's cache of question embeddings.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("answer_id", sa.String(32), nullable=False, unique=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("question_key", sa.Text(), nullable=False),
        sa.Column("question_hash", sa.BigInteger(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("short_answer", sa.Text()),
        sa.Column("doc_ids", sa.Text(), nullable=False),
        sa.Column("index_version", sa.String(64), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("origin", sa.String(200)),
        sa.Column("conversation_id", sa.String(64)),
        sa.Column("helpful", sa.Boolean()),
        sa.Column("comment", sa.Text()),
        sa.Column("rated_at", sa.DateTime()),
    )
    op.create_index("ix_questions_asked_at", "questions", ["asked_at"])
    op.create_index("ix_questions_rated_at", "questions", ["rated_at"])
    op.create_table(
        "question_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("question_hash", sa.BigInteger(), primary_key=True),
        sa.Column("answered", sa.Boolean(), primary_key=True),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
    )
    op.create_table(
        "latency_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("answered", sa.Boolean(), primary_key=True),
        sa.Column("bucket", sa.SmallInteger(), primary_key=True),
        sa.Column("asked", sa.Integer(), nullable=False),
    )
    op.create_table(
        "origin_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("origin", sa.String(200), primary_key=True),
        sa.Column("asked", sa.Integer(), nullable=False),
    )
    op.create_table(
        "question_vectors",
        sa.Column("model", sa.String(200), primary_key=True),
        sa.Column("question_hash", sa.BigInteger(), primary_key=True),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("origin_days")
    op.drop_table("latency_days")
    op.drop_table("question_days")
    op.drop_table("question_vectors")
    op.drop_index("ix_questions_rated_at", "questions")
    op.drop_index("ix_questions_asked_at", "questions")
    op.drop_table("questions")
