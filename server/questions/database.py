"""Where the question log lives: a database URL → a SQLAlchemy engine, migrated to the current schema.

SQLite (the default: `questions.sqlite3` in the index directory) runs in WAL mode, so the report and
`docqa questions` read while a server writes, and several worker processes of one machine share
the file. PostgreSQL (`postgresql://...`, driver psycopg 3 from the `postgres` extra) lets several
machines share one log. Both go through the same code: SQLAlchemy Core, and Alembic migrations
(migrations/versions/) applied by `upgrade` under a lock, so workers starting together migrate once.
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from docqa.errors import DocqaError
from docqa.server.questions import urls

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 5
_ADVISORY_LOCK = 0x64_6F_63_71_61  # "docqa": PostgreSQL's lock key for migrations


class SchemaTooNew(DocqaError):
    """The database was migrated by a newer docqa than this one."""


def normalise(url: str) -> str:
    """The SQLAlchemy URL docqa connects with: `postgresql://` and `postgres://` use psycopg 3.

    Raises `InvalidInput` for anything but SQLite and PostgreSQL, or PostgreSQL without its driver.
    """
    kind = urls.backend(url)
    parsed = make_url(url.strip())
    if kind == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def connect(url: str) -> Engine:
    """An engine for `url` (see `normalise`); SQLite files get WAL mode and a busy timeout."""
    url = normalise(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


_WAL_ATTEMPTS = 20


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    # WAL is kept in the file: a connection switches it once. Two connections switching a new file at the same moment
    # deadlock (each holds a shared lock and wants an exclusive one) and SQLite answers one "database is locked" at
    # once, without waiting: that one tries again (a server and `docqa questions` opening a new log together).
    for attempt in range(_WAL_ATTEMPTS):
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt + 1 == _WAL_ATTEMPTS:
                raise
            time.sleep(0.01 * (attempt + 1))
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at each checkpoint, never corrupt
    cursor.close()


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration this docqa ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def existing_revision(url: str) -> str | None:
    """The revision of the log at `url` (None: it holds no log: an empty file, another application's database),
    read without writing anything: a SQLite file is opened read-only, with no journal-mode change.

    Raises SQLAlchemy's errors when the database cannot be read (no database at all, unreachable)."""
    url = normalise(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            return None
        read_only = f"file:{quote(str(Path(parsed.database).resolve()))}?mode=ro"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(read_only, uri=True, timeout=BUSY_TIMEOUT_S))
    else:
        engine = connect(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def check_revision(found: str | None) -> None:
    """Raise `SchemaTooNew` when `found` is a revision this docqa does not know (a newer docqa migrated it)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    if found is not None and found not in {s.revision for s in script.walk_revisions()}:
        raise SchemaTooNew(f"the question log database is at schema {found}, newer than this docqa knows ({script.get_current_head()}); upgrade docqa")


@contextlib.contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """SQLite: one process of this machine migrates at a time (held until its transaction has committed)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def upgrade(engine: Engine) -> str:
    """Bring the database to the newest schema (a no-op when it is there); returns the revision.

    Raises `SchemaTooNew` when a newer docqa has migrated it further than this one knows.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    found = current_revision(engine)
    if found == head:
        return head
    check_revision(found)
    with _file_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # every machine sharing the database: held until commit
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head
