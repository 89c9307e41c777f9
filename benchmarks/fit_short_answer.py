"""Fit and measure the short-answer scorer (index/answering/short_answer.py) on SQuAD-format data.

    python benchmarks/fit_short_answer.py fit   [DATA.json] [--out FILE] [--split-seed 0] [--l2 1.0] [--l2-kind 3.0]
    python benchmarks/fit_short_answer.py check [DATA.json] [--model FILE] [--part check] [--rows ROWS.jsonl]
    python benchmarks/fit_short_answer.py cv    [DATA.json]   # 2-fold by article inside the fit part (choosing l2)
    python benchmarks/fit_short_answer.py speed [DATA.json]   # CPU time per call, nothing cached

DATA defaults to ../shared/datasets/squad2-a/dev-a-v2.0.json; its articles are split into fit and check
parts as everywhere else (`docqa.ingest.squad.split_articles`, seed 0). The scorer never sees the check
part's articles. Each answerable question gives one example: the sentence of its paragraph that holds
its (first) gold answer, split as ingest splits (`docqa.ingest.chunker.split_sentences`, pysbd). `fit` learns to pick a gold span among the sentence's candidates
(softmax over the candidates, L2, L-BFGS) and writes index/answering/short_answer_model.json.
`check` prints coverage, exact match and F1 (SQuAD normalisation, against every gold answer) per
question kind on the gold sentences, and with --rows (benchmarks/squad_answers.py --rows output) on the
sentences the assistant actually chose for answered answerable questions.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from docqa.index.answering import short_answer as sa
from docqa.index.evaluation.answer_metrics import exact_match, f1_score, normalize_answer
from docqa.ingest.chunker import split_sentences
from docqa.ingest.squad import read_squad, select_part, split_articles

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "datasets" / "squad2-a" / "dev-a-v2.0.json"
COMMAND = "python benchmarks/fit_short_answer.py fit"


@dataclass(frozen=True)
class Example:
    question: str
    sentence: str
    golds: tuple[str, ...]
    title: str


def examples(path: Path, part: str, *, split_seed: int = 0, plausible: bool = False) -> list[Example]:
    """One example per answerable question of `part` whose gold answer lies inside one sentence.

    `plausible`: also one per unanswerable question, its annotated plausible answer taken as the span
    to find (the question was written to look answerable by that span: same slot, same shape).
    """
    squad = select_part(read_squad(path), part, seed=split_seed)
    texts = {d.doc_id: d.text for d in squad.documents}
    sentences = {title: split_sentences(body) for title, body in texts.items()}
    out = []
    for q in squad.questions:
        answers = q.answers if q.answerable else q.plausible_answers if plausible else ()
        gold = next((a for a in answers if a.doc_start is not None), None)
        if gold is None:
            continue
        spans = sentences[q.title]
        body = texts[q.title]
        for s, e in spans:
            if s <= gold.doc_start and gold.doc_start + len(gold.text) <= e:
                out.append(Example(q.question, body[s:e], tuple(dict.fromkeys(a.text for a in answers)), q.title))
                break
    return out


def _design(items: list[Example], max_tokens: int, partial: float = 0.0):
    """Stacked features, positives, group starts and kinds (groups sorted by kind)."""
    rows = []
    for ex in items:
        shape = sa.read_question(ex.question)
        if shape.kind == "yes_no":
            continue
        found = sa.candidates(ex.question, ex.sentence, max_tokens=max_tokens)
        if not found.spans:
            continue
        golds = {normalize_answer(g) for g in ex.golds}
        exact = np.array([normalize_answer(ex.sentence[s:e]) in golds for s, e in found.spans])
        if not exact.any():
            continue
        positive = exact.astype(np.float64)
        if partial:
            # Overlapping spans count a little (weighted marginal likelihood): near misses beat far ones.
            f1 = np.array([f1_score(ex.sentence[s:e], ex.golds) for s, e in found.spans])
            positive = np.where(exact, 1.0, partial * f1**2)
        rows.append((sa.KINDS.index(shape.kind), found.features, positive))
    rows.sort(key=lambda r: r[0])
    X = np.vstack([r[1] for r in rows]).astype(np.float64)
    pos = np.concatenate([r[2] for r in rows])
    sizes = np.array([len(r[2]) for r in rows])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    kinds = np.array([r[0] for r in rows])
    return X, pos, starts, sizes, kinds


def fit_weights(
    items: list[Example], *, l2: float, l2_kind: float, max_tokens: int, partial: float = 0.0
) -> tuple[np.ndarray, np.ndarray, dict]:
    """(shared weights, per-kind weights K×d, figures) by L-BFGS on the softmax loss over each sentence's candidates."""
    from scipy.optimize import minimize

    X, pos, starts, sizes, kinds = _design(items, max_tokens, partial)
    n_groups, d, K = len(starts), X.shape[1], len(sa.KINDS)
    group = np.repeat(np.arange(n_groups), sizes)
    row_kind = kinds[group]
    slices = {k: np.flatnonzero(row_kind == k) for k in range(K)}
    slices = {k: (int(v[0]), int(v[-1]) + 1) for k, v in slices.items() if len(v)}

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, W = theta[:d], theta[d:].reshape(K, d)
        s = X @ w
        for k, (a, b) in slices.items():
            s[a:b] += X[a:b] @ W[k]
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - top[group])
        z_all = np.add.reduceat(e, starts)
        e_pos = e * pos
        z_pos = np.add.reduceat(e_pos, starts)
        value = float(np.sum(np.log(z_all) - np.log(z_pos))) / n_groups
        g = (e / z_all[group] - e_pos / z_pos[group]) / n_groups
        grad_w = X.T @ g + 2 * l2 * w / n_groups
        grad_W = np.zeros((K, d))
        for k, (a, b) in slices.items():
            grad_W[k] = X[a:b].T @ g[a:b]
        grad_W += 2 * l2_kind * W / n_groups
        value += (l2 * float(w @ w) + l2_kind * float(np.sum(W * W))) / n_groups
        return value, np.concatenate((grad_w, grad_W.ravel()))

    result = minimize(loss, np.zeros(d * (K + 1)), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    theta = result.x
    return theta[:d], theta[d:].reshape(K, d), {"loss": round(float(result.fun), 4), "iterations": int(result.nit), "sentences": n_groups}


SNAP = ("when", "how_many", "how_much")


def model_from(
    w: np.ndarray, W: np.ndarray, *, max_tokens: int, fitted: dict, snap: tuple[str, ...] = SNAP, min_agreement: float = 0.0,
    overlap_top: int = 0, overlap_exact: float = 0.0, grow_names: tuple[str, ...] = (),
) -> sa.ShortAnswerModel:
    per_kind = {k: tuple(float(x) for x in W[i]) for i, k in enumerate(sa.KINDS) if np.any(W[i])}
    return sa.ShortAnswerModel(
        shared=tuple(float(x) for x in w),
        per_kind=per_kind,
        max_tokens=max_tokens,
        fitted=fitted,
        snap=snap,
        min_agreement=min_agreement,
        overlap_top=overlap_top,
        overlap_exact=overlap_exact,
        grow_names=grow_names,
    )


def measure(items: list[tuple[str, str, tuple[str, ...]]], model: sa.ShortAnswerModel) -> dict:
    """Coverage, EM and F1 (over those with a short answer, and over all) per kind, plus the time per sentence."""
    per: dict[str, list[tuple[bool, float, float]]] = collections.defaultdict(list)
    started = time.perf_counter()
    found = [sa.short_answer(q, s, model=model) for q, s, _ in items]
    elapsed = time.perf_counter() - started
    for (q, s, golds), f in zip(items, found):
        kind = sa.read_question(q).kind
        if f is None:
            per[kind].append((False, 0.0, 0.0))
        else:
            text_ = s[f.start : f.end]
            per[kind].append((True, exact_match(text_, golds), f1_score(text_, golds)))
    per["all"] = [x for k in list(per) for x in per[k]]

    def summary(rows):
        given = [r for r in rows if r[0]]
        return {
            "n": len(rows),
            "coverage": round(100 * len(given) / max(len(rows), 1), 1),
            "em": round(100 * np.mean([r[1] for r in given]), 1) if given else None,
            "f1": round(100 * np.mean([r[2] for r in given]), 1) if given else None,
            "em_all": round(100 * np.mean([r[1] for r in rows]), 1) if rows else None,
            "f1_all": round(100 * np.mean([r[2] for r in rows]), 1) if rows else None,
        }

    out = {k: summary(v) for k, v in sorted(per.items(), key=lambda kv: -len(kv[1]))}
    out["ms_per_sentence"] = round(1000 * elapsed / max(len(items), 1), 3)
    return out


def _as_items(exs: list[Example]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(e.question, e.sentence, e.golds) for e in exs]


def rows_items(path: Path) -> tuple[list[tuple[str, str, tuple[str, ...]]], list[tuple[str, str, tuple[str, ...]]]]:
    """(items, today's) from squad_answers.py rows: answered answerable questions, the answer's last sentence
    as the sentence."""
    items, today = [], []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if row["is_impossible"] or not row["answered"]:
            continue
        answer = row["answer"]
        spans = split_sentences(answer)
        s, e = spans[-1] if spans else (0, len(answer))
        items.append((row["query"], answer[s:e], tuple(row["golds"])))
        today.append((row["question"], row.get("short_answer"), tuple(row["golds"])))
    return items, today


def _print(title: str, figures: dict) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<12}{'n':>6}{'cover%':>8}{'EM':>7}{'F1':>7}{'EM all':>8}{'F1 all':>8}")
    for kind, f in figures.items():
        if kind == "ms_per_sentence":
            continue
        em = "-" if f["em"] is None else f"{f['em']:.1f}"
        f1 = "-" if f["f1"] is None else f"{f['f1']:.1f}"
        print(f"  {kind:<12}{f['n']:>6}{f['coverage']:>8.1f}{em:>7}{f1:>7}{f['em_all']:>8.1f}{f['f1_all']:>8.1f}")
    print(f"  time per sentence (cold cache): {figures['ms_per_sentence']:.3f} ms")


