"""Answer selection pieces without a model: question types and spans, French, follow-ups, the answerer on a tiny index."""

from __future__ import annotations

import pytest

from docqa.index.answering import followup, language, question_type as qt, thesaurus
from docqa.index.text import fold, match_stem as stem

# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Quand ERA PerMed doit-il démarrer ?", "fr"),
        ("combien de membres compte icpermed ?", "fr"),
        ("Qu'est-ce que la médecine personnalisée ?", "fr"),
        ("Qui a publié le plan d'action ?", "fr"),
        ("when does era permed start?", "en"),
        ("How many members does ICPerMed have?", "en"),
        ("what's the goal of icpermed", "en"),
        ("ICPerMed?", "en"),
        ("eu commission role icpermed", "en"),  # the EU in lower case, not French "eu" (had)
        ("icpermed membres francais", "fr"),  # keywords: words French has and English has not
        ("icpermed members french", "en"),
    ],
)
def test_detect_language(text, expected):
    assert language.detect_language(text) == expected


def test_french_gloss_keeps_names_and_maps_question_words():
    gloss = language.gloss_french("Quand ERA PerMed doit-il démarrer ?")
    assert gloss.startswith("when") and "ERA PerMed" in gloss and "start" in gloss and "-il" not in gloss
    assert language.gloss_french("combien d'activités de recherche ?").startswith("how many")
    assert {"plan", "action", "publish"} <= set(language.gloss_french("Qui a publié le plan d'action ?").rstrip("?").split())
    assert language.gloss_french("Où est le siège ?").startswith("where")


def test_messages_follow_the_language_and_fold_strips_accents():
    assert language.message("not_found", "fr") == "Je n'ai pas trouvé cette information dans les documents."
    assert language.message("not_found", "en") == "I could not find this in the documents."
    assert language.message("not_found", "de") == language.message("not_found", "en")
    assert fold("Démarrer À") == "demarrer a"
    assert stem("publié") == stem("published") and stem("observateur") == stem("observer")


# ---------------------------------------------------------------- question types and spans


@pytest.mark.parametrize(
    "question, kind",
    [
        ("when does era permed start?", qt.WHEN),
        ("which year should it begin", qt.WHEN),
        ("over which years does that action run?", qt.WHEN),  # plural too
        ("over which period does the secretariat extend?", qt.WHEN),
        ("icpermed secretariat dates", qt.WHEN),  # keywords
        ("since when is anr involved?", qt.WHEN),
        ("how many members does icpermed have?", qt.HOW_MANY),
        ("number of research activities in the plan", qt.HOW_MANY),
        ("how much does the ticket cost?", qt.HOW_MUCH),
        ("How much members have the consortium?", qt.HOW_MANY),  # a plural noun: how many (a learner's wording)
        ("How much progress has been made?", qt.HOW_MUCH),
        ("How much gas was used?", qt.HOW_MUCH),
        ("what was the overall funding of the action?", qt.HOW_MUCH),
        ("who is the observer in icpermed?", qt.WHO),
        ("which organisation is an observer?", qt.WHO),
        ("where is the headquarters?", qt.WHERE),
        ("what is personalised medicine?", qt.DEFINITION),
        ("what does era permed stand for?", qt.DEFINITION),
        ("why can't it reach its potential?", qt.WHY),
        ("how were the activities identified?", qt.OTHER),
        ("By what means does the club intend to grow?", qt.MEANS),
        ("how does the club want to attract members", qt.MEANS),
        ("How the club plan to grow?", qt.MEANS),  # a learner's wording, no auxiliary
        ("How is the plan regarded?", qt.OTHER),  # how it is seen, not a way of doing
        ("How often does the club plan to meet?", qt.OTHER),  # how often, far, soon, fast: a degree, not a way
        ("How far does the club want to cut its fees?", qt.OTHER),
        ("How soon does the club intend to open?", qt.OTHER),
        ("How quickly do they plan to grow?", qt.OTHER),
        ("How exactly do they plan to grow?", qt.MEANS),  # "exactly" asks the way itself
        # search-box keywords name the kind by their last word
        ("icpermed secretariat years", qt.WHEN),
        ("anr permed involvement since", qt.WHEN),
        ("era permed start", qt.WHEN),
        ("icpermed members count", qt.HOW_MANY),
        ("icpermed headquarters city", qt.WHERE),
        ("personalised medicine barriers", qt.OTHER),
        ("research funding per year", qt.OTHER),  # a rate: the last word is its unit, not the kind
        ("icpermed members by country", qt.OTHER),  # a breakdown, not a place
        ("icpermed partners number", qt.HOW_MANY),
        ("icpermed secretariat phone number", qt.OTHER),  # an identifier, not a count
        ("grant agreement number", qt.OTHER),
        ("is the plan ready to start?", qt.OTHER),  # a question, not keywords
        ("tell me what the plan says about the start", qt.OTHER),
    ],
)
def test_classify(question, kind):
    assert qt.classify(question) == kind


def _pick(sentence: str, kind: str, question: str) -> str | None:
    stems = {stem(w) for w in question.lower().split()}
    span = qt.best_span(sentence, qt.find_spans(sentence, kind), stems)  # match_stem by default
    return sentence[span[0] : span[1]] if span else None


def test_when_spans_dates_periods_times_and_durations():
    assert _pick("It is in preparation and should start end of 2017.", qt.WHEN, "when start") == "end of 2017"
    assert _pick("Since 2013, ANR was involved.", qt.WHEN, "anr involved") == "2013"  # a preposition only opens a range
    assert _pick("The museum opens at nine on Sundays.", qt.WHEN, "museum open sundays") == "at nine"
    assert _pick("The tram reaches the harbour in 14 minutes.", qt.WHEN, "how long tram harbour") == "in 14 minutes"
    assert qt.find_spans("No date here at all.", qt.WHEN) == []
    sentence = "Doors open at 8:30 for registration."
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.WHEN)] == ["at 8:30"]  # no space after it


@pytest.mark.parametrize(
    "question, clock",
    [
        ("What time is lunch at the info day?", True),
        ("At what time do the doors open?", True),
        ("Between what times does the helpdesk answer?", True),
        ("What time of day did they gather?", False),  # "at night" answers it
        ("What time frame does the war cover?", False),
        ("When is lunch?", False),
    ],
)
def test_a_question_asking_a_time_of_the_clock(question, clock):
    assert qt.asks_clock_time(question) is clock


