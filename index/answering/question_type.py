"""What kind of answer a question wants, and where such an answer sits in a sentence.

*when* → dates and periods, *how many* → counts, *how much* → amounts, *who* →
organisations and people, *where* → places, *what is* → definitions, *why* →
reasons, *by what means* → a "by / through …" phrase, an e-mail / phone / web address → one written as such. Questions are
read in English (French ones arrive glossed, see answering/language.py). Spans
are character offsets into the sentence.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from docqa.index.answering import number_words, tagging
from docqa.index.text import match_stem

Span = tuple[int, int]

WHEN, HOW_MANY, HOW_MUCH, WHO, WHERE, DEFINITION, WHY, MEANS, EMAIL, PHONE, WEB, OTHER = (
    "when", "how_many", "how_much", "who", "where", "definition", "why", "means", "email", "phone", "web", "other",
)
CONTACT = (EMAIL, PHONE, WEB)
"""Questions asking for a contact detail: only a sentence that writes one can answer them."""
TYPED = (WHEN, HOW_MANY, HOW_MUCH, WHO, WHERE, *CONTACT)
"""Types whose answer is a short span of a recognisable shape."""

_CONTACT_WORDS = {
    EMAIL: r"(?:e-?mail(?: address)?)",
    PHONE: r"(?:(?:tele)?phone(?: number)?|fax(?: number)?)",
    WEB: r"(?:web ?site|web address|url|home ?page)",
}


def _asking_for(words: str) -> str:
    # Asking for one ("what is the e-mail address of…", "phone number for…"), not about one ("what did the telephone…").
    # "What is the helpdesk's e-mail?" too: a possessor before it
    return (
        rf"\b{words}\s+(?:of|for)\b|\b(?:what|which)(?:'s| is| are)\s+(?:the\s+|its\s+|their\s+)?{words}\W*$"
        rf"|\b(?:what|which)(?:'s| is| are)\s+[\w\-' ]{{1,60}}['’]s\s+{words}\W*$"
    )


_INTENDS = r"(?:want|plan|intend|aim|hope|seek|propose|mean|try|tries)(?:s|ed|ing)?\s+to\b"
"""'…want to', '…plans to': the intention a *by what means* question asks the way to."""


_EXPLICIT_MEANS = re.compile(r"\bby (?:what|which) means\b", re.IGNORECASE)
_DEGREE = (
    r"(?:often|far|soon|fast|long|much|many|well|early|late|big|large|high|low|old|hard|close|deep"
    r"|(?!exactly\b|precisely\b|specifically\b|concretely\b)\w+ly)\b"
)
"""'How often / far / soon / quickly does X plan to…': a degree or a frequency is asked, not a way ('how exactly' asks
the way itself)."""


_KINDS_OF = re.compile(r"\b(?i:what|which)\s+(?i:kinds?|types?|sorts?)\s+(?i:of)\s+(?P<noun>[a-z][a-z\-]{2,})\b")


def kinds_asked(question: str) -> str | None:
    """The noun whose kinds `question` asks ("What kinds of ministries…?" → "ministries"; written in lower case), or
    None."""
    found = _KINDS_OF.search(question)
    return found["noun"] if found else None


def names_only_one_of(sentence: str, noun: str) -> bool:
    """Whether `sentence` writes `noun` once, in the singular inside a name ("the Ministry of Higher Education": one
    ministry, which does not say what kinds of ministries there are), not as a common noun ("research and health
    ministries"), nor as a kind's own name ("Private Bill Committees"), nor in several names, each a kind ("Primary
    School, then Secondary School")."""
    stem = match_stem(noun.lower())
    written = [m for m in re.finditer(r"\b[A-Za-z][\w\-]*", sentence) if match_stem(m.group().lower()) == stem]
    if len(written) != 1:
        return False
    word = written[0]
    return word.group()[0].isupper() and word.start() > 0 and not word.group().lower().endswith("s")


_ASKS_CLOCK = re.compile(r"(?i)\b(?:what|which)\s+times?\b(?!\s+(?:of|fram|period|span|zone|line|scale))|\bwhat\s+hour\b")
_CLOCK = re.compile(r"(?i)\b(?:\d{1,2}[:.h]\d{2}(?![\d%]|[.,]\d)(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\b\.?|noon|midday|midnight)")


def asks_clock_time(question: str) -> bool:
    """Whether `question` asks a time of the clock ("What time is lunch?", "At what time do doors open?"; not "what time
    of day", "what time frame" or "what time period")."""
    return _ASKS_CLOCK.search(question) is not None


def clock_times(sentence: str) -> list[Span]:
    """The times of the clock `sentence` writes ("8:30", "13:00", "5 pm", "noon"), as spans."""
    return [m.span() for m in _CLOCK.finditer(sentence)]


def asks_means_explicitly(question: str) -> bool:
    """Whether `question` asks by what means: only a "by / through …" phrase answers it ("How does X plan to use Y?",
    "In what way…?" may be answered "as a blueprint")."""
    return _EXPLICIT_MEANS.search(question) is not None


_CUES: tuple[tuple[str, str], ...] = (
    *((kind, _asking_for(words)) for kind, words in _CONTACT_WORDS.items()),
    (HOW_MANY, r"\bhow many\b|(?<!phone )(?<!telephone )(?<!contact )(?<!reference )\bnumber of\b|\bhow big\b|\bhow large\b|\bsize of\b"),
    (HOW_MUCH, r"\bhow much\b|\bcost\b|\bprice\b|\bbudget\b|\bamount\b|\b(?:total|overall) (?:funding|spending|investment)\b"),
    (WHEN, r"^\W*(?:and\s+)?when\b|\bwhen (?:is|was|does|did|will|should|do|are|were)\b|\b(?:what|which|in which) (?:year|date|month|day|time|period|decade|century)s?\b"
     r"|\bsince when\b|\bhow long\b|\bdates?\b|\bdeadline\b"),
    (WHO, r"^\W*(?:and\s+)?(?:who|whom|whose)\b|\bwho(?:'s| is| are| was)\b|\b(?:which|what) (?:organi[sz]ation|agency|institution|company|person|body|partner|member|commissioner)s?\b"),
    (WHERE, r"^\W*(?:and\s+)?where\b|\bwhere(?:'s| is| are| do| does)\b|\bin which (?:country|city|place|region)\b|\bwhat (?:country|city|place)\b"),
    (WHY, r"^\W*(?:and\s+)?why\b|\bwhy\b|\bwhat prevents\b|\breason\b"),
    # "By what means…?", "How does X want to boost Y?", "how exactly do they plan to push it forward": the way sought.
    (MEANS, rf"{_EXPLICIT_MEANS.pattern}|\bin what ways?\b|\bthrough what (?:means|channels?|mechanisms?)\b|^\W*(?:and\s+|so\s+)?how\s+(?!{_DEGREE})(?:[\w']+\s+){{1,6}}?{_INTENDS}"),
    (DEFINITION, r"^\W*(?:what|who)(?:'s| is| are)\s+(?:an?\s+|the\s+)?[\w\-' ]{1,40}\W*$|\bdefine\b|\bdefinition\b|\bmeaning of\b|\bstand for\b"
     r"|\bwhat does [\w\- ]+ mean\b|\bfull name\b"),
)


_PERSON_ROLE = (
    r"(?:chair(?:man|woman|person)?|president|director|minister|official|commissioner|representative|spokes(?:person|man|woman)"
    r"|contact\s+person|secretary[- ]general|ceo|chief|leader(?!s?\s+in\b)|head|mayor|governor)"
)
"""A role only a person holds ("the leader in genomics" leads a field: a country or a company may)."""
_ASKS_PERSON = re.compile(
    rf"^\W*(?:and\s+)?who\s+(?:is|was|are|were|will\s+be|has\s+been)\s+(?:(?:the|an?|its|their|his|her)\s+)?(?:[\w\-]+\s+){{0,2}}?{_PERSON_ROLE}\b"
    r"|^\W*(?:and\s+)?who\s+(?:currently\s+|now\s+)?(?:chairs?|chaired|presides?|presided)\b"
    r"|\b(?:which|what)\s+(?:person|commissioner|minister|director|president|chair(?:man|woman|person)?|spokes(?:person|man|woman))\b",
    re.IGNORECASE,
)
_ROLE_OR_ADJECTIVE = re.compile(r"\b(?P<wh>which|what)\s+(?P<role>officials?|representatives?)\b(?:\s+(?P<next>[\w\-’']+))?", re.IGNORECASE)


def _asks_for_an_official(question: str) -> bool:
    """"Which official signed…?", "which representative attends…?" — not "What official languages…?" nor "what
    representative sample…?", where the word describes the noun after it (tagged as one: answering/tagging.py)."""
    found = _ROLE_OR_ADJECTIVE.search(question)
    if found is None:
        return False
    if not found["next"]:
        return True
    return not tagging.tag([found["wh"], found["role"], found["next"]])[2].pos.startswith("NN")
ORGANISATION_WORDS = frozenset(
    """agency ministry commission consortium council network organisation organization institute institution university
    college association foundation company corporation committee department government board office bank court union
    party society group federation alliance authority parliament assembly""".split()
)
"""General English words that make a name an organisation's."""


def asks_for_a_person(question: str) -> bool:
    """Whether `question` asks who holds a person's role ("Who chairs X?", "Who is the minister of…?", "which official…")."""
    return _ASKS_PERSON.search(question) is not None or _asks_for_an_official(question)


def names_an_organisation(span: str) -> bool:
    """Whether `span` names an organisation: an acronym ("ANR", "ICPerMed"; not "McCarthy" nor "DeVos"), or a name
    whose words say it is one ("Ministry of…")."""
    words = span.split()
    letters = [c for c in span if c.isalpha()]
    acronym = len(words) == 1 and len(letters) >= 2 and (all(c.isupper() for c in letters) or sum(c.isupper() for c in letters) >= 3)
    return acronym or any(w.lower().strip(".,()") in ORGANISATION_WORDS for w in words)


_ASKING_OPENER = re.compile(
    r"^\W*(?:and\s+)?(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would|should"
    r"|has|have|had|tell|give|list|show|explain|describe|please)\b"
)
_KEYWORD_CUES: tuple[tuple[str, str], ...] = (
    (WHEN, r"\b(?:years?|since|until|start(?:s|ed)?|launch(?:es|ed)?|begin(?:s|ning)?|end(?:s|ed)?|timeline|period)\W*$"),
    (HOW_MANY, r"\b(?:count|total|(?<=s\s)number)\W*$"),  # "members number"; "phone number" is an identifier
    (WHERE, r"\b(?:location|city|country|headquarters|based)\W*$"),
)
"""Search-box queries ("icpermed secretariat years", "era permed start", "members count") name the kind of answer they
want by their last word."""
_KEYWORD_MAX_WORDS = 8
_PER_LAST_WORD = re.compile(r"\b(?:per|by|each|every)\s+[\w\-]+\W*$")
"""'funding per year', 'members by country': the last word is the unit or the breakdown, not the kind of answer."""


_CUE_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in _CUES)


