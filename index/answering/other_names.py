"""Does the sentence write another name than the question? Evidence for the answerer's declines.

Questions a collection cannot answer often name a thing of the same kind as one the text writes: "the Ministry of
Health" where the sentence has "the Ministry of Higher Education", "the Second Warsaw Republic" for "the Second Polish
Republic", "French rivers" for "Scottish rivers"; or, asked yes or no, a name the sentence does not write at all.
Nothing here is a word list of one corpus: a name is a run of capitalised words and the small words names hold ("of",
"the", "de"...), and a name's word is written in any form `thesaurus.related` knows ("France" for "French"). (What else
the question takes for granted, its numbers, negation and words swapped beside the same neighbour, is premise.py's.)

    name_absent(question, sentence)        a yes/no question names something the sentence does not write
    other_name(question, sentence)         the sentence writes another name of the same opening (House of Commons for Lords;
                                           "the health ministry" asked, the Ministry of Higher Education written)
    name_word_swapped(question, sentence)  the sentence writes the name but for one word (Polish Republic for Warsaw Republic)
    modifier_swapped(question, sentence)   "French rivers" asked, "Scottish rivers" written (and no French)
    acronym_swapped(question, sentence)    "US Government" asked, "UK Government" written (and no US)
"""

from __future__ import annotations

import functools
import itertools
import re

from docqa.index import text as words_
from docqa.index.answering import number_words, tagging, thesaurus
from docqa.index.answering.premise import CAPITAL, GLUE, word_stems

__all__ = ["acronym_swapped", "modifier_swapped", "name_absent", "name_word_swapped", "other_name"]

_NAME_JOINERS = frozenset("of for the de du des la le".split())
"""The small words a name holds between its capitalised words ("Ministry of Higher Education")."""
_JOINER = "|".join(sorted(_NAME_JOINERS))
_NAME_PHRASE = re.compile(
    rf"\b{CAPITAL}(?:(?:\s+(?:and|{_JOINER}))*\s+{CAPITAL})*(?:\s*\(\s*(?P<short>[A-Z][\w\-]*)\s*\))?"
)
"""A run of capitalised words, joined by the small words names hold ("Ministry of Higher Education and Research"),
with the short form the question gives it in brackets ("French National Research Agency (ANR)")."""


def name_absent(question: str, sentence: str, *, names: frozenset[str] = frozenset()) -> bool:
    """Whether `question` names something `sentence` does not write: a word of a name (a capitalised word, not the
    question's first; or a word the collection writes as a name, `names`, lower-cased) that the sentence holds in no
    form (`thesaurus.related`: "French" is written "France"), unless the question gives the name's other form in
    brackets and the sentence writes that ("Is the French National Research Agency (ANR) a member?", "Is the NIH
    (National Institutes of Health) a member?")."""
    have = word_stems(sentence)
    stop = words_.question_words()

    def written(word: str) -> bool:
        return words_.fold(word) in stop or bool(thesaurus.related(words_.match_stem(word)) & have)

    covered: set[str] = set()
    previous_end = -1  # where the last name the sentence writes ends
    for match in _NAME_PHRASE.finditer(question):
        found = words_.WORD.findall(question[match.start() : match.end()])
        covered.update(words_.fold(w) for w in found)
        if match.group("short") and words_.match_stem(match.group("short")) in have:
            previous_end = match.end()
            continue
        if previous_end >= 0 and re.fullmatch(r"\s*\(\s*", question[previous_end : match.start()]):
            continue  # the long form, in brackets, of a name written: "the NIH (National Institutes of Health)"
        start = 1 if not question[: match.start()].strip() else 0  # the question's first word is capitalised whatever it is
        if any(not written(w) for w in found[start:] if w[:1].isupper() or not w.islower()):
            return True
        previous_end = match.end()
    return any(word in names and word not in covered and not written(word) for word in words_.WORD.findall(question.lower()))


