"""Frozen release content: what a published release said, stored once, never recomputed.

Every release except the current one keeps its content in ``releases/<version>/content.nq``:
canonical N-Quads (RDFC-1.0 blank node labels, sorted lines) in the release's own named graph.
Its ``release.ttl`` carries the file's SHA-256 (``spdx:checksum``), and the build refuses a file
whose bytes no longer match: editing ``data/`` can never change an older release, and a hand
edit of a frozen file is caught.

A release's content is its roadmap data plus the edition's own code list, the phases: their
names change between editions (``Nasjonal utvikling`` → ``Utvikling og begrenset utprøving``)
on the same concepts, so each edition keeps the phase labels it published.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from ..canonical import to_nquads
from ..errors import SourceError
from ..namespaces import VKID, bind_prefixes

CONTENT_FILE = "content.nq"
SPDX = Namespace("http://spdx.org/rdf/terms#")
PHASE_SCHEME = VKID["kodeliste/fase"]


def edition_code_lists(ontology: Graph) -> Graph:
    """The phase scheme and its concepts, every statement about them (labels, definitions,
    order, colours): the part of the code lists an edition names in its own words."""
    part = bind_prefixes(Graph())
    subjects = {PHASE_SCHEME, *ontology.subjects(SKOS.inScheme, PHASE_SCHEME)}
    for subject in subjects:
        for triple in ontology.triples((subject, None, None)):
            part.add(triple)
    return part


def freeze(graph_iri: URIRef, content: Graph) -> bytes:
    """The canonical N-Quads of ``content`` in the named graph ``graph_iri``."""
    return to_nquads({graph_iri: content})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded_checksum(descriptions: Graph, release: URIRef) -> str | None:
    for node in descriptions.objects(release, SPDX.checksum):
        if (node, SPDX.algorithm, SPDX.checksumAlgorithm_sha256) in descriptions:
            value = descriptions.value(node, SPDX.checksumValue)
            return str(value).lower() if value is not None else None
    return None


def read_frozen(folder: Path, release: URIRef, graph_iri: URIRef, descriptions: Graph) -> Graph:
    """The frozen content of the release in ``folder``, after checking its SHA-256."""
    path = folder / CONTENT_FILE
    description = folder / "release.ttl"
    if not path.is_file():
        raise SourceError(f"an older release needs its frozen content {CONTENT_FILE} "
                          "(docs/releases.md, 'Frozen content')", where=str(folder))
    data = path.read_bytes()
    expected = recorded_checksum(descriptions, release)
    if expected is None:
        raise SourceError(f"must record the SHA-256 of {CONTENT_FILE} (spdx:checksum with "
                          "spdx:checksumAlgorithm_sha256)", where=str(description))
    actual = sha256(data)
    if actual != expected:
        raise SourceError(f"{CONTENT_FILE} has changed since the release was frozen: its SHA-256 is "
                          f"{actual}, release.ttl records {expected}; a published release never "
                          "changes", where=str(path))
    suffix = f" <{graph_iri}> ."
    lines = []
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.endswith(suffix):
            raise SourceError(f"every statement must be in the graph <{graph_iri}>", where=f"{path}:{number}")
        lines.append(line[: -len(suffix)] + " .")
    graph = bind_prefixes(Graph())
    try:
        graph.parse(data="\n".join(lines), format="nt")
    except Exception as exc:  # rdflib raises plain exceptions for bad N-Triples
        raise SourceError(f"cannot parse N-Quads: {exc}", where=str(path)) from exc
    return graph
