"""Answers on SQuAD 2.0 articles nobody tuned on (issue 12): right answers, declines, short answers, confidence.

    python benchmarks/squad_answers.py [DATA.json] [--part fit|check|all] [--limit N] [--seed S]
                                       [--split-seed S] [--check-share F] [--mode MODE] [--json OUT] [--rows OUT.jsonl]

DATA defaults to ../shared/datasets/squad2-a/dev-a-v2.0.json. The articles are split into a fit part and a
check part by article (`docqa.ingest.squad.split_articles`: sorted titles shuffled with --split-seed, half to
each by default); the chosen part's articles are indexed as ONE collection with the bundled
all-MiniLM-L6-v2 (kept under ~/.cache/docqa/squad, or --cache DIR/squad) and every question (or a seeded sample of --limit,
half answerable, half not) is asked through `Assistant.ask`, as `POST /api/ask` does, with no paragraph given.

How each figure is defined (SQuAD normalisation: lower case, ASCII punctuation and a/an/the removed):
- "answer" is the `answer` field (the sentence(s) shown to the visitor); it is right when it contains a
  gold answer as whole normalised words. Unanswerable questions are handled right when declined.
- short answer: `Answer.short_answer` where the answer has that field, else its first `highlights` span;
  exact match / F1 against all gold answers (best), over the answered answerable questions that have one.
- The assistant's figures and rows are computed by `docqa.index.evaluation.squad_eval` (what `docqa eval FILE.json`
  reports); this script adds the baseline and the threshold sweep.
- candidate: the answer the assistant would give with no decline threshold (the same `ask` with
  `min_score = -inf`, asked again only when the real call declined). AUC "right vs wrong", ECE and the
  risk–coverage table score whether the candidate is right (any answer to an unanswerable question is wrong).
- AUC answerable vs unanswerable: how well `confidence` ranks answerable questions above unanswerable ones.
- ECE: 10 equal-width bins of `confidence` clipped to [0, 1] (today's confidence is a score, not a probability).
- retrieval: the share of answerable questions whose gold answer occurs in the returned sources' texts.
- baseline: the sentence of the collection closest to the question by cosine (MiniLM), never declining;
  its cosine is its confidence.

Per-question rows (features for fitting a confidence model) go to --rows (default /tmp/squad_rows_<part>.jsonl).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Sequence

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docqa.index.evaluation import squad_eval  # noqa: E402
from docqa.index.evaluation.squad_eval import AnswerRow, SourceRow  # noqa: E402,F401  (SourceRow: rows file layout)

DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "squad2-a" / "dev-a-v2.0.json"
MODEL = "all-MiniLM-L6-v2"
COVERAGES = (0.5, 0.8, 1.0)
SWEEP = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""Decline thresholds tried on the rows (probabilities), besides the answerer's own decline point."""


@dataclass(frozen=True)
class QuestionRow(AnswerRow):
    """One line of the rows file: the library's `AnswerRow` (docqa.index.evaluation.squad_eval) plus the baseline."""

    baseline_sentence: str
    baseline_cosine: float
    baseline_right: bool


def _sentences(index) -> tuple[list[str], np.ndarray]:
    """Every sentence of the index (text by sentence row) and the stored sentence vectors."""
    texts: list[str | None] = [None] * len(index.sentence_vectors)
    for cid in range(len(index)):
        chunk = index.chunk(cid)
        for row, (start, end) in zip(chunk.sentence_rows, chunk.sentences):
            if texts[row] is None:
                texts[row] = chunk.text[start:end]
    vectors = np.asarray(index.sentence_vectors, dtype=np.float32)
    return [t or "" for t in texts], vectors


def run(questions: Sequence, assistant, *, mode: str | None, progress: bool = True) -> list[QuestionRow]:
    """Ask every question (scored by `squad_eval.ask_all`, as `docqa eval` does) and the baseline; one row each."""
    from docqa.index.evaluation.answer_metrics import contains_answer

    say = (lambda line: print(f"  {line}", file=sys.stderr)) if progress else None
    scored, _ = squad_eval.ask_all(assistant, questions, mode=mode, progress=say)
    sentence_texts, sentence_vectors = _sentences(assistant.index)
    question_vectors = assistant.embedder.embed([q.question for q in questions])
    cosines = question_vectors @ sentence_vectors.T
    rows: list[QuestionRow] = []
    for n, (q, row) in enumerate(zip(questions, scored)):
        best = int(np.argmax(cosines[n]))
        golds = list(q.gold_texts)
        rows.append(
            QuestionRow(
                **{f.name: getattr(row, f.name) for f in fields(AnswerRow)},
                baseline_sentence=sentence_texts[best],
                baseline_cosine=float(cosines[n, best]),
                baseline_right=bool(golds) and contains_answer(sentence_texts[best], golds),
            )
        )
    return rows


