"""`docqa eval`: pick the evaluation (question set or BEIR folder), run it, render it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Sequence

from docqa.errors import IndexNotFound, InvalidInput
from docqa.index.evaluation.evaluate import EvalResult
from docqa.index.retrieval.search import MODES
from docqa.config import Settings


def run_eval(source: Path, settings: Settings, *, modes: Sequence[str] = MODES, progress: bool = False) -> EvalResult:
    """Evaluate `source`: a BEIR folder (indexed into a cached index) or a JSONL question set (against the served index)."""
    from docqa.index.evaluation import evaluate
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder
    from docqa.ingest import beir
    from docqa.ingest.chunker import ChunkingSettings

    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise InvalidInput(f"Unknown mode {unknown[0]!r}; choose from: {', '.join(MODES)}")
    if source.is_dir():
        embedder = get_embedder(settings.model)
        print(f"Evaluation index for {source}: built on first use, then cached in {beir.cache_root()}", file=sys.stderr)
        root = beir.prepare_index(source, embedder=embedder, chunking=ChunkingSettings(max_tokens=settings.chunk_tokens), progress=progress)
        assistant = Assistant(root, embedder=embedder)
        return evaluate.evaluate_beir(assistant.searcher, source, modes=modes, dataset=source.resolve().name)
    if not source.is_file():
        raise InvalidInput(f"No such question set or BEIR folder: {source}")
    items = evaluate.load_questions(source)
    _ensure_index(settings)
    assistant = Assistant.open(settings.index, model=settings.model)
    return evaluate.evaluate_questions(assistant, items, modes=modes, dataset=source.name)


def render(result: EvalResult, *, as_json: bool, report: Path | None, compare_with: Path | None) -> tuple[str, str]:
    """(stdout, stderr) of `docqa eval`; writes the HTML report when asked.

    With --json the comparison goes to stderr so stdout stays one JSON object.
    """
    from docqa.index.evaluation import report as eval_report

    main = json.dumps(result.to_json(), ensure_ascii=False) if as_json else eval_report.table(result)
    comparison = ""
    if compare_with is not None:
        try:
            old = json.loads(compare_with.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"Cannot read {compare_with} (expected the output of docqa eval --json): {exc}") from exc
        comparison = eval_report.compare(old, result)
    if report is not None:
        try:
            report.write_text(eval_report.report_html(result), encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot write {report}: {exc.strerror or exc}") from exc
    if as_json:
        return main, comparison
    return "\n\n".join(x for x in (main, comparison) if x), ""


def _ensure_index(settings: Settings) -> None:
    """Like `docqa serve`: with no index yet, index the bundled corpus first."""
    from docqa.index.storage import versions
    from docqa.index.embedding.embedder import get_embedder
    from docqa.ingest.chunker import ChunkingSettings
    from docqa.ingest.pipeline import ingest

    try:
        versions.current_version(settings.index)
        return
    except IndexNotFound:
        print(f"No index at {settings.index}: indexing {settings.corpus} first.", file=sys.stderr)
    ingest(
        [settings.corpus],
        index_root=settings.index,
        embedder=get_embedder(settings.model),
        chunking=ChunkingSettings(max_tokens=settings.chunk_tokens),
        keep_versions=settings.keep_versions,
    )
