"""The release diff (``releases.diff``) and its words (``releases.words``).

What a reader must get: entities added, removed and changed; each changed property's old and new
value in words ("Fase: Tilpasning → Innføring", "Slutt: 2025 → 2026"), not raw triples; blank
nodes compared by structure (canonicalised), not by their labels in the files.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from veikart_graph.releases import compose_releases
from veikart_graph.releases.diff import ADDED, CHANGED, REMOVED, diff_graphs
from veikart_graph.releases.words import Labeller, as_text, summarise
from veikart_graph.sources import load_sources

from .project import PREFIXES, ROOT

ID = "https://w3id.org/veikart/id/"


@pytest.fixture(scope="module")
def sources():
    return load_sources(ROOT)


@pytest.fixture(scope="module")
def real(sources):
    releases = compose_releases(ROOT, sources)
    old, new = releases.contents["ehelse"], releases.contents["2026-11"]
    return diff_graphs(old, new), Labeller([new, old, sources.ontology])


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def words(old: str, new: str, ontology: Graph, lang: str = "nb") -> str:
    a, b = turtle(old), turtle(new)
    return as_text(summarise(diff_graphs(a, b), Labeller([b, a, ontology]), lang), lang)


ACTIVITY = """<aktivitet/x> a vk:Activity ; skos:prefLabel "Aktivitet X"@nb ; vk:phase <fase/{phase}> ;
    vk:endYear "{end}"^^xsd:gYear ; vk:milestone <aktivitet/x#m> .
<aktivitet/x#m> a vk:Milestone ; dct:description "Pulje 3 starter"@nb ; vk:when "{when}"^^xsd:gYearMonth .
"""


def test_the_two_real_releases_differ_in_the_two_activities_with_two_states(real):
    changes, _ = real
    assert [str(e.iri) for e in changes.entities] == [
        ID + "aktivitet/digitale-innbyggertjenester-kommune", ID + "aktivitet/digitalt-helsekort-gravide"]
    assert {e.kind for e in changes.entities} == {CHANGED}
    assert (changes.triples_removed, changes.triples_added) == (1, 12)


def test_the_real_changes_read_as_words(real):
    changes, labels = real
    text = as_text(summarise(changes, labels, "nb"), "nb")
    assert "Endret: Digitalt helsekort for gravide" in text
    assert "Milepæl lagt til: first trial (limited number of women" in text and "(juni 2025)" in text
    assert "Milepæl lagt til: KS runs a joint, standardised roll-out" in text and "(januar 2026)" in text
    assert "Merknad fjernet: Status on the ehelse.no version" in text
    assert "Historikk lagt til: Status in the earlier ehelse.no version" in text
    english = as_text(summarise(changes, labels, "en"), "en")
    assert "Milestone added:" in english and "(June 2025)" in english


def test_a_changed_single_value_reads_old_arrow_new(sources):
    text = words(ACTIVITY.format(phase="tilpasning", end="2025", when="2026-01"),
                 ACTIVITY.format(phase="innforing", end="2026", when="2026-01"), sources.ontology)
    assert "Fase: Tilpasning og utvidet utprøving → Innføring" in text
    assert "Slutt: 2025 → 2026" in text
    english = words(ACTIVITY.format(phase="tilpasning", end="2025", when="2026-01"),
                    ACTIVITY.format(phase="innforing", end="2026", when="2026-01"), sources.ontology, "en")
    assert "Phase: Adaptation and extended trial → Introduction" in english and "End: 2025 → 2026" in english


def test_a_changed_statement_node_is_reported_with_its_entity(sources):
    text = words(ACTIVITY.format(phase="konsept", end="2025", when="2026-01"),
                 ACTIVITY.format(phase="konsept", end="2025", when="2026-02"), sources.ontology)
    assert text.splitlines() == [
        "Endret: 1 (1 Aktivitet)",
        "",
        f"Endret: Aktivitet X <{ID}aktivitet/x>",
        "  - Milepæl «Pulje 3 starter» – Tidspunkt: januar 2026 → februar 2026",
    ]


def test_added_and_removed_entities(sources):
    old = ACTIVITY.format(phase="konsept", end="2025", when="2026-01")
    new = '<aktivitet/y> a vk:Activity ; skos:prefLabel "Aktivitet Y"@nb .\n'
    changes = diff_graphs(turtle(old), turtle(new))
    assert [(str(e.iri).removeprefix(ID), e.kind) for e in changes.entities] == [
        ("aktivitet/x", REMOVED), ("aktivitet/y", ADDED)]
    text = words(old, new, sources.ontology)
    assert f"Ny: Aktivitet Y <{ID}aktivitet/y>" in text and f"Fjernet: Aktivitet X <{ID}aktivitet/x>" in text


def test_blank_nodes_with_the_same_structure_are_not_a_change():
    """Labels of blank nodes differ between parses; canonicalisation makes them compare equal."""
    text = '<aktivitet/x> vk:milestone [ vk:when "2026"^^xsd:gYear ; dct:description "A"@nb ] .\n'
    assert diff_graphs(turtle(text), turtle(text)).entities == ()


def test_a_changed_blank_node_belongs_to_the_entity_that_links_to_it(sources):
    old = '<aktivitet/x> skos:prefLabel "X"@nb ; vk:milestone [ vk:when "2026"^^xsd:gYear ] .\n'
    new = '<aktivitet/x> skos:prefLabel "X"@nb ; vk:milestone [ vk:when "2027"^^xsd:gYear ] .\n'
    changes = diff_graphs(turtle(old), turtle(new))
    assert [str(e.iri) for e in changes.entities] == [ID + "aktivitet/x"]
    assert changes.entities[0].kind == CHANGED


def test_the_diff_of_a_graph_with_itself_is_empty(real, sources):
    assert diff_graphs(sources.data, sources.data).entities == ()
