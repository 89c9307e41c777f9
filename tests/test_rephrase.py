"""Common English ways of asking a plain question, read as the plain question (index/answering/rephrase.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering.rephrase import plain


@pytest.mark.parametrize(
    "typed, read",
    [
        ("What kind of organisation is ICPerMed?", "What is ICPerMed?"),
        ("what sort of body was the Danube Commission", "what was the Danube Commission?"),
        ("What types of group are The Beatles?", "What are The Beatles?"),
        ("What type of company is Van Gend en Loos?", "What is Van Gend en Loos?"),
        ("What kind of entity is the Harbour Club described as?", "What is the Harbour Club?"),  # as the text puts it
        ("How is the Harbour Club described as an organisation?", "What is the Harbour Club?"),
        ("How is the Harbour Club characterised on the page?", "What is the Harbour Club?"),
        ("What kind of funding is ANR offering?", "What funding is ANR offering?"),  # the name is the subject
        ("What type of fraud was Madoff convicted of?", "What fraud was Madoff convicted of?"),
        ("What is ICPerMed trying to achieve?", "What is the aim of ICPerMed?"),
        ("What did the treaty hope to accomplish?", "What was the aim of the treaty?"),
        ("Besides research, what else do the activities take into account?", "What do the activities take into account?"),
        ("What type of energy is produced by steam engines?", "What energy is produced by steam engines?"),
        ("In addition to Watt, Boulton and Smeaton, whose engine was an atmosphere design?", "Whose engine was an atmosphere design?"),
        ("What, aside from firebox, is another name for the space?", "What is another name for the space?"),
        ("What else is ANR part of besides ICPerMed's membership?", "What is ANR part of?"),
        ("Who else besides ANR is in ICPerMed?", "Who is in ICPerMed?"),
        ("¿Besides the Rhine, which rivers flow north?", "¿Which rivers flow north?"),
        ("What is ICPerMed for?", "What is the aim of ICPerMed?"),
        ("what's the Action Plan for", "what is the aim of the Action Plan?"),
        ("What was the fund for?", "What was the aim of the fund?"),
        ("Which types of ministries does ICPerMed bring together?", "Which ministries does ICPerMed bring together?"),
        ("How many activities of a supporting nature are there?", "How many supporting activities are there?"),
        ("When is ERA PerMed expected to get going?", "When does ERA PerMed start?"),  # what is expected is what is said
        ("Is the plan supposed to start in 2017?", "Does the plan start in 2017?"),
        ("when was the war going to end", "when did the war end"),
        ("What is the plan expected to bring?", "What does the plan bring?"),
        ("Who put out the action plan?", "Who publish the action plan?"),
        ("When does the network kick off?", "When does the network start?"),
        ("When is ERA PerMed expected to go live?", "When does ERA PerMed start?"),
        ("Is the network up and running?", "Is the network started?"),
        # in the tense typed (it was "When it start, …", "When is the site start?")
        ("When it went live, who ran it?", "When it started, who ran it?"),
        ("When is the site going live?", "When is the site starting?"),
        ("Has the portal gone live?", "Has the portal started?"),
        ("When was the season kicked off?", "When was the season started?"),
        ("Who kicked off the festival?", "Who started the festival?"),
        # a search-box query's last word naming only the kind of answer
        ("icpermed members number", "How many icpermed members"),
        ("supporting activities count", "How many supporting activities"),
        ("icpermed secretariat years", "When icpermed secretariat"),
        ("era permed launch date", "When era permed launch"),
    ],
)  # fmt: skip
def test_a_roundabout_question_is_read_plainly(typed: str, read: str) -> None:
    assert plain(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "Who besides the British colonised Africa?",  # the aside runs into the verb: its end is unknown
        "What does the Presiding Officer try to achieve a balance of between speakers?",
        "When does ERA PerMed start?",
        "What kind of",
        "What is QED short for?",  # "X for" with more than a name or one noun asks something else
        "What was Tugh Temur known for?",
        "What were X.25 and Frame relay used for?",
        "What is a set up phase?",
        "Does the plan take into account patients?",  # a phrasal verb texts write too stays, so that such a text matches
        "What is the plan expected to be?",  # "be" and "have" say nothing without what is expected
        "Who is expected to win?",  # the subject is what is asked
        "Why is the rise due to inflation?",  # "due to" a noun says why
        "Why are some forces due to that are impossible to model?",
        "Is the fall due to funding cuts?",
        "Who started the Yuan dynasty?",  # "started" alone is no "get started"
        "Who kicked the ball?",
        "Where do the members live?",  # "live" without "go"
        "Why was the striker kicked off the team?",  # expelled, not started: it was "Why was the striker start the team?"
        "Who got kicked off the show?",
        "Where did the family go live after the war?",  # where they live: it was "Where did the family start after the war?"
        "Is the project underway?",
        "A multi-tape Turing machine requires what type of time for a solution?",  # "what time" asks when
        "What kind of organisation funds research?",  # "what organisation" asks who
        "How is the Harbour Club funded?",  # how it is done, not what it is
        "How is the plan described?",  # no name: what the plan is called may be asked
        "anr phone number",  # an identifier, not a count
        "word count",  # a compound: "How many word" would ask of no plural
        "population count",
        "important dates",  # an adjective says which dates: "When important" would ask nothing
        "financial year",
        "recent years",
        "era permed start",  # the last word is what is asked about
        "funding per year",  # a unit
        "icpermed members number?",  # a question mark: a question, typed as such
        "number",
        "",
    ],
)
def test_other_questions_are_read_as_typed(typed: str) -> None:
    assert plain(typed) == typed


def test_the_answerer_reads_the_plain_question_and_the_short_answer_the_typed_one(tiny_index, fake_embedder) -> None:
    from docqa.index.assistant import Assistant

    assistant = Assistant(tiny_index, embedder=fake_embedder)
    roundabout, direct = assistant.ask("What kind of river is the Danube?"), assistant.ask("What is the Danube?")
    assert (roundabout.query, roundabout.answer, roundabout.confidence) == (direct.query, direct.answer, direct.confidence)
    assert roundabout.read_as is None  # no typo was corrected
    found = assistant.answerer.assess("Besides the Rhine, which river flows through ten countries?")
    assert (found.query, found.asked) == ("Which river flows through ten countries?", "Besides the Rhine, which river flows through ten countries?")


def test_long_inputs_are_read_without_runaway_backtracking() -> None:
    # A guard, not a benchmark: before the fixes these took 0.2-10 s; now about 1 ms. The bound leaves room for a busy CI.
    import time

    for typed in ("what" + " " * 2000 + "x", "?" * 2000, "when is" + " " * 2000 + "x", "what is" + " " * 2000 + "x", "when is" + " " * 2000 + "expected to go",
                  "a a" + " " * 6000 + "x count", "a" + " " * 6000 + "b", " x" * 7 + " " * 6000):
        started = time.perf_counter()
        plain(typed)
        assert time.perf_counter() - started < 0.25
