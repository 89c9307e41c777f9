"""Lexical search: an English + French tokeniser and a bm25s index over the chunks.

The index lives in a `bm25/` folder inside each index version (written by
`index.store.save`, covered by the same manifest and atomic publish). Queries
may carry term weights (for pseudo-relevance feedback), so scores are summed
from the per-term columns of the bm25s score matrix rather than by `retrieve`.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from index.errors import IndexMismatch

FOLDER = "bm25"
SETTINGS_FILE = "docqa-bm25.json"

_WORD = re.compile(r"\w+", re.UNICODE)

# A few words bm25s' lists miss but visitors type all the time.
_EXTRA_STOPWORDS = "tell please could would also us may might one two c d j l m n qu s t y".split()


@dataclass(frozen=True)
class BM25Settings:
    """How chunks are tokenised and scored; recorded in the manifest and beside the index."""

    stemmer: str = "english"
    """A PyStemmer (Snowball) algorithm name, or "none"."""
    k1: float = 1.2
    b: float = 0.75
    title_repeat: int = 2
    """How many times the document title is prepended to each chunk (titles as a boosted field)."""


def fold(text: str) -> str:
    """Lower-case and strip accents (é → e, ç → c), so French matches with or without them."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English and French stopwords, accent-folded."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH

    return frozenset(fold(w) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_FRENCH, *_EXTRA_STOPWORDS))


@functools.lru_cache(maxsize=4)
def _stemmer(name: str):
    if name == "none":
        return None
    import Stemmer

    return Stemmer.Stemmer(name)


def tokenize(text: str, *, stemmer: str = "english") -> list[str]:
    """Index terms of `text`: folded words, stopwords removed, stemmed."""
    stop = stopwords()
    words = [w for w in _WORD.findall(fold(text).replace("_", " ")) if w not in stop]
    stem = _stemmer(stemmer)
    return stem.stemWords(words) if stem is not None and words else words


def chunk_terms_text(title: str, text: str, *, settings: BM25Settings) -> str:
    """The text indexed for one chunk: its document title (as a field, repeated) and the chunk."""
    return "\n".join([title] * settings.title_repeat + [text]) if title else text


class BM25Index:
    """A bm25s index over chunk texts, scoring weighted queries over every chunk."""

    def __init__(self, model, settings: BM25Settings) -> None:
        self._model = model
        self.settings = settings
        scores = model.scores
        # Plain ndarray views of the memory-mapped arrays: np.memmap slicing costs more per call.
        self._data = scores["data"].view(np.ndarray)
        self._indices = scores["indices"].view(np.ndarray)
        self._indptr = np.array(scores["indptr"])  # small (one entry per term): read once
        self.size = int(scores["num_docs"])
        self._vocab: dict[str, int] = model.vocab_dict

    @classmethod
    def build(cls, texts: Sequence[str], *, settings: BM25Settings = BM25Settings()) -> "BM25Index":
        """Index `texts` (one per chunk, in chunk-id order)."""
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
        model = bm25s.BM25(k1=settings.k1, b=settings.b, method="lucene")
        corpus = [tokenize(t, stemmer=settings.stemmer) for t in texts]
        model.index(corpus, show_progress=False)
        return cls(model, settings)

    def save(self, folder: Path) -> None:
        """Write the index into `folder` (created)."""
        folder.mkdir(parents=True, exist_ok=True)
        self._model.save(str(folder), show_progress=False)
        (folder / SETTINGS_FILE).write_text(json.dumps(asdict(self.settings)) + "\n")
        # The version publisher flushes the files at its top level only.
        for item in folder.iterdir():
            with open(item, "rb+") as handle:
                os.fsync(handle.fileno())

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        """Read an index written by `save` (arrays memory-mapped)."""
        import bm25s

        try:
            settings = BM25Settings(**json.loads((folder / SETTINGS_FILE).read_text()))
            model = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise IndexMismatch(f"The BM25 index in {folder} is damaged or incomplete: {exc}. Rebuild it.") from exc
        return cls(model, settings)

    def __len__(self) -> int:
        return self.size

    def query_terms(self, query: str) -> dict[str, float]:
        """The weighted terms of a query as typed (each occurrence counts once more)."""
        terms: dict[str, float] = {}
        for term in tokenize(query, stemmer=self.settings.stemmer):
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

    def document_frequency(self, term: str) -> int:
        """In how many chunks `term` occurs."""
        column = self._vocab.get(term)
        return 0 if column is None else int(self._indptr[column + 1] - self._indptr[column])