def speed(items: list[Example]) -> int:
    """Print the CPU time of one `short_answer` call with nothing cached (a new question and sentence)."""
    import os

    from docqa.index.answering import question_type

    sa.short_answer("When was it built?", "It was built in 1990.")  # loads the model and word lists
    for label, question_read in (("new question and sentence", False), ("question already read, new sentence", True)):
        cpu = []
        for e in items:
            sa._short_answer.cache_clear()
            sa._candidates.cache_clear()
            question_type._spans.cache_clear()
            if question_read:
                sa.read_question(e.question)
            else:
                sa.read_question.cache_clear()
            started = time.thread_time()
            sa.short_answer(e.question, e.sentence)
            cpu.append(time.thread_time() - started)
        ms = np.asarray(cpu) * 1000
        print(f"{label}: CPU per call p50 {np.percentile(ms, 50):.3f} ms, p90 {np.percentile(ms, 90):.3f} ms ({len(ms)} calls)")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("fit", "check", "cv", "speed"))
    parser.add_argument("data", nargs="?", type=Path, default=DATA)
    parser.add_argument("--split-seed", type=int, default=0)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--l2-kind", type=float, default=3.0)
    parser.add_argument("--max-tokens", type=int, default=12)
    parser.add_argument(
        "--min-agreement", type=float, default=0.253,
        help="no short answer below this expected agreement (default: cv's threshold keeping the 85%% most agreed held-out answers)",
    )
    parser.add_argument("--overlap-top", type=int, default=30, help="choose among this many most probable spans by expected agreement (0: the most probable)")
    parser.add_argument("--overlap-exact", type=float, default=0.5, help="weight of exact match against F1 in that agreement (default: cv's choice)")
    parser.add_argument(
        "--grow-names", default=",".join(k for k in sa.KINDS), help="question kinds whose pick grows to the whole name it is part of (comma-separated; '' for none)"
    )
    parser.add_argument("--partial", type=float, default=0.0, help="weight of overlapping spans (times F1 squared) in the fit")
    parser.add_argument("--out", type=Path, default=sa.MODEL_PATH)
    parser.add_argument("--model", type=Path, default=sa.MODEL_PATH)
    parser.add_argument("--part", default="check", choices=("fit", "check"))
    parser.add_argument("--no-plausible", dest="plausible", action="store_false", help="fit on answerable questions only")
    parser.add_argument("--rows", type=Path, default=None)
    parser.add_argument("--only", action="store_true", help="cv: only the given --l2 / --l2-kind")
    args = parser.parse_args(argv)

    grow = tuple(k for k in args.grow_names.split(",") if k)
    unknown = [k for k in grow if k not in sa.KINDS]
    if unknown:
        parser.error(f"--grow-names: unknown kinds {unknown}; known: {', '.join(sa.KINDS)}")
    overlap = {"overlap_top": args.overlap_top, "overlap_exact": args.overlap_exact, "grow_names": grow}
    if args.command == "fit":
        fit = examples(args.data, "fit", split_seed=args.split_seed, plausible=args.plausible)
        w, W, figures = fit_weights(fit, l2=args.l2, l2_kind=args.l2_kind, max_tokens=args.max_tokens, partial=args.partial)
        fit_titles, _ = split_articles(read_squad(args.data).titles, seed=args.split_seed)
        fitted = {
            "command": f"{COMMAND} {args.data.name} --split-seed {args.split_seed} --l2 {args.l2} --l2-kind {args.l2_kind} --max-tokens {args.max_tokens} --partial {args.partial} --min-agreement {args.min_agreement} --overlap-top {args.overlap_top} --overlap-exact {args.overlap_exact} --grow-names {args.grow_names!r}",
            "data": args.data.name,
            "articles": list(fit_titles),
            "examples": len(fit),
            "plausible_answers_used": args.plausible,
            **figures,
        }
        model = model_from(w, W, max_tokens=args.max_tokens, fitted=fitted, min_agreement=args.min_agreement, **overlap)
        _print("fit part (gold sentences; what it was fitted on)", measure(_as_items(fit), model))
        fitted["fit_part"] = measure(_as_items(fit), model)["all"]
        model = model_from(w, W, max_tokens=args.max_tokens, fitted=fitted, min_agreement=args.min_agreement, **overlap)
        sa.save_model(model, args.out)
        print(f"\nwrote {args.out}")
        return 0

    if args.command == "cv":
        fit = examples(args.data, "fit", split_seed=args.split_seed, plausible=args.plausible)
        answerable = set(_as_items(examples(args.data, "fit", split_seed=args.split_seed)))
        titles = sorted({e.title for e in fit})
        folds = [set(titles[0::2]), set(titles[1::2])]
        grid = ((args.l2, args.l2_kind),) if args.only else ((0.3, 1.0), (1.0, 3.0), (3.0, 10.0), (1.0, 30.0))
        for l2, l2_kind in grid:
            ems, f1s, held_out = [], [], []
            agreed = collections.defaultdict(list)
            for held in folds:
                train = [e for e in fit if e.title not in held]
                test = [e for e in fit if e.title in held and _as_items([e])[0] in answerable]
                w, W, _ = fit_weights(train, l2=l2, l2_kind=l2_kind, max_tokens=args.max_tokens, partial=args.partial)
                configured = model_from(w, W, max_tokens=args.max_tokens, fitted={}, **overlap)
                for e in test:
                    found = sa.short_answer(e.question, e.sentence, model=configured)
                    if found is not None:
                        span = e.sentence[found.start : found.end]
                        held_out.append((found.score, exact_match(span, e.golds), f1_score(span, e.golds)))
                for snap in (SNAP, ()):
                    f = measure(_as_items(test), model_from(w, W, max_tokens=args.max_tokens, fitted={}, snap=snap))["all"]
                    ems.append(f["em_all"])
                    f1s.append(f["f1_all"])
                for exact in (0.0, 0.3, 0.5, 0.7):
                    chooser = model_from(w, W, max_tokens=args.max_tokens, fitted={}, overlap_top=args.overlap_top, overlap_exact=exact)
                    f = measure(_as_items(test), chooser)["all"]
                    agreed[exact].append((f["em_all"], f["f1_all"]))
                f = measure(_as_items(test), model_from(w, W, max_tokens=args.max_tokens, fitted={}, **overlap))["all"]
                agreed["as --overlap-* and --grow-names say"].append((f["em_all"], f["f1_all"]))
            print(f"l2 {l2} l2_kind {l2_kind}: snap EM {np.mean(ems[0::2]):.1f} F1 {np.mean(f1s[0::2]):.1f}; no snap EM {np.mean(ems[1::2]):.1f} F1 {np.mean(f1s[1::2]):.1f}")
            for exact, figures in agreed.items():
                em, f1 = np.mean(figures, axis=0)
                label = exact if isinstance(exact, str) else f"chosen among the {args.overlap_top} most probable by agreement, exact weight {exact}"
                print(f"    snap, {label}: EM {em:.1f} F1 {f1:.1f}")
            # What a minimum probability would do (held-out folds, with snap): EM/F1 on the answers kept.
            held_out.sort(reverse=True)
            for share in (1.0, 0.95, 0.9, 0.85, 0.8):
                kept = held_out[: max(1, round(share * len(held_out)))]
                print(
                    f"    keep the {share:.0%} most agreed: min_agreement {kept[-1][0]:.3f}, "
                    f"EM {100 * np.mean([k[1] for k in kept]):.1f} F1 {100 * np.mean([k[2] for k in kept]):.1f}"
                )
        return 0

    if args.command == "speed":
        return speed(examples(args.data, args.part, split_seed=args.split_seed))

    model = sa.load_model(args.model)
    part = examples(args.data, args.part, split_seed=args.split_seed)
    _print(f"{args.part} part, gold sentences ({len(part)} answerable questions)", measure(_as_items(part), model))
    if args.rows:
        items, today = rows_items(args.rows)
        _print(f"{args.rows}: the sentences the assistant chose (answered answerable questions)", measure(items, model))
        given = [(s, g) for _, s, g in today if s]
        if given:
            print(
                f"  today's highlights on those: coverage {100 * len(given) / len(today):.1f}%, "
                f"EM {100 * np.mean([exact_match(s, g) for s, g in given]):.1f}, F1 {100 * np.mean([f1_score(s, g) for s, g in given]):.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
