"""Questions about the page itself: its headline, its title, what it is about, whose site it is on.

    asks_for_title(question) -> bool     "What is the headline of this news item?" -> True
    asks_for_section_heading(question)   "What heading introduces the background section?" -> True
    asks_for_site(question) -> bool      "Which organisation runs this website?", "Who is this page from?" -> True
    asks_for_tagline(question) -> bool   "What slogan accompanies the name at the top of the page?" -> True
    site_name(banner) -> str             "The French National Research Agency · Projects for science" -> its first part
    site_tagline(banner) -> str | None   the part after the separator: "Projects for science"

Such a question is answered by the document's title, which the answerer otherwise passes over as a heading
(it labels the text rather than stating a fact); one asking for the heading of a part of the page, by the heading
that opens the part the rest of the question describes ("Who is heading the second phase?" asks who leads it: a
verb "heading" asks for no heading). The question must name the page as such ("this page", "the
article", "this news item"...), so "What is the title of the Harvard president?" asks something else, and a
headline ("Under what headline was this published?") is always a page's. A question about the site is answered by
the site's name as the page's banner or metadata gives it (ingest.loaders.site_name), and asks for the site or page
as what is published, run or owned ("Who published the plan on this page?" asks about the plan).
"""

from __future__ import annotations

import functools
import re

__all__ = ["asks_for_section_heading", "asks_for_site", "asks_for_tagline", "asks_for_title", "site_name", "site_tagline"]

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


_A_PART = re.compile(
    r"\b(?:section|part|paragraph|passage|background|sub-?heading|sub-?title|end|last|second|third|next|previous)\b"
    rf"|\b(?:introduc\w*|precede\w*|before|after|follows?)\s+(?!{_PAGE}\b)",
    re.IGNORECASE,
)
"""A heading asked for by the part of the page it opens ("What heading introduces the background section?", "…comes
after the title?"): not the page's own title, which is the heading that introduces the page itself."""


@functools.lru_cache(maxsize=1024)
def asks_for_title(question: str) -> bool:
    """Whether `question` asks for the page's headline or title, or what the page is about."""
    title = _TITLE.search(question)
    if title is not None and title.group().lower() == "heading" and _A_PART.search(question):
        return False
    if _HEADLINE.search(question) or _ABOUT.search(question):
        return True
    if title is not None and _PAGE_NAMED.search(question, title.end()):
        return True
    page = _PAGE_NAMED.search(question)
    return page is not None and _NAMED.search(question, page.end()) is not None


_SECTION_HEADING = re.compile(r"\b(?:heading|sub-?heading|sub-?title|section\s+(?:title|header))s?\b", re.IGNORECASE)


_BE_BEFORE = re.compile(r"(?:\b(?:am|is|are|was|were|be|been|being)|['’](?:s|re))\s+$", re.IGNORECASE)
_OBJECT_AFTER = re.compile(
    r"\s+(?:the|a|an|this|that|these|those|its|their|his|her|our|my|your|to|towards?|into|up|back|home|off|out|down"
    r"|next|north|south|east|west|straight)\b",
    re.IGNORECASE,
)
"""A verb "heading" ("Who is heading the second phase?", "Where is the committee heading next?"): after a form of
"be", or before what it heads or where it goes."""


_UNDER = re.compile(r"\bunder\s+(?:which|what|the)\s+heading\b", re.IGNORECASE)
"""A part of the page asked for as what stands under the heading ("Under which heading is the budget listed?")."""


