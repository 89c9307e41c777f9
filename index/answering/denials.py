"""Does the sentence deny what the question takes as given? (issue 12 item 4)

"The acts of what government begin with a conventional enacting formula?" on "Acts of the Scottish Parliament do not
begin with a conventional enacting formula": the sentence writes "not" just before the question's own words. Not
when the question itself denies or asks yes or no (its answer may be "no"), not after a contrast, and not where the
sentence also says who does, or when ("…cannot receive funding, but universities can", "not … until 1687").

    asks_yes_no(question)                    the question opens as a yes/no question ("Is…", "Did…", "In 1990, was…")
    negated_in_sentence(question, sentence)  the sentence denies, word for word, what the question takes as given
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_
from docqa.index.answering.premise import has_negation

__all__ = ["DENIED_WORDS", "asks_yes_no", "negated_in_sentence"]


# "The acts of what government begin with a conventional enacting formula?" on "Acts of the Scottish Parliament do not
# begin with a conventional enacting formula": the sentence denies, word for word, what the question takes as given.
_DENIALS = frozenset(("not", "never", "cannot", "t"))  # "t": "didn't" is read "didn", "t"
_YES_NO = re.compile(
    r"^\W*(?:(?:in|on|at|by|during|after|before)\s[^,?]*,\s*)?(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had"
    r"|should|may|must)\b",
    re.IGNORECASE,
)


def asks_yes_no(question: str) -> bool:
    """Whether `question` opens as a yes/no question does ("Is…", "Did…", "In 1990, was…"): its answer may be "no"."""
    return _YES_NO.match(question) is not None


_CONTRASTS = frozenset(("unlike", "whereas", "while", "except", "contrast"))
DENIED_WORDS = 2
"""The fewest words of the question, written just after the sentence's "not", for a denial (two of them content words)."""


def negated_in_sentence(question: str, sentence: str) -> bool:
    """Whether the sentence writes "not" (never, no longer, -n't, cannot) just before two words or more that the
    question writes in that order (in any of their forms), two of them content words, while the question takes them
    as given: it says no negation, asks no yes/no question (whose answer may well be "no") and asks not what fails to
    happen. Not after a contrast ("Unlike the western khanates, the Yuan dynasty never converted to Islam" says which
    khanates did), not across a clause's end, and not for a when-question on "not … until / before" or "no longer",
    which say when."""
    if has_negation(question) or asks_yes_no(question) or _FAILS_TO.search(question) or not (denied := _denied_phrases(sentence)):
        return False
    if _SAID_OTHERWISE.search(sentence):
        return False  # "…cannot receive funding, but universities can": it says who does
    asked = " " + " ".join(words_.match_stem(w) for w in words_.words(question)) + " "  # "begins" is "begin"
    when = _ASKS_WHEN.search(question) is not None
    return any(phrase in asked and not (when and until) for phrase, until in denied)


# "Companies cannot receive funding, but universities can", "…are not public; the call texts are", "…need not submit
# a budget unless they ask for more": the sentence also says who does, or when, in a clause that leaves the rest out
# (ending at its verb: "can", "are", "did") or a condition ("unless"), and may answer the question.
_SAID_OTHERWISE = re.compile(
    r"(?i)\bunless\b|(?:[,;]|\b(?:but|whereas|while)\b)\s*(?:(?:but|whereas|while)\s+)?(?:[\w'’-]+\s+){1,6}?"
    r"(?:can|could|do|does|did|is|are|was|were|will|would|may|might|must|shall|should|has|have|had)"
    r"(?:\s+(?:too|also|so))?\s*(?:[.;!?]|$)"
)


# "Which acts fail to begin with a formula?" asks which do not: "Acts of X do not begin with a formula" answers it
_FAILS_TO = re.compile(r"(?i)\b(?:fail|refus|neglect|declin)(?:e|es|s|ed|ing)?\s+to\b")
# "was not identified as a force until the work of Newton" says when it was, "cannot apply before their second year"
# when they can: it answers "When…?"
_ASKS_WHEN = re.compile(r"(?i)\bwhen\b|\b(?:what|which)\s+(?:year|date|time|day|month|century|decade|period|age|era)\b")
_UNTIL = frozenset(("until", "till", "before"))


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _denied_phrases(sentence: str) -> tuple[tuple[str, bool], ...]:
    """The runs of DENIED_WORDS words or more (two of them content words) that `sentence` writes just after a denial,
    as " stem stem " strings, each with whether it dates what it denies ("not … until 1687", "no longer")."""
    said: list[str] = []
    clause_ends: list[int] = []  # where each clause's words end in `said`
    for clause in _CLAUSE_BREAK.split(sentence):
        said += words_.words(clause)
        clause_ends.append(len(said))
    stop = words_.stopwords(("en",))
    out: list[tuple[str, bool]] = []
    for i, word in enumerate(said):
        if word == "t" and not (i and said[i - 1].endswith("n")):
            continue  # "T cells", "T(n)": a letter, no "-n't"
        if word not in _DENIALS and not (word == "no" and said[i + 1 : i + 2] == ["longer"]):
            continue
        if word == "not" and i and said[i - 1] in ("or", "if"):
            continue  # "whether or not the council approves the plan", "if not, …" deny nothing
        if _CONTRASTS.intersection(said[:i]):
            break
        end = next(e for e in clause_ends if e > i)  # "was not rebuilt, and the new church was built": another clause
        after = said[i + (2 if word == "no" else 1) : end][:10]
        if after[:1] and after[0] in _NOT_A_DENIAL:
            continue  # "not only … but also" denies nothing
        # "did not open to traffic in 1930, but in 1932" corrects what follows its "in", and denies no opening
        rest = said[i + 1 :]
        corrected = next((rest[k + 1] for k, w in enumerate(rest[:-1]) if w == "but" and rest[k + 1] in _PREPOSITIONS), None)
        kept = after.index(corrected) if corrected in after else 0
        # "not recognised and attacked by NK cells" denies both verbs: the run may start at the second
        # ("was not rebuilt and the new church was built": "and the …" opens another clause)
        for start in (0, 2) if after[1:2] in (["and"], ["or"]) and after[2:3] and after[2] not in stop else (0,):
            for n in range(len(after), start + DENIED_WORDS - 1, -1):
                run = after[start:n]
                if n <= kept:
                    continue  # the words before the corrected complement: said, not denied
                if sum(w not in stop for w in run) >= 2:
                    # "no longer widely used" says they once were: it answers "When were they widely used?" as "until" does
                    dated = word == "no" or not _UNTIL.isdisjoint(said[i + 1 :])
                    out.append((f" {' '.join(words_.match_stem(w) for w in run)} ", dated))
    return tuple(out)


_CLAUSE_BREAK = re.compile(r"[;:()\u2014]|,(?!\d)|\s[-\u2013]\s")
"""What ends a clause: a semicolon, colon, bracket, dash or comma (not a thousands separator: "30,000")."""
_PREPOSITIONS = frozenset("in on at by from after before for to with through during until since".split())
_NOT_A_DENIAL = frozenset(("only", "just", "merely", "simply", "least", "unlike", "necessarily"))
