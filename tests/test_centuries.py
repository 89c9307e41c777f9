"""centuries.century_swapped: another century or decade asked than the sentence names."""

import pytest

from docqa.index.answering import centuries


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("What continues far beyond the turn of the 20th century?", "The steam age continues far beyond the turn of the 19th century.", True),
        ("What fortification was built in the 18th century?", "The Warsaw Citadel, a 19th-century fortification, was built after the uprising.", True),
        ("What was built in the nineteenth century?", "The church was built in the 18th century.", True),  # in words or digits
        ("Which band was popular in the 1990s?", "The band was popular in the 1980s.", True),
        # the asked period written too, in a list or a span
        ("Who served the Normans in the 10th century?", "The Normans in the 10th and 11th centuries gave their name to Normandy.", False),
        ("What was built in the 11th century?", "Castles were built from the 10th to the 12th century.", False),
        ("What was built in the 19th century?", "The church was built in the nineteenth century.", False),
        # a year of the asked period written
        ("What was built in the 19th century?", "Building began in the 18th century and ended in 1810.", False),
        ("Which band was popular in the 1990s?", "The band, founded in the 1980s, split in 1994.", False),
        # "the 1800s" may be the century; no period of the same size on both sides; a yes/no question
        ("What happened in the 1800s?", "The town grew in the 1810s.", False),
        ("What was built in the 19th century?", "The church was built in the 1890s.", False),
        ("Was the church built in the 18th century?", "The church was built in the 19th century.", False),
        ("When does the call close?", "The call opens on 1 March and the deadline is 15 April.", False),
    ],
)
def test_another_century_or_decade(question, sentence, swapped):
    assert centuries.century_swapped(question, sentence) is swapped
