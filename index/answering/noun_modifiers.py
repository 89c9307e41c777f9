"""Does the sentence qualify the question's noun with another noun? Evidence for the answerer's declines.

Questions a text cannot answer often copy its sentence but change the noun that qualifies one of its nouns: "pathogen
defenses" asked where the sentence writes "host defenses", "a boiler cycle" for "a Rankine cycle", "a water-fired power
plant" for "a coal-fired power plant", "a matching helper B cell" for "a matching helper T cell". A noun qualifying a
noun names a kind of it, and another such noun another kind. other_names.modifier_swapped reads capitalised
qualifiers ("French rivers"); this module reads common nouns, hyphenated compounds and single letters. Adjectives are
left alone: "the final emperor" is "the last emperor", "global" is "worldwide", and no general list knows every
synonym. Parts of speech are the tagger's (tagging.py): in context in the sentence, out of context (the lexicon's most
frequent tag) for the question's word, whose word order ("What can X operate as?") the tagger reads less well.

    compound_swapped(question, sentence)    "pathogen defenses" asked, only "host defenses" written
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from docqa.index import text as words_
from docqa.index.answering import language, tagging
from docqa.index.answering.premise import GLUE, word_stems

__all__ = ["compound_swapped"]

_TOKEN = re.compile(r"\w+(?:-\w+)*")
"""A word, a hyphenated compound kept whole ("coal-fired")."""
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_VERB_TAGS = frozenset({"VB", "VBP", "VBZ", "VBD", "MD"})
_NOT_NOUN_ENDING = re.compile(r"(?:ed|ing|ly|ic|al|ous|ive|ful|less|able|ible|ary|ant|ent)$")
"""Endings of verb forms, adverbs and adjectives: an unknown word so ending is read as no noun ("imperialistic")."""
_GENERAL = frozenset("way part kind type sort form number amount time thing one lot".split())
"""Nouns that say little by themselves: "another kind" or "a different part" is no other thing asked."""
_ASKING = frozenset({"what", "which", "whose"})
_CONTRAST = r"(?:other|besides|except|apart\s+from)"
_NEAR = 6
"""Words between the question's qualifier, written in the sentence, and the noun for the two to count as apart."""


class _Word(NamedTuple):
    text: str
    start: int
    end: int
    pos: str


def compound_swapped(question: str, sentence: str) -> bool:
    """Whether `question` qualifies a noun with a noun, a hyphenated compound or a letter ("shut down pathogen
    defenses") where `sentence` qualifies the same noun with another one the question does not write ("shut down host
    defenses"), and either writes the question's qualifier nowhere near that noun or writes the same word before both
    ("a matching helper B cell" asked, "a matching helper T cell" written). Left alone: a qualifier written by the
    sentence in another form, a synonym, a slip of one letter or an acronym ("NK cells" for "natural killer cells");
    a sentence's qualifier the question writes too ("host and pathogen defenses"); the question's qualifier after
    "what" ("What textile industry…?": the sentence's may be the answer) or set against others ("other than T cells,
    what other immune cells…?"); a noun that says little (way, part, kind, number, time…), or one the sentence writes
    capitalised in a name ("the Ohio Company" for "what significant company")."""
    asked, said = _words(question), _words(sentence)
    if len(asked) < 3 or len(said) < 2:
        return False
    asked_stems = word_stems(question)
    said_plain = [_plain(w.text) for w in said]
    where: dict[str, list[int]] = {}
    for k, plain in enumerate(said_plain):
        where.setdefault(plain, []).append(k)
    unwritten: dict[tuple[str, tuple[str, ...], tuple[str, ...]], bool] = {}  # the same phrase comes back place after place
    for i in range(1, len(asked) - 1):
        modifier = asked[i]
        if not _asked_modifier(question, asked, i):
            continue
        for j in range(i + 1, min(i + 4, len(asked))):
            if question[asked[j - 1].end : asked[j].start].strip() or not _content(asked[j].text):
                break
            if asked[j].text.lower() in _GENERAL:
                continue
            noun = [_plain(w.text) for w in asked[i + 1 : j + 1]]
            lead = [w.text for w in asked[max(0, i - 3) : i + 1]]
            for k in _qualified_places(sentence, said, said_plain, where, noun, asked[i + 1 : j + 1]):
                other = said[k - 1]
                if not _another_kind(modifier.text, other, asked_stems, lead):
                    continue
                if _sandwiched(question, asked, i, sentence, said, said_plain, k):
                    return True
                key = (modifier.text, tuple(noun), tuple(lead))
                if key not in unwritten:
                    unwritten[key] = _unwritten(modifier.text, sentence, said, where, noun, lead)
                if unwritten[key]:
                    return True
    return False


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _words(text: str) -> tuple[_Word, ...]:
    """`text`'s words and hyphenated compounds, each with where it stands and its part of speech in context."""
    found = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tags = tagging.tag([w for w, _, _ in found])
    return tuple(_Word(w, start, end, t.pos) for (w, start, end), t in zip(found, tags))