def is_search_keywords(question: str) -> bool:
    """Whether `question` reads as a search-box query ("icpermed members number"): no question mark, no asking
    opener, a few words, and no "per …" / "by …" ending."""
    text = question.lower().replace("’", "'")
    return (
        "?" not in text
        and not _ASKING_OPENER.match(text)
        and len(text.split()) <= _KEYWORD_MAX_WORDS
        and not _PER_LAST_WORD.search(text)
    )


@functools.lru_cache(maxsize=4096)  # asked of the same question by several steps of one answer
def classify(question: str) -> str:
    """The answer type `question` asks for (one of the module's constants)."""
    text = question.lower().replace("’", "'")
    for kind, pattern in _CUE_PATTERNS:
        if pattern.search(text) or (kind == WHO and _asks_for_an_official(text)):
            return HOW_MANY if kind == HOW_MUCH and _counts_a_plural(text) else kind
    if is_search_keywords(text):
        for kind, pattern in _KEYWORD_CUES:
            if re.search(pattern, text):
                return kind
    return OTHER


_HOW_MUCH_OF = re.compile(r"\bhow much\s+(?P<word>[a-z][a-z\-]*)\b")


def _counts_a_plural(text: str) -> bool:
    """"how much members…" (as some learners of English ask): a plural noun after "how much" asks how many."""
    found = _HOW_MUCH_OF.search(text)
    return found is not None and found["word"] != "data" and tagging.tag(["How", "much", found["word"]])[2].pos == "NNS"


MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
"""A month's name or its abbreviation, lower case (a pattern to compile case-insensitively)."""
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_ANY_YEAR = r"(?:1\d{3}|20\d\d|21\d\d)"  # a date's year: 1000-2199 ("1066"); _YEAR alone keeps 1800-2199 out of counts
_DAY_MONTH = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\s+|{MONTHS}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?)"
_ORDINAL = (
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)"
)
_DATE = re.compile(
    # A preposition belongs to a range ("between 1945 and 1970"), not to one date ("1932", not "after 1932").
    rf"(?i)\b(?:from|between)\s+{_DAY_MONTH}?{_ANY_YEAR}(?:\s*[-–]\s*|\s+(?:and|to|until|till|through)\s+){_DAY_MONTH}?{_ANY_YEAR}\b"
    rf"|\b(?:(?:the\s+)?(?:early|mid|late|end|beginning|start|middle|spring|summer|autumn|fall|winter)(?:\s+of)?\s+)?"
    rf"{_DAY_MONTH}?{_ANY_YEAR}(?:(?:\s*[-–]\s*|\s+(?:and|to|until|till|through)\s+){_DAY_MONTH}?{_ANY_YEAR})?\b"
    rf"|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|(?i:\b(?:next|last|this)\s+(?:year|month|week)\b)"
    # "the early 19th century", "the 1960s", "44 BC", "AD 800"
    rf"|\b(?:(?:the\s+)?(?:early|mid|late)[\s-]+)?(?:the\s+)?{_ORDINAL}[\s-]+centur(?:y|ies)(?:\s+(?-i:BCE?|AD|CE))?\b"
    rf"|\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:1\d|20)\d0s\b"
    rf"|\b\d{{1,4}}\s*(?-i:BCE?|AD|CE)\b|(?-i:\bAD)\s*\d{{1,4}}\b"
)
_SMALL = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midnight)"
_TIME = re.compile(
    rf"(?i)\b(?:at|from|until|by|before|after)\s+(?:\d{{1,2}}(?:[:.h]\d{{2}})?(?:\s*(?:am|pm|a\.m\.|p\.m\.|h))?|{_SMALL})(?:\s*(?:o'clock|am|pm))?\b"
    rf"|\b(?:on\s+)?(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?)\b"
)
_UNITS = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|metres?|meters?|km|kilometres?|kilometers?|kg|kilograms?|"
    r"grams?|tonnes?|tons?|miles?|cm|mm|litres?|liters?|m²|m2|m|g)"
)
_DURATION = re.compile(rf"(?i)\b(?:(?:about|around|nearly|almost|over|under|up to|at least|within|in)\s+)?(?:\d[\d.,]*|{_SMALL}|a few|several)\s+{_UNITS}\b")
_NUMBER_WORDS = number_words.COUNT_WORD
_QUALIFIER = r"(?:over|more than|less than|fewer than|about|around|nearly|almost|up to|at least|at most|some|approximately|roughly|under|above|below)"
_CURRENCY_CODE = r"(?:EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK|JPY|CAD|AUD)"
"""ISO 4217 codes of common currencies, written before an amount ("EUR 450,000", "up to USD 2 million")."""
_NUMBER = re.compile(
    rf"(?i)(?:\b{_QUALIFIER}\s+)?(?:[€$£]\s?|(?-i:\b{_CURRENCY_CODE}\s)|\b)(?:\d[\d,.\u202f ]*\d|\d|{_NUMBER_WORDS}(?:[- ]{_NUMBER_WORDS})*)"
    rf"(?:\s*(?:%|percent|per cent|million|billion|thousand|k€|m€|€|euros?|dollars?|eur|usd)){{0,2}}(?![\w])"
)
_CURRENCY = re.compile(rf"(?i)€|\$|£|\beuros?\b|\bdollars?\b|(?-i:\b{_CURRENCY_CODE}\b)|\beur\b|\busd\b|%|\bpercent\b|\bper cent\b")
_CAPITALISED = re.compile(
    r"\b(?:[A-Z][\w\-]*|[a-z]+[A-Z][\w\-]*)(?:\s+(?:(?:of|for|de|du|des|and|the|la|le)\s+)*(?:[A-Z][\w\-]*|[a-z]+[A-Z][\w\-]*))*"
    r"(?:\s+\([A-Z][\w\- ]*\))?"
)
_CONTACT = re.compile(
    r"(\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b)"  # e-mail
    r"|((?:\+|\b)\d[\d\s().\-]{6,}\d\b)"  # phone: at least 9 digits (not a "2016-2020"), checked by the caller
    r"|(\b(?:https?://|www\.)[^\s<>()\"']+[\w/])"  # web address
)
_PLACE_PREPOSITIONS = r"(?:in|at|from|near|within|throughout|across|along|inside|outside|around|toward|towards|based in|located in)"
_PLACE_NAMED = re.compile(
    rf"\b{_PLACE_PREPOSITIONS}\s+(?:the\s+)?((?:[A-Z][\w\-]*)(?:\s+(?:(?:of|de|del|la|the)\s+)?[A-Z][\w\-]*)*)"
)
_PLACE_PHRASE = re.compile(
    rf"\b{_PLACE_PREPOSITIONS}\s+((?:the|a|an|its|their|his|her)\s+(?:[\w\-]+\s+){{0,5}}?[\w\-]+)(?=[,.;]|$)"
)
_COPULA = re.compile(r"\b(?:is|are|was|were|means|refers to|stands for|consists of)\b")
_AMOUNT_OR_SET_PHRASE = (
    r"(?:(?:about|around|nearly|almost|roughly|approximately|over|up\s+to|(?:more|less|fewer)\s+than|at\s+least|some|as\s+much\s+as)\s+)?"
    rf"(?:an?\s+)?(?:\d|(?:{number_words.COUNT_WORD}|half|third|quarter|factor|far|contrast|comparison|then|now)\b)"
)
"""'by about 40%', 'by more than half', 'by a third', 'by far', 'by contrast', 'by then': how much, or a set phrase,
not a way."""
_MEANS = re.compile(
    r"\b(?i:by|through|via)\s+(?:means\s+of\s+)?(?!(?:(?:an?|the|its|their)\s+)?(?:end|time|year|beginning|start|middle|way)\b)"
    rf"(?!{_AMOUNT_OR_SET_PHRASE})"
    r"(?:(?:an?|the|its|their)\s+|(?!(?:an?|the|its|their)\s))(?=[a-z])[\w\-]+[^,.;]*"
)
"""A way of doing something, up to the clause's end: "by an enhanced coordination…", "through joint calls" (not an
agent, "by ICPerMed", nor a time, "by the end of 2017", nor an amount, "by about 40%")."""
_REASON = re.compile(r"(?i)\b(?:because(?: of)?|due to|owing to|as a result of|so that|in order to|thanks to)\b")


