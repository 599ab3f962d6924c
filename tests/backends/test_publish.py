"""``veikart-graph publish``: the snapshot goes into a real Oxigraph server with the Graph Store
Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/ sections 5.3 PUT, 5.5 POST) and one
SPARQL Update request (https://www.w3.org/TR/sparql11-update/ section 3.2.5 MOVE); a publish
that fails leaves the previous release as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from veikart_graph.publish import Publisher, PublishError
from veikart_graph.remote import RELEASE_GRAPH, Endpoints, RemoteGraph
from veikart_graph.snapshot import DATASET_FILE, Snapshot, content_hash

from .faults import FaultyProxy
from .stores import oxigraph_server, running

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DROPPED = "https://w3id.org/veikart/graph/inferred"


@pytest.fixture
def store(tmp_path: Path):
    """A fresh, empty Oxigraph server of its own."""
    with running(oxigraph_server(tmp_path / "oxigraph")) as server:
        yield server


def all_graphs(query_url: str) -> dict[str, int]:
    """Triples per named graph of the whole store (no dataset parameters: every graph)."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(query_url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        rows = json.load(response)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def content(query_url: str) -> dict[str, int]:
    return {g: n for g, n in all_graphs(query_url).items() if g != RELEASE_GRAPH}


def other_snapshot(snapshot: Snapshot, folder: Path) -> Snapshot:
    """The session snapshot without its inferred graph: another release, with another hash."""
    folder.mkdir()
    lines = [line for line in snapshot.dataset_path.read_bytes().splitlines(keepends=True)
             if f"<{DROPPED}> .".encode() not in line]
    (folder / DATASET_FILE).write_bytes(b"".join(lines))
    counts = {g: n for g, n in snapshot.manifest.triples_by_graph.items() if g != DROPPED}
    manifest = replace(snapshot.manifest, hash=content_hash(b"".join(lines)), triples_by_graph=counts)
    return Snapshot(folder, manifest)


def test_publish_loads_every_named_graph_and_verifies_the_counts(store, snapshot):
    result = Publisher(Endpoints.from_url(store.url)).publish(snapshot)
    assert result.counts == snapshot.manifest.triples_by_graph
    assert content(store.url) == snapshot.manifest.triples_by_graph  # no staging graph is left
    assert RemoteGraph(store.url).release() == snapshot.manifest.hash


def test_a_new_release_replaces_the_graphs_and_drops_the_ones_it_lacks(store, snapshot, tmp_path):
    Publisher(Endpoints.from_url(store.url)).publish(snapshot)
    newer = other_snapshot(snapshot, tmp_path / "newer")
    result = Publisher(Endpoints.from_url(store.url)).publish(newer)
    assert result.previous == snapshot.manifest.hash
    assert content(store.url) == newer.manifest.triples_by_graph
    assert DROPPED not in content(store.url)
    assert RemoteGraph(store.url).release() == newer.manifest.hash


@pytest.mark.parametrize(("what", "rule"), [
    ("the third upload", lambda method, path, n: path == "/store" and n == 2),
    ("the swap", lambda method, path, n: path == "/update" and n == 0),
])
def test_a_failed_publish_leaves_the_previous_release_intact(store, snapshot, tmp_path, what, rule):
    Publisher(Endpoints.from_url(store.url)).publish(snapshot)
    newer = other_snapshot(snapshot, tmp_path / "newer")
    with FaultyProxy(store.url, rule) as proxy:
        with pytest.raises(PublishError) as failure:
            Publisher(Endpoints.from_url(proxy.origin)).publish(newer)
    assert proxy.failed, what
    assert "unchanged" in failure.value.message
    assert snapshot.manifest.short_hash in failure.value.message
    assert content(store.url) == snapshot.manifest.triples_by_graph
    assert RemoteGraph(store.url).release() == snapshot.manifest.hash


def publish_command(settings, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "VEIKART_ROOT": str(ROOT), "VEIKART_BUILD_DIR": str(settings.snapshot_root)}
    return subprocess.run([sys.executable, "-m", "veikart_graph", "publish", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_command_publishes_and_prints_the_counts(store, settings, snapshot):
    done = publish_command(settings, "--store", store.url)
    assert done.returncode == 0, done.stderr
    assert f"published snapshot {snapshot.manifest.short_hash}" in done.stdout
    assert "https://w3id.org/veikart/graph/data" in done.stdout
    assert content(store.url) == snapshot.manifest.triples_by_graph


def test_command_says_why_when_the_store_cannot_be_reached(settings, snapshot):
    from .stores import free_port

    done = publish_command(settings, "--store", f"http://127.0.0.1:{free_port()}/query")
    assert done.returncode == 2
    assert "cannot be reached" in done.stderr
