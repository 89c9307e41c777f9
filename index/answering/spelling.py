"""Typos in a question: a word that neither the documents nor English know, one keystroke away from a
word of the documents, is read as that word ("memebers" → "members", "permd" → "permed"). A French
question's English gloss is read the same way, which also mends cognates the gloss's spelling rules
miss by a letter ("médecine" → "medecine" → "medicine").

One typo in a content word halved the right answers on the bundled page's questions: it costs that
word's BM25 match, its share in every answer feature and some of the question's embedding.

Only words that cannot be meant as written are corrected. A word of the documents, an English word
(TextBlob's lexicon, answering/tagging.py, or its spelling list) or the plural of one ("dorms" is not read as
"forms"), a stop word, a word under four letters, a word with digits, an English question's word with
accents, a web or e-mail address and a name (a capital anywhere but at the question's start) stay:
"Germany" is never read as "German", nor "Carpathia" as "Carpathian", and a question about something the
documents do not name still reads as one. The word meant is, among the strings one edit away, the one whose
index term the documents hold (the most common English word first, then the term the most chunks hold), in
the form they write, else an English word: "medicin" (German "medizin" a letter away, the term of
"medicine") is neither. The word stays when a stop word is as near ("agains"), or an English word the
documents lack is as near and commoner than theirs ("fpunded": "founded", not "funded"; their own terms,
"permed", are not English).
A typo of a word the documents lack costs no match but the question's shape and embedding ("what does SRIA
sttand for?" is no longer an acronym question): from five letters on it is read as the English word one typing
slip away (`slips`: a swap, a letter dropped or added inside the word, or hit beside it on the keyboard's row)
when only one is, or only one the spelling list counts ("bgein" → "begin", "acrpnym" → "acronym"). Slips, not
edits: the English word nearest to a name typed in lower case is often an edit away ("inserm", "insert"; "lyon",
"lion"), seldom a slip; "curie" ("cure") is one.

A French question's own words are read first against the gloss's French vocabulary (answering/language.py):
a word it lacks, that no document holds as it is, with exactly one vocabulary word one edit away, is read as
that word ("cobien" → "combien", "comencer" → "commencer"); the gloss then translates it. Both languages
share the per-word loop (`_corrected`): what is never looked up, the caps, the leading capital kept.

    Speller(terms=, frequency=, written=)             one collection's `correct` and `correct_french`, each word's reading kept
    correct(question, terms=, frequency=, written=)   the question (English, or a gloss) with its typos corrected
    correct_french(question, terms=, frequency=)      a French question's typos of general French words corrected
    edits(word)                                       every string one edit away (Norvig's edits1)
    slips(word)                                       the strings one typing slip away (a subset of edits)
    held(word, terms, frequency)                      whether the documents hold the word's index term
    english_rates(stemmer)                            index term → its rate per word of general English
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from docqa.index import text
from docqa.index.answering import language, tagging

__all__ = ["Speller", "correct", "correct_french", "edits", "english_form", "english_rates", "held", "slips"]

_WORD = re.compile(r"(?<!\S)\S*(?:@|://|www\.)\S*|[^\W_]+")
"""A word (letters and digits), or a whole web or e-mail address, which is never a typo to correct."""
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_PLURALS = (("s", ""), ("es", ""), ("ies", "y"))
"""(ending, what replaces it in the singular)."""
SHORTEST = 4
"""Shorter words have too many neighbours one edit away to guess which was meant."""
SHORTEST_FOR_ENGLISH = 5
"""A word the documents lack is read as an English word from this length on: "pemd" is one slip from "peed"."""
LONGEST = 24
"""Longer "words" are not looked up: no word is meant, and one has ~54 neighbours per letter to weigh."""
MOST_LOOKED_UP = 5
"""Words looked up per question at most (~0.4 ms each): 110 words of gibberish took 120 ms, a 990-letter one 0.8 s."""


def edits(word: str) -> set[str]:
    """The strings one deletion, swap of neighbours, replacement or insertion (a-z) away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
    ) - {word}


