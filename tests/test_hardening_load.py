"""Load: 32 concurrent loopback clients for 60 s against `docqa serve` (slow; real model)."""

from __future__ import annotations

import os

import pytest


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.model
def test_load_32_clients_60_seconds() -> None:
    from benchmarks.load import load_test

    figures = load_test(clients=32, seconds=float(os.environ.get("DOCQA_LOAD_SECONDS", "60")))
    print(f"\nload: {figures}")
    assert figures["requests"] > 100
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["rss_growth_pct"] < 10
