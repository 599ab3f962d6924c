"""Releases from ``releases/`` (docs/releases.md): order, frozen content, checks, snapshot graphs.

The real releases are the ehelse.no roadmap, the helsedirektoratet.no one read in November 2026
(both frozen in ``releases/<v>/content.nq``) and the current one, the delivery list 2026-08.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from veikart_graph.errors import SourceError
from veikart_graph.export import export_bytes
from veikart_graph.namespaces import VK
from veikart_graph.releases import compose_releases
from veikart_graph.releases.frozen import CONTENT_FILE, edition_code_lists, freeze, sha256
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
    return sources, compose_releases(ROOT, sources)


def test_releases_are_ordered_oldest_first_and_the_last_is_data(real):
    sources, releases = real
    assert [r.version for r in releases.releases] == ["ehelse", "2026-11", "2026-08"]
    assert set(releases.contents["2026-08"]) == set(sources.data) | set(edition_code_lists(sources.ontology))


def test_each_release_keeps_the_phase_names_of_its_edition(real):
    """The 2026-08 list renamed two phases on the same concepts; the older releases show the
    names they published."""
    _, releases = real
    phase = URIRef(ID + "fase/nasjonal-utvikling")
    names = {v: {str(o) for o in g.objects(phase, SKOS.prefLabel) if o.language == "nb"}
             for v, g in releases.contents.items()}
    assert names == {"ehelse": {"Nasjonal utvikling"}, "2026-11": {"Nasjonal utvikling"},
                     "2026-08": {"Utvikling og begrenset utprøving"}}


def test_a_renumbered_sub_goal_keeps_its_iri(real):
    """1E of the older edition is 1F of 2026-08, with a new title: one IRI, two codes."""
    _, releases = real
    subgoal = URIRef(ID + "delmal/1e")
    codes = {v: str(g.value(subgoal, SKOS.notation)) for v, g in releases.contents.items()}
    assert codes == {"ehelse": "1E", "2026-11": "1E", "2026-08": "1F"}


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
    """dct:issued only at the precision the sources give; the older pages are undated, so none is
    written and a note says why; 2026-08's date is a secondary statement and says so."""
    _, releases = real
    for release in releases.releases[:2]:
        assert releases.descriptions.value(release.iri, DCTERMS.issued) is None
        notes = " ".join(str(n) for n in releases.descriptions.objects(release.iri, SKOS.note))
        assert "dct:issued is left out" in notes
    current = releases.current.iri
    assert str(releases.descriptions.value(current, DCTERMS.issued)) == "2026-08-09"
    notes = " ".join(str(n) for n in releases.descriptions.objects(current, SKOS.note))
    assert "secondary statement" in notes


def test_snapshot_has_a_named_graph_per_release_and_the_default_graph_is_current(graph):
    rows = graph.select("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } "
                        "FILTER(STRSTARTS(STR(?g), \"https://w3id.org/veikart/graph/release/\")) } GROUP BY ?g")
    assert {r["g"].value.rsplit("/", 1)[-1] for r in rows} == {"ehelse", "2026-11", "2026-08"}
    old_note = "ASK { GRAPH ?g { ?a skos:note ?n FILTER(STRSTARTS(?n, \"Status on the ehelse.no\")) } }"
    assert graph.ask(old_note.replace("?g", "<https://w3id.org/veikart/graph/release/ehelse>"))
    assert not graph.ask("ASK { ?a skos:note ?n FILTER(STRSTARTS(?n, \"Status on the ehelse.no\")) }")


def test_release_descriptions_are_in_the_default_graph(graph):
    rows = graph.select("""SELECT ?v ?prev ?current WHERE {
        ?r a vk:RoadmapRelease ; dcat:version ?v ; dcat:inSeries vkid:veikart .
        OPTIONAL { ?r dcat:previousVersion/dcat:version ?prev }
        vkid:veikart dcat:hasCurrentVersion/dcat:version ?current } ORDER BY ?v""")
    assert [(r["v"].value, r.get("prev") and r["prev"].value) for r in rows] == [
        ("2026-08", "2026-11"), ("2026-11", "ehelse"), ("ehelse", None)]
    assert {r["current"].value for r in rows} == {"2026-08"}


def test_triple_exports_are_the_current_release_only(graph):
    """ttl/nt carry the SPARQL default graph; the older release's note stays in its named graph."""
    assert b"Status on the ehelse.no" not in export_bytes(graph, "nt")
    assert b"Status on the ehelse.no" in export_bytes(graph, "nq")


# ----------------------------------------------------------------------------- checks


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def frozen_bytes(root) -> dict[str, bytes]:
    """Each older release's content as canonical N-Quads, composed from ``root``."""
    releases = compose_releases(root, load_sources(root))
    return {r.version: freeze(r.graph_iri, releases.contents[r.version]) for r in releases.releases[:-1]}


