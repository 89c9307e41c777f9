"""Does the question write the opposite of the sentence's word, in any of its forms? Declines for the confidence.

contradiction.py reads opposites as exact forms ("increased" / "decreased") and negating prefixes on the very word the
other side writes ("unimportant" / "important"). This module reads them across a word's forms: a verb's opposite in
any tense ("Where did Kublai shorten the Grand Canal to?" on "Kublai expanded the Grand Canal…", "take" asked, "gave"
written), and a negating prefix on another form of the sentence's word ("unofficially documented" on "official
histories", "disestablish" on "establishing"). Generic English only: the pairs are common antonyms, the prefixes
English's negating ones. Both run after contradiction.py's checks of the same kind.

    opposite_near(question, sentence)        the sentence writes the opposite of a question's word (any of their forms)
                                             beside a content word both sides write near it
    prefix_negated(question, sentence)       one side negates a word by its prefix where the other writes the word
                                             itself ("unimportant" for "important")
    prefix_negated_form(question, sentence)  the question negates by its prefix a word the sentence writes in another
                                             form ("uninvited" for "invited", "unestablished" for "established")

Overlap: seven pairs are contradiction._OPPOSITES' too, there in some exact forms only (accept/reject, take/give,
gain/lose, succeed/fail, open/close, slow/fast, slower/faster). contradiction.opposite_swapped reads those forms first,
with guards of its own ("Who succeeded Edward?" follows, no opposite of failing; "how slow" asks a measure);
opposite_near reads every form ("took" asked, "gives" written) but only beside a shared word. The tables stay apart:
merging them would change what either check declines.
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_
from docqa.index.answering import denials, tagging
from docqa.index.answering.contradiction import NEGATORS, PHRASE_AFTER, other_party_asked, process_verbs
from docqa.index.answering.premise import has_negation

__all__ = ["opposite_near", "prefix_negated", "prefix_negated_form", "verb_forms"]


# Generic English antonyms (not any corpus's words). Verbs: both sides in every form ("shorten": shortens, shortened,
# shortening); other words as written.
_VERB_OPPOSITES = """accept/reject adopt/reject approve/reject embrace/reject accept/refuse agree/refuse
promote/discourage promote/inhibit promote/suppress promote/hinder encourage/suppress encourage/inhibit encourage/hinder
encourage/prevent encourage/thwart stimulate/inhibit stimulate/suppress activate/inhibit activate/suppress
enhance/inhibit enhance/suppress strengthen/inhibit strengthen/suppress protect/expose protect/destroy protect/damage
protect/harm build/destroy construct/destroy create/destroy preserve/destroy build/demolish create/abolish
establish/abolish introduce/abolish establish/dissolve retain/lose keep/lose retain/abandon keep/abandon retain/discard
maintain/alter maintain/change keep/alter keep/change lack/possess lack/contain lack/include allow/prevent enable/prevent
permit/prevent permit/prohibit permit/forbid attract/repel love/hate praise/criticize praise/criticise praise/condemn
join/leave join/quit arrive/depart expand/shorten expand/shrink expand/reduce extend/shorten lengthen/shorten
widen/narrow raise/lower rise/drop increase/drop increase/decline increase/fall grow/shrink grow/decline peak/ebb
confirm/deny confirm/refute affirm/deny admit/deny include/omit add/subtract introduce/remove push/pull send/receive
lend/borrow remember/forget reward/punish convict/acquit arrest/release capture/release capture/surrender
advance/retreat capture/lose take/give gain/lose defeat/lose absorb/emit absorb/release accelerate/decelerate
accelerate/slow tighten/loosen inhale/exhale heat/cool freeze/melt sink/float appear/vanish ascend/descend
invite/exclude recruit/repel help/hinder help/harm benefit/harm succeed/fail open/close rise/sink enter/leave hire/fire
employ/dismiss appoint/dismiss admit/expel allow/ban permit/ban legalize/ban legalise/ban impose/abolish impose/remove
continue/cease continue/stop start/stop survive/die marry/divorce raise/cut spend/save earn/spend favor/oppose
favour/oppose invade/defend deploy/withdraw attach/detach resist/surrender"""
_WORD_OPPOSITES = """slow/fast slow/rapid slow/quick slowly/rapidly slowly/quickly slower/faster simple/complex
simple/complicated simplest/complex weak/powerful weakest/powerful rare/frequent rarely/often rarely/frequently
rarely/commonly seldom/often rarest/commonest rarest/common safe/dangerous alive/dead living/dead active/passive
friendly/hostile peaceful/violent peaceful/hostile loud/quiet dark/bright thick/thin deep/shallow full/empty
full/partial whole/partial clean/dirty acidic/alkaline young/elderly young/old junior/senior primary/secondary
native/foreign voluntary/compulsory voluntary/mandatory optional/mandatory optional/compulsory optional/required
similarly/differently similar/differently fixed/variable static/dynamic symbiotic/parasitic beneficial/harmful
good/bad better/worse best/worst superior/inferior powerful/powerless tall/short near/far nearby/distant
within/outside interior/exterior inbound/outbound incoming/outgoing entrance/exit upward/downward upwards/downwards
upturned/downturned elevated/reduced elevated/decreased elevated/lowered friend/enemy friends/enemies ally/rival
allies/rivals ally/opponent allies/opponents supporter/opponent supporters/opponents supporter/critic
supporters/critics proponent/opponent proponents/opponents proponent/critic proponents/critics advocate/critic
advocates/critics detractor/proponent detractors/proponents detractor/supporter detractors/supporters profit/loss
profits/losses surplus/deficit credit/debt asset/liability assets/liabilities income/expense income/expenditure
benefit/drawback benefits/drawbacks health/disease praise/criticism reward/punishment rewards/punishments order/chaos
predecessor/successor predecessors/successors ancestor/descendant ancestors/descendants teacher/student
teachers/students master/servant master/slave offense/defense offence/defence offense/defence offensive/defense
offensive/defence agreement/disagreement beginning/end beginning/ending beginning/final opening/closing opening/final
closing/opening initial/final front/behind front/rear am/pm a.m./p.m. open/secret global/regional global/local
international/domestic secret/public hidden/visible plus/minus acquire/lose happy/sad guilty/innocent real/fake
genuine/fake fertile/barren masculine/feminine traditional/modern strict/lenient strict/loose tight/loose narrow/broad
abstract/concrete literal/figurative rigid/flexible optimistic/pessimistic optimist/pessimist ascending/descending
attractive/repulsive win/loss winning/losing wins/losses plural/singular few/most few/all parallel/perpendicular
convex/concave present/absent cheaper/costlier cheapest/costliest"""


def verb_forms(verb: str) -> frozenset[str]:
    """A verb's forms: itself, its irregular past forms, and its -s, -ed and -ing forms as regular spelling makes them
    ("stop": stops, stopped, stopping; "deny": denies, denied, denying)."""
    forms = {verb, *words_.irregular_past(verb)}
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif re.search(r"(?:ss|sh|ch|x|z)$", verb):
        forms |= {verb + "es", verb + "ed", verb + "ing"}
    else:
        forms |= {verb + "s", verb + "ed", verb + "ing"}
        if re.search(r"[^aeiou][aeiou][bdgmnprt]$", verb) and len(verb) <= 4:
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return frozenset(forms)


_PAIRS = tuple(
    (pair, *(forms(side) for side in pair.split("/")))
    for table, forms in ((_VERB_OPPOSITES, verb_forms), (_WORD_OPPOSITES, lambda word: frozenset((word,))))
    for pair in table.split()
)
"""Each pair as written ("take/give") with its two sides' forms."""
_PAIRS_OF: dict[str, tuple[int, ...]] = {}
for _number, (_, _one, _other) in enumerate(_PAIRS):
    for _form in _one | _other:
        _PAIRS_OF[_form] = (*_PAIRS_OF.get(_form, ()), _number)
