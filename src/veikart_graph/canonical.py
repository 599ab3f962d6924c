"""Canonical N-Quads: the same graphs always give the same bytes (snapshots, frozen releases)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .namespaces import bind_prefixes


def to_nquads(graphs: dict[URIRef, Graph]) -> bytes:
    """Canonical N-Quads of the named graphs (RDFC-1.0 blank node labels, sorted lines), so the
    same sources always give the same bytes and the same content hash."""
    out: list[bytes] = []
    for iri, graph in graphs.items():
        suffix = f" <{iri}> .".encode()
        for line in bind_prefixes(graph).serialize(format="nt", encoding="utf-8").splitlines():
            line = line.strip()
            if line.endswith(b" ."):
                out.append(line[:-2] + suffix)
    dataset = ox.Dataset(ox.parse(b"\n".join(out), format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(str(quad) + " ." for quad in dataset)
    return ("\n".join(lines) + "\n").encode("utf-8")
