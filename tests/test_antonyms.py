"""antonyms.py: an opposite in any of its forms beside a word both sides write; a negating prefix on the word the
other side writes, or on another form of it."""

import time

import pytest

from docqa.index.answering import antonyms, contradiction


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Where did Kublai shorten the Grand Canal to?", "Kublai expanded the Grand Canal from southern China to Daidu in the north."),
        ("When did Washington learn about Trent's advance?", "While en route, Washington learned of Trent's retreat."),
        ("What does cytokine TGF-β encourage the activity of?", "The cytokine TGF-β suppresses the activity of macrophages."),
        ("Optional Committees are set down under what?", "Mandatory Committees are set down under the standing orders."),
        # "take" asked, "gave" written: contradiction.py's exact forms pair "take" with "give" only
        ("When did the British government take land in Ohio?", "In 1749 the British government gave land to the Ohio Company."),
    ],
)
def test_an_opposite_in_another_form_beside_a_shared_word(question, sentence):
    assert antonyms.opposite_near(question, sentence)
    assert not contradiction.opposite_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        # no content word both sides write near the pair's words
        ("Where did Kublai shorten the Grand Canal to?", "The Grand Canal ran from southern China to Daidu, and trade with the south expanded."),
        # a yes/no question, a negated one
        ("Did Kublai shorten the Grand Canal?", "Kublai expanded the Grand Canal from southern China to Daidu."),
        ("Where did Kublai not shorten the Grand Canal to?", "Kublai expanded the Grand Canal from southern China to Daidu."),
        # the sentence writes the asked word too, in another form, or negates the opposite
        ("Where did Kublai shorten the Grand Canal to?", "Kublai expanded the Grand Canal to Daidu and later shortened it."),
        ("What kinds of growth did Kublai discourage?", "Kublai Khan did not promote commercial growth."),
        # idioms: "take part", "it takes", "give rise"
        ("Who did the government take part with in the Ohio Country?", "The government gave part of the Ohio Country to the company."),
        ("How long does the government take to give land?", "It takes the government two months to give land."),
        ("What did the government give rise to in the Ohio Country?", "The government took the Ohio Country in 1760."),
        # one act seen from its other side: "was given command" says who took it
        ("Who took command of the British army?", "Wolfe was given command of the British army."),
        # a close beside a deadline says when it closes
        ("When is the closing date for applications to the call?", "The opening date for applications to the call is 1 March, deadline 15 April."),
    ],
)
def test_no_opposite_near(question, sentence):
    assert not antonyms.opposite_near(question, sentence)


def test_opposite_near_reads_a_5000_character_question_and_sentence_quickly():
    question = "Where did Kublai " + " ".join(["shorten the Grand Canal"] * 200) + "?"
    sentence = " ".join(["Kublai expanded the Grand Canal, and rates rose while the rivers sank and froze."] * 60)
    started = time.perf_counter()
    antonyms.opposite_near(question, sentence)
    assert time.perf_counter() - started < 0.2


@pytest.mark.parametrize(
    "question, sentence, negated",
    [
        ("Which dynasties' histories were unofficially documented?", "He finished the official histories of the Liao and Song dynasties.", True),
        ("When did Khan disestablish the Yuan dynasty?", "In 1271, Kublai Khan imposed the name Great Yuan, establishing the Yuan dynasty.", True),
        ("Who uninvited Washington to dine with him?", "Saint-Pierre, who succeeded Marin as commander, invited Washington to dine with him.", True),
        ("What was the non-imperialistic policy called?", "Although imperialist practices have existed for thousands of years, …", True),
        ("Who disagrees with the timetable of business?", "The duties of the Bureau are to agree the timetable of business.", True),
        # a negation before the base says what the prefix does
        ("Who uninvited Washington to dine with him?", "Saint-Pierre had not invited Washington to dine with him.", False),
        # the sentence writes the prefixed word too
        ("Who uninvited Washington to dine with him?", "Saint-Pierre invited Washington to dine, and later uninvited him.", False),
        # words opening as a prefix does that negate nothing; in- on a verb or a noun in -ion ("into"); non- before a name
        ("Who discovered the timetable?", "The Bureau covered the timetable.", False),
        ("What engine intakes steam?", "The engine takes steam in hot areas.", False),
        ("Who led the immigration to America?", "He led the migration to America.", False),
        ("How many non-Russians lived in the empire?", "Many Russians lived in the empire.", False),
        # only the question's prefix: the sentence's may qualify what the question asks
        ("Who played an important role?", "Saudi Arabia played an unimportant role.", False),
    ],
)
def test_a_prefix_negating_another_form_of_the_sentence_word(question, sentence, negated):
    assert antonyms.prefix_negated_form(question, sentence) is negated


