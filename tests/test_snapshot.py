"""Snapshot verification before serving: a damaged copy is named and refused (issue 16, finding 7)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from veikart_graph.snapshot import (
    DATASET_FILE,
    MANIFEST_FILE,
    REJECTED_FILE,
    Snapshot,
    SnapshotInvalid,
    clear_rejection,
    read_rejection,
    record_rejection,
    verify_snapshot,
)


@pytest.fixture
def copy(snapshot: Snapshot, tmp_path: Path) -> Path:
    """A private copy of the session's snapshot folder, to damage."""
    folder = tmp_path / "snapshots" / snapshot.path.name
    shutil.copytree(snapshot.path, folder)
    return folder


def test_a_good_snapshot_verifies(copy: Path, snapshot: Snapshot):
    assert verify_snapshot(copy).manifest.hash == snapshot.manifest.hash


def test_a_truncated_dataset_is_refused_by_its_hash(copy: Path):
    data = copy / DATASET_FILE
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    with pytest.raises(SnapshotInvalid, match=r"content hash of dataset\.nq .* manifest says"):
        verify_snapshot(copy)


def test_a_line_cut_in_the_middle_is_refused_even_when_the_manifest_matches(copy: Path):
    """A manifest rewritten for damaged data: the engine's parser still refuses it."""
    from veikart_graph.snapshot import content_hash

    data = copy / DATASET_FILE
    broken = data.read_bytes() + b"<https://x/s> <https://x/p> \"unterminated .\n"
    data.write_bytes(broken)
    manifest = json.loads((copy / MANIFEST_FILE).read_text())
    manifest["hash"] = content_hash(broken)
    (copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(SnapshotInvalid, match=r"dataset\.nq does not parse"):
        verify_snapshot(copy)


def test_an_unreadable_manifest_is_refused(copy: Path):
    (copy / MANIFEST_FILE).write_text('{"hash": ')
    with pytest.raises(SnapshotInvalid, match=rf"{copy.name} cannot be served: its manifest\.json"):
        verify_snapshot(copy)


def test_a_missing_dataset_is_refused(copy: Path):
    (copy / DATASET_FILE).unlink()
    with pytest.raises(SnapshotInvalid, match=r"its dataset\.nq cannot be read"):
        verify_snapshot(copy)


def test_a_rejection_is_recorded_and_cleared(tmp_path: Path):
    assert read_rejection(tmp_path) is None
    record_rejection(tmp_path, SnapshotInvalid("snapshot x cannot be served: y"), tmp_path / "x")
    record = read_rejection(tmp_path)
    assert record is not None and record["snapshot"] == "x" and "cannot be served" in record["reason"]
    clear_rejection(tmp_path)
    assert not (tmp_path / REJECTED_FILE).exists()
