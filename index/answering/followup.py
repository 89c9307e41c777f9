"""Follow-up questions: "How many members does it have?" after "What is ICPerMed?".

A question that leans on the conversation (a pronoun such as "it", or a short
question naming nothing) is rewritten with the names of the latest earlier user
turn that had some, so retrieval and answer selection see what it is about.
Stand-alone questions (they name their own subject) are left unchanged.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any, Callable, Iterable, Mapping, Sequence

from docqa.index import text
from docqa.index.answering.question_shape import AUXILIARIES, WH_WORDS

_AUX = "|".join(sorted(AUXILIARIES))
_NOT_POINTING = (
    r"\s+(?:(?:year|month|week|day|morning|afternoon|evening|night|time|moment|season|semester|quarter|spring|summer"
    r"|autumn|fall|winter)s?|who|whom|whose|which|that)\b"
)
_ANAPHOR = re.compile(
    r"\b(?P<p>it|its|it's|they|them|their|theirs|he|she|him|his|her|hers)\b"
    r"|\b(?P<end>there|this|that|these|those)\s*[?.!]*\s*$"
    # "Of those, how many…", "among these", "this network…"; "that" only as in "does that action…": elsewhere it
    # opens a clause ("Is it true that research…")
    # Not in time ("this year", "these days": now) nor before a relative ("those who apply": whoever applies).
    rf"|\b(?P<dem>this|these|those)(?!{_NOT_POINTING})(?:(?=\s*,)|(?= (?!(?:{_AUX})\b)[a-z]))"
    rf"|\b(?:of|among|from|for|about|with|in|by) (?P<after>this|these|those)\b(?!{_NOT_POINTING})"
    rf"|\b(?:of|about|{_AUX}) (?P<that>that)(?= [a-z]+\s+(?!that\b)[a-z])",
    re.IGNORECASE,
)
# Words of a conversation that name nothing, beyond the stop and question words (index/text.py).
_CONVERSATIONAL = frozenset(
    """know explain describe information details give say something since long yet still else ok okay thanks thank""".split()
)


@functools.lru_cache(maxsize=1)
def filler() -> frozenset[str]:
    """Words that name nothing: stop words, question words (English and French) and conversational words."""
    return text.question_words() | _CONVERSATIONAL

_WORD = re.compile(r"[\w'’\-]+")


def name_vocabulary(texts: Iterable[str], *, stopwords: frozenset[str] | None = None) -> frozenset[str]:
    """Lower-cased words written as names in `texts`: capitalised inside a sentence, acronyms, CamelCase
    (`stopwords` are never names; default `filler()`)."""
    return frozenset(name_forms(texts, stopwords=stopwords))


def name_forms(texts: Iterable[str], *, stopwords: frozenset[str] | None = None) -> dict[str, str]:
    """`name_vocabulary`'s words, each mapped to the way `texts` write it most often ("icpermed" → "ICPerMed")."""
    stopwords = filler() if stopwords is None else stopwords
    counts: dict[str, Counter[str]] = {}
    for text_ in texts:
        for match in re.finditer(r"(?<![.!?:\n]\s)(?<!^)\b([A-Z][\w\-]*|[a-z]+[A-Z][\w\-]*)", text_):
            word = match.group(1)
            if _opens_sentence(text_, match.start()) and not re.search(r"[A-Z].*[A-Z]", word):
                continue
            if word.lower() not in stopwords and len(word) > 1:
                counts.setdefault(word.lower(), Counter())[word] += 1
    return {lower: forms.most_common(1)[0][0] for lower, forms in counts.items()}


def _opens_sentence(text: str, at: int) -> bool:
    r"""Whether `text[at:]` opens the text, a line or a sentence: what precedes is nothing, or ends with a line
    break or . ! ? : and white space. (As `re.search(r"(?:^|[.!?:\n]\s*)$", text[:at])`, without copying and
    scanning the whole prefix for every capitalised word: that made learning a large collection's names quadratic.)"""
    start = at
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return at == 0 or "\n" in text[start:at] or (start > 0 and text[start - 1] in ".!?:")


