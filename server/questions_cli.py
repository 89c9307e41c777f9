"""`docqa questions export|purge`: the question log for `docqa eval`, spreadsheets, and deleting it.

They find the database `docqa serve` writes given the same `--index` and DOCQA_* settings
(DOCQA_DATABASE_URL, else `questions.sqlite3` in the index directory). Errors are raised as docqa
exceptions; server/cli.py `main` turns them into messages and exit codes.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer

from docqa.config import Settings, load_settings
from docqa.errors import DocqaError, InvalidInput
from docqa.server.index_cli import nonempty_path

questions_app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None, help="The question log: export it (for docqa eval) or delete from it."
)  # plain-text help, as server/cli.py's
FORMATS = ("jsonl", "csv", "eval")
IndexOpt = typer.Option(None, "--index", parser=nonempty_path, metavar="<path>", help="Index directory [env DOCQA_INDEX]; the log is beside it unless DOCQA_DATABASE_URL is set")


def open_store(settings: Settings, *, read_only: bool = False):
    """The settings' question log; a clear error when there is none yet (no file, or a database without the log's
    tables: only `docqa serve` makes a log) or its database cannot be reached. `read_only` (export): the database
    is left exactly as it is, so a log written by an older docqa is refused rather than migrated."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from docqa.server import components
    from docqa.server.questions import database, urls
    from docqa.server.questions.store import QuestionStore

    url = database.normalise(components.question_database(settings))
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    where = parsed.database if sqlite else urls.shown(url)
    if sqlite and parsed.database and not Path(parsed.database).exists():
        raise DocqaError(f"No question log at {parsed.database} yet (docqa serve writes it; or set DOCQA_DATABASE_URL).")
    try:
        found = database.existing_revision(url)
        if found is None:
            raise DocqaError(f"No question log in {where}: the database holds none of its tables (docqa serve writes it; or set DOCQA_DATABASE_URL).")
        database.check_revision(found)
        current = found == database.head_revision()
        if read_only and not current:
            raise DocqaError(f"The question log in {where} was written by an older docqa; start docqa serve once to bring it up to date, then export.")
        return QuestionStore.open(url, migrate=not current)
    except SQLAlchemyError as exc:
        if sqlite:  # (a file that is no database, one that cannot be opened)
            raise DocqaError(f"Cannot read the question log {where}: {_reason(exc)}") from None
        raise DocqaError(f"Cannot reach the question log's database ({urls.shown(url)}): {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@contextmanager
def _database_failures(store) -> Iterator[None]:
    """The database failing during a command (locked by a writer, gone, timed out) → a message, not a traceback.
    A purge is one transaction: when it fails, nothing was deleted."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as exc:
        reason = _reason(exc)
        hint = " (another process is writing it: try again in a moment)" if "locked" in reason else "; try again later"
        raise DocqaError(f"The question log's database ({store.engine.url.render_as_string(hide_password=True)}) failed: {reason}{hint}") from None


@questions_app.command("export")
def export_command(
    index: Optional[Path] = IndexOpt,
    unanswered: bool = typer.Option(False, "--unanswered", help="Only the questions the assistant declined"),
    rated: bool = typer.Option(False, "--rated", help="Only the answers visitors rated (thumbs up or down)"),
    since: Optional[str] = typer.Option(None, "--since", help="Only questions asked since: 30d, 12h, 2w, or a date (2026-01-31, UTC)"),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl | csv | eval (items docqa eval reads)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here [default: standard output]"),
) -> None:
    """Write logged questions (with answers and ratings) as JSONL, CSV, or a question set for docqa eval.

    --format eval: answers rated helpful become answerable items (their short answer and first cited
    document); unanswered questions become unanswerable items marked "to_label" for staff to review.
    Then: docqa eval FILE --compare last.json after each re-index.
    """
    from docqa.server.questions import export
    from docqa.server.questions.store import Selection, parse_since

    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    selection = Selection(since=parse_since(since) if since else None, unanswered=unanswered, rated=rated)
    store = open_store(load_settings(index=index), read_only=True)
    try:
        with _database_failures(store):
            _refuse_the_log_itself(output, store.engine.url)
            lines: Iterator[str] = export.eval_lines(store.rows(selection)) if fmt == "eval" else export.lines(export.questions_table(store, selection), fmt)
            written = _write(lines, output)
    finally:
        store.close()
    if output is not None:
        typer.echo(f"Wrote {written} {'items' if fmt == 'eval' else 'lines'} to {output}", err=True)


def _refuse_the_log_itself(output: Optional[Path], url) -> None:
    """Opening --output truncates it: never the SQLite log being exported (nor its journal files)."""
    database = url.database if url.get_backend_name() == "sqlite" else None
    if output is None or not database or not output.exists():
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        kept = Path(database + suffix)
        if kept.exists() and os.path.samefile(output, kept):
            raise InvalidInput(f"--output {output} is the question log itself; choose another file.")


def _write(lines: Iterator[str], output: Optional[Path]) -> int:
    count = 0
    target = open(output, "w", encoding="utf-8", newline="") if output is not None else sys.stdout
    try:
        for chunk in lines:
            target.write(chunk)
            count += chunk.count("\n")
    finally:
        if output is not None:
            target.close()
    return count


@questions_app.command("purge")
def purge_command(
    before: str = typer.Option(..., "--before", help="Delete questions asked before this: a date (2026-01-31, UTC) or a duration ago (90d)"),
    index: Optional[Path] = IndexOpt,
) -> None:
    """Delete logged questions (with their answers and ratings) asked before a date."""
    from docqa.server.questions.store import parse_since

    cutoff = parse_since(before)
    store = open_store(load_settings(index=index))
    try:
        with _database_failures(store):
            removed = store.purge(before=cutoff)
    finally:
        store.close()
    typer.echo(f"Deleted {removed} logged questions asked before {cutoff.isoformat(sep=' ', timespec='seconds')} UTC.")
