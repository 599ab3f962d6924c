"""Start and stop the servers under test, each on a free loopback port, on the same data.

* ``ours``: ``veikart-graph --root <size> serve`` (gunicorn, 2 workers, query processes).
* ``oxigraph``: ``oxigraph serve-read-only`` on a RocksDB store (``oxigraph load``), union
  default graph: the usual deployment of Oxigraph's own server.
* ``oxigraph-mem``: ``oxigraph serve`` in memory, data POSTed to ``/store``: tells storage
  apart from the server.
* ``rdflib-endpoint``: one uvicorn process, rdflib ``Dataset(default_union=True)``.

The baselines get the snapshot's N-Quads minus the ``shapes`` graph, which is exactly our
SPARQL default graph (the union of data, inferred, ontology and metadata). Baseline tools come
from PyPI into their own venv (``bench/work/venv-baselines``), installed on first use.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from common import WORK, free_port, process_children, process_tree, progress, rss_mb

VENV = WORK / "venv-baselines"
BASELINE_PACKAGES = ["oxigraph", "rdflib-endpoint", "uvicorn"]
SHAPES_GRAPH = b"<https://w3id.org/veikart/graph/shapes> .\n"
ASK = "ASK { ?s ?p ?o }"


def ensure_venv() -> Path:
    """The baselines' venv (created and filled from PyPI on first use)."""
    if not (VENV / "bin" / "oxigraph").exists() or not (VENV / "bin" / "rdflib-endpoint").exists():
        progress(f"installing {', '.join(BASELINE_PACKAGES)} into {VENV} ...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", *BASELINE_PACKAGES], check=True)
    return VENV / "bin"


def baseline_nquads(snapshot_nq: Path, out: Path) -> Path:
    """The snapshot's quads without the shapes graph (rewritten when the snapshot is newer)."""
    if out.exists() and out.stat().st_mtime >= snapshot_nq.stat().st_mtime:
        return out
    with open(snapshot_nq, "rb") as src, open(out, "wb") as dst:
        for line in src:
            if not line.endswith(SHAPES_GRAPH):
                dst.write(line)
    return out


def get(url: str, timeout: float = 5.0, accept: str = "*/*") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError, TimeoutError):
        return 0, b""


@dataclass
class Server:
    """One running server: where to send queries, and its process (group) for RSS and stop."""

    name: str
    base: str
    query_path: str
    process: subprocess.Popen
    started: float
    ready_s: float = 0.0
    log: Path | None = None
    notes: list[str] = field(default_factory=list)

    def query_url(self, text: str) -> str:
        return f"{self.base}{self.query_path}?{urllib.parse.urlencode({'query': text})}"

    def memory(self) -> dict[str, object]:
        """RSS (MiB) of the whole process tree, of the main process, and of each child's subtree
        (for ours: each gunicorn worker together with its query processes)."""
        children = process_children()
        tree = process_tree(self.process.pid, children)
        subtrees = [sum(rss_mb(p) for p in process_tree(c, children)) for c in children.get(self.process.pid, [])]
        return {"total_mb": round(sum(rss_mb(p) for p in tree), 1), "processes": len(tree),
                "main_mb": round(rss_mb(self.process.pid), 1),
                "per_worker_mb": [round(m, 1) for m in subtrees]}

    def stop(self) -> None:
        """Stop the process group this server was started in (its own session), by id."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=5)


def spawn(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    handle = open(log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def wait_ready(server: Server, probe_paths: list[str], timeout: float) -> Server:
    """Poll until a probe answers 200; sets ``ready_s`` and picks the working query path."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}; see {server.log}")
        for path in probe_paths:
            status, _ = get(f"{server.base}{path}?{urllib.parse.urlencode({'query': ASK})}",
                            timeout=2, accept="application/sparql-results+json")
            if status == 200:
                server.ready_s = time.perf_counter() - server.started
                server.query_path = path
                return server
        time.sleep(0.02)
    server.stop()
    raise RuntimeError(f"{server.name} not ready after {timeout:.0f} s; see {server.log}")


def start_ours(root: Path, logs: Path, workers: int = 2, timeout: float = 120) -> Server:
    port = free_port()
    env = {**os.environ, "VEIKART_QUERY_TIMEOUT": "60", "VEIKART_QUEUE_WAIT": "60"}
    command = ["veikart-graph", "--root", str(root), "serve", "--port", str(port), "--workers", str(workers)]
    log = logs / "ours.log"
    started = time.perf_counter()
    server = Server("ours", f"http://127.0.0.1:{port}", "/sparql", spawn(command, log, env), started, log=log)
    return wait_ready(server, ["/sparql"], timeout)


def start_oxigraph(nquads: Path, logs: Path, timeout: float = 120) -> Server:
    """``oxigraph serve-read-only`` on a RocksDB store loaded once per snapshot."""
    bin_dir = ensure_venv()
    location = nquads.with_name("oxigraph-db")
    stamp = location / ".loaded-from"
    if not stamp.exists() or stamp.read_text() != str(nquads.stat().st_mtime):
        subprocess.run(["rm", "-rf", str(location)], check=True)
        progress(f"  oxigraph load {nquads.name} → {location.name} ...")
        subprocess.run([str(bin_dir / "oxigraph"), "load", "--location", str(location), "--file", str(nquads)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stamp.write_text(str(nquads.stat().st_mtime))
    port = free_port()
    command = [str(bin_dir / "oxigraph"), "serve-read-only", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    log = logs / "oxigraph.log"
    server = Server("oxigraph", f"http://127.0.0.1:{port}", "/query", spawn(command, log),
                    time.perf_counter(), log=log)
    return wait_ready(server, ["/query"], timeout)


def start_oxigraph_mem(nquads: Path, logs: Path, timeout: float = 300) -> Server:
    bin_dir = ensure_venv()
    port = free_port()
    command = [str(bin_dir / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    log = logs / "oxigraph-mem.log"
    server = Server("oxigraph-mem", f"http://127.0.0.1:{port}", "/query", spawn(command, log),
                    time.perf_counter(), log=log)
    wait_ready(server, ["/query"], 30)
    request = urllib.request.Request(f"{server.base}/store", data=nquads.read_bytes(), method="POST",
                                     headers={"Content-Type": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if response.status not in (200, 201, 204):
            raise RuntimeError(f"oxigraph-mem: loading the data answered {response.status}")
    server.ready_s = time.perf_counter() - server.started
    return server


def start_rdflib_endpoint(nquads: Path, logs: Path, timeout: float = 900) -> Server:
    bin_dir = ensure_venv()
    port = free_port()
    command = [str(bin_dir / "rdflib-endpoint"), "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)]
    log = logs / "rdflib-endpoint.log"
    server = Server("rdflib-endpoint", f"http://127.0.0.1:{port}", "/", spawn(command, log),
                    time.perf_counter(), log=log)
    return wait_ready(server, ["/sparql", "/"], timeout)


STARTERS = {
    "ours": lambda ctx: start_ours(ctx["root"], ctx["logs"]),
    "oxigraph": lambda ctx: start_oxigraph(ctx["nquads"], ctx["logs"]),
    "oxigraph-mem": lambda ctx: start_oxigraph_mem(ctx["nquads"], ctx["logs"]),
    "rdflib-endpoint": lambda ctx: start_rdflib_endpoint(ctx["nquads"], ctx["logs"]),
}
