"""``veikart-graph search 'text' [--limit N] [--format table|json]`` (issue 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from veikart_graph.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(snapshot) -> dict[str, str]:
    """Point the CLI at the session's snapshot (``build/current`` of a temporary build folder)."""
    return {"VEIKART_ROOT": str(ROOT), "VEIKART_BUILD_DIR": str(Path(snapshot.path).parents[1])}


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["search", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "veikart-graph search" in result.output


def test_table_lists_ranked_results(env) -> None:
    result = CliRunner().invoke(main, ["search", "1B", "--limit", "3"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2].startswith("1 ") and "delmal/1b" in lines[2]
    assert lines[-1].startswith("(3 of ")


def test_json_has_the_same_shape_as_the_web_api(env) -> None:
    result = CliRunner().invoke(main, ["search", "velferdsteknolgi", "--format", "json",
                                       "--filter", "type=Activity", "--limit", "2"], env=env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["filters"] == {"type": ["Activity"]}
    assert body["corrections"] == {"velferdsteknolgi": ["velferdsteknologi"]}
    assert [r["type"]["key"] for r in body["results"]] == ["Activity", "Activity"]


@pytest.mark.parametrize(("args", "code"), [
    (["search", "x", "--filter", "colour=red"], 2),
    (["search", "x", "--filter", "year=24"], 2),
    (["search", "x", "--limit", "101"], 2),
    (["search", "x" * 600], 2),
])
def test_bad_arguments_exit_2(env, args: list[str], code: int) -> None:
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == code
    assert "error" in result.output.lower() or "invalid" in result.output.lower()
