"""Asked where someone is from, a sentence that writes no origin does not say it (answering/origin.py)."""

import pytest

from docqa.index.answering import origin


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Where was Jean de Rely from?", "A two-volume paraphrase by Jean de Rely was printed in Paris in 1487."),
        ("Where was the priest Guyard de Moulin from?", "Around 1294, a French version of the Scriptures was prepared by the priest Guyard de Moulin."),
        ("What city was Jan van Riebeeck from?", "Maria, wife of commander Jan van Riebeeck, arrived in 1652 to establish a settlement."),
        ("Which city was John Calvin born in?", "Geneva was John Calvin's adopted home and the centre of the movement."),
        ("Where was Andrew Lortie originally from?", "Andrew Lortie, a theologian who led the exiled community in London, became known for his criticism."),
        ("Where did the Walloons come from?", "The Walloons built a church in 1688."),
        ("Where was Andrew Lortie from?", "Andrew Lortie (born André Lortie), a theologian, led the exiled community in London."),
    ],
)
def test_an_origin_asked_and_none_written(question, sentence):
    assert origin.origin_unsaid(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Where was Andrew Lortie from?", "Andrew Lortie, a native of Lyon, led the exiled community in London."),
        ("Where was Andrew Lortie from?", "Andrew Lortie came from Lyon to London in 1690."),
        ("Where was Andrew Lortie born?", "Andrew Lortie was born in Lyon."),
        ("Where was Andrew Lortie born?", "Andrew Lortie was born 12 May 1645 and died in London."),  # "born" may say more
        ("Where was Andrew Lortie born?", "The Lyon-born Andrew Lortie led the exiled community."),
        ("Where was Halford Mackinder born?", "Political geographers such as Friedrich Ratzel of Germany and Halford Mackinder of Britain supported it."),
        ("Where does the gold in the mace come from?", "The mace is inlaid with gold panned from Scottish rivers."),
        ("What areas did the French recruit natives from?", "The French recruited fighters in the Great Lakes region."),  # not an origin
        ("Who did the Parliament rent buildings from?", "The Parliament rented buildings in Edinburgh."),
        ("What country was Besancon Hugues from?", "The Swiss politician Besancon Hugues died in 1532."),  # countries.py's
        ("Where was Andrew Lortie?", "Andrew Lortie led the exiled community in London."),
        ("Where does the funding come from?", "The programme is funded by the European Union."),  # a thing, not a name
    ],
)
def test_an_origin_written_or_none_asked(question, sentence):
    assert not origin.origin_unsaid(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Where were the Huguenots from?", "The Huguenots were French Protestants who followed Calvin."),
        ("Where was Besancon Hugues from?", "The nickname referred to the Swiss politician Besancon Hugues and his time."),
    ],
)
def test_a_country_beside_the_one_asked_of_says_where_from(question, sentence):
    assert not origin.origin_unsaid(question, sentence)


def test_a_country_far_from_the_one_asked_of_says_nothing_of_it():
    sentence = "Around 1294, a French version of the Scriptures was prepared by the Roman Catholic priest, Guyard de Moulin."
    assert origin.origin_unsaid("Where was Guyard de Moulin from?", sentence)