def test_clock_times():
    sentence = "- 13:00 – Lunch; doors open at 8.30, close at 5 pm or at noon; 2.5% of 1,200 seats."
    assert [sentence[a:b] for a, b in qt.clock_times(sentence)] == ["13:00", "8.30", "5 pm", "noon"]


def test_a_clock_time_question_finds_the_time_in_the_programme_not_the_date(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = "The info day takes place on Thursday 16 October 2025 in Brussels.\n\nProgramme:\n- 09:30 – Welcome\n- 13:00 – Lunch and networking\n"
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"day.txt": text}), embedder=fake_embedder).answerer
    typed = {}
    for option in answerer.assess_several("What time is lunch on the info day?", count=4):
        candidate, text = option.candidate, option.candidate.passage.chunk.text
        typed[text[candidate.span[0] : candidate.span[1]]] = candidate.typed and text[candidate.typed[0] : candidate.typed[1]]
    assert typed["- 13:00 – Lunch and networking"] == "13:00"
    assert typed["The info day takes place on Thursday 16 October 2025 in Brussels."] is None  # a date is no time


def test_means_spans_a_way_of_doing_not_an_agent_nor_a_time():
    sentence = "Published by the Harbour Club by the end of 2017, it grows by an open call for members, and through joint events."
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.MEANS)] == ["by an open call for members", "through joint events"]
    assert qt.find_spans("The plan was written by ICPerMed.", qt.MEANS) == []
    opening = "By an open call for members, the club grows."
    assert [opening[a:b] for a, b in qt.find_spans(opening, qt.MEANS)] == ["By an open call for members"]


def test_means_spans_of_a_long_sentence_are_found_in_linear_time():
    import time

    sentence = "it grows by an open call, and by joint events; " * 400
    started = time.perf_counter()
    assert len(qt.find_spans(sentence + "x", qt.MEANS)) == 800
    assert time.perf_counter() - started < 0.05  # each span's clause end had been searched for again: ~0.25 s


@pytest.mark.parametrize(
    "sentence",
    [
        "The club plans to cut its fees by about 40% by 2030.",  # an amount, not a way
        "Fees fell by more than half.",
        "Fees rose by twenty per cent.",
        "The harbour is by far the largest in the region.",
        "The quay, by contrast, stays closed.",
        "By then the club had grown.",
    ],
)
def test_means_spans_no_amount_nor_set_phrase(sentence):
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.MEANS)] == []


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("William invaded England in 1066.", ["1066"]),  # years before 1800 are dates too
        ("It was defunded after 1932 and banned by 1940.", ["1932", "1940"]),  # a single date without its preposition
        ("Its heyday came between 1945 and 1970.", ["between 1945 and 1970"]),  # a range is one span
        ("The war lasted from May 1914 until June 1918.", ["from May 1914 until June 1918"]),
        ("It was built in the early 7th century by monks.", ["the early 7th century"]),
        ("The style spread in the nineteenth century.", ["the nineteenth century"]),
        ("In the 1960s the city grew.", ["the 1960s"]),
        ("Caesar died in 44 BC; Charlemagne was crowned in AD 800.", ["44 BC", "AD 800"]),
        ("An ad campaign ran for 3 weeks.", ["3 weeks"]),  # "ad" is no era
    ],
)
def test_when_spans_older_years_ranges_centuries_decades_and_eras(sentence, expected):
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.WHEN)] == expected


def test_a_name_opening_the_sentence_is_a_who_answer_when_the_collection_writes_it_as_a_name():
    sentence = "Galileo constructed an experiment with stones and cannonballs."
    assert qt.find_spans(sentence, qt.WHO) == []  # an ordinary capitalised first word, for all we know
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.WHO, names=frozenset({"galileo"}))] == ["Galileo"]
    assert qt.find_spans("Typically, ministers open debates.", qt.WHO, names=frozenset({"galileo"})) == []


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Bielany Forest, located within the borders of Warsaw, is old.", ["the borders of Warsaw"]),
        ("Committees can also meet at other places throughout Scotland.", ["Scotland"]),
        ("Their population centers were along the coast, mostly.", ["the coast"]),
        ("The force is always directed toward the center of the curving path.", ["the center of the curving path"]),
    ],
)
def test_where_spans_named_places_and_place_phrases(sentence, expected):
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.WHERE)] == expected


def test_counts_pick_the_number_next_to_the_asked_noun_and_skip_years():
    sentence = "The Action Plan lists, 22 research and 8 supporting activities, agreed in 2017."
    assert _pick(sentence, qt.HOW_MANY, "how many supporting activities") == "8"
    assert _pick(sentence, qt.HOW_MANY, "how many research activities") == "22"
    assert "2017" not in [sentence[s:e] for s, e in qt.find_spans(sentence, qt.HOW_MANY)]
    assert _pick("A platform of over 30 members.", qt.HOW_MANY, "how many members") == "over 30"
    assert _pick("The mirror measures 2.4 metres.", qt.HOW_MANY, "how big mirror") == "2.4 metres"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Some 12 to 15 million Africans were shipped.", ["Some 12 to 15 million"]),
        ("It binds around 200–300 receptors.", ["around 200–300"]),
        ("Between 150,000 and 200,000 civilians died.", ["Between 150,000 and 200,000"]),
        ("It lists 22 research and 8 supporting activities.", ["22", "8"]),  # "and" alone joins two counts, not a range
    ],
)
def test_a_range_of_numbers_is_one_span(sentence, expected):
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.HOW_MANY)] == expected


def test_amounts_need_a_currency():
    assert qt.find_spans("It lists 22 activities.", qt.HOW_MUCH) == []
    assert _pick("The budget is €15 million this year.", qt.HOW_MUCH, "how much budget") == "€15 million"
    # A scale word and then the currency: the whole amount, currency included.
    assert _pick("Saudi Arabia spent over 100 billion dollars on it.", qt.HOW_MUCH, "how much spend") == "over 100 billion dollars"
    # an ISO currency code before the amount, as European agencies write it ("EUR" in a name is no amount)
    sentence = "An ECIG covers up to EUR 450,000 over a maximum of four years."
    assert [sentence[a:b] for a, b in qt.find_spans(sentence, qt.HOW_MUCH)] == ["up to EUR 450,000"]
    assert _pick("Each project may receive USD 2 million.", qt.HOW_MUCH, "how much receive") == "USD 2 million"
    assert qt.find_spans("The EUR area grew in 2019.", qt.HOW_MUCH) == []


