"""The candidate sentences of the retrieved passages, in the hand-set selection order.

Every sentence of the passages (each chunk read once, sentence_reading.py) is a candidate but headings, scored once
where overlapping chunks share it: its cosine to the question (its stored vector; credited with its antecedent's,
its question heading's or its headline's when it is read with them), the question's words it holds weighted by
their rarity among the candidates, a bonus when it holds a span of the kind asked for (a date for *when*) and says
what the question is about, and a larger one when it is what the question asks for by its form (an acronym's
definition, the title or section heading asked for, both counts compared, a period in brackets). The answerer
(extractive.py) compares the best few with its features and ranker.

    CandidateFinder(index, reader, *, lexical_weight, type_weight, definition_weight)
        .ranked(query, kind, query_vector, passages, *, own_words)   ([Scored], the first passage's best cosine)
        .topic(own_words, query, kind)     what the visitor's own words ask about, as sets of related stems
        .read_chunk(chunk)                 its sentences as read (cached)
    Candidate, Scored
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from docqa.index import text
from docqa.index.answering import acronyms, aliases, comparison, initialisms, page_title, periods, question_type, status, thesaurus
from docqa.index.answering.question_reading import QuestionReader
from docqa.index.answering.sentence_reading import ANAPHORA, evidence_text, name_heads, read_sentences, stems_of, the_heads
from docqa.index.retrieval.search import Passage

__all__ = ["Candidate", "CandidateFinder", "Scored"]

# Words that say what kind of answer is wanted rather than what it is about.
_CUE_WORDS = frozenset(
    """number date year time day month kind type name full define definition meaning mean stand long
    big large size amount total period duration status role capacity""".split()
)
_CUE_STEMS = frozenset(text.match_stem(w) for w in _CUE_WORDS)  # "years" is a cue as "year" is
# Asked *when*, these verbs ask for the subject's own period ("Which years does it run?"), not about another event.
_WHEN_CUE_STEMS = _CUE_STEMS | frozenset(text.match_stem(w) for w in ("run", "last", "cover", "span"))


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage that may answer the question, as the finder read it."""

    passage: Passage
    span: tuple[int, int]
    """The sentence, in the passage's text."""
    context: tuple[int, int]
    """The sentence with what it is read with (its antecedent, the question heading it), as shown."""
    similarity: float
    """Its cosine to the question (credited with its antecedent's, heading's or headline's)."""
    stems: frozenset[str]
    typed: tuple[int, int] | None
    """A span of the kind asked for (a date for *when*), in the passage's text."""
    defines: bool = False
    """The sentence defines the acronym the question asks about (`typed` is then its long form), or the acronym of what
    the question asks the acronym of (`typed` is then the acronym)."""
    titles: bool = False
    """The sentence is the page's title, or a section's heading, which the question asks for (`typed` is then all of
    it)."""
    compares: bool = False
    """The sentence gives both counts the question compares (`typed` is then the one it asks for)."""
    dated: bool = False
    """The sentence writes the period asked for in brackets beside what the question names (periods.py; `typed` is
    then the year range)."""
    reported: bool = False
    """The document's headline reports this sentence ("…an international Action Plan published" reports "ICPerMed has
    recently published a consensus view…", which never says "Action Plan")."""
    stated: bool = False
    """The sentence writes the status asked for beside the name asked about (status.py; `typed` is then the status
    phrase: "(ERA PerMed), that is actually in preparation")."""

    @property
    def read(self) -> str:
        """What the evidence reads of it (`evidence_text`)."""
        return evidence_text(self.passage.chunk, self.context, reported=self.reported)

    @property
    def by_form(self) -> bool:
        """The sentence is what the question asks for by its form alone: a definition, the title asked for, both counts
        compared, the period or the status asked for."""
        return self.defines or self.titles or self.compares or self.dated or self.stated


@dataclass(frozen=True)
class Scored:
    """A candidate and its hand-set selection score (cosine + weighted word overlap + bonuses)."""

    score: float
    overlap: float
    candidate: Candidate


