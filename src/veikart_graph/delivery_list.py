"""The roadmap's delivery list ("Tiltak- og leveranseliste") → RDF, one reader for import and build.

The layout is Helsedirektoratet's own (docs/releases.md, "The delivery list"): UTF-8, ``;``,
``"``-quoted cells that may hold line breaks, ten Norwegian headers, dates ``dd.mm.yyyy``, a
phase cell that names one phase (``Innføring``) or a span (``Utvikling - tilpasning - innføring``),
``Planlagt``/``Tentativ``, the same name on several rows (each row its own ``Leveranse-ID``).

Cells are kept exactly as published: names and descriptions keep double and trailing spaces
and line breaks. Each row becomes a ``vk:Delivery`` (``vkid:leveranse/<Leveranse-ID>``) under a
``vk:ActivityGroup`` (``vkid:gruppe/<slug of the group name>``) and a sub-goal found by its code.

Rules, and what breaking them does (nothing is ever dropped silently):

=============================  ==========================================================
rule                           when broken
=============================  ==========================================================
header is the ten columns      fatal: the file is not this layout
Leveranse-ID present, digits   row rejected (an id is the delivery's IRI)
Leveranse-ID unique            row rejected (two rows cannot be one delivery)
name present                   row rejected
sub-goal code known, title     row rejected (the row would hang under no sub-goal, or under
the sub-goal's title           one whose title the list contradicts)
group present                  row rejected
phase empty                    kept, with a data-quality note (3 rows in 2026-08)
phase names known phases       row rejected (a new phase name needs a code-list decision)
dates are dd.mm.yyyy dates     row rejected (a non-date cannot be placed in time)
end not before start           kept as published, with a data-quality note (3 rows in 2026-08)
status Planlagt/Tentativ       row rejected
Versjon the release's version  row rejected (the row belongs to another edition)
name with double/trailing      kept as published, with a data-quality note saying so
spaces
=============================  ==========================================================

A rejected row is an error naming row, column and what is wrong, in bokmål and English
(``RowError``); ``import`` writes nothing and ``build`` stops when any row is rejected. Kept
rows carry ``vk:dataQualityNote`` (a sub-property of ``skos:note``), visible on the page and in
SPARQL.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .activity_rows import RowError
from .errors import SourceError, read_source_text
from .namespaces import VK, VKID, bind_prefixes

NAME, DESCRIPTION, PHASE, START = ("Leveransenavn i veikartet", "Beskrivelse av leveranse gant",
                                   "Veikartfase", "Startdato")
SUBGOAL, GROUP, END, STATUS = "Strategisk delmål", "Strategi gruppering", "Sluttdato", "Planleggingsstatus"
ID, VERSION = "Leveranse-ID", "Versjon"
HEADER = (NAME, DESCRIPTION, PHASE, START, SUBGOAL, GROUP, END, STATUS, ID, VERSION)

PHASE_SCHEME = VKID["kodeliste/fase"]
STATUS_SCHEME = VKID["kodeliste/planleggingsstatus"]
DELIVERY_PREFIX = str(VKID) + "leveranse/"
GROUP_PREFIX = str(VKID) + "gruppe/"
SOURCE_PREFIX = str(VKID) + "kilde/"
DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
SUBGOAL_CELL = re.compile(r"^(\d[A-Z]) - (.*)$", re.DOTALL)
SPAN_SEPARATOR = " - "


def group_key(name: str) -> str:
    """The key of a group IRI: lower-case ASCII, æ→ae, ø→o, å→a, other runs → ``-``."""
    text = name.strip().lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def source_iri(path: Path) -> URIRef:
    """The list as a source: ``vkid:kilde/<file name without .csv>``; its sidecar describes it."""
    return URIRef(SOURCE_PREFIX + path.stem)


def sidecar_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.source.ttl")


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows (row number, header = 1) of the list's text, cells verbatim."""
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    if not records:
        return [], []
    header = [cell.lstrip("\ufeff") for cell in records[0]]
    return header, [(number, cells) for number, cells in enumerate(records[1:], start=2) if any(cells)]


