"""The README keeps every setting, command and route documented (datasette's habit)."""

from __future__ import annotations

from pathlib import Path

from veikart_graph.cli import main
from veikart_graph.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in README, setting.name


def test_every_command_is_documented():
    for name in main.commands:
        assert f"veikart-graph {name}" in README, name


def test_first_screen_has_the_two_setup_commands():
    first_screen = "\n".join(README.splitlines()[:30])
    assert "pip install -e . && veikart-graph serve" in first_screen
    assert "pip install -e '.[test]' && python3 -m pytest" in first_screen