def names_in(text: str, names: frozenset[str]) -> list[str]:
    """The runs of consecutive name words in `text` ("tell me about era permed" → ["era permed"])."""
    runs: list[str] = []
    current: list[str] = []
    for word in _WORD.findall(text.lower().replace("’", "'")):
        word = re.sub(r"'s$", "", word)
        if word in names:
            current.append(word)
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return runs


_JOINING = frozenset({"of", "for", "and", "de", "du", "des", "the"})
"""Small words a name keeps inside it ("International Consortium of Personalized Medicine"); "the" only after one of
the others ("Bank of the West"), as "and the" joins two names ("ICPerMed and the ERA PerMed network")."""


def _names_as_written(text: str, names: frozenset[str]) -> list[str]:
    """The runs of name words in `text` as `text` writes them, small joining words inside a run kept ("the
    International Consortium of Personalized Medicine" → ["International Consortium of Personalized Medicine"]).
    A run ends at punctuation ("In France, Paris…", "…ICPerMed? ERA PerMed…") and after a possessive ("ICPerMed's")."""
    runs: list[str] = []
    start = end = None  # the run so far: from its first name word to the end of its last (joining words after it left out)
    last = joining = None  # where the previous word ended; the joining word after the run's last name word, if any
    for match in _WORD.finditer(text.replace("’", "'")):
        word = re.sub(r"'s$", "", match.group().lower())
        if start is not None and (text[last : match.start()].strip() or (word == "the" and joining in (None, "and"))):
            runs.append(text[start:end])
            start = end = None
        last = match.end()
        if word in names:
            start = match.start() if start is None else start
            end, joining = match.start() + len(word), None
            if len(word) < len(match.group()):  # a possessive: what follows is its own thing
                runs.append(text[start:end])
                start = end = None
        elif start is not None and word in _JOINING:
            joining = joining or word
        elif start is not None:
            runs.append(text[start:end])
            start = end = None
    if start is not None:
        runs.append(text[start:end])
    return runs


def _topic(turn: str, names: frozenset[str]) -> str:
    found = _names_as_written(turn, names)
    if found:
        first: dict[str, str] = {}  # each name once, as first written ("ICPerMed … icpermed": "ICPerMed")
        for run in found:
            first.setdefault(run.lower(), run)
        return " ".join(first.values())
    skip = filler()
    return " ".join(w for w in _WORD.findall(turn.lower()) if w not in skip and len(w) > 1)


def points_back(question: str) -> bool:
    """Whether `question` points back at something with a pronoun ("it", "their", "that action"...)."""
    return _ANAPHOR.search(question) is not None


def is_follow_up(question: str, *, names: frozenset[str]) -> bool:
    """Whether `question` leans on earlier turns: a pronoun, or a short question naming nothing."""
    if points_back(question):
        return True
    skip = filler()
    content = [w for w in _WORD.findall(question.lower()) if w not in skip]
    return not names_in(question, names) and len(content) <= 2


