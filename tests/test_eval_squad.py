"""`docqa eval FILE.json` on SQuAD files: answer figures by hand, end to end through the CLI (fake embedder),
--limit/--seed, --report, --compare and bad files."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest

from docqa.index.evaluation import squad_eval
from docqa.index.evaluation.answer_metrics import normalize_answer
from docqa.ingest.squad import GoldAnswer, SquadQuestion

DANUBE = "The Danube flows through ten countries. It reaches the Black Sea at a wide delta."
RHINE = "The Rhine rises in the Swiss Alps and reaches the North Sea near Rotterdam."
VOYAGER = "Voyager 1 was launched in 1977. The probe left the heliosphere in 2012."

TINY = {
    "version": "v2.0",
    "data": [
        {
            "title": "European_rivers",
            "paragraphs": [
                {
                    "context": DANUBE,
                    "qas": [
                        {"id": "r1", "question": "How many countries does the Danube flow through?",
                         "answers": [{"text": "ten", "answer_start": 25}, {"text": "ten countries", "answer_start": 25}], "is_impossible": False},
                        {"id": "r2", "question": "How many countries does the Volga flow through?", "answers": [],
                         "plausible_answers": [{"text": "ten", "answer_start": 25}], "is_impossible": True},
                    ],
                },
                {
                    "context": RHINE,
                    "qas": [{"id": "r3", "question": "Where does the Rhine rise?", "answers": [{"text": "the Swiss Alps", "answer_start": 19}]}],
                },
            ],
        },
        {
            "title": "Voyager_program",
            "paragraphs": [
                {
                    "context": VOYAGER,
                    "qas": [
                        {"id": "v1", "question": "When was Voyager 1 launched?", "answers": [{"text": "1977", "answer_start": 26}], "is_impossible": False},
                        {"id": "v2", "question": "When was Voyager 3 launched?", "answers": [], "is_impossible": True},
                        {"id": "v3", "question": "Did AT&T build the <big> Voyager 9 probe?", "answers": [], "is_impossible": True},
                    ],
                }
            ],
        },
    ],
}


# --- figures computed by hand -----------------------------------------------------------------


def _question(qid: str, golds: tuple[str, ...]) -> SquadQuestion:
    return SquadQuestion(qid, f"question {qid}?", "Article", 0, tuple(GoldAnswer(g, 0, 0) for g in golds), not golds)


def _answer(text: str, *, answered: bool, confidence: float, short: str | None = None, source: str = "") -> SimpleNamespace:
    sources = [SimpleNamespace(doc_id="Article", score=1.0, text=source or text, answer_span=(0, len(text)) if answered else None)]
    return SimpleNamespace(answer=text, answered=answered, sources=sources, highlights=[], short_answer=short, confidence=confidence, query="q", language="en")


def test_short_answer_field_first_then_the_first_highlight():
    with_field = SimpleNamespace(answered=True, answer="It flows through ten countries.", highlights=[(17, 20)], short_answer="ten countries")
    assert squad_eval.short_answer(with_field) == "ten countries"
    assert squad_eval.short_answer(SimpleNamespace(**{**vars(with_field), "short_answer": None})) is None  # the field decides when it exists
    older = SimpleNamespace(answered=True, answer="It flows through ten countries.", highlights=[(17, 20)])
    assert squad_eval.short_answer(older) == "ten"
    assert squad_eval.short_answer(SimpleNamespace(answered=True, answer="x", highlights=[])) is None
    assert squad_eval.short_answer(SimpleNamespace(**{**vars(older), "answered": False})) is None


def test_figures_on_five_questions_computed_by_hand():
    declined = "I could not find this in the documents."
    cases = [
        # question, answer, candidate (the unthresholded answer when declined)
        (_question("A", ("ten", "ten countries")), _answer("It flows through ten countries.", answered=True, confidence=0.9, short="ten"), None),
        (_question("B", ("Danube",)), _answer("The Rhine is long.", answered=True, confidence=0.6, short="Rhine river"), None),
        (_question("C", ("1977",)), _answer(declined, answered=False, confidence=0.3, source="launched in 1977"), _answer("It was launched in 1977.", answered=True, confidence=0.3)),
        (_question("D", ()), _answer(declined, answered=False, confidence=0.2), _answer("Voyager 1 was launched.", answered=True, confidence=0.2)),
        (_question("E", ()), _answer("The Volga is long.", answered=True, confidence=0.7, short="Volga"), None),
    ]
    rows = [squad_eval.score(q, a, c or a, latency_ms=float(n)) for n, (q, a, c) in enumerate(cases)]
    assert [r.outcome for r in rows] == ["correct", "wrong", "declined", "declined", "wrong"]
    assert [r.right for r in rows] == [True, False, False, True, False]
    assert [r.candidate_right for r in rows] == [True, False, True, False, False]
    assert (rows[0].short_em, rows[0].short_f1, rows[1].short_em, rows[1].short_f1) == (1.0, 1.0, 0.0, 0.0)
    assert rows[4].short_em is None  # unanswerable: no short-answer score
    assert rows[2].gold_in_sources and not rows[1].gold_in_sources

    f = squad_eval.figures(rows)
    assert (f.questions, f.answerable, f.unanswerable) == (5, 3, 2)
    assert f.answerable_correct == pytest.approx(1 / 3) and f.answerable_wrong == pytest.approx(1 / 3) and f.answerable_declined == pytest.approx(1 / 3)
    assert f.unanswerable_declined == 0.5 and f.overall == pytest.approx(2 / 5)
    assert f.short_answer_share == 1.0 and f.short_em == 50.0 and f.short_f1 == 50.0
    assert f.candidate_correct == pytest.approx(2 / 3)
    # answerable 0.9, 0.6, 0.3 vs unanswerable 0.2, 0.7: 4 of 6 pairs ordered right.
    assert f.auc_answerable == pytest.approx(4 / 6)
    # right candidates 0.9, 0.3 vs wrong 0.6, 0.2, 0.7: 0.9 beats all three, 0.3 beats 0.2.
    assert f.auc_right == pytest.approx(4 / 6)
    # one question per bin: |1-0.9| + |0-0.6| + |1-0.3| + |0-0.2| + |0-0.7| over 5.
    assert f.ece == pytest.approx(2.3 / 5)
    # most confident first: A(right) E B C(right) D.
    assert [(p.coverage, p.answered) for p in f.risk_coverage] == [(0.5, 3), (0.8, 4), (1.0, 5)]
    assert [p.accuracy for p in f.risk_coverage] == pytest.approx([1 / 3, 2 / 4, 2 / 5])
    assert f.latency_p50_ms == 2.0


# --- through the CLI --------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, fake_embedder, monkeypatch):
    """`docqa eval` with the fake embedder and a cache folder of the test's own."""
    import docqa.index.embedding.embedder
    from docqa.server.cli import main

    monkeypatch.setattr(docqa.index.embedding.embedder, "get_embedder", lambda *_a, **_k: fake_embedder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return main


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY), encoding="utf-8")
    return path


