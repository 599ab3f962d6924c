"""``veikart-graph search``: the search page's ranking on the command line (current snapshot)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import VeikartError
from ..settings import Settings
from ..snapshot import current_snapshot
from . import hook  # noqa: F401 - registers the index build hook for `veikart-graph build`
from .facets import FACETS, MAX_LIMIT, parse_request
from .index import ensure_index
from .query import SearchIndex
from .results import SearchResult


def _params(text: str, limit: int, offset: int, filters: tuple[str, ...]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {"q": [text], "limit": [str(limit)], "offset": [str(offset)]}
    for item in filters:
        facet, sep, value = item.partition("=")
        if not sep or facet not in FACETS:
            raise click.BadParameter(f"{item!r} is not FACET=VALUE with FACET one of {', '.join(FACETS)}",
                                     param_hint="--filter")
        params.setdefault(facet, []).append(value)
    return params


def _table(result: SearchResult, lang: str, labels: dict[str, str]) -> str:
    rows = [(str(result.request.offset + i + 1), labels.get(h.doc.type, h.doc.type), h.doc.notation,
             h.doc.label(lang), h.doc.iri) for i, h in enumerate(result.hits)]
    header = ("#", "type", "code", "label", "iri")
    widths = [min(60, max([len(header[i]), *(len(r[i]) for r in rows)])) for i in range(len(header))]
    lines = ["  ".join(c[:w].ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "-" * len(lines[0]))
    for word, fixes in result.corrections.items():
        lines.append(f"(searched for {', '.join(fixes)} instead of {word})")
    if not result.total and result.suggestions:
        lines.append(f"no results; close words: {', '.join(result.suggestions)}")
    lines.append(f"({len(result.hits)} of {result.total} results)")
    return "\n".join(lines)


@click.command(epilog="Example:\n\n  veikart-graph search legemiddelliste --filter type=Activity --format json")
@click.argument("text")
@click.option("--limit", type=click.IntRange(0, MAX_LIMIT), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--filter", "filters", multiple=True, metavar="FACET=VALUE",
              help=f"Facet filter, repeatable ({', '.join(FACETS)}), e.g. goal=1.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.pass_context
def search(ctx: click.Context, text: str, limit: int, offset: int, filters: tuple[str, ...],
           fmt: str, lang: str) -> None:
    """Full-text search in the current snapshot (the ranking of /search)."""
    root = (ctx.obj or {}).get("root")
    try:
        snapshot = current_snapshot(Settings.from_env(root=root).snapshot_root)
        index = SearchIndex(ensure_index(Path(snapshot.path)))
        result = index.search(parse_request(_params(text, limit, offset, filters), lang))
    except VeikartError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    labels = index.type_labels(lang)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(labels), ensure_ascii=False, indent=2))
    else:
        click.echo(_table(result, lang, labels))
