"""Part-of-speech tags and phrase chunks of already tokenized text (the short-answer scorer's syntax).

    tag(words) -> tuple[Tagged, ...]    each word's Penn Treebank tag and chunk tag ("B-NP", "I-VP", "O"...)

The tagger is Pattern's Brill tagger as TextBlob ships it (a lexicon of ~100,000 English words, morphological and
contextual rules, then rule-based NP/VP/PP chunking): no model download, no neural network, ~0.1 ms a sentence.
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
from types import ModuleType
from typing import Any, Sequence

__all__ = ["Tagged", "tag"]


@dataclass(frozen=True)
class Tagged:
    """One word's tags."""

    pos: str
    """Penn Treebank part of speech ("NN", "VBD", "JJ"...)."""
    chunk: str
    """Its phrase chunk in IOB form ("B-NP", "I-NP", "B-VP", "B-PP", "O"...)."""


@functools.lru_cache(maxsize=1)
def _tagger() -> tuple[Any, list[tuple[str, re.Pattern[str]]]]:
    """(TextBlob's English tagger, its English chunk rules), loaded once."""
    spec = importlib.util.find_spec("textblob")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("docqa needs TextBlob's tagger: pip install textblob")
    folder = Path(next(iter(spec.submodule_search_locations)))
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
    parser = module.Parser(lexicon=lexicon, default=("NN", "NNP", "CD"), language="en")
    parser.find_tags(["warm", "up"])  # the lexicon and rules load on first use
    return parser, module.CHUNKS[0]


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


def _is_unknown_name(word: str, lexicon: Any) -> bool:
    """A word the lexicon does not know with a capital after its first letter ("ICPerMed", "PerMed", "eBay"): a
    name, though its ending may look like a verb's ("-ed") to the tagger's rules for unknown words."""
    return any(c.isupper() for c in word[1:]) and word not in lexicon and word.lower() not in lexicon


@functools.lru_cache(maxsize=4096)
def _tag(words: tuple[str, ...]) -> tuple[Tagged, ...]:
    parser, rules = _tagger()
    tags = [t[1] for t in parser.find_tags(list(words))]
    tags = ["NNP" if _is_unknown_name(w, parser.lexicon) else t for w, t in zip(words, tags)]
    return tuple(Tagged(pos, chunk) for pos, chunk in zip(tags, _chunk(tags, rules)))


def tag(words: Sequence[str]) -> tuple[Tagged, ...]:
    """Each word's part of speech and phrase chunk, in order (the words as the caller split them)."""
    return _tag(tuple(words)) if words else ()
