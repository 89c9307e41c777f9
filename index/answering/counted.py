"""Asked which ones, a sentence that only counts them does not say.

"Which of the 22 research activities comes first?", "What are the titles of the eight supporting activities?",
"Which specific barriers…?", "What are the 22 research activities?", "List the 8 supporting activities": the
question asks for things one by one, and a sentence that writes them only as a count ("22 research and 8 supporting
activities", "several barriers and challenges") with no list after it says how many there are, not which. General
English only: counts are digits, number words and quantifiers ("several", "many"); a list is a colon, a parenthesis,
a dash, "such as", "including", "namely"… or a name after the count, names joined by "and" anywhere, or a count one
thing is picked from ("the first of several countries").

    asks_one_by_one(question) -> bool           the question asks for particular members (first, specific, titles of…)
    only_counts(question, sentence) -> bool     and `sentence` writes a word of it only as a count, listing none
    counts_other(question, sentence, passage)   asked how many of a thing the passage never names, the sentence counts others
"""

from __future__ import annotations

import bisect
import itertools
import re

from docqa.index import text
from docqa.index.answering import number_words, question_type, tagging, thesaurus

__all__ = ["asks_one_by_one", "counts_other", "counts_whole", "only_counts"]

_COUNT = rf"(?:\d[\d,.]*|{number_words.COUNT_WORD}|several|many|various|numerous|multiple|few|some)"
_THE = r"(?:the|its|their|these|those)"
_YEAR = r"(?:1[5-9]|20)\d\d\b"
"""A year, not a count: "What were the 2019 results?" asks no members."""
_ONE_BY_ONE = re.compile(
    r"\b(?:specific|particular|exact|individual|precise)\b"
    # "what are the barriers exactly", "which barriers and challenges exactly…", "which hurdles precisely…"
    r"|\b(?:which|what)\s+(?:(?:are|were)\s+(?:the|its|their)\s+)?(?:[\w\-]+\s+(?:and|or)\s+)?[\w\-]+s\s+(?:exactly|precisely)\b"
    r"|\b(?:first|second|third|fourth|fifth|last|top)\b"
    r"|\b(?:titles?|names?)\s+of\b|\beach\s+of\b|\b(?:which|what)\s+one\b|\bwhich\s+of\s+the\b"
    # "What are the 22 activities?" lists them; "What are the 22 activities identified as / for?" asks about them
    rf"|\b(?:which|what)\s+(?:exactly\s+)?(?:are|were)\s+(?:exactly\s+)?{_THE}\s+(?!{_YEAR}){_COUNT}\b(?!.*\b(?:as|for|to|by|about|with|from|on|at)\W*$)"
    rf"|\b(?:list|enumerate)\s+(?:all\s+)?{_THE}\b"
    rf"|^\W*(?:(?:please|kindly|can\s+you|could\s+you)\s+)?name\s+(?:all\s+)?{_THE}\b",  # "Please name the eight…"
    re.IGNORECASE,
)
_COUNT_WORD = re.compile(rf"(?i)\b{_COUNT}\b")
_WINDOW = re.compile(r"(?:\s+[\w\-]+){1,4}")
"""The words a count may be about: up to four, before any punctuation ("8 supporting activities")."""
_LIST_AFTER = re.compile(
    r":|\(|[—–]|\s-\s|\b(?:such\s+as|including|includes?|included|namely|like|e\.g\.|i\.e\.|among\s+them|are|were|comprise|consist)\b",
    re.IGNORECASE,
)
"""What may open a list of the things counted, in the rest of the clause after the count."""
_NAME_AFTER = re.compile(r"\b[A-Z][\w\-]*")
_NAMES_LISTED = re.compile(r"\b[A-Z][\w\-]*(?:,\s+[A-Z][\w\-]*)*,?\s+and\s+[A-Z][\w\-]*")
"""Names joined as a list anywhere in the sentence ("France and Germany are the two…"): they may be the things counted."""
_PARTITIVE = re.compile(
    r"(?:\b(?:one|each|first|second|third|fourth|fifth|last|only|none|either|neither|any|[a-z]{2,}est)\s+of|^\W*of|\bamong)"
    r"\s+(?:the\s+|its\s+|their\s+|these\s+|those\s+)?$",
    re.IGNORECASE,
)
"""What before a count picks one of the things counted ("the first of several countries", "Of the three sources…")."""


