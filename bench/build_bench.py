#!/usr/bin/env python3
"""Build benchmark: ``veikart-graph build`` per size, each in a fresh process.

Reports the build's own step timings (its "<step> done in <s> s" lines: load = parse, infer,
validate = SHACL, snapshot, and any step added since), the whole command's wall time, "other" =
wall minus the steps (interpreter start and imports, dataset metadata, post-build hooks that
print no step; 0 when steps nest, e.g. a search-index step inside the snapshot step), peak RSS
of the build process (``os.wait4``), its CPU time (user + system: on a shared machine wall time
grows with other load, CPU time much less; the 1-minute load average before the build is shown
too) and the snapshot's triple counts. ``real`` builds the repository's own data (into a temporary build
folder, never the repository's build/). Sizes that are not generated yet are generated first.

Example:
    python3 bench/build_bench.py real 10k 100k --timeout 600
    python3 bench/build_bench.py 1m --timeout 1800 --json bench/results/build-1m.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from common import REPO, WORK, git_commit, machine, parse_size, progress, save_json, size_root, table

TARGETS = {"build": 3.0, "10k": None, "100k": 20.0, "1m": 120.0}
MEMORY_LIMIT_MB = 4096
STEP_ORDER = ("load", "infer", "releases", "validate", "snapshot")


@dataclass
class BuildRun:
    size: str
    ok: bool
    wall_s: float
    peak_rss_mb: float
    cpu_s: float = 0.0
    load_before: float = 0.0
    data_triples: int = 0
    total_triples: int = 0
    inferred_triples: int = 0
    steps: dict[str, float] = field(default_factory=dict)
    note: str = ""


def ensure_generated(label: str, work: Path) -> Path:
    if label == "real":
        return REPO
    root = size_root(label, work)
    if not (root / "data").is_dir():
        parse_size(label)
        progress(f"{label} is not generated yet: generating")
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), label,
                        "--out", str(work)], check=True)
    return root


def run_build(root: Path, build_dir: Path, timeout: float) -> tuple[int | None, float, float, float, str]:
    """One build in a fresh process: (exit code or None on timeout, wall s, CPU s, peak RSS MiB, tail)."""
    env = {**os.environ, "VEIKART_BUILD_DIR": str(build_dir)}
    command = ["veikart-graph", "--root", str(root), "build"]
    log = tempfile.TemporaryFile()
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = start + timeout
    status = None
    while time.perf_counter() < deadline:
        pid, wait_status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            status = os.waitstatus_to_exitcode(wait_status)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if status is None:
        process.kill()
        _, _, usage = os.wait4(process.pid, 0)
    process.returncode = status if status is not None else -9
    log.seek(0)
    return status, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, log.read().decode(errors="replace")


def printed_steps(output: str) -> dict[str, float]:
    """The build's "<step> done in <s> s" progress lines (these include the snapshot step)."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^\s*(\S+) done in ([\d.]+) s", output, re.M)}


def bench_size(label: str, work: Path, timeout: float) -> BuildRun:
    root = ensure_generated(label, work)
    build_dir = Path(tempfile.mkdtemp(prefix=f"veikart-bench-build-{label}-"))
    if label != "real":
        build_dir = root / "build"
        shutil.rmtree(build_dir, ignore_errors=True)
    progress(f"building {label} ({root}) with a {timeout:.0f} s limit ...")
    load = os.getloadavg()[0]
    status, wall, cpu, rss, output = run_build(root, build_dir, timeout)
    if status != 0:
        note = "timeout" if status is None else f"exit {status}: " + " / ".join(output.strip().splitlines()[-3:])
        progress(f"  {label}: FAILED ({note})")
        return BuildRun(label, False, wall, rss, cpu, load, note=note)
    manifest = json.loads((build_dir / "current" / "manifest.json").read_text())
    counts = manifest["triples_by_graph"]
    run = BuildRun(label, True, wall, rss, cpu, load,
                   data_triples=counts.get("https://w3id.org/veikart/graph/data", 0),
                   total_triples=sum(counts.values()),
                   inferred_triples=counts.get("https://w3id.org/veikart/graph/inferred", 0),
                   steps=printed_steps(output) or manifest.get("timings", {}))
    if label == "real":
        shutil.rmtree(build_dir, ignore_errors=True)
    progress(f"  {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak {rss:.0f} MiB, steps {run.steps}")
    return run


def target_for(label: str) -> float | None:
    return TARGETS["build"] if label == "real" else TARGETS.get(label)


def report(runs: list[BuildRun]) -> str:
    seen = list(dict.fromkeys(s for r in runs for s in r.steps))
    steps = [s for s in STEP_ORDER if s in seen] + [s for s in seen if s not in STEP_ORDER]
    headers = ["size", "data triples", "inferred", "snapshot triples", *[f"{s} s" for s in steps],
               "other s", "wall s", "CPU s", "load avg", "peak RSS MiB", "target s", "verdict"]
    rows = []
    for r in runs:
        target = target_for(r.size)
        if not r.ok:
            verdict = f"FAILED ({r.note})"
        elif target is None:
            verdict = "–"
        else:
            verdict = "wall " + ("ok" if r.wall_s <= target else f"miss ×{r.wall_s / target:.1f}")
            verdict += ", CPU " + ("ok" if r.cpu_s <= target else f"miss ×{r.cpu_s / target:.1f}")
            if r.peak_rss_mb > MEMORY_LIMIT_MB:
                verdict += f", over {MEMORY_LIMIT_MB} MiB"
        other = max(0.0, r.wall_s - sum(r.steps.values())) if r.ok else None  # 0 when steps nest
        rows.append([r.size, r.data_triples, r.inferred_triples, r.total_triples,
                     *[r.steps.get(s) for s in steps], other, r.wall_s, r.cpu_s, r.load_before, r.peak_rss_mb,
                     target, verdict])
    return table(headers, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["real", "10k", "100k"],
                        help="real (the repository's data), 10k, 100k, 1m … (default: real 10k 100k)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per build (default 900)")
    parser.add_argument("--work", type=Path, default=WORK, help=f"generated projects (default {WORK})")
    parser.add_argument("--json", type=Path, help="also write the runs as JSON here")
    args = parser.parse_args(argv)
    runs = [bench_size(label, args.work, args.timeout) for label in args.sizes]
    print(f"\nBuild benchmark — {machine()}, commit {git_commit()}\n")
    print(report(runs))
    failed = [r.size for r in runs if not r.ok]
    summary = ", ".join(f"{r.size} {r.wall_s:.1f} s / {r.peak_rss_mb:.0f} MiB" for r in runs if r.ok)
    print(f"\nsummary: build {summary}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    save_json(args.json, [asdict(r) for r in runs])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
