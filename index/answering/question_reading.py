"""A question as the collection reads it: its names, their capitals, its typos, French glossed, made stand-alone.

The collection's names (initialisms.py, followup.name_forms) are learnt once from its first chunks; a question is
then read (`read`): the question the utterance asks (utterance.py), written again if its capitals say nothing
(casing.py), its typos corrected against the collection's words (spelling.py), glossed into English if French
(language.py), initials the documents never write read as the name they abbreviate, and made stand-alone from the
conversation (followup.py). The answerer (extractive.py) reads every question through one QuestionReader.

    QuestionReader(index, *, correct_typos=True)
        .read(question, *, history)   (language, english, query)
        .names, .name_forms, .initials, .english(text, lang), .spelled(question, lang)
"""

from __future__ import annotations

import functools
import re
from typing import Mapping, Sequence

from docqa.index import text
from docqa.index.answering import casing, followup, initialisms, language, spelling, tagging
from docqa.index.answering.utterance import read_utterance

__all__ = ["NAMES_SCAN_LIMIT", "QuestionReader"]

NAMES_SCAN_LIMIT = 50_000
"""Chunks read to learn the collection's names (for follow-ups); bounded so huge indexes start fast."""


class QuestionReader:
    """Reads questions as one collection (an index version) writes its words and names."""

    def __init__(self, index, *, correct_typos: bool = True) -> None:
        self.index = index
        self.correct_typos = correct_typos
        """Read a word one keystroke from a word of the documents as that word (spelling.py)."""
        self.spelled = functools.lru_cache(maxsize=4096)(self._spell)  # ~0.4 ms a typo; questions come back

    @functools.cached_property
    def _names_learnt(self) -> tuple[dict[str, str], initialisms.Initials]:
        """The collection's names (followup.name_forms) and its names by their initials (initialisms.py), learnt once
        from its first chunks (at most NAMES_SCAN_LIMIT), each chunk read once for both."""
        index = self.index
        initials = initialisms.InitialsReader()
        forms = followup.name_forms(initials.read(index.chunk(i).text) for i in range(min(len(index), NAMES_SCAN_LIMIT)))
        return forms, initials.initials()

    @property
    def name_forms(self) -> dict[str, str]:
        """Words the collection writes as names, lower case → as written ("icpermed" → "ICPerMed"), learnt once."""
        return self._names_learnt[0]

    @functools.cached_property
    def _case_forms(self) -> dict[str, str]:
        """The names whose capitals a caseless question is given back: acronyms, CamelCase and words English does
        not know in lower case ("ICPerMed", "Danube"), not English words the documents also capitalise in a name
        ("Research" in "European Research Area"), which they mostly write in lower case."""
        return {w: form for w, form in self.name_forms.items() if not (form[1:].islower() and tagging.is_english(w))}

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """Words the collection writes as names (icpermed, era...), in lower case."""
        return frozenset(self.name_forms)

    def read(self, question: str, *, history: Sequence[Mapping[str, str]] = ()) -> tuple[str, str, str]:
        """(language, english, query): the question the text asks (answering/utterance.py: greetings and thanks
        left out, sentences before it read as earlier turns), written again if its capitals say nothing
        (answering/casing.py), its typos corrected (answering/spelling.py), glossed into English if French, then
        made stand-alone from `history`."""

        def normalise(turn: str) -> str:
            return self.english(turn, language.detect_language(turn))

        utterance = read_utterance(question)
        question = utterance.question
        lang = language.detect_language(question)
        # A sentence before the question that names something may be what it is about; "Hi!" is about nothing. Read
        # as earlier turns are, glossed: "J'ai lu sur l'ICPerMed." names ICPerMed.
        history = [*history, *({"role": "user", "content": s} for s in utterance.context if followup.names_in(normalise(s), self.names))]
        english = self.english(question, lang)
        if lang == "fr" and history and language.pronoun_is_subject(question):
            english = f"{english.rstrip(' ?')} it?"  # "contient-il ?": "it" is the conversation's subject

        return lang, english, followup.rewrite(english, history, names=self.names, normalise=normalise)

    def english(self, text_: str, lang: str) -> str:
        """`text_` in English (glossed if French), its capitals and typos corrected, initials the documents never
        write read as the name they abbreviate ("the EC": the European Commission; initialisms.py)."""
        if lang == "fr":  # the French question's capitals are read before the gloss, which keeps its names' forms
            english = self.spelled(language.gloss_french(self.spelled(text_, "fr")) or text_, "en", recase=False)
        else:
            english = self.spelled(text_, "en")
        return self.initials.named(self.initials.expanded(english))

    @property
    def initials(self) -> initialisms.Initials:
        """The collection's names by their initials, and the initials it writes (initialisms.py), learnt once."""
        return self._names_learnt[1]

    def _spell(self, question: str, lang: str, *, recase: bool = True) -> str:
        """`question` as meant: written again if its capitals say nothing (and `recase`), its typos corrected (if the
        settings say so)."""
        question = casing.rejoined(question, forms=self._case_forms, known=self._known)  # "IC PerMed", "ERAPerMed"
        caseless = recase and casing.caseless(question)
        if caseless:
            question = casing.lowered(question, forms=self._case_forms)
        if self.correct_typos:
            question = self._speller.correct_french(question) if lang == "fr" else self._speller.correct(question)
        if not caseless:
            return question
        question = casing.lowered(question, forms=self._case_forms)  # a corrected word in its form: "permd" → "PerMed"
        # French: the gloss respells a word it does not know as its English look-alike ("observateur"), unless it is
        # capitalised as a name; a word missing from its vocabulary is far more often such a word than a name.
        return casing.capitalised(question, known=self._known if lang != "fr" else lambda word: True)

    @functools.cached_property
    def _speller(self) -> spelling.Speller:
        """The collection's typo reader, each word's reading kept (answering/spelling.py)."""
        bm25 = self.index.bm25
        return spelling.Speller(terms=bm25.tokenizer, frequency=bm25.document_frequency, written=self._written)

    def _written(self, word: str, term: str) -> bool:
        """Whether the documents write `word` (in the first chunk holding its index `term`, as a whole word)."""
        chunk = self.index.bm25.first_chunk_with(term)
        return chunk is not None and re.search(rf"\b{word}\b", self.index.chunk(chunk).text, re.IGNORECASE) is not None

    def _known(self, word: str) -> bool:
        """Whether a lower-case `word` is a word of English, of French or of the documents (not a name)."""
        bm25 = self.index.bm25
        return (
            word in bm25.tokenizer.stopwords
            or spelling.english_form(word, english=tagging.is_english)  # a plural too: "enthalpies" is no name
            or language.is_french_word(text.fold(word))
            or spelling.held(word, bm25.tokenizer, bm25.document_frequency)
        )
