"""``veikart-graph import FILE.csv|FILE.xlsx --release VERSION``: the editors' spreadsheet → data/.

What it does, all checked before anything is written (docs/releases.md, "Editors' workflow"):

1. Read the table (``activity_table``) and every row (``activity_rows``); each bad cell is an
   error naming row and column, in bokmål and English.
2. The rows become ``data/activities-sheet.ttl``, which each import replaces whole: the
   spreadsheet is the list of the activities it manages. A value another data file gives for a
   managed column of the same activity must also be in the row (else the row could not change
   it): otherwise that is an error naming the file.
3. ``--release`` is the current release (a correction of it) or a new one (publishing it: the
   current release becomes the previous one, and its content is frozen into
   ``releases/<version>/content.nq`` with its SHA-256 in its ``release.ttl``). Older releases
   are frozen already, so no older release changes what it said.
4. The new data, the ontology and the release descriptions are validated with the shapes;
   violations are errors of the row whose activity they concern.
5. Only then are the files written (each to a temporary file first, then renamed).

The roadmap's delivery list (Helsedirektoratet's own layout, recognised by its header) goes
through ``list_import`` instead: the same release handling, the file copied into
``data/sources/`` with its sidecar.

Exit codes: 0 written (or ``--dry-run`` passed), 1 some row is wrong (nothing written), 2 the
file or the project cannot be read.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import click
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .activity_rows import LANGS, PROPERTIES, Codes, RowError, RowReader, header_errors
from .activity_table import ACTIVITY_PREFIX, COLUMNS, formula_warnings, read_table
from .errors import VeikartError
from .namespaces import bind_prefixes
from .releases.compose import (
    DCAT,
    DESCRIPTION_FILE,
    RELEASES_DIR,
    SERIES,
    Release,
    Releases,
    compose_releases,
    release_iri,
)
from .releases.diff import diff_graphs
from .releases.frozen import CONTENT_FILE, SPDX, freeze, sha256
from .releases.words import Labeller, as_text, summarise
from .settings import Settings
from .sources import load_sources, parse_file, turtle_files
from .validation import validate

SHEET_FILE = "activities-sheet.ttl"
VERSION_NAME = "a-z, 0-9, '.', '-'"


class ImportFailed(VeikartError):
    """Some rows are wrong; ``errors`` says which and why. Nothing was written."""

    status = 422
    exit_code = 1

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors; nothing was written")
        self.errors = errors


@dataclass
class ImportPlan:
    """The files an import would write (path → Turtle) and what it changes."""

    files: dict[Path, str | bytes] = field(default_factory=dict)
    rows: int = 0
    old_data: Graph | None = None
    new_data: Graph | None = None
    labels: Labeller | None = None
    warnings: list[str] = field(default_factory=list)  # kept, but worth a look (formula-like cells)
    removals: list[Path] = field(default_factory=list)  # files the import deletes

    def changes(self, lang: str) -> str:
        summaries = summarise(diff_graphs(self.old_data, self.new_data), self.labels, lang)
        return as_text(summaries, lang)


def plan_import(root: Path, table: Path, version: str, *, sources_for_release: tuple[str, ...] = (),
                issued: str | None = None) -> ImportPlan:
    """Everything an import of ``table`` into release ``version`` would write; ``ImportFailed``
    with every error otherwise."""
    header, rows = read_table(table)
    warnings = formula_warnings(rows)
    errors = header_errors(header)
    sheet_path = root / "data" / SHEET_FILE
    other_files = [p for p in turtle_files(root / "data") if p.resolve() != sheet_path.resolve()]
    sources = load_sources(root, other_files, lists=True)  # the data without the sheet file, parsed once
    others, files_by_subject = sources.data, sources.files_by_subject
    old_sheet = parse_file(sheet_path) if sheet_path.exists() else Graph()
    sources = replace(sources, data=bind_prefixes(Graph()) + others + old_sheet)
    reader = RowReader(Codes(sources.data + sources.ontology))
    sheet = reader.read(rows) if not errors else Graph()
    errors += reader.errors
    if not errors and not rows:
        errors.append(RowError(2, None, "tabellen har ingen aktiviteter.", "the table has no activities."))
    failed = {(e.row, e.column) for e in errors}
    errors += [e for e in conflicts(sheet, others, reader, files_by_subject, root) if (e.row, e.column) not in failed]
    if errors:
        raise ImportFailed(sorted(errors, key=_order))
    new_data = bind_prefixes(Graph()) + others + sheet
    releases = compose_releases(root, sources)
    plan = ImportPlan({sheet_path: turtle(sheet, f"Generated by `veikart-graph import {table.name} --release "
                                                 f"{version}`: edit the spreadsheet, not this file.")},
                      len(rows), sources.data, new_data,
                      Labeller([new_data, sources.data, sources.ontology]), warnings)
    descriptions = plan_release(plan, root, releases, version, sources_for_release, issued)
    report = validate(new_data + sources.ontology + descriptions, sources.shapes, sources.ontology)
    if not report.conforms:
        raise ImportFailed([_row_error(v, reader.rows_by_id) for v in report.violations])
    return plan


def _order(error: RowError) -> tuple[int, int]:
    return error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1


def conflicts(sheet: Graph, others: Graph, reader: RowReader, files: dict[str, str], root: Path) -> list[RowError]:
    """Values other data files give for a managed column that the row does not have."""
    errors = []
    for key, number in reader.rows_by_id.items():
        subject = URIRef(ACTIVITY_PREFIX + key)
        for column, prop in PROPERTIES.items():
            lang = LANGS.get(column)
            theirs = {o for o in others.objects(subject, prop) if lang is None or getattr(o, "language", None) == lang}
            extra = sorted(theirs - set(sheet.objects(subject, prop)), key=str)
            if extra:
                where = os.path.relpath(files.get(str(subject), "data/"), root)
                shown = "; ".join(reader.codes.show(o) for o in extra)
                errors.append(RowError(number, column,
                                       f"{where} gir også '{shown}' for denne aktiviteten; fjern det der, "
                                       "så regnearket er eneste kilde, eller skriv det i cellen.",
                                       f"{where} also gives '{shown}' for this activity; remove it there so the "
                                       "spreadsheet is the only source, or put it in the cell."))
    return errors


def plan_release(plan: ImportPlan, root: Path, releases: Releases, version: str,
                 sources_for_release: tuple[str, ...], issued: str | None) -> Graph:
    """Add the release files to ``plan``; return the release descriptions to validate.

    Correcting the current release writes nothing under ``releases/``; publishing a new one
    freezes the current release's content (``content.nq`` and its SHA-256) and describes the new
    one."""
    descriptions = bind_prefixes(Graph()) + releases.descriptions
    current = releases.current
    if current is not None and version == current.version:
        return descriptions
    if current is not None and version in releases.contents:
        raise ImportFailed([RowError(1, None, f"utgave {version} er eldre enn gjeldende utgave {current.version}; "
                                     "importer til gjeldende eller en ny utgave.",
                                     f"release {version} is older than the current release {current.version}; "
                                     "import into the current release or a new one.")])
    if not version or not all(c.isalnum() or c in ".-" for c in version) or version != version.lower():
        raise ImportFailed([RowError(1, None, f"'{version}' er ikke et gyldig utgavenavn ({VERSION_NAME}).",
                                     f"'{version}' is not a valid release name ({VERSION_NAME}).")])
    if issued is not None and not _is_date(issued):
        raise ImportFailed([RowError(1, None, f"--issued '{issued}' er ikke en dato (ÅÅÅÅ-MM-DD).",
                                     f"--issued '{issued}' is not a date (YYYY-MM-DD).")])
    links = sources_for_release
    if current is not None:
        frozen = freeze_files(current, releases.contents[current.version])
        plan.files.update(frozen)
        descriptions += parse_text(frozen[current.folder / DESCRIPTION_FILE])
        links = links or tuple(sorted(str(s) for s in descriptions.objects(current.iri, DCTERMS.source)))
    description = release_description(version, current.iri if current else None, links, issued)
    plan.files[root / RELEASES_DIR / version / DESCRIPTION_FILE] = turtle(
        description, f"Release {version}, written by `veikart-graph import --release {version}`.")
    return descriptions + description


def freeze_files(release: Release, content: Graph) -> dict[Path, str | bytes]:
    """``content.nq`` of ``release`` and its ``release.ttl`` with the file's SHA-256 added (the
    text is kept, comments included)."""
    data = freeze(release.graph_iri, content)
    path = release.folder / DESCRIPTION_FILE
    text = path.read_text(encoding="utf-8")
    prefix = "" if f"<{SPDX}>" in text else f"@prefix spdx: <{SPDX}> .\n"
    text = (prefix + text.rstrip("\n") + "\n\n# Frozen content (docs/releases.md, \"Frozen content\"), written by "
            "`veikart-graph import`.\n"
            f"<{release.iri}> spdx:checksum <{release.iri}#innhold-sha256> .\n"
            f"<{release.iri}#innhold-sha256> a spdx:Checksum ;\n"
            "    spdx:algorithm spdx:checksumAlgorithm_sha256 ;\n"
            f"    spdx:checksumValue \"{sha256(data)}\"^^<http://www.w3.org/2001/XMLSchema#hexBinary> .\n")
    return {release.folder / CONTENT_FILE: data, path: text}


def parse_text(text: str | bytes) -> Graph:
    return bind_prefixes(Graph()).parse(data=text, format="turtle")


def release_description(version: str, previous: URIRef | None, links: tuple[str, ...], issued: str | None) -> Graph:
    """The vk:RoadmapRelease of a new release; ``dct:issued`` only when the editor gives it."""
    g = bind_prefixes(Graph())
    iri = release_iri(version)
    g.add((iri, RDF.type, URIRef("https://w3id.org/veikart/def/RoadmapRelease")))
    g.add((iri, DCTERMS.identifier, Literal(version)))
    g.add((iri, SKOS.prefLabel, Literal(f"Veikart for nasjonal e-helsestrategi, utgave {version}", lang="nb")))
    g.add((iri, SKOS.prefLabel, Literal(f"Roadmap for the national e-health strategy, release {version}", lang="en")))
    g.add((iri, DCAT.version, Literal(version)))
    g.add((iri, DCAT.inSeries, SERIES))
    if previous is not None:
        g.add((iri, DCAT.previousVersion, previous))
    if issued:
        g.add((iri, DCTERMS.issued, Literal(issued, datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    for link in links:
        g.add((iri, DCTERMS.source, URIRef(link)))
    return g


def _is_date(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _row_error(violation, rows_by_id: dict[str, int]) -> RowError:
    """A SHACL violation as the error of the row (and column) whose activity it concerns."""
    key = violation.focus.split("#", 1)[0].removeprefix(ACTIVITY_PREFIX)
    column = next((c for c, p in PROPERTIES.items() if str(p) == violation.path), None)
    value = f" ({violation.value})" if violation.value else ""
    return RowError(rows_by_id.get(key, 1), column, violation.message_nb + value, violation.message_en + value)


def turtle(graph: Graph, comment: str) -> str:
    body = bind_prefixes(graph).serialize(format="turtle")
    return f"# {comment}\n\n{body}"


def write_plan(plan: ImportPlan) -> None:
    """Write every file of the plan: all to temporary files first, then each renamed into place."""
    staged = []
    try:
        for path, text in plan.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.import-tmp")
            tmp.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            staged.append((tmp, path))
    except OSError:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    for path in plan.removals:
        path.unlink(missing_ok=True)


@click.command("import", epilog="""Example:

  veikart-graph import aktiviteter.xlsx --release 2026-08

  veikart-graph import Tiltak-leveranser-veikartliste.csv --release 2026-08

