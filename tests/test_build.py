"""The build: validation gate, filtered inference, atomic snapshots, exports that round-trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

from veikart_graph.build import build, to_nquads
from veikart_graph.errors import NotConformingError, SourceError
from veikart_graph.export import export_bytes
from veikart_graph.namespaces import GRAPH_INFERRED, VK, VKID
from veikart_graph.settings import Settings
from veikart_graph.snapshot import current_snapshot
from veikart_graph.store import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A copy of the real sources in a temporary folder, with a first good snapshot built."""
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    settings = Settings(root=tmp_path, build_dir=tmp_path / "build")
    build(settings)
    return settings


def inferred_graph(graph: KnowledgeGraph) -> rdflib.Graph:
    body = graph.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH_INFERRED}> {{ ?s ?p ?o }} }}")
    import pyoxigraph as ox

    return rdflib.Graph().parse(data=ox.serialize(body, format=ox.RdfFormat.N_TRIPLES), format="nt")


def test_real_data_builds_and_conforms(snapshot):
    manifest = snapshot.manifest
    assert set(manifest.triples_by_graph) == {
        f"https://w3id.org/veikart/graph/{g}" for g in (
            "data", "inferred", "ontology", "shapes", "metadata",
            "release/ehelse", "release/2026-11", "release/2026-08")}
    assert (snapshot.path / "search.sqlite").is_file()
    assert manifest.entities_by_class[str(VK.Goal)] == 5
    assert len(manifest.hash) == 64


def test_inferred_graph_has_the_chain_activity_to_goal(graph):
    """The transitive contributes-to chain: activity → sub-goal 1E → goal 1."""
    inferred = inferred_graph(graph)
    activity = VKID["aktivitet/digitalt-helsekort-gravide"]
    assert (activity, VK.contributesToTransitive, VKID["mal/1"]) in inferred
    assert (VKID["delmal/1e"], VK.contributesToTransitive, VKID["mal/1"]) in inferred
    assert (VKID["mal/1"], VK.hasSubGoal, VKID["delmal/1e"]) in inferred


def test_inferred_graph_has_no_noise(graph):
    """No owl:sameAs, no reflexive triples, no literal subjects, nothing about standard terms."""
    inferred = inferred_graph(graph)
    assert len(inferred) > 0
    for s, p, o in inferred:
        assert isinstance(s, URIRef) and str(s).startswith(str(VKID)), s
        assert p != OWL.sameAs
        assert s != o
        assert not (p == RDF.type and o in (OWL.Thing, RDFS.Resource))


def test_inferred_graph_reparses_as_ntriples(graph):
    text = inferred_graph(graph).serialize(format="nt")
    assert len(rdflib.Graph().parse(data=text, format="nt")) == len(inferred_graph(graph))


@pytest.mark.parametrize(("fmt", "rdflib_format"), [
    ("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig"), ("nq", "nquads")])
def test_snapshot_round_trips_through_every_export_format(graph, fmt, rdflib_format):
    body = export_bytes(graph, fmt)
    if fmt in ("trig", "nq"):
        dataset = rdflib.Dataset()
        dataset.parse(data=body, format=rdflib_format)
        assert len(set(dataset.quads((None, None, None, None)))) == sum(graph.count_triples().values())
    else:
        parsed = rdflib.Graph().parse(data=body, format=rdflib_format)
        expected = graph.store.query(
            "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } "
            "FILTER(?g IN (<https://w3id.org/veikart/graph/data>, <https://w3id.org/veikart/graph/inferred>, "
            "<https://w3id.org/veikart/graph/ontology>, <https://w3id.org/veikart/graph/metadata>)) } }")
        assert len(parsed) == int(next(iter(expected))["n"].value)


def test_broken_turtle_fails_with_file_and_line_and_keeps_the_snapshot(project: Settings):
    before = current_snapshot(project.snapshot_root)
    bad = project.root / "data" / "goals.ttl"
    bad.write_text(bad.read_text(encoding="utf-8") + '\n<x> <y> "unterminated .\n', encoding="utf-8")
    with pytest.raises(SourceError) as err:
        build(project)
    assert "goals.ttl:" in err.value.where
    assert current_snapshot(project.snapshot_root).path == before.path


