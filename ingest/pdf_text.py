"""A PDF's title and text, read in a helper process that is stopped when the file takes too long
(large HTML, Markdown, DOCX and ODT files are parsed there too: `in_helper`, used by loaders.py).

pypdf is pure Python: a crafted PDF (a "bomb": hundreds of small pages whose content streams
each inflate to megabytes) keeps it busy for tens of seconds per page, and nothing inside one
page can be interrupted from the same process. So PDFs are read by one helper process (spawned:
it shares no threads or locks with the caller, which may be a server), reused from file to file;
a file still being read after `max_seconds` has the helper killed (the next PDF starts a fresh
one) and is refused. Beyond `max_pages` pages or `max_chars` characters of text, a file is
refused too, without reading the rest.
"""

from __future__ import annotations

import atexit
import io
import multiprocessing
import threading
from multiprocessing.pool import Pool
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class TooDemanding(ValueError):
    """The PDF is beyond one of the limits; the message says which (fit for an ingest report)."""


class Unreadable(ValueError):
    """pypdf could not read the PDF; the message says why."""


def read_text(data: bytes, *, max_pages: int, max_chars: int) -> tuple[str, str, str]:
    """(outcome, title, text or reason) for the PDF `data`, in this process: outcome "ok", "limit"
    (beyond `max_pages` or `max_chars`) or "error" (pypdf could not read it). Runs in the helper."""
    try:
        import logging

        from pypdf import PdfReader
        from pypdf.errors import DependencyError

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings ("EOF marker not found") reached the terminal unnamed

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Most "protected" PDFs have an empty user password (no copying or printing): viewers open them unasked.
            try:
                unlocked = reader.decrypt("")
            except DependencyError:
                return "error", "", "encrypted PDF (AES): reading it needs the cryptography package (pip install cryptography)"
            if not unlocked:
                return "error", "", "encrypted PDF: it opens only with a password"
        pages = len(reader.pages)
        if pages > max_pages:
            return "limit", "", f"too many pages ({pages:,}; limit {max_pages:,})"
        parts, total = [], 0
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            total += len(parts[-1]) + 2
            if total > max_chars:
                return "limit", "", f"too much text (over {max_chars:,} characters)"
        title = str(reader.metadata.title).strip() if reader.metadata and reader.metadata.title else ""
        return "ok", title, "\n\n".join(parts)
    except Exception as exc:  # parsers raise many kinds on corrupt input; each becomes a reason
        return "error", "", f"{type(exc).__name__}: {exc}"[:300]


class _Helper:
    """The one helper process of this process (created on first use, killed on a timeout)."""

    def __init__(self) -> None:
        self._pool: Pool | None = None
        self._lock = threading.Lock()  # one document at a time through the one helper

    def call(self, function: Callable[..., T], args: tuple, kwargs: dict[str, Any], *, max_seconds: float) -> T:
        """`function(*args, **kwargs)` run in the helper (a module-level function: it is pickled by name);
        its exception is raised here; raises `TooDemanding` and stops the helper after `max_seconds`."""
        with self._lock:
            if self._pool is None:
                self._pool = multiprocessing.get_context("spawn").Pool(1)
            pending = self._pool.apply_async(function, args, kwargs)
            try:
                return pending.get(timeout=max_seconds)
            except multiprocessing.TimeoutError:
                self._stop()
                raise TooDemanding(f"took longer than {max_seconds:g} s to read (limit {max_seconds:g} s)") from None

    def _stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    def stop(self) -> None:
        with self._lock:
            self._stop()


_helper = _Helper()
atexit.register(_helper.stop)


def pdf_text(data: bytes, *, max_pages: int, max_chars: int, max_seconds: float) -> tuple[str, str]:
    """(title, text) of the PDF `data` read in the helper process; raises `TooDemanding` beyond a
    limit and `Unreadable` for a PDF that cannot be read."""
    outcome, title, text = _helper.call(read_text, (data,), {"max_pages": max_pages, "max_chars": max_chars}, max_seconds=max_seconds)
    if outcome == "limit":
        raise TooDemanding(text)
    if outcome == "error":
        raise Unreadable(text)
    return title, text


def in_helper(function: Callable[..., T], *args: Any, max_seconds: float) -> T:
    """`function(*args)` run in the helper process (see the module's docstring): its result, or its exception
    raised here; `TooDemanding` when it takes longer than `max_seconds` (the helper is then stopped)."""
    return _helper.call(function, args, {}, max_seconds=max_seconds)


def stop_helper() -> None:
    """End the helper process (an ingest calls this when it has read its files); the next PDF starts another."""
    _helper.stop()
