"""The service is read-only and fetches nothing on a user's behalf (issue 7): every SPARQL Update
form and every Graph Store Protocol write is refused, and no query makes the server open a
connection (SERVICE, LOAD, FROM and dataset IRIs pointing at a host are never fetched: no SSRF).

Specs: SPARQL 1.1 Protocol §2.2 (update operation), SPARQL 1.1 Update §3 (the update forms),
SPARQL 1.1 Graph Store HTTP Protocol §5.3–§5.6 (PUT, DELETE, POST, PATCH), SPARQL 1.1 Federated
Query §3 (SERVICE); OWASP SSRF prevention.
"""

from __future__ import annotations

import http.server
import threading
from urllib.parse import quote

import pytest

from tests.security.checks import assert_client_error

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TRIPLE = "<https://w3id.org/veikart/id/mal/1> <http://www.w3.org/2000/01/rdf-schema#label> \"x\""
UPDATES = [
    f"INSERT DATA {{ {TRIPLE} }}", f"DELETE DATA {{ {TRIPLE} }}", "DELETE WHERE { ?s ?p ?o }",
    f"DELETE {{ ?s ?p ?o }} INSERT {{ {TRIPLE} }} WHERE {{ ?s ?p ?o }}",
    "WITH <https://w3id.org/veikart/graph/data> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>", "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:x>", "CLEAR ALL",
    "CLEAR GRAPH <https://w3id.org/veikart/graph/data>", "CREATE GRAPH <urn:x>", "DROP ALL", "DROP DEFAULT",
    "COPY DEFAULT TO <urn:x>", "MOVE <https://w3id.org/veikart/graph/data> TO <urn:x>", "ADD DEFAULT TO <urn:x>",
    # the same, disguised
    f"insert data {{ {TRIPLE} }}", f"# a comment\nINSERT DATA {{ {TRIPLE} }}", f"\\u0049NSERT DATA {{ {TRIPLE} }}",
    f"PREFIX x: <http://x/>INSERT DATA {{ {TRIPLE} }}", "BASE <http://x/>\nPREFIX : <#>\n# c\nDROP ALL",
    f"PREFIX a:<http://x/#> # c\n\n  DELETE DATA {{ {TRIPLE} }}", f"SELECT * {{}} ; INSERT DATA {{ {TRIPLE} }}",
]


def sent(client, how: str, text: str):
    if how == "get":
        return client.get("/sparql", query_string={"query": text})
    if how == "form-query":
        return client.post("/sparql", data={"query": text})
    if how == "form-update":
        return client.post("/sparql", data={"update": text})
    if how == "direct-update":
        return client.post("/sparql", data=text.encode(), content_type="application/sparql-update")
    return client.post("/sparql", data=text.encode(), content_type="application/sparql-query")


def triples(client) -> int:
    return int(client.get("/sparql", query_string={"query": COUNT}).get_json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("how", ["get", "form-query", "form-update", "direct-update", "direct-query"])
@pytest.mark.parametrize("text", UPDATES)
def test_every_update_form_is_refused(client, how, text):
    """Protocol §2.2 / Update §3: the endpoint takes no update in any form or disguise — 403 when
    it is recognisably an update (a text that is neither update nor query is a 400)."""
    response = sent(client, how, text)  # "\\u0049NSERT" is INSERT (§19.2): decoded, then refused
    statuses = (400, 403) if text.startswith("SELECT") else (403,)
    message = assert_client_error(response, statuses)
    assert response.status_code == 400 or "read-only" in message


def test_nothing_changes_after_every_update_was_tried(client):
    before = triples(client)
    for text in UPDATES:
        for how in ("get", "form-update", "direct-update"):
            assert sent(client, how, text).status_code in (400, 403)
    assert triples(client) == before


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", [
    "/sparql?graph=https://w3id.org/veikart/graph/data", "/sparql?default", "/rdf-graph-store?default",
    "/data/id/mal/1.ttl", "/id/mal/1", "/page/id/mal/1", "/graph/data", "/dataset", "/download/veikart.ttl",
])
def test_graph_store_protocol_writes_are_refused(client, method, path):
    """GSP §5.3–§5.6: no URL accepts RDF to store; a write is 405 (or 404/415), never 2xx."""
    response = client.open(path, method=method, data=f"{TRIPLE} .".encode(), content_type="text/turtle")
    assert_client_error(response, (404, 405, 415))


class Listener(http.server.BaseHTTPRequestHandler):
    """Counts every request a loopback 'internal host' receives."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        Listener.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def internal_host():
    """A web server on loopback that stands for an internal service an attacker wants reached."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def ssrf_attempts(target: str) -> list[tuple[dict[str, str], tuple[int, ...]]]:
    port_escape = target.replace("1", "\\u0031", 1)
    return [
        ({"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"}, (403,)),
        ({"query": f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}"}, (403,)),
        ({"query": f"PREFIX in: <{target}> SELECT * WHERE {{ SERVICE in: {{ ?s ?p ?o }} }}"}, (403,)),
        ({"query": f"SELECT * WHERE {{ SERVICE <{port_escape}> {{ ?s ?p ?o }} }}"}, (403,)),
        ({"query": f"SELECT * WHERE {{ BIND(<{target}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}"}, (403,)),
        ({"query": f"SELECT * WHERE {{ VALUES ?x {{ <{target}> }} SERVICE ?x {{ ?s ?p ?o }} }}"}, (403,)),
        ({"query": f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{target}> {{ ?s ?p ?o }} }} LIMIT 1"}, (403,)),
        ({"query": f"SELECT * WHERE {{ #\n SERVICE\n<{target}>{{?s ?p ?o}} }}"}, (403,)),
        ({"query": f"LOAD <{target}>"}, (403,)),
        # FROM names a graph of the store; it is never fetched (the test's whole point: S608 on purpose)
        ({"query": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }} LIMIT 1"}, (200,)),  # noqa: S608
        ({"query": f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}, (200,)),  # noqa: S608
        ({"query": f"DESCRIBE <{target}>"}, (200,)),
        ({"query": f"SELECT * WHERE {{ BIND(IRI('{target}') AS ?x) }}"}, (200,)),
        ({"query": "ASK {}", "default-graph-uri": target}, (200,)),
        ({"query": "ASK {}", "named-graph-uri": target}, (200,)),
    ]


def test_no_query_makes_the_server_fetch_anything(client, internal_host):
    """Federated Query §3 / SSRF: SERVICE to a host not on the allow-list (here: none) is a 403,
    however the IRI is written; FROM, dataset IRIs and DESCRIBE name graphs, they fetch nothing."""
    Listener.hits.clear()
    for params, statuses in ssrf_attempts(internal_host):
        response = client.get("/sparql", query_string=params)
        assert response.status_code in statuses, (params, response.status_code, response.get_data()[:200])
        if response.status_code == 403:
            message = assert_client_error(response, (403,))
            assert "not allowed" in message or "read-only" in message
    for url in ("/id/" + quote(internal_host, safe=""), "/page/" + internal_host, "/data/" + quote(internal_host)):
        assert client.get(url).status_code in (400, 404)
    assert Listener.hits == []
