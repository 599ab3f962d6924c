"""Closed-loop load with wrk (Debian's ``wrk``): c connections, one per wrk thread.

Request rate from wrk's own count; latency percentiles from raw per-request timings written by
``mix.lua`` (see there why). Each cell ends with a drain: one probe request waits behind
whatever the server still has queued, so the next cell starts on an idle server.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import progress

LUA = Path(__file__).with_name("mix.lua")


@dataclass(frozen=True)
class Request:
    path: str
    accept: str = "*/*"
    method: str = "GET"


@dataclass
class Cell:
    """One measurement: a request mix at one concurrency against one server."""

    requests: int = 0
    seconds: float = 0.0
    rate: float = 0.0
    p50: float = float("nan")
    p95: float = float("nan")
    p99: float = float("nan")
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    per_request_p50: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian)")
    return path


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def run(base: str, requests: list[Request], concurrency: int, seconds: float) -> Cell:
    """Run wrk for ``seconds`` with ``concurrency`` connections over ``requests`` round-robin."""
    with tempfile.TemporaryDirectory(prefix="veikart-wrk-") as tmp:
        spec = Path(tmp) / "requests.tsv"
        spec.write_text("".join(f"{r.method}\t{r.path}\t{r.accept}\n" for r in requests))
        command = [wrk_path(), f"-t{concurrency}", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "120s",
                   "-s", str(LUA), base, "--", str(spec), str(Path(tmp) / "lat")]
        started = time.perf_counter()
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 180).stdout
        elapsed = time.perf_counter() - started
        samples = _read_samples(Path(tmp))
    return _cell(output, samples, elapsed, len(requests))


def _read_samples(folder: Path) -> list[tuple[float, int, int]]:
    samples = []
    for path in folder.glob("lat.*"):
        for line in path.read_text().splitlines():
            ms, status, index = line.split()
            samples.append((float(ms), int(status), int(index)))
    return samples


def _cell(output: str, samples: list[tuple[float, int, int]], elapsed: float, kinds: int) -> Cell:
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in ([\d.]+)(m?s|m)\b", output)
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    latencies = sorted(ms for ms, _, _ in samples)
    statuses: dict[int, int] = {}
    for _, status, _ in samples:
        statuses[status] = statuses.get(status, 0) + 1
    per_kind = [sorted(ms for ms, _, i in samples if i == k) for k in range(1, kinds + 1)]
    return Cell(
        requests=int(total.group(1)) if total else len(samples),
        seconds=elapsed,
        rate=float(match.group(1)) if match else len(samples) / elapsed,
        p50=percentile(latencies, 0.50), p95=percentile(latencies, 0.95), p99=percentile(latencies, 0.99),
        errors=socket_errors + sum(n for s, n in statuses.items() if not 200 <= s < 300),
        statuses=statuses,
        per_request_p50=[percentile(values, 0.5) for values in per_kind],
    )


def drain(probe, timeout: float = 180) -> float:
    """Call ``probe()`` (one request that queues behind in-flight work); return the seconds it took."""
    started = time.perf_counter()
    try:
        probe(timeout)
    except Exception as exc:  # noqa: BLE001 - a failed probe is reported, not fatal
        progress(f"    drain probe failed: {exc}")
    return time.perf_counter() - started
