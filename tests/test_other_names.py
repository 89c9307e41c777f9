"""other_names.py: a sentence writing another name than the question's (a name absent, another of the same opening,
the same name but for one word, another word qualifying the same noun, another acronym before the same word)."""

import time

import pytest

from docqa.index.answering import other_names


def test_a_name_with_its_other_form_in_brackets_is_written_when_either_form_is():
    sentence = "The NIH and France take part in the Harbour Club."
    assert not other_names.name_absent("Is the NIH (National Institutes of Health) a member?", sentence)
    assert not other_names.name_absent("Is the French Harbour Agency (NIH) a member?", sentence)
    assert other_names.name_absent("Is the NSF (National Science Foundation) a member?", sentence)


@pytest.mark.parametrize(
    "question, sentence, other",
    [
        # The sentence's name opens it, after its capitalised "The": still another name of the same opening.
        ("What does the Ministry of Health fund?", "The Ministry of Higher Education funds the Harbour Club.", True),
        ("What does the House of Lords decide?", "The House of Commons decides on the budget.", True),
        # A shorter form of the question's own name is no other name: it writes nothing the question's does not.
        ("Who is the President of the European Commission?", "Ursula von der Leyen is President of the Commission.", False),
        ("Who is the Minister of Health of France?", "Jean Dupont, Minister of Health, opened the quay.", False),
        # Written in lower case, or with its qualifier first: "the health ministry" is "the Ministry of Health"
        ("Which French health ministry funds the club?", "The Ministry of Higher Education funds the Harbour Club.", True),
        ("Which Italian health ministry funds it?", "The Ministry of Higher Education funds the Harbour Club.", True),
        ("is the ministry of the health a funder?", "The Ministry of Higher Education funds the Harbour Club.", True),
        # …but not a qualifier the sentence writes, an adjective, or a word that qualifies no name ("alongside ministry")
        ("Does the education ministry fund the club?", "The Ministry of Higher Education funds the Harbour Club.", False),
        ("Which French ministry funds the club?", "The Ministry of Higher Education funds the Harbour Club.", False),
        ("Which other ministry funds it?", "The Ministry of Higher Education funds the Harbour Club.", False),
        ("Which body is involved alongside ministry ICPerMed?", "The Ministry of Higher Education funds the Harbour Club.", False),
    ],
)
def test_another_name_of_the_same_opening(question, sentence, other):
    assert other_names.other_name(question, sentence) is other


