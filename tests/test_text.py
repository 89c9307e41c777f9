"""index/text.py: folding, stop words of both languages, stems, tokens, the BM25 tokenizer's JSON form."""

from __future__ import annotations

import pytest

from docqa.index import text


def test_fold_lower_cases_and_strips_accents():
    assert text.fold("Élève ÇA où Démarrer") == "eleve ca ou demarrer"
    assert text.fold("ICPerMed") == "icpermed" and text.fold("") == ""


def test_stop_words_of_both_languages_folded():
    en, fr, both = text.stopwords(("en",)), text.stopwords(("fr",)), text.stopwords()
    assert {"the", "and", "which", "please", "tell"} <= en and "the" not in fr
    assert {"le", "les", "etait", "qu", "l", "d"} <= fr and "était" not in fr  # folded
    assert both == en | fr and "danube" not in both and "members" not in both
    with pytest.raises(ValueError, match="known: en, fr"):
        text.stopwords(("de",))


def test_question_words_extend_the_stop_words():
    assert {"many", "much", "whose"} <= text.question_words(("en",))
    assert {"combien", "quand", "pourquoi", "quel"} <= text.question_words(("fr",))
    assert text.stopwords() < text.question_words()


def test_content_words_drop_stop_and_question_words_and_single_letters():
    assert text.content_words("How many members does ICPerMed have?") == {"members", "icpermed"}
    assert text.content_words("Combien de membres compte l'ICPerMed ?") == {"membres", "compte", "icpermed"}
    assert text.content_words("a b c the", ignore=frozenset()) == {"the"}
    assert text.content_words("Où est le Secrétariat ?") == {"secrétariat"}  # stop words matched folded; accents kept


def test_match_stem_pairs_inflections_and_cognates_across_languages():
    stem = text.match_stem
    assert stem("publié") == stem("published") and stem("observateur") == stem("observer")
    assert stem("members") == stem("member") and stem("activities") == stem("activity")
    assert stem("start") != stem("end")


def test_match_stem_takes_irregular_past_forms_back_to_their_verb():
    stem = text.match_stem
    assert stem("fed") == stem("feed") and stem("began") == stem("beginning") == stem("begun")
    assert stem("Held") == stem("holds") and stem("written") == stem("writes") and stem("oversaw") == stem("oversee")
    # a past form that is also another common word keeps its own stem
    assert stem("found") != stem("find") and stem("left") != stem("leave")


def test_a_past_form_that_is_also_a_noun_keeps_its_plural():
    stem = text.match_stem
    # "thought", "spoke", French "rang" (rank) are nouns too: the plural still meets the singular, as before the verb list
    assert stem("thoughts") == stem("thought") and stem("spokes") == stem("spoke") and stem("rangs") == stem("rang")
    assert stem("thinks") == stem("think") == stem("thoughts") and stem("kept") == stem("keeps")


def test_snowball_stems_index_terms():
    assert text.snowball(["wings", "connected", "connection"]) == ["wing", "connect", "connect"]
    assert text.snowball(["wings"], algorithm="none") == ["wings"] and text.snowball([]) == []
    assert text.snowball(["rivières"], algorithm="french") == ["rivi"]


def test_tokenize_folds_drops_stop_words_and_stems():
    assert text.tokenize("The Élève and the élève", stemmer="none") == ["eleve", "eleve"]
    assert text.tokenize("L'équipe de la région est dans l'hôpital", stemmer="none") == ["equipe", "region", "hopital"]
    assert text.tokenize("snake_case wings") == ["snake", "case", "wing"]


def test_tokenizer_json_round_trip_and_defaults():
    custom = text.Tokenizer(stemmer="none", stopwords=frozenset({"x", "y"}))
    assert text.Tokenizer.from_json(custom.to_json()) == custom
    assert custom.tokenize("x marks y spot") == ["marks", "spot"]
    assert text.Tokenizer.from_json({}, stemmer="french") == text.Tokenizer(stemmer="french", stopwords=text.stopwords())
    assert text.Tokenizer().tokenize("The wings") == text.tokenize("The wings") == ["wing"]
