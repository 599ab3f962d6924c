#!/usr/bin/env python3
"""HTTP benchmark: our /sparql against `oxigraph serve` and rdflib-endpoint on the same data.

For each size: builds the generated project if needed, then starts each server in turn on a
free loopback port with the snapshot's data (baselines get exactly our SPARQL default graph),
checks that every query answers the same number of results everywhere, then runs wrk at
concurrency 1 and 8 over the full query mix and over the entity-lookup mix. For our server it
also loads the HTML entity page, goal page, timeline and search (routes that answer 404 are
skipped with a note). Prints tables, our ratio to each baseline, the targets, and a summary.

Example:
    python3 bench/http_bench.py 10k 100k
    python3 bench/http_bench.py 100k --servers ours oxigraph --seconds 10 --entity-seconds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import loadgen
import pyoxigraph as ox
import servers
from common import RESULTS, WORK, fmt, git_commit, machine, progress, save_json, size_root, table
from loadgen import Cell, Request
from query_mix import MIXES, PAGES, QUERIES, Query, full_text
from servers import Server, get

CONCURRENCY = (1, 8)
ALL_SERVERS = ("ours", "oxigraph", "oxigraph-mem", "rdflib-endpoint")
# Targets of the issue (ratio = ours / theirs), checked at 100k triples, 8 clients.
TARGETS = {("full", "oxigraph"): 0.7, ("full", "rdflib-endpoint"): 20.0, ("entity", "oxigraph"): 0.25}
PAGE_TARGETS = {"entity page": (5.0, 20.0), "search": (None, 20.0)}


def ensure_snapshot(root: Path, timeout: float) -> Path:
    """The snapshot's dataset.nq, built first when missing or stale (as ``serve`` would)."""
    from veikart_graph.build import is_stale
    from veikart_graph.settings import Settings

    current = root / "build" / "current" / "dataset.nq"
    if not current.exists() or is_stale(Settings(root=root)):
        progress(f"no current snapshot in {root}: building (limit {timeout:.0f} s)")
        subprocess.run(["veikart-graph", "--root", str(root), "build"], check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL)
    return current.resolve()


def requests_for(server: Server, queries: list[Query]) -> list[Request]:
    prefix = urllib.parse.urlsplit(server.base).path
    return [Request(prefix + server.query_path + "?" + urllib.parse.urlencode({"query": full_text(q)}), q.accept)
            for q in queries]


def result_size(body: bytes) -> int:
    """Rows of a SPARQL JSON/XML result, or triples of an RDF answer (-1 if it does not parse)."""
    try:
        data = json.loads(body)
        return len(data["results"]["bindings"]) if "results" in data else len(data)
    except (ValueError, KeyError, TypeError):
        pass
    if b"<sparql" in body[:500]:
        return body.count(b"<result>") + body.count(b"<result ")
    for rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        try:
            return sum(1 for _ in ox.parse(body, format=rdf_format))
        except SyntaxError:
            continue
    return -1


def smoke(server: Server) -> dict[str, tuple[int, int, float]]:
    """Each query of the full mix once: key → (status, result size, ms)."""
    found = {}
    for query in QUERIES:
        started = time.perf_counter()
        status, body = get(server.query_url(full_text(query)), timeout=120, accept=query.accept)
        found[query.key] = (status, result_size(body) if status == 200 else 0,
                            (time.perf_counter() - started) * 1000)
    return found


def probe(server: Server):
    return lambda timeout: get(server.query_url("ASK { ?s ?p ?o }"), timeout=timeout)


def run_cell(server: Server, requests: list[Request], concurrency: int, seconds: float, label: str) -> Cell:
    cell = loadgen.run(server.base, requests, concurrency, seconds)
    waited = loadgen.drain(probe(server))
    progress(f"    {server.name} {label} c{concurrency}: {cell.rate:,.1f} req/s, p50 {fmt(cell.p50)} ms, "
             f"p95 {fmt(cell.p95)} ms, errors {cell.errors} (drain {waited:.1f} s)")
    return cell


def combine(cells: list[Cell]) -> dict:
    """Rounds of one cell: medians of rate and percentiles, sums of requests and errors."""
    def med(key: str) -> float:
        return statistics.median(getattr(c, key) for c in cells)

    per_request = [statistics.median(values) for values in zip(*(c.per_request_p50 for c in cells), strict=True)]
    return {"rate": med("rate"), "p50": med("p50"), "p95": med("p95"), "p99": med("p99"),
            "requests": sum(c.requests for c in cells), "errors": sum(c.errors for c in cells),
            "rates": [round(c.rate, 1) for c in cells], "per_request_p50": per_request}


