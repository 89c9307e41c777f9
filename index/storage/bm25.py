"""Lexical search: a bm25s index over the chunks, with the tokenizer it was built with.

The index lives in a `bm25/` folder inside each index version (written by
`docqa.index.storage.store.save`, covered by the same manifest and atomic publish). Queries
may carry term weights (for pseudo-relevance feedback), so scores are summed
from the per-term columns of the bm25s score matrix rather than by `retrieve`.
Tokenising (folding, stop words, stems) is docqa.index.text's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from docqa.errors import IndexMismatch
from docqa.index.storage.row_file import NPY_DAMAGE
from docqa.index.text import Tokenizer

FOLDER = "bm25"
SETTINGS_FILE = "docqa-bm25.json"


@dataclass(frozen=True)
class BM25Settings:
    """How chunks are tokenised and scored; recorded in the manifest and beside the index."""

    stemmer: str = "english"
    """A PyStemmer (Snowball) algorithm name, or "none"."""
    k1: float = 1.2
    b: float = 0.75
    title_repeat: int = 2
    """How many times the document title is prepended to each chunk (titles as a boosted field)."""

    def tokenizer(self) -> Tokenizer:
        """Today's tokenizer for these settings (English + French stop words, `stemmer`)."""
        return Tokenizer(stemmer=self.stemmer)


def chunk_terms_text(title: str, text: str, *, settings: BM25Settings) -> str:
    """The text indexed for one chunk: its document title (as a field, repeated) and the chunk."""
    return "\n".join([title] * settings.title_repeat + [text]) if title else text


# The files bm25s writes (`BM25.save`): the score matrix in CSC form (per term, the chunks
# holding it in increasing order and their BM25 weights), the term → column map, parameters.
_DATA, _INDICES, _INDPTR = "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
_VOCAB, _PARAMS = "vocab.index.json", "params.index.json"


