"""`docqa serve --sync URL --sync-every 6h`: the running server crawls its websites on a timer.

Each run is one `docqa crawl` (docqa.ingest.crawl.sync) on a daemon thread; when it publishes a
version, the server's `Reloader` loads it (the `--workers` processes find it themselves, as after
`docqa crawl`). A failed run is logged and the served version stays; the next run tries again.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING, Callable

from docqa.errors import DocqaError, InvalidInput

if TYPE_CHECKING:
    from docqa.config import Settings
    from docqa.ingest.crawl.sync import CrawlReport

log = logging.getLogger("docqa.sync")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """"6h", "30m", "90s", "1d" (or plain seconds) → seconds; `InvalidInput` otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match or float(match.group(1)) <= 0:
        raise InvalidInput(f"--sync-every {text!r}: give a duration such as 6h, 30m, 90s or 1d.")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


def summary(report: "CrawlReport") -> str:
    """One log line for a sync run."""
    c = report.count
    what = f"published version {report.version}" if report.version else (f"failed: {report.failure}" if report.failure else "nothing changed")
    return (
        f"sync: {what}; {c('fetched')} fetched, {c('not-modified') + c('lastmod')} unchanged, {len(report.new)} new, "
        f"{len(report.changed)} changed, {len(report.removed)} removed, {c('error')} errors, {report.embedded} texts embedded "
        f"({report.seconds:.1f} s)"
    )


class SyncScheduler:
    """Runs `crawl()` every `every` seconds on a daemon thread; `on_published(version)` after a new version."""

    def __init__(self, crawl: Callable[[], "CrawlReport"], *, every: float, on_published: Callable[[str], object] | None = None) -> None:
        self.crawl = crawl
        self.every = every
        self.on_published = on_published
        self.runs = 0
        self.first_in = 0.0
        """Seconds before the first run of `start()`."""
        self._stop = threading.Event()

    def run_once(self) -> "CrawlReport | None":
        """One sync; errors are logged, never raised (the server keeps serving)."""
        try:
            report = self.crawl()
        except Exception as exc:
            log.error(f"sync failed: {exc}")
            return None
        finally:
            self.runs += 1
        (log.warning if report.failure else log.info)(summary(report))
        if report.version and self.on_published is not None:
            try:
                self.on_published(report.version)
            except Exception as exc:  # the Reloader logged it; the old version stays served
                log.error(f"sync: the new version {report.version} could not be loaded: {exc}")
        return report

    def start(self) -> threading.Thread:
        """Run the first sync after `first_in` seconds, then every `every` seconds."""

        def loop() -> None:
            wait = self.first_in
            while not self._stop.wait(wait):
                self.run_once()
                wait = self.every

        thread = threading.Thread(target=loop, name="docqa-sync", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """No further runs (one in progress finishes)."""
        self._stop.set()


def prepare_sync(settings: "Settings", urls: list[str], *, every: str, follow_links: bool, allow_private: bool) -> SyncScheduler:
    """`serve --sync`: check the URLs and the interval, and crawl now if the index is empty (before the port
    opens: there is nothing to serve until then). `start()` the scheduler returned: its first run comes
    at once when an index was there, else after one interval."""
    from docqa.ingest.crawl.crawler import CrawlOptions
    from docqa.ingest.crawl.urls import check_start_url
    from docqa.server import components
    from docqa.server.first_index import index_exists

    seconds = parse_interval(every)
    for url in urls:
        check_start_url(url)
    options = CrawlOptions(follow_links=follow_links, allow_private=allow_private, limits=components.file_limits(settings))
    scheduler = SyncScheduler(lambda: components.crawl(urls, settings, options), every=seconds)
    if not index_exists(settings.index):
        log.info(f"No index in {settings.index} yet: crawling {', '.join(urls)} before serving.")
        report = scheduler.run_once()
        if report is None or report.version is None:
            raise DocqaError(f"The first crawl of {', '.join(urls)} published no index; see the messages above.")
        scheduler.first_in = seconds
    return scheduler
