"""Measure retrieval and answers: question sets and BEIR collections → metrics per mode.

Retrieval metrics (nDCG@10, MRR@10, Recall@k) are computed by ranx. Question sets
are answered through `Assistant.ask`, exactly what `/api/ask` serves, and scored
for the answer trade-off: correct / wrong / declined, for answerable and
unanswerable items apart. SQuAD files are scored in evaluation/squad_eval.py (an `EvalResult`
with `answers`). Rendering (table, HTML, comparison) is in evaluation/report.py.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

import numpy as np

from docqa.errors import InvalidInput
from docqa.index.answering.followup import replay
from docqa.index.retrieval.search import DEFAULT_MODE, MODES, Passage, Searcher
from docqa.index.text import fold

if TYPE_CHECKING:
    from docqa.index.assistant import Assistant
    from docqa.index.evaluation.squad_eval import AnswerEvaluation

METRICS = ("ndcg@10", "mrr@10", "recall@1", "recall@5", "recall@10", "recall@100")
CURVE_KS = (1, 2, 3, 5, 10, 20, 50, 100)
DEPTH = 100
"""Ranked results per query (documents for BEIR, passages for question sets)."""


@dataclass(frozen=True)
class QuestionItem:
    """One line of a question set: a question (or a dialogue of turns) and what it should yield."""

    qid: str
    turns: tuple[str, ...]
    """The visitor's messages in order; the last one is scored."""
    answer: str | None = None
    source: str | None = None
    answerable: bool = True

    @property
    def question(self) -> str:
        """The scored (last) turn."""
        return self.turns[-1]


@dataclass(frozen=True)
class QueryResult:
    """How one query fared in one mode."""

    qid: str
    query: str
    first_relevant: int | None
    """Rank of the first relevant result (None: not retrieved, or no relevance known)."""
    top: str
    """The top result: its id and the start of its text."""
    latency_ms: float
    scores: dict = field(default_factory=dict)
    """Per-query metric values (only for queries with known relevance)."""
    answer: str | None = None
    outcome: str | None = None
    """correct | wrong | declined (question sets only)."""
    answerable: bool = True


@dataclass(frozen=True)
class ModeResult:
    """Metrics of one mode (means over queries) and the per-query rows."""

    mode: str
    metrics: dict
    queries: list[QueryResult]


@dataclass(frozen=True)
class EvalResult:
    """Everything `docqa eval` reports."""

    dataset: str
    default_mode: str
    modes: dict[str, ModeResult]
    answers: "AnswerEvaluation | None" = None
    """A SQuAD file's answer figures and rows (evaluation/squad_eval.py); None for other sources."""
    relevance: str | None = None
    """What counts as a relevant result, where the source does not say it itself (SQuAD)."""

    def to_json(self) -> dict:
        """`{"dataset", "default_mode", "results": {mode: metrics}, "queries": {mode: [rows]}}`, plus
        `"relevance"` and `"answers": {"mode", "candidates", "metrics", "rows"}` for a SQuAD file."""
        data = {
            "dataset": self.dataset,
            "default_mode": self.default_mode,
            "results": {m: r.metrics for m, r in self.modes.items()},
            "queries": {m: [asdict(q) for q in r.queries] for m, r in self.modes.items()},
        }
        if self.relevance is not None:
            data["relevance"] = self.relevance
        if self.answers is not None:
            data["answers"] = self.answers.to_json()
        return data


