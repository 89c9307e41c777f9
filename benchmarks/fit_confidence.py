"""Fit the answerer's confidence model (index/answering/confidence-model.json) on SQuAD 2.0's fit part.

    python benchmarks/fit_confidence.py [DATA.json] [--out index/answering/confidence-model.json]
                                        [--split-seed 0] [--check-share 0.5] [--l2 1.0] [--min-answerable 0.72]
                                        [--limit N] [--no-check]

DATA defaults to ../shared/datasets/squad2-a/dev-a-v2.0.json. Its articles are split into a fit part and
a check part (`docqa.ingest.squad.split_articles`, seed 0, half each, as benchmarks/squad_answers.py
does). Every question of the fit part is asked of the assistant (hybrid retrieval, the bundled
all-MiniLM-L6-v2, the fit articles indexed as one collection, no paragraph given) with no decline, and
its best sentence's features (docqa.index.answering.features) are recorded with the outcome: 1 when
the question is answerable and the sentence shown contains a gold answer (SQuAD normalisation), else
0 (unanswerable, or the wrong sentence).

SQuAD's unanswerable questions are adversarial near-copies of a sentence; a visitor's usually ask for a
fact the documents never state. So that the model also learns what such a question looks like, the fit
part is indexed a second time with a seeded --drop-share (0.3) of each article's paragraphs left out,
and the answerable questions of the left-out paragraphs are asked of it: their outcome is measured the
same way (the sentence shown contains a gold answer, which the remaining text rarely allows). These
rows, from fit articles only, join the regression's training data with weight --drop-weight; the Platt
recalibration and the operating point use the plain SQuAD fit rows only.

SQuAD 2.0's writers made most unanswerable questions by changing one thing of an answerable one: another name,
another number. Half the fit part is unanswerable, too few such changes for the regression to learn them well.
So the answerable fit questions are asked once more with one change of that kind, seeded
(`with_one_name_swapped`): a name the question writes, capitalised and not its first word, becomes another name
the same article writes; a question with no name gets another number instead. These rows (outcome 0: the
question no longer asks what its paragraph says) join the regression with weight --swap-weight (1.0; 0: none);
like the left-out rows, they are left out of the recalibration and the operating point. They do not move the
coefficients of what a swap leaves as it was (REAL_ROWS_ONLY: the question's kind, length, negation, non-name
words), which are fitted on the real rows first and then held.

The model: an L2-penalised logistic regression on standardised features (IRLS, numpy), then Platt's
recalibration fitted on out-of-fold log-odds (5 folds by article, so the calibration is not that of
questions the regression has seen). The operating point is chosen on the same out-of-fold fit
probabilities: the threshold that maximises overall accuracy (right answers + right declines) while
answerable questions answered right stay at or above --min-answerable (0.72). The check part is only
measured (figures stored in the file), never used to choose anything.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from _common import fit_record  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "squad2-a" / "dev-a-v2.0.json"
DEFAULT_OUT = REPO / "index" / "answering" / "confidence-model.json"
MODEL = "all-MiniLM-L6-v2"
FOLDS = 5


def without_paragraphs(part, *, share: float, seed: int):
    """`part` with a seeded `share` of each article's paragraphs left out of its documents, and the answerable
    questions of the left-out paragraphs (nothing else) as its questions."""
    import random

    from docqa.ingest import squad
    from docqa.ingest.loaders import Document

    rng = random.Random(seed)
    documents, questions = [], []
    for doc in part.documents:
        paragraphs = doc.text.split(squad.PARAGRAPH_SEPARATOR)
        dropped = set(rng.sample(range(len(paragraphs)), int(round(share * len(paragraphs))))) if len(paragraphs) > 1 else set()
        kept = [text for i, text in enumerate(paragraphs) if i not in dropped]
        documents.append(Document(doc_id=doc.doc_id, title=doc.title, source=doc.source, text=squad.PARAGRAPH_SEPARATOR.join(kept)))
        questions += [q for q in part.questions if q.title == doc.doc_id and q.paragraph in dropped and q.answerable]
    return squad.SquadSet(path=part.path, version=part.version, documents=tuple(documents), questions=tuple(questions))


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*", re.MULTILINE)
_NUMBER = re.compile(r"\b\d{2,4}\b")


def with_one_name_swapped(part, *, seed: int):
    """`part`'s answerable questions, each made unanswerable as SQuAD 2.0's writers made theirs: one of its names
    (a capitalised run of words, not the first) swapped for another name its article writes, one sharing no word
    with the question; else, with no such name, one of its numbers changed. Questions with neither are left out."""
    import dataclasses
    import random

    from docqa.ingest import squad

    rng = random.Random(seed)
    names = {doc.doc_id: sorted({m.group() for m in _NAME.finditer(doc.text)}) for doc in part.documents}
    swapped = []
    for q in part.questions:
        if not q.answerable:
            continue
        written = set(re.findall(r"\w+", q.question.lower()))
        others = [n for n in names.get(q.title, ()) if not written & set(n.lower().split())]
        own = [m for m in _NAME.finditer(q.question) if m.start() > 0]
        numbers = list(_NUMBER.finditer(q.question))
        if own and others:
            m, replacement = rng.choice(own), rng.choice(others)
        elif numbers:
            m = rng.choice(numbers)
            replacement = str(int(m.group()) + rng.choice((-10, -3, -2, -1, 1, 2, 3, 10)))
        else:
            continue
        changed = q.question[: m.start()] + replacement + q.question[m.end() :]
        swapped.append(dataclasses.replace(q, qid=f"{q.qid}-swapped", question=changed, answers=(), is_impossible=True))
    return squad.SquadSet(path=part.path, version=part.version, documents=part.documents, questions=tuple(swapped))


def collect(part, *, embedder, cache: Path, name: str, bootstrap: Path, limit: int | None, seed: int) -> dict:
    """Features, outcomes, answerability and article of every question of `part` (the answerer never declines)."""
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from docqa.index.evaluation.answer_metrics import contains_answer
    from docqa.ingest import squad

    root = squad.prepare_index(part, embedder=embedder, cache=cache, name=name, progress=True)
    settings = AnswerSettings(min_score=-math.inf, confidence_model=bootstrap)
    assistant = Assistant(root, embedder=embedder, answer_settings=settings)
    questions = squad.sample_questions(part.questions, limit=limit, seed=seed, balanced=False) if limit else list(part.questions)
    x, y, answerable, articles, rows = [], [], [], [], []
    for q in questions:
        found = assistant.answerer.assess(q.question)
        if found.candidate is None:
            continue  # nothing to score: the answerer declines whatever the model says
        start, end = assistant.answerer.shown_span(found)
        sentence = found.candidate.passage.chunk.text[start:end]  # the answer as shown
        right = q.answerable and contains_answer(sentence, list(q.gold_texts))
        x.append(found.features)
        y.append(float(right))
        answerable.append(q.answerable)
        articles.append(q.title)
        rows.append({"qid": q.qid, "question": q.question, "answerable": q.answerable, "right": right, "sentence": sentence, "vetoed": found.confidence == 0.0})
    return {
        "x": np.asarray(x, dtype=np.float64),
        "y": np.asarray(y),
        "answerable": np.asarray(answerable, dtype=bool),
        "articles": articles,
        "rows": rows,
        "questions": len(questions),
    }


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and scales (standard deviations; 1 where a column is constant)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


REAL_ROWS_ONLY = (
    "terms_unknown",
    "topic_missing",
    "topic_all_missing",
    "negation_only_in_question",
    "question_words",
    "kind_when",
    "kind_number",
    "kind_who",
    "kind_where",
    "kind_definition",
    "kind_why",
)
"""Features whose coefficients are fitted on the real rows alone: those the swap leaves as the answerable question
had them (its kind, its length, its negation, its words other than names), so that a swapped row tells only of the
name changed. A swapped name also comes from the question's own article, so the question never writes a word the
collection lacks, as a real unanswerable question often does (`terms_unknown`)."""


def regression(x: np.ndarray, y: np.ndarray, *, l2: float, weights: np.ndarray, swapped: np.ndarray) -> tuple[np.ndarray, float]:
    """(coefficients, intercept) on standardised `x`; with swapped-name rows, REAL_ROWS_ONLY's coefficients are first
    fitted without them and then held."""
    from docqa.index.answering.confidence import fit_logistic
    from docqa.index.answering.features import CONFIDENCE_FEATURES as FEATURES

    if not swapped.any():
        return fit_logistic(x, y, l2=l2, weights=weights)
    real, _ = fit_logistic(x[~swapped], y[~swapped], l2=l2, weights=weights[~swapped])
    held = {FEATURES.index(name): float(real[FEATURES.index(name)]) for name in REAL_ROWS_ONLY}
    return fit_logistic(x, y, l2=l2, weights=weights, fixed=held)


def out_of_fold_log_odds(
    x: np.ndarray, y: np.ndarray, articles: list[str], *, l2: float, weights: np.ndarray, swapped: np.ndarray, scored: np.ndarray
) -> np.ndarray:
    """The log-odds of the rows where `scored` is true, each from a regression fitted without its article's fold."""
    titles = sorted(set(articles))
    fold_of = {t: i % FOLDS for i, t in enumerate(titles)}
    folds = np.asarray([fold_of[a] for a in articles])
    z = np.zeros(len(y))
    for k in range(FOLDS):
        held = folds == k
        if not held.any() or held.all():
            continue
        mean, scale = standardise(x[~held])
        w, b = regression((x[~held] - mean) / scale, y[~held], l2=l2, weights=weights[~held], swapped=swapped[~held])
        z[held] = ((x[held] - mean) / scale) @ w + b
    return z[scored]


