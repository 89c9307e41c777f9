"""Search modes over a tiny index (fake embedder), and the mode switch in the API and CLI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from docqa.index.storage import store, versions
from docqa.index.assistant import Assistant
from docqa.errors import InvalidInput
from docqa.index.retrieval.search import DEFAULT_MODE, DEFAULT_SEARCH_MODE, MODES, HybridSettings, Searcher, SearchMode
from docqa.server.app import create_app
from docqa.config import Settings


@pytest.fixture
def searcher(tiny_index, fake_embedder) -> Searcher:
    return Searcher(store.load(versions.current_version(tiny_index)), fake_embedder)


def test_modes_and_default():
    assert MODES == ("dense", "bm25", "hybrid") and DEFAULT_MODE in MODES


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_finds_the_passage(searcher, mode):
    passages = searcher.search("Where does the Rhine rise?", k=3, mode=mode)
    assert "Rhine" in passages[0].chunk.text
    assert [p.rank for p in passages] == list(range(1, len(passages) + 1))
    assert all(a.score >= b.score for a, b in zip(passages, passages[1:]))


def test_bm25_mode_needs_no_embedding(searcher):
    class Refuses:
        name, dim = "fake-bow", 64

        def embed(self, *_args, **_kwargs):
            raise AssertionError("bm25 mode must not embed")

    lexical = Searcher(searcher.index, Refuses())
    assert "Voyager" in lexical.search("voyager heliosphere", k=1, mode="bm25")[0].chunk.text


def test_bm25_mode_returns_only_matching_passages(searcher):
    assert searcher.search("zzzz qqqq", k=5, mode="bm25") == []
    assert searcher.search("zzzz qqqq", k=5, mode="dense")  # dense always returns neighbours


def test_hybrid_variants_and_feedback(searcher):
    for settings in (HybridSettings(fusion="rrf"), HybridSettings(fusion="minmax", dense_weight=0.3),
                     HybridSettings(feedback_passages=2, rocchio_beta=0.5)):
        hybrid = Searcher(searcher.index, searcher.embedder, hybrid=settings)
        assert "Apollo" in hybrid.search("Apollo Moon landing", k=2, mode="hybrid")[0].chunk.text


def test_unknown_mode_is_invalid_input(searcher):
    with pytest.raises(InvalidInput, match="choose one of: dense, bm25, hybrid"):
        searcher.search("Danube", k=3, mode="sparse")


def test_search_mode_parse():
    assert [SearchMode.parse(m) for m in MODES] == list(SearchMode)
    assert SearchMode.parse(" BM25 ") is SearchMode.BM25 and SearchMode.parse(SearchMode.DENSE) is SearchMode.DENSE
    assert SearchMode.parse(None) is DEFAULT_SEARCH_MODE and DEFAULT_SEARCH_MODE.value == DEFAULT_MODE == "hybrid"
    assert SearchMode.BM25 == "bm25" and str(SearchMode.HYBRID) == "hybrid"  # still a plain string for callers
    for bad in ("sparse", "", 3):
        with pytest.raises(InvalidInput, match=r"Unknown search mode .*choose one of: dense, bm25, hybrid"):
            SearchMode.parse(bad)


def test_search_takes_a_search_mode(searcher):
    assert searcher.search("Rhine", k=1, mode=SearchMode.BM25) == searcher.search("Rhine", k=1, mode="bm25")


@pytest.fixture
def client(tiny_index, fake_embedder):
    app = create_app(Settings(index=tiny_index, model=fake_embedder.name), assistant=Assistant(tiny_index, embedder=fake_embedder))
    with TestClient(app) as c:
        yield c


def test_api_search_mode_switch(client, searcher):
    for mode in MODES:
        r = client.get("/api/search", params={"q": "Danube countries", "k": 3, "mode": mode})
        assert r.status_code == 200, r.text
        expected = searcher.search("Danube countries", k=3, mode=mode)
        assert [p["score"] for p in r.json()["passages"]] == [round(p.score, 4) for p in expected]
    dense = client.get("/api/search", params={"q": "Danube countries", "mode": "dense"}).json()["passages"]
    bm25 = client.get("/api/search", params={"q": "Danube countries", "mode": "bm25"}).json()["passages"]
    assert dense[0]["score"] != bm25[0]["score"]  # really a different scorer
    assert client.get("/api/search", params={"q": "Danube", "mode": "sparse"}).status_code == 422


def test_api_ask_mode_switch(client):
    for mode in MODES:
        r = client.post("/api/ask", json={"question": "Which river rises in the Swiss Alps?", "mode": mode})
        assert r.status_code == 200, r.text
        assert r.json()["sources"]
    assert client.post("/api/ask", json={"question": "Danube?", "mode": "sparse"}).status_code == 422


def test_cli_ask_mode(tiny_index, fake_embedder, monkeypatch, capsys):
    import docqa.index.embedding.embedder
    from docqa.server.cli import main

    monkeypatch.setattr(docqa.index.embedding.embedder, "get_embedder", lambda *_a, **_k: fake_embedder)
    assert main(["ask", "Which river rises in the Swiss Alps?", "--index", str(tiny_index), "--model", "fake-bow", "--mode", "bm25"]) == 0
    assert "Rhine" in capsys.readouterr().out
    assert main(["ask", "Danube?", "--index", str(tiny_index), "--mode", "sparse"]) == 2


def test_search_overlapped_on_helper_threads_gives_the_same_passages(searcher, monkeypatch):
    from docqa.index.retrieval import search

    questions = ["Where does the Rhine rise?", "When was Voyager launched?", "rivers of Europe", "Moon landing"]
    before = {(q, m): [(p.chunk.chunk_id, p.score) for p in searcher.search(q, k=4, mode=m)] for q in questions for m in MODES}
    monkeypatch.setattr(search, "OVERLAP_FROM", 0)  # as on a large index
    pending = searcher.query_vector(questions[0])
    assert isinstance(pending, search.Future) and search.resolved(pending).shape == (searcher.embedder.dim,)
    after = {(q, m): [(p.chunk.chunk_id, p.score) for p in searcher.search(q, k=4, mode=m)] for q in questions for m in MODES}
    assert after == before


def test_no_feedback_pass_when_every_chunk_would_be_a_feedback_passage(searcher):
    assert len(searcher.index) <= HybridSettings().feedback_passages  # the tiny corpus
    without = Searcher(searcher.index, searcher.embedder, hybrid=HybridSettings(feedback_passages=0))
    for question in ("Where does the Rhine rise?", "When was Voyager launched?"):
        assert [(p.chunk.chunk_id, p.score) for p in searcher.search(question, k=4)] == [
            (p.chunk.chunk_id, p.score) for p in without.search(question, k=4)
        ]
