"""Does the sentence make the question's doer the one done to? Evidence for the answerer's declines.

SQuAD 2.0's writers made questions unanswerable by swapping who does what to whom: "Who was defeated by Montcalm?"
where the text says "Wolfe defeated Montcalm"; "How does the pathogen kill the phagocyte?" where "The pathogen is
killed by…" something. The question makes someone the doer of a verb; a sentence writing the same verb with that
one as the one done to, and nowhere as its doer, says something else. General English only: a passive is a form of
"be" before a past participle, its doer follows "by"; a question's doer is the word before its verb after "did",
"does" or "do". They also gave the doer another name: "In what year did Newcomen patent his steam pump?" where the
text says "Thomas Savery patented a steam pump"; a sentence naming another doer of the verb, and nowhere the one
asked about, says something else.

    roles_swapped(question, sentence)   the question's doer of a verb is the one the sentence's verb is done to
    other_doer(question, sentence)      the question's named doer of a verb is unnamed where another name does it
"""

from __future__ import annotations

import difflib
import functools
import re

from docqa.index import text as words_
from docqa.index.answering import antonyms

__all__ = ["other_doer", "roles_swapped"]

_DO = frozenset(("did", "does", "do"))
_ASKING = frozenset("how what why when where who whom which".split())
_ASKS_AN_OBJECT = frozenset(("who", "whom", "what", "which"))
"""Question words that may stand for what the verb is done to ("Who did Frank Burnet inspire?")."""
_NOT_A_DOER = words_.PHRASE_DETERMINERS | frozenset("it they he she you we i one and or".split())
_GENERAL_VERBS = frozenset(("be", "have", "do"))


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _reading(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`text`'s folded words and their stems (`match_stem`)."""
    tokens = tuple(words_.words(text))
    return tokens, tuple(words_.match_stem(t) for t in tokens)


def _asked_doers(question: str) -> list[tuple[str, str, bool]]:
    """(verb stem, doer, asked in the passive) for each verb `question` gives a doer: "was defeated by Montcalm"
    (defea, montcalm, True); "How does the pathogen kill the phagocyte?" (kill, pathogen, False). An active verb
    counts only with something done to: an object after it, or the question word ("Who did Burnet inspire?"), not
    "When did the war end?" (the war may well have been ended by something)."""
    q, _ = _reading(question)
    stop = words_.stopwords()
    found = []
    for i in range(len(q) - 3):
        if q[i] in words_.BE_FORMS and words_.past_form(q[i + 1]) and q[i + 2] == "by":
            doer = q[i + 3] if q[i + 3] not in words_.PHRASE_DETERMINERS else (q[i + 4] if i + 4 < len(q) else "")
            if doer:
                found.append((words_.match_stem(q[i + 1]), doer, True))
        if q[i] in _DO and i > 0 and q[i - 1] in _ASKING:
            object_asked = q[i - 1] in _ASKS_AN_OBJECT and q[-1] not in stop  # not "What did the war end with?"
            for k in range(i + 2, min(i + 6, len(q))):
                doer, verb = q[k - 1], q[k]
                if doer in _NOT_A_DOER or verb in stop:
                    continue
                after = q[k + 1] if k + 1 < len(q) else None
                if object_asked or (after is not None and (after in words_.PHRASE_DETERMINERS or after not in stop)):
                    found.append((words_.match_stem(verb), doer, False))
    # "by using…" says how, not who
    return [(verb, doer, passive) for verb, doer, passive in found if verb not in _GENERAL_VERBS and len(doer) >= 3 and not doer.endswith("ing")]


def _done_to(sentence: str, verb: str, who: str, *, as_object: bool) -> bool:
    """Whether `sentence` writes `verb`'s past participle with `who` as the one done to: "the pathogen is killed",
    "Frank Burnet, inspired by…", and with `as_object` "Wolfe defeated Montcalm"."""
    s, stems = _reading(sentence)
    for j, stem in enumerate(stems):
        if stem != verb or not words_.past_form(s[j]):
            continue
        after = s[j + 1] if j + 1 < len(s) else ""
        if as_object and after != "by" and who in s[j + 1 : j + 3]:
            return True
        if j >= 1 and s[j - 1] in words_.BE_FORMS and who in s[max(0, j - 5) : j - 1]:
            return True
        if after == "by" and who in s[max(0, j - 3) : j]:
            return True
    return False


def _doer(sentence: str, verb: str, who: str) -> bool:
    """Whether `sentence` writes `who` as `verb`'s doer: just before it and not in the passive ("Wolfe defeated"), or
    after its "by" ("defeated by Montcalm")."""
    s, stems = _reading(sentence)
    for j, stem in enumerate(stems):
        if stem != verb:
            continue
        after = s[j + 1] if j + 1 < len(s) else ""
        if after == "by" and who in s[j + 2 : j + 5]:
            return True
        if who in s[max(0, j - 3) : j] and after != "by" and not words_.BE_FORMS.intersection(s[max(0, j - 2) : j]):
            return True
    return False


def roles_swapped(question: str, sentence: str) -> bool:
    """Whether `question` makes someone a verb's doer where `sentence` writes the same verb with that one as the one
    done to, and nowhere as its doer: "Who was defeated by Montcalm?" on "James Wolfe defeated Montcalm at Quebec";
    "Who did Frank Burnet inspire?" on "Frank Burnet, inspired by a suggestion of Niels Jerne, …". The same fact
    told the other way round is no swap ("Who was funded by ANR?" on "ANR funded 14 projects")."""
    return any(
        _done_to(sentence, verb, doer, as_object=passive) and not _doer(sentence, verb, doer) for verb, doer, passive in _asked_doers(question)
    )


_NAMED_DOER = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:did|does|do)\s+(?P<name>[A-Z][a-z]{2,})\s+(?P<verb>[a-z]{3,})\b")
"""A question giving one capitalised name as the doer of a verb: "In what year did Newcomen patent his steam pump?"."""


