"""The short answer inside an answer sentence: the span that fills the question's missing slot.

    short_answer(question, sentence, *, kind=None) -> ShortAnswer(start, end, score) | None
    find_short_answer(question, sentence, *, kind=None) -> (start, end) | None
    read_question(question) -> QuestionShape     the kind, head noun and words the scorer reads
    candidates(question, sentence) -> Candidates  every candidate span and its features
    ShortAnswerModel, load_model(path), save_model(model, path)   the fitted weights

No neural reader. The question is read for its structure: the wh-word and what it
asks for ("which year" -> a year, "how many" -> a number, "who" -> a name), its head
noun, the words around its wh-phrase, and the words it shares with the sentence.
Every run of up to `max_tokens` words of the sentence that starts and ends on a word
(and crosses no sentence end, ; or :) is a candidate; each gets features: its shape
(numbers, years, months, capitalised names, quotes, brackets), the words at its edges
and just outside them, its distance in words to the question's words found in the
sentence and on which side of them it sits, whether the words around the question's
wh-phrase surround it too (the slot it fills), its length, the share of its words the
question already says, and whether question_type.py's hand-written finders give the
same span. A linear scorer (shared weights plus weights per question kind, fitted as a
softmax over each sentence's candidates) picks one; `score` is its probability. Below
the model's `min_probability`, and for yes/no questions, there is no short answer. For
when / how many / how much, a pick inside a finder's date or amount grows to all of it
("end of 2017", "over 30").

The weights are short_answer_model.json beside this module: small, versioned,
human-readable (one named weight per feature). Recreate it with

    python benchmarks/fit_short_answer.py fit      # squad2-a's fit articles, split seed 0

Pure functions, cached per (question, sentence).
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from docqa.errors import DocqaError
from docqa.index import text
from docqa.index.answering import question_type

__all__ = [
    "FEATURES",
    "FORMAT",
    "KINDS",
    "MODEL_PATH",
    "ShortAnswer",
    "ShortAnswerModel",
    "ShortAnswerModelError",
    "Candidates",
    "QuestionShape",
    "candidates",
    "find_short_answer",
    "load_model",
    "read_question",
    "save_model",
    "short_answer",
]

FORMAT = "docqa-short-answer"
VERSION = 1
MODEL_PATH = Path(__file__).with_name("short_answer_model.json")
"""The shipped weights (fitted by benchmarks/fit_short_answer.py)."""


class ShortAnswerModelError(DocqaError):
    """The short-answer model file is missing, damaged or of another version."""


@dataclass(frozen=True)
class ShortAnswer:
    """A short answer: character offsets into the sentence, and the scorer's probability for it."""

    start: int
    end: int
    score: float


# --- words -----------------------------------------------------------------------------------

