#!/usr/bin/env python3
"""Sort benchmark: what the service's own sort of a top-level ORDER BY (``veikart_graph.sorting``)
costs against the engine's sort, where the engine's sort works (columns ``<`` orders totally).

In one process per size, on the snapshot's store (``KnowledgeGraph``): each query of the mix
timed (median of ``--runs`` runs after one warm-up) as the engine evaluates it
(``Store.query``, engine sort) and as the service does (``KnowledgeGraph.run``: without ORDER BY,
sorted in Python). Both must give the same order of sort keys; a query whose column the engine
cannot sort (the mixed ``?o`` column) is timed on the service only.

``real`` is the repository's own data (built into a temporary folder); other sizes read
``bench/work/<size>/build/current`` (``bench/generate.py`` then ``bench/build_bench.py``).

Example:
    python3 bench/sort_bench.py real 100k --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, WORK, fmt, git_commit, machine, progress, save_json, size_root, table

sys.path.insert(0, str(REPO / "src"))

from veikart_graph.ordering import term_key  # noqa: E402
from veikart_graph.store import PROLOGUE, KnowledgeGraph  # noqa: E402

# (name, query, the engine can sort it)
MIX = [
    ("labels", "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = 'nb') } ORDER BY ?l", True),
    ("labels-top10",
     "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = 'nb') } ORDER BY DESC(?l) LIMIT 10", True),
    ("subjects", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100", True),
    ("expression", "SELECT ?s WHERE { ?s rdfs:label ?l } ORDER BY STRLEN(?l) ?s LIMIT 50", True),
    ("mixed-top5", "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 5", False),
]


def snapshot_of(label: str, work: Path, scratch: Path) -> Path | None:
    if label == "real":
        from veikart_graph.build import build
        from veikart_graph.settings import Settings

        progress("real: building the repository's data ...")
        return build(Settings(root=REPO, build_dir=scratch)).snapshot.dataset_path
    dataset = size_root(label, work) / "build" / "current" / "dataset.nq"
    return dataset.resolve() if dataset.exists() else None


def timed(call, runs: int) -> tuple[float, object]:
    result = call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def keys(rows: list, name: str) -> list:
    return [term_key(row[name]) for row in rows]


def bench_size(label: str, args: argparse.Namespace, scratch: Path) -> list[dict]:
    dataset = snapshot_of(label, args.work, scratch)
    if dataset is None:
        progress(f"{label}: no snapshot (run bench/build_bench.py {label}); skipped")
        return []
    graph = KnowledgeGraph.from_snapshot(dataset)
    results = []
    for name, query, engine_sorts in MIX:
        text = PROLOGUE + query
        progress(f"{label}: {name} ...")
        service_ms, service_rows = timed(lambda text=text: list(graph.run(text, max_rows=10**7)), args.runs)
        row = {"size": label, "query": name, "rows": len(service_rows), "service_ms": service_ms}
        if engine_sorts:
            engine_ms, engine_rows = timed(lambda text=text: list(graph.store.query(text)), args.runs)
            column = query.split("ORDER BY")[1].split()[0].strip("DESC()").strip()
            if column.startswith("?") and keys(engine_rows, column[1:]) != keys(service_rows, column[1:]):
                raise SystemExit(f"{label} {name}: the service's order differs from the engine's")
            row.update(engine_ms=engine_ms, ratio=service_ms / engine_ms)
        results.append(row)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["real", "100k"])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (default 5)")
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        rows = [r for label in args.sizes for r in bench_size(label, args, Path(scratch))]
    print(f"sort benchmark, {machine()}, commit {git_commit()}\n")
    print(table(["size", "query", "rows", "engine ms", "service ms", "service/engine"],
                [[r["size"], r["query"], r["rows"], fmt(r.get("engine_ms", "aborts")), fmt(r["service_ms"]),
                  fmt(r.get("ratio", "-"))] for r in rows]))
    ratios = [r["ratio"] for r in rows if "ratio" in r]
    if ratios:
        print(f"\nsummary: service sort / engine sort median {statistics.median(ratios):.2f}x "
              f"(max {max(ratios):.2f}x) over {len(ratios)} queries the engine can sort")
    save_json(args.json, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
