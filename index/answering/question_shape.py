"""What the short-answer scorer reads from a question: its kind, head noun and the words around its wh-phrase.

    KINDS                                  the question kinds short_answer_model.json has weights for
    QuestionShape                          what the scorer reads
    read_question(question, *, kind=None)  that, read once per question (cached)
    tokenize(text)                         words, numbers and punctuation with their offsets

Generic English function words only (no corpus-built lists).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docqa.index import text
from docqa.index.answering import question_type, tagging

__all__ = ["AUXILIARIES", "DETERMINERS", "KINDS", "QuestionShape", "WH_WORDS", "read_question", "tokenize"]

DETERMINERS = frozenset("the a an this that these those its their his her our my your some any each every all both no".split())
AUXILIARIES = frozenset("is are was were do does did can could will would should shall may might must has have had am".split())
_ARGUMENT_KINDS = frozenset(("what", "which_head", "who", "what_kind"))  # the wh-phrase is the verb's subject or object
WH_WORDS = frozenset("what which who whom whose when where why how".split())
_TIME_HEADS = frozenset("year years century decade month day date time period era age season".split())
_PLACE_HEADS = frozenset("country city state region town place continent area location island province nation county".split())
_KIND_HEADS = frozenset("kind type sort form forms kinds types sorts".split())
_TOKEN = re.compile(r"['’]s\b|\w+(?:(?:[-.,/:]|['’](?!s\b))\w+)*|[^\w\s]")


def tokenize(text_: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each word, number, "'s" or punctuation mark of `text_`."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text_)]


KINDS = (
    "when", "how_many", "how_much", "how_long", "how_adj", "how", "who", "where", "why",
    "what_kind", "which_head", "what", "definition", "other",
)
"""Question kinds the scorer has weights for (yes/no questions get no short answer)."""

_KIND_FROM_TYPE = {
    question_type.WHEN: "when", question_type.HOW_MANY: "how_many", question_type.HOW_MUCH: "how_much",
    question_type.WHO: "who", question_type.WHERE: "where", question_type.WHY: "why",
    question_type.DEFINITION: "definition",
}


@dataclass(frozen=True)
class QuestionShape:
    """What the scorer reads from a question."""

    kind: str
    """One of KINDS, or "yes_no"."""
    head: str
    """The noun or adjective after the wh-word ("year" in "which year", "old" in "how old"), folded; "" if none."""
    stems: frozenset[str]
    """Stems (text.match_stem) of the question's content words, the head excepted."""
    before: frozenset[str] = frozenset()
    """Those of `stems` written before the wh-word."""
    pre: tuple[str, ...] = ()
    """Stems of the (up to 3) words just before the wh-phrase ("activity of" in "the activity of what cells")."""
    post: tuple[str, ...] = ()
    """Stems of the (up to 3) words just after it, auxiliaries skipped ("Kublai prefer" in "which religion did Kublai prefer")."""
    words: frozenset[str] = frozenset()
    """Stems of all the question's words, function words included."""
    typed: str = question_type.OTHER
    """question_type's kind for it (the caller's `kind` when the wording names none)."""
    verbs: frozenset[str] = frozenset()
    """Stems of the question's verbs (auxiliaries excepted)."""
    role: str = ""
    """"object" when an auxiliary follows the wh-phrase ("what did X develop"), "subject" when a verb does ("what causes X")."""

    @functools.cached_property
    def pre_set(self) -> frozenset[str]:
        """`pre` as a set."""
        return frozenset(self.pre)

    @functools.cached_property
    def post_set(self) -> frozenset[str]:
        """`post` as a set."""
        return frozenset(self.post)


