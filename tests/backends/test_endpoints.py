"""The remote store's addresses and the query text sent to it (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from veikart_graph.remote import Answer, Endpoints, inline_values, parse_answer, query_form
from veikart_graph.settings import SETTINGS

DEPLOY = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text(encoding="utf-8")
VALUES = "VALUES (?s) { (<https://w3id.org/veikart/id/mal/1>) }"


@pytest.mark.parametrize(("url", "query", "update", "gsp"), [
    ("http://127.0.0.1:7878", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
     "http://127.0.0.1:7878/store"),
    ("http://h:7878/query", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ("http://h:8890/sparql/", "http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
])
def test_one_url_names_the_query_update_and_graph_store_endpoints(url, query, update, gsp):
    assert Endpoints.from_url(url) == Endpoints(query, update, gsp)


def test_update_and_graph_store_urls_can_be_given():
    found = Endpoints.from_url("http://h/ds/query", gsp="http://h/ds/data")
    assert (found.update, found.gsp) == ("http://h/ds/update", "http://h/ds/data")


@pytest.mark.parametrize("url", ["embedded-ish", "ftp://h/query", "http:///query"])
def test_a_store_setting_that_is_no_http_url_is_refused(url):
    with pytest.raises(ValueError, match="http"):
        Endpoints.from_url(url)


@pytest.mark.parametrize(("text", "form"), [
    ("PREFIX a: <http://x/#> # SELECT\r ask { ?s ?p ?o }", "ASK"),
    ("BASE <http://x/> PREFIX : <y>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("describe <x>", "DESCRIBE"),
    ("INSERT DATA { <a> <b> <c> }", None),
])
def test_the_query_form_decides_what_the_store_is_asked_for(text, form):
    assert query_form(text) == form


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT ?p WHERE { ?s ?p \"}\" } ORDER BY ?p", 'SELECT ?p WHERE { ' + VALUES + '  ?s ?p "}" } ORDER BY ?p'),
    ("SELECT (EXISTS { ?a ?b ?c } AS ?e) { ?s ?p ?o }", "SELECT (EXISTS { ?a ?b ?c } AS ?e) { " + VALUES
     + "  ?s ?p ?o }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { " + VALUES + "  ?s ?p ?o }"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }\n" + VALUES),
])
def test_bindings_go_to_the_start_of_the_where_group(text, expected):
    """SPARQL 1.1 Query section 10.2.1 (inline VALUES); Virtuoso refuses a trailing VALUES on a
    variable that is not projected."""
    assert inline_values(text, VALUES) == expected


def test_virtuoso_answers_are_read_as_the_standard_ones():
    ask = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}'
    assert bool(parse_answer(Answer(200, "application/sparql-results+json", ask, {}))) is False
    rows = (b'{"head": {"vars": ["u", "b"]}, "results": {"bindings": [{"u": {"type": "typed-literal", '
            b'"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}, '
            b'"b": {"type": "bnode", "value": "nodeID://b10007"}}]}}')
    row = next(iter(parse_answer(Answer(200, "application/sparql-results+json", rows, {}))))
    assert row["u"] == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert isinstance(row["b"], ox.BlankNode)


def test_deploy_doc_covers_every_setting():
    for setting in SETTINGS:
        assert f"`{setting.name}`" in DEPLOY, setting.name
