"""The candidate spans of a sentence for a question, and their features: what the short-answer scorer weighs.

    FEATURES                                                  the feature names, in column order
    Candidates                                                spans (character offsets) and their feature rows
    candidates(question, sentence, *, kind=None, max_tokens=12)   every candidate span and its features (cached)
    typed_spans(question, sentence, kind)                     question_type.py's spans of the kind asked for

Every run of up to `max_tokens` words that starts and ends on a word, crosses no sentence end, ; or : and
holds no half pair of brackets is a candidate (see answering/short_answer.py for the features). Each word's
part of speech and phrase chunk come from answering/tagging.py. Generic English function words only.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from docqa.index import text
from docqa.index.answering import acronyms, number_words, question_type, tagging
from docqa.index.answering.question_shape import DETERMINERS, read_question, tokenize

__all__ = ["FEATURES", "Candidates", "candidates", "typed_spans"]

_PREPOSITIONS = frozenset(
    """in on at by of from to for with as than into onto during since until till within between about through
    over under after before against among across per via upon without toward towards around near behind beyond
    despite throughout including like""".split()
)
_ARTICLES = frozenset(("a", "an", "the"))  # what SQuAD's answer normalisation drops, with punctuation
_CONJUNCTIONS = frozenset("and or but nor".split())
_RELATIVES = frozenset("which who whom whose that where when while because although though if whereas".split())
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_NUMBER_WORDS = number_words.COUNT_WORDS | frozenset("half first second third fourth fifth".split())
_TIME_WORDS = frozenset(
    """century centuries decade decades year years month months week weeks day days hour hours minute minutes
    second seconds era period age times bc ad bce ce""".split()
)
_NAMING = frozenset("called named known termed titled".split())
_YEAR = re.compile(r"(?:1\d{3}|20\d\d)s?|\d{2,3}0s")
_DIGIT = re.compile(r"\d")

_TOKEN_FEATURES = (
    "cap", "cap_inner", "acronym", "digit", "year", "month", "number_word", "punct", "stop", "qword", "prep", "det",
    "conj", "be", "relative", "symbol", "time_word", "verbish", "adverb", "paren", "comma", "head", "hard_stop",
    "bad_start", "bad_end", "pre", "post", "pre_last", "post_first", "boundary", "qany", "quote",
    "noun", "propn", "verb", "adj", "adv_pos", "pron", "cd", "np_b", "np_i", "vp", "pp", "chunk_o", "wdt",
)
_T = {name: i for i, name in enumerate(_TOKEN_FEATURES)}
_SPECIFIC = ("in", "on", "at", "by", "of", "from", "to", "for", "as", "than", "with", "and")
_POS = ("noun", "propn", "verb", "adj", "adv_pos", "pron", "cd")
_MEAN = ("cap", "digit", "year", "month", "number_word", "stop", "qword", "punct", "time_word", "acronym", "symbol", "comma", "verbish", "qany", "conj", *_POS, "chunk_o")
_FIRST = ("cap", "digit", "year", "month", "number_word", "stop", "det", "prep", "be", "qword", "verbish", "symbol", "paren", *_POS, "np_b", "np_i", "vp")
_LAST = ("cap", "digit", "year", "stop", "qword", "verbish", "time_word", "number_word", "symbol", "adverb", "head", *_POS)
_LEFT = ("punct", "comma", "prep", "det", "conj", "be", "relative", "qword", "cap", "verbish", "digit", "paren", "head", "pre_last", "quote", "boundary", "qany", *_POS, "np_i", "wdt")
_RIGHT = ("punct", "comma", "prep", "det", "conj", "be", "relative", "qword", "cap", "verbish", "paren", "head", "time_word", "digit", "post_first", "quote", "boundary", "qany", *_POS, "np_i", "vp", "pp")
_ANY = ("cap", "digit", "year", "month", "number_word", "qword", "punct", "symbol", "time_word", "comma", "conj", "qany", "verb", "propn")
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
    "np_bounded", "qverb_left", "qverb_right", "qverb_left_object", "qverb_right_subject", "qverb_left_subject", "qverb_right_object",
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
    first: np.ndarray
    """Index of each span's first token in the sentence."""
    last: np.ndarray
    """... and of its last."""
    counted: np.ndarray
    """Cumulative count of the sentence's tokens SQuAD's answer overlap counts (words other than a/an/the):
    tokens first..last hold counted[last + 1] - counted[first] of them."""

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
    if lower in DETERMINERS:
        row[_T["det"]] = row[_T["bad_end"]] = 1
    if lower in _CONJUNCTIONS or lower in ("'s", "’s"):
        row[_T["conj"]] = row[_T["bad_start"]] = row[_T["bad_end"]] = row[_T["boundary"]] = 1
    if lower in text.BE_FORMS:
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