def test_who_skips_the_subject_of_the_question():
    sentence = "The International Consortium of Personalized Medicine (ICPerMed) gathers ministries, including the European Commission as observer."
    assert _pick(sentence, qt.WHO, "who is the observer in icpermed") == "European Commission"
    assert _pick("It gathers agencies from European countries.", qt.WHO, "who") is None


def test_definition_spans():
    sentence = "Personalised medicine is an innovative method to treat patients that uses data."
    assert _pick(sentence, qt.DEFINITION, "what is personalised medicine") == "an innovative method to treat patients"
    long_form = "It feeds into the European Research Area Network for personalized medicine (ERA PerMed), soon."
    spans = [long_form[s:e] for s, e in qt.find_spans(long_form, qt.DEFINITION)]
    assert any(s.endswith("European Research Area Network for personalized medicine") for s in spans)


def test_where_prefers_named_places():
    assert _pick("The office is based in Paris.", qt.WHERE, "where office") == "Paris"
    assert _pick("The ceremony took place in the old town hall.", qt.WHERE, "where ceremony") == "the old town hall"


# ---------------------------------------------------------------- follow-ups

NAMES = followup.name_vocabulary(
    ["The International Consortium of Personalized Medicine (ICPerMed) gathers agencies. It feeds ERA PerMed, says ANR."]
)


def _user(*turns: str) -> list[dict]:
    return [{"role": "user", "content": t} for t in turns]


def test_name_vocabulary_learns_names_not_sentence_openers():
    assert {"icpermed", "era", "permed", "anr", "consortium"} <= NAMES
    assert "the" not in NAMES and "it" not in NAMES


@pytest.mark.parametrize(
    "earlier, question, expected",
    [
        ("What is ICPerMed?", "How many members does it have?", "How many members does ICPerMed have?"),  # the name as the turn wrote it
        ("Tell me about ERA PerMed.", "When does it start?", "When does ERA PerMed start?"),
        ("what is icpermed?", "what is its aim?", "what is icpermed's aim?"),
        ("what is icpermed?", "who is the observer there?", "who is the observer in icpermed?"),
        ("what is ANR's role?", "since when?", "since when? (ANR)"),
        # a demonstrative: "that action", "of those", "this network"
        ("Which further structure does ANR take part in?", "Over which years does that action run?", "Over which years does ANR action run?"),
        ("How many members does ICPerMed have?", "Of those, how many are European?", "Of ICPerMed, how many are European?"),
        ("Tell me about ERA PerMed", "when does this network start?", "when does ERA PerMed network start?"),
    ],
)
def test_follow_ups_take_the_subject_of_the_earlier_turn(earlier, question, expected):
    assert followup.rewrite(question, _user(earlier), names=NAMES) == expected


@pytest.mark.parametrize(
    "earlier, question, expected",
    [
        ("When does ERA PerMed start?", "And ICPerMed?", "When does ICPerMed start?"),
        ("How many members does ICPerMed have?", "what about ERA PerMed?", "How many members does ERA PerMed have?"),
        ("How many members does ICPerMed have?", "and for ERA PerMed?", "How many members does ERA PerMed have?"),
        ("How many research activities does it list?", "And the supporting ones?", "How many supporting activities does it list?"),
    ],
)
def test_a_follow_up_naming_only_what_changes_asks_the_earlier_question_again(earlier, question, expected):
    assert followup.rewrite(question, _user(earlier), names=NAMES) == expected


@pytest.mark.parametrize(
    "earlier, question, expected",
    [
        ("Which French organisations are in ICPerMed?", "besides ANR, which one?", "Besides ANR, which French organisations are in ICPerMed?"),
        ("who is in icpermed from france", "besides anr who else", "Besides anr, who is in icpermed from france"),
        ("Who takes part in ICPerMed?", "Who else, apart from the Commission?", "Apart from the Commission, who takes part in ICPerMed?"),
        ("which french ministry is in icpermed", "and which agency from france", "which agency from france is in icpermed"),
        ("Which French bodies are in ICPerMed?", "Except ANR, which ministry?", "Except ANR, which ministry are in ICPerMed?"),
        ("Which French bodies are in ICPerMed?", "which one besides ANR?", "Besides ANR, which French bodies are in ICPerMed?"),
    ],
)
def test_a_follow_up_setting_one_answer_aside_or_asking_another_kind_asks_the_earlier_question_again(earlier, question, expected):
    assert followup.rewrite(question, _user(earlier), names=NAMES) == expected


def test_ones_in_a_follow_up_are_what_the_earlier_question_asked_for():
    assert followup.ones_named("And how many supporting ones are there?", "How many research activities does the plan list?") == (
        "And how many supporting activities are there?"
    )
    assert followup.ones_named("Which ones?", "Which bodies take part?") == "Which ones?"  # no kind named before "ones"
    assert followup.ones_named("How many of them are research ones?", "Does the plan list activities?") == (
        "How many of them are research ones?"
    )  # the earlier turn asks for no plural noun
    rewritten = followup.rewrite("And how many supporting ones are there?", _user("How many research activities does the plan list?"), names=NAMES)
    assert rewritten.startswith("And how many supporting activities are")


def test_a_follow_up_saying_more_than_what_it_sets_aside_is_its_own_question():
    assert followup.narrowed_again("And what is its aim?", "What is ICPerMed?") is None
    assert followup.narrowed_again("and which year?", "When did ANR join ICPerMed?") is None  # no "which X" to replace
    assert followup.narrowed_again("besides ANR, which one?", "ANR is a member.") is None  # no question to ask again
    assert followup.narrowed_again("Which one?", "Which bodies are in ICPerMed?") is None  # nothing set aside
    assert followup.narrowed_again("Which year?", "Which agency is in ICPerMed?") is None  # a kind of its own, no "and"


def test_a_follow_up_asking_its_own_question_is_not_the_earlier_one_again():
    assert followup.asked_again("and when does it end?", "When does ERA PerMed start?", names=NAMES) is None
    assert followup.asked_again("and the budget?", "When does ERA PerMed start?", names=NAMES) is None  # names nothing
    assert followup.rewrite("and the budget?", _user("When does ERA PerMed start?"), names=NAMES) == "and the budget? (ERA PerMed)"


def test_the_subject_a_completion_adds_in_brackets_can_be_set_aside_again():
    added = followup.rewrite("years?", _user("What is the ICPerMed Secretariat?"), names=NAMES)
    assert added.startswith("years? (") and followup.without_added_subject(added) == "years?"
    assert followup.without_added_subject("Which years does the Secretariat run?") == "Which years does the Secretariat run?"


