"""``veikart-graph import LIST.csv --release V`` for the delivery list (``list_import``), end to
end on copies of the project: the real file, broken variants (nothing written), a new release.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from veikart_graph.cli import main
from veikart_graph.importer import ImportFailed
from veikart_graph.list_import import plan_list_import
from veikart_graph.releases import compose_releases
from veikart_graph.releases.frozen import freeze
from veikart_graph.sources import load_sources

from .releases.project import ROOT, build_project, copy_project

LIST = ROOT / "data" / "sources" / "veikartliste-2026-08.csv"
SIDECAR = LIST.with_name("veikartliste-2026-08.source.ttl")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def fingerprint(root: Path) -> dict[str, str]:
    """Every file of the project's sources and releases, by its SHA-256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("data", "releases") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of the real list, elsewhere and under another name, with text replaced."""
    text = LIST.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "Tiltak-leveranser-veikartliste-e-helsestrategien.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--root", str(root), "import", *args])


def test_reimporting_the_published_list_changes_nothing(project, tmp_path):
    """The editors' path on the real file: recognised by its header, every row valid, the copy in
    data/sources/ byte-identical afterwards, the sidecar kept as written."""
    before = fingerprint(project)
    result = run(project, str(edited(tmp_path)), "--release", "2026-08")
    assert result.exit_code == 0, result.output
    assert "Ingen endringer i dataene." in result.output
    assert fingerprint(project) == before
    assert (project / "data" / "sources" / LIST.name).read_bytes() == LIST.read_bytes()


@pytest.mark.parametrize(("lang", "expected", "nothing"), [
    ("nb", ["Rad 4, kolonne 'Startdato': '31.02.2026' er ikke en dato (dd.mm.åååå).",
            "Rad 5, kolonne 'Leveranse-ID': leveranse-ID 56876000020107084 står også på rad 4."],
     "Ingenting ble skrevet."),
    ("en", ["Row 4, column 'Startdato': '31.02.2026' is not a date (dd.mm.yyyy).",
            "Row 5, column 'Leveranse-ID': delivery id 56876000020107084 is also on row 4."],
     "Nothing was written."),
])
def test_a_broken_list_is_refused_with_every_error_and_nothing_is_written(project, tmp_path, lang, expected, nothing):
    path = edited(tmp_path, ("EU/EØS-land;Konsept;01.07.2026;", "EU/EØS-land;Konsept;31.02.2026;"),
                  ("56876000020107086;2026-08", "56876000020107084;2026-08"))
    before = fingerprint(project)
    result = run(project, str(path), "--release", "2026-08", "--lang", lang)
    assert result.exit_code == 1
    assert result.output.splitlines() == [*expected, nothing]
    assert fingerprint(project) == before


def test_a_list_of_another_version_is_refused_row_by_row(project):
    with pytest.raises(ImportFailed) as caught:
        plan_list_import(project, LIST, "2026-12")
    assert len(caught.value.errors) == 263
    assert caught.value.errors[0].text("en") == ("Row 2, column 'Versjon': '2026-08' is not the release being "
                                                 "imported (2026-12).")


def test_a_wrong_header_is_refused(project, tmp_path):
    """Not this layout (one header cell differs), so it is read as the activity table, whose
    header it is not either: refused, naming the unknown columns, nothing written."""
    path = edited(tmp_path, ("Planleggingsstatus;Leveranse-ID", "Status;Leveranse-ID"))
    before = fingerprint(project)
    result = run(project, str(path), "--release", "2026-08")
    assert result.exit_code == 1 and "Ingenting ble skrevet." in result.output
    assert "leveranse-id" in result.output.lower()
    assert fingerprint(project) == before


def test_publishing_a_new_list_freezes_the_current_release(project, tmp_path):
    """A new edition of the list: the previous current release (2026-08) is frozen as it was,
    the new list replaces the old one in data/sources/, the older releases stay byte-identical."""
    older = {v: (project / "releases" / v / "content.nq").read_bytes() for v in ("ehelse", "2026-11")}
    releases = compose_releases(project, load_sources(project))
    was = freeze(releases.current.graph_iri, releases.contents["2026-08"])
    path = edited(tmp_path, ("2026-08\n", "2026-12\n"),
                  ("Fullmakter Helsenorge;", "Fullmakter på Helsenorge;"))
    result = run(project, str(path), "--release", "2026-12", "--issued", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "Tittel: Fullmakter Helsenorge → Fullmakter på Helsenorge" in result.output
    sources = project / "data" / "sources"
    assert sorted(p.name for p in sources.iterdir()) == ["veikartliste-2026-12.csv", "veikartliste-2026-12.source.ttl"]
    assert (sources / "veikartliste-2026-12.csv").read_bytes() == path.read_bytes()
    assert (project / "releases" / "2026-08" / "content.nq").read_bytes() == was
    for version, data in older.items():
        assert (project / "releases" / version / "content.nq").read_bytes() == data
    sidecar = (sources / "veikartliste-2026-12.source.ttl").read_text(encoding="utf-8")
    assert hashlib.sha256(path.read_bytes()).hexdigest() in sidecar
    assert "helsedirektoratet" in sidecar  # publisher and page taken over from the previous list's sidecar
    build_project(project)
    diff = CliRunner().invoke(main, ["--root", str(project), "diff", "2026-08", "2026-12"])
    assert "Tittel: Fullmakter Helsenorge → Fullmakter på Helsenorge" in diff.output


def test_dry_run_writes_nothing(project, tmp_path):
    before = fingerprint(project)
    path = edited(tmp_path, ("2026-08\n", "2026-12\n"))
    result = run(project, str(path), "--release", "2026-12", "--dry-run")
    assert result.exit_code == 0, result.output
    assert fingerprint(project) == before


def test_help_names_both_layouts():
    result = CliRunner().invoke(main, ["import", "--help"])
    assert result.exit_code == 0 and "Leveranse-ID" in result.output and "Example:" in result.output