def _json(cli, capsys, *args: str) -> dict:
    assert cli(["eval", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_eval_squad_json_end_to_end(cli, tiny, tmp_path, capsys):
    assert cli(["eval", str(tiny), "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert "2 articles (all), 6 of 6 questions (3 answerable, 3 unanswerable)" in captured.err
    assert "asked 6/6 questions" in captured.err and "index ready" in captured.err
    assert (tmp_path / "xdg" / "docqa" / "squad").is_dir()  # the cached evaluation index

    # Retrieval: the relevant document of an answerable question is its article; 2 articles, all retrieved.
    assert "own article" in data["relevance"] and set(data["results"]) == {"dense", "bm25", "hybrid"}
    for metrics in data["results"].values():
        assert metrics["queries"] == 3 and metrics["recall@100"] == 1.0
    assert data["results"]["bm25"]["mrr@10"] == 1.0  # each question names its article's words
    assert {q["qid"]: q["first_relevant"] for q in data["queries"]["bm25"]} == {"r1": 1, "r3": 1, "v1": 1}

    answers = data["answers"]
    assert answers["mode"] == "hybrid" == data["default_mode"]
    rows, m = answers["rows"], answers["metrics"]
    assert [r["qid"] for r in rows] == ["r1", "r2", "r3", "v1", "v2", "v3"]
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (6, 3, 3)
    assert next(r for r in rows if r["qid"] == "v1")["gold_in_sources"]
    # Every figure again, by hand from the rows.
    for r in rows:
        held = any(f" {normalize_answer(g)} " in f" {normalize_answer(r['answer'])} " for g in r["golds"])
        assert r["right"] == ((r["answered"] and held) if not r["is_impossible"] else not r["answered"])
    yes = [r for r in rows if not r["is_impossible"]]
    no = [r for r in rows if r["is_impossible"]]
    assert m["answerable_correct"] == pytest.approx(sum(r["right"] for r in yes) / 3)
    assert m["unanswerable_declined"] == pytest.approx(sum(not r["answered"] for r in no) / 3)
    assert m["overall"] == pytest.approx(sum(r["right"] for r in rows) / 6)
    answered = [r for r in yes if r["answered"]]
    if answered:
        assert m["short_answer_share"] == pytest.approx(sum(r["short_answer"] is not None for r in answered) / len(answered))
    assert [(p["coverage"], p["answered"]) for p in m["risk_coverage"]] == [(0.5, 3), (0.8, 5), (1.0, 6)]
    assert m["risk_coverage"][-1]["accuracy"] == pytest.approx(sum(r["candidate_right"] for r in rows) / 6)
    for name in ("auc_answerable", "auc_right", "ece"):
        assert m[name] is None or 0.0 <= m[name] <= 1.0
    assert "NaN" not in captured.out  # strict JSON

    # The table names the figures.
    assert cli(["eval", str(tiny), "--mode", "bm25"]) == 0
    text = capsys.readouterr().out
    assert "unanswerable: declined" in text and "ROC AUC of confidence" in text and "expected calibration error" in text
    assert "50% (n=3)" in text and "relevant: the question's own article" in text


def test_limit_and_seed_sample_the_same_balanced_questions(cli, tiny, capsys):
    first = _json(cli, capsys, str(tiny), "--mode", "bm25", "--limit", "4", "--seed", "3")
    again = _json(cli, capsys, str(tiny), "--mode", "bm25", "--limit", "4", "--seed", "3")
    chosen = [r["qid"] for r in first["answers"]["rows"]]
    assert chosen == [r["qid"] for r in again["answers"]["rows"]]
    assert len(chosen) == 4 and sum(not r["is_impossible"] for r in first["answers"]["rows"]) == 2
    others = {tuple(r["qid"] for r in _json(cli, capsys, str(tiny), "--mode", "bm25", "--limit", "4", "--seed", str(s))["answers"]["rows"]) for s in range(6)}
    assert len(others) > 1  # the seed matters


def test_part_check_keeps_one_article(cli, tiny, capsys):
    data = _json(cli, capsys, str(tiny), "--mode", "bm25", "--part", "check")
    titles = {r["title"] for r in data["answers"]["rows"]}
    assert len(titles) == 1 and data["dataset"] == "tiny.json (check)"
    fit = _json(cli, capsys, str(tiny), "--mode", "bm25", "--part", "fit")
    assert {r["title"] for r in fit["answers"]["rows"]}.isdisjoint(titles)


def test_report_holds_the_answer_figures_escaped(cli, tiny, tmp_path, capsys):
    report = tmp_path / "report.html"
    assert cli(["eval", str(tiny), "--mode", "bm25", "--report", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    for text in ("unanswerable: declined", "overall (right answers + right declines)", "exact match / F1", "ROC AUC of confidence",
                 "expected calibration error", "Risk–coverage", "50% (n=3)", "<svg", "own article"):
        assert text in page
    assert "AT&amp;T build the &lt;big&gt;" in page and "<big>" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page  # nothing from a CDN


def test_compare_lists_the_questions_that_changed(cli, tiny, tmp_path, capsys):
    data = _json(cli, capsys, str(tiny), "--mode", "bm25")
    old = json.loads(json.dumps(data))
    row = next(r for r in old["answers"]["rows"] if r["qid"] == "v2")
    row["right"], row["outcome"] = not row["right"], "changed"  # pretend v2 scored the other way before
    old["answers"]["metrics"]["overall"] = 0.123
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    assert cli(["eval", str(tiny), "--mode", "bm25", "--compare", str(path)]) == 0
    out = capsys.readouterr().out
    assert "overall 12.3% →" in out and "answers: " in out
    now_right = next(r for r in data["answers"]["rows"] if r["qid"] == "v2")["right"]
    assert ("1 better, 0 worse" if now_right else "0 better, 1 worse") in out
    assert "v2: changed →" in out and "When was Voyager 3 launched?" in out
    # An old run without answers says so.
    del old["answers"]
    path.write_text(json.dumps(old), encoding="utf-8")
    assert cli(["eval", str(tiny), "--mode", "bm25", "--compare", str(path)]) == 0
    assert "answers: not in the old run" in capsys.readouterr().out
    # A JSON file that is not an object is refused in one line.
    path.write_text("[1, 2]", encoding="utf-8")
    assert cli(["eval", str(tiny), "--mode", "bm25", "--compare", str(path)]) == 2
    assert "expected a JSON object" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content, message",
    [
        ("this is not json", "not valid JSON"),
        (json.dumps({"version": "v2.0"}), "\"data\" list"),
        (json.dumps([1, 2]), "\"data\" list"),
        (json.dumps({"data": [{"title": "X"}]}), "\"paragraphs\" list"),
        (json.dumps({"data": [{"title": "X", "paragraphs": [{"qas": []}]}]}), "\"context\" string"),
        (json.dumps({"data": [{"title": "X", "paragraphs": [{"context": "Text.", "qas": [{"id": "1", "question": "Why?"}]}]}]}), "at least one answer"),
        (json.dumps({"data": []}), "no question"),
    ],
)
def test_bad_squad_files_exit_2_with_one_line(cli, tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert cli(["eval", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("Error: ") and message in err[-1] and not any("Traceback" in line for line in err)


def test_squad_options_are_refused_elsewhere(cli, tiny, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "a?"}) + "\n", encoding="utf-8")
    assert cli(["eval", str(questions), "--limit", "3"]) == 2
    assert "SQuAD files" in capsys.readouterr().err
    assert cli(["eval", str(tiny), "--part", "half"]) == 2
    assert "Unknown part" in capsys.readouterr().err
    assert cli(["eval", str(tiny), "--limit", "0"]) == 2


def test_no_nan_makes_strict_json():
    assert squad_eval.no_nan({"a": math.nan, "b": [1.0, math.nan], "c": (math.nan,)}) == {"a": None, "b": [1.0, None], "c": [None]}


def test_squad_1_1_file_has_only_answerable_questions(cli, tmp_path, capsys):
    v11 = {"version": "1.1", "data": [{"title": "Voyager", "paragraphs": [{"context": VOYAGER, "qas": [
        {"id": "a", "question": "When was Voyager 1 launched?", "answers": [{"text": "1977", "answer_start": 26}]},
        {"id": "b", "question": "When did the probe leave the heliosphere?", "answers": [{"text": "2012", "answer_start": 66}]},
    ]}]}]}
    path = tmp_path / "train-v1.1.json"
    path.write_text(json.dumps(v11), encoding="utf-8")
    m = _json(cli, capsys, str(path), "--mode", "bm25")["answers"]["metrics"]
    assert (m["answerable"], m["unanswerable"]) == (2, 0)
    assert m["auc_answerable"] is None and m["unanswerable_declined"] is None  # undefined without unanswerable questions


def test_the_retrieval_progress_line_counts_the_searches_not_the_metrics(cli, tiny, capsys, monkeypatch):
    import time

    from docqa.index.evaluation import evaluate

    slow = evaluate.retrieval_metrics  # ranx compiles its metrics (numba) at the first mode's first call: seconds

    def compiling(*args, **kwargs):
        time.sleep(0.6)
        return slow(*args, **kwargs)

    monkeypatch.setattr(evaluate, "retrieval_metrics", compiling)
    assert cli(["eval", str(tiny), "--mode", "bm25"]) == 0
    assert "retrieval (bm25): 3 answerable questions searched (0 s)" in capsys.readouterr().err