def rewrite(
    question: str,
    history: Sequence[Mapping[str, str]],
    *,
    names: frozenset[str],
    normalise: Callable[[str], str] = lambda text: text,
) -> str:
    """`question` made stand-alone with the subject of the latest earlier user turn that names one; or, when it only
    names what changes ("And ERA PerMed?", "what about the supporting ones?"), that turn asked again of it.

    `normalise` is applied to earlier turns first (e.g. the French gloss), so both sides read alike.
    """
    users = [t.get("content", "") for t in history if t.get("role") == "user"]
    # (earlier turns are glossed only when the question may lean on them)
    if users and _ELLIPSIS.match(question) and (again := asked_again(question, normalise(users[-1]), names=names)) is not None:
        return again
    if users and (narrowed := narrowed_again(question, normalise(users[-1]))) is not None:
        return narrowed
    if users and _KIND_ONES.search(question):
        question = ones_named(question, normalise(users[-1]))
    if not is_follow_up(question, names=names):
        return question
    earlier = [normalise(turn) for turn in users]
    topic = ""
    for turn in reversed(earlier):
        if names_in(turn, names):
            topic = _topic(turn, names)
            break
    if not topic and earlier:
        topic = _topic(earlier[-1], names)
    own = set(" ".join(names_in(question, names)).split())
    # (the topic's name words, joining words aside: "ICPerMed" and "icpermed" are one subject)
    if not topic or (set(" ".join(names_in(topic, names)).split()) or set(topic.split())) <= own:
        return question
    pronoun = _ANAPHOR.search(question)
    if pronoun:
        group = pronoun.lastgroup or "p"
        word = pronoun.group(group).lower()
        replacement = f"{topic}'s" if word in ("its", "their", "his", "her", "theirs", "hers") else topic
        if word in ("there",):
            replacement = f"in {topic}"
        return question[: pronoun.start(group)] + replacement + question[pronoun.end(group) :]
    return f"{question.rstrip()} ({topic})"


_ADDED_SUBJECT = re.compile(r"\s*\([^()]*\)\s*$")


def without_added_subject(question: str) -> str:
    """`question` without the subject a completion adds in brackets when the question has no place for it ("years?
    (ICPerMed CSA)" → "years?"), for reading what the visitor's own words ask."""
    return _ADDED_SUBJECT.sub("", question.strip())


_ELLIPSIS = re.compile(
    # the longer openings first: "and for X?" is about X, not "for X"
    r"^\W*(?:(?:and\s+)?(?:what|how)\s+about|same\s+(?:for|with)|and\s+for|and|also|et)\s+(?P<x>[^?!.;]{1,60}?)\s*[?!.]*\s*$",
    re.IGNORECASE,
)
_ONES = re.compile(r"^(?:the\s+)?(?P<kind>[\w\-]+)\s+ones?$", re.IGNORECASE)
_KIND_ONES = re.compile(r"\b(?P<kind>(?!(?:the|which|what|these|those)\b)[\w\-]+)\s+ones\b", re.IGNORECASE)
_ASKED_PLURAL = re.compile(rf"\b(?:how\s+many|which|what)\s+(?P<kind>[\w\-]+)\s+(?P<noun>(?!(?:{_AUX})\b)[\w\-]+s)\b", re.IGNORECASE)
"""The kind and plural noun an earlier question asked for ("how many research activities"; "does" is no noun)."""


def ones_named(question: str, earlier: str) -> str:
    """`question` with "ones" named as what `earlier` asked for: "How many research activities…?" then "And how many
    supporting ones are there?" -> "And how many supporting activities are there?" (unchanged when `earlier` asks for
    no plural noun)."""
    ones, asked = _KIND_ONES.search(question), _ASKED_PLURAL.search(earlier)
    if ones is None or asked is None:
        return question
    return question[: ones.end("kind")] + " " + asked["noun"] + question[ones.end() :]


