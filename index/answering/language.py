"""French or English? The assistant's messages in the visitor's language, and a rough French → English gloss.

The bundled embedding model only knows English, so a French question is glossed
word by word into English-ish text before it is embedded and matched. Nothing in
here is about one collection; four general means do the work:

- a **general glossary** (`GLOSSARY`, `REGULAR_VERBS`): function and question words,
  frequent verbs (every form of a regular *-er* / *-ir* verb from its infinitive) and
  everyday nouns and adjectives that are not cognates ("quand" → when, "année" → year,
  "démarrer" → start) — the words any visitor of any site types;
- **word order**: a noun, *de* and a bare noun is an English compound, modifier first ("activités de
  recherche" → "research activities", "plan d'action" → "action plan"), unless the head is a count or a
  kind ("nombre de" → "number of") or the second word a verb;
- **cognate rules** (`cognate`): French spelling patterns mapped to their English
  counterparts ("-ité" → "-ity", "-ique" → "-ic", "-isé" → "-ised", "-eur" → "-or",
  "-aire" → "-ary", "-onnel" → "-onal"...), so "activités spécifiques" reads
  "activities specific" and matches the documents' English words;
- **everything else passes through** as written: names, acronyms and the many
  technical words French shares with English ("coordination", "observateur");
  accent folding and stems (docqa.index.text) then let the lexical matcher pair
  them with the documents' words ("organisateur" ~ "organiser").

(A question's word meets its common synonyms in a sentence through thesaurus.py.)
"""

from __future__ import annotations

import functools
import re

from docqa.index.answering import tagging
from docqa.index.text import fold, question_words

__all__ = [
    "GLOSSARY",
    "LANGUAGES",
    "MESSAGES",
    "REGULAR_VERBS",
    "cognate",
    "detect_language",
    "gloss_french",
    "is_french_word",
    "message",
    "pronoun_is_subject",
    "translate_word",
]

LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "not_found": "I could not find this in the documents.",
    },
    "fr": {
        "not_found": "Je n'ai pas trouvé cette information dans les documents.",
    },
}

# French words that mark a question as French beyond the stop and question words (index/text.py).
_FRENCH_CUES = frozenset("apres avant avoir chez depuis dit entre etre fait leurs parle peut sans va".split())


@functools.lru_cache(maxsize=1)
def _function_words() -> tuple[frozenset[str], frozenset[str]]:
    """(English, French) folded words that tell the languages apart: each one's stop and question
    words (index/text.py), less those both languages share ("a", "on", "me"...)."""
    english = question_words(("en",))
    french = question_words(("fr",)) | _FRENCH_CUES
    return english - french, french - english - _ENGLISH_TOO


_ENGLISH_TOO = frozenset({"eu"})
"""French stop words an English question writes too: "eu" (had) is the EU typed in lower case ("eu commission role")."""