def _asked_modifier(question: str, asked: tuple[_Word, ...], i: int) -> bool:
    """Whether the question's word at `i` may qualify the noun after it: a content word in lower case or a letter,
    a noun (or compound) rather than a verb, not what "what" asks nor set against others."""
    word = asked[i]
    if question[word.end : asked[i + 1].start].strip() or not _content(word.text):
        return False
    if len(word.text) > 1 and (word.text[:1].isupper() or word.pos in _VERB_TAGS or not _noun_like(word.text, word.pos)):
        return False  # a capitalised qualifier is other_names.modifier_swapped's
    before = asked[i - 1].text.lower()
    if before in _ASKING or (before == "to" and word.pos.startswith("VB")):
        return False
    noun = re.escape(asked[i + 1].text)
    return not (
        re.search(rf"(?i)\b{_CONTRAST}\b(?:\W+\w+){{0,3}}\W+{re.escape(word.text)}\b", question)
        or re.search(rf"(?i)\bother\W+(?:\w+\W+){{0,2}}{noun}\b", question)
    )


def _qualified_places(
    sentence: str,
    said: tuple[_Word, ...],
    said_plain: list[str],
    where: dict[str, list[int]],
    noun: list[str],
    asked_noun: tuple[_Word, ...],
) -> list[int]:
    """Where `sentence` writes the question's noun (its words, `noun`, as nouns, the last one its head) right after a
    word: the indexes of its first word (`where`: each plain word's indexes). A noun the sentence capitalises where the
    question does not is a name's."""
    n = len(noun)
    places = []
    for k in where.get(noun[0], ()):
        if k < 1:
            continue
        if said_plain[k : k + n] != noun or any(said[x].pos not in _NOUN_TAGS for x in range(k, k + n)):
            continue
        if any(said[k + x].text[:1].isupper() and not asked_noun[x].text[:1].isupper() for x in range(n)):
            continue  # "the Ohio Company"
        after = k + n
        if after < len(said) and said[after].pos in _NOUN_TAGS and not sentence[said[after - 1].end : said[after].start].strip():
            continue  # not the head there: "steam engine inventor"
        if sentence[said[k - 1].end : said[k].start].strip():
            continue  # punctuation between
        places.append(k)
    return places


def _another_kind(modifier: str, other: _Word, asked_stems: frozenset[str], lead: list[str]) -> bool:
    """Whether the sentence's qualifier `other` names another kind than the question's `modifier`: a noun, compound or
    letter as the question's is, none the question writes in any form, no other form or slip of `modifier`, not
    an acronym of the question's words ending with it (`lead`)."""
    text = other.text
    if not _content(text) or ("-" in text) != ("-" in modifier):
        return False
    if "-" in text:
        if text.lower().split("-")[-1] != modifier.lower().split("-")[-1]:
            return False  # "coal-fired" and "water-fired": the same last part
    elif not (_letter(text) or (other.pos in _NOUN_TAGS and _noun_like(text, other.pos))):
        return False
    stem = words_.match_stem(text)
    if stem in asked_stems or language.related(stem) & asked_stems or _same_word(modifier, text):
        return False
    return not _abbreviates(text, lead)


