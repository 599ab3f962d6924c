#!/usr/bin/env python3
"""Issue 16's reproductions against a real ``veikart-graph serve``: status, time and memory.

Starts the server on a built snapshot (``--build-dir``) with the code first on ``PYTHONPATH``
(so the same script measures the code before and after a fix), then sends each reproduction once
and prints its status, its time, the server's largest resident memory while it ran (the whole
process tree, sampled every 50 ms) and whether a loopback host was contacted. ``/healthz`` is
timed alongside. Every request has a time limit (``--timeout``), and the server runs under an
address-space limit (``--max-gb`` a process) so an old memory bomb cannot take the machine.

Example:
    PYTHONPATH=src python3 bench/hostile_bench.py --build-dir /tmp/build
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import REPO, free_port, git_commit, machine, process_children, process_tree, progress, rss_mb, table
from servers import Server, spawn, wait_ready

sys.path.insert(0, str(REPO))
from tests.server import loopback_host  # noqa: E402 - the same loopback host the tests use

KB64 = 64 * 1024


def cases(endpoint: str) -> list[tuple[str, str, str]]:
    """(finding, what, request path or "POST <query>")."""
    values = " ".join(f'"v{i}"' for i in range(2200))
    return [
        ("1 SSRF", "#\\r SERVICE to a loopback host",
         f"POST SELECT * WHERE {{ #\r SERVICE <{endpoint}> {{ ?s ?p ?o }} \n }}"),
        ("2 search", "q = U+FDFA x 500", "/search.json?q=" + urllib.parse.quote("\ufdfa" * 500)),
        ("2 search", "vk:textScore with U+FDFA x 500",
         'POST PREFIX vk: <https://w3id.org/veikart/def/> SELECT ?s { ?s a ?c '
         'BIND(vk:textScore(?s, "' + "\ufdfa" * 500 + '") AS ?x) FILTER(BOUND(?x)) } LIMIT 1'),
        ("3 ReDoS", '64 KB of "\\ repeated', "POST " + ('SELECT * { ?s ?p "' + '\\"' * KB64)[:KB64]),
        ("3 ReDoS", "64 KB of plain ?s (baseline)", "POST " + ("SELECT * { " + "?s " * KB64)[:KB64 - 2] + " }"),
        ("4 nesting", "#\\r then 5,000 {", "POST SELECT * WHERE { #\r" + "{" * 5000 + " ?s ?p ?o "
         + "}" * 5000 + "\n}"),
        ("4 nesting", "1<((( x 5,000 )))&&3>2", "POST SELECT (1<" + "(" * 5000 + "2" + ")" * 5000
         + "&&3>2 AS ?x) {}"),
        ("4 nesting", "20,000 chained !", "POST SELECT (" + "!" * 20000 + "true AS ?x) {}"),
        ("4 rdflib", "16 KB query mentioning service",
         f"POST # service\nSELECT ?x {{ VALUES ?x {{ {values} }} }} LIMIT 1"),
        ("4 rdflib", "the same without the word (baseline)",
         f"POST SELECT ?x {{ VALUES ?x {{ {values} }} }} LIMIT 1"),
    ]


def send(base: str, what: str, timeout: float) -> tuple[int, bytes]:
    if what.startswith("POST "):
        request = urllib.request.Request(base + "/sparql", data=what[5:].encode(),
                                         headers={"Content-Type": "application/sparql-query"})
    else:
        request = urllib.request.Request(base + what)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, b"(no answer in time)"


def tree_mb(pid: int) -> float:
    return sum(rss_mb(p) for p in process_tree(pid, process_children()))


def measure(server: Server, what: str, hits: list[str], timeout: float) -> list[object]:
    """Send one request; meanwhile sample the server's memory and time ``/healthz``."""
    before, peak, health = tree_mb(server.process.pid), [0.0], []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_mb(server.process.pid))
            time.sleep(0.05)

    def probe() -> None:
        while not done.is_set():
            started = time.perf_counter()
            status, _ = send(server.base, "/healthz", timeout)
            health.append(time.perf_counter() - started if status == 200 else float("inf"))
            time.sleep(0.1)

    threads = [threading.Thread(target=watch), threading.Thread(target=probe)]
    for thread in threads:
        thread.start()
    calls = len(hits)
    started = time.perf_counter()
    status, body = send(server.base, what, timeout)
    seconds = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()
    return [status, seconds, peak[0] - before, max(health, default=0.0), len(hits) - calls,
            "yes" if b"SECRET" in body else "no",
            body[:70].decode("utf-8", "replace").replace("\n", " ").replace("|", "/")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("Example:")[1])
    parser.add_argument("--build-dir", type=Path, required=True, help="a build folder with a snapshot")
    parser.add_argument("--timeout", type=float, default=40.0, help="seconds per request")
    parser.add_argument("--max-gb", type=float, default=6.0, help="address-space limit per process")
    args = parser.parse_args(argv)
    limit = int(args.max_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # inherited by the server
    port = free_port()
    env = {**os.environ, "VEIKART_ROOT": str(REPO), "VEIKART_BUILD_DIR": str(args.build_dir.resolve()),
           "VEIKART_QUERY_TIMEOUT": "10"}
    log = args.build_dir / f"hostile-{port}.log"
    command = [sys.executable, "-m", "veikart_graph", "serve", "--port", str(port), "--workers", "2"]
    server = Server("ours", f"http://127.0.0.1:{port}", "/sparql", spawn(command, log, env),
                    time.perf_counter(), log=log)
    wait_ready(server, ["/sparql"], 120)
    rows = []
    try:
        with loopback_host(b"SECRET-banner") as (endpoint, hits):
            send(server.base, "/search.json?q=helse", args.timeout)  # warm the workers
            for finding, name, what in cases(endpoint):
                progress(f"{finding}: {name}")
                rows.append([finding, name, *measure(server, what, hits, args.timeout)])
    finally:
        server.stop()
    print(f"{machine()}, commit {git_commit()}, code from {os.environ.get('PYTHONPATH', '(installed)')}\n")
    print(table(["finding", "reproduction", "status", "s", "RSS growth MiB", "max /healthz s",
                 "host hits", "remote body shown", "answer"], rows))
    print(f"\nsummary: {sum(1 for r in rows if r[2] in (400, 403))} of {len(rows)} answered 400/403")
    return 0


if __name__ == "__main__":
    sys.exit(main())
