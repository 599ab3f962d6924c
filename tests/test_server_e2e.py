"""End to end: ``veikart-graph serve`` as a real process, queried by researchers' tools."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from tests.server import running_server

pytestmark = pytest.mark.slow
GOALS = "PREFIX vk: <https://w3id.org/veikart/def/> SELECT ?g WHERE { ?g a vk:Goal } ORDER BY ?g"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, snapshot) -> str:
    build_dir = Path(snapshot.path).parents[1]
    with running_server(build_dir, env={"VEIKART_QUERY_TIMEOUT": "3"}) as base:
        yield base


def wrapper(server: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server + "/sparql")
    sparql.setReturnFormat(fmt)
    return sparql


def test_sparqlwrapper_json_xml_csv_tsv(server: str):
    sparql = wrapper(server, JSON)
    sparql.setQuery(GOALS)
    bindings = sparql.queryAndConvert()["results"]["bindings"]
    assert len(bindings) == 5
    for fmt, marker in ((XML, "mal/1"), (CSV, "mal/2"), (TSV, "mal/3")):
        sparql = wrapper(server, fmt)
        sparql.setQuery(GOALS)
        converted = sparql.queryAndConvert()
        text = converted.toxml() if hasattr(converted, "toxml") else (
            converted.decode() if isinstance(converted, bytes) else str(converted))
        assert marker in text


def test_sparqlwrapper_post_and_construct_in_turtle_and_jsonld(server: str):
    query = ("PREFIX vk: <https://w3id.org/veikart/def/> "
             "CONSTRUCT { ?g a vk:Goal } WHERE { ?g a vk:Goal }")
    sparql = wrapper(server, TURTLE)
    sparql.setMethod("POST")
    sparql.setQuery(query)
    graph = rdflib.Graph().parse(data=sparql.queryAndConvert(), format="turtle")
    assert len(graph) == 5
    request = urllib.request.Request(server + "/sparql?query=" + urllib.parse.quote(query),
                                     headers={"Accept": "application/ld+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert len(rdflib.Graph().parse(data=response.read(), format="json-ld")) == 5


CONSTRUCT_GOALS = "PREFIX vk: <https://w3id.org/veikart/def/> CONSTRUCT { ?g a vk:Goal } WHERE { ?g a vk:Goal }"
DESCRIBE_GOAL = "DESCRIBE <https://w3id.org/veikart/id/mal/1>"


@pytest.mark.parametrize("query,at_least", [(CONSTRUCT_GOALS, 5), (DESCRIBE_GOAL, 10)])
@pytest.mark.parametrize("fmt", [None, XML, JSON, TURTLE])
def test_sparqlwrapper_graph_queries_on_its_defaults(server: str, query: str, at_least: int, fmt: str | None):
    """Issue 13: SPARQLWrapper sends ``format=xml`` (its default) or ``format=json`` with a
    CONSTRUCT/DESCRIBE; they mean RDF/XML and JSON-LD there, not a 400 "unknown format"."""
    sparql = SPARQLWrapper(server + "/sparql")
    if fmt is not None:
        sparql.setReturnFormat(fmt)
    sparql.setQuery(query)
    converted = sparql.queryAndConvert()
    if isinstance(converted, rdflib.Graph):
        graph = converted
    elif isinstance(converted, dict | list):
        graph = rdflib.Graph().parse(data=json.dumps(converted), format="json-ld")
    else:
        graph = rdflib.Graph().parse(data=converted, format="turtle")
    assert len(graph) >= at_least


def test_rdflib_sparqlstore(server: str):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server + "/sparql")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(GOALS))
    assert len(rows) == 5


def test_runaway_query_is_stopped_while_others_are_answered(server: str):
    """A cross product that cannot finish: stopped at the 3 s limit with 503; a simple query
    sent meanwhile answers within 1 s; afterwards the server still answers."""
    outcome: dict[str, object] = {}

    def runaway() -> None:
        start = time.monotonic()
        try:
            urllib.request.urlopen(server + "/sparql?query=" + urllib.parse.quote(RUNAWAY), timeout=30)
            outcome["status"] = 200
        except urllib.error.HTTPError as err:
            outcome["status"] = err.code
            outcome["body"] = err.read().decode()
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    for _ in range(3):
        start = time.monotonic()
        with urllib.request.urlopen(server + "/sparql?query=" + urllib.parse.quote(GOALS), timeout=5) as r:
            assert len(json.loads(r.read())["results"]["bindings"]) == 5
        assert time.monotonic() - start < 1.0
        time.sleep(0.3)
    thread.join(timeout=30)
    assert outcome["status"] == 503
    assert "3 s" in outcome["body"] and "stopped" in outcome["body"]
    assert outcome["seconds"] < 8
    with urllib.request.urlopen(server + "/sparql?query=" + urllib.parse.quote(GOALS), timeout=10) as r:
        assert r.status == 200