_CAPTIONS = re.compile(r"\bsub-?titles\b", re.IGNORECASE)
_SUBTITLES_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:(?:is|are|were|was)\s+)?(?:(?:the|its|this|that|their)\s+)?(?:[\w'’]+\s+)?sub-?titles?\b",
    re.IGNORECASE,
)
"""Subtitles asked of but not asked for: a recording's captions, no heading ("Will the recordings have subtitles?",
"Are subtitles provided?", "Which recordings have subtitles?"); "What are the page's subtitles?", "Which subtitles…"
ask for its headings: "what" / "which" asking for the subtitles themselves."""


@functools.lru_cache(maxsize=1024)
def asks_for_section_heading(question: str) -> bool:
    """Whether `question` asks for the heading of a part of the page ("What heading introduces the background
    section?", "Under which heading does the page give background on X?", "What subheading comes after the title?");
    not a verb "heading" ("Who is heading the second phase?")."""
    question = question[:300]
    found = _SECTION_HEADING.search(question)
    if found is None or (_CAPTIONS.search(question) and not _SUBTITLES_ASKED.search(question)):
        return False
    if found.group().lower() != "heading" or _UNDER.search(question):
        return True
    if _BE_BEFORE.search(question, max(0, found.start() - 12), found.start()) or _OBJECT_AFTER.match(question, found.end()):
        return False
    return _A_PART.search(question) is not None


# A bare "site" or "portal" may be a place ("Who owned the site before the museum was built?", "Which company operates
# the site at Sellafield?"): it is the website only where it ends the question ("Who runs this site?", "Who is the site by?").
_SITE = (
    r"(?:web\s*)?page|web\s*(?:site|portal|notice)|website|news\s+(?:page|item|story)|article|announcement"
    r"|(?:site|portal)(?=\s*(?:[?!.,;:]|$)|\s+(?:from|by|up|out|online)\s*(?:[?!.,;:]|$))"
)
_ASKS_SITE = re.compile(
    r"^\W*(?:(?:who|which|what)\b.{0,60}?|(?=whose\b))(?:"
    # "who runs this website?", "which agency published this page?"
    rf"\b(?:publish(?:es|ed)?|issue[sd]?|runs?|ran|operates?|operated|owns?|owned|maintains?|maintained|hosts?|hosted|manages?|managed"
    rf"|put\s+(?:up|out|online)|puts\s+(?:up|out|online)|is\s+behind|are\s+behind)"
    rf"\s+(?:this|the)\s+(?:{_SITE})\b"
    # "who put this page up?", "who is this page from?", "who is the site by?"
    rf"|\b(?:put|puts)\s+(?:this|the)\s+(?:{_SITE})\s+(?:up|out|online)\b|\b(?:is|was)\s+(?:this|the)\s+(?:{_SITE})\s+(?:from|by)\b"
    # "whose website is this?", "which agency's (news) page is this?", "which organisation's site is the announcement on?"
    rf"|(?:\bwhose|['’]s)\s+(?:news\s+)?(?:web\s*)?(?:site|website|page|portal)\b"
    r")"
    # a body, not a person, that wrote or made it ("Which organisation wrote this page?"; "Who wrote it?" asks its author)
    rf"|^\W*(?:which|what)\s+[\w\-]+\s+(?:wrote|writes|made|makes|created|creates)\s+(?:this|the)\s+(?:{_SITE})\b"
    # asked in a statement's order: "This page is from which agency?", "the site is run by whom?"
    rf"|^\W*(?:this|the)\s+(?:{_SITE})\s+(?:is|was|comes)\s+(?:(?:published|run|made|written)\s+by|from)\s+(?:which|what|whom|who)\b",
    re.IGNORECASE,
)
_SITE_PARTS = re.compile(r"\s+[·•|–—:]\s+|\s+-\s+")


@functools.lru_cache(maxsize=1024)
def asks_for_site(question: str) -> bool:
    """Whether `question` asks whose site or page this is: who publishes, runs or owns it."""
    return _ASKS_SITE.search(question[:300]) is not None


_TAGLINE = re.compile(r"\b(?:tag\s*line|slogan|motto|strap\s*line|catch\s*phrase)s?\b", re.IGNORECASE)
_BANNER_PLACE = re.compile(
    # where the banner is: "in the page header", "on this page", "the site's", "at the top", "beside the agency's name"
    # (not a slogan the page writes about: "What slogan does the article say the campaign used?", "the campaign
    # slogan's name", "the top-selling brand's slogan", "the party's slogan under its new name")
    rf"\b(?:header|banner|masthead|web\s*site|website|web\s*page|home\s*page)\b"
    rf"|\b(?:on|at|of|in|across|atop)\s+(?:this|the|its|our|your)\s+(?:{_SITE})\b|\b(?:{_SITE}|site|portal)['’]s\b"
    r"|\b(?:at|on|in|across)\s+the\s+top\b|\btop\s+of\b"
    r"|\b(?:next\s+to|beside|alongside|accompan\w*|after|with|by)\s+(?:(?:the|its|their|our)\s+)?(?:[\w\-]+['’]s\s+)?name\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def asks_for_tagline(question: str) -> bool:
    """Whether `question` asks for the slogan beside the site's name ("What tagline accompanies the agency's name in
    the page header?"): a tagline, slogan, motto or strapline, and the page, its header or the name it goes with."""
    question = question[:300]
    return _TAGLINE.search(question) is not None and _BANNER_PLACE.search(question) is not None


def site_name(banner: str) -> str:
    """The site's name in its banner: the part before a separator ("ANR · Projects for science" -> "ANR")."""
    return _SITE_PARTS.split(banner.strip(), maxsplit=1)[0]


def site_tagline(banner: str) -> str | None:
    """What the banner writes after the site's name and a separator ("Projects for science"); None if nothing."""
    parts = _SITE_PARTS.split(banner.strip(), maxsplit=1)
    return parts[1].strip() or None if len(parts) > 1 else None
