"""Roadmap releases from the ``releases/`` folder: their descriptions, their order, their content.

Layout (docs/releases.md)::

    releases/<version>/release.ttl   the vk:RoadmapRelease (a dcat:Dataset): version, series,
                                     previous version, sources; for an older release also the
                                     SHA-256 of its frozen content (spdx:checksum)
    releases/<version>/content.nq    an older release's frozen content (``frozen``)

The current release is the one no other release names as ``dcat:previousVersion``; its content
is ``data/`` (with the delivery lists) plus the edition's phase code list, and its folder has no
content file. Every older release's content is the frozen file, checked against its SHA-256:
editing ``data/`` never changes what an older release said. (Until 2026-12 older releases were
composed backwards through overlays, ``remove.ttl``/``add.ttl``; those files are refused now.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from ..errors import SourceError
from ..namespaces import VK, VKG, VKID, VOID, bind_prefixes
from ..sources import Sources, parse_file
from ..validation import ValidationReport, Violation, validate
from .frozen import CONTENT_FILE, edition_code_lists, read_frozen

RELEASES_DIR = "releases"
DESCRIPTION_FILE = "release.ttl"
OVERLAY_FILES = ("remove.ttl", "add.ttl")  # the former reverse deltas, refused
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
    """Every ``.ttl`` and frozen ``content.nq`` under ``releases/`` (part of the sources' hash)."""
    folder = root / RELEASES_DIR
    if not folder.is_dir():
        return []
    return sorted([*folder.rglob("*.ttl"), *folder.rglob(CONTENT_FILE)])


def compose_releases(root: Path, sources: Sources) -> Releases:
    """All releases of ``root`` composed over ``sources.data`` (the current release).

    Older releases are frozen: each content is checked against the SHA-256 its description
    records, never against today's shapes. A published release conformed to the shapes of its
    day; a rule added later for the current data (e.g. where an organisation number comes from)
    must not stop the build over history that cannot change. A correction of an older release
    goes through ``veikart-graph freeze``, which refuses one that adds a violation
    (``new_violations``). No ``releases/`` folder gives no releases.
    """
    descriptions, found = read_descriptions(root)
    if not found:
        return Releases()
    chain = order_chain(found)
    contents = compose_contents(sources, chain, descriptions)
    releases = Releases(chain, descriptions, contents, release_files(root))
    describe_releases(releases)
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


def compose_contents(sources: Sources, chain: list[Release], descriptions: Graph) -> dict[str, Graph]:
    """Content of every release: the frozen file of each older one, ``data/`` (with the phase
    code list) for the current one."""
    current = chain[-1]
    for release in chain:
        for name in OVERLAY_FILES:
            if (release.folder / name).exists():
                raise SourceError(f"{name}: overlays are replaced by frozen content ({CONTENT_FILE}); "
                                  "see docs/releases.md", where=str(release.folder / name))
    if (current.folder / CONTENT_FILE).exists():
        raise SourceError(f"the current release cannot have {CONTENT_FILE}: its content is data/",
                          where=str(current.folder / CONTENT_FILE))
    contents = {current.version: current_content(sources)}
    for release in chain[:-1]:
        contents[release.version] = read_frozen(release.folder, release.iri, release.graph_iri, descriptions)
    return contents


def current_content(sources: Sources) -> Graph:
    """The current release's content: the data and the edition's phase code list."""
    return bind_prefixes(Graph()) + sources.data + edition_code_lists(sources.ontology)


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


def new_violations(release: Release, before: Graph, after: Graph, sources: Sources) -> ValidationReport:
    """The violations ``after`` (a corrected content of an older release) has and ``before`` (its
    published content) did not, against today's shapes and ontology. Each release carries its own
    edition's phase code list, so the ontology's (the current edition's) is left out."""
    ontology = bind_prefixes(Graph())
    codes = set(edition_code_lists(sources.ontology))
    for triple in sources.ontology:
        if triple not in codes:
            ontology.add(triple)

    def key(v: Violation) -> tuple:
        return (v.focus, v.path, v.value, v.source_shape)

    known = {key(v) for v in validate(before + ontology, sources.shapes, ontology).violations}
    report = validate(after + ontology, sources.shapes, ontology)
    added = [v for v in report.violations if key(v) not in known]
    return ValidationReport(conforms=not any(v.severity == "Violation" for v in added), violations=added)
