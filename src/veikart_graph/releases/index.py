"""The releases of a loaded snapshot: their order, content, diffs, history and removed entities.

Read from the ``GraphReader`` (embedded or a remote store; the release descriptions in ``vkg:metadata``, each release's
content in ``vkg:release/<version>``) once per process and snapshot, like ``describe``'s
vocabulary; diffs are computed on first use and kept. No Flask: the web module and the tests
both use ``release_index(graph)``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS

from ..cache import per_graph
from ..errors import NotFound
from ..namespaces import BASE, GRAPH_DATA, GRAPH_ONTOLOGY, VKID, bind_prefixes
from ..store import GraphReader, KnowledgeGraph
from .compose import release_graph_iri
from .diff import TOMBSTONES as DIFF_TOMBSTONES
from .diff import GraphDiff, diff_graphs
from .words import Labeller, Line, summarise

RELEASES_QUERY = """
SELECT ?r ?v ?prev ?issued ?label WHERE {
  GRAPH vkg:metadata { ?r a vk:RoadmapRelease ; dcat:version ?v .
    OPTIONAL { ?r dcat:previousVersion ?prev } OPTIONAL { ?r dct:issued ?issued }
    OPTIONAL { ?r skos:prefLabel ?label } }
}"""
TOMBSTONES = {str(p) for p in DIFF_TOMBSTONES}  # said of an entity after it is gone; not a sign it exists


@dataclass(frozen=True)
class ReleaseInfo:
    version: str
    iri: str
    previous: str | None
    issued: str | None
    labels: tuple[tuple[str, str], ...]

    @property
    def graph_iri(self) -> str:
        return str(release_graph_iri(self.version))

    def label(self, lang: str) -> str:
        found = dict(self.labels)
        return found.get(lang) or found.get("nb") or self.version


@dataclass(frozen=True)
class Removal:
    """An entity of an older release that the current release no longer has."""

    iri: str
    last: ReleaseInfo
    replaced_by: tuple[str, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """What one release says about an entity: ``first``, ``added``, ``changed``, ``unchanged``
    or ``removed``, with the changes in words."""

    release: ReleaseInfo
    status: str
    lines: tuple[Line, ...] = ()

    @property
    def present(self) -> bool:
        return self.status != "removed"


class ReleaseIndex:
    def __init__(self, graph: GraphReader) -> None:
        self.graph = graph
        self.releases = _ordered(_read_releases(graph))
        self._lock = threading.Lock()
        self._contents: dict[str, Graph] = {}
        self._diffs: dict[tuple[str, str], GraphDiff] = {}
        self._stores: dict[str, KnowledgeGraph] = {}

    @property
    def current(self) -> ReleaseInfo | None:
        return self.releases[-1] if self.releases else None

    def get(self, version: str) -> ReleaseInfo:
        for release in self.releases:
            if release.version == version:
                return release
        known = ", ".join(r.version for r in self.releases) or "none"
        raise NotFound(f"no roadmap release {version!r}; the releases are: {known}")

    def previous(self, release: ReleaseInfo) -> ReleaseInfo | None:
        index = self.releases.index(release)
        return self.releases[index - 1] if index else None

    # ------------------------------------------------------------------------- content

    def _quads(self, version: str):
        return self.graph.store.quads_for_pattern(None, None, None, ox.NamedNode(self.get(version).graph_iri))

    def content(self, version: str) -> Graph:
        """The release's content as an rdflib graph (for diffs)."""
        with self._lock:
            if version not in self._contents:
                text = ox.serialize((q.triple for q in self._quads(version)), format=ox.RdfFormat.N_TRIPLES)
                self._contents[version] = bind_prefixes(Graph()).parse(data=text.decode("utf-8"), format="nt")
            return self._contents[version]

    def release_graph(self, version: str) -> KnowledgeGraph:
        """A ``KnowledgeGraph`` holding the release's content as ``vkg:data`` plus the ontology, so
        ``describe`` renders an entity as it was in that release. What the release says about a
        subject replaces what the current ontology says about it: a release carries its edition's
        phase code list, and its phases must show the names it published."""
        with self._lock:
            if version not in self._stores:
                store = ox.Store()
                data = ox.NamedNode(str(GRAPH_DATA))
                quads = list(self._quads(version))
                store.extend(ox.Quad(q.subject, q.predicate, q.object, data) for q in quads)
                own = {q.subject for q in quads}
                ontology = ox.NamedNode(str(GRAPH_ONTOLOGY))
                store.extend(q for q in self.graph.store.quads_for_pattern(None, None, None, ontology)
                             if q.subject not in own)
                self._stores[version] = KnowledgeGraph(store, f"{self.graph.snapshot_hash}:{version}")
            return self._stores[version]

    @cached_property
    def ontology(self) -> Graph:
        quads = self.graph.store.quads_for_pattern(None, None, None, ox.NamedNode(str(GRAPH_ONTOLOGY)))
        text = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=text.decode("utf-8"), format="nt")

    @cached_property
    def labeller(self) -> Labeller:
        """Labels from the newest release back to the oldest, then the ontology."""
        return Labeller([*(self.content(r.version) for r in reversed(self.releases)), self.ontology])

    def diff(self, old: str, new: str) -> GraphDiff:
        key = (self.get(old).version, self.get(new).version)
        if key not in self._diffs:
            computed = diff_graphs(self.content(old), self.content(new))
            with self._lock:
                self._diffs[key] = computed
        return self._diffs[key]

    # ------------------------------------------------------------------------- entities

    @cached_property
    def entities(self) -> dict[str, frozenset[str]]:
        """Per release, the entities it has (subject IRIs under /id/ without fragment; a subject
        whose only statement is ``dct:isReplacedBy`` is a tombstone, not an entity)."""
        found = {}
        for release in self.releases:
            kept: set[str] = set()
            for quad in self._quads(release.version):
                iri = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
                if iri.startswith(str(VKID)) and quad.predicate.value not in TOMBSTONES:
                    kept.add(iri.split("#", 1)[0])
            found[release.version] = frozenset(kept)
        return found

    def releases_with(self, iri: str) -> list[ReleaseInfo]:
        return [r for r in self.releases if iri in self.entities[r.version]]

    def removal(self, iri: str) -> Removal | None:
        """How ``iri`` left the roadmap, if an older release had it and the current one does not."""
        current = self.current
        if current is None or iri in self.entities[current.version]:
            return None
        having = self.releases_with(iri)
        if not having:
            return None
        replaced = self.graph.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(DCTERMS.isReplacedBy)),
                                                     None, None)
        return Removal(iri, having[-1], tuple(sorted({q.object.value for q in replaced})))

    def history(self, iri: str, lang: str) -> list[HistoryEntry]:
        """Every release the entity is in (and the one that removed it), with what changed."""
        entries = []
        previous = None
        for release in self.releases:
            here = iri in self.entities[release.version]
            before = previous is not None and iri in self.entities[previous.version]
            if here and previous is None:
                entries.append(HistoryEntry(release, "first"))
            elif here and not before:
                entries.append(HistoryEntry(release, "added"))
            elif here:
                lines = self.changes_of(iri, previous.version, release.version, lang)
                entries.append(HistoryEntry(release, "changed" if lines else "unchanged", lines))
            elif before:
                entries.append(HistoryEntry(release, "removed"))
            previous = release
        return entries

    def changes_of(self, iri: str, old: str, new: str, lang: str) -> tuple[Line, ...]:
        change = self.diff(old, new).get(iri)
        if change is None:
            return ()
        return summarise(self.diff(old, new), self.labeller, lang, keep=[iri])[0].lines


