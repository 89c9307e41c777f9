"""Question → the sentence of the documents that answers it, its answering span, or an honest "not found".

No language model. The question is read as the collection writes its words, in English (a
French one is glossed) and made stand-alone from the conversation (answering/question_reading.py);
it is embedded once. The sentences of the retrieved passages (each chunk read once by
answering/sentence_reading.py: a pronoun's antecedent, headings, the sentence a headline reports)
are ordered by answering/candidates.py: their stored embeddings, the rare words they share with the
question, and whether they hold an answer of the kind asked for (answering/question_type.py); for
"what does X stand for?" the sentence defining X is the answer (answering/acronyms.py).
The best four are each described by a few numbers (answering/features.py: how
close it is by meaning and by words, whether the text says what the question takes
for granted, answering/premise.py); a fitted ranker (answering/ranker.py) chooses one of them,
and a small logistic regression fitted on held-out
data (answering/confidence.py, the shipped confidence-model.json) turns them into
`Answer.confidence`, the probability that the answer is right. Below the model's
operating point (or `AnswerSettings.min_score`, when set) the assistant declines and
lists the closest passages instead. A follow-up none of whose own topic words the
sentence holds gets probability 0 (it matched through the earlier turn's words only), and so does an
answer whose sentence, by a check of answering/answer_checks.py (and sentence_declines.py's table it reads), does
not state what is asked (another name, an opposite, no year written, a yes/no question's name it does not write…).
These checks read only answers at or above the operating point: one below it is declined as it is, with the
model's probability (its checks would cost ~0.3 ms and could only decline it again).

The answer shown is the sentence (with the previous one when it opens with a pronoun),
and for a question asking for a list or a description the next sentences that go on
with it (answering/continuation.py); `short_answer` is answering/short_answer.py's span
of it, and `highlights` the span of the kind asked for, else that short answer.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from docqa.index import text
from docqa.index.answering import confidence as confidence_model
from docqa.index.answering import acronyms, aliases, answer_checks, continuation, features, followup, language, number_words, other_language, page_answers, page_title, premise, question_type, ranker, rephrase, short_answer, spelling, token_support
from docqa.index.answering.base import Answer, Source
from docqa.index.answering.candidates import Candidate, CandidateFinder, Scored
from docqa.index.answering.question_reading import QuestionReader
from docqa.index.answering.question_shape import read_question
from docqa.index.answering.sentence_reading import evidence_text
from docqa.index.answering.utterance import read_utterance
from docqa.index.embedding.token_vectors import token_vectors_of
from docqa.index.retrieval.search import Passage, Searcher, SearchMode, resolved

__all__ = ["Answer", "AnswerSettings", "ExtractiveAnswerer", "NOT_FOUND", "Source"]

NOT_FOUND = language.MESSAGES["en"]["not_found"]

BY_FORM_PROBABILITY = 0.9
"""The confidence of an answer that is what the question asks for by its form, when the model says less: to "what
does X stand for?", the sentence defining X as "Long Form (X)" (answering/acronyms.py); to "what is the headline of
this page?", the page's title (answering/page_title.py); to "are there more X than Y?", a sentence counting both
(answering/comparison.py). The fitted model cannot weigh this evidence (SQuAD has a handful of such questions) and
the answer is right whenever the definition, title or counts are (see ARCHITECTURE.md)."""
_TERMS_UNKNOWN = features.FEATURES.index("terms_unknown")
WARM_SENTENCES = 512
"""At most this many sentences in the collection: `warm_up` makes all their token vectors at start-up (the backends'
memo keeps 32 MB of them, about a thousand sentences)."""
_NUMBER_WORD = re.compile(
    rf"\d|\b(?:{number_words.COUNT_WORD}|half|quarter|several|many"
    r"|few|january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|autumn"
    r"|winter|centur(?:y|ies)|(?:decade|year|month|week|day|hour)s?|ago)\b",
    re.IGNORECASE,
)
"""Words a count, an amount or a date is written with: a short answer holding none is not one."""


@dataclass(frozen=True)
class AnswerSettings:
    """Knobs of the answerer (sentence choice calibrated on corpus/questions.jsonl; confidence fitted on SQuAD, see confidence.py)."""

    passages: int = 5
    min_score: float | None = None
    """Below this confidence (a probability) the assistant declines; None: the confidence model's operating point."""
    confidence_model: Path | None = None
    """The confidence model file; None: the shipped one (answering/confidence-model.json)."""
    lexical_weight: float = 0.4
    type_weight: float = 0.1
    """Bonus for a sentence holding an answer of the kind asked for (a date for *when*...)."""
    definition_weight: float = 1.0
    """Bonus for a sentence defining the acronym the question asks about: it is the answer."""
    rerank: bool = True
    """Let the learned ranker (answering/ranker.py) choose among the best few sentences of the hand-set order."""
    ranker_model: Path | None = None
    """The ranker model file; None: the shipped one (answering/ranker-model.json)."""
    correct_typos: bool = True
    """Read a word of the question one keystroke from a word of the documents as that word (answering/spelling.py)."""


