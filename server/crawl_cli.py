"""`docqa crawl URL ...`: progress while crawling, then a summary; exit 0 complete, 3 partial, 1 failed, 130 Ctrl-C.

Errors are raised as docqa exceptions; server/cli.py `main` turns them into exit codes.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from docqa.config import load_settings
from docqa.errors import DocqaError, InvalidInput
from docqa.server.index_cli import nonempty_path

if TYPE_CHECKING:
    from docqa.ingest.crawl.crawler import UrlOutcome
    from docqa.ingest.crawl.sync import CrawlReport

PLAIN_EVERY = 25
"""Without a terminal, one progress line every this many URLs."""


class Progress:
    """A progress bar on a terminal (tqdm), plain lines otherwise (a log, a cron mail)."""

    def __init__(self, *, interactive: bool) -> None:
        self.bar = None
        if interactive:
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="url", desc="crawling", file=sys.stderr, dynamic_ncols=True)
        self.counts: dict[str, int] = {}

    def __call__(self, outcome: "UrlOutcome", done: int, known: int) -> None:
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        if self.bar is not None:
            self.bar.total = known
            self.bar.set_postfix_str(summary, refresh=False)
            self.bar.update(1)
        elif done % PLAIN_EVERY == 0 or done == known:
            typer.echo(f"crawled {done} of {known} URLs ({summary})", err=True)

    def close(self) -> None:
        """End the bar (before the publishing phases print their lines); idempotent."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def describe(report: "CrawlReport") -> list[str]:
    """The summary: what happened to the URLs, to the documents, and to the served version."""
    c = report.count
    unchanged = report.documents - len(report.new) - len(report.changed)
    lines = [
        f"URLs: {c('fetched')} fetched in full, {c('not-modified')} not modified (304), {c('lastmod')} unchanged by sitemap lastmod, "
        f"{c('gone')} gone (404/410), {c('skipped')} skipped, {c('error')} failed; {report.requests} requests in {report.seconds:.1f} s",
        f"Documents: {len(report.new)} new, {len(report.changed)} changed, {len(report.removed)} removed, {unchanged} unchanged "
        f"({report.documents} in all); {report.embedded} texts embedded",
    ]
    if report.failure is not None and report.version is None:
        del lines[1]  # nothing was published: no document changes to speak of
        lines.append(f"Crawl failed: {report.failure}. Nothing was published" + (f"; version {report.served} is still served." if report.served else "."))
    elif report.version is not None:
        lines.append(f"Published version {report.version}" + (f" (the crawl was partial: {report.failure})" if report.failure else "") + ".")
    else:
        lines.append(f"Nothing changed: version {report.served} is still served." if report.served else "Nothing to publish.")
    return lines


def crawl_command(
    urls: list[str] = typer.Argument(..., help="Start pages or sitemap URLs (http or https)"),
    index: Optional[Path] = typer.Option(None, "--index", parser=nonempty_path, metavar="<path>", help="Index directory [env DOCQA_INDEX]"),
    model: Optional[str] = typer.Option(None, "--model", help="sentence-transformers model name or folder [env DOCQA_MODEL]"),
    follow_links: bool = typer.Option(False, "--follow-links", help="Follow same-site links even when the site has a sitemap"),
    depth: int = typer.Option(3, "--depth", help="Links followed at most this many clicks from a start page or sitemap page"),
    include: Optional[list[str]] = typer.Option(None, "--include", help="Only URLs matching this regular expression (repeatable)"),
    exclude: Optional[list[str]] = typer.Option(None, "--exclude", help="Never URLs matching this regular expression (repeatable)"),
    max_pages: int = typer.Option(10_000, "--max-pages", help="Most URLs crawled; beyond it, the URLs not reached keep their last text"),
    concurrency: int = typer.Option(2, "--concurrency", help="Requests at once"),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds to wait for an answer"),
    max_mb: float = typer.Option(20.0, "--max-mb", help="Largest response in MB"),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow private, loopback and link-local addresses (intranet sites)"),
    allow_partial: bool = typer.Option(False, "--allow-partial", help="Publish what was crawled even when the crawl failed (exit 3)"),
    ray: Optional[str] = typer.Option(None, "--ray", help="Chunk and embed the pages on this Ray cluster: HOST:PORT of its head, or auto [env DOCQA_RAY_ADDRESS]"),
) -> None:
    """Crawl websites into the index: only changed pages are fetched and embedded; a new version only when something changed."""
    from docqa.ingest.crawl.crawler import CrawlOptions
    from docqa.server import components

    settings = load_settings(index=index, model=model, ray_address=ray)
    components.check_ray_installed(settings, flag_given=ray is not None)
    if not math.isfinite(max_mb):  # int() of it would raise; CrawlOptions checks the bytes' range
        raise InvalidInput(f"--max-mb must be a number of megabytes, such as 20; got {max_mb}.")
    options = CrawlOptions(
        follow_links=follow_links,
        depth=depth,
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        max_pages=max_pages,
        concurrency=concurrency,
        timeout=timeout,
        max_bytes=int(max_mb * 1024 * 1024),
        allow_private=allow_private,
        allow_partial=allow_partial,
        limits=components.file_limits(settings),
    )
    from docqa.index.storage import versions

    served = versions.current_name(settings.index)
    progress = Progress(interactive=sys.stderr.isatty())
    try:
        report = components.crawl(
            urls, settings, options, progress=sys.stderr.isatty(), on_progress=progress,
            on_phase=lambda phase: (progress.close(), typer.echo(phase.describe(), err=True)), use_ray=True,
        )
    except KeyboardInterrupt:  # Ctrl-C: say what is served, as `docqa ingest` does (the state is saved only after publishing)
        raise versions.interrupted(settings.index, served) from None
    finally:
        progress.close()
    for outcome in report.outcomes:
        if outcome.status in ("skipped", "error", "gone") or (outcome.status == "fetched" and outcome.detail):
            typer.echo(f"{outcome.status} {outcome.url}: {outcome.detail}", err=True)
    for url in report.removed:
        typer.echo(f"removed {url}", err=True)
    lines = describe(report)
    for line in lines[:-1]:
        typer.echo(line)
    if report.failure is not None and report.version is None and not allow_partial:
        raise DocqaError(lines[-1])
    typer.echo(lines[-1])
    if report.partial:
        from docqa.server.cli import EXIT_PARTIAL

        raise typer.Exit(EXIT_PARTIAL)
