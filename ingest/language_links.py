"""A web page's links to its versions in other languages: its language switcher.

    language_links(tree, *, page_url) -> tuple[LanguageLink, ...]

Read from the standard markup for a page's translations (`<link rel="alternate" hreflang="fr" href>`), from links
marked with `hreflang` or `lang`, and from the links of the site's banner and navigation whose address opens with
another language's ISO 639-1 code ("/fr/", "https://example.org/de/…"): the switcher most sites show as "Version
française", "Deutsch" or a flag. The page's own language (its `lang` attribute, else the code its own address
opens with) is never another; without it known, only marked links count (on an English page of unknown
language "/en/news/" would look like a version). One link a language, the first; "x-default" is no language.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urljoin, urlsplit

from docqa.index.storage.store import LanguageLink
from docqa.index.text import language_names

__all__ = ["language_links"]

_CODE = re.compile(r"^([a-z]{2})(?:[-_][a-z]{2,4})?$", re.IGNORECASE)
"""A language tag's form: "fr", "fr-FR", "pt_br", "zh-hans"."""
_CHROME = 'header a[href], nav a[href], [role="banner"] a[href], [role="navigation"] a[href]'
_MAX_LABEL = 60


@functools.cache
def _names_by_code() -> dict[str, str]:
    return {code: name for name, code in language_names().items()}


def _language_name(code: str) -> str | None:
    """The English name of ISO 639-1 language `code` ("fr" -> "French"), None if it is none."""
    name = _names_by_code().get(code.lower())
    return name.title() if name else None


def _language(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag ("fr-FR" -> "fr"), None if it names no language."""
    match = _CODE.match((tag or "").strip())
    return match.group(1).lower() if match and _language_name(match.group(1)) else None


def _path_language(url: str) -> str | None:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return _language(segments[0]) if segments else None


def language_links(tree, *, page_url: str | None) -> tuple[LanguageLink, ...]:
    """The links of a parsed HTML page (selectolax) to its versions in other languages (see the module's docstring)."""
    root = tree.css_first("html")
    own = _language(root.attributes.get("lang") if root is not None else None) or (_path_language(page_url) if page_url else None)
    site = urlsplit(page_url).netloc if page_url else ""
    found: dict[str, LanguageLink] = {}

    def add(code: str | None, href: str | None, label: str) -> None:
        if not code or code == own or code in found or not href or href.startswith(("#", "javascript:", "mailto:")):
            return
        url = urljoin(page_url, href) if page_url else href
        label = " ".join(label.split())
        found[code] = LanguageLink(code, label if 0 < len(label) <= _MAX_LABEL else _language_name(code) or code, url)

    for link in tree.css('link[rel~="alternate"][hreflang]'):
        add(_language(link.attributes.get("hreflang")), link.attributes.get("href"), "")
    for anchor in tree.css("a[hreflang], a[lang]"):
        tag = anchor.attributes.get("hreflang") or anchor.attributes.get("lang")
        add(_language(tag), anchor.attributes.get("href"), anchor.text(separator=" "))
    if own is not None:
        for anchor in tree.css(_CHROME):
            href = anchor.attributes.get("href") or ""
            netloc = urlsplit(href).netloc
            if netloc and netloc != site:
                continue  # another site's page ("/fr/" there says nothing of this one)
            add(_path_language(urljoin(page_url or "/", href)), href, anchor.text(separator=" "))
    return tuple(found.values())
