"""A SQuAD 2.0 file (official JSON) → `Document`s, scored questions, and a cached index for evaluation.

    {"version", "data": [{"title", "paragraphs": [{"context", "qas": [
        {"id", "question", "answers": [{"text", "answer_start"}], "is_impossible", "plausible_answers"?}]}]}]}

This is the layout of the official SQuAD 2.0 files and of what annotation tools export. Each
article becomes one `Document` (its paragraphs in order, separated by a blank line); the questions are
asked against the whole collection, the paragraph is not given (open-corpus). Each question keeps all
its gold answers with their offsets, both in the paragraph (`answer_start`, as in the file) and in the
article's document text.

Questions are split by article into a part to fit on and a part to check on (`split_articles`), so
that nothing is scored on the articles it was fitted on. The chosen articles are indexed once into a
cache folder keyed by their content, the model and the chunking, BM25 and index-format settings
(as `docqa.ingest.beir` does for BEIR folders); later runs reuse it.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal, Sequence

from docqa.errors import InvalidInput, NothingIndexed
from docqa.index.embedding.embedder import Embedder
from docqa.index.storage.bm25 import BM25Settings
from docqa.ingest.chunker import ChunkingSettings
from docqa.ingest.loaders import Document
from docqa.ingest.pipeline import PhaseCallback, publish_once, settings_fingerprint

PARAGRAPH_SEPARATOR = "\n\n"
"""Between an article's paragraphs in its document text (the chunker treats it as a paragraph break)."""
Part = Literal["fit", "check", "all"]
PARTS: tuple[str, ...] = ("fit", "check", "all")


@dataclass(frozen=True)
class GoldAnswer:
    """One annotated answer span."""

    text: str
    start: int
    """Offset of `text` in its paragraph (`answer_start` in the file)."""
    doc_start: int | None
    """Offset of `text` in the article's `Document.text`; None when the file's offset does not point at `text`."""


@dataclass(frozen=True)
class SquadQuestion:
    """One question of a SQuAD file, with everything needed to score an answer to it."""

    qid: str
    question: str
    title: str
    """The article's title as written in the file (`Steam_engine`); also its document id."""
    paragraph: int
    """Index of the question's paragraph within its article."""
    answers: tuple[GoldAnswer, ...]
    """The gold answers (empty when `is_impossible`); annotators often repeat the same span."""
    is_impossible: bool
    plausible_answers: tuple[GoldAnswer, ...] = ()
    """For an unanswerable question: the span that looks like, but is not, an answer."""

    @property
    def answerable(self) -> bool:
        """Whether the text answers the question (not `is_impossible`)."""
        return not self.is_impossible

    @property
    def gold_texts(self) -> tuple[str, ...]:
        """The distinct gold answer texts, in file order."""
        return tuple(dict.fromkeys(a.text for a in self.answers))


@dataclass(frozen=True)
class SquadSet:
    """A SQuAD file read: one document per article, its questions, and where it came from."""

    path: Path
    version: str
    documents: tuple[Document, ...]
    questions: tuple[SquadQuestion, ...]

    @property
    def titles(self) -> tuple[str, ...]:
        """Article titles (document ids) in file order."""
        return tuple(d.doc_id for d in self.documents)

    def restricted(self, titles: Iterable[str]) -> "SquadSet":
        """The same set with only the articles in `titles` (and their questions)."""
        keep = set(titles)
        unknown = keep - set(self.titles)
        if unknown:
            raise InvalidInput(f"{self.path}: no article titled {', '.join(sorted(unknown))}")
        return SquadSet(
            path=self.path,
            version=self.version,
            documents=tuple(d for d in self.documents if d.doc_id in keep),
            questions=tuple(q for q in self.questions if q.title in keep),
        )


# --- reading --------------------------------------------------------------------------------


def is_squad_file(path: Path) -> bool:
    """Whether `path` looks like a SQuAD JSON file (a .json whose `data` holds titled articles with paragraphs)."""
    if not (path.is_file() and path.suffix.lower() == ".json"):
        return False
    from docqa.index.evaluation.evaluate import parse_json, read_text

    try:
        raw = parse_json(read_text(path), where=str(path))
    except InvalidInput:
        return False
    data = raw.get("data") if isinstance(raw, dict) else None
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "paragraphs" in data[0]


