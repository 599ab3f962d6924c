"""``veikart-graph diff OLD NEW``: what changed between two releases, in words."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rdflib import Dataset, Graph

from ..errors import NotConformingError, SourceError, VeikartError
from ..namespaces import bind_prefixes
from ..settings import Settings
from ..sources import load_graph, load_sources, turtle_files
from . import frozen
from .compose import DESCRIPTION_FILE, compose_releases, new_violations, order_chain, read_descriptions
from .diff import diff_graphs
from .frozen import CONTENT_FILE
from .words import Labeller, as_text, summarise

EPILOG = """Example:

  veikart-graph diff ehelse 2026-11

\b
OLD and NEW are release versions (folders under releases/) or Turtle files or folders of
Turtle files. Exit 0 when the diff was made (with or without changes), 2 when a side cannot be
loaded."""


@click.command(epilog=EPILOG)
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Language of the words.")
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, fmt: str, lang: str) -> None:
    """What changed from release OLD to release NEW: entities added, removed and changed, with each
    changed property's old and new value."""
    settings = Settings.from_env(root=(ctx.obj or {}).get("root"))
    try:
        old_graph, new_graph, ontology = load_sides(settings.root_dir, old, new)
    except VeikartError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    changes = diff_graphs(old_graph, new_graph)
    summaries = summarise(changes, Labeller([new_graph, old_graph, ontology]), lang)
    if fmt == "json":
        body = {"old": old, "new": new, "triples_removed": changes.triples_removed,
                "triples_added": changes.triples_added, "entities": [s.to_dict() for s in summaries]}
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    none = "Ingen endringer." if lang == "nb" else "No changes."
    click.echo(as_text(summaries, lang) or none)


def load_sides(root: Path, old: str, new: str) -> tuple[Graph, Graph, Graph]:
    """The two graphs to compare and the ontology (for labels)."""
    if Path(old).exists() and Path(new).exists():
        ontology_dir = root / "ontology"
        ontology = load_graph(turtle_files(ontology_dir))[0] if ontology_dir.is_dir() else Graph()
        return read_side(Path(old)), read_side(Path(new)), ontology
    sources = load_sources(root)
    releases = compose_releases(root, sources)
    graphs = []
    for side in (old, new):
        path = Path(side)
        graphs.append(read_side(path) if path.exists() else releases.contents[releases.get(side).version])
    return graphs[0], graphs[1], sources.ontology


def read_side(path: Path) -> Graph:
    """A Turtle file, a folder of Turtle files, or an N-Triples/N-Quads file (all quads as one graph)."""
    if path.is_dir():
        return load_graph(turtle_files(path))[0]
    if path.suffix in (".nt", ".nq"):
        dataset = Dataset()
        try:
            dataset.parse(path, format="nquads" if path.suffix == ".nq" else "nt")
        except Exception as exc:  # rdflib raises plain exceptions for bad lines
            raise SourceError(f"cannot parse: {exc}", where=str(path)) from exc
        graph = bind_prefixes(Graph())
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return load_graph([path])[0]


FREEZE_EPILOG = """Example:

  veikart-graph freeze ehelse

  veikart-graph freeze ehelse --content rettet-ehelse.nq

\b
For an erratum in a published (older) release: rewrites releases/VERSION/content.nq in
canonical form, from FILE (Turtle, N-Triples or N-Quads; all statements become the release's)
or from the hand-edited content.nq itself, records its new SHA-256 in release.ttl and, with
--content, prints what changed in words. The current release is not frozen this way: publish a new one with
`import --release NEW`. Exit 0 done, 2 the release or file cannot be read."""


@click.command(epilog=FREEZE_EPILOG)
@click.argument("version")
@click.option("--content", "content_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The corrected content (default: the release's own content.nq, edited by hand).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Language of the words.")
@click.pass_context
def freeze(ctx: click.Context, version: str, content_file: Path | None, lang: str) -> None:
    """Re-freeze an older release after a deliberate correction: canonical content.nq and its
    SHA-256 in release.ttl."""
    settings = Settings.from_env(root=(ctx.obj or {}).get("root"))
    root = settings.root_dir
    try:
        descriptions, found = read_descriptions(root)
        chain = order_chain(found) if found else []
        release = next((r for r in chain if r.version == version), None)
        if release is None:
            raise SourceError(f"no release {version!r} (known: {', '.join(r.version for r in chain) or 'none'})")
        if release is chain[-1]:
            raise SourceError(f"{version} is the current release: its content is data/; publish a new release "
                              "with `veikart-graph import --release NEW` to freeze it")
        path = release.folder / CONTENT_FILE
        old = read_side(path) if path.exists() else Graph()
        new = read_side(content_file or path)
        added = new_violations(release, old, new, load_sources(root))
        if not added.conforms:
            raise NotConformingError(f"the corrected content of {version} breaks {len(added.violations)} rules "
                                     "the published one did not; nothing was written", added)
        data = frozen.freeze(release.graph_iri, new)
        description = release.folder / DESCRIPTION_FILE
        text = description.read_text(encoding="utf-8")
        recorded = frozen.recorded_checksum(descriptions, release.iri)
        if recorded is None or recorded not in text:
            raise SourceError("release.ttl records no SHA-256 of content.nq to update", where=str(description))
    except VeikartError as exc:
        if isinstance(exc, NotConformingError):
            click.echo(exc.report.text(lang), err=True)
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    path.write_bytes(data)
    description.write_text(text.replace(recorded, frozen.sha256(data)), encoding="utf-8")
    if content_file is not None:  # the frozen content before is known: say what changed
        ontology = load_sources(root).ontology
        summaries = summarise(diff_graphs(old, new), Labeller([new, old, ontology]), lang)
        click.echo(as_text(summaries, lang) or ("Ingen endringer." if lang == "nb" else "No changes."))
    click.echo(f"wrote {path.relative_to(root)} and the SHA-256 in {description.relative_to(root)}", err=True)