@pytest.mark.parametrize(
    "question", ["Which calls are open this year?", "What happens these days?", "Is there support for those who apply late?", "Is it open in this month?"]
)
def test_a_demonstrative_of_time_or_before_a_relative_points_to_no_subject(question):
    # it became "Which calls are open icpermed year?", "…support for icpermed who apply late?"
    rewritten = followup.rewrite(question, _user("What is ICPerMed?"), names=NAMES)
    assert "icpermed year" not in rewritten and "icpermed days" not in rewritten and "icpermed who" not in rewritten
    assert "icpermed month" not in rewritten


def test_a_name_opening_with_the_letters_of_the_keeps_them_asked_again():
    names = NAMES | {"thessaloniki"}
    # only the article "the" gives way: "Thessaloniki" lost its "The" ("When does ssaloniki start?")
    assert followup.asked_again("And Thessaloniki?", "When does ERA PerMed start?", names=names) == "When does Thessaloniki start?"
    assert followup.asked_again("And the Thessaloniki office?", "When does ERA PerMed start?", names=names) == "When does Thessaloniki office start?"


@pytest.mark.parametrize("earlier", ["What activities does ERA PerMed fund?", "How many years has ICPerMed run?"])
def test_the_ones_asked_again_replace_no_auxiliary(earlier):
    # "does" / "has" end in s but are no plural noun: it gave "What supporting does ERA PerMed fund?"
    assert followup.asked_again("And the supporting ones?", earlier, names=NAMES) is None


@pytest.mark.parametrize("question", ["And does ICPerMed have a secretariat?", "And is ANR a member?", "And can ERA PerMed fund it?"])
def test_a_question_of_its_own_opening_with_and_is_not_the_earlier_one_again(question):
    # its verb says it asks its own question: it was spliced into the earlier one ("When does does ICPerMed have…")
    assert followup.asked_again(question, "When does ERA PerMed start?", names=NAMES) is None
    assert "start" not in followup.rewrite(question, _user("When does ERA PerMed start?"), names=NAMES)


def test_stand_alone_questions_are_left_alone():
    history = _user("What is ICPerMed?")
    # "that" opening a clause is no demonstrative
    for question in ("When does ERA PerMed start?", "How many research activities does the plan list?", "Who said that research matters?"):
        assert followup.rewrite(question, history, names=NAMES) == question
    assert followup.rewrite("How many members does it have?", [], names=NAMES) == "How many members does it have?"
    # a question naming the earlier turn's subject itself, in any case, needs nothing of it
    assert followup.rewrite("how many members does ICPerMed have in it?", history, names=NAMES) == "how many members does ICPerMed have in it?"
    # Only user turns give the subject; assistant turns are ignored.
    history = [{"role": "assistant", "content": "ERA PerMed starts soon."}]
    assert followup.rewrite("when does it start?", history, names=NAMES) == "when does it start?"


@pytest.mark.parametrize(
    "earlier, names_as_written",
    [
        ("What is the International Consortium of Personalized Medicine?", ["International Consortium of Personalized Medicine"]),
        ("Is ICPerMed part of the Bank of the West?", ["ICPerMed", "Bank of the West"]),  # "the" after "of" joins
        ("Does ICPerMed fund the ERA PerMed network?", ["ICPerMed", "ERA PerMed"]),
        ("ICPerMed and the ERA PerMed network", ["ICPerMed", "ERA PerMed"]),  # "and the" joins no name: it was one run
        ("In France, Paris is big", ["France", "Paris"]),  # punctuation ends a run: it was "France, Paris"
        ("What is ICPerMed? ERA PerMed is new", ["ICPerMed", "ERA PerMed"]),  # it was "ICPerMed? ERA PerMed"
        ("What are ICPerMed’s ERA PerMed calls?", ["ICPerMed", "ERA PerMed"]),  # a possessive ends it: "ICPerMed’s ERA PerMed"
    ],
)
def test_the_names_an_earlier_turn_writes_are_its_runs_of_name_words(earlier, names_as_written):
    names = NAMES | {"bank", "west", "france", "paris"}
    assert followup._names_as_written(earlier, names) == names_as_written


def test_the_borrowed_subject_is_each_name_once_and_not_borrowed_by_a_question_naming_it():
    names = NAMES | {"france", "paris"}
    # each name once, as first written (it was "ICPerMed icpermed")
    assert followup.rewrite("what is its aim?", _user("Is ICPerMed new, and who funds icpermed?"), names=NAMES) == "what is ICPerMed's aim?"
    # a question naming the earlier names itself needs nothing of them (the topic "France, Paris" never matched)
    history = _user("In France, Paris is big")
    assert followup.rewrite("does it include France and Paris?", history, names=names) == "does it include France and Paris?"
    assert followup.rewrite("how big is it?", history, names=names) == "how big is France Paris?"


def test_french_earlier_turns_are_normalised_first():
    history = _user("Parle-moi d'ERA PerMed")
    rewritten = followup.rewrite("when should start?", history, names=NAMES, normalise=language.gloss_french)
    assert "ERA PerMed" in rewritten


# ---------------------------------------------------------------- the answerer on a tiny index (fake embedder)


@pytest.fixture
def answerer(tiny_index, fake_embedder):
    from docqa.index.assistant import Assistant

    return Assistant(tiny_index, embedder=fake_embedder).answerer


def test_answer_carries_highlight_and_source_span(answerer):
    answer = answerer.ask("When was the Voyager 1 probe launched?")
    assert answer.answered and "1977" in answer.answer and answer.language == "en"
    assert [answer.answer[s:e] for s, e in answer.highlights] == ["1977"]
    cited = answer.sources[0]
    assert cited.answer_span is not None
    assert cited.text[cited.answer_span[0] : cited.answer_span[1]] == answer.answer


def test_pronoun_sentence_comes_with_its_antecedent(tiny_index, fake_embedder):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    # What is shown, whatever the fake embedder's confidence: no decline.
    answerer = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0)).answerer
    answer = answerer.ask("When did the Voyager 1 probe leave the heliosphere?")
    assert answer.answered and "2012" in answer.answer and answer.answer.startswith("The Voyager 1 probe")
    assert [answer.answer[s:e] for s, e in answer.highlights] == ["2012"]