@pytest.mark.parametrize(
    "question, sentence, negated",
    [
        ("Who played an unimportant role?", "Saudi Arabia played an important role in restraining them.", True),
        ("What makes the bounds dependent of the model?", "This makes the bounds independent of the model.", True),
        ("How were non-local networks established?", "It allowed local networks to be established ad hoc.", True),
        ("How are packets delivered in a non-shared medium?", "In a shared medium, packets are delivered in turn.", True),
        ("What is it always possible to model forces as?", "It is impossible to model forces as gradients.", True),
        ("Which class has unknown algorithms?", "For NP no efficient algorithm is known.", False),  # "no … known" says it
        ("Who is unable to deal with it?", "The Parliament is not able to deal with it.", False),
        ("What Yuan policies did Muslims dislike?", "They restricted practices like circumcision.", False),  # "like" no verb
        ("What engine takes in steam?", "The engine intakes steam in hot areas.", False),  # a noun beside a verb
        ("Who played an important role?", "Saudi Arabia played an important role, not an unimportant one.", False),
    ],
)
def test_a_word_one_side_negates_by_its_prefix(question, sentence, negated):
    assert antonyms.prefix_negated(question, sentence) is negated


@pytest.mark.parametrize(
    "question, sentence, negated",
    [
        ("When did German migration to America peak?", "German immigration to the United States peaked in 1882.", False),
        ("Why is the Action Plan valuable?", "The Action Plan is invaluable as a blueprint for research.", False),
        ("Is the gas flammable?", "The gas is highly inflammable.", False),
        ("Which step is irreversible?", "The first step is reversible.", True),
        ("Who is dependent on ANR?", "ANR is independent.", True),
        ("What do self molecules bind to?", "Non-self molecules bind to immune receptors.", True),  # non- always negates
    ],
)
def test_an_in_prefix_that_does_not_negate(question, sentence, negated):
    assert antonyms.prefix_negated(question, sentence) is negated


@pytest.mark.parametrize(
    "question, sentence",
    [
        # the sentence states the asked end (or start) in other words beside the opposite (review14)
        ("When does registration close?", "Registration opens on 1 May and ends on 30 May."),
        ("When does the office close?", "The office is open from 9 am to 5 pm."),
        ("What time does the office close in the afternoon?", "The office is open from 9:00 to 17:00."),
        # one act from its two sides, the question asking the other party
        ("What do applicants receive?", "The agency sends each applicant an acknowledgement."),
        ("Who sends the acknowledgement?", "Applicants receive an acknowledgement from the agency."),
        ("Who borrowed the money?", "The bank lent the money to the city."),
        ("Who lent the money?", "The city borrowed the money from the bank."),
        ("Who gives the final approval?", "The board takes the final decision on funding."),
    ],
)
def test_no_opposite_where_the_sentence_answers_in_other_words(question, sentence):
    assert not antonyms.opposite_near(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What did the Yuan take from the Song?", "The Yuan gave the land to the Song."),
        ("What did the king send to Rome?", "The king received gifts from Rome."),
        ("When does the call close?", "The call opens on 1 March."),
    ],
)
def test_an_opposite_with_the_same_doer_or_no_end_stated(question, sentence):
    assert antonyms.opposite_near(question, sentence)


def test_an_opposite_before_unless_states_the_condition_of_the_asked_side():
    question = "How do I keep my grant if I move?"
    assert not antonyms.opposite_near(question, "Grant holders who move abroad lose the grant unless the agency approves the transfer.")
    assert antonyms.opposite_near(question, "Grant holders who move abroad lose the grant.")
    # a question writing the condition too asks of the same side
    assert antonyms.opposite_near(
        "What is usually taken as the best case complexity, unless specified otherwise?",
        "The complexity of an algorithm is usually taken to be its worst-case complexity, unless specified otherwise.",
    )


def test_a_direction_written_beside_its_opposite_is_stated():
    question = "What causes prices to rise?"
    assert not contradiction.opposite_swapped(question, "Prices increase when demand grows and fall when supply expands.")
    assert contradiction.opposite_swapped(question, "Prices fall when supply expands.")