_TAG_COLUMNS = {
    "NN": "noun", "NNS": "noun", "NNP": "propn", "NNPS": "propn", "JJ": "adj", "JJR": "adj", "JJS": "adj",
    "RB": "adv_pos", "RBR": "adv_pos", "RBS": "adv_pos", "PRP": "pron", "PRP$": "pron", "CD": "cd", "WDT": "wdt",
    "MD": "verb", "VB": "verb", "VBD": "verb", "VBG": "verb", "VBN": "verb", "VBP": "verb", "VBZ": "verb",
}
_CHUNK_COLUMNS = {"B-NP": "np_b", "I-NP": "np_i", "B-VP": "vp", "I-VP": "vp", "B-PP": "pp", "O": "chunk_o"}


def _set_tags(rows: np.ndarray, words: Sequence[str]) -> None:
    """Mark each word's part of speech and chunk (answering/tagging.py) in its row."""
    for row, tagged in zip(rows, tagging.tag(words)):
        if tagged.pos in _TAG_COLUMNS:
            row[_T[_TAG_COLUMNS[tagged.pos]]] = 1
        if tagged.chunk in _CHUNK_COLUMNS:
            row[_T[_CHUNK_COLUMNS[tagged.chunk]]] = 1


def _ends_sentence(tokens: Sequence[tuple[str, int, int]], i: int) -> bool:
    before, following = tokens[i - 1][0] if i else "", tokens[i + 1][0]
    abbreviation = "." in before or (before[:1].isupper() and len(before) <= 3 and before.isalpha())
    return following[:1].isupper() and not abbreviation or following[:1] in ('"', "“", "(")


def _empty() -> Candidates:
    nothing = np.zeros(0, dtype=np.int64)
    return Candidates(nothing, nothing, np.zeros((0, len(FEATURES)), dtype=np.float32), nothing, nothing, np.zeros(1))


@functools.lru_cache(maxsize=1024)  # the same retrieved sentences come back; an entry holds ~6-12 KB of rows
def _sentence_rows(sentence: str) -> tuple[list[tuple[str, int, int]], np.ndarray, list[str], np.ndarray]:
    """`sentence`'s tokens, the question-independent features of each (a read-only row each), their match stems and
    their codes among _SPECIFIC words (padded with 0 at both ends)."""
    tokens = tokenize(sentence)
    n = len(tokens)
    looked_up = [_word_row(w) for w, _, _ in tokens]
    rows = np.vstack([r for r, _, _ in looked_up]) if n else np.zeros((0, len(_TOKEN_FEATURES)), dtype=np.float32)
    _set_tags(rows, [w for w, _, _ in tokens])
    for i in range(1, n):
        if rows[i, _T["cap"]] and tokens[i - 1][0] not in ('"', "“", "'", "("):
            rows[i, _T["cap_inner"]] = 1
    for i, (word, _, _) in enumerate(tokens):
        # A period ends a sentence (the text may hold several: an antecedent, a continuation) unless it ends
        # an abbreviation ("U.S.", "St.") inside one.
        if word == "." and (i == n - 1 or _ends_sentence(tokens, i)):
            rows[i, _T["hard_stop"]] = 1
    rows.setflags(write=False)
    return tokens, rows, [k for _, k, _ in looked_up], np.array([0, *(c for _, _, c in looked_up), 0])