# Multi-word French expressions first (matched on accent-folded, lower-cased text). Grammar only.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"qu'?est[- ]ce qui", "what"),
    (r"qu'?est[- ]ce qu'?(?:e)?", "what is "),
    (r"est[- ]ce qu'?(?:e)?", ""),
    (r"depuis quand", "since when"),
    (r"depuis combien de temps", "how long"),
    (r"en quelle annee", "what year"),
    (r"a quelle date", "what date"),
    (r"a quelle (?:echeance|periode|epoque)", "when"),
    (r"combien (?=cout)", "how much "),
    (r"combien de", "how many"),
    (r"combien d'", "how many "),
    # "Combien l'ANR a-t-elle investi ?": combien without "de" asks how much, unless it counts ("combien sont-ils")
    (r"combien (?!sont\b|y\b|existe)", "how much "),
    (r"parle[zs]?[- ]moi d[eu']", "tell me about "),
    (r"parle[zs]?[- ]moi", "tell me about"),
    (r"di(?:s|tes)[- ]moi", "tell me"),
    (r"a quoi sert", "what is the purpose of"),
    (r"qui est", "who is"),
    (r"quel(?:le)?s? (?=(?:est|sont|etait|etaient|sera|seront|serait)\b)", "what "),
    (r"quel(?:le)?s?\b", "which"),
    (r"c'est quoi|c quoi", "what is"),  # "c quoi": as phones type it
    (r"la[- ]dedans|dedans", "in it"),
    (r"a quel moment", "when"),
    (r"de quand date", "when is"),
    (r"il y a", "there are"),
    (r"y a[- ]t[- ]il", "are there"),
    (r"where en est", "what is the status of"),
    (r"a partir de", "from"),
    (r"grace a", "thanks to"),
    (r"afin de", "in order to"),
    (r"au sein d[eu']", "within"),
    (r"en cours", "ongoing"),
    (r"veu(?:t|lent) dire", "means"),
    (r"mot de passe", "password"),
    (r"date limite", "deadline"),
    (r"autre chose", "anything else"),
    (r"mis(?:e|es)? en (?:oe|œ)uvre", "implemented"),
    (r"mettre en (?:oe|œ)uvre", "implement"),
    (r"-t-(?:il|elle|ils|elles|on)\b", ""),
    (r"-(?:il|elle|ils|elles|on)\b", ""),
)

