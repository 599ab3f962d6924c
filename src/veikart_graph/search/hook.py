"""The build hook: every snapshot gets its search index (``search.sqlite``) beside the data.

Importing this module registers the hook in ``veikart_graph.build.POST_BUILD_HOOKS``. The
build should import it (one line at the end of ``build.py``); ``veikart_graph.search.cli``
imports it too, and the CLI loads that module, so ``veikart-graph build`` always writes an
index that matches its graph.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from ..build import POST_BUILD_HOOKS
from ..snapshot import Snapshot
from .index import add_to_snapshot


def add_search_index(snapshot: Snapshot, graphs: dict[URIRef, Graph] | None = None) -> None:
    """``POST_BUILD_HOOKS`` entry: index the finished snapshot (``graphs`` is not needed: the
    index is built from the snapshot's own N-Quads, the same data every reader sees)."""
    add_to_snapshot(snapshot)


if add_search_index not in POST_BUILD_HOOKS:
    POST_BUILD_HOOKS.append(add_search_index)
