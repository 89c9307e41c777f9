"""Does the sentence speak of another relative or title than the question? Evidence for the answerer's declines.

SQuAD 2.0's writers made questions unanswerable by changing who a person is to others: "Who was Kublai Khan's
uncle?" where the text names his brother, "President Wilson" where it has "Prime Minister Wilson". A question asking
of a relative or a title the sentence never writes, while the sentence writes another, asks about someone the
sentence does not name. General English only: the kin nouns (father, niece, wife…) and the titles written before a
name (President, Governor, King…), no corpus's words.

    kin_swapped(question, sentence)     "Who was Kublai's uncle?" and the sentence names his brother, no uncle
    title_swapped(question, sentence)   "President Wilson" asked, "Prime Minister Wilson" written
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_

__all__ = ["kin_swapped", "title_swapped"]

_KIN = {
    "parent": "parent parents father fathers mother mothers dad mom mum stepfather stepmother",
    "child": "child children son sons daughter daughters kid kids offspring stepson stepdaughter",
    "sibling": "sibling siblings brother brothers sister sisters",
    "spouse": "spouse spouses husband husbands wife wives widow widower",
    "grandparent": "grandparent grandparents grandfather grandfathers grandmother grandmothers",
    "grandchild": "grandchild grandchildren grandson grandsons granddaughter granddaughters",
    "uncle": "uncle uncles aunt aunts",
    "nephew": "nephew nephews niece nieces",
    "cousin": "cousin cousins",
}
_GROUP = {word: group for group, words in _KIN.items() for word in words.split()}
"""Each kin noun → its relation ("mother" → parent): the relatives that a general noun ("parents") may name."""
_SAME = {"children": "child", "grandchildren": "grandchild", "wives": "wife", "dad": "father", "mom": "mother", "mum": "mother",
         "kid": "child", "kids": "child", "offspring": "child", "widow": "wife", "widower": "husband"}
_RELATIVE = {word: _SAME.get(word) or (word[:-1] if word.endswith("s") else word) for word in _GROUP}
"""Each kin noun → the relative it names ("fathers" → father, "widow" → wife): "father" is not "mother"."""
_GENERAL = frozenset(("parent", "child", "sibling", "spouse", "grandparent", "grandchild", "cousin"))
"""The relatives a word of any gender names: "parents" asked, "father" answers it."""
_CONVERSE = {"parent": "child", "child": "parent", "grandparent": "grandchild", "grandchild": "grandparent", "uncle": "nephew",
             "nephew": "uncle", "spouse": "spouse", "sibling": "sibling", "cousin": "cousin"}
_AFTER_KIN = frozenset("""of and or was is were are had has who whom whose s in to by for with at did do does named called
from as on after be could would will that which when became died married the a an his her its their""".split())
"""Lower-case words after a kin noun used as a relation ("his son was…", "the father of"): another lower-case word
makes it a modifier ("sister project", "parent company", "mother tongue")."""
_MARRIED_TO = frozenset(("parent", "grandparent"))
_MARRIAGE = re.compile(r"(?i)\b(?:marr(?:y|ies|ied|iage)|wed(?:s|ded)?|wife|wives|husbands?|spouses?)\b")
"""A marriage written: the other parent, married to the one written, is named too."""
_MARRIED = re.compile(r"(?i)\b(?:marr(?:y|ies|ied)|wed(?:s|ded)?)\b")
"""A marriage as a verb: whom one married is one's spouse."""
# A relative of a relative: a sibling's child is a nephew or niece, a parent's sibling an uncle or aunt, a parent's
# parent a grandparent, a child's child a grandchild, an uncle's child a cousin.
_COMPOSED = {
    "nephew": frozenset({("sibling", "child")}),
    "uncle": frozenset({("parent", "sibling")}),
    "grandparent": frozenset({("parent", "parent")}),
    "grandchild": frozenset({("child", "child")}),
    "cousin": frozenset({("uncle", "child")}),
}


@functools.lru_cache(maxsize=16384)
def _chains(text: str) -> frozenset[tuple[str, str]]:
    """The relations `text` writes as a relative of a relative, the first's then the second's: "his sister's son" and
    "the son of the king's sister" are ("sibling", "child"): two kin nouns at most four words apart, with a possessive
    "'s" between them (in that order) or "of" (the other way round)."""
    tokens = [t.lower() for t in _LETTERS.findall(text)]
    places = [i for i, t in enumerate(tokens) if t in _GROUP]
    found = set()
    for i, j in zip(places, places[1:]):
        between = tokens[i + 1 : j]
        if len(between) > 4:
            continue
        if between[:1] == ["s"]:
            found.add((_GROUP[tokens[i]], _GROUP[tokens[j]]))
        elif "of" in between:
            found.add((_GROUP[tokens[j]], _GROUP[tokens[i]]))
    return frozenset(found)


