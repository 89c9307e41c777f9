"""Common English ways of asking a plain question, read as the plain question (no corpus's words).

A visitor asks "What kind of organisation is ICPerMed?" where the text says "ICPerMed is a platform…". The
category noun ("organisation") is no word the answer must write, yet every feature reads it as one the sentence
lacks, so the question looks unanswered. The same holds for what a question sets aside ("Besides research, what
else…": the sentence that answers names something else) and for "what is X trying to achieve" (the text says
"the aim of X"), for a kind asked of a noun ("which types of ministries", "activities of a supporting nature"),
a visitor's phrasal verb where texts write one verb ("get going", "kick off", "go live" for "start") and a hedge ("when is X expected
to start?" where the text says it should start), and a search-box query ending in a word that only names the kind
of answer ("icpermed members number"). Each such form is read as the plain question it asks: "What is
ICPerMed?", "What … ?", "What is the aim of X?", "Which ministries…", "When does X start?", "How many icpermed
members". The short answer still reads the question as asked.

    plain(question) -> str    `question` in its plain form (itself when no form applies)
"""

from __future__ import annotations

import re
from typing import Mapping

from docqa.index.answering import question_type, tagging

__all__ = ["plain"]

_OPENERS = " \t\"'(¿¡"

# "What kind of organisation is ICPerMed?" -> "What is ICPerMed?": only when what follows is a name (capitals at
# its start and end), so "What type of energy is produced by…?" keeps its noun, which says what is asked, and so
# does "What kind of funding is ANR offering?" (the name is the subject).
_A_NAME = r"(?P<x>(?:the\s+)?[A-Z][\w\-]*(?:(?:\s+[\w\-]+){0,4}?\s+[A-Z\d][\w\-]*)?)"
"""A name: capitals at its start and end."""
_DESCRIBED = r"(?i:\s+(?:described|characteri[sz]ed|defined|presented|portrayed)(?:\s+as)?(?:\s+(?:on|in)\s+(?:the|this)\s+(?:page|text|article))?)"
"""'…described as', '…characterised on the page': how the text puts what it is."""
_KIND_OF = re.compile(
    rf"^\W*(?i:what\s+(?:kind|sort|type)s?\s+of\s+(?:[\w\-]+\s+){{1,2}}?(?P<verb>is|are|was|were)\s+){_A_NAME}{_DESCRIBED}?(?P<end>\s*\W*)$"
)
# "How is ICPerMed described (as an organisation)?" -> "What is ICPerMed?"
_HOW_DESCRIBED = re.compile(
    rf"^\W*(?i:how\s+(?P<verb>is|are|was|were)\s+){_A_NAME}{_DESCRIBED}(?i:\s+as\s+an?\s+[\w\-]+)?(?P<end>\s*\W*)$"
)
_ASIDE = r"(?:besides|apart\s+from|aside\s+from|other\s+than|in\s+addition\s+to)"
# What the question sets aside, at its start, between commas or at its end: "Besides research, what else…?"
_WH = "what|which|who|whom|whose|where|when|why|how"
_ASKING = rf"(?:{_WH})\b"
_ASIDE_FIRST = re.compile(rf"^\W*{_ASIDE}\s+[^?]{{1,80}}?,\s*(?={_ASKING})", re.IGNORECASE)
_ASIDE_INSIDE = re.compile(rf",\s*{_ASIDE}\s+[^,?]{{1,60}},", re.IGNORECASE)
_AUXILIARY = r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would)\b"
# At the end only after a verb of the question's own: "Who besides the British colonised Africa?" ends in its verb.
# Single spaces around the lazy part, which takes any run of them ("when is" and 1,000 spaces took 10 s).
_ASIDE_LAST = re.compile(
    rf"^(?P<kept>\W*(?:{_WH})\s+[\w'\-]+\s[^?]*?),?\s{_ASIDE}(?:\s+(?!{_AUXILIARY})[\w'\-]+){{1,6}}(?=\s*\W*$)", re.IGNORECASE
)
_ASIDE_AFTER_ELSE = re.compile(rf"\b({_WH})\s+else\s+{_ASIDE}\s+[^,?]{{1,40}}?\s+(?={_AUXILIARY})", re.IGNORECASE)
_ELSE = re.compile(rf"\b({_WH})\s+else\b", re.IGNORECASE)
# "What is X trying to achieve?", "What does X want to do?" -> "What is the aim of X?" (single spaces around X: a run
# of spaces goes to X, "what is" and 300 spaces took 160 ms)
_PURPOSE = re.compile(
    r"^\W*what\s+(?:(?P<be>is|are|was|were)\s(?P<x1>.{1,60}?)\s(?:trying|seeking|hoping|aiming|meant|supposed|intended|designed)"
    r"|(?P<do>does|do|did)\s(?P<x2>.{1,60}?)\s(?:try|seek|want|hope|aim|intend|mean))\s+to\s+(?:achieve|accomplish|do)(?P<end>\s*\W*)$",
    re.IGNORECASE,
)

