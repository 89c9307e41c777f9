"""Token vectors (index/embedding/token_vectors.py) and the confidence feature read from them (answering/token_support.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from docqa.index.answering import token_support
from docqa.index.embedding.token_vectors import TokenMemo, TokenVectors, from_hidden, token_vectors_of


def _unit(*values: float) -> list[float]:
    v = np.asarray(values, dtype=np.float32)
    return (v / np.linalg.norm(v)).tolist()


def _tokens(text: str, vectors: dict[str, list[float]]) -> TokenVectors:
    """One piece per word of `text`, each with the vector its word has in `vectors` (the last axis for the others)."""
    import re

    spans = [m.span() for m in re.finditer(r"\w+", text)]
    rows = [vectors.get(text[a:b].lower(), _unit(0, 0, 0, 1)) for a, b in spans]
    return TokenVectors(vectors=np.asarray(rows, dtype=np.float16), offsets=tuple(spans))


def test_from_hidden_leaves_out_special_tokens_and_normalises() -> None:
    hidden = np.array([[9.0, 9.0], [3.0, 4.0], [0.0, 2.0], [5.0, 5.0]])
    found = from_hidden(hidden, [(0, 0), (0, 4), (5, 9), (0, 0)])
    assert found.offsets == ((0, 4), (5, 9))
    np.testing.assert_allclose(found.vectors.astype(np.float32), [[0.6, 0.8], [0.0, 1.0]], atol=1e-3)
    assert found.vectors.dtype == np.float16  # kept small: the memo holds a thousand texts


def test_the_memo_keeps_its_bytes_and_drops_the_least_recently_used_text() -> None:
    one, two, three = (TokenVectors(np.zeros((4, 2), np.float16), ((0, 1),) * 4) for _ in range(3))  # 16 bytes each
    memo = TokenMemo(max_bytes=32)
    memo.put("one", one)
    memo.put("two", two)
    assert memo.get("one") is one  # now the most recent
    memo.put("three", three)
    assert memo.get("two") is None and memo.get("one") is one and memo.get("three") is three
    memo.put("three", three)  # again: counted once
    assert memo.get("one") is one
    large = TokenVectors(np.zeros((40, 2), np.float16), ((0, 1),) * 40)
    memo.put("large", large)  # over the bound alone: kept, everything else dropped
    assert memo.get("large") is large and memo.get("one") is None and memo.get("three") is None


def test_an_embedder_without_token_vectors_gives_none(fake_embedder) -> None:
    assert token_vectors_of(fake_embedder, "anything") is None


def test_the_weakest_content_word_sets_the_feature() -> None:
    """Stop words and the question word are not asked about; the word the sentence lacks is."""
    words = {"bell": _unit(1, 0, 0, 0), "division": _unit(0, 1, 0, 0), "deciding": _unit(0.6, 0.8, 0, 0), "rang": _unit(0, 0, 1, 0)}
    sentence = _tokens("The division bell rang", words)
    asked_same = _tokens("What rang the division bell?", words)
    asked_swapped = _tokens("What rang the deciding bell?", words)
    assert token_support.least_supported(asked_same, "What rang the division bell?", sentence) == pytest.approx(1.0, abs=1e-3)
    assert token_support.least_supported(asked_swapped, "What rang the deciding bell?", sentence) == pytest.approx(0.8, abs=1e-3)


def test_a_word_is_as_supported_as_its_best_matched_piece() -> None:
    """"heralded" is "herald" + "##ed": the suffix matching nothing does not make the word unsupported."""
    herald, suffix, bell = _unit(1, 0, 0, 0), _unit(0, 0, 1, 0), _unit(0, 1, 0, 0)
    question = "Heralded bell"
    asked = TokenVectors(np.asarray([herald, suffix, bell], np.float16), ((0, 6), (6, 8), (9, 13)))
    said = TokenVectors(np.asarray([herald, bell], np.float16), ((0, 6), (7, 11)))
    assert token_support.least_supported(asked, question, said) == pytest.approx(1.0, abs=1e-3)
    alone = TokenVectors(np.asarray([suffix, bell], np.float16), ((0, 2), (3, 7)))  # "ed" as a word of its own
    assert token_support.least_supported(alone, "ed bell", said) == pytest.approx(0.0, abs=1e-3)


def test_nothing_to_compare_gives_none() -> None:
    words = {"bell": _unit(1, 0, 0, 0)}
    assert token_support.least_supported(_tokens("What is it?", words), "What is it?", _tokens("The bell", words)) is None
    empty = TokenVectors(np.zeros((0, 4), np.float16), ())
    assert token_support.least_supported(_tokens("Which bell?", words), "Which bell?", empty) is None


def test_without_token_vectors_the_feature_is_the_fitted_mean(fake_embedder, tmp_path: Path) -> None:
    from docqa.index.answering import features
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bells.txt").write_text("Bells\n\nThe division bell rings at five. It is heard in every room.")
    ingest([tmp_path / "docs"], index_root=tmp_path / "index", embedder=fake_embedder)
    answerer = Assistant(tmp_path / "index", embedder=fake_embedder).answerer
    found = answerer.assess("When does the division bell ring?")
    index = features.CONFIDENCE_FEATURES.index("least_supported_token")
    assert len(found.features) == len(features.CONFIDENCE_FEATURES)
    assert found.features[index] == answerer.model.mean[index]


@pytest.mark.model
def test_the_shipped_model_gives_token_vectors_beside_the_question_vector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ONNX file's second output: the question embedded for retrieval leaves its token vectors in the memo (no
    second model run), and they agree with sentence-transformers' token embeddings."""
    from docqa.index.embedding.embedder import get_embedder

    onnx = get_embedder.__wrapped__(backend="onnx")  # as a server has it: behind the query batcher
    question = "When does the division bell ring in the Scottish Parliament?"
    onnx.embed([question])
    monkeypatch.setattr(onnx.inner, "_run", lambda *args, **kwargs: pytest.fail("the question was run through the model again"))
    kept = onnx.token_vectors(question)
    assert kept is not None
    torch = get_embedder.__wrapped__(backend="torch")
    alone = torch.embed([question])  # the torch backend keeps a lone text's token vectors from that run too
    np.testing.assert_allclose(alone, torch.embed([question, "another text"])[:1], atol=1e-5)
    monkeypatch.setattr(torch.inner, "_encode_one", lambda *args, **kwargs: pytest.fail("run again for its token vectors"))
    reference = torch.token_vectors(question)
    assert kept.offsets == reference.offsets and question[slice(*kept.offsets[-1])] == "?"
    cosine = (kept.vectors.astype(np.float32) * reference.vectors.astype(np.float32)).sum(axis=1)
    assert cosine.min() >= 0.95, cosine


