"""Values computed once per graph and process: a snapshot never changes, so lookups read from
it (labels, the release index …) are built on first use and kept while the graph lives."""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

G = TypeVar("G")
T = TypeVar("T")


def per_graph(build: Callable[[G], T]) -> Callable[[G], T]:
    """Decorate ``build(graph)`` so it runs once per graph (thread-safe, no strong reference)."""
    cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    lock = threading.Lock()

    @functools.wraps(build)
    def get(graph: G) -> T:
        with lock:
            if graph not in cache:
                cache[graph] = build(graph)
            return cache[graph]

    return get
