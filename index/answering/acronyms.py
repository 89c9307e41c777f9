"""Questions that ask what an acronym stands for, and the sentences that define one.

    asked_acronym(question) -> str | None     "what does CSA stand for?" -> "CSA"
    asks_expansion(question) -> bool          asked in so many words, of a word with two capitals or more
    definitions(sentence) -> [Definition]     "... Coordination and Support Action (CSA) ..." -> CSA: its long form's span
    defines(sentence, acronym) -> (start, end) | None   the long form of `acronym` in `sentence`, if it defines it
    sets_apart(sentence, acronym) -> bool     "ANR, the Agence…,", "(…, ANR)", "ANR stands for…": may spell it out
    named_long_forms(question, sentence) -> [(start, end)]  long forms of the acronyms the question names
    asked_short_form(question) -> (word, ...) | None   "the acronym of the consortium behind the plan" -> ("consortium",)
    short_form_span(sentence, named) -> (start, end) | None   the acronym the sentence defines for what is named

A sentence that writes "Long Form (SF)" defines SF when the letters of SF can be read, in order, in
the long form, the first at the start of a word: the algorithm of Schwartz & Hearst (2003, "A simple
algorithm for identifying abbreviation definitions in biomedical text"). The acronym a visitor writes
is compared with the short form ignoring case, spaces and hyphens ("era permed" is "ERA PerMed").
Questions are read in English (French ones arrive glossed: "que signifie le sigle X" is "what mean
the acronym X").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docqa.index.text import match_stem, question_words, words

__all__ = [
    "Definition", "asked_acronym", "asked_short_form", "asks_expansion", "defines", "definitions", "named_long_forms", "sets_apart",
    "short_form_span",
]

_NAMED = r"(?:(?:(?:the|this|that|its|their)\s+)?(?:acronym|abbreviation|initialism|initials|letters|sigle)\s+)?"
_HERE = r"(?:\s+(?:here|exactly|again|(?:as\s+used\s+)?(?:in|on)\s+(?:this|the)\s+(?:context|text|page|article|case)))?"
"""What may follow "mean" in a question still asking the expansion: "What does CSA mean here?"."""
_ASKED = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # the name first, then what is asked of it: "SRIA, what does it mean?", "ERA PerMed, what is the full name?"
        r"^\W*(?P<x>[^,?]{1,40}?)\s*,\s*what\s+(?:(?:does|do)\s+)?(?:(?:it|this|that|the)\s+)?(?:(?:acronym|abbreviation|initials)\s+)?"
        r"(?:means?|stands?\s+for)(?:\s+(?:it|this|that|the))?(?:\s+(?:acronym|abbreviation|initials))?\W*$",
        r"^\W*(?P<x>[^,?]{1,40}?)\s*,\s*what\s+(?:is|'s)\s+(?:the|its)\s+(?:full|long|complete)\s+(?:name|form)\W*$",
        # "mean" and the like end the question: "What does the EU mean by personalised medicine?" asks no expansion
        rf"\bwhat(?:\s+(?:does|do|did)\s|['’]s\s){_NAMED}(?P<x>.{{1,80}}?)\s(?:stand\s+for\b|(?:mean|signify|represent|denote|designate){_HERE}\W*$)",
        rf"\bwhat\s+(?:means?|signif(?:y|ies)|represents?|denotes?|designates?)\s+{_NAMED}(?P<x>.{{1,80}}?)\s*\??$",
        rf"\bwhat\s+is\s{_NAMED}(?P<x>.{{1,80}}?)\s(?:short\s+for|an\s+(?:acronym|abbreviation)\s+(?:of|for))\b",
        rf"\b(?:full|long|complete)\s+(?:name|form)\s+(?:of|for)\s+{_NAMED}(?P<x>.{{1,80}}?)\s*\??$",
        # A French question's word-for-word gloss keeps its order: "le nom complet de…" -> "the name full of…"
        rf"\b(?:name|form)\s+(?:full|long)\s+(?:of|for)\s+{_NAMED}(?P<x>.{{1,80}}?)\s*\??$",
        rf"\b(?:meaning|definition|signification)\s+of\s+{_NAMED}(?P<x>.{{1,80}}?){_HERE}\s*\??$",
        r"^\W*(?:please\s+)?expand\s+(?:the\s+(?:name|acronym|abbreviation)\s+)?(?P<x>.{1,80}?)\W*$",
        r"^\W*(?P<x>.{1,80}?)(?:'s)?\s+(?:full|long)\s+(?:name|form)\W*$",
        rf"^\W*(?:what\s+)?{_NAMED}(?P<x>.{{1,80}}?)\s+stands?\s+for\b",  # "What ICPerMed stand for?" too
        # asked indirectly, in a statement's order: "Please tell me what CSA stands for (in this context)."
        rf"\bwhat\s+{_NAMED}(?P<x>.{{1,80}}?)\s+(?:stands\s+for\b|means{_HERE}\W*$)",
        # Keywords: "full name ERA PerMed", "CSA meaning", "ICPerMed acronym", "expansion of SRIA"
        rf"^\W*(?:the\s+)?(?:full|long)\s+(?:name|form)\s+{_NAMED}(?P<x>.{{1,80}}?)\W*$",
        r"^\W*(?P<x>.{1,80}?)(?:'s)?\s+(?:meaning|expansion|acronym|abbreviation)\W*$",
        rf"^\W*(?:the\s+)?expansion\s+of\s+{_NAMED}(?P<x>.{{1,80}}?)\W*$",
    )
)
_BARE = re.compile(
    r"^\W*(?:(?:can\s+you\s+)?tell\s+me\s+(?:more\s+)?about\s+|what\s+about\s+)?(?P<x>[^\W\d_][^\s?!.,;:\-]{0,40}(?:[ \-][^\W\d_][^\s?!.,;:\-]{0,40}){0,2})\W*$",
    re.IGNORECASE,
)
"""A bare name, or "tell me about" one: "ERA PerMed?", "tell me about ICPerMed"."""
_WHAT_IS = re.compile(
    r"^\W*(?:what|who)(?:\s+(?:exactly|precisely|actually|really))?(?:'s|\s+is|\s+are)(?:\s+(?:exactly|precisely|actually|really))?"
    r"\s+(?:the\s+)?(?P<x>[\w\-]+(?:\s[\w\-]+)?)(?:\s+(?:exactly|precisely|actually|really))?\W*$",
    re.IGNORECASE,
)
"""'What is X?' of one or two words: read as asking for X's expansion when X is an acronym (two capitals or more)."""
_MAX_WORDS = 3
"""Words an asked acronym has at most; the patterns read at most 80 characters for it (so a long text costs no
backtracking: 500 ". " took 80 ms), with single spaces around it (a run of spaces goes to it: "what is" and 2,000
spaces took 3.5 s)."""
_LOOK_BACK_CHARS = 400


