"""French or English? The assistant's messages in the visitor's language, and a rough French → English gloss.

The bundled embedding model only knows English, so a French question is glossed
word by word into English-ish text before it is embedded and matched: question
words and common vocabulary are mapped, everything else (names, acronyms,
cognates such as "coordination") passes through unchanged. Accent folding and
stems (index/text.py) let the lexical matcher pair cognates ("observateur" ~ "observer").
"""

from __future__ import annotations

import functools
import re

from docqa.index.text import fold, match_stem, question_words

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
    return english - french, french - english


# Multi-word French expressions first (matched on accent-folded, lower-cased text).
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"qu'?est[- ]ce qu'?(?:e)?", "what is "),
    (r"est[- ]ce qu'?(?:e)?", ""),
    (r"depuis quand", "since when"),
    (r"depuis combien de temps", "how long"),
    (r"en quelle annee", "what year"),
    (r"a quelle date", "what date"),
    (r"combien (?=cout)", "how much "),
    (r"combien de", "how many"),
    (r"combien d'", "how many "),
    (r"plan d'action", "action plan"),
    (r"parle[- ]moi d[e']", "tell me about "),
    (r"dis[- ]moi", "tell me"),
    (r"a quoi sert", "what is the purpose of"),
    (r"qui est", "who is"),
    (r"c'est quoi", "what is"),
    (r"qu'est[- ]ce qui", "what"),
    (r"a quel moment", "when"),
    (r"de quand date", "when is"),
    (r"il y a", "there are"),
    (r"-t-(?:il|elle|ils|elles|on)\b", ""),
    (r"-(?:il|elle|ils|elles|on)\b", ""),
)