def _is_year(text: str) -> bool:
    return re.fullmatch(rf"\s*{_YEAR}\s*", text) is not None


def _entities(sentence: str, names: frozenset[str]) -> list[Span]:
    spans = []
    for match in _CAPITALISED.finditer(sentence):
        text = match.group()
        words = text.split()
        at_start = not sentence[: match.start()].strip()
        # A capitalised word opening the sentence is a name only when the collection writes it as one elsewhere.
        ordinary_first = at_start and not re.search(r"[A-Z].*[A-Z]", words[0]) and words[0].lower() not in names
        if ordinary_first and len(words) == 1:
            continue
        # A lone nationality adjective ("European members") describes; it does not name.
        if len(words) == 1 and re.search(r"(?:ean|ian|ese|ish)$", text):
            continue
        if ordinary_first:
            first = sentence.find(words[1], match.start())
            spans.append((first, match.end()))
            continue
        spans.append((match.start(), match.end()))
    return spans


def find_spans(sentence: str, kind: str, *, names: frozenset[str] = frozenset()) -> list[Span]:
    """Spans of `sentence` that have the shape of a `kind` answer (empty for untyped kinds). `names`: lower-cased
    words the collection writes as names (followup.name_vocabulary); for *who*, one opening the sentence is a name."""
    return list(_spans(sentence, kind, names if kind == WHO else frozenset()))