def test_other_name_reads_a_5000_character_question_and_sentence_quickly():
    question = "What does the " + " ".join(["Ministry of Health"] * 300) + "?"
    sentence = " ".join(["The Ministry of Higher Education"] * 160) + "."
    started = time.perf_counter()
    other_names.other_name(question, sentence)
    assert time.perf_counter() - started < 0.2
    started = time.perf_counter()
    other_names.other_name("Is the " + " ".join(["health ministry"] * 300) + " a funder?", sentence)
    assert time.perf_counter() - started < 0.2


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("Who set up the Second Warsaw Republic?", "Pilsudski set up what became the Second Polish Republic.", True),
        ("When was the FSO Tico Factory founded?", "The FSO Car Factory was established in 1951.", True),
        ("Where is the Tom of the Unknown Soldier?", "The Tomb of the Unknown Soldier is at the east end.", False),  # a slip
        ("What did the Polish Republic do?", "The Czech Republic signed it.", False),  # two words: other_name's business
        ("Who set up the Second Polish Republic?", "Pilsudski set up what became the Second Polish Republic.", False),
        ("Who set up the Second Warsaw Republic?", "The Second Polish Republic was set up in Warsaw.", False),  # Warsaw written
        # the same word written otherwise: a number in words or Roman numerals, an abbreviation
        ("What role did Poland play in World War Two?", "Poland fought in World War II from 1939.", False),
        ("When was Saint Louis Cathedral built?", "St Louis Cathedral was built in 1850.", False),
        ("Who runs the Health Department of Paris?", "The Health Dept of Paris is run by Jane Roe.", False),
        ("What does Mrs Jane Roe do?", "Ms Jane Roe directs the unit.", False),
    ],
)
def test_a_name_the_sentence_writes_with_another_word(question, sentence, swapped):
    assert other_names.name_word_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("What is inlaid with gold panned from French rivers?", "The mace is inlaid with gold panned from Scottish rivers.", True),
        ("Following the Liberal victory in 2015, what changed?", "Following the Conservative victory in 2015, the orders changed.", True),
        ("What is inlaid with gold panned from Scottish rivers?", "The mace is inlaid with gold panned from Scottish rivers.", False),
        ("What is inlaid with gold from French rivers?", "Gold from Scottish rivers and French mines is inlaid.", False),  # French written
        ("What is inlaid with gold from France's rivers?", "The mace is inlaid with gold panned from Scottish rivers.", False),  # no qualified noun
        ("Which gold came from French rivers?", "The gold came from rivers. Scottish rivers gave the silver.", False),  # opens a sentence
        ("What did the Edmund thesis claim?", "The Edmonds thesis claimed that P is feasible.", False),  # a slip in spelling
        ("Which French rivers gave gold?", "Gold came from the Loire, as French and Scottish rivers did.", False),
        ("Which rivers gave gold?", "Gold came from Scottish rivers.", False),  # nothing qualified in the question
        ("How many subtypes of B cells exist?", "There are two major subtypes of T cells.", True),  # a letter qualifies too
        ("What charter is part of EU law?", "The Charter is part of European Union law.", False),  # an acronym of the name
        ("What charter is part of European Union law?", "The Charter is part of EU law.", False),
        # an acronym whose letters, in order, write the other side's name ("Horizon Europe", "Deutsche Forschungsgemeinschaft")
        ("Who can apply for EU funding?", "Horizon Europe funding is open to researchers from any country.", False),
        ("What is the EU framework programme?", "Horizon Europe is the European framework programme for research.", False),
        ("What is the DFG budget?", "The Deutsche Forschungsgemeinschaft budget is 3.9 billion euros.", False),
        ("What is the UKRI budget?", "The UK Research and Innovation budget is 8 billion pounds.", False),
        ("What is the Deutsche Forschungsgemeinschaft budget?", "The DFG budget is 3.9 billion euros.", False),
        ("Which UK universities take part?", "Many Danish universities take part in the programme.", True),
        ("What is the DFG budget?", "The ANR budget is 1 billion euros.", True),
        # joined to its noun by a hyphen or not, the same qualifier
        ("What is a type of Dodge built compact truck?", "…followed by the Mazda Truck and the Isuzu-built Chevrolet LUV.", True),
        ("What gene is expressed by the B-cell?", "The T-cell expresses the gene CYP27B1.", True),
        ("What gene is expressed by the T cell?", "The T-cell expresses the gene CYP27B1.", False),
        ("Which EU-funded projects take part?", "Several Horizon Europe-funded projects take part.", False),  # an acronym
        ("Which Covid-related costs are eligible?", "Costs related to the pandemic are eligible.", False),  # nothing else qualified
    ],
)
def test_a_capitalised_word_qualifying_the_same_noun_in_the_sentence_is_another(question, sentence, swapped):
    assert other_names.modifier_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("What functions lie with US Government ministers?", "Ministerial functions lie with UK Government ministers.", True),
        ("The US Government can refer the bill to whom?", "The Scottish Government or UK Government can refer the bill to the court.", True),
        ("What did the G7 Summit decide?", "The G8 Summit decided to act.", True),
        ("What functions lie with UK Government ministers?", "Ministerial functions lie with UK Government ministers.", False),
        ("Who funds the ERC Starting Grants?", "ERC Starting Grants are funded by the EU.", False),
        ("What do the NIH Director and the NSF Director earn?", "The NIH Director earns more than the NSF Director.", False),  # both written
        ("What did the EU Council decide?", "The European Union Council decided to act.", False),  # no acronym in the sentence
        ("What did the DFG Board decide?", "The Deutsche Forschungsgemeinschaft DFG Board and the ANR Board decided.", False),
        ("What is the UKRI Budget?", "The UK Research and Innovation UKRI Budget and the DFG Budget grew.", False),
        ("UK Government ministers hold which functions?", "The US Government holds them.", False),  # opens the question
    ],
)
def test_another_acronym_before_the_same_word_in_the_sentence_is_another_name(question, sentence, swapped):
    assert other_names.acronym_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        # one country by its short form and its adjective (review14)
        ("Who funds the UK programme?", "The British programme is funded by UKRI.", False),
        ("What does the British agency fund?", "The UK agency funds research.", False),
        ("What does the Dutch agency fund?", "The Netherlands agency funds research.", False),
        ("What does the French agency fund?", "The German agency funds research.", True),
    ],
)
def test_a_country_named_by_its_short_form_or_adjective_is_no_other(question, sentence, swapped):
    assert other_names.modifier_swapped(question, sentence) is swapped