"""Each form → the pairs (their places in _PAIRS) one side of which it is."""

_TAKE, _GIVE = verb_forms("take"), verb_forms("give")
# a process's close compared with its opening: "When is the closing date?" on "…opens 1 March, deadline 15 April"
_ENDS = frozenset(p for p, _, _ in _PAIRS if re.search(r"\b(?:close|closing|end|ending|final)\b", p.replace("/", " ")))
_DEADLINE = re.compile(r"(?i)\b(?:deadline|due|until|till)\b")
# the end side of those pairs: a sentence that states an end otherwise ("…opens on 1 May and ends on 30 May", "open
# from 9:00 to 17:00") says when a process closes, whatever opening it names beside it; likewise a start
_END_FORMS = frozenset(("close", "closes", "closed", "closing", "end", "ends", "ended", "ending", "final"))
# one act seen from its two sides: "was given command" says what "took command" asks
_CONVERSE = frozenset(("take/give", "send/receive", "lend/borrow"))
_PASSIVE = frozenset("is are was were be been being get got gets".split())
UNLESS_AFTER = 6
"""How many words after the sentence's opposite an "unless" makes it the condition's other side."""
NEAR = 4
"""How many words before and after each side's opposite the word both sides write must stand."""


def opposite_near(question: str, sentence: str) -> bool:
    """Whether the question writes a word of a pair of opposites (any form of a verb: "shorten", "took") whose other
    side the sentence writes ("expanded", "gave"), the sentence writing no form of the question's word and the question
    none of the sentence's, and a content word other than the pair's own stands within NEAR words of the opposite on
    both sides ("the Grand Canal" beside "shorten" and "expanded"). Not for a yes/no question or a negated one, nor
    where the sentence negates every opposite it writes ("does not promote" says what "discourage" asks), nor for an
    idiom ("take part", "it takes", "give rise", "a few", "the fall"), the passive of one act seen from its other side
    ("was given command" for "took command") or an end beside a deadline ("…until 15 April"). The first pair of the
    tables, in their order, that both sides write by these rules is the one the shared word must stand beside."""
    if denials.asks_yes_no(question) or has_negation(question):
        return False
    asked, said = tuple(words_.words(question)), _words(sentence)
    found = _first_opposite(asked, said, _DEADLINE.search(sentence) is not None, sentence)
    if found is None:
        return False
    asked_forms, said_forms = found
    return bool((_near(asked, asked_forms) & _near(said, said_forms)) - _stems(asked_forms | said_forms))


