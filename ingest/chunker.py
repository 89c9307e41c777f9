"""Text → sentences → chunks that never exceed the model's token limit.

Chunks are runs of whole sentences, measured with the embedding model's own
tokenizer, with a little sentence overlap between neighbours. A sentence too long
for any chunk is cut at word boundaries. All offsets index the document text.
"""

from __future__ import annotations

import functools
import re
import sys
import types
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

TokenCounter = Callable[[Sequence[str]], list[int]]

Span = tuple[int, int]


@dataclass(frozen=True)
class ChunkingSettings:
    """How documents are cut; recorded in the index manifest."""

    max_tokens: int = 200
    overlap_sentences: int = 1


@dataclass(frozen=True)
class ChunkSpan:
    """One chunk: its character span and the spans of its sentences (document offsets)."""

    start: int
    end: int
    sentences: tuple[Span, ...]


@functools.lru_cache(maxsize=16384)
def _compiled(pattern: str | re.Pattern[str], flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


class _PatternCache(types.ModuleType):
    """`re` as pysbd's modules see it, with a cache of 16,384 compiled patterns instead of `re`'s 512: pysbd builds
    a pattern for each abbreviation and word it checks (2,500 distinct ones in 300 KB of Wikipedia text), so in a
    large file `re`'s cache kept missing: 4.9 MB of SQuAD text split in 20.4 s instead of 32.6 s (no change on
    300 KB). Same patterns, same results."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def compile(self, pattern: Any, flags: int = 0) -> re.Pattern[str]:
        return _compiled(pattern, flags)

    def search(self, pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return _compiled(pattern, flags).search(string)

    def match(self, pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return _compiled(pattern, flags).match(string)

    def findall(self, pattern: Any, string: str, flags: int = 0) -> list[Any]:
        return _compiled(pattern, flags).findall(string)

    def finditer(self, pattern: Any, string: str, flags: int = 0) -> Iterator[re.Match[str]]:
        return _compiled(pattern, flags).finditer(string)

    def split(self, pattern: Any, string: str, maxsplit: int = 0, flags: int = 0) -> list[Any]:
        return _compiled(pattern, flags).split(string, maxsplit)

    def sub(self, pattern: Any, repl: Any, string: str, count: int = 0, flags: int = 0) -> str:
        return _compiled(pattern, flags).sub(repl, string, count)


@functools.lru_cache(maxsize=2)
def _segmenter(language: str):
    import pysbd

    cached = _PatternCache("re")
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("pysbd") and getattr(module, "re", None) is re:
            module.re = cached  # type: ignore[attr-defined]
    return pysbd.Segmenter(language=language, clean=False)


MAX_BLOCK_CHARS = 4000
"""The segmenter's time grows with the square of its input: longer lines are cut first."""


def _blocks(text: str) -> list[Span]:
    """The lines of `text`, each cut into pieces of at most MAX_BLOCK_CHARS (after a sentence end if possible)."""
    blocks: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start, end = line.span()
        while end - start > MAX_BLOCK_CHARS:
            window = text[start : start + MAX_BLOCK_CHARS]
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = cut + 1 if cut > MAX_BLOCK_CHARS // 2 else window.rfind(" ")
            cut = cut if cut > 0 else MAX_BLOCK_CHARS
            blocks.append((start, start + cut))
            start += cut
        blocks.append((start, end))
    return blocks


SplitProgress = Callable[[int], None]
"""Called as splitting goes with how many characters of the text are split so far."""


def split_sentences(text: str, *, on_progress: SplitProgress | None = None) -> list[Span]:
    """Sentence spans of `text`; line breaks always end a sentence. `on_progress`: after each line (or piece)."""
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        if on_progress is not None:
            on_progress(block_start)
        pos = block_start
        for piece in _segmenter("en").segment(text[block_start:block_end]):
            piece = piece.strip()
            if not piece:
                continue
            start = text.find(piece, pos, block_end)
            if start < 0:  # the segmenter altered the text; fall back to the whole rest of the block
                start, piece = pos, text[pos:block_end].strip()
                if not piece:
                    break
                start = text.find(piece, pos)
            spans.append((start, start + len(piece)))
            pos = start + len(piece)
    return spans


def _longest_within(text: str, start: int, ends: Sequence[int], budget: int, count: TokenCounter) -> int:
    """How many of the candidate `ends` (ascending) keep text[start:end] within `budget` tokens: binary
    search, since counting is the costly part (at least 1, so that cutting always moves forward)."""
    lo, hi = 1, len(ends)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count([text[start : ends[mid - 1]]])[0] <= budget:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _cut_long_sentence(text: str, span: Span, budget: int, count: TokenCounter) -> list[Span]:
    """Cut one over-long sentence into word-boundary pieces of at most `budget` tokens; a single word
    longer than that (a long URL, base64, a line of Chinese or Japanese) is cut between characters."""
    words = [(m.start() + span[0], m.end() + span[0]) for m in re.finditer(r"\S+", text[span[0] : span[1]])]
    pieces: list[Span] = []
    i = 0
    while i < len(words):
        j = i + _longest_within(text, words[i][0], [end for _, end in words[i:]], budget, count)
        if j == i + 1 and count([text[words[i][0] : words[i][1]]])[0] > budget:
            start, end = words[i]
            while start < end:
                cut = start + _longest_within(text, start, range(start + 1, end + 1), budget, count)
                pieces.append((start, cut))
                start = cut
        else:
            pieces.append((words[i][0], words[j - 1][1]))
        i = j
    return pieces


def chunk_text(
    text: str,
    *,
    count_tokens: TokenCounter,
    max_tokens: int,
    overlap_sentences: int = 1,
    on_progress: SplitProgress | None = None,
) -> list[ChunkSpan]:
    """Group the sentences of `text` into chunks of at most `max_tokens` tokens.

    `count_tokens` must count as the embedding model does (without special tokens); `on_progress` hears
    how far sentence splitting, the long part, has gone (characters of `text`).
    """
    if max_tokens < 8:
        raise ValueError("max_tokens must be at least 8")
    sentences: list[Span] = []
    sizes: list[int] = []
    spans = split_sentences(text, on_progress=on_progress)
    for span, n in zip(spans, count_tokens([text[s:e] for s, e in spans])):
        if n > max_tokens:  # only the pieces of a cut sentence are counted again
            pieces = _cut_long_sentence(text, span, max_tokens, count_tokens)
            sentences.extend(pieces)
            sizes.extend(count_tokens([text[s:e] for s, e in pieces]))
        else:
            sentences.append(span)
            sizes.append(n)

    chunks: list[ChunkSpan] = []
    i = 0
    while i < len(sentences):
        j, total = i, 0
        # +1 per sentence for the joining space the tokenizer may count.
        while j < len(sentences) and total + sizes[j] + (1 if j > i else 0) <= max_tokens:
            total += sizes[j] + (1 if j > i else 0)
            j += 1
        group = sentences[i:j]
        chunks.append(ChunkSpan(group[0][0], group[-1][1], tuple(group)))
        if j >= len(sentences):
            break
        # Overlap: start the next chunk a few sentences back, but always move forward.
        i = max(i + 1, j - overlap_sentences)
    return chunks
