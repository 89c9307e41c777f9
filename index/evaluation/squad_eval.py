"""SQuAD files in `docqa eval`: every question asked through the assistant, scored as issue 12 defines.

Retrieval (per mode, `evaluate.retrieval_metrics`): the documents are the articles, ranked by their best
passage; for an answerable question the relevant document is its own article (doc id = the article's
title); unanswerable questions have no relevant document and are not scored for retrieval.

Answers (one mode, the result's default), SQuAD normalisation (lower case, ASCII punctuation and
a/an/the removed, whitespace collapsed):
- right: an answerable question answered with a gold answer inside `answer` (whole normalised words),
  or an unanswerable question declined. `overall` is the share of right questions.
- short answer: `Answer.short_answer` where the answerer's `Answer` has that field, else the first
  `highlights` span; exact match and F1 against the best gold answer, over the answered answerable
  questions that have one (`short_em`, `short_f1`) and over all answered answerable ones (`*_all_answered`,
  a missing short answer scoring 0).
- candidate: the answer the assistant would give without its decline threshold (asked again with
  `min_score = -inf` when the real call declined, where the answerer has that setting); it is right when
  the question is answerable and the candidate holds a gold answer. `confidence` is read as P(candidate
  right): the ECE (10 bins, confidence clipped to [0, 1]), `auc_right` and the risk–coverage table
  (accuracy when answering only the 50% / 80% / 100% most confident) score it.
- `auc_answerable`: ROC AUC of `confidence` for telling answerable from unanswerable questions.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from docqa.index.evaluation import answer_metrics as am
from docqa.index.evaluation.evaluate import EvalResult, ModeResult, rank_documents
from docqa.index.retrieval.search import DEFAULT_MODE

if TYPE_CHECKING:
    from docqa.ingest.squad import SquadQuestion

COVERAGES = (0.5, 0.8, 1.0)
RELEVANCE = "the question's own article (one document per article); answerable questions only"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class SourceRow:
    """One passage returned with an answer."""

    doc_id: str
    score: float
    rank: int
    holds_answer: bool
    """The answerer placed its answer in this passage (`answer_span` set)."""
    holds_gold: bool
    """The passage's text contains a gold answer (normalised, whole words)."""


@dataclass(frozen=True)
class AnswerRow:
    """One SQuAD question asked through the assistant, and how the answer scored."""

    qid: str
    title: str
    question: str
    is_impossible: bool
    golds: list[str]
    plausible: list[str]
    answered: bool
    answer: str
    highlights: list[str]
    short_answer: str | None
    """The short answer given (None when declined or when the answer has none)."""
    short_em: float | None
    """Exact match of `short_answer` (answerable questions with a short answer only)."""
    short_f1: float | None
    confidence: float
    query: str
    language: str
    right: bool
    """Answerable and answered with a gold answer inside, or unanswerable and declined."""
    outcome: str
    """correct | wrong | declined."""
    candidate: str
    """The answer given with no decline threshold (= `answer` when answered; "" when none)."""
    candidate_short: str | None
    candidate_right: bool
    """Answerable, and the candidate contains a gold answer."""
    gold_in_sources: bool
    sources: list[SourceRow]
    latency_ms: float


@dataclass(frozen=True)
class AnswerFigures:
    """The issue-12 figures over a set of `AnswerRow`s (shares in [0, 1], EM/F1 in 0–100; NaN when undefined)."""

    questions: int
    answerable: int
    unanswerable: int
    answerable_correct: float
    answerable_wrong: float
    answerable_declined: float
    unanswerable_declined: float
    overall: float
    short_answer_share: float
    """Share of the answered answerable questions whose answer carries a short answer."""
    short_em: float
    short_f1: float
    short_em_all_answered: float
    short_f1_all_answered: float
    candidate_correct: float
    auc_answerable: float
    auc_right: float
    auc_right_within_answerable: float
    ece: float
    risk_coverage: tuple[am.CoveragePoint, ...]
    gold_in_sources: float
    gold_in_top_source: float
    latency_p50_ms: float