def test_data_breaking_a_shape_is_refused_with_a_report(project: Settings):
    before = current_snapshot(project.snapshot_root)
    extra = project.root / "data" / "broken.ttl"
    extra.write_text(
        "@prefix vk: <https://w3id.org/veikart/def/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/veikart/id/delmal/9z> a vk:SubGoal ; skos:prefLabel \"Uten mål\"@nb .\n",
        encoding="utf-8")
    with pytest.raises(NotConformingError) as err:
        build(project)
    report = err.value.report
    assert not report.conforms
    located = [v for v in report.violations if v.focus.endswith("delmal/9z")]
    assert located and all(v.file and v.file.endswith("broken.ttl") for v in located)
    assert all(v.message_nb and v.message_en for v in located)
    assert current_snapshot(project.snapshot_root).path == before.path


def test_missing_data_folder_is_a_source_error(project: Settings):
    shutil.rmtree(project.root / "data")
    with pytest.raises(SourceError, match="folder not found"):
        build(project)


def test_same_sources_give_the_same_content_hash(project: Settings):
    first = current_snapshot(project.snapshot_root).manifest.hash
    assert build(project).snapshot.manifest.hash == first


def test_nquads_writer_keeps_graph_names():
    g = rdflib.Graph()
    g.add((URIRef("http://a"), URIRef("http://b"), rdflib.Literal("c")))
    lines = to_nquads({URIRef("http://g"): g}).decode().strip().splitlines()
    assert lines == ['<http://a> <http://b> "c" <http://g> .']


def test_default_graph_copy_equals_the_union_of_the_queryable_graphs(graph: KnowledgeGraph):
    """The snapshot's default.nt (the store's default graph, for speed) holds exactly the
    distinct triples of data ∪ inferred ∪ ontology ∪ metadata; named graphs are unchanged."""
    import pyoxigraph as ox

    from veikart_graph.namespaces import QUERYABLE_GRAPHS
    from veikart_graph.store import named_quads

    assert graph.union_default
    queryable = {str(g) for g in QUERYABLE_GRAPHS}
    union = {q.triple for q in named_quads(graph.store) if q.graph_name.value in queryable}
    default = {q.triple for q in graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == union


def test_large_snapshots_leave_out_the_union_copy_and_answer_the_same(project: Settings, monkeypatch):
    """Above UNION_COPY_MAX_TRIPLES no default.nt is written; queries then run over the list of
    queryable graphs and give the same answers."""
    import veikart_graph.build as build_module

    small = current_snapshot(project.snapshot_root)
    with_copy = KnowledgeGraph.from_snapshot(small.dataset_path)
    monkeypatch.setattr(build_module, "UNION_COPY_MAX_TRIPLES", 0)
    (project.root / "data" / "zz.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/veikart/id/mal/1> skos:altLabel "Test"@nb .\n', encoding="utf-8")
    large = build(project).snapshot
    assert not (large.path / "default.nt").exists()
    without_copy = KnowledgeGraph.from_snapshot(large.dataset_path)
    assert with_copy.union_default and not without_copy.union_default
    # distinct: over a list of graphs pyoxigraph counts a triple once per graph holding it,
    # while the union copy (an RDF merge) holds it once
    query = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    counts = [int(next(iter(g.run(query)))["n"].value) for g in (with_copy, without_copy)]
    assert counts[1] == counts[0] + 1


def test_validation_leaves_the_shapes_graph_as_it_was_read():
    """Regression: pySHACL added two RDFS/OWL axioms to the shapes graph it validated with, and
    the build then published them in the shapes graph, two triples more than its manifest said
    (found by the publish test, which compares a store's counts with the manifest)."""
    from datetime import date
    from pathlib import Path

    from veikart_graph.build import validate_sources
    from veikart_graph.metadata import describe_dataset
    from veikart_graph.sources import load_sources

    sources = load_sources(Path(__file__).resolve().parents[1])
    before = set(sources.shapes)
    validate_sources(sources, describe_dataset(sources.data, {}, date(2026, 12, 4)))
    assert set(sources.shapes) == before
