"""Admission of SPARQL queries in a worker: one client cannot starve everyone (issue 16, finding 6).

A worker has ``threads`` request threads and ``query_slots`` query processes. Without a gate, slow
queries queue for a slot while holding threads, until no thread is left for pages or ``/healthz``.
The gate admits at most ``query_slots`` queries at once (so an admitted query always finds a
slot), never more than ``threads - RESERVED_THREADS``, and at most ``client_queries`` from one
client address; anything over a limit is refused at once with 503 and ``Retry-After`` instead of
waiting. At least ``RESERVED_THREADS`` threads are thus always left for pages and health checks.

The client address is the TCP peer, or with ``proxy_hops`` > 0 the address that many trusted
proxies put in ``X-Forwarded-For`` (werkzeug's ProxyFix, set up in ``create_app``). The limits are
per worker process; a reverse proxy bounds a client across workers and hosts (docs/deploy.md).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import Overloaded
from ..settings import Settings

RETRY_AFTER = 2  # seconds
RESERVED_THREADS = 2  # request threads a worker keeps for pages and /healthz


def gate_for(settings: Settings) -> Gate:
    """The gate for one worker with these settings."""
    total = max(1, min(settings.query_slots, settings.threads - RESERVED_THREADS))
    return Gate(total, max(1, settings.client_queries))


class Gate:
    """Counts queries running in this worker, in all and per client address."""

    def __init__(self, total: int, per_client: int) -> None:
        self.total = total
        self.per_client = per_client
        self._lock = threading.Lock()
        self._running = 0
        self._by_client: Counter[str] = Counter()

    @contextmanager
    def admit(self, client: str) -> Iterator[None]:
        """Hold a place while the query runs; ``Overloaded`` (503) at once when there is none."""
        with self._lock:
            if self._by_client[client] >= self.per_client:
                raise Overloaded(
                    f"{self.per_client} queries from your address are already running here; wait for "
                    "one to finish and retry", retry_after=RETRY_AFTER)
            if self._running >= self.total:
                raise Overloaded("this server is answering as many queries as it takes at once; retry in a moment",
                                 retry_after=RETRY_AFTER)
            self._running += 1
            self._by_client[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._by_client[client] -= 1
                if not self._by_client[client]:
                    del self._by_client[client]
