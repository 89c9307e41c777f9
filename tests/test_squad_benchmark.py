"""benchmarks/squad_answers.py end to end on a tiny SQuAD file with the fake embedder: rows, figures, table."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path

from docqa.ingest import squad
from tests.conftest import load_benchmark
from tests.test_squad_reading import TINY


def test_rows_and_figures_on_a_tiny_collection(tmp_path: Path, fake_embedder):
    from docqa.index.assistant import Assistant

    script = load_benchmark("squad_answers")
    path = tmp_path / "tiny-v2.0.json"
    path.write_text(json.dumps(TINY), encoding="utf-8")
    data = squad.read_squad(path)
    root = squad.prepare_index(data, embedder=fake_embedder, cache=tmp_path / "cache")
    rows = script.run(data.questions, Assistant(root, embedder=fake_embedder), mode=None, progress=False)

    assert [r.qid for r in rows] == [q.qid for q in data.questions]
    for row in rows:
        json.dumps(asdict(row))  # every row is plain JSON
        assert row.sources and all(s.rank == i for i, s in enumerate(row.sources, start=1))
        assert row.right == (row.answered and row.candidate_right if not row.is_impossible else not row.answered)
        if row.answered:
            assert row.candidate == row.answer
        assert not (row.is_impossible and row.candidate_right)
    launched = next(r for r in rows if r.qid == "q4")
    assert launched.gold_in_sources and "1977" in launched.baseline_sentence and launched.baseline_right

    figures = script.summarise(rows)
    a, b = figures["assistant"], figures["baseline"]
    assert a["questions"] == 6 and a["answerable"] == 4 and a["unanswerable"] == 2
    assert 0.0 <= a["overall"] <= 1.0 and b["unanswerable_declined"] == 0.0
    assert math.isclose(a["overall"], (a["answerable_correct"] * 4 + a["unanswerable_declined"] * 2) / 6)
    assert [p["coverage"] for p in a["risk_coverage"]] == [0.5, 0.8, 1.0]
    assert a["risk_coverage"][-1]["answered"] == 6
    sweep = figures["threshold_sweep"]
    assert [p["threshold"] for p in sweep] == list(script.SWEEP)
    declined = [p["unanswerable_declined"] for p in sweep]
    assert declined == sorted(declined)  # a higher threshold never declines fewer
    text = script.table(figures)
    assert "unanswerable: declined" in text and "top-1 cos" in text
