"""Question → the sentence of the documents that answers it, its answering span, or an honest "not found".

No language model. The question is read in English (a French one is glossed,
answering/language.py) and made stand-alone from the conversation
(answering/followup.py); it is embedded once. The sentences of the retrieved
passages are scored with their stored embeddings (no extra model call), the
rare words they share with the question, and whether they hold an answer of the
kind asked for (answering/question_type.py); words are compared by index/text.py's
stems. When the best one is not convincing
enough, the assistant declines and lists the closest passages instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from docqa.index import text
from docqa.index.answering import followup, language, question_type
from docqa.index.answering.base import Answer, Source
from docqa.index.retrieval.search import Passage, Searcher, SearchMode, resolved

__all__ = ["Answer", "AnswerSettings", "ExtractiveAnswerer", "NOT_FOUND", "Source", "content_words"]

NOT_FOUND = language.MESSAGES["en"]["not_found"]

# Words that say what kind of answer is wanted rather than what it is about.
_CUE_WORDS = frozenset(
    """number date year time day month kind type name full define definition meaning mean stand long
    big large size amount total""".split()
)
_ANAPHORA = frozenset("it its this these those they their such he she his her il elle ils elles ce cette ces".split())
_NAMES_SCAN_LIMIT = 50_000
"""Chunks read to learn the collection's names (for follow-ups); bounded so huge indexes start fast."""


def content_words(text_: str) -> set[str]:
    """Lower-cased words of `text_` that carry meaning (no stop or question words, no 1-letter words)."""
    return text.content_words(text_)


@functools.lru_cache(maxsize=8192)  # the same retrieved sentences come back question after question
def _stems(text_: str) -> frozenset[str]:
    return frozenset(text.match_stem(w) for w in content_words(text_))


def _with_antecedent(chunk, span: tuple[int, int]) -> tuple[int, int]:
    """Extend `span` to the previous sentence when it opens with a pronoun (it needs that sense)."""
    first = re.match(r"\w+", chunk.text[span[0] : span[1]])
    spans = list(chunk.sentences)
    position = spans.index(span)
    if first and first.group().lower() in _ANAPHORA and position > 0:
        return (spans[position - 1][0], span[1])
    return span


def _is_heading(chunk, span: tuple[int, int]) -> bool:
    """The document's title or a short line ending with a colon: it labels text rather than stating a fact."""
    line = chunk.text[span[0] : span[1]].strip()
    return line == chunk.document.title.strip() or (line.endswith(":") and len(line.split()) <= 8)


@dataclass(frozen=True)
class AnswerSettings:
    """Knobs of the answerer (calibrated on corpus/questions.jsonl, see README)."""

    passages: int = 5
    min_score: float = 0.39
    """Below this confidence the assistant declines to answer."""
    lexical_weight: float = 0.4
    type_weight: float = 0.1
    """Bonus for a sentence holding an answer of the kind asked for (a date for *when*...)."""
    missing_type_penalty: float = 0.15
    """Confidence lost when a *when/how many/who...* question gets a sentence without such a span."""
    missing_number_penalty: float = 1.0
    """The same for *when / how many / how much*, whose answers (dates, numbers) are easy to recognise."""
    uncovered_penalty: float = 0.2
    """Confidence lost, in proportion, for the question's topic words (not names) missing from the sentence."""


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    span: tuple[int, int]
    context: tuple[int, int]
    similarity: float
    stems: frozenset[str]
    typed: tuple[int, int] | None