def asks_one_by_one(question: str) -> bool:
    """Whether `question` asks for particular members of a group: the first, a specific one, their titles or names."""
    return _ONE_BY_ONE.search(question) is not None


_THING_CUE = re.compile(
    r"\b(?:(?:which|what)(?:\s+one)?\s+of\s+the|(?:titles?|names?|each|list)\s+of(?:\s+(?:the|its|their))?"
    r"|(?:first|second|third|fourth|fifth|last|top)(?:\s+of\s+the)?|specific|particular|exact|individual|precise|which|what"
    r"|(?:are|were)(?:\s+exactly)?\s+(?:the|its|their|these|those)|(?:list|enumerate|name)(?:\s+all)?(?:\s+(?:the|its|their|these|those))?)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[\w\-]+(?=['’]s\b)|['’]s\b|[\w\-’']+|[^\w\s]")
"""Words for the tagger, a possessive's "'s" apart ("Harvard 's")."""
_WHICH_THING = re.compile(
    r"\b(?:which|what)\s+(?:[\w\-]+\s+){0,3}?(?P<head>[\w\-]+)\s+(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would)\b",
    re.IGNORECASE,
)
"""'Which research action is listed…': the tagger may read "research action" after "which" as verbs; the word before
the auxiliary is the thing asked for."""


_STOPS = frozenset(
    """is are was were has have had does do did will can could would should in on of at that which who to for from by
    with as and or""".split()
)
_VERB_TAGS = ("VBZ", "VBD", "VBP", "VBN", "MD")
_MEASURES = frozenset(
    text.match_stem(w)
    for w in """year date day week month decade century time hour age number amount sum figure total percentage share
    size price cost value""".split()
)
"""'What specific year…', 'the exact number…': a value is asked, not a member; 'after many years', 'a number of'
count no group it belongs to."""
_QUESTION_TOKENS = 100
"""A question's things are read from its first 100 words and marks (the tagger's cost grows with its length)."""


def _asked_things(question: str) -> set[str]:
    """The things `question` asks for, as stems: the last word of the words after "which", "the titles of", "the first
    of the"… up to a verb, a preposition or the end ("the eight supporting activities": activities). The tagger finds
    the verbs; a last word it takes for one ("…sports facility?") still ends the phrase."""
    tokens = list(_TOKEN.finditer(question))
    if len(tokens) > _QUESTION_TOKENS:  # a pasted page, not a question: tagging all of it had cost 50-130 ms
        question = question[: tokens[_QUESTION_TOKENS - 1].end()]
        tokens = tokens[:_QUESTION_TOKENS]
    tags = tagging.tag([t.group() for t in tokens])
    starts = [t.start() for t in tokens]
    things = set()
    for cue in _THING_CUE.finditer(question):
        at = bisect.bisect_left(starts, cue.end())  # the first token after the cue
        phrase: list[str] = []
        while at < len(tokens) and len(phrase) < 5:
            word, last = tokens[at].group(), at + 1 == len(tokens) or not tokens[at + 1].group()[0].isalnum()
            if word in ("'s", "’s"):  # "Harvard's … facility": the possessor is not the thing
                at += 1
                continue
            if not word[0].isalnum() or word.lower() in _STOPS or (tags[at].pos in _VERB_TAGS and not last):
                break
            if phrase and tags[at].pos in ("VBG", "RB") and tags[at - 1].pos.startswith("NN"):
                # "the specific barriers stopping it", "the 22 activities exactly" (but "eight supporting activities")
                break
            phrase.append(word)
            at += 1
        if phrase:
            things.add(text.match_stem(phrase[-1]))
    things.update(text.match_stem(m["head"]) for m in _WHICH_THING.finditer(question))
    return things