@dataclass(frozen=True)
class AnswerEvaluation:
    """The answer side of a SQuAD evaluation: the mode asked, the figures and one row per question."""

    mode: str
    figures: AnswerFigures
    rows: tuple[AnswerRow, ...]
    candidates: bool
    """Whether declined questions were asked again without the threshold (else a declined candidate is wrong)."""

    def to_json(self) -> dict:
        """`{"mode", "candidates", "metrics": {...}, "rows": [...]}` with NaN as null."""
        return no_nan({"mode": self.mode, "candidates": self.candidates, "metrics": asdict(self.figures), "rows": [asdict(r) for r in self.rows]})


def no_nan(value: Any) -> Any:
    """`value` with every NaN float replaced by None (strict JSON has no NaN)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: no_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [no_nan(v) for v in value]
    return value


# --- one question ---------------------------------------------------------------------------


def short_answer(answer: Any) -> str | None:
    """`answer.short_answer` where `Answer` has that field, else the text of its first highlight; None if neither."""
    if not answer.answered:
        return None
    if hasattr(answer, "short_answer"):
        text = answer.short_answer
        return text if isinstance(text, str) and text.strip() else None
    if not answer.highlights:
        return None
    start, end = answer.highlights[0]
    return answer.answer[start:end] or None


def unthresholded(assistant: Any) -> Any | None:
    """The assistant's answerer again with no decline threshold (`min_score = -inf`), or None if it has no such setting."""
    answerer = assistant.answerer
    settings = getattr(answerer, "settings", None)
    if settings is None or not hasattr(settings, "min_score"):
        return None
    try:
        return type(answerer)(assistant.searcher, settings=replace(settings, min_score=-math.inf))
    except (TypeError, ValueError):
        return None


def score(question: "SquadQuestion", answer: Any, candidate: Any, *, latency_ms: float) -> AnswerRow:
    """The row of `question`, given the assistant's `answer` and its unthresholded `candidate` (or `answer` itself)."""
    golds = list(question.gold_texts)
    answerable = question.answerable
    contains = answerable and answer.answered and am.contains_answer(answer.answer, golds)
    short = short_answer(answer)
    scored_short = answerable and short is not None
    sources = [
        SourceRow(s.doc_id, float(s.score), rank, s.answer_span is not None, bool(golds) and am.contains_answer(s.text, golds))
        for rank, s in enumerate(answer.sources, start=1)
    ]
    right = contains if answerable else not answer.answered
    return AnswerRow(
        qid=question.qid,
        title=question.title,
        question=question.question,
        is_impossible=question.is_impossible,
        golds=golds,
        plausible=list(dict.fromkeys(a.text for a in question.plausible_answers)),
        answered=answer.answered,
        answer=answer.answer,
        highlights=[answer.answer[s:e] for s, e in answer.highlights],
        short_answer=short,
        short_em=am.exact_match(short, golds) if scored_short else None,
        short_f1=round(am.f1_score(short, golds), 4) if scored_short else None,
        confidence=float(answer.confidence),
        query=answer.query,
        language=answer.language,
        right=right,
        outcome="declined" if not answer.answered else "correct" if right else "wrong",
        candidate=candidate.answer if candidate.answered else "",
        candidate_short=short_answer(candidate),
        candidate_right=answerable and candidate.answered and am.contains_answer(candidate.answer, golds),
        gold_in_sources=any(s.holds_gold for s in sources),
        sources=sources,
        latency_ms=round(latency_ms, 2),
    )


# --- figures --------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else math.nan


