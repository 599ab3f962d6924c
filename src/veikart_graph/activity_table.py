"""The editors' activity table: one row per roadmap activity, as CSV or Excel (.xlsx).

Editors keep activities in a spreadsheet; ``veikart-graph import`` reads it and ``veikart-graph
export --format csv|xlsx`` writes the current release in the same layout. The columns (the full
description is in docs/releases.md, and in the "Kolonner" sheet of the .xlsx template):

======================  ==========================================================  =====================
column                  content                                                     RDF
======================  ==========================================================  =====================
``id``                  key, lower-case a-z, 0-9 and ``-`` (never changed)         vkid:aktivitet/<id>
``tittel_nb``           title in bokmål (required)                                  skos:prefLabel @nb
``tittel_en``           title in English                                            skos:prefLabel @en
``delmal``              sub-goal codes (``1A``) or goal numbers (``1``)             vk:contributesTo
``eier``                owners' organisation numbers (or key if they have none)    vk:owner
``brukergrupper``       user groups by name                                         vk:userGroup
``fase``                phase by name (Konsept … Ny praksis i bruk)                 vk:phase
``start`` / ``slutt``   years (four digits)                                         vk:startYear / endYear
``status``              status by name (Under kontroll, Noen utfordringer)          vk:status
``beskrivelse_nb/_en``  description in bokmål / English                             dct:description
``kilde``               source web addresses (required)                             dct:source
======================  ==========================================================  =====================

Several values in one cell are separated by ``;``. Row numbers are the spreadsheet's: the header
is row 1, the first activity row 2.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, SKOS

from .errors import SourceError
from .namespaces import GRAPH_DATA, QUERYABLE_GRAPHS, VK, VKID
from .store import GraphReader

COLUMNS = ("id", "tittel_nb", "tittel_en", "delmal", "eier", "brukergrupper", "fase", "start", "slutt",
           "status", "beskrivelse_nb", "beskrivelse_en", "kilde")
HELP = {  # column -> (bokmål, English), for the template's "Kolonner" sheet
    "id": ("Nøkkel: små bokstaver a-z, sifre og bindestrek. Endres aldri.",
           "Key: lower-case a-z, digits and hyphens. Never changed."),
    "tittel_nb": ("Tittel på bokmål (påkrevd).", "Title in bokmål (required)."),
    "tittel_en": ("Tittel på engelsk.", "Title in English."),
    "delmal": ("Delmålskoder (1A) eller målnummer (1), skilt med ;.",
               "Sub-goal codes (1A) or goal numbers (1), separated by ;."),
    "eier": ("Eiers organisasjonsnummer (9 siffer), skilt med ;. Nøkkel for organisasjoner uten nummer.",
             "Owners' organisation numbers (9 digits), separated by ;. Key for organisations without one."),
    "brukergrupper": ("Brukergrupper med navn, skilt med ;.", "User groups by name, separated by ;."),
    "fase": ("Fase: Konsept, Utvikling og begrenset utprøving, Tilpasning og utvidet utprøving, Innføring eller "
             "Ny praksis i bruk (eldre navn som Nasjonal utvikling og Tilpasning godtas også).",
             "Phase: Konsept, Utvikling og begrenset utprøving, Tilpasning og utvidet utprøving, Innføring or "
             "Ny praksis i bruk (older names such as Nasjonal utvikling and Tilpasning are accepted too)."),
    "start": ("Startår (fire siffer).", "Start year (four digits)."),
    "slutt": ("Sluttår (fire siffer).", "End year (four digits)."),
    "status": ("Status: Under kontroll eller Noen utfordringer.", "Status: Under kontroll or Noen utfordringer."),
    "beskrivelse_nb": ("Beskrivelse på bokmål (bare norsk tekst fra kilden).",
                       "Description in bokmål (Norwegian text from the source only)."),
    "beskrivelse_en": ("Beskrivelse på engelsk.", "Description in English."),
    "kilde": ("Kilder: nettadresser (https://…), skilt med ;. Påkrevd.",
              "Sources: web addresses (https://…), separated by ;. Required."),
}
SEPARATOR = "; "
SHEET, HELP_SHEET = "Aktiviteter", "Kolonner"
ACTIVITY_PREFIX = str(VKID) + "aktivitet/"


@dataclass(frozen=True)
class Row:
    """One activity row: its number in the spreadsheet (header = 1) and its cells by column."""

    number: int
    cells: dict[str, str]


def split(cell: str, spaces: bool = False) -> list[str]:
    """The values of a multi-value cell: separated by ``;`` or line breaks (and by spaces when
    ``spaces``, for web addresses, which cannot contain one)."""
    text = cell.replace("\n", ";")
    if spaces:
        text = " ".join(text.split()).replace(" ", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


# ----------------------------------------------------------------------------- reading files


def read_table(path: Path) -> tuple[list[str], list[Row]]:
    """The header and rows of a .csv (comma, semicolon or tab; UTF-8, BOM allowed) or .xlsx file."""
    if not path.is_file():
        raise SourceError("file not found / fant ikke filen", where=str(path))
    if path.suffix.lower() == ".xlsx":
        table = _read_xlsx(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        table = _read_csv(path)
    else:
        raise SourceError("use a .csv or .xlsx file / bruk en .csv- eller .xlsx-fil", where=str(path))
    if not table:
        raise SourceError("the file is empty / filen er tom", where=str(path))
    header = [str(h or "").strip().lower() for h in table[0]]
    rows = [Row(number, {name: _cell(values, i) for i, name in enumerate(header) if name})
            for number, values in enumerate(table[1:], start=2) if any(_cell(values, i) for i in range(len(values)))]
    return header, rows


def _cell(values: list, index: int) -> str:
    value = values[index] if index < len(values) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores years as numbers
    text = str(value).strip()
    if text.startswith("'") and formula_like(text[1:]):
        text = text[1:].strip()  # the apostrophe an export put before a formula-like value
    return text


# Cells an export writes with a leading apostrophe (and an import reads without it): spreadsheet
# programs take text starting with these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 64


def formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def neutralised(value: str) -> str:
    """A cell value that no spreadsheet program runs: formula-like text gets a leading ``'``."""
    return "'" + value if formula_like(value) else value


