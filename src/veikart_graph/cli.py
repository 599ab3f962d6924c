"""The ``veikart-graph`` command line. Exit codes: 0 ok/conforms, 1 does not conform,
2 cannot load, usage error or internal error."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import NotConformingError, VeikartError
from .settings import Settings

EPILOG_EXAMPLE = "Example:\n\n  veikart-graph {}"


def _settings(ctx: click.Context, **overrides: object) -> Settings:
    return Settings.from_env(root=ctx.obj.get("root"), **overrides)


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _fail(exc: VeikartError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.group(epilog="Example:\n\n  veikart-graph build && veikart-graph serve")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder with ontology/, shapes/, data/ (default: VEIKART_ROOT or .).")
@click.version_option(package_name="veikart-graph")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Veikart for nasjonal e-helsestrategi as Linked Open Data."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@main.command(epilog=EPILOG_EXAMPLE.format("build"))
@click.pass_context
def build(ctx: click.Context) -> None:
    """Validate the sources, infer, and write a new snapshot (atomically)."""
    from .build import build as run_build

    settings = _settings(ctx)
    click.echo(f"building from {settings.root_dir} ...", err=True)
    try:
        result = run_build(settings, progress=_progress)
    except NotConformingError as exc:
        click.echo(exc.report.text("nb"), err=True)
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    except VeikartError as exc:
        _fail(exc)
    click.echo(result.summary())


@main.command(epilog=EPILOG_EXAMPLE.format("validate data/activities.ttl --format json"))
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Message language.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, lang: str) -> None:
    """Check data against the SHACL shapes (all of data/, or only FILES).

    Exit 0 if it conforms, 1 if it does not, 2 if it cannot be loaded.
    """
    from .build import check

    try:
        _sources, report = check(_settings(ctx), list(files) or None, progress=_progress)
    except VeikartError as exc:
        _fail(exc)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms,
                               "violations": [v.to_dict() for v in report.violations]},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(report.text(lang))
    sys.exit(0 if report.conforms else 1)


def _graph(ctx: click.Context):
    from .build import ensure_snapshot
    from .store import KnowledgeGraph

    snapshot = ensure_snapshot(_settings(ctx), progress=_progress)
    return KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)


@main.command(epilog=EPILOG_EXAMPLE.format(
    "query 'SELECT ?goal ?title WHERE { ?goal a vk:Goal ; skos:prefLabel ?title }'"))
@click.argument("sparql")
@click.option("--format", "fmt", default="table",
              type=click.Choice(["table", "json", "xml", "csv", "tsv", "turtle", "nt", "jsonld"]))
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str) -> None:
    """Run a SPARQL query on the snapshot (project prefixes such as vk:, skos: are declared)."""
    from .formats import GRAPH, GRAPH_TYPES, RESULT_TYPES, by_key, result_kind, serialize
    from .store import PROLOGUE

    try:
        graph = _graph(ctx)
        text = sparql if "prefix" in sparql.lower() else PROLOGUE + sparql
        result = graph.run(text)
        kind = result_kind(result)
        if fmt == "table":
            click.echo(_table(result, kind))
            return
        choices = GRAPH_TYPES if kind == GRAPH else RESULT_TYPES
        media = by_key(fmt, choices)
        if media is None:
            raise VeikartError(f"--format {fmt} does not fit a {kind} query")
        sys.stdout.buffer.write(serialize(result, media, max_rows=10**9))
    except VeikartError as exc:
        _fail(exc)


def _table(result: object, kind: str) -> str:
    from .formats import ASK, GRAPH

    if kind == ASK:
        return "true" if bool(result) else "false"
    if kind == GRAPH:
        return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in result)
    names = [v.value for v in result.variables]
    rows = [[_cell(row[n]) for n in names] for row in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, "-" * len(line), *body, f"({len(rows)} rows)"])


def _cell(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))


@main.command(epilog=EPILOG_EXAMPLE.format("export --format trig -o veikart.trig"))
@click.option("--format", "fmt", default="ttl",
              type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq", "csv", "xlsx"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the snapshot: ttl/nt/jsonld as one graph (the SPARQL default graph: the current
    release), trig/nq with every named graph (older releases too), csv/xlsx as the editors'
    activity table that `veikart-graph import` reads."""
    from .export import export_bytes

    try:
        body = export_bytes(_graph(ctx), fmt)
    except VeikartError as exc:
        _fail(exc)
    if output:
        output.write_bytes(body)
        click.echo(f"wrote {len(body)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(body)


@main.command(epilog=EPILOG_EXAMPLE.format("stats"))
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Triples per named graph and entities per class."""
    try:
        graph = _graph(ctx)
    except VeikartError as exc:
        _fail(exc)
    click.echo(f"snapshot {graph.snapshot_hash[:12]}")
    click.echo("triples per graph:")
    for iri, count in sorted(graph.count_triples().items()):
        click.echo(f"  {count:>7}  {iri}")
    click.echo("entities per class:")
    for iri, count in graph.entities_by_class().items():
        click.echo(f"  {count:>7}  {iri}")


@main.command(epilog=EPILOG_EXAMPLE.format("serve --port 8000 --workers 2"))
@click.option("--host", default=None, help="Interface (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option("--workers", type=int, default=None, help="Worker processes (default 2).")
@click.option("--store", default=None, help="`embedded` (default) or a SPARQL store URL.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None,
          store: str | None) -> None:
    """Serve the SPARQL endpoint and the HTML browser with gunicorn (builds first if needed)."""
    from .build import ensure_snapshot
    from .server import run_server

    settings = _settings(ctx, host=host, port=port, workers=workers, store=store)
    try:
        snapshot = ensure_snapshot(settings, progress=_progress)
    except NotConformingError as exc:
        click.echo(exc.report.text("nb"), err=True)
        _fail(exc)
    except VeikartError as exc:
        _fail(exc)
    click.echo(f"serving snapshot {snapshot.manifest.short_hash} at "
               f"http://{settings.host}:{settings.port}/ with {settings.workers} workers", err=True)
    try:
        run_server(settings, snapshot)
    except VeikartError as exc:
        _fail(exc)


def _register_optional_commands() -> None:
    """Commands that live with their feature (``<module>:command``), added when present."""
    import importlib

    for spec in ("veikart_graph.search.cli:search", "veikart_graph.releases.cli:diff",
                 "veikart_graph.releases.cli:freeze", "veikart_graph.importer:import_command",
                 "veikart_graph.publish:publish"):
        module_name, _, attr = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        main.add_command(getattr(module, attr))


_register_optional_commands()