@dataclass(frozen=True)
class Assessment:
    """The answerer's best sentence for a question, what speaks for it, and the probability that it is right."""

    language: str
    query: str
    passages: list[Passage]
    candidate: Candidate | None
    """The best sentence (None when the passages hold no sentence)."""
    features: tuple[float, ...]
    """Its feature vector: features.FEATURES' order from `assess_several`, features.CONFIDENCE_FEATURES' from `assess`
    (empty when there is no candidate)."""
    confidence: float
    """The probability that the candidate is right (0 when there is none)."""
    english: str = ""
    """The visitor's own question in English (glossed if French), before any completion from the conversation."""
    kind: str = question_type.OTHER
    """The answer type the (completed) question asks for (question_type.classify)."""
    asked: str = ""
    """The completed question before its plain form (`query`): the short answer reads it, so that what the visitor
    set aside ("besides gravity") or named as the answer's kind ("what type of venue") still counts."""


@dataclass(frozen=True)
class _Asked:
    """What the evidence reads of a question (answering/features.py), once for all its candidates."""

    question: str
    """The question the sentence is checked against (English; a follow-up completed from the conversation)."""
    follow_up: bool
    topic: list[frozenset[str]]
    terms: dict[str, float]
    premise: premise.Premise
    max_idf: float


