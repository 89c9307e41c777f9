"""Incremental ingest: full ingest, re-ingest of the unchanged corpus, and re-ingest after one document changed.

    python benchmarks/incremental.py [--docs 300] [--backend auto] [--json]

The corpus is the first --docs Cranfield abstracts written as .txt files. Each step runs
docqa's own `ingest()` in this process with the default embedder and reports wall time and
how many texts reached the model. Target: unchanged re-ingest <= 5% of the full ingest;
a changed document re-embeds only its own chunks and sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cranfield, machine  # noqa: E402


class Counting:
    """Passes calls to an embedder, counting the texts it embeds."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.texts = inner, inner.name, 0
        self.variant = getattr(inner, "variant", "")

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)

    def embed(self, texts, **kwargs):
        self.texts += len(texts)
        return self.inner.embed(texts, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--backend", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from docqa.index.embedding.embedder import get_embedder
    from docqa.ingest.pipeline import ingest

    doc_ids, texts, _, _ = cranfield()
    model = get_embedder(backend=args.backend)
    model.embed(["warm up"])
    steps = []
    with tempfile.TemporaryDirectory() as scratch:
        corpus, root = Path(scratch) / "corpus", Path(scratch) / "index"
        corpus.mkdir()
        for doc_id, text in list(zip(doc_ids, texts))[: args.docs]:
            (corpus / f"cran-{doc_id}.txt").write_text(text, encoding="utf-8")
        for label in ("full ingest", "unchanged re-ingest", "one document changed"):
            if label == "one document changed":
                first = sorted(corpus.iterdir())[0]
                first.write_text(first.read_text() + "\n\nAn added closing remark about the wind tunnel tests.", encoding="utf-8")
            counting = Counting(model)
            started = time.perf_counter()
            report = ingest([corpus], index_root=root, embedder=counting)
            steps.append({"step": label, "seconds": round(time.perf_counter() - started, 2), "texts_embedded": counting.texts, "chunks": report.chunks, "sentences": report.sentences})
    full = steps[0]["seconds"]
    for step in steps:
        step["share_of_full"] = round(step["seconds"] / full, 4)
    result = {"machine": machine(), "documents": args.docs, "steps": steps}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(f"{args.docs} Cranfield abstracts as .txt files, backend {getattr(model, 'variant', '?')}")
    for s in steps:
        print(f"  {s['step']:22s} {s['seconds']:7.2f} s ({100 * s['share_of_full']:5.1f}% of full), texts embedded {s['texts_embedded']:6d} (index: {s['chunks']} chunks, {s['sentences']} sentences)")


if __name__ == "__main__":
    main()
