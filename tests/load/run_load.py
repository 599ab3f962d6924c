"""A bounded load test of ``veikart-graph serve`` on loopback (issue 7).

N clients (default 8) send requests back to back for a fixed time (default 60 s) and at most a
fixed number of requests: entity pages (``/id/…``, following the 303), roadmap views, search, and
the example SPARQL queries of ``queries/`` — with 5 % hostile requests mixed in (runaway cross
products, deep nesting, updates, LOAD and SERVICE to a blocked host, oversized queries, invalid
UTF-8, path traversal).

Counts as unexpected: any non-2xx answer to a normal request, a 5xx to a hostile one other than
503 (a query stopped at the time limit, or the query slots busy), a hostile request that is
answered 2xx, and any connection error or client timeout. Prints a table (count, errors, p50, p95,
max per kind), requests/s, the server's resident memory (the whole process tree) at the start and
at the end, and a one-line summary. Exit code 1 if anything unexpected happened.

Examples::

    python tests/load/run_load.py                          # start a server, 8 clients, 60 s
    python tests/load/run_load.py --duration 5 --clients 2  # a quick look
    python tests/load/run_load.py --url http://127.0.0.1:8000 --pid 12345  # a running server
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
HTML = {"Accept": "text/html"}
WORDS = ["helse", "legemiddelliste", "pasient", "kommune", "journal", "digital", "samhandling", "e-resept",
         "helsse", "kjernejournal", "gravide", "data", "NUIT", "PLL", "tolk", "velferdsteknologi"]
VIEWS = ["/", "/veikart/tidslinje", "/veikart/eiere", "/veikart/faser", "/veikart/brukergrupper",
         "/veikart/indikatorer", "/dataset"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MIX = {"entity": 30, "view": 30, "search": 20, "sparql": 15}  # normal kinds, weights of the 95 %
SERVER_SETTINGS = {"query_timeout": "query time limit (s)", "query_slots": "query processes per worker",
                   "queue_wait": "wait for a free query process (s)"}


@dataclass(frozen=True)
class Call:
    """One request: what to send and which final statuses count as expected."""

    kind: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expected: tuple[int, ...] = (200,)

    @property
    def hostile(self) -> bool:
        return self.kind.startswith("hostile")


@dataclass
class Outcome:
    kind: str
    status: int
    seconds: float
    error: str | None = None
    expected: bool = True


# ----------------------------------------------------------------------------- the mix


def hostile_calls() -> list[Call]:
    """Requests an attacker or a careless script sends, and how the server must answer them."""
    deep = "SELECT * WHERE " + "{" * 500 + " ?s ?p ?o " + "}" * 500
    sparql = "/sparql?query="
    return [
        Call("hostile-runaway", "GET", sparql + quote(RUNAWAY), expected=(503, 422)),
        Call("hostile-runaway", "GET", sparql + quote("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"),
             expected=(503, 422)),
        Call("hostile-nesting", "GET", sparql + quote(deep), expected=(400,)),
        Call("hostile-update", "POST", "/sparql", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
             {"Content-Type": "application/sparql-update"}, expected=(403,)),
        Call("hostile-update", "GET", sparql + quote("LOAD <http://127.0.0.1:9/x.ttl>"), expected=(403,)),
        Call("hostile-service", "GET", sparql + quote("SELECT * { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }"),
             expected=(403,)),
        Call("hostile-oversized", "POST", "/sparql", b"ASK {}" + b" " * 100_000,
             {"Content-Type": "application/sparql-query"}, expected=(413,)),
        Call("hostile-encoding", "GET", "/search?q=%ff%fe", expected=(400,)),
        Call("hostile-traversal", "GET", "/download/..%2f..%2fpyproject.toml", expected=(404,)),
        Call("hostile-traversal", "GET", "/id/..%2f..%2fetc%2fpasswd", expected=(404,)),
    ]


@dataclass
class Mix:
    """What the normal clients ask for, discovered from the running server."""

    entities: list[str]
    views: list[str]
    queries: list[str]
    hostile: list[Call] = field(default_factory=hostile_calls)
    hostile_share: float = 0.05

    def draw(self, rng: random.Random) -> Call:
        if rng.random() < self.hostile_share:
            return rng.choice(self.hostile)
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        return getattr(self, f"_{kind}")(rng)

    def _entity(self, rng: random.Random) -> Call:
        path = rng.choice(self.entities)
        accept = "text/turtle" if rng.random() < 0.2 else "text/html"
        return Call("entity", "GET", path, headers={"Accept": accept})

    def _view(self, rng: random.Random) -> Call:
        return Call("view", "GET", rng.choice(self.views) + rng.choice(["", "?lang=en"]), headers=HTML)

    def _search(self, rng: random.Random) -> Call:
        words = " ".join(rng.sample(WORDS, rng.randint(1, 2)))
        path = rng.choice(["/search", "/search.json"]) + "?q=" + quote(words)
        return Call("search", "GET", path + rng.choice(["", "&type=Activity", "&offset=20"]))

    def _sparql(self, rng: random.Random) -> Call:
        return Call("sparql", "GET", "/sparql?query=" + quote(rng.choice(self.queries)),
                    headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})


# ----------------------------------------------------------------------------- HTTP


class Client:
    """One keep-alive connection; follows a relative 303/308 as a browser would. ``address`` is
    sent as ``X-Forwarded-For``, so a server trusting one proxy hop (the started server does)
    sees each simulated client as its own address, as behind a real reverse proxy."""

    def __init__(self, base: str, timeout: float, address: str = "") -> None:
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname or "127.0.0.1", parts.port or 80, timeout
        self.address = address
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        for _ in range(3):
            status, location, data = self._once(method, path, body, headers or {})
            if status not in (301, 302, 303, 307, 308) or not location or location.startswith("http"):
                return status, data
            method, path, body = ("GET", location, None) if status == 303 else (method, location, body)
        return status, data

    def _once(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, str, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            if self.address:
                headers = {**headers, "X-Forwarded-For": self.address}
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.getheader("Location", ""), data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def get_json(base: str, path: str) -> object:
    accept = "application/sparql-results+json, application/json"
    status, data = Client(base, 30).send("GET", path, headers={"Accept": accept})
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return json.loads(data)


def discover(base: str, seed: int) -> Mix:
    """Entity paths from the graph, view paths from the view pages' links, and the example queries
    that answer 200 here (e.g. federation needs an allow-listed endpoint)."""
    query = "SELECT DISTINCT ?s WHERE { GRAPH <https://w3id.org/veikart/graph/data> { ?s a ?c } } ORDER BY ?s"
    rows = get_json(base, "/sparql?query=" + quote(query))["results"]["bindings"]
    entities = [urlsplit(r["s"]["value"]).path.removeprefix("/veikart") for r in rows if "#" not in r["s"]["value"]]
    client, views = Client(base, 30), set(VIEWS)
    for page in VIEWS:
        html = client.send("GET", page, headers=HTML)[1].decode("utf-8", "replace")
        views.update(re.findall(r'href="(/veikart/[a-z]+/[a-z0-9-]+)', html))
    queries = [e["query"] for e in get_json(base, "/sparql/examples.json") if _answers(client, e["query"])]
    random.Random(seed).shuffle(entities)
    return Mix(entities=[p for p in entities if p.startswith("/id/")], views=sorted(views), queries=queries)


def _answers(client: Client, text: str) -> bool:
    return client.send("GET", "/sparql?query=" + quote(text))[0] == 200


# ----------------------------------------------------------------------------- running


def run_clients(base: str, mix: Mix, clients: int, duration: float, max_requests: int, timeout: float,
                seed: int) -> tuple[list[Outcome], float]:
    """``clients`` threads, each sending back to back until the time or the request budget is used."""
    outcomes: list[Outcome] = []
    budget = iter(range(max_requests))
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(number: int) -> None:
        rng, client = random.Random(seed + number), Client(base, timeout, f"192.0.2.{number % 254 + 1}")
        while time.monotonic() < deadline:
            with lock:
                if next(budget, None) is None:
                    break
            outcome = one_request(client, mix.draw(rng))
            with lock:
                outcomes.append(outcome)
        client.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, time.monotonic() - started


def one_request(client: Client, call: Call) -> Outcome:
    start = time.perf_counter()
    try:
        status, body = client.send(call.method, call.path, call.body, call.headers)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(call.kind, 0, time.perf_counter() - start, f"{type(exc).__name__}: {exc}", False)
    seconds = time.perf_counter() - start
    expected = status in call.expected or (call.hostile and status == 503)
    note = None if expected else body[:100].decode("utf-8", "replace").splitlines()[0] if body else ""
    return Outcome(call.kind, status, seconds, note, expected)


# ----------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def started_server(workers: int, log_dir: Path, settings: dict[str, str]) -> Iterator[tuple[str, int]]:
    """``veikart-graph serve`` on a free loopback port, building into ``log_dir``; stopped after."""
    port = free_port()
    env = {**os.environ, "VEIKART_ROOT": str(ROOT), "VEIKART_BUILD_DIR": str(log_dir / "build"),
           "VEIKART_HOST": "127.0.0.1", "VEIKART_PROXY_HOPS": "1", **settings}
    log = open(log_dir / "serve.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "veikart_graph", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, process)
        yield base, process.pid
    finally:
        stop(process)
        log.close()


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see serve.log")
        try:
            if Client(base, 5).send("GET", "/readyz")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not become ready")


def stop(process: subprocess.Popen) -> None:
    """Stop the server we started (its own process group: gunicorn, workers, query processes)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def rss_mib(pid: int | None) -> float | None:
    """Resident memory of ``pid`` and all its descendants, in MiB (Linux /proc)."""
    if pid is None or not Path(f"/proc/{pid}").exists():
        return None
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
        rss[int(stat.parent.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, grew = {pid}, True
    while grew:
        found = {child for child, parent in parents.items() if parent in tree} - tree
        tree, grew = tree | found, bool(found)
    return sum(rss.get(p, 0) for p in tree) / 2**20


# ----------------------------------------------------------------------------- report


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def table_row(kind: str, rows: list[Outcome]) -> str:
    ms = [o.seconds * 1000 for o in rows]
    statuses = " ".join(f"{status}:{n}" for status, n in sorted(Counter(o.status for o in rows).items()))
    return (f"{kind:<18}{len(rows):>9}{sum(not o.expected for o in rows):>11}{percentile(ms, .5):>9.1f}"
            f"{percentile(ms, .95):>9.1f}{max(ms):>9.1f}  {statuses}")


def report(outcomes: list[Outcome], elapsed: float, memory: tuple[float | None, float | None],
           args: argparse.Namespace, base: str) -> int:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    print(f"\n{'kind':<18}{'requests':>9}{'unexpected':>11}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  statuses")
    for kind in sorted(by_kind, key=lambda k: (k.startswith("hostile"), k)):
        print(table_row(kind, by_kind[kind]))
    normal = [o.seconds * 1000 for o in outcomes if not o.kind.startswith("hostile")]
    bad = [o for o in outcomes if not o.expected]
    for (kind, status, note), n in Counter((o.kind, o.status, o.error) for o in bad).most_common(10):
        print(f"  unexpected: {n} x {kind} {status} {note or ''}")
    start, end = (f"{m:.0f} MiB" if m is not None else "n/a" for m in memory)
    print(f"\nnormal requests: p50 {percentile(normal, .5):.1f} ms, p95 {percentile(normal, .95):.1f} ms; "
          f"{len(outcomes) / elapsed:.1f} requests/s; server RSS {start} at start, {end} at end")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()} {platform.release()}, load average "
          f"{args.load_before:.1f} before, {os.getloadavg()[0]:.1f} after; server {base}")
    verdict = "OK" if not bad else "FAILED"
    print(f"{verdict}: {len(outcomes)} requests in {elapsed:.1f} s by {args.clients} clients, {len(bad)} unexpected, "
          f"normal p95 {percentile(normal, .95):.1f} ms, RSS {start} -> {end}")
    return 0 if not bad else 1


