"""Scale-out: app servers are stateless, so two ``veikart-graph serve`` processes on different
ports against one store give the same answers (the setting is all they share)."""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.server import running_server

from .test_remote import PAGES, REDIRECTS

pytestmark = pytest.mark.slow
GOALS = "PREFIX vk: <https://w3id.org/veikart/def/> SELECT ?g WHERE { ?g a vk:Goal } ORDER BY ?g"


@pytest.fixture(scope="module")
def two_servers(snapshot, oxigraph_url, publish):
    """Two app servers (one worker each) on the session snapshot, reading one Oxigraph store."""
    build_dir = Path(snapshot.path).parents[1]
    env = {"VEIKART_STORE": publish(oxigraph_url), "VEIKART_QUERY_TIMEOUT": "5"}
    with running_server(build_dir, workers=1, env=env) as first, \
            running_server(build_dir, workers=1, env=env) as second:
        yield first, second


def fetch(url: str) -> tuple[int, str, bytes, str | None]:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.headers["Content-Type"], response.read(), response.headers["X-Snapshot"]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read(), error.headers["X-Snapshot"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


def own_address_out(answer: tuple, base: str) -> tuple:
    """A page may name the server's own address (the query page's endpoint URL): behind a load
    balancer that is the public address, here each server's port."""
    status, media, body, snapshot = answer
    return status, media, body.replace(base.encode(), b"http://app"), snapshot


def test_two_app_servers_give_identical_responses(two_servers, snapshot):
    first, second = two_servers
    urls = [u for u in PAGES if not u.startswith("/search.json")] + REDIRECTS
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda u: (u, own_address_out(fetch(first + u), first),
                                           own_address_out(fetch(second + u), second)), urls))
    for url, one, two in answers:
        assert one == two, url
        assert one[3] == snapshot.manifest.short_hash, url
    assert [a[1][0] for a in answers].count(200) >= len(PAGES) - 1


def test_both_serve_sparql_to_researchers_tools(two_servers):
    results = []
    for base in two_servers:
        sparql = SPARQLWrapper(base + "/sparql")
        sparql.setReturnFormat(JSON)
        sparql.setQuery(GOALS)
        results.append([b["g"]["value"] for b in sparql.queryAndConvert()["results"]["bindings"]])
    assert results[0] == results[1] and len(results[0]) == 5
