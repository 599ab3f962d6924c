"""The SPARQL 1.1 Protocol query operation on /sparql, through the Flask test client.

Spec: https://www.w3.org/TR/sparql11-protocol/ (sections cited per test).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import rdflib

from tests.rdf_terms import PANIC_SORTED, PANIC_VALUES

GOALS = "PREFIX vk: <https://w3id.org/veikart/def/> SELECT ?g WHERE { ?g a vk:Goal } ORDER BY ?g"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = ("PREFIX vk: <https://w3id.org/veikart/def/> "
             "CONSTRUCT { ?g a vk:Goal } WHERE { ?g a vk:Goal }")
FORM = "application/x-www-form-urlencoded"


def goals_from_json(response) -> list[str]:
    body = json.loads(response.get_data())
    return [b["g"]["value"] for b in body["results"]["bindings"]]


def test_query_via_get(client):
    """§2.1.1 query via GET: ?query= percent-encoded; default result JSON."""
    response = client.get(f"/sparql?query={quote(GOALS)}")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert goals_from_json(response) == [f"https://w3id.org/veikart/id/mal/{n}" for n in range(1, 6)]
    assert response.headers["Vary"] == "Accept"
    assert "charset=utf-8" in response.headers["Content-Type"]


def test_query_via_url_encoded_post(client):
    """§2.1.2 query via POST with URL-encoded parameters."""
    response = client.post("/sparql", data={"query": GOALS}, content_type=FORM)
    assert response.status_code == 200
    assert len(goals_from_json(response)) == 5


def test_query_via_post_directly(client):
    """§2.1.3 query via POST directly: the body is the unencoded query."""
    response = client.post("/sparql", data=GOALS.encode(), content_type="application/sparql-query")
    assert response.status_code == 200
    assert len(goals_from_json(response)) == 5


def test_percent_sign_survives_form_decoding(client):
    """Decode the form once: "50%25 off" must reach the engine as "50% off" (a known peer bug)."""
    query = 'SELECT ?x WHERE { BIND("50% off" AS ?x) }'
    response = client.post("/sparql", data={"query": query}, content_type=FORM)
    assert json.loads(response.get_data())["results"]["bindings"][0]["x"]["value"] == "50% off"


@pytest.mark.parametrize(("accept", "fmt", "media_type"), [
    ("application/sparql-results+json", None, "application/sparql-results+json"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("*/*", None, "application/sparql-results+json"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", None, "application/sparql-results+xml"),
    ("text/csv", "json", "application/sparql-results+json"),
    (None, "tsv", "text/tab-separated-values"),
])
def test_select_result_formats(client, accept, fmt, media_type):
    """§2.1.6 / conneg: SELECT results by Accept (q-values) or the format= override."""
    url = f"/sparql?query={quote(GOALS)}" + (f"&format={fmt}" if fmt else "")
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert b"mal/3" in response.get_data()


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"), ("*/*", "turtle"),
])
def test_construct_result_formats(client, accept, rdflib_format):
    """CONSTRUCT answers are RDF graphs in the negotiated syntax, and they parse."""
    response = client.get(f"/sparql?query={quote(CONSTRUCT)}", headers={"Accept": accept})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(), format=rdflib_format)
    assert len(graph) == 5


def test_ask_in_json_and_xml(client):
    assert json.loads(client.get(f"/sparql?query={quote(ASK)}").get_data())["boolean"] is True
    xml = client.get(f"/sparql?query={quote(ASK)}&format=xml").get_data()
    assert b"<boolean>true</boolean>" in xml


def test_describe_returns_the_entity(client):
    response = client.get("/sparql?query=" + quote("DESCRIBE <https://w3id.org/veikart/id/mal/1>"),
                          headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.get_data(), format="turtle")
    assert (rdflib.URIRef("https://w3id.org/veikart/id/mal/1"), None, None) in graph


def test_nothing_acceptable_is_406(client):
    response = client.get(f"/sparql?query={quote(GOALS)}", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert b"application/sparql-results+json" in response.get_data()


def test_malformed_query_is_400_with_position(client):
    """§2.1.5: a malformed query gets 400 and the parser's message."""
    response = client.get("/sparql?query=" + quote("SELECT ?s WHERE { ?s ?p }"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "line" in text.lower() or "column" in text.lower() or "error" in text.lower()


def test_two_query_parameters_is_400(client):
    """§2.1.1: exactly one query string."""
    response = client.get(f"/sparql?query={quote(ASK)}&query={quote(ASK)}")
    assert response.status_code == 400
    assert b"exactly one" in response.get_data()


def test_other_parameters_without_query_is_400(client):
    response = client.get("/sparql?default-graph-uri=https://w3id.org/veikart/graph/data")
    assert response.status_code == 400


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}, "content_type": FORM},
    {"data": b"INSERT DATA { <http://a> <http://b> <http://c> }",
     "content_type": "application/sparql-update"},
    {"data": b"DELETE WHERE { ?s ?p ?o }", "content_type": "application/sparql-query"},
])
def test_updates_are_refused(client, request_kwargs):
    """§2.2: update operations are refused by this read-only endpoint with a clear 4xx."""
    response = client.post("/sparql", **request_kwargs)
    assert response.status_code == 403
    assert b"read-only" in response.get_data()