class CandidateFinder:
    """Finds and orders one collection's candidate sentences for a question (weights: AnswerSettings')."""

    def __init__(self, index, reader: QuestionReader, *, lexical_weight: float, type_weight: float, definition_weight: float) -> None:
        self.index = index
        self.reader = reader
        self.lexical_weight = lexical_weight
        self.type_weight = type_weight
        self.definition_weight = definition_weight
        self._subjects: dict[str, frozenset[str]] = {}  # a document title → _title_subject's stems
        # The same chunks come back question after question: read each once (sentence_reading.py).
        self.read_chunk = functools.lru_cache(maxsize=2048)(functools.partial(read_sentences, named_by_head=self.named_by_head))

    def named_by_head(self, chunk, sentence: str) -> frozenset[str]:
        """The stems of the names `sentence` stands for: by their head noun ("the foundation" for the Northern Science
        Foundation its document's title or passage names), and the names of its document's title that the text gives
        a short form (the page's subject, "About us: Northern Science Foundation": "The chair of the Board is…" is
        its board's chair); with that short form ("NSF")."""
        heads = name_heads(chunk)
        subject = self._title_subject(chunk.document.title)
        found = [heads[noun] for noun in the_heads(sentence) if noun in heads]
        return subject.union(*(self._name_stems(name) for name in found)) if found else subject

    def _name_stems(self, name: str) -> frozenset[str]:
        """A name's stems and its short form's."""
        return stems_of(f"{name} {self.reader.initials.short_forms.get(name, '')}")

    def _title_subject(self, title: str) -> frozenset[str]:
        """The stems of the names `title` writes that the text gives a short form (read once per title)."""
        if (known := self._subjects.get(title)) is None:
            named = [name for name in initialisms.names(title) if name in self.reader.initials.short_forms]
            known = self._subjects[title] = frozenset().union(*(self._name_stems(name) for name in named))
        return known

    def _candidates(
        self, query: str, kind: str, query_vector: np.ndarray, passages: list[Passage]
    ) -> tuple[list[Candidate], float]:
        """The candidate sentences of `passages`, and the best sentence cosine of the first passage."""
        vectors = self.index.sentence_vectors
        question_stems = stems_of(query)
        acronym = acronyms.asked_acronym(query)
        short_asked = acronyms.asked_short_form(query) if acronym is None else None  # "the acronym of the consortium"
        # Another name is asked for by a question of no other type ("How many MSPs are known as…?" asks a number).
        alias = aliases.asked_alias(query) if acronym is None and kind in (question_type.OTHER, question_type.DEFINITION) else None
        title = page_title.asks_for_title(query)
        section = not title and page_title.asks_for_section_heading(query)
        compared = comparison.asked_comparison(query)
        clock = kind == question_type.WHEN and question_type.asks_clock_time(query)  # "What time is lunch?": 13:00, no date
        # "Which years does the Secretariat run?" (asked "years? (ICPerMed CSA)" as a follow-up, it reads as no kind)
        period = kind in (question_type.WHEN, question_type.OTHER) and periods.asks_for_period(query)
        status_asked = not title and status.asks_for_status(query)  # "What is the current status of ERA PerMed?"
        candidates: list[Candidate] = []
        seen: dict[int, int] = {}  # overlapping chunks share sentences: score each once (row -> its candidate)
        orphans: set[int] = set()  # rows seen opening a chunk with a pronoun, their antecedent out of reach
        top_cosine = 0.0
        for passage in passages:
            chunk = passage.chunk
            if not chunk.sentence_rows:
                continue
            dense = np.asarray(vectors[list(chunk.sentence_rows)], dtype=np.float32) @ query_vector
            if passage is passages[0]:
                top_cosine = float(dense.max())
            read = self.read_chunk(chunk)
            for position, (row, span, similarity) in enumerate(zip(chunk.sentence_rows, chunk.sentences, dense)):
                sentence = read[position]
                titles = title and sentence.own_title
                # A section's heading asked for: the heading is read with the sentence that opens its section (the
                # page's own title heads no section of it).
                titles = titles or (section and sentence.heading and not sentence.own_title and position + 1 < len(chunk.sentences))
                if (sentence.heading and not titles) or (row in seen and row not in orphans):
                    continue
                context = sentence.context
                if row in seen and context == span:
                    continue  # an orphan is scored again only where its antecedent is (a chunk it does not open)
                if sentence.answers_heading:  # asked as the page asks it, the answer under it is what is asked
                    similarity = max(similarity, dense[position - 1])
                elif context != span:  # its stored embedding lacks the subject: credit the pair's mean
                    similarity = max(similarity, (similarity + dense[position - 1]) / 2)
                elif sentence.reported:  # so does the sentence a headline reports: credit its mean with the headline's
                    similarity = max(similarity, (similarity + dense[0]) / 2)
                stems = sentence.stems
                if section and titles:
                    following = chunk.sentences[position + 1]
                    stems = stems | stems_of(chunk.text[following[0] : following[1]])
                    similarity = max(similarity, dense[position + 1])
                typed, defines, compares, dated, stated = None, False, False, False, False
                if titles:
                    typed = span  # the title asked for, all of it
                elif compared and (count := comparison.compared_span(chunk.text[span[0] : span[1]], compared)):
                    typed, compares = (count[0] + span[0], count[1] + span[0]), True
                elif acronym and (long_form := acronyms.defines(chunk.text[span[0] : span[1]], acronym)):
                    typed, defines = (long_form[0] + span[0], long_form[1] + span[0]), True
                elif short_asked and (short := acronyms.short_form_span(chunk.text[span[0] : span[1]], short_asked)):
                    typed, defines = (short[0] + span[0], short[1] + span[0]), True
                elif alias and (other := aliases.alias_span(chunk.text[span[0] : span[1]], alias)):
                    typed = (other[0] + span[0], other[1] + span[0])  # the other name asked for
                elif period and (years := periods.period_span(chunk.text[span[0] : span[1]], query)):
                    typed, dated = (years[0] + span[0], years[1] + span[0]), True
                elif status_asked and (phrase := status.status_span(chunk.text[span[0] : span[1]], query)):
                    typed, stated = (phrase[0] + span[0], phrase[1] + span[0]), True
                elif kind != question_type.OTHER:
                    # The sentence itself first; else its antecedent, which is shown with it.
                    for part in (span, context) if context != span else (span,):
                        shown = chunk.text[part[0] : part[1]]
                        found = question_type.clock_times(shown) if clock else question_type.find_spans(shown, kind, names=self.reader.names)
                        local = question_type.best_span(shown, found, question_stems)
                        if local:
                            typed = (local[0] + part[0], local[1] + part[0])
                            break
                candidate = Candidate(
                    passage, span, context, float(similarity), stems, typed, defines, titles, compares, dated, sentence.reported, stated
                )
                if row in seen:
                    candidates[seen[row]] = candidate
                    orphans.discard(row)
                    continue
                seen[row] = len(candidates)
                candidates.append(candidate)
                if sentence.orphan:
                    orphans.add(row)
        return candidates, top_cosine

    def ranked(
        self, query: str, kind: str, query_vector: np.ndarray, passages: list[Passage], *, own_words: str = ""
    ) -> tuple[list[Scored], float]:
        """The candidate sentences, best first by selection score, and the first passage's best sentence cosine."""
        candidates, top_cosine = self._candidates(query, kind, query_vector, passages)
        if not candidates:
            return [], top_cosine
        words = {w: thesaurus.related(w) for w in stems_of(query)}
        # Words rare among the candidate sentences say more about which one answers.
        n = len(candidates)
        weight = {w: float(np.log(1 + n / (0.5 + sum(bool(alike & c.stems) for c in candidates)))) for w, alike in words.items()}
        total = sum(weight.values()) or 1.0
        # The topic is what the visitor's own words ask about: words borrowed from earlier turns do not count.
        topic = self.topic(own_words, query, kind)
        scored = []
        for c in candidates:
            overlap = sum(weight[w] for w, alike in words.items() if alike & c.stems) / total
            score = c.similarity + self.lexical_weight * overlap
            # A span of the right shape counts when the sentence also says what the question is about.
            if c.typed and (not topic or any(alike & c.stems for alike in topic)):
                score += self.type_weight
            if c.by_form:
                score += self.definition_weight
            scored.append(Scored(score, overlap, c))
        scored.sort(key=lambda s: -s.score)
        return scored, top_cosine

    def topic(self, own_words: str, query: str, kind: str) -> list[frozenset[str]]:
        """What the visitor's own words ask about (names and cue words aside), as sets of related stems."""
        cues = _WHEN_CUE_STEMS if kind == question_type.WHEN else _CUE_STEMS
        return [
            thesaurus.related(text.match_stem(w))
            for w in text.content_words(own_words or query) - ANAPHORA
            if w not in self.reader.names and text.match_stem(w) not in cues
        ]
