"""event_dates: asked when something ended (or began), a sentence dating only another phase does not say it."""

import pytest

from docqa.index.answering import event_dates, sentence_declines


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("When did England formally end war on France?", "On May 18, 1756, England formally declared war on France."),
        ("When did Li Tan reject a revolt?", "Li Tan instigated a revolt against Mongol rule in 1262."),
        ("When did the Il-khanate stop experimenting with paper money?", "The Il-khanate government issued paper money in 1294."),
        ("In what year was the museum closed?", "The museum opened to the public in 1921."),
        ("When was the scheme abolished?", "The scheme was introduced in 2004 by the ministry."),
        ("In what year did the warfare start?", "The warfare was definitively quelled in 1598."),
        ("When did the programme begin?", "The programme was discontinued in 2015."),
    ],
)
def test_declines_another_phase(question, sentence):
    assert event_dates.phase_unsaid(question, sentence)
    assert sentence_declines.declining_rule(question, sentence) is not None


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("When did the war end?", "The war ended in 1763."),
        ("When did the war end?", "The war (1754–1763) was fought in North America."),
        ("When did the fighting stop?", "The fighting lasted from 1562 to 1598."),
        ("When did the United States withdraw from the accord?", "In 1971 the United States pulled out of the accord."),
        ("When was the museum closed?", "The museum operated until 1990."),
        ("When was the colony destroyed?", "A French naval attack against the colony in 1565."),
        ("When did the Senate reject the bill?", "The bill was voted down in 1990."),
        ("When did the programme begin?", "The programme was launched in 2004 and discontinued in 2015."),
        ("When did the programme begin?", "The programme ran from 2004 until it was discontinued."),
        ("When does ERA PerMed start?", "ERA PerMed should start at the end of 2017."),
        ("Who ended the war?", "The war was declared in 1756."),
        ("When was the bridge finished?", "The bridge was built in 1932."),
    ],
)
def test_leaves_dated_phase_alone(question, sentence):
    assert not event_dates.phase_unsaid(question, sentence)
    assert not event_dates.end_unsaid(question, sentence)


def test_bounded_on_long_input():
    import time

    long = "word " * 1000 + "1999"
    start = time.perf_counter()
    event_dates.phase_unsaid("When did it end?", long)
    assert time.perf_counter() - start < 0.05