def test_editing_data_never_changes_an_older_release(project):
    """The point of freezing: an edit of data/ (a new statement, a changed title, a removed
    file) reaches the current release only; every older release is byte-identical."""
    before = frozen_bytes(project)
    assert set(before) == {"ehelse", "2026-11"}
    write(project / "data" / "zz-ny.ttl", '<aktivitet/digitalt-helsekort-gravide> skos:note "Ny merknad"@nb .\n')
    activities = project / "data" / "activities.ttl"
    activities.write_text(activities.read_text(encoding="utf-8").replace(
        'prefLabel "Digitalt helsekort for gravide"', 'prefLabel "Endret tittel"'), encoding="utf-8")
    (project / "data" / "governance.ttl").unlink()
    after = frozen_bytes(project)
    assert after == before
    for version, data in before.items():
        assert data == (project / "releases" / version / CONTENT_FILE).read_bytes()
    current = compose_releases(project, load_sources(project)).contents["2026-08"]
    assert (HEALTH_CARD, SKOS.note, Literal("Ny merknad", lang="nb")) in current


def test_a_changed_frozen_file_stops_the_build_naming_it(project):
    path = project / "releases" / "ehelse" / CONTENT_FILE
    path.write_bytes(path.read_bytes().replace(b"Digitalt helsekort for gravide", b"Digitalt helsekort"))
    with pytest.raises(SourceError) as caught:
        compose_releases(project, load_sources(project))
    assert "has changed since the release was frozen" in caught.value.message
    assert caught.value.where.endswith("releases/ehelse/content.nq")


def test_an_older_release_without_its_checksum_is_refused(project):
    path = project / "releases" / "2026-11" / "release.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("spdx:checksum", "rdfs:seeAlso")
                    .replace("@prefix spdx:", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix spdx:"),
                    encoding="utf-8")
    with pytest.raises(SourceError, match="must record the SHA-256"):
        compose_releases(project, load_sources(project))


def test_an_older_release_without_frozen_content_is_refused(project):
    (project / "releases" / "ehelse" / CONTENT_FILE).unlink()
    with pytest.raises(SourceError, match="needs its frozen content"):
        compose_releases(project, load_sources(project))


def test_the_current_release_cannot_have_frozen_content(project):
    (project / "releases" / "2026-08" / CONTENT_FILE).write_bytes(b"")
    with pytest.raises(SourceError, match="its content is data/"):
        compose_releases(project, load_sources(project))


def test_an_overlay_file_is_refused(project):
    """remove.ttl/add.ttl (the former reverse deltas) would be silently ignored otherwise."""
    write(project / "releases" / "ehelse" / "remove.ttl", '<aktivitet/e-multidose> skos:note "x"@en .\n')
    with pytest.raises(SourceError, match="overlays are replaced by frozen content") as caught:
        compose_releases(project, load_sources(project))
    assert caught.value.where.endswith("releases/ehelse/remove.ttl")


def test_two_current_releases_are_refused(project):
    write(project / "releases" / "2027-01" / "release.ttl",
          '<veikart/2027-01> a vk:RoadmapRelease ; dcat:version "2027-01" ; dcat:inSeries <veikart> .\n')
    with pytest.raises(SourceError, match="exactly one release must be current"):
        compose_releases(project, load_sources(project))


def test_an_unknown_previous_version_is_refused(project):
    path = project / "releases" / "ehelse" / "release.ttl"
    extra = "\n<veikart/ehelse> <http://www.w3.org/ns/dcat#previousVersion> <veikart/1999> .\n"
    path.write_text(path.read_text() + extra)
    with pytest.raises(SourceError, match="is not a release"):
        compose_releases(project, load_sources(project))


def test_the_version_must_be_the_folder_name(project):
    (project / "releases" / "ehelse").rename(project / "releases" / "ehelse-no")
    with pytest.raises(SourceError, match="the folder name"):
        compose_releases(project, load_sources(project))


def test_an_older_release_is_not_held_to_rules_added_after_it_was_published(project):
    """A shape added later for the current data (here: every activity needs a sub-goal, applied to
    a published release that had one without) does not stop the build: published content is
    history, checked by its SHA-256, not by today's shapes."""
    content = project / "releases" / "ehelse" / CONTENT_FILE
    graph = "<https://w3id.org/veikart/graph/release/ehelse>"
    extra = (f'<{ID}aktivitet/uten-delmal> <{RDF.type}> <{VK.Activity}> {graph} .\n'
             f'<{ID}aktivitet/uten-delmal> <{SKOS.prefLabel}> "Uten delmål"@nb {graph} .\n'
             f'<{ID}aktivitet/uten-delmal> <{DCTERMS.source}> <https://www.ehelse.no/veikart/1b> {graph} .\n')
    data = content.read_bytes() + extra.encode()
    content.write_bytes(data)
    description = project / "releases" / "ehelse" / "release.ttl"
    text = description.read_text(encoding="utf-8")
    old = next(line.split('"')[1] for line in text.splitlines() if "checksumValue" in line)
    description.write_text(text.replace(old, sha256(data)), encoding="utf-8")
    releases = compose_releases(project, load_sources(project))
    assert (URIRef(f"{ID}aktivitet/uten-delmal"), RDF.type, VK.Activity) in releases.contents["ehelse"]


def test_without_a_releases_folder_there_are_no_releases(tmp_path):
    for name in ("ontology", "shapes", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    releases = compose_releases(tmp_path, load_sources(tmp_path))
    assert releases.releases == [] and releases.graphs() == {}
    assert Literal("x") not in set(releases.descriptions.objects())


