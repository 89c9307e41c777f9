"""The few exceptions docqa raises on purpose.

Each carries a message written for the person using docqa. The CLI (server/cli.py)
and the HTTP layer (server/app.py) turn them into exit codes and status codes,
each in one place.
"""

from __future__ import annotations


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
