"""`docqa serve --workers N`: N uvicorn worker processes, each serving the same read-only index.

The index files are memory-mapped (index/store.py), so the workers share one copy of them
in the page cache; each worker holds its own small model session. Settings reach the
worker processes through DOCQA_* environment variables, which `Settings` reads.
"""

from __future__ import annotations

import os
import socket
from typing import MutableMapping

from fastapi import FastAPI

from docqa.config import Settings


def settings_to_environment(settings: Settings, *, environ: MutableMapping[str, str] = os.environ) -> None:
    """Export every field, so that `Settings()` in a worker process equals `settings`."""
    for name, value in settings.model_dump().items():
        if value is not None:
            environ[f"DOCQA_{name.upper()}"] = str(value)


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn factory): settings from the environment."""
    from docqa.server.access_log import configure_logging
    from docqa.server.app import create_app, prepare_serving_process

    configure_logging()
    prepare_serving_process()
    return create_app(Settings(), load_in_background=True)


def run(settings: Settings, *, workers: int) -> None:
    """Serve with `workers` processes (uvicorn restarts a worker that dies)."""
    import uvicorn

    settings_to_environment(settings)
    # Each worker's model runs on its share of the cores rather than all of them at once.
    os.environ.setdefault("DOCQA_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("docqa.server.workers:worker_app", factory=True, workers=workers, host=settings.host, port=settings.port, log_level="warning", timeout_keep_alive=settings.keep_alive_seconds)
    Multiprocess(config, sockets=[_listening_socket(settings.host, settings.port, backlog=config.backlog)]).run()


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