_LONG_NAME = re.compile(rf"\b{CAPITAL}(?:(?:\s+(?:{_JOINER}))*\s+{CAPITAL})+")
"""Capitalised words joined by the small words names hold, "and" excepted (it joins two names as often as one)."""


def other_name(question: str, sentence: str) -> bool:
    """Whether `question` names something ("the Ministry of Health") that `sentence` does not write, while the sentence
    writes another name opening with the same two words ("the Ministry of Higher Education"), one writing a word the
    question's name does not (not a shorter form of it, "President of the Commission"): the sentence is about
    something else of the same kind. A word of the question's name the sentence writes in any spelling sharing its first
    four letters ("Counil" for "Council") is written."""
    stop = words_.question_words()
    sentence_names = [list(itertools.dropwhile(stop.__contains__, words_.fold(name).split())) for name in _long_names(sentence)]
    sentence_names = [n for n in sentence_names if len(n) >= 3]  # "The Ministry of Health": its capitalised "The" apart
    if not sentence_names:
        return False
    folded = words_.fold(sentence)
    written = _written_openings(sentence)
    asked = []
    for match in _LONG_NAME.finditer(question):
        words = words_.fold(match.group()).split()
        if match.start() == 0 or not question[: match.start()].strip():
            words = words[1:]  # the question's first word is capitalised whatever it is
        asked.append(words)
    asked += _named_in_lower_case(question, sentence_names, have=word_stems(sentence))
    for words in asked:
        for i in range(len(words) - 2):
            name = words[i:]
            if " ".join(name) in folded:
                break
            own = {w[:4] for w in name}
            # Another name writes a word the question's does not ("President of the Commission" is a shorter form of
            # "President of the European Commission", not another name).
            another = any(
                other[:2] == name[:2] and any(w[:4] not in own for w in other[2:] if w not in _NAME_JOINERS) for other in sentence_names
            )
            if another and any(w[:4] not in written for w in name[2:] if w not in _NAME_JOINERS):
                return True
    return False


def _named_in_lower_case(question: str, sentence_names: list[list[str]], *, have: frozenset[str]) -> list[list[str]]:
    """The names `question` writes in lower case in the form of a sentence's name "<Head> of …": "the ministry of health"
    as it is, "the health ministry" as "ministry of health" (a noun before the head; one the sentence writes in some
    form, "the research ministry", names none: it may be the sentence's own)."""
    heads = {name[0] for name in sentence_names if name[1] in ("of", "for")}
    folded = words_.fold(question)
    if not any(head in folded for head in heads):
        return []  # most questions: no head of the sentence's names
    written = words_.WORD.findall(question)
    tokens = [words_.fold(w) for w in written]
    stop = words_.stopwords()
    # "the ministry of health" typed in lower case ("the Ministry of Health" is a name the caller reads whole)
    lower = " ".join(t if w.islower() else "-" for t, w in zip(tokens, written))
    found = [[m.group(1), m.group(2), m.group(3)] for head in heads for m in re.finditer(rf"\b({re.escape(head)})\s+(of|for)\s+(?:the\s+)?([a-z]+)", lower)]
    # a word before the head that the sentence does not write ("the health ministry"; "the research ministry" names the
    # sentence's own), if it is a noun (not "alongside ministry", "the other / French ministry")
    before = [
        i
        for i in range(len(tokens) - 1)
        if tokens[i + 1] in heads and tokens[i] not in stop and not thesaurus.related(words_.match_stem(tokens[i])) & have
    ]
    if before:
        tags = tagging.tag(written)  # as written: "Italian health ministry" tags better than "italian health ministry"
        found += [[tokens[i + 1], "of", tokens[i]] for i in before if tags[i].pos[:2] == "NN"]
    return found


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _long_names(text: str) -> tuple[str, ...]:
    """The names of several words `text` writes (_LONG_NAME)."""
    return tuple(m.group() for m in _LONG_NAME.finditer(text))


