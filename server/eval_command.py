"""`docqa eval`: pick the evaluation (question set or BEIR folder), run it, render it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Sequence

from docqa.config import Settings
from docqa.errors import InvalidInput
from docqa.index.evaluation.evaluate import EvalResult
from docqa.index.retrieval.search import SearchMode
from docqa.server import components


def run_eval(source: Path, settings: Settings, *, modes: Sequence[str] = tuple(m.value for m in SearchMode), progress: bool = False) -> EvalResult:
    """Evaluate `source`: a BEIR folder (indexed into a cached index) or a JSONL question set (against the served index)."""
    from docqa.index.evaluation import evaluate
    from docqa.ingest import beir

    modes = tuple(SearchMode.parse(m).value for m in modes)
    if source.is_dir():
        print(f"Evaluation index for {source}: built on first use, then cached in {beir.cache_folder(settings.cache)}", file=sys.stderr)
        root = components.beir_index(source, settings, progress=progress)
        assistant = components.open_assistant(settings, index_root=root)
        return evaluate.evaluate_beir(assistant.searcher, source, modes=modes, dataset=source.resolve().name)
    if not source.is_file():
        raise InvalidInput(f"No such question set or BEIR folder: {source}")
    items = evaluate.load_questions(source)
    _ensure_index(settings)
    assistant = components.open_assistant(settings)
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
    from docqa.server.first_index import index_exists

    if index_exists(settings.index):
        return
    print(f"No index at {settings.index}: indexing {settings.corpus} first.", file=sys.stderr)
    components.ingest([settings.corpus], settings, on_phase=lambda phase: print(phase.describe(), file=sys.stderr))
