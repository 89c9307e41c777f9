"""A large real-text corpus through the real CLI: ingest, disk, serve start-up, /api/ask latency, re-ingest.

    python benchmarks/corpus_scale.py --corpus /tmp/scale-corpus --copies 6 --index /tmp/scale-index
    python benchmarks/corpus_scale.py --corpus /tmp/scale-corpus --index /tmp/scale-index --reuse   # serve only

The corpus (written once to --corpus, outside the repository) is every Cranfield abstract as a .txt file
and every SQuAD article of squad2-a as a .md file (one paragraph per block), repeated --copies times; each
copy after the first changes one word in every sentence (a word of the same collection, seeded), so that
every chunk and sentence is a distinct text to embed, as in a real collection. Then, for the bundled corpus
and for this one, side by side: `docqa ingest` (wall time, peak RSS from /usr/bin/time -v when present,
else from the child's rusage), the index version's size on disk, `docqa serve` launch → first answered
`POST /api/ask` and its RSS, then --questions distinct questions over keep-alive HTTP (p50 / p95 / p99),
RSS after them, and re-ingests: unchanged, and with --change files rewritten (the incremental caches).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
from _common import CRANFIELD, REPO, machine, percentiles  # noqa: E402

SQUAD = REPO.parent / "shared" / "datasets" / "squad2-a" / "dev-a-v2.0.json"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\b[a-z]{5,}\b")


def base_documents() -> list[tuple[str, str]]:
    """(relative file name, file text) of every Cranfield abstract and SQuAD article."""
    out = []
    for line in (CRANFIELD / "corpus.jsonl").read_text().splitlines():
        if line.strip():
            doc = json.loads(line)
            out.append((f"cranfield/{doc['_id']}.txt", f"{doc.get('title', '').strip().capitalize()}\n\n{doc['text'].strip()}\n"))
    for article in json.loads(SQUAD.read_text())["data"]:
        title = article["title"].replace("_", " ")
        blocks = [p["context"].strip() for p in article["paragraphs"]]
        name = re.sub(r"[^A-Za-z0-9]+", "-", article["title"]).strip("-")
        out.append((f"squad/{name}.md", f"# {title}\n\n" + "\n\n".join(blocks) + "\n"))
    return out


def perturb(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    """`text` with one lower-case word of 5+ letters per sentence replaced by another of the collection."""
    sentences = _SENTENCE.split(text)
    for i, sentence in enumerate(sentences):
        words = list(_WORD.finditer(sentence))
        if words:
            w = rng.choice(words)
            sentences[i] = sentence[: w.start()] + rng.choice(vocabulary) + sentence[w.end() :]
    return " ".join(sentences)


def write_corpus(folder: Path, copies: int, *, seed: int = 0) -> dict:
    """The corpus under `folder` (kept when already written with the same copies)."""
    stamp = folder / ".corpus.json"
    if stamp.is_file() and json.loads(stamp.read_text()).get("copies") == copies:
        return json.loads(stamp.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    docs = base_documents()
    vocabulary = sorted({w for _, t in docs for w in _WORD.findall(t)})
    rng = random.Random(seed)
    files = 0
    for copy in range(copies):
        for name, text in docs:
            if copy:
                head, _, body = text.partition("\n\n")
                text = head + "\n\n" + "\n\n".join(perturb(b, rng, vocabulary) for b in body.split("\n\n"))
            path = folder / f"copy{copy:02d}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            files += 1
    info = {"copies": copies, "files": files, "bytes": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())}
    stamp.write_text(json.dumps(info))
    return info


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed_ingest(corpus: Path, index: Path) -> dict:
    """`docqa ingest` as a user runs it: wall seconds, peak RSS (MB), its phase lines."""
    command = [sys.executable, "-m", "docqa", "ingest", str(corpus), "--index", str(index)]
    time_v = Path("/usr/bin/time")
    if time_v.is_file():
        command = [str(time_v), "-v", *command]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 3):
        raise RuntimeError(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    peak_mb = int(peak.group(1)) / 1024 if peak else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    phases = [line.strip() for line in (done.stdout + done.stderr).splitlines() if re.search(r"\(\d+\.\d+ s\)", line)]
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(peak_mb), "phases": phases}


def disk_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def current_version(index: Path) -> Path:
    return index / "versions" / (index / "CURRENT").read_text().strip()


def serve_and_ask(index: Path, questions: list[str]) -> dict:
    """Launch → first answer, RSS, then every question once over keep-alive HTTP."""
    import http.client

    port = _server.free_port()
    launched = time.perf_counter()
    server = _server.start(index, port=port)
    try:
        first = _server.wait_answering(f"http://127.0.0.1:{port}", server) - launched
        rss_start = _server.rss_mb(server.pid)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        latencies, errors = [], 0
        try:
            for q in questions:
                started = time.perf_counter()
                connection.request("POST", "/api/ask", body=json.dumps({"question": q}), headers={"content-type": "application/json"})
                response = connection.getresponse()
                response.read()
                latencies.append(time.perf_counter() - started)
                errors += response.status != 200
        finally:
            connection.close()
        rss_end = _server.rss_mb(server.pid)
    finally:
        _server.stop(server)
    p = percentiles(latencies)
    import numpy as np

    p95 = float(np.percentile(np.asarray(latencies) * 1000, 95))
    return {
        "first_answer_s": round(first, 2),
        "rss_start_mb": round(rss_start),
        "rss_end_mb": round(rss_end),
        "questions": len(questions),
        "errors": errors,
        "p50_ms": round(p["p50"], 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(p["p99"], 1),
    }


def change_files(corpus: Path, count: int, *, seed: int = 1) -> list[Path]:
    """Append a sentence to `count` files (seeded pick); returns them."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    picked = random.Random(seed).sample(files, min(count, len(files)))
    for path in picked:
        path.write_text(path.read_text() + f"\n\nRevised on {time.strftime('%Y-%m-%d %H:%M:%S')} (benchmark edit).\n")
    return picked


