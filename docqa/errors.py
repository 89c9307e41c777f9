"""The few exceptions docqa raises on purpose.

Each carries a message written for the person using docqa. The CLI (server/cli.py)
and the HTTP layer (server/app.py) turn them into exit codes and status codes,
each in one place.
"""

from __future__ import annotations

import re
from pathlib import PurePath

_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])(?:/[^\s/:;,'\"()]+)+/?")


class DocqaError(Exception):
    """Base class: something went wrong that the user can understand and fix."""


class InvalidInput(DocqaError):
    """The request or argument itself is wrong (HTTP 4xx, CLI exit 2)."""


class IndexNotFound(DocqaError):
    """No usable index at the given location."""


class IndexMismatch(DocqaError):
    """The index was built with another model, dimension or format version."""


class NothingIndexed(DocqaError):
    """An ingest found no readable document: nothing was written."""


class IndexDamaged(IndexNotFound):
    """An index version's files differ from what its manifest records (shortened, overwritten,
    missing), or changed on disk after loading. The message names the version and the file,
    never a folder path: it is fit for a visitor (logs add the folder)."""


class Interrupted(DocqaError):
    """Ctrl-C stopped a command; the message says what it left as it was (CLI exit 130)."""


class StorageError(DocqaError):
    """The index folder cannot be written (no space left, no permission): nothing was published."""


DAMAGED_MESSAGE = "The index is damaged; the assistant answers again once a good version is published."
"""What a visitor is told while the served (or only) index version is damaged (operators: /healthz and the log
name the version and file, and `docqa ingest` or `docqa index rollback` mends it)."""


def without_paths(message: str) -> str:
    """`message` with each absolute path shortened to its last part (what a visitor may see)."""
    return _ABSOLUTE_PATH.sub(lambda m: PurePath(m.group()).name or "/", message)


def public_message(exc: BaseException) -> str:
    """`exc` in words fit for a visitor: docqa's own message without folder paths, an OS error's
    reason and file name, else only the error's kind (library internals stay in the log)."""
    if isinstance(exc, DocqaError):
        return without_paths(str(exc))
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}" + (f": {PurePath(exc.filename).name}" if isinstance(exc.filename, str) else "")
    return f"unexpected {type(exc).__name__}; the server log has the details"
