"""ingest/squad.py: SQuAD 2.0 JSON → documents and questions with their gold spans; the article split; the cached index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docqa.errors import InvalidInput
from docqa.ingest import squad

RIVERS = " The Danube flows through ten countries. It is the second-longest river in Europe."
RHINE = "The Rhine rises in the Swiss Alps and reaches the North Sea."
SPACE = "Voyager 1 was launched in 1977. It left the heliosphere in 2012."

TINY = {
    "version": "v2.0",
    "data": [
        {
            "title": "European_rivers",
            "paragraphs": [
                {
                    "context": RIVERS,  # a leading space: offsets in the file count it
                    "qas": [
                        {
                            "id": "q1",
                            "question": "How many countries does the Danube flow through?",
                            "answers": [{"text": "ten", "answer_start": 26}, {"text": "ten countries", "answer_start": 26}, {"text": "ten", "answer_start": 26}],
                            "is_impossible": False,
                        },
                        {
                            "id": "q2",
                            "question": "How many countries does the Volga flow through?",
                            "answers": [],
                            "plausible_answers": [{"text": "ten", "answer_start": 26}],
                            "is_impossible": True,
                        },
                    ],
                },
                {
                    "context": RHINE,
                    "qas": [{"id": "q3", "question": "Where does the Rhine rise?", "answers": [{"text": "the Swiss Alps", "answer_start": 19}], "is_impossible": False}],
                },
            ],
        },
        {
            "title": "Voyager",
            "paragraphs": [
                {
                    "context": SPACE,
                    "qas": [
                        {"id": "q4", "question": "When was Voyager 1 launched?", "answers": [{"text": "1977", "answer_start": 26}], "is_impossible": False},
                        {"id": "q5", "question": "When was Voyager 3 launched?", "answers": [], "is_impossible": True},
                    ],
                }
            ],
        },
        {"title": "Mars", "paragraphs": [{"context": "Mars is red.", "qas": [{"id": "q6", "question": "What colour is Mars?", "answers": [{"text": "red", "answer_start": 8}]}]}]},
    ],
}


def write(tmp_path: Path, data: object, name: str = "tiny-v2.0.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def tiny_squad(tmp_path: Path) -> Path:
    return write(tmp_path, TINY)


def test_articles_become_documents_with_paragraphs_in_order(tiny_squad):
    data = squad.read_squad(tiny_squad)
    assert data.version == "v2.0" and data.titles == ("European_rivers", "Voyager", "Mars")
    rivers = data.documents[0]
    assert rivers.doc_id == "European_rivers" and rivers.title == "European rivers"
    assert rivers.text == RIVERS.strip() + "\n\n" + RHINE


def test_questions_keep_every_gold_answer_with_both_offsets(tiny_squad):
    data = squad.read_squad(tiny_squad)
    by_id = {q.qid: q for q in data.questions}
    assert [q.qid for q in data.questions] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    q1 = by_id["q1"]
    assert q1.title == "European_rivers" and q1.paragraph == 0 and q1.answerable
    assert len(q1.answers) == 3 and q1.gold_texts == ("ten", "ten countries")
    assert q1.answers[0].start == 26 and q1.answers[0].doc_start == 25  # the stripped leading space
    text = data.documents[0].text
    for q in (by_id["q1"], by_id["q3"]):
        for gold in q.answers:
            assert text[gold.doc_start : gold.doc_start + len(gold.text)] == gold.text
    assert by_id["q3"].answers[0].doc_start == len(RIVERS.strip()) + 2 + 19
    assert by_id["q2"].is_impossible and by_id["q2"].answers == () and by_id["q2"].plausible_answers[0].text == "ten"
    assert by_id["q6"].answerable  # no is_impossible (SQuAD 1.1): answerable


def test_a_misaligned_offset_is_kept_but_not_placed(tmp_path):
    data = json.loads(json.dumps(TINY))
    data["data"][1]["paragraphs"][0]["qas"][0]["answers"][0]["answer_start"] = 3
    gold = squad.read_squad(write(tmp_path, data)).questions[3].answers[0]
    assert gold.text == "1977" and gold.start == 3 and gold.doc_start is None


@pytest.mark.parametrize(
    "broken, message",
    [
        ({"data": "x"}, "data"),
        ({"data": [{"title": "A", "paragraphs": [{"qas": []}]}]}, "context"),
        ({"data": [{"title": "A", "paragraphs": [{"context": "x", "qas": [{"id": "1", "question": " "}]}]}]}, "question"),
        ({"data": [{"title": "A", "paragraphs": [{"context": "x", "qas": [{"id": "1", "question": "q?", "answers": []}]}]}]}, "at least one answer"),
        ({"data": [{"title": "A", "paragraphs": [{"context": "x", "qas": [{"id": "1", "question": "q?", "answers": [{"text": "x"}]}]}]}]}, "answer_start"),
    ],
)
def test_malformed_files_are_refused_with_the_place(tmp_path, broken, message):
    with pytest.raises(InvalidInput, match=message):
        squad.read_squad(write(tmp_path, broken))


def test_not_json_and_detection(tmp_path, tiny_squad):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        squad.read_squad(bad)
    assert squad.is_squad_file(tiny_squad)
    assert not squad.is_squad_file(bad) and not squad.is_squad_file(tmp_path)
    assert not squad.is_squad_file(write(tmp_path, {"data": []}, "empty.json"))


def test_split_is_by_article_deterministic_and_disjoint():
    titles = [f"article-{i}" for i in range(16)]
    fit, check = squad.split_articles(titles, seed=3)
    assert len(fit) == len(check) == 8 and not set(fit) & set(check) and set(fit) | set(check) == set(titles)
    assert squad.split_articles(list(reversed(titles)), seed=3) == (fit, check)  # input order does not matter
    assert squad.split_articles(titles, seed=4) != (fit, check)
    fit, check = squad.split_articles(titles, check_share=0.25, seed=3)
    assert len(check) == 4
    assert squad.split_articles(["only"], seed=0) == ((), ("only",))
    with pytest.raises(InvalidInput):
        squad.split_articles(titles, check_share=1.0)


def test_parts_hold_their_articles_questions(tiny_squad):
    data = squad.read_squad(tiny_squad)
    fit = squad.select_part(data, "fit", seed=1)
    check = squad.select_part(data, "check", seed=1)
    assert set(fit.titles).isdisjoint(check.titles) and len(fit.titles) + len(check.titles) == 3
    assert {q.title for q in check.questions} == set(check.titles)
    assert len(fit.questions) + len(check.questions) == len(data.questions)
    assert squad.select_part(data, "all") is data
    with pytest.raises(InvalidInput):
        squad.select_part(data, "train")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="no article"):
        data.restricted(["Jupiter"])


def test_sampling_is_seeded_balanced_and_keeps_file_order(tiny_squad):
    questions = squad.read_squad(tiny_squad).questions
    sample = squad.sample_questions(questions, limit=4, seed=7)
    assert sample == squad.sample_questions(questions, limit=4, seed=7)
    assert sum(q.answerable for q in sample) == 2  # 2 of each: only 2 unanswerable exist
    assert [questions.index(q) for q in sample] == sorted(questions.index(q) for q in sample)
    assert squad.sample_questions(questions, limit=None) == list(questions)
    assert squad.sample_questions(questions, limit=100) == list(questions)
    assert len(squad.sample_questions(questions, limit=5, seed=1)) == 5  # answerable ones fill the shortfall
    assert len(squad.sample_questions(questions, limit=3, seed=1, balanced=False)) == 3


def test_index_is_built_once_per_content_and_cached(tiny_squad, tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant

    data = squad.read_squad(tiny_squad)
    cache = tmp_path / "cache"
    root = squad.prepare_index(data, embedder=fake_embedder, cache=cache)
    assert root.parent == cache / "squad" and root.name.startswith("tiny-v2.0-")
    assert squad.prepare_index(data, embedder=fake_embedder, cache=cache) == root
    assert len(list((cache / "squad").iterdir())) == 1
    part = squad.select_part(data, "check", seed=1)
    assert squad.prepare_index(part, embedder=fake_embedder, cache=cache, name="tiny-check") != root
    assistant = Assistant(root, embedder=fake_embedder)
    assert {d.doc_id for d in assistant.index.documents} == set(data.titles)
    answer = assistant.ask("When was Voyager 1 launched?")
    assert answer.sources and answer.sources[0].doc_id == "Voyager"


def test_cache_folder_is_under_docqas_cache(tmp_path):
    assert squad.cache_folder(tmp_path) == tmp_path / "squad"
