"""Roadmap releases from the ``releases/`` folder: their descriptions, their order, their content.

Layout (docs/releases.md)::

    releases/<version>/release.ttl   the vk:RoadmapRelease (a dcat:Dataset): version, series,
                                     previous version, sources
    releases/<version>/remove.ttl    statements of the *next* release that this one did not have
    releases/<version>/add.ttl       statements this one had that the next release does not

The current release is the one no other release names as ``dcat:previousVersion``; its content
is ``data/`` and its folder has no overlay. Every older release is composed backwards from its
successor (reverse deltas, as version control stores history): content(v) = content(next(v))
− remove + add. Publishing a new release therefore only ever writes the overlay of the release
it supersedes; older overlays stay valid.

A statement in ``remove.ttl`` that the next release does not have means the overlay has gone
stale (someone edited data/ under it), and the build stops naming the file and the statement.
Overlays cannot name blank nodes: a blank node in another file is a different node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from ..errors import NotConformingError, SourceError
from ..namespaces import VK, VKG, VKID, VOID, bind_prefixes
from ..sources import Sources, parse_file
from ..validation import validate

RELEASES_DIR = "releases"
DESCRIPTION_FILE, REMOVE_FILE, ADD_FILE = "release.ttl", "remove.ttl", "add.ttl"
SERIES = VKID.veikart
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 terms (rdflib's DCAT is the closed DCAT 2 list)
DATASET = VKID.datasett


def release_graph_iri(version: str) -> URIRef:
    """The named graph holding a release's content: ``https://w3id.org/veikart/graph/release/<v>``."""
    return VKG[f"release/{version}"]


def release_iri(version: str) -> URIRef:
    return VKID[f"veikart/{version}"]


@dataclass(frozen=True)
class Release:
    version: str
    iri: URIRef
    previous: URIRef | None
    folder: Path

    @property
    def graph_iri(self) -> URIRef:
        return release_graph_iri(self.version)


