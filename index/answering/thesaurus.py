"""A small, general English thesaurus: a question's word meets its common synonyms in a sentence ("begin" ~
"start", "aim" ~ "goal", "French" ~ "France"). Generic English groups, no corpus's words.

    related(word_stem)   the stem and the stems of its common synonyms
"""

from __future__ import annotations

from docqa.index.text import match_stem

__all__ = ["related"]


# Common English words that questions and documents use for the same idea (a small, general thesaurus).
_SYNONYM_GROUPS = (
    "start begin launch commence open kick",
    "end finish close conclude stop",
    "aim goal purpose objective mission target intent",
    "publish release issue",
    "create establish found set",
    "member participant partner stakeholder actor",
    "lead head direct chair run manage",
    "fund finance pay sponsor",
    "cost price budget spend",
    "gather assemble unite together",  # "bring together": the phrasal verb's own word
    "contain include comprise consist",
    "win award",
    "role function position",
    "barrier obstacle hurdle",
    "prevent hinder hamper impede",
    "big large size",
    "help support assist",
    "show present describe",
    "country nation state",
    "city town",
    "job work employment",
    "buy purchase",
    "need require",
    "use employ utilise utilize",
    "number count amount quantity",
    "allow enable permit",
    "consider regard account",  # "take into account"
    "new recent",  # "a new body" is "recently established"
    "span cover extend", "range scope span",
    "soldier troop",  # "10,000 troops" counts the soldiers asked for
    # a country and its adjective
    "france french", "germany german", "spain spanish", "italy italian", "britain british", "england english",
    "america american", "china chinese", "japan japanese", "netherlands dutch", "belgium belgian",
    "switzerland swiss", "sweden swedish", "poland polish", "ireland irish", "canada canadian", "denmark danish",
    "finland finnish", "wales welsh", "scotland scottish", "greece greek", "philippines filipino", "thailand thai",
    "turkey turkish", "czechia czech", "afghanistan afghan",
)
_RELATED: dict[str, frozenset[str]] = {}
for _group in _SYNONYM_GROUPS:
    _stems_of_group = frozenset(match_stem(w) for w in _group.split())
    for _s in _stems_of_group:
        _RELATED[_s] = _RELATED.get(_s, frozenset({_s})) | _stems_of_group


def related(word_stem: str) -> frozenset[str]:
    """`word_stem` and the stems of its common synonyms ("launc" → start, begin, open...)."""
    return _RELATED.get(word_stem, frozenset({word_stem}))