def _share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def summarise(rows: Sequence[QuestionRow], *, decline_point: float | None = None) -> dict:
    """The issue-12 figures: the assistant's from the library (`squad_eval.figures`, as `docqa eval` reports them), and the baseline's;
    the threshold sweep includes `decline_point` (the answerer's own) when given."""
    from docqa.index.evaluation.answer_metrics import expected_calibration_error, risk_coverage, roc_auc

    yes = [r for r in rows if not r.is_impossible]
    answerable = [not r.is_impossible for r in rows]
    assistant = asdict(squad_eval.figures(rows, coverages=COVERAGES))
    cosine = [r.baseline_cosine for r in rows]
    baseline_right = [r.baseline_right for r in rows]
    baseline = {
        "answerable_correct": _share(sum(r.baseline_right for r in yes), len(yes)),
        "unanswerable_declined": 0.0,
        "overall": _share(sum(r.baseline_right for r in yes), len(rows)),
        "auc_answerable": roc_auc(cosine, answerable),
        "auc_right": roc_auc(cosine, baseline_right),
        "ece": expected_calibration_error([min(max(c, 0.0), 1.0) for c in cosine], baseline_right),
        "risk_coverage": [asdict(p) for p in risk_coverage(cosine, baseline_right, coverages=COVERAGES)],
    }
    thresholds = sorted(set(SWEEP) | ({round(decline_point, 4)} if decline_point is not None else set()))
    return {"assistant": assistant, "baseline": baseline, "threshold_sweep": threshold_sweep(rows, thresholds)}


def threshold_sweep(rows: Sequence[QuestionRow], thresholds: Sequence[float] = SWEEP) -> list[dict]:
    """What each decline threshold on `confidence` would give, from the unthresholded candidates.

    A question is answered at threshold t when it has a candidate and confidence ≥ t.
    """
    yes = [r for r in rows if not r.is_impossible]
    no = [r for r in rows if r.is_impossible]
    out = []
    for t in thresholds:
        answers = lambda r: bool(r.candidate) and r.confidence >= t  # noqa: E731
        right_yes = sum(answers(r) and r.candidate_right for r in yes)
        declined_no = sum(not answers(r) for r in no)
        out.append(
            {
                "threshold": t,
                "answerable_correct": _share(right_yes, len(yes)),
                "answerable_declined": _share(sum(not answers(r) for r in yes), len(yes)),
                "unanswerable_declined": _share(declined_no, len(no)),
                "overall": _share(right_yes + declined_no, len(rows)),
            }
        )
    return out


def _pct(value: float) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.1f}%"


