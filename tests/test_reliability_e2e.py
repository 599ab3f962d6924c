"""Reliability through the real server process: hostile queries, limits, reload under load."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.server import ROOT, running_server
from veikart_graph.build import build
from veikart_graph.settings import Settings

pytestmark = pytest.mark.slow
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/veikart/graph/data> { ?s ?p ?o } }"
HOSTILE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://x/p>|!<http://x/p>)* ?o . ?o ?p ?q . ?q ?r ?t . ?t ?u ?v }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(f'"{i}"' for i in range(3000))
    + " } ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT * WHERE " + "{" * 65 + " ?s ?p ?o " + "}" * 65,
    "SELECT * WHERE " + "{" * 500 + " ?s ?p ?o " + "}" * 500,
]


def get(url: str, timeout: float = 10) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def query_url(base: str, text: str) -> str:
    return base + "/sparql?query=" + urllib.parse.quote(text)


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (gunicorn master, workers, query slots)."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if status.parent.name == str(pid) or _descends(int(status.parent.name), pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


def _descends(pid: int, ancestor: int) -> bool:
    for _ in range(5):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
    return False


@pytest.fixture(scope="module")
def server(snapshot):
    build_dir = Path(snapshot.path).parents[1]
    env = {"VEIKART_QUERY_TIMEOUT": "1.5", "VEIKART_QUERY_MEMORY_MB": "1024",
           "VEIKART_QUERY_SLOTS": "2", "VEIKART_QUEUE_WAIT": "0.5"}
    with running_server(build_dir, env=env) as base:
        yield base, running_server.process.pid


def test_fifty_hostile_queries_are_stopped_and_memory_stays_bounded(server):
    """Each is refused or stopped with a clear 4xx/5xx; simple queries answer within 1 s
    throughout; the server's memory does not grow across 50 such queries."""
    base, pid = server
    for text in HOSTILE:  # warm every worker and slot once
        get(query_url(base, text), timeout=20)
    before = rss_kb(pid)
    stop = threading.Event()
    slow: list[float] = []

    def probe() -> None:
        while not stop.is_set():
            start = time.monotonic()
            status, _, _ = get(query_url(base, "ASK { ?s ?p ?o }"), timeout=5)
            slow.append(time.monotonic() - start if status == 200 else 99.0)
            time.sleep(0.2)

    thread = threading.Thread(target=probe)
    thread.start()
    statuses = []
    for i in range(50):
        status, _, body = get(query_url(base, HOSTILE[i % len(HOSTILE)]), timeout=20)
        statuses.append(status)
        assert status in (400, 413, 414, 422, 503), (status, body[:200])
        assert body.strip(), "an error must say what happened"
    stop.set()
    thread.join()
    assert max(slow) < 1.0, f"a simple query took {max(slow):.2f} s"
    time.sleep(2)
    after = rss_kb(pid)
    assert after < before * 1.5 + 50_000, (before, after)


