"""The short answer inside an answer sentence: the span that fills the question's missing slot.

    short_answer(question, sentence, *, kind=None) -> ShortAnswer(start, end, score) | None
    find_short_answer(question, sentence, *, kind=None) -> (start, end) | None
    read_question(question) -> QuestionShape     the kind, head noun and words the scorer reads (question_shape.py)
    candidates(question, sentence) -> Candidates  every candidate span and its features (span_features.py)
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
softmax over each sentence's candidates) gives each a probability; the pick is the span of the 30 most
probable that agrees best, in expectation, with that distribution (half exact match, half word overlap:
minimum Bayes risk), so that "Song dynasty", backed by "the Song dynasty", beats a lone "Song" a little more
probable. `score` is the pick's expected agreement with the scorer's distribution over all candidates: below the
model's `min_agreement`, and for yes/no questions, there is no short answer (no highlight rather than a likely
wrong one). Words are tagged first (answering/tagging.py: part of speech, phrase chunk), so that features can
say "a noun phrase", "right after the question's verb" (the object of "what did X develop?"). For
when / how many / how much, a pick inside a finder's date or amount grows to all of it
("end of 2017", "over 30"), and asked how large, a pick overlapping an amount becomes it; a pick made of a name's words
grows to the whole name ("Stock Exchange" -> "Warsaw Stock Exchange"). Four constructions are read before the
scorer: asked how something is regarded, seen or described, the noun phrase after "as" that follows such a verb
("regards this plan as a blueprint for…" -> "a blueprint"); asked for a range, the "from X to Y" phrase; asked
"how <word>", the degree the sentence gives it ("How involved…?" -> "highly involved"); asked for a label, term or
phrase, the one phrase the sentence quotes ("‘ready for action’" -> "ready for action"). Asked for several things
("What are the three sources…?", "What types of…?"), the pick grows over the list it is an item of.

The weights are short_answer_model.json beside this module: small, versioned,
human-readable (one named weight per feature). Recreate it with

    python benchmarks/fit_short_answer.py fit      # squad2-a's fit articles, split seed 0

Pure functions, cached per (question, sentence).
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np

from docqa.errors import DocqaError
from docqa.index.answering import question_type
from docqa.index.answering.question_shape import KINDS, QuestionShape, read_question, tokenize
from docqa.index.answering.span_features import FEATURES, Candidates, _candidates, candidates, typed_spans

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
    """A short answer: character offsets into the sentence, and its expected agreement (see ShortAnswerModel)."""

    start: int
    end: int
    score: float


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: lru_cache keys on it
class ShortAnswerModel:
    """Weights of the span scorer: one vector shared by all kinds plus one per kind (FEATURES order)."""

    shared: tuple[float, ...]
    per_kind: Mapping[str, tuple[float, ...]]
    max_tokens: int = 12
    min_agreement: float = 0.0
    """Below this expected agreement of its pick with the scorer's distribution (the pick's probability when
    `overlap_top` is 0), a sentence gets no short answer."""
    snap: tuple[str, ...] = ()
    """Question kinds whose pick, when it lies inside a span of question_type's finders (a date, an amount),
    becomes that whole span: "end of 2017" rather than "2017", "over 30" rather than "30"."""
    overlap_top: int = 0
    """0: the short answer is the most probable span. Otherwise it is, among the `overlap_top` most probable,
    the span with the highest expected agreement with the scorer's own distribution over them (minimum Bayes
    risk): agreement is `overlap_exact` x exact match + (1 - `overlap_exact`) x word-overlap F1. A span that
    shares words with other likely spans wins over a lone one a little more probable; F1 gains most."""
    overlap_exact: float = 0.0
    grow_names: tuple[str, ...] = ()
    """Question kinds whose pick, when it is part of a name ("Stock Exchange" in "the Warsaw Stock Exchange"),
    becomes the whole name: the run of capitalised words, with a linking word (of, and, v, ...) or an
    initial's period between two of them."""
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
            "min_agreement": self.min_agreement,
            "snap": list(self.snap),
            "overlap_top": self.overlap_top,
            "overlap_exact": self.overlap_exact,
            "grow_names": list(self.grow_names),
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
                min_agreement=float(data.get("min_agreement", 0.0)),
                snap=tuple(str(k) for k in data.get("snap", ())),
                overlap_top=int(data.get("overlap_top", 0)),
                overlap_exact=float(data.get("overlap_exact", 0.0)),
                grow_names=tuple(str(k) for k in data.get("grow_names", ())),
                fitted=dict(data.get("fitted") or {}),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ShortAnswerModelError(f"{where}: damaged weights ({exc!s})") from None
        if not all(math.isfinite(w) for w in (*model.shared, *(w for ws in model.per_kind.values() for w in ws))):
            raise ShortAnswerModelError(f"{where}: damaged weights (not finite)")
        if model.max_tokens < 1:
            raise ShortAnswerModelError(f"{where}: max_tokens must be at least 1")
        if model.overlap_top < 0 or not 0.0 <= model.overlap_exact <= 1.0:
            raise ShortAnswerModelError(f"{where}: overlap_top must be 0 or more and overlap_exact within 0..1")
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
    and sentences with no candidate get None. Only the first MAX_TEXT_TOKENS tokens of `sentence` are read.
    """
    return _short_answer(question, bounded(sentence), kind, model or _shipped())


MAX_TEXT_TOKENS = 256
"""The short answer is looked for in a text's first 256 tokens (words and punctuation marks): the longest text it
met in SQuAD's check articles had 169, while tagging and scoring cost ~25 µs a token, so that a hostile
5,000-character run of names, numbers or letters between commas took 75–600 ms whole."""


def bounded(sentence: str) -> str:
    """`sentence` cut after its first MAX_TEXT_TOKENS tokens (offsets within it stay those of `sentence`)."""
    if len(sentence) <= MAX_TEXT_TOKENS:  # (a token holds a character at least)
        return sentence
    tokens = tokenize(sentence)
    return sentence if len(tokens) <= MAX_TEXT_TOKENS else sentence[: tokens[MAX_TEXT_TOKENS - 1][2]]


_AMOUNTS = (question_type.HOW_MANY, question_type.HOW_MUCH)


# "How does X regard / see / describe Y?" asks for what the sentence says Y is *as*, whichever of these verbs it
# uses: "regards this Action Plan as a blueprint for…" -> "a blueprint" (the noun phrase after "as", up to a
# preposition, a clause or a comma; a quoted label whole).
_REGARD_VERBS = (
    r"(?:regard(?:s|ed)?|see|sees|saw|seen|view(?:s|ed)?|describe[sd]?|consider(?:s|ed)?|perceive[sd]?"
    r"|characteri[sz]e[sd]?|define[sd]?|label(?:l?ed|s)?|identif(?:y|ies|ied))"
)
# the question's own verb: a few words after "how does", not in a clause of its own ("when Johnson was seen as…")
_REGARDING = re.compile(
    rf"^\W*how\s+(?:does|do|did|is|are|was|were|would|will)\s+(?:[\w\-’']+\s+){{0,6}}?{_REGARD_VERBS}\b(?!\s+(?:as|to)\b)",
    re.IGNORECASE,
)
_AS_PHRASE = re.compile(
    rf"\b{_REGARD_VERBS}\b(?:\s+[\w\-’']+){{0,8}}?\s+as\s+(?:[‘“\"](?P<quoted>[^’”\"]{{1,60}})[’”\"]|"
    r"(?P<np>(?:(?:an?|the)\s+)?[\w\-’']+(?:\s+[\w\-’']+){0,3}?)"
    r"(?=\s+(?:for|of|in|to|by|with|on|at|from|that|which|who|and|or|but|because|since)\b|\s*[,.;:!?)]|\s*$))",
    re.IGNORECASE,
)


def _as_complement(question: str, sentence: str) -> ShortAnswer | None:
    """The noun phrase after "as" that follows a verb of regarding in `sentence`, when `question` asks how something
    is regarded."""
    if not _REGARDING.search(question):
        return None
    phrase = _AS_PHRASE.search(sentence)
    if phrase is None:
        return None
    part = "quoted" if phrase.group("quoted") else "np"  # a quoted label whole: "as ‘ready for action’"
    return ShortAnswer(phrase.start(part), phrase.end(part), 1.0)


# "What range of research do the activities cover?" asks for a "from X to Y" (or "between X and Y") phrase.
_ASKS_RANGE = re.compile(r"\b(?:what|which)\s+(?:range|span|spectrum)\b", re.IGNORECASE)
_RANGE = re.compile(
    r"\b(?:from\s+(?:[\w\-’']+\s+){0,4}?to|between\s+(?:[\w\-’']+\s+){0,4}?and)\s+[\w\-’']+"
    r"(?:\s+(?!(?:until|till|to|and|or|as|in|into|on|for|with|of|at|by|per|from)\b)[\w\-’']+){0,2}",
    re.IGNORECASE,
)


def _range_phrase(question: str, sentence: str) -> ShortAnswer | None:
    """The "from X to Y" phrase of `sentence` when `question` asks for a range, else None."""
    if not _ASKS_RANGE.search(question):
        return None
    found = _RANGE.search(sentence)
    return None if found is None else ShortAnswer(found.start(), found.end(), 1.0)


# "What label / term / phrase…?" asks for a sentence's words in quotes, when it quotes one phrase: "identified as
# ‘ready for action’" -> "ready for action".
_ASKS_LABEL = re.compile(
    r"\b(?:what|which)\s+(?:(?!(?:long|short|mid|near)\s)[\w\-]+\s+)?(?:label|term|phrase|expression|words?|designation|tag"
    r"|slogan|motto|nickname)s?\b(?!-)"
    r"|\bin\s+what\s+terms\b",
    re.IGNORECASE,
)
# A ’ before a letter is an apostrophe ("‘the People’s Princess’"), not the closing quote.
_QUOTED = re.compile(r"[‘“\"](?P<quoted>[^”\"]{1,60}?)(?:’(?!\w)|[”\"])")


def _quoted_label(question: str, sentence: str) -> ShortAnswer | None:
    """The one phrase `sentence` quotes, when `question` asks for a label or a term."""
    if not _ASKS_LABEL.search(question):
        return None
    quoted = list(_QUOTED.finditer(sentence))
    if len(quoted) != 1:
        return None
    return ShortAnswer(quoted[0].start("quoted"), quoted[0].end("quoted"), 1.0)


# "How involved was ANR?" asks for the degree the sentence gives the same word: "was highly involved" -> "highly
# involved" (an adverb of degree right before it).
_DEGREE_ADVERB = r"(?:(?!only\b)[a-z]+ly|very|much|well|fully|little|quite|rather|so|too|far|most|more|less|least)"


def _degree_phrase(shape: QuestionShape, sentence: str) -> ShortAnswer | None:
    """The adverb and the word the question asks "how <word>" about, when `sentence` writes them together."""
    if shape.kind != "how_adj" or shape.typed in _AMOUNTS or not shape.head.isalpha() or shape.head.endswith("ly"):
        return None
    found = re.search(rf"\b{_DEGREE_ADVERB}\s+{re.escape(shape.head)}\b", sentence, re.IGNORECASE)
    return None if found is None else ShortAnswer(found.start(), found.end(), 1.0)


# A question asking for several things: "What are the three sources…?", "Which two fields…?", "What types of
# organisations…?". Its pick grows over the list it is part of: "primary law" -> "primary law, secondary law and
# supplementary law".
_ASKS_SEVERAL = re.compile(
    r"\b(?:what|which|name)\s+(?:(?:are|were)\s+)?(?:the\s+)?(?:other\s+)?(?:two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"|\b(?:what|which)\s+(?:types|kinds|sorts)\s+of\b|\b(?:what|which)\s+(?:are|were)\s+the\s+(?:main\s+)?[\w\-]+s\b",
    re.IGNORECASE,
)
_ITEM_WORD = r"(?!(?:is|are|was|were|be|been|has|have|had|do|does|did|will|would|can|could)\b)[\w\-’']+"
# An item opens with no preposition or clause word ("…, from viruses to worms" and "…, including X" are no items).
_ITEM = (
    r"(?!(?:including|such|which|who|whom|that|where|when|while|whose|but|because|although|as|with|from|in|on|at|by"
    rf"|for|to|of|into|then|than|during|after|before|since|until|like)\b){_ITEM_WORD}(?:\s+{_ITEM_WORD}){{0,4}}?"
)
_COMMA_ITEM = re.compile(rf"^,\s*(?P<item>{_ITEM})(?=\s*(?:,|\band\b|\bor\b|\bas\s+well\s+as\b))", re.IGNORECASE)
_LAST_ITEM = re.compile(
    rf"^(?:,\s*)?\s*(?:and|or|as\s+well\s+as)\s+(?P<item>{_ITEM})(?=\s*(?:[,.;:)!?]|$))", re.IGNORECASE
)
_ITEM_BEFORE = re.compile(
    rf"(?:[,;:(]\s*|\b(?:of|are|were|is|was|include|includes|included)\s+)(?P<item>{_ITEM})(?:,\s*)?\s*\b(?:and|or|as\s+well\s+as)\s+$",
    re.IGNORECASE,
)
MAX_LIST_ITEMS = 6


def _grown_over_list(question: str, sentence: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) grown over the list the pick is an item of, when `question` asks for several things: forward over
    ", X" items up to the one after "and" / "or" / "as well as", which ends the list; or, when the pick is that last
    item, back over the item before it ("X and <pick>"), unless the pick holds "and" or "or" itself."""
    if not _ASKS_SEVERAL.search(question):
        return start, end
    grown = end
    for _ in range(MAX_LIST_ITEMS):
        if (item := _COMMA_ITEM.match(sentence[grown:])) is None:
            break
        grown += item.end("item")
    # ", and" ends a list of three or more ("A, B, and C"); after a lone pick it opens a clause ("a fee, and the…")
    listed = grown > end or re.search(r",\s*$", sentence[:start])
    if (last := _LAST_ITEM.match(sentence[grown:])) is not None and (listed or not last.group().startswith(",")):
        return start, grown + last.end("item")  # without its "and" item, what follows the pick was no list
    if not re.search(r"\b(?:and|or)\b", sentence[start:end], re.IGNORECASE) and (before := _ITEM_BEFORE.search(sentence[:start])):
        return before.start("item"), end
    return start, end


