"""``/sparql`` on a remote store: the query goes to the store, our limits stay ours.

``RemotePool`` has the ``execute(QueryRequest) -> QueryResponse`` of ``executor.QueryPool``, so
``web/sparql.py`` does not know which backend answers. The guards (size, nesting, read-only,
SERVICE allow-list) have run before ``execute``; here the time limit is the HTTP timeout, the
row cap and content negotiation are applied to the parsed answer (the store is always asked for
SPARQL JSON or N-Triples and the answer is re-serialized by ``formats``), and concurrent queries
per process are capped by ``slots`` as in the embedded pool.

Queries that call the search functions ``vk:textScore``/``vk:matches`` (``search.sparql``)
need the search index, which lives with the app server, not in the store: they run in the
embedded query processes on the local snapshot (the same release as the store's, checked).

A top-level ``ORDER BY`` is sorted here, as in the embedded engine (``sorting``): the store gets
the query without it (and without ``LIMIT``/``OFFSET``), so every store answers in the same,
total order, and an Oxigraph store is not asked to run a sort that mis-orders mixed columns
(docs/oxigraph-sort-panic.md).

A store may keep computing a query after we gave up on it (Oxigraph 0.5 cannot stop a running
query): the store needs its own limits, see docs/deploy.md.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from . import sorting
from .errors import Overloaded, QueryError, QueryTimeout
from .executor import QueryRequest, QueryResponse, answer_limit
from .formats import negotiate, offers, result_kind, serialize
from .remote import RemoteGraph, StoreTimeout, parse_answer

SPEC_FAILURE = "https://www.w3.org/TR/sparql11-protocol/#query-failure"
PARTIAL_STATES = {"S1TAT"}  # Virtuoso's "anytime query": a partial answer cut at its time limit
# Local names of the SPARQL functions of ``search.sparql``; a false positive only means the query
# runs on the local snapshot, which holds the same release.
LOCAL_FUNCTIONS = re.compile(r"\b(textScore|matches)\b")


def needs_local_engine(text: str) -> bool:
    return LOCAL_FUNCTIONS.search(text) is not None


class RemotePool:
    """Forward untrusted queries to the store: at most ``slots`` at once, each ``timeout`` s."""

    def __init__(self, graph: RemoteGraph, *, slots: int = 2, timeout: float = 10.0,
                 max_rows: int = 10000, max_bytes: int = 32 * 1024 * 1024, queue_wait: float = 2.0,
                 local: Callable[[], object] | None = None) -> None:
        self.graph = graph
        self.local = local
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.queue_wait = queue_wait
        self._slots = threading.BoundedSemaphore(slots)
        self.timeouts = 0

    def execute(self, request: QueryRequest) -> QueryResponse:
        self.graph.check_release()
        if self.local is not None and needs_local_engine(request.text):
            return self.local().execute(request)
        if not self._slots.acquire(timeout=self.queue_wait):
            raise Overloaded("all query slots are busy; retry in a moment",
                             retry_after=max(1, round(self.queue_wait)))
        try:
            return self._run(request)
        finally:
            self._slots.release()

    def _run(self, request: QueryRequest) -> QueryResponse:
        started = time.perf_counter()
        result = sorting.evaluate(request.text, lambda text: self._ask_store(text, request), self.max_rows,
                                  rewrite_errors=(QueryError,))
        kind = result_kind(result)
        media = negotiate(request.accept, offers(kind), request.format)
        body = serialize(result, media, self.max_rows, answer_limit(request, self.max_bytes))
        return QueryResponse(body, media.media_type, kind, time.perf_counter() - started)

    def _ask_store(self, text: str, request: QueryRequest) -> object:
        try:
            answer = self.graph.send(text, request.default_graphs or None,
                                     request.named_graphs or None, timeout=self.timeout)
        except StoreTimeout:
            self.timeouts += 1
            raise self._timeout() from None
        if answer.headers.get("x-sql-state") in PARTIAL_STATES:
            self.timeouts += 1
            raise self._timeout()
        return parse_answer(answer)

    def _timeout(self) -> QueryTimeout:
        return QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped; "
                            "no partial result is returned", link=SPEC_FAILURE)

    def close(self) -> None:
        """Nothing to stop: connections belong to the graph's client."""
