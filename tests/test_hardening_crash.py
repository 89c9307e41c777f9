"""Crash safety: SIGKILL an ingest at random moments; the served index stays a complete, answering version.

Fast variant (default suite): 3 kills with the fake embedder (during the array
writes, around the CURRENT switch, at a random moment). Slow variant: 14 kills
covering every phase plus random moments, and kills of the real `docqa ingest`.
After each kill: CURRENT names a complete version that loads and answers, at
most the killed writer's own temporary directory exists, and the next ingest
succeeds and cleans it up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docqa.index.storage import store, versions
from docqa.index.assistant import Assistant
from docqa.ingest.pipeline import ingest

REPO = Path(__file__).resolve().parent.parent
WORDS = "stream glacier mountain valley harbour tram museum orchid telescope mirror survey lake forest bridge".split()


def make_corpus(folder: Path, *, documents: int = 40, sentences: int = 25) -> Path:
    rng = random.Random(7)
    folder.mkdir()
    for d in range(documents):
        lines = [f"Document {d}"] + [
            f"The {rng.choice(WORDS)} number {d}-{s} is near the {rng.choice(WORDS)} and the {rng.choice(WORDS)}." for s in range(sentences)
        ]
        (folder / f"doc{d:03}.txt").write_text("\n".join(lines))
    (folder / "rivers.txt").write_text("Rivers\n\nThe Rhine rises in the Swiss Alps and reaches the North Sea.")
    return folder


def temporaries(root: Path) -> list[str]:
    found = [p.name for p in (root / "versions").iterdir() if p.name.startswith(".")] if (root / "versions").is_dir() else []
    return found + ([versions.CURRENT + ".tmp"] if (root / f".{versions.CURRENT}.tmp").exists() else [])


def check_served(root: Path, embedder, *, allowed: set[str]) -> str:
    """CURRENT names a complete version that loads and answers; returns its name."""
    name = versions.current_name(root)
    assert name in allowed, f"CURRENT is {name}, expected one of {sorted(allowed)}"
    loaded = store.load(versions.current_version(root))
    assert len(loaded) > 0 and loaded.faiss.ntotal == len(loaded)
    assistant = Assistant(root, embedder=embedder)
    assert "Rhine" in assistant.search("Rhine Swiss Alps North Sea", k=3)[0].chunk.text
    assert assistant.ask("Where does the Rhine rise?").sources
    return name


def run_worker(corpus: Path, root: Path, *, pause: float, kill_at: str | float | None, rng: random.Random) -> tuple[bool, list[str]]:
    """Start the worker; kill it when `kill_at` (a phase name, or seconds) comes. Returns (killed, phases seen)."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_ingest_worker", str(corpus), str(root), "--pause", str(pause)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seen: list[str] = []
    try:
        if isinstance(kill_at, float):
            time.sleep(kill_at)
        else:
            for line in worker.stdout:
                seen.append(line.strip())
                if kill_at is not None and line.strip() == kill_at:
                    time.sleep(rng.uniform(0, pause * 1.4))  # somewhere inside the phase, or just after it
                    break
        if kill_at is not None and worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
            worker.wait(30)
            if isinstance(kill_at, float):
                seen = [line.strip() for line in worker.stdout]  # what it announced before dying
            return True, seen
        seen += [line.strip() for line in worker.stdout]
        assert worker.wait(60) == 0
        return False, seen
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        worker.stdout.close()


