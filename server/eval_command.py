"""`docqa eval`: pick the evaluation (question set, BEIR folder or SQuAD file), run it, render it."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Sequence

from docqa.config import Settings
from docqa.errors import InvalidInput
from docqa.index.evaluation.evaluate import EvalResult, QuestionItem
from docqa.index.retrieval.search import SearchMode
from docqa.server import components


def run_eval(
    source: Path,
    settings: Settings,
    *,
    modes: Sequence[str] = tuple(m.value for m in SearchMode),
    progress: bool = False,
    limit: int | None = None,
    seed: int | None = None,
    part: str | None = None,
) -> EvalResult:
    """Evaluate `source`: a SQuAD JSON file or a BEIR folder (each indexed into a cached index), or a JSONL
    question set (against the served index). `limit`, `seed` and `part` apply to SQuAD files only."""
    from docqa.index.evaluation import evaluate
    from docqa.ingest import beir

    modes = tuple(SearchMode.parse(m).value for m in modes)
    evaluate.require_ranx()  # before indexing a BEIR or SQuAD collection (minutes), not after
    if source.is_file() and source.suffix.lower() == ".json":
        return run_squad(source, settings, modes=modes, limit=limit, seed=seed, part=part)
    if limit is not None or seed is not None or part is not None:
        raise InvalidInput("--limit, --seed and --part apply to SQuAD files (.json) only")
    if source.is_dir():
        if not beir.is_beir_dir(source):
            raise InvalidInput(f"{source} is a folder but not a BEIR collection (no {beir.CORPUS})")
        judged = evaluate.load_beir(source)  # a bad queries or qrels file: before indexing
        print(f"Evaluation index for {source}: built on first use, then cached in {beir.cache_folder(settings.cache)}", file=sys.stderr)
        root = components.beir_index(source, settings, progress=progress, on_phase=lambda phase: _say(phase.describe()))
        assistant = components.open_assistant(settings, index_root=root)
        _note_beir_gaps(source, judged, {d.doc_id for d in assistant.searcher.index.documents})
        return evaluate.evaluate_beir(assistant.searcher, source, modes=modes, dataset=source.resolve().name, judged=judged)
    if not source.is_file():
        raise InvalidInput(f"No such question set or BEIR folder: {source}")
    items = evaluate.load_questions(source)
    _check_questions(items, settings, source=source)
    _ensure_index(settings)
    assistant = components.open_assistant(settings)
    return evaluate.evaluate_questions(assistant, items, modes=modes, dataset=source.name)


def _check_questions(items: Sequence[QuestionItem], settings: Settings, *, source: Path) -> None:
    """Each turn of a question set is asked as `/api/ask` would take it: with a visible character, and no longer than
    DOCQA_MAX_QUESTION_CHARS (a 224,000-character question took 54 s to answer). Refused before any is asked."""
    from docqa.server.visible import QUESTION_PATTERN

    for item in items:
        for turn in item.turns:
            if not re.search(QUESTION_PATTERN, turn):
                raise InvalidInput(f"{source}: question {item.qid!r} has no visible character")
            if len(turn) > settings.max_question_chars:
                raise InvalidInput(
                    f"{source}: question {item.qid!r} is longer than {settings.max_question_chars} characters (DOCQA_MAX_QUESTION_CHARS)"
                )


def _note_beir_gaps(source: Path, judged: tuple[dict[str, str], dict[str, dict[str, int]]], indexed: set[str]) -> None:
    """Say on stderr what the BEIR figures leave out or cannot reach: queries without text, judged documents not indexed."""
    queries, qrels = judged
    blank = sum(1 for text in queries.values() if not text.strip())
    if blank:
        _say(f"{source / 'queries.jsonl'}: {blank} queries have no text; they are not scored")
    unknown = sorted({doc for relevant in qrels.values() for doc in relevant} - indexed)
    if unknown:
        _say(
            f"{source / 'qrels'}: {len(unknown)} judged documents are not in corpus.jsonl (or have no text), so no mode can find them: "
            + ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        )


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_squad(
    source: Path, settings: Settings, *, modes: Sequence[str], limit: int | None = None, seed: int | None = None, part: str | None = None
) -> EvalResult:
    """A SQuAD 1.1/2.0 file: its articles (all, or the `part` of `squad.split_articles`) indexed once into
    a cached index under `settings.cache`/squad, then every question (or a seeded, balanced sample of `limit`) asked.

    Progress lines (counts and seconds) go to stderr.
    """
    import time

    from docqa.index.evaluation.squad_eval import evaluate_squad
    from docqa.ingest import squad

    chosen = part or "all"
    if chosen not in squad.PARTS:
        raise InvalidInput(f"Unknown part {chosen!r}; choose one of: {', '.join(squad.PARTS)}")
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit must be 1 or more (got {limit})")
    started = time.perf_counter()
    data = squad.read_squad(source)
    if not data.questions:
        raise InvalidInput(f"{source}: no question to ask")
    selected = squad.select_part(data, chosen)  # type: ignore[arg-type]
    questions = squad.sample_questions(selected.questions, limit=limit, seed=seed or 0)
    if not questions:
        raise InvalidInput(f"{source}: no question in part {chosen!r}")
    answerable = sum(q.answerable for q in questions)
    _say(
        f"{source.name}: {len(selected.documents)} articles ({chosen}), {len(questions)} of {len(selected.questions)} questions "
        f"({answerable} answerable, {len(questions) - answerable} unanswerable) ({time.perf_counter() - started:.1f} s)"
    )
    _say(f"Evaluation index: built on first use, then cached in {squad.cache_folder(settings.cache)}")
    started = time.perf_counter()
    name = source.stem if chosen == "all" else f"{source.stem}-{chosen}"
    root = components.squad_index(selected, settings, name=name, on_phase=lambda phase: _say(phase.describe()))
    assistant = components.open_assistant(settings, index_root=root)
    _say(f"index ready: {root.name} ({time.perf_counter() - started:.1f} s)")
    suffix = "" if chosen == "all" else f" ({chosen})"
    return evaluate_squad(assistant, questions, modes=modes, dataset=f"{source.name}{suffix}", progress=_say)


def render(result: EvalResult, *, as_json: bool, report: Path | None, compare_with: Path | None) -> tuple[str, str]:
    """(stdout, stderr) of `docqa eval`; writes the HTML report when asked.

    With --json the comparison goes to stderr so stdout stays one JSON object.
    """
    from docqa.index.evaluation import report as eval_report

    main = json.dumps(result.to_json(), ensure_ascii=False) if as_json else eval_report.table(result)
    comparison = ""
    if compare_with is not None:
        old = _earlier_run(compare_with)
        try:
            comparison = eval_report.compare(old, result)
        except (AttributeError, TypeError, KeyError, ValueError) as exc:  # an object of another shape
            raise InvalidInput(f"{compare_with} is not the output of docqa eval --json ({type(exc).__name__}: {exc})") from exc
    if report is not None:
        try:
            report.write_text(eval_report.report_html(result), encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot write {report}: {exc.strerror or exc}") from exc
    if as_json:
        return main, comparison
    return "\n\n".join(x for x in (main, comparison) if x), ""


def check_outputs(*, report: Path | None, compare_with: Path | None) -> None:
    """Refuse an unwritable --report or an unreadable --compare before evaluating (minutes on a BEIR or SQuAD
    set), not after, when the figures would be lost."""
    if compare_with is not None:
        _earlier_run(compare_with)
    if report is not None:
        folder = report.parent
        if report.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
            why = "it is a folder" if report.is_dir() else f"no folder {folder}" if not folder.is_dir() else f"{folder} is not writable"
            raise InvalidInput(f"Cannot write {report}: {why}")


def _earlier_run(compare_with: Path) -> dict:
    """An earlier `docqa eval --json` output, read for --compare."""
    from docqa.index.evaluation.evaluate import parse_json, read_text

    try:
        old = parse_json(read_text(compare_with), where=str(compare_with))
    except InvalidInput as exc:
        raise InvalidInput(f"{exc} (expected the output of docqa eval --json)") from exc
    if not isinstance(old, dict):
        raise InvalidInput(f"{compare_with} is not the output of docqa eval --json (expected a JSON object)")
    return old


def _ensure_index(settings: Settings) -> None:
    """Like `docqa serve`: with no index yet, index the bundled corpus first."""
    from docqa.server.first_index import index_exists

    if index_exists(settings.index):
        return
    print(f"No index at {settings.index}: indexing {settings.corpus} first.", file=sys.stderr)
    components.ingest([settings.corpus], settings, on_phase=lambda phase: print(phase.describe(), file=sys.stderr))