def _named_doers(sentence: str, verb: str) -> bool:
    """Whether `sentence` writes a capitalised name just before a form of `verb` (an adverb in "-ly" between): a name
    mid-sentence ("In 1698 Thomas Savery patented"), or one of two words or more at its start ("George Stephenson
    built"); one capitalised word starting the sentence may be any word ("Applicants submit…") and is no name."""
    forms = antonyms.verb_forms(verb)
    stop = words_.stopwords()
    for found in re.finditer(r"\b([A-Z][\w\-]+)((?:\s+[A-Z][\w\-]+)*)\s+(?:\w+ly\s+)?([a-z]+)\b", sentence):
        if found.group(3) in forms and found.group(1).lower() not in stop and (found.start() > 0 and sentence[: found.start()].rstrip()[-1:] not in ".!?:" or found.group(2)):
            return True
    return False


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _folded_words(sentence: str) -> tuple[str, ...]:
    """`sentence`'s words, lower-cased and without accents ("Jerónimo" → jeronimo)."""
    return tuple(words_.words(words_.fold(sentence)))


def other_doer(question: str, sentence: str) -> bool:
    """Whether `question` names a verb's doer ("did Newcomen patent") that `sentence` does not name, writing instead
    another name doing the same verb: "In what year did Newcomen patent his steam pump?" on "In 1698 Thomas Savery
    patented a steam pump…". A name written nearly alike ("Moncalm" for "Montcalm", "Britain" for "British") is the
    same one, and a pronoun ("he patented") may stand for the name asked about."""
    asked = _NAMED_DOER.match(question)
    if not asked:
        return False
    name = words_.fold(asked.group("name"))
    for word in _folded_words(sentence):
        if word[:4] == name[:4] or difflib.SequenceMatcher(None, word, name).ratio() >= 0.75:
            return False
    return _named_doers(sentence, asked.group("verb"))