@pytest.mark.parametrize(
    "text, shown_from",
    [
        # "The call" stands for the name the sentence before writes, headed by "Call": shown with it
        ("The agency announced its Coastal Communities Health Call today. The call has a total budget of EUR 12.5 million.", "The agency"),
        # "the budget" heads no name of the sentence before: the sentence alone
        ("The agency announced its Coastal Communities Health Call today. The budget is EUR 12.5 million in total.", "The budget"),
    ],
)
def test_a_sentence_opening_with_the_head_of_a_name_comes_with_that_name(tmp_path, fake_embedder, text, shown_from):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    index = index_of(tmp_path, fake_embedder, {"call.txt": text})
    answerer = Assistant(index, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0)).answerer
    answer = answerer.ask("What is the total budget in EUR?")
    assert answer.answered and answer.answer.startswith(shown_from) and "12.5 million" in answer.answer


def test_a_sentence_naming_its_subject_by_the_head_noun_counts_the_name_as_written(tmp_path, fake_embedder):
    from docqa.index.answering import sentence_reading
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = (
        "About us: Northern Science Foundation\n\nThe Northern Science Foundation (NSF) funds basic research. "
        "Each year the foundation distributes around EUR 340 million in grants."
    )
    index = index_of(tmp_path, fake_embedder, {"about.txt": text})
    answerer = Assistant(index, embedder=fake_embedder).answerer
    chunk = answerer.searcher.search("foundation grants", k=1)[0].chunk
    assert sentence_reading.name_heads(chunk)["foundation"] == "Northern Science Foundation"
    named = answerer.finder.named_by_head(chunk, "Each year the foundation distributes around EUR 340 million in grants.")
    assert sentence_reading.stems_of("Northern Science Foundation NSF") <= named  # the name and the short form the text gives it
    # the title's name the text gives a short form is the page's subject: any sentence of it writes it
    assert answerer.finder.named_by_head(chunk, "The chair of the Board is Ingrid.") == sentence_reading.stems_of("Northern Science Foundation NSF")


def test_a_title_opening_with_the_names_its_subject_as_the_short_forms_are_keyed(tmp_path, fake_embedder):
    from docqa.index.answering import sentence_reading
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = "The Rare Disease Research Network (RDRN)\n\nIts Steering Board meets twice a year. Its chair is Ana Ribeiro."
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"rdrn.txt": text}), embedder=fake_embedder).answerer
    chunk = answerer.searcher.search("chair", k=1)[0].chunk
    assert answerer.finder.named_by_head(chunk, "Its chair is Ana Ribeiro.") == sentence_reading.stems_of("Rare Disease Research Network RDRN")


def test_a_title_naming_nothing_with_a_short_form_adds_no_name(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = "Personalised Medicine : an international Action Plan published\n\nThe Action Plan lists 22 activities."
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"news.txt": text}), embedder=fake_embedder).answerer
    chunk = answerer.searcher.search("activities", k=1)[0].chunk
    assert answerer.finder.named_by_head(chunk, "The Action Plan lists 22 activities.") == frozenset()


def test_a_name_read_with_the_word_before_it_is_the_same_name_for_its_head(tmp_path, fake_embedder):
    from docqa.index.answering import sentence_reading
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = (
        "About the Northern Science Foundation\n\nThe Northern Science Foundation (NSF) funds basic research. "
        "Contact Northern Science Foundation staff by e-mail. Each year the foundation distributes EUR 340 million."
    )
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"about.txt": text}), embedder=fake_embedder).answerer
    chunk = answerer.searcher.search("foundation grants", k=1)[0].chunk
    assert sentence_reading.name_heads(chunk)["foundation"] == "Northern Science Foundation"


def test_follow_up_is_answered_about_the_earlier_subject(answerer):
    history = [{"role": "user", "content": "Tell me about the Danube"}, {"role": "assistant", "content": "..."}]
    answer = answerer.ask("How many countries does it flow through?", history=history)
    assert answer.query == "How many countries does Danube flow through?"
    assert answer.answered and "ten countries" in answer.answer


def test_a_pronoun_after_asking_who_may_stand_for_the_answer(tmp_path, fake_embedder):
    from docqa.index.answering.followup import replay
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    history = (
        "Harbour history\n\nThe Harbour Bridge was designed by the Keller Office in 1912. The Harbour Bridge is 300 metres "
        "long and carries two railway tracks.\n\nThe Keller Office was founded in Basel in 1890 by Anna Keller. It "
        "employs forty engineers today.\n"
    )
    ask = Assistant(index_of(tmp_path, fake_embedder, {"bridge.txt": history}), embedder=fake_embedder).ask
    asked = "Who designed the Harbour Bridge?"
    assert replay(ask, [asked]).short_answer == "Keller Office"
    # "it" is the office that answered (the bridge was never founded), or the bridge asked about: the reading with
    # the more probable answer is kept.
    founded = replay(ask, [asked, "When was it founded?"])
    assert founded.answered and founded.query == "When was Keller Office founded?" and founded.short_answer == "1890"
    long = replay(ask, [asked, "How long is it?"])
    assert long.answered and long.query == "How long is Harbour Bridge?" and long.short_answer == "300 metres"


def test_a_pronoun_for_the_answer_reads_it_by_the_short_form_the_text_gives_it(tmp_path, fake_embedder):
    from docqa.index.answering.followup import replay
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    history = (
        "Harbour history\n\nThe Harbour Bridge was designed by the Keller Engineering Office (KEO) in 1912.\n\n"
        "The aim of KEO is to build safe bridges for the city.\n"
    )
    ask = Assistant(index_of(tmp_path, fake_embedder, {"bridge.txt": history}), embedder=fake_embedder).ask
    aim = replay(ask, ["Who designed the Harbour Bridge?", "What is their aim?"])
    assert aim.query == "What is KEO's aim?" and "safe bridges" in aim.answer


def test_a_follow_up_is_weighed_as_the_stand_alone_question_it_was_completed_to(answerer):
    history = [{"role": "user", "content": "Tell me about the Danube"}, {"role": "assistant", "content": "..."}]
    followed = answerer.assess("How many countries does it flow through?", history=history)
    alone = answerer.assess(followed.query)
    assert followed.english != followed.query == alone.query
    # The features of what was asked read the completed question ("danube" is matched), as for the stand-alone one.
    assert followed.features == alone.features