# ----------------------------------------------------------------------------- command line


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  python tests/load/run_load.py --duration 60 --clients 8\n"
               "  python tests/load/run_load.py --duration 10 --clients 2 --query-timeout 2\n"
               "  python tests/load/run_load.py --url http://127.0.0.1:8000 --pid 12345")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds to send requests (default 60)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--url", help="a running server on loopback; default: start `veikart-graph serve`")
    parser.add_argument("--pid", type=int, help="the running server's master pid, for its memory (with --url)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the started server (default 2)")
    for name, what in SERVER_SETTINGS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", help=f"{what} of the started server (default: its own)")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after this many (default 1000000)")
    parser.add_argument("--hostile", type=float, default=0.05, help="share of hostile requests (default 0.05)")
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout per request, s (default 30)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the mix (default 7)")
    args = parser.parse_args(argv)
    if args.url and urlsplit(args.url).hostname not in LOOPBACK:
        parser.error(f"--url must be on loopback ({', '.join(sorted(LOOPBACK))}); this test never leaves the machine")
    args.load_before = os.getloadavg()[0]
    return args


def load_test(base: str, pid: int | None, args: argparse.Namespace) -> int:
    mix = discover(base, args.seed)
    print(f"mix: {len(mix.entities)} entities, {len(mix.views)} views, {len(WORDS)} search words, "
          f"{len(mix.queries)} example queries, {len(mix.hostile)} hostile requests at {args.hostile:.0%}")
    mix.hostile_share = 0.0  # warm every worker, its search index and its query processes first
    run_clients(base, mix, args.clients, 10.0, args.clients * 25, args.timeout, args.seed + 1000)
    mix.hostile_share = args.hostile
    before = rss_mib(pid)
    outcomes, elapsed = run_clients(base, mix, args.clients, args.duration, args.max_requests, args.timeout,
                                    args.seed)
    return report(outcomes, elapsed, (before, rss_mib(pid)), args, base)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.url:
        return load_test(args.url.rstrip("/"), args.pid, args)
    work = Path(tempfile.mkdtemp(prefix="veikart-load-"))
    settings = {f"VEIKART_{name.upper()}": str(getattr(args, name)) for name in SERVER_SETTINGS
                if getattr(args, name) is not None}
    try:
        with started_server(args.workers, work, settings) as (base, pid):
            return load_test(base, pid, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
