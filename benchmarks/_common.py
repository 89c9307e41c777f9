"""Helpers shared by the benchmark scripts (not part of docqa): machine description, percentiles, Cranfield,
what a fitted model file records about its fit."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CRANFIELD = REPO.parent / "shared" / "datasets" / "cranfield"


def machine() -> str:
    """One line: CPU model, cores, SIMD flags that matter to the kernels, load average."""
    model, flags = platform.processor() or "?", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    simd = [f for f in ("avx", "fma", "avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_bf16", "amx_int8") if f in flags]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{model}; {os.cpu_count()} cores; SIMD {'/'.join(simd) or 'none'}; load average {load}"


def percentiles(samples_s: list[float]) -> dict[str, float]:
    """p50 / p90 / p99 / mean in milliseconds."""
    ms = np.asarray(samples_s) * 1000
    return {"p50": float(np.percentile(ms, 50)), "p90": float(np.percentile(ms, 90)), "p99": float(np.percentile(ms, 99)), "mean": float(ms.mean())}


def cranfield(folder: Path = CRANFIELD) -> tuple[list[str], list[str], list[tuple[str, str]], dict[str, dict[str, int]]]:
    """(doc ids, doc texts as embedded at ingest: title + newline + text, queries (id, text), qrels)."""
    docs = [json.loads(line) for line in (folder / "corpus.jsonl").read_text().splitlines() if line.strip()]
    queries = [json.loads(line) for line in (folder / "queries.jsonl").read_text().splitlines() if line.strip()]
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        qid, did, score = line.split("\t")[:3]
        qrels.setdefault(qid, {})[did] = int(score)
    texts = [f"{d['title']}\n{d['text']}" if d.get("title") else d["text"] for d in docs]
    return [str(d["_id"]) for d in docs], texts, [(str(q["_id"]), q["text"]) for q in queries], qrels


def ndcg_at_10(doc_ids: list[str], doc_vectors: np.ndarray, query_ids: list[str], query_vectors: np.ndarray, qrels: dict) -> float:
    """Mean nDCG@10 (linear gain, as trec_eval) over the queries that have judgments."""
    scores = query_vectors @ doc_vectors.T
    values = []
    for row, qid in enumerate(query_ids):
        judged = qrels.get(qid)
        if not judged:
            continue
        top = np.argsort(-scores[row])[:10]
        dcg = sum(judged.get(doc_ids[i], 0) / np.log2(rank + 2) for rank, i in enumerate(top))
        ideal = sum(g / np.log2(rank + 2) for rank, g in enumerate(sorted(judged.values(), reverse=True)[:10]))
        values.append(dcg / ideal if ideal else 0.0)
    return float(np.mean(values))


def fit_record(script: str, argv: list[str] | None, *, data: Path, split_seed: int, check_share: float, titles: dict) -> dict:
    """The start of a fitted answering model's `training` record: when, the command, the data and its split."""
    return {
        "fitted": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": f"python benchmarks/{script}" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip(),
        "data": f"{data.name} (SQuAD 2.0 dev, part A), fit part: split_articles(seed={split_seed}, check_share={check_share})",
        "fit_articles": titles["fit"],
        "check_articles": titles.get("check", []),
    }
