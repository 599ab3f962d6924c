"""The app on a remote SPARQL 1.1 store answers as the embedded one does, and fails clearly.

Same answers: every page type, search and the SPARQL protocol, byte for byte where the output
is deterministic (RDF documents are compared as graphs: their reification nodes are blank).
Failure: a store that is down or slow gives 503 with a message and ``Retry-After`` on pages,
``/readyz`` turns not-ready (RFC 9110 section 15.6.4), each within a few seconds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.web.test_views import PAGES as VIEW_PAGES
from veikart_graph.examples import load_examples
from veikart_graph.publish import Publisher
from veikart_graph.remote import BACKOFF, Endpoints, RemoteGraph

from .conftest import remote_app, remote_graph
from .stores import oxigraph_server, running

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}
PAGES = [
    *VIEW_PAGES, "/page/id/mal/1", "/page/id/organisasjon/helsedirektoratet", "/page/def", "/page/def/Goal",
    "/page/graph/data", "/dataset", "/search?q=kjernejournal", "/search?q=journal&type=Activity",
    "/search.json?q=legemiddelliste",
    "/query?query=" + quote("PREFIX vk: <https://w3id.org/veikart/def/> SELECT ?g WHERE { ?g a vk:Goal } ORDER BY ?g"),
    "/sparql/examples.json",
]
DOCUMENTS = {"/data/id/mal/1.ttl": "turtle", "/data/id/organisasjon/helsedirektoratet.nt": "nt",
             "/data/def/Goal.jsonld": "json-ld", "/dataset.ttl": "turtle"}
REDIRECTS = ["/id/mal/1", "/id/delmal/1b", "/def/Goal", "/graph/data", "/id/finnes/ikke"]
EXAMPLES = [e for e in load_examples(ROOT / "queries") if e.key != "14-federated-wikidata"]


def same(remote, embedded, url: str, headers: dict | None = None) -> None:
    got, expected = remote.get(url, headers=headers or HTML), embedded.get(url, headers=headers or HTML)
    assert (got.status_code, got.content_type) == (expected.status_code, expected.content_type), url
    assert without_timings(got) == without_timings(expected), url


def without_timings(response) -> object:
    data = json.loads(response.get_data()) if response.mimetype == "application/json" else None
    if not isinstance(data, dict):
        return response.get_data(as_text=True)
    return {k: v for k, v in data.items() if not k.startswith("elapsed")}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_the_same_as_embedded(client, embedded_app, url):
    same(client, embedded_app.test_client(), url)


@pytest.mark.parametrize("url", REDIRECTS)
def test_iris_redirect_the_same_way(client, embedded_app, url):
    for accept in ("text/html", "text/turtle", "application/ld+json"):
        got, expected = client.get(url, headers={"Accept": accept}), embedded_app.test_client().get(
            url, headers={"Accept": accept})
        assert (got.status_code, got.headers.get("Location")) == (expected.status_code,
                                                                 expected.headers.get("Location")), url


@pytest.mark.parametrize(("url", "fmt"), DOCUMENTS.items())
def test_rdf_documents_are_the_same_graphs(client, embedded_app, url, fmt):
    got, expected = client.get(url), embedded_app.test_client().get(url)
    assert got.status_code == expected.status_code == 200
    assert isomorphic(rdflib.Graph().parse(data=got.get_data(), format=fmt),
                      rdflib.Graph().parse(data=expected.get_data(), format=fmt)), url


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.key for e in EXAMPLES])
def test_every_example_query_gives_the_same_result(client, embedded_app, example):
    """SPARQL 1.1 Protocol section 2.1.3 (POST directly); the search functions of
    ``search-in-sparql`` run on the app server's snapshot, the rest in the store."""
    headers = {"Accept": "application/sparql-results+json, application/n-triples;q=0.9"}
    got = client.post("/sparql", data=example.text.encode(), content_type="application/sparql-query",
                      headers=headers)
    expected = embedded_app.test_client().post("/sparql", data=example.text.encode(),
                                               content_type="application/sparql-query", headers=headers)
    assert (got.status_code, got.mimetype) == (expected.status_code, expected.mimetype) == (200, got.mimetype)
    assert canonical(got) == canonical(expected), example.key


def canonical(response) -> object:
    """Rows as sorted JSON (order-insensitive unless the query orders them), or the graph's lines."""
    body = response.get_data(as_text=True)
    if response.mimetype == "application/sparql-results+json":
        rows = json.loads(body)["results"]["bindings"]
        return sorted(json.dumps(row, sort_keys=True) for row in rows)
    return sorted(line for line in body.splitlines() if line.strip())


