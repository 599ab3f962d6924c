"""Query processes (executor.py): a slow query's CPU priority is lowered in its own thread, and
the next query runs at the normal priority again, without privileges (issue 16, finding 9: the
process used to be reniced, which cannot be undone when not root, so every query over a second
cost a respawned query process)."""

from __future__ import annotations

import os
import threading
import time

from veikart_graph.executor import HEAVY_AFTER, _answer_in_thread

NOBODY = 65534


def own_priority(seconds: float) -> tuple:
    time.sleep(seconds)
    return ("ok", os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))


def test_a_slow_query_is_lowered_and_the_next_one_runs_normally_without_privileges():
    """In a forked probe that drops root first (CI runs as root), as a query process would run."""
    read, write = os.pipe()
    probe = os.fork()
    if probe == 0:
        try:
            if os.getuid() == 0:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            slow = _answer_in_thread(lambda: own_priority(HEAVY_AFTER + 0.5))
            quick = _answer_in_thread(lambda: own_priority(0.0))
            os.write(write, f"{slow[1]} {quick[1]} {os.getpriority(os.PRIO_PROCESS, 0)}".encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(probe, 0)
    assert answer.split() == ["19", "0", "0"], answer


def test_an_answer_that_raises_unexpectedly_is_still_an_answer():
    def broken() -> tuple:
        raise KeyError("not a query error")

    assert _answer_in_thread(broken)[:2] == ("error", "QueryAborted")
