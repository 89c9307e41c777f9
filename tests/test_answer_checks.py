"""answering/answer_checks.py: the checks an answer the model would give must pass, each named when it fails."""

from __future__ import annotations

import dataclasses

import pytest

from docqa.index.answering import question_type
from docqa.index.answering.answer_checks import Proposed, failed_check


def _proposed(query: str, sentence: str, *, typed: bool = False, terms_unknown: bool = False) -> Proposed:
    return Proposed(
        query=query,
        english=query,
        kind=question_type.classify(query),
        sentence=sentence,
        shown=sentence,
        passage=sentence,
        retrieved=(sentence,),
        typed=typed,
        terms_unknown=terms_unknown,
    )


@pytest.mark.parametrize(
    "query, sentence, typed, unknown, failed",
    [
        ("What does ANR stand for?", "ANR funds research projects in France.", False, False, "acronym_not_expanded"),
        ("What does ANR stand for?", "The Agence Nationale de la Recherche (ANR) funds research.", False, False, None),
        ("Who chairs ICPerMed?", "ICPerMed gathers over 30 members, including ANR.", False, False, "organisations_for_a_person"),
        ("What is the e-mail address of the secretariat?", "The secretariat answers questions.", False, False, "no_contact_written"),
        ("When does ERA PerMed start?", "ERA PerMed starts in 2018.", True, False, None),
        ("When does ERA PerMed start?", "ERA PerMed starts in 2018.", True, True, "terms_unknown"),
        ("Is Germany a member of ICPerMed?", "France and Spain are members of ICPerMed.", False, False, "country_missing"),
        ("Is Inserm a member of ICPerMed?", "ANR is a member of ICPerMed.", False, False, "yes_no_name_absent"),
    ],
)
def test_each_check_is_named_when_the_sentence_does_not_say_what_is_asked(query, sentence, typed, unknown, failed):
    assert failed_check(_proposed(query, sentence, typed=typed, terms_unknown=unknown), names=frozenset({"ICPerMed", "ANR", "ERA PerMed", "Inserm"})) == failed


def test_sentence_declines_rules_are_read_with_their_own_names():
    proposed = _proposed("When are meetings on Tuesday afternoons?", "Plenary meetings are on Wednesday afternoons.", typed=True)
    assert failed_check(proposed, names=frozenset()) == "closed_sets.other_of_a_kind"


def test_a_headline_reporting_the_sentence_names_what_a_yes_no_question_asks_about():
    # "Did ICPerMed publish the plan?" on "ICPerMed has recently published a consensus view…", which a news page's
    # headline reports as "…an international Action Plan published": the plan is named there.
    sentence = "ICPerMed has recently published a consensus view on the research needed."
    proposed = _proposed("Did ICPerMed publish the Action Plan recently?", sentence)
    assert failed_check(proposed, names=frozenset({"icpermed", "action", "plan"})) == "yes_no_name_absent"
    reported = dataclasses.replace(proposed, read=f"An international Action Plan published\n{sentence}")
    assert failed_check(reported, names=frozenset({"icpermed", "action", "plan"})) is None