def _sandwiched(
    question: str, asked: tuple[_Word, ...], i: int, sentence: str, said: tuple[_Word, ...], said_plain: list[str], k: int
) -> bool:
    """Whether the word before the question's qualifier is the word before the sentence's ("helper B cell" asked,
    "helper T cell" written) and the sentence nowhere writes the question's three words: the same phrase, its qualifier
    swapped, though the sentence writes "B cell" elsewhere."""
    if i < 2 or k < 2:
        return False
    lead, lead_said = asked[i - 1], said[k - 2]
    if not (
        _content(lead.text)
        and _plain(lead.text) == said_plain[k - 2]
        and not question[lead.end : asked[i].start].strip()
        and not sentence[lead_said.end : said[k - 1].start].strip()
    ):
        return False
    phrase = [_plain(lead.text), _plain(asked[i].text), said_plain[k]]
    return not any(said_plain[x : x + 3] == phrase for x in range(len(said_plain) - 2))


def _unwritten(
    modifier: str, sentence: str, said: tuple[_Word, ...], where: dict[str, list[int]], noun: list[str], lead: list[str]
) -> bool:
    """Whether `sentence` writes `modifier` in no form near the noun, alone or as a compound's part ("full-sized" for
    "full size"): not at all, or only words apart from wherever it writes the noun's head ("…from the pathogen to the
    host. These proteins shut down host defenses"); nor an acronym of the question's words ending with it before the
    noun ("NK cells" for "natural killer cells")."""
    if "-" in modifier:
        return modifier.lower().replace("-", "") not in re.sub(r"[\s\-]", "", sentence.lower())
    n = len(noun)
    for k in where.get(noun[0], ()):
        if k >= 1 and [_plain(w.text) for w in said[k : k + n]] == noun and _abbreviates(said[k - 1].text, lead):
            return False
    heads = set(where.get(noun[-1], ()))
    return not any(
        heads.intersection(range(a - _NEAR, a + _NEAR + 1))
        for a, w in enumerate(said)
        if any(_same_word(modifier, part) for part in {w.text, *w.text.split("-")})
    )


def _content(word: str) -> bool:
    """A word of letters (or a hyphenated compound) that is no function word; a capital letter ("B", "T") counts."""
    if _letter(word):
        return True
    lower = word.lower()
    return (
        re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z]+)*", word) is not None
        and lower not in GLUE
        and lower not in words_.stopwords(("en",))
    )


def _letter(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _noun_like(word: str, pos: str) -> bool:
    """Whether `word` reads as a noun: a compound or a letter, the lexicon's noun, or, for a word it does not hold,
    a noun in context or a word with no ending of a verb form, adverb or adjective ("pathogen", "firebox")."""
    if "-" in word or _letter(word):
        return True
    usual = tagging.usual_tag(word)
    if usual is not None:
        return usual in _NOUN_TAGS
    return pos in _NOUN_TAGS or not _NOT_NOUN_ENDING.search(word.lower())


def _plain(word: str) -> str:
    """`word` in lower case, a plural's -s or -es dropped ("defenses" → "defense", "batches" → "batch")."""
    word = word.lower()
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and re.search(r"(?:ss|sh|ch|x)es$", word):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=65536)  # the same pairs come back word after word
def _same_word(one: str, other: str) -> bool:
    """Whether two words may write the same: one stem, synonyms (`language.related`), one the other's opening
    ("approx" / "approximate"), or one letter apart, a slip ("scounting" / "scouting")."""
    a, b = one.lower(), other.lower()
    if a == b:
        return True
    stem_a, stem_b = words_.match_stem(a), words_.match_stem(b)
    if stem_a == stem_b or stem_b in language.related(stem_a):
        return True
    if min(len(a), len(b)) >= 2 and (a.startswith(b) or b.startswith(a)):
        return True
    return min(len(a), len(b)) >= 5 and _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one letter dropped, added or replaced, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next((x for x, (p, q) in enumerate(zip(a, b)) if p != q), min(len(a), len(b)))
    if len(a) == len(b):
        swapped = a[start : start + 2] == b[start : start + 2][::-1] and a[start + 2 :] == b[start + 2 :]
        return a[start + 1 :] == b[start + 1 :] or swapped
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]


def _abbreviates(acronym: str, words: list[str]) -> bool:
    """Whether `acronym` (two capitals or more) is the initials of consecutive `words` ("NK": "natural killer")."""
    if len(acronym) < 2 or not acronym.isupper() or not acronym.isalpha():
        return False
    return acronym.lower() in "".join(w[0].lower() for w in words)
