"""A real ``veikart-graph serve`` process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(build_dir: Path, *, workers: int = 2, env: dict[str, str] | None = None,
                   ready_timeout: float = 60.0, root: Path = ROOT) -> Iterator[str]:
    """Start ``veikart-graph serve``; yield its base URL; stop it afterwards."""
    port = free_port()
    environment = {**os.environ, "VEIKART_ROOT": str(root), "VEIKART_BUILD_DIR": str(build_dir),
                   **(env or {})}
    log = open(build_dir / f"serve-{port}.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "veikart_graph", "serve", "--port", str(port), "--workers", str(workers)],
        env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    running_server.process = process  # type: ignore[attr-defined]
    try:
        _wait_ready(base, process, ready_timeout)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_ready(base: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not become ready")


class _Host(BaseHTTPRequestHandler):
    """A host a query must not reach: records each request, answers 500 with ``body``."""

    hits: list[str]
    body: bytes

    def _answer(self) -> None:
        self.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(500)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer  # noqa: N815 - http.server's API

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def loopback_host(body: bytes) -> Iterator[tuple[str, list[str]]]:
    """An HTTP host on loopback; yields its ``/sparql`` URL and the list of paths it was asked."""
    hits: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Host", (_Host,), {"hits": hits, "body": body}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()


def post_query(base: str, query: str, accept: str = "application/sparql-results+json",
               timeout: float = 30) -> tuple[int, bytes]:
    """POST ``query`` to ``base``/sparql (SPARQL 1.1 Protocol §2.1.3, direct): status and body,
    error statuses included."""
    request = urllib.request.Request(base + "/sparql", data=query.encode("utf-8"),
                                     headers={"Content-Type": "application/sparql-query", "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
