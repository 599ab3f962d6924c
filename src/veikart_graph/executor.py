"""Evaluating user queries in processes that can be stopped.

Neither engine can be interrupted from Python (pyoxigraph has no timeout; rdflib cannot be
stopped inside a query), so each untrusted SPARQL query runs in a child process of a small
pool. The parent waits at most ``timeout`` seconds; then it kills the child (all its memory
goes back to the system), starts a fresh one in the background and reports ``QueryTimeout``.
Children run under an address-space limit, so a query that blows up memory dies alone; a
query that crashes the engine (e.g. a stack overflow) kills only its child.

Children are started with the ``spawn`` method (no fork of a threaded server process) and load
the snapshot themselves.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from . import errors
from .errors import Overloaded, QueryTimeout, VeikartError

if TYPE_CHECKING:
    from .store import KnowledgeGraph

log = logging.getLogger(__name__)
CONTEXT = mp.get_context("spawn")


@dataclass(frozen=True)
class QueryRequest:
    text: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_bytes: int | None = None  # a smaller answer limit than the pool's (the HTML query page)


@dataclass(frozen=True)
class QueryResponse:
    body: bytes
    media_type: str
    kind: str
    elapsed: float = 0.0


@dataclass(frozen=True)
class PoolConfig:
    dataset_path: Path
    size: int = 2
    timeout: float = 10.0
    max_rows: int = 10000
    max_bytes: int = 32 * 1024 * 1024
    memory_mb: int = 2048
    queue_wait: float = 2.0
    functions: str = ""  # "module:factory" giving SPARQL custom functions in the child
    network: bool = False  # may the engine reach the network (only when federation is on)
    extra: dict = field(default_factory=dict)


SERVICE_FAILED = "a SERVICE endpoint could not be queried (its answer is not shown here)"
FEDERATION = "https://www.w3.org/TR/sparql11-federated-query/#serviceFailure"


class QueryAborted(VeikartError):
    """The engine process died while evaluating (memory limit or too deep a query)."""

    status = 422


def _child(conn: Connection, config: PoolConfig) -> None:
    """Child process: load the snapshot, then answer requests until the pipe closes."""
    import resource

    from .sandbox import isolate_network
    from .store import KnowledgeGraph

    network = "allowed (federation is on)" if config.network else isolate_network()

    graph = KnowledgeGraph.from_snapshot(config.dataset_path)
    functions = _load_functions(config)
    limit = config.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(("ready", network))
    while True:
        try:
            request: QueryRequest = conn.recv()
        except EOFError:
            return
        conn.send(_answer_in_thread(lambda r=request: _answer(graph, r, functions, config)))


def _answer_in_thread(answer: Callable[[], tuple]) -> tuple:
    """Run ``answer`` in a thread of its own; after ``HEAVY_AFTER`` s give that thread the lowest
    CPU priority, so short queries and pages (in the worker processes) keep getting the CPU while
    it runs to its time limit. A thread may always lower its own priority; the next query runs in
    a new thread at the normal one, so nothing needs raising again (which takes privileges: the
    old way reniced the process and had to replace it after every slow query when not root)."""
    box: list[tuple] = []
    thread = threading.Thread(target=lambda: box.append(answer()), daemon=True)
    thread.start()
    thread.join(HEAVY_AFTER)
    if thread.is_alive() and thread.native_id is not None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, thread.native_id, 19)
    thread.join()
    return box[0] if box else ("error", "QueryAborted", "the query could not be evaluated", None, None)


def _answer(graph: KnowledgeGraph, request: QueryRequest, functions: dict | None, config: PoolConfig) -> tuple:
    """The message for one request: ``("ok", body, media type, kind, seconds)`` or an error."""
    from .formats import negotiate, offers, result_kind, serialize

    start = time.perf_counter()
    try:
        result = graph.run(request.text, default_graphs=request.default_graphs or None,
                           named_graphs=request.named_graphs or None,
                           custom_functions=functions, max_rows=config.max_rows)
        kind = result_kind(result)
        media = negotiate(request.accept, offers(kind), request.format)
        body = serialize(result, media, config.max_rows, answer_limit(request, config.max_bytes))
        return ("ok", body, media.media_type, kind, time.perf_counter() - start)
    except VeikartError as exc:
        return ("error", type(exc).__name__, exc.message, exc.where, exc.link)
    except MemoryError:
        return ("error", "QueryAborted", "the query needed more memory than allowed", None, None)
    except OSError as exc:  # a SERVICE call failed: what the remote said is not passed on
        if _calls_service(request.text):
            return ("error", "QueryError", SERVICE_FAILED, None, FEDERATION)
        return ("error", "QueryError", f"the query failed: {exc}", None, None)
    except (ValueError, RuntimeError) as exc:
        return ("error", "QueryError", f"the query failed: {exc}", None, None)


def _calls_service(text: str) -> bool:
    from .guard import service_endpoints

    try:
        return bool(service_endpoints(text))
    except VeikartError:
        return True  # cannot tell: say nothing of what failed


def answer_limit(request: QueryRequest, max_bytes: int) -> int:
    """The byte limit of this request's answer: the service's, or the request's if smaller."""
    return min(max_bytes, request.max_bytes) if request.max_bytes else max_bytes