@functools.lru_cache(maxsize=16384)
def _written_openings(text: str) -> frozenset[str]:
    """The first four letters of each word of `text`, folded: a word so opening counts as written in any spelling."""
    return frozenset(w[:4] for w in words_.WORD.findall(words_.fold(text)))


def name_word_swapped(question: str, sentence: str) -> bool:
    """Whether `question` names something of three words or more ("the Second Warsaw Republic") where `sentence` writes
    the same name but for one word ("the Second Polish Republic") and nowhere writes the question's word: another
    thing of the same name. A word one side writes longer ("Tom" for "Tomb", "Louis X" for "Louis XV") is a slip."""
    said = [_name_words(name) for name in _long_names(sentence)]
    if not said:
        return False
    written = _written_openings(sentence)
    for match in _LONG_NAME.finditer(question):
        name = _name_words(match.group())
        if match.start() == 0 or not question[: match.start()].strip():
            name = name[1:]  # the question's first word is capitalised whatever it is
        if len(name) < 3:
            continue
        for other in (o for o in said if len(o) == len(name)):
            differ = [(a, b) for a, b in zip(name, other) if a != b]
            if len(differ) != 1:
                continue
            asked, instead = differ[0]
            if asked[:4] not in written and not _same_name_word(asked, instead):
                return True
    return False


_QUALIFIER = r"[A-Z][A-Za-z]*"
_QUALIFIED_NOUN = re.compile(rf"\b({_QUALIFIER})(?:[ \t]+|-)([a-z]{{3,}})\b")
"""A capitalised word or letter qualifying a lower-case noun: "French rivers", "Liberal victory", "B cells", joined
to it or not ("Isuzu-built" is "Isuzu built", "B-cell" is "B cell")."""


def modifier_swapped(question: str, sentence: str) -> bool:
    """Whether `question` qualifies a noun with a capitalised word ("gold panned from French rivers") that `sentence`
    writes in no form, where the sentence qualifies the same noun with another capitalised word the question does not
    write ("…from Scottish rivers"): it speaks of another one. A word at the opening of either sentence is capitalised
    whatever it is, one opening with the same three letters ("Edmund"/"Edmonds") may be a slip, and an acronym may
    stand for the other side's name ("EU law" for "European Union law", and the other way round)."""
    have = word_stems(sentence)
    asked = word_stems(question)
    for match in _QUALIFIED_NOUN.finditer(question):
        modifier, noun = match.groups()
        if _opens_sentence(question, match.start()) or modifier.lower() in GLUE or noun in GLUE:
            continue
        if thesaurus.related(words_.match_stem(modifier)) & have:
            continue
        for instead, start, end in _qualified_nouns(sentence).get(noun, ()):
            if (
                not _opens_sentence(sentence, start)
                and instead.lower() not in GLUE
                and instead[:3].lower() != modifier[:3].lower()
                and not thesaurus.related(words_.match_stem(instead)) & asked
                and not _abbreviates(modifier, sentence, end)
                and not _abbreviates(instead, question, match.end(1))
                and not _same_country(modifier, instead)
            ):
                return True
    return False


def _same_country(one: str, other: str) -> bool:
    """Whether `one` and `other` name one country, by name, short form or adjective ("UK", "British"; "US", "American")."""
    from docqa.index.answering import countries  # reads pycountry: only where a swap is about to be declined

    country = countries.country_of(one)
    return country is not None and country == countries.country_of(other)


