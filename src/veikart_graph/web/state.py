"""The app's shared state in ``app.extensions["veikart"]`` (the flaskr ``db.py`` role)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app

from ..executor import PoolConfig, QueryPool
from ..settings import Settings
from ..snapshot import Snapshot
from ..store import KnowledgeGraph

KEY = "veikart"
# SPARQL custom functions (vk:textScore, vk:matches) evaluated in the query processes.
SEARCH_FUNCTIONS = "veikart_graph.search.sparql:sparql_functions"


@dataclass
class State:
    settings: Settings
    graph: KnowledgeGraph
    snapshot: Snapshot | None = None
    _pool: QueryPool | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pool(self) -> QueryPool:
        """The query process pool, started on first use (so tests and pages pay nothing)."""
        with self._lock:
            if self._pool is None:
                if self.snapshot is None:
                    raise RuntimeError("the SPARQL pool needs a snapshot on disk")
                s = self.settings
                self._pool = QueryPool(PoolConfig(
                    dataset_path=self.snapshot.dataset_path, size=s.query_slots,
                    timeout=s.query_timeout, max_rows=s.max_rows, memory_mb=s.query_memory_mb,
                    queue_wait=s.queue_wait, functions=s.extra.get("sparql_functions", SEARCH_FUNCTIONS),
                ))
            return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def get_state() -> State:
    return current_app.extensions[KEY]


def get_graph() -> KnowledgeGraph:
    return get_state().graph