def _load_functions(config: PoolConfig) -> dict | None:
    if not config.functions:
        return None
    module, _, name = config.functions.partition(":")
    factory = getattr(importlib.import_module(module), name)
    return factory(config.dataset_path.parent)


class _Slot:
    def __init__(self, config: PoolConfig) -> None:
        self.parent, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(target=_child, args=(child, config), daemon=True)
        self.process.start()
        child.close()
        self.network = ""

    def wait_ready(self, timeout: float) -> bool:
        if self.parent.poll(timeout):
            try:
                message = self.parent.recv()
            except EOFError:
                return False
            if message[0] == "ready":
                self.network = message[1]
                return True
        return False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.parent.close()


HEAVY_AFTER = 1.0  # seconds; a query running longer gets the lowest CPU priority (in its process)


class QueryPool:
    """A fixed number of child processes; one query at a time each."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._idle: queue.Queue[_Slot] = queue.Queue()
        self._closed = False
        self.timeouts = 0
        self.crashes = 0
        self.network = ""  # what the query processes' network is: "isolated", "allowed …", "not …"
        starting = [_Slot(config) for _ in range(config.size)]  # start in parallel
        for slot in starting:
            if slot.wait_ready(timeout=300):
                self._note_network(slot.network)
                self._idle.put(slot)
            else:
                log.error("query process failed to start")
                slot.kill()

    def _note_network(self, network: str) -> None:
        if network.startswith("not ") and self.network != network:
            log.warning("query processes keep the network although federation is off: %s", network)
        self.network = network

    def _spawn(self, background: bool = True) -> None:
        def start() -> None:
            slot = _Slot(self.config)
            if slot.wait_ready(timeout=300):
                self._note_network(slot.network)
                if self._closed:
                    slot.kill()
                else:
                    self._idle.put(slot)
            else:
                log.error("query process failed to start")
                slot.kill()

        if background:
            threading.Thread(target=start, daemon=True).start()
        else:
            start()

    def execute(self, request: QueryRequest) -> QueryResponse:
        try:
            slot = self._idle.get(timeout=self.config.queue_wait)
        except queue.Empty:
            raise Overloaded(
                "all query slots are busy; retry in a moment",
                retry_after=max(1, round(self.config.queue_wait)),
            ) from None
        return self._run(slot, request)

    def _run(self, slot: _Slot, request: QueryRequest) -> QueryResponse:
        try:
            slot.parent.send(request)
            if not slot.parent.poll(self.config.timeout):
                self.timeouts += 1
                self._replace(slot)
                raise QueryTimeout(
                    f"the query ran longer than {self.config.timeout:g} s and was stopped; "
                    "no partial result is returned",
                    link="https://www.w3.org/TR/sparql11-protocol/#query-failure",
                )
            message = slot.parent.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.crashes += 1
            self._replace(slot)
            raise QueryAborted(
                "the query engine process stopped while evaluating this query (memory limit "
                f"of {self.config.memory_mb} MiB or a query too complex to evaluate)"
            ) from None
        self._idle.put(slot)
        return _response(message)

    def _replace(self, slot: _Slot) -> None:
        slot.kill()
        if not self._closed:
            self._spawn()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


def _response(message: tuple) -> QueryResponse:
    if message[0] == "ok":
        _, body, media_type, kind, elapsed = message
        return QueryResponse(body, media_type, kind, elapsed)
    _, name, text, where, link = message
    cls = getattr(errors, name, None) or (QueryAborted if name == "QueryAborted" else None)
    if cls is None or not issubclass(cls, VeikartError):
        cls = errors.QueryError
    error = cls.__new__(cls)
    VeikartError.__init__(error, text, link=link, where=where)
    raise error
