"""What a visitor typed → the question it asks: "Hi! When does ERA PerMed start??? Thanks!" asks
"When does ERA PerMed start?".

The question's embedding and every answer feature read all its words, so a greeting, a thank-you or a
sentence about the visitor ("I am a researcher and would like to know something.") moves the answer and its
confidence as much as a word of the question does: such a sentence made the assistant answer most of the bundled
page's held-out questions it should decline. When exactly one sentence of the text asks (it ends with a question
mark; else, none does and it opens with a question word, courtesy aside), that sentence is the question; the sentences before it are
read like earlier turns of the conversation ("I read about ICPerMed. How many members does it have?"), those after
it are left out (the answerer keeps, of the sentences before, those that name something of the documents). So are
courtesies around the question ("Can you please tell me…", "…, please?", "Pouvez-vous me dire…", "svp"), a request
embedding it ("Kindly indicate which body…", "tell me what…") and spoken
fillers before its first word ("so um what…"), and runs
of ? and ! count as one. English contractions typed without their apostrophe, as on a phone ("whats", "whos",
"doesnt"), are read with it: "whats ERA PerMed" asks what ERA PerMed is.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from docqa.index.answering import language
from docqa.index.text import content_words

__all__ = ["Utterance", "load", "read_utterance"]

_MAYBE_SENTENCES = re.compile(r"[.!?]\s+\S")
"""Only a text with a sentence end before its last word is split into sentences (by pysbd, ~0.3 ms)."""
_PUNCTUATION_RUN = re.compile(r"[?!]{2,}")
_FILLER = r"(?:so|um+|uh+|er+m?|hmm+|ok(?:ay)?|well|oh)"
_AUX_FIRST = "is|are|was|were|do|does|did|can|could|will|would|has|have"
# Courtesy around a question, in English and French: "Hi, can you please tell me when…", "…, please?", "svp".
_COURTESY_BEFORE = re.compile(
    r"^\W*(?:(?:hi|hello|hey|bonjour|salut)\b[\s,!.]*)?(?:(?:please|kindly)\b[\s,]*)?"
    # a spoken filler before the question's own first word ("so um what agency runs this website"); before an
    # auxiliary only after a comma or as a sound not written in capitals ("um is it open?"), as a word or an
    # abbreviation may be the question's subject there ("OK is the abbreviation of which state?", "ER is which ward?")
    rf"(?:(?:{_FILLER}\b[\s,]*)*(?:{_FILLER}\b\s*,[\s,]*|(?-i:[Uu]m+|[Uu]h+|[Ee]r+m?|[Hh]mm+)\b\s*)(?=(?:{_AUX_FIRST})\b)"
    rf"|(?:{_FILLER}\b[\s,]*)+(?=(?:what|when|where|who|whom|whose|which|why|how)\b))?"
    r"(?:(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell\s+me|let\s+me\s+know)|do\s+you\s+know|"
    r"i(?:'d|\s+would)\s+like\s+to\s+know|i\s+want\s+to\s+know|i\s+wonder(?:ed)?|i\s+was\s+wondering|"
    # a request before the question it embeds ("Please indicate which body issued this page.", "tell me what…")
    r"(?:tell\s+me|let\s+me\s+know|indicate|specify|explain|say)(?=\s+(?:what|when|where|who|whom|whose|which|why|how)\b)|"
    r"(?:pouvez|pourriez)-vous\s+(?:me\s+dire|m'indiquer)|savez-vous|je\s+voudrais\s+savoir|j'aimerais\s+savoir)\b[\s,:]*)?",
    re.IGNORECASE,
)
_COURTESY_AFTER = re.compile(r"[\s,]+(?:please|thanks|thank\s+you|merci|s'il\s+vous\s+pla[iî]t|svp)\s*(?=[?!.]*$)", re.IGNORECASE)
# Contractions as phones type them, without the apostrophe. Words of their own ("its", "well", "id") are left alone;
# "cant" and "wont", rare as words, are read as can't and won't.
_CONTRACTED = {
    **{f"{w}s": f"{w}'s" for w in "what who where when how that".split()},
    **{f"{w}nt": f"{w}n't" for w in "is does do did are was were has have had would could should ca wo".split()},
}
_APOSTROPHE_LESS = re.compile(r"\b(?:" + "|".join(_CONTRACTED) + r")\b", re.IGNORECASE)
_QUESTION_WORDS = frozenset(
    "what when where who whom whose which why how quand quel quelle quels quelles combien comment pourquoi où qui quoi".split()
)


@functools.lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd  # what ingest splits documents with: it knows "Dr.", "U.S." and "e.g." end no sentence

    return pysbd.Segmenter(language="en", clean=False)


def load() -> None:
    """Import the sentence splitter now (~0.1 s) rather than at the first question of several sentences."""
    _segmenter()


@dataclass(frozen=True)
class Utterance:
    """The question a visitor's text asks, and the sentences before it (oldest first)."""

    question: str
    context: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1024)  # read twice per question (the answer's read_as); pysbd takes ~15 ms for 50 sentences
