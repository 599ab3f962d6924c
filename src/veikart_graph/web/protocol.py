"""Reading a SPARQL 1.1 Protocol request (https://www.w3.org/TR/sparql11-protocol/#query-operation)
into a ``QueryRequest``, with the protocol's error cases as ``VeikartError``s."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Request

from ..errors import BadRequest, Forbidden, UnsupportedMediaType
from ..executor import QueryRequest

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
SPEC = "https://www.w3.org/TR/sparql11-protocol/"
READ_ONLY = Forbidden(
    "this endpoint is read-only: SPARQL Update is not accepted",
    link=SPEC + "#update-operation",
)


@dataclass(frozen=True)
class Parsed:
    """A protocol request: ``text`` is None when no query was sent at all."""

    text: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def _single_query(values: list[str]) -> str:
    if len(values) > 1:
        raise BadRequest(
            f"the request has {len(values)} 'query' parameters; send exactly one",
            link=SPEC + "#query-operation",
        )
    return values[0]


def _graph_iris(values: list[str], name: str) -> tuple[str, ...]:
    for value in values:
        if not value.startswith(("http://", "https://", "urn:")) or not _is_iri(value):
            raise BadRequest(f"{name} must be an absolute IRI, got {value!r}",
                             link=SPEC + "#dataset")
    return tuple(values)


def _is_iri(value: str) -> bool:
    """RFC 3987 syntax, as the engine checks it (spaces, ``<>"{}|\\^```, controls are refused)."""
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def parse(req: Request) -> Parsed:
    """The query and dataset of a GET or POST request; raises on protocol errors."""
    if req.method == "GET":
        params = req.args
        queries = params.getlist("query")
    else:
        mimetype = req.mimetype
        if mimetype == UPDATE:
            raise READ_ONLY
        if mimetype == FORM:
            params = req.form
            queries = params.getlist("query")
        elif mimetype == DIRECT:
            params = req.args
            queries = [_decode(req.get_data())]
        else:
            raise UnsupportedMediaType(
                f"POST body of type {mimetype or '(none)'} is not a SPARQL query; use {FORM} "
                f"or {DIRECT}",
                link=SPEC + "#query-via-post-direct",
            )
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise READ_ONLY
    defaults = _graph_iris(params.getlist("default-graph-uri"), "default-graph-uri")
    named = _graph_iris(params.getlist("named-graph-uri"), "named-graph-uri")
    if not queries:
        extra = [k for k in params if k not in ("format", "lang")]
        if extra:
            raise BadRequest(
                f"parameters {', '.join(sorted(extra))} were sent without a 'query'",
                link=SPEC + "#query-operation",
            )
        return Parsed(None, defaults, named)
    return Parsed(_single_query(queries), defaults, named)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8").removeprefix("\ufeff")  # editors on Windows write a BOM
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the query is not valid UTF-8 (byte {exc.start})") from exc


def to_request(parsed: Parsed, accept: str | None, fmt: str | None, max_bytes: int | None = None) -> QueryRequest:
    assert parsed.text is not None
    return QueryRequest(parsed.text, accept, fmt, parsed.default_graphs, parsed.named_graphs, max_bytes)
