"""Rendering a SQuAD evaluation's answer figures: terminal lines, an HTML section, a comparison with an older run.

Works on `AnswerEvaluation` (evaluation/squad_eval.py) and, for the older run, on its `--json` form.
"""

from __future__ import annotations

import html
import math
from typing import Any

from docqa.index.evaluation.squad_eval import AnswerEvaluation, AnswerFigures

COMPARED = (
    "answerable_correct",
    "unanswerable_declined",
    "overall",
    "short_answer_share",
    "short_em",
    "short_f1",
    "auc_answerable",
    "auc_right",
    "ece",
)
"""The figures whose change `compare_answers` reports."""


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: Any) -> str:
    """A share as a percentage with one decimal ("–" when undefined)."""
    return "–" if _missing(value) else f"{100 * value:.1f}%"


def num(value: Any, digits: int = 3) -> str:
    """A number with `digits` decimals ("–" when undefined)."""
    return "–" if _missing(value) else f"{value:.{digits}f}"


def figure_rows(f: AnswerFigures) -> list[tuple[str, str]]:
    """(label, value) pairs of the answer figures, in the order of issue 12's table."""
    return [
        ("answerable: the answer contains a gold answer", pct(f.answerable_correct)),
        ("  answerable answered wrong / declined", f"{pct(f.answerable_wrong)} / {pct(f.answerable_declined)}"),
        ("  answerable, with no decline threshold: contains a gold answer", pct(f.candidate_correct)),
        ("unanswerable: declined", pct(f.unanswerable_declined)),
        ("overall (right answers + right declines)", pct(f.overall)),
        ("answered answerable questions with a short answer", pct(f.short_answer_share)),
        ("short answer vs gold: exact match / F1 (those with one)", f"{num(f.short_em, 1)} / {num(f.short_f1, 1)}"),
        ("short answer vs gold: exact match / F1 (all answered answerable)", f"{num(f.short_em_all_answered, 1)} / {num(f.short_f1_all_answered, 1)}"),
        ("ROC AUC of confidence: answerable vs unanswerable", num(f.auc_answerable)),
        ("ROC AUC of confidence: right vs wrong answer (no threshold)", num(f.auc_right)),
        ("ROC AUC of confidence: right vs wrong, answerable only", num(f.auc_right_within_answerable)),
        ("expected calibration error of confidence as P(right), 10 bins", num(f.ece)),
        ("retrieval: a gold answer in the returned sources (answerable)", pct(f.gold_in_sources)),
        ("retrieval: a gold answer in the first source (answerable)", pct(f.gold_in_top_source)),
        ("Assistant.ask latency p50 (ms)", num(f.latency_p50_ms, 1)),
    ]


def coverage_rows(f: AnswerFigures) -> list[tuple[str, str, str]]:
    """(coverage with count, accuracy, lowest confidence answered) per risk–coverage point."""
    return [(f"{p.coverage:.0%} (n={p.answered})", pct(p.accuracy), num(p.threshold)) for p in f.risk_coverage]


def lines(answers: AnswerEvaluation) -> list[str]:
    """The answer figures as terminal lines."""
    f = answers.figures
    width = max(len(label) for label, _ in figure_rows(f)) + 2
    out = [f"answers ({answers.mode}): {f.questions} questions, {f.answerable} answerable, {f.unanswerable} unanswerable"]
    out += [f"  {label:<{width}}{value:>14}" for label, value in figure_rows(f)]
    out.append("  risk–coverage: accuracy when answering only the most confident questions")
    out += [f"    {cov:<14} accuracy {acc:>7}   confidence ≥ {low}" for cov, acc, low in coverage_rows(f)]
    if not answers.candidates:
        out.append("  (the answerer has no min_score setting: a declined question counts as a wrong candidate)")
    return out


