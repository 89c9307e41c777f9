"""Embedding speed and fidelity: a docqa backend against plain sentence-transformers fp32, same chunks, same run.

    python benchmarks/embedding.py [--backend auto] [--chunks 256] [--rounds 3] [--batch 32] [--our-batch N] [--ndcg]

Chunks are Cranfield abstracts (title + text, as ingest embeds them). Rounds alternate
the two engines, so CPU contention from other processes hits both alike; the ratio of
the median rounds is the figure. --ndcg also embeds all 1,400 abstracts and 225 queries
with both and reports dense nDCG@10 (FAISS-equivalent exact inner product).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cranfield, machine, ndcg_at_10  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="auto", help="docqa backend to compare (auto = the default; onnx, onnx-fp32, torch, torch-bf16)")
    parser.add_argument("--chunks", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32, help="sentence-transformers batch size (its default)")
    parser.add_argument("--our-batch", type=int, default=None, help="docqa backend batch size [default: the backend's own]")
    parser.add_argument("--ndcg", action="store_true", help="also compare Cranfield nDCG@10 (embeds 1,400 abstracts twice)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()


    from docqa.index.embedding.embedder import get_embedder

    doc_ids, texts, queries, qrels = cranfield()
    sample = texts[: args.chunks]
    ours = get_embedder(backend=args.backend)
    reference = get_embedder(backend="torch")
    ours.embed(sample[:4])  # load (and export, the first time) outside the timing
    reference.embed(sample[:4])

    timings: dict[str, list[float]] = {"sentence-transformers fp32": [], args.backend: []}
    for _ in range(args.rounds):
        start = time.perf_counter()
        ref_vectors = reference.embed(sample, batch_size=args.batch)
        timings["sentence-transformers fp32"].append(time.perf_counter() - start)
        start = time.perf_counter()
        our_vectors = ours.embed(sample, **({"batch_size": args.our_batch} if args.our_batch else {}))
        timings[args.backend].append(time.perf_counter() - start)
    rate = {k: len(sample) / float(np.median(v)) for k, v in timings.items()}
    cosine = (our_vectors * ref_vectors).sum(axis=1)
    result = {
        "machine": machine(),
        "chunks": len(sample),
        "batch": args.batch,
        "rounds": args.rounds,
        "chunks_per_s": {k: round(v, 2) for k, v in rate.items()},
        "speedup": round(rate[args.backend] / rate["sentence-transformers fp32"], 2),
        "cosine": {"mean": round(float(cosine.mean()), 4), "min": round(float(cosine.min()), 4)},
    }
    if args.ndcg:
        query_ids = [q for q, _ in queries]
        query_texts = [t for _, t in queries]
        ndcg = {}
        for label, embedder in (("sentence-transformers fp32", reference), (args.backend, ours)):
            ndcg[label] = round(ndcg_at_10(doc_ids, embedder.embed(texts), query_ids, embedder.embed(query_texts), qrels), 4)
        result["ndcg@10"] = ndcg
        result["ndcg_delta"] = round(ndcg[args.backend] - ndcg["sentence-transformers fp32"], 4)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(f"{len(sample)} Cranfield chunks, batch {args.batch}, median of {args.rounds} alternating rounds")
    for label, value in rate.items():
        print(f"  {label:28s} {value:7.1f} chunks/s")
    print(f"  speed-up {result['speedup']:.2f}x; cosine to fp32: mean {result['cosine']['mean']:.4f}, min {result['cosine']['min']:.4f}")
    if args.ndcg:
        for label, value in result["ndcg@10"].items():
            print(f"  nDCG@10 {label:28s} {value:.4f}")
        print(f"  nDCG@10 difference {result['ndcg_delta']:+.4f}")


if __name__ == "__main__":
    main()
