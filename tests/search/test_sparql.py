"""Text search inside SPARQL (issue 5: "a documented way to combine text search with graph
patterns … vk:textScore(?entity, "query") → score literal or unbound … vk:matches")."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from veikart_graph.examples import parse_example
from veikart_graph.executor import PoolConfig, QueryPool, QueryRequest
from veikart_graph.search.facets import SearchRequest
from veikart_graph.search.sparql import sparql_functions
from veikart_graph.store import PROLOGUE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "queries" / "search-in-sparql.rq"
FACTORY = "veikart_graph.search.sparql:sparql_functions"


@pytest.fixture(scope="module")
def functions(snapshot):
    return sparql_functions(snapshot.path)


def test_text_score_orders_as_the_search_page(graph, functions, index) -> None:
    rows = graph.run(PROLOGUE + """SELECT ?e ?score WHERE {
        ?e a ?type . BIND(vk:textScore(?e, "legemiddelliste") AS ?score) FILTER(BOUND(?score))
      } ORDER BY DESC(?score)""", custom_functions=functions)
    ranked = list(dict.fromkeys(row["e"].value for row in rows))
    page = [hit.doc.iri for hit in index.search(SearchRequest(q="legemiddelliste", limit=100)).hits]
    assert ranked == page


def test_text_score_is_unbound_for_entities_that_do_not_match(graph, functions) -> None:
    rows = list(graph.run(PROLOGUE + """SELECT ?score WHERE {
        BIND(vk:textScore(vkid:mal\\/3, "legemiddelliste") AS ?score) }""", custom_functions=functions))
    assert rows[0]["score"] is None


def test_matches_tests_a_literal_with_the_search_analysis(graph, functions) -> None:
    rows = graph.run(PROLOGUE + """SELECT ?e WHERE {
        ?e skos:prefLabel ?label FILTER(vk:matches(?label, "Legemiddellista"))
      }""", custom_functions=functions)
    found = {row["e"].value.rsplit("/id/", 1)[1] for row in rows}
    assert {"delmal/2b", "tiltak/program-pasientens-legemiddelliste"} <= found


@pytest.mark.parametrize("call", ['vk:textScore(1, "x")', "vk:textScore(vkid:veikart, 3)",
                                  'vk:matches(vkid:veikart, "x")', "vk:matches(\"a\", ?unbound)",
                                  f'vk:textScore(vkid:veikart, "{"x" * 600}")'])
def test_bad_arguments_leave_the_value_unbound(graph, functions, call: str) -> None:
    rows = list(graph.run(PROLOGUE + f"SELECT ?v WHERE {{ BIND({call} AS ?v) }}", custom_functions=functions))
    assert rows[0]["v"] is None


def test_example_query_is_documented_and_finds_the_medication_list(graph, functions) -> None:
    example = parse_example(EXAMPLE)
    assert set(example.title) == set(example.description) == {"nb", "en"}
    rows = list(graph.run(example.text, custom_functions=functions))
    assert rows[0]["item"] == ox.NamedNode("https://w3id.org/veikart/id/tiltak/program-pasientens-legemiddelliste")
    assert rows[0]["owner"].value == "Helsedirektoratet"


def test_query_processes_load_the_functions(snapshot) -> None:
    """The executor's child processes call the factory with the snapshot folder."""
    pool = QueryPool(PoolConfig(dataset_path=snapshot.dataset_path, size=1, timeout=20,
                                functions=FACTORY))
    try:
        answer = pool.execute(QueryRequest(EXAMPLE.read_text(encoding="utf-8"),
                                           accept="application/sparql-results+json"))
    finally:
        pool.close()
    bindings = json.loads(answer.body)["results"]["bindings"]
    assert bindings[0]["item"]["value"].endswith("/tiltak/program-pasientens-legemiddelliste")
