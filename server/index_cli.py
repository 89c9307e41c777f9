"""`docqa index list|rollback` and `docqa reload`: managing the served index version.

Errors are raised as docqa exceptions; server/cli.py `main` turns them into exit codes.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Optional

import typer

from docqa.config import load_settings
from docqa.errors import DocqaError, InvalidInput
from docqa.index.storage import versions

index_app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None, help="List the index versions or roll back to one."
)  # plain-text help, as server/cli.py's


def nonempty_path(value: str) -> Path:
    """A path argument or option (typer's `parser`): an empty one is refused, not read as the working folder
    (Path("") is "."; `docqa ingest "$DOCS"` with DOCS unset would index and publish whatever folder it runs in)."""
    if not value.strip():
        raise typer.BadParameter("an empty path; give a file or folder ('.' for the working folder)")
    return Path(value)


def _root(index: Optional[Path]) -> Path:
    return load_settings(index=index).index


@index_app.command("list")
def list_command(
    index: Optional[Path] = typer.Option(None, "--index", parser=nonempty_path, metavar="<path>", help="Index directory [env DOCQA_INDEX]"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per version"),
) -> None:
    """Show the versions kept under the index root (oldest first; * marks the served one)."""
    from docqa.ingest.pipeline import counted

    root = _root(index)
    infos = versions.list_versions(root)
    if not infos:
        raise DocqaError(f"No index versions under {root}. Build one with: docqa ingest PATH --index {root}")
    for info in infos:
        if as_json:
            typer.echo(json.dumps(vars(info)))
        else:
            mark = "*" if info.current else " "
            sizes = "size unknown" if info.documents is None or info.chunks is None else f"{counted(info.documents, 'document')}, {counted(info.chunks, 'chunk')}"
            typer.echo(f"{mark} {info.name}  {sizes}  {info.model}  {info.created_at}")


@index_app.command("rollback")
def rollback_command(
    version: Optional[str] = typer.Argument(None, help="Version to serve [default: the one before the current]"),
    index: Optional[Path] = typer.Option(None, "--index", parser=nonempty_path, metavar="<path>", help="Index directory [env DOCQA_INDEX]"),
) -> None:
    """Serve an earlier version again (a running server picks it up by itself)."""
    root = _root(index)
    name = versions.rollback(root, version)
    typer.echo(f"Now serving {name} from {root}")


RELOAD_REFUSALS = {
    404: "it has no admin routes (it was started without DOCQA_ADMIN_TOKEN); send it SIGHUP, or restart it with the token",
    401: "DOCQA_ADMIN_TOKEN here is not the server's admin token",
}


def reload_command(
    url: Optional[str] = typer.Option(None, "--url", help="The running server [default http://HOST:PORT from settings]"),
) -> None:
    """Ask a running server to load the current index version now (needs DOCQA_ADMIN_TOKEN)."""
    settings = load_settings()
    token = settings.admin_token
    if not token:
        raise DocqaError("Set DOCQA_ADMIN_TOKEN (the server's admin token) to use docqa reload; or send the server SIGHUP.")
    base = (url or f"http://{settings.host}:{settings.port}").rstrip("/")
    try:
        parts = urllib.parse.urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname or (parts.port is not None and parts.port < 1):
            raise ValueError("not an absolute http(s) address")  # .port itself raises for a port not a number or beyond 65535
        request = urllib.request.Request(f"{base}/admin/reload", method="POST", headers={"Authorization": f"Bearer {token}"})
    except ValueError as exc:
        raise InvalidInput(f"--url must look like http://HOST:PORT, not {base!r}") from exc
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            data = json.loads(response.read())
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    except ValueError as exc:  # a reply that is not docqa's JSON
        raise DocqaError(f"The server at {base} did not answer as docqa does: {exc}") from exc
    except urllib.error.HTTPError as exc:
        why = RELOAD_REFUSALS.get(exc.code) or f"HTTP {exc.code} {exc.read()[:200].decode(errors='replace')}"
        raise DocqaError(f"The server at {base} refused the reload: {why}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DocqaError(f"No docqa server reachable at {base}: {exc}") from exc
    typer.echo(f"Server at {base} now serves version {data.get('version')}")