def test_asked_when_a_verb_of_lasting_is_no_topic_word(answerer):
    from docqa.index.answering import question_type

    question = "Which years does the programme run?"
    assert question_type.classify(question) == question_type.WHEN
    assert answerer.finder.topic(question, question, question_type.WHEN) == [thesaurus.related(stem("programme"))]
    assert len(answerer.finder.topic(question, question, question_type.OTHER)) == 2  # "run" too
    assert answerer.finder.topic("What years does it cover?", "", question_type.WHEN) == []
    # "capacity", "role" and "status" say what kind of answer is wanted, as "kind" and "type" do
    assert answerer.finder.topic("In what capacity?", "", question_type.OTHER) == []
    assert answerer.finder.topic("What is its status?", "", question_type.OTHER) == []


def test_unanswerable_is_declined_with_suggestions_in_the_question_language(answerer):
    # (The fake embedder matches stopwords, so the question avoids them; the real model is tested elsewhere.)
    declined = answerer.ask("Who wrote Hamlet?")
    assert not declined.answered and declined.answer == language.message("not_found", "en")
    assert declined.sources and declined.highlights == []
    french = answerer.ask("Quelle est la capitale de l'Australie ?")
    assert not french.answered and french.language == "fr"
    assert french.answer == "Je n'ai pas trouvé cette information dans les documents."


def test_threshold_decides(tiny_index, fake_embedder):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    strict = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=5.0)).answerer
    answer = strict.ask("When was the Voyager 1 probe launched?")
    assert not answer.answered and answer.confidence > 0



def test_every_cited_passage_holding_the_answer_shows_where(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron".split()
    (folder / "long.txt").write_text(" ".join(f"Fact number {i} concerns the topic {w}." for i, w in enumerate(words)))
    ingest([folder], index_root=tmp_path / "index", embedder=fake_embedder)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder)
    first, second = assistant.index.chunk(0), assistant.index.chunk(1)
    shared = set(first.sentence_rows) & set(second.sentence_rows)
    assert shared, "neighbouring chunks overlap by a sentence"
    topic = second.text.split("concerns the topic ", 1)[1].split(".")[0]  # the shared (first) sentence's topic
    answer = assistant.answerer.ask(f"Which fact concerns the topic {topic}?")
    located = [s for s in answer.sources if s.answer_span]
    assert answer.answered and len(located) == 2
    assert all(s.text[s.answer_span[0] : s.answer_span[1]] == answer.answer for s in located)


def test_a_pronoun_sentence_opening_a_chunk_is_scored_where_its_antecedent_is(tmp_path, fake_embedder):
    """Overlapping chunks share a sentence; when the first one retrieved opens with it ("These span..."),
    its antecedent is only in the other: the candidate must be scored there, with it."""
    from docqa.index.answering import question_type
    from docqa.index.assistant import Assistant
    from docqa.index.retrieval.search import Passage
    from docqa.ingest.chunker import ChunkingSettings
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    before = "Harbour fact 0 is about boats and tides. Harbour fact 1 is about boats and tides."
    after = "Harbour fact 9 is about boats and tides. Harbour fact 8 is about boats and tides."
    # 40-token chunks: [fact 0, fact 1, board, These] and [These, fact 9, fact 8] (one sentence of overlap)
    (docs / "port.txt").write_text(f"{before} The board manages twelve lighthouses. These stand along the northern coast. {after}")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder, chunking=ChunkingSettings(max_tokens=40, overlap_sentences=1))
    answerer = Assistant(tmp_path / "index", embedder=fake_embedder).answerer
    index = answerer.searcher.index
    chunks = [index.chunk(i) for i in range(len(index))]
    opening = [c for c in chunks if c.text[c.sentences[0][0] :].startswith("These stand")]
    holding = [c for c in chunks if "twelve lighthouses. These stand" in c.text]
    assert opening and holding, "the corpus must put the pronoun sentence at a chunk boundary"
    passages = [Passage(opening[0], 2.0, 1), Passage(holding[0], 1.0, 2)]  # the orphan's chunk first
    question = "Where do the lighthouses stand?"
    vector = fake_embedder.embed([question])[0]
    ranked, _ = answerer.finder.ranked(question, question_type.classify(question), vector, passages)
    these = [s.candidate for s in ranked if s.candidate.passage.chunk.text[s.candidate.span[0] :].startswith("These stand")]
    assert len(these) == 1
    shown = these[0].passage.chunk.text[these[0].context[0] : these[0].context[1]]
    assert shown == "The board manages twelve lighthouses. These stand along the northern coast."


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Combien d'activités de recherche contient-il ?", True),
        ("Quand commence-t-elle ?", True),
        ("Où se trouve-t-il ?", True),
        ("Quand ERA PerMed doit-il démarrer ?", False),  # the pronoun repeats the subject named before the verb
        ("Combien de membres compte ICPerMed ?", False),
        ("Qu'est-ce que la médecine personnalisée ?", False),
    ],
)
def test_a_french_subject_pronoun_after_the_verb_is_told_from_a_repeated_subject(question, expected):
    assert language.pronoun_is_subject(question) is expected


def test_a_french_follow_up_whose_subject_is_an_inverted_pronoun_gets_the_conversation_subject(answerer):
    history = [{"role": "user", "content": "Parlez-moi du Danube"}, {"role": "assistant", "content": "..."}]
    question = "Combien de pays européens traverse-t-il ?"  # three content words: not a follow-up by its length
    _, _, query = answerer.read_question(question, history=history)
    assert "danube" in query.lower()
    _, _, alone = answerer.read_question(question)
    assert "danube" not in alone.lower()


@pytest.mark.parametrize(
    "question, kind",
    [
        ("What is the email address of the secretariat?", qt.EMAIL),
        ("Phone number for the helpdesk?", qt.PHONE),
        ("What is its website?", qt.WEB),
        ("What is the helpdesk's e-mail?", qt.EMAIL),  # a possessor before it
        ("What's the submission system helpdesk's phone number?", qt.PHONE),
        ("What was the telephone's impact?", qt.OTHER),
        ("What did the telephone network use?", qt.OTHER),  # about a telephone, not asking for a number
        ("How many phones were sold?", qt.HOW_MANY),
    ],
)
def test_questions_asking_for_contact_details(question, kind):
    assert qt.classify(question) == kind


def test_contact_spans_are_addresses_and_numbers_not_year_ranges():
    sentence = "Write to info@anr.fr or call +33 1 73 54 81 00, see https://anr.fr/en/ (secretariat 2016-2020)."
    assert [[sentence[s:e] for s, e in qt.find_spans(sentence, kind)] for kind in qt.CONTACT] == [
        ["info@anr.fr"], ["+33 1 73 54 81 00"], ["https://anr.fr/en/"]
    ]


