#!/usr/bin/env python3
"""Scale-out benchmark: app servers against one Oxigraph store vs the embedded mode.

For each size: copies the generated project (``generate.py``; built with ``veikart-graph build``
when it has no snapshot) into ``bench/work/scaleout-<size>/`` so nothing another script rebuilds
can change it mid-run, starts one ``oxigraph serve`` with its own data folder, publishes the
snapshot into it (``veikart-graph publish``, timed), then measures with wrk, 8 connections in
all, over two mixes:

* ``sparql``: the query mix of ``query_mix.py`` through our ``/sparql`` (forwarded to the
  store in remote mode);
* ``pages``: HTML pages that read the graph per request: three entity pages and search (of
  ``query_mix.PAGES``, the goal page and the timeline are left out: at 100k they are 0.2 and
  3.8 MB of HTML whose cost is template rendering, the same in both modes).

Throughput on this 2-vCPU machine is bounded by its two cores, shared by the store, the app
servers and wrk, so the script also measures **CPU time per request** of the app servers' and
of the store's processes (``/proc/<pid>/stat``): the figures sizing needs, independent of how
busy the machine is.

Configurations, each N separate ``veikart-graph serve --workers 1`` processes on their own
ports (N app servers behind a load balancer; here N wrk instances, 8/N connections each):
``embedded×1``, ``embedded×2``, ``remote×1``, ``remote×2``. All four app servers run for the
whole size; cells are interleaved over ``--rounds`` rounds in rotated order and medians are
reported, so other load on the machine hits every configuration alike. Before measuring, every
query and page is checked to give the same answer (status and size) on every app server. Prints a
table, the ratios (remote/embedded, ×2/×1) and a summary line. Bounded: every cell lasts
``--seconds``, every start ``--start-timeout``.

Example:
    python3 bench/scaleout_bench.py 100k
    python3 bench/scaleout_bench.py 100k 1m --seconds 8 --json bench/results/scaleout.json
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import loadgen
from common import (
    RESULTS,
    WORK,
    fmt,
    free_port,
    git_commit,
    machine,
    process_tree,
    progress,
    save_json,
    size_root,
    table,
)
from http_bench import result_size
from loadgen import Cell, Request
from query_mix import PAGES, QUERIES, full_text
from servers import Server, get, spawn, wait_ready

CONNECTIONS = 8
CONFIGS = (("embedded", 1), ("embedded", 2), ("remote", 1), ("remote", 2))


def prepare(label: str, work: Path, build_timeout: float) -> Path:
    """``bench/work/scaleout-<size>``: the generated sources and one built snapshot, copied."""
    source = size_root(label, work)
    if not (source / "data").is_dir():
        progress(f"{label}: generating {source}")
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), label], check=True,
                       timeout=build_timeout)
    target = work / f"scaleout-{label}"
    if not (target / "build" / "current" / "dataset.nq").exists():
        shutil.rmtree(target, ignore_errors=True)
        for part in ("ontology", "shapes", "data"):
            shutil.copytree(source / part, target / part)
        current = source / "build" / "current"
        if current.exists():
            snapshot = current.resolve()
            shutil.copytree(snapshot, target / "build" / "snapshots" / snapshot.name)
            (target / "build" / "current").symlink_to(Path("snapshots") / snapshot.name)
        else:
            progress(f"{label}: building the snapshot in {target}")
            subprocess.run(["veikart-graph", "--root", str(target), "build"], check=True, timeout=build_timeout,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return target


def start_store(root: Path, logs: Path, timeout: float) -> Server:
    port = free_port()
    location = root / "oxigraph-store"
    shutil.rmtree(location, ignore_errors=True)
    command = ["oxigraph", "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    server = Server("store", f"http://127.0.0.1:{port}", "/query", spawn(command, logs / "store.log"),
                    time.perf_counter(), log=logs / "store.log")
    return wait_ready(server, ["/query"], timeout)


def publish(root: Path, store: Server, timeout: float) -> float:
    started = time.perf_counter()
    subprocess.run(["veikart-graph", "--root", str(root), "publish", "--store", store.base + "/query"],
                   check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def start_app(root: Path, logs: Path, store_url: str, name: str, timeout: float) -> Server:
    port = free_port()
    env = {**os.environ, "VEIKART_STORE": store_url, "VEIKART_QUERY_TIMEOUT": "60", "VEIKART_QUEUE_WAIT": "60",
           "VEIKART_QUERY_SLOTS": "2"}  # 2 forwarded or embedded queries at once per worker, in both modes
    command = ["veikart-graph", "--root", str(root), "serve", "--port", str(port), "--workers", "1"]
    log = logs / f"{name}.log"
    server = Server(name, f"http://127.0.0.1:{port}", "/sparql", spawn(command, log, env), time.perf_counter(),
                    log=log)
    return wait_ready(server, ["/sparql"], timeout)


ENTITY_PAGES = ["/page/id/aktivitet/bench-000003", "/page/id/aktivitet/bench-000011", "/page/id/delmal/1b"]


def workloads() -> dict[str, list[Request]]:
    sparql = [Request("/sparql?" + urllib.parse.urlencode({"query": full_text(q)}), q.accept) for q in QUERIES]
    pages = [*ENTITY_PAGES, PAGES["search"]]
    return {"sparql": sparql, "pages": [Request(path, "text/html") for path in pages]}


def answers(server: Server, requests: list[Request]) -> list[tuple[int, int]]:
    """Status and size (result rows/triples, or bytes of a page) of each request."""
    found = []
    for request in requests:
        status, body = get(server.base + request.path, timeout=120, accept=request.accept)
        found.append((status, result_size(body) if request.path.startswith("/sparql") else len(body)))
    return found


def cpu_seconds(servers: list[Server]) -> float:
    """User + system CPU time of the servers' process trees so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for server in servers:
        for pid in process_tree(server.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def measure(apps: list[Server], requests: list[Request], seconds: float) -> Cell:
    """wrk against every app server at once (``CONNECTIONS`` split evenly); rates add up."""
    cells: list[Cell | None] = [None] * len(apps)

    def run(i: int) -> None:
        cells[i] = loadgen.run(apps[i].base, requests, CONNECTIONS // len(apps), seconds)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(apps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [c for c in cells if c is not None]
    return Cell(requests=sum(c.requests for c in done), seconds=max(c.seconds for c in done),
                rate=sum(c.rate for c in done), p50=statistics.median(c.p50 for c in done),
                p95=max(c.p95 for c in done), p99=max(c.p99 for c in done), errors=sum(c.errors for c in done))


def bench_size(label: str, args: argparse.Namespace) -> dict:
    root = prepare(label, args.work, args.build_timeout)
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    store = start_store(root, logs, args.start_timeout)
    apps: dict[str, list[Server]] = {}
    record: dict = {"size": label, "cells": {}, "checks": {}, "answers": {}}
    try:
        record["publish_s"] = round(publish(root, store, args.build_timeout), 2)
        progress(f"{label}: published in {record['publish_s']} s")
        for mode, url in (("embedded", "embedded"), ("remote", store.base + "/query")):
            apps[mode] = [start_app(root, logs, url, f"{mode}-{i}", args.start_timeout) for i in range(2)]
        check(apps, record, args.warmup)
        measure_rounds(apps, store, record, args)
        record["memory"] = {f"{mode} app": [a.memory()["total_mb"] for a in found] for mode, found in apps.items()}
        record["memory"]["store"] = store.memory()["total_mb"]
    finally:
        for app in (a for found in apps.values() for a in found):
            app.stop()
        store.stop()
    return record


def check(apps: dict[str, list[Server]], record: dict, warmup: float) -> None:
    """Every app server gives the embedded one's answers; then each is warmed up."""
    for mix, requests in workloads().items():
        reference = answers(apps["embedded"][0], requests)
        for mode, found in apps.items():
            for i, app in enumerate(found):
                got = answers(app, requests)
                record["checks"][f"{mode}-{i} {mix}"] = got == reference
                record["answers"][f"{mode}-{i} {mix}"] = got
                loadgen.run(app.base, requests, 2, warmup)


def measure_rounds(apps: dict[str, list[Server]], store: Server, record: dict, args: argparse.Namespace) -> None:
    """Every configuration and mix, ``args.rounds`` times in rotated order (medians reported):
    the machine's other load then hits every configuration alike."""
    configs = [(mode, count) for mode, count in CONFIGS]
    found: dict[str, list[tuple[Cell, float, float]]] = {}
    for number in range(args.rounds):
        order = configs[number % len(configs):] + configs[:number % len(configs)]
        progress(f"  round {number + 1}/{args.rounds}")
        for mode, count in order:
            for mix, requests in workloads().items():
                before = cpu_seconds(apps[mode][:count]), cpu_seconds([store])
                cell = measure(apps[mode][:count], requests, args.seconds)
                app_cpu, store_cpu = cpu_seconds(apps[mode][:count]) - before[0], cpu_seconds([store]) - before[1]
                per_request = (1000 * app_cpu / max(cell.requests, 1), 1000 * store_cpu / max(cell.requests, 1))
                found.setdefault(f"{mode}x{count} {mix}", []).append((cell, *per_request))
                progress(f"    {mode}x{count} {mix}: {cell.rate:,.1f} req/s, p50 {fmt(cell.p50)} ms, "
                         f"p95 {fmt(cell.p95)} ms, errors {cell.errors}, CPU ms/request app "
                         f"{fmt(per_request[0])} store {fmt(per_request[1])}")
    for key, runs in found.items():
        cells = [c for c, _, _ in runs]
        record["cells"][key] = {"rate": statistics.median(c.rate for c in cells),
                                "p50": statistics.median(c.p50 for c in cells),
                                "p95": statistics.median(c.p95 for c in cells),
                                "app_cpu_ms": statistics.median(a for _, a, _ in runs),
                                "store_cpu_ms": statistics.median(s for _, _, s in runs),
                                "errors": sum(c.errors for c in cells), "rates": [round(c.rate, 2) for c in cells]}


def report(results: list[dict]) -> str:
    out = []
    for result in results:
        cells = result["cells"]
        rows = []
        for mode, count in CONFIGS:
            for mix in ("sparql", "pages"):
                cell = cells.get(f"{mode}x{count} {mix}")
                if cell is None:
                    continue
                base = cells.get(f"embeddedx{count} {mix}", {}).get("rate")
                one = cells.get(f"{mode}x1 {mix}", {}).get("rate")
                rows.append([f"{mode}×{count}", mix, cell["rate"], cell["p50"], cell["p95"], cell["errors"],
                             cell["rate"] / base if base else None, cell["rate"] / one if one else None,
                             cell["app_cpu_ms"], cell["store_cpu_ms"] if mode == "remote" else None,
                             " ".join(str(r) for r in cell["rates"])])
        out.append(f"### {result['size']} triples (publish {result['publish_s']} s; RSS MiB {result['memory']})")
        out.append(table(["app servers", "mix", "req/s", "p50 ms", "p95 ms", "errors", "÷ embedded same N",
                          "÷ same mode ×1", "app CPU ms/req", "store CPU ms/req", "req/s by round"], rows))
    return "\n\n".join(out)


def summary(results: list[dict]) -> str:
    parts = []
    for result in results:
        cells = result["cells"]
        for mix in ("sparql", "pages"):
            try:
                remote = cells[f"remotex2 {mix}"]["rate"] / cells[f"remotex1 {mix}"]["rate"]
                versus = cells[f"remotex1 {mix}"]["rate"] / cells[f"embeddedx1 {mix}"]["rate"]
            except (KeyError, ZeroDivisionError):
                continue
            cpu = cells[f"remotex1 {mix}"]
            parts.append(f"{result['size']} {mix}: remote ×2/×1 {remote:.2f}, remote/embedded (×1) {versus:.2f}, "
                         f"per core {1000 / cpu['app_cpu_ms']:.0f} req/s per app server and "
                         f"{1000 / max(cpu['store_cpu_ms'], 0.01):.0f} req/s in the store")
    same = all(all(r["checks"].values()) for r in results)
    return "summary: " + "; ".join(parts) + f"; answers identical across modes: {same}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", help="sizes to run (e.g. 100k 1m)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measured cell")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per mix and app server")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every cell (medians reported)")
    parser.add_argument("--start-timeout", type=float, default=300.0, help="limit for a server to start")
    parser.add_argument("--build-timeout", type=float, default=2400.0, help="limit for generate/build/publish")
    parser.add_argument("--work", type=Path, default=WORK, help="work folder (default bench/work)")
    parser.add_argument("--json", type=Path, default=RESULTS / "scaleout.json", help="raw results")
    args = parser.parse_args()
    results = [bench_size(label, args) for label in args.sizes]
    save_json(args.json, {"machine": machine(), "commit": git_commit(), "results": results})
    load = os.getloadavg()[0]
    print(f"Scale-out against one Oxigraph store — {machine()}, commit {git_commit()}, "
          f"{CONNECTIONS} connections, {args.seconds:g} s per cell, median of {args.rounds} rounds, "
          f"load average {load:.1f} at the end\n")
    print(report(results))
    print()
    print(summary(results))


if __name__ == "__main__":
    main()
