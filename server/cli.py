"""The `docqa` command: ingest | crawl | serve | ask | eval (and index, reload, questions).

Errors become a one-line message and an exit code here, in one place (`main`):
0 done, 1 failed (nothing usable; a folder that cannot be read or written), 2 bad usage or input,
3 ingest partial (an index was written but some documents could not be read; files of unsupported types,
links to folders and files reached twice are listed but do not make an ingest partial), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from docqa.config import load_settings
from docqa.errors import DocqaError, Interrupted, InvalidInput
from docqa.index.storage import versions
from docqa.server.crawl_cli import crawl_command
from docqa.server.index_cli import index_app, nonempty_path, reload_command
from docqa.server.questions_cli import questions_app

# Help texts are plain text: Rich markup would swallow their "[env DOCQA_...]" and "[default: ...]" notes.
app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None, help="Answers from your documents, with their sources."
)
EXIT_PARTIAL = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
app.add_typer(index_app, name="index")
app.command("reload")(reload_command)
app.add_typer(questions_app, name="questions")
app.command("crawl")(crawl_command)


def _print_version(given: bool) -> None:
    if given:
        from importlib.metadata import version

        typer.echo(f"docqa {version('docqa')}")
        raise typer.Exit()


@app.callback()
def _options(
    _version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Print docqa's version and exit"),
) -> None:
    """Options before the command: --version."""


IndexOpt = typer.Option(None, "--index", parser=nonempty_path, metavar="<path>", help="Index directory [env DOCQA_INDEX]")
ModelOpt = typer.Option(None, "--model", help="sentence-transformers model name or folder [env DOCQA_MODEL]")


@app.command("ingest")
def ingest_command(
    paths: list[Path] = typer.Argument(None, parser=nonempty_path, help="Files or folders to index [default: the bundled corpus]"),
    index: Optional[Path] = IndexOpt,
    model: Optional[str] = ModelOpt,
    chunk_tokens: Optional[int] = typer.Option(None, help="Largest chunk in model tokens"),
    ray: Optional[str] = typer.Option(None, "--ray", help="Read, chunk and embed on this Ray cluster: HOST:PORT of its head, or auto [env DOCQA_RAY_ADDRESS]"),
) -> None:
    """Index documents (.txt .md .html .pdf .docx .odt) into a new index version."""
    from docqa.ingest.pipeline import counted
    from docqa.server import components

    settings = load_settings(index=index, model=model, chunk_tokens=chunk_tokens, ray_address=ray)
    components.check_ray_installed(settings, flag_given=ray is not None)
    interactive = sys.stderr.isatty()
    served = versions.current_name(settings.index)
    try:
        report = components.ingest(
            paths or [settings.corpus], settings, progress=interactive, on_phase=lambda phase: typer.echo(phase.describe(), err=True), use_ray=True
        )
    except KeyboardInterrupt:
        raise versions.interrupted(settings.index, served) from None
    for skipped in report.skipped:
        typer.echo(f"skipped {skipped.path}: {skipped.reason}", err=True)
    unread = sum(not s.ignored for s in report.skipped)
    typer.echo(
        f"Indexed {counted(report.documents, 'document')}, {counted(report.chunks, 'chunk')} ({counted(report.sentences, 'sentence')}); "
        f"skipped {len(report.skipped)}" + (f" ({unread} could not be read)" if unread else "") + f". Version {report.version} in {settings.index}"
    )
    if unread:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("serve")
def serve_command(
    index: Optional[Path] = IndexOpt,
    model: Optional[str] = ModelOpt,
    host: Optional[str] = typer.Option(None, help="Interface to listen on [default 127.0.0.1]"),
    port: Optional[int] = typer.Option(None, help="Port [default 8000]"),
    workers: int = typer.Option(1, min=1, help="Worker processes over the same index (each holds its own copy of the vectors)"),
    sync: Optional[list[str]] = typer.Option(None, "--sync", help="Keep the index in step with this website: crawl it at start and every --sync-every (repeatable)"),
    sync_every: Optional[str] = typer.Option(None, "--sync-every", help="Time between two crawls of --sync: 30m, 6h, 1d... [default: 6h]"),
    follow_links: bool = typer.Option(False, "--follow-links", help="--sync: follow same-site links even when the site has a sitemap"),
    allow_private: bool = typer.Option(False, "--allow-private", help="--sync: allow private, loopback and link-local addresses"),
) -> None:
    """Serve the chat page and the API (with no index yet, indexes the bundled corpus while already listening)."""
    import logging

    import uvicorn

    from docqa.server import components
    from docqa.server.access_log import configure_logging
    from docqa.server.app import create_app, prepare_serving_process
    from docqa.server.connections import check_open_file_limit, listening_socket, uvicorn_options
    from docqa.server.hardening import reload_on_sighup

    alone = [flag for flag, given in (("--sync-every", sync_every is not None), ("--follow-links", follow_links), ("--allow-private", allow_private)) if given]
    if alone and not sync:
        raise InvalidInput(f"{alone[0]} needs --sync URL (it only shapes the crawls of --sync).")
    settings = load_settings(index=index, model=model, host=host, port=port)
    configure_logging()
    log = logging.getLogger("docqa")
    components.question_log(settings)  # a bad DOCQA_DATABASE_URL (or no PostgreSQL driver) stops here, with its message
    check_open_file_limit(settings.max_connections)
    scheduler = None
    listening = listening_socket(settings.host, settings.port)  # a port in use: docqa's one line, exit 1, before any work
    if sync:
        from docqa.server.scheduled_sync import prepare_sync

        scheduler = prepare_sync(settings, sync, every=sync_every or "6h", follow_links=follow_links, allow_private=allow_private)
    if workers > 1:
        from docqa.server.workers import run

        if scheduler is not None:
            scheduler.start()  # in the supervisor: each worker follows CURRENT by itself
        return run(settings, workers=workers, listening=listening)
    prepare_serving_process()
    served = create_app(settings, load_in_background=True, build_missing_index=True)
    reload_on_sighup(served.state.reloader)
    if scheduler is not None:
        scheduler.on_published = served.state.reloader.ensure_serving
        scheduler.start()

    class Server(uvicorn.Server):  # uvicorn listens in startup: "serving" is said once that succeeded
        async def startup(self, sockets: Optional[list] = None) -> None:
            await super().startup(sockets)
            log.info(f"serving {settings.index} on http://{settings.host}:{settings.port}")

    server = Server(uvicorn.Config(served, host=settings.host, port=settings.port, log_level="warning", access_log=False, **uvicorn_options(settings)))
    try:
        server.run(sockets=[listening])  # what uvicorn.run does for one process
    except KeyboardInterrupt:
        pass
    except SystemExit as stopped:
        if stopped.code != 3:
            raise
        raise typer.Exit(1) from None  # uvicorn could not start (port taken, unknown host; it logged why): docqa's 3 is 'ingest partial'
    if not server.started:
        raise typer.Exit(1)


@app.command("ask")
def ask_command(
    question: str = typer.Argument(..., help="The question"),
    index: Optional[Path] = IndexOpt,
    model: Optional[str] = ModelOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the same JSON as the API"),
    mode: Optional[str] = typer.Option(None, "--mode", help="Retrieval: dense | bm25 | hybrid [default: hybrid]"),
) -> None:
    """Answer one question from the index and print its sources."""
    from docqa.index.answering.base import Source
    from docqa.index.retrieval.search import SearchMode
    from docqa.server import components
    from docqa.server.visible import has_visible_character

    chosen = SearchMode.parse(mode)
    settings = load_settings(index=index, model=model)
    question = question.strip()
    if not has_visible_character(question):
        raise InvalidInput("The question is empty (it needs a visible character).")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:  # argument bytes that are not UTF-8 arrive as lone surrogates, which the model's tokenizer refuses
        raise InvalidInput("The question is not UTF-8 text (check the terminal's encoding).") from None
    if len(question) > settings.max_question_chars:
        raise InvalidInput(f"The question is longer than {settings.max_question_chars} characters.")
    assistant = components.open_assistant(settings)
    answer = assistant.ask(question, mode=chosen)
    if as_json:  # the API's fields: answer_id is null, as from a server that keeps no question log
        body = dataclasses.asdict(answer) | {"index_version": assistant.index.folder.name, "answer_id": None}
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    if answer.read_as:
        typer.echo(f"(read as: {answer.read_as})")
    if answer.short_answer and answer.short_answer.strip() != answer.answer.strip():
        typer.echo(answer.short_answer)  # the few words that answer first, as the chat shows them
    typer.echo(answer.answer)
    documents: dict[str, Source] = {}
    for source in answer.sources:  # each document once, at its best passage
        documents.setdefault(source.doc_id, source)
    if documents and not answer.answered:
        typer.echo("Closest passages:")
    for n, source in enumerate(list(documents.values())[:3], start=1):
        typer.echo(f"  [{n}] {source.title} — {source.source} (score {source.score:.2f})")


@app.command("eval")
def eval_command(
    questions: Path = typer.Argument(..., help="A JSONL question set, a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) or a SQuAD .json file"),
    index: Optional[Path] = IndexOpt,
    model: Optional[str] = ModelOpt,
    mode: Optional[list[str]] = typer.Option(None, "--mode", help="Mode(s) to measure [default: all]"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object"),
    report: Optional[Path] = typer.Option(None, "--report", help="Write a self-contained HTML report here"),
    compare: Optional[Path] = typer.Option(None, "--compare", help="An earlier --json output: list questions that got better or worse"),
    limit: Optional[int] = typer.Option(None, "--limit", help="SQuAD: a seeded sample of this many questions (half answerable)"),
    seed: Optional[int] = typer.Option(None, "--seed", help="SQuAD: seed of the --limit sample [default 0]"),
    part: Optional[str] = typer.Option(None, "--part", help="SQuAD: fit | check | all articles (a fixed split by article) [default all]"),
) -> None:
    """Measure retrieval (nDCG, MRR, Recall@k) and answers on a question set, a BEIR collection or a SQuAD file."""
    from docqa.index.retrieval.search import SearchMode
    from docqa.server.eval_command import check_outputs, render, run_eval

    settings = load_settings(index=index, model=model)
    modes = tuple(SearchMode.parse(m).value for m in mode) if mode else tuple(m.value for m in SearchMode)
    check_outputs(report=report, compare_with=compare)
    result = run_eval(questions, settings, modes=modes, progress=not as_json, limit=limit, seed=seed, part=part)
    out, err = render(result, as_json=as_json, report=report, compare_with=compare)
    typer.echo(out)
    if err:
        typer.echo(err, err=True)
    if report is not None:
        typer.echo(f"Report written to {report}", err=True)


deploy_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Configuration for what runs in front of docqa.")
app.add_typer(deploy_app, name="deploy")


@deploy_app.command("nginx")
def deploy_nginx_command(
    upstream: str = typer.Option(..., "--upstream", help="The replicas: HOST:PORT[,HOST:PORT...] (one for a single server)"),
    listen: str = typer.Option(..., "--listen", help="Where nginx listens: HOST:PORT"),
    server_name: Optional[str] = typer.Option(None, "--server-name", help="nginx server_name [default: _ (any)]"),
    rate_limit: Optional[str] = typer.Option(None, "--rate-limit", help="/api/ requests per client address, e.g. 10r/s, 300r/m [default: 10r/s]"),
    burst: Optional[int] = typer.Option(None, "--burst", help="requests a client may send at once above --rate-limit [default: 20]"),
    certificate: Optional[Path] = typer.Option(None, "--certificate", help="TLS certificate (PEM); with --certificate-key, nginx speaks HTTPS"),
    certificate_key: Optional[Path] = typer.Option(None, "--certificate-key", help="TLS private key (PEM)"),
) -> None:
    """Print an nginx configuration for docqa replicas: load balancing, retries, limits, rate limit."""
    from docqa.server.deploy import render, site

    chosen = site(upstream=upstream, listen=listen, server_name=server_name, rate_limit=rate_limit, burst=burst,
                  certificate=certificate, certificate_key=certificate_key)  # fmt: skip
    typer.echo(render(chosen), nl=False)


# click's usage error and its base, as the installed typer has them (its own copy of click, or click).
_UsageError, _ClickException = typer.BadParameter.__mro__[1:3]


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning errors into messages and exit codes.

    Usage errors (an unknown command or option, a missing argument) are one line naming the command's
    --help, and exit 2. Outside standalone mode click returns `typer.Exit`'s code (--help: 0) and raises
    the rest here.
    """
    try:
        result = typer.main.get_command(app).main(args=argv, prog_name="docqa", standalone_mode=False)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    except _UsageError as exc:
        if "\n" in exc.format_message():  # a group called without a command: its help
            typer.echo(exc.format_message(), err=True)
        else:
            where = exc.ctx.command_path if exc.ctx is not None else "docqa"
            typer.echo(f"Error: {exc.format_message()} (see '{where} --help')", err=True)
        return 2
    except _ClickException as exc:
        typer.echo(f"Error: {exc.format_message()}", err=True)
        return exc.exit_code
    except Interrupted as exc:
        typer.echo(f"Interrupted: {exc}", err=True)
        return EXIT_INTERRUPTED
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        return 1
    except InvalidInput as exc:
        typer.echo(f"Error: {exc}", err=True)
        return 2
    except DocqaError as exc:
        typer.echo(f"Error: {exc}", err=True)
        return 1
    except OSError as exc:  # a folder that cannot be written (--index on a file, no permission), a full disk...
        typer.echo(f"Error: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), err=True)
        return 1
    return result if isinstance(result, int) and not isinstance(result, bool) else 0


if __name__ == "__main__":
    sys.exit(main())