# --- reading --------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A UTF-8 evaluation file's text (a leading byte order mark, as Windows tools write, dropped);
    `InvalidInput` when it cannot be read or is not UTF-8."""
    if path.exists() and not path.is_file() and not path.is_dir():  # /dev/zero reads without end, a named pipe waits for a writer
        raise InvalidInput(f"Cannot read {path}: not a regular file (a device, pipe or socket)")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"Cannot read {path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}") from exc


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(text: str, *, where: str) -> object:
    """`text` as JSON; `InvalidInput` naming `where` when it is not (or is nested too deeply to read, or a
    string holds a lone surrogate)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"{where}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise InvalidInput(f"{where}: not valid JSON (nested too deeply)") from exc
    if _SURROGATE_ESCAPE.search(text):  # "\ud800" alone decodes to a code point no text holds (the model's tokenizer refuses it)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput(f"{where}: a string holds a lone surrogate (a \\u{ord(exc.object[exc.start]):04x} escape without its pair), which is not text") from exc
        except RecursionError:  # deep, but read: its strings are checked where they are used
            pass
    return data


def _jsonl(path: Path) -> Iterable[tuple[int, dict]]:
    # Lines end at "\n" only: str.splitlines() also splits at U+2028, U+2029 and NEL, which JSON
    # strings hold raw (a visitor's logged question, `docqa questions export --format eval`).
    lines = read_text(path).split("\n")
    for number, line in enumerate(lines, start=1):
        if line.strip():
            row = parse_json(line, where=f"{path}:{number}")
            if not isinstance(row, dict):
                raise InvalidInput(f"{path}:{number}: expected a JSON object")
            yield number, row


def load_questions(path: Path) -> list[QuestionItem]:
    """Read a question set (JSONL): `question` or `turns`, optional `id`, `answer`, `source`, `answerable`.

    Ids must be distinct (a line without one is known by its line number): results are kept by id.
    """
    items: list[QuestionItem] = []
    lines_of: dict[str, int] = {}
    for number, row in _jsonl(path):
        turns = row.get("turns", [row.get("question")] if "question" in row else None)
        if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            raise InvalidInput(f"{path}:{number}: needs a non-empty \"question\" or \"turns\" list of strings")
        answer, source, answerable = row.get("answer"), row.get("source"), row.get("answerable", True)
        if answer is not None and not isinstance(answer, str) or source is not None and not isinstance(source, str):
            raise InvalidInput(f"{path}:{number}: \"answer\" and \"source\" must be strings")
        if not isinstance(answerable, bool):
            raise InvalidInput(f"{path}:{number}: \"answerable\" must be true or false")
        qid = str(row.get("id", number))
        if qid in lines_of:
            raise InvalidInput(f"{path}:{number}: duplicate id {qid!r} (line {lines_of[qid]} has it; a line without \"id\" is known by its number)")
        lines_of[qid] = number
        items.append(QuestionItem(qid, tuple(t.strip() for t in turns), answer or None, source or None, answerable))
    if not items:
        raise InvalidInput(f"{path} holds no question")
    return items


def load_beir(folder: Path, *, split: str = "test") -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """Queries (id → text) and graded qrels (query id → {doc id → grade > 0}) of a BEIR folder.

    A line of another shape (a query without "_id" or "text", a qrels row without exactly three columns, a
    score that is not an integer, a query queries.jsonl lacks) is `InvalidInput` naming the file and line.
    Only queries with text are judged (an empty query would be scored on an arbitrary ranking)."""
    queries = _beir_queries(folder / "queries.jsonl")
    qrels: dict[str, dict[str, int]] = {}
    path = folder / "qrels" / f"{split}.tsv"
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.rstrip("\r").split("\t")]
        if len(parts) != 3:
            raise InvalidInput(f"{path}:{number}: expected 3 tab-separated columns (query-id, corpus-id, score), got {len(parts)}")
        qid, doc, score = parts
        if number == 1 and qid not in queries and not _is_integer(score):
            continue  # the header (query-id, corpus-id, score)
        if not _is_integer(score):
            raise InvalidInput(f"{path}:{number}: the score must be an integer, not {score!r}")
        if qid not in queries:
            raise InvalidInput(f"{path}:{number}: query {qid!r} is not in {folder / 'queries.jsonl'}")
        if not doc:
            raise InvalidInput(f"{path}:{number}: the corpus-id is empty")
        if int(score) > 0:
            qrels.setdefault(qid, {})[doc] = int(score)
    qrels = {q: r for q, r in qrels.items() if queries[q].strip()}
    if not qrels:
        raise InvalidInput(f"{path}: no judged query matches {folder / 'queries.jsonl'}")
    return queries, qrels


