"""Does the text say what the question takes for granted? Evidence for the confidence model (issue 12 item 4).

Questions a collection cannot answer often name something its text does not say: another
entity ("Which Norman king…" where the text has a duke), another year or number, a negation
the text lacks ("…did *not* …"), a word swapped for another. Nothing here is a word list of
one corpus: names are the question's capitalised words (not its first word) and the words the
collection itself writes as names; numbers are digit runs; negation is a handful of generic
English function words. (A sentence saying the contrary of the question's word is contradiction.py's and
antonyms.py's; a sentence writing another name than the question's, other_names.py's.)

    Premise                  what a question asserts: names, numbers, years, negation
    read_premise(question)   that, read once per question
    missing(words, text)     the share of `words` absent from `text` (as folded, stemmed words)
    has_negation(text)       whether `text` says "not", "never", "no"...
    swapped(question, sentence)            question words the sentence replaces beside the same neighbour
    conflicting_numbers(wanted, sentence)  the sentence names other numbers or years than the question
    unstated_role(question, sentence)      asked who leads / coordinates / funds X, the sentence says no one does
    unstated_life_event(question, sentence)  asked when someone was born or died, the sentence says no birth or death
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docqa.index import text as words_
from docqa.index.answering import thesaurus

__all__ = ["CAPITAL", "GLUE", "Premise", "conflicting_numbers", "function_words", "has_negation", "missing", "read_premise", "swapped", "unstated_life_event", "unstated_role", "word_pairs", "word_stems"]

# Function words that only ask or glue (English and the French gloss's output): not evidence of a premise.
GLUE = frozenset(
    """what which who whom whose when where why how is are was were be been being do does did the a an of in on at to
    and or s it its this that these those there for by with as from has have had will would can could should
    shall may might must me tell please about many much kind type i you we they he she his her their my our your
    them him us one two""".split()
)

_NEGATION = re.compile(r"(?i)\b(?:not|no|never|none|nor|nothing|nobody|neither|without|cannot)\b|n[’']t\b|\bun(?:able|like)\b")
_ASKING_NEGATIVELY = re.compile(
    r"(?i)^\W*(?:is|are|was|were|do|does|did|has|have|had|could|would|should|wo|ca)n[’']t\b"
    r"|\bor\s+not\b|\bor\s+no\b(?=\W*$)"  # "Has it started or not?", "whether or not": the two answers offered
    r"|,\s*(?:is|are|was|were|do|does|did|has|have|had|will|could|would|should|wo|ca)n[’']t\s+(?:it|they|he|she|there|that|this|we|you)\W*$"
)
"""Negations a question asks with but does not assert: a negative auxiliary opening it ("Isn't…?"), "or not",
a tag ("…, isn't it?")."""
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"^(?:1[0-9]\d\d|20\d\d)$")
CAPITAL = r"(?:[A-Z][\w\-]*|[a-z]+[A-Z][\w\-]*)"
"""A word written as a name: capitalised ("Keller"), or capitals after lower-case letters ("eHealth", "iPhone")."""
_NAME = re.compile(rf"\b{CAPITAL}")


@dataclass(frozen=True)
class Premise:
    """What a question takes for granted, as folded stems (`word_stems`) and digit strings."""

    names: frozenset[str]
    """Stems of the words the question writes as names (capitalised, not first) or the collection knows as names."""
    numbers: frozenset[str]
    """Digit runs other than years ("22", "1.5")."""
    years: frozenset[str]
    """Four-digit years (1000-2099)."""
    negated: bool
    """The question says "not", "never", "no"… (other than in a negative auxiliary opening it: "Isn't…?")"""


@functools.lru_cache(maxsize=16384)
def has_negation(text: str) -> bool:
    """Whether `text` holds a negation ("not", "n't", "never", "no", "without"…)."""
    return _NEGATION.search(text) is not None


@functools.lru_cache(maxsize=16384)
def word_stems(text: str) -> frozenset[str]:
    """Every word of `text` as `docqa.index.text.match_stem` reduces it, digit runs kept whole."""
    found = {words_.match_stem(w) for w in words_.WORD.findall(text)}
    found.update(_NUMBER.findall(text))
    return frozenset(found)


@functools.lru_cache(maxsize=4096)
def read_premise(question: str, *, names: frozenset[str] = frozenset()) -> Premise:
    """The names, numbers, years and negation of `question` (`names`: lower-cased words the collection writes as names)."""
    named: set[str] = set()
    stop = words_.question_words()
    for match in _NAME.finditer(question):
        word = match.group()
        if match.start() == 0 or words_.fold(word) in stop or not question[: match.start()].strip():
            continue  # the question's first word is capitalised whatever it is
        named.add(words_.match_stem(word))
    for word in words_.WORD.findall(question.lower()):
        if word in names and words_.fold(word) not in stop:
            named.add(words_.match_stem(word))
    numbers = set(_NUMBER.findall(question))
    years = {n for n in numbers if _YEAR.match(n)}
    # "Isn't ANR a member…?" and "Is ANR a member or not?" ask what "Is ANR a member…?" asks: they assert no negation.
    return Premise(frozenset(named), frozenset(numbers - years), frozenset(years), has_negation(_ASKING_NEGATIVELY.sub("", question)))


@functools.lru_cache(maxsize=16384)
def word_pairs(text: str) -> frozenset[tuple[str, str]]:
    """Adjacent pairs of `text`'s words (folded, stemmed; the question's asking words dropped first)."""
    sequence = _sequence(text)
    return frozenset(zip(sequence, sequence[1:]))


@functools.lru_cache(maxsize=4096)
def function_words(question: str) -> frozenset[str]:
    """The stop words of `question` that carry meaning (more, less, before, after, only, first...), as stems."""
    stop = words_.stopwords(("en",))
    asked = _ASKING_NEGATIVELY.sub("", question)  # "…or not?" asks, it says nothing the text must say too
    return frozenset(words_.match_stem(w) for w in words_.words(asked) if w in stop and w not in GLUE and len(w) > 2)


@functools.lru_cache(maxsize=16384)
def _sequence(text: str) -> tuple[str, ...]:
    return tuple(words_.match_stem(w) for w in words_.words(text) if w not in GLUE)


def swapped(question: str, sentence: str) -> list[str]:
    """The question's words the sentence replaces by another: missing from it, while a neighbour of theirs in
    the question sits in the sentence beside a word the question does not have ("the Liberal victory" for
    "the Conservative victory", "by the father" for "by the mother"). Stems, in question order."""
    asked, said = _sequence(question), _sequence(sentence)
    have, wanted = set(said), set(asked)
    where: dict[str, list[int]] = {}
    for i, w in enumerate(said):
        where.setdefault(w, []).append(i)
    out = []
    for i, w in enumerate(asked):
        if w in have:
            continue
        left = asked[i - 1] if i > 0 else None
        right = asked[i + 1] if i + 1 < len(asked) else None
        beside = [said[j + 1] for j in where.get(left, []) if j + 1 < len(said)] if left else []
        beside += [said[j - 1] for j in where.get(right, []) if j > 0] if right else []
        if any(b not in wanted for b in beside):
            out.append(w)
    return out


# "Who leads X?", "Which organisation coordinates X?": a role, asked of whoever holds it. General English verbs.
# Verb forms only: "Which French organisations / government bodies…?" ask no role.
_ROLE_VERBS = (
    r"coordinat(?:e|es|ed|ing)|lead|leads|leading|led|chairs?|chaired|chairing|heads?|headed|heading|directs?|directed"
    r"|directing|manag(?:e|es|ed|ing)|runs?|running|ran|funds?|funded|funding|financ(?:e|es|ed|ing)|hosts?|hosted|hosting"
    r"|organi[sz](?:e|es|ed|ing)|govern(?:s|ed|ing)?|oversees?|oversaw|overseen|supervis(?:e|es|ed|ing)|sponsor(?:s|ed|ing)?"
)
_AUXILIARY = r"(?:is|are|was|were|will|would|does|did|do|has|have)"
# "Which organisation leads…?" names whoever is asked for; "What does funding cover?" asks no one.
_ASKS_ROLE = re.compile(
    rf"^\W*(?:and\s+)?(?:who|(?:which|what)\s+(?!{_AUXILIARY}\b)[\w\-]+)\s+(?:(?P<auxiliary>{_AUXILIARY})\s+)?"
    rf"(?:(?:currently|now|also|actually)\s+)?(?P<verb>{_ROLE_VERBS})\b",
    re.IGNORECASE,
)
# "Who is the coordinator of X?", "Which body acts as leader of X?": the same role, asked by its holder's noun.
_ROLE_NOUNS = {
    "coordinator": "coordinate", "leader": "lead", "head": "head", "director": "direct", "manager": "manage",
    "organiser": "organise", "organizer": "organise", "funder": "fund", "financer": "finance", "sponsor": "sponsor",
    "host": "host", "chair": "chair", "chairman": "chair", "chairwoman": "chair", "chairperson": "chair",
    "supervisor": "supervise", "governor": "govern",
}
_ASKS_ROLE_HOLDER = re.compile(
    r"^\W*(?:and\s+)?(?:who|(?:which|what)\s+[\w\-]+)\s+(?:is|are|was|were|will\s+be|(?:acts?|acted|serves?|served)\s+as)\s+"
    r"(?:(?:the|an?|its|their)\s+)?(?:(?:main|current|lead|overall)\s+)?(?P<noun>" + "|".join(_ROLE_NOUNS) + r")s?\s+(?:of|for)\b",
    re.IGNORECASE,
)

# Asked yes or no: "Will ANR coordinate ERA PerMed?", "Does ICPerMed fund projects itself?", "Is ANR the coordinator
# of ERA PerMed?" (an -ing word after the subject's words may qualify a noun, "Is the funding agency…": not read)
_ASKS_ROLE_YES_NO = re.compile(
    rf"^\W*(?:and\s+)?(?:does|did|do|will|would|can)\s+(?:(?!not\b)[\w\-]+\s+){{1,5}}?(?:(?:currently|now|also|actually)\s+)?"
    rf"(?P<verb>{_ROLE_VERBS})\b(?<!ing)",
    re.IGNORECASE,
)
_ASKS_ROLE_HOLDER_YES_NO = re.compile(
    r"^\W*(?:and\s+)?(?:is|are|was|were|will)\s+(?:(?!not\b)[\w\-]+\s+){1,5}?(?:be\s+)?(?:the|an?|its|their)\s+"
    r"(?:(?:main|current|lead|overall|future)\s+)?(?P<noun>" + "|".join(_ROLE_NOUNS) + r")s?\s+(?:of|for)\b",
    re.IGNORECASE,
)


def _singular(word: str) -> str:
    """A plural's singular, roughly ("directors" → "director"; "boss" stays)."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


