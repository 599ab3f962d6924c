"""Query processes without network (issue 16, finding 1, the second wall): even a SERVICE that got
past the guard cannot reach any host while federation is off."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import loopback_host
from veikart_graph.errors import QueryError
from veikart_graph.executor import SERVICE_FAILED, PoolConfig, QueryPool, QueryRequest
from veikart_graph.sandbox import ISOLATED, isolate_network


@pytest.fixture
def host() -> Iterator[tuple[str, list[str]]]:
    with loopback_host(b"secret") as found:
        yield found


def run_service(snapshot, endpoint: str, network: bool) -> tuple[QueryPool, QueryError]:
    pool = QueryPool(PoolConfig(dataset_path=Path(snapshot.dataset_path), size=1, network=network))
    try:
        with pytest.raises(QueryError) as caught:  # sent to the pool directly: no guard on the way
            pool.execute(QueryRequest(f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"))
    finally:
        pool.close()
    return pool, caught.value


def test_without_federation_a_query_process_reaches_no_host(snapshot, host):
    endpoint, hits = host
    pool, error = run_service(snapshot, endpoint, network=False)
    assert pool.network == ISOLATED
    assert hits == []
    assert error.message == SERVICE_FAILED


def test_with_federation_it_does_but_the_answer_is_not_echoed(snapshot, host):
    endpoint, hits = host
    pool, error = run_service(snapshot, endpoint, network=True)
    assert pool.network == "allowed (federation is on)"
    assert hits == ["/sparql"]
    assert "secret" not in error.message and error.message == SERVICE_FAILED


def test_where_isolation_is_impossible_it_says_so(monkeypatch):
    """Not Linux: the result names why, for the log and /readyz, instead of pretending."""
    monkeypatch.setattr(sys, "platform", "darwin")
    assert isolate_network() == "not isolated: network namespaces need Linux (this is darwin)"
