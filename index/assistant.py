"""The served index and its answerer, loaded once: what the HTTP app, `docqa ask` and `docqa eval` share."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from docqa.index.answering.base import DEFAULT_ANSWERER, Answer, Answerer, AnswererName, get_answerer
from docqa.index.embedding import embedder as embedders
from docqa.index.embedding.embedder import Embedder
from docqa.index.retrieval.search import DEFAULT_SEARCH_MODE, Passage, Searcher, SearchMode
from docqa.index.storage import store, versions


class Assistant:
    """Loads the current version of an index root and answers from it.

    `answerer` names the answering mode (docqa.index.answering.base.ANSWERERS; "extractive"
    by default) and `answer_settings` are that answerer's settings (None: its defaults; for
    "extractive", an `AnswerSettings`). An unknown name raises InvalidInput listing the choices.
    `version` loads that version of the root instead of the current one (a fallback, server/reload.py).
    """

    def __init__(
        self,
        index_root: Path,
        *,
        embedder: Embedder,
        answer_settings: Any = None,
        answerer: "str | AnswererName" = DEFAULT_ANSWERER,
        version: str | None = None,
    ) -> None:
        make_answerer = get_answerer(answerer)  # before loading anything: a bad name fails fast
        self.index_root = index_root
        self.embedder = embedder
        folder = versions.current_version(index_root) if version is None else index_root / versions.VERSIONS / version
        self.index = store.load(folder, model=embedder.name)
        store.check_compatible(self.index.manifest, model=embedder.name, dim=embedder.dim)
        self.searcher = Searcher(self.index, embedder)
        self.answerer: Answerer = make_answerer(self.searcher, settings=answer_settings)

    @classmethod
    def open(
        cls, index_root: Path, *, model: str, answer_settings: Any = None, answerer: "str | AnswererName" = DEFAULT_ANSWERER
    ) -> "Assistant":
        """Load the index at `index_root` with the process-wide embedder for `model`."""
        return cls(index_root, embedder=embedders.get_embedder(model), answer_settings=answer_settings, answerer=answerer)

    def warm_up(self) -> None:
        """Run one query so the first visitor does not pay for lazy initialisation."""
        from docqa.index.answering import countries, spelling, tagging, utterance

        self.ask("warm up")
        if (answerer_warm_up := getattr(self.answerer, "warm_up", None)) is not None:
            answerer_warm_up()  # the extractive answerer: a small collection's sentences' token vectors
        tagging.load()  # the short answer's tagger (0.2 s): a declined question does not reach it
        spelling.load()  # the English spelling list, read at the first unknown word otherwise
        utterance.load()  # the sentence splitter, imported at the first question of several sentences otherwise
        countries.load()  # pycountry's country names, read at the first question naming a country otherwise

    def ask(
        self, question: str, *, history: Sequence[Mapping[str, str]] = (), mode: "SearchMode | str | None" = DEFAULT_SEARCH_MODE
    ) -> Answer:
        """The answer to `question` (`history`: earlier turns, oldest first; `mode`: retrieval mode, None for the default)."""
        return self.answerer.ask(question, history=history, mode=mode)

    def search(self, query: str, *, k: int = 5, mode: "SearchMode | str | None" = DEFAULT_SEARCH_MODE) -> list[Passage]:
        """The `k` best passages for `query`."""
        return self.searcher.search(query, k=k, mode=mode)

    def health(self) -> dict:
        """What /healthz reports about the loaded version."""
        manifest = self.index.manifest
        return {
            "status": "ok",
            "model": manifest.model,
            "documents": manifest.counts.get("documents", 0),
            "chunks": manifest.counts.get("chunks", 0),
            "created_at": manifest.created_at,
            "version": self.index.folder.name,
        }
