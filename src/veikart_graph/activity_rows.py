"""Rows of the editors' activity table → RDF, with an error per bad cell in bokmål and English.

Every message names the row and the column and says what is wrong and what would be right:
"Rad 14, kolonne 'fase': 'Innføringg' er ikke en kjent fase. Gyldige: Konsept, …". Codes are
looked up in the current data and the ontology's code lists: sub-goals and goals by code,
organisations by organisation number (or key), phases, statuses and user groups by name in
bokmål or English (or key), ignoring case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .activity_table import ACTIVITY_PREFIX, COLUMNS, Row, split
from .namespaces import SCHEMA, VK, VKID, bind_prefixes

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR = re.compile(r"^\d{4}$")
WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
REQUIRED = ("id", "tittel_nb", "kilde")
SINGLE = ("fase", "start", "slutt", "status")
# column -> the property it writes (for conflicts and for placing SHACL results)
PROPERTIES = {
    "tittel_nb": SKOS.prefLabel, "tittel_en": SKOS.prefLabel, "delmal": VK.contributesTo, "eier": VK.owner,
    "brukergrupper": VK.userGroup, "fase": VK.phase, "start": VK.startYear, "slutt": VK.endYear,
    "status": VK.status, "beskrivelse_nb": DCTERMS.description, "beskrivelse_en": DCTERMS.description,
    "kilde": DCTERMS.source,
}
LANGS = {"tittel_nb": "nb", "tittel_en": "en", "beskrivelse_nb": "nb", "beskrivelse_en": "en"}


@dataclass(frozen=True)
class RowError:
    """What is wrong in one cell (or row, when ``column`` is None), in bokmål and English."""

    row: int
    column: str | None
    nb: str
    en: str

    def text(self, lang: str = "nb") -> str:
        if lang == "en":
            where = f"Row {self.row}" + (f", column '{self.column}'" if self.column else "")
            return f"{where}: {self.en}"
        where = f"Rad {self.row}" + (f", kolonne '{self.column}'" if self.column else "")
        return f"{where}: {self.nb}"

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message_nb": self.nb, "message_en": self.en}


def valid_org_number(number: str) -> bool:
    """Nine digits with a correct modulus-11 check digit (Enhetsregisteret's rule)."""
    if not (len(number) == 9 and number.isdigit()):
        return False
    remainder = sum(int(d) * w for d, w in zip(number, WEIGHTS, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(number[8])


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class CodeList:
    """Names (lower-cased) → IRI, and the names to show as valid values."""

    what_nb: str
    what_en: str
    names: dict[str, URIRef] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)

    def find(self, value: str) -> URIRef | None:
        return self.names.get(_norm(value))


class Codes:
    """The code lists a row may use, read from the current data and the ontology."""

    def __init__(self, graph: Graph) -> None:
        self.goals = CodeList("et kjent delmål eller mål", "a known sub-goal or goal")
        for cls in (VK.SubGoal, VK.Goal):
            for node in sorted(graph.subjects(RDF.type, cls), key=str):
                for notation in graph.objects(node, SKOS.notation):
                    self.goals.names[_norm(str(notation))] = node
                    self.goals.shown.append(str(notation))
        self.organisations = CodeList("en kjent organisasjon", "a known organisation")
        for node in sorted(graph.subjects(RDF.type, VK.Organisation), key=str):
            key = str(node).removeprefix(str(VKID) + "organisasjon/")
            number = graph.value(node, VK.organisationNumber)
            self.organisations.names[key] = node
            if number is not None:
                self.organisations.names[str(number)] = node
            self.organisations.shown.append(str(number) if number is not None else key)
        self.phases = self._concepts(graph, VK.Phase, "fase/", "en kjent fase", "a known phase")
        self.statuses = self._concepts(graph, VK.Status, "status/", "en kjent status", "a known status")
        self.usergroups = self._concepts(graph, VK.UserGroup, "brukergruppe/", "en kjent brukergruppe",
                                         "a known user group")

    def show(self, term: object) -> str:
        """A value as the spreadsheet writes it: code, organisation number or name."""
        for codes in (self.goals, self.organisations, self.phases, self.statuses, self.usergroups):
            for name in codes.shown:
                if codes.find(name) == term:
                    return name
        return str(term)

    @staticmethod
    def _concepts(graph: Graph, cls: URIRef, prefix: str, nb: str, en: str) -> CodeList:
        codes = CodeList(nb, en)
        members = sorted(graph.subjects(RDF.type, cls), key=lambda n: (graph.value(n, SCHEMA.position) or 0, str(n)))
        for node in members:
            codes.names[_norm(str(node).removeprefix(str(VKID) + prefix))] = node
            for label in graph.objects(node, SKOS.prefLabel):
                codes.names[_norm(str(label))] = node
                if getattr(label, "language", None) == "nb":
                    codes.shown.append(str(label))
            for label in graph.objects(node, SKOS.altLabel):  # older names (a phase renamed in 2026-08)
                codes.names.setdefault(_norm(str(label)), node)
        return codes


class RowReader:
    """Turns rows into triples, collecting every error (not only the first)."""

    def __init__(self, codes: Codes) -> None:
        self.codes = codes
        self.errors: list[RowError] = []
        self.graph = bind_prefixes(Graph())
        self.rows_by_id: dict[str, int] = {}

    def fail(self, row: Row, column: str | None, nb: str, en: str) -> None:
        self.errors.append(RowError(row.number, column, nb, en))

    def read(self, rows: list[Row]) -> Graph:
        for row in rows:
            self.read_row(row)
        return self.graph

    def read_row(self, row: Row) -> None:
        cells = {name: row.cells.get(name, "").strip() for name in COLUMNS}
        for column in REQUIRED:
            if not cells[column]:
                self.fail(row, column, "er tom, men må fylles ut.", "is empty but must be filled in.")
        for column in SINGLE:
            if len(split(cells[column])) > 1:
                self.fail(row, column, f"'{cells[column]}' har flere verdier, men kolonnen tar bare én.",
                          f"'{cells[column]}' has several values, but the column takes only one.")
        subject = self.subject(row, cells["id"])
        if subject is None:
            return
        add = self.graph.add
        add((subject, RDF.type, VK.Activity))
        add((subject, DCTERMS.identifier, Literal(cells["id"])))
        for column, lang in LANGS.items():
            if cells[column]:
                add((subject, PROPERTIES[column], Literal(cells[column], lang=lang)))
        for column, codes in (("delmal", self.codes.goals), ("brukergrupper", self.codes.usergroups),
                              ("fase", self.codes.phases), ("status", self.codes.statuses)):
            for value in split(cells[column]):
                self.code(row, column, value, codes, subject)
        for value in split(cells["eier"]):
            self.owner(row, value, subject)
        self.years(row, cells, subject)
        for value in split(cells["kilde"], spaces=True):
            self.source(row, value, subject)

    def subject(self, row: Row, key: str) -> URIRef | None:
        if not key:
            return None
        if not KEY.match(key):
            self.fail(row, "id", f"'{key}' er ikke en gyldig id: bruk små bokstaver a–z, sifre og bindestrek "
                      "(for eksempel digitalt-helsekort-gravide).",
                      f"'{key}' is not a valid id: use lower-case letters a–z, digits and hyphens "
                      "(for example digitalt-helsekort-gravide).")
            return None
        if key in self.rows_by_id:
            first = self.rows_by_id[key]
            self.fail(row, "id", f"'{key}' står også i rad {first}; hver aktivitet skal ha én rad.",
                      f"'{key}' is also in row {first}; each activity has one row.")
            return None
        self.rows_by_id[key] = row.number
        return URIRef(ACTIVITY_PREFIX + key)

    def code(self, row: Row, column: str, value: str, codes: CodeList, subject: URIRef) -> None:
        found = codes.find(value)
        if found is None:
            valid = ", ".join(codes.shown)
            self.fail(row, column, f"'{value}' er ikke {codes.what_nb}. Gyldige: {valid}.",
                      f"'{value}' is not {codes.what_en}. Valid: {valid}.")
            return
        self.graph.add((subject, PROPERTIES[column], found))

    def owner(self, row: Row, value: str, subject: URIRef) -> None:
        if value.isdigit() and not valid_org_number(value):
            self.fail(row, "eier", f"'{value}' er ikke et gyldig organisasjonsnummer (ni sifre med riktig "
                      "kontrollsiffer).",
                      f"'{value}' is not a valid organisation number (nine digits with a correct check digit).")
            return
        self.code(row, "eier", value, self.codes.organisations, subject)

    def years(self, row: Row, cells: dict[str, str], subject: URIRef) -> None:
        years = {}
        for column, prop in (("start", VK.startYear), ("slutt", VK.endYear)):
            value = cells[column]
            if not value or len(split(value)) > 1:
                continue
            if not YEAR.match(value):
                self.fail(row, column, f"'{value}' er ikke et årstall (fire siffer, for eksempel 2026).",
                          f"'{value}' is not a year (four digits, for example 2026).")
                continue
            years[column] = int(value)
            self.graph.add((subject, prop, Literal(value, datatype=XSD.gYear)))
        if years.get("slutt", 9999) < years.get("start", 0):
            self.fail(row, "slutt", f"'{years['slutt']}' er før startåret {years['start']}.",
                      f"'{years['slutt']}' is before the start year {years['start']}.")

    def source(self, row: Row, value: str, subject: URIRef) -> None:
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
            self.fail(row, "kilde", f"'{value}' er ikke en nettadresse: den må begynne med https:// eller http://.",
                      f"'{value}' is not a web address: it must start with https:// or http://.")
            return
        self.graph.add((subject, DCTERMS.source, URIRef(value)))


def header_errors(header: list[str]) -> list[RowError]:
    """Missing or unknown columns in the header row (row 1)."""
    layout = ", ".join(COLUMNS)
    errors = [RowError(1, None, f"kolonnen '{c}' mangler i overskriftsraden. Kolonnene er: {layout}.",
                       f"the column '{c}' is missing from the header row. The columns are: {layout}.")
              for c in COLUMNS if c not in header]
    errors += [RowError(1, None, f"ukjent kolonne '{c}'. Kolonnene er: {layout}.",
                        f"unknown column '{c}'. The columns are: {layout}.")
               for c in header if c and c not in COLUMNS]
    return errors