def _key(text: str) -> str:
    return re.sub(r"[\s\-.'’]+", "", text).casefold()


_EXPANSION_WORDS = re.compile(
    r"\b(?:stands?\s+for|acronym|abbreviat\w*|initials|initialism|short\s+(?:form|for)|(?:full|long)\s+(?:name|form)"
    r"|spell(?:s|ed)?\s+out)\b",
    re.IGNORECASE,
)
"""Words that ask for an expansion wherever they stand: "Could you spell out what the acronym X stands for?"."""


def _acronym_runs(text: str) -> list[str]:
    """The runs of one to three words of two capitals or more in `text` ("CSA", "ERA PerMed")."""
    runs: list[list[str]] = []
    previous_was = False
    for token in re.findall(r"[\w\-]+", text):
        acronym = sum(c.isupper() for c in token) >= 2
        if acronym and previous_was and len(runs[-1]) < _MAX_WORDS:
            runs[-1].append(token)
        elif acronym:
            runs.append([token])
        previous_was = acronym
    return [" ".join(run) for run in runs]


_ASKS_SHORT_FORM = re.compile(
    # …unless the short form follows: "What does its acronym CSA stand for?" asks CSA's expansion
    r"(?:\b(?:its|their)|['’]s)\s+(?:acronym|abbreviation|initials|short\s+(?:form|name))\b(?!,?\s+(?-i:[\w\-]*[A-Z][\w\-]*[A-Z]))"
    r"|\b(?:acronym|abbreviation|initials|short\s+(?:form|name))\s+(?:of|for)\s+(?:the|this|that|its|their|an?)\b",
    re.IGNORECASE,
)
"""The other way round: the short form of something asked ("The agenda ANR helped to generate, what is its acronym?",
"the abbreviation of the consortium", "the consortium's acronym")."""