def _read_releases(graph: GraphReader) -> list[ReleaseInfo]:
    rows: dict[str, dict] = {}
    for row in graph.select(RELEASES_QUERY):
        entry = rows.setdefault(row["r"].value, {"version": row["v"].value, "labels": {}})
        entry["previous"] = row["prev"].value if "prev" in row else None
        entry["issued"] = row["issued"].value if "issued" in row else None
        if "label" in row:
            entry["labels"][row["label"].language or "nb"] = row["label"].value
    return [ReleaseInfo(e["version"], iri, e["previous"], e["issued"], tuple(sorted(e["labels"].items())))
            for iri, e in rows.items()]


def _ordered(found: list[ReleaseInfo]) -> list[ReleaseInfo]:
    """Oldest first along ``dcat:previousVersion`` (the build has checked it is one line)."""
    by_iri = {r.iri: r for r in found}
    named = {r.previous for r in found}
    heads = [r for r in found if r.iri not in named]
    if not heads:
        return []
    chain = [heads[0]]
    while chain[-1].previous in by_iri and len(chain) <= len(found):
        chain.append(by_iri[chain[-1].previous])
    return chain[::-1]


def local_path(iri: str) -> str:
    """``id/aktivitet/x`` for ``https://w3id.org/veikart/id/aktivitet/x``."""
    return iri.removeprefix(BASE)


@per_graph
def release_index(graph: GraphReader) -> ReleaseIndex:
    """The release index of ``graph``, read once per process and snapshot."""
    return ReleaseIndex(graph)
