"""Part-of-speech tags and phrase chunks of already tokenized text (the short-answer scorer's syntax).

    tag(words) -> tuple[Tagged, ...]    each word's Penn Treebank tag and chunk tag ("B-NP", "I-VP", "O"...)

The tagger is Pattern's Brill tagger as TextBlob ships it: a lexicon of ~94,000 English words, morphological rules for
the words it lacks, named-entity rules, then Brill's ~290 contextual rules (TextBlob's own Parser leaves out all but the
lexicon), then rule-based NP/VP/PP chunking. No model download, no neural network; ~0.4 ms for a 30-word sentence: the
contextual rules and the chunker are re-implemented here (same rules, same results, checked against TextBlob's) to
look up rules by tag and count tokens once.
Only `textblob/_text.py` (standard library only) and TextBlob's English data files are read: importing the
`textblob` package itself would import NLTK (and SciPy where installed): 0.4 s and ~30 MB more, 2 s and ~200 MB
with SciPy, for nothing used here.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from types import MethodType, ModuleType
from typing import Any, Callable, Sequence

__all__ = ["Tagged", "is_english", "load", "tag", "textblob_folder"]


@dataclass(frozen=True)
class Tagged:
    """One word's tags."""

    pos: str
    """Penn Treebank part of speech ("NN", "VBD", "JJ"...)."""
    chunk: str
    """Its phrase chunk in IOB form ("B-NP", "I-NP", "B-VP", "B-PP", "O"...)."""