def _answerer_over(text_: str, tmp_path, fake_embedder):
    """An answerer over one document holding `text_` (the fake embedder), every decline check run."""
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest
    from tests.conftest import every_check_run

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "doc.txt").write_text(text_, encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    return Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=every_check_run()).answerer


@pytest.mark.parametrize(
    "question, person",
    [
        ("Who chairs ICPerMed?", True),
        ("who chair currently the consortium?", True),  # "Qui préside actuellement le consortium ?" glossed
        ("Who is the current minister of research?", True),
        ("Which official represents France?", True),
        ("Which Commissioner represents it at the meetings?", True),
        ("Who is its representative in the consortium?", True),
        ("Who is the ANR contact person for ICPerMed?", True),  # the role's own modifiers before it
        ("Who must I contact at ANR about the call?", False),  # an office may be the one to contact
        ("Who is the coordinator of the project?", False),  # an organisation coordinates many a project
        ("Who is the main partner of ICPerMed?", False),
        ("Who is the world leader in personalised medicine?", False),  # a leader in a field: a country, a company
        ("Who is the leader of ICPerMed?", True),
        ("Who is the observer in ICPerMed?", False),
        ("Who has elected the President of Warsaw since 1990?", False),  # the electing body is asked for
        ("What official languages does Switzerland have?", False),  # "official" describes the noun after it
        ("What representative sample was used?", False),
    ],
)
def test_questions_asking_who_holds_a_persons_role(question, person):
    assert qt.asks_for_a_person(question) is person


def test_names_of_organisations():
    assert all(map(qt.names_an_organisation, ["ANR", "European Commission", "Ministry of Higher Education and Research"]))
    assert qt.names_an_organisation("ICPerMed")
    assert not any(map(qt.names_an_organisation, ["Marie Curie", "Gustave Eiffel", "Donald Tusk", "McCarthy", "DeVos"]))


def test_asked_who_holds_a_role_a_sentence_naming_only_organisations_is_no_answer(tmp_path, fake_embedder):
    answerer = _answerer_over(
        "The Harbour Consortium gathers port agencies, including the Coastal Agency and ANR. Rivers flood in spring.", tmp_path, fake_embedder
    )
    assert answerer.assess("Who chairs the Harbour Consortium?").confidence == 0.0
    assert answerer.assess("Who belongs to the Harbour Consortium?").confidence > 0.0  # asked for no person's role


def test_asked_who_leads_a_sentence_saying_no_one_does_is_no_answer(tmp_path, fake_embedder):
    answerer = _answerer_over(
        "ANR is part of the Harbour Coordination Action (the Harbour Secretariat). Rivers flood in spring.", tmp_path, fake_embedder
    )
    assert answerer.assess("Which organisation coordinates the Harbour Secretariat?").confidence == 0.0
    assert answerer.assess("Which organisation is part of the Harbour Secretariat?").confidence > 0.0  # no role asked


def test_asked_which_ones_a_sentence_that_only_counts_them_is_no_answer(tmp_path, fake_embedder):
    answerer = _answerer_over("The Harbour Plan lists 12 research and 4 support actions. Rivers flood in spring.", tmp_path, fake_embedder)
    assert answerer.assess("Which of the 12 research actions comes first?").confidence == 0.0
    assert answerer.assess("How many research actions does the Harbour Plan list?").confidence > 0.0  # the count is asked
    # Asked how many of a thing the passage never writes: its numbers count other things.
    assert answerer.assess("How many pages does the Harbour Plan have?").confidence == 0.0


def test_a_contact_question_is_declined_when_the_sentence_writes_no_such_detail(tmp_path, fake_embedder):
    answerer = _answerer_over("The harbour office answers questions at office@harbour.example every weekday.", tmp_path, fake_embedder)
    email = answerer.ask("What is the email address of the harbour office?")
    assert email.answered and email.short_answer == "office@harbour.example"
    phone = answerer.ask("What is the phone number of the harbour office?")
    assert not phone.answered and phone.confidence == 0.0


def test_an_answer_the_model_declines_is_not_checked_and_keeps_its_probability(tmp_path, fake_embedder, monkeypatch):
    from docqa.index.answering import sentence_declines
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    checked: list[str] = []
    check = sentence_declines.declining_rule
    monkeypatch.setattr(sentence_declines, "declining_rule", lambda q, s: checked.append(q) or check(q, s))
    vetoed = _answerer_over("Complexity theory is interested in how algorithms scale with an increase in the input size.", tmp_path, fake_embedder)
    question = "What is interested in how algorithms scale with a decrease in the input size?"
    assert vetoed.assess(question).confidence == 0.0 and checked  # checked: the sentence says an increase
    checked.clear()
    strict = Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.99)).answerer
    found = strict.assess(question)
    assert 0.0 < found.confidence < 0.99 and not checked  # below the operating point: declined as it is, unchecked
    assert not strict.ask(question).answered


def test_a_question_no_word_of_which_is_in_any_document_is_declined(tiny_index, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import every_check_run

    answerer = Assistant(tiny_index, embedder=fake_embedder, answer_settings=every_check_run()).answerer
    unknown = answerer.assess("What is the airspeed of an unladen swallow?")
    assert unknown.candidate is not None and unknown.confidence == 0.0
    # A follow-up's own words may all be absent: its subject comes from the conversation.
    history = [{"role": "user", "content": "Tell me about the Danube"}, {"role": "assistant", "content": "..."}]
    follow_up = answerer.assess("How many countries does it flow through?", history=history)
    assert follow_up.confidence > 0.0


def test_a_yes_no_question_about_a_name_the_sentence_does_not_write_is_declined(tmp_path, fake_embedder):
    answerer = _answerer_over("The Harbour Club counts France and Italy among its members.", tmp_path, fake_embedder)
    assert answerer.assess("Is France a member of the Harbour Club?").confidence > 0.0
    assert answerer.assess("Is Germany a member of the Harbour Club?").confidence == 0.0
    # Not a yes/no question: the model decides, not this rule.
    assert answerer.assess("Which members does the Harbour Club have besides Germany?").confidence > 0.0


def test_a_yes_no_question_names_what_the_sentence_writes_in_another_form(tmp_path, fake_embedder):
    answerer = _answerer_over(
        "From France, the Harbour Research Agency (HRA) and the Ministry of Higher Education and Research take part in the Harbour Club.",
        tmp_path,
        fake_embedder,
    )
    # The country for its adjective; the short form the question gives in brackets, which the sentence writes.
    assert answerer.assess("Is the French Ministry of Higher Education and Research part of the Harbour Club?").confidence > 0.0
    assert answerer.assess("Is the National Harbour Research Agency (HRA) part of the Harbour Club?").confidence > 0.0
    # Another country, another ministry, a short form the sentence does not write: no form of them is there.
    assert answerer.assess("Is the German Ministry of Higher Education and Research part of the Harbour Club?").confidence == 0.0
    assert answerer.assess("Is the French Ministry of Health part of the Harbour Club?").confidence == 0.0
    assert answerer.assess("Is the National Harbour Research Agency (NHRA) part of the Harbour Club?").confidence == 0.0


def test_asked_by_what_means_the_sentence_writing_a_way_is_chosen(tmp_path, fake_embedder):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    _answerer_over(
        "To grow the harbour further, the Harbour Club has recently published a plan for the harbour. "
        "The aim of the Harbour Club is to grow the harbour by an open call for new members.",
        tmp_path,
        fake_embedder,
    )
    answerer = Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0)).answerer
    answer = answerer.ask("By what means does the Harbour Club intend to grow the harbour further?")
    assert "open call" in answer.answer and "open call" in (answer.short_answer or "")


