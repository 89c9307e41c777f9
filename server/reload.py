"""Hot reload: the served `Assistant` follows ROOT/CURRENT without dropping a request.

A new version is loaded and warmed up beside the served one (in a thread), then
swapped in with one attribute assignment on `app.state.assistant`. Requests in
flight keep the object they started with, so they finish on the old version,
which is freed when the last of them ends.

What triggers a reload: a cheap check of ROOT/CURRENT at most every
`check_seconds`, made as requests arrive (`poll`, from the reload-poll middleware)
and on a timer while the app serves (`follow`, so an idle replica keeps up too), `docqa reload` (the admin route),
SIGHUP, or the first start's new index (`ensure_serving`).

When nothing is served yet (the start) and the current version cannot be loaded (damaged, say),
the newest older version that loads is served instead, and the ones skipped are logged and listed
in /healthz (`skipped`). While serving, a version that fails to load is only logged: the served
one stays. Errors shown to visitors (`error`) never hold a folder path or a library's internals.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

from docqa.index.storage import versions
from docqa.errors import DocqaError, IndexDamaged, IndexNotFound, public_message

log = logging.getLogger("docqa.reload")


class Reloader:
    """Loads the current index version into `state.assistant`, now or when CURRENT changes.

    `load()` loads the current version, `load(version=NAME)` a given one (the fallback at start).
    """

    def __init__(self, state: Any, *, load: Callable[..., Any], root: Path, check_seconds: float = 1.0) -> None:
        self.state = state
        self.load = load
        self.root = root
        self.check_seconds = check_seconds
        self.status = "ready" if getattr(state, "assistant", None) is not None else "starting"
        self.error: str | None = None
        """Why the latest load failed, in words fit for a visitor (the log has the details)."""
        self.damaged = False
        """Whether that failure was a damaged index (`IndexDamaged`)."""
        self.skipped: list[dict] = []
        """Versions passed over at start because they could not be loaded: [{"version", "reason"}]."""
        self.reloads = 0
        self._lock = threading.Lock()
        self._last_check = time.monotonic()
        self._failed: str | None = None  # a version that failed to load: not retried until CURRENT changes

    def served_version(self) -> str | None:
        """The name of the version being served (None before the first load)."""
        assistant = getattr(self.state, "assistant", None)
        return assistant.index.folder.name if assistant is not None else None

    def health(self) -> dict:
        """`{"status": "starting" | "error", ...}` while nothing is served."""
        body: dict = {"status": "starting" if self.status != "error" else "error", "ready": False}
        if self.status != "error":
            body["phase"] = "loading the index"
        if self.error:
            body["error"] = self.error
        if self.skipped:
            body["skipped"] = self.skipped
        return body

    def reload_now(self) -> str:
        """Load and swap in the current version now (blocking); returns its name.

        Raises the load error (the served version stays) when the new one cannot load.
        """
        with self._lock:
            return self._load_and_swap()

    def ensure_serving(self, name: str | None) -> str:
        """Serve version `name` (None: the current one), loading it unless a reload already has."""
        with self._lock:
            if name is not None and self.served_version() == name:
                return name
            return self._load_and_swap()

    def _load_and_swap(self) -> str:
        wanted = versions.current_name(self.root)
        try:
            fresh = self._load_warm(None)
        except Exception as exc:
            self._failed = wanted
            self.error, self.damaged = public_message(exc), isinstance(exc, IndexDamaged)
            self._log_failure(wanted, exc)
            fresh = self._fallback(wanted, exc) if self.state.assistant is None else None
            if fresh is None:
                if self.state.assistant is None:
                    self.status = "error"
                if isinstance(exc, DocqaError):
                    raise
                raise IndexNotFound(f"The index version {wanted} could not be loaded: {self.error}") from exc
        else:
            self.skipped = []
        previous = self.served_version()
        self.state.assistant = fresh  # atomic: requests in flight keep the old object
        self.status, self.error, self.damaged = "ready", None, False
        if fresh.index.folder.name == wanted:
            self._failed = None
        name = fresh.index.folder.name
        if previous is not None and previous != name:
            self.reloads += 1
            log.info("now serving index version %s (was %s)", name, previous)
        return name

    def _load_warm(self, version: str | None) -> Any:
        fresh = self.load() if version is None else self.load(version=version)
        fresh.warm_up()
        return fresh

    def _log_failure(self, name: str | None, exc: BaseException) -> None:
        cause = f" ({type(exc.__cause__).__name__}: {exc.__cause__})" if exc.__cause__ is not None else ""
        log.error("could not load the index version %s: %s%s", name, exc, cause)

    def _fallback(self, failed: str | None, exc: BaseException) -> Any | None:
        """The newest version older than `failed` that loads (None: none does); each one passed over is
        logged and listed in `skipped`."""
        if failed is None or (self.root / versions.MANIFEST).is_file():
            return None
        self.skipped = [{"version": failed, "reason": public_message(exc)}]
        for name in reversed([n for n in versions.version_names(self.root) if n < failed]):
            try:
                fresh = self._load_warm(name)
            except Exception as older:
                self._log_failure(name, older)
                self.skipped.append({"version": name, "reason": public_message(older)})
                continue
            log.warning(
                "serving the older index version %s: skipped %s", name, "; ".join(f"{s['version']} ({s['reason']})" for s in self.skipped)
            )
            return fresh
        return None

    def start_in_background(self) -> threading.Thread:
        """The first load, without blocking the server's startup (/healthz says "starting")."""
        thread = threading.Thread(target=self._load_quietly, name="docqa-load", daemon=True)
        thread.start()
        return thread

    def _load_quietly(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # a load is already running
        try:
            self._load_and_swap()
        except Exception:
            pass  # logged in _load_and_swap; the served version (if any) stays
        finally:
            self._lock.release()

    def follow(self) -> Callable[[], None]:
        """Also poll on a timer (twice per `check_seconds`), so a replica that gets no requests picks up a
        new CURRENT too, and its next request is answered from it; returns the function that stops it."""
        stop = threading.Event()
        interval = max(self.check_seconds / 2, 0.05)

        def run() -> None:
            while not stop.wait(interval):
                try:
                    self.poll()
                except Exception as exc:  # noqa: BLE001 - a volume that is briefly unreadable: try again next tick
                    log.warning("could not check the current index version: %s", exc)

        threading.Thread(target=run, name="docqa-follow", daemon=True).start()
        return stop.set

    def poll(self) -> None:
        """Cheap: at most every `check_seconds`, start a background load if CURRENT moved."""
        now = time.monotonic()
        if now - self._last_check < self.check_seconds or self._lock.locked():
            return
        self._last_check = now
        if (self.root / versions.MANIFEST).is_file():
            return  # a single version directory: nothing to follow
        name = versions.current_name(self.root)
        if name is None or name == self.served_version() or name == self._failed:
            return
        self.start_in_background()
