#!/usr/bin/env python3
"""Where the time of one small SPARQL request goes, layer by layer, in one process (no network).

For each query of the entity mix, the median of ``--runs`` calls of: the engine alone
(``KnowledgeGraph.run``), the query guard (``check_query``), the query pool (``QueryPool.execute``:
pipe to a query process, evaluate, serialize, pipe back), and the whole Flask request through the
test client; plus ``/healthz`` as the cost of Flask itself. Explains the gap to ``oxigraph serve``
on trivial lookups.

Example:
    python3 bench/overhead_bench.py 10k --runs 400
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from common import WORK, machine, size_root, table
from query_mix import ENTITY_QUERIES, full_text


def median_ms(call: Callable[[], object], runs: int) -> float:
    for _ in range(20):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def layers(root: Path, runs: int) -> list[list]:
    from veikart_graph.executor import QueryRequest
    from veikart_graph.guard import check_query
    from veikart_graph.settings import Settings
    from veikart_graph.snapshot import current_snapshot
    from veikart_graph.store import KnowledgeGraph
    from veikart_graph.web import create_app

    settings = Settings(root=root)
    snapshot = current_snapshot(settings.snapshot_root)
    graph = KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)
    app = create_app(settings, graph=graph, snapshot=snapshot)
    client, state = app.test_client(), app.extensions["veikart"]
    rows = []
    try:
        for query in ENTITY_QUERIES:
            text = full_text(query)
            url = "/sparql?" + urllib.parse.urlencode({"query": text})
            rows.append([query.key,
                         median_ms(lambda t=text: list(graph.run(t)), runs),
                         median_ms(lambda t=text: check_query(t, max_bytes=65536, allowlist=()), runs),
                         median_ms(lambda t=text, q=query: state.pool().execute(QueryRequest(t, q.accept)), runs),
                         median_ms(lambda u=url, q=query: client.get(u, headers={"Accept": q.accept}), runs),
                         median_ms(lambda: client.get("/healthz"), runs)])
    finally:
        state.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", default="10k")
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--work", type=Path, default=WORK)
    args = parser.parse_args(argv)
    rows = layers(size_root(args.size, args.work), args.runs)
    print(f"Per-request layers, median ms — {args.size}, {machine()}\n")
    print(table(["query", "engine", "guard", "query pool (IPC + serialize)", "Flask request", "/healthz"], rows))
    print("\nsummary: " + "; ".join(f"{r[0]} engine {r[1]:.3f} ms of {r[4]:.3f} ms per Flask request" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