# Single words (accent-folded). Common vocabulary only: names and cognates pass through.
_WORDS: dict[str, str] = {
    # question words and function words
    "quand": "when", "combien": "how many", "qui": "who", "pourquoi": "why", "comment": "how",
    "quel": "what", "quelle": "what", "quels": "what", "quelles": "what", "que": "what", "quoi": "what",
    "lequel": "which", "laquelle": "which",
    "le": "the", "la": "the", "les": "the", "l": "the", "un": "a", "une": "a", "des": "", "du": "of", "de": "of",
    "d": "of", "et": "and", "est": "is", "sont": "are", "etait": "was", "a": "", "ont": "have", "il": "it",
    "elle": "it", "ils": "they", "elles": "they", "ce": "this", "cette": "this", "ces": "these", "son": "its",
    "sa": "its", "ses": "its", "leur": "their", "leurs": "their", "dans": "in", "en": "in", "sur": "on",
    "pour": "for", "par": "by", "avec": "with", "sans": "without", "au": "to the", "aux": "to the", "entre": "between",
    "depuis": "since", "apres": "after", "avant": "before", "chez": "at", "vers": "towards", "ne": "", "pas": "not",
    "y": "there", "se": "", "s": "", "on": "one", "moi": "me", "nous": "we", "vous": "you", "tout": "all",
    "tous": "all", "toutes": "all", "autre": "other", "autres": "other", "plus": "more", "moins": "less",
    "deja": "already", "encore": "still", "actuellement": "currently", "aussi": "also",
    # verbs (common forms)
    "doit": "should", "doivent": "should", "peut": "can", "peuvent": "can", "va": "will", "vont": "will",
    "fait": "does", "font": "do", "faire": "do", "etre": "be", "avoir": "have", "sera": "will be", "seront": "will be",
    "compte": "count", "comptent": "count", "compter": "count", "contient": "contains", "fera": "will do", "demain": "tomorrow", "aujourd": "today", "hui": "", "contiennent": "contain",
    "comporte": "contains", "comprend": "comprises", "regroupe": "gathers", "rassemble": "gathers",
    "signifie": "means", "veut": "wants", "dire": "say", "joue": "plays", "jouer": "play",
    "commencer": "start", "commence": "start", "commencera": "start", "demarrer": "start", "demarre": "start",
    "demarrera": "start", "debuter": "start", "debute": "start", "debutera": "start", "lancer": "launch",
    "lance": "launched", "publie": "published", "publiee": "published", "publier": "publish", "finance": "funded",
    "financer": "fund", "implique": "involved", "impliquee": "involved", "impliques": "involved", "vise": "aims",
    "viser": "aim", "offre": "offers", "propose": "offers", "traiter": "treat", "alimenter": "feed",
    "alimentera": "feed into", "nourrir": "feed", "empeche": "prevents", "atteindre": "achieve", "identifie": "identified",
    "identifiees": "identified", "couvre": "covers", "couvrent": "cover", "considere": "regards", "voit": "sees",
    "vient": "comes", "viennent": "come", "coute": "cost", "coutent": "cost", "cree": "created", "creee": "created",
    "fonde": "founded", "fondee": "founded", "signe": "signed", "dirige": "leads",
    # nouns and adjectives
    "membre": "member", "membres": "members", "observateur": "observer", "observatrice": "observer",
    "objectif": "aim goal", "objectifs": "aims goals", "but": "aim goal", "finalite": "purpose",
    "role": "role", "activite": "activity", "activites": "activities", "recherche": "research", "recherches": "research",
    "soutien": "supporting", "action": "action", "actions": "actions", "sante": "health", "ministere": "ministry",
    "ministeres": "ministries", "medecine": "medicine", "personnalisee": "personalised", "personnalise": "personalised",
    "patient": "patient", "patients": "patients", "traitement": "treatment", "traitements": "treatments",
    "therapie": "therapy", "therapies": "therapies", "donnees": "data", "annee": "year", "an": "year", "ans": "years",
    "date": "date", "debut": "start", "fin": "end", "pays": "countries", "capitale": "capital", "ville": "city",
    "prix": "price", "cout": "cost", "budget": "budget", "argent": "money", "siege": "headquarters",
    "directeur": "director", "directrice": "director", "president": "president", "presidente": "president",
    "employes": "employees", "salaries": "employees", "personnes": "people", "temps": "weather time", "meteo": "weather",
    "billet": "ticket", "commission": "commission", "europeenne": "european", "europeen": "european",
    "europeens": "european", "internationaux": "international", "internationale": "international",
    "chercheur": "researcher", "chercheurs": "researchers", "agence": "agency", "agences": "agencies",
    "financement": "funding", "financements": "funding", "projet": "project", "projets": "projects", "appel": "call",
    "appels": "calls", "consortium": "consortium", "reseau": "network", "plateforme": "platform",
    "obstacles": "barriers", "defis": "challenges", "potentiel": "potential", "plein": "full", "chaine": "chain",
    "valeur": "value", "systemes": "systems", "systeme": "system", "approche": "approach", "sorte": "kind",
    "type": "type", "genre": "kind", "nom": "name", "complet": "full", "acronyme": "acronym",
    "marche": "market", "acces": "access", "etat": "status", "preparation": "preparation", "nombre": "number",
    "quantite": "amount", "lieu": "place", "endroit": "place", "monde": "world", "coupe": "cup",
    "nouveau": "new", "nouvelle": "new", "premier": "first", "premiere": "first", "dernier": "last",
    # more common vocabulary of visitors' questions
    "prevu": "planned", "prevue": "planned", "prevus": "planned", "prevues": "planned", "lancement": "launch",
    "demarrage": "start", "creation": "creation", "fondation": "foundation", "termine": "end",
    "terminera": "end", "finit": "end", "finira": "end", "duree": "duration", "periode": "period", "mois": "month",
    "semaine": "week", "jour": "day", "jours": "days", "heure": "hour", "heures": "hours", "ouvert": "open",
    "ouverture": "opening", "ferme": "closed", "fermeture": "closing", "inscription": "registration",
    "candidature": "application", "candidater": "apply", "postuler": "apply", "demande": "application",
    "organisme": "organisation", "organismes": "organisations", "organisation": "organisation",
    "entreprise": "company", "entreprises": "companies", "universite": "university", "laboratoire": "laboratory",
    "gouvernement": "government", "region": "region", "adresse": "address",
    "telephone": "phone", "courriel": "email", "site": "site", "document": "document", "rapport": "report",
    "resultat": "result", "resultats": "results", "etude": "study", "etudes": "studies", "programme": "programme",
    "strategie": "strategy", "priorite": "priority", "priorites": "priorities", "domaine": "field",
    "domaines": "fields", "sujet": "topic", "theme": "theme", "enjeu": "challenge", "enjeux": "challenges",
    "probleme": "problem", "problemes": "problems", "solution": "solution", "avantage": "advantage",
    "avantages": "advantages", "benefice": "benefit", "benefices": "benefits", "risque": "risk", "risques": "risks",
    "auteur": "author", "responsable": "head", "chef": "head", "participant": "participant",
    "participants": "participants", "partenaire": "partner", "partenaires": "partners", "pourcentage": "percentage",
    "montant": "amount", "euros": "euros", "millions": "million", "milliards": "billion", "taille": "size",
    "grand": "big", "grande": "big", "petit": "small", "petite": "small", "principal": "main", "principale": "main",
    "principaux": "main", "meilleur": "best", "meilleure": "best", "important": "important", "rapide": "fast",
    "regroupent": "gather", "reunit": "gathers", "participe": "participates",
    "participent": "participate", "travaille": "works", "travaillent": "work", "aide": "helps", "aider": "help",
    "soutient": "supports", "soutenir": "support", "permet": "allows", "permettre": "allow", "utilise": "uses",
    "utilisent": "use", "utiliser": "use", "concerne": "concerns", "ameliorer": "improve", "developper": "develop",
    "renforcer": "strengthen", "coordonner": "coordinate", "mettre": "put", "oeuvre": "work", "place": "place",
    "savoir": "know", "trouver": "find", "obtenir": "get", "recevoir": "receive", "recoit": "receives",
    "appelle": "called", "appele": "called", "nomme": "named", "situe": "located", "situee": "located",
    "trouve": "located", "existe": "exists", "mesure": "measure", "cible": "target", "vise-t-il": "aims",
    "c": "it", "qu": "what", "ca": "it", "frein": "barrier", "freins": "barriers",
    "empechent": "prevent", "empecher": "prevent", "operationnel": "operational", "acteurs": "stakeholders",
    "mission": "mission", "consiste": "consists", "sigle": "acronym", "mesures": "measures", "outil": "tool",
}


