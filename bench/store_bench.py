#!/usr/bin/env python3
"""Store benchmark: how a server process could get the snapshot into pyoxigraph, and what it
costs per query afterwards.

Each measurement runs in a fresh process (peak RSS from ``os.wait4``):

* ``mem``: ``Store()`` + ``bulk_load`` of the snapshot's dataset.nq — what every gunicorn worker
  and every query process does today at start;
* ``rocks-build``: writing a RocksDB store from the same N-Quads (a one-time build step);
* ``rocks-open``: ``Store.read_only(path)`` on that prebuilt store — what every process could do
  instead (several processes may open it read-only at once; ``--parallel`` checks that);

then the in-process latency of the query mix (median of ``--runs`` runs after one warm-up) on the
in-memory and on the RocksDB store, two ways: with our default graph given as the list of the
four queryable named graphs (what ``KnowledgeGraph.run`` does today), and ``-union``: the store
holds only those four graphs (the snapshot minus ``shapes``) and is queried with
``use_default_graph_as_union=True``, which gives the same answers.

Example:
    python3 bench/store_bench.py 10k 100k 1m --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import WORK, fmt, git_commit, machine, progress, save_json, size_root, table
from query_mix import QUERIES, full_text
from servers import baseline_nquads

GRAPHS = ["data", "inferred", "ontology", "metadata"]
MODES = ("mem", "mem-union", "rocks-build", "rocks-open", "rocks-open-union")


def child(mode: str, dataset: Path, location: Path, runs: int) -> dict:
    """Runs inside the measured process; returns what it measured."""
    import pyoxigraph as ox

    graphs = {"default_graph": [ox.NamedNode(f"https://w3id.org/veikart/graph/{g}") for g in GRAPHS]}
    if mode.endswith("-union"):
        graphs = {"use_default_graph_as_union": True}
    started = time.perf_counter()
    if mode.startswith("mem"):
        store = ox.Store()
        store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    elif mode == "rocks-build":
        store = ox.Store(str(location))
        store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        return {"open_s": time.perf_counter() - started}
    else:
        store = ox.Store.read_only(str(location))
    opened = time.perf_counter() - started
    first = time.perf_counter()
    bool(store.query("ASK { ?s ?p ?o }", **graphs))
    result = {"open_s": opened, "first_query_s": time.perf_counter() - first, "queries_ms": {}}
    for query in QUERIES if runs else []:
        times = []
        for _ in range(runs + 1):
            t0 = time.perf_counter()
            answer = store.query(full_text(query), **graphs)
            _ = list(answer) if not isinstance(answer, ox.QueryBoolean) else bool(answer)
            times.append((time.perf_counter() - t0) * 1000)
        result["queries_ms"][query.key] = statistics.median(times[1:])
    return result


def run_child(mode: str, dataset: Path, location: Path, runs: int, timeout: float) -> dict:
    """A fresh process for one mode, with its peak RSS."""
    command = [sys.executable, __file__, "--child", mode, str(dataset), str(location), str(runs)]
    with open(os.devnull, "wb") as devnull:
        out_path = location.parent / f".store-bench-{mode}.json"
        with open(out_path, "w") as out:
            process = subprocess.Popen(command, stdout=out, stderr=devnull)
            deadline = time.perf_counter() + timeout
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    process.kill()
                    os.wait4(process.pid, 0)
                    return {"error": "timeout"}
                time.sleep(0.02)
    code = os.waitstatus_to_exitcode(status)
    result = json.loads(out_path.read_text()) if code == 0 else {"error": f"exit {code}"}
    out_path.unlink(missing_ok=True)
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    return result


def parallel_open(dataset: Path, location: Path, count: int, timeout: float) -> dict:
    """``count`` processes open the RocksDB store read-only at the same time."""
    command = [sys.executable, __file__, "--child", "rocks-open", str(dataset), str(location), "0"]
    started = time.perf_counter()
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                 for _ in range(count)]
    outputs = [p.communicate(timeout=timeout)[0] for p in processes]
    ok = sum(1 for p, o in zip(processes, outputs, strict=True) if p.returncode == 0 and o.strip())
    return {"processes": count, "ok": ok, "all_done_s": time.perf_counter() - started}


def bench_size(label: str, args: argparse.Namespace) -> dict:
    root = size_root(label, args.work)
    snapshot = (root / "build" / "current" / "dataset.nq").resolve()
    if not snapshot.exists():
        progress(f"{label}: no snapshot (run bench/build_bench.py {label}); skipped")
        return {"size": label, "skipped": True}
    dataset = baseline_nquads(snapshot, root / "baseline.nq")
    location = root / "store-bench-rocksdb"
    shutil.rmtree(location, ignore_errors=True)
    result: dict = {"size": label, "nquads_mb": dataset.stat().st_size / 2**20}
    for mode in MODES:
        progress(f"{label}: {mode} ...")
        result[mode] = run_child(mode, dataset, location, args.runs, args.timeout)
        progress(f"  {mode}: {json.dumps({k: v for k, v in result[mode].items() if k != 'queries_ms'})}")
    result["rocks_disk_mb"] = sum(f.stat().st_size for f in location.rglob("*") if f.is_file()) / 2**20
    result["parallel"] = parallel_open(dataset, location, args.parallel, args.timeout)
    shutil.rmtree(location, ignore_errors=True)
    return result


def report(results: list[dict]) -> str:
    rows, query_rows = [], []
    for r in results:
        if r.get("skipped"):
            continue
        mem, build, rocks = r["mem"], r["rocks-build"], r["rocks-open"]
        rows.append([r["size"], r["nquads_mb"], mem.get("open_s"), mem.get("peak_rss_mb"), build.get("open_s"),
                     r["rocks_disk_mb"], rocks.get("open_s"), rocks.get("first_query_s"), rocks.get("peak_rss_mb"),
                     f"{r['parallel']['ok']}/{r['parallel']['processes']} in {r['parallel']['all_done_s']:.2f} s"])
        for mode in ("mem", "mem-union", "rocks-open", "rocks-open-union"):
            if "queries_ms" in r[mode]:
                query_rows.append([r["size"], mode, *r[mode]["queries_ms"].values(),
                                   sum(r[mode]["queries_ms"].values())])
    headers = ["size", "dataset.nq MiB", "mem load s", "mem peak RSS MiB", "rocks build s", "rocks disk MiB",
               "rocks open s", "rocks 1st query s", "rocks peak RSS MiB", "parallel read-only opens"]
    q_headers = ["size", "store", *[q.key for q in QUERIES], "sum"]
    return (f"Store benchmark — {machine()}, commit {git_commit()}\n\n" + table(headers, rows)
            + "\n\nin-process query latency, median ms:\n" + table(q_headers, query_rows))


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, dataset, location, runs = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
        print(json.dumps(child(mode, dataset, location, runs)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["10k", "100k", "1m"])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (default 5)")
    parser.add_argument("--parallel", type=int, default=4, help="processes opening the store at once (default 4)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = [bench_size(label, args) for label in args.sizes]
    print(report(results))
    done = [r for r in results if not r.get("skipped")]
    print("\nsummary: " + "; ".join(
        f"{r['size']} in-memory load {fmt(r['mem'].get('open_s'))} s vs read-only RocksDB open "
        f"{fmt(r['rocks-open'].get('open_s'))} s" for r in done))
    save_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
