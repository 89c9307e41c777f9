"""docqa ingest --ray: a real local Ray cluster (head + one worker node on 127.0.0.1) against the local ingest.

The cluster is started once for the module (benchmarks/ray_ingest.py's LocalCluster: `ray start --block`,
each node in its own process group, ended by its group) and costs ~30 s, so the cluster tests are `slow`; the checks that
need no cluster (laziness, unreachable address) run in the default suite. Vectors are compared with the
ONNX int8 backend, a plain install's: it embeds each text in a run of its own, so a vector does not depend
on which texts the local ingest and a Ray worker embedded beside it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="the ray extra is not installed")


def docqa(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "docqa"), *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, "DOCQA_BACKEND": "onnx", **(env or {})}
    )


def free_port() -> int:
    return load_benchmark().free_port()


@contextlib.contextmanager
def http_server():
    """A plain HTTP server on 127.0.0.1 (a port that answers, not as Ray); yields its port."""
    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def load_benchmark():
    """benchmarks/ray_ingest.py: its `compare` and `LocalCluster` serve here too."""
    spec = importlib.util.spec_from_file_location("docqa_ray_ingest_benchmark", REPO / "benchmarks" / "ray_ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """24 documents: the bundled corpus's paragraphs, a few per file (a .jsonl beside them is skipped alike)."""
    from docqa.ingest.loaders import load_file

    text = load_file(REPO / "corpus" / "personalised-medicine-action-plan.html", doc_id="x").text
    paragraphs = [p for p in text.split("\n\n") if len(p) > 80]
    out = tmp_path_factory.mktemp("ray-docs")
    for n in range(24):
        (out / f"part-{n:02d}.txt").write_text(f"Part {n}\n\n" + "\n\n".join(paragraphs[n::24]), encoding="utf-8")
    (out / "notes.jsonl").write_text("{}\n")
    return out