def is_delivery_list(path: Path) -> bool:
    """True when the first line of ``path`` is this layout's header."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return tuple(next(csv.reader([first], delimiter=";"), [])) == HEADER


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class ListCodes:
    """What cells are looked up in: sub-goals by code, phases and statuses by name."""

    subgoals: dict[str, tuple[URIRef, str]] = field(default_factory=dict)  # code -> (IRI, title @nb)
    phases: dict[str, URIRef] = field(default_factory=dict)  # any nb label, normalised -> IRI
    statuses: dict[str, URIRef] = field(default_factory=dict)  # prefLabel nb exactly -> IRI
    phase_names: list[str] = field(default_factory=list)

    @classmethod
    def from_graph(cls, graph: Graph) -> ListCodes:
        codes = cls()
        for subgoal in graph.subjects(RDF.type, VK.SubGoal):
            notation = graph.value(subgoal, SKOS.notation)
            title = next((str(o) for o in graph.objects(subgoal, SKOS.prefLabel)
                          if getattr(o, "language", None) == "nb"), "")
            if notation is not None and isinstance(subgoal, URIRef):
                codes.subgoals[str(notation)] = (subgoal, title)
        for phase in sorted(graph.subjects(SKOS.inScheme, PHASE_SCHEME), key=lambda p: _position(graph, p)):
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in graph.objects(phase, prop):
                    if getattr(label, "language", None) == "nb":
                        codes.phases.setdefault(_norm(str(label)), phase)
                        if prop != SKOS.hiddenLabel:
                            codes.phase_names.append(str(label))
        for status in graph.subjects(SKOS.inScheme, STATUS_SCHEME):
            for label in graph.objects(status, SKOS.prefLabel):
                if getattr(label, "language", None) == "nb":
                    codes.statuses[str(label)] = status
        return codes


def _position(graph: Graph, phase: object) -> int:
    value = graph.value(phase, URIRef("http://schema.org/position"))
    return int(value) if value is not None else 99


@dataclass
class ListResult:
    """The graph of a list and every rejected row's error."""

    graph: Graph
    errors: list[RowError]
    rows: int = 0
    ids: dict[str, int] = field(default_factory=dict)  # Leveranse-ID -> row number


def header_problems(header: list[str]) -> list[RowError]:
    if tuple(header) == HEADER:
        return []
    expected, found = "; ".join(HEADER), "; ".join(header)
    return [RowError(1, None, f"overskriften er ikke veikartlistens: forventet {expected} (fant {found}).",
                     f"the header is not the delivery list's: expected {expected} (found {found}).")]


def parse_date(text: str) -> date | None:
    match = DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


