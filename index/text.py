"""Text as docqa matches it: folding, stop words (English + French), stems and tokens.

One place for every reader of words: BM25 (index terms), answer selection and
question types (overlap of stems), follow-up detection (words that name nothing),
language detection (function words) and evaluation (folded comparison).

    fold              lower-case, accents stripped ("Démarrer" → "demarrer")
    stopwords()       bm25s' English and French lists plus a few words visitors type, folded
    QUESTION_WORDS    words that ask (how many, combien...): not what a question is about
    words(), content_words()   the folded words of a text, and those that carry meaning
    match_stem()      a crude cross-language stem for answer matching ("publié" ~ "published")
    snowball()        Snowball stems (PyStemmer) for index terms
    Tokenizer         stop words + stemmer for BM25, saved with a BM25 index (bm25s-style)
    language_names()  English language names → ISO 639-1 codes ("french" → "fr"; pycountry's)

Heavy or optional pieces (bm25s' word lists, PyStemmer) load on first use, without
importing bm25s itself (numba, scipy).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

LANGUAGES = ("en", "fr")
"""The languages whose stop words docqa knows."""

WORD = re.compile(r"\w+", re.UNICODE)

BE_FORMS = frozenset("am is are was were be been being".split())
"""The forms of English "to be", lower case."""

YEAR_DIGITS = re.compile(r"1\d{3}|20\d\d")
"""A year as digits, 1000-2099 (matched whole with `fullmatch`: "1564" is a year, "4,000" is not)."""

PHRASE_DETERMINERS = frozenset("the a an its their his her this that whose".split())
"""Words that open a noun phrase naming one thing: articles, possessives, this/that, whose."""

# A few words bm25s' lists miss but visitors type all the time (elided French letters included).
_EXTRA_STOPWORDS = {
    "en": "tell please could would also us may might one two".split(),
    "fr": "c d j l m n qu s t y".split(),
}

QUESTION_WORDS: Mapping[str, frozenset[str]] = {
    "en": frozenset("many much whose whats".split()),
    "fr": frozenset("combien comment pourquoi quand quel quelle quels quelles quoi ou cette elles doit".split()),
}
"""Folded words that ask for something rather than say what it is about (beyond the stop words)."""


@functools.cache
def language_names() -> dict[str, str]:
    """Every language that has an ISO 639-1 code, by its English name in lower case ("french" → "fr"; pycountry's
    name up to a ";" or " (": "Spanish; Castilian" → "spanish", "Modern Greek (1453-)" → "modern greek")."""
    import pycountry

    names: dict[str, str] = {}
    for found in pycountry.languages:
        if code := getattr(found, "alpha_2", None):
            names.setdefault(found.name.split(";")[0].split(" (")[0].lower(), code)
    return names


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents (é → e, ç → c), so French matches with or without them."""
    if text.isascii():
        return text.lower()  # nothing to strip: the common case, and much faster
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=8)
def stopwords(languages: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """The stop words of `languages` ("en", "fr"): bm25s' lists plus docqa's few extras, accent-folded."""
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise ValueError(f"No stop words for {unknown}; known: {', '.join(LANGUAGES)}")
    lists = _bm25s_stopwords()
    source = {"en": lists.STOPWORDS_EN_PLUS, "fr": lists.STOPWORDS_FRENCH}
    return frozenset(fold(w) for lang in languages for w in (*source[lang], *_EXTRA_STOPWORDS[lang]))


@functools.lru_cache(maxsize=8)
def question_words(languages: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """Stop words and question words of `languages`: what a question says besides its topic."""
    return stopwords(languages).union(*(QUESTION_WORDS[lang] for lang in languages))


def _bm25s_stopwords():
    """bm25s' stopwords module alone: importing it through the package would load numba and
    scipy (~85 MB) into a server that only reads the index's arrays."""
    import importlib.util

    package = importlib.util.find_spec("bm25s")  # finds, does not import
    path = Path(package.submodule_search_locations[0]) / "stopwords.py"
    spec = importlib.util.spec_from_file_location("_docqa_bm25s_stopwords", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def words(text: str) -> list[str]:
    """The folded words of `text` in order (underscores split words)."""
    return WORD.findall(fold(text).replace("_", " "))


def content_words(text: str, *, ignore: frozenset[str] | None = None) -> set[str]:
    """The lower-cased words of `text` that carry meaning: 2+ letters, folded form not in `ignore`
    (default: `question_words()`). Accents stay, so the words can be compared with words as written."""
    skip = question_words() if ignore is None else ignore
    return {w for w in WORD.findall(text.lower()) if len(w) > 1 and fold(w) not in skip}


_IRREGULAR_FORMS = """
arise arose arisen|awake awoke awoken|bear borne|beat beaten|become became|begin began begun|bend bent|bleed bled
|blow blew blown|break broke broken|breed bred|bring brought|build built|burn burnt|buy bought|catch caught
|choose chose chosen|cling clung|come came|creep crept|deal dealt|dig dug|draw drew drawn|dream dreamt|drive drove driven
|dwell dwelt|eat ate eaten|fall fell fallen|feed fed|feel felt|fight fought|flee fled|fling flung|fly flew flown
|forbid forbade forbidden|foresee foresaw foreseen|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen
|get got gotten|give gave given|go went gone|grow grew grown|hang hung|hear heard|hide hid hidden|hold held|keep kept
|kneel knelt|know knew known|lay laid|lead led|leap leapt|learn learnt|lend lent|lose lost|make made|mean meant|meet met
|mislead misled|mistake mistook|oversee oversaw overseen|overcome overcame|overtake overtook overtaken|pay paid
|rebuild rebuilt|rewrite rewrote rewritten|ride rode ridden|ring rang rung|rise risen|run ran|say said|see saw seen
|seek sought|sell sold|send sent|shake shook shaken|shine shone|shrink shrank shrunk|sing sang sung|sink sank sunk|sit sat
|sleep slept|slide slid|speak spoke spoken|speed sped|spend spent|spin spun|stand stood|steal stole stolen|stick stuck
|sting stung|strike struck stricken|strive strove striven|swear swore sworn|sweep swept|swim swam swum|swing swung
|take took taken|teach taught|tell told|think thought|throw threw thrown|understand understood|undertake undertook undertaken
|uphold upheld|wake woke woken|wear wore worn|weep wept|win won|withdraw withdrew withdrawn|write wrote written
"""
"""English irregular verbs, base form first, then its past forms (general English, no corpus's words). A past form that
is also a common other word is left out ("found", "left", "rose", "lay", "bound", "wound", "ground", "read")."""
_IRREGULAR = {form: forms.split()[0] for forms in _IRREGULAR_FORMS.split("|") for form in forms.split()[1:]}
_PAST_FORMS = {forms.split()[0]: tuple(forms.split()[1:]) for forms in _IRREGULAR_FORMS.split("|") if forms.split()}


def irregular_past(verb: str) -> tuple[str, ...]:
    """An English irregular verb's past forms as _IRREGULAR_FORMS lists them ("give": gave, given); () for another word."""
    return _PAST_FORMS.get(verb, ())


def past_form(word: str) -> bool:
    """Whether folded `word` may be an English verb's past form or participle: "-ed", or an irregular one
    ("taken", "fought"). A guess from the spelling: "red" and "bed" pass too."""
    return word.endswith("ed") or word in _IRREGULAR


@functools.lru_cache(maxsize=65536)  # pure and called for every word of every candidate sentence
def match_stem(word: str) -> str:
    """A crude cross-language stem: folded, inflection dropped, cut to 5 letters ("publié" ~ "published"); an English
    irregular verb's past forms stem as its base ("fed" ~ "feed", "began" ~ "beginning").

    For matching a question's words with a sentence's across English and French;
    index terms use `snowball` instead.
    """
    folded = fold(word)
    # a past form that is a noun too ("thoughts", "spokes", French "rangs"): its plural stems as its singular
    folded = _IRREGULAR.get(folded) or (folded.endswith("s") and _IRREGULAR.get(folded[:-1])) or folded
    if len(folded) > 4:
        folded = re.sub(r"ies$", "y", folded)
        folded = re.sub(r"(?<=[a-z]{3})(?:ing|ed|s)$", "", folded)
    return folded[:5]


@functools.lru_cache(maxsize=8)
def _snowball(algorithm: str):
    import Stemmer

    return Stemmer.Stemmer(algorithm)


def snowball(tokens: list[str], *, algorithm: str = "english") -> list[str]:
    """Snowball stems of `tokens` (PyStemmer's `algorithm`; "none" keeps them as they are)."""
    if algorithm == "none" or not tokens:
        return tokens
    return _snowball(algorithm).stemWords(tokens)


@dataclass(frozen=True)
class Tokenizer:
    """How BM25 turns text into index terms: folded words, stop words dropped, Snowball stems.

    Saved beside a BM25 index (`to_json`), so its queries are always read the way its
    chunks were, whatever later versions of docqa or bm25s change in the lists.
    """

    stemmer: str = "english"
    """A PyStemmer (Snowball) algorithm name, or "none"."""
    stopwords: frozenset[str] = field(default_factory=stopwords)
    """Folded words that are never index terms."""

    def tokenize(self, text: str) -> list[str]:
        """Index terms of `text`, in order."""
        stop = self.stopwords
        return snowball([w for w in words(text) if w not in stop], algorithm=self.stemmer)

    def to_json(self) -> dict:
        """A JSON-ready description (read back by `from_json`)."""
        return {"stemmer": self.stemmer, "stopwords": sorted(self.stopwords)}

    @classmethod
    def from_json(cls, data: Mapping, *, stemmer: str = "english") -> "Tokenizer":
        """A tokenizer from `to_json` output; missing keys get today's defaults (`stemmer` as given)."""
        stop = data.get("stopwords")
        return cls(stemmer=str(data.get("stemmer", stemmer)), stopwords=stopwords() if stop is None else frozenset(map(str, stop)))


def tokenize(text: str, *, stemmer: str = "english") -> list[str]:
    """Index terms of `text` with the default stop words (see `Tokenizer`)."""
    return _default_tokenizer(stemmer).tokenize(text)


@functools.lru_cache(maxsize=8)
def _default_tokenizer(stemmer: str) -> Tokenizer:
    return Tokenizer(stemmer=stemmer)

