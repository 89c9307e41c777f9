"""noun_modifiers.py: another noun, compound or letter qualifying the question's noun in the sentence."""

import time

import pytest

from docqa.index.answering import noun_modifiers, sentence_declines, tagging


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What is used to shut down pathogen defenses?", "These proteins are often used to shut down host defenses."),
        # the question's qualifier written, but far from the noun
        (
            "What is used to shut down pathogen defenses?",
            "They insert a tube into the host cell, providing a direct route for proteins to move from the pathogen to "
            "the host. These proteins are often used to shut down host defenses.",
        ),
        ("What can the working fluid in a boiler cycle operate as?", "The working fluid in a Rankine cycle can operate as a closed loop system."),
        ("What components raise steam temperature above its saturated firebox point?", "Superheaters raise the temperature of the steam above its saturated vapour point."),
        # hyphenated compounds with the same last part; the noun of two words
        (
            "How much water is used by a 700-megawatt water-fired power plant?",
            "A 700 megawatt coal-fired power plant may use about 3600 cubic metres of make-up water every hour.",
        ),
        # a letter, the same word before it on both sides, though the sentence writes "B cell" elsewhere
        (
            "What attracts a matching helper B cell?",
            "The B cell then displays these peptides. This combination attracts a matching helper T cell, which activates the B cell.",
        ),
        ("Who experimented with snake venom in the 18th century?", "In the 18th century, Maupertuis made experiments with scorpion venom."),
    ],
)
def test_another_noun_qualifies_the_same_noun(question, sentence):
    assert noun_modifiers.compound_swapped(question, sentence)
    assert sentence_declines.declining_rule(question, sentence) == "noun_modifiers.compound_swapped"


@pytest.mark.parametrize(
    "question, sentence",
    [
        # the same qualifier, in another form, as a slip or by its acronym
        ("What is used to shut down host defenses?", "These proteins are often used to shut down host defenses."),
        ("What are the anitmicrobial peptides secreted by the skin called?", "The skin secretes antimicrobial peptides such as the defensins."),
        ("Upon learning of a French scounting party, what did Washington do?", "Learning of a French scouting party in the area, Washington attacked."),
        ("Natural killer cells recognize cells by a condition known as what?", "NK cells destroy host cells, recognizing such cells by a condition known as missing self."),
        # the question's qualifier beside the noun in the sentence too, or listed with the sentence's
        ("What does the pathogen defense system block?", "The defense system of the pathogen blocks host defenses."),
        ("What shuts down host and pathogen defenses?", "These proteins shut down host defenses."),
        # the question's three words written too
        ("What attracts a matching helper B cell?", "A matching helper T cell or a matching helper B cell attracts it."),
        # the question's qualifier a part of the sentence's compound before the noun
        ("When did Chrysler end production of their full size sedans?", "Chrysler ended production of their full-sized luxury sedans in 1981."),
        # adjectives: synonyms no list knows
        ("Who was the final Prime Minister of East Germany?", "The last Prime Minister of the German Democratic Republic was Lothar de Maizière."),
        ("When did France rebuild its global empire?", "France began in earnest to rebuild its worldwide empire after 1850."),
        ("Newborns have no previous exposure to what?", "Newborn infants have no prior exposure to microbes."),
        # asked which one: the sentence's qualifier may be the answer
        ("What textile industry did the Huguenots contribute to in Ireland?", "They contributed to the growth of the Irish linen industry."),
        # set against others
        ("Other than T cells, what other immune cells express CYP27B1?", "Other immune system cells that express CYP27B1 are dendritic cells."),
        # a name the sentence writes, a common noun the question
        ("Dinwiddie had an investment in what significant company?", "Governor Dinwiddie was an investor in the Ohio Company."),
        # a verb before the noun, not a qualifier
        ("What two areas were first to grant rights to the Huguenots?", "Amsterdam was the first to provide full citizens rights to Huguenot immigrants."),
        # a noun that says little by itself
        ("What is another part of the engine?", "The moving part of the engine is the piston."),
        # "systemic" is no form of "system"
        ("What peptides are the main form of invertebrate systemic immunity?", "These mechanisms include antimicrobial peptides and the complement system."),
    ],
)
def test_no_other_noun_qualifies_it(question, sentence):
    assert not noun_modifiers.compound_swapped(question, sentence)


def test_the_lexicon_tag_out_of_context():
    assert tagging.usual_tag("host") == "NN"
    assert tagging.usual_tag("Main") == "JJ"
    assert tagging.usual_tag("firebox") is None


def test_compound_swapped_reads_a_5000_character_question_and_sentence_quickly():
    question = "What is used to " + " ".join(["shut down pathogen defenses of the engine cycle"] * 100) + "?"
    sentence = " ".join(["The pathogen proteins shut down pathogen host defenses of the engine cycle."] * 80)
    started = time.perf_counter()
    noun_modifiers.compound_swapped(question, sentence)
    assert time.perf_counter() - started < 1.0
