"""The benchmark data generator, ``bench/generate.py`` (issue 6, "Benchmark suite").

Issue 6: "a generator of synthetic roadmap-shaped data (goals, sub-goals, benefit statements,
indicators with observations, activities with owners/user groups/phases/periods, portfolio
measures, several releases) at 10k, 100k and 1M triples; its output conforms to the shapes; it
never touches data/". The benchmarks themselves are never part of the test run; only this
contract of their generator is.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Namespace
from rdflib.namespace import QB

from veikart_graph.build import check
from veikart_graph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "bench" / "generate.py"
VK = Namespace("https://w3id.org/veikart/def/")


def tree_digest(folder: Path) -> str:
    """Names, bytes and modification times of every file below ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()


def generate(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GENERATOR), "10k", "--out", str(out), *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def data_before() -> str:
    return tree_digest(ROOT / "data")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, data_before: str) -> Path:
    """The 10k project folder, generated once for this module."""
    out = tmp_path_factory.mktemp("bench-work")
    result = generate(out)
    assert result.returncode == 0, result.stderr
    return out / "10k"


@pytest.fixture(scope="module")
def checked(generated: Path):
    """``veikart-graph validate`` of the generated folder: (sources, report)."""
    return check(Settings(root=generated))


def test_10k_output_conforms_to_the_shapes(checked) -> None:
    """Issue 6: "its output conforms to the shapes" (the project's own validation, all of data/)."""
    _, report = checked
    assert report.conforms, report.text("en")[:3000]


def test_10k_output_has_about_ten_thousand_triples(checked) -> None:
    """Issue 6: sizes are given in triples; the generator stops at the first entity past the target."""
    sources, _ = checked
    assert 10_000 <= len(sources.data) < 10_500


def test_10k_output_has_every_kind_the_issue_names(checked) -> None:
    """Issue 6: goals, sub-goals, benefit statements, indicators with observations, activities with
    owners/user groups/phases/periods, portfolio measures, several releases (docs/model.md classes)."""
    data = checked[0].data
    counts = {cls: len(set(data.subjects(RDF.type, cls))) for cls in (
        VK.Goal, VK.SubGoal, VK.BenefitStatement, VK.Indicator, QB.Observation, VK.Activity,
        VK.PortfolioMeasure, VK.RoadmapRelease, VK.Organisation, VK.QualifiedOwnership, VK.Milestone)}
    assert all(n > 0 for n in counts.values()), counts
    assert counts[VK.RoadmapRelease] >= 2
    activities = set(data.subjects(RDF.type, VK.Activity))
    for prop in (VK.owner, VK.userGroup, VK.phase, VK.startYear, VK.endYear):
        assert activities == set(data.subjects(prop, None)) & activities, f"activities without {prop}"


def test_generator_never_touches_data(generated: Path, data_before: str) -> None:
    """Issue 6: "it never touches data/" — the repository's data/ is byte- and time-identical after a run."""
    assert generated.is_dir()
    assert tree_digest(ROOT / "data") == data_before


def test_generator_refuses_to_write_into_the_project_sources(tmp_path: Path, data_before: str) -> None:
    """Issue 6: "it never touches data/" — even when pointed at it, it stops before writing."""
    result = generate(ROOT / "data")
    assert result.returncode != 0
    assert "refusing" in result.stderr + result.stdout
    assert tree_digest(ROOT / "data") == data_before


def test_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    """The same seed gives the same files, so runs on different days measure the same data."""
    assert generate(tmp_path).returncode == 0
    for path in sorted((generated / "data").glob("*.ttl")):
        assert (tmp_path / "10k" / "data" / path.name).read_bytes() == path.read_bytes(), path.name
