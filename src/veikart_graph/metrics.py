"""Request counters and a latency histogram in the Prometheus text format, for all workers at once.

Under ``serve`` every gunicorn worker records into files in one folder (prometheus_client's
multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR``, set by the master before any worker starts), and
whichever worker answers ``/metrics`` sums them: counters never jump between scrapes that reach
different workers, and counts of workers that were replaced are kept. Without that folder (tests,
a single process) the numbers are the process's own. ``veikart_snapshot_info`` has one sample per
live worker, with its ``pid``, so a reload shows which worker serves which snapshot.

prometheus_client is the reference implementation of the exposition format and of this
multiprocess aggregation; writing it again would be worse.
"""

from __future__ import annotations

import os
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, values
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def multiprocess_dir() -> Path | None:
    """The shared folder of the workers' metric files, when running under ``serve``."""
    folder = os.environ.get(MULTIPROCESS_ENV)
    return Path(folder) if folder else None


def prepare_multiprocess(folder: Path) -> None:
    """In the master, before any worker exists: an empty folder, named for every worker."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.db"):
        old.unlink()
    os.environ[MULTIPROCESS_ENV] = str(folder)
    # prometheus_client picks its value store when first imported, and the master has imported it
    # already (this module): pick again now, so the instruments workers create write to files.
    values.ValueClass = values.get_value_class()


def worker_exited(pid: int) -> None:
    """In the master, when a worker exits: its live-only gauges (snapshot info) are dropped."""
    if multiprocess_dir() is not None:
        mark_process_dead(pid)


class Metrics:
    """One app's instruments, registered in a registry of its own (several apps in one test run)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("veikart_requests", "HTTP requests answered, by endpoint and status.",
                                ["endpoint", "status"], registry=self.registry)
        self.duration = Histogram("veikart_request_duration_seconds", "Time to answer a request.",
                                  buckets=BUCKETS, registry=self.registry)
        self.timeouts = Counter("veikart_query_timeouts", "SPARQL queries stopped at the time limit.",
                                registry=self.registry)
        self.rejected = Counter("veikart_queries_rejected", "SPARQL requests refused, by status.",
                                ["status"], registry=self.registry)
        self.snapshot = Gauge("veikart_snapshot_info", "The snapshot each live worker serves.",
                              ["hash", "built_at"], registry=self.registry, multiprocess_mode="liveall")

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        self.requests.labels(endpoint, str(status)).inc()
        self.duration.observe(seconds)
        if 400 <= status < 600 and endpoint == "sparql":
            self.rejected.labels(str(status)).inc()

    def count_timeout(self) -> None:
        self.timeouts.inc()

    def serving(self, snapshot_hash: str, built_at: str) -> None:
        """Record the snapshot this process serves (once, when the app starts)."""
        self.snapshot.labels(snapshot_hash, built_at).set(1)

    def render(self, rejected: dict | None = None) -> str:
        """The text of every worker (or this process alone); ``rejected`` is the last snapshot the
        server refused, if any (a fact about the server, read from the build folder)."""
        folder = multiprocess_dir()
        if folder is None:
            registry = self.registry
        else:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=str(folder))
        lines = [generate_latest(registry).decode("utf-8").rstrip("\n"),
                 "# HELP veikart_snapshot_rejected A newer snapshot failed verification and is not served.",
                 "# TYPE veikart_snapshot_rejected gauge"]
        if rejected is None:
            lines.append("veikart_snapshot_rejected 0")
        else:
            lines.append(f'veikart_snapshot_rejected{{snapshot="{_label_value(str(rejected.get("snapshot", "")))}"}} 1')
        return "\n".join(lines) + "\n"


def _label_value(text: str) -> str:
    """A Prometheus label value: backslash, double quote and newline escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