@pytest.mark.model
def test_a_swapped_word_is_less_supported_than_the_sentences_own() -> None:
    from docqa.index.embedding.embedder import get_embedder

    embedder = get_embedder(backend="onnx")
    sentence = "This Decision Time is heralded by the sounding of the division bell, heard throughout the Parliament."

    def support(question: str) -> float:
        return token_support.least_supported(embedder.token_vectors(question), question, embedder.token_vectors(sentence))

    assert support("What is heralded by the sounding of the division bell?") > support("What is heralded by the sounding of the deciding bell?") + 0.1


def test_an_onnx_file_without_the_token_output_embeds_and_gives_none(tmp_path: Path) -> None:
    """A file exported before recipe 2 (one output): sentence vectors as ever, no token vectors, no error."""
    import onnx

    from docqa.index.embedding import shipped
    from docqa.index.embedding.embedder import DEFAULT_MODEL
    from docqa.index.embedding.onnx_backend import OnnxEmbedder

    folder = shipped.shipped_model_dir(DEFAULT_MODEL)
    graph = onnx.load(str(folder / "int8.onnx"))
    assert [o.name for o in graph.graph.output] == ["embedding", "token_embeddings"]
    del graph.graph.output[1]
    older = tmp_path / "one-output.onnx"
    onnx.save(graph, str(older))
    current = OnnxEmbedder(DEFAULT_MODEL, folder, onnx_file=folder / "int8.onnx")
    earlier = OnnxEmbedder(DEFAULT_MODEL, folder, onnx_file=older)
    question = "When does ERA PerMed start?"
    np.testing.assert_array_equal(earlier.embed([question]), current.embed([question]))
    assert earlier.token_vectors(question) is None and current.token_vectors(question) is not None


def test_the_wrappers_hand_token_vectors_through(fake_embedder) -> None:
    """The server's embedder is the backend behind a query batcher (and, with AMX, a split embedder): each passes
    token vectors through, or the answerer would silently read the token feature at its mean."""
    from docqa.index.embedding.embedder import SplitEmbedder
    from docqa.index.embedding.query_batcher import QueryBatcher

    made = TokenVectors(np.zeros((1, 4), np.float16), ((0, 3),))

    class WithTokens(type(fake_embedder)):
        def token_vectors(self, text: str) -> TokenVectors:
            return made

    backend = WithTokens()
    assert token_vectors_of(QueryBatcher(backend), "Who?") is made
    assert token_vectors_of(SplitEmbedder(backend, fake_embedder), "Who?") is made
    assert token_vectors_of(QueryBatcher(SplitEmbedder(backend, fake_embedder)), "Who?") is made
    assert token_vectors_of(QueryBatcher(fake_embedder), "Who?") is None


def test_warm_up_makes_a_small_collections_sentences_token_vectors(fake_embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docqa.index.answering import extractive
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    asked: list[str] = []

    class Counting(type(fake_embedder)):
        def token_vectors(self, text: str) -> None:
            asked.append(text)

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bells.txt").write_text("Bells\n\nThe division bell rings at five. It is heard in every room.")
    ingest([tmp_path / "docs"], index_root=tmp_path / "index", embedder=fake_embedder)
    Assistant(tmp_path / "index", embedder=Counting()).answerer.warm_up()
    assert "The division bell rings at five. It is heard in every room." in asked  # as shown: with its antecedent
    assert "Bells\nThe division bell rings at five." in asked  # as the evidence reads it: the headline reports it
    asked.clear()
    monkeypatch.setattr(extractive, "WARM_SENTENCES", 1)  # a larger collection: made as sentences are shown
    Assistant(tmp_path / "index", embedder=Counting()).answerer.warm_up()
    assert asked == []


@pytest.mark.model
def test_after_warm_up_a_question_costs_one_model_run(corpus_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder

    embedder = get_embedder.__wrapped__(backend="onnx")
    assistant = Assistant(corpus_index, embedder=embedder)
    assistant.warm_up()
    monkeypatch.setattr(embedder.inner, "_run", lambda *args, **kwargs: pytest.fail("a sentence was run through the model"))
    for question in ("When does ERA PerMed start?", "Who published the action plan?", "Which French bodies take part?"):
        found = assistant.answerer.assess(question)
        assert found.candidate is not None and 0.0 < found.features[-1] <= 1.0
        assert found.features[-1] != assistant.answerer.model.mean[-1]  # read from token vectors, not the fitted mean