# Generic English function words (no corpus-built lists).
_PREPOSITIONS = frozenset(
    """in on at by of from to for with as than into onto during since until till within between about through
    over under after before against among across per via upon without toward towards around near behind beyond
    despite throughout including like""".split()
)
_DETERMINERS = frozenset("the a an this that these those its their his her our my your some any each every all both no".split())
_CONJUNCTIONS = frozenset("and or but nor".split())
_BE = frozenset("is are was were be been being am".split())
_RELATIVES = frozenset("which who whom whose that where when while because although though if whereas".split())
_AUXILIARIES = frozenset("is are was were do does did can could will would should shall may might must has have had am".split())
_WH = frozenset("what which who whom whose when where why how".split())
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands
    million millions billion billions trillion dozen dozens half first second third fourth fifth""".split()
)
_TIME_WORDS = frozenset(
    """century centuries decade decades year years month months week weeks day days hour hours minute minutes
    second seconds era period age times bc ad bce ce""".split()
)
_TIME_HEADS = frozenset("year years century decade month day date time period era age season".split())
_QUANTITY_HEADS = frozenset("percentage percent proportion number amount population size rate share fraction".split())
_PLACE_HEADS = frozenset("country city state region town place continent area location island province nation county".split())
_PERSON_HEADS = frozenset("person people man woman men women king queen leader ruler emperor president group organization organisation company".split())
_KIND_HEADS = frozenset("kind type sort form forms kinds types sorts".split())
_NAMING = frozenset("called named known termed titled".split())

_TOKEN = re.compile(r"['’]s\b|\w+(?:(?:[-.,/:]|['’](?!s\b))\w+)*|[^\w\s]")
_YEAR = re.compile(r"(?:1\d{3}|20\d\d)s?|\d{2,3}0s")
_DIGIT = re.compile(r"\d")


def _tokens(sentence: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]


# --- the question ----------------------------------------------------------------------------

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

    @functools.cached_property
    def pre_set(self) -> frozenset[str]:
        return frozenset(self.pre)

    @functools.cached_property
    def post_set(self) -> frozenset[str]:
        return frozenset(self.post)


@functools.lru_cache(maxsize=4096)
def read_question(question: str, *, kind: str | None = None) -> QuestionShape:
    """The kind, head and content-word stems of `question` (`kind`: question_type's kind, used when the wording names none)."""
    words = [w.lower() for w, _, _ in _tokens(question.replace("’", "'"))]
    wh = next((i for i, w in enumerate(words) if w in _WH), None)
    head = ""
    shape = "other"
    phrase_end = 0
    if wh is None:
        if words and words[0] in _AUXILIARIES:
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
            elif nxt and nxt not in _AUXILIARIES and nxt.isalpha():
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
        elif nxt and nxt not in _AUXILIARIES and nxt not in _DETERMINERS and nxt.isalpha() and nxt not in _WH:
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
            text.match_stem(w) for w, ok in zip(words[phrase_end:], is_word[phrase_end:]) if ok and w not in _AUXILIARIES
        )[:3]
    every = frozenset(text.match_stem(w) for w in words if w[0].isalnum())
    return QuestionShape(kind=shape, head=text.fold(head), stems=stems, before=before, pre=pre, post=post, words=every, typed=typed)


# --- candidates and their features -----------------------------------------------------------

_TOKEN_FEATURES = (
    "cap", "cap_inner", "acronym", "digit", "year", "month", "number_word", "punct", "stop", "qword", "prep", "det",
    "conj", "be", "relative", "symbol", "time_word", "verbish", "adverb", "paren", "comma", "head", "hard_stop",
    "bad_start", "bad_end", "pre", "post", "pre_last", "post_first", "boundary", "qany", "quote",
)
_T = {name: i for i, name in enumerate(_TOKEN_FEATURES)}
_SPECIFIC = ("in", "on", "at", "by", "of", "from", "to", "for", "as", "than", "with", "and")
_MEAN = ("cap", "digit", "year", "month", "number_word", "stop", "qword", "punct", "time_word", "acronym", "symbol", "comma", "verbish", "qany", "conj")
_FIRST = ("cap", "digit", "year", "month", "number_word", "stop", "det", "prep", "be", "qword", "verbish", "symbol", "paren")
_LAST = ("cap", "digit", "year", "stop", "qword", "verbish", "time_word", "number_word", "symbol", "adverb", "head")
_LEFT = ("punct", "comma", "prep", "det", "conj", "be", "relative", "qword", "cap", "verbish", "digit", "paren", "head", "pre_last", "quote", "boundary", "qany")
_RIGHT = ("punct", "comma", "prep", "det", "conj", "be", "relative", "qword", "cap", "verbish", "paren", "head", "time_word", "digit", "post_first", "quote", "boundary", "qany")
_ANY = ("cap", "digit", "year", "month", "number_word", "qword", "punct", "symbol", "time_word", "comma", "conj", "qany")
_LENGTHS = ((1, 1), (2, 2), (3, 3), (4, 4), (5, 6), (7, 9), (10, 99))
_LENGTH_EDGES = np.array([a for a, _ in _LENGTHS])

