"""The helper process that reads PDFs and large documents (ingest/pdf_text.py): started without importing the
caller's main script, and a helper that dies is noticed at once. Each test's docstring says what went wrong before."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from docqa.ingest.pdf_text import HelperFailed, in_helper, stop_helper
from tests.conftest import REPO
from tests.crawl_site import make_pdf

UNGUARDED_SCRIPT = """
    import sys
    from pathlib import Path

    from docqa.ingest.loaders import FileLimits
    from docqa.ingest.pipeline import ingest
    from tests.conftest import FakeEmbedder

    print("script body runs", flush=True)
    report = ingest([Path(sys.argv[1])], index_root=Path(sys.argv[2]), embedder=FakeEmbedder(), limits=FileLimits(max_seconds=8))
    print("indexed", report.documents, "skipped", [s.reason for s in report.skipped], flush=True)
"""


def test_a_script_without_a_main_guard_ingests_a_pdf_at_once(tmp_path: Path) -> None:
    """Was a wait of the full time limit per PDF, and the script's tracebacks again and again: the helper was a
    multiprocessing "spawn" Pool, whose child runs the caller's main script (as __mp_main__) before working; this
    script's ingest then found the index locked by its parent and died, and the Pool silently started another
    (14 in 5 s), while the parent waited for an answer until the limit ("took longer than 8 s to read")."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "glaciers.pdf").write_bytes(make_pdf("Glaciers move slowly down the valley every year."))
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent(UNGUARDED_SCRIPT), encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script), str(docs), str(tmp_path / "index")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["script body runs", "indexed 1 skipped []"]
    assert "Traceback" not in done.stderr
    assert seconds < 8  # (the limit: about 3 s here, most of it imports)


def test_a_helper_that_dies_is_noticed_at_once_and_the_next_call_gets_a_new_one() -> None:
    """A helper killed while reading (out of memory, a crash in a parser) must be one file's error, at once, not a
    wait until the time limit; the next file starts a fresh helper."""
    started = time.monotonic()
    with pytest.raises(HelperFailed, match="exit code 3"):
        in_helper(os._exit, 3, max_seconds=30)
    assert time.monotonic() - started < 10
    try:
        assert in_helper(len, "four", max_seconds=30) == 4
    finally:
        stop_helper()
