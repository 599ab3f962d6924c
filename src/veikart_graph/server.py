"""Running the app under gunicorn (pre-fork WSGI server, several worker processes).

Reload without dropping requests: when ``build/current`` points at a new snapshot (a build
finished) or the master gets ``SIGHUP``, gunicorn starts new workers on the new snapshot and
lets the old ones finish what they are answering. A worker loads exactly one snapshot, so every
answer comes wholly from the old or wholly from the new one.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from .settings import Settings
from .snapshot import CURRENT

WATCH_SECONDS = 1.0


def watch_snapshot(build_dir: Path, master_pid: int, stop: threading.Event) -> None:
    """Send SIGHUP to the master whenever ``build/current`` changes its target."""
    link = build_dir / CURRENT
    seen = link.resolve() if link.exists() else None
    while not stop.wait(WATCH_SECONDS):
        target = link.resolve() if link.exists() else None
        if target is not None and target != seen:
            seen = target
            logging.getLogger(__name__).info("new snapshot %s: reloading workers", target.name)
            os.kill(master_pid, signal.SIGHUP)


class VeikartServer(BaseApplication):
    """gunicorn with our settings; each worker creates its own app on the current snapshot."""

    def __init__(self, settings: Settings, options: dict[str, Any] | None = None) -> None:
        self.settings = settings
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
            **(options or {}),
        }
        super().__init__()

    def _when_ready(self, server: Any) -> None:
        thread = threading.Thread(
            target=watch_snapshot, args=(self.settings.snapshot_root, server.pid, self.stop_watching),
            daemon=True)
        thread.start()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # noqa: ANN201 - gunicorn's API
        from .snapshot import current_snapshot
        from .web import create_app

        configure_logging()
        app = create_app(self.settings, snapshot=current_snapshot(self.settings.snapshot_root))
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


def run_server(settings: Settings) -> None:
    VeikartServer(settings).run()
