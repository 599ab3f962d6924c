"""``veikart-graph import`` and ``export --format csv|xlsx``: the editors' activity table.

What editors must be able to rely on (issue 8, docs/releases.md "Editors' workflow"):
export → import gives the same graph; every bad row gives a message naming row and column in
bokmål and English; nothing is written when any row fails; publishing a new release never
changes what an older release said.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from veikart_graph.activity_rows import valid_org_number
from veikart_graph.activity_table import COLUMNS, read_table, table_rows, write_csv, write_xlsx
from veikart_graph.build import to_nquads
from veikart_graph.cli import main
from veikart_graph.importer import ImportFailed, plan_import, write_plan
from veikart_graph.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY
from veikart_graph.releases import compose_releases
from veikart_graph.sources import load_sources
from veikart_graph.store import KnowledgeGraph

from .releases.project import ROOT, build_project, copy_project

TEMPLATE = ROOT / "templates" / "aktiviteter-mal"


def graph_of(root: Path) -> KnowledgeGraph:
    """The current data and ontology of ``root`` in a store (no inference: enough for the table)."""
    sources = load_sources(root)
    store = ox.Store()
    store.load(to_nquads({GRAPH_DATA: sources.data, GRAPH_ONTOLOGY: sources.ontology}), format=ox.RdfFormat.N_QUADS)
    return KnowledgeGraph(store)


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under data/ and releases/ with a hash of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("data", "releases") for p in sorted((root / folder).rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="module")
def exported() -> list[dict[str, str]]:
    """The activity table of the real project (copied into each test's project)."""
    return table_rows(graph_of(ROOT))


@pytest.fixture
def rows(exported) -> list[dict[str, str]]:
    return copy.deepcopy(exported)


def save_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_graph(project: Path, rows, fmt: str):
    table = project / f"aktiviteter.{fmt}"
    table.write_bytes(write_csv(rows) if fmt == "csv" else write_xlsx(rows))
    before = set(load_sources(project).data)
    plan = plan_import(project, table, "2026-08")
    write_plan(plan)
    assert set(load_sources(project).data) == before
    assert plan.changes("nb") == ""
    assert list(plan.files) == [project / "data" / "activities-sheet.ttl"]


def test_the_export_command_writes_the_table(snapshot, tmp_path: Path):
    env = {"VEIKART_ROOT": str(ROOT), "VEIKART_BUILD_DIR": str(Path(snapshot.path).parents[1])}
    out = tmp_path / "a.csv"
    result = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    header, rows = read_table(out)
    assert header == list(COLUMNS) and len(rows) == 5
    by_id = {r.cells["id"]: r.cells for r in rows}
    assert by_id["digitalt-helsekort-gravide"]["eier"] == "983887406"
    assert by_id["digitale-innbyggertjenester-kommune"]["brukergrupper"] == "Kommuner og fylkeskommuner"
    assert by_id["velferdsteknologi-dho"]["delmal"] == "1B"


def test_the_template_has_the_layout_and_two_real_rows_that_import_cleanly(project: Path):
    for suffix in (".csv", ".xlsx"):
        header, rows = read_table(TEMPLATE.with_suffix(suffix))
        assert header == list(COLUMNS) and len(rows) == 2
        assert all(row.cells["tittel_nb"] and row.cells["kilde"] for row in rows)
        assert plan_import(project, TEMPLATE.with_suffix(suffix), "2026-08").changes("nb") == ""
    book = openpyxl.load_workbook(TEMPLATE.with_suffix(".xlsx"))
    assert book.sheetnames == ["Aktiviteter", "Kolonner"]


def test_a_semicolon_separated_csv_with_a_byte_order_mark_is_read(project: Path, rows):
    table = save_csv(project / "excel.csv", rows, delimiter=";")
    table.write_bytes("\ufeff".encode() + table.read_bytes())
    assert plan_import(project, table, "2026-08").changes("nb") == ""


# ----------------------------------------------------------------------------- bad rows

VALID_UNKNOWN_ORG = "974761076"  # a well-formed number (mod-11) of no organisation in the data

BAD_CELLS = [
    ("fase", "Innføringg", "Rad 3, kolonne 'fase': 'Innføringg' er ikke en kjent fase. Gyldige: Konsept, "
     "Utvikling og begrenset utprøving, Tilpasning og utvidet utprøving, Innføring, Ny praksis i bruk.",
     "Row 3, column 'fase': 'Innføringg' is not a known phase. Valid: Konsept"),
    ("fase", "Konsept; Innføring", "Rad 3, kolonne 'fase': 'Konsept; Innføring' har flere verdier",
     "takes only one"),
    ("delmal", "1G", "Rad 3, kolonne 'delmal': '1G' er ikke et kjent delmål eller mål. Gyldige: 1A",
     "is not a known sub-goal or goal"),
    ("eier", "983887407", "Rad 3, kolonne 'eier': '983887407' er ikke et gyldig organisasjonsnummer",
     "is not a valid organisation number"),
    ("eier", VALID_UNKNOWN_ORG, f"Rad 3, kolonne 'eier': '{VALID_UNKNOWN_ORG}' er ikke en kjent organisasjon",
     "is not a known organisation"),
    ("brukergrupper", "Pasienter", "Rad 3, kolonne 'brukergrupper': 'Pasienter' er ikke en kjent brukergruppe",
     "is not a known user group"),
    ("status", "Grønn", "Rad 3, kolonne 'status': 'Grønn' er ikke en kjent status. Gyldige: Noen utfordringer, "
     "Under kontroll.", "is not a known status"),
    ("start", "2o25", "Rad 3, kolonne 'start': '2o25' er ikke et årstall", "is not a year"),
    ("kilde", "www.ehelse.no", "Rad 3, kolonne 'kilde': 'www.ehelse.no' er ikke en nettadresse",
     "is not a web address"),
    ("kilde", "", "Rad 3, kolonne 'kilde': er tom, men må fylles ut.", "is empty but must be filled in"),
    ("tittel_nb", "", "Rad 3, kolonne 'tittel_nb': er tom", "is empty"),
    ("id", "Digitalt Helsekort", "Rad 3, kolonne 'id': 'Digitalt Helsekort' er ikke en gyldig id",
     "is not a valid id"),
    ("id", "digitale-innbyggertjenester-kommune", "Rad 3, kolonne 'id': 'digitale-innbyggertjenester-kommune' "
     "står også i rad 2", "is also in row 2"),
    ("tittel_nb", "Nytt navn", "Rad 3, kolonne 'tittel_nb': data/activities.ttl gir også 'Digitalt helsekort "
     "for gravide' for denne aktiviteten", "remove it there so the spreadsheet is the only source"),
]


@pytest.mark.parametrize(("column", "value", "nb", "en"), BAD_CELLS,
                         ids=[f"{c}={v or 'empty'}" for c, v, _, _ in BAD_CELLS])
def test_each_kind_of_bad_cell_gives_its_message_and_writes_nothing(project: Path, rows, column, value, nb, en):
    rows[1][column] = value  # rows[1] is spreadsheet row 3: digitalt-helsekort-gravide
    table = save_csv(project / "bad.csv", rows)
    before = fingerprint(project)
    errors = failure(project, table)
    assert nb in "\n".join(error.text("nb") for error in errors)
    assert en in "\n".join(error.text("en") for error in errors)
    assert fingerprint(project) == before


def failure(project: Path, table: Path) -> list:
    with pytest.raises(ImportFailed) as caught:
        plan_import(project, table, "2026-08")
    return caught.value.errors


@pytest.mark.parametrize(("lang", "first", "last"), [
    ("nb", "Rad 3, kolonne 'fase': 'Innføringg' er ikke en kjent fase.", "Ingenting ble skrevet.\n"),
    ("en", "Row 3, column 'fase': 'Innføringg' is not a known phase.", "Nothing was written.\n"),
])
def test_the_command_lists_the_errors_exits_1_and_writes_nothing(project: Path, rows, lang, first, last):
    rows[1]["fase"] = "Innføringg"
    before = fingerprint(project)
    result = CliRunner().invoke(main, ["--root", str(project), "import", str(save_csv(project / "b.csv", rows)),
                                       "--release", "2026-08", "--lang", lang])
    assert result.exit_code == 1
    assert result.output.startswith(first) and result.output.endswith(last)
    assert fingerprint(project) == before


def test_end_before_start(project: Path, rows):
    rows[1].update(start="2026", slutt="2025")
    errors = failure(project, save_csv(project / "bad.csv", rows))
    assert [e.text("nb") for e in errors] == ["Rad 3, kolonne 'slutt': '2025' er før startåret 2026."]


def test_every_error_is_reported_not_only_the_first(project: Path, rows):
    rows[0]["fase"] = "X"
    rows[2]["start"] = "neste år"
    rows[3]["delmal"] = "9Z"
    with pytest.raises(ImportFailed) as caught:
        plan_import(project, save_csv(project / "bad.csv", rows), "2026-08")
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "fase"), (4, "start"), (5, "delmal")]