@dataclass
class Releases:
    """The releases oldest first, their descriptions (for the metadata graph) and contents."""

    releases: list[Release] = field(default_factory=list)
    descriptions: Graph = field(default_factory=lambda: bind_prefixes(Graph()))
    contents: dict[str, Graph] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @property
    def current(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def graphs(self) -> dict[URIRef, Graph]:
        """Named graph IRI → content, for the snapshot."""
        return {r.graph_iri: self.contents[r.version] for r in self.releases}

    def get(self, version: str) -> Release:
        for release in self.releases:
            if release.version == version:
                return release
        known = ", ".join(r.version for r in self.releases) or "none"
        raise SourceError(f"no release {version!r} (known releases: {known})")


def release_files(root: Path) -> list[Path]:
    """Every ``.ttl`` file under ``releases/`` (part of the sources' hash)."""
    folder = root / RELEASES_DIR
    return sorted(folder.rglob("*.ttl")) if folder.is_dir() else []


def compose_releases(root: Path, sources: Sources, *, check: bool = True) -> Releases:
    """All releases of ``root`` composed over ``sources.data`` (the current release).

    With ``check``, each older release is validated against the shapes (``NotConformingError``).
    No ``releases/`` folder gives no releases.
    """
    descriptions, found = read_descriptions(root)
    if not found:
        return Releases()
    chain = order_chain(found)
    contents = compose_contents(sources.data, chain)
    releases = Releases(chain, descriptions, contents, release_files(root))
    describe_releases(releases)
    if check:
        for release in chain[:-1]:
            validate_release(release, contents[release.version], sources)
    return releases


def read_descriptions(root: Path) -> tuple[Graph, list[Release]]:
    """Parse every ``releases/<version>/release.ttl``; each describes its own release."""
    descriptions = bind_prefixes(Graph())
    found = []
    folder = root / RELEASES_DIR
    for path in sorted(folder.glob(f"*/{DESCRIPTION_FILE}")) if folder.is_dir() else []:
        part = parse_file(path)
        iri = release_iri(path.parent.name)
        if (iri, RDF.type, VK.RoadmapRelease) not in part:
            raise SourceError(f"must describe {iri} as a vk:RoadmapRelease (the folder name is the version)",
                              where=str(path))
        if part.value(iri, DCAT.version) != Literal(path.parent.name):
            raise SourceError(f'dcat:version of {iri} must be "{path.parent.name}", the folder name',
                              where=str(path))
        previous = part.value(iri, DCAT.previousVersion)
        found.append(Release(path.parent.name, iri, previous if isinstance(previous, URIRef) else None,
                             path.parent))
        descriptions += part
    return descriptions, found


def order_chain(found: list[Release]) -> list[Release]:
    """The releases oldest first, following ``dcat:previousVersion``; one line, no forks."""
    by_iri = {r.iri: r for r in found}
    successors: dict[URIRef, Release] = {}
    for release in found:
        if release.previous is None:
            continue
        if release.previous not in by_iri:
            raise SourceError(f"dcat:previousVersion {release.previous} is not a release in releases/",
                              where=str(release.folder / DESCRIPTION_FILE))
        if release.previous in successors:
            raise SourceError(f"two releases name {release.previous} as their previous version",
                              where=str(release.folder / DESCRIPTION_FILE))
        successors[release.previous] = release
    heads = [r for r in found if r.iri not in successors]
    if len(heads) != 1:
        names = ", ".join(r.version for r in heads) or "none (a cycle)"
        raise SourceError(f"exactly one release must be current (named by no dcat:previousVersion); found: {names}",
                          where=RELEASES_DIR)
    chain = [heads[0]]
    while chain[-1].previous is not None:
        chain.append(by_iri[chain[-1].previous])
    if len(chain) != len(found):
        raise SourceError("some releases are not on the dcat:previousVersion line of the current one",
                          where=RELEASES_DIR)
    return chain[::-1]


def compose_contents(data: Graph, chain: list[Release]) -> dict[str, Graph]:
    """Content of every release, newest first from ``data`` backwards through the overlays."""
    current = chain[-1]
    for name in (REMOVE_FILE, ADD_FILE):
        if (current.folder / name).exists():
            raise SourceError(f"the current release cannot have {name}: its content is data/",
                              where=str(current.folder / name))
    contents = {current.version: data}
    newer = data
    for release in reversed(chain[:-1]):
        newer = apply_overlay(newer, release.folder)
        contents[release.version] = newer
    return contents


def apply_overlay(newer: Graph, folder: Path) -> Graph:
    """``newer`` − ``folder``/remove.ttl + ``folder``/add.ttl, as a new graph."""
    remove, add = _overlay_part(folder / REMOVE_FILE), _overlay_part(folder / ADD_FILE)
    for triple in remove:
        if triple not in newer:
            s, p, o = (term.n3() for term in triple)
            raise SourceError(f"stale overlay: the next release does not have {s} {p} {o}",
                              where=str(folder / REMOVE_FILE))
    older = bind_prefixes(Graph())
    for triple in newer:
        if triple not in remove:
            older.add(triple)
    older += add
    return older


def _overlay_part(path: Path) -> Graph:
    if not path.exists():
        return Graph()
    part = parse_file(path)
    if any(isinstance(term, BNode) for triple in part for term in triple):
        raise SourceError("overlays cannot use blank nodes; give the node an IRI (docs/model.md)",
                          where=str(path))
    return part


def describe_releases(releases: Releases) -> None:
    """Add to the descriptions: the series' current version and each content graph as a titled
    VoID subset of the dataset, so its graph IRI resolves to a page."""
    g = releases.descriptions
    current = releases.current
    g.add((SERIES, DCAT.hasCurrentVersion, current.iri))
    for release in releases.releases:
        graph_iri = release.graph_iri
        g.add((release.iri, DCTERMS.relation, graph_iri))
        g.add((DATASET, VOID.subset, graph_iri))
        g.add((graph_iri, RDF.type, VOID.Dataset))
        g.add((graph_iri, DCTERMS.title, Literal(f"Innholdet i veikartutgave {release.version}", lang="nb")))
        g.add((graph_iri, DCTERMS.title, Literal(f"Content of roadmap release {release.version}", lang="en")))


def validate_release(release: Release, content: Graph, sources: Sources) -> None:
    """The composed content of an older release must conform to the shapes, like data/ does."""
    report = validate(content + sources.ontology, sources.shapes, sources.ontology)
    if not report.conforms:
        raise NotConformingError(
            f"release {release.version} (composed from {release.folder}) breaks "
            f"{len(report.violations)} rules; no snapshot was written", report)