_FIGURATIVE = frozenset(("founding", "god", "holy"))
_LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _kin_in(text: str) -> frozenset[str]:
    """The kin nouns `text` uses as relations, lower-cased: "his brother Kublai", "the father of", not "sister
    project", "parent company", "founding father"."""
    tokens = _LETTERS.findall(text)
    found = set()
    for i, token in enumerate(tokens):
        word = token.lower()
        if word not in _GROUP:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if after[:1].islower() and after not in _AFTER_KIN and after not in _GROUP:
            continue
        if i and tokens[i - 1].lower() in _FIGURATIVE:
            continue
        found.add(word)
    return frozenset(found)


def kin_swapped(question: str, sentence: str) -> bool:
    """Whether `question` asks of a relative ("Who was Kublai Khan's uncle?") that `sentence` writes in no form, while
    the sentence writes another relative ("He granted his brother Kublai…"): it speaks of someone else. A general
    noun answers a gendered one and the other way round ("parents" for "father"), and the converse relation beside the
    name asked of tells the same bond ("Ogedei's grandson Kaidu" answers "Who was Kaidu's grandfather?")."""
    asked, said = _kin_in(question), _kin_in(sentence)
    if not asked or not said:
        return False
    relatives = {_RELATIVE[w] for w in said}
    for word in asked:
        relative, group = _RELATIVE[word], _GROUP[word]
        if relative in relatives:
            continue
        if any(_GROUP[w] == group and (relative in _GENERAL or _RELATIVE[w] in _GENERAL) for w in said):
            continue
        if group in _MARRIED_TO and any(_GROUP[w] == group for w in said) and _MARRIAGE.search(sentence):
            continue  # "Who was Henry's mother?" on "Henry's father Geoffrey married Matilda": his wife is the mother
        if group == "spouse" and _MARRIED.search(sentence):
            continue  # "Who was Victoria's husband?" on "Victoria married her cousin Albert": whom she married
        if group in _COMPOSED and _COMPOSED[group] & _chains(sentence):
            continue  # "Who was the king's nephew?" on "The king's sister's son, Louis…": a sister's son is a nephew
        if not _converse_near(question, sentence, _CONVERSE[group]):
            return True
    return False


def _converse_near(question: str, sentence: str, converse: str) -> bool:
    """Whether `sentence` writes a relative of the `converse` relation within three words of a word of the name
    `question` asks of ("Kaidu's"; else any capitalised word but the first), or anywhere when it names no one."""
    owner = re.findall(r"([A-Z][\w\-]+)(?=['’]s?\s)", question) or re.findall(r"(?<!^)\b([A-Z][\w\-]+)", question.strip())
    named = {words_.fold(w) for w in owner}
    tokens = [words_.fold(t) for t in _LETTERS.findall(sentence)]
    for i, word in enumerate(tokens):
        if _GROUP.get(word) == converse and (not named or named.intersection(tokens[max(0, i - 3) : i + 4])):
            return True
    return False


_TITLES = tuple(
    " ".join(title.split())
    for title in """president, vice president, prime minister, chancellor, vice chancellor, governor, governor general, general,
    admiral, colonel, captain, major, lieutenant, commander, marshal, field marshal, sergeant, king, queen, emperor,
    empress, prince, princess, duke, duchess, count, countess, earl, baron, baroness, bishop, archbishop, cardinal,
    pope, senator, congressman, congresswoman, mayor, judge, justice, chief justice, attorney general, secretary,
    secretary general, ambassador, consul, director, director general, chairman, chairwoman, chairperson, chief,
    sheriff, pastor, rabbi, imam, sultan, shah, khan, tsar, czar, pharaoh, minister""".split(",")
)
"""Titles written before a name ("President Wilson"); honorifics (Dr, Professor, Sir, Saint…) say nothing of a
role and are left out: "Professor Smith" may well be "Director Smith"."""
_TITLED = re.compile(
    r"\b((?i:"
    + "|".join(r"[\s\-]+".join(t.split()) for t in sorted(_TITLES, key=len, reverse=True))
    + r"))[ \t]+([A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*){0,2})"
)
"""A title, in any case (only a capitalised one is kept), before a name of up to three capitalised words."""


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _titled(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(title, the name's words) for each capitalised title `text` writes before a name: "Prime Minister Wilson" →
    ("prime minister", {"Wilson"}). A title in lower case is a noun ("the general Assembly")."""
    found = []
    for match in _TITLED.finditer(text):
        if match.group(1)[:1].isupper():
            found.append((_title(match.group(1)), frozenset(match.group(2).split())))
    return tuple(found)


def _title(written: str) -> str:
    """`written` lower-cased, its words one space apart ("Vice-President" → "vice president")."""
    return " ".join(re.split(r"[\s\-]+", written.lower()))


def title_swapped(question: str, sentence: str) -> bool:
    """Whether `question` gives a name a title ("President Wilson") that `sentence` nowhere writes, where the
    sentence gives the same name another title ("Prime Minister Wilson"): someone else, or not what the sentence
    says. Titles sharing a word ("General", "Major General") may be the same."""
    said = _titled(sentence)
    if not said:
        return False
    written = _title(sentence)
    for title, name in _titled(question):
        if re.search(rf"\b{re.escape(title)}\b", written):
            continue
        others = [t for t, n in said if n & name]
        if others and not any(set(t.split()) & set(title.split()) for t in others):
            return True
    return False