# "What is ICPerMed for?", "What's the fund for?" -> "What is the aim of …?": X a name, or a determiner and one noun,
# so "What is QED short for?", "What was Tugh Temur known for?" and "What is X used for?" ask something else.
_FOR = re.compile(
    r"^\W*(?i:what(?:'s|\s+(?P<be>is|are|was|were)))\s+"
    r"(?P<x>(?:(?i:the|this|that|its|their)\s+)?[A-Z][\w\-']*(?:\s+(?:(?:of|for|and|de)\s+)?[A-Z][\w\-']*)*|(?i:the|this|that|its|their)\s+[a-z][\w\-']*)"
    r"\s+(?i:for)(?P<end>\s*\W*)$"
)
# "Which types of ministries…" -> "Which ministries…": the kind of a thing is what is asked of it (unless the noun
# then asks another type: "what kind of time" is no "what time").
_TYPES_OF = re.compile(r"\b(what|which)\s+(?:kinds?|sorts?|types?)\s+of\s+(?=[\w\-])", re.IGNORECASE)
# "activities of a supporting nature" -> "supporting activities"
_OF_A_NATURE = re.compile(r"\b([a-z][\w\-]*)\s+of\s+an?\s+([a-z][\w\-]*)\s+(?:nature|kind|sort|character)\b", re.IGNORECASE)
# Phrasal verbs visitors say where texts write one verb ("get going" for "start", "put out" for "published"); the
# ones texts write too ("take into account", "carry out", "bring together") stay, or a sentence saying them would
# lose the words it shares with the question.
_PHRASAL = tuple(
    (re.compile(rf"\b(?P<verb>{forms})\s+(?:{particle})\b", re.IGNORECASE), verb)
    for forms, particle, verb in (
        ("hold|holds|held|holding", "back", "hinder"),
        ("get|gets|got|gotten|getting", "going|started|under\\s?way", "start"),
        ("put|puts|putting", "out", "publish"),
        # these keep their tense ("When it went live, …": "When it started, …"; "is it going live?": "starting")
        ("kick|kicks|kicked|kicking", "off", {"kick": "start", "kicks": "starts", "kicked": "started", "kicking": "starting"}),
        ("go|goes|went|gone|going", "live", {"go": "start", "goes": "starts", "went": "started", "gone": "started", "going": "starting"}),
        ("up", "and\\s+running", "started"),
    )
)
# Where a phrasal verb means something else: someone "kicked off the team" after a "was" or "got" left it; "where do
# they go live" asks where they live.
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\b", re.IGNORECASE)
_WHERE = re.compile(r"\W*where\b", re.IGNORECASE)
_OBJECT = re.compile(r"\s+(?!by\b)[a-z]", re.IGNORECASE)  # "kicked off the team", not "kicked off by the mayor"


def _phrasal(question: str) -> str:
    """`question` with each visitor's phrasal verb as the one verb texts write (`_PHRASAL`), unless it means another
    thing there."""
    passive = _PASSIVE.search(question)
    where = _WHERE.match(question) is not None

    def verb(match: re.Match[str], verb: str | Mapping[str, str]) -> str:
        said = match["verb"].lower()
        if said == "kicked" and passive and passive.start() < match.start() and _OBJECT.match(question, match.end()):
            return match.group()
        if where and said in ("go", "goes", "went", "gone", "going"):
            return match.group()
        return verb if isinstance(verb, str) else verb[said]

    for pattern, replacement in _PHRASAL:
        question = pattern.sub(lambda m, r=replacement: verb(m, r), question)
    return question