\b
Two layouts, told apart by the header: the activity table (templates/aktiviteter-mal.csv) and
Helsedirektoratet's delivery list (Leveransenavn i veikartet;...;Leveranse-ID;Versjon), copied
into data/sources/ with its sidecar. docs/releases.md. Exit 0 written, 1 a row is wrong (every
error is listed; nothing is written), 2 the file cannot be read.""")
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--release", "version", required=True,
              help="The current release (to correct it) or a new version (to publish it).")
@click.option("--source", "links", multiple=True,
              help="Web page of a new release (repeatable; default: the previous release's sources).")
@click.option("--issued", default=None, help="Publication date of a new release (YYYY-MM-DD), if known.")
@click.option("--dry-run", is_flag=True, help="Check and show the changes; write nothing.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Message language.")
@click.pass_context
def import_command(ctx: click.Context, table: Path, version: str, links: tuple[str, ...], issued: str | None,
                   dry_run: bool, lang: str) -> None:
    """Import the editors' activity table (CSV or Excel) or the delivery list (CSV) into data/
    for a release."""
    settings = Settings.from_env(root=(ctx.obj or {}).get("root"))
    from .delivery_list import is_delivery_list
    from .list_import import plan_list_import  # imports this module: the two share the release steps

    planner = plan_list_import if is_delivery_list(table) else plan_import
    try:
        plan = planner(settings.root_dir, table, version, sources_for_release=links, issued=issued)
    except ImportFailed as exc:
        for error in exc.errors:
            click.echo(error.text(lang), err=True)
        click.echo(("Ingenting ble skrevet." if lang == "nb" else "Nothing was written."), err=True)
        sys.exit(1)
    except VeikartError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(plan.changes(lang) or ("Ingen endringer i dataene." if lang == "nb" else "No changes to the data."))
    if dry_run:
        return
    write_plan(plan)
    for path in plan.files:
        click.echo(f"wrote {os.path.relpath(path, settings.root_dir)}", err=True)
    for path in plan.removals:
        click.echo(f"removed {os.path.relpath(path, settings.root_dir)}", err=True)
