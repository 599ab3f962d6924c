"""The index file (issue 5: "built at build time from the graph … stored beside the snapshot
(search.sqlite) … rebuilt whenever the graph changes … never hand-maintained"; "open the
SQLite file read-only per process")."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from veikart_graph.search import INDEX_FILE
from veikart_graph.search.facets import SearchRequest
from veikart_graph.search.index import ensure_index
from veikart_graph.search.query import SearchIndex
from veikart_graph.snapshot import DATASET_FILE, MANIFEST_FILE

PAGE_ENTITIES = """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
  GRAPH ?g { ?e a ?c } FILTER(?g IN (vkg:data, vkg:ontology, vkg:metadata))
  FILTER(isIRI(?e) && STRSTARTS(STR(?e), STR(vkid:)) && !CONTAINS(STR(?e), "#"))
}"""


def test_the_build_writes_the_index_into_the_snapshot(snapshot) -> None:
    path = snapshot.path / INDEX_FILE
    assert path.is_file()
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta"))["snapshot"] == snapshot.manifest.hash


def test_one_document_per_entity_with_a_page(index: SearchIndex, graph) -> None:
    assert len(index.docs) == int(graph.select(PAGE_ENTITIES)[0]["n"].value)
    assert all(d.iri.startswith("https://w3id.org/veikart/id/") and "#" not in d.iri for d in index.docs.values())


def test_statement_nodes_are_searched_with_their_entity(top) -> None:
    """"trial PLL in Bergen" is a sub-project node (…#delprosjekt-4) of the PLL programme."""
    assert "tiltak/program-pasientens-legemiddelliste" in top("Bergen", 10)


def test_identifiers_and_owner_names_are_searchable(top) -> None:
    assert "aktivitet/vkp-datadeling" in top("vkp datadeling")
    assert "aktivitet/velferdsteknologi-dho" in top("velferdsteknologi helsedirektoratet")


def test_the_file_is_opened_read_only(index: SearchIndex) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        index.connection().execute("DELETE FROM docs")


def test_an_older_snapshot_gets_its_index_once(snapshot, tmp_path: Path) -> None:
    """A snapshot built before search existed: the index is written on first use, atomically."""
    for name in (DATASET_FILE, MANIFEST_FILE):
        shutil.copy(snapshot.path / name, tmp_path / name)
    path = ensure_index(tmp_path)
    assert path == tmp_path / INDEX_FILE
    modified = path.stat().st_mtime_ns
    assert ensure_index(tmp_path).stat().st_mtime_ns == modified
    assert SearchIndex(path).search(SearchRequest(q="PLL")).total > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