@functools.lru_cache(maxsize=4096)  # the same sentences come back question after question
def _qualified_nouns(text: str) -> dict[str, tuple[tuple[str, int, int], ...]]:
    """Each lower-case noun `text` qualifies with a capitalised word → (that word, where it starts and ends)."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    for match in _QUALIFIED_NOUN.finditer(text):
        found.setdefault(match.group(2), []).append((match.group(1), match.start(1), match.end(1)))
    return {noun: tuple(places) for noun, places in found.items()}


_ACRONYM_NAME = re.compile(r"\b([A-Z][A-Z\d\-]*[A-Z\d])[ \t]+([A-Z][a-z]{2,})\b")
"""An acronym before a capitalised word, together a name: "UK Government", "EU Council", "G7 Summit"."""


def acronym_swapped(question: str, sentence: str) -> bool:
    """Whether `question` names something by an acronym and a word ("US Government ministers") where `sentence`
    writes the same word after another acronym ("UK Government ministers") and the question's acronym in no form:
    another thing of the same kind. As in `modifier_swapped`, a name opening either sentence, acronyms opening with the
    same three letters, and an acronym that may stand for the other side's words are left alone."""
    said = _acronym_names(sentence)
    if not said:
        return False
    have = word_stems(sentence)
    asked = word_stems(question)
    for match in _ACRONYM_NAME.finditer(question):
        acronym, word = match.groups()
        if _opens_sentence(question, match.start()) or words_.match_stem(acronym) in have:
            continue
        for instead, start, end in said.get(word, ()):
            if (
                not _opens_sentence(sentence, start)
                and words_.match_stem(instead) not in asked
                and instead[:3] != acronym[:3]
                and not _abbreviates(acronym, sentence, end)
                and not _abbreviates(instead, question, match.end(1))
            ):
                return True
    return False


@functools.lru_cache(maxsize=4096)  # the same sentences come back question after question
def _acronym_names(text: str) -> dict[str, tuple[tuple[str, int, int], ...]]:
    """Each capitalised word `text` writes after an acronym → (that acronym, where it starts and ends)."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    for match in _ACRONYM_NAME.finditer(text):
        found.setdefault(match.group(2), []).append((match.group(1), match.start(1), match.end(1)))
    return {word: tuple(places) for word, places in found.items()}


def _abbreviates(acronym: str, text: str, end: int) -> bool:
    """Whether `acronym` (capitals only, two or more) may be short for the run of capitalised words ending at `end` in
    `text`: its letters, in order, from a word of the run opening with its first ("EU" for "Horizon Europe", "DFG" for
    "Deutsche Forschungsgemeinschaft", "UKRI" for "UK Research and Innovation"); the initials alone are not all."""
    if len(acronym) < 2 or not acronym.isupper() or not acronym.isalpha():
        return False
    words = re.findall(r"[A-Za-z]+", text[max(0, end - 120) : end])
    run = list(reversed(list(itertools.takewhile(lambda w: w[:1].isupper() or w in _NAME_JOINERS or w == "and", reversed(words)))))
    letters = acronym.lower()
    for k, word in enumerate(run):
        if word[:1] == acronym[0]:
            rest = iter("".join(run[k:]).lower())
            if all(letter in rest for letter in letters):  # a subsequence
                return True
    return False


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` opens `text` or a sentence, line or quotation in it."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:;\n\"“‘"


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _name_word_value(word: str) -> int | None:
    """The number a name's word writes, in words or Roman numerals ("two", "ii" → 2), else None."""
    if word in number_words.VALUES:
        return number_words.VALUES[word]
    if not word or set(word) - _ROMAN.keys():
        return None
    values = [_ROMAN[c] for c in word]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0]))


def _same_name_word(a: str, b: str) -> bool:
    """Whether two words of a name may write the same word: one longer ("Tom" for "Tomb", "Louis X" for "Louis XV": a
    slip), the same number ("World War Two" for "World War II"), or an abbreviation of the other ("St" for "Saint",
    "Dept" for "Department", "Ms" for "Mrs": its letters, the first one first, in order in the longer word)."""
    if a.startswith(b) or b.startswith(a):
        return True
    if (value := _name_word_value(a)) is not None and value == _name_word_value(b):
        return True
    short, long = sorted((a, b), key=len)
    rest = iter(long[1:])
    return 2 <= len(short) <= 4 and short[0] == long[0] and all(c in rest for c in short[1:])


def _name_words(name: str) -> list[str]:
    """A name's folded words, the small words it holds left out ("Ministry of Health" → ministry, health)."""
    return [w for w in words_.fold(name).split() if w not in _NAME_JOINERS]
