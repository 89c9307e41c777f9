"""The question-and-sentence checks read in one table (answering/sentence_declines.py)."""

from docqa.index.answering import sentence_declines


def test_each_check_is_named_as_it_is_found():
    names = [name for name, _ in sentence_declines.RULES]
    assert len(names) == len(set(names))
    for name, check in sentence_declines.RULES:
        assert name == f"{check.__module__.rsplit('.', 1)[1]}.{check.__name__}"


def test_the_first_declining_check_is_named():
    sentence = "Plenary meetings are on Wednesday afternoons."
    assert sentence_declines.declining_rule("When are plenary meetings on Tuesday afternoons?", sentence) == "closed_sets.other_of_a_kind"
    assert sentence_declines.declining_rule("In what year was Fort Coligny built?", "A fort was built to protect them.") == "asked_value.unwritten"


def test_a_sentence_that_answers_is_declined_by_none():
    assert sentence_declines.declining_rule("When are plenary meetings?", "Plenary meetings are on Wednesday afternoons.") is None
    assert sentence_declines.declining_rule("When does the call close?", "The call opens on 1 March 2025 and the deadline is 15 April 2025.") is None