# "When is ERA PerMed expected to start?" -> "When does ERA PerMed start?": what is expected, planned or due is what
# the text says will happen ("should start end of 2017").
# The word after "to" must read as a verb: no determiner or pronoun and no -ing or -tion noun ("Why is the rise due to
# inflation?", "due to the rise" say why, not what will happen). Single spaces before "is" and the hedge: runs of
# spaces go to the bounded lazy parts (2,000 spaces took 5 ms).
_HEDGED = re.compile(
    rf"^(?P<wh>\W*(?:(?:{_WH})\b[^?]{{0,40}}?\s)?)(?P<be>is|are|was|were)\s(?P<x>[^?]{{1,60}}?)\s"
    r"(?:expected|supposed|scheduled|planned|due|set|meant|going|likely|slated|intended)\s+to\s+"
    r"(?!(?:the|a|an|this|that|these|those|it|its|their|his|her|our|your|my|them|us|me)\b|\w{3,}(?:ing|tion)\b)(?P<verb>[a-z][\w\-]*)",
    re.IGNORECASE,
)
_DO = {"is": "does", "are": "do", "was": "did", "were": "did"}
# "icpermed members number" -> "How many icpermed members", "icpermed secretariat years" -> "When icpermed secretariat":
# a search-box query's last word that only names the kind of answer, asked as a question. ("era permed start" keeps its
# last word, the thing asked; "How many" asks of a plural, so "count" and "number" count only after one: "phone number"
# is an identifier, "word count" a compound; after an adjective, "key dates", the last word is the thing asked.) Read
# word by word: a pattern spanning the query backtracks on long runs of spaces.
_KEYWORD_KIND = re.compile(r"(?:(?P<count>count|number)|(?P<when>years?|dates?|period|timeline))\W*", re.IGNORECASE)


def _keyword_kind(question: str) -> str | None:
    """A search-box query ending in a word that names only the kind of answer, as the question it asks, or None."""
    words = question.split()
    while words and not re.search(r"\w", words[-1]):
        words.pop()  # trailing punctuation: "members number !"
    if len(words) < 2 or not re.search(r"\w", " ".join(words[:-1])) or not (match := _KEYWORD_KIND.fullmatch(words[-1])):
        return None
    if match["count"] and not words[-2].lower().endswith("s"):
        return None
    if match["when"] and tagging.tag([w.lower() for w in words])[-2].pos.startswith("JJ"):
        return None  # "important dates", "financial year": the adjective says which dates, "When important" asks nothing
    return f"{'How many' if match['count'] else 'When'} {' '.join(words[:-1])}"


def _opening(question: str, rest: str) -> str:
    """`rest` after the question's opening punctuation, with a capital if the question opened with one."""
    body = question.lstrip(_OPENERS)
    return question[: len(question) - len(body)] + (rest[:1].upper() + rest[1:] if body[:1].isupper() else rest)


def plain(question: str) -> str:
    """`question` in its plain form (the module's forms), itself when no form applies."""
    if question_type.is_search_keywords(question) and (keywords := _keyword_kind(question)):
        return keywords
    if match := _KIND_OF.match(question) or _HOW_DESCRIBED.match(question):
        return _opening(question, f"what {match['verb'].lower()} {match['x']}") + (match["end"] or "?")
    if match := _PURPOSE.match(question):
        tense = "was" if (match["be"] or match["do"]).lower() in ("was", "were", "did") else "is"
        return _opening(question, f"what {tense} the aim of {match['x1'] or match['x2']}") + (match["end"] or "?")
    if match := _FOR.match(question):
        tense = "was" if (match["be"] or "").lower() in ("was", "were") else "is"
        return _opening(question, f"what {tense} the aim of {match['x']}") + (match["end"] or "?")
    if (kinds_left := _TYPES_OF.sub(lambda m: m[1] + " ", question)) != question:
        question = kinds_left if question_type.classify(kinds_left) == question_type.classify(question) else question
    question = _OF_A_NATURE.sub(r"\2 \1", question)
    if (match := _HEDGED.match(question)) and match["verb"].lower() not in ("be", "have"):
        do = _DO[match["be"].lower()]
        do = do.capitalize() if match["be"][0].isupper() else do
        question = f"{match['wh']}{do} {match['x']} {match['verb']}{question[match.end():]}"
    question = _phrasal(question)
    aside = _ASIDE_FIRST.sub("", question, count=1)
    aside = _ASIDE_LAST.sub(r"\g<kept>", _ASIDE_INSIDE.sub("", _ASIDE_AFTER_ELSE.sub(r"\1 ", aside, count=1), count=1), count=1)
    if aside == question:
        return question
    aside = _ELSE.sub(lambda m: m[1], aside)
    body = aside.lstrip(_OPENERS)
    return _opening(question, body[:1].lower() + body[1:]) if body else question
