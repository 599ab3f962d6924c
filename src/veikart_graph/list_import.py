"""``veikart-graph import LIST.csv --release VERSION`` for the roadmap's delivery list.

The list is Helsedirektoratet's own layout (``delivery_list``), recognised by its header. All of
it is checked before anything is written:

1. every row is read by the same reader ``build`` uses; a rejected row is an error naming row,
   column and what is wrong, in bokmål and English (``delivery_list`` lists the rules);
2. the list is the whole delivery list of its edition, so it replaces the lists in
   ``data/sources/`` (the older ones live on in the release they belonged to, frozen);
3. the release is handled as for the activity table (``importer.plan_release``): the current
   version corrects the current release, a new version publishes a new release and freezes the
   current one;
4. the new data is validated with the shapes; a violation is the error of the row it concerns;
5. only then: the file is copied byte for byte to ``data/sources/veikartliste-<version>.csv``
   with its sidecar ``veikartliste-<version>.source.ttl`` (kept, with its checksum updated, when
   it exists; else written from the options and the previous list's sidecar).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .activity_rows import RowError
from .delivery_list import (
    DELIVERY_PREFIX,
    ID,
    ListCodes,
    ListReader,
    error_order,
    header_problems,
    list_files,
    read_rows,
    sidecar_path,
    source_iri,
)
from .errors import SourceError, read_source_text
from .importer import ImportFailed, ImportPlan, parse_text, plan_release, turtle
from .namespaces import bind_prefixes
from .releases.compose import DCAT, compose_releases
from .releases.frozen import SPDX
from .releases.words import Labeller
from .sources import load_sources, turtle_files
from .validation import validate

LIST_NAME = "veikartliste-{version}.csv"


def plan_list_import(root: Path, table: Path, version: str, *, sources_for_release: tuple[str, ...] = (),
                     issued: str | None = None) -> ImportPlan:
    """Everything importing the delivery list ``table`` into release ``version`` would write;
    ``ImportFailed`` with every error otherwise."""
    if not table.is_file():
        raise SourceError("file not found / fant ikke filen", where=str(table))
    data = table.read_bytes()
    text = read_source_text(table)
    header, rows = read_rows(text)
    errors = header_problems(header)
    if errors:
        raise ImportFailed(errors)
    folder = root / "data" / "sources"
    target = folder / LIST_NAME.format(version=version)
    old_lists = list_files(root / "data")
    replaced = {p for lst in old_lists for p in (lst, sidecar_path(lst))} | {target, sidecar_path(target)}
    kept = [p for p in turtle_files(root / "data") if p not in replaced]
    before = load_sources(root)  # the current data, lists included
    sources = load_sources(root, kept, lists=False)
    previous = _previous_sidecar(old_lists, target)
    sidecar = _sidecar(target, data, version, previous, sources_for_release, issued, table.name)
    reader = ListReader(ListCodes.from_graph(sources.data + sources.ontology), source_iri(target),
                        sorted(o for o in sidecar.objects(source_iri(target), DCTERMS.source) if isinstance(o, URIRef)),
                        version)
    graph = reader.read(rows)
    if not rows:
        reader.error(2, None, "listen har ingen leveranser.", "the list has no deliveries.")
    if not list(sidecar.objects(source_iri(target), DCTERMS.source)):
        reader.error(1, None, "oppgi listens nettside med --source (ingen tidligere liste å ta den fra).",
                     "give the list's web page with --source (there is no earlier list to take it from).")
    if reader.errors:
        raise ImportFailed(sorted(reader.errors, key=error_order))
    new_data = bind_prefixes(Graph()) + sources.data + sidecar + graph
    releases = compose_releases(root, before)
    plan = ImportPlan({}, len(rows), before.data, new_data, Labeller([new_data, before.data, before.ontology]))
    descriptions = plan_release(plan, root, releases, version, sources_for_release, issued)
    report = validate(new_data + sources.ontology + descriptions, sources.shapes, sources.ontology)
    if not report.conforms:
        raise ImportFailed([_row_error(v, reader.ids) for v in report.violations])
    plan.files[target] = data
    plan.files[sidecar_path(target)] = _sidecar_text(target, data, sidecar, version, table.name)
    plan.removals = sorted(p for p in replaced if p.exists() and p not in plan.files)
    return plan


def _previous_sidecar(old_lists: list[Path], target: Path) -> Graph:
    """The sidecar of the list being replaced (the same name first), for publisher and pages."""
    for path in sorted(old_lists, key=lambda p: p != target):
        side = sidecar_path(path)
        if side.exists():
            graph = parse_text(read_source_text(side))
            old, new = source_iri(path), source_iri(target)
            out = bind_prefixes(Graph())
            for s, p, o in graph:
                out.add((new if s == old else s, p, o))
            return out
    return bind_prefixes(Graph())


def _sidecar(target: Path, data: bytes, version: str, previous: Graph, links: tuple[str, ...],
             issued: str | None, name: str) -> Graph:
    """The sidecar's statements as the build will read them."""
    iri = source_iri(target)
    if sidecar_path(target).exists():  # kept as written, with the new checksum
        return parse_text(_sidecar_text(target, data, previous, version, name))
    g = bind_prefixes(Graph())
    g.add((iri, RDF.type, PROV.Entity))
    g.add((iri, RDF.type, DCTERMS.BibliographicResource))
    g.add((iri, DCTERMS.identifier, Literal(target.stem)))
    g.add((iri, DCTERMS.title, Literal(f"Tiltak- og leveranseliste for veikartet, versjon {version}", lang="nb")))
    g.add((iri, DCTERMS.title, Literal(f"The roadmap's delivery list, version {version}", lang="en")))
    g.add((iri, DCAT.version, Literal(version)))
    for publisher in previous.objects(iri, DCTERMS.publisher):
        g.add((iri, DCTERMS.publisher, publisher))
    for link in links or tuple(str(o) for o in previous.objects(iri, DCTERMS.source)):
        g.add((iri, DCTERMS.source, URIRef(link)))
    if issued:
        g.add((iri, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((iri, SKOS.note, Literal(f"Imported with `veikart-graph import {name} --release {version}` on "
                                   f"{date.today().isoformat()}. No licence was given with the file.", lang="en")))
    checksum = URIRef(f"{iri}#sha256")
    g.add((iri, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    return g


def _sidecar_text(target: Path, data: bytes, sidecar: Graph, version: str, name: str) -> str:
    """An existing sidecar's text with the new SHA-256 (comments and wording kept); else the
    new sidecar as Turtle."""
    path = sidecar_path(target)
    digest = hashlib.sha256(data).hexdigest()
    if path.exists():
        text = read_source_text(path)
        return re.sub(r'(spdx:checksumValue\s+")[0-9a-f]{64}(")', rf"\g<1>{digest}\g<2>", text)
    return turtle(sidecar, f"Sidecar of {target.name}: where the delivery list comes from. Written by "
                           f"`veikart-graph import {name} --release {version}`; correct it by hand where it "
                           "says too little (publisher, licence, where it was read).")


def _row_error(violation, ids: dict[str, int]) -> RowError:
    """A SHACL violation as the error of the row whose delivery it concerns."""
    key = violation.focus.split("#", 1)[0].removeprefix(DELIVERY_PREFIX)
    value = f" ({violation.value})" if violation.value else ""
    return RowError(ids.get(key, 1), ID if key in ids else None, violation.message_nb + value,
                    violation.message_en + value)