# General vocabulary, accent-folded French → English. Not one collection's words: question and
# function words, irregular verb forms, everyday nouns/adjectives/adverbs that are not cognates.
GLOSSARY: dict[str, str] = {
    # question words
    "quand": "when", "combien": "how many", "qui": "who", "pourquoi": "why", "comment": "how",
    "quel": "what", "quelle": "what", "quels": "what", "quelles": "what", "que": "what", "quoi": "what",
    "lequel": "which", "laquelle": "which", "lesquels": "which", "lesquelles": "which", "dont": "of which",
    # articles, pronouns, prepositions, conjunctions
    "le": "the", "la": "the", "les": "the", "l": "the", "un": "a", "une": "a", "des": "", "du": "of", "de": "of",
    "d": "of", "et": "and", "mais": "but", "donc": "so", "car": "because", "si": "if", "ni": "nor",
    "il": "it", "elle": "it", "ils": "they", "elles": "they", "on": "one", "je": "i", "j": "i", "tu": "you",
    "nous": "we", "vous": "you", "moi": "me", "toi": "you", "lui": "him", "eux": "them", "me": "me", "m": "me",
    "te": "you", "se": "", "s": "", "y": "there", "en": "in", "ce": "this", "cet": "this", "cette": "this",
    "ces": "these", "celui": "the one", "celle": "the one", "ceux": "those", "cela": "that", "ceci": "this",
    "ca": "it", "c": "it", "qu": "what", "son": "its", "sa": "its", "ses": "its", "leur": "their",
    "leurs": "their", "mon": "my", "ma": "my", "mes": "my", "votre": "your", "vos": "your", "notre": "our",
    "nos": "our", "dans": "in", "sur": "on", "sous": "under", "pour": "for", "par": "by", "avec": "with",
    "sans": "without", "au": "to the", "aux": "to the", "a": "", "entre": "between", "depuis": "since",
    "apres": "after", "avant": "before", "pendant": "during", "chez": "at", "vers": "towards", "contre": "against",
    "selon": "according to", "parmi": "among", "jusqu": "until", "jusque": "until", "lors": "during",
    "ne": "", "n": "", "pas": "not", "plus": "more", "moins": "less", "jamais": "never", "rien": "nothing",
    "tout": "all", "tous": "all", "toute": "all", "toutes": "all", "autre": "other", "autres": "other",
    "chaque": "each", "plusieurs": "several", "quelques": "some", "certains": "some", "certaines": "some",
    "meme": "same", "aussi": "also", "egalement": "also", "deja": "already", "encore": "still", "toujours": "still",
    "actuellement": "currently", "actuel": "current", "actuelle": "current", "aujourd": "today", "hui": "",
    "demain": "tomorrow", "hier": "yesterday", "bientot": "soon", "maintenant": "now", "alors": "then",
    "ici": "here", "la-bas": "there", "tres": "very", "bien": "well", "beaucoup": "many", "peu": "few",
    "environ": "about", "ensuite": "then", "enfin": "finally", "oui": "yes", "non": "no",
    "vraiment": "really", "seulement": "only", "notamment": "including", "ainsi": "thus",
    # irregular verbs (être, avoir, faire, aller, pouvoir, devoir, vouloir, savoir, voir, venir, prendre,
    # mettre, dire, tenir, prévoir, recevoir, offrir, atteindre, comprendre, contenir, obtenir...)
    "est": "is", "sont": "are", "etait": "was", "etaient": "were", "sera": "will be", "seront": "will be",
    "etre": "be", "ete": "been", "soit": "is", "serait": "would be", "fut": "was",
    "ai": "have", "as": "have", "ont": "have", "avait": "had", "avaient": "had", "aura": "will have",
    "auront": "will have", "avoir": "have", "eu": "had", "aurait": "would have",
    "fait": "does", "font": "do", "faire": "do", "fera": "will do", "feront": "will do", "faisait": "did",
    "va": "will", "vont": "will", "aller": "go", "ira": "will go", "allait": "was going",
    "peut": "can", "peuvent": "can", "pouvoir": "can", "pourra": "will be able", "pourrait": "could", "pu": "could",
    "doit": "should", "doivent": "should", "devoir": "must", "devra": "will have to", "devrait": "should",
    "veut": "wants", "veulent": "want", "vouloir": "want", "voudrait": "would like", "voudrais": "would like",
    "sait": "knows", "savoir": "know", "sais": "know", "voit": "sees", "voient": "see", "voir": "see", "vu": "seen",
    "vient": "comes", "viennent": "come", "venir": "come", "venu": "come", "viendra": "will come",
    "devient": "becomes", "devenir": "become", "devenu": "become",
    "prend": "takes", "prennent": "take", "prendre": "take", "pris": "taken", "prise": "taken",
    "met": "puts", "mettent": "put", "mettre": "put", "mis": "put", "mise": "put",
    "dit": "says", "disent": "say", "dire": "say",
    "tient": "holds", "tiennent": "hold", "tenir": "hold", "tenu": "held",
    "prevoit": "plans", "prevoient": "plan", "prevoir": "plan", "prevu": "planned", "prevue": "planned",
    "prevus": "planned", "prevues": "planned",
    "recoit": "receives", "recoivent": "receive", "recevoir": "receive", "recu": "received",
    "offre": "offers", "offrent": "offer", "offrir": "offer", "offert": "offered",
    "atteint": "reaches", "atteindre": "reach", "atteignent": "reach",
    "comprend": "comprises", "comprennent": "comprise", "comprendre": "comprise", "compris": "included",
    "contient": "contains", "contiennent": "contain", "contenir": "contain",
    "obtient": "gets", "obtenir": "get", "obtenu": "got", "appartient": "belongs", "appartenir": "belong",
    "construit": "builds", "construire": "build", "produit": "produces", "produire": "produce",
    "conduit": "leads", "conduire": "lead", "reunit": "brings together", "reunir": "bring together",
    "reunissent": "bring together", "sert": "serves", "servir": "serve", "suit": "follows", "suivre": "follow",
    "vit": "lives", "vivre": "live", "ouvre": "opens", "ouvrir": "open", "ouvert": "open", "ouvrira": "will open",
    "couvre": "covers", "couvrent": "cover", "couvrir": "cover", "ecrit": "writes", "ecrire": "write",
    "lit": "reads", "lire": "read", "connait": "knows", "connaitre": "know",
    "permet": "allows", "permettent": "allow", "permis": "allowed", "soutient": "supports",
    "soutiennent": "support", "soutenu": "supported", "accueille": "hosts", "accueillent": "host",
    "faut": "needs", "fallait": "needed",
    # everyday nouns (not cognates)
    "echeance": "deadline", "annee": "year", "annees": "years", "an": "year", "ans": "years", "mois": "month", "semaine": "week",
    "periode": "period", "periodes": "periods",
    "jour": "day", "jours": "days", "heure": "hour", "heures": "hours", "temps": "time", "fois": "time",
    "siecle": "century", "debut": "start", "fin": "end", "duree": "duration", "delai": "deadline",
    "pays": "country", "ville": "city", "monde": "world", "lieu": "place",
    "endroit": "place", "siege": "headquarters", "adresse": "address", "courriel": "email",
    "meteo": "weather", "nom": "name", "prenom": "first name", "sigle": "acronym", "acronyme": "acronym", "signification": "meaning", "nombre": "number", "vie": "life", "partie": "part",
    "chiffre": "figure", "montant": "amount", "prix": "price", "cout": "cost", "argent": "money",
    "somme": "sum", "taille": "size", "but": "aim", "enjeu": "stake", "theme": "theme", "travaux": "work",
    "enjeux": "stakes", "defi": "challenge", "defis": "challenges", "frein": "obstacle", "freins": "obstacles",
    "sorte": "kind", "genre": "kind", "facon": "way", "moyen": "means", "moyens": "means", "etat": "state",
    "personne": "person", "personnes": "people", "gens": "people", "homme": "man", "femme": "woman",
    "enfant": "child", "enfants": "children", "travail": "work", "emploi": "job", "metier": "job",
    "entreprise": "company", "entreprises": "companies", "societe": "company", "chercheur": "researcher",
    "chercheurs": "researchers", "recherche": "research", "recherches": "research", "sante": "health",
    "soin": "care", "soins": "care", "agence": "agency", "agences": "agencies", "ministre": "minister",
    "ministere": "ministry", "ministeres": "ministries", "gouvernement": "government", "loi": "law",
    "financement": "funding", "financements": "funding", "appel": "call", "appels": "calls",
    "projet": "project", "projets": "projects", "reseau": "network", "reseaux": "networks",
    "plateforme": "platform", "outil": "tool", "outils": "tools", "donnees": "data", "rapport": "report",
    "etude": "study", "etudes": "studies", "soutien": "support", "aide": "help", "aides": "grants",
    "chef": "head", "responsable": "head", "directrice": "director", "auteur": "author",
    "salarie": "employee", "salaries": "employees", "employe": "employee", "employes": "employees",
    "membre": "member", "membres": "members", "partenaire": "partner", "partenaires": "partners",
    "billet": "ticket", "mot": "word", "chaine": "chain",
    "valeur": "value", "marche": "market", "acces": "access", "approche": "approach", "plein": "full",
    "complet": "full", "complete": "full", "entier": "whole", "ensemble": "whole", "cas": "case",
    "fonds": "fund", "bourse": "grant", "candidature": "application", "demande": "request",
    "inscription": "registration", "echelle": "scale", "niveau": "level", "domaine": "field",
    "domaines": "fields", "sujet": "topic", "titre": "title", "question": "question", "reponse": "answer",
    "avenir": "future", "futur": "future", "passe": "past", "suite": "follow-up", "besoin": "need",
    "besoins": "needs", "lien": "link", "liens": "links", "droit": "right", "droits": "rights",
    "ecole": "school", "citoyen": "citizen", "citoyens": "citizens",
    "etape": "step", "etapes": "steps", "tache": "task", "taches": "tasks", "avis": "opinion",
    "statut": "status", "stade": "stage", "avancement": "progress",
    # everyday adjectives
    "nouveau": "new", "nouvel": "new", "nouvelle": "new", "nouveaux": "new", "nouvelles": "new",
    "ancien": "former", "ancienne": "former", "premier": "first", "premiere": "first", "dernier": "last",
    "derniere": "last", "prochain": "next", "prochaine": "next", "grand": "big", "grande": "big",
    "grands": "big", "petit": "small", "petite": "small", "petits": "small", "haut": "high", "bas": "low",
    "long": "long", "longue": "long", "court": "short", "bon": "good", "bonne": "good", "meilleur": "best",
    "meilleure": "best", "mauvais": "bad", "seul": "only", "seule": "only", "propre": "own",
    "francais": "French", "francaise": "French", "francaises": "French", "anglais": "English",
    "allemand": "German", "allemande": "German", "espagnol": "Spanish", "espagnole": "Spanish",
    "americain": "American", "americaine": "American", "etranger": "foreign", "etrangers": "foreign",
    "etrangere": "foreign", "etrangeres": "foreign", "etats-unis": "United States", "allemagne": "Germany",
    "angleterre": "England", "espagne": "Spain", "italie": "Italy", "royaume-uni": "United Kingdom",
    "belgique": "Belgium", "suisse": "Switzerland", "europe": "Europe",
}
# Two-word glossary entries are matched as phrases; `GLOSSARY` lookups are single words.
_GLOSSARY_PHRASES = tuple((k, v) for k, v in GLOSSARY.items() if " " in k)