def _gold(raw: object, *, where: str, context: str, shift: int, offset: int) -> GoldAnswer:
    start = raw.get("answer_start") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not isinstance(start, int) or isinstance(start, bool):
        raise InvalidInput(f"{where}: an answer needs \"text\" (string) and \"answer_start\" (integer)")
    text, start = raw["text"], raw["answer_start"]
    local = start - shift  # the paragraph is stored stripped of leading whitespace
    found = 0 <= local and context[local : local + len(text)] == text
    return GoldAnswer(text=text, start=start, doc_start=offset + local if found else None)


def _list(entry: dict, key: str, *, where: str) -> list:
    """`entry[key]`, a list (absent or null: empty); `InvalidInput` naming `where` for anything else."""
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{where}: \"{key}\" must be a list (got {type(value).__name__})")
    return value


def read_squad(path: Path) -> SquadSet:
    """Read a SQuAD 1.1/2.0 JSON file; raises `InvalidInput` naming the first malformed entry.

    A question without `is_impossible` (SQuAD 1.1) is answerable. Articles with no paragraph text
    are left out with their questions. Duplicate article titles get a `#2`, `#3`... suffix.
    """
    from docqa.index.evaluation.evaluate import parse_json, read_text

    text = read_text(path)
    try:
        raw = parse_json(text, where=str(path))
    except InvalidInput as exc:
        if "Extra data" in str(exc) and text.lstrip().startswith("{"):
            raise InvalidInput(f"{exc}; a question set (one JSON object per line) is read from a .jsonl file") from exc
        raise
    if not isinstance(raw, dict) or not isinstance(raw.get("data"), list):
        raise InvalidInput(f"{path}: not a SQuAD file (expected an object with a \"data\" list)")
    documents: list[Document] = []
    questions: list[SquadQuestion] = []
    seen_titles: dict[str, int] = {}
    seen_ids: set[str] = set()
    for a, article in enumerate(raw["data"]):
        where = f"{path}: data[{a}]"
        if not isinstance(article, dict) or not isinstance(article.get("paragraphs"), list):
            raise InvalidInput(f"{where}: an article needs a \"paragraphs\" list")
        title = " ".join(str(article.get("title") or f"article-{a + 1}").split())
        if title in seen_titles:
            copies = seen_titles[title] = seen_titles[title] + 1
            while f"{title}#{copies}" in seen_titles:  # (a title that already ends in "#2")
                copies += 1
            title = f"{title}#{copies}"
        seen_titles[title] = 1
        parts: list[str] = []
        offset = 0
        for p, paragraph in enumerate(article["paragraphs"]):
            here = f"{where}.paragraphs[{p}]"
            if not isinstance(paragraph, dict) or not isinstance(paragraph.get("context"), str):
                raise InvalidInput(f"{here}: a paragraph needs a \"context\" string")
            raw_context = paragraph["context"]
            context = raw_context.strip()
            shift = len(raw_context) - len(raw_context.lstrip())
            if parts:
                offset += len(PARAGRAPH_SEPARATOR)
            for q, qa in enumerate(_list(paragraph, "qas", where=here)):
                spot = f"{here}.qas[{q}]"
                if not isinstance(qa, dict) or not isinstance(qa.get("question"), str) or not qa["question"].strip():
                    raise InvalidInput(f"{spot}: a question needs a non-empty \"question\" string")
                qid = str(qa.get("id") or f"{title}/{p}/{q}")
                if qid in seen_ids:
                    raise InvalidInput(f"{spot}: duplicate question id {qid!r}")
                seen_ids.add(qid)
                impossible = qa.get("is_impossible", False)
                if not isinstance(impossible, bool):
                    raise InvalidInput(f"{spot}: \"is_impossible\" must be true or false")
                golds = tuple(_gold(x, where=spot, context=context, shift=shift, offset=offset) for x in _list(qa, "answers", where=spot))
                if not impossible and not any(g.text.strip() for g in golds):  # an empty answer could never be matched
                    raise InvalidInput(f"{spot}: an answerable question needs at least one answer (with text)")
                plausible = tuple(
                    _gold(x, where=spot, context=context, shift=shift, offset=offset) for x in _list(qa, "plausible_answers", where=spot)
                )
                questions.append(
                    SquadQuestion(
                        qid=qid,
                        question=" ".join(qa["question"].split()),
                        title=title,
                        paragraph=p,
                        answers=() if impossible else golds,
                        is_impossible=impossible,
                        plausible_answers=plausible,
                    )
                )
            parts.append(context)
            offset += len(context)
        text = PARAGRAPH_SEPARATOR.join(parts)
        if text.strip():
            documents.append(Document(doc_id=title, title=title.replace("_", " "), source=title, text=text))
        else:
            questions = [x for x in questions if x.title != title]
    return SquadSet(path=path, version=str(raw.get("version", "")), documents=tuple(documents), questions=tuple(questions))