def test_query_slots_full_gives_503_with_retry_after(server):
    base, _ = server
    runaway = query_url(base, HOSTILE[0])
    results: list[tuple[int, dict]] = []
    threads = [threading.Thread(target=lambda: results.append(get(runaway, timeout=30)[:2])) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    overloaded = [h for status, h in results if status == 503 and "Retry-After" in h]
    assert overloaded, [s for s, _ in results]


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    settings = Settings(root=tmp_path, build_dir=tmp_path / "build")
    build(settings)
    return settings


def test_reload_under_load_drops_nothing_and_never_mixes(project: Settings):
    """A new build is picked up while clients query continuously: zero failed requests, and
    every answer matches the snapshot that its X-Snapshot header names."""
    counts: dict[str, int] = {}
    answers: list[tuple[int, str, int]] = []
    with running_server(project.snapshot_root, root=project.root) as base:
        stop = threading.Event()

        def client() -> None:
            while not stop.is_set():
                status, headers, body = get(query_url(base, COUNT), timeout=10)
                n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) if status == 200 else -1
                answers.append((status, headers.get("X-Snapshot", ""), n))

        workers = [threading.Thread(target=client) for _ in range(4)]
        for w in workers:
            w.start()
        time.sleep(1.5)
        old = build(project).snapshot.manifest  # same sources: same hash, no reload needed
        counts[old.short_hash] = old.triples_by_graph["https://w3id.org/veikart/graph/data"]
        extra = project.root / "data" / "zz-reload.ttl"
        extra.write_text(
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            '<https://w3id.org/veikart/id/mal/1> skos:altLabel "Reload-test"@nb .\n', encoding="utf-8")
        new = build(project).snapshot.manifest
        counts[new.short_hash] = new.triples_by_graph["https://w3id.org/veikart/graph/data"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(s == new.short_hash for _, s, _ in answers[-20:]):
            time.sleep(0.5)
        time.sleep(2)
        stop.set()
        for w in workers:
            w.join()
    assert answers and all(status == 200 for status, _, _ in answers), {s for s, _, _ in answers}
    served = {snap for _, snap, _ in answers}
    assert new.short_hash in served
    for _, snap, n in answers:
        assert n == counts[snap], (snap, n, counts)


def _wait_for(check, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def test_a_truncated_snapshot_is_refused_and_the_old_one_keeps_serving(project: Settings):
    """Issue 16, finding 7: pointing ``build/current`` at a truncated snapshot used to make
    gunicorn exit. Now the master verifies it first, keeps the workers on the last good snapshot,
    and /readyz and /metrics say which snapshot was refused and why; a good build then reloads."""
    from veikart_graph.snapshot import current_snapshot, point_current

    build_dir = project.snapshot_root
    served = current_snapshot(build_dir)
    with running_server(build_dir, root=project.root) as base:
        process = running_server.process
        bad = build_dir / "snapshots" / "zz-truncated"
        shutil.copytree(served.path, bad)
        data = bad / "dataset.nq"
        data.write_bytes(data.read_bytes()[: data.stat().st_size // 3])
        point_current(build_dir, bad)

        def refused() -> bool:
            status, _, body = get(base + "/readyz")
            return status == 200 and "rejected" in json.loads(body)

        assert _wait_for(refused), "the refusal never showed in /readyz"
        assert process.poll() is None, "the server exited on a damaged snapshot"
        status, _, body = get(base + "/readyz")
        rejected = json.loads(body)["rejected"]
        assert rejected["snapshot"] == "zz-truncated" and "content hash" in rejected["reason"]
        status, headers, body = get(query_url(base, COUNT))
        assert status == 200 and headers["X-Snapshot"] == served.manifest.short_hash
        _, _, metrics = get(base + "/metrics")
        assert 'veikart_snapshot_rejected{' in metrics.decode() and 'snapshot="zz-truncated"} 1' in metrics.decode()

        (project.root / "data" / "zz-after.ttl").write_text(
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            '<https://w3id.org/veikart/id/mal/1> skos:altLabel "Etter feil"@nb .\n', encoding="utf-8")
        new = build(project).snapshot.manifest
        assert _wait_for(lambda: get(query_url(base, COUNT))[1].get("X-Snapshot") == new.short_hash), \
            "a good snapshot after a refused one was not picked up"
        assert "rejected" not in json.loads(get(base + "/readyz")[2])


@pytest.fixture(scope="module")
def gated(snapshot):
    """One worker, 8 threads, 6 query slots, 2 queries per client, behind one trusted proxy."""
    env = {"VEIKART_QUERY_TIMEOUT": "3", "VEIKART_QUERY_SLOTS": "6", "VEIKART_THREADS": "8",
           "VEIKART_CLIENT_QUERIES": "2", "VEIKART_PROXY_HOPS": "1"}  # queue_wait: the default (10 s)
    with running_server(Path(snapshot.path).parents[1], workers=1, env=env) as base:
        yield base


def _runaway(base: str, client: str, results: list) -> None:
    request = urllib.request.Request(query_url(base, HOSTILE[0]), headers={"X-Forwarded-For": client})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            results.append((response.status, {}, b"", time.monotonic() - started))
    except urllib.error.HTTPError as err:
        results.append((err.code, dict(err.headers), err.read(), time.monotonic() - started))


def _burst(base: str, clients: list[str]) -> list:
    results: list = []
    threads = [threading.Thread(target=_runaway, args=(base, c, results)) for c in clients]
    for t in threads:
        t.start()
    return [results, threads]


def test_one_client_cannot_take_every_slot(gated):
    """Issue 16, finding 6: one client's slow queries beyond its share are refused at once
    (503 + Retry-After, RFC 9110 §10.2.3), not queued behind the others."""
    results, threads = _burst(gated, ["203.0.113.7"] * 5)
    for t in threads:
        t.join()
    refused = [r for r in results if b"queries from your address" in r[2]]
    ran = [r for r in results if b"ran longer than" in r[2]]
    assert len(ran) == 2 and len(refused) == 3, [(s, b[:80]) for s, _, b, _ in results]
    assert all(r[0] == 503 and "Retry-After" in r[1] and r[3] < 1.0 for r in refused)


def test_pages_and_health_answer_while_every_slot_is_busy(gated):
    """Issue 16, finding 6: with all query slots taken by slow queries (8 clients), the extra
    queries are refused at once and /healthz and pages still answer within a second."""
    results, threads = _burst(gated, [f"198.51.100.{i}" for i in range(8)])
    time.sleep(1.0)
    timings = []
    for path in ("/healthz", "/page/id/mal/1", "/veikart/mal/1", "/healthz"):
        started = time.monotonic()
        status, _, _ = get(gated + path, timeout=10)
        timings.append((path, status, time.monotonic() - started))
    for t in threads:
        t.join()
    assert all(status == 200 and took < 1.0 for _, status, took in timings), timings
    busy = [r for r in results if b"as many queries as it takes at once" in r[2]]
    assert len(busy) == 2 and all(r[3] < 1.0 for r in busy), [(s, b[:80]) for s, _, b, _ in results]
