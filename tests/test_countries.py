"""Questions asking for countries are answered only by a sentence naming one (index/answering/countries.py)."""

import pytest

from docqa.index.answering import countries

MEMBERS = "The consortium comprises over 30 European and international members, including ANR."
FRANCE = "Currently, from France ANR and the Ministry of Higher Education and Research is implicated in ICPerMed."


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Which countries are members of ICPerMed?", True),
        ("In what country is Normandy located?", True),
        ("What other countries take part?", True),
        ("list of icpermed member countries", True),
        ("To what nation did the Huguenots flee?", True),
        ("Which country's cars became popular?", False),  # about a country's things: the answer may be them
        ("How many member states adopted the charter?", False),
        ("Which ministries take part?", False),
        ("What did countries such as Spain ban?", False),  # asks something of countries, not which
        ("Which United Nations agency leads the response?", False),  # a name's word, capitalised
        ("How many people are affected in the participating countries?", False),  # where, not what, is asked
        ("Which of the member countries joined last?", True),  # of the member countries: they are asked
        ("How many of the participating countries fund the call?", True),
        ("What projects run across all member countries?", False),
        ("List the participating countries.", True),
    ],
)
def test_questions_asking_for_countries(question, asks):
    assert countries.asks_for_countries(question) is asks


@pytest.mark.parametrize(
    "text, question, names",
    [
        (MEMBERS, "Which countries are members?", False),  # "European" names a continent, "ANR" an agency
        (FRANCE, "Which countries are members?", True),
        (FRANCE, "Which countries other than France are members?", False),  # the only one named is asked of
        (FRANCE, "Which countries besides the French one are members?", False),  # asked of by its adjective
        ("Japanese cars were sought after.", "Which country made the cars?", True),  # an adjective names Japan
        ("The Portuguese had trading posts there.", "Which country had posts?", True),
        ("Dutch and Swiss banks lent.", "Which countries lent?", True),  # adjectives not opening as the name does
        ("The United Kingdom built it.", "In what country was it built?", True),
        ("The UK and the US agreed.", "Which countries agreed?", True),
        # names and adjectives in common English forms
        ("Russia voted against.", "Which countries voted against?", True),
        ("The Netherlands joined in 2010.", "Which countries joined?", True),
        ("Ivory Coast grows cocoa.", "Which countries grow cocoa?", True),
        ("Welsh and Danish universities took part.", "Which countries took part?", True),
        ("Filipino and Thai nurses were hired.", "Which countries were nurses hired from?", True),
        ("Finnish firms bid.", "Which countries bid?", True),
        ("Austrian teams competed.", "Which countries other than Australia competed?", True),
        # one country in two forms
        ("The U.S. agreed.", "Which countries other than the United States agreed?", False),
        ("Dutch banks lent.", "Which countries other than the Netherlands lent?", False),
        # capitalised words opening as a country does, naming none
        ("The Congress ratified the treaty.", "Which countries ratified the treaty?", False),
        ("The Franchise Board met in Chinatown.", "Which countries met?", False),
        ("Indiana University and the Roman Forum.", "Which countries?", False),
    ],
)
def test_a_country_named_that_the_question_does_not_name(text, question, names):
    assert countries.names_another_country(text, question) is names


def test_a_countries_question_is_declined_on_a_sentence_naming_none(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = "The Harbour Club has two members: France and the Port Agency."
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"club.txt": text}), embedder=fake_embedder).answerer
    assert answerer.assess("Which countries are members of the Harbour Club?").confidence > 0.0  # France is named
    assert answerer.assess("Which countries other than France are members of the Harbour Club?").confidence == 0.0
    assert answerer.assess("Which agencies other than France are members of the Harbour Club?").confidence > 0.0


