"""BM25: the English/French tokeniser (index/text.py), and the index's save → load round trip with its tokenizer."""

from __future__ import annotations

import numpy as np
import pytest

from docqa.index.storage import store, versions
from docqa.index.storage.bm25 import FOLDER, SETTINGS_FILE, BM25Index, BM25Settings
from docqa.index.text import Tokenizer, fold, tokenize


def test_tokenize_folds_case_and_accents_and_drops_stopwords():
    assert fold("Élève ÇA où") == "eleve ca ou"
    assert tokenize("The Élève and the élève", stemmer="none") == ["eleve", "eleve"]
    # French articles, elisions and stopwords go; content words stay.
    assert tokenize("L'équipe de la région est dans l'hôpital", stemmer="none") == ["equipe", "region", "hopital"]


def test_tokenize_stems_inflections_together():
    assert tokenize("wings", stemmer="english") == tokenize("wing", stemmer="english")
    assert tokenize("connected connection", stemmer="english") == ["connect", "connect"]
    assert tokenize("wings", stemmer="none") == ["wings"]


def test_bm25_ranks_the_chunk_with_the_rare_word_first():
    index = BM25Index.build(["the Danube flows east", "the Rhine flows north", "rivers flow into seas"], settings=BM25Settings())
    scores = index.scores(index.query_terms("Which river is the Danube?"))
    assert int(np.argmax(scores)) == 0
    assert scores[1] == 0  # shares no query term
    assert index.scores({}).tolist() == [0, 0, 0]


def test_bm25_save_load_round_trip(tmp_path):
    texts = ["Le fleuve coule à Paris", "The Danube flows through ten countries", "wings lift"]
    settings = BM25Settings(stemmer="english", k1=1.1, b=0.6, title_repeat=2)
    built = BM25Index.build(texts, settings=settings)
    built.save(tmp_path / FOLDER)
    loaded = BM25Index.load(tmp_path / FOLDER)
    assert loaded.settings == settings and len(loaded) == 3
    assert loaded.tokenizer == built.tokenizer == settings.tokenizer()
    for query in ("fleuves Paris", "danube countries", "wing"):
        np.testing.assert_array_equal(built.scores(built.query_terms(query)), loaded.scores(loaded.query_terms(query)))
    assert loaded.scores(loaded.query_terms("fleuve"))[0] > 0
    for index in (built, loaded):  # what the spelling check reads: chunks per term, and the first that holds it
        assert [index.document_frequency(t) for t in ("countri", "wing", "rhine")] == [1, 1, 0]
        assert [index.first_chunk_with(t) for t in ("countri", "wing", "rhine")] == [1, 2, None]


def test_scores_of_some_chunks_equal_the_full_scores(tmp_path):
    texts = [f"wing {'flow ' * (i % 4)}layer {i}" for i in range(200)] + ["nothing in common"]
    BM25Index.build(texts).save(tmp_path / FOLDER)
    index = BM25Index.load(tmp_path / FOLDER)
    terms = {"flow": 1.0, "layer": 0.5, "wing": 2.0, "absent": 1.0}
    full = index.scores(terms)
    some = np.array([0, 3, 7, 199, 200], dtype=np.int64)  # few of many: postings are searched
    np.testing.assert_array_equal(index.scores_of(terms, some), full[some])
    assert index.scores_of(terms, some)[-1] == 0 and index.scores_of(terms, np.zeros(0, dtype=np.int64)).shape == (0,)


def test_loading_and_tokenising_do_not_import_bm25s(tmp_path):
    import subprocess
    import sys

    BM25Index.build(["the Danube flows east"]).save(tmp_path / FOLDER)
    code = (
        "import sys; from docqa.index.storage.bm25 import BM25Index; from docqa.index.text import tokenize; "
        f"i = BM25Index.load(__import__('pathlib').Path({str(tmp_path / FOLDER)!r})); "
        "assert i.scores(i.query_terms('the Danube'))[0] > 0 and tokenize('the wings') == ['wing']; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('bm25s', 'numba', 'scipy')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_damaged_bm25_folder_is_reported(tmp_path):
    from docqa.errors import IndexMismatch

    BM25Index.build(["a text"]).save(tmp_path / FOLDER)
    (tmp_path / FOLDER / "docqa-bm25.json").write_text("{not json")
    with pytest.raises(IndexMismatch):
        BM25Index.load(tmp_path / FOLDER)


def test_ingest_writes_bm25_beside_faiss_and_records_settings(tiny_index):
    folder = versions.current_version(tiny_index)
    assert (folder / FOLDER / "docqa-bm25.json").is_file()
    loaded = store.load(folder)
    assert loaded.manifest.bm25 == {"stemmer": "english", "k1": 1.2, "b": 0.75, "title_repeat": 2}
    scores = loaded.bm25.scores(loaded.bm25.query_terms("Swiss Alps"))
    assert len(scores) == len(loaded)
    assert "Rhine" in loaded.chunk(int(np.argmax(scores))).text


def test_index_without_bm25_folder_gets_one_in_memory(tiny_index):
    import json
    import shutil

    folder = versions.current_version(tiny_index)
    shutil.rmtree(folder / FOLDER)
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["files"]  # as written before BM25 (and checksums) existed
    (folder / "manifest.json").write_text(json.dumps(manifest))
    loaded = store.load(folder)
    scores = loaded.bm25.scores(loaded.bm25.query_terms("Voyager heliosphere"))
    assert "Voyager" in loaded.chunk(int(np.argmax(scores))).text


def test_tokenizer_is_saved_with_the_index_and_used_for_queries(tmp_path):
    import json

    texts = ["The Danube flows through ten countries", "une très belle rivière", "Wings lift the aircraft"]
    odd = Tokenizer(stemmer="none", stopwords=frozenset({"the", "une", "danube"}))  # not today's defaults
    built = BM25Index.build(texts, settings=BM25Settings(stemmer="none"), tokenizer=odd)
    built.save(tmp_path / FOLDER)
    saved = json.loads((tmp_path / FOLDER / SETTINGS_FILE).read_text())
    assert saved["tokenizer"] == {"stemmer": "none", "stopwords": ["danube", "the", "une"]}
    loaded = BM25Index.load(tmp_path / FOLDER)
    assert loaded.tokenizer == odd
    assert loaded.query_terms("the Danube flows") == {"flows": 1.0}  # read as the chunks were: "danube" is a stop word here
    assert loaded.query_terms("through") == {"through": 1.0}  # ... and "through" is not
    assert loaded.chunk_terms("Rivers", "une rivière") == ["rivers", "rivers", "riviere"]
    for query in ("countries", "riviere belle", "wings"):
        np.testing.assert_array_equal(built.scores(built.query_terms(query)), loaded.scores(loaded.query_terms(query)))


def test_settings_saved_before_tokenizers_still_load_with_the_tokenizer_of_then(tmp_path):
    import json

    texts = ["The Danube flows through ten countries", "wings lift"]
    BM25Index.build(texts, settings=BM25Settings(stemmer="english")).save(tmp_path / FOLDER)
    path = tmp_path / FOLDER / SETTINGS_FILE
    old = {"stemmer": "english", "k1": 1.2, "b": 0.75, "title_repeat": 2}  # what docqa wrote before
    path.write_text(json.dumps(old) + "\n")
    loaded = BM25Index.load(tmp_path / FOLDER)
    assert loaded.settings == BM25Settings() and loaded.tokenizer == Tokenizer(stemmer="english")
    assert loaded.query_terms("The wings of the Danube") == {"wing": 1.0, "danub": 1.0}
    assert loaded.scores(loaded.query_terms("wing"))[1] > 0
