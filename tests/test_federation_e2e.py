"""The federated example query through the SERVICE allow-list, against a real SPARQL endpoint
on loopback (a pyoxigraph store behind http.server standing in for Wikidata, which CI cannot
reach). SPARQL 1.1 Federated Query: https://www.w3.org/TR/sparql11-federated-query/"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from tests.conftest import ROOT
from veikart_graph.examples import load_examples
from veikart_graph.web import create_app

WIKIDATA = "https://query.wikidata.org/sparql"


class _Endpoint(BaseHTTPRequestHandler):
    store: ox.Store

    def do_GET(self) -> None:  # noqa: N802 - http.server's API
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("query", [""])[0]
        self._answer(query)

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            body = urllib.parse.parse_qs(body).get("query", [""])[0]
        self._answer(body)

    def _answer(self, query: str) -> None:
        result = self.store.query(query)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def remote_endpoint() -> Iterator[str]:
    """A loopback SPARQL endpoint whose data links a Wikidata-style item to an org number."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/stand-in-for-a-wikidata-item"),
                      ox.NamedNode("http://www.wikidata.org/prop/direct/P2333"), ox.Literal("983544622")))
    handler = type("Handler", (_Endpoint,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


def test_federated_example_runs_through_the_allow_list(settings, graph, snapshot, remote_endpoint):
    example = next(e for e in load_examples(ROOT / "queries") if e.key == "14-federated-wikidata")
    assert WIKIDATA in example.text
    text = example.text.replace(WIKIDATA, remote_endpoint)
    app = create_app(settings.updated(service_allowlist=remote_endpoint, query_slots=1), graph=graph,
                     snapshot=snapshot)
    try:
        client = app.test_client()
        response = client.post("/sparql", data=text.encode(), content_type="application/sparql-query")
        assert response.status_code == 200, response.get_data()[:300]
        rows = json.loads(response.get_data())["results"]["bindings"]
        assert [(r["organisation"]["value"], r["orgNumber"]["value"]) for r in rows] == [
            ("https://w3id.org/veikart/id/organisasjon/helsedirektoratet", "983544622")]
        refused = client.post("/sparql", data=example.text.encode(), content_type="application/sparql-query")
        assert refused.status_code == 403
    finally:
        app.extensions["veikart"].close()