class ListReader:
    """Reads rows of one list; ``errors`` collects every rejected cell."""

    def __init__(self, codes: ListCodes, source: URIRef, pages: list[URIRef], version: str) -> None:
        self.codes, self.source, self.pages, self.version = codes, source, pages, version
        self.graph = bind_prefixes(Graph())
        self.errors: list[RowError] = []
        self.ids: dict[str, int] = {}
        self.groups: dict[URIRef, tuple[str, set[URIRef]]] = {}

    def error(self, row: int, column: str | None, nb: str, en: str) -> None:
        self.errors.append(RowError(row, column, nb, en))

    def read(self, rows: list[tuple[int, list[str]]]) -> Graph:
        for number, cells in rows:
            self.read_row(number, cells)
        for group, (name, subgoals) in self.groups.items():
            self.add_group(group, name, subgoals)
        return self.graph

    def read_row(self, number: int, cells: list[str]) -> None:
        if len(cells) != len(HEADER):
            self.error(number, None, f"raden har {len(cells)} celler, ikke {len(HEADER)}.",
                       f"the row has {len(cells)} cells, not {len(HEADER)}.")
            return
        row = dict(zip(HEADER, cells, strict=True))
        before = len(self.errors)
        key = self.identifier(number, row[ID])
        name = row[NAME]
        if not name.strip():
            self.error(number, NAME, "navnet mangler.", "the name is missing.")
        subgoal = self.subgoal(number, row[SUBGOAL])
        group_name = row[GROUP]
        if not group_name.strip():
            self.error(number, GROUP, "strategigrupperingen mangler.", "the activity group is missing.")
        phases = self.phases(number, row[PHASE])
        start, end = self.date(number, START, row[START]), self.date(number, END, row[END])
        status = self.codes.statuses.get(row[STATUS])
        if status is None:
            shown = ", ".join(sorted(self.codes.statuses))
            self.error(number, STATUS, f"'{row[STATUS]}' er ikke en planleggingsstatus. Gyldige: {shown}.",
                       f"'{row[STATUS]}' is not a planning status. Valid: {shown}.")
        if row[VERSION] != self.version:
            self.error(number, VERSION, f"'{row[VERSION]}' er ikke utgaven som importeres ({self.version}).",
                       f"'{row[VERSION]}' is not the release being imported ({self.version}).")
        if len(self.errors) > before or key is None or subgoal is None or status is None:
            return
        self.add_delivery(number, key, row, subgoal, phases, start, end, status)

    def identifier(self, number: int, text: str) -> str | None:
        if not text:
            self.error(number, ID, "leveranse-ID mangler.", "the delivery id is missing.")
            return None
        if not text.isascii() or not text.isdigit():
            self.error(number, ID, f"'{text}' er ikke en leveranse-ID (bare sifre).",
                       f"'{text}' is not a delivery id (digits only).")
            return None
        if text in self.ids:
            self.error(number, ID, f"leveranse-ID {text} står også på rad {self.ids[text]}.",
                       f"delivery id {text} is also on row {self.ids[text]}.")
            return None
        self.ids[text] = number
        return text

    def subgoal(self, number: int, text: str) -> URIRef | None:
        match = SUBGOAL_CELL.match(text)
        known = ", ".join(sorted(self.codes.subgoals))
        if not match or match.group(1) not in self.codes.subgoals:
            self.error(number, SUBGOAL, f"'{text}' er ikke et kjent delmål (kode - tittel). Kjente koder: {known}.",
                       f"'{text}' is not a known sub-goal (code - title). Known codes: {known}.")
            return None
        iri, title = self.codes.subgoals[match.group(1)]
        if match.group(2) != title:
            self.error(number, SUBGOAL, f"tittelen på {match.group(1)} er '{match.group(2)}' her, "
                       f"men '{title}' i dataene; rett delmålet i data/ først, eller cellen.",
                       f"the title of {match.group(1)} is '{match.group(2)}' here but '{title}' in the data; "
                       "correct the sub-goal in data/ first, or the cell.")
            return None
        return iri

    def phases(self, number: int, text: str) -> list[URIRef]:
        if not text:
            return []
        parts = [text] if _norm(text) in self.codes.phases else text.split(SPAN_SEPARATOR)
        found = []
        for part in parts:
            phase = self.codes.phases.get(_norm(part))
            if phase is None:
                shown = ", ".join(self.codes.phase_names)
                self.error(number, PHASE, f"'{part}' i '{text}' er ikke en kjent fase. Gyldige: {shown} "
                           "(eller et spenn som 'Utvikling - tilpasning').",
                           f"'{part}' in '{text}' is not a known phase. Valid: {shown} "
                           "(or a span such as 'Utvikling - tilpasning').")
                return []
            found.append(phase)
        return found

    def date(self, number: int, column: str, text: str) -> date | None:
        if not text:
            return None
        value = parse_date(text)
        if value is None:
            self.error(number, column, f"'{text}' er ikke en dato (dd.mm.åååå).",
                       f"'{text}' is not a date (dd.mm.yyyy).")
        return value

    def add_delivery(self, number: int, key: str, row: dict[str, str], subgoal: URIRef, phases: list[URIRef],
                     start: date | None, end: date | None, status: URIRef) -> None:
        g, item = self.graph, URIRef(DELIVERY_PREFIX + key)
        group = URIRef(GROUP_PREFIX + group_key(row[GROUP]))
        self.groups.setdefault(group, (row[GROUP], set()))[1].add(subgoal)
        g.add((item, RDF.type, VK.Delivery))
        g.add((item, DCTERMS.identifier, Literal(key)))
        g.add((item, SKOS.prefLabel, Literal(row[NAME], lang="nb")))
        if row[DESCRIPTION]:
            g.add((item, DCTERMS.description, Literal(row[DESCRIPTION], lang="nb")))
        if row[PHASE]:
            g.add((item, VK.phaseText, Literal(row[PHASE], lang="nb")))
        for phase in phases:
            g.add((item, VK.phase, phase))
        if start is not None:
            g.add((item, VK.startDate, Literal(start.isoformat(), datatype=XSD.date)))
        if end is not None:
            g.add((item, VK.endDate, Literal(end.isoformat(), datatype=XSD.date)))
        g.add((item, VK.planningStatus, status))
        g.add((item, VK.contributesTo, subgoal))
        g.add((item, VK.activityGroup, group))
        g.add((item, VK.rowNumber, Literal(number, datatype=XSD.positiveInteger)))
        g.add((item, PROV.wasDerivedFrom, self.source))
        for page in self.pages:
            g.add((item, DCTERMS.source, page))
        for nb, en in notes(row, start, end):
            g.add((item, VK.dataQualityNote, Literal(nb, lang="nb")))
            g.add((item, VK.dataQualityNote, Literal(en, lang="en")))

    def add_group(self, group: URIRef, name: str, subgoals: set[URIRef]) -> None:
        g = self.graph
        g.add((group, RDF.type, VK.ActivityGroup))
        g.add((group, SKOS.prefLabel, Literal(name, lang="nb")))
        for subgoal in subgoals:
            g.add((group, VK.contributesTo, subgoal))
        g.add((group, PROV.wasDerivedFrom, self.source))
        for page in self.pages:
            g.add((group, DCTERMS.source, page))
        if len(subgoals) > 1:
            g.add((group, VK.dataQualityNote, Literal(
                "Gruppen står under flere delmål i listen.", lang="nb")))
            g.add((group, VK.dataQualityNote, Literal(
                "The group stands under several sub-goals in the list.", lang="en")))


