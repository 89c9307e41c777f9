"""Does the question assert an adverse act the sentence never writes? Evidence for the answerer's declines.

SQuAD 2.0's writers also made questions unanswerable by writing into a sentence's question an act against something
(a rejection, a refusal, a killing, a ban) that the sentence does not state: "Where did Kublai refuse to move the
Mongol capital to?" on "Kublai readied the move of the Mongol capital from Karakorum…", "What writing discouraged the
name Great Yuan?" on "…Kublai Khan imposed the name Great Yuan". Such a sentence answers what was done, not what was
refused. Read only where the sentence writes no act of that kind itself, no negation and no restriction (a sentence
saying "…must be based in France" may well say who is excluded, "…massacred" who was killed, "…pulled out of" who
withdrew). Generic English only: the verbs are common ones of refusing, opposing, harming and ending.

    adverse_unsaid(question, sentence)   "Who did Kublai reject as ruler of Korea?" on "…installing the hostage prince
                                         Wonjong as the ruler of Korea": an adverse act asked, none written
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_
from docqa.index.answering import denials
from docqa.index.answering.antonyms import verb_forms
from docqa.index.answering.premise import has_negation

__all__ = ["adverse_unsaid"]

_ASKED = """reject refuse deny destroy discourage prevent oppose ban forbid prohibit abandon fail lose kill stop cease
abolish dismiss resist hate dislike ignore neglect avoid hinder inhibit suppress weaken damage harm punish criticize
criticise condemn exclude expel withdraw retreat surrender disband dissolve halt block murder demolish disapprove dispute
undermine oppress persecute disagree contradict"""
"""Verbs of an act against something, as a question asserts them (every form: "rejected", "refusing", "killed")."""
_WRITTEN = _ASKED + """ massacre slaughter execute assassinate slay die perish overthrow defeat conquer attack invade
crush eliminate eradicate remove exile banish evict deport outlaw censor boycott revolt rebel fight battle struggle clash
refute object veto resign flee escape end terminate cancel reduce decline restrict limit close abort sack burn raze ruin
wreck lack miss pull leave quit exit drop disappear vanish fire oust depose topple replace discontinue scrap suspend shut
beat overturn repeal revoke lift"""
"""Verbs by which a sentence may state such an act, the asked one or another ("massacred" says who was killed,
"pulled out" who withdrew, "ended" what was stopped, "was fired" who was dismissed, "replaced" what was abolished):
any form of one leaves the question to the other checks."""
_WRITTEN_WORDS = frozenset(
    """rejection refusal denial destruction prevention opposition ban prohibition abandonment failure loss death dead
killing cessation abolition dismissal resistance hatred neglect avoidance suppression damage harm punishment criticism
condemnation exclusion expulsion withdrawal retreat surrender dissolution halt murder dispute persecution restriction
against anti hostile hostility enemy enemies conflict war wars despite although though however but instead rather only
except unlike must required requires require eligible ineligible unable cannot left slain slew""".split()
)
"""Other words that state an act against something, a contrast or a restriction ("only", "must", "ineligible")."""
_ALTERNATIVES = re.compile(r"(?i)\bor\b")
_ASKED_FORMS = frozenset(form for verb in _ASKED.split() for form in verb_forms(verb))
_WRITTEN_FORMS = frozenset(form for verb in _WRITTEN.split() for form in verb_forms(verb)) | _WRITTEN_WORDS


def adverse_unsaid(question: str, sentence: str) -> bool:
    """Whether `question` asserts an adverse act (any form of a verb of refusing, opposing, harming or ending:
    "reject", "refused", "killed") while `sentence` writes no such act, no other form of the asked word, no negation and
    no contrast or restriction ("Where did Kublai refuse to move the Mongol capital to?" on "Kublai readied the move
    of the Mongol capital from Karakorum in Mongolia to Khanbaliq in 1264"). Not for a yes/no question (answered "no")
    nor a negated one ("What did Kublai not reject?" asks what he kept), nor one offering alternatives ("Does the plan
    go as far as the market, or stop at research?": either side may be the answer)."""
    if denials.asks_yes_no(question) or has_negation(question) or _ALTERNATIVES.search(question):
        return False
    asked = [word for word in words_.words(question) if word in _ASKED_FORMS]
    if not asked:
        return False
    written, stems = _reading(sentence)
    if written:
        return False
    return not any(words_.match_stem(word) in stems for word in asked)


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _reading(sentence: str) -> tuple[bool, frozenset[str]]:
    """Whether `sentence` writes an adverse act, a contrast, a restriction or a negation; and its words' match stems."""
    tokens = words_.words(sentence)
    written = not _WRITTEN_FORMS.isdisjoint(tokens) or has_negation(sentence)
    return written, frozenset(words_.match_stem(word) for word in tokens)
