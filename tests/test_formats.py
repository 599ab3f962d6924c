"""Content negotiation and result serialization (SPARQL 1.1 Query Results JSON/XML/CSV/TSV)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from veikart_graph.errors import BadRequest, NotAcceptable, ResultTooLarge
from veikart_graph.formats import GRAPH_TYPES, RESULT_TYPES, by_key, negotiate, serialize


@pytest.mark.parametrize(
    ("accept", "fmt", "choices", "expected"),
    [
        (None, None, RESULT_TYPES, "application/sparql-results+json"),
        ("", None, RESULT_TYPES, "application/sparql-results+json"),
        ("*/*", None, RESULT_TYPES, "application/sparql-results+json"),
        ("*/*", None, GRAPH_TYPES, "text/turtle"),
        ("text/csv", None, RESULT_TYPES, "text/csv"),
        ("application/sparql-results+xml;q=0.9, text/tab-separated-values", None, RESULT_TYPES,
         "text/tab-separated-values"),
        ("text/turtle;q=0.5, application/ld+json", None, GRAPH_TYPES, "application/ld+json"),
        ("application/n-triples", None, GRAPH_TYPES, "application/n-triples"),
        ("application/rdf+xml", None, GRAPH_TYPES, "application/rdf+xml"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", None, RESULT_TYPES,
         "application/sparql-results+json"),
        ("text/csv", "tsv", RESULT_TYPES, "text/tab-separated-values"),
        (None, "application/sparql-results+xml", RESULT_TYPES, "application/sparql-results+xml"),
        (None, "turtle", GRAPH_TYPES, "text/turtle"),
        (None, "json-ld", GRAPH_TYPES, "application/ld+json"),
    ],
)
def test_negotiation_table(accept, fmt, choices, expected):
    """RFC 9110 §12.5.1: q-values pick among offers; our ``format=`` overrides Accept."""
    assert negotiate(accept, choices, fmt).media_type == expected


def test_nothing_acceptable_lists_what_is():
    with pytest.raises(NotAcceptable) as err:
        negotiate("image/png", RESULT_TYPES)
    assert "application/sparql-results+json" in err.value.message
    assert err.value.status == 406


def test_unknown_format_parameter_is_a_bad_request():
    with pytest.raises(BadRequest, match="unknown format"):
        negotiate(None, RESULT_TYPES, "yaml")


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    ex = "http://example.org/"
    s.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "name"), ox.Literal('Hei, "verden"\nny', language="nb")))
    s.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "n"), ox.Literal("42", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))))
    s.add(ox.Quad(ox.NamedNode(ex + "b"), ox.NamedNode(ex + "name"), ox.Literal("plain")))
    return s


def select(store: ox.Store) -> ox.QuerySolutions:
    return store.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o")


def test_json_results_follow_the_spec(store):
    """SPARQL 1.1 Query Results JSON §3.2: uri / literal with xml:lang or datatype."""
    body = json.loads(serialize(select(store), by_key("json", RESULT_TYPES), 10))
    assert body["head"]["vars"] == ["s", "o"]
    objects = [b["o"] for b in body["results"]["bindings"]]
    assert {"type": "literal", "value": 'Hei, "verden"\nny', "xml:lang": "nb"} in objects
    assert {"type": "literal", "value": "42",
            "datatype": "http://www.w3.org/2001/XMLSchema#integer"} in objects
    assert {"type": "literal", "value": "plain"} in objects


def test_xml_results_parse(store):
    """SPARQL Query Results XML Format §2: well-formed with variables and bindings."""
    root = ET.fromstring(serialize(select(store), by_key("xml", RESULT_TYPES), 10))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["s", "o"]
    assert len(root.findall("r:results/r:result", ns)) == 3


def test_csv_quotes_commas_quotes_and_newlines(store):
    """SPARQL 1.1 CSV §3.2: RFC 4180 quoting, CRLF line ends, plain values."""
    body = serialize(select(store), by_key("csv", RESULT_TYPES), 10).decode()
    assert body.startswith("s,o\r\n")
    rows = list(csv.reader(io.StringIO(body)))
    assert ["http://example.org/a", 'Hei, "verden"\nny'] in rows


def test_tsv_uses_rdf_term_syntax(store):
    """SPARQL 1.1 TSV §4: variables with '?', terms in Turtle/N-Triples syntax."""
    lines = serialize(select(store), by_key("tsv", RESULT_TYPES), 10).decode().splitlines()
    assert lines[0] == "?s\t?o"
    assert '<http://example.org/a>\t"Hei, \\"verden\\"\\nny"@nb' in lines


def test_row_cap_is_an_error_not_a_truncation(store):
    with pytest.raises(ResultTooLarge, match="more than 2 rows"):
        serialize(select(store), by_key("json", RESULT_TYPES), 2)


def test_graph_results_serialize_in_every_format(store):
    import rdflib

    for media in GRAPH_TYPES:
        body = serialize(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), media, 10)
        fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[media.key]
        assert len(rdflib.Graph().parse(data=body, format=fmt)) == 3


def _answer(rows: int, size: int):
    store = ox.Store()
    return store.query(f'SELECT ?i ?v WHERE {{ VALUES ?i {{ {" ".join(map(str, range(rows)))} }} '
                       f'BIND("{"x" * size}" AS ?v) }}')


def test_an_answer_over_the_byte_limit_is_refused_while_rows_are_read():
    """Issue 16, finding 5: rows were capped, bytes were not."""
    media = next(m for m in RESULT_TYPES if m.key == "json")
    with pytest.raises(ResultTooLarge, match="larger than the server's limit of 1 MiB"):
        serialize(_answer(300, 5000), media, max_rows=10000, max_bytes=1024 * 1024)
    body = serialize(_answer(100, 5000), media, max_rows=10000, max_bytes=1024 * 1024)
    assert body.count(b"x" * 5000) == 100


def test_the_written_answer_is_checked_too():
    """Escapes make a written answer larger than its values: the bytes sent are what counts."""
    media = next(m for m in RESULT_TYPES if m.key == "json")
    quotes = ox.Store().query('SELECT ?v WHERE { BIND("' + '\\"' * 600 + '" AS ?v) }')
    with pytest.raises(ResultTooLarge):
        serialize(quotes, media, max_rows=10, max_bytes=1000)