def run_one(label: str, corpus: Path, index: Path, *, questions: list[str], reuse: bool, change: int) -> dict:
    result: dict = {}
    if not reuse:
        shutil.rmtree(index, ignore_errors=True)
        _progress(f"{label}: ingest {corpus}")
        result["ingest"] = timed_ingest(corpus, index)
        _progress(f"{label}: ingest {result['ingest']['wall_s']} s, peak RSS {result['ingest']['peak_rss_mb']} MB")
    version = current_version(index)
    manifest = json.loads((version / "manifest.json").read_text())
    result.update(counts=manifest["counts"], index_type=manifest.get("index_type"), version_mb=disk_mb(version), root_mb=disk_mb(index))
    _progress(f"{label}: serve and ask {len(questions)} questions")
    result["serve"] = serve_and_ask(index, questions)
    if not reuse:
        _progress(f"{label}: unchanged re-ingest")
        result["reingest_unchanged"] = timed_ingest(corpus, index)
        if change:
            changed = change_files(corpus, change) if corpus != REPO / "corpus" else []
            if changed:
                _progress(f"{label}: re-ingest after {len(changed)} files changed")
                result["reingest_changed"] = {"files": len(changed), **timed_ingest(corpus, index)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="where the generated corpus is written (outside the repository)")
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--index", type=Path, required=True, help="the large corpus's index root")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--change", type=int, default=20, help="files changed before the last re-ingest")
    parser.add_argument("--reuse", action="store_true", help="serve the index already at --index (no ingest)")
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict = {"machine": machine()}
    if not args.reuse:
        results["corpus"] = write_corpus(args.corpus, args.copies)
        _progress(f"corpus: {results['corpus']}")
    cranfield_queries = [json.loads(line)["text"] for line in (CRANFIELD / "queries.jsonl").read_text().splitlines() if line.strip()]
    squad_questions = [q["question"] for a in json.loads(SQUAD.read_text())["data"] for p in a["paragraphs"] for q in p["qas"]]
    mixed = [q for pair in zip(cranfield_queries, squad_questions) for q in pair]
    large_questions = list(dict.fromkeys(mixed))[: args.questions]
    if not args.skip_bundled:
        seeds = [q for line in (REPO / "corpus" / "questions.jsonl").read_text().splitlines() if line.strip() and (q := json.loads(line).get("question"))]
        bundled_questions = (seeds * (args.questions // max(len(seeds), 1) + 1))[: args.questions]
        bundled_index = args.index.with_name(args.index.name + "-bundled")
        results["bundled"] = run_one("bundled", REPO / "corpus", bundled_index, questions=bundled_questions, reuse=False, change=0)
        shutil.rmtree(bundled_index, ignore_errors=True)
    results["large"] = run_one("large", args.corpus, args.index, questions=large_questions, reuse=args.reuse, change=args.change)
    print(json.dumps(results, indent=2) if args.json else report(results))


def report(results: dict) -> str:
    lines = [f"machine: {results['machine']}"]
    if "corpus" in results:
        c = results["corpus"]
        lines.append(f"large corpus: {c['files']:,} files, {c['bytes'] / 2**20:.1f} MB, {c['copies']} copies")
    for label in ("bundled", "large"):
        r = results.get(label)
        if not r:
            continue
        n = r["counts"]
        lines.append(f"{label}: {n['documents']:,} documents, {n['chunks']:,} chunks, {n['sentences']:,} sentences; index {r['index_type']}; version {r['version_mb']} MB, root {r['root_mb']} MB")
        for key in ("ingest", "reingest_unchanged", "reingest_changed"):
            if key in r:
                i = r[key]
                lines.append(f"  {key:<19} {i['wall_s']:7.1f} s  peak RSS {i['peak_rss_mb']:5d} MB" + (f"  ({i['files']} files changed)" if "files" in i else ""))
                lines += [f"      {p}" for p in i["phases"]]
        s = r["serve"]
        lines.append(
            f"  serve: first answer {s['first_answer_s']} s after launch; RSS {s['rss_start_mb']} MB → {s['rss_end_mb']} MB after {s['questions']} questions; "
            f"POST /api/ask p50 {s['p50_ms']} ms, p95 {s['p95_ms']}, p99 {s['p99_ms']}; {s['errors']} errors"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
