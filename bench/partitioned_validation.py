#!/usr/bin/env python3
"""Prototype for the lead: SHACL validation per goal partition, in parallel, against one run.

A partition is one ``data/goal-<n>.ttl`` of a generated project plus the shared data files (all
other ``data/*.ttl``), the ontology and the build's dataset record. Each partition is validated
with the project's own ``validate`` in its own process (``--processes`` at a time); the merged
violations (deduplicated: a shared entity's violation appears in every partition) are compared
with one validation of everything. ``--errors`` first copies the project to ``<size>-errors`` and
adds known violations (a status outside its code list, end year before start year, an owner that
is not an organisation, a sub-goal without goal and with a bad notation, an organisation number
with a wrong check digit), so "same result" is shown on failing data too, not only on data that
conforms. Partitioning is sound only if no shape needs a node from another partition; the
generator never links across goals, the real roadmap's data/ is not cut that way.

Example:
    python3 bench/partitioned_validation.py 10k --errors
    python3 bench/partitioned_validation.py 100k --processes 2
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from common import WORK, progress, table

from veikart_graph.metadata import describe_dataset
from veikart_graph.sources import load_graph, turtle_files
from veikart_graph.validation import validate

ERRORS = {
    "goal-1.ttl": """
<aktivitet/bench-err-status> a vk:Activity ; skos:prefLabel "Feil status"@nb ; dct:source <https://example.org/e> ;
    vk:contributesTo <delmal/1a> ; vk:status <https://w3id.org/veikart/id/fase/konsept> .
""",
    "goal-2.ttl": """
<aktivitet/bench-err-years> a vk:Activity ; skos:prefLabel "Feil år og eier"@nb ; dct:source <https://example.org/e> ;
    vk:contributesTo <delmal/2a> ; vk:owner <delmal/2a> ;
    vk:startYear "2029"^^xsd:gYear ; vk:endYear "2024"^^xsd:gYear .
""",
    "goal-3.ttl": """
<delmal/3-err> a vk:SubGoal ; skos:prefLabel "Delmål uten mål"@nb ; dct:source <https://example.org/e> ;
    skos:notation "3z" .
""",
    "organisations.ttl": """
<organisasjon/bench-err> a vk:Organisation ; skos:prefLabel "Feil AS"@nb ; foaf:name "Feil AS"@nb ;
    vk:organisationNumber "123456789" ; rdfs:seeAlso <https://data.brreg.no/enhetsregisteret/api/enheter/123456789> ;
    vk:organisationNumberNote "Made-up number."@en ;
    dct:source <https://example.org/e> .
""",
}


def with_errors(root: Path) -> Path:
    """A copy of ``root`` (without its build) with the ``ERRORS`` appended."""
    copy = root.with_name(root.name + "-errors")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "logs", "*.nq", "oxigraph-db", "store-*"))
    for name, text in ERRORS.items():
        with open(copy / "data" / name, "a", encoding="utf-8") as handle:
            handle.write(text)
    return copy


def write_record(root: Path) -> Path:
    """The build's dataset record for all of ``data/``, written once for every partition."""
    data, _ = load_graph(turtle_files(root / "data"))
    path = root / "dataset-record.ttl"
    describe_dataset(data, {}, date.today()).serialize(path, format="turtle")
    return path


def run_one(root: str, files: list[str], record: str) -> tuple[set[tuple], float, float]:
    """Parse ``files`` (+ ontology, shapes, dataset record) and validate; (violations, parse CPU, validate CPU)."""
    base = Path(root)
    started = time.process_time()
    ontology, _ = load_graph(turtle_files(base / "ontology"))
    shapes, _ = load_graph(turtle_files(base / "shapes"))
    data, _ = load_graph([Path(f) for f in files])
    metadata, _ = load_graph([Path(record)])
    parsed = time.process_time()
    report = validate(data + ontology + metadata, shapes, ontology)
    found = {(v.focus, v.path, v.value, v.source_shape, v.severity, v.message_en) for v in report.violations}
    return found, parsed - started, time.process_time() - parsed


def partitions(root: Path) -> list[list[str]]:
    files = turtle_files(root / "data")
    goals = [f for f in files if f.name.startswith("goal-")]
    shared = [str(f) for f in files if f not in goals]
    return [[*shared, str(goal)] for goal in goals]


def compare(root: Path, processes: int) -> list:
    all_files = [str(f) for f in turtle_files(root / "data")]
    record = str(write_record(root))
    started = time.perf_counter()
    with ProcessPoolExecutor(1) as pool:
        full, _, full_validate = pool.submit(run_one, str(root), all_files, record).result()
    full_wall = time.perf_counter() - started
    progress(f"{root.name}: one run {full_wall:.1f} s wall, validate {full_validate:.1f} s CPU, {len(full)} violations")
    parts = partitions(root)
    started = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        results = list(pool.map(run_one, [str(root)] * len(parts), parts, [record] * len(parts)))
    part_wall = time.perf_counter() - started
    merged = set().union(*(found for found, _, _ in results))
    part_validate = sum(v for _, _, v in results)
    progress(f"{root.name}: {len(parts)} partitions {part_wall:.1f} s wall ({processes} processes), "
             f"validate {part_validate:.1f} s CPU in all, {len(merged)} violations")
    verdict = "same violations" if merged == full else (
        f"DIFFERENT: {len(full - merged)} only in one run, {len(merged - full)} only in partitions")
    for item in sorted(full ^ merged)[:6]:
        progress(f"  differs: {item[:4]}")
    return [root.name, len(full), full_validate, full_wall, len(parts), processes, part_validate,
            max(v for _, _, v in results), part_wall, verdict]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["10k"])
    parser.add_argument("--errors", action="store_true", help="also compare on a copy with known violations")
    parser.add_argument("--processes", type=int, default=2, help="partitions validated at once (default 2)")
    parser.add_argument("--work", type=Path, default=WORK)
    args = parser.parse_args(argv)
    roots = []
    for label in args.sizes:
        roots.append(args.work / label)
        if args.errors:
            roots.append(with_errors(args.work / label))
    rows = [compare(root, args.processes) for root in roots]
    print(table(["project", "violations", "one run: validate CPU s", "one run: wall s", "partitions", "processes",
                 "partitions: validate CPU s (sum)", "largest partition CPU s", "partitions: wall s", "result"], rows))
    different = [r[0] for r in rows if str(r[-1]).startswith("DIFFERENT")]
    print("\nsummary: " + ("same violations per partition as in one run on " + ", ".join(r[0] for r in rows)
                           if not different else f"DIFFERENT on {', '.join(different)}"))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
