"""Rendering `docqa eval` results: terminal table, self-contained HTML report, run comparison.

A SQuAD file's answer figures are rendered by evaluation/answer_report.py and added here.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

from docqa.index.evaluation.evaluate import CURVE_KS, METRICS, EvalResult

ANSWER_COLUMNS = ("answer_accuracy", "decline_rate", "false_decline_rate")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def _cell(value, column: str = "") -> str:
    if isinstance(value, float) and column.endswith("_ms"):
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def table(result: EvalResult) -> str:
    """A plain-text table: one row per mode, the default marked with *."""
    first = next(iter(result.modes.values())).metrics
    columns = [c for c in (*METRICS, *ANSWER_COLUMNS, "latency_p50_ms") if c in first]
    header = ["mode", *columns]
    rows = [[f"{m}{' *' if m == result.default_mode else ''}", *(_cell(r.metrics.get(c, ""), c) for c in columns)] for m, r in result.modes.items()]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    out = [f"{result.dataset}: {first.get('queries', first.get('retrieval_queries', ''))} queries with known relevance"]
    out += [f"relevant: {result.relevance}"] if result.relevance else []
    out += [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    if "answerable" in first:
        out.append("")
        out.append("answers        answerable: correct / wrong / declined    unanswerable: declined / answered")
        for m, r in result.modes.items():
            x = r.metrics
            out.append(
                f"{m:<14} {x['answerable_correct']:>3} / {x['answerable_wrong']:>3} / {x['answerable_declined']:>3} of {x['answerable']:<3}"
                f"               {x['unanswerable_declined']:>3} / {x['unanswerable_answered']:>3} of {x['unanswerable']}"
                + (f"    dialogues: {x['dialogues_correct']} of {x['dialogues']} right" if "dialogues" in x else "")
            )
            if "short_answers_checked" in x:
                out.append(f"{'':<14} short answer holds the expected answer: {x['short_answers_holding']} of {x['short_answers_checked']} right answers")
    out.append("* default mode")
    if result.answers is not None:
        from docqa.index.evaluation.answer_report import lines

        out += ["", *lines(result.answers)]
    return "\n".join(out)


def recall_chart(result: EvalResult, *, width: int = 560, height: int = 300) -> str:
    """Inline SVG: Recall@k per mode, k on a log scale."""
    import math

    left, right, top, bottom = 48, 120, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    x = lambda k: left + plot_w * math.log(k) / math.log(CURVE_KS[-1])  # noqa: E731
    y = lambda v: top + plot_h * (1 - v)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="Recall at k per mode">']
    for v in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v:.2f}</text>')
    for k in CURVE_KS:
        parts.append(f'<text x="{x(k):.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11">{k}</text>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle" font-size="12">k (log scale)</text>')
    for n, (mode, r) in enumerate(result.modes.items()):
        points = [(k, r.metrics.get(f"recall@{k}")) for k in CURVE_KS if f"recall@{k}" in r.metrics]
        if not points:
            continue
        colour = COLOURS[n % len(COLOURS)]
        path = " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in points)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        parts += [f'<circle cx="{x(k):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for k, v in points]
        parts.append(f'<text x="{left + plot_w + 10}" y="{top + 14 + 16 * n}" font-size="12" fill="{colour}">{html.escape(mode)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def report_html(result: EvalResult) -> str:
    """A self-contained HTML page: metrics table, Recall@k chart, one row per question."""
    e = html.escape
    modes = list(result.modes)
    default = result.modes[result.default_mode]
    first = default.metrics
    columns = [c for c in (*METRICS, *ANSWER_COLUMNS, "latency_p50_ms") if c in first]
    metric_rows = "".join(
        f"<tr><th>{e(m)}{' (default)' if m == result.default_mode else ''}</th>" + "".join(f"<td>{_cell(r.metrics.get(c, ''), c)}</td>" for c in columns) + "</tr>"
        for m, r in result.modes.items()
    )
    by_mode = {m: {q.qid: q for q in r.queries} for m, r in result.modes.items()}
    has_answers = any(q.outcome for q in default.queries)
    question_rows = []
    for q in default.queries:
        ranks = "".join(
            f'<td class="{"hit" if (rk := by_mode[m][q.qid].first_relevant) and rk <= 10 else "miss"}">{rk or "–"}</td>' for m in modes
        )
        answer = f"<td>{e(q.answer or '')}</td><td class='{q.outcome}'>{e(q.outcome or '')}</td>" if has_answers else ""
        hit = q.first_relevant is not None and q.first_relevant <= 10
        question_rows.append(
            f"<tr><td>{e(q.qid)}</td><td>{e(q.query)}</td><td class='{'hit' if hit else 'miss'}'>{'hit' if hit else 'miss'}</td>"
            f"{ranks}<td class='passage'>{e(q.top)}</td>{answer}</tr>"
        )
    answer_head = "<th>answer</th><th>outcome</th>" if has_answers else ""
    relevance = f" Relevant: {e(result.relevance)}." if result.relevance else ""
    answers = ""
    if result.answers is not None:
        from docqa.index.evaluation.answer_report import html_section

        answers = html_section(result.answers)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>docqa eval: {e(result.dataset)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}} table{{border-collapse:collapse;font-size:13px}}
th,td{{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}} td.hit,td.correct{{background:#e7f6e7}}
td.miss,td.wrong{{background:#fbeaea}} td.declined{{background:#f3f3f3}} td.passage{{max-width:32rem;color:#555}}
</style></head><body><main>
<h1>docqa eval: {e(result.dataset)}</h1>
<p>{stamp}. Default mode: <b>{e(result.default_mode)}</b>. Metrics by ranx; hit = a relevant result in the top 10.{relevance}</p>
<h2>Metrics</h2>
<table><tr><th>mode</th>{"".join(f"<th>{e(c)}</th>" for c in columns)}</tr>{metric_rows}</table>
<h2>Recall@k</h2>
{recall_chart(result)}
{answers}<h2>Questions</h2>
<table><tr><th>id</th><th>question</th><th>hit@10 ({e(result.default_mode)})</th>{"".join(f"<th>rank ({e(m)})</th>" for m in modes)}<th>top passage ({e(result.default_mode)})</th>{answer_head}</tr>
{"".join(question_rows)}</table>
</main></body></html>
"""


