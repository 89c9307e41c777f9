"""Answers from what a page's document keeps besides its text: its site's banner, its links to other languages.

    site_answer(passages, *, tagline, confidence, ...)      "Whose site is this?" / its slogan: the banner
    language_answer(passages, wanted, *, confidence, ...)   "Is there a French version?": the page's language links

Each answer cites what it shows (the banner, the links) as its source, with the short answer highlighted; the
answerer (extractive.py) gives them the confidence of an answer by the question's form. None when no retrieved
document keeps what is asked (an index written before docqa kept it, a file): the text answers instead.
"""

from __future__ import annotations

from docqa.index.answering import other_language, page_title
from docqa.index.answering.base import Answer, Source
from docqa.index.retrieval.search import Passage

__all__ = ["language_answer", "site_answer"]


def site_answer(passages: list[Passage], *, tagline: bool, confidence: float, lang: str, query: str, read_as: str | None) -> Answer | None:
    """Asked whose site or page this is (or its slogan): the banner (or metadata) the best passage's document
    keeps, its site name (or the tagline after it) as the short answer, cited as that banner; None when the
    document kept none (indexes written before docqa kept it, files) or the banner has no tagline. A passage whose
    document keeps none (a PDF or text file linked from the site) gives way to the next that does."""
    read = page_title.site_tagline if tagline else page_title.site_name
    found = next((p for p in passages if p.chunk.document.site and read(p.chunk.document.site)), None)
    if found is None:
        return None
    banner = found.chunk.document.site
    asked = read(banner)
    start = banner.rindex(asked) if tagline else 0
    return _page_answer(found, banner, (start, start + len(asked)), confidence=confidence, lang=lang, query=query, read_as=read_as)


def language_answer(passages: list[Passage], wanted: str, *, confidence: float, lang: str, query: str, read_as: str | None) -> Answer | None:
    """Asked for the page in another language (`wanted`, or other_language.ANY): the links to its versions in it
    that the best passage's document keeps (a document that keeps none gives way to the next), each as its label
    and address, the first label the short answer; None when no retrieved document links to one (a page of
    one language, an index written before docqa kept the links: the text answers, or the question is declined)."""
    for passage in passages:
        links = [link for link in passage.chunk.document.language_links if wanted in (other_language.ANY, link.language)]
        if links:
            break
    else:
        return None
    answer = "; ".join(f"{link.label}: {link.url}" for link in links)
    return _page_answer(passage, answer, (0, len(links[0].label)), confidence=confidence, lang=lang, query=query, read_as=read_as)


def _page_answer(passage: Passage, text_: str, short: tuple[int, int], *, confidence: float, lang: str, query: str, read_as: str | None) -> Answer:
    """An answer from what `passage`'s document keeps besides its text (its banner, its language links): `text_`,
    cited as itself, `short` its short answer and highlight, with `confidence` (an answer by the question's form)."""
    document = passage.chunk.document
    cited = Source(
        doc_id=document.doc_id, title=document.title, source=document.source, text=text_, score=round(passage.score, 4),
        answer_span=(0, len(text_)), language=document.language,
    )
    return Answer(
        answer=text_, answered=True, sources=[cited], highlights=[short], language=lang, confidence=confidence,
        query=query, read_as=read_as, short_answer=text_[short[0] : short[1]],
    )
