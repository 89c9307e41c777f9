"""Passages → an answer.

    base.py           Answer, Source; the Answerer protocol; ANSWERERS / get_answerer (answerers by name)
    extractive.py     the extractive answerer (the documents' own sentences), registered as "extractive"
    question_type.py  what kind of answer a question wants, and where such an answer sits in a sentence
    followup.py       follow-ups made stand-alone; replay() asks a dialogue turn by turn
    language.py       French detection, messages, the French → English gloss, a small thesaurus

Words are folded, stopped and stemmed by docqa.index.text.
"""
