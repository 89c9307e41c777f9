"""time_units.unit_swapped: another time unit asked than the sentence quantifies."""

import pytest

from docqa.index.answering import time_units


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        # the same number, or both quantified by a word, before another unit
        ("What takes between two and three weeks to develop?", "Type IV hypersensitivity takes between two and three days to develop.", True),
        ("The outcome of what is known in hours?", "As a result, the outcome of each division is known in seconds.", True),
        ("What regime ruled over Sudan for many decades?", "For many years, Sudan had an Islamist regime.", True),
        ("How many projects does the Centre realize a month?", "The Centre realizes about 500 projects a year.", True),
        # the asked unit written too, or the question's unit asked in another way
        ("What takes two weeks to develop?", "It takes two days to develop and two weeks to heal.", False),
        ("How many projects does the Centre realize a year?", "The Centre realizes about 40 projects a month and 500 a year.", False),
        # another number in another unit may be the same span
        ("How many years does the project run?", "The project runs for 36 months.", False),
        ("How long does the project run in years?", "The project runs for 36 months.", False),
        ("How long is the project in months?", "The project lasts 3 years.", False),
        # no unit asked, or a yes/no question (answered "no, three months")
        ("How long does it take?", "It takes three months.", False),
        ("When does the call close?", "The call opens on 1 March and the deadline is 15 April.", False),
        ("Who can take part?", "Researchers in their first five years after the PhD can take part.", False),
        ("Does it take three weeks?", "It takes three months.", False),
    ],
)
def test_another_time_unit_quantified_the_same_way(question, sentence, swapped):
    assert time_units.unit_swapped(question, sentence) is swapped