@functools.lru_cache(maxsize=16384)  # the same retrieved sentences come back question after question
def _spans(sentence: str, kind: str, names: frozenset[str]) -> tuple[Span, ...]:
    return tuple(_find_spans(sentence, kind, names))


_RANGE_JOIN = re.compile(r"\s*(?:[-–—]|to)\s*")
_BETWEEN = re.compile(r"(?i)\bbetween\s+$")


def _number_ranges(sentence: str, spans: list[Span]) -> list[Span]:
    """Two numbers joined as a range become one span: "12 to 15 million", "200–300", "between 150,000 and 200,000"."""
    out: list[Span] = []
    for span in spans:
        if out:
            start, end = out[-1]
            gap = sentence[end : span[0]]
            opened = _BETWEEN.search(sentence[max(0, start - 8) : start])
            if _RANGE_JOIN.fullmatch(gap) or (opened and re.fullmatch(r"\s+and\s+", gap)):
                out[-1] = (start - (len(opened.group()) if opened else 0), span[1])
                continue
        out.append(span)
    return out


def _find_spans(sentence: str, kind: str, names: frozenset[str]) -> list[Span]:
    if kind == WHEN:
        found = [m.span() for pattern in (_DATE, _TIME, _DURATION) for m in pattern.finditer(sentence)]
        return sorted(s for s in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in found))
    if kind in (HOW_MANY, HOW_MUCH):
        spans = [m.span() for m in _NUMBER.finditer(sentence) if not _is_year(m.group()) and m.group().strip()]
        dates = [m.span() for m in _DATE.finditer(sentence)]
        spans = _number_ranges(sentence, [s for s in spans if not any(d[0] <= s[0] and s[1] <= d[1] for d in dates)])
        # A measure reads better with its unit: "2.4 metres", not "2.4".
        spans = [
            (s[0], s[1] + unit.end()) if (unit := re.match(rf"\s+{_UNITS}\b", sentence[s[1] :])) else s for s in spans
        ]
        if kind == HOW_MUCH:
            return [s for s in spans if _CURRENCY.search(sentence[s[0] : s[1]])]
        return spans
    if kind == WHO:
        return _entities(sentence, names)
    if kind == WHERE:
        named = [(m.start(1), m.end(1)) for m in _PLACE_NAMED.finditer(sentence)]
        if named:
            return named
        # No named place: a short "in/at/along the ..." phrase ("in the old town hall", "along the coast").
        return [m.span(1) for m in _PLACE_PHRASE.finditer(sentence)]
    if kind == WHY:
        match = _REASON.search(sentence)
        if match:
            end = re.search(r"[,.;]|$", sentence[match.end() :])
            return [(match.start(), match.end() + (end.start() if end else 0))]
        return []
    if kind == MEANS:
        return [m.span() for m in _MEANS.finditer(sentence)]  # up to the clause's end
    if kind == DEFINITION:
        return _definition(sentence)
    if kind in CONTACT:
        group = CONTACT.index(kind) + 1
        return [
            m.span() for m in _CONTACT.finditer(sentence) if m.group(group) and (kind != PHONE or len(re.sub(r"\D", "", m.group())) >= 9)
        ]
    return []