def _first_opposite(
    asked: tuple[str, ...], said: tuple[str, ...], deadline: bool, sentence: str = ""
) -> tuple[frozenset[str], frozenset[str]] | None:
    """The first pair of _PAIRS (in its order) one side of which `asked` writes and the other `said`, as the forms each
    writes, by opposite_near's rules bar the word nearby; None if none. `sentence`: the sentence as written, whose
    starts and ends (contradiction.process_verbs) are read only for an end pair."""
    asked_set = frozenset(asked)
    numbers = sorted({n for w in asked_set for n in _PAIRS_OF.get(w, ())})
    if not numbers:
        return None  # most questions write no word of a pair: nothing else to read
    said_set = frozenset(said)
    asked_stems, said_stems = _stems(asked), _stems(said)
    for number in numbers:
        pair, one, other = _PAIRS[number]
        for mine, theirs in ((one, other), (other, one)):
            wanted = mine & asked_set
            if not wanted or mine & said_set or theirs & asked_set:
                continue
            written = theirs & said_set
            if not written or _stems(wanted) & said_stems or _stems(written) & asked_stems:
                continue  # another form of either word on the other side
            if _idiom(asked, wanted) or _idiom(said, written) or (pair in _ENDS and deadline):
                continue
            if pair in _ENDS and ("end" if wanted & _END_FORMS else "start") in process_verbs(sentence):
                continue  # the sentence states the asked end (or start) in other words
            places = [i for i, w in enumerate(said) if w in written]
            if pair in _CONVERSE and any(i and said[i - 1] in _PASSIVE for i in places):
                continue
            if pair in _CONVERSE and other_party_asked(" ".join(asked), " ".join(said), wanted, written):
                continue  # "Who borrowed the money?" on "The bank lent the money to the city": the other party
            if all(NEGATORS.intersection(said[max(0, i - 3) : i]) for i in places):
                continue
            if "unless" not in asked and all("unless" in said[i + 1 : i + 1 + UNLESS_AFTER] for i in places):
                continue  # "…lose the grant unless the agency approves" says how to keep it (a question writing the
                # condition too asks of the same side)
            return wanted, written
    return None


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _words(sentence: str) -> tuple[str, ...]:
    return tuple(words_.words(sentence))


