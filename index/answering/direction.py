"""Does the sentence say the question's words the other way round? Evidence for the answerer's declines.

SQuAD 2.0's writers made questions unanswerable by reversing which way something goes while keeping every word: "What
mechanism moves coal from a firebox to a bunker?" where the text moves the fuel "from a supply bin (bunker) to the
firebox"; "What gene converts calcitriol into calcidiol?" where it converts "calcidiol into calcitriol"; "Who asks
supplementary questions and then a general question?" where leaders "ask a general question … and then
supplementary questions"; "Who was the Uighur King of Qocho ranked below?" where he "was ranked higher than" another.
The words match, so the sentence looks like an answer; the order they stand in says the opposite. General English
only: a movement's two ends are the words after "from" and after "to" / "into" (or the words just before "into"); a
sequence's two steps the words either side of "then", "before", "after", "followed by"…; a rank's way the closed
lists of words of up (above, higher, over…) and down (below, lower, under…) after the same verb.

    ends_swapped(question, sentence)        "from A to B" / "A into B" asked, "from B to A" / "B into A" written
    sequence_swapped(question, sentence)    "A and then B" asked, "B and then A" (or "A after B") written
    rank_reversed(question, sentence)       "X ranked below" asked, "X ranked higher (than)" written, and no "below"
    original_swapped(question, sentence)    "originally by A, later by B" asked, "the original … B" written
    order_reversed(question, sentence)      any of the three above (the one rule of sentence_declines.py for them)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docqa.index import text as words_

__all__ = ["ends_swapped", "order_reversed", "original_swapped", "rank_reversed", "sequence_swapped"]

_TOKEN = re.compile(r"\w+|[^\w\s]")
_ENDS_OF_PHRASE = frozenset(".,;:!?()[]\"“”")


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _tokens(text: str) -> tuple[str, ...]:
    """`text`'s lower-cased words and punctuation marks, in order."""
    return tuple(_TOKEN.findall(words_.fold(text).lower()))


@functools.lru_cache(maxsize=1)
def _skip() -> frozenset[str]:
    """English stop words and question words: no end of a movement nor a step of a sequence on their own."""
    return words_.stopwords(("en",)) | words_.question_words()


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """`word`'s Snowball stem: "questions" ~ "question", and "calcidiol" apart from "calcitriol" (match_stem's five
    letters would make them one)."""
    return words_.snowball([word])[0]


# --- a movement's two ends ------------------------------------------------------------------------------------------

_TO = frozenset(("to", "into", "towards", "toward"))
_PHRASE = 4
"""How many words an end of a movement may run to ("a supply bin (bunker)")."""


_End = tuple[str, ...]
"""One end of a movement: its content words' stems in reading order, its head word last ("a supply bin (bunker)":
suppli, bin, bunker)."""


def _after(tokens: tuple[str, ...], at: int) -> _End:
    """The stems of the content words of the phrase starting at `at`: up to _PHRASE words, a word in brackets
    included ("a supply bin (bunker)"), to the first other punctuation mark or, once a content word is read, the first
    stop word ("the firebox when…" → firebox)."""
    found: list[str] = []
    for word in tokens[at : at + _PHRASE + 2]:
        if word in ("(", ")"):
            continue
        if word in _ENDS_OF_PHRASE or word in _TO or word == "from":
            break
        if word in _skip():
            if found:
                break
            continue
        found.append(_stem(word))
        if len(found) >= _PHRASE:
            break
    return tuple(found)


def _before(tokens: tuple[str, ...], at: int) -> _End:
    """The stems of the content words just before `at` (up to three), back to a stop word or punctuation mark, a
    verb's past form left out: "converting … vitamin D, calcidiol into" → calcidiol; "processed by proteolysis into"
    → proteolysis; "What are peptides processed into?" → peptid."""
    found: list[str] = []
    for word in reversed(tokens[max(0, at - 3) : at]):
        if word in _ENDS_OF_PHRASE or word in _skip():
            break
        if not words_.past_form(word):
            found.append(_stem(word))
    return tuple(reversed(found))