def compare(old: dict, new: EvalResult, *, metric: str = "ndcg@10", min_change: float = 0.01) -> str:
    """Questions whose `metric` changed by at least `min_change` (or whose answer outcome changed)
    between an older --json run and this one, biggest changes first."""
    lines: list[str] = []
    old_queries = old.get("queries", {})
    for mode, result in new.modes.items():
        before_rows = {str(q["qid"]): q for q in old_queries.get(mode, [])}
        if not before_rows:
            lines.append(f"{mode}: not in the old run")
            continue
        was, now = old.get("results", {}).get(mode, {}), result.metrics
        summary = ", ".join(f"{m} {was[m]:.3f} → {now[m]:.3f}" for m in (metric, "answer_accuracy") if m in was and m in now)
        better, worse = [], []
        for q in result.queries:
            before = before_rows.get(q.qid)
            if before is None:
                continue
            a, b = before.get("scores", {}).get(metric), q.scores.get(metric)
            if a is not None and b is not None and abs(a - b) >= min_change:
                (better if b > a else worse).append((abs(b - a), f"  {q.qid}: {metric} {a:.3f} → {b:.3f}  {q.query[:80]}"))
            elif before.get("outcome") and q.outcome and before["outcome"] != q.outcome:
                rank = {"correct": 2, "declined": 1, "wrong": 0}
                good = rank[q.outcome] > rank[before["outcome"]] if q.answerable else q.outcome == "declined"
                (better if good else worse).append((1.0, f"  {q.qid}: {before['outcome']} → {q.outcome}  {q.query[:80]}"))
        lines.append(f"{mode}: {summary}; {len(better)} better, {len(worse)} worse")
        # Biggest changes first.
        lines += [" worse:", *(text for _, text in sorted(worse, key=lambda x: -x[0]))] if worse else []
        lines += [" better:", *(text for _, text in sorted(better, key=lambda x: -x[0]))] if better else []
    if new.answers is not None:
        from docqa.index.evaluation.answer_report import compare_answers

        lines += compare_answers(old, new.answers)
    return "\n".join(lines)
