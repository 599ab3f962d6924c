"""The app's shared state in ``app.extensions["veikart"]`` (the flaskr ``db.py`` role).

The ``store`` setting picks the backend: ``embedded`` reads the snapshot in-process
(``KnowledgeGraph``, untrusted queries in killable child processes); a URL reads a SPARQL 1.1
store over HTTP (``RemoteGraph``, untrusted queries forwarded by ``RemotePool``). The local
snapshot is needed either way: the search index, the manifest and the release hash come from it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app

from ..executor import PoolConfig, QueryPool
from ..forward import RemotePool
from ..remote import RemoteGraph, is_remote
from ..settings import Settings
from ..snapshot import Snapshot
from ..store import GraphReader, KnowledgeGraph
from .admission import Gate, gate_for

KEY = "veikart"
MIB = 1024 * 1024
# SPARQL custom functions (vk:textScore, vk:matches) evaluated in the query processes.
SEARCH_FUNCTIONS = "veikart_graph.search.sparql:sparql_functions"


@dataclass
class State:
    settings: Settings
    graph: GraphReader
    snapshot: Snapshot | None = None
    _pool: QueryPool | RemotePool | None = None
    _local: QueryPool | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    gate: Gate = field(init=False, repr=False)  # admission of SPARQL queries (web/admission.py)

    def __post_init__(self) -> None:
        self.gate = gate_for(self.settings)

    @property
    def remote(self) -> bool:
        return isinstance(self.graph, RemoteGraph)

    def pool(self) -> QueryPool | RemotePool:
        """The query pool, started on first use (so tests and pages pay nothing): processes on the
        snapshot when embedded, forwarding to the store when remote."""
        with self._lock:
            if self._pool is None and isinstance(self.graph, RemoteGraph):
                s = self.settings
                self._pool = RemotePool(self.graph, slots=s.query_slots, timeout=s.query_timeout,
                                        max_rows=s.max_rows, max_bytes=s.max_result_mb * MIB,
                                        queue_wait=s.queue_wait, local=self.local_pool)
            elif self._pool is None:
                self._pool = self._new_local_pool()
            return self._pool

    def local_pool(self) -> QueryPool:
        """Remote only: processes on the local snapshot, for queries the store cannot answer."""
        with self._lock:
            if self._local is None:
                self._local = self._new_local_pool()
            return self._local

    def _new_local_pool(self) -> QueryPool:
        if self.snapshot is None:
            raise RuntimeError("the SPARQL pool needs a snapshot on disk")
        s = self.settings
        return QueryPool(PoolConfig(
            dataset_path=self.snapshot.dataset_path, size=s.query_slots,
            timeout=s.query_timeout, max_rows=s.max_rows, max_bytes=s.max_result_mb * MIB,
            memory_mb=s.query_process_mb,
            queue_wait=s.queue_wait, functions=s.extra.get("sparql_functions", SEARCH_FUNCTIONS),
            network=bool(s.service_endpoints),
        ))

    def query_network(self) -> str | None:
        """What the local query processes' network is (``sandbox``), once they have started."""
        pool = self._local or (self._pool if isinstance(self._pool, QueryPool) else None)
        return pool.network if pool is not None else None

    def close(self) -> None:
        for pool in (self._pool, self._local):
            if pool is not None:
                pool.close()
        self._pool = self._local = None

    def check(self) -> None:
        """Remote only: 503 while the store is down or holds another release than ours."""
        if isinstance(self.graph, RemoteGraph):
            self.graph.check_release()


def open_graph(settings: Settings, snapshot: Snapshot) -> GraphReader:
    """The reader ``settings.store`` names, for ``snapshot`` (whose hash a store must hold)."""
    if is_remote(settings.store):
        return RemoteGraph(settings.store.strip(), snapshot.manifest.hash, timeout=settings.query_timeout,
                           graphs=snapshot.manifest.triples_by_graph)
    return KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)


def get_state() -> State:
    return current_app.extensions[KEY]


def get_graph() -> GraphReader:
    """The request's reader; on a remote store, checked to hold this server's release first."""
    state = get_state()
    state.check()
    return state.graph
