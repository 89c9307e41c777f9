"""Library objects built from a `Settings`: the one place where settings become library parameters.

Library code (docqa.index, docqa.ingest) reads no environment; the CLI, the HTTP app, `docqa eval`
and the worker processes build what they need here, so a setting means the same everywhere.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from docqa.config import Settings, environment_name

if TYPE_CHECKING:
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import Embedder
    from docqa.ingest.chunker import ChunkingSettings
    from docqa.ingest.crawl.crawler import CrawlOptions, ProgressCallback
    from docqa.ingest.crawl.sync import CrawlReport
    from docqa.ingest.loaders import FileLimits
    from docqa.ingest.pipeline import IngestReport, PhaseCallback
    from docqa.ingest.squad import SquadSet
    from docqa.server.questions.log import QuestionLog


def embedder(settings: Settings) -> "Embedder":
    """The process-wide embedder for the settings' model, backend, threads and cache folder."""
    from docqa.index.embedding.embedder import get_embedder

    return get_embedder(settings.model, backend=settings.backend, threads=settings.threads or None, cache_dir=settings.cache)


def check_ray_installed(settings: Settings, *, flag_given: bool) -> None:
    """When the settings name a Ray cluster, InvalidInput if this install lacks Ray, naming where the address
    came from: `--ray` (`flag_given`) or DOCQA_RAY_ADDRESS."""
    if settings.ray_address:
        from docqa.ingest import distributed

        distributed.ray_module(setting="--ray" if flag_given else environment_name("ray_address"))


def ray_embedder_factory(settings: Settings) -> "Callable[..., Embedder]":
    """`factory(threads=N)` → the settings' embedder for bulk calls, built inside each Ray worker (it pickles: no model in it)."""
    return functools.partial(bulk_embedder, settings.model, backend=settings.backend, cache_dir=settings.cache)


def _ray_options(settings: Settings, *, progress: bool, on_phase: "PhaseCallback | None") -> dict[str, Any]:
    """What `distributed.publish_on_ray` takes from the settings."""
    return dict(
        address=settings.ray_address,
        index_root=settings.index,
        make_embedder=ray_embedder_factory(settings),
        chunking=chunking(settings),
        keep_versions=settings.keep_versions,
        index_type=settings.index_type,
        threads=settings.threads or None,
        progress=progress,
        on_phase=on_phase,
    )


def bulk_embedder(model: str, *, backend: str, cache_dir: Path, threads: int | None = None) -> "Embedder":
    """The embedder a local ingest uses for its large calls (where `auto` splits calls by size, its large side):
    a Ray worker's calls are smaller than a local ingest's, yet must give the same vectors."""
    from docqa.index.embedding.embedder import SplitEmbedder, get_embedder

    chosen = get_embedder(model, backend=backend, threads=threads, cache_dir=cache_dir)
    inner = getattr(chosen, "inner", chosen)
    return inner.large if isinstance(inner, SplitEmbedder) else chosen


def chunking(settings: Settings) -> "ChunkingSettings":
    """How documents are cut into chunks at ingest."""
    from docqa.ingest.chunker import ChunkingSettings

    return ChunkingSettings(max_tokens=settings.chunk_tokens)


def open_assistant(settings: Settings, *, index_root: Path | None = None, version: str | None = None) -> "Assistant":
    """The current version (or `version`) of `index_root` (default: the settings' index) with its answerer."""
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    return Assistant(
        index_root or settings.index, embedder=embedder(settings), answer_settings=AnswerSettings(passages=settings.passages, min_score=settings.min_confidence),
        version=version,
    )


def ingest(
    paths: Sequence[Path], settings: Settings, *, progress: bool = False, on_phase: "PhaseCallback | None" = None, use_ray: bool = False
) -> "IngestReport":
    """Index `paths` as a new version of the settings' index (see docqa.ingest.pipeline.ingest); with `use_ray`
    (`docqa ingest`) on the settings' Ray cluster when one is set (docqa.ingest.distributed)."""
    from docqa.ingest.pipeline import ingest as run_ingest

    if use_ray and settings.ray_address:
        from docqa.ingest.distributed import files_to_read, publish_on_ray

        files, skipped = files_to_read(paths)
        return publish_on_ray(files, skipped=skipped, limits=file_limits(settings), **_ray_options(settings, progress=progress, on_phase=on_phase))
    return run_ingest(
        paths,
        index_root=settings.index,
        embedder=embedder(settings),
        chunking=chunking(settings),
        keep_versions=settings.keep_versions,
        index_type=settings.index_type,
        progress=progress,
        on_phase=on_phase,
        limits=file_limits(settings),
    )


