"""``describe``: an entity as page data; ``entity_graph``: its RDF document (docs/model.md).

Expected titles and numbers come from the reference in tests/reference/, so a page can never drift from it.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
import yaml
from rdflib.namespace import DCTERMS, RDF, SKOS

from veikart_graph import describe as d
from veikart_graph.namespaces import BRREG, GRAPH_DATA, GRAPH_INFERRED, ONTOLOGY_IRI, PROV, VK, VKID
from veikart_graph.store import KnowledgeGraph

from .conftest import FACTS

ACTIVITY = str(VKID["aktivitet/digitalt-helsekort-gravide"])
HOD = str(VKID["organisasjon/helse-og-omsorgsdepartementet"])
HDIR = str(VKID["organisasjon/helsedirektoratet"])


@pytest.fixture(scope="module")
def facts() -> dict:
    with FACTS.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def activity(graph: KnowledgeGraph) -> d.Entity:
    return d.describe(graph, ACTIVITY, "nb")


def texts(values) -> list[str]:
    return [v.text for v in values]


def test_goal_and_subgoal_titles_are_exactly_the_facts_files(graph, facts):
    """The page title is the nb label: the exact title from the source (docs/model.md, Labels)."""
    goal = next(g for g in facts["goals"] if g["id"] == "1")
    sub_goal = next(s for s in facts["sub_goals"] if s["id"] == "1B")
    assert d.describe(graph, str(VKID["mal/1"])).label.value == goal["title"]
    assert d.describe(graph, str(VKID["delmal/1b"])).label.value == sub_goal["title"]


def test_organisation_has_number_and_enhetsregisteret_link(graph, facts):
    number = next(o for o in facts["organisations"]["items"] if o["name"] == "Helsedirektoratet")["org_number"]
    node = d.describe(graph, HDIR).node
    assert number in texts(node.values(str(VK.organisationNumber)))
    links = [v.href for group in node.links for v in group.values]
    assert BRREG + number in links
    assert all(v.external for group in node.links for v in group.values)


def test_label_follows_the_page_language_then_nb_en_iri(graph):
    """Classes have nb and en labels; an organisation only nb; a VoID partition none (→ the IRI)."""
    assert d.describe(graph, str(VK.Goal), "nb").label.value == "Mål"
    assert d.describe(graph, str(VK.Goal), "en").label.value == "Goal"
    nb_only = d.describe(graph, HDIR, "en").label
    assert (nb_only.value, nb_only.lang) == ("Helsedirektoratet", "nb")
    partition = str(VKID["datasett/klasse/Goal"])  # a VoID class partition has no label
    assert d.describe(graph, partition, "nb").label.value == partition


def test_property_labels_come_from_the_ontology_in_the_page_language(graph):
    nb = {g.predicate: g.label.value for g in d.describe(graph, ACTIVITY, "nb").node.properties}
    en = {g.predicate: g.label.value for g in d.describe(graph, ACTIVITY, "en").node.properties}
    assert nb[str(VK.owner)] == "eier" and en[str(VK.owner)] == "owner"
    assert nb[str(DCTERMS.description)] == "beskrivelse"


def test_values_are_labelled_and_linked_by_path(activity):
    owners = activity.node.values(str(VK.owner))
    assert [(v.text, v.href) for v in owners] == [
        ("Helse- og omsorgsdepartementet", "/id/organisasjon/helse-og-omsorgsdepartementet")]
    assert texts(activity.node.types)[0] == "Aktivitet"


def test_english_description_keeps_its_language_tag(activity):
    """A @en description on a bokmål page must be marked lang="en" (WCAG 3.1.2)."""
    descriptions = activity.node.values(str(DCTERMS.description))
    assert descriptions and all(v.lang == "en" for v in descriptions)


def test_inferred_statements_are_marked_and_asserted_ones_are_not(activity):
    """vk:contributesTo is asserted; the transitive closure and the super-class are inferred."""
    assert not any(v.inferred for v in activity.node.values(str(VK.contributesTo)))
    transitive = activity.node.values(str(VK.contributesToTransitive))
    assert transitive and all(v.inferred for v in transitive)
    assert {v.term.value: v.inferred for v in activity.node.types} == {
        str(VK.Activity): False, str(VK.RoadmapItem): True}
    assert activity.has_inferred


def test_statement_nodes_are_nested_on_their_entity(activity):
    """Hash IRIs (qualified ownership, milestones, context facts) are parts of the page."""
    parts = {p.fragment: p for p in activity.parts}
    assert "eier-hod" in parts
    agents = [v.href for v in parts["eier-hod"].values(str(PROV.agent))]
    assert agents == ["/id/organisasjon/helse-og-omsorgsdepartementet"]
    assert parts["eier-hod"].sources
    assert [v.href for v in activity.node.values(str(VK.qualifiedOwnership))] == ["#eier-hod"]


def test_uncertainty_is_carried_on_entities_and_statement_nodes(graph, activity):
    entities = [r["s"].value for r in graph.select("SELECT ?s WHERE { ?s vk:uncertain true } ORDER BY ?s")
                if "#" not in r["s"].value]
    assert entities
    entity = d.describe(graph, entities[0]).node
    assert entity.uncertain and entity.uncertainty_notes
    uncertain_parts = [p for p in activity.parts if p.uncertain]
    assert uncertain_parts and all(p.uncertainty_notes for p in uncertain_parts)
    links = {v.href: v.uncertain for g in activity.node.properties for v in g.values
             if (v.href or "").startswith("#")}
    assert links == {"#" + p.fragment: p.uncertain for p in activity.parts}


def test_incoming_links_are_grouped_by_property(graph):
    incoming = {g.predicate: g for g in d.describe(graph, HOD).incoming}
    assert ACTIVITY in [v.term.value for v in incoming[str(VK.owner)].values]
    assert incoming[str(VK.owner)].total == len(incoming[str(VK.owner)].values)


def test_sources_are_listed(activity):
    assert all(v.external for v in activity.node.sources)
    assert "https://nhn.no/tjenester/digitalt-helsekort-for-gravide" in [v.href for v in activity.node.sources]


def test_unknown_iri_has_no_description(graph):
    assert d.describe(graph, str(VKID["finnes/ikke"])) is None
    assert d.entity_graph(graph, str(VKID["finnes/ikke"])) is None
    assert not d.exists(graph, str(VKID["finnes/ikke"]))


def test_schema_org_names_the_organisation(graph):
    data = d.schema_org(d.describe(graph, HDIR))
    assert data["@type"] == "Organization" and data["name"] == "Helsedirektoratet"
    assert data["@id"] == HDIR and BRREG + "983544622" in data["sameAs"]


def test_a_page_costs_three_queries_whatever_its_size(graph, monkeypatch):
    """Few queries per page (performance, also on a remote store): not one per property or value."""
    d.vocabulary(graph)
    calls = []
    original = KnowledgeGraph.run

    def counting(self, text, **kwargs):
        calls.append(text)
        return original(self, text, **kwargs)

    monkeypatch.setattr(KnowledgeGraph, "run", counting)
    for iri in (ACTIVITY, HDIR, str(VKID["mal/1"]), str(VK.Goal)):
        calls.clear()
        d.describe(graph, iri)
        assert len(calls) == 3, iri


def test_vocabulary_is_read_once_per_graph(graph):
    assert d.vocabulary(graph) is d.vocabulary(graph)


# ----------------------------------------------------------------------------- RDF documents


def parsed(document: d.Document, key: str) -> rdflib.Dataset | rdflib.Graph:
    fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig", "nq": "nquads"}[key]
    target = rdflib.Dataset() if key in ("trig", "nq") else rdflib.Graph()
    target.parse(data=document.serialize(key), format=fmt)
    return target


def test_document_has_outgoing_incoming_labels_and_statement_nodes(graph):
    doc = parsed(d.entity_graph(graph, ACTIVITY), "ttl")
    me = rdflib.URIRef(ACTIVITY)
    assert (me, rdflib.URIRef(VK.owner), rdflib.URIRef(HOD)) in doc
    assert (rdflib.URIRef(HOD), SKOS.prefLabel, rdflib.Literal("Helse- og omsorgsdepartementet", lang="nb")) in doc
    assert (rdflib.URIRef(ACTIVITY + "#eier-hod"), PROV.agent, rdflib.URIRef(HOD)) in doc
    assert (rdflib.URIRef(HOD), rdflib.URIRef(VK.owns), me) in doc  # incoming (inferred inverse)


def test_inferred_statements_are_reified_in_triple_formats(graph):
    doc = parsed(d.entity_graph(graph, ACTIVITY), "ttl")
    marked = {
        (doc.value(r, RDF.subject), doc.value(r, RDF.predicate), doc.value(r, RDF.object))
        for r in doc.subjects(DCTERMS.isPartOf, rdflib.URIRef(GRAPH_INFERRED))
    }
    me = rdflib.URIRef(ACTIVITY)
    assert (me, RDF.type, rdflib.URIRef(VK.RoadmapItem)) in marked
    assert (me, RDF.type, rdflib.URIRef(VK.Activity)) not in marked


def test_inferred_statements_are_in_the_inferred_graph_in_dataset_formats(graph):
    for key in ("trig", "nq"):
        dataset = parsed(d.entity_graph(graph, ACTIVITY), key)
        me = rdflib.URIRef(ACTIVITY)
        assert (me, RDF.type, rdflib.URIRef(VK.RoadmapItem), rdflib.URIRef(GRAPH_INFERRED)) in dataset
        assert (me, RDF.type, rdflib.URIRef(VK.Activity), rdflib.URIRef(GRAPH_DATA)) in dataset


@pytest.mark.parametrize("key", ["ttl", "nt", "jsonld", "rdfxml", "trig", "nq"])
def test_every_document_format_parses_with_rdflib(graph, key):
    doc = parsed(d.entity_graph(graph, HDIR), key)
    assert len(doc) > 0


def test_ontology_document_is_the_whole_ontology_graph(graph):
    doc = d.entity_graph(graph, ONTOLOGY_IRI)
    expected = list(graph.store.quads_for_pattern(None, None, None, ox.NamedNode(str(d.GRAPH_ONTOLOGY))))
    assert len(doc.quads) == len(expected) > 100


@pytest.mark.parametrize("key", ["ttl", "nt", "jsonld", "rdfxml", "trig", "nq"])
def test_a_document_serializes_to_the_same_bytes_every_time(graph, key: str):
    """Regression: reified inferred statements had random blank node labels, so every request
    for the same document gave other bytes (no stable ETag, no reproducible download)."""
    from veikart_graph.describe import entity_graph

    first = entity_graph(graph, "https://w3id.org/veikart/id/mal/1")
    second = entity_graph(graph, "https://w3id.org/veikart/id/mal/1")
    assert first is not None and second is not None
    assert first.serialize(key) == second.serialize(key)