def textblob_folder() -> Path:
    """The installed `textblob` package's folder, found without importing it (its __init__ imports NLTK)."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("docqa needs TextBlob's tagger: pip install textblob")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.lru_cache(maxsize=1)
def _tagger() -> tuple[Callable[[list[str]], list[list[str]]], Any, "_ContextRules", list[tuple[str, re.Pattern[str]]]]:
    """(TextBlob's English tagger before its contextual rules, its lexicon, those rules, its English chunk rules),
    loaded once."""
    folder = textblob_folder()
    module_spec = importlib.util.spec_from_file_location("docqa._textblob_text", folder / "_text.py")
    assert module_spec is not None and module_spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    data = folder / "en"
    lexicon = module.Lexicon(
        path=str(data / "en-lexicon.txt"),
        morphology=str(data / "en-morphology.txt"),
        context=str(data / "en-context.txt"),
        entities=str(data / "en-entities.txt"),
        language="en",
    )
    for part in (lexicon, lexicon.morphology, lexicon.context, lexicon.entities):
        part.load()  # now, once: they would load at first use, in whichever thread came first
        if isinstance(part, dict):  # what TextBlob's lazy dict does at its first use: its `get` becomes dict's own
            part.get = MethodType(dict.get, part)
    tag_words = functools.partial(
        module.find_tags, lexicon=lexicon, morphology=lexicon.morphology, context=None,
        entities=lexicon.entities, default=("NN", "NNP", "CD"), language="en",
    )
    return tag_words, lexicon, _ContextRules(list(lexicon.context)), module.CHUNKS[0]


# Brill's contextual rules: (command, x, y) -> does the rule fire at position i of the padded tokens t?
_FIRES: dict[str, Callable[[list, int, str, str], bool]] = {
    "prevtag": lambda t, i, x, y: x == t[i - 1][1],
    "nexttag": lambda t, i, x, y: x == t[i + 1][1],
    "prev2tag": lambda t, i, x, y: x == t[i - 2][1],
    "next2tag": lambda t, i, x, y: x == t[i + 2][1],
    "prev1or2tag": lambda t, i, x, y: x in (t[i - 1][1], t[i - 2][1]),
    "next1or2tag": lambda t, i, x, y: x in (t[i + 1][1], t[i + 2][1]),
    "prev1or2or3tag": lambda t, i, x, y: x in (t[i - 1][1], t[i - 2][1], t[i - 3][1]),
    "next1or2or3tag": lambda t, i, x, y: x in (t[i + 1][1], t[i + 2][1], t[i + 3][1]),
    "surroundtag": lambda t, i, x, y: x == t[i - 1][1] and y == t[i + 1][1],
    "curwd": lambda t, i, x, y: x == t[i][0],
    "prevwd": lambda t, i, x, y: x == t[i - 1][0],
    "nextwd": lambda t, i, x, y: x == t[i + 1][0],
    "prev1or2wd": lambda t, i, x, y: x in (t[i - 1][0], t[i - 2][0]),
    "next1or2wd": lambda t, i, x, y: x in (t[i + 1][0], t[i + 2][0]),
    "prevwdtag": lambda t, i, x, y: x == t[i - 1][0] and y == t[i - 1][1],
    "nextwdtag": lambda t, i, x, y: x == t[i + 1][0] and y == t[i + 1][1],
    "wdprevtag": lambda t, i, x, y: x == t[i - 1][1] and y == t[i][0],
    "wdnexttag": lambda t, i, x, y: x == t[i][0] and y == t[i + 1][1],
    "wdand2aft": lambda t, i, x, y: x == t[i][0] and y == t[i + 2][0],
    "wdand2tagbfr": lambda t, i, x, y: x == t[i - 2][1] and y == t[i][0],
    "wdand2tagaft": lambda t, i, x, y: x == t[i][0] and y == t[i + 2][1],
    "lbigram": lambda t, i, x, y: x == t[i - 1][0] and y == t[i][0],
    "rbigram": lambda t, i, x, y: x == t[i][0] and y == t[i + 1][0],
    "prevbigram": lambda t, i, x, y: x == t[i - 2][1] and y == t[i - 1][1],
    "nextbigram": lambda t, i, x, y: x == t[i + 1][1] and y == t[i + 2][1],
}


class _ContextRules:
    """TextBlob's `Context.apply` (Brill's contextual rules, same order, same result) with each word's rules looked
    up by its tag: it tries all ~290 rules on every word, 1.4 ms a sentence, most of the cost of tagging one."""

    def __init__(self, rules: Sequence[Sequence[str]]) -> None:
        parsed = [(r[0], r[1], _FIRES.get(r[2].lower()), r[3], r[4] if len(r) > 4 else "") for r in rules]
        parsed = [r for r in parsed if r[2] is not None]  # an unknown command never fires there either
        tags = {r[0] for r in parsed} - {"*"}
        self._by_tag = {tag: [r for r in parsed if r[0] in (tag, "*")] for tag in tags}
        self._any = [r for r in parsed if r[0] == "*"]

    def apply(self, tagged: list[list[str]]) -> list[list[str]]:
        """Each [word, tag] re-tagged by the rules whose context holds; the last that holds wins, as in TextBlob
        (which reads a word's tag as it was before its own rules, its left neighbours' as already re-tagged)."""
        edge = [["STAART", "STAART"]] * 3
        t = edge + [list(w) for w in tagged] + edge
        for i in range(3, len(t) - 3):
            for _, to, fires, x, y in self._by_tag.get(t[i][1], self._any):
                if fires(t, i, x, y):
                    t[i] = [t[i][0], to]
        return t[3:-3]


def _chunk(tags: Sequence[str], rules: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    """TextBlob's `find_chunks` over part-of-speech tags (same rules, same marks), in linear time: it counts the
    tokens before each match afresh, which made it most of the cost of tagging a sentence."""
    line = "".join(f"{t}/" for t in tags)
    token_at = [0] * (len(line) + 1)
    k = 0
    for i, ch in enumerate(line):
        token_at[i] = k
        k += ch == "/"
    chunks: list[str | None] = [None] * len(tags)
    for label, rule in rules:
        for m in rule.finditer(line):
            j = token_at[m.start()]
            for k in range(j, j + m.group(0).count("/")):
                if chunks[k] is not None:
                    continue
                if k == j and tags[k] in ("CC", "CJ"):
                    j += 1  # a conjunction does not start a chunk
                else:
                    chunks[k] = ("B-" if k == j else "I-") + label
    out = [c or "O" for c in chunks]
    for i, t in enumerate(tags[:-1]):
        if t.startswith("RB") and out[i] == "B-NP" and not tags[i + 1].startswith("JJ"):
            out[i], out[i + 1] = "B-ADVP", "B-NP"  # "perhaps" (ADVP) + "you" (NP), as TextBlob corrects it
    return out


def _is_unknown_name(word: str) -> bool:
    """A word the lexicon does not know with a capital after its first letter ("ICPerMed", "PerMed", "eBay"): a
    name, though its ending may look like a verb's ("-ed") to the tagger's rules for unknown words."""
    return any(c.isupper() for c in word[1:]) and not is_english(word)


@functools.lru_cache(maxsize=4096)
def _tag(words: tuple[str, ...]) -> tuple[Tagged, ...]:
    tag_words, _, context, rules = _tagger()
    tags = [t[1] for t in context.apply(tag_words(list(words)))]
    tags = ["NNP" if _is_unknown_name(w) else t for w, t in zip(words, tags)]
    return tuple(Tagged(pos, chunk) for pos, chunk in zip(tags, _chunk(tags, rules)))


def load() -> None:
    """Load the tagger now (its lexicon and rules: ~0.2 s) rather than at the first sentence tagged."""
    _tagger()


def is_english(word: str) -> bool:
    """Whether the tagger's lexicon (~94,000 English words and forms, names among them) holds `word` as written
    or in lower case."""
    lexicon = _tagger()[1]
    # dict's own lookup: `in` on TextBlob's lazy dict goes through a Python method each time (~20 lookups a typo)
    return _HOLDS(lexicon, word) or _HOLDS(lexicon, word.lower())


_HOLDS = dict.__contains__


def tag(words: Sequence[str]) -> tuple[Tagged, ...]:
    """Each word's part of speech and phrase chunk, in order (the words as the caller split them)."""
    return _tag(tuple(words)) if words else ()