def test_a_page_costs_a_few_store_requests(graph, monkeypatch):
    """Pages stay fast on a remote store: a handful of round trips, not one per statement."""
    from veikart_graph import describe

    describe.vocabulary(graph)
    sent = []
    original = RemoteGraph.send
    monkeypatch.setattr(RemoteGraph, "send", lambda self, text, *a, **k: sent.append(text) or original(
        self, text, *a, **k))
    for iri in ("https://w3id.org/veikart/id/mal/1", "https://w3id.org/veikart/id/organisasjon/helsedirektoratet"):
        sent.clear()
        assert describe.describe(graph, iri) is not None
        assert len(sent) <= 5, (iri, len(sent))


def test_connections_are_reused(graph):
    """One keep-alive connection per thread, not one per query."""
    graph.select("SELECT ?g WHERE { ?g a vk:Goal }")
    first = next(iter(graph.client._local.connections.values()))
    for _ in range(20):
        graph.select("SELECT ?g WHERE { ?g a vk:Goal }")
    assert next(iter(graph.client._local.connections.values())) is first
    assert first.sock is not None


def test_readyz_reports_the_store(client, snapshot):
    body = json.loads(client.get("/readyz").get_data())
    assert body["ready"] is True and body["snapshot"] == snapshot.manifest.hash
    assert body["store"].startswith("127.0.0.1:")


# ----------------------------------------------------------------------------- failures


@pytest.fixture
def own_store(tmp_path, snapshot):
    """An Oxigraph server of this test's own (it gets stopped), holding the session snapshot."""
    with running(oxigraph_server(tmp_path / "oxigraph")) as server:
        Publisher(Endpoints.from_url(server.url)).publish(snapshot)
        yield server


def timed(client, url: str, **kwargs):
    started = time.monotonic()
    response = client.get(url, **kwargs)
    return response, time.monotonic() - started


def test_store_down_gives_503_with_a_message_and_recovers(own_store, settings, snapshot):
    client = remote_app(settings, own_store.url, snapshot).test_client()
    assert client.get("/veikart/mal/1", headers=HTML).status_code == 200
    own_store.stop()
    for url in ("/", "/page/id/mal/1", "/veikart/mal/1", "/dataset", "/id/mal/1",
                "/sparql?query=" + quote("ASK { ?s ?p ?o }")):
        response, seconds = timed(client, url, headers=HTML)
        assert response.status_code == 503, url
        assert "cannot be reached" in response.get_data(as_text=True), url
        assert response.headers["Retry-After"] == "2"
        assert sum(BACKOFF) <= seconds < 4, (url, seconds)
    ready, seconds = timed(client, "/readyz")
    assert ready.status_code == 503 and seconds < 4
    assert json.loads(ready.get_data())["ready"] is False
    assert client.get("/healthz").status_code == 200
    assert client.get("/search?q=journal", headers=HTML).status_code == 200  # the index is local
    own_store.start()
    assert client.get("/veikart/mal/1", headers=HTML).status_code == 200
    assert client.get("/readyz").status_code == 200


def test_another_release_in_the_store_gives_503_until_it_matches(own_store, settings, snapshot):
    from dataclasses import replace

    newer = replace(snapshot, manifest=replace(snapshot.manifest, hash="f" * 64))
    client = remote_app(settings, own_store.url, newer, remote_graph(own_store.url, newer)).test_client()
    response = client.get("/veikart/mal/1", headers=HTML)
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert snapshot.manifest.short_hash in text and "ffffffffffff" in text
    assert client.get("/readyz").status_code == 503
    assert client.get("/sparql?query=" + quote("ASK { ?s ?p ?o }")).status_code == 503


def test_a_query_past_the_time_limit_is_503_without_hanging(own_store, settings, snapshot):
    """SPARQL 1.1 Protocol section 2.1.5: failure; the store keeps computing (Oxigraph cannot be
    interrupted), so this store is stopped right after."""
    client = remote_app(settings.updated(query_timeout=1.0), own_store.url, snapshot).test_client()
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response, seconds = timed(client, "/sparql?query=" + quote(runaway))
    own_store.stop()
    assert response.status_code == 503
    assert "longer than 1 s" in response.get_data(as_text=True)
    assert seconds < 3
