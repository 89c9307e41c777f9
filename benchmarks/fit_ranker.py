"""Fit the answerer's sentence ranker (index/answering/ranker-model.json) on SQuAD 2.0's fit part.

    python benchmarks/fit_ranker.py [DATA.json] [--out index/answering/ranker-model.json]
                                    [--split-seed 0] [--check-share 0.5] [--top 4] [--l2 1.0] [--no-check]

DATA defaults to ../shared/datasets/squad2-a/dev-a-v2.0.json, split into fit and check parts by article
as everywhere else (`docqa.ingest.squad.split_articles`, seed 0). Every answerable question of the fit
part is asked of the assistant (hybrid retrieval, the bundled all-MiniLM-L6-v2, the fit articles indexed
as one collection) with the ranker off; the `--top` best sentences of the hand-set order are kept, each
with the confidence model's features computed as if it were the answer, and labelled right when the
answer as shown contains a gold answer (SQuAD normalisation). The weights maximise the probability of
the right sentences under a softmax over each question's candidates (L2, Newton's method, standardised
features). The check part is only measured: how often the first candidate of the hand-set order, and
the ranker's choice, hold a gold answer. Refit the confidence model afterwards
(`python benchmarks/fit_confidence.py`): it is fitted on the sentences the ranker chooses.
"""

from __future__ import annotations

import argparse
import math
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
DEFAULT_OUT = REPO / "index" / "answering" / "ranker-model.json"
MODEL = "all-MiniLM-L6-v2"


def collect(part, *, embedder, cache: Path, name: str, top: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(ranking rows, right 0/1) of the `top` best candidates of every answerable question of `part`."""
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.answering.confidence import ConfidenceModel
    from docqa.index.answering.features import CONFIDENCE_FEATURES
    from docqa.index.answering.ranker import ranking_rows
    from docqa.index.assistant import Assistant
    from docqa.index.evaluation.answer_metrics import contains_answer
    from docqa.ingest import squad

    root = squad.prepare_index(part, embedder=embedder, cache=cache, name=name, progress=True)
    # Neither shipped model is read: the hand-set order gives the candidates, and a neutral confidence model
    # stands in, so that the ranker can be refitted first after the features change.
    with tempfile.TemporaryDirectory() as tmp:
        neutral = Path(tmp) / "neutral.json"
        ConfidenceModel.neutral(CONFIDENCE_FEATURES).save(neutral)
        settings = AnswerSettings(min_score=-math.inf, rerank=False, confidence_model=neutral)
        answerer = Assistant(root, embedder=embedder, answer_settings=settings).answerer
    groups = []
    for q in part.questions:
        if not q.answerable:
            continue
        options = answerer.assess_several(q.question, count=top)
        if options[0].candidate is None:
            continue
        right = []
        for option in options:
            start, end = answerer.shown_span(option)
            right.append(float(contains_answer(option.candidate.passage.chunk.text[start:end], list(q.gold_texts))))
        groups.append((ranking_rows([o.features for o in options]), np.asarray(right)))
    return groups


def chosen_right(groups: list[tuple[np.ndarray, np.ndarray]], weights: np.ndarray | None, mean: np.ndarray, scale: np.ndarray) -> float:
    """The share of questions whose chosen candidate is right (the hand-set order's first when `weights` is None)."""
    if not groups:
        return 0.0
    hits = 0.0
    for rows, right in groups:
        pick = 0 if weights is None else int(np.argmax(((rows - mean) / scale) @ weights))
        hits += right[pick]
    return hits / len(groups)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--split-seed", type=int, default=0)
    parser.add_argument("--check-share", type=float, default=0.5)
    parser.add_argument("--top", type=int, default=4, help="how many of the hand-set order's best candidates are compared")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--cache", type=Path, default=None, help="docqa's cache folder (default ~/.cache/docqa)")
    parser.add_argument("--no-check", action="store_true", help="do not measure the check part")
    args = parser.parse_args(argv)
    if args.top < 2:
        parser.error("--top must be at least 2 (with 1 there is nothing to choose)")

    from docqa.config import default_cache_dir
    from docqa.index.answering.ranker import FEATURES, SentenceRanker, fit_conditional_logit
    from docqa.index.embedding.embedder import get_embedder
    from docqa.ingest import squad

    data = squad.read_squad(args.data)
    embedder = get_embedder(MODEL)
    cache = args.cache or default_cache_dir()
    groups, titles = {}, {}
    for name in ("fit",) if args.no_check else ("fit", "check"):
        part = squad.select_part(data, name, check_share=args.check_share, seed=args.split_seed)
        titles[name] = list(part.titles)
        started = time.perf_counter()
        groups[name] = collect(part, embedder=embedder, cache=cache, name=f"{args.data.stem}-{name}", top=args.top)
        print(f"{name}: {len(groups[name])} answerable questions in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    rows = np.vstack([r for r, _ in groups["fit"]])
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    weights = fit_conditional_logit([((r - mean) / scale, y) for r, y in groups["fit"]], l2=args.l2)
    figures = {
        name: {
            "answerable_questions": len(g),
            "first_of_hand_order_right": round(chosen_right(g, None, mean, scale), 4),
            "ranker_choice_right": round(chosen_right(g, weights, mean, scale), 4),
            "any_of_top_right": round(float(np.mean([y.max() for _, y in g])), 4) if g else 0.0,
        }
        for name, g in groups.items()
    }
    model = SentenceRanker(
        FEATURES,
        tuple(mean.tolist()),
        tuple(scale.tolist()),
        tuple(weights.tolist()),
        top=args.top,
        training={
            **fit_record("fit_ranker.py", argv, data=args.data, split_seed=args.split_seed, check_share=args.check_share, titles=titles),
            "retrieval": "hybrid, all-MiniLM-L6-v2, the fit articles indexed as one collection, no paragraph given",
            "label": "1 = the candidate's answer as shown contains a gold answer (SQuAD normalisation)",
            "fit": f"conditional logit (softmax over each answerable question's {args.top} best candidates), L2 = {args.l2}, Newton",
        },
        metrics=figures,
    )
    model.save(args.out)
    for name, f in figures.items():
        print(
            f"{name}: {f['answerable_questions']} answerable questions; right sentence chosen: hand-set order "
            f"{f['first_of_hand_order_right']:.1%}, ranker {f['ranker_choice_right']:.1%} (any of the top {args.top}: {f['any_of_top_right']:.1%})"
        )
    print(f"written {args.out}", file=sys.stderr)
    for name, w in sorted(zip(FEATURES, weights), key=lambda item: -abs(item[1]))[:12]:
        print(f"  {name:32} {w:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