def _num(value: float, digits: int = 3) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def table(figures: dict) -> str:
    """The issue-12 table, assistant beside the plain top-1 sentence baseline."""
    a, b = figures["assistant"], figures["baseline"]
    lines = [
        f"{'':58} {'assistant':>10} {'top-1 cos':>10}",
        f"{'answerable: the answer contains a gold answer':58} {_pct(a['answerable_correct']):>10} {_pct(b['answerable_correct']):>10}",
        f"{'  answered wrong / declined':58} {_pct(a['answerable_wrong']) + ' / ' + _pct(a['answerable_declined']):>10}",
        f"{'  with no threshold (candidate contains a gold answer)':58} {_pct(a['candidate_correct']):>10}",
        f"{'unanswerable: declined':58} {_pct(a['unanswerable_declined']):>10} {_pct(b['unanswerable_declined']):>10}",
        f"{'overall (right answers + right declines)':58} {_pct(a['overall']):>10} {_pct(b['overall']):>10}",
        f"{'answered answerable with a short answer':58} {_pct(a['short_answer_share']):>10}",
        f"{'short answer vs gold: EM / F1 (those with one)':58} {_num(a['short_em'], 1) + ' / ' + _num(a['short_f1'], 1):>10}",
        f"{'short answer vs gold: EM / F1 (all answered answerable)':58} {_num(a['short_em_all_answered'], 1) + ' / ' + _num(a['short_f1_all_answered'], 1):>10}",
        f"{'ROC AUC of confidence: answerable vs unanswerable':58} {_num(a['auc_answerable']):>10} {_num(b['auc_answerable']):>10}",
        f"{'ROC AUC of confidence: right vs wrong candidate (all)':58} {_num(a['auc_right']):>10} {_num(b['auc_right']):>10}",
        f"{'ROC AUC of confidence: right vs wrong (answerable only)':58} {_num(a['auc_right_within_answerable']):>10}",
        f"{'ECE (10 bins, confidence clipped to [0, 1])':58} {_num(a['ece']):>10} {_num(b['ece']):>10}",
    ]
    for pa, pb in zip(a["risk_coverage"], b["risk_coverage"]):
        label = f"accuracy answering the {pa['coverage']:.0%} most confident (n={pa['answered']})"
        lines.append(f"{label:58} {_pct(pa['accuracy']):>10} {_pct(pb['accuracy']):>10}")
    lines += [
        f"{'retrieval: gold answer in the returned sources (answerable)':58} {_pct(a['gold_in_sources']):>10}",
        f"{'retrieval: gold answer in the first source (answerable)':58} {_pct(a['gold_in_top_source']):>10}",
        f"{'Assistant.ask latency p50 (ms)':58} {_num(a['latency_p50_ms'], 1):>10}",
        "",
        "decline threshold on confidence:  answerable correct / declined,  unanswerable declined,  overall",
    ]
    for point in figures.get("threshold_sweep", []):
        lines.append(
            f"  {point['threshold']:>6.4f}  {_pct(point['answerable_correct']):>8} / {_pct(point['answerable_declined']):>6}"
            f"  {_pct(point['unanswerable_declined']):>8}  {_pct(point['overall']):>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA, help="a SQuAD 2.0 JSON file")
    parser.add_argument("--part", choices=("fit", "check", "all"), default="check")
    parser.add_argument("--limit", type=int, default=None, help="a seeded sample of this many questions (half answerable)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the --limit sample")
    parser.add_argument("--split-seed", type=int, default=0, help="seed of the fit/check article split")
    parser.add_argument("--check-share", type=float, default=0.5, help="share of the articles in the check part")
    parser.add_argument("--mode", default=None, help="retrieval mode (default: the assistant's)")
    parser.add_argument("--cache", type=Path, default=None, help="docqa's cache folder; indexes go to its squad/ (default ~/.cache/docqa)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--rows", type=Path, help="per-question rows (JSONL); default /tmp/squad_rows_<part>.jsonl")
    args = parser.parse_args(argv)

    from docqa.config import default_cache_dir
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder
    from docqa.ingest import squad

    data = squad.read_squad(args.data)
    part = squad.select_part(data, args.part, check_share=args.check_share, seed=args.split_seed)
    questions = squad.sample_questions(part.questions, limit=args.limit, seed=args.seed)
    print(f"{args.data.name}: part {args.part}: {len(part.titles)} articles ({', '.join(part.titles)}); "
          f"{len(questions)} of {len(part.questions)} questions", file=sys.stderr)

    embedder = get_embedder(MODEL)
    started = time.perf_counter()
    name = f"{args.data.stem}-{args.part}" if args.part != "all" else args.data.stem
    root = squad.prepare_index(part, embedder=embedder, cache=args.cache or default_cache_dir(), name=name, progress=True)
    print(f"index: {root} ({time.perf_counter() - started:.0f} s to build or load)", file=sys.stderr)
    assistant = Assistant(root, embedder=embedder)
    assistant.warm_up()

    started = time.perf_counter()
    rows = run(questions, assistant, mode=args.mode)
    elapsed = time.perf_counter() - started
    threshold = getattr(assistant.answerer, "threshold", None)  # the model's operating point, or min_score when set
    figures = summarise(rows, decline_point=threshold)
    print(table(figures))
    print(f"({len(rows)} questions in {elapsed:.0f} s; answerer {type(assistant.answerer).__name__}, decline point {threshold})", file=sys.stderr)

    rows_path = args.rows or Path(f"/tmp/squad_rows_{args.part}.jsonl")
    with rows_path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
    print(f"rows: {rows_path}", file=sys.stderr)
    if args.json:
        report = {
            "data": str(args.data),
            "part": args.part,
            "split_seed": args.split_seed,
            "check_share": args.check_share,
            "articles": list(part.titles),
            "limit": args.limit,
            "seed": args.seed,
            "mode": args.mode,
            "answerer": type(assistant.answerer).__name__,
            "decline_point": threshold,
            **figures,
        }
        args.json.write_text(json.dumps(squad_eval.no_nan(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