@functools.lru_cache(maxsize=128)  # an entry holds a feature matrix (~100 KB): a long-running server keeps few
def _candidates(question: str, sentence: str, kind: str | None, max_tokens: int) -> Candidates:
    shape = read_question(question, kind=kind)
    tokens, read, keys, codes = _sentence_rows(sentence)
    n = len(tokens)
    if n == 0:
        return _empty()
    rows = read.copy()
    head = text.match_stem(shape.head) if shape.head else None
    asked = shape.words
    for i, key in enumerate(keys):
        row = rows[i]
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
    named = () if shape.kind == "definition" or acronyms.asked_acronym(question) else acronyms.named_long_forms(question, sentence)
    for a, b in named:
        # The long form of an acronym the question names (and does not ask the meaning of) is the question's
        # own subject, as if written there.
        for i, (_, start, end) in enumerate(tokens):
            if a <= start and end <= b and not rows[i, _T["stop"]] and not rows[i, _T["punct"]]:
                rows[i, _T["qword"]] = rows[i, _T["qany"]] = rows[i, _T["boundary"]] = 1
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
    # Brackets inside a span come in pairs: "Innovation Support Action (SRIA" is no answer.
    opens = np.concatenate(([0], np.cumsum([w in ("(", "[") for w, _, _ in tokens])))
    closes = np.concatenate(([0], np.cumsum([w in (")", "]") for w, _, _ in tokens])))
    ok = opens[J + 1] - opens[I] == closes[J + 1] - closes[I]
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
    q = np.flatnonzero(rows[:, _T["qword"]] > 0)  # ascending: counted by binary search, never span by match
    if len(q):
        below = np.searchsorted(q, I, side="left")  # question words before the span
        through = np.searchsorted(q, J, side="right")  # ... before or inside it
        above = len(q) - through  # ... after it
        gap_before = np.where(below > 0, I - q[np.maximum(below - 1, 0)], n + 1)
        gap_after = np.where(above > 0, q[np.minimum(through, len(q) - 1)] - J, n + 1)
        nearest = np.minimum(gap_before, gap_after)
        X[:, _F["log_distance"]] = np.log1p(nearest)
        X[:, _F["adjacent"]] = nearest == 1
        X[:, _F["q_left_3"]] = np.minimum(below - np.searchsorted(q, I - 3, side="left"), 3) / 3
        X[:, _F["q_right_3"]] = np.minimum(np.searchsorted(q, J + 3, side="right") - through, 3) / 3
        X[:, _F["q_left_all"]] = below / len(q)
        X[:, _F["q_right_all"]] = above / len(q)
        if shape.before:
            # Question words written before the wh-word tend to sit before the answer too, the others after.
            early = np.array([keys[k] in shape.before for k in q], dtype=bool)
            q_early, q_late = q[early], q[~early]
            aligned = np.searchsorted(q_early, I, side="left") + len(q_late) - np.searchsorted(q_late, J, side="right")
            X[:, _F["alignment"]] = aligned / len(q)
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
    typed = typed_spans(question, sentence, kind)
    if typed:
        # The hand-written finders' spans for the question's type (question_type.py): dates, numbers, names...
        bounds = np.array([(bisect.bisect_left(starts, a), bisect.bisect_right(ends, b) - 1) for a, b in typed])
        bounds = bounds[bounds[:, 0] <= bounds[:, 1]]  # the tokens within each span [a, b)
        if len(bounds):
            X[:, _F["typed_exact"]], X[:, _F["typed_inside"]], X[:, _F["typed_contains"]] = _typed_relations(I, J, bounds)
    # Starts where a noun phrase starts and cuts none at its end; the question's verb just before or after.
    X[:, _F["np_bounded"]] = (rows[I, _T["np_b"]] > 0) & (right[:, _T["np_i"]] == 0)
    if shape.verbs:
        qverb = np.array([keys[i] in shape.verbs and rows[i, _T["verb"]] > 0 for i in range(n)], dtype=np.float32)
        vcum = np.concatenate(([0.0], np.cumsum(qverb)))
        vl = (vcum[I] - vcum[np.maximum(I - 3, 0)]) > 0
        vr = (vcum[np.minimum(J + 4, n)] - vcum[J + 1]) > 0
        X[:, _F["qverb_left"]] = vl
        X[:, _F["qverb_right"]] = vr
        obj, subj = shape.role == "object", shape.role == "subject"
        X[:, _F["qverb_left_object"]] = vl & obj
        X[:, _F["qverb_right_subject"]] = vr & subj
        X[:, _F["qverb_left_subject"]] = vl & subj
        X[:, _F["qverb_right_object"]] = vr & obj
    counted = (rows[:, _T["punct"]] == 0) & np.array([w.lower() not in _ARTICLES for w, _, _ in tokens])
    return Candidates(np.asarray(starts)[I], np.asarray(ends)[J], X, I, J, np.concatenate(([0], np.cumsum(counted))))