def operating_point(p: np.ndarray, y: np.ndarray, answerable: np.ndarray, *, min_answerable: float) -> float:
    """The threshold maximising overall accuracy with answerable-correct ≥ `min_answerable` (the lowest such, on ties)."""
    best_t, best_overall = 0.0, -1.0
    n_yes = max(int(answerable.sum()), 1)
    for t in np.unique(np.concatenate([[0.0], p])):
        answered = p >= t
        right_answers = int((answered & (y > 0)).sum())
        declines = int((~answered & ~answerable).sum())
        if right_answers / n_yes < min_answerable:
            continue
        overall = (right_answers + declines) / len(p)
        if overall > best_overall + 1e-12:
            best_t, best_overall = float(t), overall
    return best_t


def metrics(p: np.ndarray, y: np.ndarray, answerable: np.ndarray, *, threshold: float, questions: int) -> dict:
    """The issue-12 figures for probabilities `p` at `threshold` (questions with no candidate count as declined)."""
    from docqa.index.evaluation.answer_metrics import expected_calibration_error, roc_auc

    answered = p >= threshold
    yes = max(int(answerable.sum()), 1)
    no = max(int((~answerable).sum()), 1)
    return {
        "questions": questions,
        "with_a_candidate": int(len(p)),
        "answerable": int(answerable.sum()),
        "candidate_correct": round(float(y[answerable].mean()), 4) if answerable.any() else None,
        "answerable_correct": round(float((answered & (y > 0)).sum() / yes), 4),
        "unanswerable_declined": round(float((~answered & ~answerable).sum() / no), 4),
        "overall": round(float(((answered & (y > 0)).sum() + (~answered & ~answerable).sum()) / len(p)), 4),
        "auc_answerable": round(float(roc_auc(p.tolist(), answerable.tolist())), 4),
        "auc_right": round(float(roc_auc(p.tolist(), (y > 0).tolist())), 4),
        "ece": round(float(expected_calibration_error(p.tolist(), (y > 0).tolist())), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--split-seed", type=int, default=0)
    parser.add_argument("--check-share", type=float, default=0.5)
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the standardised coefficients")
    parser.add_argument("--min-answerable", type=float, default=0.72, help="answerable-correct floor of the operating point")
    parser.add_argument("--limit", type=int, default=None, help="a seeded sample per part (development only)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=None, help="docqa's cache folder (default ~/.cache/docqa)")
    parser.add_argument("--no-check", action="store_true", help="do not measure the check part")
    parser.add_argument("--drop-share", type=float, default=0.3, help="share of paragraphs left out for the extra rows (0: none)")
    parser.add_argument("--drop-weight", type=float, default=1.0, help="weight of the left-out-paragraph rows in the regression")
    parser.add_argument("--swap-weight", type=float, default=1.0, help="weight of the rows with one name swapped (0: none)")
    parser.add_argument("--rows", type=Path, default=Path("/tmp/confidence_rows"), help="folder for per-question rows")
    args = parser.parse_args(argv)

    from docqa.config import default_cache_dir
    from docqa.index.answering.confidence import ConfidenceModel, fit_platt
    from docqa.index.answering.features import CONFIDENCE_FEATURES as FEATURES
    from docqa.index.embedding.embedder import get_embedder
    from docqa.ingest import squad

    data = squad.read_squad(args.data)
    embedder = get_embedder(MODEL)
    cache = args.cache or default_cache_dir()
    parts = ("fit",) if args.no_check else ("fit", "check")
    with tempfile.TemporaryDirectory() as tmp:
        bootstrap = Path(tmp) / "neutral.json"
        ConfidenceModel.neutral(FEATURES).save(bootstrap)
        collected, titles = {}, {}
        for name in parts:
            part = squad.select_part(data, name, check_share=args.check_share, seed=args.split_seed)
            titles[name] = list(part.titles)
            started = time.perf_counter()
            collected[name] = collect(
                part, embedder=embedder, cache=cache, name=f"{args.data.stem}-{name}", bootstrap=bootstrap, limit=args.limit, seed=args.seed
            )
            print(f"{name}: {collected[name]['questions']} questions in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            if name == "fit" and args.drop_share > 0:
                reduced = without_paragraphs(part, share=args.drop_share, seed=args.split_seed)
                collected["left_out"] = collect(
                    reduced, embedder=embedder, cache=cache, name=f"{args.data.stem}-fit-left-out", bootstrap=bootstrap, limit=None, seed=args.seed
                )
                print(f"left-out paragraphs: {collected['left_out']['questions']} questions", file=sys.stderr)
            if name == "fit" and args.swap_weight > 0:
                collected["swapped"] = collect(
                    with_one_name_swapped(part, seed=args.split_seed),
                    embedder=embedder, cache=cache, name=f"{args.data.stem}-fit", bootstrap=bootstrap, limit=None, seed=args.seed,
                )  # fmt: skip
                print(f"one name swapped: {collected['swapped']['questions']} questions", file=sys.stderr)

    fit = collected["fit"]
    x, y = fit["x"], fit["y"]
    # the regression's rows: the fit questions, then the extra rows of each kind with their weight
    extra_weights = {"left_out": args.drop_weight, "swapped": args.swap_weight}
    joined = [(fit, 1.0)] + [(collected[k], w) for k, w in extra_weights.items() if k in collected and len(collected[k]["y"])]
    all_x = np.vstack([part["x"] for part, _ in joined])
    all_y = np.concatenate([part["y"] for part, _ in joined])
    row_weights = np.concatenate([np.full(len(part["y"]), w) for part, w in joined])
    plain = np.arange(len(all_y)) < len(y)
    swapped = np.concatenate([np.full(len(part["y"]), part is collected.get("swapped")) for part, _ in joined])
    mean, scale = standardise(all_x)
    weights, intercept = regression((all_x - mean) / scale, all_y, l2=args.l2, weights=row_weights, swapped=swapped)
    articles = [a for part, _ in joined for a in part["articles"]]
    z_oof = out_of_fold_log_odds(all_x, all_y, articles, l2=args.l2, weights=row_weights, swapped=swapped, scored=plain)
    a, b = fit_platt(z_oof, y)
    draft = ConfidenceModel(tuple(FEATURES), tuple(mean.tolist()), tuple(scale.tolist()), tuple(weights.tolist()), intercept, platt=(a, b))
    p_oof = 1.0 / (1.0 + np.exp(-(a * z_oof + b)))
    threshold = operating_point(p_oof, y, fit["answerable"], min_answerable=args.min_answerable)
    figures = {"fit_out_of_fold": metrics(p_oof, y, fit["answerable"], threshold=threshold, questions=fit["questions"])}
    figures["fit_in_sample"] = metrics(np.asarray(draft.probability(x)), y, fit["answerable"], threshold=threshold, questions=fit["questions"])
    if "check" in collected:
        check = collected["check"]
        figures["check"] = metrics(np.asarray(draft.probability(check["x"])), check["y"], check["answerable"], threshold=threshold, questions=check["questions"])
    model = ConfidenceModel(
        draft.features,
        draft.mean,
        draft.scale,
        draft.coefficients,
        draft.intercept,
        platt=draft.platt,
        operating_point=round(threshold, 6),
        training={
            **fit_record("fit_confidence.py", argv, data=args.data, split_seed=args.split_seed, check_share=args.check_share, titles=titles),
            "questions": fit["questions"],
            "left_out_paragraph_rows": {
                "drop_share": args.drop_share,
                "weight": args.drop_weight,
                "rows": int(len(collected["left_out"]["y"])) if "left_out" in collected else 0,
                "right": int(collected["left_out"]["y"].sum()) if "left_out" in collected else 0,
                "about": "answerable fit questions asked of the fit index with their paragraph (and a seeded share of others) left out",
            },
            "one_name_swapped_rows": {
                "weight": args.swap_weight,
                "rows": int(len(collected["swapped"]["y"])) if "swapped" in collected else 0,
                "about": "answerable fit questions with one name swapped for another name of their article (else one number "
                "changed), asked of the fit index, outcome 0",
            },
            "sample": {"limit": args.limit, "seed": args.seed},
            "retrieval": "hybrid, all-MiniLM-L6-v2, the fit articles indexed as one collection, no paragraph given",
            "outcome": "1 = answerable and the sentence shown contains a gold answer (SQuAD normalisation); 0 = unanswerable or a wrong sentence",
            "regression": f"L2-penalised logistic regression (l2={args.l2}) on standardised features, IRLS",
            "calibration": f"Platt (a, b) on out-of-fold log-odds ({FOLDS} folds by article)",
            "operating_point_rule": f"the threshold maximising overall accuracy (right answers + right declines) on the out-of-fold fit "
            f"probabilities subject to answerable-correct >= {args.min_answerable}",
        },
        metrics=figures,
    )
    model.save(args.out)
    args.rows.mkdir(parents=True, exist_ok=True)
    for name, part in collected.items():
        p = np.asarray(model.probability(part["x"]))
        with (args.rows / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for row, vector, prob in zip(part["rows"], part["x"].tolist(), p.tolist()):
                handle.write(json.dumps({**row, "p": prob, "features": dict(zip(FEATURES, vector))}, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2))
    print(f"operating point {threshold:.4f}; written {args.out}", file=sys.stderr)
    for name, w in sorted(zip(FEATURES, weights), key=lambda item: -abs(item[1])):
        print(f"  {name:32} {w:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
