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


def run(settings: Settings, *, workers: int) -> None:
    """Serve with `workers` processes (uvicorn restarts a worker that dies).

    With no index yet, the bundled corpus is indexed first, before the port opens: the
    workers load the index the supervisor built (one ingest, not one per worker).
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from docqa.server import components
    from docqa.server.connections import uvicorn_options
    from docqa.server.first_index import index_exists, log_phase

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
    listening = _listening_socket(settings.host, settings.port, backlog=config.backlog)
    log.info(f"serving {settings.index} on http://{settings.host}:{settings.port} with {workers} worker processes")
    Multiprocess(config, sockets=[listening]).run()


def _listening_socket(host: str, port: int, *, backlog: int) -> socket.socket:
    """The shared socket, created as TCP explicitly: uvicorn's own has protocol 0, so asyncio does not set
    TCP_NODELAY on its connections and every response waits ~40 ms for a delayed ACK (measured)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock
