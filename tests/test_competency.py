"""Competency questions a researcher would ask, answered by SPARQL on the real graph and
checked against the reference compiled from public pages (tests/reference/veikart-facts.yaml)."""

from __future__ import annotations

import csv

import pytest
import yaml

from tests.conftest import FACTS, ROOT
from veikart_graph.store import KnowledgeGraph


@pytest.fixture(scope="module")
def facts() -> dict:
    assert FACTS.is_file(), f"reference missing: {FACTS}"
    return yaml.safe_load(FACTS.read_text(encoding="utf-8"))


DELIVERY_LIST = ROOT / "data" / "sources" / "veikartliste-2026-08.csv"


def values(rows: list[dict], name: str) -> list[str]:
    return [row[name].value for row in rows if name in row]


def test_q1_the_five_goals_with_exact_titles(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?n ?t { ?g a vk:Goal ; skos:notation ?n ; skos:prefLabel ?t '
                        'FILTER(LANG(?t) = "nb") } ORDER BY ?n')
    assert values(rows, "t") == [g["title"] for g in facts["goals"]]


def test_q2_sub_goals_of_goal_1(graph: KnowledgeGraph):
    """The current release's sub-goals of goal 1 are the six of the 2026-08 delivery list (its
    column "Strategisk delmål", read here with the standard csv module), in code order."""
    rows = graph.select('SELECT ?n ?t { ?s vk:subGoalOf <https://w3id.org/veikart/id/mal/1> ; '
                        'skos:prefLabel ?t ; skos:notation ?n . '
                        'FILTER(LANG(?t) = "nb") FILTER NOT EXISTS { ?s vk:uncertain true } } ORDER BY ?n')
    with DELIVERY_LIST.open(encoding="utf-8", newline="") as handle:
        cells = {row["Strategisk delmål"] for row in csv.DictReader(handle, delimiter=";")}
    expected = sorted(tuple(cell.split(" - ", 1)) for cell in cells if cell.startswith("1"))
    assert [(row["n"].value, row["t"].value) for row in rows] == expected
    assert [code for code, _ in expected] == ["1A", "1B", "1C", "1D", "1E", "1F"]


def test_q2_the_older_release_had_the_sub_goals_of_its_edition(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?t { GRAPH <https://w3id.org/veikart/graph/release/ehelse> { '
                        '?s vk:subGoalOf <https://w3id.org/veikart/id/mal/1> ; skos:prefLabel ?t ; skos:notation ?n . '
                        'FILTER(LANG(?t) = "nb") FILTER NOT EXISTS { ?s vk:uncertain true } } } ORDER BY ?n')
    expected = [s["title"] for s in facts["sub_goals"] if s["goal"] == "1" and s.get("title")]
    assert values(rows, "t") == expected


def test_q3_activities_of_sub_goal_1b(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?t { ?a a vk:Activity ; vk:contributesTo ?s ; skos:prefLabel ?t . '
                        '?s skos:notation "1B" FILTER(LANG(?t) = "nb") }')
    expected = {a["name"] for a in facts["activities"] if a["sub_goal"] == "1B"}
    assert set(values(rows, "t")) == expected


def test_q4_portfolio_measures_per_strategic_goal(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?n (COUNT(DISTINCT ?m) AS ?c) { ?m a vk:PortfolioMeasure ; '
                        'vk:supportsGoal/skos:notation ?n } GROUP BY ?n')
    counted = {row["n"].value: int(row["c"].value) for row in rows}
    expected: dict[str, int] = {}
    for m in facts["portfolio_measures"]:
        if m.get("strategic_goal") and m.get("risk"):
            expected[m["strategic_goal"]] = expected.get(m["strategic_goal"], 0) + 1
    assert counted == expected


def test_q5_organisations_with_organisation_numbers(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?name ?nr { ?o a vk:Organisation ; skos:prefLabel ?name ; '
                        'vk:organisationNumber ?nr FILTER(LANG(?name) = "nb") }')
    found = {row["name"].value: row["nr"].value for row in rows}
    expected = {o["name"]: o["org_number"] for o in facts["organisations"]["items"] if o.get("org_number")}
    assert found == expected


def test_q6_enhetsregisteret_links_match_the_numbers(graph: KnowledgeGraph):
    rows = graph.select('SELECT ?nr ?link { ?o vk:organisationNumber ?nr ; rdfs:seeAlso ?link '
                        'FILTER(STRSTARTS(STR(?link), "https://data.brreg.no/")) }')
    assert rows
    for row in rows:
        assert row["link"].value == f"https://data.brreg.no/enhetsregisteret/api/enheter/{row['nr'].value}"


# The phases of the 2026 edition: the delivery list's single-phase values, and the roadmap
# document's heading for the fifth (the list writes "I bruk", an altLabel with a note).
PHASES_2026 = ["Konsept", "Utvikling og begrenset utprøving", "Tilpasning og utvidet utprøving", "Innføring",
               "Ny praksis i bruk"]


def test_q7_the_phases_in_order(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?t { ?p a vk:Phase ; skos:prefLabel ?t ; schema:position ?pos '
                        'FILTER(LANG(?t) = "nb") } ORDER BY ?pos')
    assert values(rows, "t") == PHASES_2026
    older = graph.select('SELECT ?t { GRAPH <https://w3id.org/veikart/graph/release/ehelse> { ?p a vk:Phase ; '
                         'skos:prefLabel ?t ; schema:position ?pos FILTER(LANG(?t) = "nb") } } ORDER BY ?pos')
    assert values(older, "t") == [p["name"] for p in facts["phases"]["items"]]


def test_q8_owner_of_each_activity(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?a ?o { ?x a vk:Activity ; skos:prefLabel ?a ; vk:owner/skos:prefLabel ?o '
                        'FILTER(LANG(?a) = "nb" && LANG(?o) = "nb") }')
    found = {(row["a"].value, row["o"].value) for row in rows}
    expected = {(a["name"], o) for a in facts["activities"] for o in a.get("owners") or []}
    assert found == expected


def test_q9_measured_values_of_digital_contact(graph: KnowledgeGraph, facts):
    measurement = next(m for m in facts["indicators"]["related_measurements"]
                       if m["name"].startswith("Andel innbyggere som har vært i digital kontakt"))
    rows = graph.select('SELECT ?y ?v { ?i skos:prefLabel ?name . ?obs vk:indicator ?i ; vk:refYear ?y ; '
                        'sdmx-measure:obsValue ?v } ORDER BY ?y', name=_nb(measurement["name"]))
    found = {row["y"].value: float(row["v"].value) for row in rows}
    assert found == {year: float(v) for year, v in measurement["values"].items()}


def test_q10_pll_targets_by_year(graph: KnowledgeGraph):
    rows = graph.select('SELECT ?y ?v { ?obs vk:valueKind <https://w3id.org/veikart/id/verditype/malverdi> ; '
                        'vk:refYear ?y ; '
                        'sdmx-measure:obsValue ?v ; vk:indicator/skos:prefLabel ?l '
                        'FILTER(CONTAINS(?l, "PLL") || CONTAINS(?l, "legemiddelliste")) }')
    found = {row["y"].value: float(row["v"].value) for row in rows}
    assert found.get("2027") == 50.0 and found.get("2029") == 80.0


def test_q11_uncertain_sub_goals_have_no_invented_title(graph: KnowledgeGraph):
    """The older edition's inferred sub-goals stay untitled in their release and are retired in
    the current one, which has the real 1C, 1D and 2A of 2026 under IRIs of their own."""
    rows = graph.select('SELECT ?n ?t { GRAPH <https://w3id.org/veikart/graph/release/ehelse> { ?s a vk:SubGoal ; '
                        'vk:uncertain true ; skos:notation ?n ; skos:prefLabel ?t FILTER(LANG(?t) = "nb") } } '
                        'ORDER BY ?n')
    assert values(rows, "n") == ["1C", "1D", "2A"]
    assert all("ikke funnet" in t for t in values(rows, "t"))
    assert graph.select('SELECT ?s { ?s a vk:SubGoal ; vk:uncertain true }') == []


def test_q12_governance_bodies_of_the_advisory_model(graph: KnowledgeGraph, facts):
    rows = graph.select('SELECT ?t { ?b a vk:GovernanceBody ; skos:prefLabel ?t FILTER(LANG(?t) = "nb") }')
    names = set(values(rows, "t"))
    for body in ("Nasjonalt e-helseråd", "NUIT", "NUFA"):
        assert body in names


def test_q13_every_entity_has_a_source(graph: KnowledgeGraph):
    rows = graph.select('SELECT ?s { GRAPH vkg:data { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(vk:))) '
                        'FILTER NOT EXISTS { ?s dct:source ?src } } }')
    assert values(rows, "s") == []


def _nb(text: str):
    import pyoxigraph as ox

    return ox.Literal(text, language="nb")
