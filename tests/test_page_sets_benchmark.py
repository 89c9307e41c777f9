"""benchmarks/page_sets.py on a tiny collection with the fake embedder: figures, the saved file, the comparison."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO, load_benchmark


def test_every_bundled_and_agency_set_is_found():
    script = load_benchmark("page_sets")
    groups = script.collections()
    assert groups[0][0] == REPO / "corpus" and REPO / "corpus" / "questions.jsonl" in groups[0][1]
    names = [script.set_name(path) for _, sets in groups for path in sets]
    assert "questions-heldout" in names and "agency-pages" in names and "agency-pages-3" in names
    assert len(names) == len(set(names))  # one name a set: the saved file is keyed by it


def test_figures_save_load_and_compare(tmp_path: Path, tiny_corpus: Path, fake_embedder):
    script = load_benchmark("page_sets")
    questions = tmp_path / "questions-tiny.jsonl"
    items = [
        {"question": "What does ICPerMed boost?", "answer": "personalised medicine", "answerable": True},
        {"question": "What is the budget of the moon landing?", "answerable": False},
        {"turns": ["What is ICPerMed?", "What does it boost?"], "answer": "personalised medicine", "answerable": True},
    ]
    questions.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")

    figures = script.measure([(tiny_corpus, [questions])], embedder=fake_embedder, mode="hybrid", echo=False)
    f = figures["questions-tiny"]
    assert f["answerable"] == 2 and f["unanswerable"] == 1 and f["dialogues"] == 1
    assert f["right"] + f["wrong"] + f["declined_answerable"] == f["answerable"]
    assert 0 <= f["declined"] <= 1 and f["dialogues_right"] <= 1 and f["short_holding"] <= f["right"]

    saved = tmp_path / "figures.json"
    script.save(saved, figures, mode="hybrid")
    assert script.load(saved) == figures
    assert json.loads(saved.read_text(encoding="utf-8"))["total"] == script.totals(figures)
    assert script.changes(script.load(saved), figures) == []

    later = {"questions-tiny": {**f, "right": f["right"] + 1}, "other": f}
    found = script.changes(figures, later)
    assert found == [f"questions-tiny: right {f['right']} → {f['right'] + 1}", "other: new set"]
