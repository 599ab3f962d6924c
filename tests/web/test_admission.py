"""The query gate of a worker (web/admission.py): totals, per-client limits, places given back."""

from __future__ import annotations

import pytest

from veikart_graph.errors import Overloaded
from veikart_graph.settings import Settings
from veikart_graph.web.admission import RESERVED_THREADS, Gate, gate_for


def test_a_client_over_its_limit_is_refused_at_once_and_others_still_admitted():
    gate = Gate(total=4, per_client=2)
    with gate.admit("a"), gate.admit("a"):
        with pytest.raises(Overloaded, match="2 queries from your address") as refused:
            with gate.admit("a"):
                pass
        assert refused.value.retry_after > 0
        with gate.admit("b"):
            pass


def test_the_total_is_bounded_whoever_asks():
    gate = Gate(total=2, per_client=5)
    with gate.admit("a"), gate.admit("b"):
        with pytest.raises(Overloaded, match="as many queries as it takes at once"):
            with gate.admit("c"):
                pass


def test_places_are_given_back_when_a_query_fails():
    gate = Gate(total=1, per_client=1)
    with pytest.raises(RuntimeError):
        with gate.admit("a"):
            raise RuntimeError("the query failed")
    with gate.admit("a"):
        pass


@pytest.mark.parametrize("threads,slots,expected", [(8, 6, 6), (8, 8, 8 - RESERVED_THREADS), (2, 6, 1)])
def test_threads_are_always_left_for_pages(threads: int, slots: int, expected: int):
    assert gate_for(Settings(threads=threads, query_slots=slots)).total == expected