FEATURES: tuple[str, ...] = (
    "bias",
    *(f"len_{a}_{b}" for a, b in _LENGTHS),
    "log_len",
    *(f"mean_{n}" for n in _MEAN),
    *(f"any_{n}" for n in _ANY),
    *(f"first_{n}" for n in _FIRST),
    *(f"last_{n}" for n in _LAST),
    "left_start", *(f"left_{n}" for n in _LEFT), *(f"left_is_{w}" for w in _SPECIFIC), "left_naming",
    "right_end", *(f"right_{n}" for n in _RIGHT), *(f"right_is_{w}" for w in _SPECIFIC), "right_period_end",
    "log_distance", "adjacent", "no_match", "q_left_3", "q_right_3", "q_left_all", "q_right_all", "alignment",
    "slot_left", "slot_right", "all_qwords", "position", "maximal", "in_parens", "quoted", "log_sentence_len",
    "typed_exact", "typed_inside", "typed_contains",
)
"""The candidate features the scorer weighs, in order (names of the model file's weights)."""
_F = {name: i for i, name in enumerate(FEATURES)}
_WORD_CODES = {w: k + 1 for k, w in enumerate(_SPECIFIC)}
_NAMING_CODE = len(_SPECIFIC) + 1


@dataclass(frozen=True, eq=False)
class Candidates:
    """A sentence's candidate spans (character offsets) and their feature rows."""

    starts: np.ndarray
    """Character offset of each span's start in the sentence."""
    ends: np.ndarray
    """... and of its end."""
    features: np.ndarray
    """One row per span, columns as FEATURES."""

    def __len__(self) -> int:
        return len(self.starts)

    def span(self, index: int) -> tuple[int, int]:
        """(start, end) of candidate `index`."""
        return int(self.starts[index]), int(self.ends[index])

    @property
    def spans(self) -> list[tuple[int, int]]:
        """(start, end) character offsets of every candidate."""
        return list(zip(self.starts.tolist(), self.ends.tolist()))


@functools.lru_cache(maxsize=65536)
def _word_row(word: str) -> tuple[np.ndarray, str, int]:
    """(the question-independent features of `word`, its match stem, its code among _SPECIFIC words)."""
    row = np.zeros(len(_TOKEN_FEATURES), dtype=np.float32)
    lower = word.lower()
    alpha = word[0].isalpha()
    if alpha and word[0].isupper():
        row[_T["cap"]] = 1
        if len(word) > 1 and word.isupper():
            row[_T["acronym"]] = 1
    if _DIGIT.search(word):
        row[_T["digit"]] = 1
        if _YEAR.fullmatch(word):
            row[_T["year"]] = 1
    if not (alpha or word[0].isdigit() or word[0] == "_"):
        row[_T["punct"]] = row[_T["boundary"]] = row[_T["bad_start"]] = row[_T["bad_end"]] = 1
        if word in "$€£%":
            row[_T["symbol"]] = 1
            row[_T["bad_start" if word == "%" else "bad_end"]] = 0  # "$ 5", "5 %"
        elif word in "()[]":
            row[_T["paren"]] = 1
        elif word == ",":
            row[_T["comma"]] = 1
        elif word in "\"“”'‘’":
            row[_T["quote"]] = 1
        if word in ";:!?":
            row[_T["hard_stop"]] = 1
        return row, word, 0
    if lower in _MONTHS and (lower != "may" or word[0].isupper()):
        row[_T["month"]] = 1
    if lower in _NUMBER_WORDS:
        row[_T["number_word"]] = 1
    if lower in ("percent", "per"):
        row[_T["symbol"]] = 1
    if text.fold(lower) in text.stopwords(("en",)):
        row[_T["stop"]] = 1
    if lower in _PREPOSITIONS:
        row[_T["prep"]] = row[_T["bad_end"]] = row[_T["boundary"]] = 1
    if lower in _DETERMINERS:
        row[_T["det"]] = row[_T["bad_end"]] = 1
    if lower in _CONJUNCTIONS or lower in ("'s", "’s"):
        row[_T["conj"]] = row[_T["bad_start"]] = row[_T["bad_end"]] = row[_T["boundary"]] = 1
    if lower in _BE:
        row[_T["be"]] = row[_T["boundary"]] = 1
    if lower in _RELATIVES:
        row[_T["relative"]] = row[_T["boundary"]] = 1
    if lower in _TIME_WORDS:
        row[_T["time_word"]] = 1
    if len(lower) > 4 and not row[_T["cap"]] and (lower.endswith("ed") or lower.endswith("ing")):
        row[_T["verbish"]] = 1
    if len(lower) > 4 and lower.endswith("ly"):
        row[_T["adverb"]] = 1
    code = _WORD_CODES.get(lower, _NAMING_CODE if lower in _NAMING else 0)
    return row, text.match_stem(lower), code


