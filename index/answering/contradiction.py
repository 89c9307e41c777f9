"""Does the sentence say the opposite of what the question says? Declines for the confidence (issue 12 item 4).

SQuAD 2.0's writers made many questions unanswerable by changing one word of a sentence into its contrary: an
opposite ("a decrease" for "an increase"), a negating prefix ("unimportant" for "important"), another number, another
member of a closed set. A question doing so asks about something the sentence does not state, whatever else they
share. Generic English only: opposites are common pairs. (A negating prefix, and an opposite in another form than the
ones written here, "took" asked and "gave" written: antonyms.py; another number or place on a scale: number_swaps.py;
another weekday, month, colour...: closed_sets.py; a sentence denying the question's words: denials.py.)

    opposite_swapped(question, sentence)   the sentence says the opposite (less for more, after for before)
    least_asked(question, sentence)        "the least important" asked, "important" written plainly
    role_qualified(question, sentence)     "the vice-chair" asked, only "the chair" written
    process_verbs(text)                    start / end, as verbs or marked dates ("since 2013", "until 2020")
    other_party_asked(question, sentence, asked, said)   one act from its two sides ("bought" asked, "sold" written)
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_
from docqa.index.answering import number_words, tagging
from docqa.index.answering.premise import word_stems

__all__ = [
    "NEGATORS", "PHRASE_AFTER", "least_asked", "opposite_swapped", "other_party_asked", "process_verbs", "role_qualified",
]


# Generic English opposites (not any corpus's words): a question saying one where the text says the other
# asks about something the text does not state ("more adept" for "less adept").
_OPPOSITES = tuple(
    tuple(pair.split("/"))
    for pair in """more/less most/least before/after first/last increase/decrease increased/decreased higher/lower
    highest/lowest larger/smaller largest/smallest bigger/smaller early/late earlier/later earliest/latest major/minor
    maximum/minimum north/south east/west northern/southern eastern/western positive/negative inside/outside
    above/below old/new older/newer oldest/newest same/different similar/different
    success/failure successful/unsuccessful rise/fall rose/fell win/lose won/lost accept/reject accepted/rejected
    include/exclude included/excluded allow/prohibit allowed/prohibited strong/weak stronger/weaker strongest/weakest
    long/short longer/shorter longest/shortest high/low rich/poor wealthy/poor upper/lower inner/outer private/public
    internal/external direct/indirect legal/illegal male/female men/women man/woman father/mother son/daughter
    king/queen always/never all/none many/few much/little gain/loss gained/lost import/export imported/exported
    buy/sell bought/sold open/closed opened/closed support/oppose supported/opposed agree/disagree true/false
    fast/slow faster/slower hot/cold warm/cool heavy/light wide/narrow cheap/expensive easy/difficult
    common/rare modern/ancient future/past before/since minority/majority minorities/majorities weakness/strength
    weaknesses/strengths victory/defeat victories/defeats ally/enemy allies/enemies top/bottom birth/death born/died
    war/peace arrival/departure urban/rural entry/exit sender/receiver buyer/seller employer/employee husband/wife
    brother/sister day/night inflow/outflow upstream/downstream winner/loser winners/losers large/small big/small
    vertical/horizontal enter/exit enters/exits entered/exited similarity/difference similarities/differences
    modern/medieval current/former constant/variable presence/absence dry/wet solid/liquid rising/falling
    domestic/foreign offensive/defensive summer/winter succeed/fail succeeded/failed succeeds/fails permanent/temporary
    natural/artificial add/remove added/removed input/output forward/backward increase/reduce increased/reduced
    attack/defend attacked/defended enhance/diminish enhances/diminishes enhanced/diminished strengthen/weaken
    strengthens/weakens strengthened/weakened encourage/discourage encourages/discourages encouraged/discouraged
    decline/rise declines/rises declined/rose fail/successfully fails/successfully failed/successfully give/take
    gives/takes gave/took given/taken""".split()
)


_WORDS_WITH_OPPOSITES = {word for pair in _OPPOSITES for word in pair}
_OPPOSITE_OF = {word: frozenset(other for pair in _OPPOSITES if word in pair for other in pair if other != word) for word in _WORDS_WITH_OPPOSITES}
"""Each word of _OPPOSITES and its opposites ("smaller": larger, bigger)."""


# A process's start and end, compared where they are verbs: "should start end of 2017" says when it starts, and its
# "end" is a noun (after a determiner or before "of"), so it says nothing of when it ends.
_PROCESS_FORMS = {
    "start": "start starts started starting",
    "begin": "begin begins began begun beginning",
    "end": "end ends ended ending",
    "finish": "finish finishes finished finishing",
    "launch": "launch launches launched launching",
    "commence": "commence commences commenced commencing",
    "open": "open opens opened",
    "close": "close closes closed",
}
# "begin", "launch" and "commence" say what "start" says, "finish" what "end" says: "began the war" answers "when did
# it start?", "It was launched in 2019 and is funded until 2027" says when it started; a call or a portal opens and
# closes ("When will the next call close?" on "…is planned to open in autumn 2025")
_SAME_PROCESS = {"begin": "start", "launch": "start", "commence": "start", "finish": "end", "open": "start", "close": "end"}
_PROCESS_OF = {form: _SAME_PROCESS.get(verb, verb) for verb, forms in _PROCESS_FORMS.items() for form in forms.split()}
_PROCESS_OPPOSITE = {"start": {"end"}, "end": {"start"}}
_NEAR_OR_OPEN_TO = frozenset(_PROCESS_FORMS["open"].split() + _PROCESS_FORMS["close"].split())
"""Before "to" or "by" these say no time: "close to 500 people", "open to the public", "closed by a gate"; nor after
a determiner or a word of degree ("how close", "very open")."""
_DEGREE = words_.PHRASE_DETERMINERS | frozenset("how so very too as more most less fairly quite".split())


# A date after "since" is when something started ("Since 2013, ANR was involved…"), one after "until" when it ended;
# "come to an end" and "since when / until when" ask for them. A deadline, a closing date and what is due (by) a date
# are an end too: "The call opens on 1 March and the deadline is 15 April" says when it closes.
_DATED = r"(?:(?:the\s+)?(?:early|late|mid|end\s+of|beginning\s+of)?\s*\d{3,4}|(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)"
# A range of times or dates ("from 9 am to 5 pm", "9:00–17:00", "1 March to 15 April") says when something starts and
# when it ends: "When does the office close?" on "The office is open from 9:00 to 17:00".
_TIME = r"\d{1,2}(?:[:.]\d\d\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
_RANGE = rf"(?:\b{_TIME}|{_DATED})\s*(?:to|until|till|through|–|—|-)\s*(?:\d|{_DATED})"
_MARKED = (
    ("start", re.compile(rf"(?i)\bsince\s+(?:when\b|{_DATED})|{_RANGE}")),
    (
        "end",
        re.compile(
            rf"(?i)\b(?:until|till)\s+(?:when\b|{_DATED})|\bc[oa]me?s?\s+to\s+an\s+end\b|\bdeadlines?\b|\bclosing\s+dates?\b"
            rf"|\bdue\s+(?:by\b|before\b|dates?\b|(?:(?:on|in)\s+)?(?:\d|{_DATED}))"  # not "due to", "in due course"
            rf"|{_RANGE}"
        ),
    ),
)


@functools.lru_cache(maxsize=16384)
def process_verbs(text: str) -> frozenset[str]:
    """The process verbs (start, begin, end, finish) `text` uses as verbs, each as "start" or "end", and "start" /
    "end" where a date is marked as one ("since 2013", "until 2020", "the deadline is 15 April")."""
    tokens = words_.words(text)
    verbs = {
        _PROCESS_OF[w]
        for i, w in enumerate(tokens)
        if w in _PROCESS_OF
        and not (i > 0 and tokens[i - 1] in (_DEGREE if w in _NEAR_OR_OPEN_TO else words_.PHRASE_DETERMINERS))
        and not (i + 1 < len(tokens) and tokens[i + 1] in (("of", "to", "by") if w in _NEAR_OR_OPEN_TO else ("of",)))
    }
    return frozenset(verbs | {verb for verb, marked in _MARKED if marked.search(text)})


# "The current / modern name?" asks what holds now; a sentence saying "now", "today"... says it beside the former one
# ("medieval Lutetia, now called Paris").
_NOW = frozenset(("current", "modern"))
_NOW_SAID = frozenset("now today currently nowadays presently".split())


def opposite_swapped(question: str, sentence: str) -> bool:
    """Whether the question says a word (more, before, first, north...) where the sentence says its opposite, and not
    it; or asks when something ends where the sentence says when it starts (and the other way round)."""
    asked, said = _word_set(question) - _other_sense(question), _word_set(sentence) - _other_sense(sentence)
    measured = _measured(question)
    stems = word_stems(sentence)
    if any(
        word not in said
        and not _OPPOSITE_OF[word].isdisjoint(said)
        and word not in measured
        and not _offers(asked, _OPPOSITE_OF[word])  # "public or private?", "the West … eastern": the question offers both
        and words_.match_stem(word) not in stems  # "open" asked, "Opened in 1890, closed in 2019" written
        and not (word in _NOW and not _NOW_SAID.isdisjoint(said))
        and not _only_negated(sentence, _OPPOSITE_OF[word])  # "not successful" says "unsuccessful"
        and not (_DIRECTION_OF.get(word) and _DIRECTION_OF[word] & said)  # "increase" written beside "fall": "rise"
        and not other_party_asked(question, sentence, frozenset((word,)), _OPPOSITE_OF[word] & said)
        for word in asked & _OPPOSITE_OF.keys()
    ):
        return True
    if asked.isdisjoint(_PROCESS_OF) and asked.isdisjoint(("since", "until", "till")):
        return False
    wanted, stated = process_verbs(question), process_verbs(sentence)
    if len(wanted) > 1:
        return False  # "from start to finish", "…start: beginning, middle or end?": the question offers both
    return any(verb not in stated and not _PROCESS_OPPOSITE[verb].isdisjoint(stated) for verb in wanted)


NEGATORS = frozenset("not no never nor without cannot t".split())  # "t": "isn't" is read "isn", "t"
# Words of one direction: a sentence writing one of them beside the asked word's opposite states the asked direction
# too ("What causes prices to rise?" on "Prices increase when demand grows and fall when supply expands").
_DIRECTIONS = (
    frozenset("increase increases increased increasing rise rises rose risen rising grow grows grew grown growing".split()),
    frozenset("decrease decreases decreased decreasing fall falls fell fallen falling decline declines declined declining drop drops dropped".split()),
)
_DIRECTION_OF = {word: direction - {word} for direction in _DIRECTIONS for word in direction}


def _only_negated(sentence: str, words: frozenset[str]) -> bool:
    """Whether every one of `words` that `sentence` writes has a negation in the three words before it ("Applicants
    who are not successful…", "…who do not agree with the decision"): a negated opposite says what the question asks."""
    tokens = words_.words(sentence)
    places = [i for i, w in enumerate(tokens) if w in words]
    return bool(places) and all(NEGATORS.intersection(tokens[max(0, i - 3) : i]) for i in places)


# One act seen from its two sides: the giver gives what the taker takes, the seller sells what the buyer buys. "Who
# borrowed the money?" on "The bank lent the money to the city" asks the other party, whom the sentence names: only
# the same doer on both sides ("What did the Yuan take?" on "The Yuan gave…") is an opposite.
CONVERSE_VERBS = (
    frozenset("give gives gave given giving take takes took taken taking".split()),
    frozenset("buy buys bought buying sell sells sold selling".split()),
    frozenset("send sends sent sending receive receives received receiving".split()),
    frozenset("lend lends lent lending borrow borrows borrowed borrowing".split()),
)
_AUXILIARIES = frozenset("do does did will would can could may might must shall should has have had also then not".split())
_WHO = frozenset("who whom what which".split())
DOER_BEFORE = 6
"""How many words before the sentence's verb the question's doer may stand ("The Yuan dynasty gave…")."""


def other_party_asked(question: str, sentence: str, asked: frozenset[str], said: frozenset[str]) -> bool:
    """Whether `asked` (the question's forms of a verb) and `said` (the sentence's forms of its converse: "bought" and
    "sold") tell one act from its two sides with two doers: the question's doer is its question word ("Who bought
    the shares?") or a word that does not stand within DOER_BEFORE words before the sentence's verb, where a content
    word stands as the sentence's doer ("What do applicants receive?" on "The agency sends each applicant…")."""
    if not any(asked <= forms and said <= forms for forms in CONVERSE_VERBS):
        return False
    q_tokens, s_tokens = words_.words(question), words_.words(sentence)
    skip = words_.stopwords(("en",))
    for i, word in enumerate(q_tokens):
        if word not in asked:
            continue
        j = i - 1
        while j >= 0 and q_tokens[j] in _AUXILIARIES:
            j -= 1
        doer = q_tokens[j] if j >= 0 else ""
        if doer in _WHO:
            return True
        for k, said_word in enumerate(s_tokens):
            if said_word not in said:
                continue
            before = s_tokens[max(0, k - DOER_BEFORE) : k]
            own = [w for w in before if w not in skip and w not in _AUXILIARIES]
            if doer not in skip and words_.match_stem(doer) not in {words_.match_stem(w) for w in before} and own:
                return True
    return False


def least_asked(question: str, sentence: str) -> bool:
    """Whether the question asks for the least of something ("the least important mediators") that the sentence says
    plainly, with no "least", "less" or "fewest" ("…are also important mediators"), and no superlative or minimum of
    its own that the question does not write ("the smallest share", "the minimum amount": the least said otherwise):
    it states the opposite. "At least" and "not least" bound or stress, they ask no least, nor does "least" before a
    number (the "at least 18" of a visitor who left out the "at")."""
    if "least" not in question.lower():
        return False  # most questions: nothing to read
    asked, said, stop = words_.words(question), _word_set(sentence), words_.stopwords(("en",))
    return (
        not _DEGREE_DOWN & said
        and any(
            word == "least"
            and i + 1 < len(asked)
            and asked[i + 1] in said
            and asked[i + 1] not in stop  # "resonate least with" grades the verb before it
            and not (asked[i + 1].isdecimal() or asked[i + 1] in number_words.VALUES)
            and (i == 0 or asked[i - 1] not in ("at", "not"))
            for i, word in enumerate(asked)
        )
        and not _own_superlative(sentence, asked)
    )


_DEGREE_DOWN = frozenset(("least", "less", "fewest", "minimum", "minimal"))


def _own_superlative(sentence: str, asked: list[str]) -> bool:
    """Whether `sentence` writes a superlative ("the smallest share") that the question does not ("least best")."""
    said = words_.words(sentence)
    return any(t.pos in ("JJS", "RBS") and w not in asked for w, t in zip(said, tagging.tag(said)))


def _offers(asked: frozenset[str], words: frozenset[str]) -> bool:
    """Whether the question writes one of `words`, or the same direction otherwise ("West" for "western")."""
    return not words.isdisjoint(asked) or not {_direction(w) for w in words}.isdisjoint(_direction(a) for a in asked)


def _direction(word: str) -> str:
    """A compass direction's word as its bare direction ("western", "westward" → "west"); other words as they are."""
    bare = re.sub(r"(?:ern|erly|wards?)$", "", word)
    return bare if bare in ("north", "south", "east", "west") else word


_SUCCEED = frozenset(("succeed", "succeeds", "succeeded"))
_GIVE_TAKE = frozenset("give gives gave given take takes took taken".split())
# "take place", "take part", "give rise to", "give way": a verb of a phrase, no giving or taking
PHRASE_AFTER = frozenset(
    """place part care into account effect office over off hold advantage time turns up out on steps action note shape
    root charge rise way birth evidence notice access priority preference credit attention voice""".split()
)
# "Who did the army defeat?" defeats someone, no defeat the army suffered: "won a victory over the rebels" answers it
_DEFEAT = frozenset(("defeat", "defeats"))
_VERB_BEFORE = frozenset("who which did does do will would can could may might must to".split())


def _verb_of(tokens: list[str], at: int) -> bool:
    """Whether `tokens`' word at `at` stands as a verb: after "to", a modal or a question word ("Who defeats…"), or
    after "did", "does", "do"... within four words and not after a determiner ("did the army defeat", not "did the
    defeat")."""
    before = tokens[at - 1]
    if before in _VERB_BEFORE:
        return True
    return before not in words_.PHRASE_DETERMINERS and not _VERB_BEFORE.isdisjoint(tokens[max(0, at - 4) : at])


_SUCCEEDS_AT = frozenset(("in", "at", "to", "and", "or", "but", "because", "when", "if", "against", "with", "without"))


@functools.lru_cache(maxsize=16384)
def _other_sense(text: str) -> frozenset[str]:
    """Words of `text` whose opposite in _OPPOSITES is not the sense they are used in: "succeed" taking an object
    ("Who succeeded Edward?", "was succeeded by Harold") is to follow, no opposite of failing; "much larger" and "a
    little larger" grade a comparison, they oppose no quantity; "take place", "give rise to" give and take nothing; "did the army defeat" is a verb, no defeat suffered."""
    tokens = words_.words(text)
    return frozenset(
        w
        for i, w in enumerate(tokens)
        if (w in _SUCCEED and i + 1 < len(tokens) and tokens[i + 1] not in _SUCCEEDS_AT)
        or (w == "much" and i + 1 < len(tokens) and _comparative(tokens[i + 1]))
        or (w == "little" and i > 0 and tokens[i - 1] == "a")
        or (w in _GIVE_TAKE and i + 1 < len(tokens) and tokens[i + 1] in PHRASE_AFTER)
        or (w in _DEFEAT and i > 0 and _verb_of(tokens, i))
    )


def _comparative(word: str) -> bool:
    """Whether `word` reads as a comparative ("larger", "more", "better"), which "much" before it grades."""
    return word in ("more", "less", "better", "worse", "too") or (len(word) > 4 and word.endswith("er"))


@functools.lru_cache(maxsize=4096)  # read once for the question's candidates
def _measured(question: str) -> frozenset[str]:
    """The words `question` asks a measure or a date with, asserting none of them."""
    tokens = words_.words(question)
    # "How many / long / old / high…?" asks a measure and asserts none ("a few hundred" answers "how many"; not so
    # "…depending on how weak it is"); "How long did it last?" asks a duration ("…the last war…" asserts "last").
    measured = {b for a, b in zip(tokens[:2], tokens[1:3]) if a == "how"}  # opening it: "(In) how many…"
    if "long" in measured and tokens[-1:] == ["last"]:
        measured.add("last")
    # "What / which day is the festival?" asks a date: "on the night of 21 June" answers it; so does "what time of day"
    measured |= {b for a, b in zip(tokens, tokens[1:]) if a in ("what", "which") and b in ("day", "night")}
    measured |= {c for a, b, c in zip(tokens, tokens[1:], tokens[2:]) if (a, b, c) == ("time", "of", "day")}
    return frozenset(measured)


# A role qualified: "Who is the deputy director?" asks someone other than the director ("vice-chair", "co-founder",
# "acting president", "assistant editor").
_QUALIFIED_ROLE = re.compile(r"\b(vice|deputy|assistant|acting|interim|co)[\s\-]+([a-z]{3,})\b", re.IGNORECASE)


def role_qualified(question: str, sentence: str) -> bool:
    """Whether the question asks of a qualified role ("the vice-chair", "the deputy director") that the sentence
    writes only unqualified ("Its current chair is…", "the director general, Dr Berg")."""
    for match in _QUALIFIED_ROLE.finditer(question):
        qualifier, role = match.group(1).lower(), match.group(2).lower()
        if re.search(rf"\b{qualifier}[\s\-]+{role}", sentence, re.IGNORECASE) is None and re.search(rf"\b{role}\b", sentence, re.IGNORECASE):
            return True
    return False


@functools.lru_cache(maxsize=16384)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(words_.words(text))
