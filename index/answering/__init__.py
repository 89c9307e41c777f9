"""Passages → an answer.

    base.py           Answer, Source; the Answerer protocol; ANSWERERS / get_answerer (answerers by name)
    extractive.py     the extractive answerer (the documents' own sentences), registered as "extractive"
    features.py       the best sentence's evidence as the confidence model's feature vector
    premise.py        whether the text says what the question takes for granted (names, numbers, negation...)
    other_names.py    whether the sentence writes another name than the question (the Ministry of Higher Education
                      for the Ministry of Health, "Scottish rivers" for "French rivers")
    antonyms.py       whether the question writes the opposite of the sentence's word in any of its forms
                      ("shorten" / "expanded", "took" / "gave") or negates it by a prefix ("disestablish" / "establishing")
    sentence_declines.py  the checks reading only the question and the sentence, in one table (premise, other_names,
                      antonyms, contradiction, number_swaps, closed_sets, denials, asked_value, roles, relatives,
                      time_units, centuries, part_whole, prefix_pairs, adverse, origin, superlative): the first that
                      fires is why the answerer declines
    confidence.py     the confidence model (logistic regression + Platt, confidence-model.json)
    continuation.py   the next sentences that go on with an answer to a list or description question
    short_answer.py   the short answer: a fitted span scorer (short_answer_model.json) over
                      question_shape.py's reading of the question and span_features.py's candidates
    question_type.py  what kind of answer a question wants, and where such an answer sits in a sentence
    followup.py       follow-ups made stand-alone; replay() asks a dialogue turn by turn
    language.py       French detection, messages, the French → English gloss
    thesaurus.py      a small general English thesaurus (a word's common synonyms)

Words are folded, stopped and stemmed by docqa.index.text.
"""