def _asked_in_words(text: str) -> str | None:
    """The word(s) `text` asks the expansion of in so many words ("stand for", "full name of"...), else None."""
    if _ASKS_SHORT_FORM.search(text):
        return None
    for pattern in _ASKED:
        match = pattern.search(text)
        if match:
            # "the CSA", "a CSA", "an SME" ("What is the definition of an SME?"): the acronym without its article
            asked = re.sub(r"^(?:the|an?)\s+", "", match.group("x").strip(" \"'“”‘’?"), flags=re.IGNORECASE)
            asked = re.sub(r"\s+(?:acronym|abbreviation|initialism|initials)$", "", asked, flags=re.IGNORECASE)  # "ICPerMed acronym"
            if asked and len(asked.split()) <= _MAX_WORDS and re.search(r"\w", asked):
                return asked
    # Worded otherwise ("the full name hidden behind the abbreviation ERA PerMed", "for which expression is CSA a
    # short form"): the one acronym the question writes, if the words asking for an expansion are there.
    if _EXPANSION_WORDS.search(text):
        found = _acronym_runs(text)
        if len(found) == 1:
            return found[0]
    return None


def asks_expansion(question: str) -> bool:
    """Whether `question` asks in so many words what an acronym stands for: one whose words hold two capitals or more
    ("What does ANR stand for?", "full name of ERA PerMed"), not "what does personalised medicine mean?"."""
    asked = _asked_in_words(question.strip())
    # Two capitals in one word: "Horizon Europe" is a name, not an acronym
    return asked is not None and any(sum(c.isupper() for c in word) >= 2 for word in asked.split())


def asked_acronym(question: str) -> str | None:
    """The word(s) whose expansion `question` asks for ("what does the acronym CSA mean?" -> "CSA"), else None."""
    text = question.strip()
    if (asked := _asked_in_words(text)) is not None:
        return asked
    # A bare name asks what it is: the sentence defining it answers, if one does (else it is read as any question).
    # "What is ERA PerMed?": an acronym asked about is defined by its expansion, if the documents give one.
    if (what := _WHAT_IS.match(text)) and sum(c.isupper() for c in what["x"]) >= 2:
        return what["x"]
    bare = _BARE.match(text)
    if bare and not set(words(bare.group("x"))) & question_words():
        return bare.group("x")
    return None


@dataclass(frozen=True)
class Definition:
    """One "long form (short form)" of a sentence."""

    short: str
    long_span: tuple[int, int]
    """Where the long form is in the sentence (character offsets)."""