def start_all(names: list[str], context: dict) -> tuple[dict[str, Server], dict[str, dict]]:
    running, records = {}, {}
    for name in names:
        progress(f"  starting {name} ...")
        try:
            running[name] = servers.STARTERS[name](context)
        except Exception as exc:  # noqa: BLE001 - one failing server must not end the run
            progress(f"  {name} FAILED to start: {exc}")
            records[name] = {"server": name, "error": str(exc), "mixes": {}}
            continue
        server = running[name]
        records[name] = {"server": name, "ready_s": round(server.ready_s, 3), "mixes": {}, "notes": [],
                         "smoke": smoke(server)}
        loadgen.run(server.base, requests_for(server, QUERIES), 1, context["warmup"])
        loadgen.drain(probe(server))
    return running, records


def rounds(running: dict[str, Server], records: dict[str, dict], args: argparse.Namespace) -> None:
    """Every cell for every server, interleaved, ``args.rounds`` times (order rotated each round):
    slow changes in the machine's other load hit all servers alike."""
    cells: dict = {}
    names = list(running)
    for number in range(args.rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        progress(f"  round {number + 1}/{args.rounds}")
        for mix, queries in MIXES.items():
            seconds = args.seconds if mix == "full" else args.entity_seconds
            for concurrency in CONCURRENCY:
                for name in order:
                    cell = run_cell(running[name], requests_for(running[name], queries), concurrency, seconds, mix)
                    cells.setdefault((name, mix, concurrency), []).append(cell)
    for (name, mix, concurrency), found in cells.items():
        records[name]["mixes"].setdefault(mix, {})[concurrency] = combine(found)


def bench_pages(server: Server, seconds: float) -> tuple[dict[str, dict[int, dict]], list[str]]:
    results, notes = {}, []
    for name, path in PAGES.items():
        status, _ = get(server.base + path, timeout=60, accept="text/html")
        if status != 200:
            notes.append(f"{name} ({path}): answered {status or 'nothing'}, skipped")
            progress(f"    {notes[-1]}")
            continue
        results[name] = {c: combine([run_cell(server, [Request(path, "text/html")], c, seconds, f"page {name}")])
                         for c in CONCURRENCY}
    return results, notes


def bench_size(label: str, args: argparse.Namespace) -> dict:
    root = size_root(label, args.work)
    dataset = ensure_snapshot(root, args.build_timeout)
    nquads = servers.baseline_nquads(dataset, root / "baseline.nq")
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    context = {"root": root, "nquads": nquads, "logs": logs, "warmup": args.warmup}
    progress(f"{label}: snapshot {dataset.parent.name}, {sum(1 for _ in open(nquads, 'rb')):,} quads for baselines")
    load_before = os.getloadavg()[0]
    running, records = start_all(args.servers, context)
    try:
        rounds(running, records, args)
        if "ours" in running and not args.no_pages:
            pages, notes = bench_pages(running["ours"], args.entity_seconds)
            records["ours"]["pages"] = pages
            records["ours"]["notes"].extend(notes)
        for name, server in running.items():
            records[name]["memory"] = server.memory()
    finally:
        for server in running.values():
            server.stop()
    return {"size": label, "servers": list(records.values()), "load_avg": [load_before, os.getloadavg()[0]]}


# --- report --------------------------------------------------------------------------------


def ratio(ours: float | None, theirs: float | None) -> float | None:
    return ours / theirs if ours and theirs else None


def mix_table(result: dict, mix: str) -> str:
    by_name = {r["server"]: r for r in result["servers"]}
    ours = by_name.get("ours", {}).get("mixes", {}).get(mix, {})
    headers = ["server", "c1 req/s", "c1 p50 ms", "c1 p95 ms", "c8 req/s", "c8 p50 ms", "c8 p95 ms", "errors",
               "ours/them c1", "ours/them c8", "RSS MiB", "c8 req/s by round"]
    rows = []
    for name, record in by_name.items():
        cells = record.get("mixes", {}).get(mix)
        if not cells:
            rows.append([name, *["–"] * 10, record.get("error", "")[:40]])
            continue
        c1, c8 = cells[1], cells[8]
        rows.append([name, c1["rate"], c1["p50"], c1["p95"], c8["rate"], c8["p50"], c8["p95"],
                     c1["errors"] + c8["errors"],
                     ratio(ours.get(1, {}).get("rate"), c1["rate"]), ratio(ours.get(8, {}).get("rate"), c8["rate"]),
                     record.get("memory", {}).get("total_mb"),
                     " / ".join(fmt(v) for v in c8.get("rates", []))])
    return table(headers, rows)


def per_query_table(result: dict) -> str:
    headers = ["server", *[q.key for q in QUERIES]]
    rows = []
    for record in result["servers"]:
        cells = record.get("mixes", {}).get("full")
        if cells:
            rows.append([record["server"], *cells[1]["per_request_p50"]])
    return "c1 p50 ms per query (full mix):\n" + table(headers, rows)


def smoke_check(result: dict) -> list[str]:
    """Differences in result size between servers (a benchmark of different answers is void)."""
    sizes = {r["server"]: r.get("smoke", {}) for r in result["servers"] if r.get("smoke")}
    problems = []
    for query in QUERIES:
        answers = {name: found[query.key][:2] for name, found in sizes.items()}
        if len({a for a in answers.values()}) > 1:
            problems.append(f"{query.key}: " + ", ".join(f"{n} {s}/{c}" for n, (s, c) in answers.items()))
    return problems


def page_table(result: dict) -> str:
    ours = next((r for r in result["servers"] if r["server"] == "ours"), {})
    rows = []
    for name, cells in ours.get("pages", {}).items():
        p50_target, p95_target = PAGE_TARGETS.get(name, (None, None))
        verdict = [f"c{c} " + check_target(key, cells[c][key], limit) for c in CONCURRENCY
                   for key, limit in (("p50", p50_target), ("p95", p95_target)) if limit is not None]
        rows.append([name, PAGES[name], cells[1]["rate"], cells[1]["p50"], cells[1]["p95"], cells[8]["rate"],
                     cells[8]["p50"], cells[8]["p95"], ", ".join(verdict) or "–"])
    headers = ["page", "path", "c1 req/s", "c1 p50 ms", "c1 p95 ms", "c8 req/s", "c8 p50 ms", "c8 p95 ms",
               "target"]
    notes = "\n".join(f"note: {n}" for n in ours.get("notes", []))
    return table(headers, rows) + ("\n" + notes if notes else "")


def check_target(key: str, value: float, limit: float) -> str:
    return f"{key} ok" if value <= limit else f"{key} miss ×{value / limit:.1f}"


def target_lines(result: dict) -> list[str]:
    by_name = {r["server"]: r for r in result["servers"]}
    ours = by_name.get("ours", {}).get("mixes", {})
    lines = []
    for (mix, other), target in TARGETS.items():
        theirs = by_name.get(other, {}).get("mixes", {}).get(mix)
        if not theirs or mix not in ours:
            continue
        value = ours[mix][8]["rate"] / theirs[8]["rate"]
        verdict = "ok" if value >= target else f"MISS by ×{target / value:.2f}"
        lines.append(f"{result['size']} {mix} mix c8 ours/{other}: {value:.2f} (target ≥ {target}) {verdict}")
    return lines


def report(results: list[dict]) -> str:
    out = [f"HTTP benchmark — {machine()}, commit {git_commit()}"]
    for result in results:
        load = " → ".join(f"{v:.1f}" for v in result.get("load_avg", []))
        out.append(f"\n## {result['size']} (1-min load average before → after: {load})\n")
        for mix in MIXES:
            out.append(f"mix={mix}:\n{mix_table(result, mix)}\n")
        out.append(per_query_table(result) + "\n")
        if any(r.get("pages") or r.get("notes") for r in result["servers"]):
            out.append("our HTML pages:\n" + page_table(result) + "\n")
        starts = ", ".join(f"{r['server']} {r['ready_s']:.2f} s" for r in result["servers"] if "ready_s" in r)
        memory = next((r.get("memory") for r in result["servers"] if r["server"] == "ours"), None)
        out.append(f"ready after start: {starts}")
        if memory:
            out.append(f"ours memory: total {memory['total_mb']} MiB in {memory['processes']} processes; "
                       f"master {memory['main_mb']} MiB; per worker (with its query processes) "
                       f"{memory['per_worker_mb']} MiB")
        problems = smoke_check(result)
        out.append("answers: " + ("same result sizes on every server" if not problems
                                  else "DIFFERENT: " + "; ".join(problems)))
        out.extend(target_lines(result))
    return "\n".join(out)


def summary(results: list[dict]) -> str:
    parts = []
    for result in results:
        by_name = {r["server"]: r.get("mixes", {}) for r in result["servers"]}
        ours = by_name.get("ours", {})
        if "full" not in ours:
            continue
        bits = [f"{result['size']}: ours full c8 {ours['full'][8]['rate']:,.0f} req/s"]
        for other in ("oxigraph", "oxigraph-mem", "rdflib-endpoint"):
            if "full" in by_name.get(other, {}):
                bits.append(f"{ratio(ours['full'][8]['rate'], by_name[other]['full'][8]['rate']):.2f}× {other}")
        parts.append(" ".join(bits[:1]) + " (" + ", ".join(bits[1:]) + ")")
    return "summary: " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["10k", "100k"], help="generated sizes (default 10k 100k)")
    parser.add_argument("--servers", nargs="+", default=list(ALL_SERVERS), choices=ALL_SERVERS)
    parser.add_argument("--seconds", type=float, default=15, help="seconds per full-mix cell (default 15)")
    parser.add_argument("--entity-seconds", type=float, default=8, help="seconds per entity/page cell (default 8)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per server (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; medians are shown (default 2)")
    parser.add_argument("--no-pages", action="store_true", help="skip our HTML pages")
    parser.add_argument("--build-timeout", type=float, default=900)
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--json", type=Path, help="write raw results here (default bench/results/http-<sizes>.json)")
    args = parser.parse_args(argv)
    loadgen.wrk_path()
    results = [bench_size(label, args) for label in args.sizes]
    save_json(args.json or RESULTS / f"http-{'-'.join(args.sizes)}.json", results)
    print(report(results))
    print("\n" + summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
