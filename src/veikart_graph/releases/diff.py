"""What changed between two releases, computed in Python from the two graphs.

Not in SPARQL: diffs written as ``MINUS`` queries are known to run triple stores out of memory
on large graphs (skos-history issue #17); two
sets of triples subtract in linear time. Blank nodes are canonicalised first (rdflib's
``to_canonical_graph``, labels from a hash of each node's surroundings), so the same blank-node
structure in both graphs compares equal whatever its labels were in the files.

Triples are grouped by *entity*: a subject IRI without its fragment, so the statement nodes of an
entity (``…/aktivitet/x#eier-hod``, model.md) are reported with it, and a blank node belongs to
the entity that links to it. Each entity is added, removed or changed; a changed one lists, per
property, the values removed and added, and its statement nodes that were added, removed or
changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS
from rdflib.term import Node

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
# Said of an entity after it is gone (a tombstone); a subject with only these is not present.
TOMBSTONES = frozenset({DCTERMS.isReplacedBy})
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class PropertyChange:
    """The values of one property of one node that were removed and added."""

    predicate: URIRef
    removed: tuple[Node, ...]
    added: tuple[Node, ...]


@dataclass(frozen=True)
class NodeChange:
    """A statement node (hash IRI or blank node) of an entity that was added, removed or changed."""

    node: Node
    kind: str
    properties: tuple[PropertyChange, ...]


@dataclass(frozen=True)
class EntityChange:
    iri: URIRef
    kind: str
    properties: tuple[PropertyChange, ...]
    parts: tuple[NodeChange, ...]


@dataclass(frozen=True)
class GraphDiff:
    entities: tuple[EntityChange, ...]
    triples_removed: int
    triples_added: int

    def of_kind(self, kind: str) -> list[EntityChange]:
        return [e for e in self.entities if e.kind == kind]

    def get(self, iri: str) -> EntityChange | None:
        return next((e for e in self.entities if str(e.iri) == iri), None)


def canonical_triples(graph: Graph) -> set[Triple]:
    """The graph's triples with canonical blank-node labels (unchanged when it has none)."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        graph = to_canonical_graph(graph)
    return set(graph.triples((None, None, None)))


def diff_graphs(old: Graph, new: Graph) -> GraphDiff:
    """The changes from ``old`` to ``new``, entity by entity."""
    old_triples, new_triples = canonical_triples(old), canonical_triples(new)
    removed, added = old_triples - new_triples, new_triples - old_triples
    owners = _Owners(old_triples | new_triples)
    old_subjects = {s for s, p, _ in old_triples if p not in TOMBSTONES}
    new_subjects = {s for s, p, _ in new_triples if p not in TOMBSTONES}
    old_entities = {owners.entity(s) for s in old_subjects}
    new_entities = {owners.entity(s) for s in new_subjects}
    by_entity: dict[URIRef, dict[Node, list[tuple[str, Triple]]]] = defaultdict(lambda: defaultdict(list))
    for side, triples in ((REMOVED, removed), (ADDED, added)):
        for triple in triples:
            by_entity[owners.entity(triple[0])][triple[0]].append((side, triple))
    entities = []
    for iri in sorted(by_entity, key=str):
        present = (iri in old_entities, iri in new_entities)
        if present == (False, False):
            continue  # only a tombstone changed, on an entity neither side has
        kind = {(True, True): CHANGED, (False, True): ADDED, (True, False): REMOVED}[present]
        entities.append(_entity_change(iri, kind, by_entity[iri], old_subjects, new_subjects))
    return GraphDiff(tuple(entities), len(removed), len(added))


def _entity_change(iri: URIRef, kind: str, nodes: dict[Node, list[tuple[str, Triple]]],
                   old_subjects: set[Node], new_subjects: set[Node]) -> EntityChange:
    parts = []
    for node in sorted((n for n in nodes if n != iri), key=str):
        node_kind = CHANGED if node in old_subjects and node in new_subjects else (
            ADDED if node in new_subjects else REMOVED)
        parts.append(NodeChange(node, node_kind, _property_changes(nodes[node])))
    covered = {p.node for p in parts if p.kind != CHANGED}
    properties = _property_changes(nodes.get(iri, []), skip_values=covered)
    return EntityChange(iri, kind, properties, tuple(parts))


def _property_changes(changes: Iterable[tuple[str, Triple]],
                      skip_values: set[Node] = frozenset()) -> tuple[PropertyChange, ...]:
    """Per predicate, the values removed and added; links to statement nodes that are reported as
    added or removed themselves (``skip_values``) are left out, so nothing is said twice."""
    values: dict[URIRef, dict[str, list[Node]]] = defaultdict(lambda: {REMOVED: [], ADDED: []})
    for side, (_, predicate, obj) in changes:
        if obj not in skip_values:
            values[predicate][side].append(obj)
    return tuple(
        PropertyChange(p, tuple(sorted(v[REMOVED], key=str)), tuple(sorted(v[ADDED], key=str)))
        for p, v in sorted(values.items(), key=lambda item: str(item[0]))
    )


class _Owners:
    """Which entity each subject belongs to: an IRI's entity is the IRI without its fragment; a
    blank node belongs to the entity of the first (by IRI order) subject that links to it."""

    def __init__(self, triples: set[Triple]) -> None:
        self._linked_from: dict[Node, list[Node]] = defaultdict(list)
        for s, _, o in triples:
            if isinstance(o, BNode) and s != o:
                self._linked_from[o].append(s)
        self._cache: dict[Node, URIRef] = {}

    def entity(self, subject: Node, seen: frozenset[Node] = frozenset()) -> URIRef:
        if subject in self._cache:
            return self._cache[subject]
        if isinstance(subject, BNode):
            parents = sorted((p for p in self._linked_from.get(subject, []) if p not in seen), key=str)
            owner = self.entity(parents[0], seen | {subject}) if parents else URIRef(f"_:{subject}")
        else:
            owner = URIRef(str(subject).split("#", 1)[0])
        self._cache[subject] = owner
        return owner
