"""Questions asking for the page in another language ("Is there a French version of this page?").

    asked_language(question) -> str | None   "fr" for French, ANY for another language at all, None if not asked

Such a question is answered by the page's own links to its versions in other languages (its language switcher,
ingest/language_links.py), which the text of the page does not hold. It must ask for a version, edition or
translation, or for the page, site or text to be available, read or written in the language: "What language is
the plan written in?" and "Is the plan available in French?" ask about the plan, not the page.
"""

from __future__ import annotations

import functools
import re

from docqa.index.text import language_names

__all__ = ["ANY", "asked_language"]

ANY = "*"
"""What `asked_language` gives for a question asking for any other language ("…in another language?")."""

_OTHER = r"(?:an?\s*other|other|a\s+different|different|several|many|multiple)\s+languages?"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    named = "|".join(sorted((re.escape(name) for name in language_names()), key=len, reverse=True))
    language = rf"(?:(?P<lang>{named})|{_OTHER})"
    versions = r"(?:version|edition|translation)s?"
    page = r"(?:page|site|website|article|notice|news\s+item|text|this|it)"
    of_other = rf"(?!\s+of\s+(?!(?:this|the|that)\s+{page}\b))"  # not "a French version of the plan": the plan's
    return tuple(
        re.compile(pattern, re.IGNORECASE)
        for pattern in (
            rf"\b{language}(?:[\s-]+language)?[\s-]+{versions}\b{of_other}",  # "a French(-language) version", "another language edition"
            rf"\b{versions}\s+(?:of\s+(?:this|the|that)\s+{page}\s+)?in\s+{language}\b",  # "a version of this page in another language"
            rf"\b{versions}\s+(?P<glossed>{named})\b{of_other}",  # a French question glossed word by word: "version French"
            rf"\b{page}\s+(?:\w+\s+){{0,3}}?(?:exists?|available|offered|published|translated|written)\s+(?:also\s+)?in(?:to)?\s+{language}\b",
            rf"\b(?:read|see|view|get|have)\s+(?:this|it|the\s+(?:page|site|article|notice))\s+in\s+{language}\b",
            rf"\blinks?\s+(?:\w+\s+){{0,3}}?(?:to|in)\s+(?:the\s+page\s+in\s+)?{_OTHER}",
            r"\b(?:switch|change)\s+(?:the\s+)?language\b|\blanguage\s+(?:switcher|selector|menu|options?)\b",
        )
    )


@functools.lru_cache(maxsize=1024)
def asked_language(question: str) -> str | None:
    """The ISO 639-1 code of the language `question` asks to read the page in, ANY when it asks for any other
    language, None when it asks for no version of the page (see the module's docstring)."""
    for pattern in _patterns():
        match = pattern.search(question)
        if match is not None:
            name = match.groupdict().get("lang") or match.groupdict().get("glossed")
            return language_names()[name.lower()] if name else ANY
    return None