def _beir_queries(path: Path) -> dict[str, str]:
    """A BEIR queries.jsonl: id → text; each line an object with a string or integer "_id" and a string "text"."""
    queries: dict[str, str] = {}
    lines_of: dict[str, int] = {}
    for number, row in _jsonl(path):
        qid, text = row.get("_id"), row.get("text")
        if not isinstance(qid, (str, int)) or isinstance(qid, bool):
            raise InvalidInput(f"{path}:{number}: not a BEIR query line (expected \"_id\" as a string or an integer)")
        if not isinstance(text, str):
            raise InvalidInput(f"{path}:{number}: not a BEIR query line (expected \"text\" as a string)")
        qid = str(qid)
        if qid in lines_of:
            raise InvalidInput(f"{path}:{number}: duplicate query id {qid!r} (line {lines_of[qid]} has it)")
        lines_of[qid] = number
        queries[qid] = text
    return queries


def _is_integer(text: str) -> bool:
    return text.removeprefix("-").isdigit() and text.isascii()


# --- metrics --------------------------------------------------------------------------------


def require_ranx() -> None:
    """Raise InvalidInput naming the eval extra when ranx is not installed (`docqa eval` checks before any work)."""
    try:
        import ranx  # noqa: F401
    except ImportError as exc:  # ranx is the eval extra (it pulls numba, pandas, matplotlib): not in a serving install
        raise InvalidInput("docqa eval needs ranx, which this install lacks: pip install 'docqa[eval]'") from exc