REGULAR_VERBS: dict[str, str] = {
    # -er verbs (every person and tense is recognised from the infinitive)
    "commencer": "start", "demarrer": "start", "debuter": "start", "lancer": "launch", "terminer": "end",
    "finir": "finish", "investir": "invest", "arreter": "stop", "durer": "last", "continuer": "continue", "changer": "change",
    "publier": "publish", "creer": "create", "fonder": "found", "diriger": "lead", "presider": "chair",
    "gerer": "manage", "piloter": "lead", "coordonner": "coordinate", "organiser": "organise",
    "financer": "fund", "payer": "pay", "couter": "cost", "acheter": "buy", "vendre": "sell",
    "compter": "count", "regrouper": "group", "rassembler": "gather", "inclure": "include", "etendre": "extend",
    "signifier": "mean", "accompagner": "accompany", "designer": "designate", "representer": "represent", "appeler": "call", "nommer": "name",
    "jouer": "play", "travailler": "work", "aider": "help", "soutenir": "support", "permettre": "allow",
    "utiliser": "use", "employer": "employ", "concerner": "concern", "ameliorer": "improve",
    "developper": "develop", "renforcer": "strengthen", "participer": "participate", "impliquer": "involve",
    "viser": "aim", "proposer": "offer", "traiter": "process", "empecher": "prevent", "bloquer": "block",
    "identifier": "identify", "considerer": "consider", "regarder": "look", "trouver": "find",
    "chercher": "look for", "donner": "give", "montrer": "show", "presenter": "present", "decrire": "describe",
    "expliquer": "explain", "parler": "speak", "demander": "ask", "repondre": "answer", "envoyer": "send",
    "signer": "sign", "gagner": "win", "perdre": "lose", "augmenter": "increase", "baisser": "decrease",
    "porter": "carry", "passer": "pass", "rester": "stay", "arriver": "arrive", "partir": "leave",
    "entrer": "enter", "sortir": "exit", "situer": "locate", "exister": "exist",
    "consister": "consist", "agir": "act", "choisir": "choose", "remplir": "fill", "reussir": "succeed",
    "accompagner": "accompany", "evaluer": "evaluate", "selectionner": "select", "deposer": "submit",
    "candidater": "apply", "postuler": "apply", "inscrire": "register", "assurer": "ensure",
    "representer": "represent", "contribuer": "contribute", "mesurer": "measure",
    "cibler": "target", "proteger": "protect", "appartenir": "belong", "accueillir": "host", "heberger": "host",
}
_VERB_ENDINGS = {
    "er": "e es ent ons ez er ee ees es ai a as ait aient ions iez era eras erai erons erez eront erait "
    "eraient ant e",
    "ir": "is it issons issez issent i ie ies ir ira iront issait issaient issant",
    "re": "s t ons ez ent u ue re ra ront ait aient",
}


