"""`docqa serve --workers N`: N uvicorn worker processes, each serving the same read-only index.

The index files are memory-mapped (docqa/index/storage), so the workers share one copy of them
in the page cache; each worker holds its own small model session.

Settings reach the workers without the environment: the supervisor builds one `Settings`, and
uvicorn's app factory is `functools.partial(worker_app, settings)`, which uvicorn pickles into
each spawned worker process (its `Config` travels that way). Nothing is written to `os.environ`,
so what a worker serves with is exactly what the supervisor resolved, flags included, and a
worker restarted by uvicorn (or by SIGHUP) gets the same object again.
"""

from __future__ import annotations

import functools
import logging
import os
import socket

from fastapi import FastAPI

from docqa.config import Settings

log = logging.getLogger("docqa")


def worker_settings(settings: Settings, *, workers: int) -> Settings:
    """`settings` for one of `workers` processes: each model call pool gets its share of the cores."""
    cores = settings.threads or os.cpu_count() or 1
    return settings.model_copy(update={"threads": max(1, cores // workers)})


def worker_app(settings: Settings) -> FastAPI:
    """The app of one worker process (uvicorn factory, bound to its settings with functools.partial)."""
    from docqa.server.access_log import configure_logging
    from docqa.server.app import create_app, prepare_serving_process

    configure_logging()
    prepare_serving_process()
    return create_app(settings, load_in_background=True)


def run(settings: Settings, *, workers: int, listening: socket.socket | None = None) -> None:
    """Serve with `workers` processes (uvicorn restarts a worker that dies).

    With no index yet, the bundled corpus is indexed first, before the port opens: the
    workers load the index the supervisor built (one ingest, not one per worker). `listening`: the socket
    bound for them (`connections.listening_socket`), else bound here.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from docqa.server import components
    from docqa.server.connections import listening_socket, uvicorn_options
    from docqa.server.first_index import index_exists, log_phase

    listening = listening or listening_socket(settings.host, settings.port)  # a port in use is said before any indexing
    if not index_exists(settings.index):
        log.info(f"No index in {settings.index} yet: indexing {settings.corpus} before starting {workers} workers.")
        report = components.ingest([settings.corpus], settings, on_phase=log_phase)
        log.info(f"first index ready (documents: {report.documents}, chunks: {report.chunks}); version {report.version}")
    factory = functools.partial(worker_app, worker_settings(settings, workers=workers))
    config = uvicorn.Config(
        factory,
        factory=True,
        workers=workers,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        **uvicorn_options(settings),
    )
    listening.listen(config.backlog)
    log.info(f"serving {settings.index} on http://{settings.host}:{settings.port} with {workers} worker processes")
    Multiprocess(config, sockets=[listening]).run()

