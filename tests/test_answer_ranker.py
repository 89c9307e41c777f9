"""The learned sentence ranker (index/answering/ranker.py): its file, its fit, and that the answerer uses it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from docqa.index.answering import features
from docqa.index.answering.confidence import ModelFileError
from docqa.index.answering.ranker import FEATURES, SentenceRanker, fit_conditional_logit, load_ranker, ranking_rows


def _ranker(weights: dict[str, float] | None = None, *, top: int = 4) -> SentenceRanker:
    w = [0.0] * len(FEATURES)
    for name, value in (weights or {}).items():
        w[FEATURES.index(name)] = value
    return SentenceRanker(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), tuple(w), top=top, training={"by": "a test"})


def test_save_then_load_gives_the_same_ranker_and_readable_json(tmp_path):
    ranker = _ranker({"similarity": 1.5, "selection_rank": -0.25}, top=3)
    path = tmp_path / "ranker.json"
    ranker.save(path)
    assert SentenceRanker.load(path) == ranker
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["top"] == 3 and data["features"]["similarity"]["weight"] == 1.5  # people can read it


def test_a_damaged_or_mismatched_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "ranker.json"
    with pytest.raises(ModelFileError, match="not found"):
        SentenceRanker.load(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelFileError, match="ranker.json"):
        SentenceRanker.load(path)
    good = _ranker().to_json()
    for broken in ({**good, "format": "docqa-ranker/0"}, {**good, "top": 0}, {**good, "features": {"similarity": good["features"]["similarity"]}}):
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(ModelFileError):
            SentenceRanker.load(path)


def test_the_shipped_ranker_loads_and_fits_the_answerers_features():
    shipped = load_ranker()
    assert shipped.features == FEATURES and shipped.top >= 2
    assert shipped.metrics["check"]["ranker_choice_right"] > shipped.metrics["check"]["first_of_hand_order_right"]


def test_ranking_rows_add_the_place_in_the_hand_set_order():
    rows = ranking_rows([[0.0] * len(features.FEATURES)] * 3)
    assert rows.shape == (3, len(FEATURES)) and rows[:, -1].tolist() == [1.0, 0.5, 1 / 3]


def test_the_fit_learns_which_column_marks_the_right_row():
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(200):
        x = rng.normal(size=(4, 3))
        right = int(rng.integers(4))
        x[right, 1] += 3.0  # column 1 marks the right row; the others are noise
        groups.append((x, np.eye(4)[right]))
    groups.append((rng.normal(size=(4, 3)), np.zeros(4)))  # no right row: no information, skipped
    w = fit_conditional_logit(groups, l2=1.0)
    assert w[1] > 1.0 and abs(w[0]) < 0.5 and abs(w[2]) < 0.5
    assert np.mean([np.argmax(x @ w) == np.argmax(y) for x, y in groups[:-1]]) > 0.85
    with pytest.raises(ValueError):
        fit_conditional_logit([(np.ones((2, 3)), np.zeros(2))])


def test_the_answerer_takes_the_rankers_choice_among_the_best_few(tiny_index, fake_embedder, tmp_path):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    question = "When was the Voyager 1 probe launched?"
    last = tmp_path / "last.json"
    _ranker({"selection_rank": -5.0}, top=3).save(last)  # prefers the lowest place among the first three
    hand = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(rerank=False)).answerer
    ranked = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(ranker_model=last)).answerer
    options = hand.assess_several(question, count=3)
    assert len(options) == 3 and len({o.candidate for o in options}) == 3
    assert hand.assess(question).candidate == options[0].candidate
    chosen = ranked.assess(question)
    assert chosen.candidate == options[2].candidate
    # its features are those computed as if it were the answer (and the token feature, for the chosen one only)
    assert chosen.features[: len(options[2].features)] == options[2].features