def crash_trials(tmp_path: Path, embedder, *, plan: list[str | float], pause: float, seed: int) -> dict:
    rng = random.Random(seed)
    corpus = make_corpus(tmp_path / "corpus")
    small = make_corpus(tmp_path / "small", documents=2, sentences=3)
    root = tmp_path / "index"
    started = time.perf_counter()
    killed, seen = run_worker(corpus, root, pause=0.0, kill_at=None, rng=rng)  # the first good version
    full_seconds = time.perf_counter() - started
    assert not killed and seen[-1].startswith("done")
    served = check_served(root, embedder, allowed={seen[-1].split()[1]})
    survived = 0
    for trial, kill_at in enumerate(plan):
        if kill_at == "random":
            kill_at = rng.uniform(0.2, full_seconds + 4 * pause)
        before = set(versions.version_names(root))
        killed, seen = run_worker(corpus, root, pause=pause, kill_at=kill_at, rng=rng)
        new = set(versions.version_names(root)) - before
        # The served version is the last good one, or the new one if the kill came after the CURRENT switch.
        now = check_served(root, embedder, allowed={served} | new)
        assert now == served or "publish" in seen
        assert len([t for t in temporaries(root) if t.startswith(".tmp-")]) <= 1, temporaries(root)
        print(f"  trial {trial}: kill at {kill_at!r:>10} → killed={killed}, last phase {seen[-1] if seen else '-'}, serving {now}")
        survived += killed
        served = now
        # The next ingest succeeds and removes what the killed one left behind.
        report = ingest([small if trial % 2 else corpus], index_root=root, embedder=embedder)
        served = check_served(root, embedder, allowed={report.version})
        assert temporaries(root) == [], temporaries(root)
        assert len(versions.version_names(root)) <= 3
    return {"trials": len(plan), "kills": survived, "full_ingest_s": round(full_seconds, 2)}


def test_crash_during_ingest_fast(tmp_path: Path, fake_embedder) -> None:
    result = crash_trials(tmp_path, fake_embedder, plan=["write", "publish", "random"], pause=0.15, seed=1)
    print(f"\ncrash (fast): {result}")
    assert result["kills"] >= 2


@pytest.mark.slow
def test_crash_during_ingest_many(tmp_path: Path, fake_embedder) -> None:
    plan: list[str | float] = ["load", "write", "fsync", "rename", "publish", "prune"] * 2 + ["random"] * 4
    result = crash_trials(tmp_path, fake_embedder, plan=plan, pause=0.2, seed=int(os.environ.get("DOCQA_CRASH_SEED", "42")))
    print(f"\ncrash (slow): {result}")
    assert result["kills"] >= 10


@pytest.mark.slow
@pytest.mark.model
def test_killing_the_real_docqa_ingest(tmp_path: Path, real_embedder) -> None:
    """The real CLI and model: kill it at random moments; the served version stays good; the next run succeeds."""
    corpus = make_corpus(tmp_path / "corpus", documents=120, sentences=30)
    root = tmp_path / "index"
    env = {**os.environ, "DOCQA_INDEX": str(root), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "docqa", "ingest", str(corpus)]
    assert subprocess.run(command, cwd=REPO, env=env, capture_output=True).returncode == 0
    started = time.perf_counter()  # the second run is the reference: caches are warm, as in the trials
    assert subprocess.run(command, cwd=REPO, env=env, capture_output=True).returncode == 0
    full_seconds = time.perf_counter() - started
    served = versions.current_name(root)
    rng = random.Random(3)
    kills = 0
    for trial in range(3):
        delay = rng.uniform(full_seconds * 0.15, full_seconds * 0.9)
        before = set(versions.version_names(root))
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        killed = process.poll() is None
        if killed:
            process.send_signal(signal.SIGKILL)
        process.wait(60)
        kills += killed
        new = set(versions.version_names(root)) - before
        served = check_served(root, real_embedder, allowed={served} | new)
        print(f"  real trial {trial}: kill after {delay:.1f}s of {full_seconds:.1f}s → killed={killed}, serving {served}")
    assert subprocess.run(command, cwd=REPO, env=env, capture_output=True).returncode == 0
    assert temporaries(root) == []
    check_served(root, real_embedder, allowed={versions.current_name(root)})
    print(f"\ncrash (real docqa ingest): {kills} kills of 3, full ingest {full_seconds:.1f}s")
    assert kills >= 2
