"""Load: 32 concurrent loopback clients for 60 s against `docqa serve`, re-indexed every 5 s (slow; real model)."""

from __future__ import annotations

import os

import pytest

from tests.conftest import load_benchmark


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.model
def test_load_32_clients_60_seconds() -> None:
    # Re-indexing while serving: CURRENT flips between two versions every 5 s, so the server hot-reloads under load.
    seconds = float(os.environ.get("DOCQA_LOAD_SECONDS", "60"))
    figures = load_benchmark().load_test(clients=32, seconds=seconds, switch_every=5.0)
    print(f"\nload: {figures}")
    assert figures["requests"] > 100
    assert figures["server_reloads"] >= figures["current_flips"] - 1 >= 1
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["rss_growth_pct"] < 10