_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def slips(word: str) -> set[str]:
    """The strings one slip of a typist away from `word`, the first letter never touched nor the last replaced:
    two neighbouring letters swapped, one dropped or one added inside the word, or one replaced by its neighbour
    on the same keyboard row ("bgein" from "begin", "stsnd" from "stand"). A narrower set than `edits`: a name the
    visitor typed in lower case is seldom one slip from an English word ("inserm" is an edit from "insert",
    no slip)."""
    out: set[str] = set()
    for i in range(1, len(word)):
        if i < len(word) - 1:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # a swap
            out.add(word[:i] + word[i + 1 :])  # a letter dropped
            for row in _KEYBOARD_ROWS:
                at = row.find(word[i])
                out.update(word[:i] + row[j] + word[i + 1 :] for j in (at - 1, at + 1) if at >= 0 and 0 <= j < len(row))
        out.update(word[:i] + c + word[i:] for c in _LETTERS)  # a letter added
    return out - {word}


@functools.lru_cache(maxsize=1)
def _english_counts() -> dict[str, int]:
    """TextBlob's English spelling list: word → its count in Norvig's big.txt (~29,000 words, some of which the
    tagger's lexicon lacks)."""
    path = tagging.textblob_folder() / "en" / "en-spelling.txt"
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(" ")
        if count.isdigit() and not line.startswith(";"):
            counts[word] = int(count)
    return counts


@functools.lru_cache(maxsize=4)
def english_rates(stemmer: str) -> dict[str, float]:
    """How often each index term (`stemmer`'s stem of a word of the spelling list) occurs per word of general
    English text (Norvig's big.txt counts: "the" 0.07, "research" 0.00004); terms it lacks occur at rate 0."""
    counts = _english_counts()
    total = sum(counts.values())
    words = sorted(counts)
    rates: dict[str, float] = {}
    for word, stem in zip(words, text.snowball(words, algorithm=stemmer)):
        rates[stem] = rates.get(stem, 0.0) + counts[word] / total
    return rates


def _english(word: str) -> bool:
    """Whether the English lists hold `word` as written or in lower case."""
    return tagging.is_english(word) or word.lower() in _english_counts()


def english_form(word: str, *, english: Callable[[str], bool] = _english) -> bool:
    """Whether `word` is an `english` word (default: of either list) or the plural of one of SHORTEST letters or
    more: the lists lack many ("dorms", "emails"), and hold short oddities ("staes" is no plural of "sta"). Not any
    word with an English stem: "incluse" (a gloss's word for "include") shares "inclusive"'s."""
    lower = word.lower()
    singulars = (lower[: -len(end)] + base for end, base in _PLURALS if lower.endswith(end))
    return english(word) or any(len(singular) >= SHORTEST and english(singular) for singular in singulars)


def load() -> None:
    """Read the English spelling list now (~0.05 s) rather than at the first unknown word."""
    _english_counts()


class Speller:
    """One collection's typo reader: `correct` and `correct_french` as below, each word's reading (whether it is
    looked up, the word meant) kept, since visitors' words come back question after question (a lookup is
    ~0.3 ms). Arguments as for `correct`."""

    def __init__(
        self, *, terms: text.Tokenizer, frequency: Callable[[str], int], written: Callable[[str, str], bool], cache_size: int = 8192
    ) -> None:
        def unknown(word: str) -> bool:
            lower = word.lower()
            return word.isascii() and lower not in terms.stopwords and not english_form(word) and not held(lower, terms, frequency)

        def unknown_french(word: str) -> bool:
            folded = text.fold(word).lower()
            return (
                folded.isascii()
                and not language.is_french_word(folded)
                and not held(folded, terms, frequency)
                and not tagging.is_english(folded)
            )

        def meant_french(word: str) -> str | None:
            found = [c for c in edits(text.fold(word).lower()) if language.is_french_word(c)]
            return found[0] if len(found) == 1 else None

        cached = functools.lru_cache(maxsize=cache_size)
        self._unknown, self._unknown_french = cached(unknown), cached(unknown_french)
        self._meant = cached(lambda lower: _meant(lower, terms=terms, frequency=frequency, written=written))
        self._meant_french = cached(meant_french)

    def correct(self, question: str) -> str:
        """`question` (English, or a French question's gloss) with its typos corrected (see `correct`)."""
        return _corrected(question, unknown=self._unknown, meant=lambda word: self._meant(word.lower()))

    def correct_french(self, question: str) -> str:
        """A French `question` with its typos of general French words corrected (see `correct_french`)."""
        return _corrected(question, unknown=self._unknown_french, meant=self._meant_french)


