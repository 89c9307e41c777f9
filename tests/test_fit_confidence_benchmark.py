"""benchmarks/fit_confidence.py's training rows: questions with one name swapped, and the regression that holds the
coefficients those rows cannot inform."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np

from docqa.index.answering.features import CONFIDENCE_FEATURES
from docqa.ingest import squad
from tests.conftest import load_benchmark
from tests.test_squad_reading import SPACE, TINY


def _tiny(tmp_path: Path) -> squad.SquadSet:
    data = copy.deepcopy(TINY)
    voyager = data["data"][1]["paragraphs"][0]
    # a question whose only name is its article's only name, with a year to change instead
    voyager["qas"][0] = {"id": "q4", "question": "What did Voyager 1 leave in 2012?", "is_impossible": False,
                         "answers": [{"text": "the heliosphere", "answer_start": SPACE.index("the heliosphere")}]}  # fmt: skip
    path = tmp_path / "tiny-v2.0.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return squad.read_squad(path)


def test_one_name_is_swapped_for_another_name_of_the_article(tmp_path):
    script = load_benchmark("fit_confidence")
    data = _tiny(tmp_path)
    swapped = script.with_one_name_swapped(data, seed=0)
    original = {q.qid: q for q in data.questions}
    assert swapped.documents == data.documents
    by_qid = {q.qid.removesuffix("-swapped"): q for q in swapped.questions}
    # q1 and q3 name a river: it becomes another name of European_rivers; q4's only name, Voyager, is the only one
    # its article writes, so its year changes; q6 has neither; q2 and q5 are unanswerable already.
    assert sorted(by_qid) == ["q1", "q3", "q4"]
    for qid, q in by_qid.items():
        assert q.qid == f"{qid}-swapped" and q.is_impossible and not q.answers and q.title == original[qid].title
        assert q.question != original[qid].question
    danube = by_qid["q1"].question
    assert "Danube" not in danube and re.search(r"the (Europe|North Sea|Rhine|Swiss Alps) flow", danube), danube
    year = re.fullmatch(r"What did Voyager 1 leave in (\d+)\?", by_qid["q4"].question)
    assert year and year.group(1) != "2012", by_qid["q4"].question
    assert script.with_one_name_swapped(data, seed=0) == swapped  # seeded


def test_the_swapped_rows_leave_the_real_rows_coefficients_of_what_they_cannot_change():
    script = load_benchmark("fit_confidence")
    rng = np.random.default_rng(0)
    n, d = 600, len(CONFIDENCE_FEATURES)
    x = rng.normal(size=(n, d))
    y = (x[:, 0] + 0.5 * x[:, CONFIDENCE_FEATURES.index("terms_unknown")] + rng.normal(size=n) > 0).astype(float)
    swapped = np.arange(n) >= 400
    y[swapped] = 0.0  # what a swapped row says: wrong, whatever its other features
    weights = np.ones(n)

    held, _ = script.regression(x, y, l2=1.0, weights=weights, swapped=swapped)
    real, _ = script.regression(x[~swapped], y[~swapped], l2=1.0, weights=weights[~swapped], swapped=swapped[~swapped])
    free, _ = script.regression(x, y, l2=1.0, weights=weights, swapped=np.zeros(n, dtype=bool))
    for name in script.REAL_ROWS_ONLY:
        j = CONFIDENCE_FEATURES.index(name)
        assert held[j] == real[j]
    j = CONFIDENCE_FEATURES.index("terms_unknown")
    assert abs(free[j] - real[j]) > 1e-6  # without holding it, the swapped rows would move it
    assert not np.allclose(held, real)  # and they do inform the other features