@functools.lru_cache(maxsize=1)
def _verb_forms() -> dict[str, str]:
    """Folded verb form → English, for every `REGULAR_VERBS` entry (one-word infinitives)."""
    forms: dict[str, str] = {}
    for infinitive, english in REGULAR_VERBS.items():
        if " " in infinitive:
            continue
        ending = infinitive[-2:]
        radical = infinitive[:-2]
        for suffix in _VERB_ENDINGS.get(ending, "").split():
            # -ger/-cer verbs keep their sound before a and o: mangeons, commença.
            stem = radical + ("e" if radical.endswith("g") and suffix[:1] in "ao" else "")
            forms.setdefault(stem + suffix, english)
        if ending == "re" and radical.endswith("d"):
            forms.setdefault(radical, english)  # "il étend", "il vend": -dre verbs add nothing
        forms[infinitive] = english
    return forms


# Cognate spelling rules, applied to an accent-bearing lower-case word the glossary does not know
# (first match wins). Each maps a French ending to the English one it usually corresponds to.
_COGNATE_RULES: tuple[tuple[str, str], ...] = (
    (r"ités$", "ities"), (r"ité$", "ity"), (r"iétés?$", "iety"), (r"(?<=[ulr])tés?$", "ty"),
    (r"ifié(e?)(s?)$", r"ified"), (r"isé(e?)(s?)$", r"ised"), (r"é(e?)(s?)$", r"ed"),
    (r"iques?$", "ic"),
    (r"ifier$", "ify"), (r"iser$", "ise"),
    (r"ateurs$", "ators"), (r"ateur$", "ator"), (r"atrices?$", "ator"), (r"eurs$", "ors"), (r"eur$", "or"),
    (r"euses?$", "ous"), (r"eux$", "ous"),
    (r"aires$", "aries"), (r"aire$", "ary"), (r"oires$", "ories"), (r"oire$", "ory"),
    (r"ies$", "ies"), (r"ie$", "y"),
    (r"éens?$|éennes?$", "ean"), (r"iens?$|iennes?$", "ian"),
    (r"aux$", "al"), (r"ales?$", "al"), (r"uels?$|uelles?$", "ual"), (r"(?<=[ir])els?$|(?<=[ir])elles?$", "al"),
    (r"ifs$", "ives"), (r"if$", "ive"),
    (r"ismes?$", "ism"), (r"istes?$", "ist"),
    (r"ères?$", "er"), (r"ème$", "em"), (r"èmes$", "ems"),
)
_UNACCENTED_RULES: tuple[tuple[str, str], ...] = (
    (r"ites$", "ities"), (r"ite$", "ity"), (r"eennes?$|eens?$", "ean"), (r"isee?s?$", "ised"), (r"ifiee?s?$", "ified"),
)
"""The rules' endings as typed without accents (on a phone: "activites", "europeenne"), for words English lacks."""
_COGNATE_INSIDE: tuple[tuple[str, str], ...] = (
    (r"onnel(?:le)?s?$", "onal"), (r"onnal", "onal"),  # rationnel → rational, professionnalisme → professionalism
)