def correct(
    question: str, *, terms: text.Tokenizer, frequency: Callable[[str], int], written: Callable[[str, str], bool]
) -> str:
    """`question` (English, or a French question's gloss) with each typo replaced by the word of the documents
    it most likely stands for.

    `terms`: the collection's BM25 tokenizer; `frequency(term)`: how many chunks hold an index term (0: none);
    `written(word, term)`: whether the documents write `word` itself (where they hold its `term`). A typo's
    replacement keeps a leading capital; a word with no document word one edit away stays as it is.
    """
    return Speller(terms=terms, frequency=frequency, written=written, cache_size=0).correct(question)


def correct_french(question: str, *, terms: text.Tokenizer, frequency: Callable[[str], int]) -> str:
    """A French `question` with each typo of a general French word replaced by that word (folded: the gloss
    reads words without accents). Names, words under four letters, words of the gloss's vocabulary, of the
    documents or of English (which the gloss keeps: "page", "article"), and words with none or several vocabulary
    words one edit away stay as written."""
    return Speller(terms=terms, frequency=frequency, written=lambda word, term: False, cache_size=0).correct_french(question)


def _corrected(question: str, *, unknown: Callable[[str], bool], meant: Callable[[str], str | None]) -> str:
    """`question` with each `unknown` word replaced by the word it is `meant` as, where there is one. Addresses,
    words with digits, names and words under SHORTEST or over LONGEST letters are not looked up, nor any word
    after the first MOST_LOOKED_UP unknown ones."""
    out, last, looked_up = [], 0, 0
    for match in _WORD.finditer(question):
        word = match.group()
        if not (SHORTEST <= len(word) <= LONGEST and word.isalpha()) or _name(word, question[: match.start()]) or not unknown(word):
            continue
        looked_up += 1
        if looked_up > MOST_LOOKED_UP:
            break
        replacement = meant(word)
        if replacement is not None:
            out.append(question[last : match.start()] + (replacement.capitalize() if word[0].isupper() else replacement))
            last = match.end()
    return "".join(out) + question[last:] if out else question


def _name(word: str, before: str) -> bool:
    """Whether `word`, after `before` in its question, is written as a name: a capital inside it, or at its start
    anywhere but at the question's start."""
    return any(c.isupper() for c in word[1:]) or (word[0].isupper() and bool(before.strip(" \t\"'¿¡(«")))


def held(word: str, terms: text.Tokenizer, frequency: Callable[[str], int]) -> bool:
    """Whether the documents hold `word`'s index term."""
    return frequency(text.snowball([word], algorithm=terms.stemmer)[0]) > 0


def _meant(word: str, *, terms: text.Tokenizer, frequency: Callable[[str], int], written: Callable[[str, str], bool]) -> str | None:
    candidates = sorted(edits(word))
    if any(c in terms.stopwords for c in candidates):
        return None  # "agains", "caan": most likely a stop word, which no document word should replace
    english = _english_counts()
    held = [(english.get(c, 0), frequency(stem), c, stem) for c, stem in zip(candidates, text.snowball(candidates, algorithm=terms.stemmer))]
    in_documents = [h for h in held if h[1] > 0]
    if not in_documents:
        # A word the documents lack ("acrpnym") is read as the English word one slip away if only one is, or only
        # one the spelling list counts ("bgein": begin, not the lexicon's "bein"), and it is a word of five letters
        # or more; "pubish" (punish or publish?), "enail" (nail or email?) and "pemd" stay as typed.
        # A word the lexicon knows only as a name ("Nicholas", "Miller") is none: "nicolas" is a name as typed.
        english_words = sorted(c for c in slips(word) if tagging.is_english(c)) if len(word) >= SHORTEST_FOR_ENGLISH else []
        if len(english_words) > 1:
            english_words = [c for c in english_words if english.get(c, 0) > 0]
        return english_words[0] if len(english_words) == 1 else None
    # The most common English word first ("families" over "failes"), then the term the most chunks hold.
    best = max(in_documents)[:2]
    if best[0] > 0 and any(count > best[0] for count, df, _, _ in held if df == 0):
        return None  # "fpunded": "funded" is in the documents, but "founded" is the likelier English word
    tied = [(c, stem) for count, df, c, stem in in_documents if (count, df) == best]  # forms of one term: "icperm", "icpermed"
    as_written = [c for c, stem in tied if written(c, stem)]
    english = [c for c, _ in tied if _english(c)]  # else only a form the documents write: "medicin" is none
    return (as_written or english or [None])[0]
