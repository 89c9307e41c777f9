"""The checks that read only the question and the sentence shown, in one table: each says the sentence does not state
what the question asks, and the answerer declines (extractive.py; checks that also need the question's kind, the
passage or the collection's names stay there).

    RULES                                   (name, check) in the order they are read; each with an example below
    declining_rule(question, sentence)      the name of the first check that declines, or None
"""

from __future__ import annotations

from typing import Callable

from docqa.index.answering import (
    adverse,
    antonyms,
    asked_value,
    centuries,
    closed_sets,
    contradiction,
    denials,
    number_swaps,
    origin,
    other_names,
    part_whole,
    prefix_pairs,
    premise,
    relatives,
    roles,
    superlative,
    time_units,
)

__all__ = ["RULES", "declining_rule"]

RULES: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    # "Who leads X?" and the sentence says no one leads X (only that ANR is part of it)
    ("premise.unstated_role", premise.unstated_role),
    # "In what year was the fort built?" and the sentence writes no year
    ("asked_value.unwritten", asked_value.unwritten),
    # "Who was the second king?" and the sentence names the first, not the second
    ("number_swaps.rank_swapped", number_swaps.rank_swapped),
    # "What scales with a decrease in size?" and the sentence says an increase
    ("contradiction.opposite_swapped", contradiction.opposite_swapped),
    # "Where did Kublai shorten the Grand Canal to?" and the sentence: "Kublai expanded the Grand Canal…"
    ("antonyms.opposite_near", antonyms.opposite_near),
    # "What are the least important mediators?" and the sentence: "…are important mediators"
    ("contradiction.least_asked", contradiction.least_asked),
    # "Who is the vice-chair?" and the sentence names the chair
    ("contradiction.role_qualified", contradiction.role_qualified),
    # "When are meetings on Tuesday afternoons?" and the sentence says Wednesday afternoons
    ("closed_sets.other_of_a_kind", closed_sets.other_of_a_kind),
    # "What is multiplying three numbers called?" and the sentence multiplies two
    ("number_swaps.number_swapped", number_swaps.number_swapped),
    # "Who played an unimportant role?" and the sentence says an important one
    ("antonyms.prefix_negated", antonyms.prefix_negated),
    # "Who uninvited Washington to dine?" and the sentence: "…invited Washington to dine with him"
    ("antonyms.prefix_negated_form", antonyms.prefix_negated_form),
    # "What begins with an enacting formula?" and the sentence: "…do not begin with an enacting formula"
    ("denials.negated_in_sentence", denials.negated_in_sentence),
    # asked about the Ministry of Health, the sentence names the Ministry of Higher Education
    ("other_names.other_name", other_names.other_name),
    # "the Second Warsaw Republic" asked, "the Second Polish Republic" written
    ("other_names.name_word_swapped", other_names.name_word_swapped),
    # "gold panned from French rivers" asked, "…from Scottish rivers" written
    ("other_names.modifier_swapped", other_names.modifier_swapped),
    # asked about the US Government, the sentence names the UK Government
    ("other_names.acronym_swapped", other_names.acronym_swapped),
    # "Who was defeated by Montcalm?" and the sentence: "Wolfe defeated Montcalm"
    ("roles.roles_swapped", roles.roles_swapped),
    # "Who was Kublai Khan's uncle?" and the sentence names his brother, no uncle
    ("relatives.kin_swapped", relatives.kin_swapped),
    # "What did President Wilson commit to?" and the sentence: "Prime Minister Wilson…"
    ("relatives.title_swapped", relatives.title_swapped),
    # "What takes two to three weeks to develop?" and the sentence: "…two to three days"
    ("time_units.unit_swapped", time_units.unit_swapped),
    # "What was built in the 18th century?" and the sentence: "…a 19th-century fortification"
    ("centuries.century_swapped", centuries.century_swapped),
    # "What is submitted to only part of Parliament?" and the sentence: "…to the whole Parliament"
    ("part_whole.part_for_whole", part_whole.part_for_whole),
    # "What are the down turned skylights?" and the sentence: "…the upturned skylights"
    ("prefix_pairs.prefix_pair_swapped", prefix_pairs.prefix_pair_swapped),
    # "Who did Kublai reject as ruler of Korea?" and the sentence: "…installing Wonjong as the ruler of Korea"
    ("adverse.adverse_unsaid", adverse.adverse_unsaid),
    # "In what year did Newcomen patent his steam pump?" and the sentence: "In 1698 Thomas Savery patented a steam pump…"
    ("roles.other_doer", roles.other_doer),
    # "Where was Jean de Rely from?" and the sentence: "A paraphrase by Jean de Rely was printed in Paris in 1487"
    ("origin.origin_unsaid", origin.origin_unsaid),
    # "Which town had the largest refugee church?" and the sentence: "…towns in which there used to be refugee churches"
    ("superlative.size_extreme_unsaid", superlative.size_extreme_unsaid),
)


def declining_rule(question: str, sentence: str) -> str | None:
    """The name of the first check of RULES by which `sentence` does not state what `question` asks, or None
    ("When are meetings on Tuesday afternoons?" on "Plenary meetings are on Wednesday afternoons" →
    "closed_sets.other_of_a_kind")."""
    return next((name for name, check in RULES if check(question, sentence)), None)
