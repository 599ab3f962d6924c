"""Taking the network away from a query process (issue 16, finding 1: defence in depth).

The guard refuses SERVICE to endpoints not on the allow-list; this is the second wall. A query
process started while federation is off moves into a new, empty network namespace (Linux
``unshare(CLONE_NEWNET)``): no interface but a loopback that is down, so the engine cannot open a
connection to any host, this machine included, whatever text reached it. As root that is one
call; otherwise a new user namespace makes it possible (``CLONE_NEWUSER | CLONE_NEWNET``) where
the kernel allows unprivileged user namespaces. Where neither works (not Linux, a container
without the capability), ``isolate_network`` says so; the pool logs it and ``/readyz`` shows it.

With federation on, the query processes keep the host's network: restricting them to the
allow-listed hosts would need a filtering proxy or firewall rules outside this process (the
engine's HTTP client is native code, out of Python's reach), so there the guard's allow-list is
the one wall (README, "Security").
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
ISOLATED = "isolated"


def isolate_network() -> str:
    """Move this (single-threaded) process into a new network namespace; return what happened:
    ``"isolated"`` or ``"not isolated: <reason>"``."""
    if not sys.platform.startswith("linux"):
        return f"not isolated: network namespaces need Linux (this is {sys.platform})"
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    errors = []
    for flags, name in ((CLONE_NEWNET, "CLONE_NEWNET"),
                        (CLONE_NEWUSER | CLONE_NEWNET, "CLONE_NEWUSER|CLONE_NEWNET")):
        if libc.unshare(flags) == 0:
            return ISOLATED
        errors.append(f"unshare({name}): {os.strerror(ctypes.get_errno())}")
    return "not isolated: " + "; ".join(errors)