def retrieval_metrics(
    qrels: dict[str, dict[str, int]], run: dict[str, list[str]], *, metrics: Sequence[str] = METRICS
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Mean and per-query values of `metrics` (ranx) for ranked id lists `run`."""
    require_ranx()
    from ranx import Qrels, Run, evaluate

    ranked = {q: {doc: float(len(ids) - i) for i, doc in enumerate(ids)} for q, ids in run.items() if q in qrels and ids}
    if not ranked:  # no judged query retrieved anything ("What?" in bm25): ranx cannot build an empty run, and every metric is 0
        return {m: 0.0 for m in metrics}, {q: {m: 0.0 for m in metrics} for q in qrels}
    ranx_run = Run(ranked).make_comparable(Qrels(qrels))  # a judged query missing from `ranked` is added, empty
    means = evaluate(Qrels(qrels), ranx_run, list(metrics), make_comparable=False)
    means = {metrics[0]: means} if isinstance(means, float) else means
    per_query = {q: {m: float(ranx_run.scores[m][q]) for m in metrics} for q in qrels}
    return {m: round(float(v), 4) for m, v in means.items()}, per_query


def _first_relevant(ids: Sequence[str], relevant: dict[str, int]) -> int | None:
    return next((rank for rank, doc in enumerate(ids, start=1) if doc in relevant), None)


def _p50(values: Sequence[float]) -> float:
    return round(float(np.median(values)), 1) if values else 0.0


def _snippet(passage: Passage, *, width: int = 160) -> str:
    text = " ".join(passage.chunk.text.split())
    return f"{passage.chunk.document.doc_id}: {text[:width]}{'…' if len(text) > width else ''}"


def _documents(passages: Sequence[Passage], n: int) -> list[str]:
    """Document ids in order of their best passage, at most `n`."""
    return list(dict.fromkeys(p.chunk.document.doc_id for p in passages))[:n]


def rank_documents(searcher: Searcher, queries: Mapping[str, str], qrels: dict[str, dict[str, int]], mode: str) -> ModeResult:
    """Documents ranked by their best passage for each judged query of `qrels` (its text in `queries`), in `mode`:
    the retrieval metrics (means, the Recall@k curve, search latency p50) and one row per query."""
    run: dict[str, list[str]] = {}
    rows: list[QueryResult] = []
    for qid in qrels:
        started = time.perf_counter()
        passages = searcher.search(queries[qid], k=2 * DEPTH, mode=mode)
        elapsed = (time.perf_counter() - started) * 1000
        run[qid] = _documents(passages, DEPTH)
        top = _snippet(passages[0]) if passages else ""
        rows.append(QueryResult(qid, queries[qid], _first_relevant(run[qid], qrels[qid]), top, round(elapsed, 1)))
    if not qrels:
        return ModeResult(mode, {"queries": 0}, [])
    means, per_query = retrieval_metrics(qrels, run)
    curve, _ = retrieval_metrics(qrels, run, metrics=[f"recall@{k}" for k in CURVE_KS])
    means.update(curve)
    means["latency_p50_ms"] = _p50([r.latency_ms for r in rows])
    means["queries"] = len(rows)
    return ModeResult(mode, means, [replace(r, scores=per_query[r.qid]) for r in rows])


# --- BEIR -----------------------------------------------------------------------------------


def evaluate_beir(
    searcher: Searcher,
    folder: Path,
    *,
    modes: Sequence[str] = MODES,
    dataset: str | None = None,
    judged: tuple[dict[str, str], dict[str, dict[str, int]]] | None = None,
) -> EvalResult:
    """Rank the documents of a BEIR collection (indexed in `searcher`) for each judged query
    (`judged`: `load_beir(folder)` when already read)."""
    queries, qrels = judged or load_beir(folder)
    results = {mode: rank_documents(searcher, queries, qrels, mode) for mode in modes}
    return EvalResult(dataset or folder.name, DEFAULT_MODE if DEFAULT_MODE in results else modes[0], results)


# --- question sets --------------------------------------------------------------------------


def _matches_source(doc, source: str) -> bool:
    wanted = source.strip().lower()
    return wanted in (doc.doc_id.lower(), Path(doc.source).name.lower(), doc.title.lower(), doc.source.lower())


def relevant_passages(searcher: Searcher, item: QuestionItem) -> dict[str, int]:
    """Passages that hold the expected answer (within the expected source, when one is given).

    Falls back to every passage of the source when none holds the answer text verbatim.
    Empty when the item carries neither an answer nor a source.
    """
    if not item.answerable or (item.answer is None and item.source is None):
        return {}
    index = searcher.index
    wanted = fold(item.answer) if item.answer else None
    in_source: list[int] = []
    holding: list[int] = []
    for cid in range(len(index)):
        chunk = index.chunk(cid)
        if item.source is not None and not _matches_source(chunk.document, item.source):
            continue
        in_source.append(cid)
        if wanted is not None and wanted in fold(chunk.text):
            holding.append(cid)
    chosen = holding or (in_source if item.source is not None else [])
    return {str(cid): 1 for cid in chosen}


def _outcome(item: QuestionItem, answer) -> str:
    if not answer.answered:
        return "declined"
    if not item.answerable:
        return "wrong"
    if item.answer is not None:
        return "correct" if fold(item.answer) in fold(answer.answer) else "wrong"
    if item.source is not None and answer.sources:
        top = answer.sources[0]
        return "correct" if item.source.strip().lower() in (top.doc_id.lower(), Path(top.source).name.lower()) else "wrong"
    return "correct"


def answer_tradeoff(outcomes: Sequence[tuple[bool, str]]) -> dict[str, float]:
    """Counts and rates from (answerable, outcome) pairs."""
    count = lambda answerable, outcome: sum(1 for a, o in outcomes if a == answerable and o == outcome)  # noqa: E731
    answerable = sum(1 for a, _ in outcomes if a)
    unanswerable = len(outcomes) - answerable
    stats = {
        "answerable": answerable,
        "answerable_correct": count(True, "correct"),
        "answerable_wrong": count(True, "wrong"),
        "answerable_declined": count(True, "declined"),
        "unanswerable": unanswerable,
        "unanswerable_declined": count(False, "declined"),
        "unanswerable_answered": count(False, "wrong"),
    }
    stats["answer_accuracy"] = round(stats["answerable_correct"] / answerable, 4) if answerable else 0.0
    stats["decline_rate"] = round(stats["unanswerable_declined"] / unanswerable, 4) if unanswerable else 0.0
    stats["false_decline_rate"] = round(stats["answerable_declined"] / answerable, 4) if answerable else 0.0
    return stats


def evaluate_questions(assistant: "Assistant", items: Sequence[QuestionItem], *, modes: Sequence[str] = MODES, dataset: str = "questions") -> EvalResult:
    """Answer every item through `assistant.ask` in each mode; score retrieval and answers.

    Retrieval is scored on single questions with known relevance (a dialogue's last
    turn depends on its history, so only its answer is scored).
    """
    searcher: Searcher = assistant.searcher
    relevance = {item.qid: relevant_passages(searcher, item) for item in items}
    results: dict[str, ModeResult] = {}
    for mode in modes:
        rows: list[QueryResult] = []
        run: dict[str, list[str]] = {}
        search_ms: list[float] = []
        shorts: list[bool] = []  # right answers with an expected text: does their short answer hold it?
        for item in items:
            started = time.perf_counter()
            answer = replay(assistant.ask, item.turns, mode=mode)
            elapsed = (time.perf_counter() - started) * 1000
            outcome = _outcome(item, answer)
            if item.answer is not None and outcome == "correct":
                shorts.append(bool(answer.short_answer) and fold(item.answer) in fold(answer.short_answer))
            first, top, scores = None, answer.sources[0].doc_id if answer.sources else "", {}
            if len(item.turns) == 1 and relevance[item.qid]:
                started = time.perf_counter()
                passages = searcher.search(item.question, k=DEPTH, mode=mode)
                search_ms.append((time.perf_counter() - started) * 1000)
                run[item.qid] = [str(p.chunk.chunk_id) for p in passages]
                first = _first_relevant(run[item.qid], relevance[item.qid])
                top = _snippet(passages[0]) if passages else ""
            rows.append(QueryResult(item.qid, " → ".join(item.turns), first, top, round(elapsed, 1), scores, answer.answer, outcome, item.answerable))
        metrics: dict = {}
        judged = {q: r for q, r in relevance.items() if r and q in run}
        if judged:
            metrics, per_query = retrieval_metrics(judged, run)
            curve, _ = retrieval_metrics(judged, run, metrics=[f"recall@{k}" for k in CURVE_KS])
            metrics.update(curve)
            rows = [QueryResult(**{**asdict(r), "scores": per_query.get(r.qid, {})}) for r in rows]
        metrics["retrieval_queries"] = len(judged)
        metrics.update(answer_tradeoff([(r.answerable, r.outcome) for r in rows]))
        # A dialogue is right when its last turn is answered right, or declined when the documents cannot answer it.
        dialogues = [r.outcome == ("correct" if r.answerable else "declined") for item, r in zip(items, rows) if len(item.turns) > 1]
        if dialogues:
            metrics["dialogues"] = len(dialogues)
            metrics["dialogues_correct"] = sum(dialogues)
            metrics["dialogue_accuracy"] = round(sum(dialogues) / len(dialogues), 4)
        if shorts:
            metrics["short_answers_checked"] = len(shorts)
            metrics["short_answers_holding"] = sum(shorts)
        metrics["latency_p50_ms"] = _p50([r.latency_ms for r in rows])
        metrics["search_latency_p50_ms"] = _p50(search_ms)
        results[mode] = ModeResult(mode, metrics, rows)
    return EvalResult(dataset, DEFAULT_MODE if DEFAULT_MODE in results else modes[0], results)
