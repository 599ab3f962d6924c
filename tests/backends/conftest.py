"""Fixtures for the backend tests: real stores with the session snapshot published into them.

``engine`` is parametrised over the remote engines (``REMOTE``): Oxigraph always (the
``oxigraph`` PyPI package, from the test extra), Virtuoso open source when Debian's
``virtuoso-opensource`` is installed (skipped otherwise, with the reason). A store given in
``VEIKART_TEST_OXIGRAPH_URL`` / ``VEIKART_TEST_VIRTUOSO_URL`` (``.ci/run`` starts Oxigraph) is
used as it is; else the fixture starts its own on a free loopback port.

Inside ``tests/backends`` the shared fixtures ``graph``, ``app`` and ``client`` are the remote
ones, so the suites re-run here (``test_suite_*.py``) are the very tests the embedded backend
passes in ``tests/web`` and ``tests/``; ``embedded_app`` gives the embedded app for comparisons.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from veikart_graph.publish import Publisher
from veikart_graph.remote import Endpoints, RemoteGraph
from veikart_graph.settings import Settings
from veikart_graph.snapshot import Snapshot
from veikart_graph.store import KnowledgeGraph

from .stores import Server, oxigraph_server, virtuoso_available, virtuoso_server

REMOTE = ("oxigraph", "virtuoso")
BACKENDS = ("embedded", *REMOTE)


def _store(env: str, start: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get(env):
        yield os.environ[env]
        return
    server: Server = start(tmp_path_factory.mktemp(env.lower()))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of an Oxigraph server (``oxigraph serve``)."""
    yield from _store("VEIKART_TEST_OXIGRAPH_URL", oxigraph_server, tmp_path_factory)


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of a Virtuoso server (``virtuoso-t``), or skip when it is not installed."""
    if not os.environ.get("VEIKART_TEST_VIRTUOSO_URL") and not virtuoso_available():
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    yield from _store("VEIKART_TEST_VIRTUOSO_URL", virtuoso_server, tmp_path_factory)


@pytest.fixture(scope="session", params=REMOTE)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def publish(snapshot: Snapshot) -> Callable[[str], str]:
    """Publish the session snapshot into a store (once per store); gives back its URL."""
    done: set[str] = set()

    def run(url: str) -> str:
        if url not in done:
            Publisher(Endpoints.from_url(url)).publish(snapshot)
            done.add(url)
        return url

    return run


@pytest.fixture(scope="session")
def published_url(engine: str, request: pytest.FixtureRequest, publish: Callable[[str], str]) -> str:
    """The store of ``engine`` holding the session snapshot (``veikart-graph publish``)."""
    return publish(request.getfixturevalue(f"{engine}_url"))


def remote_graph(url: str, snapshot: Snapshot, timeout: float = 10.0) -> RemoteGraph:
    return RemoteGraph(url, snapshot.manifest.hash, timeout=timeout, graphs=snapshot.manifest.triples_by_graph)


def remote_app(settings: Settings, url: str, snapshot: Snapshot, graph: RemoteGraph | None = None):
    from veikart_graph.web import create_app

    application = create_app(settings.updated(store=url), graph=graph or remote_graph(url, snapshot),
                             snapshot=snapshot)
    application.config.update(TESTING=True)
    return application


@pytest.fixture(scope="session")
def graph(published_url: str, snapshot: Snapshot) -> RemoteGraph:
    """The session snapshot read through the store (overrides the embedded ``graph``)."""
    return remote_graph(published_url, snapshot)


@pytest.fixture(scope="session")
def app(settings: Settings, graph: RemoteGraph, snapshot: Snapshot, published_url: str) -> Iterator[object]:
    """The app with ``store`` set to the store's URL (overrides the embedded ``app``)."""
    application = remote_app(settings, published_url, snapshot, graph)
    yield application
    application.extensions["veikart"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def embedded_app(settings: Settings, snapshot: Snapshot) -> Iterator[object]:
    """The embedded app on the same snapshot, to compare answers with."""
    from veikart_graph.web import create_app

    embedded = KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)
    application = create_app(settings, graph=embedded, snapshot=snapshot)
    application.config.update(TESTING=True)
    yield application
    application.extensions["veikart"].close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend_client(request: pytest.FixtureRequest, embedded_app) -> object:
    """A test client of the app on each backend: embedded, Oxigraph, Virtuoso."""
    if request.param == "embedded":
        return embedded_app.test_client()
    settings, snapshot = request.getfixturevalue("settings"), request.getfixturevalue("snapshot")
    url = request.getfixturevalue("publish")(request.getfixturevalue(f"{request.param}_url"))
    return remote_app(settings, url, snapshot).test_client()


# Tests of the re-run suites that do not apply to a remote store, or that an engine fails for a
# reason of its own (strict xfail: the mark must go when the engine gets it right).
EMBEDDED_ONLY = {
    "test_a_page_costs_three_queries_whatever_its_size":
        "counts calls of KnowledgeGraph.run; test_remote.py counts the store's requests instead",
}
ENGINE_GAPS = {  # (engine, test) → (reason, strict)
    ("virtuoso", "test_entity_page_is_fast"):
        ("Virtuoso answers a page's lookups in ~80 ms (median), near or over the 50 ms budget", False),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/backends/test_suite_" not in item.nodeid:
            continue
        name = item.originalname if isinstance(item, pytest.Function) else item.name
        engine = item.callspec.params.get("engine") if hasattr(item, "callspec") else None
        if name in EMBEDDED_ONLY:
            item.add_marker(pytest.mark.skip(reason=EMBEDDED_ONLY[name]))
        elif (engine, name) in ENGINE_GAPS:
            reason, strict = ENGINE_GAPS[(engine, name)]
            item.add_marker(pytest.mark.xfail(reason=reason, strict=strict))