# --- fit / check split and sampling ---------------------------------------------------------


def split_articles(titles: Sequence[str], *, check_share: float = 0.5, seed: int = 0) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(fit, check): the article titles split into two disjoint parts, the same for the same inputs.

    The titles are sorted, shuffled with `random.Random(seed)`, and the first
    `round(check_share * n)` (at least one, and at least one left to fit when n > 1) go to check.
    Both parts come back sorted.
    """
    if not 0.0 < check_share < 1.0:
        raise InvalidInput(f"check_share must be between 0 and 1 (got {check_share})")
    ordered = sorted(set(titles))
    if not ordered:
        return (), ()
    random.Random(seed).shuffle(ordered)
    n_check = min(max(1, round(check_share * len(ordered))), max(1, len(ordered) - 1))
    return tuple(sorted(ordered[n_check:])), tuple(sorted(ordered[:n_check]))


def select_part(squad: SquadSet, part: Part, *, check_share: float = 0.5, seed: int = 0) -> SquadSet:
    """The `fit` or `check` articles of `squad` (see `split_articles`), or all of it for `all`."""
    if part == "all":
        return squad
    if part not in PARTS:
        raise InvalidInput(f"Unknown part {part!r}; choose one of: {', '.join(PARTS)}")
    fit, check = split_articles(squad.titles, check_share=check_share, seed=seed)
    return squad.restricted(fit if part == "fit" else check)


def sample_questions(
    questions: Sequence[SquadQuestion], *, limit: int | None = None, seed: int = 0, balanced: bool = True
) -> list[SquadQuestion]:
    """At most `limit` of `questions` (all when `limit` is None), drawn with `random.Random(seed)`, in their original order.

    `balanced`: half answerable, half unanswerable where both have enough (the other class fills any
    shortfall), so a small sample still measures declining.
    """
    if limit is None or limit >= len(questions):
        return list(questions)
    if limit < 0:
        raise InvalidInput(f"limit must be 0 or more (got {limit})")
    rng = random.Random(seed)
    positions = list(range(len(questions)))
    if not balanced:
        chosen = rng.sample(positions, limit)
    else:
        yes = [i for i in positions if questions[i].answerable]
        no = [i for i in positions if not questions[i].answerable]
        n_yes = min(len(yes), max(limit - len(no), math.ceil(limit / 2)))
        chosen = rng.sample(yes, n_yes) + rng.sample(no, limit - n_yes)
    return [questions[i] for i in sorted(chosen)]


# --- the cached evaluation index ------------------------------------------------------------


def cache_folder(cache: Path) -> Path:
    """Where SQuAD evaluation indexes are kept under docqa's cache folder (`Settings.cache`)."""
    return cache / "squad"


def cache_key(
    documents: Sequence[Document], *, model: str, chunking: ChunkingSettings, bm25: BM25Settings, index_type: str = "auto"
) -> str:
    """A key that changes with the documents (ids, titles, text), the model or any indexing setting."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(f"{doc.doc_id}\0{doc.source}\0{doc.hash}\n".encode())
    digest.update(settings_fingerprint(model=model, chunking=chunking, bm25=bm25, index_type=index_type))
    return digest.hexdigest()[:20]


def prepare_index(
    squad: SquadSet,
    *,
    embedder: Embedder,
    cache: Path,
    name: str | None = None,
    chunking: ChunkingSettings = ChunkingSettings(),
    bm25: BM25Settings = BM25Settings(),
    index_type: str = "auto",
    progress: bool = False,
    on_phase: PhaseCallback | None = None,
) -> Path:
    """The index root holding all of `squad`'s articles as one collection, built on first use and kept under `cache`/squad.

    `on_phase` hears each finished ingest step (read, split, embed, write) when the index is built.

    `cache` is docqa's cache folder (`Settings.cache`, `docqa.config.default_cache_dir()`). `name`
    prefixes the index folder (default: the file's stem); the folder also carries the `cache_key`,
    so a different set of articles, model or setting gets its own index.
    """
    if not squad.documents:
        raise NothingIndexed(f"{squad.path} holds no article with text")
    key = cache_key(squad.documents, model=embedder.name, chunking=chunking, bm25=bm25, index_type=index_type)
    root = cache_folder(cache) / f"{name or squad.path.stem}-{key}"
    return publish_once(
        root,
        lambda: list(squad.documents),
        embedder=embedder,
        chunking=chunking,
        keep_versions=1,
        index_type=index_type,
        progress=progress,
        bm25=bm25,
        on_phase=on_phase,
    )
