#!/usr/bin/env python3
"""What taking the network away from a query process costs (``veikart_graph.sandbox``).

Starts query processes the way the pool does (``spawn``), alternating with and without a new
network namespace, and measures the time from start to "ready": first a bare process (only the
``unshare`` call: its own cost), then a full query process on a snapshot (load + ready), when
``--snapshot`` names a built ``dataset.nq``. Median and max over ``--repeat`` starts each.

Example:
    python3 bench/sandbox_bench.py --repeat 20 --snapshot build/snapshots/<hash>/dataset.nq
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from common import git_commit, machine, progress, save_json, table

from veikart_graph.executor import CONTEXT, PoolConfig, _Slot
from veikart_graph.sandbox import isolate_network


def _bare(conn, isolate: bool) -> None:  # noqa: ANN001 - a Pipe end
    conn.send(isolate_network() if isolate else "not asked")


def bare_start(isolate: bool) -> tuple[float, str]:
    parent, child = CONTEXT.Pipe()
    started = time.perf_counter()
    process = CONTEXT.Process(target=_bare, args=(child, isolate))
    process.start()
    status = parent.recv()
    seconds = time.perf_counter() - started
    process.join()
    return seconds, status


def slot_start(snapshot: Path, isolate: bool) -> tuple[float, str]:
    started = time.perf_counter()
    slot = _Slot(PoolConfig(dataset_path=snapshot, size=1, network=not isolate))
    if not slot.wait_ready(timeout=300):
        raise SystemExit("a query process did not start")
    seconds = time.perf_counter() - started
    slot.kill()
    return seconds, slot.network


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("Example:")[1])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--snapshot", type=Path, help="a snapshot's dataset.nq (full query processes)")
    parser.add_argument("--json", type=Path, help="write raw results here")
    args = parser.parse_args(argv)
    kinds = [("bare process", bare_start)]
    if args.snapshot:
        kinds.append(("query process", lambda isolate: slot_start(args.snapshot, isolate)))
    rows, raw = [], {}
    for name, start in kinds:
        times: dict[bool, list[float]] = {True: [], False: []}
        statuses = set()
        for i in range(args.repeat):
            for isolate in (False, True):
                seconds, status = start(isolate)
                times[isolate].append(seconds * 1000)
                statuses.add(status) if isolate else None
            progress(f"{name}: {i + 1}/{args.repeat}")
        off, on = statistics.median(times[False]), statistics.median(times[True])
        rows.append([name, off, on, on - off, max(times[True]), ", ".join(sorted(statuses))])
        raw[name] = {"ms_without": times[False], "ms_with": times[True], "status": sorted(statuses)}
    print(f"{machine()}, commit {git_commit()}\n")
    print(table(["start", "median ms, network", "median ms, isolated", "cost ms", "max ms, isolated",
                 "isolation"], rows))
    first = rows[-1]
    print(f"\nsummary: a new network namespace adds {first[3]:.1f} ms (median) to starting a {first[0]}")
    save_json(args.json, raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
