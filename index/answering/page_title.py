"""Questions about the page itself: its headline, its title, what it is about.

    asks_for_title(question) -> bool     "What is the headline of this news item?" -> True

Such a question is answered by the document's title, which the answerer otherwise passes over as a heading
(it labels the text rather than stating a fact). The question must name the page as such ("this page", "the
article", "this news item"...), so "What is the title of the Harvard president?" asks something else, and a
headline ("Under what headline was this published?") is always a page's.
"""

from __future__ import annotations

import functools
import re

__all__ = ["asks_for_title"]

_PAGE = (
    r"(?:this|the)\s+(?:web\s*)?(?:page|article|news(?:\s+(?:item|story|release|piece))?|post|story|announcement"
    r"|press\s+release|item|text|document)"
)
# Each part is found once and the next searched for after it, so a long question is read in linear time. A headline
# is always a page's; "headlines" only with a page named ("made headlines", "in the headlines" say in the news).
_HEADLINE = re.compile(r"\bheadline\b", re.IGNORECASE)
_TITLE = re.compile(r"\b(?:title|heading|headlines)\b", re.IGNORECASE)
_PAGE_NAMED = re.compile(rf"\b{_PAGE}\b", re.IGNORECASE)
_NAMED = re.compile(r"\b(?:title|heading|headlines|titled|called|entitled)\b", re.IGNORECASE)
_ABOUT = re.compile(rf"\bwhat(?:\s+is|'s|\s+was)\s+{_PAGE}\s+(?:all\s+)?about\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def asks_for_title(question: str) -> bool:
    """Whether `question` asks for the page's headline or title, or what the page is about."""
    if _HEADLINE.search(question) or _ABOUT.search(question):
        return True
    title = _TITLE.search(question)
    if title is not None and _PAGE_NAMED.search(question, title.end()):
        return True
    page = _PAGE_NAMED.search(question)
    return page is not None and _NAMED.search(question, page.end()) is not None
