"""End to end with the real model: a page changed on the site is answered from its new text after
`docqa crawl`, by a server that was not restarted; `docqa serve --sync` does the same by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import load_benchmark
from tests.crawl_site import agency_site, page

REPO = Path(__file__).resolve().parent.parent
QUESTION = "What is the agency's budget for 2025?"
DEADLINE_SECONDS = 120

pytestmark = [pytest.mark.e2e, pytest.mark.model]


@pytest.fixture
def site():
    served = agency_site()
    served.delete("/slow.html")
    served.delete("/big.html")
    served.start()
    yield served
    served.stop()


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")}
    # ONNX for ingest too: no torch import in each `docqa crawl` (the AMX machines' bf16 bulk path)
    env.update(DOCQA_INDEX=str(tmp_path / "index"), DOCQA_CACHE=str(tmp_path / "cache"), DOCQA_BACKEND="onnx", HF_HUB_OFFLINE="1")
    return env


def ask(base: str) -> str | None:
    """The answer to QUESTION, or None while the server is not ready."""
    request = urllib.request.Request(
        f"{base}/api/ask", data=json.dumps({"question": QUESTION}).encode(), headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
            return body["answer"] + " | " + " ".join(s["source"] for s in body["sources"])
    except (urllib.error.HTTPError, OSError):
        return None


def wait_for_answer(base: str, expected: str, server: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + DEADLINE_SECONDS
    answer = None
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text(errors="replace")
        answer = ask(base)
        if answer is not None and expected in answer:
            return answer
        time.sleep(0.3)
    raise AssertionError(f"no answer holding {expected!r} before the deadline; last: {answer}\n{log.read_text(errors='replace')}")


def serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str, Path]:
    port = load_benchmark().free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "docqa", "serve", "--port", str(port), *args],
            cwd=REPO, env=environment(tmp_path), stdout=subprocess.DEVNULL, stderr=out,
        )
    return server, f"http://127.0.0.1:{port}", log


def change_budget(site) -> None:
    site.put("/news/budget.html", page("Budget 2025", "<p>The agency's budget for 2025 is 48 million euros.</p>"), sitemap="news")


def test_a_changed_page_is_answered_after_docqa_crawl_without_restarting_the_server(site, tmp_path):
    crawl = [sys.executable, "-m", "docqa", "crawl", site.url + "/", "--allow-private"]
    first = subprocess.run(crawl, cwd=REPO, env=environment(tmp_path), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    server, base, log = serve(tmp_path)
    try:
        before = wait_for_answer(base, "42 million", server, log)
        assert f"{site.url}/news/budget.html" in before  # the answer cites the page's URL
        change_budget(site)
        again = subprocess.run(crawl, cwd=REPO, env=environment(tmp_path), capture_output=True, text=True, timeout=300)
        assert again.returncode == 0 and "1 changed" in again.stdout, again.stdout + again.stderr
        assert "48 million" in wait_for_answer(base, "48 million", server, log)
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.mark.slow  # ~15 s each; tests/test_crawl_sync.py checks the scheduler itself by default
@pytest.mark.parametrize("workers", [1, 2])  # with 2, the supervisor crawls and each worker follows CURRENT
def test_serve_sync_crawls_at_start_and_then_on_its_timer(site, tmp_path, workers):
    server, base, log = serve(tmp_path, "--sync", site.url + "/", "--sync-every", "2s", "--allow-private", "--workers", str(workers))
    try:
        wait_for_answer(base, "42 million", server, log)
        change_budget(site)
        wait_for_answer(base, "48 million", server, log)
        time.sleep(2)  # DOCQA_RELOAD_CHECK_SECONDS: by now every worker has switched
        assert all("48 million" in (ask(base) or "") for _ in range(8))
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert "sync: published version" in log.read_text(errors="replace")