def _stems(words) -> set[str]:
    return {words_.match_stem(w) for w in words}


def _idiom(tokens: tuple[str, ...], forms: frozenset[str]) -> bool:
    """Whether `tokens` write one of `forms` in an idiom: "take part", "it takes", "give rise", "a few", "the fall"."""
    for i, word in enumerate(tokens):
        if word not in forms:
            continue
        before, after = tokens[i - 1] if i else "", tokens[i + 1] if i + 1 < len(tokens) else ""
        verb = "take" if word in _TAKE else "give" if word in _GIVE else None
        if (verb and after in PHRASE_AFTER) or (verb == "take" and before == "it"):
            return True
        if (word, before) in (("few", "a"), ("fall", "the")):
            return True
    return False


@functools.lru_cache(maxsize=1)
def _not_content() -> frozenset[str]:
    """English stop words and question words: what stands beside an opposite without anchoring it."""
    return words_.stopwords(("en",)) | words_.question_words()


def _near(tokens: tuple[str, ...], forms: frozenset[str]) -> set[str]:
    """The match stems of the content words within NEAR words of each of `forms` in `tokens`."""
    skip = _not_content()
    return {
        words_.match_stem(w)
        for i, word in enumerate(tokens)
        if word in forms
        for w in tokens[max(0, i - NEAR) : i] + tokens[i + 1 : i + 1 + NEAR]
        if w not in skip
    }


# "unimportant" for "important", "non-shared" for "shared", "independent" for "dependent": a word with a negating
# prefix on one side and without it on the other.
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")
# in- (im-, il-, ir-) negates adjectives and their nouns (inactive, inability); on a noun in -ion it is mostly "into"
# (immigration is no opposite of migration, nor infusion of fusion); "invaluable", "inflammable" say more, not less.
_PREFIX_OPENINGS = frozenset(prefix[:2] for prefix in _NEGATING_PREFIXES)
_INTO = frozenset(("in", "im", "il", "ir"))
_NOT_NEGATING = frozenset(("invaluable", "inflammable"))


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _prefix_words(text: str) -> tuple[str, ...]:
    """`text`'s words, "non" joined to the word after it ("non-shared" → "nonshared")."""
    tokens = words_.words(text)
    out: list[str] = []
    for i, word in enumerate(tokens):
        if i > 0 and tokens[i - 1] == "non" and out and out[-1] == "non":
            out[-1] = "non" + word
        else:
            out.append(word)
    return tuple(out)


def prefix_negated(question: str, sentence: str) -> bool:
    """Whether one side writes a word with a negating prefix (un-, in-, im-, il-, ir-, dis-, non-) where the other
    writes the word without it, and not the prefixed one ("Who played an unimportant role?" on "…played an important
    role"). As the same part of speech ("Which policies did they dislike?" is no opposite of "practices like
    circumcision"; non- negates whatever the tagger makes of "non-self"), and not after a negation ("no efficient
    algorithm is known" says "unknown")."""
    asked, said = _prefix_words(question), _prefix_words(sentence)
    only_asked, only_said = set(asked) - set(said), set(said) - set(asked)
    for prefixed, plain, prefixed_in_question in ((only_asked, only_said, True), (only_said, only_asked, False)):
        for word in prefixed:
            if word[:2] not in _PREFIX_OPENINGS:
                continue
            for prefix in _NEGATING_PREFIXES:
                base = word[len(prefix) :]
                if not word.startswith(prefix) or len(base) < 4 or base not in plain:
                    continue
                plain_words = said if prefixed_in_question else asked
                if any(w == base and NEGATORS.intersection(plain_words[max(0, i - 4) : i]) for i, w in enumerate(plain_words)):
                    continue
                question_word, sentence_word = (word, base) if prefixed_in_question else (base, word)
                if prefix in _INTO and (word in _NOT_NEGATING or word.endswith("ion")):
                    continue
                if prefix == "non" or _parts_of_speech(asked, question_word) & _parts_of_speech(said, sentence_word):
                    return True
    return False


