"""Shared fixtures: a deterministic fake embedder, tiny corpora, built indexes."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def load_benchmark(name: str = "load"):
    """benchmarks/<name>.py by path (a site-packages `benchmarks` package may shadow the folder)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(f"docqa_{name}_benchmark", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses defined in it look their module up while being defined
    spec.loader.exec_module(module)
    return module


ACCEPTANCE_QUESTIONS = [
    ("when does ERA PerMed start?", "end of 2017"),
    ("How many research activities does the Action Plan list?", "22"),
    ("Who is the observer in ICPerMed?", "European Commission"),
    ("How many members does ICPerMed have?", "over 30"),
]
"""The bundled corpus's acceptance questions (issue 2) and the text each answer must hold."""


class FakeEmbedder:
    """Hashed bag of words: same text, same vector; shared words, similar vectors. No model."""

    name = "fake-bow"
    dim = 64
    max_tokens = 64

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(re.findall(r"\w+|[^\w\s]", t)) for t in texts]

    def embed(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


TINY_DOCS = {
    "rivers.txt": "Rivers of Europe\n\nThe Danube flows through ten countries. It is the second-longest river in Europe.\n\nThe Rhine rises in the Swiss Alps and reaches the North Sea.",
    "space.md": "# Space missions\n\nThe Voyager 1 probe was launched in 1977. It left the heliosphere in 2012.\n\nApollo 11 landed on the Moon in July 1969.",
}


def every_check_run():
    """Answer settings under which every decline check runs: they are skipped for an answer the model already declines
    (below its operating point), and a test of a check reads its verdict in the confidence (0 when it declines). Any
    probability above zero is answered here, so only a check declines."""
    from docqa.index.answering.extractive import AnswerSettings

    return AnswerSettings(min_score=1e-9)


def index_of(tmp_path: Path, embedder, files: dict[str, str]) -> Path:
    """`files` (name -> text) written to `tmp_path`/docs and ingested into `tmp_path`/index: the index root."""
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=embedder)
    return tmp_path / "index"


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TINY_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_index(tmp_path: Path, tiny_corpus: Path, fake_embedder: FakeEmbedder) -> Path:
    from docqa.ingest.pipeline import ingest

    root = tmp_path / "index"
    ingest([tiny_corpus], index_root=root, embedder=fake_embedder)
    return root


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled all-MiniLM-L6-v2 (tests using it are marked `model`)."""
    from docqa.index.embedding.embedder import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:
    """The bundled corpus indexed with the real model, once per test session."""
    from docqa.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("corpus-index")
    ingest([CORPUS], index_root=root, embedder=real_embedder)
    return root


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """A throwaway PostgreSQL server for the session (tests/postgres_harness.py): its admin URL."""
    from tests.postgres_harness import MISSING, server_binaries, throwaway_cluster

    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("CI"):  # .ci/run installs them: in CI their absence is a failure, not a skip
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    with throwaway_cluster(binaries) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    """An empty question-log database: a SQLite file, then a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'questions.sqlite3'}"
    from tests.postgres_harness import new_database

    return new_database(request.getfixturevalue("postgres_server"), f"t{abs(hash(request.node.nodeid)) % 10**12}")