# Compiled once: with the patterns built from words elsewhere (a name, a question's term), more than the `re` module's
# 512 cached patterns are in use, and these were compiled again at every French question.
_COGNATE_INSIDE_PATTERNS = tuple((re.compile(p), r) for p, r in _COGNATE_INSIDE)
_COGNATE_PATTERNS = tuple((re.compile(p), r) for p, r in _COGNATE_RULES)
_UNACCENTED_PATTERNS = tuple((re.compile(p), r) for p, r in _UNACCENTED_RULES)


def cognate(word: str) -> str:
    """The English look-alike of a French word by its spelling ("activités" → "activities",
    "spécifique" → "specific", "professionnelle" → "professional", "directeur" → "director"),
    folded; the folded word itself when no rule applies. Short words (under 5 letters) are kept."""
    low = word.lower()
    if len(low) < 5:
        return fold(low)
    for pattern, replacement in _COGNATE_INSIDE_PATTERNS:
        low = pattern.sub(replacement, low)
    unaccented = fold(low) == low and not tagging.is_english(low)
    for pattern, replacement in _COGNATE_PATTERNS + (_UNACCENTED_PATTERNS if unaccented else ()):
        changed = pattern.sub(replacement, low)
        if changed != low:
            low = changed
            break
    return fold(low)


