"""Answers are capped in bytes, not only in rows (issue 16, finding 5), through the real ``serve``:
a 1 KB query that builds a huge answer is refused (422, naming the limit) in the query process,
before the bytes reach the worker; the HTML query page shows at most 2 MiB; the server's memory
stays put. SPARQL 1.1 Protocol §2.1.5: a refused query gets an error status, never a cut-short
answer."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.server import running_server
from tests.test_reliability_e2e import rss_kb

pytestmark = pytest.mark.slow


def doubling_query(doublings: int, rows: int) -> str:
    """A short query whose answer is ``rows`` strings of 10 × 2^doublings characters each."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(doublings))
    values = " ".join(str(i) for i in range(rows))
    return (f'SELECT ?i ?v{doublings} WHERE {{ VALUES ?i {{ {values} }} BIND("0123456789" AS ?v0) {binds} }}')


@pytest.fixture(scope="module")
def server(snapshot):
    env = {"VEIKART_MAX_RESULT_MB": "4", "VEIKART_QUERY_TIMEOUT": "20"}
    with running_server(Path(snapshot.path).parents[1], workers=1, env=env) as base:
        yield base, running_server.process.pid


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_a_short_query_with_a_huge_answer_is_refused_in_bytes(server):
    base, pid = server
    text = doubling_query(20, 30)  # 30 strings of 10 MiB: 300 MiB of answer from < 1 KB of query
    assert len(text) < 1024
    before = rss_kb(pid)
    status, body = get(base + "/sparql?query=" + urllib.parse.quote(text))
    assert status == 422, body[:200]
    assert b"larger than the server's limit of 4 MiB" in body
    assert rss_kb(pid) < before + 100_000  # the worker never held the answer


def test_an_answer_under_the_limit_is_whole(server):
    base, _ = server
    status, body = get(base + "/sparql?query=" + urllib.parse.quote(doubling_query(10, 3))
                       + "&format=csv")
    assert status == 200 and body.count(b"0123456789") == 3 * 1024


def test_the_query_page_shows_at_most_two_mib(server):
    base, _ = server
    text = doubling_query(18, 1)  # one value of 2.5 MiB: under /sparql's 4 MiB, over the page's 2
    status, _ = get(base + "/sparql?query=" + urllib.parse.quote(text))
    assert status == 200
    status, page = get(base + "/query?query=" + urllib.parse.quote(text))
    assert b"larger than the server&#39;s limit of 2 MiB" in page  # Jinja escapes the apostrophe