def test_a_shape_violation_is_the_error_of_its_row(project: Path, rows):
    """A new activity without a sub-goal passes the cell checks but not the shapes."""
    rows.append({**{c: "" for c in COLUMNS}, "id": "ny-aktivitet", "tittel_nb": "Ny aktivitet",
                 "kilde": "https://www.ehelse.no/veikart/1b"})
    with pytest.raises(ImportFailed) as caught:
        plan_import(project, save_csv(project / "bad.csv", rows), "2026-08")
    (error,) = caught.value.errors
    assert (error.row, error.column) == (7, "delmal") and "contributesTo" in error.en


def test_a_wrong_header_names_the_columns(project: Path, rows):
    table = project / "bad.csv"
    table.write_text("id,tittel,fase\nx,Y,Konsept\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        plan_import(project, table, "2026-08")
    texts = [e.text("en") for e in caught.value.errors]
    assert "Row 1: the column 'tittel_nb' is missing from the header row. The columns are: id, tittel_nb" in texts[0]
    assert any("unknown column 'tittel'" in t for t in texts)


def test_an_unreadable_file_exits_2(project: Path):
    result = CliRunner().invoke(main, ["--root", str(project), "import", str(project / "nope.csv"),
                                       "--release", "2026-08"])
    assert result.exit_code == 2 and "file not found" in result.output


def test_organisation_number_check_digit():
    assert valid_org_number("983544622") and valid_org_number(VALID_UNKNOWN_ORG)
    assert not valid_org_number("983544623") and not valid_org_number("98354462")


# ----------------------------------------------------------------------------- releases


def test_publishing_a_new_release_keeps_the_older_ones_as_they_were(project: Path, rows):
    releases_before = compose_releases(project, load_sources(project))
    rows[1].update(fase="Innføring", start="2024", slutt="2026")
    table = save_csv(project / "ny.csv", rows)
    result = CliRunner().invoke(main, ["--root", str(project), "import", str(table), "--release", "2027-01",
                                       "--issued", "2027-01-15"])
    assert result.exit_code == 0, result.output
    assert "Fase lagt til: Innføring" in result.output
    releases = compose_releases(project, load_sources(project))
    assert [r.version for r in releases.releases] == ["ehelse", "2026-11", "2026-08", "2027-01"]
    for version in ("ehelse", "2026-11", "2026-08"):
        assert set(releases.contents[version]) == set(releases_before.contents[version])
    frozen = project / "releases" / "2026-08" / "content.nq"
    assert frozen.is_file() and "spdx:checksum" in (frozen.parent / "release.ttl").read_text(encoding="utf-8")
    build_project(project)  # the new release and the frozen one validate
    diff = CliRunner().invoke(main, ["--root", str(project), "diff", "2026-08", "2027-01"])
    assert "Fase lagt til: Innføring" in diff.output and "Start lagt til: 2024" in diff.output


def test_correcting_the_current_release_does_not_change_older_ones(project: Path, rows):
    """Older releases are frozen: a correction writes nothing under releases/."""
    before = {p: p.read_bytes() for p in (project / "releases").rglob("*")if p.is_file()}
    rows[0]["fase"] = "Tilpasning og utvidet utprøving"
    plan = plan_import(project, save_csv(project / "rettet.csv", rows), "2026-08")
    write_plan(plan)
    assert not [p for p in plan.files if "releases" in p.parts]
    assert {p: p.read_bytes() for p in (project / "releases").rglob("*") if p.is_file()} == before


def test_dry_run_writes_nothing(project: Path, rows):
    rows[1]["fase"] = "Konsept"
    before = fingerprint(project)
    result = CliRunner().invoke(main, ["--root", str(project), "import", str(save_csv(project / "a.csv", rows)),
                                       "--release", "2027-01", "--dry-run"])
    assert result.exit_code == 0 and "Fase lagt til: Konsept" in result.output
    assert fingerprint(project) == before


@pytest.mark.parametrize(("version", "issued", "message"), [
    ("ehelse", None, "is older than the current release 2026-08"),
    ("Utgave 3", None, "is not a valid release name"),
    ("2027-01", "januar 2027", "is not a date (YYYY-MM-DD)"),
])
def test_bad_release_arguments(project: Path, rows, version, issued, message):
    with pytest.raises(ImportFailed) as caught:
        plan_import(project, save_csv(project / "a.csv", rows), version, issued=issued)
    assert message in caught.value.errors[0].en


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["import", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "veikart-graph import" in result.output
