"""The first start: `docqa serve` on an empty index directory listens at once and indexes the corpus meanwhile.

`FirstIndex` runs the ingest of `settings.corpus` on a thread, logs each phase (what, how many,
how long) as one line, then has the `Reloader` load the new version. Until then /healthz answers
503 "starting" with the phase; if the ingest fails, 503 "error" with a readable reason (no stack
trace, no path of this machine) and the process logs the failure.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

from docqa.config import Settings
from docqa.errors import DocqaError, public_message, without_paths  # noqa: F401 (without_paths: app.py, tests)
from docqa.index.storage import versions
from docqa.ingest.pipeline import IngestReport, Phase, PhaseCallback
from docqa.server import components
from docqa.server.reload import Reloader

log = logging.getLogger("docqa.first_index")
Build = Callable[[Sequence[Path], Settings, PhaseCallback], IngestReport]


def index_exists(root: Path) -> bool:
    """Whether `root` holds an index, even a damaged one: a manifest, a `CURRENT` name or a version
    folder. Only a root with none of these gets the bundled corpus indexed into it; a damaged one is
    served from its newest good version (server/reload.py) or reported, never written over."""
    if (root / versions.MANIFEST).is_file() or versions.current_name(root) is not None:
        return True
    folder = root / versions.VERSIONS
    return folder.is_dir() and any(not p.name.startswith(".") for p in folder.iterdir())


def public_reason(exc: BaseException) -> str:
    """Why the first index could not be built, in words fit for /healthz."""
    return public_message(exc)


def log_phase(phase: Phase) -> None:
    """One JSON log line for a finished phase of the first ingest: what, how many, how long."""
    log.info({"event": "first_index", "phase": phase.name, **phase.counts, "seconds": round(phase.seconds, 3), "message": phase.describe()})


def _build(paths: Sequence[Path], settings: Settings, on_phase: PhaseCallback) -> IngestReport:
    return components.ingest(paths, settings, on_phase=on_phase)


class FirstIndex:
    """Builds the first index version of an empty index directory in the background, then loads it."""

    def __init__(self, settings: Settings, *, reloader: Reloader, build: Build = _build) -> None:
        self.settings = settings
        self.reloader = reloader
        self.build = build
        self.running = False
        self.phase = "waiting to start"
        self.error: str | None = None

    def health(self) -> dict | None:
        """/healthz's body while the first index is built or after it failed; None otherwise."""
        if self.error is not None:
            return {"status": "error", "ready": False, "error": f"The first index could not be built: {self.error}"}
        if self.running:
            return {"status": "starting", "ready": False, "phase": self.phase}
        return None

    def start(self) -> threading.Thread:
        """Build (and then load) the first index on a daemon thread."""
        self.running = True
        thread = threading.Thread(target=self._run, name="docqa-first-index", daemon=True)
        thread.start()
        return thread

    def _phase(self, phase: Phase) -> None:
        self.phase = f"indexing the documents: {phase.describe()}"
        log_phase(phase)

    def _run(self) -> None:
        settings = self.settings
        log.info(f"No index in {settings.index} yet: indexing {settings.corpus} first; /healthz answers 503 until it is ready.")
        started = time.perf_counter()
        try:
            self.phase = "reading the documents"
            report = self.build([settings.corpus], settings, self._phase)
            self.phase = "loading the new index"
            self.reloader.ensure_serving(report.version)
        except Exception as exc:
            self.error = public_reason(exc)
            if isinstance(exc, DocqaError):
                log.error(f"could not build the first index from {settings.corpus}: {exc}")
            else:
                log.exception(f"could not build the first index from {settings.corpus}")
            return
        finally:
            self.running = False
        seconds = time.perf_counter() - started
        skipped = "".join(f"; skipped {Path(s.path).name}: {s.reason}" for s in report.skipped[:10])
        log.info(
            {
                "event": "first_index",
                "phase": "ready",
                "documents": report.documents,
                "chunks": report.chunks,
                "sentences": report.sentences,
                "seconds": round(seconds, 3),
                "message": f"first index ready in {seconds:.2f} s (documents: {report.documents}, chunks: {report.chunks}, "
                f"sentences: {report.sentences}); serving version {report.version}{skipped}",
            }
        )
