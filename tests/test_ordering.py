"""The ORDER BY order (SPARQL 1.1 Query §15.1) as a total order on terms: ``ordering``."""

from __future__ import annotations

import random

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rdf_terms import COLUMNS, LITERALS, TERMS, XSD, engine_inversions
from veikart_graph.ordering import LITERAL, sorted_terms, term_key


@settings(max_examples=300, deadline=None)
@given(COLUMNS)
def test_order_agrees_with_sparql_less_than_where_it_is_defined(column):
    assert engine_inversions(sorted_terms(column)) == []
    assert engine_inversions(sorted_terms(column, descending=True)[::-1]) == []


@settings(max_examples=300, deadline=None)
@given(COLUMNS, st.randoms())
def test_order_is_total_and_does_not_depend_on_the_input_order(column, rnd: random.Random):
    shuffled = list(column)
    rnd.shuffle(shuffled)
    assert sorted_terms(shuffled) == sorted_terms(column)
    assert sorted_terms(shuffled, descending=True) == sorted_terms(column)[::-1]


@given(TERMS, TERMS)
def test_different_terms_never_tie(a, b):
    assert (term_key(a) == term_key(b)) == (a == b)


@given(COLUMNS)
def test_unbound_blank_iri_literal_in_that_order(column):
    """§15.1: unbound < blank nodes < IRIs < literals."""
    kinds = [term_key(t)[0] for t in sorted_terms(column)]
    assert kinds == sorted(kinds)


@given(LITERALS)
def test_every_literal_sorts_among_literals(literal):
    assert term_key(literal)[0] == LITERAL


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def test_mixed_strings_and_integers_numbers_first_then_strings_by_code_point():
    """The column of the Oxigraph panic (docs/oxigraph-sort-panic.md), in the documented order."""
    strings = ["983658725", "2a", "915933149", "4", "983544622", "2b"]
    numbers = [1, 5, 6, 7, 8, 10, 13, 14, 16, 49, 199, 280, 939, 1779, 7932]
    column = [ox.Literal(s) for s in strings] + [_int(n) for n in reversed(numbers)]
    assert sorted_terms(column) == [_int(n) for n in numbers] + [ox.Literal(s) for s in sorted(strings)]


def test_equal_numbers_of_different_types_tie_break_by_datatype_then_lexical_form():
    one = [ox.Literal("1.0", datatype=ox.NamedNode(XSD + "decimal")), _int(1),
           ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")),
           ox.Literal("1E0", datatype=ox.NamedNode(XSD + "double"))]
    assert [t.value for t in sorted_terms(one)] == ["1.0", "1E0", "01", "1"]


def test_nan_after_every_number_and_before_strings():
    nan = ox.Literal("NaN", datatype=ox.NamedNode(XSD + "double"))
    inf = ox.Literal("INF", datatype=ox.NamedNode(XSD + "double"))
    assert sorted_terms([ox.Literal("a"), nan, inf, _int(3)]) == [_int(3), inf, nan, ox.Literal("a")]


def test_datetime_without_time_zone_counts_as_utc():
    def dt(text: str) -> ox.Literal:
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "dateTime"))

    column = [dt("2020-01-01T05:00:00Z"), dt("2020-01-01T00:00:00"), dt("2020-01-01T03:00:00+02:00")]
    assert sorted_terms(column) == [column[1], column[2], column[0]]
