"""Asked for the largest or smallest of something, a sentence that ranks nothing by size does not say which
(answering/superlative.py)."""

import pytest

from docqa.index.answering import superlative


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Which town had the largest refugee church?", "They settled in Sandwich, Faversham and Maidstone, towns in which there used to be refugee churches."),
        ("What family had the largest vineyard in France?", "Some of the settlers had vineyards in France, or were brandy distillers."),
        ("Where was the smallest settlement in Ireland?", "Examples include the Huguenot District in Cork and D'Olier Street in Dublin."),
        ("What was the biggest religion in the province?", "Many religions were practised in the province, such as Buddhism and Islam."),
    ],
)
def test_a_size_extreme_asked_and_nothing_ranked(question, sentence):
    assert superlative.size_extreme_unsaid(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Which town had the largest church?", "Canterbury had the largest church of the county."),
        ("Which town had the largest church?", "Canterbury's church was the biggest in Kent."),
        ("What is the largest city of the region?", "Lyon is the most populous city of the region."),
        ("What is the largest city of the region?", "Lyon, the region's second-largest city, lies on the Rhône."),
        ("What is the largest city of the region?", "Lyon is larger than any other city of the region."),
        ("What is the largest city of the region?", "Lyon is the region's main city."),
        ("What is the biggest challenge for applicants?", "The key challenge for applicants is finding partners."),
        ("Where did the bulk of the refugees settle?", "The bulk of the émigrés settled in England."),
        ("Which colony was the largest?", "The French colonies had 60,000 settlers and the British ones 2 million."),
        ("Which town had a refugee church?", "They settled in Sandwich, towns in which there used to be refugee churches."),
    ],
)
def test_a_sentence_ranking_by_size_or_no_extreme_asked(question, sentence):
    assert not superlative.size_extreme_unsaid(question, sentence)
