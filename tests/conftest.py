"""Shared fixtures: the real repository's snapshot, its graph, the Flask app and clients.

The snapshot is built once per test session into a temporary build folder (never the
developer's ``build/``), from the real ontology/, shapes/ and data/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from veikart_graph.build import build
from veikart_graph.settings import Settings
from veikart_graph.snapshot import Snapshot
from veikart_graph.store import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tests" / "reference" / "veikart-facts.yaml"  # see tests/reference/README.md


@pytest.fixture(scope="session")
def g() -> Graph:
    """The Turtle in data/, parsed with rdflib as written (no build, no inference)."""
    graph = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the real repository, writing snapshots to a temporary folder."""
    return Settings(root=ROOT, build_dir=tmp_path_factory.mktemp("build"), query_timeout=3.0,
                    query_slots=2, queue_wait=5.0)


@pytest.fixture(scope="session")
def snapshot(settings: Settings) -> Snapshot:
    """A snapshot built from the real sources."""
    return build(settings).snapshot


@pytest.fixture(scope="session")
def graph(snapshot: Snapshot) -> KnowledgeGraph:
    """The real knowledge graph, loaded in pyoxigraph."""
    return KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)


@pytest.fixture(scope="session")
def app(settings: Settings, graph: KnowledgeGraph, snapshot: Snapshot) -> Iterator[object]:
    """The Flask app on the real graph (one per session: its query pool is shared)."""
    from veikart_graph.web import create_app

    application = create_app(settings, graph=graph, snapshot=snapshot)
    application.config.update(TESTING=True)
    yield application
    application.extensions["veikart"].close()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()
