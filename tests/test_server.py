"""The master's snapshot watcher: verify before reloading, refuse a damaged snapshot (issue 16,
finding 7). The end-to-end case, through a real server, is in test_reliability_e2e.py."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from veikart_graph.server import watch_snapshot
from veikart_graph.snapshot import DATASET_FILE, Snapshot, point_current, read_rejection


def _watch(build_dir: Path, served: Path, until: float = 5.0) -> list[Snapshot]:
    """Run the watcher until it accepts or refuses ``current`` (or ``until`` seconds pass)."""
    accepted: list[Snapshot] = []
    before = read_rejection(build_dir)
    stop = threading.Event()
    thread = threading.Thread(target=watch_snapshot, args=(build_dir, served, stop, accepted.append))
    thread.start()
    deadline = time.monotonic() + until
    while time.monotonic() < deadline and not accepted and read_rejection(build_dir) == before:
        time.sleep(0.1)
    stop.set()
    thread.join()
    return accepted


def test_a_damaged_snapshot_is_refused_and_a_good_one_accepted(snapshot: Snapshot, tmp_path: Path):
    snapshots = tmp_path / "snapshots"
    good = snapshots / "good"
    bad = snapshots / "bad"
    shutil.copytree(snapshot.path, good)
    shutil.copytree(snapshot.path, bad)
    (bad / DATASET_FILE).write_bytes((bad / DATASET_FILE).read_bytes()[:1000])
    old = snapshots / "old"
    old.mkdir()

    point_current(tmp_path, bad)
    assert _watch(tmp_path, served=old) == []
    rejection = read_rejection(tmp_path)
    assert rejection is not None and rejection["snapshot"] == "bad"
    assert "content hash" in rejection["reason"]

    point_current(tmp_path, good)
    accepted = _watch(tmp_path, served=bad)
    assert [s.path for s in accepted] == [good]
    assert read_rejection(tmp_path) is None