def _parts_of_speech(words: tuple[str, ...], word: str) -> set[str]:
    """The word classes (first letter of the Penn tag: J, V, N, R...) `word` takes in `words`."""
    return {t.pos[:1] for w, t in zip(words, tagging.tag(words)) if w == word}


# in- (im-, il-, ir-) on words shaped as adjectives, adverbs or their nouns ("inactive", "inability"), not on verbs or
# nouns it means "into" on ("intakes" is no negation of "takes")
_ADJECTIVE_END = re.compile(
    r"(?:ble|bly|ent|ently|ant|antly|ive|ively|ate|ately|al|ally|ous|ously|ic|ical|ity|ence|ance|ency|ancy|ect|ete|ure"
    r"|ured|ite|ine|id|ness|ful|ed)s?$"
)
# words opening as a negating prefix does that negate nothing ("discover", "dispatch", "industrial", "infamous")
_NOT_NEGATED = """discover discount discharge display dispatch dispose distract dissolve dispense disperse discern disclose
dissect distend distil distill disgust dismantle dissipate distinguish distribute disturb nonsense indifferent infamous
invaluable inflammable intimate instructive industrial innate intestinal"""
_HYPHENED = re.compile(r"(?i)\b(non|un|dis|in)-(?=[a-z])")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """`word`'s Snowball stem ("officially", "official" → "offici")."""
    return words_.snowball([word])[0]


@functools.lru_cache(maxsize=1)
def _not_negated() -> frozenset[str]:
    return frozenset(_stem(w) for w in _NOT_NEGATED.split())


def prefix_negated_form(question: str, sentence: str) -> bool:
    """Whether the question writes a word with a negating prefix (un-, in-, im-, il-, ir-, dis-, non-) whose base the
    sentence writes in another form, by their Snowball stems ("unofficially documented" on "official histories",
    "disestablish" on "establishing", "uninvited" on "invited"), writing neither the prefixed word itself nor its stem,
    and no negation in the four words before the base ("was not invited" says "uninvited"). Only the question's prefix
    (the sentence's may qualify what the question asks); a base of five letters or more; in- (im-, il-, ir-) only on
    words shaped as adjectives or their nouns and never on a noun in -ion ("intakes", "immigration"); non- not before a
    name ("non-Russians"); no part-of-speech check, and words such as "discover" or "industrial" are not negated."""
    asked, said = _prefix_words(_HYPHENED.sub(r"\1", question)), _prefix_words(_HYPHENED.sub(r"\1", sentence))
    prefixed = [w for w in set(asked) - set(said) if w[:2] in _PREFIX_OPENINGS]
    if not prefixed:
        return False  # most questions write no word opening as a negating prefix does
    stems: dict[str, str] = {}
    for word in said:
        stems.setdefault(_stem(word), word)  # each stem → the sentence's first word of it
    # capitalised words: the sentence's, and the question's but its first
    names = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", sentence) + re.findall(r"\b(?<!^)[A-Z][a-z]+", question)}
    for word in prefixed:
        for prefix in _NEGATING_PREFIXES:
            base = word[len(prefix) :]
            if not word.startswith(prefix) or len(base) < 5:
                continue
            if prefix in _INTO and (word in _NOT_NEGATING or word.endswith(("ion", "ions")) or not _ADJECTIVE_END.search(word)):
                continue
            if _stem(word) in _not_negated() or _stem(base) not in stems or _stem(word) in stems:
                continue
            plain = stems[_stem(base)]
            if prefix == "non" and (base in names or plain in names):
                continue
            if any(w == plain and NEGATORS.intersection(said[max(0, i - 4) : i]) for i, w in enumerate(said)):
                continue
            return True
    return False
