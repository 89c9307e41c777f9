"""The general English thesaurus (index/answering/thesaurus.py)."""

from __future__ import annotations

from docqa.index.answering import thesaurus
from docqa.index.text import match_stem


def test_thesaurus_is_general():
    assert match_stem("begin") in thesaurus.related(match_stem("launch"))
    assert match_stem("goal") in thesaurus.related(match_stem("aim"))
    assert match_stem("french") in thesaurus.related(match_stem("france"))
    assert match_stem("recently") in thesaurus.related(match_stem("new"))  # "a new body" is "recently established"
    assert thesaurus.related(match_stem("zebra")) == frozenset({match_stem("zebra")})
    # A phrasal verb's own word meets the one verb: "take into account" / consider, "bring together" / gather.
    assert match_stem("consider") in thesaurus.related(match_stem("account"))
    assert match_stem("gathers") in thesaurus.related(match_stem("together"))
