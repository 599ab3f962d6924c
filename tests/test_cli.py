"""The command line: exit codes 0/1/2, output formats, --help with an example everywhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from veikart_graph.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def env(snapshot) -> dict[str, str]:
    """Point the CLI at the session's snapshot folder (built from the real sources)."""
    return {"VEIKART_ROOT": str(ROOT), "VEIKART_BUILD_DIR": str(Path(snapshot.path).parents[1])}


@pytest.mark.parametrize("command", [None, "build", "validate", "query", "export", "stats", "serve"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str | None):
    result = runner.invoke(main, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "veikart-graph" in result.output


def test_validate_real_data_exits_0(runner: CliRunner, env):
    result = runner.invoke(main, ["validate"], env=env)
    assert result.exit_code == 0, result.output


def test_validate_json_reports_violations_and_exits_1(runner: CliRunner, env, tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix vk: <https://w3id.org/veikart/def/> .\n"
                   "<https://w3id.org/veikart/id/delmal/zz> a vk:SubGoal .\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad), "--format", "json"], env=env)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert any(v["file"] == str(bad) and v["message_nb"] and v["message_en"] for v in report["violations"])


def test_validate_unparseable_file_exits_2_naming_file_and_line(runner: CliRunner, env, tmp_path: Path):
    bad = tmp_path / "syntax.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)], env=env)
    assert result.exit_code == 2
    assert "syntax.ttl:1" in result.output


def test_validate_missing_file_exits_2(runner: CliRunner, env):
    result = runner.invoke(main, ["validate", "does-not-exist.ttl"], env=env)
    assert result.exit_code == 2
    assert "does-not-exist.ttl" in result.output


def test_build_failure_exits_1_and_keeps_previous_snapshot(runner: CliRunner, tmp_path: Path):
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    env = {"VEIKART_ROOT": str(tmp_path), "VEIKART_BUILD_DIR": str(tmp_path / "build")}
    assert runner.invoke(main, ["build"], env=env).exit_code == 0
    current = (tmp_path / "build" / "current").resolve()
    (tmp_path / "data" / "x.ttl").write_text(
        "@prefix vk: <https://w3id.org/veikart/def/> .\n<https://w3id.org/veikart/id/mal/9> a vk:Goal .\n",
        encoding="utf-8")
    result = runner.invoke(main, ["build"], env=env)
    assert result.exit_code == 1
    assert "x.ttl" in result.output
    assert (tmp_path / "build" / "current").resolve() == current


def test_query_table_and_csv(runner: CliRunner, env):
    query = "SELECT ?t WHERE { vkid:mal\\/2 skos:prefLabel ?t }"
    table = runner.invoke(main, ["query", query], env=env)
    assert table.exit_code == 0 and "Enklere arbeidshverdag" in table.output and "(1 rows)" in table.output
    csv = runner.invoke(main, ["query", query, "--format", "csv"], env=env)
    assert csv.stdout.splitlines() == ["t", "Enklere arbeidshverdag"]


def test_query_syntax_error_exits_2(runner: CliRunner, env):
    result = runner.invoke(main, ["query", "SELECT ?x WHERE {"], env=env)
    assert result.exit_code == 2
    assert "error" in result.output


def test_export_turtle_parses(runner: CliRunner, env, tmp_path: Path):
    import rdflib

    out = tmp_path / "all.ttl"
    result = runner.invoke(main, ["export", "--format", "ttl", "-o", str(out)], env=env)
    assert result.exit_code == 0
    assert len(rdflib.Graph().parse(out, format="turtle")) > 1000


def test_stats_lists_graphs_and_classes(runner: CliRunner, env):
    result = runner.invoke(main, ["stats"], env=env)
    assert result.exit_code == 0
    assert "https://w3id.org/veikart/graph/inferred" in result.output
    assert "https://w3id.org/veikart/def/Goal" in result.output


def test_serve_refuses_a_damaged_current_snapshot_with_a_message(runner: CliRunner, snapshot, tmp_path: Path):
    """Issue 16, finding 7: a truncated snapshot is named and refused before any worker starts."""
    from veikart_graph.snapshot import point_current

    build_dir = tmp_path / "build"
    bad = build_dir / "snapshots" / snapshot.path.name
    shutil.copytree(snapshot.path, bad)
    (bad / "dataset.nq").write_bytes((bad / "dataset.nq").read_bytes()[:2000])
    point_current(build_dir, bad)
    result = runner.invoke(main, ["serve", "--port", "0"],
                           env={"VEIKART_ROOT": str(ROOT), "VEIKART_BUILD_DIR": str(build_dir)})
    assert result.exit_code != 0
    assert f"snapshot {bad.name} cannot be served: the content hash of dataset.nq" in result.output
