"""The confidence model (issue 12 items 3-4): premise checks, features, the logistic regression and its file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from docqa.errors import DocqaError
from docqa.index.answering import closed_sets, confidence, contradiction, denials, features, number_swaps, premise
from docqa.index.answering.confidence import ConfidenceModel, ModelFileError


# --- premise ---------------------------------------------------------------------------------


def test_premise_reads_names_numbers_years_and_negation():
    found = premise.read_premise("Which bridge did Anna Keller build in 1912 with 40 workers?")
    assert found.names == {"anna", "kelle"}  # capitalised words not first, as match_stem reduces them
    assert found.years == {"1912"} and found.numbers == {"40"}
    assert not found.negated
    assert premise.read_premise("Who didn't sign the treaty?").negated
    assert premise.read_premise("Who didn’t sign the treaty?").negated  # curly apostrophe
    assert premise.read_premise("Who never signed it?").negated
    # A negative auxiliary opening a question asks as the positive one does.
    assert not premise.read_premise("Isn't ANR a member of ICPerMed?").negated
    assert not premise.read_premise("doesn’t it start in 2017?").negated
    assert premise.read_premise("Isn't it true that ANR did not join?").negated  # a negation of its own
    # Nor do the two answers offered ("or not") or a tag ("…, didn't it?") assert a negation.
    assert not premise.read_premise("Has the network already started or not?").negated
    assert not premise.read_premise("Is it running, or not yet?").negated
    assert not premise.read_premise("It started in 2017, didn't it?").negated
    assert premise.read_premise("Why has it not started, or has it?").negated


def test_premise_names_include_the_collections_names_in_a_lower_case_question():
    found = premise.read_premise("when does zorblax start?", names=frozenset({"zorblax"}))
    assert found.names == {"zorbl"}


def test_missing_is_the_share_not_in_the_text():
    wanted = frozenset({"anna", "kelle"})
    assert premise.missing(wanted, "Anna Keller built it.") == 0.0
    assert premise.missing(wanted, "Anna built it.") == 0.5
    assert premise.missing(frozenset(), "anything") == 0.0


def test_swapped_words_are_found_beside_a_shared_neighbour():
    assert premise.swapped("Who won the Liberal victory in 2015?", "The Conservative victory in 2015 was won by Smith.") == ["liber"]
    assert premise.swapped("Who won the victory in 2015?", "The victory in 2015 was won by Smith.") == []


def test_an_opposite_in_the_sentence_is_found():
    assert contradiction.opposite_swapped("What becomes more adept with age?", "The skin becomes less adept with age.")
    assert contradiction.opposite_swapped("Who arrived after the war?", "He arrived before the war.")
    assert not contradiction.opposite_swapped("Who arrived before the war?", "He arrived before the war, not after it.")
    assert not contradiction.opposite_swapped("When does it start?", "It starts at the end of 2017.")  # "end" is no opposite here
    # A process's end asked where the sentence says when it starts; "end of 2017" is a date, not the verb.
    assert contradiction.opposite_swapped("When does ERA PerMed end?", "ERA PerMed is in preparation and should start end of 2017.")
    assert contradiction.opposite_swapped("When did the war finish?", "The war began in 1939.")
    assert not contradiction.opposite_swapped("When did the war end?", "The war started in 1939 and ended in 1945.")
    assert not contradiction.opposite_swapped("When does it begin?", "It should start at the end of 2017.")
    assert contradiction.opposite_swapped("What was ANR involved in before 2013?", "Since 2013, ANR was involved in PerMed.")
    # A date after "since" says when something started, one after "until" when it ended.
    assert contradiction.opposite_swapped("In which year did the CSA come to an end?", "Since 2013, ANR was involved in the CSA.")
    assert contradiction.opposite_swapped("When did the CSA end?", "Since 2013, ANR was involved in the CSA.")
    assert contradiction.opposite_swapped("When did the treaty begin?", "The treaty held until 1914.")
    assert contradiction.opposite_swapped("Until when was ANR involved?", "Since 2013, ANR was involved in the CSA.")
    assert not contradiction.opposite_swapped("When did ANR start in the CSA?", "Since 2013, ANR was involved in the CSA.")
    assert not contradiction.opposite_swapped("Since when has ANR been involved?", "Since 2013, ANR was involved in the CSA.")
    assert not contradiction.opposite_swapped("When did the treaty end?", "The treaty held until 1914.")
    assert not contradiction.opposite_swapped("When did the CSA end?", "Since the war, the CSA ran from 2016 to 2020.")  # no date after "since"
    assert contradiction.opposite_swapped("Who was subject to a minority vote?", "They are subject to a majority vote.")
    assert contradiction.opposite_swapped("When was Tugh Temur born?", "When Yesun Temur died in 1328, Tugh Temur was recalled.")
    assert contradiction.opposite_swapped("What is contained in a large packet header?", "The packet header can be small.")
    # the question offers both ends: no end asked in place of the start
    assert not contradiction.opposite_swapped("At what point in 2017 should it start: beginning, middle or end?", "It should start end of 2017.")
    assert not contradiction.opposite_swapped("Which span, from start to finish, is covered?", "The span runs until market access.")
    # "launched" says when it started, beside the end of its funding
    assert not contradiction.opposite_swapped("When was the network started?", "It was launched in 2019 and is funded until the end of 2027.")
    assert contradiction.opposite_swapped("When was the network started?", "It is funded until the end of 2027.")
    assert contradiction.opposite_swapped("Current party leader David lost what seat?", "The seat of former party leader David was lost.")



SECRETARIAT = "ANR is additionally part of the ICPerMed Coordination and Support Action (ICPerMed Secretariat; CSA; 2016-2020)."


@pytest.mark.parametrize(
    "question, sentence, unstated",
    [
        ("Which organisation coordinates the ICPerMed Secretariat?", SECRETARIAT, True),  # "Coordination" is in a name
        ("Who leads the ICPerMed Secretariat?", SECRETARIAT, True),
        ("Who led the clan?", "The clan was headed by the Borjigin.", False),  # a synonym
        ("Who led the clan?", "Its leader was Temujin.", False),  # the verb's noun
        ("Who led the clan?", "Temujin led it.", False),
        ("Who funds ICPerMed?", "ICPerMed is funded by the EU.", False),
        ("Who is part of the Secretariat?", SECRETARIAT, False),  # no role asked
        ("What does funding cover?", "The grant covers personnel costs.", False),  # "what does": no one asked for
        ("What are leading causes of death?", "Heart disease is the main cause of death.", False),
        ("Who runs the agency?", "The agency is headed by Smith.", False),  # "runs" is "run", whose synonyms hold "head"
        ("Which firm is running the agency?", "The agency is managed by Smith.", False),
        # the role asked by its holder's noun
        ("Who is the coordinator of the ICPerMed Secretariat?", SECRETARIAT, True),
        ("Which organisation acts as coordinator of the CSA?", SECRETARIAT, True),
        ("Who was the leader of the clan?", "The clan was headed by the Borjigin.", False),
        ("Who was the leader of the clan?", "Temujin led the clan.", False),
        ("Who is the director of the museum?", "The museum is directed by Ann Lee.", False),
        ("Who was the coordinator of the PerMed CSA?", "ANR was involved in the Coordination and Support Action (CSA) of PerMed.", True),
        ("Who is the leader in genomics?", SECRETARIAT, False),  # a field's leader: no role of X asked
        # a holder's title, capitalised as titles are
        ("Who is the head of the department?", "Dr Lee is Head of the Department.", False),
        ("Who is the director of the institute?", "Jane Doe is the Director of the institute.", False),
        ("Who was the governor of California?", "Arnold Schwarzenegger was Governor of California.", False),
        ("Who chairs the committee?", "Jane Roe is Chair of the committee.", False),
        ("Who are the directors of the fund?", "The fund's Directors are Ann Lee and Tom Roe.", False),
        # nouns that open as a role verb does: a kind of body asked, no role
        ("Which French organisations are involved in ICPerMed?", SECRETARIAT, False),
        ("Which French government bodies take part?", SECRETARIAT, False),
        ("Which French funding bodies are in ICPerMed?", SECRETARIAT, False),
        ("Which agency is funding the ICPerMed Secretariat?", SECRETARIAT, True),  # "is funding": the verb
        ("Which agency organises the ICPerMed Secretariat?", SECRETARIAT, True),
        # asked yes or no: whether someone holds the role
        ("Will ANR coordinate the ICPerMed Secretariat?", SECRETARIAT, True),
        ("Is ANR the coordinator of the ICPerMed Secretariat?", SECRETARIAT, True),
        ("Is ANR the coordinator of the network?", "ANR coordinates the network.", False),
        ("Does the agency fund the museum?", "The museum is funded by the agency.", False),
        ("Is the funding agency part of the Secretariat?", SECRETARIAT, False),  # "funding" qualifies "agency"
        ("Is ANR part of the ICPerMed Secretariat?", SECRETARIAT, False),  # no role asked
    ],
)
def test_a_role_asked_of_a_sentence_that_states_none_is_unstated(question, sentence, unstated):
    assert premise.unstated_role(question, sentence) is unstated


def test_conflicting_numbers_need_other_numbers_in_the_sentence():
    assert premise.conflicting_numbers(frozenset({"1883"}), "The patent was granted in 1606.")
    assert not premise.conflicting_numbers(frozenset({"1883"}), "The patent was granted in 1883.")
    assert not premise.conflicting_numbers(frozenset({"1883"}), "The patent was granted long ago.")


# --- features --------------------------------------------------------------------------------


def _evidence(**changes) -> features.Evidence:
    base = dict(
        query="When did the Voyager probe launch?",
        kind="when",
        sentence="The Voyager probe was launched in 1977.",
        passage="Space missions. The Voyager probe was launched in 1977. It left the heliosphere in 2012.",
        passage_rank=1,
        similarity=0.8,
        score=1.1,
        overlap=0.9,
        topic_missing=0.0,
        rule_score=1.1,
        typed=True,
        runner_up_score=0.7,
        best_other_similarity=0.5,
        top_passage_cosine=0.8,
        premise=premise.read_premise("When did the Voyager probe launch?"),
        query_terms={"voyag": 2.0, "probe": 2.0, "launch": 1.0},
        max_idf=2.5,
    )
    base.update(changes)
    return features.Evidence(**base)


def _terms(text: str) -> frozenset[str]:
    from docqa.index.text import tokenize

    return frozenset(tokenize(text))


def test_features_are_named_finite_and_deterministic():
    vector = features.answer_features(_evidence(), terms_of=_terms)
    assert len(vector) == len(features.FEATURES) == len(set(features.FEATURES))
    assert all(math.isfinite(v) for v in vector)
    assert vector == features.answer_features(_evidence(), terms_of=_terms)
    named = dict(zip(features.FEATURES, vector))
    assert named["terms_in_sentence"] == 1.0 and named["typed_span"] == 1.0 and named["kind_when"] == 1.0
    assert named["margin"] == pytest.approx(0.4) and named["passage_rank"] == 1.0


def test_a_name_the_passage_does_not_say_is_evidence_against():
    question = "When did the Pioneer probe launch?"
    named = dict(
        zip(
            features.FEATURES,
            features.answer_features(_evidence(query=question, premise=premise.read_premise(question)), terms_of=_terms),
        )
    )
    assert named["names_missing_from_sentence"] == 1.0 and named["names_missing_from_passage"] == 1.0
    negated = "When did the Voyager probe not launch?"
    named = dict(zip(features.FEATURES, features.answer_features(_evidence(query=negated, premise=premise.read_premise(negated)), terms_of=_terms)))
    assert named["negation_only_in_question"] == 1.0


def test_a_small_collection_is_weighed_as_if_ordinary_english_made_up_the_rest():
    few, many = 3, features.FEWEST_PASSAGES
    assert features.idf(3, few) == features.idf(3, many) > 4.0  # a name in all three passages still weighs
    assert features.idf(0, few) == features.idf(0, many)  # a word no passage holds keeps the largest weight
    assert features.idf(3, few, background=0.05) < features.idf(3, few)  # a common English word weighs less
    assert features.idf(3, 1000, background=0.5) == features.idf(3, 1000) == pytest.approx(math.log(1 + 997.5 / 3.5))


def test_english_rates_follow_general_english():
    from docqa.index.answering import spelling

    rates = spelling.english_rates("english")
    assert rates["the"] > rates["research"] > 0 and "icperm" not in rates


def test_a_name_in_every_passage_of_a_small_collection_still_counts(tmp_path: Path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    for i, text in enumerate(
        ["Zorblax is a recently established platform of thirty agencies.", "Zorblax has a secretariat in Paris.", "Zorblax began in 2017."]
    ):
        (folder / f"{i}.txt").write_text(text)
    ingest([folder], index_root=tmp_path / "index", embedder=fake_embedder)
    found = Assistant(tmp_path / "index", embedder=fake_embedder).answerer.assess("What body is Zorblax?")
    named = dict(zip(features.FEATURES, found.features))
    # "body" is in no passage; Zorblax, in every sentence, weighed ~0 against it before (0.03).
    assert "Zorblax" in found.candidate.passage.chunk.text and named["terms_in_sentence"] > 0.2


# --- the model and its file -------------------------------------------------------------------


def _toy_model(**changes) -> ConfidenceModel:
    base = dict(
        features=("a", "b"),
        mean=(0.5, 1.0),
        scale=(2.0, 0.5),
        coefficients=(1.5, -0.5),
        intercept=0.25,
        platt=(0.9, -0.1),
        operating_point=0.4,
        training={"data": "hand-made"},
        metrics={"check": {"auc": 0.9}},
    )
    base.update(changes)
    return ConfidenceModel(**base)


def test_probability_follows_the_documented_formula():
    model = _toy_model()
    x = (1.0, 2.0)
    z = 0.25 + 1.5 * (1.0 - 0.5) / 2.0 - 0.5 * (2.0 - 1.0) / 0.5
    assert model.probability(x) == pytest.approx(1 / (1 + math.exp(-(0.9 * z - 0.1))))
    rows = np.array([x, (0.0, 0.0)])
    assert model.probability(rows) == pytest.approx([model.probability(x), model.probability((0.0, 0.0))])


def test_model_file_round_trip(tmp_path: Path):
    model = _toy_model()
    path = tmp_path / "model.json"
    model.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == confidence.FORMAT and data["features"]["a"]["coefficient"] == 1.5  # readable by people
    loaded = ConfidenceModel.load(path)
    assert loaded == model
    assert loaded.probability((0.3, 0.7)) == model.probability((0.3, 0.7))


def test_the_neutral_stand_in_weighs_nothing_and_survives_a_save(tmp_path: Path):
    # fit_ranker.py and fit_confidence.py answer through it while the features differ from the shipped model's.
    path = tmp_path / "neutral.json"
    ConfidenceModel.neutral(("a", "b")).save(path)
    model = ConfidenceModel.load(path).check_features(("a", "b"))
    assert model.probability((5.0, -3.0)) == model.probability((0.0, 0.0)) == 0.5


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"format": "other/9"}), json.dumps({"format": confidence.FORMAT, "features": {"a": {}}}), "[]"],
)
def test_a_damaged_model_file_is_a_clear_error(tmp_path: Path, content: str):
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelFileError, match="model") as error:
        ConfidenceModel.load(path)
    assert isinstance(error.value, DocqaError) and str(path) in str(error.value)


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ModelFileError, match="not found"):
        ConfidenceModel.load(tmp_path / "absent.json")


def test_non_finite_or_mismatched_models_are_refused():
    with pytest.raises(ModelFileError):
        _toy_model(coefficients=(1.0, math.nan))
    with pytest.raises(ModelFileError):
        _toy_model(scale=(1.0, 0.0))
    with pytest.raises(ModelFileError, match="features"):
        _toy_model().check_features(("a", "c"))
    assert _toy_model().check_features(("a", "b")).features == ("a", "b")


def test_the_shipped_model_matches_the_answerers_features():
    model = confidence.load_model()
    assert model.check_features(features.CONFIDENCE_FEATURES) is model
    assert features.CONFIDENCE_FEATURES[: len(features.FEATURES)] == features.FEATURES  # the ranker's rows are its prefix
    assert 0.0 < model.operating_point < 1.0
    assert model.training["outcome"] and model.training["operating_point_rule"]


def test_fit_logistic_finds_the_separating_direction():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] - 0.5 * x[:, 1] + 0.3 * rng.normal(size=400) > 0).astype(float)
    weights, intercept = confidence.fit_logistic(x, y, l2=1.0)
    assert weights[0] > 0 > weights[1] and abs(intercept) < 1.0
    a, b = confidence.fit_platt(x @ weights + intercept, y)
    assert a > 0


# --- in the answerer ---------------------------------------------------------------------------


def test_answer_confidence_is_a_probability(tiny_index, fake_embedder):
    from docqa.index.assistant import Assistant

    assistant = Assistant(tiny_index, embedder=fake_embedder)
    for question in ("When was the Voyager 1 probe launched?", "Who wrote Hamlet?"):
        answer = assistant.ask(question)
        assert 0.0 <= answer.confidence <= 1.0
        assert answer.answered == (answer.confidence >= assistant.answerer.threshold)


def test_min_score_overrides_the_operating_point(tiny_index, fake_embedder):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    always = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0)).answerer
    answer = always.ask("When was the Voyager 1 probe launched?")
    assert answer.answered and "1977" in answer.answer and answer.short_answer is not None
    assessed = always.assess("When was the Voyager 1 probe launched?")
    assert len(assessed.features) == len(features.CONFIDENCE_FEATURES) and assessed.confidence == pytest.approx(answer.confidence, abs=1e-4)


def test_an_answerer_with_a_damaged_model_file_says_so(tiny_index, fake_embedder, tmp_path: Path):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"format": "docqa-confidence/1", "features": ', encoding="utf-8")
    with pytest.raises(ModelFileError, match="damaged.json"):
        Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(confidence_model=damaged))
    with pytest.raises(ModelFileError, match="not found"):
        Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(confidence_model=tmp_path / "none.json"))


def test_a_non_finite_feature_gives_probability_zero_not_nan(tiny_index, fake_embedder, monkeypatch):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    always = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.5)).answerer
    monkeypatch.setattr(features, "answer_features", lambda evidence, **_: (math.nan,) * len(features.FEATURES))
    answer = always.ask("When was the Voyager 1 probe launched?")
    assert answer.confidence == 0.0 and not answer.answered


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("What does Newton's Second Law state?", "Newton's First Law states that objects keep their motion.", True),
        ("Which is the largest city?", "Warsaw is the smallest city of the region.", True),
        ("When was the first reference to immunity?", "The earliest reference to immunity dates from 430 BC.", False),  # the same place
        ("Who was the last king?", "The final king was Stanislaus.", False),
        ("Which is the largest city?", "Warsaw is the first city of the region.", False),  # another scale
        ("Which is the largest city?", "Warsaw is a big city.", False),  # no place on the scale written
        ("What does the second law state?", "The first law and the second law state it.", False),  # the question's place too
    ],
)
def test_a_place_on_a_scale_the_sentence_writes_another_of(question, sentence, swapped):
    assert number_swaps.rank_swapped(question, sentence) is swapped



@pytest.mark.parametrize(
    "question, sentence, denied",
    [
        ("What begins with a conventional formula?", "Acts of the assembly do not begin with a conventional formula.", True),
        ("What was seen as a universal force?", "Gravity was not seen as a universal force until much later.", True),
        ("Which states are dominated by larger states?", "Smaller states aren't dominated by larger states.", True),
        ("What do tumours express that are found on normal cells?", "Tumours express antigens no longer found on normal cells.", True),
        # a contrast before the denial says who does: "Unlike X, Y never…" answers "Which … did?"
        ("Which khanates converted to Islam?", "Unlike the western khanates, the Yuan dynasty never converted to Islam.", False),
        ("Did the assembly begin with a conventional formula?", "The assembly did not begin with a conventional formula.", False),
        ("Which acts do not begin with a formula?", "Acts of the assembly do not begin with a formula.", False),  # asked as denied
        ("How do T cells respond to antigens?", "T cells respond to foreign antigens quickly.", False),  # "T" is no "-n't"
        ("What was seen as a force?", "Gravity was not seen by everyone as a force.", False),  # one word only after "not"
        ("What is fully understood about these cells?", "The conditions of these cells are not fully understood.", True),
        ("What algorithm is always practical?", "A polynomial time algorithm is not always practical.", True),
        # "no longer widely used" says when they were: it answers "When…?"
        ("In what decade were injectors widely used?", "Injectors became popular in the 1850s but are no longer widely used.", False),
        ("Which injectors are widely used?", "Injectors became popular in the 1850s but are no longer widely used.", True),
        ("Why are normal cells attacked by NK cells?", "Normal cells are not recognised and attacked by NK cells.", True),
        ("What does the cell extend to the hormone?", "Not only does the cell extend a receptor to the hormone, it…", False),
        # "not … until" says when it happened: it answers "When…?"
        ("When was gravity identified as a force?", "Gravity was not identified as a force until the work of Newton.", False),
        # "whether or not", "if not" deny nothing
        ("What happens when the council approves the plan?", "Whether or not the council approves the plan, the road is built.", False),
        ("What does the board decide if the council approves the plan?", "If not, the council approves the plan next year.", False),
        # the denial ends with its clause, and "and the …" opens another clause
        ("When was the new church built?", "The chapel was not rebuilt, and the new church was built in 1990.", False),
        ("When was the new church built?", "The chapel was not rebuilt and the new church was built in 1990.", False),
        # the question asks what fails to: the sentence answers it
        ("Which acts fail to begin with a conventional formula?", "Acts of the assembly do not begin with a conventional formula.", False),
        # "not … in 1930 but in 1932" corrects when, not whether: it opened to traffic
        ("When did the bridge open to traffic?", "The bridge did not open to traffic in 1930 as planned, but in 1932.", False),
        ("What begins with a conventional formula?", "Acts do not begin with a conventional formula but with a preamble.", True),
        # the sentence also says who does, in a clause that leaves the rest out, or when ("unless")
        ("Who can receive funding?", "Companies cannot receive funding directly, but universities can.", False),
        ("Which documents are publicly available?", "Evaluation reports are not publicly available; the call texts are.", False),
        ("Which countries signed the treaty?", "Norway did not sign the treaty, whereas Sweden did.", False),
        ("Who needs to submit a budget?", "Applicants do not need to submit a budget unless they request more than 1 million.", False),
        ("Which documents are publicly available?", "Evaluation reports are not publicly available, and neither are reviews.", True),
        # "cannot … before their second year" says when they can
        ("When can students apply for a grant?", "Students cannot apply for a grant before their second year.", False),
    ],
)
def test_a_sentence_denying_what_the_question_takes_as_given(question, sentence, denied):
    assert denials.negated_in_sentence(question, sentence) is denied


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("The referendum succeeded in what year?", "The 1979 referendum on an assembly failed."),
        ("Who ordered the general to defend the fort?", "The minister ordered the general to attack the fort."),
        ("The speaker can increase speaking time if what?", "The speaker can reduce speaking time if many members wish to speak."),
        ("Very little of the work is done where?", "Much of the work of the assembly is done in committee."),
    ],
)
def test_more_generic_opposites(question, sentence):
    assert contradiction.opposite_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("When will the next call close?", "The next call is planned to open in autumn 2025.", True),
        ("When does the portal open?", "The portal closes on 15 May at 14:00.", True),
        ("When does registration close?", "Registration opens on 1 September and closes on 6 October.", False),
        ("How close is the venue to the station?", "The venue opened in 2019.", False),  # "close" is near
        ("When did the museum open?", "The museum has been open to the public since 1890.", False),
        ("When did the war end?", "Fighting came close to the capital in 1940.", False),  # no opening either
        # a deadline, a closing date, what is due by a date: the call's end
        ("When does the call close?", "The call opens on 1 March 2025 and the submission deadline is 15 April 2025.", False),
        ("When does the call close?", "The call opens on 1 March; proposals are due by 15 April.", False),
        ("When does the call close?", "The call opens on 1 March, with a closing date of 15 April.", False),
        ("When does the call open?", "The deadline for proposals is 15 April.", True),
        ("When does the call close?", "The call opens on 1 March due to the holidays.", True),  # "due to" dates nothing
        ("When does the call close?", "The call opens on 1 March; results follow in due course.", True),
    ],
)
def test_a_call_or_a_portal_opens_and_closes(question, sentence, swapped):
    assert contradiction.opposite_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("What is multiplying three numbers called?", "It is the problem of multiplying two numbers.", True),
        ("What was the Seven-Day War?", "The Six-Day War was a pivotal event.", True),
        ("Who can alter income tax by up to 33 pence?", "The Parliament can alter income tax by up to 3 pence.", True),
        ("What may be varied by up to two months?", "The date may be varied by up to one month either way.", True),  # one word
        ("What are the 8 research activities?", "It lists 22 research and 8 supporting activities.", False),  # 8 written too
        ("What is multiplying two numbers called?", "It is the problem of multiplying two numbers.", False),
        ("What are the three pillars?", "The plan rests on pillars of two kinds.", False),  # no number before "pillars"
        ("Which hall was vacated three times?", "The hall was vacated twice to allow the meeting.", True),  # twice: two times
        ("Which hall was vacated two times?", "The hall was vacated twice to allow the meeting.", False),
    ],
)
def test_a_number_the_sentence_writes_another_of_before_the_same_word(question, sentence, swapped):
    assert number_swaps.number_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence, unstated",
    [
        ("In what year was Henry of Navarre born?", "The war was quelled in 1598, when Henry of Navarre became king.", True),
        ("When did Mongke Khan die?", "Mongke Khan succeeded Guyuk as Great Khan in 1251.", True),
        ("When was Henry of Navarre born?", "Henry of Navarre was born in 1553 at Pau.", False),
        ("When was Jacques Lefevre born?", "Predecessors included Jacques Lefevre (c. 1455–1536).", False),  # a life span
        ("When did Lefevre die?", "Predecessors included Jacques Lefevre (c. 1455–1536).", False),
        ("When did Al-Banna die?", "Its founder Al-Banna was assassinated in 1949.", False),
        ("When did the Black Death reach England?", "The plague reached England in 1348.", False),  # a name's word
        # a life span with its days and months, the death in other words, and "death" / "birth" qualifying a noun
        ("When was Tesla born?", "Nikola Tesla (10 July 1856 – 7 January 1943) was a Serbian-American inventor.", False),
        ("When did Chopin die?", "Frederic Chopin (1 March 1810 – 17 October 1849) was a Polish composer.", False),
        ("When was Lefevre born?", "Jacques Lefevre (ca. 1455–1536) was a French theologian.", False),
        ("When did Lefevre die?", "Lefevre passed away in Nerac in 1536.", False),
        ("When did the king die?", "The king drowned in the wreck of the White Ship in 1120.", False),
        ("When did the dinosaurs die out?", "The dinosaurs became extinct 66 million years ago.", False),
        ("When was the death penalty abolished?", "Capital punishment was abolished in 1965.", False),
        ("When did the birth rate begin to fall?", "Fertility began to fall in the 1970s.", False),
        ("When did Chopin die?", "Chopin left Warsaw in 1830 and settled in Paris.", True),
        ("When did Al-Banna die?", "Al-Banna lived a long life and founded the society in 1928.", True),
    ],
)
def test_a_birth_or_death_the_sentence_does_not_state(question, sentence, unstated):
    assert premise.unstated_life_event(question, sentence) is unstated


@pytest.mark.parametrize(
    "text, asked, swapped",
    [
        (  # antonyms.prefix_negated
            "Prior to 1990 Saudi Arabia played an important role in restraining the many groups that received its aid.",
            "Prior to 1990, Saudi Arabia played an important role in restraining what groups?",
            "Prior to 1990, Saudi Arabia played an unimportant role in restraining what groups?",
        ),
        (  # antonyms.prefix_negated_form
            "In 1271, Kublai Khan imposed the name Great Yuan, establishing the Yuan dynasty.",
            "When did Kublai Khan establish the Yuan dynasty?",
            "When did Kublai Khan disestablish the Yuan dynasty?",
        ),
        (  # antonyms.opposite_near
            "Kublai expanded the Grand Canal from southern China to Daidu in the north.",
            "Where did Kublai expand the Grand Canal to?",
            "Where did Kublai shorten the Grand Canal to?",
        ),
        (  # number_swaps.number_swapped
            "All of the forces in the universe are based on four fundamental interactions.",
            "All the forces in the universe are based on four fundamental what?",
            "All the forces in the universe are based on three fundamental what?",
        ),
        (  # contradiction.opposite_swapped
            "Complexity theory is interested in how algorithms scale with an increase in the input size.",
            "What is interested in how algorithms scale with an increase in the input size?",
            "What is interested in how algorithms scale with a decrease in the input size?",
        ),
        (  # closed_sets.other_of_a_kind
            "Plenary meetings in the debating chamber usually take place on Wednesday afternoons from 2 pm to 6 pm.",
            "Plenary meetings in the debating chamber usually take place on Wednesday afternoons from 2 pm to what?",
            "Plenary meetings in the debating chamber usually take place on Tuesday afternoons from 2 pm to what?",
        ),
        (  # contradiction.role_qualified
            "The Steering Board meets twice a year and its chair is Professor Ana Ribeiro of Portugal.",
            "Who is the chair of the Steering Board that meets twice a year?",
            "Who is the vice-chair of the Steering Board that meets twice a year?",
        ),
        (  # contradiction.least_asked
            "Innate cells are also important mediators in the activation of the adaptive immune system.",
            "What are important mediators in the activation of the adaptive immune system?",
            "What are the least important mediators in the activation of the adaptive immune system?",
        ),
        (  # denials.negated_in_sentence
            "Acts of the Scottish Parliament do not begin with a conventional enacting formula.",
            "Do acts of the Scottish Parliament begin with a conventional enacting formula?",
            "The acts of what parliament begin with a conventional enacting formula?",
        ),
        (  # other_names.name_word_swapped
            "In 1918 Pilsudski set up what became the Second Polish Republic.",
            "Who set up what became the Second Polish Republic?",
            "Who set up what became the Second Warsaw Republic?",
        ),
        (  # premise.unstated_life_event
            "The war was quelled in 1598, when Henry of Navarre became the king of France.",
            "When did Henry of Navarre become the king of France?",
            "When was Henry of Navarre born?",
        ),
        (  # other_names.modifier_swapped
            "The mace is made from silver and inlaid with gold panned from Scottish rivers.",
            "What is inlaid with gold panned from Scottish rivers?",
            "What is inlaid with gold panned from French rivers?",
        ),
        (  # asked_value.unwritten
            "A fort, named Fort Coligny, was built to protect the settlers from attack by Portuguese troops.",
            "Why was Fort Coligny built?",
            "In what year was Fort Coligny built?",
        ),
        (  # other_names.acronym_swapped
            "Ministerial functions on reserved matters usually lie with UK Government ministers in Westminster.",
            "What functions usually lie with UK Government ministers?",
            "What functions usually lie with US Government ministers?",
        ),
        (  # roles.roles_swapped
            "In 1759 James Wolfe defeated Montcalm at Quebec, in a battle that claimed the lives of both commanders.",
            "Who defeated Montcalm at Quebec?",
            "Who was defeated by Montcalm at Quebec?",
        ),
        (  # relatives.kin_swapped
            "Mongke Khan succeeded Guyuk as Great Khan in 1251 and granted his brother Kublai control over northern China.",
            "Who was granted control over northern China by his brother?",
            "Who was granted control over northern China by his uncle?",
        ),
        (  # relatives.title_swapped
            "These events led Prime Minister Wilson to commit his government to a devolved legislature in 1974.",
            "Prime Minister Wilson committed his government to what in 1974?",
            "President Wilson committed his government to what in 1974?",
        ),
        (  # time_units.unit_swapped
            "Type IV hypersensitivity usually takes between two and three days to develop.",
            "What type of hypersensitivity takes between two and three days to develop?",
            "What type of hypersensitivity takes between two and three weeks to develop?",
        ),
        (  # other_names.modifier_swapped, its qualifier hyphenated
            "Compact trucks were introduced, such as the Toyota Hilux and the Isuzu-built Chevrolet LUV.",
            "What is a type of Isuzu built compact truck?",
            "What is a type of Dodge built compact truck?",
        ),
        (  # centuries.century_swapped
            "The Warsaw Citadel, an impressive 19th-century fortification, was built after the defeat of the November Uprising.",
            "What fortification was built in the 19th century after the defeat of the November Uprising?",
            "What fortification was built in the 18th century after the defeat of the November Uprising?",
        ),
        (  # part_whole.part_for_whole
            "The bill is then submitted to the whole Parliament for a full debate in the chamber on its general principles.",
            "What is submitted to the whole Parliament for a full debate?",
            "What is submitted to only part of Parliament for a full debate?",
        ),
        (  # prefix_pairs.prefix_pair_swapped
            "Crow-stepped gables and the upturned boat skylights of the Garden Lobby complete the unique architecture.",
            "The upturned boat skylights are located in what lobby?",
            "The down turned boat skylights are located in what lobby?",
        ),
        (  # closed_sets.other_of_a_kind, a metal
            "The Yuan government used woodblocks to print paper money, but switched to bronze plates in 1275.",
            "When did the Yuan begin using bronze plates for its money?",
            "When did the Yuan begin using gold plates for its money?",
        ),
        (  # adverse.adverse_unsaid
            "Kublai readied the move of the Mongol capital from Karakorum in Mongolia to Khanbaliq in 1264.",
            "Where did Kublai move the Mongol capital to?",
            "Where did Kublai refuse to move the Mongol capital to?",
        ),
        (  # roles.other_doer
            "In 1698 Thomas Savery patented a steam pump that used steam in direct contact with the water.",
            "In what year did Thomas Savery patent his steam pump?",
            "In what year did Newcomen patent his steam pump?",
        ),
    ],
)
def test_a_question_the_sentence_contradicts_is_declined(tmp_path, fake_embedder, text, asked, swapped):
    from docqa.index.assistant import Assistant
    from tests.conftest import every_check_run, index_of

    answerer = Assistant(index_of(tmp_path, fake_embedder, {"text.txt": text}), embedder=fake_embedder, answer_settings=every_check_run()).answerer
    assert answerer.assess(asked).confidence > 0.0
    assert answerer.assess(swapped).confidence == 0.0


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("Is ANR a public or private agency?", "ANR is a public agency that funds research."),  # the question offers both
        ("What was the ratio of men to women at Harvard?", "About four men attended Harvard for every woman."),
        ("How many people died in the fire?", "A few hundred people died in the fire."),  # "how many" asserts no "many"
        ("How long did the war last?", "The war was short, lasting only six days."),
        ("How old was the king when he was crowned?", "The new king was crowned at the age of 12."),
        ("When did the museum open?", "Opened in 1890, the museum was closed in 2019 for renovation."),  # "open" written
        ("What day is the festival?", "The festival takes place on the night of 21 June."),  # "what day" asks a date
        ("What is the modern name of the city?", "The medieval city of Lutetia is now called Paris."),  # "now" says it
        ("At what time of day did they gather?", "They habitually gathered at night."),  # "time of day" asks a time
        ("What did the West use to justify control over eastern lands?", "Orientalism justified Western imperialism."),
        # "succeed someone" is to follow them, no opposite of failing
        ("Who succeeded Edward as king?", "Harold became king after Edward died, when the claims of William failed."),
        ("Who was succeeded by Harold?", "Harold followed Edward, whose plans had failed."),
        # "much" before a comparative and "a little" say a degree, no quantity opposed to "little" / "much"
        ("Which city is much larger than Leeds?", "Manchester is larger than Leeds, though it has little green space."),
        ("Which country is a little larger than Wales?", "Belgium is slightly larger than Wales and much smaller than France."),
        ("Which park has little shade?", "The new park has little shade and is much larger than the old one."),
    ],
)
def test_an_opposite_the_question_offers_measures_or_writes_is_no_swap(question, sentence):
    assert not contradiction.opposite_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence, least",
    [
        ("What are the least important mediators?", "Innate cells are also important mediators.", True),
        ("Who did the attacks resonate least with?", "These attacks resonated with conservative Muslims.", False),  # "resonated"
        ("What people are least vulnerable to infection?", "Newborn infants are particularly vulnerable to infection.", True),
        ("What is the least important class?", "P is a less important class than NP.", False),  # "less" grades it
        ("Which city has at least two airports?", "Paris has two airports.", False),  # "at least" bounds a count
        ("Which factor, not least cost, matters?", "Cost matters to everyone.", False),
        # the least said by a superlative or a minimum; "least" before a number bounds it ("at least 18")
        ("Which country received the least funding?", "Malta received funding of 2 million euros, the smallest share.", False),
        ("What is the least amount of funding one can apply for?", "The minimum amount of funding is NOK 1 million.", False),
        ("Which state has the least population?", "Wyoming has the smallest population of any state.", False),
        ("How old must applicants be at the least 18 years?", "Applicants must be 18 years old.", False),
        ("What must applicants be, least 18 years old?", "Applicants must be 18 years old.", False),
    ],
)
def test_the_least_of_what_the_sentence_says_plainly(question, sentence, least):
    assert contradiction.least_asked(question, sentence) is least


def test_an_opposite_is_still_a_swap_where_the_question_asserts_its_word():
    assert contradiction.opposite_swapped("Is ANR a private agency?", "ANR is a public agency.")
    assert contradiction.opposite_swapped("What has sizes depending on how weak the push is?", "Forces have sizes dependent upon how strong the push is.")
    assert contradiction.opposite_swapped("How long did the last war take?", "The first war took six days.")
    assert contradiction.opposite_swapped("Who is the current director?", "John Doe, the former director, retired in 2019.")
    assert contradiction.opposite_swapped("What do pathogens secrete to enhance the response?", "Pathogens secrete compounds that diminish the response.")
    assert contradiction.opposite_swapped("What do toxins that fail to enter a cell meet?", "Toxins that successfully enter a cell meet enzymes.")
    assert contradiction.opposite_swapped("What did a decline in nationalism fuel?", "A sharp rise in nationalism fuelled demands for home rule.")



@pytest.mark.parametrize(
    "question, sentence, swapped",
    [
        ("When did the 2 companies merge?", "The two companies merged in 2001.", False),  # digits for words
        ("What are the 22 research activities?", "The plan lists twenty-two research and eight supporting activities.", False),
        ("How did the 30,000 soldiers die?", "The 30 000 soldiers died of cold.", False),
        ("What did the 200 people do?", "In 2016, 200 people left the city.", False),  # 2016 and 200 are two numbers
        ("When did the 3 companies merge?", "The two companies merged in 2001.", True),
    ],
)
def test_a_number_is_the_same_however_written(question, sentence, swapped):
    assert number_swaps.number_swapped(question, sentence) is swapped


@pytest.mark.parametrize(
    "question, sentence, other",
    [
        ("When are plenary meetings on Tuesday afternoons?", "Plenary meetings are on Wednesday afternoons.", True),
        ("How many firms were listed in April 2009?", "In August 2009, 374 firms were listed.", True),
        ("Why were Eastern Chinese ranked lower?", "Southern Chinese were ranked lower.", True),
        ("What may happen in June?", "It happened in June and July.", False),  # the question's month written too
        ("What may happen?", "It happened in July.", False),  # "may", a verb, names no month
        ("Which regions in the North are dry?", "The north and west are dry.", False),
        ("What did The Sunday Times report?", "On Monday the paper reported a strike.", False),  # a name's weekday
        ("At 5 am, what do MSPs decide on?", "Each sitting day, normally at 5 pm, MSPs decide on all the motions.", True),
        ("What opens at 9.30 a.m.?", "The doors open at 7:30PM.", True),
        ("What happens at 10 AM?", "Doors open at 9.30 a.m. and talks start at 10.", False),  # the same half of the day
        ("Am I allowed to arrive at 5 pm?", "Doors open at 9 am and close at 5 pm.", False),  # "Am" asks no time
        ("Am I allowed to arrive late?", "Doors close at 5 pm.", False),
        # seasons, times of day, colours, metals, continents
        ("When did the Yuan begin using gold printing plates?", "The Yuan switched to bronze plates in 1275.", True),
        ("When does the spring call open?", "The autumn call opens in October.", True),
        ("What do the owls hunt in the morning?", "The owls hunt mice at night.", True),
        ("Which cells carry oxygen in white blood?", "Haemoglobin in red blood cells carries oxygen.", True),
        ("Which researchers in Asia can apply?", "Researchers based in Africa or Europe can apply.", True),
        ("When did the Black Death reach England?", "The Red Death reached England in 1348.", False),  # a name's colour
        ("Who founded the Green Party?", "The party was founded by red activists.", False),
        ("What is made of gold and silver?", "The mace is made of silver.", False),  # one of the question's written
        ("When did the leaves fall?", "The leaves turned brown in autumn.", False),  # "fall" is no season here
    ],
)
def test_another_day_month_direction_or_half_day_than_the_question_names(question, sentence, other):
    assert closed_sets.other_of_a_kind(question, sentence) is other


@pytest.mark.parametrize(
    "question, sentence, qualified",
    [
        ("Who is the vice-chair of the Steering Board?", "Its current chair is Professor Ana Ribeiro.", True),
        ("Who is the deputy director general?", "The director general, Dr Tomas Berg, leads the foundation.", True),
        ("When was Iqbal elected vice president?", "Iqbal was elected president of the League in 1930.", True),
        ("Who is the vice-chair?", "The vice-chair is Ann Lee and the chair is Bob Roe.", False),  # written as asked
        ("Who is the acting president?", "Smith is acting president.", False),
        ("Who is the deputy director?", "The budget is set each year.", False),  # no role written at all
    ],
)
def test_a_qualified_role_the_sentence_writes_only_unqualified(question, sentence, qualified):
    assert contradiction.role_qualified(question, sentence) is qualified



@pytest.mark.parametrize(
    "text, question",
    [
        ("Nikola Tesla (10 July 1856 – 7 January 1943) was a Serbian-American inventor.", "When was Nikola Tesla born?"),
        ("The minimum amount of funding one can apply for is NOK 1 million.", "What is the least amount of funding one can apply for?"),
        ("Horizon Europe funding is open to researchers from any country in the world.", "Who can apply for EU funding?"),
        ("Companies cannot receive funding directly, but universities can.", "Who can receive funding?"),
        ("The Soviets launched Sputnik, the first artificial satellite, in 1957.", "When did the Soviet Union launch Sputnik?"),
        # review14: the opposite negated, a range of hours, the other party of one act, "defeat" as a verb, a share
        # or a decade in words
        ("Applicants who are not successful receive feedback from the panel.", "What happens to unsuccessful applicants?"),
        ("The office is open from 9 am to 5 pm, Monday to Friday.", "When does the office close?"),
        ("The agency sends each applicant an acknowledgement by e-mail.", "What do applicants receive?"),
        ("The bank lent the money to the city of Porto.", "Who borrowed the money?"),
        ("The army won a decisive victory over the rebels at Leeds.", "Who did the army defeat?"),
        ("The grant covers all eligible costs of the project.", "What percentage of costs is covered?"),
        ("Funding for research grew most in the nineties.", "What decade saw the largest growth in funding?"),
        ("The British programme is funded by UKRI, the national research agency.", "Who funds the UK programme?"),
        ("Queen Victoria married her cousin Albert in 1840.", "Who was Queen Victoria's husband?"),
        ("Half of the applicants to the young researcher call were funded.", "How many of the applicants to the young researcher call were funded?"),
        ("Prices increase when demand grows and fall when supply expands.", "What causes prices to rise?"),
    ],
)
def test_a_sentence_that_answers_in_other_words_is_not_declined(tmp_path, fake_embedder, text, question):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    answerer = Assistant(index_of(tmp_path, fake_embedder, {"text.txt": text}), embedder=fake_embedder).answerer
    assert answerer.assess(question).confidence > 0.0


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What happens to unsuccessful applicants?", "Applicants who are not successful receive feedback."),
        ("How can I disagree with the decision?", "Applicants who do not agree with the decision may appeal."),
        ("What happens to rejected proposals?", "Proposals that are not accepted receive feedback from the panel."),
        ("When does the office close?", "The office is open from 9 am to 5 pm."),
        ("What time does the office close in the afternoon?", "The office is open from 9:00 to 17:00."),
        ("Who bought the shares?", "The company sold its shares to an investor in 2010."),
        ("Who gives the final approval?", "The board takes the final decision on funding."),
        ("Who did the army defeat?", "The army won a decisive victory over the rebels."),
    ],
)
def test_no_opposite_where_the_sentence_negates_it_or_names_the_other_party(question, sentence):
    # review14: a negated opposite says what is asked; a range of hours states the close; the converse of one act
    # with another doer names the party asked; "did the army defeat" is a verb
    assert not contradiction.opposite_swapped(question, sentence)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("What happens to unsuccessful applicants?", "Successful applicants receive feedback."),
        ("When does the office close?", "The office opens at 9 am."),
        ("What was the defeat of the army?", "The army won a victory."),
        ("What do the Yuan take from the Song?", "The Yuan give land to the Song."),
    ],
)
def test_an_opposite_still_declined_beside_those_guards(question, sentence):
    assert contradiction.opposite_swapped(question, sentence)


def test_the_documented_operating_point_is_the_shipped_models():
    """README's settings table (from docqa/config.py) says what DOCQA_MIN_CONFIDENCE defaults to: the fitted point."""
    from docqa.config import Settings

    shown = Settings.model_fields["min_confidence"].json_schema_extra
    assert f"({confidence.load_model().operating_point:.2f})" in str(shown)


def test_fit_logistic_holds_fixed_coefficients_and_fits_the_others():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(500, 3))
    y = (x[:, 0] - x[:, 1] + 0.5 * x[:, 2] + 0.3 * rng.normal(size=500) > 0).astype(float)
    free, free_intercept = confidence.fit_logistic(x, y, l2=1.0)
    held, held_intercept = confidence.fit_logistic(x, y, l2=1.0, fixed={2: float(free[2])})
    assert held[2] == free[2]
    assert np.allclose(held, free, atol=1e-6) and abs(held_intercept - free_intercept) < 1e-6  # the same optimum
    zero, _ = confidence.fit_logistic(x, y, l2=1.0, fixed={2: 0.0})
    assert zero[2] == 0.0 and zero[0] > 0 > zero[1] and not np.allclose(zero[:2], free[:2])
