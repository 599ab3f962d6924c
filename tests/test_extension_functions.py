"""Unknown function IRIs become expression errors (SPARQL 1.1 Query §17.2-17.3):
``extension_functions``."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from veikart_graph.extension_functions import (
    DEFAULT_BASE,
    called_functions,
    engine_knows,
    no_value,
    with_unknown_functions,
)

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_called_iris_resolve_prefixes_base_and_escapes():
    query = ('BASE <http://example.org/dir/> PREFIX ex: <http://example.org/ns#> PREFIX : <f/> '
             'SELECT (ex:a\\-b(?x) AS ?y) (<rel>(1) AS ?z) (:g(2) AS ?w) '
             '{ FILTER(<http://abs/f>(?x)) } ORDER BY <\\u0041>(?x)')
    assert called_functions(query) == {
        "http://example.org/ns#a-b", "http://example.org/dir/rel", "http://example.org/dir/f/g",
        "http://abs/f", "http://example.org/dir/A"}


def test_without_base_relative_iris_resolve_against_the_project_base():
    assert called_functions("SELECT (<f>(1) AS ?x) {}") == {DEFAULT_BASE + "f"}


def test_a_namespace_ending_in_hash_keeps_it():
    query = f"PREFIX xsd: <{XSD}> PREFIX e: <#> SELECT (xsd:int(1) AS ?x) (e:f(2) AS ?y) {{}}"
    assert called_functions(query) == {XSD + "int", DEFAULT_BASE + "#f"}


def test_keywords_and_variables_are_not_function_iris():
    assert called_functions('SELECT (STR(?x) AS ?y) (COUNT(*) AS ?n) { BIND(IF(true, 1, 2) AS ?x) }') == set()


def test_text_that_cannot_be_lexed_names_no_function():
    assert called_functions('SELECT ("unclosed AS ?x) {}') == set()


def test_the_engine_is_asked_what_it_knows():
    assert engine_knows(XSD + "integer")
    assert engine_knows(XSD + "dateTime")
    assert not engine_knows(XSD + "int")
    assert not engine_knows("http://example.org/f")


def test_only_unknown_functions_are_registered_and_given_ones_are_kept():
    given = {ox.NamedNode("http://example.org/mine"): len}
    functions = with_unknown_functions(
        'SELECT (<http://example.org/mine>("a") AS ?a) (<http://example.org/f>(1) AS ?b) '
        f'(<{XSD}integer>("1") AS ?c) {{}}', given)
    assert functions == {ox.NamedNode("http://example.org/mine"): len,
                         ox.NamedNode("http://example.org/f"): no_value}
    assert with_unknown_functions("SELECT * { ?s ?p ?o }", None) is None


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT ?x { BIND(<http://example.org/f>(1) AS ?x) }", [None]),
    ("SELECT ?x { VALUES ?x { 1 2 } FILTER(<http://example.org/f>(?x)) }", []),
    ("SELECT ?x { VALUES ?x { 1 2 } FILTER(!<http://example.org/f>(?x)) }", []),
    ("SELECT ?x { VALUES ?x { 1 2 } FILTER(COALESCE(<http://example.org/f>(?x), true)) }", ["1", "2"]),
])
def test_the_engine_treats_a_registered_function_as_an_expression_error(query, expected):
    """§17.2: an error in FILTER drops the row (also under ``!``); COALESCE skips it."""
    rows = ox.Store().query(query, custom_functions=with_unknown_functions(query, None))
    assert [None if row["x"] is None else row["x"].value for row in rows] == expected
