"""Asked which ones, a sentence that only counts them does not say (answering/counted.py)."""

import pytest

from docqa.index.answering import counted

PLAN = "The Harbour Plan lists, 12 research and 4 support actions, which have been judged ready."
BARRIERS = "The full benefit of the port cannot be reached due to several barriers and delays."


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Which of the 12 research actions comes first?", PLAN),
        ("What are the titles of the four support actions?", PLAN),
        ("What is the title of the first of the 12 research actions?", PLAN),
        ("Which research action is listed first in the plan?", PLAN),
        ("Which specific barriers keep the port from its full benefit?", BARRIERS),
    ],
)
def test_particular_members_of_a_group_the_sentence_only_counts(question, sentence):
    assert counted.only_counts(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What actions does the plan list?", PLAN),  # asks what the plan lists: the count answers
        ("How many support actions are there?", PLAN),  # no member asked one by one
        ("Which specific members joined?", "The port gathers over 30 members, including Rotterdam."),  # a list after the count
        ("What is the last source of harbour law?", "The three sources of harbour law are statutes, rules and customs."),
        ("Which two towns signed first?", "Dover and Calais are the two towns that signed."),  # names listed before
        ("What is the name of the port's main sports hall?", "The Dock Hall is the port's main hall and hosts several sports."),
        ("Which specific barriers slow the port?", "Barriers slow the port: three barriers, tolls and ice, and fog."),
    ],
)
def test_a_sentence_that_names_them_or_is_asked_nothing_one_by_one(question, sentence):
    assert not counted.only_counts(question, sentence)


def test_asking_one_by_one():
    assert counted.asks_one_by_one("Which specific barriers…?") and counted.asks_one_by_one("the names of the partners")
    assert not counted.asks_one_by_one("What does the plan list?")
