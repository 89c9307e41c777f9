"""roles.py: a sentence making the question's doer the one done to ("Who was defeated by Montcalm?" on "Wolfe
defeated Montcalm")."""

import pytest

from docqa.index.answering import roles


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Who was defeated by Montcalm at Quebec?", "In 1759 James Wolfe defeated Montcalm at Quebec."),
        ("Who was succeeded by Edward?", "Harold succeeded Edward in 1066."),
        ("How does the pathogen kill the phagocyte?", "The pathogen is killed by the activity of digestive enzymes."),
        ("Who did Frank Burnet inspire with a suggestion?", "Frank Burnet, inspired by a suggestion made by Niels Jerne, formulated the theory."),
        ("Who was funded by ANR?", "ANR was funded by the state from 2005."),
    ],
)
def test_the_question_s_doer_is_the_one_the_sentence_s_verb_is_done_to(question, sentence):
    assert roles.roles_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        # the same fact, told the other way round (active for passive, passive for active)
        ("Who was funded by ANR?", "ANR funded 14 projects in 2020."),
        ("Who was defeated by Wolfe at Quebec?", "In 1759 James Wolfe defeated Montcalm at Quebec."),
        ("How does the phagocyte kill the pathogen?", "The pathogen is killed by the phagocyte."),
        ("Who coordinates the project?", "The project is coordinated by Dr Kranz of Leipzig University."),
        ("Which projects did the panel select?", "14 projects were selected by the panel."),
        ("What did the panel select?", "14 projects were selected by the panel."),
        ("What did ANR fund in 2020?", "Projects funded by ANR in 2020 include CLIMATE."),
        ("Who inspired Frank Burnet?", "Frank Burnet, inspired by a suggestion made by Niels Jerne, formulated the theory."),
        # a verb with nothing done to in the question: the war may well have been ended by something
        ("When did the war end?", "The war was ended by the Treaty of Paris in 1763."),
        ("What did the war end with?", "The war was ended by the Treaty of Paris in 1763."),
        ("When does the call close?", "The call will be closed on 12 May at noon."),
        # "by" before a way of doing, no doer
        ("What is defined by using the theorem of reduction?", "Many complexity classes are defined using the concept of a reduction."),
        # the doer written as one too
        ("Who was defeated by Montcalm?", "Montcalm defeated the British at Carillon before Wolfe defeated Montcalm."),
    ],
)
def test_the_same_doer_or_no_doer_asked_is_no_swap(question, sentence):
    assert not roles.roles_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("In what year did Newcomen patent his steam pump?", "In 1698 Thomas Savery patented a steam pump that used steam."),
        ("For what railroad did Murray build a locomotive?", "In 1825 George Stephenson built the Locomotion for the railway."),
        ("When did Lyon open its office?", "In 2019 the agency said that Paris opened its office."),
    ],
)
def test_another_name_doing_the_question_s_verb_is_another_doer(question, sentence):
    assert roles.other_doer(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("In what year did Newcomen patent his steam pump?", "In 1712 Newcomen patented an engine."),  # the name written
        ("Where did Moncalm slip away to attack?", "Later Montcalm slipped away and led the attack."),  # written nearly alike
        ("Who did Britain exploit in India?", "There the British exploited the weakness of the state."),
        ("In what year did Newcomen patent his pump?", "In 1712 he patented an engine."),  # a pronoun may be him
        # a capitalised word starting the sentence may be any word
        ("When does Horizon close?", "Applications close on 5 May at 17:00."),
        ("What does Horizon cover?", "Funding covers staff costs and travel."),
        ("When does ANR publish the results?", "Results are published in June. Applicants publish nothing."),
        # no named doer asked
        ("When does the call close?", "In 2025 the Agency closes the call on 12 May."),
        ("Who can apply?", "Only Universities apply in this call."),
    ],
)
def test_the_name_asked_or_no_other_name_is_no_other_doer(question, sentence):
    assert not roles.other_doer(question, sentence)
