"""Real triple stores for the backend tests and the scale-out benchmark: an Oxigraph server
(``oxigraph serve`` from the ``oxigraph`` PyPI package) and Virtuoso open source (Debian's
``virtuoso-opensource``), each on a free loopback port with its own data folder."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""
# The SPARQL user may update: acceptable only on a loopback test instance (docs/deploy.md).
VIRTUOSO_GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL";'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A started store process: its query URL, and ``stop()``/``start()`` to take it down and up."""

    def __init__(self, command: list[str], url: str, probe: str, log: Path) -> None:
        self.command, self.url, self.probe, self.log = command, url, probe, log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> Server:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command[0]} exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(self.probe, timeout=2) as response:
                    if response.status == 200:
                        return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.command[0]} did not answer at {self.probe} within {timeout:g} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def _ask_probe(url: str) -> str:
    return url + "?query=ASK%7B%7D"


def oxigraph_server(folder: Path, port: int | None = None) -> Server:
    """``oxigraph serve`` with its data in ``folder`` (not started yet)."""
    port = port or free_port()
    binary = shutil.which("oxigraph")
    if binary is None:
        raise RuntimeError("the `oxigraph` command is missing: pip install -e '.[test]' installs it")
    folder.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}/query"
    command = [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    return Server(command, url, _ask_probe(url), folder / "oxigraph.log")


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


class VirtuosoServer(Server):
    """virtuoso-t in the foreground with a minimal ini; the SPARQL user is granted updates."""

    def __init__(self, folder: Path, sql_port: int, http_port: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
        url = f"http://127.0.0.1:{http_port}/sparql"
        super().__init__(["virtuoso-t", "-f", "-c", str(ini)], url, _ask_probe(url), folder / "stdout.log")
        self.sql_port = sql_port

    def start(self, timeout: float = 90.0) -> Server:
        super().start(timeout)
        subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
                       check=True, capture_output=True, timeout=60)
        return self


def virtuoso_server(folder: Path) -> VirtuosoServer:
    return VirtuosoServer(folder, free_port(), free_port())


@contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()
