"""The checks an answer the confidence model would give must pass: does its sentence say what is asked?

The model weighs evidence; these checks read what it cannot: a question asking what an acronym stands for, answered
by a sentence that does not spell it out; "who" asked of a person and only organisations named; a life event dated
that the sentence does not state; counts of other things, or of a whole group where a part is asked; a country the
question names and no retrieved passage does; answering/sentence_declines.py's table (another name, an opposite, no
year written…); a contact detail asked and none written; a stand-alone question none of whose words any document
holds; a yes/no question about a name the sentence does not write. The answerer (extractive.py) declines an answer
failing one (probability 0).

    Proposed(...)                       the answer as the checks read it
    failed_check(proposed, *, names)    the name of the first check it fails, or None
"""

from __future__ import annotations

from dataclasses import dataclass

from docqa.index.answering import acronyms, counted, countries, other_names, premise, question_type, sentence_declines
from docqa.index.answering.question_shape import read_question
from docqa.index.answering.sentence_reading import ANAPHORA

__all__ = ["COUNTS_ASKED", "Proposed", "failed_check"]

COUNTS_ASKED = (question_type.WHEN, question_type.HOW_MANY, question_type.HOW_MUCH)
"""The kinds of question whose answer is a count, an amount or a date."""


@dataclass(frozen=True)
class Proposed:
    """An answer the model would give, as the checks read it."""

    query: str
    """The question as answered: completed from the conversation, in its plain form."""
    english: str
    """The visitor's own question in English, before any completion."""
    kind: str
    """The answer type asked for (question_type.classify)."""
    sentence: str
    """The answer's sentence alone."""
    shown: str
    """The sentence as shown, with its antecedent."""
    passage: str
    """The text of the sentence's passage."""
    retrieved: tuple[str, ...]
    """The texts of every passage retrieved for the question."""
    typed: bool
    """The sentence holds a span of the kind asked for."""
    terms_unknown: bool
    """No word of the question is in any document."""
    read: str = ""
    """The sentence as the evidence reads it (sentence_reading.evidence_text): as shown, after its document's headline
    when that reports it; "" for `shown`."""


def failed_check(proposed: Proposed, *, names: frozenset[str]) -> str | None:
    """The name of the first check `proposed` fails (its sentence does not say what is asked), or None. `names`: the
    collection's names (answering/initialisms.py), which tell a person from an organisation and a name from a word."""
    query, kind, shown = proposed.query, proposed.kind, proposed.shown
    if acronyms.asks_expansion(query) and not acronyms.sets_apart(proposed.sentence, acronyms.asked_acronym(query) or ""):
        # "What does ANR stand for?" and the sentence neither spells ANR out nor sets it apart as a definition does
        # ("ANR, the Agence…,"): it does not say what ANR stands for
        return "acronym_not_expanded"
    if kind == question_type.WHO and question_type.asks_for_a_person(query) and _names_only_organisations(shown, names):
        # "Who chairs ICPerMed?" and the sentence names only organisations ("…members, including ANR"): it does not
        # say who holds the role.
        return "organisations_for_a_person"
    if kind == question_type.WHEN and premise.unstated_life_event(query, shown):
        return "life_event_unstated"  # "When was Henry born?" and the sentence dates something else Henry did
    if kind not in COUNTS_ASKED and counted.only_counts(query, shown):
        return "only_counted"  # "Which of the 22 activities comes first?" and the sentence only counts them
    if kind == question_type.HOW_MANY and counted.counts_other(query, shown, proposed.passage):
        return "other_things_counted"  # "How many pages is the plan?" and the passage writes no page
    if kind == question_type.HOW_MANY and counted.counts_whole(query, shown):
        return "whole_counted"  # "How many of its members come from outside Europe?" and the sentence counts them all
    if countries.asks_for_countries(query) and not countries.names_another_country(shown, query):
        return "no_country"  # "Which countries are members?" and the sentence names no country (or only those asked of)
    if (not countries.asks_for_countries(query) and countries.countries_missing(query, shown, by_name=True)) or countries.countries_missing(
        query, " ".join([shown, *proposed.retrieved])
    ):
        # "Which German ministry…?", "Who applies American Union law?": no passage retrieved names Germany or America;
        # "Who deployed its army into Iraq?": the sentence does not name Iraq (a sentence may leave unsaid a country
        # named by its adjective, "the French agency", or the one "Which countries border Germany?" names)
        return "country_missing"
    if (rule := sentence_declines.declining_rule(query, shown)) is not None:
        return rule  # the sentence does not state what is asked: another name, an opposite, no year written…
    if kind in question_type.CONTACT and not proposed.typed:
        return "no_contact_written"  # asked for an e-mail, phone or web address (no SQuAD data to learn it)
    if query == proposed.english and proposed.terms_unknown:
        # No word of a stand-alone question is in any document: 0 of 10 such SQuAD answers were right. (A follow-up's
        # own words, "in which years?", may well be absent: its subject comes from the conversation.)
        return "terms_unknown"
    if other_names.name_absent(query, proposed.read or shown, names=names) and read_question(proposed.english).kind == "yes_no":
        # "Is Germany a member of …?": a sentence not naming Germany neither confirms nor denies. A headline reporting
        # the sentence names what it is about ("Did ICPerMed publish the plan?" on "…an international Action Plan
        # published" and its "ICPerMed has recently published a consensus view…")
        return "yes_no_name_absent"
    return None


def _names_only_organisations(shown: str, names: frozenset[str]) -> bool:
    """Whether every name `shown` writes is an organisation's."""
    named = [shown[a:b] for a, b in question_type.find_spans(shown, question_type.WHO, names=names)]
    named = [name for name in named if name.lower() not in ANAPHORA]  # "It gathers…" names no one
    return bool(named) and all(question_type.names_an_organisation(name) for name in named)
