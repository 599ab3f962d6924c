"""Process-local counters and a latency histogram, written in the Prometheus text format.

Each gunicorn worker keeps its own numbers; every sample carries the worker's ``pid`` label so
a scrape that reaches different workers never mixes them up.
"""

from __future__ import annotations

import os
import threading
from collections import Counter

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()
        self.rejected: Counter[str] = Counter()
        self.timeouts = 0
        self.bucket_counts = [0] * len(BUCKETS)
        self.latency_sum = 0.0
        self.latency_count = 0

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(endpoint, status)] += 1
            self.latency_sum += seconds
            self.latency_count += 1
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    self.bucket_counts[i] += 1
            if 400 <= status < 600 and endpoint == "sparql":
                self.rejected[str(status)] += 1

    def count_timeout(self) -> None:
        with self._lock:
            self.timeouts += 1

    def render(self, snapshot_hash: str, built_at: str, rejected: dict | None = None) -> str:
        """The Prometheus text; ``rejected`` is the last snapshot the server refused, if any."""
        pid = os.getpid()
        lines = [
            "# HELP veikart_requests_total HTTP requests answered, by endpoint and status.",
            "# TYPE veikart_requests_total counter",
        ]
        with self._lock:
            for (endpoint, status), count in sorted(self.requests.items()):
                lines.append(f'veikart_requests_total{{pid="{pid}",endpoint="{endpoint}",status="{status}"}} {count}')
            lines += ["# HELP veikart_request_duration_seconds Time to answer a request.",
                      "# TYPE veikart_request_duration_seconds histogram"]
            for bound, count in zip(BUCKETS, self.bucket_counts, strict=True):
                lines.append(f'veikart_request_duration_seconds_bucket{{pid="{pid}",le="{bound}"}} {count}')
            lines.append(f'veikart_request_duration_seconds_bucket{{pid="{pid}",le="+Inf"}} {self.latency_count}')
            lines.append(f'veikart_request_duration_seconds_sum{{pid="{pid}"}} {self.latency_sum:.6f}')
            lines.append(f'veikart_request_duration_seconds_count{{pid="{pid}"}} {self.latency_count}')
            lines += ["# HELP veikart_query_timeouts_total SPARQL queries stopped at the time limit.",
                      "# TYPE veikart_query_timeouts_total counter",
                      f'veikart_query_timeouts_total{{pid="{pid}"}} {self.timeouts}',
                      "# HELP veikart_queries_rejected_total SPARQL requests refused, by status.",
                      "# TYPE veikart_queries_rejected_total counter"]
            for status, count in sorted(self.rejected.items()):
                lines.append(f'veikart_queries_rejected_total{{pid="{pid}",status="{status}"}} {count}')
        lines += ["# HELP veikart_snapshot_info The snapshot this worker serves.",
                  "# TYPE veikart_snapshot_info gauge",
                  f'veikart_snapshot_info{{pid="{pid}",hash="{snapshot_hash}",built_at="{built_at}"}} 1',
                  "# HELP veikart_snapshot_rejected A newer snapshot failed verification and is not served.",
                  "# TYPE veikart_snapshot_rejected gauge"]
        if rejected is None:
            lines.append(f'veikart_snapshot_rejected{{pid="{pid}"}} 0')
        else:
            name = _label_value(str(rejected.get("snapshot", "")))
            lines.append(f'veikart_snapshot_rejected{{pid="{pid}",snapshot="{name}"}} 1')
        return "\n".join(lines) + "\n"


def _label_value(text: str) -> str:
    """A Prometheus label value: backslash, double quote and newline escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
