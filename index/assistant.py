"""The served index and its answerer, loaded once: what the HTTP app, `docqa ask` and `docqa eval` share."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from docqa.index.storage import store, versions
from docqa.index.answering.extractive import Answer, Answerer, AnswerSettings
from docqa.index.embedding import embedder as embedders
from docqa.index.embedding.embedder import Embedder
from docqa.index.retrieval.search import DEFAULT_MODE, Passage, Searcher


class Assistant:
    """Loads the current version of an index root and answers from it."""

    def __init__(self, index_root: Path, *, embedder: Embedder, answer_settings: AnswerSettings = AnswerSettings()) -> None:
        self.index_root = index_root
        self.embedder = embedder
        folder = versions.current_version(index_root)
        self.index = store.load(folder, model=embedder.name)
        store.check_compatible(self.index.manifest, model=embedder.name, dim=embedder.dim)
        self.searcher = Searcher(self.index, embedder)
        self.answerer = Answerer(self.searcher, settings=answer_settings)

    @classmethod
    def open(cls, index_root: Path, *, model: str, answer_settings: AnswerSettings = AnswerSettings()) -> "Assistant":
        """Load the index at `index_root` with the process-wide embedder for `model`."""
        return cls(index_root, embedder=embedders.get_embedder(model), answer_settings=answer_settings)

    def warm_up(self) -> None:
        """Run one query so the first visitor does not pay for lazy initialisation."""
        self.ask("warm up")

    def ask(self, question: str, *, history: Sequence[dict] = (), mode: str = DEFAULT_MODE) -> Answer:
        return self.answerer.ask(question, history=history, mode=mode)

    def search(self, query: str, *, k: int = 5, mode: str = DEFAULT_MODE) -> list[Passage]:
        return self.searcher.search(query, k=k, mode=mode)

    def health(self) -> dict:
        manifest = self.index.manifest
        return {
            "status": "ok",
            "model": manifest.model,
            "documents": manifest.counts.get("documents", 0),
            "chunks": manifest.counts.get("chunks", 0),
            "created_at": manifest.created_at,
            "version": self.index.folder.name,
        }
