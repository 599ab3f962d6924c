"""Running the app under gunicorn (pre-fork WSGI server, several worker processes).

Reload without dropping requests: when ``build/current`` points at a new snapshot (a build
finished) or the master gets ``SIGHUP``, gunicorn starts new workers on the new snapshot and
lets the old ones finish what they are answering. A worker loads exactly one snapshot, so every
answer comes wholly from the old or wholly from the new one.

A new snapshot is verified first (``snapshot.verify_snapshot``: manifest, content hash, the
engine's parser) in the master, before any worker is replaced. One that fails is refused: the
workers keep serving the last good snapshot, the refusal is logged and written to
``build/rejected.json``, which ``/readyz`` and ``/metrics`` report, until a good one arrives.
Workers load the snapshot the master verified, never ``current`` unchecked.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from .metrics import prepare_multiprocess, worker_exited
from .settings import Settings
from .snapshot import (
    CURRENT,
    Snapshot,
    SnapshotInvalid,
    clear_rejection,
    record_rejection,
    verify_snapshot,
)

WATCH_SECONDS = 1.0


log = logging.getLogger(__name__)


def watch_snapshot(build_dir: Path, seen: Path, stop: threading.Event,
                   accept: Callable[[Snapshot], None]) -> None:
    """Whenever ``build/current`` points at a new folder, verify it; ``accept`` a good snapshot
    (the server reloads its workers on it), refuse a bad one and keep serving ``seen``."""
    link = build_dir / CURRENT
    while not stop.wait(WATCH_SECONDS):
        target = link.resolve() if link.exists() else None
        if target is None or target == seen:
            continue
        seen = target
        try:
            snapshot = verify_snapshot(target)
        except SnapshotInvalid as exc:
            log.error("%s; still serving the previous snapshot", exc.message)
            record_rejection(build_dir, exc, target)
            continue
        clear_rejection(build_dir)
        log.info("new snapshot %s: reloading workers", target.name)
        accept(snapshot)


class VeikartServer(BaseApplication):
    """gunicorn with our settings; each worker creates its own app on the current snapshot."""

    def __init__(self, settings: Settings, snapshot: Snapshot,
                 options: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self.served = snapshot  # the verified snapshot that workers load (inherited at fork)
        self.stop_watching = threading.Event()
        self.options = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": settings.workers,
            "threads": settings.threads,
            "worker_class": "gthread",
            # a worker blocked longer than this is restarted; queries are cut off far earlier
            "timeout": int(settings.query_timeout * 3 + 30),
            "graceful_timeout": int(settings.query_timeout + 10),
            "keepalive": 5,
            "limit_request_line": 8190,
            "limit_request_fields": 100,
            "accesslog": None,  # our structured access log (web/ops.py) replaces it
            "when_ready": self._when_ready,
            "on_exit": lambda _server: self.stop_watching.set(),
            "child_exit": lambda _server, worker: worker_exited(worker.pid),
            **(options or {}),
        }
        super().__init__()

    def _when_ready(self, server: Any) -> None:
        def accept(snapshot: Snapshot) -> None:
            self.served = snapshot
            os.kill(server.pid, signal.SIGHUP)

        thread = threading.Thread(
            target=watch_snapshot,
            args=(self.settings.snapshot_root, self.served.path, self.stop_watching, accept),
            daemon=True)
        thread.start()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # noqa: ANN201 - gunicorn's API
        from .web import create_app

        configure_logging()
        app = create_app(self.settings, snapshot=self.served)
        if self.settings.store == "embedded":
            app.extensions["veikart"].pool()  # start the query processes before serving
        return app


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("veikart_graph.access")
    if not access.handlers:
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False


def run_server(settings: Settings, snapshot: Snapshot) -> None:
    """Serve ``snapshot`` (verified first: a damaged one is refused before any worker starts).
    The workers' metrics go to one temporary folder, summed by whichever worker is scraped."""
    verified = verify_snapshot(snapshot.path)
    folder = Path(tempfile.mkdtemp(prefix="veikart-metrics-"))
    master = os.getpid()
    try:
        prepare_multiprocess(folder)
        VeikartServer(settings, verified).run()
    finally:
        # Workers are forked inside run() and leave it through here too (SystemExit): only the
        # master removes the folder (a TemporaryDirectory's finalizer ran in every exiting worker
        # and deleted it under the others: the next worker then failed to boot).
        if os.getpid() == master:
            shutil.rmtree(folder, ignore_errors=True)