def formula_warnings(rows: list[Row]) -> list[str]:
    """Cells that look like spreadsheet formulas (kept as text), for the import's report."""
    return [f"row {row.number}, column {name}: begins like a formula ({value[:1]!r}); kept as text / "
            f"rad {row.number}, kolonne {name}: begynner som en formel; beholdt som tekst"
            for row in rows for name, value in row.cells.items() if formula_like(value)]


def _read_csv(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text / ikke UTF-8-tekst: {exc.reason}", where=str(path)) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(path: Path) -> list[list]:
    """The sheet's rows as they are in the file: the stored "dimension" is not trusted (a stale one
    made read-only openpyxl drop rows silently), rows are read one at a time and empty ones are not
    kept (a single cell at XFD1048576 padded every row to 16,384 columns and exhausted memory),
    and a sheet with anything past ``MAX_SHEET_ROWS`` is refused, naming the row."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/ValueError for broken files
        raise SourceError(f"cannot read the Excel file / kan ikke lese Excel-filen: {exc}", where=str(path)) from exc
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        sheet.reset_dimensions()
        rows: list[list] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                raise SourceError(
                    f"the sheet goes on past row {MAX_SHEET_ROWS} (the most an import reads); delete the rows "
                    f"below the table / arket fortsetter etter rad {MAX_SHEET_ROWS}; slett radene under tabellen",
                    where=f"{path}:{number}")
            rows.append(list(row[:MAX_SHEET_COLUMNS]) if any(v is not None for v in row) else [])
            if any(v not in (None, "") for v in row[MAX_SHEET_COLUMNS:]):
                raise SourceError(
                    f"row {number} has values past column {MAX_SHEET_COLUMNS}; the table has "
                    f"{len(COLUMNS)} columns / rad {number} har verdier etter kolonne {MAX_SHEET_COLUMNS}",
                    where=f"{path}:{number}")
    finally:
        book.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


# ----------------------------------------------------------------------------- writing files


def write_csv(rows: list[dict[str, str]]) -> bytes:
    """CSV in the column layout, UTF-8 with a byte-order mark (so Excel shows æ, ø, å)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({name: neutralised(value) for name, value in row.items()} for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[dict[str, str]]) -> bytes:
    """An Excel workbook: the sheet "Aktiviteter" in the column layout, and "Kolonner" explaining it."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(name, "") for name in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and formula_like(cell.value):
                cell.data_type = "s"  # text, never a formula (openpyxl takes "=…" as one)
                cell.quotePrefix = True
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["kolonne / column", "bokmål", "English"])
    for name in COLUMNS:
        help_sheet.append([name, *HELP[name]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------- from the graph


class _Reader:
    """Index lookups on the snapshot's current data (and the ontology, for code-list labels)."""

    def __init__(self, graph: GraphReader) -> None:
        self.store = graph.store
        self.data = ox.NamedNode(str(GRAPH_DATA))
        self.queryable = {str(g) for g in QUERYABLE_GRAPHS}

    def objects(self, subject: ox.NamedNode, predicate: object, graph: ox.NamedNode | None = None) -> list:
        quads = self.store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, graph or self.data)
        return sorted({q.object for q in quads}, key=str)

    def text(self, subject: ox.NamedNode, predicate: object, lang: str) -> str:
        return next((o.value for o in self.objects(subject, predicate) if getattr(o, "language", None) == lang), "")

    def code(self, iri: ox.NamedNode, prefix: str) -> str:
        """A code list value by its bokmål label (from any queryable graph), else its key."""
        for quad in self.store.quads_for_pattern(iri, ox.NamedNode(str(SKOS.prefLabel)), None, None):
            if getattr(quad.graph_name, "value", None) in self.queryable and quad.object.language == "nb":
                return quad.object.value
        return iri.value.removeprefix(str(VKID) + prefix)


