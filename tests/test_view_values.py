"""Text, links and keys of the views (``veikart_graph.view_values``); docs/model.md is the spec."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from veikart_graph import view_values as vv


def test_pick_prefers_the_page_language_then_bokmal_then_english():
    """model.md "Labels and languages": one prefLabel per language, @nb always there."""
    both = [ox.Literal("Mål", language="nb"), ox.Literal("Goal", language="en")]
    assert vv.pick(both, "en") == vv.Text("Goal", "en")
    assert vv.pick(both, "nb") == vv.Text("Mål", "nb")
    assert vv.pick([ox.Literal("Only English", language="en")], "nb") == vv.Text("Only English", "en")
    assert vv.pick([ox.Literal("2023-2030")], "en") == vv.Text("2023-2030", None)
    assert vv.pick([], "nb") is None


@pytest.mark.parametrize(("value", "year"), [("2025-06", 2025), ("2024", 2024), ("2022-09-29", 2022),
                                             (None, None), ("medio", None)])
def test_years_are_read_from_gyear_gyearmonth_and_date(value, year):
    assert vv.year_of(value) == year


@pytest.mark.parametrize(("key", "valid"), [("1a", True), ("helsedirektoratet", True), ("1A", False),
                                            ("../x", False), ("", False), ("a" * 160, True), ("a" * 161, False)])
def test_keys_are_lower_case_ascii_digits_and_hyphens(key, valid):
    """model.md "IRIs of entities": keys are lower-case ASCII, digits and ``-``."""
    assert vv.valid_key(key) is valid


def test_ref_links_to_the_entity_page():
    ref = vv.Ref("https://w3id.org/veikart/id/mal/1", vv.Text("x"))
    assert ref.href == "/id/mal/1" and ref.key == "1"


def test_exists_as_checks_the_class_not_just_the_iri(graph):
    assert vv.exists_as(graph, "mal", "1")
    assert not vv.exists_as(graph, "mal", "9")
    assert not vv.exists_as(graph, "delmal", "1")          # a goal key is not a sub-goal
    assert not vv.exists_as(graph, "organisasjon", "nuit")  # a governance body, not an organisation
