"""Every row of the committed delivery list against the built graph ("Done when" of issue 12).

The CSV is read here with the standard library's csv module, independently of
``veikart_graph.delivery_list``; the graph is asked through SPARQL on the real snapshot. Every
row is checked, not a sample: id, name, description, start, end, planning status, the phase
text and the phase concepts it names, sub-goal and group.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from veikart_graph.store import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "data" / "sources" / "veikartliste-2026-08.csv"
ID = "https://w3id.org/veikart/id/"

# The list's phase words → the phase concepts (IRIs kept across editions). Written out here on
# purpose, not taken from the code list, so the test can disagree with the reader.
PHASE_WORDS = {
    "konsept": "konsept",
    "utvikling og begrenset utprøving": "nasjonal-utvikling",
    "utvikling": "nasjonal-utvikling",
    "tilpasning og utvidet utprøving": "tilpasning",
    "tilpasning": "tilpasning",
    "innføring": "innforing",
    "i bruk": "ny-praksis-i-bruk",
}
# 2026 sub-goal codes → IRI keys (the shared decision of the data work).
SUBGOAL_KEYS = {
    "1A": "1a", "1B": "1b", "1C": "selvhjelp-laering-mestring", "1D": "ungdom-digitale-tjenester",
    "1E": "digitale-barrierer", "1F": "1e", "2A": "pasientjournalsystemer",
    "2B": "it-stotte-legemidler-kliniske-malinger", "2C": "akuttmedisinsk-kjede", "2D": "2b",
    "2E": "informasjon-om-pasienten-samhandling", "3A": "data-og-analyseplattformer",
    "3B": "kunstig-intelligens", "3C": "helseregistrene", "4A": "informasjonsdeling",
    "4B": "informasjonsforvaltning", "4C": "samhandling-eu", "5A": "ehds", "5B": "regulatorisk-veiledning",
    "5C": "kommunale-journal-og-samhandlingslosninger",
}


def rows() -> list[dict[str, str]]:
    with LIST.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def iso(text: str) -> str | None:
    return datetime.strptime(text, "%d.%m.%Y").date().isoformat() if text else None


def phases_of(text: str) -> set[str]:
    if not text:
        return set()
    if text.lower() in PHASE_WORDS:
        return {ID + "fase/" + PHASE_WORDS[text.lower()]}
    return {ID + "fase/" + PHASE_WORDS[part.lower()] for part in text.split(" - ")}


@pytest.fixture(scope="module")
def deliveries(graph: KnowledgeGraph) -> dict[str, dict[str, object]]:
    """Every vk:Delivery of the current release, by its dct:identifier."""
    found: dict[str, dict[str, object]] = {}
    for r in graph.select("""
        SELECT ?d ?id ?name ?desc ?text ?start ?end ?status ?sub ?group ?groupName ?row WHERE {
            ?d a vk:Delivery ; dct:identifier ?id ; skos:prefLabel ?name ; vk:planningStatus ?status ;
               vk:contributesTo ?sub ; vk:activityGroup ?group ; vk:rowNumber ?row .
            ?group skos:prefLabel ?groupName .
            OPTIONAL { ?d dct:description ?desc } OPTIONAL { ?d vk:phaseText ?text }
            OPTIONAL { ?d vk:startDate ?start } OPTIONAL { ?d vk:endDate ?end } }"""):
        assert r["id"].value not in found, f"two deliveries with id {r['id'].value}"
        found[r["id"].value] = {k: v for k, v in r.items()}
    phases: dict[str, set[str]] = {}
    for r in graph.select("SELECT ?id ?phase WHERE { ?d a vk:Delivery ; dct:identifier ?id ; vk:phase ?phase }"):
        phases.setdefault(r["id"].value, set()).add(r["phase"].value)
    for key, entry in found.items():
        entry["phases"] = phases.get(key, set())
    return found


def test_every_row_is_a_delivery_and_nothing_else_is(deliveries):
    assert sorted(deliveries) == sorted(r["Leveranse-ID"] for r in rows())
    assert len(deliveries) == 263


@pytest.mark.parametrize("number", range(len(rows())), ids=lambda n: f"row{n + 2}")
def test_row_is_in_the_graph_exactly_as_published(deliveries, number):
    row = rows()[number]
    found = deliveries[row["Leveranse-ID"]]
    assert found["d"].value == ID + "leveranse/" + row["Leveranse-ID"]
    assert (found["name"].value, found["name"].language) == (row["Leveransenavn i veikartet"], "nb")
    description = found.get("desc")
    assert (description.value if description else "") == row["Beskrivelse av leveranse gant"]
    assert description is None or description.language == "nb"
    text = found.get("text")
    assert (text.value if text else "") == row["Veikartfase"]
    assert found["phases"] == phases_of(row["Veikartfase"])
    for column, key in (("Startdato", "start"), ("Sluttdato", "end")):
        value = found.get(key)
        assert (value.value if value else None) == iso(row[column])
        assert value is None or value.datatype.value == "http://www.w3.org/2001/XMLSchema#date"
    assert found["status"].value == ID + "planleggingsstatus/" + row["Planleggingsstatus"].lower()
    code = row["Strategisk delmål"].split(" - ", 1)[0]
    assert found["sub"].value == ID + "delmal/" + SUBGOAL_KEYS[code]
    assert found["groupName"].value == row["Strategi gruppering"]
    assert int(found["row"].value) == number + 2


def test_every_sub_goal_of_the_list_has_its_code_and_exact_title(graph):
    titles = {r["Strategisk delmål"].split(" - ", 1)[0]: r["Strategisk delmål"].split(" - ", 1)[1] for r in rows()}
    assert len(titles) == 20
    found = {r["code"].value: (r["s"].value, r["title"].value) for r in graph.select(
        "SELECT ?s ?code ?title WHERE { ?s a vk:SubGoal ; skos:notation ?code ; skos:prefLabel ?title "
        "FILTER(lang(?title) = 'nb') }")}
    assert found == {code: (ID + "delmal/" + SUBGOAL_KEYS[code], title) for code, title in titles.items()}


def test_every_group_is_under_its_sub_goal(graph):
    expected = {(r["Strategi gruppering"], ID + "delmal/" + SUBGOAL_KEYS[r["Strategisk delmål"][:2]]) for r in rows()}
    found = {(r["name"].value, r["sub"].value) for r in graph.select(
        "SELECT ?name ?sub WHERE { ?g a vk:ActivityGroup ; skos:prefLabel ?name ; vk:contributesTo ?sub }")}
    assert found == expected and len(found) == 54


def test_the_counts_of_the_edition(graph):
    counts = {r["cls"].value.rsplit("/", 1)[-1]: int(r["n"].value) for r in graph.select(
        "SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?cls { vk:Delivery vk:ActivityGroup vk:SubGoal } "
        "?s a ?cls } GROUP BY ?cls")}
    assert counts == {"Delivery": 263, "ActivityGroup": 54, "SubGoal": 20}
    statuses = {r["s"].value.rsplit("/", 1)[-1]: int(r["n"].value) for r in graph.select(
        "SELECT ?s (COUNT(?d) AS ?n) WHERE { ?d a vk:Delivery ; vk:planningStatus ?s } GROUP BY ?s")}
    assert statuses == {"planlagt": 204, "tentativ": 59}


def test_end_before_start_rows_are_kept_with_a_visible_note(graph):
    """Three rows of the list end before they start: kept as published, with a note in nb and en."""
    expected = {r["Leveranse-ID"] for r in rows()
                if r["Sluttdato"] and r["Startdato"] and iso(r["Sluttdato"]) < iso(r["Startdato"])}
    assert len(expected) == 3
    found = {r["id"].value for r in graph.select(
        "SELECT ?id WHERE { ?d a vk:Delivery ; dct:identifier ?id ; vk:dataQualityNote ?n "
        "FILTER(lang(?n) = 'en' && CONTAINS(?n, 'before the start date')) }")}
    assert found == expected
    # the note is a skos:note too (vk:dataQualityNote ⊑ skos:note), so generic pages show it
    assert graph.ask("ASK { ?d a vk:Delivery ; skos:note ?n FILTER(CONTAINS(?n, 'før startdatoen')) }")


def test_rows_without_a_phase_say_so(graph):
    expected = {r["Leveranse-ID"] for r in rows() if not r["Veikartfase"]}
    found = {r["id"].value for r in graph.select(
        "SELECT ?id WHERE { ?d a vk:Delivery ; dct:identifier ?id ; vk:dataQualityNote ?n "
        "FILTER(CONTAINS(?n, 'Veikartfase is empty')) }")}
    assert found == expected and len(found) == 3


def test_names_with_irregular_spaces_are_kept_and_marked_as_published(graph):
    expected = {r["Leveranse-ID"] for r in rows()
                if r["Leveransenavn i veikartet"] != r["Leveransenavn i veikartet"].strip()
                or "  " in r["Leveransenavn i veikartet"]}
    found = {r["id"].value for r in graph.select(
        "SELECT ?id WHERE { ?d a vk:Delivery ; dct:identifier ?id ; vk:dataQualityNote ?n "
        "FILTER(lang(?n) = 'en' && STRSTARTS(?n, 'The name is given exactly as published')) }")}
    assert found == expected and len(found) > 0


def test_every_delivery_is_sourced_and_derived_from_the_list(graph):
    assert not graph.ask("ASK { ?d a vk:Delivery FILTER NOT EXISTS { ?d dct:source ?s } }")
    assert not graph.ask("ASK { ?d a vk:Delivery FILTER NOT EXISTS { "
                         "?d prov:wasDerivedFrom <https://w3id.org/veikart/id/kilde/veikartliste-2026-08> } }")


def test_no_owner_or_user_group_is_invented_for_a_delivery(graph):
    """No source gives per-delivery owners or user groups."""
    assert not graph.ask("ASK { ?d a vk:Delivery . { ?d vk:owner ?o } UNION { ?d vk:userGroup ?u } "
                         "UNION { ?d vk:qualifiedOwnership ?q } }")


def test_the_sidecar_matches_the_committed_file(graph):
    import hashlib

    digest = hashlib.sha256(LIST.read_bytes()).hexdigest()
    row = graph.select("""PREFIX spdx: <http://spdx.org/rdf/terms#> SELECT ?v ?issued ?value WHERE {
        <https://w3id.org/veikart/id/kilde/veikartliste-2026-08> dcat:version ?v ; dct:issued ?issued ;
            dct:publisher <https://w3id.org/veikart/id/organisasjon/helsedirektoratet> ;
            spdx:checksum/spdx:checksumValue ?value }""")
    assert [(r["v"].value, r["issued"].value, r["value"].value) for r in row] == [("2026-08", "2026-08-09", digest)]
