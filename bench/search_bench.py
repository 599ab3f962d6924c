#!/usr/bin/env python3
"""Search latency on a generated roadmap of a given size (issue 5: "search p95 ≤ 20 ms at 100k
triples").

Uses ``bench/work/<size>/build/current`` (make it with ``python3 bench/generate.py 100k`` and
``veikart-graph --root bench/work/100k build``). The snapshot's dataset is copied to a
temporary folder and indexed there (the index build time is reported too), so the bench never
writes into a snapshot. Every search is cold: the per-process match cache is cleared before
each one. Two layers are timed: the engine (``SearchIndex.search``) and the whole HTTP answer
of ``/search.json`` through the Flask app in-process (parameter parsing, JSON).

The query mix: the relevance queries of the tests (Norwegian, English, inflected, typos,
abbreviations, codes), 40 words drawn from the index vocabulary (fixed seed), the empty query,
facet-only and facet+text states, and hostile text (FTS operators, quotes).

Example:
    python3 bench/search_bench.py 100k --rounds 10
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from common import RESULTS, parse_size, progress, size_root

from veikart_graph.search import INDEX_FILE
from veikart_graph.search.facets import parse_request
from veikart_graph.search.index import ensure_index
from veikart_graph.search.query import SearchIndex
from veikart_graph.snapshot import DATASET_FILE, MANIFEST_FILE, Snapshot, read_manifest

FIXED = ["digihelse", "legemiddelliste", "PLL", "gravide", "velferdsteknologi", "1B", "Norsk helsenett",
         "994598759", "fastlege", "kjernejournal", "medication list", "welfare technology",
         "legemiddellista", "fastlegane", "velferdsteknolgi", "helse", "kommune", "digital", "",
         '"AND" OR NEAR(x', "legemiddel*", "qqxqqzz"]
FACETED = [{"type": ["Activity"]}, {"goal": ["1"], "year": ["2025"]}, {"q": ["helse"], "type": ["Activity"]},
           {"q": ["fastlege"], "goal": ["2"], "type": ["Activity", "PortfolioMeasure"]}]


def query_mix(index: SearchIndex, sampled: int) -> list[dict[str, list[str]]]:
    words = [row[0] for row in index.connection().execute(
        "SELECT word FROM vocab WHERE freq >= 2 AND length(word) >= 3 ORDER BY term")]
    drawn = random.Random(5).sample(words, min(sampled, len(words)))
    return [{"q": [q]} for q in [*FIXED, *drawn]] + FACETED


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def time_engine(index: SearchIndex, mix: list[dict[str, list[str]]], rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for params in mix:
            request = parse_request(params)
            index.match.cache_clear()
            start = time.perf_counter()
            index.search(request)
            times.setdefault(urlencode(params, doseq=True), []).append(time.perf_counter() - start)
    return times


def time_http(client, index: SearchIndex, mix: list[dict[str, list[str]]], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for params in mix:
            index.match.cache_clear()
            start = time.perf_counter()
            response = client.get("/search.json?" + urlencode(params, doseq=True))
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.get_data(as_text=True)
    return times


def make_client(folder: Path, root: Path, index: SearchIndex):
    from veikart_graph.settings import Settings
    from veikart_graph.store import KnowledgeGraph
    from veikart_graph.web import create_app

    snapshot = Snapshot(folder, read_manifest(folder))
    graph = KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)
    app = create_app(Settings(root=root, build_dir=folder.parent), graph=graph, snapshot=snapshot)
    app.extensions["veikart.search"].index = index  # the same open index as the engine timing
    return app.test_client()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", default="100k")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--sampled", type=int, default=40, help="vocabulary words in the mix")
    args = parser.parse_args()
    label, _ = parse_size(args.size)
    root = size_root(label)
    current = root / "build" / "current"
    if not (current / DATASET_FILE).exists():
        print(f"no snapshot in {current}: run bench/generate.py {label} and "
              f"veikart-graph --root {root} build", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        folder = Path(tmp) / "snapshot"
        folder.mkdir()
        for name in (DATASET_FILE, MANIFEST_FILE):
            shutil.copy(current / name, folder / name)
        manifest = read_manifest(folder)
        triples = sum(manifest.triples_by_graph.values())
        progress(f"indexing {triples} triples ...")
        start = time.perf_counter()
        index = SearchIndex(ensure_index(folder))
        build_seconds = time.perf_counter() - start
        mix = query_mix(index, args.sampled)
        progress(f"{len(index.docs)} documents, {(folder / INDEX_FILE).stat().st_size / 2**20:.1f} MiB; "
                 f"timing {len(mix)} searches x {args.rounds} rounds ...")
        engine = time_engine(index, mix, args.rounds)
        http = time_http(make_client(folder, root, index), index, mix, args.rounds)
    flat = [t for ts in engine.values() for t in ts]
    slowest = sorted(engine.items(), key=lambda item: -statistics.median(item[1]))[:5]
    report = {
        "size": label, "triples": triples, "documents": len(index.docs), "index_build_s": round(build_seconds, 2),
        "searches": len(flat),
        "engine_ms": {"p50": round(percentile(flat, 0.5) * 1000, 2), "p95": round(percentile(flat, 0.95) * 1000, 2),
                      "max": round(max(flat) * 1000, 2)},
        "http_ms": {"p50": round(percentile(http, 0.5) * 1000, 2), "p95": round(percentile(http, 0.95) * 1000, 2),
                    "max": round(max(http) * 1000, 2)},
        "slowest_median_ms": {q or "(empty)": round(statistics.median(ts) * 1000, 2) for q, ts in slowest},
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"search-{label}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