class BM25Index:
    """A bm25s index over chunk texts, scoring weighted queries over every chunk.

    bm25s builds and writes it; reading and scoring need only its arrays, so a server
    never imports bm25s.
    """

    def __init__(
        self,
        *,
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        size: int,
        vocab: dict[str, int],
        settings: BM25Settings,
        tokenizer: Tokenizer | None = None,
        model=None,
    ) -> None:
        self._model = model  # the bm25s model, kept after `build` for `save`
        self.settings = settings
        self.tokenizer = settings.tokenizer() if tokenizer is None else tokenizer
        """How chunks were tokenised when the index was built; queries are read the same way."""
        # Plain ndarray views (arrays built by bm25s may be subclasses that cost more per slice).
        self._data = data.view(np.ndarray)
        self._indices = indices.view(np.ndarray)
        self._indptr = np.array(indptr)  # small (one entry per term): read once
        self.size = int(size)
        self._vocab = vocab

    @classmethod
    def build(cls, texts: Sequence[str], *, settings: BM25Settings = BM25Settings(), tokenizer: Tokenizer | None = None) -> "BM25Index":
        """Index `texts` (one per chunk, in chunk-id order); `tokenizer` defaults to `settings.tokenizer()`."""
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
        model = bm25s.BM25(k1=settings.k1, b=settings.b, method="lucene")
        tokenizer = settings.tokenizer() if tokenizer is None else tokenizer
        corpus = [tokenizer.tokenize(t) for t in texts]
        model.index(corpus, show_progress=False)
        scores = model.scores
        return cls(
            data=scores["data"], indices=scores["indices"], indptr=scores["indptr"], size=scores["num_docs"],
            vocab=model.vocab_dict, settings=settings, tokenizer=tokenizer, model=model,
        )

    def save(self, folder: Path) -> None:
        """Write the index into `folder` (created)."""
        if self._model is None:
            raise ValueError("only an index made by BM25Index.build can be saved")
        folder.mkdir(parents=True, exist_ok=True)
        self._model.save(str(folder), show_progress=False)
        saved = {**asdict(self.settings), "tokenizer": self.tokenizer.to_json()}
        (folder / SETTINGS_FILE).write_text(json.dumps(saved, ensure_ascii=False) + "\n")
        # The version publisher flushes the files at its top level only.
        for item in folder.iterdir():
            with open(item, "rb+") as handle:
                os.fsync(handle.fileno())

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        """Read an index written by `save` (arrays read into memory: never mapped, see store.py), with the
        tokenizer it was built with.

        Settings saved before tokenizers were (no "tokenizer" entry) get the tokenizer
        docqa used then: its stemmer, today's English + French stop words.
        """
        try:
            saved = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
            tokenizer_json = saved.pop("tokenizer", {})
            settings = BM25Settings(**saved)
            tokenizer = Tokenizer.from_json(tokenizer_json, stemmer=settings.stemmer)
            params = json.loads((folder / _PARAMS).read_text())
            vocab = json.loads((folder / _VOCAB).read_text(encoding="utf-8"))
            index = cls(
                data=np.load(folder / _DATA),
                indices=np.load(folder / _INDICES),
                indptr=np.load(folder / _INDPTR),
                size=params["num_docs"],
                vocab=vocab,
                settings=settings,
                tokenizer=tokenizer,
            )
            consistent = len(index._indptr) >= 1 and len(index._data) == len(index._indices) == index._indptr[-1]
        except (*NPY_DAMAGE, TypeError, KeyError, AttributeError) as exc:
            raise IndexMismatch(f"The BM25 index in {folder} is damaged or incomplete: {exc}. Rebuild it.") from exc
        if not consistent:
            raise IndexMismatch(f"The BM25 index in {folder} is inconsistent. Rebuild it.")
        # bm25s lists the empty token after the last column: no query term can name it.
        index._vocab = {term: column for term, column in vocab.items() if 0 <= column < len(index._indptr) - 1}
        return index

    def __len__(self) -> int:
        return self.size

    def chunk_terms(self, title: str, text: str) -> list[str]:
        """The index terms of one chunk as it was indexed (title field included)."""
        return self.tokenizer.tokenize(chunk_terms_text(title, text, settings=self.settings))

    def query_terms(self, query: str) -> dict[str, float]:
        """The weighted terms of a query as typed (each occurrence counts once more)."""
        terms: dict[str, float] = {}
        for term in self.tokenizer.tokenize(query):
            terms[term] = terms.get(term, 0.0) + 1.0
        return terms

    def scores(self, terms: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every chunk for weighted `terms` (float32, one per chunk)."""
        out = np.zeros(self.size, dtype=np.float32)
        scratch = None
        for term, weight in terms.items():
            column = self._vocab.get(term)
            if column is None or weight == 0:
                continue
            lo, hi = int(self._indptr[column]), int(self._indptr[column + 1])
            rows, values = self._indices[lo:hi], np.float32(weight) * self._data[lo:hi]
            if 4 * (hi - lo) < self.size:
                out[rows] += values
            else:  # a common term: scatter into a zeroed column and add it whole (the same sums, ~2x faster)
                if scratch is None:
                    scratch = np.zeros(self.size, dtype=np.float32)
                else:
                    scratch.fill(0)
                scratch[rows] = values
                out += scratch
        return out

    def scores_of(self, terms: Mapping[str, float], chunk_ids: np.ndarray) -> np.ndarray:
        """`scores(terms)[chunk_ids]`, the same float32 values, without scoring the whole collection:
        each posting list (sorted by chunk id, as bm25s writes it) is searched, not read."""
        if 16 * len(chunk_ids) >= self.size:  # a small collection: scoring it whole costs less
            return self.scores(terms)[chunk_ids]
        wanted = np.asarray(chunk_ids, dtype=self._indices.dtype)  # the postings' dtype: no cast of a whole list
        out = np.zeros(len(wanted), dtype=np.float32)
        for term, weight in terms.items():
            column = self._vocab.get(term)
            if column is None or weight == 0:
                continue
            lo, hi = int(self._indptr[column]), int(self._indptr[column + 1])
            if hi == lo:
                continue
            rows = self._indices[lo:hi]
            at = np.minimum(np.searchsorted(rows, wanted), hi - lo - 1)
            found = rows[at] == wanted
            out[found] += np.float32(weight) * self._data[lo:hi][at[found]]
        return out

    def first_chunk_with(self, term: str) -> int | None:
        """The id of the first chunk that holds `term` (None if none does)."""
        column = self._vocab.get(term)
        if column is None or self._indptr[column + 1] == self._indptr[column]:
            return None
        return int(self._indices[int(self._indptr[column])])

    def document_frequency(self, term: str) -> int:
        """In how many chunks `term` occurs."""
        column = self._vocab.get(term)
        return 0 if column is None else int(self._indptr[column + 1] - self._indptr[column])