# Forms match_stem does not take back to the verb ("runs" stays "runs", "running" becomes "runn"; it knows "led", "ran").
_IRREGULAR = {"runs": "run", "running": "run"}


def unstated_role(question: str, sentence: str) -> bool:
    """Whether `question` asks who holds a role ("Who leads X?", "Which organisation coordinates X?"), or whether someone
    does ("Will ANR coordinate X?", "Is ANR the coordinator of X?"), and `sentence` says nothing of it: neither the verb nor a synonym ("head", "chair" for "lead") is written outside a name (the
    "Coordination" of "ICPerMed Coordination and Support Action" names an action; it says no one coordinates). A
    holder's title counts though capitalised ("Jane Roe is Chair of the committee")."""
    asked = _ASKS_ROLE.match(question)
    if asked is not None and asked["verb"].lower().endswith("ing") and not asked["auxiliary"]:
        asked = None  # "Which French funding bodies…?": an -ing word with no "is" before it names a kind, not a role
    asked = asked or _ASKS_ROLE_YES_NO.match(question)
    if asked is not None:
        verb = asked["verb"].lower()
    elif (held := _ASKS_ROLE_HOLDER.match(question) or _ASKS_ROLE_HOLDER_YES_NO.match(question)) is not None:
        verb = _ROLE_NOUNS[held["noun"].lower()]
    else:
        return False
    wanted = tuple(thesaurus.related(words_.match_stem(_IRREGULAR.get(verb, verb))))
    for position, match in enumerate(words_.WORD.finditer(sentence)):
        word = match.group()
        # capitalised, and not as the sentence's first word; a holder's title is capitalised too ("Jane Roe is Chair of X")
        in_name = position > 0 and word[:1].isupper() and _singular(word.lower()) not in _ROLE_NOUNS
        # the verb, its synonyms and their nouns ("leader", "chairman", "coordinator")
        if not in_name and words_.match_stem(_IRREGULAR.get(word.lower(), word.lower())).startswith(wanted):
            return False
    return True