def _definition(sentence: str) -> list[Span]:
    spans = []
    # "Long Form Name (ACRONYM)": the long form defines the acronym.
    for match in re.finditer(r"((?:[A-Z][\w\-]*)(?:\s+(?:[a-z]{1,4}\s+)?[\w\-]+){1,8}?)\s+\(([A-Z][\w\- ]+)\)", sentence):
        spans.append(match.span(1))
    copula = _COPULA.search(sentence)
    if copula and copula.start() > 0:
        rest = sentence[copula.end() :]
        stop = re.search(r",|;|\bwhich\b|\bthat\b|\bwho\b|\.$", rest)
        end = copula.end() + (stop.start() if stop else len(rest))
        start = copula.end() + (len(rest) - len(rest.lstrip()))
        end -= len(sentence[start:end]) - len(sentence[start:end].rstrip())
        if end > start:
            spans.append((start, end))
    return spans


@functools.lru_cache(maxsize=16384)  # the same retrieved sentences come back question after question
def _stemmed_words(sentence: str, stem: Callable[[str], str]) -> tuple[tuple[int, str], ...]:
    """Where each word of `sentence` starts, and its stem."""
    return tuple((m.start(), stem(m.group())) for m in re.finditer(r"\w+", sentence))


@functools.lru_cache(maxsize=16384)
def _span_stems(text: str, stem: Callable[[str], str]) -> tuple[frozenset[str], frozenset[str]]:
    """A span's stems (words over 3 letters, numbers, capitals; bracketed parts aside: "Long Form (LF)" asked as
    "Long Form" is the subject too) and the stems of its acronyms."""
    own = re.sub(r"\([^()]*\)", " ", text)
    words = frozenset(stem(w) for w in re.findall(r"\w+", own) if len(w) > 3 or w.isdigit() or w.isupper())
    return words, frozenset(stem(w) for w in re.findall(r"\b\w*[A-Z]\w*[A-Z]\w*\b", text))


def best_span(
    sentence: str, spans: list[Span], question_stems: set[str] | frozenset[str], *, stem: Callable[[str], str] = match_stem
) -> Span | None:
    """The candidate span nearest to the words the sentence shares with the question, skipping spans made of them.

    `question_stems` are the question's words as `stem` reduces them (default: index/text.py's
    `match_stem`, as answer selection does, so "members" can meet "member").
    """

    def is_subject(text: str) -> bool:
        # Made of the question's words, or naming what the question names by its acronym: not the answer.
        own, acronyms = _span_stems(text, stem)
        return bool(own) and own <= question_stems or bool(acronyms & question_stems)

    usable = [s for s in spans if not is_subject(sentence[s[0] : s[1]])]
    if not usable:
        return None
    anchors = [start for start, word in _stemmed_words(sentence, stem) if word in question_stems]
    if not anchors:
        return usable[0]

    def distance(span: Span) -> int:
        return min(min(abs(a - span[0]), abs(a - span[1])) for a in anchors)

    return min(usable, key=distance)
