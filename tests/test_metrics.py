"""Metrics of all workers in one scrape (issue 16, finding 9), through a real ``serve`` with two
workers: before, each scrape showed the one worker that answered it, so counters jumped."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from tests.server import running_server

pytestmark = pytest.mark.slow
SAMPLE = re.compile(r'^veikart_requests_total\{endpoint="(\w+)",status="(\d+)"\} ([0-9.e+]+)$', re.M)


def requests_total(text: str, endpoint: str) -> float:
    return sum(float(n) for e, _, n in SAMPLE.findall(text) if e == endpoint)


def scrape(base: str) -> str:
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        return response.read().decode("utf-8")


def test_every_scrape_counts_the_requests_of_every_worker(snapshot):
    with running_server(Path(snapshot.path).parents[1], workers=2) as base:
        sent = 40
        for _ in range(sent):
            urllib.request.urlopen(base + "/healthz", timeout=10).close()
        seen = []
        for _ in range(10):
            text = scrape(base)
            seen.append(requests_total(text, "other"))
        assert all(count >= sent for count in seen), seen  # /healthz counts as "other"
        assert seen == sorted(seen), f"a counter went backwards between scrapes: {seen}"
        pids = set(re.findall(r'^veikart_snapshot_info\{[^}]*pid="(\d+)"', text, re.M))
        assert len(pids) == 2, text
