"""The texts of the 2026 edition in data/ against their verbatim reference (tests/reference/texts-2026.yaml).

The reference quotes the strategy as revised in 2024 and the roadmap document Q3 2026 exactly (see
tests/reference/README.md for the sources and the transcription rules). A title, statement,
definition or quote that differs by one character from its source fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from veikart_graph.namespaces import VK, VKID

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference" / "texts-2026.yaml"
PROV = "http://www.w3.org/ns/prov#"
SEMIANNUAL = URIRef("http://publications.europa.eu/resource/authority/frequency/ANNUAL_2")


@pytest.fixture(scope="module")
def ref() -> dict:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def roadmap_source(ref: dict) -> tuple[URIRef, URIRef]:
    src = ref["sources"]["roadmap"]
    return URIRef(src["public_url"]), URIRef(src["working_copy"]["url"])


def nb(g: Graph, s, p) -> list[str]:
    return sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == "nb")


def cites_roadmap(g: Graph, s, roadmap_source) -> bool:
    page, copy = roadmap_source
    return (s, DCTERMS.source, page) in g and (s, VK.readFrom, copy) in g


# --- the reference itself -----------------------------------------------------------------------


def test_reference_follows_its_transcription_rules(ref: dict):
    """Links reduced to their text, no footnote marks or emphasis left (tests/reference/README.md)."""
    def texts(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for key, value in node.items():
                if key not in ("sources", "about"):
                    yield from texts(value)
        elif isinstance(node, list):
            for value in node:
                yield from texts(value)
    for text in texts(ref):
        assert not re.search(r"\]\(|<sup>|\*\*|\\\(", text), text[:80]
    working_copies = [s["working_copy"]["url"] for s in ref["sources"].values()]
    assert all(re.search(r"/blob/[0-9a-f]{40}/", url) for url in working_copies), "cite the commit read"


# --- the strategy (2024 revision) ---------------------------------------------------------------


def test_three_overarching_goals_exactly_as_the_strategy(g: Graph, ref: dict):
    strategy = VKID["strategi/nasjonal-e-helsestrategi"]
    found = set(g.subjects(RDF.type, VK.OverarchingGoal))
    assert found == {VKID[f"strategi/overordnet-mal/{o['n']}"] for o in ref["overarching_goals"]}
    assert len(found) == 3
    for o in ref["overarching_goals"]:
        node = VKID[f"strategi/overordnet-mal/{o['n']}"]
        assert nb(g, node, SKOS.prefLabel) == [o["title"]]
        assert nb(g, node, DCTERMS.description) == [o["text"]]
        assert str(next(g.objects(node, SKOS.notation))) == str(o["n"])
        assert (strategy, VK.overarchingGoal, node) in g and (node, VK.overarchingGoalOf, strategy) in g
        assert (node, DCTERMS.source, URIRef(ref["sources"]["strategy"]["working_copy"]["url"])) in g


def test_goal_statements_and_frem_mot_2030_lists_of_the_2024_revision(g: Graph, ref: dict):
    assert len(ref["goals"]) == 5
    for goal in ref["goals"]:
        node = VKID[f"mal/{goal['n']}"]
        assert nb(g, node, SKOS.prefLabel) == [goal["title"]]
        assert nb(g, node, DCTERMS.description) == [goal["statement"]]
        assert not [d for d in g.objects(node, DCTERMS.description) if d.language != "nb"], "paraphrases dropped"
        ambitions = list(g.objects(node, VK.ambition))
        assert sorted(str(a) for a in ambitions) == sorted(goal["ambitions_2030"])
        assert all(a.language == "nb" for a in ambitions)
        assert goal["ambitions_2030"], f"Mål {goal['n']} has its list"
    assert sum(len(goal["ambitions_2030"]) for goal in ref["goals"]) == 51


def test_a_goal_the_roadmap_words_differently_says_so(g: Graph, ref: dict):
    for goal in ref["goals"]:
        notes = nb(g, VKID[f"mal/{goal['n']}"], SKOS.note)
        if goal["restated_in_roadmap"]:
            assert any(f"«{goal['restated_in_roadmap']}»" in n for n in notes), goal["n"]
        else:
            assert not any("Veikartdokumentet" in n for n in notes), goal["n"]


def test_the_2024_revision_is_quoted(g: Graph, ref: dict):
    node = VKID["strategi/nasjonal-e-helsestrategi#oppdatering-2024"]
    assert nb(g, node, DCTERMS.description) == [ref["strategy_revision_2024"]]
    assert (node, DCTERMS.date, Literal("2024", datatype=XSD.gYear)) in g


# --- the roadmap document Q3 2026 ---------------------------------------------------------------


def test_sub_goal_texts(g: Graph, ref: dict, roadmap_source):
    assert len(ref["subgoals"]) == 20
    letters = {"1": "ABCDEF", "2": "ABCDE", "3": "ABC", "4": "ABC", "5": "ABC"}
    assert [s["code"] for s in ref["subgoals"]] == [n + c for n, cs in letters.items() for c in cs]
    for sub in ref["subgoals"]:
        node = VKID[f"delmal/{sub['key']}"]
        assert nb(g, node, DCTERMS.description) == [sub["description"]], sub["code"]
        assert cites_roadmap(g, node, roadmap_source), sub["code"]


def test_a_heading_that_differs_from_the_delivery_list_is_shown_with_a_note(g: Graph, ref: dict):
    differing = 0
    for sub in ref["subgoals"]:
        node = VKID[f"delmal/{sub['key']}"]
        notes = nb(g, node, SKOS.note)
        if sub["heading"] != sub["csv_title"]:
            differing += 1
            assert Literal(sub["heading"], lang="nb") in set(g.objects(node, SKOS.altLabel)), sub["code"]
            assert any(sub["heading"] in n and sub["csv_title"] in n for n in notes), sub["code"]
        else:
            assert Literal(sub["heading"], lang="nb") not in set(g.objects(node, SKOS.altLabel))
    assert differing == 9  # 1C, 2A, 2C, 2D, 2E (spaces, full stop), 3C, 4B (trailing space), 5A, 5C


def test_phase_definitions_of_this_edition(g: Graph, ref: dict, roadmap_source):
    assert [p["key"] for p in ref["phases"]] == [
        "konsept", "nasjonal-utvikling", "tilpasning", "innforing", "ny-praksis-i-bruk"]
    for phase in ref["phases"]:
        node = VKID[f"fase/{phase['key']}"]
        assert nb(g, node, SKOS.definition) == [phase["definition"]]
        assert cites_roadmap(g, node, roadmap_source)


def test_value_chain_legend_and_update_process(g: Graph, ref: dict, roadmap_source):
    roadmap = VKID.veikart
    chain = VKID["veikart#verdikjede-q3-2026"]
    assert nb(g, chain, DCTERMS.description) == [ref["value_chain"]["text"]]
    assert nb(g, chain, SKOS.scopeNote) == [ref["value_chain"]["phase_responsibility"]]
    for item in ref["legend"]:
        node = VKID[f"veikart#tegnforklaring-{item['key']}"]
        assert (roadmap, DCTERMS.hasPart, node) in g
        assert nb(g, node, RDFS.label) == [item["text"]]
        assert cites_roadmap(g, node, roadmap_source)
    assert {i["text"] for i in ref["legend"]} >= {
        "Aktivitet i Veikartet som er tentativ er markert med stiplet linje.",
        "Aktivitet i Veikartet som er planlagt er markert med en heltrukken linje."}
    update = VKID["veikart#oppdateringsprosess-q3-2026"]
    paragraphs = ref["update_process"]["paragraphs"]
    assert nb(g, update, DCTERMS.description) == [paragraphs[0]]
    assert nb(g, update, SKOS.note) == sorted(paragraphs[1:])
    assert "to ganger per år" in paragraphs[0] and (roadmap, DCTERMS.accrualPeriodicity, SEMIANNUAL) in g


def test_the_document_is_marked_as_carrying_placeholders(g: Graph, ref: dict, roadmap_source):
    doc = VKID["veikart#dokument-q3-2026"]
    assert (VKID.veikart, DCTERMS.hasVersion, doc) in g and (doc, RDF.type, FOAF.Document) in g
    assert nb(g, doc, RDFS.label) == [ref["sources"]["roadmap"]["title"]]
    assert str(next(g.objects(doc, URIRef(str(DCAT) + "version")))) == ref["sources"]["roadmap"]["version"]
    assert (doc, VK.uncertain, Literal(True)) in g
    note = nb(g, doc, VK.uncertaintyNote)[0]
    assert all(f"«{p}»" in note for p in ref["sources"]["roadmap"]["placeholders"])
    assert cites_roadmap(g, doc, roadmap_source)


def test_who_leads_what_quotes_the_document(g: Graph, ref: dict, roadmap_source):
    prov_agent, qualified = URIRef(PROV + "agent"), URIRef(PROV + "qualifiedAttribution")
    assert ref["leads"]
    for lead in ref["leads"]:
        subject = VKID[lead["subject"]]
        node = VKID[f"{lead['subject']}#{lead['key']}"]
        assert (subject, qualified, node) in g
        assert (node, RDF.type, VK.QualifiedOwnership) in g
        assert (node, prov_agent, VKID[f"organisasjon/{lead['organisation']}"]) in g
        assert (VKID[f"organisasjon/{lead['organisation']}"], RDF.type, VK.Organisation) in g
        assert (node, DCAT.hadRole, VKID[f"rolle/{lead['role']}"]) in g
        assert lead["role"] != "eier", "the document's 'ledes av' is not the roadmap's Eier tag"
        assert nb(g, node, DCTERMS.description) == [lead["quote"]]
        assert cites_roadmap(g, node, roadmap_source)
    for org in ref["organisations"]:
        node = VKID[f"organisasjon/{org['key']}"]
        assert nb(g, node, SKOS.prefLabel) == [org["name"]] and org["name"] in org["quote"]
        assert not list(g.objects(node, VK.organisationNumber)), "the document gives no number"


def test_the_two_trial_dates_of_the_health_card_are_both_kept(g: Graph, ref: dict, roadmap_source):
    activity = VKID["aktivitet/digitalt-helsekort-gravide"]
    may, june = (VKID[f"aktivitet/digitalt-helsekort-gravide#utproving-{m}"] for m in ("mai-2025", "juni-2025"))
    assert {may, june} <= set(g.objects(activity, VK.milestone))
    assert (may, VK.when, Literal("2025-05", datatype=XSD.gYearMonth)) in g
    assert (june, VK.when, Literal("2025-06", datatype=XSD.gYearMonth)) in g
    assert nb(g, may, DCTERMS.description) == [ref["dhg_trial_may_2025"]]
    assert cites_roadmap(g, may, roadmap_source)


def test_benefit_candidates_of_1b_carry_the_documents_norwegian_items(g: Graph, ref: dict, roadmap_source):
    """The older candidates paraphrase the first four items of the list the document gives in full."""
    items = ref["benefit_candidates_1b"]["items"]
    assert len(items) == 5 and items[3].startswith("Det er økt kv")  # the item the older copy cut off
    for i, item in enumerate(items[:4], 1):
        node = VKID[f"nyttemal/1b-{i}"]
        assert nb(g, node, DCTERMS.description) == [item]
        assert (node, VK.uncertain, Literal(True)) in g, "still a candidate: not called a nyttemålsetning"
        assert cites_roadmap(g, node, roadmap_source)


def test_the_e_multidose_activity_shows_the_2026_responsibility_beside_its_uncertain_owner(g: Graph, ref: dict,
                                                                                         roadmap_source):
    activity = VKID["aktivitet/e-multidose"]
    quote = next(lead["quote"] for lead in ref["leads"] if lead["subject"] == "leveranse/56876000019903306")
    assert any(f"«{quote}»" in note for note in nb(g, activity, SKOS.note))
    assert (activity, VK.uncertain, Literal(True)) in g
    assert cites_roadmap(g, activity, roadmap_source)