def figures(rows: Sequence[AnswerRow], *, coverages: Sequence[float] = COVERAGES) -> AnswerFigures:
    """The issue-12 figures of `rows` (see the module docstring for each definition)."""
    yes = [r for r in rows if not r.is_impossible]
    no = [r for r in rows if r.is_impossible]
    answered_yes = [r for r in yes if r.answered]
    with_short = [r for r in answered_yes if r.short_answer is not None]
    confidence = [r.confidence for r in rows]
    candidate_right = [r.candidate_right for r in rows]
    return AnswerFigures(
        questions=len(rows),
        answerable=len(yes),
        unanswerable=len(no),
        answerable_correct=_share(sum(r.right for r in yes), len(yes)),
        answerable_wrong=_share(sum(r.answered and not r.right for r in yes), len(yes)),
        answerable_declined=_share(sum(not r.answered for r in yes), len(yes)),
        unanswerable_declined=_share(sum(r.right for r in no), len(no)),
        overall=_share(sum(r.right for r in rows), len(rows)),
        short_answer_share=_share(len(with_short), len(answered_yes)),
        short_em=100 * _mean([am.exact_match(r.short_answer or "", r.golds) for r in with_short]),
        short_f1=100 * _mean([am.f1_score(r.short_answer or "", r.golds) for r in with_short]),
        short_em_all_answered=100 * _mean([am.exact_match(r.short_answer or "", r.golds) if r.short_answer else 0.0 for r in answered_yes]),
        short_f1_all_answered=100 * _mean([am.f1_score(r.short_answer or "", r.golds) if r.short_answer else 0.0 for r in answered_yes]),
        candidate_correct=_share(sum(r.candidate_right for r in yes), len(yes)),
        auc_answerable=am.roc_auc(confidence, [not r.is_impossible for r in rows]) if rows else math.nan,
        auc_right=am.roc_auc(confidence, candidate_right) if rows else math.nan,
        auc_right_within_answerable=am.roc_auc([r.confidence for r in yes], [r.candidate_right for r in yes]) if yes else math.nan,
        ece=am.expected_calibration_error([min(max(c, 0.0), 1.0) for c in confidence], candidate_right),
        risk_coverage=tuple(am.risk_coverage(confidence, candidate_right, coverages=coverages)),
        gold_in_sources=_share(sum(r.gold_in_sources for r in yes), len(yes)),
        gold_in_top_source=_share(sum(bool(r.sources) and r.sources[0].holds_gold for r in yes), len(yes)),
        latency_p50_ms=float(np.median([r.latency_ms for r in rows])) if rows else math.nan,
    )


# --- the whole evaluation -------------------------------------------------------------------


def ask_all(assistant: Any, questions: Sequence["SquadQuestion"], *, mode: str | None, progress: Progress | None = None) -> tuple[list[AnswerRow], bool]:
    """Ask every question through `assistant.ask` (and the unthresholded answerer when declined); (rows, candidates asked)."""
    fallback = unthresholded(assistant)
    rows: list[AnswerRow] = []
    started_all = last = time.perf_counter()
    for n, question in enumerate(questions, start=1):
        started = time.perf_counter()
        answer = assistant.ask(question.question, mode=mode)
        latency = (time.perf_counter() - started) * 1000
        candidate = answer if answer.answered or fallback is None else fallback.ask(question.question, mode=mode)
        rows.append(score(question, answer, candidate, latency_ms=latency))
        now = time.perf_counter()
        if progress is not None and (now - last >= 10 or n == len(questions)):
            last = now
            progress(f"asked {n}/{len(questions)} questions ({now - started_all:.0f} s)")
    return rows, fallback is not None


def _retrieval(searcher: Any, questions: Sequence["SquadQuestion"], mode: str) -> ModeResult:
    qrels = {q.qid: {q.title: 1} for q in questions if q.answerable}
    return rank_documents(searcher, {q.qid: q.question for q in questions}, qrels, mode)


def evaluate_squad(
    assistant: Any, questions: Sequence["SquadQuestion"], *, modes: Sequence[str], dataset: str, progress: Progress | None = None
) -> EvalResult:
    """Retrieval metrics in each of `modes`, and every question asked (in the default mode, else the first) and scored."""
    default = DEFAULT_MODE if DEFAULT_MODE in modes else modes[0]
    results: dict[str, ModeResult] = {}
    for mode in modes:
        results[mode] = _retrieval(assistant.searcher, questions, mode)
        if progress is not None:  # the searches' own time: the first mode's metrics also compile ranx (numba, seconds)
            searched = sum(q.latency_ms for q in results[mode].queries) / 1000
            progress(f"retrieval ({mode}): {results[mode].metrics['queries']} answerable questions searched ({searched:.0f} s)")
    rows, candidates = ask_all(assistant, questions, mode=default, progress=progress)
    answers = AnswerEvaluation(default, figures(rows), tuple(rows), candidates)
    return EvalResult(dataset, default, results, answers=answers, relevance=RELEVANCE)