def detect_language(question: str) -> str:
    """"fr" when `question` reads as French, else "en" (short questions: function words and accents decide)."""
    low = question.lower()
    english_words, french_words = _function_words()
    tokens = [fold(t) for w in re.findall(r"[\w']+|[-]t[-]", low) for t in re.split(r"'", w) if t]
    french = sum(t in french_words for t in tokens) + 2 * len(re.findall(r"[éèêàâçùûôîœ]", low))
    french += 2 * len(re.findall(r"\b(?:qu|d|l|n|j|c)'\w", low)) + 2 * len(re.findall(r"-t-|-(?:il|elle)\b", low))
    english = sum(t in english_words for t in tokens) + len(re.findall(r"\w'(?:s|t|re|ll)\b", low))
    return "fr" if french > english else "en"


def message(key: str, language: str) -> str:
    """A fixed message of the assistant in `language` (English when unknown)."""
    return MESSAGES.get(language, MESSAGES["en"])[key]


def gloss_french(text: str) -> str:
    """A word-by-word English gloss of a French question (names and unknown words kept as they are)."""
    folded = fold(re.sub(r"(?i)\boù\b", "where", text)).replace("’", "'")
    for pattern, replacement in _PHRASES:
        boundary = "" if pattern.startswith("-") else r"(?<!\w)"
        folded = re.sub(boundary + pattern, replacement, folded)
    # Keep the original spelling (capitals) of the words that are not translated: they are often names.
    originals = {fold(w): w for w in re.findall(r"[\w-]+", text)}
    out: list[str] = []
    for token in re.findall(r"[\w-]+|[?!.,;:]", folded):
        if token in _WORDS:
            if _WORDS[token]:
                out.append(_WORDS[token])
        elif token.endswith("s") and token[:-1] in _WORDS and _WORDS[token[:-1]]:
            out.append(_WORDS[token[:-1]])
        else:
            out.append(originals.get(token, token))
    return re.sub(r"\s+([?!.,;:])", r"\1", " ".join(out)).strip()


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
    "gather bring unite comprise include involve",
    "win award",
    "role function position",
    "barrier obstacle challenge hurdle prevent stop hinder",
    "big large size",
    "help support assist",
    "show present describe",
    "list contain include identify",
    "country nation state",
    "city town",
    "job work employment",
    "buy purchase",
    "need require",
    "use employ utilise utilize",
)
_RELATED: dict[str, frozenset[str]] = {}
for _group in _SYNONYM_GROUPS:
    _stems_of_group = frozenset(match_stem(w) for w in _group.split())
    for _s in _stems_of_group:
        _RELATED[_s] = _RELATED.get(_s, frozenset({_s})) | _stems_of_group


def related(word_stem: str) -> frozenset[str]:
    """`word_stem` and the stems of its common synonyms ("launc" → start, begin, open...)."""
    return _RELATED.get(word_stem, frozenset({word_stem}))
