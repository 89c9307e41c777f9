"""adverse.adverse_unsaid: an adverse act asked (rejected, refused, killed) that the sentence never writes."""

import pytest

from docqa.index.answering import adverse


@pytest.mark.parametrize(
    "question, sentence, unsaid",
    [
        # an act against something asked, the sentence stating what was done instead
        (
            "Where did Kublai refuse to move the Mongol capital to?",
            "Kublai readied the move of the Mongol capital from Karakorum in Mongolia to Khanbaliq in 1264.",
            True,
        ),
        (
            "Who did Kublai reject as ruler of Korea?",
            "Kublai secured the northeast border in 1259 by installing the hostage prince Wonjong as the ruler of Korea.",
            True,
        ),
        ("What writing discouraged the name Great Yuan?", "In 1271, Kublai Khan imposed the name Great Yuan, establishing the Yuan dynasty.", True),
        ("When did Mongke Khan kill Great Khan?", "Möngke Khan succeeded Ögedei's son, Güyük, as Great Khan in 1251.", True),
        ("Who rejected the proposal?", "The committee approved the proposal in May.", True),
        # the sentence states the act, in the asked word's form or another verb of its kind
        ("Who rejected the proposal?", "The proposal was rejected by the committee in May.", False),
        ("How many Protestants were killed by September 17?", "By 17 September, almost 25,000 Protestants had been massacred in Paris alone.", False),
        ("When did the United States withdraw from the Accord?", "On August 15, 1971, the United States unilaterally pulled out of the Accord.", False),
        ("What did the war destroy?", "The war ended the old order and its institutions.", False),
        # a negation, contrast or restriction in the sentence may say it
        ("Who refused the offer?", "The duke did not accept the offer.", False),
        ("What religion did the Yuan discourage?", "The Yuan favoured Buddhism, but Taoism lost its privileges.", False),
        # a yes/no or negated question
        ("Did Kublai reject the offer?", "Kublai accepted the offer.", False),
        ("What did Kublai not reject?", "Kublai accepted the offer.", False),
        # alternatives offered: either may be the answer
        ("The plan goes until the market, or stop at clinical research?", "The plan covers research from the laboratory to market access.", False),
        # no adverse act asked
        ("Where did Kublai move the capital to?", "Kublai moved the capital to Khanbaliq in 1264.", False),
    ],
)
def test_an_adverse_act_asked_that_the_sentence_never_writes(question, sentence, unsaid):
    assert adverse.adverse_unsaid(question, sentence) is unsaid


@pytest.mark.parametrize(
    "question, sentence",
    [
        # a funding agency's page: what it asks is answered, or the sentence restricts
        ("Who can apply?", "Researchers based in France can apply."),
        ("Which costs are excluded?", "Eligible costs are staff, travel and equipment."),
        ("What happens if I withdraw my application?", "You may withdraw your application at any time before the deadline."),
        ("When does the call close?", "The call closes on 15 April at 1 pm."),
        ("Who cannot apply?", "Companies are not eligible for funding."),
        ("What happens if I fail to submit the final report?", "Funding must be repaid if the final report is not submitted."),
        ("Which applications are rejected?", "Only applications submitted before the deadline are evaluated."),
        # the act in other words
        ("Who was dismissed from the board?", "Dr Berg was fired from the board in 2019."),
        ("When was the old scheme abolished?", "The old scheme was replaced by the ECIG in 2021."),
        ("Why was the project stopped?", "The project was discontinued in 2020 when its funding ran out."),
        ("Who withdrew from the consortium?", "In March, the University of Oslo left the consortium."),
        ("Who lost the election?", "Smith was beaten by Jones in the 2019 election."),
    ],
)
def test_an_agency_page_is_left_alone(question, sentence):
    assert adverse.adverse_unsaid(question, sentence) is False
