"""Checks on query text before evaluation: size, nesting, updates, SERVICE allow-list."""

from __future__ import annotations

import time

import pytest

from veikart_graph.errors import BadRequest, Forbidden, PayloadTooLarge, QueryError
from veikart_graph.guard import check_query, is_update, nesting_depth, service_endpoints
from veikart_graph.sparql_lexer import LexError


def test_deep_nesting_is_refused_before_evaluation():
    deep = "SELECT * WHERE " + "{" * 200 + " ?s ?p ?o " + "}" * 200
    with pytest.raises(QueryError, match="nests 200 levels"):
        check_query(deep, max_bytes=10**6, allowlist=())


def test_long_chains_at_one_level_are_refused():
    """1+1+… and long object lists crashed Oxigraph from about 8,000-10,000 items."""
    with pytest.raises(QueryError, match="joins 9999 items"):
        check_query("SELECT (" + "+".join(["1"] * 10000) + " AS ?x) {}", max_bytes=10**6, allowlist=())
    check_query("SELECT * { ?s ?p ?o FILTER(?o IN (" + ",".join(["1"] * 3000) + ")) }",
                max_bytes=10**6, allowlist=())


def test_braces_in_strings_iris_and_comments_do_not_count():
    text = 'SELECT * { ?s ?p "{{{{" . # {{{{\n ?s ?p <http://x/a> }'
    assert nesting_depth(text) == 1


def test_oversized_query_is_413():
    with pytest.raises(PayloadTooLarge):
        check_query("SELECT * {}" + " " * 100, max_bytes=50, allowlist=())


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX ex: <http://ex/>\nDELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "drop all",
    "PREFIX ex: <http://ex/> # SELECT\r INSERT DATA { <http://a> <http://b> <http://c> }",
])
def test_updates_are_recognised(text):
    """SPARQL 1.1 Protocol §2.2: update operations; this endpoint is read-only."""
    assert is_update(text)
    with pytest.raises(Forbidden, match="read-only"):
        check_query(text, max_bytes=10**6, allowlist=())


def test_service_endpoints_resolve_prefixes_and_escapes():
    text = ("PREFIX ex: <http://ex.org/> SELECT * { SERVICE ex:sp\\.arql { ?s ?p ?o } "
            "SERVICE SILENT <http://ex.org/\\u0073parql> { ?s ?p ?o } }")
    assert service_endpoints(text) == ["http://ex.org/sp.arql", "http://ex.org/sparql"]


def test_codepoint_escapes_outside_strings_and_iris_are_refused_as_the_engine_does():
    """Oxigraph decodes \\u escapes only inside strings and IRIs; a keyword spelt with one is a
    syntax error there, so it is refused here before it could mean anything."""
    for text in ("\\u0049NSERT DATA { <http://a> <http://b> <http://c> }",
                 "SELECT * { SERV\\u0049CE <http://a/> { ?s ?p ?o } }"):
        with pytest.raises(LexError):
            check_query(text, max_bytes=10**6, allowlist=("http://a/",))


def test_service_endpoint_that_is_relative_undeclared_or_a_variable_is_refused():
    for text in ("BASE <http://a/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
                 "SELECT * { SERVICE ex:sparql { ?s ?p ?o } }",
                 "SELECT * { SERVICE $e { ?s ?p ?o } }"):
        with pytest.raises(Forbidden, match="not allowed"):
            check_query(text, max_bytes=10**6, allowlist=("http://a/sparql",))


def test_service_to_unlisted_host_is_refused_and_listed_one_passes():
    text = "SELECT * { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }"
    with pytest.raises(Forbidden, match="not allowed"):
        check_query(text, max_bytes=10**6, allowlist=())
    check_query(text, max_bytes=10**6, allowlist=("http://10.0.0.1/sparql",))


def test_service_with_a_variable_endpoint_is_refused():
    with pytest.raises(Forbidden):
        check_query("SELECT * { SERVICE ?x { ?s ?p ?o } }", max_bytes=10**6,
                    allowlist=("http://a/",))


@pytest.mark.parametrize("text", [
    "PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE:x { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICESILENT :x { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * { ?s ?p trueSERVICE :x { ?s ?p ?o } }",
    "PREFIX SILENT: <http://a/> PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE SILENT:sparql {} }",
    "PREFIX : <http://a/> PREFIX: <http://127.0.0.1:9/> SELECT * { SERVICE :sparql { ?s ?p ?o } }",
])
def test_keywords_glued_to_names_are_read_as_the_engine_reads_them(text):
    """Oxigraph needs no space after a keyword: each of these calls http://127.0.0.1:9/ there
    (checked against pyoxigraph while writing the guard) though ``http://a/sparql`` is the only
    allowed endpoint and the grammar's longest match would read one name."""
    with pytest.raises(Forbidden, match="not allowed"):
        check_query(text, max_bytes=10**6, allowlist=("http://a/sparql",))


def test_a_glued_prefix_declaration_counts():
    text = "PREFIXex: <http://a/> SELECT * { SERVICE ex:sparql { ?s ?p ?o } }"
    assert service_endpoints(text) == ["http://a/sparql"]
    assert not is_update("PREFIXex: <http://a/> SELECT * {}")


def test_unlexable_query_with_service_is_a_bad_request():
    with pytest.raises(BadRequest):
        check_query('SELECT * { SERVICE <http://a/> { ?s ?p "o\n } }', max_bytes=10**6,
                    allowlist=("http://a/",))


def test_plain_queries_pass():
    check_query("SELECT ?service WHERE { ?service ?p ?o }", max_bytes=10**6, allowlist=())


def test_guard_time_on_64_kb_worst_cases_is_linear():
    """Issue 16, finding 3: a regex of the old update check was quadratic on ``"\\`` repeated
    (35 s for 64 KB, with the GIL held). Each worst case now costs a bounded multiple of the same
    size of plain ``?s`` tokens, measured in the same run (a ratio, not a wall-clock limit)."""
    size = 64 * 1024

    def cost(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            try:
                check_query(text, max_bytes=size, allowlist=())
            except (BadRequest, Forbidden):
                pass
            best = min(best, time.perf_counter() - start)
        return best

    baseline = cost(("SELECT * { " + "?s " * size)[:size - 2] + " }")
    cases = {
        "quote-backslash": ('SELECT * { ?s ?p "' + '\\"' * size)[:size],
        "nesting": ("SELECT * " + "{" * size)[:size],
        "parentheses": ("SELECT (1<" + "(" * size)[:size],
        "comment": ("SELECT * { #" + "x" * size)[:size],
        "long string": ('SELECT * { ?s ?p """' + "a" * size)[:size - 5] + '""" }',
        "unclosed long string": ('SELECT * { ?s ?p """' + 'a"' * size)[:size],
        "angles": ("SELECT (1" + "<a" * size)[:size],
        "name run": ("SELECT * { " + "a-" * size)[:size],
        "trailing dots": ("SELECT * { ?s ?p e:a" + "." * size)[:size],
        "escapes": ('SELECT ("' + "\\u0041" * size)[:size - 2] + '")',
        "service": ("SELECT * { " + "SERVICE " * size)[:size],
    }
    for name, text in cases.items():
        assert cost(text) < 20 * baseline, name
