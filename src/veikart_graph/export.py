"""Whole-dataset serializations, shared by ``veikart-graph export`` and the download URLs."""

from __future__ import annotations

import pyoxigraph as ox

from .errors import BadRequest
from .formats import RDF_FORMATS
from .namespaces import GRAPH_SHAPES, PREFIXES
from .store import KnowledgeGraph

TRIPLE_FORMATS = ("ttl", "nt", "jsonld")
QUAD_FORMATS = ("trig", "nq")


def export_bytes(graph: KnowledgeGraph, fmt: str) -> bytes:
    """The snapshot in ``fmt``: triple formats get the default graph, quad formats all graphs."""
    if fmt in QUAD_FORMATS:
        quads = graph.store.quads_for_pattern(None, None, None, None)
        prefixes = PREFIXES if fmt == "trig" else None
        return ox.serialize(quads, format=RDF_FORMATS[fmt], prefixes=prefixes)
    if fmt not in TRIPLE_FORMATS:
        raise BadRequest(f"unknown export format {fmt!r}")
    triples = {
        q.triple for q in graph.store.quads_for_pattern(None, None, None, None)
        if q.graph_name != ox.NamedNode(str(GRAPH_SHAPES))
    }
    prefixes = PREFIXES if fmt == "ttl" else None
    return ox.serialize(sorted(triples, key=str), format=RDF_FORMATS[fmt], prefixes=prefixes)