@pytest.mark.parametrize(
    "question, text, missing",
    [
        ("Which German ministry is a member?", FRANCE, True),
        ("Who applies American Union law?", "The Court of Justice applies European Union law.", True),
        ("Which French ministry is a member?", FRANCE, False),  # "French" is written "France"
        ("Which ministry is a member?", FRANCE, False),  # no country asked of
        ("Which Japanese firms made the cars?", "The Japanese firms made cars.", False),
        # a name holding the adjective ("German Democratic Republic") leaves the adjective elsewhere naming Germany
        ("What German poet was of Huguenot descent?", "German figures of Huguenot descent, in the German Democratic Republic too.", False),
        ("What German poet was of Huguenot descent?", "Figures of Huguenot descent lived in the German Democratic Republic.", True),
        ("Who argued that the USSR had become an imperialist power?", "Mao argued that the Soviet Union had become one.", False),
        # the Soviet Union written by its full name or its adjective
        ("When did the Soviet Union collapse?", "The Union of Soviet Socialist Republics collapsed in 1991.", False),
        ("When did the Soviet Union launch Sputnik?", "The Soviets launched Sputnik in 1957.", False),
        ("When did the Soviet Union launch Sputnik?", "The Soviet satellite Sputnik was launched in 1957.", False),
        ("When did the Soviet Union launch Sputnik?", "The United States launched Explorer 1 in 1958.", True),
        # what the Soviet Union did, Russia did; not the other way round
        ("Who along with Russia supported communist movements?", "The Soviet Union and China supported them.", False),
        ("When did Russia launch Sputnik?", "The Soviets launched Sputnik in 1957.", False),
        ("When did Russia launch Sputnik?", "The United States launched Explorer 1 in 1958.", True),
        ("When did the Soviet Union invade Crimea?", "Russia invaded Crimea in 2014.", True),
    ],
)
def test_a_country_the_question_names_and_the_text_does_not(question, text, missing):
    assert countries.countries_missing(question, text) is missing


def test_a_country_asked_of_by_its_name_only():
    sentence = "In 1979 the Soviet Union deployed its army into Afghanistan."
    assert countries.countries_missing("Who deployed its army into Iraq in 1979?", sentence, by_name=True)
    assert not countries.countries_missing("Which French agency is a member?", "ANR is a member.", by_name=True)
    assert countries.countries_missing("Which French agency is a member?", "ANR is a member.")
    # "Soviet" names the Soviet Union where written, but a question's "Soviet" asks no country by name
    assert not countries.countries_missing("Which Soviet scientist designed Sputnik?", "Sergei Korolev designed Sputnik.", by_name=True)
    assert not countries.countries_missing("When did the Soviet Union collapse?", "The Soviet state collapsed in 1991.", by_name=True)


def test_a_question_naming_a_country_no_passage_names_is_declined(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = "The Harbour Club gathers port agencies. From France, the Ministry of the Sea takes part in the Harbour Club."
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"club.txt": text}), embedder=fake_embedder).answerer
    assert answerer.assess("Which French ministry takes part in the Harbour Club?").confidence > 0.0
    assert answerer.assess("Which German ministry takes part in the Harbour Club?").confidence == 0.0
    assert answerer.assess("Which agencies from France are in the Harbour Club?").confidence > 0.0
    assert answerer.assess("Which agencies from Spain are in the Harbour Club?").confidence == 0.0


@pytest.mark.parametrize(
    "question, text, missing",
    [
        # a country's name as a word of another name asks nothing of the country
        ("Who is the governor of New Mexico?", "The governor of the state is Michelle Lujan Grisham.", False),
        ("Who is the mayor of Mexico City?", "The mayor of the capital is Clara Brugada.", False),
        ("Which team did Michael Jordan join in 1984?", "In 1984 he joined the Chicago Bulls.", False),
        ("How long is the Congo River?", "The river is 4,700 km long.", False),
        ("How long is the Congo river?", "The river is 4,700 km long.", False),
        ("Who farms the Jordan valley?", "Farmers from three villages farm the valley.", False),
        ("Which river crosses Congo?", "The Ubangi crosses the country.", True),
        ("Did Iraq sign the treaty?", "Iran signed the treaty.", True),  # the opening word is no name's
        ("When did the army enter Iraq?", "In 2003 the army entered Afghanistan.", True),
        # a country the question sets aside is not asked of
        ("Besides France, which countries signed the treaty?", "Spain and Italy signed the treaty.", False),
        ("Which countries other than France and Spain signed?", "Italy signed the treaty.", False),
        ("Which countries except Germany joined?", "Italy joined.", False),
        ("Which countries besides France did Spain invite?", "Italy was invited.", True),  # Spain is asked of
    ],
)
def test_a_country_the_question_names_only_in_another_name_or_sets_aside(question, text, missing):
    assert countries.countries_missing(question, text, by_name=True) is missing
    assert countries.countries_missing(question, text) is missing


def test_a_countries_question_is_answered_by_a_sentence_leaving_the_country_it_names_unsaid(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import every_check_run, index_of

    text = "Germany lies in central Europe. Poland, Austria and Denmark border it."
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"map.txt": text}), embedder=fake_embedder, answer_settings=every_check_run()).answerer
    assessment = answerer.assess("Which countries border Germany?")
    start, end = assessment.candidate.span
    assert "Poland" in assessment.candidate.passage.chunk.text[start:end] and assessment.confidence > 0.0
    assert answerer.assess("Which countries border Spain?").confidence == 0.0  # no passage names Spain
