"""The question log's database URL, checked without importing SQLAlchemy (the server starts faster; the
writer thread connects later): which database it names, shown without its password."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

from docqa.errors import InvalidInput

SQLITE_FILE = "questions.sqlite3"
POSTGRES_SCHEMES = ("postgresql", "postgres")


def default_url(index_dir: Path) -> str:
    """The SQLite file beside the index versions."""
    return f"sqlite:///{(index_dir / SQLITE_FILE).resolve()}"


def backend(url: str) -> str:
    """"sqlite" or "postgresql"; `InvalidInput` for anything else, a malformed URL, or PostgreSQL without its driver."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise InvalidInput(f"DOCQA_DATABASE_URL is not a database URL: {shown(url)}") from None
    scheme = parts.scheme.split("+")[0].lower()
    if not scheme or "://" not in url:
        raise InvalidInput(f"DOCQA_DATABASE_URL is not a database URL: {shown(url)}")
    if scheme in POSTGRES_SCHEMES:
        if importlib.util.find_spec("psycopg") is None:
            raise InvalidInput("DOCQA_DATABASE_URL names PostgreSQL: install its driver with pip install 'docqa[postgres]'")
        return "postgresql"
    if scheme != "sqlite":
        raise InvalidInput(f"DOCQA_DATABASE_URL must be postgresql://... or sqlite:///..., not {scheme}://")
    return "sqlite"


def shown(url: str) -> str:
    """`url` without its password, for messages and logs."""
    try:
        parts = urlsplit(url.strip())
        if parts.password is None:
            return url.strip()
        netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
        return parts._replace(netloc=netloc).geturl()
    except ValueError:
        return "(an unreadable database URL)"
