"""The service's own sort of a top-level ORDER BY (``sorting``), and the canary that tells when
the engine no longer needs it (docs/oxigraph-sort-panic.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rdf_terms import PANIC_SORTED, PANIC_VALUES, typed
from veikart_graph import sorting
from veikart_graph.errors import ResultTooLarge
from veikart_graph.ordering import term_key

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "oxigraph-sort-panic.md"
ENGINE = ox.Store()


def reproduction() -> str:
    """The Python of the report's minimal reproduction (the report and this test share it)."""
    return re.search(r"```python\n(.*?)```", REPORT.read_text(encoding="utf-8"), re.S).group(1)


def test_engine_still_panics_on_the_minimal_reproduction():
    """Canary: when this fails, the installed Oxigraph sorts mixed columns. Then remove the
    workaround (``veikart_graph.sorting``'s rewrite) as docs/oxigraph-sort-panic.md says."""
    child = subprocess.run([sys.executable, "-c", reproduction()], capture_output=True, text=True,
                           timeout=120, env={**os.environ, "RUST_BACKTRACE": "0"})
    if child.returncode == 0:
        pytest.fail("Oxigraph now sorts the minimal reproduction of docs/oxigraph-sort-panic.md "
                    f"({child.stdout.strip()}): remove the workaround in veikart_graph.sorting and "
                    "update the report")
    assert child.returncode == -6, child.stderr  # SIGABRT: the panic aborts the process
    assert "does not correctly implement a total order" in child.stderr


def run(text: str, max_rows: int | None = None) -> tuple[list[str], list[tuple]]:
    result = sorting.evaluate(text, ENGINE.query, max_rows)
    return [v.value for v in result.variables], [tuple(row) for row in result]


def test_minimal_reproduction_sorted_by_the_service():
    """The column of the report, in the order that aborts the engine, sorted (§15.1)."""
    names, rows = run(f"SELECT ?o {{ VALUES ?o {{ {PANIC_VALUES} }} }} ORDER BY ?o")
    assert names == ["o"]
    assert [row[0].value for row in rows] == PANIC_SORTED


def test_desc_limit_offset_apply_after_the_sort():
    _, rows = run(f"SELECT ?o {{ VALUES ?o {{ {PANIC_VALUES} }} }} ORDER BY DESC(?o) LIMIT 3 OFFSET 1")
    assert [row[0].value for row in rows] == ["983544622", "915933149", "4"]


def test_an_expression_condition_is_projected_and_hidden_again():
    names, rows = run('SELECT ?o { VALUES ?o { "bb" "a" "ccc" } } ORDER BY DESC(STRLEN(?o))')
    assert names == ["o"]
    assert [row[0].value for row in rows] == ["ccc", "bb", "a"]


def test_select_star_keeps_the_engines_variables():
    query = 'SELECT * { VALUES (?b ?a) { ("x" 2) ("y" 1) } } ORDER BY (?a + 0)'
    names, rows = run(query)
    assert names == [v.value for v in ENGINE.query(query.replace(" ORDER BY (?a + 0)", "")).variables]
    assert [row[names.index("b")].value for row in rows] == ["y", "x"]


def test_distinct_keeps_the_first_row_in_the_order():
    """§18.2.5: ORDER BY, then projection, then DISTINCT."""
    _, rows = run('SELECT DISTINCT ?k { VALUES (?k ?v) { ("a" 3) ("b" 2) ("a" 1) } } ORDER BY ?v')
    assert [row[0].value for row in rows] == ["a", "b"]


def test_several_conditions_mixed_directions():
    _, rows = run('SELECT ?a ?b { VALUES (?a ?b) { (1 "x") (2 "y") (1 "z") (2 "w") } } '
                  "ORDER BY DESC(?a) ?b")
    assert [(a.value, b.value) for a, b in rows] == [("2", "w"), ("2", "y"), ("1", "x"), ("1", "z")]


def test_trailing_values_clause_is_kept():
    _, rows = run('SELECT ?o { ?o ?p ?q } ORDER BY ?o VALUES ?o { "b" "a" }')
    assert rows == []
    _, rows = run('SELECT ?o { BIND("q" AS ?x) } ORDER BY ?o VALUES ?o { "b" 1 "a" }')
    assert [row[0].value for row in rows] == ["1", "a", "b"]


def test_row_cap_counts_the_answer_not_the_rows_before_limit():
    values = " ".join(str(n) for n in range(50))
    _, rows = run(f"SELECT ?o {{ VALUES ?o {{ {values} }} }} ORDER BY DESC(?o) LIMIT 5", max_rows=10)
    assert [row[0].value for row in rows] == ["49", "48", "47", "46", "45"]
    with pytest.raises(ResultTooLarge, match="more than 10 rows"):
        run(f"SELECT ?o {{ VALUES ?o {{ {values} }} }} ORDER BY ?o", max_rows=10)


def test_construct_with_limit_runs_on_the_services_sorted_solutions():
    query = (f"CONSTRUCT {{ <http://e/s> <http://e/p> ?o }} WHERE {{ VALUES ?o {{ {PANIC_VALUES} }} }} "
             "ORDER BY ?o LIMIT 3 OFFSET 15")
    assert isinstance(sorting.plan(query), sorting.InlinePlan)
    assert sorted(t.object.value for t in sorting.evaluate(query, ENGINE.query)) == PANIC_SORTED[15:18]


