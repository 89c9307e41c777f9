"""The question log: what visitors asked, what they were answered, and how they rated it.

    schema.py    the tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL
    database.py  DOCQA_DATABASE_URL → an engine (SQLite in WAL mode, or PostgreSQL via psycopg 3); Alembic migrations
    store.py     QuestionStore: batched inserts, ratings, purge, export rows
    log.py       QuestionLog: records answers off the request path (a bounded queue, one writer thread)
    report.py    the staff report's figures; grouping.py near-duplicate unanswered questions; charts.py SVG charts
    export.py    CSV, JSONL and `docqa eval` items
"""