class ExtractiveAnswerer:
    """Answers with the documents' own sentences (an `Answerer`, registered as "extractive")."""

    def __init__(self, searcher: Searcher, *, settings: AnswerSettings = AnswerSettings()) -> None:
        self.searcher = searcher
        self.settings = settings
        self.model = confidence_model.load_model(settings.confidence_model).check_features(features.CONFIDENCE_FEATURES)
        # An embedder without token vectors (a custom ONNX file exported before they were an output) leaves the token
        # feature at the mean it was fitted with: no evidence either way.
        self._token_support_mean = self.model.mean[features.CONFIDENCE_FEATURES.index("least_supported_token")]
        self.ranker = ranker.load_ranker(settings.ranker_model) if settings.rerank else None
        # The same passages and sentences come back question after question: keep their index terms.
        self._terms_of = functools.lru_cache(maxsize=8192)(self._index_terms)
        self.reader = QuestionReader(searcher.index, correct_typos=settings.correct_typos)
        self.finder = CandidateFinder(
            searcher.index,
            self.reader,
            lexical_weight=settings.lexical_weight,
            type_weight=settings.type_weight,
            definition_weight=settings.definition_weight,
        )

    def _index_terms(self, text_: str) -> frozenset[str]:
        return frozenset(self.searcher.index.bm25.tokenizer.tokenize(text_))

    @property
    def threshold(self) -> float:
        """Answers less likely than this to be right are declined (`min_score`, else the model's operating point)."""
        return self.model.operating_point if self.settings.min_score is None else self.settings.min_score

    @property
    def names(self) -> frozenset[str]:
        """Words the collection writes as names (icpermed, era...), in lower case (question_reading.py)."""
        return self.reader.names

    def read_question(self, question: str, *, history: Sequence[Mapping[str, str]] = ()) -> tuple[str, str, str]:
        """(language, english, query): `question` read as the collection writes its words and made stand-alone from
        `history` (QuestionReader.read)."""
        return self.reader.read(question, history=history)

    def assess(
        self, question: str, *, history: Sequence[Mapping[str, str]] = (), mode: SearchMode | str | None = None
    ) -> Assessment:
        """The best sentence for `question`, its features and the probability that it is right (no decision).

        A follow-up's pronoun may stand for what the earlier question asked about or for its answer ("Who published
        the plan?" then "What is their aim?"): when the earlier question asked who did something, the follow-up is
        also read about the name that answered it, and the reading with the more probable answer is kept."""
        found = self._assess(question, history=history, mode=mode)
        answerer = self._answered_subject(question, history)
        if answerer is not None:
            other = self._assess(question, history=[*history, {"role": "user", "content": answerer}], mode=mode)
            if other.confidence > found.confidence:
                return other
        return found

    def _answered_subject(self, question: str, history: Sequence[Mapping[str, str]]) -> str | None:
        """The name that answered the latest turn, when it asked who did something ("Who published the plan?",
        "Which body issued it?") and `question` leans on it with a pronoun; else None."""
        if len(history) < 2 or history[-1].get("role") != "assistant" or history[-2].get("role") != "user":
            return None
        asked, reply = history[-2].get("content", ""), history[-1].get("content", "")
        if not followup.points_back(question) or reply in (messages["not_found"] for messages in language.MESSAGES.values()):
            return None
        shape = read_question(asked)
        if shape.role != "subject" or shape.kind not in ("who", "which_head"):
            return None
        span = self._short_answer(asked, reply, 0, kind=question_type.classify(asked))
        name = reply[span[0] : span[1]] if span else ""
        if not followup.names_in(name, self.names):
            return None
        # by the short form the text gives it, as the text goes on to call it ("The aim of ICPerMed…")
        return self.reader.initials.short_forms.get(re.sub(r"^(?:the|The)\s+", "", name), name)

    def _assess(
        self, question: str, *, history: Sequence[Mapping[str, str]] = (), mode: SearchMode | str | None = None
    ) -> Assessment:
        count = 1 if self.ranker is None else self.ranker.top
        options = self.assess_several(question, history=history, mode=mode, count=count)
        best = options[0]
        if question_type.asks_means_explicitly(best.query) and (typed := [o for o in options if o.candidate is not None and o.candidate.typed]):
            # The ranker has no feature for a way of doing ("by …"): it chooses among the sentences that write one.
            options = typed
            best = options[0]
        if best.kind != question_type.DEFINITION and (noun := question_type.kinds_asked(question)) and (
            kinds := [o for o in options if o.candidate is not None and not question_type.names_only_one_of(self._shown_text(o.candidate), noun)]
        ):
            # "What kinds of ministries…?": a sentence naming one ministry does not say which kinds ("What kind of action
            # is the CSA?" asks what the CSA is: its defining sentence may name the action)
            options = kinds
            best = options[0]
        if self.ranker is not None and len(options) > 1 and not best.candidate.by_form:
            scores = self.ranker.scores(ranker.ranking_rows([o.features for o in options]))
            best = options[int(np.argmax(np.where(np.isfinite(scores), scores, -np.inf)))]
        if best.candidate is None:
            return best
        kind, query, english = best.kind, best.query, best.english
        candidate, shown = best.candidate, self._shown_text(best.candidate)
        vector = (*best.features, self._token_support(query, candidate.read))
        probability = float(self.model.probability(vector))
        if not math.isfinite(probability):
            probability = 0.0  # a non-finite feature (a damaged vector) is no evidence: decline rather than say NaN
        if candidate.by_form:
            probability = max(probability, BY_FORM_PROBABILITY)
        elif probability < self.threshold:
            pass  # declined already: the checks below could only decline it again (~0.3 ms a question)
        elif answer_checks.failed_check(
            answer_checks.Proposed(
                query=query,
                english=english,
                kind=kind,
                sentence=candidate.passage.chunk.text[candidate.span[0] : candidate.span[1]],
                shown=shown,
                passage=candidate.passage.chunk.text,
                retrieved=tuple(p.chunk.text for p in best.passages),
                typed=candidate.typed is not None,
                terms_unknown=vector[_TERMS_UNKNOWN] >= 1.0,
                read=candidate.read,
            ),
            names=self.names,
        ):
            probability = 0.0  # its sentence does not say what is asked (answering/answer_checks.py)
        return dataclasses.replace(best, features=vector, confidence=probability)

    def warm_up(self) -> None:
        """Make every sentence's token vectors, as shown, when the collection has at most WARM_SENTENCES sentences (one
        model run each, ~3 ms), so that no visitor waits for one; a larger collection makes them as they are shown."""
        index = self.searcher.index
        if len(index.sentence_vectors) > WARM_SENTENCES:
            return
        for chunk_id in range(len(index)):
            chunk = index.chunk(chunk_id)
            for sentence in self.finder.read_chunk(chunk):
                token_vectors_of(self.searcher.embedder, evidence_text(chunk, sentence.context, reported=sentence.reported))

    def _token_support(self, query: str, read: str) -> float:
        """token_support.least_supported for the question (its token vectors kept from its retrieval embedding) and
        what the evidence reads of the sentence (`evidence_text`); the fitted mean when the embedder gives none."""
        embedder = self.searcher.embedder
        asked, said = token_vectors_of(embedder, query), token_vectors_of(embedder, read)
        support = token_support.least_supported(asked, query, said) if asked is not None and said is not None else None
        return self._token_support_mean if support is None else support

    @staticmethod
    def _shown_text(candidate: Candidate) -> str:
        """The candidate's sentence with its antecedent, as the answer shows them."""
        return candidate.passage.chunk.text[candidate.context[0] : candidate.context[1]]

    def assess_several(
        self, question: str, *, history: Sequence[Mapping[str, str]] = (), mode: SearchMode | str | None = None, count: int = 1
    ) -> list[Assessment]:
        """The `count` best sentences for `question` by the hand-set selection score, best first, each with its
        features computed as if it were the answer (confidence 0: not yet weighed). One Assessment with no
        candidate when the passages hold no sentence."""
        lang, own, asked_query = self.read_question(question, history=history)
        # Read in its plain form (answering/rephrase.py): "What kind of body is X?" asks what X is. A stand-alone
        # question's own words are its query: one rewrite serves both.
        english = rephrase.plain(own)
        query = english if asked_query == own else rephrase.plain(asked_query)
        pending = self.searcher.query_vector(query)
        options = {"mode": mode} if mode else {}
        passages = self.searcher.search(query, k=self.settings.passages, query_vector=pending, **options)
        query_vector = resolved(pending)
        kind = question_type.classify(query)
        ranked, top_cosine = self.finder.ranked(query, kind, query_vector, passages, own_words=english)
        if not ranked:
            return [Assessment(lang, query, passages, None, (), 0.0, english, kind, asked_query)]
        asked = self._asked(query, english, kind)
        found = []
        for i in range(min(count, len(ranked))):
            order = [ranked[i], *ranked[:i], *ranked[i + 1 :]]  # as if this one were chosen: the others are its rivals
            evidence = self._evidence(asked, kind, order, top_cosine)
            vector = features.answer_features(evidence, terms_of=self._terms_of)
            found.append(Assessment(lang, query, passages, ranked[i].candidate, vector, 0.0, english, kind, asked_query))
        return found

    def ask(self, question: str, *, history: Sequence[Mapping[str, str]] = (), mode: SearchMode | str | None = None) -> Answer:
        """Answer `question` from the documents (`history`: earlier turns, oldest first; `mode`: None for the default)."""
        found = self.assess(question, history=history, mode=mode)
        lang, query, passages, candidate = found.language, found.query, found.passages, found.candidate
        confidence = round(found.confidence, 4)
        asked = read_utterance(question).question
        read_as = self.reader.spelled(asked, lang)  # cached: what read_question corrected
        read_as = read_as if text.words(read_as) != text.words(asked) else None  # capitals and punctuation alone are no news
        about_site = page_title.asks_for_site(found.english)
        if about_site or page_title.asks_for_tagline(found.english):
            site = page_answers.site_answer(passages, tagline=not about_site, confidence=BY_FORM_PROBABILITY, lang=lang, query=query, read_as=read_as)
            if site is not None:
                return site
        if (wanted := other_language.asked_language(found.english)) is not None:
            linked = page_answers.language_answer(passages, wanted, confidence=BY_FORM_PROBABILITY, lang=lang, query=query, read_as=read_as)
            if linked is not None:
                return linked
        if candidate is None or found.confidence < self.threshold:
            return Answer(
                answer=language.message("not_found", lang),
                answered=False,
                sources=[self._source(p) for p in passages],
                language=lang,
                confidence=confidence,
                query=query,
                read_as=read_as,
            )
        chunk = candidate.passage.chunk
        start, end = self.shown_span(found)
        shown = chunk.text[start:end]
        asked = found.asked or query
        # A long form answers the acronym question as asked, the acronym the short-form one; "What kind of body is
        # ICPerMed?", answered by the sentence defining it when read plainly ("What is ICPerMed?"), asks for neither.
        typed = candidate.typed if not candidate.defines or acronyms.asked_acronym(asked) or acronyms.asked_short_form(asked) else None
        typed = (typed[0] - start, typed[1] - start) if typed else None
        # The short answer: answering/short_answer.py's span, else the span of the kind asked for (a date for *when*);
        # an acronym's long form, the other name asked for or an e-mail / phone / web address is exactly the span asked for.
        asked_alias = found.kind in (question_type.OTHER, question_type.DEFINITION) and aliases.asked_alias(query)
        exact = candidate.by_form or found.kind in question_type.CONTACT or asked_alias
        short = typed if exact and typed else self._short_answer(asked, shown, candidate.span[0] - start, kind=found.kind) or typed
        if short and not exact and end > candidate.span[1] and continuation.leads_into_list(chunk.text, candidate.span[1]):
            # a list's lead-in shown with its list: the list is the answer, no word of the lead-in; but a date or an
            # amount asked for that the lead-in writes is ("The call opens on 3 March 2025 for the following…")
            if not (found.kind in answer_checks.COUNTS_ASKED and _NUMBER_WORD.search(shown[short[0] : short[1]])):
                short = None
        if typed and short and found.kind in answer_checks.COUNTS_ASKED and not _NUMBER_WORD.search(shown[short[0] : short[1]]):
            short = typed  # asked when / how many / how much, the span of that kind rather than words without a number
        highlights = [typed or short] if (typed or short) else []  # the bold: the typed span first (a date for *when*)
        sources = [self._source(candidate.passage, (start, end))]
        # Overlapping passages of the same document may hold the answer too: show where.
        doc_start, doc_end = chunk.start + start, chunk.start + end
        for p in passages:
            if p is not candidate.passage:
                other = p.chunk
                inside = other.document.doc_id == chunk.document.doc_id and other.start <= doc_start and doc_end <= other.end
                sources.append(self._source(p, (doc_start - other.start, doc_end - other.start) if inside else None))
        return Answer(
            answer=shown,
            answered=True,
            sources=sources,
            highlights=highlights,
            language=lang,
            confidence=confidence,
            query=query,
            read_as=read_as,
            short_answer=shown[short[0] : short[1]] if short else None,
        )

    @staticmethod
    def _short_answer(query: str, shown: str, own_start: int, *, kind: str) -> tuple[int, int] | None:
        """short_answer.py's span in `shown`, looked for from `own_start` on: an antecedent shown before the sentence
        only says who its pronoun is, and the question's words it repeats would draw the pick there."""
        span = short_answer.find_short_answer(query, shown[own_start:], kind=kind)
        return None if span is None else (span[0] + own_start, span[1] + own_start)

    @staticmethod
    def shown_span(found: Assessment) -> tuple[int, int]:
        """Where the answer to show sits in its passage's text: the best sentence (with its antecedent when it opens
        with a pronoun) and, for a question asking for a list or a description, the next sentences that go on with it."""
        candidate = found.candidate
        if candidate is None:
            raise ValueError("no candidate sentence to show")
        chunk = candidate.passage.chunk
        start, end = candidate.context
        # A sentence ending with a colon is a list's lead-in: shown with its list, whatever was asked (not a heading
        # asked for, "For further information:", which is the answer itself)
        lead_in = not candidate.by_form and continuation.leads_into_list(chunk.text, end)
        if lead_in or continuation.asks_for_more(found.english):
            end = continuation.continued_end(chunk.text, chunk.sentences, chunk.sentences.index(candidate.span), end=end)
        return start, end

    def _asked(self, query: str, english: str, kind: str) -> _Asked:
        """What the evidence reads of the question, once for all its candidates."""
        bm25 = self.searcher.index.bm25
        documents = len(bm25)
        # A follow-up is weighed as the stand-alone question it was completed to (what the model was fitted on);
        # that the visitor's own words are answered is checked apart (`topic`).
        terms = bm25.query_terms(query)
        if documents < features.FEWEST_PASSAGES:  # a small collection: its IDF is padded with ordinary English
            rates, words = spelling.english_rates(bm25.tokenizer.stemmer), self._words_per_passage
            weights = {t: features.idf(bm25.document_frequency(t), documents, background=1 - math.exp(-words * rates.get(t, 0.0))) for t in terms}
        else:
            weights = {t: features.idf(bm25.document_frequency(t), documents) for t in terms}
        return _Asked(
            question=query,
            follow_up=english != query,
            topic=self.finder.topic(english, query, kind),  # words borrowed from earlier turns do not count
            terms=weights,
            premise=premise.read_premise(query, names=self.names),
            max_idf=features.idf(0, documents),
        )

    @functools.cached_property
    def _words_per_passage(self) -> float:
        """The mean number of words of a passage (read for small collections only: FEWEST_PASSAGES at most)."""
        index = self.searcher.index
        return sum(len(text.words(index.chunk(i).text)) for i in range(len(index))) / max(len(index), 1)

    def _evidence(self, asked: _Asked, kind: str, ranked: list[Scored], top_cosine: float) -> features.Evidence:
        best = ranked[0]
        c = best.candidate
        chunk = c.passage.chunk
        topic = asked.topic
        missing = sum(not alike & c.stems for alike in topic) / len(topic) if topic else 0.0
        return features.Evidence(
            query=asked.question,
            kind=kind,
            sentence=c.read,
            passage=chunk.text,
            passage_rank=c.passage.rank,
            similarity=c.similarity,
            score=best.score,
            overlap=best.overlap,
            topic_missing=missing,
            rule_score=self._rule_score(best.score, kind, c, missing, follow_up=asked.follow_up),
            typed=c.typed is not None,
            runner_up_score=ranked[1].score if len(ranked) > 1 else None,
            best_other_similarity=max((s.candidate.similarity for s in ranked[1:]), default=None),
            top_passage_cosine=top_cosine,
            premise=asked.premise,
            query_terms=asked.terms,
            max_idf=asked.max_idf,
        )

    @staticmethod
    def _rule_score(score: float, kind: str, candidate: Candidate, missing: float, *, follow_up: bool) -> float:
        """The hand-set confidence docqa used before the model (one of its features): the selection score less
        penalties for a typed question without a span of its type and for the question's topic words missing."""
        if kind in question_type.TYPED and candidate.typed is None:
            # No date for a *when*, no number for a *how many*: this sentence cannot be the answer.
            score -= 1.0 if kind in (question_type.WHEN, question_type.HOW_MANY, question_type.HOW_MUCH) else 0.15
        elif kind in question_type.TYPED and missing == 1.0:
            score -= 0.15
        score -= 0.2 * missing
        if follow_up and missing == 1.0:
            score -= 1.0  # a completed follow-up borrows words that inflate the match: its own words must be answered
        return score

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
            language=chunk.document.language,
        )
