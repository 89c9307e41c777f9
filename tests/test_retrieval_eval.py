"""`docqa eval` end to end on tiny fixtures: a BEIR folder and a question set (fake embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docqa.index.assistant import Assistant
from docqa.index.evaluation.evaluate import QuestionItem, evaluate_beir, evaluate_questions, load_beir, load_questions, relevant_passages
from docqa.errors import InvalidInput

CORPUS = [
    {"_id": "d1", "title": "Danube", "text": "The Danube flows through ten countries and reaches the Black Sea."},
    {"_id": "d2", "title": "Rhine", "text": "The Rhine rises in the Swiss Alps and reaches the North Sea."},
    {"_id": "d3", "title": "Voyager", "text": "Voyager 1 was launched in 1977 and left the heliosphere in 2012."},
    {"_id": "d4", "title": "Apollo", "text": "Apollo 11 landed on the Moon in July 1969."},
]
QUERIES = [{"_id": "1", "text": "which river reaches the black sea"}, {"_id": "2", "text": "moon landing apollo"},
           {"_id": "3", "text": "voyager heliosphere"}, {"_id": "4", "text": "not judged"}]
QRELS = "query-id\tcorpus-id\tscore\n1\td1\t2\n2\td4\t1\n3\td3\t1\n3\td2\t0\n"


@pytest.fixture
def beir_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tinybeir"
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in CORPUS) + "\n")
    (folder / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in QUERIES) + "\n")
    (folder / "qrels" / "test.tsv").write_text(QRELS)
    return folder


def test_load_beir_keeps_judged_queries_and_positive_grades(beir_dir):
    queries, qrels = load_beir(beir_dir)
    assert len(queries) == 4 and qrels == {"1": {"d1": 2}, "2": {"d4": 1}, "3": {"d3": 1}}


def test_beir_index_is_cached_by_content(beir_dir, tmp_path, fake_embedder):
    from docqa.ingest.beir import prepare_index

    cache = tmp_path / "cache"
    root = prepare_index(beir_dir, embedder=fake_embedder, cache=cache)
    again = prepare_index(beir_dir, embedder=fake_embedder, cache=cache)
    assert root == again and len(list((root / "versions").iterdir())) == 1
    with (beir_dir / "corpus.jsonl").open("a") as handle:
        handle.write(json.dumps({"_id": "d5", "title": "", "text": "Another document."}) + "\n")
    assert prepare_index(beir_dir, embedder=fake_embedder, cache=cache) != root


def test_beir_eval_end_to_end(beir_dir, tmp_path, fake_embedder):
    from docqa.index.evaluation.report import compare, report_html, table
    from docqa.ingest.beir import prepare_index

    root = prepare_index(beir_dir, embedder=fake_embedder, cache=tmp_path / "cache")
    result = evaluate_beir(Assistant(root, embedder=fake_embedder).searcher, beir_dir)
    data = result.to_json()
    assert data["dataset"] == "tinybeir" and set(data["results"]) == {"dense", "bm25", "hybrid"}
    for metrics in data["results"].values():
        assert {"ndcg@10", "mrr@10", "recall@1", "recall@5", "recall@10", "recall@100", "latency_p50_ms"} <= set(metrics)
        assert metrics["queries"] == 3 and metrics["recall@100"] == 1.0  # 4 documents: all retrieved
    assert data["results"]["bm25"]["mrr@10"] == 1.0  # each query names its document's words
    assert "hybrid" in table(result)
    page = report_html(result)
    assert "<svg" in page and "polyline" in page and "voyager heliosphere" in page
    body = page.split("<body>", 1)[1]  # every heading and table inside one <main> landmark (axe: landmark-one-main, region)
    assert body.startswith("<main>") and body.rstrip().endswith("</main></body></html>") and body.count("<main>") == 1
    assert "0 better, 0 worse" in compare(json.loads(json.dumps(data)), result)
    older = json.loads(json.dumps(data))
    older["queries"]["bm25"][0]["scores"]["ndcg@10"] = 0.25  # pretend query 1 used to do worse
    diff = compare(older, result)
    assert "bm25: ndcg@10" in diff and "1 better, 0 worse" in diff and "1: ndcg@10 0.250 → 1.000" in diff


def test_cli_eval_beir_json_report_and_compare(beir_dir, tmp_path, fake_embedder, monkeypatch, capsys):
    import docqa.index.embedding.embedder
    from docqa.server.cli import main

    monkeypatch.setattr(docqa.index.embedding.embedder, "get_embedder", lambda *_a, **_k: fake_embedder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    report = tmp_path / "report.html"
    assert main(["eval", str(beir_dir), "--json", "--report", str(report)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["default_mode"] == "hybrid" and data["results"]["hybrid"]["recall@100"] == 1.0
    assert "<svg" in report.read_text()
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    assert main(["eval", str(beir_dir), "--mode", "bm25", "--compare", str(old)]) == 0
    out = capsys.readouterr().out
    assert "bm25" in out and "better" in out and "dense" not in out.split("* default mode")[-1]
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 2
    for shape in ({"queries": 5}, {"queries": [1]}, {"queries": {"bm25": [{"qid": "1", "scores": "x"}]}}, {"default_mode": 5, "queries": []}):
        old.write_text(json.dumps(shape))  # a JSON object, but not one docqa eval --json wrote
        assert main(["eval", str(beir_dir), "--mode", "bm25", "--compare", str(old)]) == 2
        err = capsys.readouterr().err
        assert "is not the output of docqa eval --json" in err and "Traceback" not in err


def test_cli_eval_beir_says_each_step_while_it_builds_the_cached_index(beir_dir, tmp_path, fake_embedder, monkeypatch, capsys):
    """Building a BEIR folder's index takes minutes on a real collection: stderr says each step, --json or not."""
    import docqa.index.embedding.embedder
    from docqa.server.cli import main

    monkeypatch.setattr(docqa.index.embedding.embedder, "get_embedder", lambda *_a, **_k: fake_embedder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert main(["eval", str(beir_dir), "--json", "--mode", "bm25"]) == 0
    err = capsys.readouterr().err
    assert "split 4 documents into 4 chunks" in err and "embedded 4 chunks" in err and "wrote the index version" in err, err
    assert main(["eval", str(beir_dir), "--json", "--mode", "bm25"]) == 0  # cached: nothing built, nothing said
    assert "split" not in capsys.readouterr().err


def test_cli_eval_of_a_folder_that_is_not_beir_says_so_and_nothing_else(tmp_path, capsys):
    from docqa.server.cli import main

    assert main(["eval", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a BEIR collection (no corpus.jsonl)" in err and "built on first use" not in err, err


@pytest.mark.parametrize("option", ["--report", "--compare"])
def test_cli_eval_refuses_a_bad_report_or_compare_path_before_evaluating(option, beir_dir, tmp_path, monkeypatch, capsys):
    """Was found only after the evaluation (ten minutes on Cranfield's first run), whose figures were then lost."""
    import docqa.server.eval_command
    from docqa.server.cli import main

    evaluated = []
    monkeypatch.setattr(docqa.server.eval_command, "run_eval", lambda *a, **k: evaluated.append(1))
    assert main(["eval", str(beir_dir), option, str(tmp_path / "no-such-folder" / "out.x")]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "no-such-folder") in err and "Traceback" not in err, err
    assert evaluated == []


def test_cli_eval_without_ranx_says_which_extra_before_indexing(beir_dir, tmp_path, fake_embedder, monkeypatch, capsys):
    """A plain install (no eval extra) indexed a BEIR folder first (ten minutes for Cranfield), then said ranx was missing."""
    import sys

    import docqa.index.embedding.embedder
    from docqa.server.cli import main

    monkeypatch.setattr(docqa.index.embedding.embedder, "get_embedder", lambda *_a, **_k: fake_embedder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setitem(sys.modules, "ranx", None)  # `import ranx` raises ImportError
    assert main(["eval", str(beir_dir)]) == 2
    assert "pip install 'docqa[eval]'" in capsys.readouterr().err
    assert not (tmp_path / "xdg" / "docqa" / "beir").exists()


def test_load_questions_validates(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "a?", "answer": "x"}\n\n{"turns": ["b?", "c?"], "answerable": false}\n')
    items = load_questions(path)
    assert items[0].turns == ("a?",) and items[1].question == "c?" and items[1].answerable is False
    path.write_text('{"answer": "x"}\n')
    with pytest.raises(InvalidInput):
        load_questions(path)


def test_question_set_eval_scores_answers_and_dialogues(tiny_index, fake_embedder, tmp_path):
    assistant = Assistant(tiny_index, embedder=fake_embedder)
    items = [
        QuestionItem("1", ("Where does the Rhine rise?",), "Swiss Alps", "rivers.txt"),
        QuestionItem("2", ("When was Voyager 1 launched?",), "1977", "space.md"),
        QuestionItem("3", ("Tell me about Voyager 1.", "When did it leave the heliosphere?"), "2012", "space.md"),
        QuestionItem("4", ("What is the capital of Australia?",), answerable=False),
    ]
    rhine = relevant_passages(assistant.searcher, items[0])
    assert rhine and all("Swiss Alps" in assistant.searcher.index.chunk(int(c)).text for c in rhine)
    calls = []
    original = assistant.ask

    def spy(question, *, history=(), mode=None):
        calls.append((question, [h["content"] for h in history], mode))
        return original(question, history=history, mode=mode)

    assistant.ask = spy
    result = evaluate_questions(assistant, items, modes=("bm25",))
    metrics = result.modes["bm25"].metrics
    assert metrics["retrieval_queries"] == 2  # single questions with relevance; the dialogue is scored on its answer
    assert metrics["answerable"] == 3 and metrics["unanswerable"] == 1
    assert metrics["answerable_correct"] + metrics["answerable_wrong"] + metrics["answerable_declined"] == 3
    assert metrics["unanswerable_declined"] + metrics["unanswerable_answered"] == 1
    assert metrics["mrr@10"] == 1.0
    # The dialogue is asked turn by turn, the earlier turn passed as history, in the requested mode.
    assert [c[0] for c in calls] == [items[0].question, items[1].question, *items[2].turns, items[3].question]
    assert calls[2][1] == [] and calls[3][1][0] == "Tell me about Voyager 1." and len(calls[3][1]) == 2
    assert {c[2] for c in calls} == {"bm25"}
    rows = {q.qid: q for q in result.modes["bm25"].queries}
    assert rows["1"].outcome == "correct" and rows["1"].first_relevant == 1
    # Right answers with an expected text: how many of their short answers hold it ("1977" for Voyager's launch).
    right = [r for r in rows.values() if r.outcome == "correct"]
    assert rows["2"].outcome == "correct" and metrics["short_answers_checked"] == len(right)
    assert 1 <= metrics["short_answers_holding"] <= len(right)


def test_cli_eval_question_set_indexes_the_corpus_when_there_is_no_index(tiny_corpus, tmp_path, fake_embedder, monkeypatch, capsys):
    import docqa.index.embedding.embedder
    from docqa.server.cli import main

    monkeypatch.setattr(docqa.index.embedding.embedder, "get_embedder", lambda *_a, **_k: fake_embedder)
    monkeypatch.setenv("DOCQA_CORPUS", str(tiny_corpus))
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        json.dumps({"question": "Where does the Rhine rise?", "answer": "Swiss Alps", "source": "rivers.txt"}) + "\n"
        + json.dumps({"turns": ["Tell me about Voyager 1.", "When was it launched?"], "answer": "1977"}) + "\n"
        + json.dumps({"question": "What is the capital of Australia?", "answerable": False}) + "\n"
    )
    root = tmp_path / "fresh-index"
    assert main(["eval", str(questions), "--index", str(root), "--json", "--mode", "bm25", "--mode", "hybrid"]) == 0
    captured = capsys.readouterr()
    assert "indexing" in captured.err and (root / "CURRENT").is_file()
    data = json.loads(captured.out)
    assert set(data["results"]) == {"bm25", "hybrid"}
    for metrics in data["results"].values():
        assert metrics["answerable"] == 2 and metrics["unanswerable"] == 1 and metrics["retrieval_queries"] == 1
        assert 0 <= metrics["answer_accuracy"] <= 1 and metrics["recall@100"] == 1.0
        assert metrics["dialogues"] == 1 and metrics["dialogues_correct"] in (0, 1)


def test_a_dialogue_the_documents_cannot_answer_is_right_when_declined():
    # The last turn of an unanswerable dialogue should be declined: that counts as right, an answer as wrong.
    from types import SimpleNamespace

    class Assistant:
        searcher = SimpleNamespace(index=[])

        def ask(self, question, *, history=(), mode=None):
            answered = "budget" not in question
            return SimpleNamespace(answered=answered, answer="It starts in 2017." if answered else "I could not find this.", sources=[], short_answer=None)

    items = [
        QuestionItem("1", ("Tell me about ERA PerMed", "what is its budget?"), answerable=False),  # declined: right
        QuestionItem("2", ("Tell me about ERA PerMed", "who chairs it?"), answerable=False),  # answered: wrong
        QuestionItem("3", ("Tell me about ERA PerMed", "when does it start?"), answer="2017"),  # answered right
    ]
    metrics = evaluate_questions(Assistant(), items, modes=["hybrid"]).modes["hybrid"].metrics
    assert (metrics["dialogues"], metrics["dialogues_correct"], metrics["dialogue_accuracy"]) == (3, 2, 0.6667)
