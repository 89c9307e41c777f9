from docqa.ingest.chunker import chunk_text, split_sentences
from tests.conftest import FakeEmbedder

count = FakeEmbedder().count_tokens


def test_sentences_cover_text_and_respect_line_breaks():
    text = "Dr. Smith came at 3 p.m. on Monday. He left.\nA heading\nLast one!"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Dr. Smith came at 3 p.m. on Monday.", "He left.", "A heading", "Last one!"]


def test_chunks_never_exceed_the_token_limit_and_overlap_by_one_sentence():
    text = " ".join(f"Sentence number {i} has exactly seven tokens." for i in range(30))
    chunks = chunk_text(text, count_tokens=count, max_tokens=30, overlap_sentences=1)
    assert len(chunks) > 5
    for chunk in chunks:
        assert count([text[chunk.start : chunk.end]])[0] <= 30
        assert text[chunk.start : chunk.end].startswith("Sentence")
    for a, b in zip(chunks, chunks[1:]):
        assert a.sentences[-1] == b.sentences[0]  # one sentence of overlap
    assert chunks[0].start == 0 and chunks[-1].end == len(text)


def test_overlong_sentence_is_cut_at_word_boundaries():
    text = "word " * 100 + "end."
    chunks = chunk_text(text.strip(), count_tokens=count, max_tokens=20)
    assert all(count([text[c.start : c.end]])[0] <= 20 for c in chunks)
    rebuilt = " ".join(text[c.start : c.end] for c in chunks)
    assert rebuilt.split() == text.split()


def test_empty_and_whitespace_text_give_no_chunks():
    assert chunk_text("", count_tokens=count, max_tokens=20) == []
    assert chunk_text("  \n\n ", count_tokens=count, max_tokens=20) == []


def test_offsets_are_exact_for_unicode_text():
    text = "Quand ERA PerMed démarre-t-il ? Fin 2017. «Très bien», dit-elle."
    for chunk in chunk_text(text, count_tokens=count, max_tokens=8, overlap_sentences=0):
        for s, e in chunk.sentences:
            assert text[s:e] == text[s:e].strip() and text[s:e]


def test_a_long_split_reports_its_progress(tmp_path, monkeypatch):
    """A large file's sentence splitting says how far it has gone ("splitting" phases, as embedding does)."""
    from docqa.ingest import pipeline

    monkeypatch.setattr(pipeline, "SPLIT_PROGRESS_CHARS", 500)
    (tmp_path / "docs").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "docs" / name).write_text("Report\n\n" + "\n".join(f"Line {i} says one thing. It says another." for i in range(60)))
    phases: list = []
    pipeline.ingest([tmp_path / "docs"], index_root=tmp_path / "index", embedder=FakeEmbedder(), on_phase=phases.append)
    progress = [p for p in phases if p.name == "splitting"]
    total = progress[0].counts["total"]
    done = [p.counts["done"] for p in progress]
    assert len(progress) >= 4 and done == sorted(done) and all(b - a >= 500 for a, b in zip(done, done[1:])) and done[-1] < total
    assert [p.name for p in phases].index("splitting") < [p.name for p in phases].index("split")  # during the split, before its total
    assert progress[0].describe().startswith(f"splitting into sentences: {done[0]:,} of {total:,} characters done (")


def test_pysbd_compiles_each_pattern_once_and_splits_as_before():
    """pysbd builds a regular expression per abbreviation it meets; they stay compiled (re's own cache holds 512)."""
    from docqa.ingest import chunker

    text = "Dr. Smith met Mr. Jones at 5 p.m. on Jan. 3. They spoke of the U.S. economy. It was fine."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Dr. Smith met Mr. Jones at 5 p.m. on Jan. 3.", "They spoke of the U.S. economy.", "It was fine."
    ]
    before = chunker._compiled.cache_info().hits
    split_sentences(text)
    assert chunker._compiled.cache_info().hits > before