def file_limits(settings: Settings) -> "FileLimits":
    """What one file may demand at ingest (pages, text, seconds)."""
    from docqa.ingest.loaders import FileLimits

    return FileLimits(max_pages=settings.ingest_max_pages, max_chars=settings.ingest_max_chars, max_seconds=settings.ingest_max_seconds)


def beir_index(folder: Path, settings: Settings, *, progress: bool = False, on_phase: "PhaseCallback | None" = None) -> Path:
    """The cached evaluation index of a BEIR folder, under the settings' cache folder."""
    from docqa.ingest import beir

    return beir.prepare_index(
        folder, embedder=embedder(settings), cache=settings.cache, chunking=chunking(settings), index_type=settings.index_type,
        progress=progress, on_phase=on_phase,
    )


def squad_index(squad: "SquadSet", settings: Settings, *, name: str, on_phase: "PhaseCallback | None" = None) -> Path:
    """The cached evaluation index of a SQuAD file's articles (`name` prefixes its folder), under the settings' cache folder."""
    from docqa.ingest import squad as squad_files

    return squad_files.prepare_index(
        squad,
        embedder=embedder(settings),
        cache=settings.cache,
        name=name,
        chunking=chunking(settings),
        index_type=settings.index_type,
        on_phase=on_phase,
    )


def crawl(
    urls: Sequence[str],
    settings: Settings,
    options: "CrawlOptions",
    *,
    progress: bool = False,
    on_progress: "ProgressCallback | None" = None,
    on_phase: "PhaseCallback | None" = None,
    use_ray: bool = False,
) -> "CrawlReport":
    """Crawl `urls` into the settings' index: a new version only when a document changed (docqa.ingest.crawl.sync);
    with `use_ray` (`docqa crawl`) the pages are chunked and embedded on the settings' Ray cluster when one is set
    (its address checked before the crawl starts)."""
    from docqa.ingest.crawl.sync import sync

    publisher = None
    if use_ray and settings.ray_address:
        from docqa.ingest import distributed

        distributed.ray_module()
        distributed.check_reachable(settings.ray_address)
        publisher = functools.partial(distributed.publish_on_ray, **_ray_options(settings, progress=progress, on_phase=on_phase))
    return sync(
        urls,
        index_root=settings.index,
        embedder=embedder(settings),
        options=options,
        chunking=chunking(settings),
        keep_versions=settings.keep_versions,
        index_type=settings.index_type,
        progress=progress,
        on_progress=on_progress,
        on_phase=on_phase,
        publisher=publisher,
    )


def question_database(settings: Settings) -> str:
    """The question log's database URL: DOCQA_DATABASE_URL, else the SQLite file beside the index versions
    (so `docqa serve` and `docqa questions` given the same --index find the same log)."""
    from docqa.server.questions import urls

    return settings.database_url.strip() or urls.default_url(settings.index)


def question_log(settings: Settings) -> "QuestionLog | None":
    """The question log `serve` keeps (not started yet), or None when DOCQA_LOG_QUESTIONS is off.
    A malformed DOCQA_DATABASE_URL, or PostgreSQL without its driver, fails here with its message."""
    if not settings.log_questions:
        return None
    from docqa.server.questions import urls
    from docqa.server.questions.log import QuestionLog

    url = question_database(settings)
    urls.backend(url)  # checked now; SQLAlchemy is imported by the writer thread, off the start-up path

    def open_store():
        from docqa.server.questions import store

        return store.QuestionStore.open(url, request_timeout_s=store.REQUEST_TIMEOUT_S)

    return QuestionLog(open_store, retention_days=settings.log_retention_days, describe=urls.shown(url))
