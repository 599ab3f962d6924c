"""Releases composed from ``releases/`` (docs/releases.md): order, content, checks, snapshot graphs.

The two real releases are the ehelse.no roadmap and the helsedirektoratet.no one (tests/reference/veikart-facts.yaml:
``roadmap.site_versions``; the two states of ``activities[*].status_and_dates``).
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from veikart_graph.errors import NotConformingError, SourceError
from veikart_graph.export import export_bytes
from veikart_graph.namespaces import VK
from veikart_graph.releases import compose_releases
from veikart_graph.sources import load_sources

from .project import ROOT, copy_project, write

ID = "https://w3id.org/veikart/id/"
HEALTH_CARD = URIRef(ID + "aktivitet/digitalt-helsekort-gravide")
CITIZEN_SERVICES = URIRef(ID + "aktivitet/digitale-innbyggertjenester-kommune")
JUNE_2025 = URIRef(f"{HEALTH_CARD}#utproving-juni-2025")
TEST_2024 = URIRef(f"{HEALTH_CARD}#testversjon-2024")
BATCH_3 = URIRef(f"{CITIZEN_SERVICES}#pulje-3-januar-2026")


@pytest.fixture(scope="module")
def real():
    sources = load_sources(ROOT)
    return sources, compose_releases(ROOT, sources, check=False)


def test_releases_are_ordered_oldest_first_and_the_last_is_data(real):
    sources, releases = real
    assert [r.version for r in releases.releases] == ["ehelse", "2026-11"]
    assert set(releases.contents["2026-11"]) == set(sources.data)


def test_the_ehelse_release_has_the_older_states_only(real):
    """ehelse.no gave the 2024 test version and the finished introduction project; the June 2025
    trial (nhn.no) and batch 3 (helsedirektoratet.no) came later."""
    ehelse = real[1].contents["ehelse"]
    assert (HEALTH_CARD, VK.milestone, TEST_2024) in ehelse
    assert (HEALTH_CARD, VK.milestone, JUNE_2025) not in ehelse
    assert not set(ehelse.triples((JUNE_2025, None, None)))
    assert (CITIZEN_SERVICES, VK.milestone, BATCH_3) not in ehelse
    notes = [str(n) for n in ehelse.objects(CITIZEN_SERVICES, SKOS.note)]
    assert any("KS-led introduction project finished" in n for n in notes)


def test_entity_iris_are_the_same_in_every_release(real):
    _, releases = real
    activities = [{s for s in g.subjects(None, VK.Activity)} for g in releases.contents.values()]
    assert activities[0] == activities[1] and HEALTH_CARD in activities[0]


def test_no_release_date_is_invented(real):
    """dct:issued only at the precision the sources give; the pages are undated, so none is
    written and a note says why."""
    _, releases = real
    for release in releases.releases:
        assert releases.descriptions.value(release.iri, DCTERMS.issued) is None
        notes = " ".join(str(n) for n in releases.descriptions.objects(release.iri, SKOS.note))
        assert "dct:issued is left out" in notes


def test_snapshot_has_a_named_graph_per_release_and_the_default_graph_is_current(graph):
    rows = graph.select("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } "
                        "FILTER(STRSTARTS(STR(?g), \"https://w3id.org/veikart/graph/release/\")) } GROUP BY ?g")
    assert {r["g"].value.rsplit("/", 1)[-1] for r in rows} == {"ehelse", "2026-11"}
    old_note = "ASK { GRAPH ?g { ?a skos:note ?n FILTER(STRSTARTS(?n, \"Status on the ehelse.no\")) } }"
    assert graph.ask(old_note.replace("?g", "<https://w3id.org/veikart/graph/release/ehelse>"))
    assert not graph.ask("ASK { ?a skos:note ?n FILTER(STRSTARTS(?n, \"Status on the ehelse.no\")) }")


def test_release_descriptions_are_in_the_default_graph(graph):
    rows = graph.select("""SELECT ?v ?prev ?current WHERE {
        ?r a vk:RoadmapRelease ; dcat:version ?v ; dcat:inSeries vkid:veikart .
        OPTIONAL { ?r dcat:previousVersion/dcat:version ?prev }
        vkid:veikart dcat:hasCurrentVersion/dcat:version ?current } ORDER BY ?v""")
    assert [(r["v"].value, r.get("prev") and r["prev"].value) for r in rows] == [
        ("2026-11", "ehelse"), ("ehelse", None)]
    assert {r["current"].value for r in rows} == {"2026-11"}


def test_triple_exports_are_the_current_release_only(graph):
    """ttl/nt carry the SPARQL default graph; the older release's note stays in its named graph."""
    assert b"Status on the ehelse.no" not in export_bytes(graph, "nt")
    assert b"Status on the ehelse.no" in export_bytes(graph, "nq")


# ----------------------------------------------------------------------------- checks


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def test_a_stale_overlay_stops_the_build_naming_file_and_statement(project):
    write(project / "releases" / "ehelse" / "remove.ttl",
          '<aktivitet/digitalt-helsekort-gravide> skos:note "Not in the data"@en .\n')
    with pytest.raises(SourceError) as caught:
        compose_releases(project, load_sources(project), check=False)
    assert "stale overlay" in caught.value.message and "Not in the data" in caught.value.message
    assert caught.value.where.endswith("releases/ehelse/remove.ttl")


def test_an_overlay_with_a_blank_node_is_refused(project):
    write(project / "releases" / "ehelse" / "add.ttl", "<aktivitet/e-multidose> skos:note [ skos:note \"x\" ] .\n")
    with pytest.raises(SourceError, match="blank nodes"):
        compose_releases(project, load_sources(project), check=False)


def test_two_current_releases_are_refused(project):
    write(project / "releases" / "2027-01" / "release.ttl",
          '<veikart/2027-01> a vk:RoadmapRelease ; dcat:version "2027-01" ; dcat:inSeries <veikart> .\n')
    with pytest.raises(SourceError, match="exactly one release must be current"):
        compose_releases(project, load_sources(project), check=False)


def test_an_unknown_previous_version_is_refused(project):
    path = project / "releases" / "ehelse" / "release.ttl"
    extra = "\n<veikart/ehelse> <http://www.w3.org/ns/dcat#previousVersion> <veikart/1999> .\n"
    path.write_text(path.read_text() + extra)
    with pytest.raises(SourceError, match="is not a release"):
        compose_releases(project, load_sources(project), check=False)


def test_the_version_must_be_the_folder_name(project):
    (project / "releases" / "ehelse").rename(project / "releases" / "ehelse-no")
    with pytest.raises(SourceError, match="the folder name"):
        compose_releases(project, load_sources(project), check=False)


def test_an_older_release_that_breaks_the_shapes_stops_the_build(project):
    """Every release is validated, not only the current one."""
    write(project / "releases" / "ehelse" / "add.ttl",
          '<aktivitet/uten-delmal> a vk:Activity ; skos:prefLabel "Uten delmål"@nb ; '
          "dct:source <https://www.ehelse.no/veikart/1b> .\n")
    with pytest.raises(NotConformingError) as caught:
        compose_releases(project, load_sources(project))
    assert "release ehelse" in caught.value.message
    assert any("contributesTo" in v.message_en for v in caught.value.report.violations)


def test_without_a_releases_folder_there_are_no_releases(tmp_path):
    for name in ("ontology", "shapes", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    releases = compose_releases(tmp_path, load_sources(tmp_path))
    assert releases.releases == [] and releases.graphs() == {}
    assert Literal("x") not in set(releases.descriptions.objects())