def only_counts(question: str, sentence: str) -> bool:
    """Whether `question` asks for particular members (asks_one_by_one) of a group that `sentence` writes only as a
    count, with no list or name after the count that could name them."""
    if not asks_one_by_one(question) or _NAMES_LISTED.search(sentence):
        return False
    asked = _asked_things(question) - _MEASURES
    # Where clauses end and where a list or a name may open, found once: each count's clause is then looked up, not
    # searched again (a 5,000-character run of counts had cost 60-250 ms).
    stops = [m.start() for m in re.finditer(r"[.;]", sentence)]
    openers = sorted({m.start() for m in _LIST_AFTER.finditer(sentence)} | {m.start() for m in _NAME_AFTER.finditer(sentence)})
    counted, listed, covered = set(), set(), []
    for count in _COUNT_WORD.finditer(sentence):
        window = _WINDOW.match(sentence, count.end())
        if window is None:
            continue
        covered.append((count.start(), window.end()))
        # "Ghana was the first of several countries", "one of the 22 activities": a member is named, picked from them
        partitive = _PARTITIVE.search(sentence, max(0, count.start() - 40), count.start()) is not None
        for word in re.finditer(r"[\w\-]+", window.group()):
            stem = text.match_stem(word.group())
            if stem in asked:
                after = window.start() + word.end()
                stop = stops[i] if (i := bisect.bisect_left(stops, after)) < len(stops) else len(sentence)
                opener = bisect.bisect_left(openers, after)
                (listed if partitive or (opener < len(openers) and openers[opener] < stop) else counted).add(stem)
    counted -= listed
    if not counted:
        return False
    # Written elsewhere in the sentence, not as a count, the things may be named there.
    outside = list(sentence)
    for a, b in covered:
        outside[a:b] = " " * (b - a)
    return not any(text.match_stem(w) in counted for w in text.content_words("".join(outside)))


_HOW_MANY = re.compile(r"(?i)\bhow\s+many\s+(?:of\s+(?:the\s+|its\s+|their\s+)?)?")
_NEAR_COUNT = re.compile(r"\w+")  # "ten-horsepower engines": the unit apart
_DIMENSIONS = frozenset("long old far high wide deep big large tall".split())
"""'How many pages long…': the unit is the thing, the dimension after it is not."""
_BODIES = frozenset(text.match_stem(w) for w in question_type.ORGANISATION_WORDS | {"body", "entity", "participant"})
"""'How many organisations / participating bodies…': bodies are counted as members, partners, countries…"""
_PRO_FORMS = frozenset("one ones thing things other others kind kinds type types people persons individuals".split())
"""'And how many supporting ones?': the word stands for a thing named earlier; 'how many people' are counted under any
name (inhabitants, descendants, colonists…)."""


def _counted_thing(question: str) -> tuple[str, frozenset[str]] | None:
    """What "how many" asks to count: the last noun of the words after it, up to a verb, a preposition or
    a mark ("How many pages long is the plan?": pages), with the stems of the words describing it ("supporting"); None
    when no noun follows or the noun may count anything (ones, people, organisations)."""
    found = _HOW_MANY.search(question)
    if found is None:
        return None
    tokens = list(itertools.islice(_TOKEN.finditer(question, found.end()), 6))
    tags = tagging.tag([t.group() for t in tokens])
    thing, described = None, []
    for token, tag in zip(tokens, tags):
        word = token.group()
        if word in ("'s", "’s"):
            thing = None  # "ICPerMed's members": the possessor is not the thing
            continue
        if not word[0].isalnum() or word.lower() in _STOPS or word.lower() in _DIMENSIONS or tag.pos in (*_VERB_TAGS, "DT"):
            break
        if thing and tag.pos == "VBG":
            break  # "the treaties establishing the EU": the phrase after the noun says which ones
        if thing:
            described.append(thing)
        if tag.pos.startswith("NN"):
            thing = word
        else:
            described.append(word)
    if not thing or thing.lower() in _PRO_FORMS or text.match_stem(thing.lower()) in _BODIES:
        return None
    return thing, frozenset(text.match_stem(w.lower()) for w in described)