def test_a_question_about_another_name_of_the_same_opening_is_declined(tmp_path, fake_embedder):
    answerer = _answerer_over("From France, the Ministry of Higher Education and Research takes part in the Harbour Club.", tmp_path, fake_embedder)
    assert answerer.assess("What is the role of the Ministry of Higher Education and Research in the Harbour Club?").confidence > 0.0
    assert answerer.assess("What is the role of the Ministry of Higher Educaton in the Harbour Club?").confidence > 0.0  # a slip
    assert answerer.assess("What is the role of the French Ministry of Health in the Harbour Club?").confidence == 0.0


def test_asked_how_many_the_short_answer_is_a_count_not_words_without_one(tmp_path, fake_embedder):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    _answerer_over("The International Harbour Consortium (IHC) is a recently established platform comprising over 30 European members.", tmp_path, fake_embedder)
    answerer = Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0)).answerer
    assert answerer.ask("What is the size of IHC's membership?").short_answer == "over 30"


def test_asked_how_long_a_short_answer_in_plural_units_or_teens_is_one(tmp_path, fake_embedder):
    from docqa.index.answering.extractive import _NUMBER_WORD, AnswerSettings
    from docqa.index.assistant import Assistant

    _answerer_over("The old bridge stood for centuries before the 1906 earthquake destroyed it.", tmp_path, fake_embedder)
    answerer = Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0)).answerer
    assert answerer.ask("How long did the old bridge stand?").short_answer == "centuries"  # not the year it fell
    assert all(_NUMBER_WORD.search(w) for w in ("decades", "fifteen", "ninety", "a trillion", "half", "years ago"))


@pytest.mark.parametrize(
    "question, noun",
    [
        ("Which kinds of ministries are brought together?", "ministries"),
        ("what type of city is Warsaw?", "city"),
        ("What kind of T cells kill infected cells?", None),  # a name's letter, not a noun
        ("Which ministries take part?", None),
    ],
)
def test_the_noun_whose_kinds_are_asked(question, noun):
    assert qt.kinds_asked(question) == noun


@pytest.mark.parametrize(
    "sentence, one_only",
    [
        ("Currently, from France the Ministry of Higher Education is implicated.", True),
        ("It gathers research and health ministries as well as funding agencies.", False),
        ("Ministry officials met.", False),  # capitalised as the sentence's first word only
        ("The Private Bill Committees considered it.", False),  # a kind's own name, in the plural
        ("The plan lists activities.", False),  # no ministry at all
        ("It has a Ministry of Health and a Ministry of Transport.", False),  # several names: the kinds, each named
        ("Cases go to the Magistrates' Ministry or the Crown Ministry.", False),
    ],
)
def test_a_sentence_naming_only_one_of_the_things_whose_kinds_are_asked(sentence, one_only):
    assert qt.names_only_one_of(sentence, "ministries") is one_only


def test_asked_what_kinds_a_sentence_naming_only_one_is_not_chosen(tmp_path, fake_embedder):
    text = (
        "The Harbour Club gathers over 30 members. It gathers transport and fishing ministries as well as port agencies. "
        "From France, the Ministry of the Sea takes part in the Harbour Club."
    )
    answer = _answerer_over(text, tmp_path, fake_embedder).assess("What kinds of ministries take part in the Harbour Club?")
    shown = answer.candidate.passage.chunk.text[answer.candidate.span[0] : answer.candidate.span[1]]
    assert "transport and fishing ministries" in shown


def test_a_question_placing_its_thing_where_the_sentence_places_another_is_declined(tmp_path, fake_embedder):
    answerer = _answerer_over("The first bridge of the harbour was built in 1890 by the Keller Office.", tmp_path, fake_embedder)
    assert answerer.assess("When was the first bridge of the harbour built?").confidence > 0.0
    assert answerer.assess("When was the second bridge of the harbour built?").confidence == 0.0


def test_the_sentence_a_headline_reports_is_read_with_the_headline(tmp_path, fake_embedder):
    """"Strategy 2030 published" reports "The Research Council has published a consensus view…", which never names
    Strategy 2030: the evidence reads the two together (its names are then written); the answer shows the sentence."""
    from docqa.index.answering.features import CONFIDENCE_FEATURES
    from docqa.index.assistant import Assistant
    from tests.conftest import every_check_run, index_of

    text = (
        "Strategy 2030 published\n\nResearch funding grows every year. Many agencies fund science in Europe. "
        "The Research Council has published a consensus view on the aims of science funding."
    )
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"news.txt": text}), embedder=fake_embedder, answer_settings=every_check_run()).answerer
    found = answerer.assess("Who published Strategy 2030?")
    assert found.candidate.read == "Strategy 2030 published\nThe Research Council has published a consensus view on the aims of science funding."
    assert dict(zip(CONFIDENCE_FEATURES, found.features))["names_missing_from_sentence"] == 0.0
    answer = answerer.ask("Who published Strategy 2030?")
    assert answer.answer.startswith("The Research Council has published") and answer.short_answer == "The Research Council"
    other = answerer.assess("How fast does research funding grow?")  # a sentence the headline does not report
    assert other.candidate.read == "Research funding grows every year."