@functools.lru_cache(maxsize=8192)  # the same question meets the same retrieved sentences again and again
def _short_answer(question: str, sentence: str, kind: str | None, model: ShortAnswerModel) -> ShortAnswer | None:
    shape = read_question(question, kind=kind)
    if shape.kind == "yes_no":
        return None
    if shape.kind == "how" and (regarded := _as_complement(question, sentence)) is not None:
        return regarded
    if (ranged := _range_phrase(question, sentence)) is not None:
        return ranged
    if (degree := _degree_phrase(shape, sentence)) is not None:
        return degree
    if (label := _quoted_label(question, sentence)) is not None:
        return label
    found = _candidates(question, sentence, kind, model.max_tokens)
    if not len(found):
        return None
    scores = found.features @ _effective(model, shape.kind)
    best = int(np.argmax(scores))
    shifted = np.exp(scores - scores[best])
    probability = float(1.0 / shifted.sum())
    if model.overlap_top > 1:
        best, probability = _most_agreed(found, scores, top=model.overlap_top, exact=model.overlap_exact)
    if probability < model.min_agreement:
        return None
    start, end = found.span(best)
    if shape.kind in model.snap or (shape.kind == "how_adj" and shape.typed in _AMOUNTS):
        # The date or amount the pick is part of, else the one it overlaps: "30 European" is "over 30" when asked
        # "how large"
        spans = typed_spans(question, sentence, kind)
        around = [(a, b) for a, b in spans if a <= start and end <= b] or [(a, b) for a, b in spans if a < end and start < b]
        if around:
            start, end = min(around, key=lambda span: span[1] - span[0])
    if shape.kind in model.grow_names:
        start, end = _whole_name(sentence, start, end)
    start, end = _grown_over_list(question, sentence, start, end)
    return ShortAnswer(start, end, round(probability, 4))


