"""Retrieval quality on a BEIR collection: the default mode beside the baselines, in one run.

    python benchmarks/retrieval.py [../shared/datasets/cranfield] [--json OUT.json]

The collection is indexed once (cached, see ingest/beir.py) with the bundled model and
docqa's default settings; every row below searches that same index. Exits 1 when the
default mode misses the targets (nDCG@10 ≥ 0.58, Recall@100 ≥ 0.82).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_NDCG, TARGET_RECALL = 0.58, 0.82
COLUMNS = ("ndcg@10", "mrr@10", "recall@10", "recall@100", "latency_p50_ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collection", nargs="?", type=Path, default=ROOT.parent / "shared" / "datasets" / "cranfield")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    from docqa.config import default_cache_dir
    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder
    from docqa.index.evaluation.evaluate import evaluate_beir
    from docqa.index.retrieval.search import DEFAULT_MODE, HybridSettings, Searcher
    from docqa.ingest.beir import prepare_index

    embedder = get_embedder()
    started = time.perf_counter()
    root = prepare_index(args.collection, embedder=embedder, cache=default_cache_dir(), progress=True)
    print(f"index: {root} ({time.perf_counter() - started:.0f} s to build or load)", file=sys.stderr)
    index = Assistant(root, embedder=embedder).index

    rows = [
        ("bm25 (bm25s, en+fr stopwords, Snowball stems, title ×2)", Searcher(index, embedder), "bm25"),
        ("dense (FAISS flat, title + chunk)", Searcher(index, embedder), "dense"),
        ("RRF k=60 (dense + bm25)", Searcher(index, embedder, hybrid=HybridSettings(fusion="rrf", depth=100, feedback_passages=0)), "hybrid"),
        ("z-score fusion, no feedback", Searcher(index, embedder, hybrid=HybridSettings(feedback_passages=0)), "hybrid"),
        (f"default: {DEFAULT_MODE} (z-score fusion + RM3/Rocchio feedback)", Searcher(index, embedder), DEFAULT_MODE),
    ]
    results = {}
    for name, searcher, mode in rows:
        results[name] = evaluate_beir(searcher, args.collection, modes=(mode,)).modes[mode].metrics
        print(f"  measured: {name}", file=sys.stderr)

    width = max(len(n) for n in results)
    from docqa.index.embedding.embedder import resolve_backend, resolve_model

    backend = resolve_backend(None, resolve_model(embedder.name)[1])
    print(f"{args.collection.resolve().name}: {results[rows[0][0]]['queries']} judged queries, model {embedder.name} ({backend} backend)")
    print(f"{'method':<{width}}  " + "  ".join(f"{c:>14}" for c in COLUMNS))
    for name, metrics in results.items():
        print(f"{name:<{width}}  " + "  ".join(f"{metrics[c]:>14.3f}" if c != "latency_p50_ms" else f"{metrics[c]:>14.1f}" for c in COLUMNS))
    print("baselines from the collection README: bm25s 0.498 / 0.730, dense 0.504 / 0.792, RRF 0.557 / 0.797 (nDCG@10 / Recall@100)")
    default = results[rows[-1][0]]
    met = default["ndcg@10"] >= TARGET_NDCG and default["recall@100"] >= TARGET_RECALL
    print(f"default mode: nDCG@10 {default['ndcg@10']:.3f} (target ≥ {TARGET_NDCG}), Recall@100 {default['recall@100']:.3f} "
          f"(target ≥ {TARGET_RECALL}): {'MET' if met else 'NOT MET'}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