def test_plain_ingest_never_imports_ray(tiny_corpus: Path, tmp_path: Path) -> None:
    """Without --ray, neither the CLI nor an ingest imports Ray (a plain install has none)."""
    probe = (
        "import sys\nfrom docqa.server.cli import main\n"
        f"code = main(['ingest', {str(tiny_corpus)!r}, '--index', {str(tmp_path / 'idx')!r}])\n"
        "assert code == 0, code\nprint('ray' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_unreachable_address_fails_fast_and_keeps_the_served_version(tiny_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "idx"
    assert docqa("ingest", str(tiny_corpus), "--index", str(index)).returncode == 0
    served = (index / "CURRENT").read_text()
    started = time.monotonic()
    done = docqa("ingest", str(tiny_corpus), "--index", str(index), "--ray", f"127.0.0.1:{free_port()}")
    assert time.monotonic() - started < 20
    assert done.returncode == 1
    assert done.stderr.strip().startswith("Error: Cannot reach the Ray cluster at 127.0.0.1:"), done.stderr
    assert "Traceback" not in done.stderr
    assert (index / "CURRENT").read_text() == served
    with http_server() as port:  # something listens there, but not Ray
        started = time.monotonic()
        done = docqa("ingest", str(tiny_corpus), "--index", str(index), "--ray", f"127.0.0.1:{port}")
        assert time.monotonic() - started < 20
    assert done.returncode == 1 and "does not answer as a Ray cluster's head" in done.stderr, done.stderr
    assert (index / "CURRENT").read_text() == served
    bad = docqa("ingest", str(tiny_corpus), "--index", str(index), "--ray", "not-an-address")
    assert bad.returncode == 2 and "HOST:PORT" in bad.stderr and "Traceback" not in bad.stderr


@pytest.fixture(scope="module")
def site():
    from tests.crawl_site import agency_site

    served = agency_site()
    served.delete("/slow.html")  # a clean site: a complete crawl
    served.start()
    yield served
    served.stop()


def test_crawl_checks_the_ray_address_before_it_fetches_anything(site, tmp_path: Path) -> None:
    requests_before = len(site.log)
    started = time.monotonic()
    done = docqa("crawl", site.url + "/", "--index", str(tmp_path / "idx"), "--allow-private", "--ray", f"127.0.0.1:{free_port()}")
    assert time.monotonic() - started < 20
    assert done.returncode == 1 and "Cannot reach the Ray cluster" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(site.log) == requests_before and not (tmp_path / "idx" / "CURRENT").exists()


def test_workers_are_sized_to_the_nodes() -> None:
    from docqa.ingest.distributed import cluster_shape

    node = lambda cpus, alive=True: {"Alive": alive, "Resources": {"CPU": float(cpus)}}  # noqa: E731
    assert cluster_shape([node(1), node(1)]) == cluster_shape([node(1), node(1), node(32, alive=False)])
    assert (cluster_shape([node(1), node(1)]).workers, cluster_shape([node(1), node(1)]).threads) == (2, 1)
    assert (cluster_shape([node(16), node(16)]).workers, cluster_shape([node(16)]).threads) == (4, 8)
    assert (cluster_shape([node(2), node(16)], threads=4).threads, cluster_shape([node(2), node(16)], threads=4).workers) == (2, 9)
    assert cluster_shape([node(16), node(0)]).workers == 2
    assert cluster_shape([node(4)]).documents_per_batch == 128


@pytest.fixture(scope="module")
def cluster():
    started = load_benchmark().LocalCluster(workers=1, cpus=1)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def local_index(folder: Path, tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("local") / "idx"
    done = docqa("ingest", str(folder), "--index", str(index))
    assert done.returncode == 0, done.stderr  # the .jsonl is listed as skipped (an ignored type)
    return index


@pytest.mark.slow
def test_ray_ingest_writes_what_a_local_ingest_writes(cluster, folder: Path, local_index: Path, tmp_path: Path) -> None:
    index = tmp_path / "idx"
    done = docqa("ingest", str(folder), "--index", str(index), "--ray", cluster.address)
    assert done.returncode == 0, done.stderr
    assert "on 2 Ray workers" in done.stderr and f"skipped {folder / 'notes.jsonl'}: unsupported file type" in done.stderr
    cosines = load_benchmark().compare(local_index, index)
    assert min(cosines.values()) >= 0.999, cosines


@pytest.mark.slow
def test_crawl_on_ray_publishes_what_a_local_crawl_publishes(cluster, site, tmp_path: Path) -> None:
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert docqa("crawl", site.url + "/", "--index", str(local), "--allow-private").returncode == 0
    done = docqa("crawl", site.url + "/", "--index", str(on_ray), "--allow-private", "--ray", cluster.address)
    assert done.returncode == 0, done.stderr
    assert "on 2 Ray workers" in done.stderr, done.stderr
    cosines = load_benchmark().compare(local, on_ray)
    assert min(cosines.values()) >= 0.999, cosines


def _worker_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"SplitAndEmbed" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.slow
def test_a_worker_killed_mid_ingest_is_retried(cluster, folder: Path, local_index: Path, tmp_path: Path) -> None:
    """SIGKILL to a Ray worker while it embeds: Ray restarts it and retries its batch; the version is whole.
    (Were the retry to fail, the ingest must fail with one line and leave the served version as it was.)"""
    index = tmp_path / "idx"
    assert docqa("ingest", str(folder), "--index", str(index)).returncode == 0
    served = (index / "CURRENT").read_text()
    killed: list[int] = []

    def kill_first_worker() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            pids = _worker_pids()
            if pids:
                time.sleep(1.0)  # let it take a batch
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
            time.sleep(0.1)

    killer = threading.Thread(target=kill_first_worker)
    killer.start()
    done = docqa("ingest", str(folder), "--index", str(index), "--ray", cluster.address)
    killer.join()
    assert killed, "no Ray worker was seen to kill"
    print(f"Ray worker {killed[0]} killed; ingest exit status {done.returncode}; {done.stderr.strip().splitlines()[-1]}")
    if done.returncode == 0:
        assert (index / "CURRENT").read_text() != served
        assert min(load_benchmark().compare(local_index, index).values()) >= 0.999
    else:
        assert done.returncode == 1 and done.stderr.strip().splitlines()[-1].startswith("Error: "), done.stderr
        assert "Traceback" not in done.stderr
        assert (index / "CURRENT").read_text() == served
