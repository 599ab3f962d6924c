"""Settings: the memory budget of the query processes follows the machine (issue 16, finding 5)."""

from __future__ import annotations

import pytest

from veikart_graph import settings as settings_module
from veikart_graph.settings import Settings


@pytest.mark.parametrize("machine_mb,workers,slots,expected", [
    (24 * 1024, 2, 6, 1024),   # 12 GiB shared by 12 query processes
    (4 * 1024, 2, 6, 512),     # never below 512
    (256 * 1024, 2, 6, 2048),  # never above 2048
    (24 * 1024, 1, 2, 2048),
])
def test_the_default_query_memory_shares_half_the_machine(monkeypatch, machine_mb, workers, slots, expected):
    monkeypatch.setattr(settings_module, "physical_memory_mb", lambda: machine_mb)
    assert Settings(workers=workers, query_slots=slots).query_process_mb == expected


def test_an_explicit_budget_or_limit_wins(monkeypatch):
    monkeypatch.setattr(settings_module, "physical_memory_mb", lambda: 24 * 1024)
    assert Settings(memory_budget_mb=6 * 1024).query_process_mb == 512
    assert Settings(query_memory_mb=3000).query_process_mb == 3000
