import json

import numpy as np
import pytest

from docqa.index.storage import store, versions
from docqa.index.assistant import Assistant
from docqa.errors import IndexMismatch, IndexNotFound, NothingIndexed
from docqa.ingest.pipeline import ingest, load_documents
from tests.conftest import index_of


def test_save_load_round_trip(tiny_index, tiny_corpus, fake_embedder):
    folder = versions.current_version(tiny_index)
    loaded = store.load(folder, model=fake_embedder.name)
    documents, _ = load_documents([tiny_corpus])
    by_id = {d.doc_id: d for d in documents}
    manifest = loaded.manifest
    assert manifest.model == "fake-bow" and manifest.dim == 64 and manifest.format_version == store.FORMAT_VERSION
    assert manifest.counts["documents"] == 2 and manifest.counts["chunks"] == len(loaded)
    assert {d["doc_id"]: d["hash"] for d in manifest.documents} == {d.doc_id: d.hash for d in documents}
    assert manifest.chunking == {"max_tokens": 200, "overlap_sentences": 1}
    assert {d.doc_id: d.language for d in loaded.documents} == {d.doc_id: "en" for d in documents}  # detected at ingest
    for chunk_id in range(len(loaded)):
        chunk = loaded.chunk(chunk_id)
        doc = by_id[chunk.document.doc_id]
        assert doc.text[chunk.start : chunk.end] == chunk.text  # offsets point into the document
        assert chunk.document.title == doc.title
        for (s, e), row in zip(chunk.sentences, chunk.sentence_rows):
            vector = np.asarray(loaded.sentence_vectors[row], dtype=np.float32)
            expected = fake_embedder.embed([chunk.text[s:e]])[0]
            assert np.allclose(vector, expected, atol=1e-3)
    vectors = loaded.faiss.reconstruct_n(0, len(loaded))
    assert vectors.shape == (len(loaded), 64)


def test_loading_with_another_model_is_refused(tiny_index):
    with pytest.raises(IndexMismatch, match="built with the model 'fake-bow'"):
        store.load(versions.current_version(tiny_index), model="all-MiniLM-L6-v2")


def test_other_dimension_refused(tiny_index, fake_embedder):
    class Wider(type(fake_embedder)):
        dim = 128

    with pytest.raises(IndexMismatch, match="64-dimensional"):
        Assistant(tiny_index, embedder=Wider())


def test_other_format_version_refused(tiny_index):
    manifest = versions.current_version(tiny_index) / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format_version"] = 999
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexMismatch, match="format version 999"):
        store.load(manifest.parent)


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexNotFound, match="docqa ingest"):
        versions.current_version(tmp_path / "nothing")


def test_failed_ingest_keeps_previous_version_and_leaves_no_temporaries(tiny_index, tiny_corpus, fake_embedder):
    before = versions.current_name(tiny_index)

    class Exploding(type(fake_embedder)):
        def embed(self, texts, **kwargs):
            raise RuntimeError("disk full")

    (tiny_corpus / "new.txt").write_text("A new document that must be embedded (unchanged text comes from the cache).")
    with pytest.raises(RuntimeError):
        ingest([tiny_corpus], index_root=tiny_index, embedder=Exploding())
    assert versions.current_name(tiny_index) == before
    assert not [p for p in (tiny_index / "versions").iterdir() if p.name.startswith(".tmp-")]
    kept = Assistant(tiny_index, embedder=fake_embedder).search("Danube", k=1)  # the previous version still serves
    assert kept and "Danube" in kept[0].chunk.text


def test_nothing_readable_writes_nothing(tmp_path, fake_embedder):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    with pytest.raises(NothingIndexed, match="empty file"):
        ingest([folder], index_root=tmp_path / "index", embedder=fake_embedder)
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_new_versions_are_made_current_and_old_ones_pruned(tiny_index, tiny_corpus, fake_embedder):
    for _ in range(4):
        ingest([tiny_corpus], index_root=tiny_index, embedder=fake_embedder, keep_versions=2)
    names = versions.version_names(tiny_index)
    assert len(names) == 2 and versions.current_name(tiny_index) == names[-1]


def test_a_pages_site_name_and_language_links_are_saved_and_loaded_with_its_document(tmp_path, fake_embedder):
    page = (
        "<html lang='en'><head><title>Quay</title></head><body><header><p>Harbour Board · Ports for all</p><nav>"
        "<a href='/'>Home</a><a href='/fr/'>Version française</a><a href='/de/'>Deutsch</a></nav></header>"
        "<main><p>The new quay opens in May. It holds twelve cranes.</p></main></body></html>"
    )
    root = index_of(tmp_path, fake_embedder, {"news.html": page, "note.txt": "The old quay closed in 1990.\n"})
    loaded = store.load(versions.current_version(root), model=fake_embedder.name)
    assert {d.doc_id: d.site for d in loaded.documents} == {"news.html": "Harbour Board · Ports for all", "note.txt": None}
    assert {loaded.chunk(i).document.site for i in range(len(loaded))} == {"Harbour Board · Ports for all", None}
    links = (store.LanguageLink("fr", "Version française", "/fr/"), store.LanguageLink("de", "Deutsch", "/de/"))
    assert {d.doc_id: d.language_links for d in loaded.documents} == {"news.html": links, "note.txt": ()}
    assert {loaded.chunk(i).document for i in range(len(loaded))} == set(loaded.documents)  # hashable, as chunks need
    # an index written before the links were kept reads as a page without any; a document without any is written as
    # it was then, so that an earlier docqa (a rollback) still reads the index
    old = {"doc_id": "a", "title": "T", "source": "a", "hash": "0", "language": "en", "site": None}
    assert store.DocumentRecord.from_json(old).language_links == ()
    assert store.DocumentRecord.from_json(old).to_json() == old
    written = json.loads((versions.current_version(root) / "documents.json").read_text(encoding="utf-8"))
    assert ["language_links" in d for d in written] == [d["doc_id"] == "news.html" for d in written]
