"""quantifiers.quantifier_swapped: the question quantifies (or counts) otherwise than the sentence."""

import pytest

from docqa.index.answering.quantifiers import quantifier_swapped, times_swapped
from docqa.index.answering.sentence_declines import declining_rule


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What happens when all parts of a plant become infected?",
         "When a part of a plant becomes infected, the plant produces a localized hypersensitive response."),
        ("In what Irish city can few signs remain to be seen of the Huguenots?",
         "Numerous signs of Huguenot presence can still be seen with names still in use."),
        ("What is the time when members can ask questions to only particular members of Scottiish Government?",
         "A General Question Time takes place on a Thursday where members can direct questions to any member of the Scottish Government."),
        ("Where are neutrophils rarely found?", "Neutrophils are normally found in the bloodstream."),
        ("What is used to eliminate a pathogen that infects the body once?",
         "Should a pathogen infect the body more than once, these specific memory cells are used to quickly eliminate it."),
        ("Which grants are awarded to few applicants?", "Travel grants are awarded to many applicants each year."),
        ("What do all branches of the agency publish?", "Only one branch of the agency publishes the annual report."),
        ("What happens if an applicant applies twice?", "An applicant may apply only once."),
    ],
)
def test_declines(question, sentence):
    assert quantifier_swapped(question, sentence)
    assert declining_rule(question, sentence) is not None


@pytest.mark.parametrize(
    "question, sentence",
    [
        # the same quantifier, or a loose paraphrase of one
        ("What type of immune systems are found in all plants and animals?", "Innate immune systems are found in all plants and animals."),
        ("By when did most of France's Colonies gain independence?", "Nearly all of France's colonies gained independence by 1960."),
        ("Where did British resettle many Acadians?", "The British resettled many Acadians throughout its provinces, and some went to New Orleans."),
        # a generic "a" says what all do
        ("What must all applicants submit?", "An applicant must submit a budget and a work plan."),
        ("What does each member receive?", "A member receives a monthly allowance."),
        # "how many" asks, "at most", "the most" quantify nothing
        ("How many members can voters choose?", "Voters choose one member to represent the constituency."),
        ("Who reigned when the empire was at its most powerful?", "The empire was at its most powerful under one ruler."),
        # "all members" asked, "only members" written: no contrary
        ("What do all members receive?", "Only members receive the newsletter."),
        # "once" as a conjunction, "at once"
        ("What happens once the bill is passed twice?", "Once the bill is passed, it is sent for Royal Assent."),
        ("What is used to eliminate a pathogen that infects the body more than once?",
         "Should a pathogen infect the body more than once, these specific memory cells are used to quickly eliminate it."),
        ("Which cells act at once?", "These cells act twice as fast as others."),
        # "any" asked, "few" written answers it
        ("Which countries have any nuclear weapons?", "Few countries have nuclear weapons: the US and Russia hold most."),
    ],
)
def test_leaves_alone(question, sentence):
    assert not quantifier_swapped(question, sentence)


def test_times_both_ways():
    assert times_swapped("Who was elected once?", "She was elected twice, in 1990 and 1994.")
    assert times_swapped("Who was elected twice?", "She was elected once, in 1990.")
    assert not times_swapped("Who was elected twice?", "She was elected twice, in 1990 and 1994.")


def test_bounded_on_long_input():
    import time

    text = ("all parts of the plant are never a part once " * 120)[:5000]
    best = min(_timed(text) for _ in range(3))
    assert best < 0.05


def _timed(text):
    import time

    start = time.perf_counter()
    quantifier_swapped(text + "?", text + " .")
    return time.perf_counter() - start