def notes(row: dict[str, str], start: date | None, end: date | None) -> list[tuple[str, str]]:
    """The data-quality notes of a kept row, in bokmål and English."""
    found = []
    if start is not None and end is not None and end < start:
        found.append((f"Sluttdatoen ({row[END]}) er før startdatoen ({row[START]}) i listen; "
                       "begge er gjengitt som publisert.",
                       f"The end date ({row[END]}) is before the start date ({row[START]}) in the list; "
                       "both are given as published."))
    if not row[PHASE]:
        found.append(("Veikartfase er tom i listen.", "The list gives no phase (Veikartfase is empty)."))
    name = row[NAME]
    if name != name.strip() or "  " in name:
        found.append(("Navnet er gjengitt nøyaktig som publisert, med "
                      + ("doble mellomrom" if "  " in name else "mellomrom til slutt") + ".",
                      "The name is given exactly as published, with "
                      + ("double spaces" if "  " in name else "a trailing space") + "."))
    return found


def read_list(path: Path, codes: ListCodes, version: str, pages: list[URIRef]) -> ListResult:
    """Read the list at ``path`` for release ``version``: its graph and every rejected row."""
    text = read_source_text(path)
    header, rows = read_rows(text)
    errors = header_problems(header)
    if errors:
        return ListResult(bind_prefixes(Graph()), errors)
    reader = ListReader(codes, source_iri(path), pages, version)
    graph = reader.read(rows)
    if not rows:
        reader.error(2, None, "listen har ingen leveranser.", "the list has no deliveries.")
    return ListResult(graph, sorted(reader.errors, key=error_order), len(rows), reader.ids)


def error_order(error: RowError) -> tuple[int, int]:
    return error.row, HEADER.index(error.column) if error.column in HEADER else -1


def list_files(data_dir: Path) -> list[Path]:
    """The delivery lists in ``data/sources/`` (``*.csv`` recognised by their header)."""
    folder = data_dir / "sources"
    return sorted(p for p in folder.glob("*.csv") if is_delivery_list(p)) if folder.is_dir() else []


def read_sources_lists(data_dir: Path, graph: Graph) -> Graph:
    """Every list in ``data/sources/`` as RDF, read against ``graph`` (data + ontology); each
    list's version and pages come from its sidecar (already in ``graph``). ``SourceError``
    listing every rejected row when a list breaks a rule."""
    out = bind_prefixes(Graph())
    codes = ListCodes.from_graph(graph)
    for path in list_files(data_dir):
        source = source_iri(path)
        version = graph.value(source, URIRef("http://www.w3.org/ns/dcat#version"))
        if version is None:
            raise SourceError(f"the list needs its sidecar {sidecar_path(path).name} describing <{source}> "
                              "with dcat:version", where=str(path))
        pages = sorted(o for o in graph.objects(source, DCTERMS.source) if isinstance(o, URIRef))
        result = read_list(path, codes, str(version), pages)
        if result.errors:
            shown = "\n".join(e.text("en") for e in result.errors[:20])
            more = f"\n… and {len(result.errors) - 20} more" if len(result.errors) > 20 else ""
            raise SourceError(f"{len(result.errors)} rows break the delivery list's rules:\n{shown}{more}",
                              where=str(path))
        out += result.graph
    return out