def _long_form_start(short: str, before: str) -> int | None:
    """Schwartz & Hearst: the offset in `before` where the long form of `short` starts, else None."""
    letters = [c.lower() for c in short if c.isalnum()]
    if not letters:
        return None
    s, position = len(letters) - 1, len(before) - 1
    while s >= 0:
        c = letters[s]
        # The short form's first letter must open a word of the long form; the others may be anywhere.
        while position >= 0 and (
            before[position].lower() != c or (s == 0 and position > 0 and before[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        s, position = s - 1, position - 1
    return position + 1


@functools.lru_cache(maxsize=4096)
def definitions(sentence: str) -> tuple[Definition, ...]:
    """Every acronym `sentence` defines as "Long Form (SF)", with its long form's span."""
    found = []
    for match in re.finditer(r"\(([^()]{1,30})\)", sentence):
        # "(ICPerMed Secretariat; CSA; 2016-2020)": the first part is the short form.
        short = re.sub(r"^(?:or|also|i\.e\.)\s+", "", re.split(r"[;,]", match.group(1))[0].strip())  # "(or QED)"
        words = short.split()
        if not words or len(words) > 2 or not short[0].isalnum() or not re.search(r"[A-Z]", short):
            continue
        budget = min(len(words) + 5, 2 * len(words)) + len(re.sub(r"[^A-Za-z]", "", short)) // 2 + 2
        head = sentence[: match.start()].rstrip()
        window = max(0, len(head) - _LOOK_BACK_CHARS)  # a long form is a few words: never rescan the whole sentence
        pieces = list(re.finditer(r"\S+", head[window:]))[-budget:]
        if not pieces:
            continue
        offset = window + pieces[0].start()
        start = _long_form_start(short, head[offset:])
        if start is None:
            continue
        start += offset
        # The long form begins at a word start; a long form no longer than its short form defines nothing.
        while start > 0 and head[start - 1].isalnum():
            start -= 1
        if len(head[start:].split()) > len(words):
            found.append(Definition(short, (start, len(head))))
    return tuple(found)


def named_long_forms(question: str, sentence: str) -> list[tuple[int, int]]:
    """The spans of the long forms `sentence` defines for acronyms `question` names ("What did ICPerMed
    publish?": "International Consortium of Personalized Medicine"): the question's subject, not its answer."""
    words = re.findall(r"[\w\-.'’]+", question)
    keys = {_key(w) for w in words} | {_key(a + b) for a, b in zip(words, words[1:])}
    return [d.long_span for d in definitions(sentence) if _key(d.short) in keys]


def defines(sentence: str, acronym: str) -> tuple[int, int] | None:
    """The span of `acronym`'s long form when `sentence` defines it (case, spaces and hyphens aside), else None."""
    key = _key(acronym)
    for definition in definitions(sentence):
        if _key(definition.short) == key:
            return definition.long_span
    return None


def sets_apart(sentence: str, acronym: str) -> bool:
    """Whether `sentence` writes `acronym` set apart as a definition other than "Long Form (SF)" does: in parentheses,
    before them, before ", the", a dash or "or", or before "stands for" / "is short for" ("ANR, the Agence…,"); not
    "In QED, photons…"."""
    name = re.escape(acronym.strip())
    return bool(
        re.search(
            rf"\([^()]{{0,60}}\b{name}\b[^()]{{0,60}}\)|\b{name}['\"”’]?\s*(?:\(|,\s*(?:the|an?)\s|[–—]|or\s)"
            rf"|\b{name}\s+(?:stands|is\s+short)\s+for\b",
            sentence,
            re.IGNORECASE,
        )
    )


_SHORT_FORM_OF = re.compile(
    r"\b(?:acronym|abbreviation|initials|short\s+(?:form|name))\s+(?:used\s+)?(?:of|for)\s+(?P<x>[^?!.;:]{1,80})", re.IGNORECASE
)
_NAME_ENDS = frozenset("that which who whom whose behind mentioned named described discussed cited published given".split())
"""Words after which a description of the thing named goes on past its name ("the network that the plan will inform",
"the consortium behind the plan"); its name may hold "of", "for", "and" ("the Network for personalised medicine")."""


def asked_short_form(question: str) -> tuple[str, ...] | None:
    """The words of what `question` asks the acronym or short name of, up to where a description of it starts ("What
    is the acronym of the consortium behind the plan?" -> ("consortium",); "the short name of the European network for
    personalised medicine" -> ("european", "network", "personalised", "medicine")), folded; None when it asks none."""
    match = _SHORT_FORM_OF.search(question)
    if match is None:
        return None
    named: list[str] = []
    for word in words(match.group("x")):
        if word in _NAME_ENDS or (named and word == "the"):
            break
        named.append(word)
    content = tuple(w for w in named if len(w) > 1 and w not in question_words())
    return content or None


def short_form_span(sentence: str, named: tuple[str, ...]) -> tuple[int, int] | None:
    """The span of the acronym `sentence` defines ("Long Form (SF)") whose long form writes every word of `named`
    (asked_short_form's) in some form ("personalised" for "Personalized"), else None."""
    wanted = {match_stem(w) for w in named}
    for definition in definitions(sentence):
        long_stems = {match_stem(w) for w in words(sentence[definition.long_span[0] : definition.long_span[1]])}
        if wanted <= long_stems:
            start = sentence.find(definition.short, definition.long_span[1])
            if start >= 0:
                return start, start + len(definition.short)
    return None
