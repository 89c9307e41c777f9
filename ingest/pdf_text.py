"""A PDF's title and text, read in a helper process that is stopped when the file takes too long
(large HTML, Markdown, DOCX and ODT files are parsed there too: `in_helper`, used by loaders.py).

pypdf is pure Python: a crafted PDF (a "bomb": hundreds of small pages whose content streams
each inflate to megabytes) keeps it busy for tens of seconds per page, and nothing inside one
page can be interrupted from the same process. So PDFs are read by one helper process (a fresh
Python: it shares no threads or locks with the caller, which may be a server, and never runs the
caller's main script), reused from file to file; a file still being read after `max_seconds` has
the helper killed (the next PDF starts a fresh one) and is refused; a helper that dies is noticed
at once (`HelperFailed`). Beyond `max_pages` pages or `max_chars` characters of text, a file is
refused too, without reading the rest.
"""

from __future__ import annotations

import atexit
import io
import os
import pickle
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
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


# The helper's first lines, stdlib only: the caller's sys.path first (docqa may be importable only through it).
_BOOTSTRAP = (
    "import sys; from multiprocessing.connection import Connection; "
    "requests = Connection({read}, writable=False); sys.path[:] = requests.recv(); "
    "from docqa.ingest.pdf_text import serve; serve(requests, Connection({write}, readable=False))"
)


class HelperFailed(RuntimeError):
    """The helper process ended without answering (killed, out of memory, or it could not start); the message says how."""


def serve(requests: Connection, answers: Connection) -> None:
    """The helper's loop: each request `(function, args, kwargs)` answered with `(True, result)` or `(False, exception)`,
    until the caller closes its end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle; it stops this process
    while True:
        try:
            request = requests.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            function, args, kwargs = pickle.loads(request)
            answer: tuple[bool, Any] = (True, function(*args, **kwargs))
        except Exception as exc:
            answer = (False, exc)
        try:
            answers.send(answer)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # a result or exception that cannot travel
            answers.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        except OSError:  # the caller is gone
            return


class _Helper:
    """The one helper process of this process (started on first use, killed on a timeout).

    A plain child process (`python -c`), not a multiprocessing one: multiprocessing's "spawn" child runs the
    caller's main script again before it works (a script without an `if __name__ == "__main__"` guard then
    ingests again inside it and dies, and a Pool replaces dead workers silently, so the caller waited for the
    full time limit). Requests and answers are pickled over two pipes."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._requests: Connection | None = None
        self._answers: Connection | None = None
        self._lock = threading.Lock()  # one document at a time through the one helper

    def _start(self) -> None:
        """Start the helper (`HelperFailed` when it cannot) and hand it this process's sys.path."""
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        self._requests = Connection(request_write, readable=False)
        self._answers = Connection(answer_read, writable=False)
        try:
            command = [sys.executable, "-c", _BOOTSTRAP.format(read=request_read, write=answer_write)]
            self._process = subprocess.Popen(command, pass_fds=(request_read, answer_write), stdin=subprocess.DEVNULL)
        except OSError as exc:
            self._stop()
            raise HelperFailed(f"the helper process could not start: {exc.strerror or exc}") from None
        finally:
            os.close(request_read)
            os.close(answer_write)
        self._requests.send(sys.path)

    def call(self, function: Callable[..., T], args: tuple, kwargs: dict[str, Any], *, max_seconds: float) -> T:
        """`function(*args, **kwargs)` run in the helper (a module-level function: it is pickled by name);
        its exception is raised here; raises `TooDemanding` and stops the helper after `max_seconds`,
        `HelperFailed` (at once) when the helper ends without answering."""
        with self._lock:
            try:
                if self._process is None:
                    self._start()
                assert self._requests is not None and self._answers is not None
                self._requests.send((function, args, kwargs))
                if not self._answers.poll(max_seconds):
                    self._stop()
                    raise TooDemanding(f"took longer than {max_seconds:g} s to read (limit {max_seconds:g} s)")
                ok, value = self._answers.recv()
            except (EOFError, OSError):  # its end of a pipe closed: it has ended or is ending
                raise HelperFailed(f"the helper process reading it ended unexpectedly ({self._stop(ending=True)})") from None
        if ok:
            return value
        raise value

    def _stop(self, *, ending: bool = False) -> str:
        """Kill the helper (one `ending` is first given a moment to end by itself); how it ended ("exit code 3")."""
        process, self._process = self._process, None
        for connection in (self._requests, self._answers):
            if connection is not None:
                connection.close()
        self._requests = self._answers = None
        if process is None:
            return "not started"
        try:
            process.wait(timeout=2 if ending else 0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        code = process.returncode
        return f"exit code {code}" if code >= 0 else f"killed by signal {-code}"

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