def test_describe_and_construct_where_with_limit():
    describe = sorting.plan("DESCRIBE ?s FROM <http://g> WHERE { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 2")
    assert describe.head == "DESCRIBE ?s FROM <http://g> WHERE "
    assert describe.solutions.text.startswith("SELECT * FROM <http://g> WHERE { ?s ?p ?o")
    short = sorting.plan("CONSTRUCT WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 2")
    assert short.head == "CONSTRUCT { ?s ?p ?o } WHERE "


def test_solutions_with_blank_nodes_are_left_to_the_engine():
    """VALUES cannot hold a blank node, so the engine evaluates (and sorts) the query itself."""
    query = "CONSTRUCT { ?b <http://e/p> ?o } WHERE { VALUES ?o { 3 1 2 } BIND(BNODE() AS ?b) } ORDER BY ?o LIMIT 2"
    assert sorted(t.object.value for t in sorting.evaluate(query, ENGINE.query)) == ["1", "2"]


def test_subquery_with_order_by_and_limit_is_sorted_by_the_service():
    """§18.2.1: a subquery is evaluated on its own, so its sorted, sliced solutions can stand in
    for it (as VALUES)."""
    query = (f"SELECT ?o ?n WHERE {{ {{ SELECT ?o WHERE {{ VALUES ?o {{ {PANIC_VALUES} }} }} "
             "ORDER BY ?o LIMIT 3 OFFSET 14 } BIND(STRLEN(STR(?o)) AS ?n) } ORDER BY ?n ?o")
    assert [(o.value, n.value) for o, n in run(query)[1]] == [("2a", "2"), ("2b", "2"), ("7932", "4")]


def test_only_subqueries_evaluated_on_their_own_are_inlined():
    """Inside GRAPH, SERVICE or EXISTS a subquery depends on its context; nested ones are
    handled when their outer subquery is evaluated."""
    query = ("SELECT * { GRAPH ?g { { SELECT ?x {} ORDER BY ?x LIMIT 1 } } "
             "FILTER NOT EXISTS { { SELECT ?y {} ORDER BY ?y LIMIT 1 } } "
             "{ SELECT ?z { { SELECT ?w {} ORDER BY ?w LIMIT 1 } } ORDER BY ?z LIMIT 1 } }")
    tokens = sorting.tokens_of(query)
    groups = sorting._subquery_groups(tokens, 0)
    assert [query[tokens[a].start:tokens[b].end] for a, b in groups] == [
        "{ SELECT ?z { { SELECT ?w {} ORDER BY ?w LIMIT 1 } } ORDER BY ?z LIMIT 1 }"]


@pytest.mark.parametrize("query", [
    "SELECT ?o { ?s ?p ?o }",
    "SELECT ?o { ?s ?p ?o } ORDER BY EXISTS { ?o ?p ?s }",
    "SELECT ?o { ?s ?p ?o } ORDER BY",
    "SELECT ?o { ?s ?p ?o } ORDER BY ?o LIMIT ?x",
    'SELECT ?o { ?s ?p "unclosed } ORDER BY ?o',
])
def test_queries_left_to_the_engine_as_written(query):
    assert sorting.plan(query) is None


def test_order_by_dropped_where_it_cannot_change_the_answer():
    assert sorting.plan("CONSTRUCT WHERE { ?s ?p ?o } ORDER BY ?o") == "CONSTRUCT WHERE { ?s ?p ?o } "
    assert sorting.plan("ASK { ?s ?p ?o } ORDER BY ?o") == "ASK { ?s ?p ?o } "


def test_key_variables_do_not_clash_with_the_querys():
    order = sorting.plan("SELECT ?order_key_1 { ?order_key_1 ?p ?o } ORDER BY STR(?o)")
    assert order.keys == (("order_key_2", False),)
    assert "(STR(?o) AS ?order_key_2)" in order.text


def test_a_rewrite_the_engine_cannot_read_runs_the_query_as_written():
    """A GROUP BY query ordered by a variable it does not group: projecting that variable is an
    error, so the query runs as written and the answer is the engine's."""
    query = "SELECT (COUNT(*) AS ?n) { VALUES (?g ?o) { (1 2) } } GROUP BY ?g ORDER BY ?o"
    with pytest.raises(SyntaxError):
        ENGINE.query(sorting.plan(query).text)
    assert [row[0].value for row in run(query)[1]] == ["1"]


COMPARABLE = st.one_of(
    st.lists(st.one_of(typed(st.integers(-99, 99).map(str), "integer"),
                       typed(st.decimals(-99, 99, places=2).map(lambda d: format(d, "f")), "decimal"),
                       typed(st.floats(-1e3, 1e3).map(repr), "double")), max_size=30),
    st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=4).map(ox.Literal), max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(COMPARABLE, st.booleans())
def test_same_order_as_the_engine_where_the_engine_works(column, descending):
    """Columns whose values are all comparable with ``<`` (numbers; strings): the service's
    order of values is the engine's."""
    values = " ".join(str(term) for term in column)
    condition = "DESC(?o)" if descending else "?o"
    query = f"SELECT ?o {{ VALUES ?o {{ {values} }} }} ORDER BY {condition}"
    engine = [row["o"] for row in ENGINE.query(query)]
    _, ours = run(query)
    def value(term: ox.Literal) -> tuple:  # the family and value, without the tie-break
        return term_key(term)[1][:3]

    assert [value(row[0]) for row in ours] == [value(t) for t in engine]