class ExtractiveAnswerer:
    """Answers with the documents' own sentences (an `Answerer`, registered as "extractive")."""

    def __init__(self, searcher: Searcher, *, settings: AnswerSettings = AnswerSettings()) -> None:
        self.searcher = searcher
        self.settings = settings

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """Words the collection writes as names (ICPerMed, ERA...), learnt once from the index."""
        index = self.searcher.index
        texts = (index.chunk(i).text for i in range(min(len(index), _NAMES_SCAN_LIMIT)))
        return followup.name_vocabulary(texts)

    def read_question(self, question: str, *, history: Sequence[Mapping[str, str]] = ()) -> tuple[str, str, str]:
        """(language, english, query): the question glossed into English if French, then made stand-alone from `history`."""
        lang = language.detect_language(question)
        english = (language.gloss_french(question) or question) if lang == "fr" else question

        def normalise(turn: str) -> str:
            return language.gloss_french(turn) if language.detect_language(turn) == "fr" else turn

        return lang, english, followup.rewrite(english, history, names=self.names, normalise=normalise)

    def ask(self, question: str, *, history: Sequence[Mapping[str, str]] = (), mode: SearchMode | str | None = None) -> Answer:
        """Answer `question` from the documents (`history`: earlier turns, oldest first; `mode`: None for the default)."""
        lang, english, query = self.read_question(question, history=history)
        pending = self.searcher.query_vector(query)
        options = {"mode": mode} if mode else {}
        passages = self.searcher.search(query, k=self.settings.passages, query_vector=pending, **options)
        query_vector = resolved(pending)
        declined = Answer(
            answer=language.message("not_found", lang),
            answered=False,
            sources=[self._source(p) for p in passages],
            language=lang,
            query=query,
        )
        kind = question_type.classify(query)
        best = self._best_sentence(query, kind, query_vector, passages, own_words=english)
        if best is None:
            return declined
        candidate, confidence = best
        if confidence < self.settings.min_score:
            return Answer(**{**vars(declined), "confidence": round(confidence, 4)})
        chunk = candidate.passage.chunk
        start, end = candidate.context
        highlights = [(candidate.typed[0] - start, candidate.typed[1] - start)] if candidate.typed else []
        sources = [self._source(candidate.passage, candidate.context)]
        # Overlapping passages of the same document may hold the answer too: show where.
        doc_start, doc_end = chunk.start + start, chunk.start + end
        for p in passages:
            if p is not candidate.passage:
                other = p.chunk
                inside = other.document.doc_id == chunk.document.doc_id and other.start <= doc_start and doc_end <= other.end
                sources.append(self._source(p, (doc_start - other.start, doc_end - other.start) if inside else None))
        return Answer(
            answer=chunk.text[start:end],
            answered=True,
            sources=sources,
            highlights=highlights,
            language=lang,
            confidence=round(confidence, 4),
            query=query,
        )

    def _candidates(self, query: str, kind: str, query_vector: np.ndarray, passages: list[Passage]) -> list[_Candidate]:
        vectors = self.searcher.index.sentence_vectors
        question_stems = _stems(query)
        candidates: list[_Candidate] = []
        seen: set[int] = set()  # overlapping chunks share sentences: score each once
        for passage in passages:
            chunk = passage.chunk
            if not chunk.sentence_rows:
                continue
            dense = np.asarray(vectors[list(chunk.sentence_rows)], dtype=np.float32) @ query_vector
            for position, (row, span, similarity) in enumerate(zip(chunk.sentence_rows, chunk.sentences, dense)):
                if row in seen or _is_heading(chunk, span):
                    continue
                seen.add(row)
                # A sentence opening with a pronoun is about its antecedent: give it those words too.
                context = _with_antecedent(chunk, span)
                if context != span:  # its stored embedding lacks the subject: credit the pair's mean
                    similarity = max(similarity, (similarity + dense[position - 1]) / 2)
                typed = None
                if kind != question_type.OTHER:
                    # The sentence itself first; else its antecedent, which is shown with it.
                    for part in (span, context) if context != span else (span,):
                        shown = chunk.text[part[0] : part[1]]
                        found = question_type.find_spans(shown, kind)
                        local = question_type.best_span(shown, found, question_stems)
                        if local:
                            typed = (local[0] + part[0], local[1] + part[0])
                            break
                candidates.append(
                    _Candidate(passage, span, context, float(similarity), _stems(chunk.text[context[0] : context[1]]), typed)
                )
        return candidates

    def _best_sentence(
        self, query: str, kind: str, query_vector: np.ndarray, passages: list[Passage], *, own_words: str = ""
    ) -> tuple[_Candidate, float] | None:
        candidates = self._candidates(query, kind, query_vector, passages)
        if not candidates:
            return None
        words = {w: language.related(w) for w in _stems(query)}
        # Words rare among the candidate sentences say more about which one answers.
        n = len(candidates)
        weight = {w: float(np.log(1 + n / (0.5 + sum(bool(alike & c.stems) for c in candidates)))) for w, alike in words.items()}
        total = sum(weight.values()) or 1.0
        # The topic is what the visitor's own words ask about: words borrowed from earlier turns do not count.
        topic = [language.related(text.match_stem(w)) for w in content_words(own_words or query) - _ANAPHORA if w not in self.names and w not in _CUE_WORDS]
        settings = self.settings
        scored = []
        for c in candidates:
            overlap = sum(weight[w] for w, alike in words.items() if alike & c.stems) / total
            score = c.similarity + settings.lexical_weight * overlap
            # A span of the right shape counts when the sentence also says what the question is about.
            if c.typed and (not topic or any(alike & c.stems for alike in topic)):
                score += settings.type_weight
            scored.append((score, c))
        score, best = max(scored, key=lambda pair: pair[0])
        confidence = score
        missing = sum(not alike & best.stems for alike in topic) / len(topic) if topic else 0.0
        if kind in question_type.TYPED and best.typed is None:
            # No date for a *when*, no number for a *how many*: this sentence cannot be the answer.
            strict = kind in (question_type.WHEN, question_type.HOW_MANY, question_type.HOW_MUCH)
            confidence -= settings.missing_number_penalty if strict else settings.missing_type_penalty
        elif kind in question_type.TYPED and missing == 1.0:
            confidence -= settings.missing_type_penalty
        confidence -= settings.uncovered_penalty * missing
        if own_words and own_words != query and missing == 1.0:
            # A completed follow-up borrows words that inflate the match: its own words must be answered.
            confidence -= settings.missing_number_penalty
        return best, confidence

    @staticmethod
    def _source(passage: Passage, span: tuple[int, int] | None = None) -> Source:
        chunk = passage.chunk
        return Source(
            doc_id=chunk.document.doc_id,
            title=chunk.document.title,
            source=chunk.document.source,
            text=chunk.text,
            score=round(passage.score, 4),
            answer_span=span,
        )
