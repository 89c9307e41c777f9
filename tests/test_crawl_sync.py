"""`docqa serve --sync`: the interval, the scheduler (a failed run keeps serving), bad --sync input."""

from __future__ import annotations

import time

import pytest

from docqa.errors import InvalidInput
from docqa.ingest.crawl.sync import CrawlReport
from docqa.server import cli
from docqa.server.scheduled_sync import SyncScheduler, parse_interval


def test_interval_parsing():
    assert parse_interval("6h") == 6 * 3600 and parse_interval("30m") == 1800 and parse_interval("90") == 90
    assert parse_interval("1d") == 86400 and parse_interval(" 0.5s ") == 0.5
    for bad in ("", "6 hours", "-1h", "0", "h"):
        with pytest.raises(InvalidInput, match="--sync-every"):
            parse_interval(bad)


def test_scheduler_runs_on_its_timer_reports_new_versions_and_survives_a_failed_run():
    results = [RuntimeError("site down"), CrawlReport(outcomes=[], version="v2"), CrawlReport(outcomes=[])]
    published: list[str] = []

    def crawl() -> CrawlReport:
        result = results.pop(0) if results else CrawlReport(outcomes=[])
        if isinstance(result, Exception):
            raise result
        return result

    scheduler = SyncScheduler(crawl, every=0.05, on_published=published.append)
    scheduler.start()
    deadline = time.monotonic() + 10
    while scheduler.runs < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    scheduler.stop()
    assert scheduler.runs >= 3 and published == ["v2"]


@pytest.mark.parametrize("args, message", [(["--sync", "gopher://x.org/"], "only http and https"), (["--sync", "https://x.org/", "--sync-every", "soon"], "--sync-every")])
def test_serve_refuses_bad_sync_options_before_listening(tmp_path, capsys, args, message):
    assert cli.main(["serve", "--index", str(tmp_path / "idx"), "--port", "0", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["--sync-every", "30m"], ["--follow-links"], ["--allow-private"]])
def test_serve_refuses_sync_options_without_sync(tmp_path, capsys, monkeypatch, args):
    """They only shape --sync: given alone they did nothing, silently (the server started without crawling)."""

    def started(*_args, **_options):
        raise AssertionError("serve started without --sync")

    monkeypatch.setattr("docqa.server.app.create_app", started)
    monkeypatch.setattr("docqa.server.workers.run", started)
    assert cli.main(["serve", "--index", str(tmp_path / "idx"), "--port", "0", *args]) == 2
    err = capsys.readouterr().err
    assert f"{args[0]} needs --sync" in err and "Traceback" not in err
