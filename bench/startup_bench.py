#!/usr/bin/env python3
"""Start-up benchmark: ``veikart-graph serve`` on a built snapshot, per size.

Measures from process start: the first 200 on ``/healthz`` (a worker has loaded the snapshot),
on ``/readyz``, on a SPARQL ``ASK`` (the worker's query processes started and loaded the
snapshot too), and "warm" (eight concurrent ASKs all answered, so every worker and query slot
is up); then the memory of the whole server, of the gunicorn master and of each worker with
its query processes. Each size is started ``--repeat`` times; the median is shown.

Example:
    python3 bench/startup_bench.py 10k 100k 1m --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import WORK, fmt, free_port, git_commit, machine, progress, save_json, size_root, table
from servers import Server, get, spawn

from veikart_graph.build import is_stale
from veikart_graph.settings import Settings

ASK = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
TARGET_S = 2.0


def wait_for(server: Server, path: str, deadline: float, accept: str = "*/*") -> float | None:
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            return None
        status, _ = get(server.base + path, timeout=max(0.1, deadline - time.perf_counter()), accept=accept)
        if status == 200:
            return time.perf_counter() - server.started
        time.sleep(0.01)
    return None


def warm(server: Server, deadline: float) -> float | None:
    """Eight concurrent ASKs, repeated until all answer 200: every worker and slot is up."""
    def one(_: int) -> int:
        return get(server.base + ASK, timeout=max(0.1, deadline - time.perf_counter()),
                   accept="application/sparql-results+json")[0]

    with ThreadPoolExecutor(8) as pool:
        while time.perf_counter() < deadline:
            if all(status == 200 for status in pool.map(one, range(8))):
                return time.perf_counter() - server.started
    return None


def start_once(root: Path, workers: int, timeout: float, logs: Path) -> dict:
    port = free_port()
    command = ["veikart-graph", "--root", str(root), "serve", "--port", str(port), "--workers", str(workers)]
    started = time.perf_counter()
    server = Server("ours", f"http://127.0.0.1:{port}", "/sparql", spawn(command, logs / "startup.log"),
                    started, log=logs / "startup.log")
    deadline = started + timeout
    try:
        found = {"healthz_s": wait_for(server, "/healthz", deadline),
                 "readyz_s": wait_for(server, "/readyz", deadline),
                 "sparql_s": wait_for(server, ASK, deadline, "application/sparql-results+json")}
        found["warm_s"] = warm(server, deadline)
        found["memory"] = server.memory()
    finally:
        server.stop()
    return found


def bench_size(label: str, args: argparse.Namespace) -> dict:
    root = size_root(label, args.work)
    snapshot = root / "build" / "current"
    if not (snapshot / "dataset.nq").exists() or is_stale(Settings(root=root)):
        progress(f"{label}: no current snapshot in {root} (run bench/build_bench.py {label}); skipped")
        return {"size": label, "skipped": "no current snapshot"}
    manifest = json.loads((snapshot / "manifest.json").read_text())
    triples = sum(manifest["triples_by_graph"].values())
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    runs = []
    for attempt in range(1, args.repeat + 1):
        run = start_once(root, args.workers, args.timeout, logs)
        progress(f"{label} start {attempt}: healthz {fmt(run['healthz_s'])} s, sparql {fmt(run['sparql_s'])} s, "
                 f"warm {fmt(run['warm_s'])} s, RSS {run['memory']['total_mb']} MiB")
        runs.append(run)
    return {"size": label, "triples": triples, "runs": runs}


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def report(results: list[dict], workers: int) -> str:
    headers = ["size", "snapshot triples", "healthz s", "readyz s", "first SPARQL s", "warm s", "total RSS MiB",
               "master MiB", "per worker MiB (with query processes)", f"target ≤ {TARGET_S:g} s"]
    rows = []
    for result in results:
        if "runs" not in result:
            rows.append([result["size"], None, *[None] * 7, result.get("skipped")])
            continue
        runs = result["runs"]
        memory = runs[-1]["memory"]
        ready = median(runs, "warm_s")
        verdict = "–" if ready is None else ("ok" if ready <= TARGET_S else f"miss ×{ready / TARGET_S:.1f}")
        rows.append([result["size"], result["triples"], median(runs, "healthz_s"), median(runs, "readyz_s"),
                     median(runs, "sparql_s"), ready, memory["total_mb"], memory["main_mb"],
                     " / ".join(fmt(m) for m in memory["per_worker_mb"]), verdict])
    return (f"Start-up of `veikart-graph serve --workers {workers}` — {machine()}, commit {git_commit()}\n\n"
            + table(headers, rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["10k", "100k", "1m"])
    parser.add_argument("--repeat", type=int, default=3, help="starts per size (default 3)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for each start (default 180)")
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--json", type=Path, help="write raw results here")
    args = parser.parse_args(argv)
    results = [bench_size(label, args) for label in args.sizes]
    print(report(results, args.workers))
    ok = [r for r in results if "runs" in r]
    print("\nsummary: " + "; ".join(
        f"{r['size']} warm in {fmt(median(r['runs'], 'warm_s'))} s, {r['runs'][-1]['memory']['total_mb']} MiB"
        for r in ok))
    save_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
