"""The answerer protocol and registry: the assistant picks its answerer by name; dialogues replayed one way."""

from __future__ import annotations

import pytest

from docqa.errors import InvalidInput
from docqa.index.answering import base, followup
from docqa.index.answering.base import ANSWERERS, Answer, Answerer, AnswererName, get_answerer, register_answerer


def test_unknown_answerer_names_the_choices():
    with pytest.raises(InvalidInput, match=r"Unknown answerer 'generative'; choose one of: extractive"):
        get_answerer("generative")


def test_known_names_resolve_case_insensitively():
    assert get_answerer(" Extractive ") is get_answerer(AnswererName.EXTRACTIVE) is ANSWERERS["extractive"]
    assert base.DEFAULT_ANSWERER == "extractive" and str(AnswererName.EXTRACTIVE) == "extractive"


def test_assistant_uses_the_registered_answerer(tiny_index, fake_embedder, monkeypatch):
    from docqa.index.answering.extractive import ExtractiveAnswerer
    from docqa.index.assistant import Assistant

    default = Assistant(tiny_index, embedder=fake_embedder)
    assert isinstance(default.answerer, ExtractiveAnswerer) and isinstance(default.answerer, Answerer)

    class Echo:
        def __init__(self, searcher, *, settings=None):
            self.searcher = searcher

        def ask(self, question, *, history=(), mode=None):
            return Answer(answer=f"echo: {question} ({len(history)} earlier, {mode})", answered=True, sources=[])

    monkeypatch.setitem(ANSWERERS, "echo", Echo)
    echo = Assistant(tiny_index, embedder=fake_embedder, answerer="echo")
    assert echo.ask("hello", mode="bm25").answer == "echo: hello (0 earlier, bm25)"
    with pytest.raises(InvalidInput, match="choose one of: echo, extractive"):
        Assistant(tiny_index, embedder=fake_embedder, answerer="nope")


def test_register_answerer(monkeypatch):
    monkeypatch.setattr(base, "ANSWERERS", dict(ANSWERERS))
    factory = lambda searcher, *, settings=None: None  # noqa: E731
    register_answerer("Mine", factory)
    assert base.get_answerer("mine") is factory


def test_replay_passes_each_turn_with_the_earlier_ones():
    seen = []

    def ask(question, *, history, mode=None):
        seen.append((question, [t["content"] for t in history], mode))
        return Answer(answer=f"A{len(seen)}", answered=True, sources=[])

    last = followup.replay(ask, ["first?", "second?", "third?"], mode="dense")
    assert last.answer == "A3"
    assert seen == [("first?", [], "dense"), ("second?", ["first?", "A1"], "dense"), ("third?", ["first?", "A1", "second?", "A2"], "dense")]
    with pytest.raises(ValueError):
        followup.replay(ask, [])
