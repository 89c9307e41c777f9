"""index/evaluation/answer_metrics.py: SQuAD matching, ROC AUC, calibration and risk–coverage on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from docqa.index.evaluation.answer_metrics import (
    calibration_bins,
    contains_answer,
    exact_match,
    expected_calibration_error,
    f1_score,
    normalize_answer,
    risk_coverage,
    roc_auc,
)


# --- normalisation, exact match, F1 (the official script's rules) ---------------------------


def test_normalisation_lowers_drops_punctuation_articles_and_extra_spaces():
    assert normalize_answer("  The  Normans, of NORMANDY! ") == "normans of normandy"
    assert normalize_answer("an apple a day") == "apple day"
    assert normalize_answer("theory") == "theory"  # "the" only as a whole word
    assert normalize_answer("10th-century") == "10thcentury"  # ASCII punctuation is removed, not spaced
    assert normalize_answer("2016–2020") == "2016–2020"  # the en dash is not in string.punctuation


def test_exact_match_takes_the_best_of_several_golds():
    golds = ["10th and 11th centuries", "in the 10th and 11th centuries"]
    assert exact_match("The 10th and 11th centuries.", golds) == 1.0
    assert exact_match("in the 10th and 11th centuries", golds) == 1.0
    assert exact_match("10th century", golds) == 0.0


def test_f1_by_hand():
    # prediction: "normans came from norway" (4 tokens); gold: "norway" (1) → P 1/4, R 1 → F1 0.4
    assert f1_score("The Normans came from Norway", ["Norway"]) == pytest.approx(0.4)
    # best of two golds: "denmark iceland and norway" vs "denmark norway" → shared 2, P 2/4, R 1 → 2/3
    assert f1_score("Denmark, Iceland and Norway", ["Denmark, Norway", "Scandinavia"]) == pytest.approx(2 / 3)
    assert f1_score("nothing shared", ["Norway"]) == 0.0
    # repeated words count only as often as they occur in both
    assert f1_score("the the war war", ["war"]) == pytest.approx(2 * 0.5 * 1 / 1.5)


def test_unanswerable_scores_against_the_empty_answer():
    assert exact_match("", []) == 1.0 and f1_score("", []) == 1.0
    assert exact_match("France", []) == 0.0 and f1_score("France", []) == 0.0
    assert f1_score("the", []) == 1.0  # normalises to nothing, like the empty answer
    assert exact_match("", ["France"]) == 0.0 and f1_score("", ["France"]) == 0.0


def test_contains_answer_matches_whole_normalised_words():
    sentence = "The Action Plan lists, 22 research and 8 supporting activities."
    assert contains_answer(sentence, ["22"])
    assert contains_answer(sentence, ["twenty-two", "22 Research"])
    assert not contains_answer("It was founded in 2022.", ["22"])
    assert not contains_answer(sentence, ["the", ""])  # empty after normalisation: never a match
    assert not contains_answer(sentence, [])


# --- ROC AUC ----------------------------------------------------------------------------------


def test_auc_perfect_reversed_and_tied():
    assert roc_auc([0.9, 0.8, 0.3, 0.1], [True, True, False, False]) == 1.0
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert roc_auc([0.5, 0.5, 0.5, 0.5], [True, False, True, False]) == 0.5


def test_auc_by_hand_with_a_tie():
    # positives 0.8, 0.4; negatives 0.6, 0.4. Pairs: (0.8>0.6) 1, (0.8>0.4) 1, (0.4<0.6) 0, (0.4=0.4) ½ → 2.5 / 4
    assert roc_auc([0.8, 0.4, 0.6, 0.4], [True, True, False, False]) == pytest.approx(0.625)


def test_auc_needs_both_classes():
    assert math.isnan(roc_auc([0.1, 0.2], [True, True]))
    with pytest.raises(ValueError):
        roc_auc([0.1, 0.2], [True])


# --- calibration --------------------------------------------------------------------------------


def test_ece_of_perfectly_calibrated_bins_is_zero():
    # 10 predictions of 0.25 with 2.5 hits is impossible; use 0.2 (2 of 10 right) and 0.75 (3 of 4 right)
    probabilities = [0.2] * 10 + [0.75] * 4
    outcomes = [True] * 2 + [False] * 8 + [True] * 3 + [False]
    assert expected_calibration_error(probabilities, outcomes) == pytest.approx(0.0)


def test_ece_by_hand():
    # bin [0.9, 1.0]: 4 predictions of 0.95, 2 right → |0.5 − 0.95| = 0.45, weight 4/6
    # bin [0.1, 0.2): 2 predictions of 0.1, none right → |0 − 0.1| = 0.1, weight 2/6
    probabilities = [0.95] * 4 + [0.1] * 2
    outcomes = [True, True, False, False, False, False]
    assert expected_calibration_error(probabilities, outcomes) == pytest.approx(4 / 6 * 0.45 + 2 / 6 * 0.1)


def test_bins_are_equal_width_and_the_last_includes_one():
    table = calibration_bins([0.0, 0.099, 0.1, 0.95, 1.0], [False, False, True, True, True])
    assert [(b.low, b.count) for b in table] == [(0.0, 2), (0.1, 1), (0.9, 2)]
    assert table[-1].high == 1.0 and table[-1].accuracy == 1.0


def test_ece_rejects_scores_that_are_not_probabilities():
    with pytest.raises(ValueError):
        expected_calibration_error([1.3, 0.2], [True, False])
    with pytest.raises(ValueError):
        expected_calibration_error([-0.1], [False])
    assert math.isnan(expected_calibration_error([], []))


# --- risk–coverage -------------------------------------------------------------------------------


def test_risk_coverage_by_hand():
    confidences = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]
    correct = [True, True, True, True, False, True, False, True, False, False]
    half, most, every = risk_coverage(confidences, correct)
    assert (half.coverage, half.answered, half.accuracy, half.threshold) == (0.5, 5, 0.8, 0.5)
    assert (most.answered, most.accuracy, most.threshold) == (8, 6 / 8, 0.2)
    assert (every.answered, every.accuracy) == (10, 0.6)


def test_risk_coverage_rounds_up_and_breaks_ties_by_position():
    points = risk_coverage([0.5, 0.5, 0.5], [False, True, True], coverages=(0.5,))
    assert points[0].answered == 2 and points[0].accuracy == 0.5  # the first two of the tie
    assert math.isnan(risk_coverage([], [], coverages=(1.0,))[0].accuracy)
    with pytest.raises(ValueError):
        risk_coverage([0.1], [True], coverages=(0.0,))
