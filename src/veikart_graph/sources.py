"""Reading the source files (ontology/, shapes/, data/) into rdflib graphs.

The delivery lists in ``data/sources/*.csv`` are read on every load (``delivery_list``), so the
current data always holds them and no generated Turtle copy is committed.

A file that does not parse raises ``SourceError`` naming the file and line. The loader also
remembers which file each subject came from, so validation reports can point editors at a file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV
from rdflib.plugins.parsers.notation3 import BadSyntax

from .delivery_list import list_files, read_sources_lists
from .errors import SourceError, read_source_text
from .namespaces import bind_prefixes

SOURCE_DIRS = ("ontology", "shapes", "data")


@dataclass
class Sources:
    """The three source graphs and where each data subject was written."""

    ontology: Graph
    shapes: Graph
    data: Graph
    files: list[Path] = field(default_factory=list)
    files_by_subject: dict[str, str] = field(default_factory=dict)

    @property
    def source_hash(self) -> str:
        return hash_files(self.files)


def turtle_files(folder: Path) -> list[Path]:
    """The ``*.ttl`` files below ``folder`` in a stable order."""
    if not folder.is_dir():
        raise SourceError(f"folder not found: {folder}", where=str(folder))
    return sorted(folder.rglob("*.ttl"))


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; ``SourceError`` with ``file:line`` on bad syntax."""
    graph = into if into is not None else bind_prefixes(Graph())
    text = read_source_text(path)
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise SourceError(f"Turtle syntax error: {exc._why}", where=f"{path}:{exc.lines + 1}") from exc
    except Exception as exc:  # rdflib raises plain exceptions for bad IRIs, prefixes, literals
        raise SourceError(f"cannot parse Turtle: {exc}", where=str(path)) from exc
    return graph


def load_graph(paths: list[Path]) -> tuple[Graph, dict[str, str]]:
    """Parse ``paths`` into one graph; also return subject IRI → file for each subject."""
    graph = bind_prefixes(Graph())
    subjects: dict[str, str] = {}
    for path in paths:
        part = parse_file(path)
        for subject in set(part.subjects()):
            if isinstance(subject, URIRef):
                subjects.setdefault(str(subject), str(path))
        graph += part
    return graph, subjects


def load_sources(root: Path, data_files: list[Path] | None = None, *, lists: bool | None = None) -> Sources:
    """Read ``root``/ontology, shapes and data (or only ``data_files`` for the data); with
    ``lists`` (default: when all of data/ is read) also the delivery lists in data/sources/."""
    ontology_files = turtle_files(root / "ontology")
    shape_files = turtle_files(root / "shapes")
    data_paths = data_files if data_files is not None else turtle_files(root / "data")
    for path in data_paths:
        if not path.is_file():
            raise SourceError("file not found", where=str(path))
    ontology, by_subject = load_graph(ontology_files)
    shapes, _ = load_graph(shape_files)
    data, data_subjects = load_graph(data_paths)
    by_subject.update(data_subjects)
    with_lists = data_files is None if lists is None else lists
    list_paths = list_files(root / "data") if with_lists else []
    if list_paths:
        rows = read_sources_lists(root / "data", data + ontology)
        for subject in set(rows.subjects()):
            by_subject.setdefault(str(subject), str(_list_of(subject, rows, list_paths)))
        data += rows
    return Sources(
        ontology=ontology,
        shapes=shapes,
        data=data,
        files=[*ontology_files, *shape_files, *data_paths, *list_paths],
        files_by_subject=by_subject,
    )


def _list_of(subject: object, rows: Graph, lists: list[Path]) -> Path:
    """The list file a subject of the delivery lists' graph was read from."""
    source = rows.value(subject, PROV.wasDerivedFrom)
    return next((p for p in lists if source is not None and str(source).endswith("/" + p.stem)), lists[0])


def hash_files(paths: list[Path]) -> str:
    """SHA-256 over the files' names and bytes: changes whenever a source changes."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
