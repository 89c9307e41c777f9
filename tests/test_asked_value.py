"""Asked a year, a century, a percentage or a count, a sentence that writes none does not say it (answering/asked_value.py)."""

import pytest

from docqa.index.answering import asked_value

FORT = "A fort, named Fort Harbour, was built to protect the settlers from attack."


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("In what year was Fort Harbour built?", FORT),
        ("What year was Fort Harbour built?", FORT),
        ("Fort Harbour was built in which year?", FORT),
        ("In WHAT YEAR was Fort Harbour built?", FORT),
        ("In what century was Fort Harbour built?", FORT),
        ("In which decade was Fort Harbour built?", FORT),
        ("What percentage of the settlers built Fort Harbour?", FORT),
        ("How many settlers built Fort Harbour?", FORT),
        ("how many forts protected the settlers", "Forts protected the settlers from attack."),
    ],
)
def test_a_value_asked_that_the_sentence_does_not_write(question, sentence):
    assert asked_value.unwritten(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("In what year was Fort Harbour built?", "Fort Harbour was built in 1604."),
        ("In what year was Fort Harbour built?", "Fort Harbour was built in '98 by the settlers."),
        ("In what year was Fort Harbour built?", "Fort Harbour was built the following year."),  # says which in words
        ("In which year of the programme do students travel?", "Students travel in their second year."),
        ("In what century was Fort Harbour built?", "Fort Harbour was built in the 17th century."),
        ("In what century was Fort Harbour built?", "Fort Harbour was built in the seventeenth century."),
        ("In what decade was Fort Harbour built?", "Fort Harbour was built in the 1970s."),
        ("What percentage of proposals were funded?", "The success rate was 7.5%."),
        ("What percentage of proposals were funded?", "The success rate was 12 per cent."),
        ("What percentage of proposals were funded?", "About a third of the proposals were funded."),
        ("How many settlers built Fort Harbour?", "Twenty settlers built Fort Harbour."),
        ("How many times can a rejected proposal be resubmitted?", "Yes, but only once."),
        ("How many proposals may one applicant submit?", "Each applicant may submit a single proposal."),
        ("How many partners are needed?", "Consortia need at least 3 partners."),
        ("How many partners are needed?", "Several partners are needed."),
        ("How many people died in the fire?", "No one died in the fire."),
        ("When was Fort Harbour built?", FORT),  # not a year asked: other rules and the confidence model weigh it
        ("What was built to protect the settlers?", FORT),
        ("How much does a ticket cost?", FORT),
    ],
)
def test_a_sentence_writing_the_value_or_a_question_asking_none(question, sentence):
    assert not asked_value.unwritten(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        # a decade, a share or a count in words (review14)
        ("What decade saw the largest growth?", "Funding grew most in the nineties."),
        ("What percentage of costs is covered?", "The grant covers all eligible costs."),
        ("What percentage of costs is covered?", "The grant covers the full eligible costs of the project."),
        ("What percentage of applicants succeed?", "Roughly one in five applicants is funded."),
        ("What percentage of applicants succeed?", "Nine out of ten applicants are funded."),
        ("How many proposals can I submit?", "Applicants may submit an unlimited number of proposals."),
        ("How many countries take part?", "All EU member states take part in the programme."),
        ("How many times has the call been held?", "This is the call's fifth edition."),
    ],
)
def test_a_value_written_in_words_is_written(question, sentence):
    assert not asked_value.unwritten(question, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Half of the applicants were funded.",
        "Nobody among the applicants was funded.",
        "The vast majority of the applicants were funded.",
        "A quarter of the applicants were funded.",
    ],
)
def test_a_share_of_those_counted_answers_how_many(sentence):
    assert not asked_value.unwritten("How many of the applicants were funded?", sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        # asked how many, a number the question writes itself or a year counts nothing asked
        ("How many settlers founded the colony in 1555?", "A group of settlers arrived in 1555 to found the colony."),
        ("How many settlers lived in Fort Harbour?", "In 1564 a group of settlers established the small colony of Fort Harbour."),
        ("How many settlers lived in the town in 1705?", "In 1705, the town gave full rights to settlers, followed by the province in 1715."),
        ("How many settlers were there in 1685?", "Religious warfare in the 1620s ended the settlers' privileges."),
    ],
)
def test_a_count_asked_and_only_the_questions_numbers_or_years_written(question, sentence):
    assert asked_value.unwritten(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("How many settlers founded the colony in 1555?", "In 1555, 600 settlers founded the colony."),
        ("How many troops defended the fort in 1757?", "In 1757 the fort was defended by 1500 troops."),
        ("How many settlers arrived in 1564?", "The 1,564 settlers arrived by ship."),
        ("How many years did the war last?", "The war lasted from 1754 to 1763."),  # two years answer it
        ("How many decades did the empire rule?", "The empire ruled from 1815 until 1914."),
        ("How many men did Duquesne send?", "Duquesne sent forces on April 5, 1754."),  # a day of a month may count
    ],
)
def test_a_count_written_beside_a_year_or_years_counted(question, sentence):
    assert not asked_value.unwritten(question, sentence)