# A birth or a death asked of (lower-case: "the Black Death" is a name; not a noun's qualifier: "the death penalty",
# "the birth rate" ask of no one's) and the words or the bracketed life span ("Jacques Lefevre (c. 1455–1536)",
# "Nikola Tesla (10 July 1856 – 7 January 1943)") that say one.
_ASKS_BIRTH = re.compile(r"\b(?:born|birth)\b(?![ \t]+(?!(?:of|in|on|at|to|and|or|date|day|year|place)\b)[a-z]{3,}\b)")
_ASKS_DEATH = re.compile(r"\b(?:die|died|death)\b(?![ \t]+(?!(?:of|in|on|at|to|and|or|out|off|date|day|year|place)\b)[a-z]{3,}\b)")
_LIFE_SPAN = r"\([^()]{0,80}?\d{3,4}\s*(?:BC|BCE|AD|CE)?\s*[–-][^()]{0,40}?\d{2,4}\s*(?:BC|BCE|AD|CE)?\s*\)"
_SAYS_BIRTH = re.compile(rf"(?i)\b(?:born|births?|birthday|b\.)(?!\w)|\(\s*(?:c\.\s*|born\s+)?\d{{3,4}}\s*[–-]|{_LIFE_SPAN}")
_SAYS_DEATH = re.compile(
    r"(?i)\b(?:die[ds]?|dying|deaths?|dead|killed|executed|murdered|assassinated|d\.|passed\s+away|perished|drowned"
    rf"|succumbed|slain|hanged|beheaded|suicide|lost\s+(?:his|her|their)\s+li(?:fe|ves)|extinct(?:ion)?)(?!\w)|[–-]\s*\d{{2,4}}\s*\)|{_LIFE_SPAN}"
)


def unstated_life_event(question: str, sentence: str) -> bool:
    """Whether `question` asks when someone was born or died and `sentence` says neither the birth (or death) nor a
    life span: its date is another event's ("In what year was Henry of Navarre born?" on "…in 1598, when Henry of
    Navarre…"). `question` is a when-question."""
    return bool(
        (_ASKS_BIRTH.search(question) and not _SAYS_BIRTH.search(sentence))
        or (_ASKS_DEATH.search(question) and not _SAYS_DEATH.search(sentence))
    )


def conflicting_numbers(wanted: frozenset[str], sentence: str) -> bool:
    """The question names numbers (or years) the sentence does not, while the sentence names others."""
    if not wanted:
        return False
    found = set(_NUMBER.findall(sentence))
    return bool(found) and not (wanted & found)


def missing(wanted: frozenset[str], text: str) -> float:
    """The share of `wanted` (stems or digit strings) that `text` does not hold (0 when nothing is wanted)."""
    if not wanted:
        return 0.0
    have = word_stems(text)
    return sum(w not in have for w in wanted) / len(wanted)