def _svg(f: AnswerFigures, *, width: int = 320, height: int = 150) -> str:
    """Inline SVG bars: accuracy at each coverage."""
    points = [p for p in f.risk_coverage if not _missing(p.accuracy)]
    if not points:
        return ""
    left, bottom, top = 40, 24, 12
    plot_h = height - bottom - top
    bar = (width - left) / len(points)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="Accuracy by coverage">']
    for v in (0, 0.5, 1.0):
        y = top + plot_h * (1 - v)
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{v:.1f}</text>')
    for n, p in enumerate(points):
        x, h = left + n * bar + bar * 0.2, plot_h * p.accuracy
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar * 0.6:.1f}" height="{h:.1f}" fill="#1f77b4"/>')
        parts.append(f'<text x="{x + bar * 0.3:.1f}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle" font-size="11">{pct(p.accuracy)}</text>')
        parts.append(f'<text x="{x + bar * 0.3:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">{p.coverage:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_section(answers: AnswerEvaluation) -> str:
    """The answers part of the HTML report: figures, risk–coverage (table and bars), one row per question."""
    e = html.escape
    f = answers.figures
    figures = "".join(f"<tr><th>{e(label.strip())}</th><td>{e(value)}</td></tr>" for label, value in figure_rows(f))
    coverage = "".join(f"<tr><td>{e(c)}</td><td>{e(a)}</td><td>{e(t)}</td></tr>" for c, a, t in coverage_rows(f))
    rows = []
    for r in answers.rows:
        short = "" if r.short_answer is None else r.short_answer
        score = "" if r.short_f1 is None else f"{r.short_em:.0f} / {r.short_f1:.2f}"
        golds = " | ".join(r.golds) if r.golds else "(unanswerable)"
        rows.append(
            f"<tr><td>{e(r.qid)}</td><td>{e(r.question)}</td><td>{e(golds)}</td><td>{e(r.answer)}</td><td>{e(short)}</td>"
            f"<td>{e(score)}</td><td>{r.confidence:.3f}</td><td class='{e(r.outcome)}'>{e(r.outcome)}</td></tr>"
        )
    return f"""<h2>Answers ({e(answers.mode)})</h2>
<p>{f.questions} questions: {f.answerable} answerable, {f.unanswerable} unanswerable. SQuAD normalisation (lower case,
punctuation and a/an/the removed). Right: an answerable question answered with a gold answer inside the answer, or an
unanswerable one declined. Confidence is scored as the probability that the answer given without the decline threshold is right.</p>
<table>{figures}</table>
<h3>Risk–coverage</h3>
<table><tr><th>answering the most confident</th><th>accuracy</th><th>lowest confidence answered</th></tr>{coverage}</table>
{_svg(f)}
<h3>Answers per question</h3>
<table><tr><th>id</th><th>question</th><th>gold answers</th><th>answer</th><th>short answer</th><th>EM / F1</th><th>confidence</th><th>outcome</th></tr>
{"".join(rows)}</table>
"""


def _delta(name: str, was: Any, now: Any) -> str:
    if name in ("short_em", "short_f1"):
        return f"{name} {num(was, 1)} → {num(now, 1)}"
    if name.startswith("auc") or name == "ece":
        return f"{name} {num(was)} → {num(now)}"
    return f"{name} {pct(was)} → {pct(now)}"


def compare_answers(old: dict, answers: AnswerEvaluation, *, min_change: float = 0.01, shown: int = 50) -> list[str]:
    """Lines: the figures' changes since an older `--json` run, then the questions whose answer got better or worse.

    A question is better when it became right (or, still answered right, its short answer's F1 rose by
    `min_change` or more); worse the other way round. At most `shown` of each are listed.
    """
    before = old.get("answers")
    if not isinstance(before, dict):
        return ["answers: not in the old run"]
    was, now = before.get("metrics", {}), answers.to_json()["metrics"]
    changes = [_delta(m, was.get(m), now.get(m)) for m in COMPARED if m in was]
    for p_old, p_new in zip(was.get("risk_coverage", []), now.get("risk_coverage", [])):
        changes.append(f"accuracy@{p_new['coverage']:.0%} coverage {pct(p_old.get('accuracy'))} → {pct(p_new['accuracy'])}")
    old_rows = {str(r.get("qid")): r for r in before.get("rows", []) if isinstance(r, dict)}
    better: list[tuple[float, str]] = []
    worse: list[tuple[float, str]] = []
    for r in answers.rows:
        o = old_rows.get(r.qid)
        if o is None:
            continue
        text = f"  {r.qid}: {o.get('outcome')} → {r.outcome}  {r.question[:80]}"
        if bool(o.get("right")) != r.right:
            (better if r.right else worse).append((2.0, text))
            continue
        a, b = o.get("short_f1"), r.short_f1
        a, b = (0.0 if a is None else a), (0.0 if b is None else b)
        if r.right and not r.is_impossible and abs(b - a) >= min_change:
            (better if b > a else worse).append((abs(b - a), f"  {r.qid}: short answer F1 {a:.2f} → {b:.2f} ({o.get('short_answer')!r} → {r.short_answer!r})  {r.question[:60]}"))
    out = [f"answers ({answers.mode}): " + "; ".join(changes), f"answers: {len(better)} better, {len(worse)} worse"]
    for label, items in ((" worse:", worse), (" better:", better)):
        if items:
            ordered = [text for _, text in sorted(items, key=lambda x: -x[0])]
            out += [label, *ordered[:shown]] + ([f"  … and {len(ordered) - shown} more"] if len(ordered) > shown else [])
    return out