def translate_word(word: str) -> str | None:
    """The English gloss of one French word, or None when it is not general vocabulary
    (the glossary, every form of its regular verbs, and plurals of its nouns)."""
    key = fold(word)
    if key in GLOSSARY:
        return GLOSSARY[key]
    forms = _verb_forms()
    if key in forms:
        return forms[key]
    if len(key) > 3 and key[-1] in "sx" and key[:-1] in GLOSSARY and GLOSSARY[key[:-1]]:
        return GLOSSARY[key[:-1]]
    # The noun of an action names it as its verb does: "lancement" (lancer) -> launch, "démarrage" (démarrer) -> start.
    noun = re.match(r"^(\w{3,}?)(?:ement|age)s?$", key)
    if noun and (verb := REGULAR_VERBS.get(noun[1] + "er")) and " " not in verb:
        return verb
    return None


def is_french_word(word: str) -> bool:
    """Whether `word` is in the gloss's general French vocabulary: the glossary, a form of its regular verbs, a
    plural of its nouns, or a function or question word."""
    return translate_word(word) is not None or fold(word) in _function_words()[1]


def detect_language(question: str) -> str:
    """"fr" when `question` reads as French, else "en" (short questions: function words and accents decide; with
    neither, words of the gloss's French vocabulary that English lacks)."""
    low = question.lower()
    english_words, french_words = _function_words()
    tokens = [fold(t) for w in re.findall(r"[\w']+|[-]t[-]", low) for t in re.split(r"'", w) if t]
    french = sum(t in french_words for t in tokens) + 2 * len(re.findall(r"[éèêàâçùûôîœ]", low))
    french += 2 * len(re.findall(r"\b(?:qu|d|l|n|j|c)'\w", low)) + 2 * len(re.findall(r"-t-|-(?:il|elle)\b", low))
    english = sum(t in english_words for t in tokens) + len(re.findall(r"\w'(?:s|t|re|ll)\b", low))
    if french == english == 0:  # keywords ("icpermed membres francais"): words French has and English has not decide
        french = sum(len(t) > 3 and is_french_word(t) and not tagging.is_english(t) for t in tokens)
    return "fr" if french > english else "en"


def message(key: str, language: str) -> str:
    """A fixed message of the assistant in `language` (English when unknown)."""
    return MESSAGES.get(language, MESSAGES["en"])[key]


def pronoun_is_subject(question: str) -> bool:
    """Whether a French question's only subject is a pronoun put after its verb: "Combien d'activités
    contient-il ?", "Quand commence-t-elle ?". The gloss drops such a pronoun, right to do so where it repeats
    a subject named before the verb ("Quand ERA PerMed doit-il démarrer ?"); here it is the only trace of
    the subject, which the conversation supplies."""
    return _PRONOUN_SUBJECT.search(fold(question).lower()) is not None


_PRONOUN_SUBJECT = re.compile(
    r"^\W*(?:(?:combien\s+d(?:e\s+|')|quel(?:le)?s?\s+)[\w\s']+?\s+|(?:quand|pourquoi|comment|ou|que|qu'|a quoi|de quoi)\s*)"
    r"(?:(?:se|s'|le|la|les|l'|lui|leur|y|en)\s*)?[\w']+-(?:t-)?(?:il|elle|ils|elles)\b"  # "où se trouve-t-il"
)