def asked_again(question: str, earlier: str, *, names: frozenset[str]) -> str | None:
    """`earlier` asked again of what `question` names instead, when that is all `question` says: "When does ERA PerMed
    start?" then "And ICPerMed?" -> "When does ICPerMed start?"; "How many research activities…?" then "And the
    supporting ones?" -> "How many supporting activities…?". None otherwise."""
    found = _ELLIPSIS.match(question)
    # A question of its own that opens with "and" ("And does ICPerMed have a secretariat?") names more than what
    # changes: its wh-word or its verb says so.
    if found is None or set(text.words(found["x"].lower())) & (WH_WORDS | AUXILIARIES):
        return None
    said = found["x"].strip()
    ones = _ONES.match(said)
    if ones:  # the word before the earlier wh-phrase's plural noun gives way: "research activities" -> "supporting activities"
        # ("What activities does it fund?": "does" ends in s but is no plural noun)
        phrase = _ASKED_PLURAL.search(earlier)
        if phrase is None:
            return None
        return earlier[: phrase.start("kind")] + ones["kind"] + earlier[phrase.end("kind") :]
    runs = names_in(earlier, names)
    if not names_in(said, names) or not runs:
        return None
    # The earlier question's first name, as written there ("ERA PerMed" for the run "era permed"), gives way.
    written = re.search(r"\b" + r"\W+".join(map(re.escape, runs[0].split())) + r"\b", earlier, re.IGNORECASE)
    if written is None:
        return None
    return earlier[: written.start()] + re.sub(r"^(?:the\s+|l['’]\s*)", "", said, flags=re.IGNORECASE) + earlier[written.end() :]


_ASIDE = r"(?:besides|apart\s+from|other\s+than|aside\s+from|except(?:\s+for)?|in\s+addition\s+to)\s+[^,?!.]{1,60}?"
_NARROWED = re.compile(
    rf"^\W*(?P<also>(?:and|also)\s+)?(?:(?P<before>{_ASIDE})\s*,?\s*)?(?:which|who|what)(?:\s+(?P<kind>[^?!.,;]{{1,60}}?))?"
    rf"(?:\s*,?\s*(?P<after>{_ASIDE}))?\s*[?!.]*\s*$",
    re.IGNORECASE,
)
_NO_KIND = frozenset("one ones else other others".split())
_WH_PHRASE = re.compile(rf"\b(?:which|what)\s+(?P<kind>(?:(?!(?:{_AUX})\b)[\w\-’']+\s+){{1,5}}?)(?=(?:{_AUX})\b)", re.IGNORECASE)


def narrowed_again(question: str, earlier: str) -> str | None:
    """`earlier` asked again with what `question` sets aside, or of the other kind it names after "and", when that is
    all it says: "Which French bodies are in ICPerMed?" then "Besides ANR, which one?" -> "Besides ANR, which French
    bodies are in ICPerMed?"; "Which French ministry is in ICPerMed?" then "And which agency?" -> "Which agency is in
    ICPerMed?", then "Except ANR, which ministry?" -> "Except ANR, which ministry is in ICPerMed?". None otherwise
    (the earlier turn asks nothing, or the new one asks more: a verb of its own)."""
    earlier = earlier.strip()
    first = text.words(earlier.lower())[:1]
    found = _NARROWED.match(question)
    if not first or first[0] not in WH_WORDS | AUXILIARIES or found is None:
        return None
    aside = (found["before"] or found["after"] or "").strip()
    kind = (found["kind"] or "").strip()
    kind = "" if kind.lower() in _NO_KIND else kind
    if set(text.words(kind.lower())) & (WH_WORDS | AUXILIARIES) or not (aside or kind and found["also"]):
        return None
    asked = earlier
    if kind:
        if (phrase := _WH_PHRASE.search(earlier)) is None:
            return None
        asked = earlier[: phrase.start("kind")] + kind + " " + earlier[phrase.end("kind") :]
    return f"{aside[0].upper()}{aside[1:]}, {asked[0].lower()}{asked[1:]}" if aside else asked


def replay(ask: Callable[..., Any], turns: Sequence[str], **options: Any) -> Any:
    """Ask `turns` in order, each with the earlier ones and their answers as history; the last answer.

    `ask(question, history=[...], **options)` must return an object with an `answer` text
    (e.g. `Assistant.ask`); this is how a dialogue reaches `/api/ask`, one turn at a time.
    """
    if not turns:
        raise ValueError("a dialogue needs at least one turn")
    history: list[dict[str, str]] = []
    for turn in turns:
        reply = ask(turn, history=list(history), **options)
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": reply.answer}]
    return reply