def read_utterance(text: str) -> Utterance:
    """The question `text` asks: the one sentence that asks, with the sentences before it as context, or the whole
    text (its runs of ? and ! made one) when it has one sentence, or several or none that ask."""
    text = _PUNCTUATION_RUN.sub(lambda m: "?" if "?" in m.group() else "!", text)
    if _APOSTROPHE_LESS.search(text) and language.detect_language(text) == "en":  # French "dont" is no "don't"
        text = _APOSTROPHE_LESS.sub(_with_apostrophe, text)
    if not _MAYBE_SENTENCES.search(text):
        return Utterance(_without_courtesy(text))
    sentences = [s.strip() for s in _segmenter().segment(text) if s.strip()]
    if len(sentences) < 2:
        return Utterance(_without_courtesy(text))
    asking = [i for i, s in enumerate(sentences) if s.endswith("?")] or [
        i for i, s in enumerate(sentences) if _opens_with_question_word(_without_courtesy(s))
    ]
    if len(asking) != 1:
        return Utterance(text)
    return Utterance(_without_courtesy(sentences[asking[0]]), tuple(sentences[: asking[0]]))


def _with_apostrophe(match: re.Match[str]) -> str:
    """"whats" -> "what's", "Doesnt" -> "Doesn't" (the typed letters' case kept)."""
    typed = match.group()
    meant = _CONTRACTED[typed.lower()]
    written = typed[: len(meant) - 3] + "n't" if meant.endswith("n't") else typed[:-1] + "'s"
    return written.upper() if typed.isupper() else written


def _opens_with_question_word(sentence: str) -> bool:
    """Whether `sentence` opens with a question word: "I know what ICPerMed is." does not ask."""
    first = re.match(r"\W*([^\W\d_]+)", sentence.lower())
    return first is not None and first.group(1) in _QUESTION_WORDS


def _without_courtesy(question: str) -> str:
    """`question` without the courtesy around it ("Can you please tell me", "please", "merci"), unless that would
    leave fewer than two words, or a yes/no question in statement order ("could you tell me if X is…": "if X is…"
    reads as a statement)."""
    kept = _COURTESY_BEFORE.sub("", question, count=1)
    if re.match(r"(?:if|whether|si)\b", kept, re.IGNORECASE):
        kept = question
    # After a comma or a word that means something: "what does it say about thanks?" asks about thanks.
    after = _COURTESY_AFTER.search(kept)
    if after and ("," in after.group() or content_words(" ".join(kept[: after.start()].split()[-1:]))):
        kept = kept[: after.start()] + kept[after.end() :]
    kept = kept.strip()
    return kept if len(re.findall(r"[^\W\d_]+", kept)) >= 2 else question
