"""Work that must not grow faster than the collection (benchmarks/corpus_scale.py measures it at scale)."""

from __future__ import annotations

import re

import pytest

from docqa.index.answering import followup


@pytest.mark.parametrize(
    "text",
    ["", "\n", "  ", "x", "Done. ", "Done.\n", "Done\n  ", "a:  ", "a, ", "end!\t", "end?\u00a0", "line\u2028", "a .\n\n"],
)
def test_a_sentence_opening_is_what_the_prefix_pattern_says(text: str) -> None:
    at = len(text)
    padded = text + "Word rest"
    assert followup._opens_sentence(padded, at) == (re.search(r"(?:^|[.!?:\n]\s*)$", text) is not None)


def test_learning_names_reads_each_word_where_it_stands(monkeypatch) -> None:
    """Each capitalised word was checked by copying and scanning the whole text before it: quadratic in a chunk's
    length, seconds per 10,000 chunks when a server loads a version."""
    text = " ".join(f"the Word{i} and ERA" for i in range(300)) + ". Then NASA."
    expected = followup.name_vocabulary([text])
    longest: list[int] = [0]
    search = re.search

    def measured(pattern, string, *args, **kwargs):
        longest[0] = max(longest[0], len(string))
        return search(pattern, string, *args, **kwargs)

    monkeypatch.setattr(followup.re, "search", measured)
    assert followup.name_vocabulary([text]) == expected
    assert {"word0", "word299", "era", "nasa"} <= expected and "then" not in expected and "the" not in expected
    assert longest[0] <= 20  # words, never a prefix of the text
