"""The load test runs end to end (issue 7): a real ``veikart-graph serve`` on loopback, 2 clients
for 5 s on the normal mix with 5 % hostile requests, and not one unexpected answer."""

from __future__ import annotations

import pytest

from tests.load import run_load

pytestmark = pytest.mark.slow


def test_short_load_run_has_no_unexpected_errors(capsys):
    code = run_load.main(["--duration", "5", "--clients", "2", "--workers", "1"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    summary = printed.strip().splitlines()[-1]
    assert summary.startswith("OK:") and " 0 unexpected" in summary
    assert "p95" in summary and "RSS" in summary and "MiB" in summary
