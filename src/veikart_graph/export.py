"""Whole-dataset serializations, shared by ``veikart-graph export`` and the download URLs.

Triple formats carry the SPARQL default graph (the current release: data, inferred, ontology,
metadata); quad formats every named graph, older releases included. ``csv`` and ``xlsx`` are the
editors' activity table of the current release (``activity_table``), which ``import`` reads.
"""

from __future__ import annotations

import pyoxigraph as ox

from .errors import BadRequest
from .formats import RDF_FORMATS
from .namespaces import PREFIXES, QUERYABLE_GRAPHS
from .store import KnowledgeGraph, named_quads

TRIPLE_FORMATS = ("ttl", "nt", "jsonld")
QUAD_FORMATS = ("trig", "nq")
TABLE_FORMATS = ("csv", "xlsx")


def export_bytes(graph: KnowledgeGraph, fmt: str) -> bytes:
    """The snapshot in ``fmt``: triple formats get the default graph, quad formats all graphs,
    table formats the activities of the current release."""
    if fmt in TABLE_FORMATS:
        from .activity_table import table_rows, write_csv, write_xlsx

        return (write_csv if fmt == "csv" else write_xlsx)(table_rows(graph))
    if fmt in QUAD_FORMATS:
        quads = named_quads(graph.store)
        prefixes = PREFIXES if fmt == "trig" else None
        return ox.serialize(quads, format=RDF_FORMATS[fmt], prefixes=prefixes)
    if fmt not in TRIPLE_FORMATS:
        raise BadRequest(f"unknown export format {fmt!r}")
    default = {str(g) for g in QUERYABLE_GRAPHS}
    triples = {
        q.triple for q in named_quads(graph.store)
        if q.graph_name.value in default
    }
    prefixes = PREFIXES if fmt == "ttl" else None
    return ox.serialize(sorted(triples, key=str), format=RDF_FORMATS[fmt], prefixes=prefixes)
