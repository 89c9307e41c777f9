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
_ASKING = re.compile(
    rf"\bheadlines?\b|\b(?:title|heading)\b.*\b{_PAGE}\b|\b{_PAGE}\b.*\b(?:title|heading|titled|called|entitled)\b"
    rf"|\bwhat(?:\s+is|'s|\s+was)\s+{_PAGE}\s+(?:all\s+)?about\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def asks_for_title(question: str) -> bool:
    """Whether `question` asks for the page's headline or title, or what the page is about."""
    return bool(_ASKING.search(question))
