"""relatives.py: a sentence naming another relative ("Who was Kublai Khan's uncle?" on "his brother Kublai") or
another title ("President Wilson" asked, "Prime Minister Wilson" written) than the question."""

import pytest

from docqa.index.answering import relatives


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("Who was Kublai Khan's uncle?", "Mongke Khan succeeded Guyuk in 1251. He granted his brother Kublai control over China.", True),
        ("Who was Henry's mother?", "Henry's father was Geoffrey of Anjou.", True),
        ("Who was Shi Tianze's uncle?", "Shi Tianze married two Jurchen women, and his son Shi Gang was born to one of his wives.", True),
        ("Who was Kaidu's aunt?", "Kaidu's uncle Kublai ruled China.", True),
        ("Who was Shi Tianze's father?", "Shi Bingzhi was married to a Jurchen woman; she was Shi Tianze's mother.", False),  # her husband
        ("Who was Kublai Khan's brother?", "Mongke Khan granted his brother Kublai control over China.", False),
        # a general noun answers a gendered one and the other way round
        ("Who were Chopin's parents?", "Chopin's father Nicolas was a French teacher.", False),
        ("Who was Chopin's father?", "Chopin's parents moved to Warsaw in 1810.", False),
        ("Who was Henry's wife?", "His widow, Eleanor, ruled as regent.", False),  # a widow is a wife
        # the converse relation beside the name asked of tells the same bond
        ("Who was Kaidu's grandfather?", "Ogedei's grandson Kaidu rebelled against Kublai.", False),
        ("Who was Henry's mother?", "Henry was the son of Geoffrey and Matilda.", False),
        ("What support do researchers with children get?", "Researchers who are parents can extend their grant by a year.", False),
        # a kin noun before another noun or after "founding" is no relative
        ("What is the sister project of CLIMATE?", "CLIMATE is run by ANR, whose parent ministry funds it.", False),
        ("Who are the founding fathers of the EU?", "Schuman's daughter Marie attended the signing.", False),
        ("Which organisation is the parent of ANR?", "ANR is a sister agency of the DFG.", False),
    ],
)
def test_a_relative_the_sentence_does_not_write_while_it_writes_another(question, sentence, swapped):
    assert relatives.kin_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("President Wilson committed his government to what in 1974?", "Prime Minister Wilson committed his government to devolution in 1974.", True),
        ("Minister Robert Dinwiddie invested in what company?", "Governor Robert Dinwiddie of Virginia was an investor in the Ohio Company.", True),
        ("What did Director Smith announce?", "Chairman Smith announced the results.", True),
        ("Prime Minister Wilson committed his government to what?", "Prime Minister Wilson committed his government to devolution.", False),
        # an honorific says nothing of a role
        ("What did Director Smith announce?", "Professor Smith announced the results.", False),
        ("What did Dr Smith announce?", "President Smith announced the results.", False),
        ("Who chairs the board?", "Professor Ana Ribeiro, the chair, opened the meeting.", False),
        # titles sharing a word may be the same; the asked title written elsewhere; a title in lower case
        ("What did General Smith command?", "Major General Smith commanded the division.", False),
        ("What did President Smith sign?", "Senator Smith, later president, signed the bill.", False),
        ("What is the General Assembly?", "The President of the General Assembly is elected every year.", False),
    ],
)
def test_a_title_the_sentence_gives_the_same_name_another_of(question, sentence, swapped):
    assert relatives.title_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence",
    [
        # whom one married is one's spouse; a sibling's child a nephew, a parent's parent a grandparent (review14)
        ("Who was Victoria's husband?", "Victoria married her cousin Albert in 1840."),
        ("Who was the king's nephew?", "The king's sister's son, Louis, inherited the throne."),
        ("Who was the king's nephew?", "The son of the king's sister, Louis, inherited the throne."),
        ("Who was the king's grandfather?", "The king's father's father was John."),
    ],
)
def test_a_relative_told_by_marriage_or_a_chain_of_relatives(question, sentence):
    assert not relatives.kin_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Who was the king's nephew?", "The king's son, Louis, inherited the throne."),
        ("Who was the king's uncle?", "The king's sister's son was John."),
        ("Who was Victoria's husband?", "Victoria's brother Albert ruled."),
    ],
)
def test_another_relative_still_swapped(question, sentence):
    assert relatives.kin_swapped(question, sentence)