@functools.lru_cache(maxsize=16384)
def _movements(text: str) -> tuple[tuple[_End, _End], ...]:
    """Each movement `text` writes, as (where from, where to): "from a bunker to the firebox" ((bunker), (firebox));
    "converts calcidiol into calcitriol" ((…, calcidiol), (calcitriol)); a question's end it asks for is empty ("What
    are peptides processed into?": (peptid), ())."""
    tokens = _tokens(text)
    found = []
    for i, word in enumerate(tokens):
        if word == "from":
            # the first "to"/"into" after it within the clause
            for j in range(i + 1, min(len(tokens), i + 2 + 2 * _PHRASE)):
                if tokens[j] in _TO:
                    source = _after(tokens, i + 1)
                    if source:
                        found.append((source, _after(tokens, j + 1)))
                    break
                if tokens[j] in _ENDS_OF_PHRASE and tokens[j] not in "()":
                    break
        elif word == "into":
            if _has_from_before(tokens, i):
                continue  # "from A into B": read as from … to
            source = _before(tokens, i)
            if source:
                found.append((source, _after(tokens, i + 1)))
    return tuple(found)


def _has_from_before(tokens: tuple[str, ...], at: int) -> bool:
    """Whether a "from" stands before `at` in the same clause, within the reach of a movement's first end."""
    for j in range(at - 1, max(-1, at - 2 - 2 * _PHRASE), -1):
        if tokens[j] == "from":
            return True
        if tokens[j] in _ENDS_OF_PHRASE and tokens[j] not in "()":
            return False
    return False


def _same_end(one: _End, other: _End) -> bool:
    """Whether two ends name the same thing: each one's head word is a word of the other ("a bunker" and "a supply bin
    (bunker)"; not "basic research" and "the European Research Area Network")."""
    return bool(one) and bool(other) and one[-1] in other and other[-1] in one


def ends_swapped(question: str, sentence: str) -> bool:
    """Whether `question` writes a movement ("from A to B", "A into B", "What is A made into?", "away from A") whose end
    the sentence
    writes as its start, or whose start as its end ("from B to A", "B into A", "… into A"), and no movement of the
    sentence shares a word with the question's on the same side: "What mechanism moves coal from a firebox to a
    bunker?" on "…to move the fuel from a supply bin (bunker) to the firebox"; "What are peptides processed into?" on
    "…processed by proteolysis into peptides". A word both ends share reads nothing."""
    if _away_from(question) and _away_swapped(question, sentence):
        return True
    asked = _movements(question)
    if not asked:
        return False
    said = _movements(sentence)
    if not said:
        return False
    swapped = False
    for q_from, q_to in asked:
        for s_from, s_to in said:
            same_start = (set(q_from) - set(q_to)) & (set(s_from) - set(s_to))
            if same_start or (set(q_to) - set(q_from)) & (set(s_to) - set(s_from)):
                return False  # the sentence goes the question's way somewhere
            if _same_end(q_from, s_to) or _same_end(q_to, s_from):
                swapped = True
    return swapped


@functools.lru_cache(maxsize=16384)
def _away_from(text: str) -> tuple[_End, ...]:
    """The places `text` writes something going "away from" ("keeps immune cells away from the site of infection")."""
    tokens = _tokens(text)
    ends = (_after(tokens, i + 2) for i in range(len(tokens) - 1) if tokens[i] == "away" and tokens[i + 1] == "from")
    return tuple(end for end in ends if end)


@functools.lru_cache(maxsize=16384)
def _ends_after(text: str, marks: frozenset[str]) -> tuple[_End, ...]:
    """The phrases `text` writes after one of `marks` ("to the site of infection" → (site,))."""
    tokens = _tokens(text)
    ends = (_after(tokens, i + 1) for i, word in enumerate(tokens) if word in marks)
    return tuple(end for end in ends if end)


_AWAY = frozenset(("from",))


def _away_swapped(question: str, sentence: str) -> bool:
    """Whether the question's "away from X" is the sentence's "to X" (or "into", "towards X"), the sentence writing
    nothing "from X": "What keeps immune cells away from the site of infection?" on "…chemicals recruit immune cells
    to the site of infection"."""
    towards, away = _ends_after(sentence, _TO), _ends_after(sentence, _AWAY)
    return any(
        any(_same_end(end, to) for to in towards) and not any(set(end) & set(other) for other in away)
        for end in _away_from(question)
    )