def _is_name(word: str) -> bool:
    """Written like a name or an acronym (a capital after the first letter, digits): kept as written."""
    return bool(re.search(r"\w[A-Z]|\d", word))


# "activités de recherche", "plan d'action": a noun, de and a bare noun (no article) is an English compound
# with the modifier first ("research activities", "action plan"), which is where the answer's words sit.
_INFINITIVE = re.compile(r"(?:er|ir|oir|re)$")
_OF_HEADS = frozenset("nombre taille montant quantite total somme type sorte genre forme nom titre liste partie ensemble plupart moitie".split())
"""Heads English keeps before "of" (a count, a kind, a part): "number of members", not "members number"."""
_COMPOUND = re.compile(r"(?<![\w'-])([a-z][\w-]*) d(?:e |')([a-z][\w-]*)(?![\w'-])")


def _compound(match: re.Match[str], originals: dict[str, str]) -> str:
    head, modifier = match.group(1), match.group(2)
    french = _function_words()[1]
    verbs = _verb_forms()
    if head in french or modifier in french or head in verbs or modifier in verbs or _is_name(originals.get(modifier, modifier)):
        return match.group(0)
    if _INFINITIVE.search(modifier) or head in _OF_HEADS:  # "d'atteindre": a verb; "nombre de": "number of"
        return match.group(0)
    return f"{modifier} {head}"


_OBJECT_PRONOUNS = {"l": "it", "le": "it", "la": "it", "les": "them"}
_PHRASE_PATTERNS = tuple(
    (re.compile(("" if pattern.startswith("-") else r"(?<!\w)") + pattern + (r"(?!\w)" if pattern[-1].isalpha() else "")), replacement)
    for pattern, replacement in _PHRASES + _GLOSSARY_PHRASES
)
"""The phrases glossed as a whole, each matched as whole words (one opening with "-" as a suffix), compiled once."""


_ELISION_UNMARKED = re.compile(r"(?i)\b([cdjlmns]|qu) (?=[aeiouyhàâéèêîôû])")
"""An elided article or pronoun typed as a word of its own before a vowel ("d activites", "l action", "qu il")."""


def gloss_french(text: str) -> str:
    """A word-by-word English gloss of a French question: general vocabulary translated, cognates
    respelt the English way, names and unknown words kept as they are.
    """
    raw = re.sub(r"(?i)\boù\b", "where", text).replace("’", "'")
    raw = _ELISION_UNMARKED.sub(r"\1'", raw)  # "combien d activites", "le plan d action": typed without the apostrophe
    # Keep the original spelling (accents for the cognate rules, capitals for names) of each word.
    originals = {fold(w): w for w in re.findall(r"[\w-]+", raw)}
    folded = fold(raw)
    for pattern, replacement in _PHRASE_PATTERNS:
        folded = pattern.sub(replacement, folded)
    folded = _COMPOUND.sub(lambda m: _compound(m, originals), folded)
    out: list[str] = []
    tokens = re.findall(r"[\w-]+|[?!.,;:]", folded)
    for position, token in enumerate(tokens):
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if token in _OBJECT_PRONOUNS and following in _verb_forms() and following not in GLOSSARY:
            out.append(_OBJECT_PRONOUNS[token])  # "quel ministère l'accompagne ?": l' before a verb is "it", no article
            continue
        original = originals.get(token, token)
        english = None if _is_name(original) else translate_word(token)
        if english is not None:
            if english:
                out.append(english)
        elif re.fullmatch(r"\w+", token) and not _is_name(original) and (position == 0 or not original[:1].isupper()):
            out.append(cognate(original))  # a capital inside the question marks a name: kept
        else:
            out.append(original)
    return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(out)).strip()