def test_unknown_post_body_type_is_415(client):
    response = client.post("/sparql", data=b"{}", content_type="application/json")
    assert response.status_code == 415


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405(client, method):
    response = getattr(client, method)("/sparql")
    assert response.status_code == 405
    assert "GET" in response.headers.get("Allow", "")


def test_default_graph_uri_restricts_the_dataset(client):
    """§2.1.4: default-graph-uri makes that graph the default graph."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    def n(url: str) -> int:
        return int(json.loads(client.get(url).get_data())["results"]["bindings"][0]["n"]["value"])
    whole = n(f"/sparql?query={quote(count)}")
    only_inferred = n(f"/sparql?query={quote(count)}&default-graph-uri="
                      + quote("https://w3id.org/veikart/graph/inferred"))
    assert 0 < only_inferred < whole


def test_named_graph_uri_limits_graph_patterns(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    url = (f"/sparql?query={quote(query)}&named-graph-uri="
           + quote("https://w3id.org/veikart/graph/ontology"))
    bindings = json.loads(client.get(url).get_data())["results"]["bindings"]
    assert [b["g"]["value"] for b in bindings] == ["https://w3id.org/veikart/graph/ontology"]


def test_bad_graph_iri_is_400(client):
    response = client.get(f"/sparql?query={quote(ASK)}&default-graph-uri=not%20an%20iri")
    assert response.status_code == 400


def test_cors_on_results_and_preflight(client):
    assert client.get(f"/sparql?query={quote(ASK)}").headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://example.org",
                                                   "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_service_description_in_turtle(client):
    """Service Description §3: GET without a query returns an sd:Service description."""
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    services = list(graph.subjects(rdflib.RDF.type, sd.Service))
    assert len(services) == 1
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert "https://w3id.org/veikart/graph/data" in names
    assert "https://w3id.org/veikart/graph/inferred" in names
    formats = {str(o) for o in graph.objects(services[0], sd.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats


def test_browser_without_query_gets_the_query_page(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b"<textarea" in response.get_data()


def test_row_cap_is_an_explicit_error(app, client):
    settings = app.extensions["veikart"].settings
    # IRIs only: with the data's long texts, SELECT * made a remote store spend the whole timeout on
    # shipping literals before the cap could trip.
    query = f"SELECT ?s ?x WHERE {{ ?s ?p ?o . ?x ?y ?z }} LIMIT {settings.max_rows + 5}"
    response = client.get(f"/sparql?query={quote(query)}")
    assert response.status_code == 422
    assert b"more than" in response.get_data()


def test_oversized_query_is_413(app, client):
    limit = app.extensions["veikart"].settings.max_query_bytes
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * limit
    response = client.post("/sparql", data={"query": query}, content_type=FORM)
    assert response.status_code == 413


def test_service_outside_allowlist_is_403(client):
    query = "SELECT * WHERE { SERVICE <http://169.254.169.254/sparql> { ?s ?p ?o } }"
    response = client.get(f"/sparql?query={quote(query)}")
    assert response.status_code == 403
    assert b"not allowed" in response.get_data()


def test_error_body_is_json_when_asked(client):
    response = client.get("/sparql?query=SELEC", headers={"Accept": "application/json"})
    assert response.status_code == 400
    body = json.loads(response.get_data())
    assert body["status"] == 400 and body["error"]


def test_from_clause_is_honoured(client):
    """SPARQL 1.1 Query §13.2: FROM sets the default graph (regression: the service's union
    default graph used to override it)."""
    query = ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/veikart/graph/inferred> "
             "WHERE { ?s ?p ?o }")
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    inferred = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/veikart/graph/inferred> { ?s ?p ?o } }"

    def n(text: str) -> int:
        body = json.loads(client.get(f"/sparql?query={quote(text)}").get_data())
        return int(body["results"]["bindings"][0]["n"]["value"])

    assert n(query) == n(inferred) < n(everything)


def test_order_by_over_a_mixed_column_answers_in_the_documented_order(client):
    """SPARQL 1.1 Query §15.1: the column that aborts Oxigraph 0.5.13's sort
    (docs/oxigraph-sort-panic.md), sorted by the service on every backend."""
    query = f"SELECT ?o {{ VALUES ?o {{ {PANIC_VALUES} }} }} ORDER BY ?o"
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    assert response.status_code == 200
    bindings = json.loads(response.get_data())["results"]["bindings"]
    assert [b["o"]["value"] for b in bindings] == PANIC_SORTED