# --- a sequence's two steps -----------------------------------------------------------------------------------------

# "A then B", "A before B", "A followed by B", "A prior to B": A first; "A after B", "A preceded by B": B first
_FIRST_THEN = {("then",): True, ("before",): True, ("followed", "by"): True, ("prior", "to"): True,
               ("after",): False, ("preceded", "by"): False}
_STEP = 6
"""How many words either side of "then" a step may run to (stop words counted, not read)."""


def _step(tokens: tuple[str, ...], start: int, stop: int, step: int) -> frozenset[str]:
    found = set()
    for k in range(start, stop, step):
        word = tokens[k]
        if word in _ENDS_OF_PHRASE:
            break
        if word not in _skip():
            found.add(_stem(word))
    return frozenset(found)


@functools.lru_cache(maxsize=16384)
def _sequences(text: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Each sequence `text` writes as (the first step, the next step) content-word stems: "ask a general question and
    then supplementary questions" ({general, question}, {supplementary, question}); "A after B" gives (B, A)."""
    tokens = _tokens(text)
    found = []
    for i, word in enumerate(tokens):
        for marker, in_order in _FIRST_THEN.items():
            if tokens[i : i + len(marker)] != marker:
                continue
            end = i + len(marker)
            start = i - 1 if i and tokens[i - 1] == "and" else i
            left = _step(tokens, start - 1, max(-1, start - 1 - _STEP), -1)
            right = _step(tokens, end, min(len(tokens), end + _STEP), 1)
            if left and right:
                found.append((left, right) if in_order else (right, left))
    return tuple(found)


def sequence_swapped(question: str, sentence: str) -> bool:
    """Whether `question` writes two steps in one order ("A and then B", "A before B") that `sentence` writes in the
    other ("B and then A", "A after B"), and no sequence of the sentence keeps the question's order: "Who asks
    supplementary questions and then a general question of the First Minister?" on "Opposition leaders ask a general
    question of the First Minister and then supplementary questions". Words both steps share read nothing; the swap
    must show on both steps."""
    asked = _sequences(question)
    if not asked:
        return False
    said = _sequences(sentence)
    if not said:
        return False
    swapped = kept = False
    for q_first, q_next in asked:
        q_first, q_next = q_first - q_next, q_next - q_first
        for s_first, s_next in said:
            s_first, s_next = s_first - s_next, s_next - s_first
            if q_first & s_first or q_next & s_next:
                kept = True
            elif q_first & s_next and q_next & s_first:
                swapped = True
    return swapped and not kept


# --- a rank's way ---------------------------------------------------------------------------------------------------

_UP = frozenset("above over higher ahead superior".split())
_DOWN = frozenset("below under beneath lower behind inferior".split())
_SIDE = 6
"""How many words before a ranking verb its subject, and after its way, its object may stand."""
_NOT_READ = frozenset(("than", "to"))


@dataclass(frozen=True)
class _Rank:
    """One verb written with a way: "the Uighur King was ranked higher than the Karluk ruler"."""

    verb: str
    up: bool
    subject: frozenset[str]
    """The content words' stems before the verb, back to a punctuation mark other than a comma before "who"."""
    object: frozenset[str]
    """The content words' stems after the way ("than" left out), to a punctuation mark."""


@functools.lru_cache(maxsize=16384)
def _ranked(text: str) -> tuple[_Rank, ...]:
    """Each verb `text` writes followed by a word of up or down: "ranked higher" (rank, up), "placed below" (place,
    down). Only a verb's past form or one in -s is read ("ranked", "ranks"), not a noun ("the upper ranks")."""
    tokens = _tokens(text)
    found = []
    for i in range(1, len(tokens)):
        word = tokens[i]
        up = word in _UP
        if not up and word not in _DOWN:
            continue
        verb = tokens[i - 1]
        if verb in _skip() or len(verb) < 4 or not (words_.past_form(verb) or verb.endswith("s")):
            continue
        subject = set()
        for k in range(i - 2, max(-1, i - 2 - _SIDE), -1):
            if tokens[k] in _ENDS_OF_PHRASE and not (tokens[k] == "," and tokens[k + 1] == "who"):
                break
            if tokens[k] not in _skip() and tokens[k][0].isalnum():
                subject.add(_stem(tokens[k]))
        object_ = set()
        for k in range(i + 1, min(len(tokens), i + 1 + _SIDE)):
            if tokens[k] in _ENDS_OF_PHRASE:
                break
            if tokens[k] not in _skip() and tokens[k] not in _NOT_READ and tokens[k][0].isalnum():
                object_.add(_stem(tokens[k]))
        found.append(_Rank(_stem(verb), up, frozenset(subject), frozenset(object_)))
    return tuple(found)


def rank_reversed(question: str, sentence: str) -> bool:
    """Whether `question` writes a verb going one way with a subject ("Who was the Uighur King of Qocho ranked
    below?") that `sentence` writes going the other way with that subject ("…the Uighur King of Qocho was ranked
    higher than the Karluk Kara-Khanid ruler"): more of the question's subject stands as the subject of the other way
    than as its object, or as the subject of the question's way. "Who was the Karluk ruler ranked below?" on "the
    Uighur King was ranked higher than the Karluk ruler" asks what the sentence says, from its other side."""
    asked = _ranked(question)
    if not asked:
        return False
    said = _ranked(sentence)
    for q in asked:
        same_verb = [s for s in said if s.verb == q.verb]
        other_way = max((len(s.subject & q.subject) for s in same_verb if s.up != q.up), default=0)
        other_side = max((len(s.object & q.subject) for s in same_verb if s.up != q.up), default=0)
        same_way = max((len(s.subject & q.subject) for s in same_verb if s.up == q.up), default=0)
        if other_way > max(other_side, same_way):
            return True
    return False


# --- who came first -------------------------------------------------------------------------------------------------

_ORIGINAL = frozenset("original originally initially formerly".split())
_LATER = frozenset("later subsequently afterwards independently".split())
_NAME_AFTER = 5
"""How many words after "originally" / "later" the name they go with may stand ("later discovered … by Black")."""
_CASED = re.compile(r"\w+|[^\w\s]")


@functools.lru_cache(maxsize=16384)
def _firsts_and_laters(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The capitalised names `text` writes within _NAME_AFTER words after a word of the original ("originally
    discovered by Watt", "the original discoverer Joseph Black") and after one of what came later ("later … by
    Black"), lower-cased; a punctuation mark ends the reach."""
    tokens = _CASED.findall(text)
    firsts: set[str] = set()
    laters: set[str] = set()
    for i, token in enumerate(tokens):
        word = token.lower()
        into = firsts if word in _ORIGINAL else laters if word in _LATER else None
        if into is None:
            continue
        for name in tokens[i + 1 : i + 1 + _NAME_AFTER]:
            if name in _ENDS_OF_PHRASE:
                break
            if name[:1].isupper() and name.lower() not in _skip():
                into.add(name.lower())
    return frozenset(firsts), frozenset(laters)


def original_swapped(question: str, sentence: str) -> bool:
    """Whether `question` makes one name the original and another the later one ("What concept, originally
    discovered by Watt, was later discovered independently by Black?") where `sentence` makes the question's later
    one the original, and not the question's original ("Watt independently discovered latent heat, which was
    confirmed by the original discoverer Joseph Black")."""
    q_first, q_later = _firsts_and_laters(question)
    if not q_first or not q_later or q_first & q_later:
        return False
    s_first, _ = _firsts_and_laters(sentence)
    return bool(s_first & q_later) and not s_first & q_first


def order_reversed(question: str, sentence: str) -> bool:
    """Whether `sentence` writes the question's two steps, its rank or its original the other way round:
    sequence_swapped, rank_reversed or original_swapped."""
    return (
        sequence_swapped(question, sentence) or rank_reversed(question, sentence) or original_swapped(question, sentence)
    )