def _most_agreed(found: Candidates, scores: np.ndarray, *, top: int, exact: float) -> tuple[int, float]:
    """(the candidate among the `top` most probable with the highest expected agreement (see ShortAnswerModel),
    its expected agreement with the whole distribution)."""
    order = np.argsort(-scores)[:top]
    every = np.exp(scores - scores[order[0]])
    p = every[order] / every[order].sum()
    whole = every[order] / every.sum()  # the same, as shares of all candidates
    a, b, counted = found.first[order], found.last[order] + 1, found.counted
    lo = np.maximum(a[:, None], a[None, :])
    shared = counted[np.maximum(np.minimum(b[:, None], b[None, :]), lo)] - counted[lo]  # 0 when they do not overlap
    size = counted[b] - counted[a]
    f1 = 2 * shared / np.maximum(size[:, None] + size[None, :], 1e-9)  # = 2PR / (P + R)
    pick = int(np.argmax((1 - exact) * (f1 @ p) + exact * p))
    return int(order[pick]), float((1 - exact) * (f1[pick] @ whole) + exact * whole[pick])


_NAME_LINKS = frozenset("of and for de du la von van v & - .".split())
_LONGEST_NAME = 9  # tokens; a longer capitalised run is a title or a heading, not a name


def _whole_name(sentence: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) grown to the whole name when the span is made of a name's words (see grow_names)."""
    tokens = tokenize(sentence)
    inside = [k for k, (_, a, b) in enumerate(tokens) if start <= a and b <= end]
    if not inside:
        return start, end

    def capital(k: int) -> bool:
        word = tokens[k][0]
        return word[:1].isalpha() and word[:1].isupper()

    i, j = inside[0], inside[-1]
    if not (capital(i) and capital(j)) or not all(capital(k) or tokens[k][0].lower() in _NAME_LINKS for k in inside):
        return start, end
    while i > 0 and (capital(i - 1) or (i > 1 and tokens[i - 1][0].lower() in _NAME_LINKS and capital(i - 2))):
        i -= 1 if capital(i - 1) else 2
    last = len(tokens) - 1
    while j < last and (capital(j + 1) or (j + 1 < last and tokens[j + 1][0].lower() in _NAME_LINKS and capital(j + 2))):
        j += 1 if capital(j + 1) else 2
    if j - i + 1 > _LONGEST_NAME:
        return start, end
    return tokens[i][1], tokens[j][2]


def find_short_answer(question: str, sentence: str, *, kind: str | None = None) -> tuple[int, int] | None:
    """(start, end) of the short answer to `question` in `sentence`, or None (see `short_answer`)."""
    found = short_answer(question, sentence, kind=kind)
    return None if found is None else (found.start, found.end)