_UNIT_SYMBOLS = {"%": "percent", "$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
"""Units written as a symbol by a number ("€20 million", "40%")."""
_BY_NUMBER = re.compile(r"[^\w\s]|[^\W\d_]+")


def _abbreviates(short: str, word: str) -> bool:
    """Whether `short` ("km", "EUR", "h") may abbreviate `word` ("kilometres", "euros", "hours"): a few letters that
    open it and follow in its order."""
    short, word = short.lower(), word.lower()
    if not 0 < len(short) <= 4 or len(short) >= len(word) or short[0] != word[0] or short in text.question_words():
        return False
    rest = iter(word)
    return all(letter in rest for letter in short)


def _writes_unit(word: str, sentence: str, start: int, end: int) -> bool:
    """Whether the count at `sentence[start:end]` writes the unit `word` as a symbol or an abbreviation next to its
    number ("EUR 20 million", "2 km", "$5 million", "40%")."""
    before = sentence[max(0, start - 8) : start].split()
    after = sentence[end : end + 8].split()
    near = [*_BY_NUMBER.findall(sentence[start:end]), *_BY_NUMBER.findall(before[-1] if before else ""), *_BY_NUMBER.findall(after[0] if after else "")]
    stem = text.match_stem(word.lower())
    related = thesaurus.related(stem)
    return any(
        (token in _UNIT_SYMBOLS and text.match_stem(_UNIT_SYMBOLS[token]) in related | {stem}) or (token.isalpha() and _abbreviates(token, word))
        for token in near
    )


def counts_other(question: str, sentence: str, passage: str) -> bool:
    """Whether `question` asks how many of a thing ("How many pages is the plan?") that `passage` never writes, in any
    form (`thesaurus.related`), while the numbers of `sentence` count something else ("22 research activities")."""
    asked = _counted_thing(question)
    if asked is None:
        return False
    word, described = asked
    forms = thesaurus.related(text.match_stem(word.lower()))
    if forms & {text.match_stem(w) for w in _NEAR_COUNT.findall(passage.lower())}:
        return False
    alike = forms | described  # the thing in another word, or as the question describes it ("supporting measures")
    for start, end in question_type.find_spans(sentence, question_type.HOW_MANY):
        if _writes_unit(word, sentence, start, end):
            return False
        near = _NEAR_COUNT.findall(sentence[max(0, start - 40) : end + 60].lower())
        if alike & {text.match_stem(w) for w in near}:
            return False
    return True


_PART_OF = re.compile(
    # "of" and a determiner, a possessive or a name: "how many of the activities", "of ICPerMed's members", "of ICPerMed
    # members" ("how many of support activities" is a French "combien d'activités de soutien" glossed: no part asked)
    r"\b(?i:how\s+many\s+of)\s+(?:(?P<the>(?i:the|its|their|these|those))\s+)?(?:(?P<whose>[\w\-]+['’]s)\s+)?"
    r"(?P<words>[\w\-]+(?:\s+[\w\-]+)?)\s+(?P<rest>.*)$"
)
_PART_COUNTED = re.compile(r"\s+of\b")
"""After a count, "of" counts a part ("Two of the expeditions were successful"): it may be the part asked for."""
_AFTER_COUNT = re.compile(r"(?:[\s,]+[\w\-]+){1,4}")


def counts_whole(question: str, sentence: str) -> bool:
    """Whether `question` asks how many of a group are of some kind ("How many of ICPerMed's members come from outside
    Europe?", "How many of the supporting activities concern patients?") and every number `sentence` writes counts the
    whole group ("…over 30 European and international members", "22 research and 8 supporting activities"): it says
    how many there are, not how many of them are so."""
    asked = _PART_OF.search(question)
    if asked is None or not (asked["the"] or asked["whose"] or asked["words"][:1].isupper()):
        return False
    if not text.content_words(asked["rest"]) - {"there", "exist", "total", "all", "in"}:
        return False  # "How many of the activities are there?" asks the whole
    spans = question_type.find_spans(sentence, question_type.HOW_MANY)
    if not spans:
        return False
    if any(_PART_COUNTED.match(sentence, end) for _, end in spans):
        return False
    after = [_AFTER_COUNT.match(sentence, end) for _, end in spans]
    counted = [{text.match_stem(w.lower()) for w in text.WORD.findall(window.group())} if window else set() for window in after]
    # the group is one of the question's first two words after "of" ("ICPerMed members", "supporting activities")
    return any(all(text.match_stem(word.lower()) in stems for stems in counted) for word in asked["words"].split())