def _ends_sentence(tokens: Sequence[tuple[str, int, int]], i: int) -> bool:
    before, following = tokens[i - 1][0] if i else "", tokens[i + 1][0]
    abbreviation = "." in before or (before[:1].isupper() and len(before) <= 3 and before.isalpha())
    return following[:1].isupper() and not abbreviation or following[:1] in ('"', "“", "(")


def _empty() -> Candidates:
    nothing = np.zeros(0, dtype=np.int64)
    return Candidates(nothing, nothing, np.zeros((0, len(FEATURES)), dtype=np.float32))


@functools.lru_cache(maxsize=4096)
def _candidates(question: str, sentence: str, kind: str | None, max_tokens: int) -> Candidates:
    shape = read_question(question, kind=kind)
    tokens = _tokens(sentence)
    n = len(tokens)
    if n == 0:
        return _empty()
    looked_up = [_word_row(w) for w, _, _ in tokens]
    rows = np.vstack([r for r, _, _ in looked_up])
    keys = [k for _, k, _ in looked_up]
    codes = np.array([0, *(c for _, _, c in looked_up), 0])
    head = text.match_stem(shape.head) if shape.head else None
    asked = shape.words
    for i, key in enumerate(keys):
        row = rows[i]
        if row[_T["cap"]] and i > 0 and tokens[i - 1][0] not in ('"', "“", "'", "("):
            row[_T["cap_inner"]] = 1
        if key in shape.stems and not row[_T["stop"]]:
            row[_T["qword"]] = row[_T["boundary"]] = 1
        if key == head:
            row[_T["head"]] = 1
        if key in asked:
            row[_T["qany"]] = 1
        if key in shape.pre_set:
            row[_T["pre"]] = 1
            if key == shape.pre[-1]:
                row[_T["pre_last"]] = 1
        if key in shape.post_set:
            row[_T["post"]] = 1
            if key == shape.post[0]:
                row[_T["post_first"]] = 1
    for i, (word, _, _) in enumerate(tokens):
        # A period ends a sentence (the text may hold several: an antecedent, a continuation) unless it ends
        # an abbreviation ("U.S.", "St.") inside one.
        if word == "." and (i == n - 1 or _ends_sentence(tokens, i)):
            rows[i, _T["hard_stop"]] = 1
    # Every run of 1..max_tokens tokens that starts and ends on a word and crosses no ; : ! ? or sentence end.
    stops = np.flatnonzero(rows[:, _T["hard_stop"]] > 0)
    stops = np.append(stops, n)
    limit = stops[np.searchsorted(stops, np.arange(n))]
    I = np.repeat(np.arange(n), max_tokens)
    J = I + np.tile(np.arange(max_tokens), n)
    ok = J < limit[I]
    I, J = I[ok], J[ok]
    ok = (rows[I, _T["bad_start"]] == 0) & (rows[J, _T["bad_end"]] == 0)
    I, J = I[ok], J[ok]
    cum = np.vstack((np.zeros((1, rows.shape[1]), dtype=np.float32), np.cumsum(rows, axis=0)))
    sums = cum[J + 1] - cum[I]
    length = (J - I + 1).astype(np.float32)
    # Not made only of the question's words and function words.
    filler = np.maximum(sums[:, _T["qword"]] + sums[:, _T["stop"]], sums[:, _T["qany"]]) + sums[:, _T["punct"]]
    ok = filler < length
    I, J, sums, length = I[ok], J[ok], sums[ok], length[ok]
    m = len(I)
    if m == 0:
        return _empty()
    X = np.zeros((m, len(FEATURES)), dtype=np.float32)
    X[:, _F["bias"]] = 1
    base = _F[f"len_{_LENGTHS[0][0]}_{_LENGTHS[0][1]}"]
    X[:, base : base + len(_LENGTHS)] = np.searchsorted(_LENGTH_EDGES, length, side="right")[:, None] == np.arange(1, len(_LENGTHS) + 1)
    X[:, _F["log_len"]] = np.log(length)
    base = _F[f"mean_{_MEAN[0]}"]
    X[:, base : base + len(_MEAN)] = sums[:, _C_MEAN] / length[:, None]
    base = _F[f"any_{_ANY[0]}"]
    X[:, base : base + len(_ANY)] = sums[:, _C_ANY] > 0
    base = _F[f"first_{_FIRST[0]}"]
    X[:, base : base + len(_FIRST)] = rows[I][:, _C_FIRST]
    base = _F[f"last_{_LAST[0]}"]
    X[:, base : base + len(_LAST)] = rows[J][:, _C_LAST]
    edge = np.zeros((1, rows.shape[1]), dtype=np.float32)
    padded = np.vstack((edge, rows, edge))
    left, right = padded[I], padded[J + 2]  # the tokens just before and after
    X[:, _F["left_start"]] = I == 0
    base = _F[f"left_{_LEFT[0]}"]
    X[:, base : base + len(_LEFT)] = left[:, _C_LEFT]
    X[:, _F["right_end"]] = J == n - 1
    base = _F[f"right_{_RIGHT[0]}"]
    X[:, base : base + len(_RIGHT)] = right[:, _C_RIGHT]
    specific = np.arange(1, len(_SPECIFIC) + 1)
    base = _F[f"left_is_{_SPECIFIC[0]}"]
    X[:, base : base + len(_SPECIFIC)] = codes[I][:, None] == specific
    X[:, _F["left_naming"]] = codes[I] == _NAMING_CODE
    base = _F[f"right_is_{_SPECIFIC[0]}"]
    X[:, base : base + len(_SPECIFIC)] = codes[J + 2][:, None] == specific
    X[:, _F["right_period_end"]] = (J == n - 2) & (tokens[-1][0] == ".")
    # Where the question's words sit around the span.
    q = np.flatnonzero(rows[:, _T["qword"]] > 0)
    if len(q):
        before = q[None, :] < I[:, None]
        after = q[None, :] > J[:, None]
        gaps = np.where(before, I[:, None] - q[None, :], np.where(after, q[None, :] - J[:, None], n + 1))
        nearest = gaps.min(axis=1)
        X[:, _F["log_distance"]] = np.log1p(nearest)
        X[:, _F["adjacent"]] = nearest == 1
        X[:, _F["q_left_3"]] = np.minimum((before & (I[:, None] - q[None, :] <= 3)).sum(axis=1), 3) / 3
        X[:, _F["q_right_3"]] = np.minimum((after & (q[None, :] - J[:, None] <= 3)).sum(axis=1), 3) / 3
        X[:, _F["q_left_all"]] = before.sum(axis=1) / len(q)
        X[:, _F["q_right_all"]] = after.sum(axis=1) / len(q)
        if shape.before:
            # Question words written before the wh-word tend to sit before the answer too, the others after.
            early = np.array([keys[k] in shape.before for k in q])
            X[:, _F["alignment"]] = np.where(early[None, :], before, after).sum(axis=1) / len(q)
    else:
        X[:, _F["no_match"]] = 1
        X[:, _F["log_distance"]] = np.log1p(n)
    # The words around the question's wh-phrase found around the span: the slot it fills.
    window = cum[:, _T["pre"]]
    X[:, _F["slot_left"]] = (window[I] - window[np.maximum(I - 3, 0)]) / 3
    window = cum[:, _T["post"]]
    X[:, _F["slot_right"]] = (window[np.minimum(J + 4, n)] - window[J + 1]) / 3
    X[:, _F["all_qwords"]] = (sums[:, _T["qword"]] + sums[:, _T["stop"]] + sums[:, _T["punct"]]) >= length
    X[:, _F["position"]] = I / max(n - 1, 1)
    bpad = np.concatenate(([1.0], rows[:, _T["boundary"]], [1.0])) > 0
    X[:, _F["maximal"]] = bpad[I] & bpad[J + 2]
    depth = np.cumsum([w == "(" for w, _, _ in tokens]) - np.cumsum([w == ")" for w, _, _ in tokens])
    X[:, _F["in_parens"]] = depth[I] > 0
    X[:, _F["quoted"]] = (left[:, _T["quote"]] > 0) & (right[:, _T["quote"]] > 0)
    X[:, _F["log_sentence_len"]] = math.log(n)
    starts = [t[1] for t in tokens]
    ends = [t[2] for t in tokens]
    typed = _typed_spans(question, sentence, kind)
    if typed:
        # The hand-written finders' spans for the question's type (question_type.py): dates, numbers, names...
        bounds = np.array([(bisect.bisect_left(starts, a), bisect.bisect_right(ends, b) - 1) for a, b in typed])
        bounds = bounds[bounds[:, 0] <= bounds[:, 1]]  # the tokens within each span [a, b)
        ta, tb = bounds[:, 0][None, :], bounds[:, 1][None, :]
        same = (I[:, None] == ta) & (J[:, None] == tb)
        exact = same.any(axis=1)
        inside = ((I[:, None] >= ta) & (J[:, None] <= tb) & ~same).any(axis=1)
        contains = ((I[:, None] <= ta) & (J[:, None] >= tb) & ~same).any(axis=1)
        X[:, _F["typed_exact"]] = exact
        X[:, _F["typed_inside"]] = inside
        X[:, _F["typed_contains"]] = contains
    return Candidates(np.asarray(starts)[I], np.asarray(ends)[J], X)