def table_rows(graph: GraphReader) -> list[dict[str, str]]:
    """Every activity of the current release as a row of the column layout, ordered by id."""
    reader = _Reader(graph)
    activities = sorted({q.subject.value for q in graph.store.quads_for_pattern(
        None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(VK.Activity)), reader.data)
        if q.subject.value.startswith(ACTIVITY_PREFIX)})
    return [activity_row(reader, ox.NamedNode(iri)) for iri in activities]


def activity_row(reader: _Reader, node: ox.NamedNode) -> dict[str, str]:
    def joined(values: list[str]) -> str:
        return SEPARATOR.join(sorted(values))

    goals = [reader.objects(t, SKOS.notation)[0].value if reader.objects(t, SKOS.notation)
             else t.value.removeprefix(str(VKID)) for t in reader.objects(node, VK.contributesTo)]
    owners = [reader.objects(o, VK.organisationNumber)[0].value if reader.objects(o, VK.organisationNumber)
              else o.value.removeprefix(str(VKID) + "organisasjon/") for o in reader.objects(node, VK.owner)]
    return {
        "id": node.value.removeprefix(ACTIVITY_PREFIX),
        "tittel_nb": reader.text(node, SKOS.prefLabel, "nb"),
        "tittel_en": reader.text(node, SKOS.prefLabel, "en"),
        "delmal": joined(goals),
        "eier": joined(owners),
        "brukergrupper": joined([reader.code(u, "brukergruppe/") for u in reader.objects(node, VK.userGroup)]),
        "fase": joined([reader.code(p, "fase/") for p in reader.objects(node, VK.phase)]),
        "start": joined([y.value for y in reader.objects(node, VK.startYear)]),
        "slutt": joined([y.value for y in reader.objects(node, VK.endYear)]),
        "status": joined([reader.code(s, "status/") for s in reader.objects(node, VK.status)]),
        "beskrivelse_nb": reader.text(node, DCTERMS.description, "nb"),
        "beskrivelse_en": reader.text(node, DCTERMS.description, "en"),
        "kilde": joined([s.value for s in reader.objects(node, DCTERMS.source)]),
    }
