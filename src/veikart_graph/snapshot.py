"""Snapshots: the built dataset on disk, written atomically and swapped in one step.

Layout under the build folder::

    build/
      snapshots/<hash12>-<stamp>/   dataset.nq  manifest.json  (+ search index, added by search)
      current -> snapshots/<...>    a symlink, replaced atomically (os.replace)

A build writes into ``build/.tmp-*``, and only a complete, validated snapshot is renamed into
``snapshots/`` and pointed at by ``current``. A failed build leaves ``current`` untouched, so a
running server keeps serving the last good snapshot.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import VeikartError

DATASET_FILE = "dataset.nq"
REJECTED_FILE = "rejected.json"  # in the build folder: the last snapshot the server refused
MANIFEST_FILE = "manifest.json"
CURRENT = "current"
KEEP_SNAPSHOTS = 3


class SnapshotMissing(VeikartError):
    status = 503


class SnapshotInvalid(VeikartError):
    """A snapshot folder that cannot be served (unreadable manifest, missing or damaged data)."""

    status = 503


@dataclass
class Manifest:
    hash: str
    source_hash: str
    built_at: str
    version: str
    triples_by_graph: dict[str, int] = field(default_factory=dict)
    entities_by_class: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def short_hash(self) -> str:
        return self.hash[:12]


@dataclass(frozen=True)
class Snapshot:
    path: Path
    manifest: Manifest

    @property
    def dataset_path(self) -> Path:
        return self.path / DATASET_FILE


def content_hash(nquads: bytes) -> str:
    """SHA-256 of the sorted N-Quads lines: the same data gives the same hash in any order."""
    lines = sorted(line for line in nquads.splitlines() if line.strip())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def write_snapshot(build_dir: Path, nquads: bytes, manifest: Manifest,
                   extras: dict[str, bytes] | None = None,
                   before_current: Callable[[Snapshot], None] | None = None) -> Snapshot:
    """Write a snapshot next to the others and make it ``current``, all or nothing.

    ``before_current`` adds derived files (e.g. the search index) while the snapshot is not yet
    served; if it fails, the snapshot folder is removed and ``current`` stays where it was.
    """
    snapshots = build_dir / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=build_dir))
    try:
        _write_file(tmp / DATASET_FILE, nquads)
        _write_file(tmp / MANIFEST_FILE, json.dumps(asdict(manifest), indent=2).encode())
        for name, content in (extras or {}).items():
            _write_file(tmp / name, content)
        if before_current is not None:
            before_current(Snapshot(tmp, manifest))
        final = snapshots / f"{manifest.short_hash}-{manifest.built_at.replace(':', '')}"
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    point_current(build_dir, final)
    prune(build_dir)
    return Snapshot(final, manifest)


def add_file(snapshot: Snapshot, name: str, content: bytes) -> Path:
    """Add a derived file (e.g. the search index) to an existing snapshot, atomically."""
    _write_file(snapshot.path / name, content)
    return snapshot.path / name


def _write_file(path: Path, content: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def point_current(build_dir: Path, target: Path) -> None:
    link = build_dir / CURRENT
    tmp_link = build_dir / f".{CURRENT}.{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.relative_to(build_dir))
    os.replace(tmp_link, link)


def prune(build_dir: Path, keep: int = KEEP_SNAPSHOTS) -> None:
    """Remove all but the ``keep`` newest snapshots (never the current one)."""
    current = (build_dir / CURRENT).resolve()
    folders = sorted((build_dir / "snapshots").iterdir(), key=lambda p: p.stat().st_mtime)
    for old in folders[:-keep]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def read_manifest(folder: Path) -> Manifest:
    data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    return Manifest(**data)


def current_snapshot(build_dir: Path) -> Snapshot:
    """The snapshot ``current`` points at; ``SnapshotMissing`` if there is none yet."""
    link = build_dir / CURRENT
    if not link.exists():
        raise SnapshotMissing(
            f"no snapshot in {build_dir}; run `veikart-graph build` first",
        )
    folder = link.resolve()
    return Snapshot(folder, read_manifest(folder))


def verify_snapshot(folder: Path) -> Snapshot:
    """The snapshot in ``folder``, after checking it can be served: the manifest reads, the
    dataset's content hash is the manifest's, and the engine's N-Quads parser reads every line.
    ``SnapshotInvalid`` names the folder and the problem otherwise (e.g. a truncated copy)."""
    def invalid(problem: str) -> SnapshotInvalid:
        return SnapshotInvalid(f"snapshot {folder.name} cannot be served: {problem}")

    try:
        manifest = read_manifest(folder)
    except (OSError, ValueError, TypeError) as exc:
        raise invalid(f"its {MANIFEST_FILE} cannot be read ({exc})") from exc
    path = folder / DATASET_FILE
    try:
        nquads = path.read_bytes()
    except OSError as exc:
        raise invalid(f"its {DATASET_FILE} cannot be read ({exc.strerror})") from exc
    found = content_hash(nquads)
    if found != manifest.hash:
        raise invalid(f"the content hash of {DATASET_FILE} is {found[:12]}, its manifest says "
                      f"{manifest.short_hash} (a damaged or incomplete copy)")
    import pyoxigraph as ox

    try:
        for _ in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            pass
    except SyntaxError as exc:
        raise invalid(f"{DATASET_FILE} does not parse: {exc}") from exc
    return Snapshot(folder, manifest)


def record_rejection(build_dir: Path, error: SnapshotInvalid, target: Path) -> None:
    """Write ``rejected.json`` for /readyz and /metrics of every worker (atomically)."""
    from datetime import UTC, datetime

    record = {"snapshot": target.name, "reason": error.message,
              "at": datetime.now(UTC).isoformat(timespec="seconds")}
    _write_file(build_dir / REJECTED_FILE, json.dumps(record, ensure_ascii=False).encode())


def clear_rejection(build_dir: Path) -> None:
    (build_dir / REJECTED_FILE).unlink(missing_ok=True)


def read_rejection(build_dir: Path) -> dict | None:
    """The last refused snapshot (name, reason, time), or None while none is refused."""
    try:
        return json.loads((build_dir / REJECTED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
