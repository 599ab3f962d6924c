"""The build: sources → inference → dataset metadata → SHACL validation → snapshot.

Order and why:

1. ``load_sources`` parses ontology/, shapes/ and data/ (``SourceError`` names file and line).
2. ``infer`` runs owlrl on the data's links plus the curated axioms (see ``inference``); it
   cannot fail on bad data, and its output is derived, so it is not validated.
3. ``describe_dataset`` writes the DCAT-AP-NO/VoID record from the counts.
4. ``validate`` checks the *asserted* data, the ontology's code lists and that record against
   shapes/ (pySHACL, ``inference="none"``; pySHACL does not mix ``ont_graph`` into the data
   without inference, so the ontology is part of the validated graph). Invalid data raises
   ``NotConformingError`` with the report, and nothing is written.
5. ``write_snapshot`` writes the named graphs as N-Quads and swaps ``build/current`` atomically.

Only this module (with ``validation`` and ``inference``) knows pySHACL and owlrl exist.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from . import __version__
from .canonical import to_nquads
from .delivery_list import list_files
from .errors import NotConformingError
from .inference import infer
from .metadata import describe_dataset
from .namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_METADATA,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    VKID,
)
from .releases import compose_releases, release_files
from .settings import Settings
from .snapshot import Manifest, Snapshot, content_hash, current_snapshot, write_snapshot
from .sources import Sources, hash_files, load_sources, turtle_files
from .store import UNION_FILE, union_nt
from .validation import ValidationReport, validate

Progress = Callable[[str], None]

# Up to this size the snapshot carries default.nt (the union of the queryable graphs as the
# store's default graph: ~1.4x the query throughput at 100k, bench/README.md); above it, the
# second copy costs more memory and start-up time (every query process holds it) than it saves.
UNION_COPY_MAX_TRIPLES = 500_000

# Hooks run on a finished snapshot (e.g. the search index); registered by other modules.
POST_BUILD_HOOKS: list[Callable[[Snapshot, dict[URIRef, Graph]], None]] = []


@dataclass
class BuildResult:
    snapshot: Snapshot
    report: ValidationReport
    seconds: float = 0.0

    def summary(self) -> str:
        m = self.snapshot.manifest
        total = sum(m.triples_by_graph.values())
        seconds = self.seconds
        return (
            f"built snapshot {m.short_hash}: {total} triples in {len(m.triples_by_graph)} graphs, "
            f"{sum(m.entities_by_class.values())} typed entities, conforms, {seconds:.2f} s "
            f"-> {self.snapshot.path}"
        )


@contextmanager
def _step(name: str, timings: dict[str, float], progress: Progress) -> Iterator[None]:
    progress(f"  {name} ...")
    start = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - start, 3)
    progress(f"  {name} done in {timings[name]:.2f} s")


def source_files(root: Path) -> list[Path]:
    return [*turtle_files(root / "ontology"), *turtle_files(root / "shapes"),
            *turtle_files(root / "data"), *list_files(root / "data"), *release_files(root)]


def check(settings: Settings, data_files: list[Path] | None = None,
          progress: Progress = lambda _: None) -> tuple[Sources, ValidationReport]:
    """Load and validate without writing anything (``veikart-graph validate``)."""
    timings: dict[str, float] = {}
    with _step("load", timings, progress):
        sources = load_sources(settings.root_dir, data_files)
    with _step("validate", timings, progress):
        metadata = describe_dataset(sources.data, {}, date.today())
        report = validate_sources(sources, metadata)
    return sources, report


def validate_sources(sources: Sources, metadata: Graph) -> ValidationReport:
    """Validate the asserted data, the ontology's code lists and the dataset record."""
    report = validate(sources.data + sources.ontology + metadata, sources.shapes, sources.ontology)
    return report.with_files(sources.files_by_subject)


def build(settings: Settings, progress: Progress = lambda _: None) -> BuildResult:
    """Build and swap in a new snapshot; raise (and write nothing) if the data is invalid."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    with _step("load", timings, progress):
        sources = load_sources(settings.root_dir)
    with _step("infer", timings, progress):
        inferred = infer(sources.data, sources.ontology)
    with _step("releases", timings, progress):
        releases = compose_releases(settings.root_dir, sources)  # frozen: checksums, not today's shapes
    graphs = {
        GRAPH_DATA: sources.data,
        GRAPH_INFERRED: inferred,
        GRAPH_ONTOLOGY: sources.ontology,
        GRAPH_SHAPES: sources.shapes,
        **releases.graphs(),
    }
    counts = {str(iri): len(g) for iri, g in graphs.items()}
    metadata = describe_dataset(sources.data, counts, date.today())
    metadata += releases.descriptions
    graphs[GRAPH_METADATA] = metadata
    counts[str(GRAPH_METADATA)] = len(metadata)
    with _step("validate", timings, progress):
        report = validate_sources(sources, metadata)
    if not report.conforms:
        raise NotConformingError(
            f"the data breaks {len(report.violations)} rules; no snapshot was written", report
        )
    with _step("snapshot", timings, progress):
        nquads = to_nquads(graphs)
        manifest = Manifest(
            hash=content_hash(nquads),
            source_hash=hash_files([*sources.files, *releases.files]),
            built_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            version=__version__,
            triples_by_graph=counts,
            entities_by_class=entities_by_class(sources.data),
            timings=timings,
        )
        extras = {UNION_FILE: union_nt(nquads)} if sum(counts.values()) <= UNION_COPY_MAX_TRIPLES else {}
        snapshot = write_snapshot(
            settings.snapshot_root, nquads, manifest, extras=extras,
            before_current=lambda staged: _run_hooks(staged, graphs, timings, progress))
    return BuildResult(snapshot, report, round(time.perf_counter() - started, 3))


def _run_hooks(staged: Snapshot, graphs: dict[URIRef, Graph], timings: dict[str, float],
               progress: Progress) -> None:
    """Derived files (the search index …) are added before the snapshot becomes current."""
    _register_hooks()
    for hook in POST_BUILD_HOOKS:
        with _step(getattr(hook, "__name__", "hook"), timings, progress):
            hook(staged, graphs)


def _register_hooks() -> None:
    import veikart_graph.search.hook  # noqa: F401 - registers the search index hook


def entities_by_class(data: Graph) -> dict[str, int]:
    counts = Counter(
        str(cls) for s, cls in data.subject_objects(RDF.type) if str(s).startswith(str(VKID))
    )
    return dict(sorted(counts.items()))


def is_stale(settings: Settings) -> bool:
    """True when there is no snapshot or the sources changed since it was built."""
    try:
        snapshot = current_snapshot(settings.snapshot_root)
    except Exception:
        return True
    return snapshot.manifest.source_hash != hash_files(source_files(settings.root_dir))


def ensure_snapshot(settings: Settings, progress: Progress = lambda _: None) -> Snapshot:
    """The current snapshot, built first if it is missing or stale."""
    if is_stale(settings):
        return build(settings, progress).snapshot
    return current_snapshot(settings.snapshot_root)
