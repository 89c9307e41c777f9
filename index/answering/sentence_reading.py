"""How the answerer reads a chunk's sentences, whatever the question is (read once per chunk).

Each sentence gets what it needs to be understood: a sentence opening with a pronoun, or with "the <noun>" for a
name the previous sentence writes, is read with that previous sentence (its antecedent); a heading line ("Fees",
"Who can apply?") labels the text under it and answers nothing, but the first sentence of its section is about what
it names, and a question heading is read with its answer; the sentence a news page's headline reports is read with
the headline ("…an international Action Plan published" reports "ICPerMed has recently published a consensus
view…"). The answerer (extractive.py) scores these readings against each question.

    read_sentences(chunk, *, named_by_head)   ReadSentence per sentence of the chunk
    evidence_text(chunk, context, *, reported)  what the evidence reads of a sentence (headline + context)
    heading_lines(chunk)                      the positions of its heading lines
    stems_of(text), the_heads(sentence), name_heads(chunk), ANAPHORA   the small readers the answerer shares
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from docqa.index import text
from docqa.index.answering import initialisms, question_type

if TYPE_CHECKING:
    from docqa.index.storage.store import Chunk

__all__ = ["ANAPHORA", "ReadSentence", "evidence_text", "heading_lines", "name_heads", "read_sentences", "stems_of", "the_heads"]

ANAPHORA = frozenset("it its this these those they their such he she his her il elle ils elles ce cette ces".split())
"""Words that stand for something named before them (English and French)."""


@functools.lru_cache(maxsize=8192)  # the same retrieved sentences come back question after question
def stems_of(text_: str) -> frozenset[str]:
    """The stems (index/text.py's match_stem) of `text_`'s content words."""
    return frozenset(text.match_stem(w) for w in text.content_words(text_))


def _opens_with_pronoun(sentence: str) -> bool:
    first = re.match(r"\w+", sentence)
    return bool(first) and first.group().lower() in ANAPHORA


_THE_HEAD = re.compile(r"\b[Tt]he\s+([a-z][\w\-]*)")
"""A name's head noun after "the", in lower case: "the call", "the foundation"."""


def _names_the_noun_heads(sentence: str, previous: str) -> bool:
    """Whether `sentence` opens with "the <noun>" for a name of the previous sentence that noun heads ("The call has a
    budget of…" after "…announced its Coastal Communities Health Call")."""
    opening = _THE_HEAD.match(sentence.lstrip(_OPENING_MARKS))
    return opening is not None and any(name.split()[-1].lower() == opening.group(1) for name in initialisms.names(previous))


_OPENING_MARKS = " \t\n\"'(“‘"


@functools.lru_cache(maxsize=8192)  # the same retrieved sentences come back question after question
def the_heads(sentence: str) -> tuple[str, ...]:
    """The nouns `sentence` writes after "the" in lower case ("the foundation" → "foundation")."""
    return tuple(_THE_HEAD.findall(sentence))


@functools.lru_cache(maxsize=1024)
def name_heads(chunk) -> dict[str, str]:
    """Each lower-cased head noun of a name of several words in `chunk`'s document title or text → that name, for the
    heads only one such name has ("foundation" → "Northern Science Foundation")."""
    names: dict[str, set[str]] = {}
    for name in initialisms.names(f"{chunk.document.title}\n{chunk.text}"):
        names.setdefault(name.split()[-1].lower(), set()).add(name)
    # a name another ends is the same name read with the word before it ("About the …", "Contact …")
    names = {head: {n for n in found if not any(n.endswith(" " + other) for other in found)} for head, found in names.items()}
    return {head: next(iter(found)) for head, found in names.items() if len(found) == 1}


def _with_antecedent(chunk, span: tuple[int, int]) -> tuple[int, int]:
    """Extend `span` to the previous sentence when it opens with a pronoun, or with "the <noun>" for a name the
    previous sentence writes (it needs that sense)."""
    spans = list(chunk.sentences)
    position = spans.index(span)
    if position == 0:
        return span
    sentence, previous = chunk.text[span[0] : span[1]], chunk.text[spans[position - 1][0] : spans[position - 1][1]]
    if _opens_with_pronoun(sentence) or _names_the_noun_heads(sentence, previous):
        return (spans[position - 1][0], span[1])
    return span


def evidence_text(chunk, context: tuple[int, int], *, reported: bool) -> str:
    """What the evidence (answering/features.py, token_support.py) reads of a sentence: its context as shown, after
    the document's headline when that reports it. The answer shows the context alone."""
    shown = chunk.text[context[0] : context[1]]
    return f"{chunk.document.title.strip()}\n{shown}" if reported else shown


@functools.lru_cache(maxsize=1024)
def _headline_sentence(chunk) -> int | None:
    """The position among `chunk`'s sentences of the one its document's headline reports, when the chunk opens the
    document with its title: the first sentence writing a word of the title that no other sentence of the chunk
    writes ("…an international Action Plan published" reports "ICPerMed has recently published a consensus view…",
    the one sentence saying "published"). None when the chunk does not open with the title or no word is so placed."""
    title = chunk.document.title.strip()
    if chunk.start != 0 or not title or not chunk.text.lstrip().startswith(title) or len(chunk.sentences) < 2:
        return None
    title_stems = stems_of(title)
    body = [(i, stems_of(chunk.text[a:b])) for i, (a, b) in enumerate(chunk.sentences) if i > 0 and chunk.text[a:b].strip() != title]
    for i, stems in body:
        if any(sum(word in other for _, other in body) == 1 for word in title_stems & stems):
            return i
    return None


_LIST_MARK = re.compile(r"\s*(?:[-*•–]|\d{1,2}[.)])\s")
"""How a list item's line opens: "- ", "• ", "3. "."""
_LABELLED = re.compile(r"\w:\s+\S")
"""A label and its value on one line ("Deadline: 15 March 2025", "Contact: info@example.org"): a fact, no heading."""
_DATED_LINE = re.compile(
    rf"(?i)\b\d{{1,2}}(?:st|nd|rd|th)?\s+{question_type.MONTHS}\.?\s+\d{{4}}\b|\b{question_type.MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}:\d{2}\b"
)
"""A full date, day, month and year ("Published 18 February 2025", "Updated 2025-02-18"), or a clock time ("Opening
hours 9:00 to 17:00"): a line holding one says when."""
HEADING_WORDS = 12
"""The most words of a line read as a section's heading."""


@functools.lru_cache(maxsize=1024)
def heading_lines(chunk) -> frozenset[int]:
    """The positions among `chunk`'s sentences of its heading lines ("Fees", "Who can apply?"): short lines of their
    own with text under them, ending without a full stop or colon; not the document's title, a list item, a line of a
    block of such lines (an address, a table), a label with its value or a line holding a date or a clock time."""
    spans, content = chunk.sentences, chunk.text
    title = chunk.document.title.strip()

    def short_line(a: int, b: int) -> bool:
        line = content[a:b].strip()
        return (
            (a > 0 or chunk.start == 0)  # a chunk opening mid-document may open mid-line
            and content[:a].rstrip(" \t")[-1:] in ("", "\n")
            and content[b:].lstrip(" \t")[:1] == "\n"
            and line != title
            and not line.endswith((".", "!", ";", ",", ":"))  # a line ending with a colon leads into what follows it
            and len(line.split()) <= HEADING_WORDS
            and not _LIST_MARK.match(line)
            and not _LABELLED.search(line)  # "Deadline: 15 March 2025" states the deadline
            and not _DATED_LINE.search(line)  # "Published 18 February 2025" says when
        )

    short = [short_line(a, b) for a, b in spans]
    # Short lines one right under the other (no blank line between) are a block: an address, a table, a verse. None
    # of them heads the next ("12 High Street" / "London SW1 2AB" / "Telephone 020 7946 0000").
    block = [
        i + 1 < len(spans) and short[i] and short[i + 1] and "\n\n" not in content[spans[i][1] : spans[i + 1][0]].replace(" ", "").replace("\t", "")
        for i in range(len(spans))
    ]
    return frozenset(p for p in range(len(spans) - 1) if short[p] and not block[p] and not (p > 0 and block[p - 1]))


def _is_heading(chunk, span: tuple[int, int]) -> bool:
    """The document's title or a short line ending with a colon: it labels text rather than stating a fact."""
    line = chunk.text[span[0] : span[1]].strip()
    return line == chunk.document.title.strip() or (line.endswith(":") and len(line.split()) <= 8)


@dataclass(frozen=True)
class ReadSentence:
    """What a sentence of a chunk reads as, whatever is asked (read once per chunk)."""

    heading: bool
    """The document's title, a short lead-in ending with a colon or a heading line: it labels text, answers nothing."""
    own_title: bool
    context: tuple[int, int]
    """The sentence with what it needs to be understood: its pronoun's antecedent, or the question it answers."""
    stems: frozenset[str]
    """The context's stems, the names it stands for, its section heading's and (the headline's sentence) the title's."""
    orphan: bool
    """It opens with a pronoun whose antecedent is not in this chunk (it opens the chunk)."""
    answers_heading: bool = False
    """It answers the question heading it ("Do I need a permanent position?" then "No. A written…")."""
    reported: bool = False
    """The document's headline reports it (`_headline_sentence`): the evidence reads it with the headline (`evidence_text`)."""


def read_sentences(chunk: Chunk, *, named_by_head: Callable[[Chunk, str], frozenset[str]]) -> tuple[ReadSentence, ...]:
    """How each of `chunk`'s sentences reads, whatever the question. `named_by_head(chunk, shown)`: the stems of the
    names a sentence stands for ("the foundation" for the Northern Science Foundation), which the collection's names
    decide."""
    headline = _headline_sentence(chunk) if chunk.start == 0 else None
    headings = heading_lines(chunk)
    title = chunk.document.title.strip()
    read = []
    for position, span in enumerate(chunk.sentences):
        line = chunk.text[span[0] : span[1]].strip()
        # A sentence opening with a pronoun is about its antecedent: give it those words too.
        context = _with_antecedent(chunk, span)
        under = position - 1 in headings  # the first sentence of a section
        heading = chunk.text[chunk.sentences[position - 1][0] : span[0]].strip() if under else ""
        answers_heading = context == span and heading.endswith("?")
        if answers_heading:
            # A question's answer is read with it: "Do I need a permanent position?" then "No. A written…"
            context = (chunk.sentences[position - 1][0], span[1])
        shown = chunk.text[context[0] : context[1]]
        stems = stems_of(shown) | named_by_head(chunk, shown)
        if under:  # it is about what its heading names ("Fees", then "Attendance is free of charge…")
            stems = stems | stems_of(heading)
        if position == headline:
            # The headline reports this sentence ("Action Plan published" / "ICPerMed has published a consensus
            # view"): it is about what the headline names too.
            stems = stems | stems_of(chunk.document.title)
        orphan = context == span and _opens_with_pronoun(chunk.text[span[0] : span[1]])
        read.append(
            ReadSentence(_is_heading(chunk, span) or position in headings, line == title, context, stems, orphan, answers_heading, position == headline)
        )
    return tuple(read)