def _typed_relations(I: np.ndarray, J: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each candidate span of tokens I..J: is it one of the typed spans `bounds` (rows: first, last token),
    inside another one, or does it contain another one? By binary search over the typed spans' first tokens
    (each candidate against each typed span had cost candidates x typed spans: 10^7 on a list of 1,000 numbers)."""
    firsts, at = np.unique(bounds[:, 0], return_inverse=True)
    at = at.ravel()
    widest = np.full(len(firsts), -1, dtype=np.int64)
    np.maximum.at(widest, at, bounds[:, 1])  # the last token of the longest typed span starting at each first
    narrowest = np.full(len(firsts), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(narrowest, at, bounds[:, 1])
    widest_so_far = np.maximum.accumulate(widest)
    narrowest_from = np.minimum.accumulate(narrowest[::-1])[::-1]
    k = np.searchsorted(firsts, I, side="left")  # the first typed span starting at or after I
    starts_here = (k < len(firsts)) & (firsts[np.minimum(k, len(firsts) - 1)] == I)
    here = np.minimum(k, len(firsts) - 1)
    width = int(max(J.max(initial=0), bounds[:, 1].max())) + 1  # (I, J) as one number
    exact = np.isin(I * width + J, bounds[:, 0] * width + bounds[:, 1])
    # Inside: a typed span starting before I and ending at J or later, or one starting at I and ending after J.
    inside = ((k > 0) & (widest_so_far[np.maximum(k - 1, 0)] >= J)) | (starts_here & (widest[here] > J))
    # Contains: a typed span starting after I and ending at J or before, or one starting at I and ending before J.
    after = k + starts_here
    contains = ((after < len(firsts)) & (narrowest_from[np.minimum(after, len(firsts) - 1)] <= J)) | (starts_here & (narrowest[here] < J))
    return exact, inside, contains


def typed_spans(question: str, sentence: str, kind: str | None) -> list[tuple[int, int]]:
    """question_type.py's finders' spans in `sentence` for the type `question` asks for (none when untyped)."""
    typed = read_question(question, kind=kind).typed
    return question_type.find_spans(sentence, typed) if typed in question_type.TYPED else []


def _columns(names: Sequence[str]) -> list[int]:
    return [_T[n] for n in names]


_C_MEAN, _C_FIRST, _C_LAST = _columns(_MEAN), _columns(_FIRST), _columns(_LAST)
_C_LEFT, _C_RIGHT, _C_ANY = _columns(_LEFT), _columns(_RIGHT), _columns(_ANY)


def candidates(question: str, sentence: str, *, kind: str | None = None, max_tokens: int = 12) -> Candidates:
    """The candidate spans of `sentence` for `question` and their features (for fitting and inspection)."""
    return _candidates(question, sentence, kind, max_tokens)