@functools.lru_cache(maxsize=4096)
def read_question(question: str, *, kind: str | None = None) -> QuestionShape:
    """The kind, head and content-word stems of `question` (`kind`: question_type's kind, used when the wording names none)."""
    written = [w for w, _, _ in tokenize(question.replace("’", "'"))]
    words = [w.lower() for w in written]
    wh = next((i for i, w in enumerate(words) if w in WH_WORDS), None)
    head = ""
    shape = "other"
    phrase_end = 0
    if wh is None:
        if words and (words[0] in AUXILIARIES or words[0].endswith("n't")):  # "Is…?", "Isn't…?", "Won't…?"
            shape = "yes_no"
    else:
        phrase_end = wh + 1
        w = words[wh]
        nxt = words[wh + 1] if wh + 1 < len(words) else ""
        after = words[wh + 2] if wh + 2 < len(words) else ""
        if w == "how":
            head, phrase_end = nxt, wh + 2
            if nxt == "many":
                shape = "how_many"
            elif nxt == "much":
                shape = "how_much"
            elif nxt in ("long", "often"):
                shape = "how_long"
            elif nxt and nxt not in AUXILIARIES and nxt.isalpha():
                shape = "how_adj"
            else:
                shape, head, phrase_end = "how", "", wh + 1
        elif w in ("who", "whom", "whose"):
            shape = "who"
        elif w == "when":
            shape = "when"
        elif w == "where":
            shape = "where"
        elif w == "why":
            shape = "why"
        elif nxt in _KIND_HEADS and after == "of":
            shape, head = "what_kind", words[wh + 3] if wh + 3 < len(words) else ""
            phrase_end = wh + 4
        elif nxt and nxt not in AUXILIARIES and nxt not in DETERMINERS and nxt.isalpha() and nxt not in WH_WORDS:
            shape, head, phrase_end = "which_head", nxt, wh + 2
            if nxt in _TIME_HEADS:
                shape = "when"
            elif nxt in _PLACE_HEADS:
                shape = "where"
        else:
            shape = "what"
    typed = question_type.classify(question)
    if typed == question_type.OTHER and kind:
        typed = kind
    if shape in ("what", "other") and typed == question_type.DEFINITION:
        shape = "definition"
    if shape == "other" and kind in _KIND_FROM_TYPE:
        shape = _KIND_FROM_TYPE[kind]
    if shape == "what" and typed == question_type.WHEN:
        shape = "when"  # "what is the expected launch date of…" asks for a date
    content = text.content_words(question)
    stems = frozenset(text.match_stem(w) for w in content if w != head)
    before: frozenset[str] = frozenset()
    pre: tuple[str, ...] = ()
    post: tuple[str, ...] = ()
    if wh is not None:
        before = frozenset(text.match_stem(w) for w in words[:wh] if w in content and w != head)
        is_word = [w[0].isalnum() for w in words]
        pre = tuple(text.match_stem(w) for w, ok in zip(words[:wh], is_word[:wh]) if ok)[-3:]
        post = tuple(
            text.match_stem(w) for w, ok in zip(words[phrase_end:], is_word[phrase_end:]) if ok and w not in AUXILIARIES
        )[:3]
    every = frozenset(text.match_stem(w) for w in words if w[0].isalnum())
    tags = [t.pos for t in tagging.tag(written)]
    main_verbs = [w for w, t in zip(words, tags) if t.startswith("VB") and w not in AUXILIARIES]
    role = ""
    if wh is not None and phrase_end < len(words):
        nxt = words[phrase_end]
        own_verb = nxt in ("has", "have", "had") and not any(t in ("VBN", "VBD") for t in tags[phrase_end + 1 : phrase_end + 5])
        if own_verb:
            main_verbs.append(nxt)  # "what has an equivalence…": a verb of its own, not an auxiliary
        if shape in _ARGUMENT_KINDS and nxt not in text.BE_FORMS:
            if own_verb or (nxt not in AUXILIARIES and tags[phrase_end].startswith("VB")):
                role = "subject"
            elif nxt in AUXILIARIES:
                role = "object"
    verbs = frozenset(text.match_stem(w) for w in main_verbs)
    return QuestionShape(kind=shape, head=text.fold(head), stems=stems, before=before, pre=pre, post=post, words=every, typed=typed, verbs=verbs, role=role)
