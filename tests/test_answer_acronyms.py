"""Questions asking what an acronym stands for, answered by the sentence that defines it (answering/acronyms.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import acronyms
from docqa.index.answering.extractive import BY_FORM_PROBABILITY


@pytest.mark.parametrize(
    "question, asked",
    [
        ("What does CSA stand for?", "CSA"),
        ("what does era permed stand for", "era permed"),
        ("What does the abbreviation CSA mean?", "CSA"),
        ("What does the acronym ICPerMed stand for?", "ICPerMed"),
        ("what mean the acronym ERA PerMed?", "ERA PerMed"),  # "Que signifie le sigle ERA PerMed ?" glossed
        ("What is QED short for?", "QED"),
        ("What is the full name of ERA PerMed?", "ERA PerMed"),
        ("What is the full name of the ICPerMed?", "ICPerMed"),  # "the" is no part of it
        ("what is the name full of the ICPerMed?", "ICPerMed"),  # "Quel est le nom complet de l'ICPerMed ?" glossed
        ("What does CSA denote?", "CSA"),
        ("What does CSA mean here?", "CSA"),
        ("what does SRIA mean in this context", "SRIA"),
        ("what designate the acronym CSA?", "CSA"),  # "Que désigne le sigle CSA ?" glossed
        ("icpermed full name", "icpermed"),
        ("SRIA stands for what?", "SRIA"),
        ("full name era permed", "era permed"),  # keywords typed in a chat box
        ("CSA meaning", "CSA"),
        ("ICPerMed acronym?", "ICPerMed"),
        ("the expansion of SRIA", "SRIA"),
        ("ERA PerMed?", "ERA PerMed"),  # a bare name: answered by its definition, if the documents give one
        ("tell me about ICPerMed", "ICPerMed"),
        ("What is ERA PerMed?", "ERA PerMed"),  # what an acronym is: its expansion, if the documents give one
        ("what's the CSA", "CSA"),
        ("What exactly is the SRIA?", "SRIA"),
        ("SRIA, what mean this acronym?", "SRIA"),  # the name first, as some learners of English ask
        ("CSA, what does it stand for?", "CSA"),
        ("ERA PerMed, what is the complete name?", "ERA PerMed"),
        ("What means the letters ICPerMed?", "ICPerMed"),
        ("what is ERA PerMed exactly", "ERA PerMed"),
        ("what's SRIA stand for", "SRIA"),  # spoken "what's" for "what does"
        ("What’s CSA mean?", "CSA"),
        ("Please tell me what CSA stands for in the PerMed context.", "CSA"),  # asked indirectly
        ("I wonder what SRIA means here", "SRIA"),
        # worded otherwise: the words asking for an expansion and the one acronym the question writes
        ("Could you spell out what the acronym ICPerMed stands for?", "ICPerMed"),
        ("What is the full name hidden behind the abbreviation ERA PerMed?", "ERA PerMed"),
        ("For which expression is CSA used as a short form in the text?", "CSA"),
        ("Definition of CSA as used on the page?", "CSA"),  # a field a table asks to fill
        ("What is the signification of CSA in this page ?", "CSA"),  # French "signification": meaning
        ("Expand the name ERA PerMed.", "ERA PerMed"),
        ("expand SRIA", "SRIA"),
        ("What ICPerMed stand for?", "ICPerMed"),  # "does" left out
        ("And what does ICPerMed acronym stand for?", "ICPerMed"),  # a follow-up's "that acronym" completed
        ("What is the definition of an SME?", "SME"),  # its article left out
        ("What is the meaning of a CSA?", "CSA"),
        ("What does its acronym CSA stand for?", "CSA"),  # "its acronym", the short form written after it
    ],
)
def test_questions_asking_for_an_expansion_name_the_acronym(question, asked):
    assert acronyms.asked_acronym(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        "What does the European Commission do?",
        "What does personalised medicine provide for patients?",
        "When does ERA PerMed start?",
        "What is the hidden meaning of the whole plan and its expansion?",  # more than three words asked about
        "What is personalised medicine?",  # no acronym: its words ask
        "What is the role of ICPerMed?",
        "Tell me more about the Action Plan",
        "How many members?",
        "Which acronym does ANR use for ICPerMed?",  # two acronyms: which one is asked about?
        "How many expansion stages are used by the triple expansion engine?",  # no acronym
        "In Paris, what does it mean for the budget?",  # a place and a meaning asked of something else
        "How will the plan expand its reach to other countries?",  # "expand" not opening the question
        "The agenda ANR helped to generate, what is its acronym?",  # the short form asked, not ANR's expansion
        "What is the abbreviation of the consortium?",
        "What is the consortium's acronym?",
        "What is its abbreviation in French?",  # a word after "its abbreviation" is no acronym
    ],
)
def test_other_questions_ask_for_no_expansion(question):
    assert acronyms.asked_acronym(question) is None


def _long(sentence: str, acronym: str) -> str | None:
    span = acronyms.defines(sentence, acronym)
    return sentence[span[0] : span[1]] if span else None


def test_a_long_form_before_its_short_form_defines_it():
    sentence = "Since 2013, ANR was highly involved in the Coordination and Support Action (CSA) of PerMed."
    assert _long(sentence, "CSA") == "Coordination and Support Action"
    assert _long(sentence, "csa") == "Coordination and Support Action"  # as a visitor types it
    two_words = "It will feed into the European Research Area Network for personalized medicine (ERA PerMed), now in preparation."
    assert _long(two_words, "era permed") == "European Research Area Network for personalized medicine"
    assert _long("It led to quantum electrodynamics (or QED), which describes light.", "QED") == "quantum electrodynamics"
    listed = "ANR is part of the Coordination and Support Action (CSA; 2016-2020) too."
    assert _long(listed, "CSA") == "Coordination and Support Action"


def test_the_long_form_of_an_acronym_the_question_names_is_its_subject_not_its_answer():
    from docqa.index.answering import short_answer

    sentence = (
        "To boost personalised medicine, the International Consortium of Personalized Medicine (ICPerMed) has "
        "recently published a consensus view on the research needed."
    )
    long_form = (sentence.index("International"), sentence.index(" (ICPerMed)"))
    assert acronyms.named_long_forms("What did ICPerMed recently publish?", sentence) == [long_form]
    era = "the European Research Area Network for personalized medicine (ERA PerMed), that is in preparation"
    assert acronyms.named_long_forms("What will era permed fund?", era) == [(4, 60)]  # written as the visitor does
    assert acronyms.named_long_forms("What did the consortium publish?", sentence) == []
    found = short_answer.find_short_answer("What did ICPerMed recently publish?", sentence)
    assert sentence[found[0] : found[1]] == "a consensus view"
    # Asked for its meaning, the long form is the answer.
    found = short_answer.find_short_answer("What does ICPerMed stand for?", sentence)
    assert sentence[found[0] : found[1]] == "International Consortium of Personalized Medicine"


def test_a_parenthesis_that_is_not_a_definition_defines_nothing():
    assert acronyms.definitions("The plan lists 22 activities (see below) for 2016 (2016-2020).") == ()
    # The letters of the short form must be read, in order, in the words before it.
    assert acronyms.defines("The Islamic Salvation Front (FIS) was founded in 1989.", "FIS") is None
    assert acronyms.defines("The Front Islamique du Salut (FIS) was founded in 1989.", "FISS") is None


def _answerer(tmp_path, fake_embedder, settings=None):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "agency.txt").write_text(
        "The Coordination and Support Action (CSA) started in 2016. The CSA funds twelve projects.\n\n"
        "The CSA office is in Paris. Rivers flood in spring.",
        encoding="utf-8",
    )
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    return Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=settings)


@pytest.mark.parametrize(
    "question",
    ["What does CSA stand for?", "CSA?", "tell me about CSA", "What is the definition of a CSA?", "What does its acronym CSA stand for?"],
)
def test_the_sentence_defining_the_acronym_is_the_answer_with_its_long_form(tmp_path, fake_embedder, question):
    answer = _answerer(tmp_path, fake_embedder).ask(question)
    assert answer.answered and answer.answer.startswith("The Coordination and Support Action (CSA)")
    assert answer.short_answer == "Coordination and Support Action"
    assert answer.confidence >= BY_FORM_PROBABILITY


@pytest.mark.parametrize(
    "question, named",
    [
        ("What's the acronym of the consortium behind the plan?", ("consortium",)),
        ("Please state the acronym of the network that the plan will inform.", ("network",)),
        ("What is the abbreviation for the Coordination and Support Action?", ("coordination", "support", "action")),
        ("Acronym used for the International Consortium of Personalized Medicine?", ("international", "consortium", "personalized", "medicine")),
        ("What's the short name of the European network for rare diseases?", ("european", "network", "rare", "diseases")),
        ("What does CSA stand for?", None),
        ("The agenda ANR helped to generate, what is its acronym?", None),
    ],
)
def test_a_question_asking_for_the_acronym_of_something_names_it(question, named):
    assert acronyms.asked_short_form(question) == named


def test_the_acronym_asked_for_is_the_one_whose_long_form_writes_every_word_named():
    sentence = "Since 2013, ANR led the Coordination and Support Action (CSA) and the Strategic Research Agenda (SRA)."
    span = acronyms.short_form_span(sentence, ("support", "action"))
    assert span is not None and sentence[span[0] : span[1]] == "CSA"
    span = acronyms.short_form_span(sentence, ("strategic", "agendas"))  # in any form
    assert span is not None and sentence[span[0] : span[1]] == "SRA"
    assert acronyms.short_form_span(sentence, ("support", "network")) is None  # a word no long form writes


def test_the_sentence_defining_the_acronym_asked_for_answers_with_the_acronym(tmp_path, fake_embedder):
    assistant = _answerer(tmp_path, fake_embedder)
    answer = assistant.ask("What is the abbreviation of the coordination and support action?")
    assert answer.answered and answer.answer.startswith("The Coordination and Support Action (CSA)")
    assert answer.short_answer == "CSA"
    assert answer.confidence >= BY_FORM_PROBABILITY
    # Something else named: no definition answers by its form
    other = assistant.ask("What is the abbreviation of the coordination and flood office?")
    assert other.confidence < BY_FORM_PROBABILITY


def test_a_question_read_plainly_as_what_an_acronym_is_gets_no_long_form_as_its_short_answer(tmp_path, fake_embedder):
    # "What kind of action is the CSA?" reads plainly as "What is the CSA?": the defining sentence answers it, but the
    # long form is not the kind of action asked for.
    answer = _answerer(tmp_path, fake_embedder).ask("What kind of action is the CSA?")
    assert answer.answered and answer.answer.startswith("The Coordination and Support Action (CSA)")
    assert answer.short_answer != "Coordination and Support Action"
    assert all(answer.answer[a:b] != "Coordination and Support Action" for a, b in answer.highlights)


def test_an_acronym_the_documents_do_not_spell_out_is_declined(tmp_path, fake_embedder):
    # A sentence that names the acronym without its long form does not say what it stands for.
    from tests.conftest import every_check_run

    assistant = _answerer(tmp_path, fake_embedder, every_check_run())
    for question in ("What does CSO stand for?", "What is the full name of the CSA office?"):
        answer = assistant.ask(question)
        assert not answer.answered and answer.confidence == 0.0
    assert assistant.ask("What does the office mean?").confidence > 0  # no acronym: read as any question


@pytest.mark.parametrize(
    "question, asks",
    [
        ("What does ANR stand for?", True),
        ("full name of ERA PerMed", True),
        ("What does personalised medicine mean?", False),  # no acronym
        ("ANR?", False),  # a bare name asks what it is, not what it stands for
        ("When does ERA PerMed start?", False),
        ("What does Horizon Europe mean?", False),  # capitals, but no word with two: a name
        ("What does the EU mean by personalised medicine?", False),  # what it means by something
        ("What does ICPerMed mean for patients?", False),
        ("What does ANR stand for in French?", True),
        ("What does GDPR mean?", True),
    ],
)
def test_asking_in_so_many_words_what_an_acronym_stands_for(question, asks):
    assert acronyms.asks_expansion(question) is asks


@pytest.mark.parametrize(
    "sentence, sets",
    [
        ("ANR, the Agence Nationale de la Recherche, funds research.", True),
        ("The French National Research Agency (Agence nationale de la recherche, ANR) funds research.", True),
        ("The ANR (Agence Nationale de la Recherche) funds research.", True),
        ("The French National Research Agency (ANR) funds research.", True),  # letters not in the English name
        ("ANR stands for Agence Nationale de la Recherche.", True),
        ("ANR funds research.", False),
        ("In 2020, ANR funded research.", False),
        ("In ANR, projects are peer reviewed.", False),
        ("However, ANR Phase II (and later) was open.", False),
        ("The CSA office is in Paris.", False),
    ],
)
def test_a_sentence_may_set_an_acronym_apart_as_a_definition(sentence, sets):
    assert acronyms.sets_apart(sentence, "ANR" if "ANR" in sentence else "CSA") is sets


def test_an_acronym_set_apart_otherwise_is_not_declined(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "agency.txt").write_text("ANR, the Agence Nationale de la Recherche, funds research.\n\nRivers flood in spring.", encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    assert Assistant(tmp_path / "index", embedder=fake_embedder).ask("What does ANR stand for?").confidence > 0


def test_long_runs_of_spaces_are_read_without_runaway_backtracking():
    # A guard, not a benchmark: 3.5 s before the fix, about 10 ms now; the bound leaves room for a busy CI.
    import time

    for question in ("what is" + " " * 2000 + "x", "what does" + " " * 2000 + "x"):
        started = time.perf_counter()
        acronyms.asked_acronym(question)
        assert time.perf_counter() - started < 0.25


def test_an_acronym_the_question_names_by_either_form_is_no_who_answer(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The Coordination and Support Action (CSA) gathers twelve partners.", encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder)
    for question in ("Who chairs the CSA?", "Who chairs the Coordination and Support Action?"):
        assert assistant.answerer.assess(question).candidate.typed is None, question  # who was asked about


def test_initials_the_documents_never_write_are_read_as_the_name_they_abbreviate():
    from docqa.index.answering import initialisms

    initials = initialisms.read_initials(
        ["The European Commission joined. The Harbour Board of Trade met the European Court. Currently Harbour Works run."
         " The EU and the HB are written."]
    )
    assert initials.names["EC"] == ("European Commission", "European Court") and initials.names["HBT"] == ("Harbour Board of Trade",)
    assert initials.names["HW"] == ("Harbour Works",)  # "Currently" opens the sentence: no part of the name
    assert initials.expanded("Did the HBT meet?") == "Did the Harbour Board of Trade meet?"
    assert initials.expanded("What is the HW's budget?") == "What is the Harbour Works's budget?"
    assert initials.expanded("Is the EC a member?") == "Is the EC a member?"  # two names: left as written
    assert initials.expanded("Did the HB meet?") == "Did the HB meet?"  # the documents write it: their own word
    assert initials.expanded("Is the EU big?") == "Is the EU big?"


def test_a_question_shortening_a_name_is_answered_as_if_it_wrote_it(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    news = "Port news\n\nThe Harbour Authority opened the new quay in May 2019. The old ferry terminal closed in 1990.\n"
    answer = Assistant(index_of(tmp_path, fake_embedder, {"port.txt": news}), embedder=fake_embedder).ask(
        "When did the HA open the new quay?"
    )
    assert answer.query == "When did the Harbour Authority open the new quay?"
    assert answer.answered and answer.short_answer == "May 2019"


def test_a_head_noun_is_read_as_the_one_name_it_heads_by_its_short_form():
    from docqa.index.answering import initialisms

    initials = initialisms.read_initials(
        [
            "The International Harbour Consortium of Ports (IHCP) met. The aim of IHCP is trade. The Action Plan lists"
            " activities. The Port Agency (PA) and the Sea Agency (SA) signed. The Harbour Board of Trade (HBT) met."
        ]
    )
    assert initials.named("What is the consortium's goal?") == "What is IHCP's goal?"
    assert initials.named("How many ports does the consortium have?") == "How many ports does IHCP have?"
    assert initials.named("When did the board meet?") == "When did HBT meet?"  # the word before "of"
    assert initials.named("What does the plan list?") == "What does the plan list?"  # no short form: left as written
    assert initials.named("Which agency signed?") == "Which agency signed?"  # no "the"
    assert initials.named("Did the agency sign?") == "Did the agency sign?"  # two agencies
    assert initials.named("What is the acronym of the consortium?") == "What is the acronym of the consortium?"
    assert initials.named("What is the consortium of ports?") == "What is the consortium of ports?"  # a name of its own


def test_a_question_calling_a_name_by_its_head_noun_is_answered_as_if_it_named_it(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    news = (
        "Port news\n\nThe weather was fine in May. The International Harbour Consortium (IHC) was set up in 2019 by"
        " twelve ports. The aim of IHC is to align trade rules.\n"
    )
    answer = Assistant(index_of(tmp_path, fake_embedder, {"port.txt": news}), embedder=fake_embedder).ask("What is the consortium's aim?")
    assert answer.query == "What is IHC's aim?"
    assert "align trade rules" in answer.answer


def test_a_head_noun_is_read_as_a_name_only_where_the_text_gives_it_a_short_form_and_the_noun_ends_the_description():
    from docqa.index.answering import initialisms

    initials = initialisms.read_initials(
        [
            "The Coordination and Support Action (CSA; 2016-2020) helps. The Action Plan lists the steps. The Research"
            " Council (in 2019) funded it. The Federal Ministry of Health (Germany) takes part. The Port Network (PN)"
            " met. The Port Network Charter was signed."
        ]
    )
    assert initials.named("What did the action achieve?") == "What did CSA achieve?"
    # "the action plan" is the Action Plan the text names, not the CSA's plan
    assert initials.named("What does the action plan cover?") == "What does the action plan cover?"
    assert initials.named("What does the network charter say?") == "What does the network charter say?"
    assert initials.named("Who joined the network last?") == "Who joined PN last?"
    # a bracket holding no name is no short form: "the council" is not "in 2019", "the ministry" not Germany
    assert initials.named("What does the council fund?") == "What does the council fund?"
    assert initials.named("What is the ministry's role?") == "What is the ministry's role?"


def test_a_place_in_brackets_after_a_name_is_no_short_form_of_it():
    from docqa.index.answering import initialisms

    initials = initialisms.read_initials(
        ["The bridge was designed by the Keller Engineering Office (New York) in 1912. The Port Network (ERA PerMed) met."]
    )
    # "(New York)" has two capitals but no word of two: the office was read as "New York" ("What is New York's aim?"),
    # and so was the name that answered "Who designed the bridge?" when a follow-up said "their"
    assert initials.short_forms == {"Port Network": "ERA PerMed"}
    assert initials.named("What is the office's aim?") == "What is the office's aim?"
    assert initials.named("When did the network meet?") == "When did ERA PerMed meet?"