def _typed_spans(question: str, sentence: str, kind: str | None) -> list[tuple[int, int]]:
    typed = read_question(question, kind=kind).typed
    return question_type.find_spans(sentence, typed) if typed in question_type.TYPED else []


def _columns(names: Sequence[str]) -> list[int]:
    return [_T[n] for n in names]


_C_MEAN, _C_FIRST, _C_LAST = _columns(_MEAN), _columns(_FIRST), _columns(_LAST)
_C_LEFT, _C_RIGHT, _C_ANY = _columns(_LEFT), _columns(_RIGHT), _columns(_ANY)


def candidates(question: str, sentence: str, *, kind: str | None = None, max_tokens: int = 12) -> Candidates:
    """The candidate spans of `sentence` for `question` and their features (for fitting and inspection)."""
    return _candidates(question, sentence, kind, max_tokens)


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: lru_cache keys on it
class ShortAnswerModel:
    """Weights of the span scorer: one vector shared by all kinds plus one per kind (FEATURES order)."""

    shared: tuple[float, ...]
    per_kind: Mapping[str, tuple[float, ...]]
    max_tokens: int = 12
    min_probability: float = 0.0
    """Below this probability for its best span, a sentence gets no short answer."""
    snap: tuple[str, ...] = ()
    """Question kinds whose pick, when it lies inside a span of question_type's finders (a date, an amount),
    becomes that whole span: "end of 2017" rather than "2017", "over 30" rather than "30"."""
    fitted: Mapping[str, object] = field(default_factory=dict)
    """How the weights were fitted (command, data, split, figures): documentation only."""

    def weights(self, kind: str) -> np.ndarray:
        """The effective weight vector for `kind`."""
        return _effective(self, kind)

    def to_json(self) -> dict:
        """The model as the JSON object `load_model` reads."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "features": list(FEATURES),
            "max_tokens": self.max_tokens,
            "min_probability": self.min_probability,
            "snap": list(self.snap),
            "shared": {name: round(w, 6) for name, w in zip(FEATURES, self.shared)},
            "per_kind": {k: {name: round(w, 6) for name, w in zip(FEATURES, ws) if w} for k, ws in self.per_kind.items()},
            "fitted": dict(self.fitted),
        }

    @classmethod
    def from_json(cls, data: object, *, where: str = "short-answer model") -> "ShortAnswerModel":
        """A model from `to_json` output; ShortAnswerModelError saying what is wrong otherwise."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ShortAnswerModelError(f"{where}: not a {FORMAT} file")
        if data.get("version") != VERSION:
            raise ShortAnswerModelError(f"{where}: version {data.get('version')!r}, this docqa reads version {VERSION}; refit it")
        if data.get("features") != list(FEATURES):
            raise ShortAnswerModelError(f"{where}: its features differ from this docqa's; refit it (python benchmarks/fit_short_answer.py fit)")
        try:
            shared = tuple(float(data["shared"][name]) for name in FEATURES)
            per_kind = {
                str(k): tuple(float(ws.get(name, 0.0)) for name in FEATURES) for k, ws in dict(data["per_kind"]).items()
            }
            unknown = [k for k in per_kind if k not in KINDS]
            if unknown:
                raise ValueError(f"unknown kinds {unknown}")
            model = cls(
                shared=shared,
                per_kind=per_kind,
                max_tokens=int(data.get("max_tokens", 12)),
                min_probability=float(data.get("min_probability", 0.0)),
                snap=tuple(str(k) for k in data.get("snap", ())),
                fitted=dict(data.get("fitted") or {}),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ShortAnswerModelError(f"{where}: damaged weights ({exc!s})") from None
        if not all(math.isfinite(w) for w in (*model.shared, *(w for ws in model.per_kind.values() for w in ws))):
            raise ShortAnswerModelError(f"{where}: damaged weights (not finite)")
        if model.max_tokens < 1:
            raise ShortAnswerModelError(f"{where}: max_tokens must be at least 1")
        return model


@functools.lru_cache(maxsize=64)
def _effective(model: ShortAnswerModel, kind: str) -> np.ndarray:
    weights = np.asarray(model.shared, dtype=np.float32)
    extra = model.per_kind.get(kind)
    return weights + np.asarray(extra, dtype=np.float32) if extra is not None else weights


def load_model(path: Path | str = MODEL_PATH) -> ShortAnswerModel:
    """Read a model file; ShortAnswerModelError (a docqa error) when it is missing or damaged."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ShortAnswerModelError(f"Cannot read the short-answer model {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ShortAnswerModelError(f"{path}: the short-answer model is not valid JSON ({exc})") from None
    return ShortAnswerModel.from_json(data, where=str(path))


def save_model(model: ShortAnswerModel, path: Path | str) -> None:
    """Write `model` as indented JSON (read back by `load_model`)."""
    Path(path).write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _shipped() -> ShortAnswerModel:
    return load_model(MODEL_PATH)


# --- the answer ------------------------------------------------------------------------------


def short_answer(question: str, sentence: str, *, kind: str | None = None, model: ShortAnswerModel | None = None) -> ShortAnswer | None:
    """The span of `sentence` that answers `question` (English), with its probability; None when there is none.

    `sentence` may hold several sentences (the answer as shown: antecedent, sentence, continuation); a
    candidate never crosses a sentence end. `kind`: question_type's kind of `question` when the caller knows it (used when the wording names
    no type, as in a completed follow-up); `model`: default the shipped weights. Yes/no questions
    and sentences with no candidate get None.
    """
    return _short_answer(question, sentence, kind, model or _shipped())


@functools.lru_cache(maxsize=8192)  # the same question meets the same retrieved sentences again and again
def _short_answer(question: str, sentence: str, kind: str | None, model: ShortAnswerModel) -> ShortAnswer | None:
    shape = read_question(question, kind=kind)
    if shape.kind == "yes_no":
        return None
    found = _candidates(question, sentence, kind, model.max_tokens)
    if not len(found):
        return None
    scores = found.features @ _effective(model, shape.kind)
    best = int(np.argmax(scores))
    shifted = np.exp(scores - scores[best])
    probability = float(1.0 / shifted.sum())
    if probability < model.min_probability:
        return None
    start, end = found.span(best)
    if shape.kind in model.snap:
        around = [(a, b) for a, b in _typed_spans(question, sentence, kind) if a <= start and end <= b]
        if around:
            start, end = min(around, key=lambda span: span[1] - span[0])
    return ShortAnswer(start, end, round(probability, 4))


def find_short_answer(question: str, sentence: str, *, kind: str | None = None) -> tuple[int, int] | None:
    """(start, end) of the short answer to `question` in `sentence`, or None (see `short_answer`)."""
    found = short_answer(question, sentence, kind=kind)
    return None if found is None else (found.start, found.end)
