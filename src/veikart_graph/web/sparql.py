"""``/sparql``: the SPARQL 1.1 Protocol query operation, the service description and the
query page (https://www.w3.org/TR/sparql11-protocol/, .../sparql11-service-description/)."""

from __future__ import annotations

import dataclasses
import json
import time

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for

from ..errors import MethodNotAllowed, VeikartError
from ..examples import load_examples
from ..formats import GRAPH_TYPES, RESULT_TYPES, negotiate
from ..guard import check_query, check_size
from ..namespaces import GRAPH_SHAPES, PREFIXES, QUERYABLE_GRAPHS
from ..sparql_lexer import decode_name_escapes
from . import protocol
from .state import get_state

bp = Blueprint("sparql", __name__)
SD_TYPES = GRAPH_TYPES
# The HTML query page shows at most this much of an answer as a table: a page of more is no use to
# a reader and costs the worker many times its size; /sparql gives the whole answer (max_result_mb).
QUERY_PAGE_BYTES = 2 * 1024 * 1024
PAGE_OFFERS = ["text/html", *(m.media_type for m in SD_TYPES)]


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    """Answer a query, or describe the service when no query is sent."""
    if request.method == "OPTIONS":
        return _preflight()
    if request.method not in ("GET", "POST"):
        raise MethodNotAllowed(f"{request.method} is not supported on /sparql; use GET or POST",
                               link=protocol.SPEC + "#query-operation")
    if request.content_length and request.content_length > get_state().settings.max_query_bytes:
        check_size(b"x" * request.content_length, get_state().settings.max_query_bytes)
    parsed = protocol.parse(request)
    if parsed.text is None:
        return _describe_or_page()
    return run_query(parsed, request.headers.get("Accept"), request.values.get("format"))


def run_query(parsed: protocol.Parsed, accept: str | None, fmt: str | None,
              max_bytes: int | None = None) -> Response:
    state = get_state()
    # §19.2 escapes of name characters, decoded before the guard so it reads what the engine runs
    parsed = dataclasses.replace(parsed, text=decode_name_escapes(parsed.text or ""))
    check_query(parsed.text or "", max_bytes=state.settings.max_query_bytes,
                allowlist=state.settings.service_endpoints)
    started = time.perf_counter()
    with state.gate.admit(request.remote_addr or "unknown"):
        answer = state.pool().execute(protocol.to_request(parsed, accept, fmt, max_bytes))
    response = Response(answer.body, 200, content_type=f"{answer.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["X-Query-Time"] = f"{time.perf_counter() - started:.4f}"
    return response


def _preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _describe_or_page() -> Response:
    best = request.accept_mimetypes.best_match(PAGE_OFFERS, default="text/turtle")
    if best == "text/html" and request.args.get("format") is None:
        return query_page()
    media = negotiate(request.headers.get("Accept"), SD_TYPES, request.args.get("format"))
    endpoint = get_state().settings.public_base + request.path
    body = ox.serialize(service_description(endpoint), format=_rdf_format(media.key),
                        prefixes=PREFIXES if media.key in ("ttl", "rdfxml") else None)
    response = Response(body, 200, content_type=f"{media.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def _rdf_format(key: str) -> ox.RdfFormat:
    from ..formats import RDF_FORMATS

    return RDF_FORMATS[key]


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
SD_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                     "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint_url: str) -> list[ox.Triple]:
    """The sd: description of this endpoint (section 3 of the Service Description spec)."""
    n, lit = ox.NamedNode, ox.Literal
    rdf_type = n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, default = n(endpoint_url), n(endpoint_url + "#dataset"), n(endpoint_url + "#default-graph")
    triples = [
        ox.Triple(service, rdf_type, n(SD + "Service")),
        ox.Triple(service, n(SD + "endpoint"), service),
        ox.Triple(service, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
        ox.Triple(service, n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, n(SD + "Dataset")),
        ox.Triple(dataset, n(SD + "defaultGraph"), default),
        ox.Triple(default, rdf_type, n(SD + "Graph")),
        ox.Triple(default, n("http://www.w3.org/2000/01/rdf-schema#comment"), lit(
            "The default graph is the union of the named graphs data, inferred, ontology and "
            "metadata (not shapes).", language="en")),
        ox.Triple(default, n("http://www.w3.org/2000/01/rdf-schema#comment"), lit(
            "Standardgrafen er unionen av de navngitte grafene data, inferred, ontology og "
            "metadata (ikke shapes).", language="nb")),
        ox.Triple(dataset, n("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                  n("https://w3id.org/veikart/id/datasett")),
        ox.Triple(service, n("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                  n(endpoint_url + "/examples.json")),
    ]
    for fmt in SD_RESULT_FORMATS:
        triples.append(ox.Triple(service, n(SD + "resultFormat"), n(FORMATS + fmt)))
    if get_state().settings.service_endpoints:
        triples.append(ox.Triple(service, n(SD + "feature"), n(SD + "BasicFederatedQuery")))
    counts = get_state().graph.count_triples()
    for graph_iri in (*QUERYABLE_GRAPHS, GRAPH_SHAPES):
        named = n(f"{endpoint_url}#graph-{str(graph_iri).rsplit('/', 1)[-1]}")
        triples += [
            ox.Triple(dataset, n(SD + "namedGraph"), named),
            ox.Triple(named, rdf_type, n(SD + "NamedGraph")),
            ox.Triple(named, n(SD + "name"), n(str(graph_iri))),
            ox.Triple(named, n("http://rdfs.org/ns/void#triples"),
                      lit(str(counts.get(str(graph_iri), 0)),
                          datatype=n("http://www.w3.org/2001/XMLSchema#integer"))),
        ]
    return triples


def examples() -> list:
    root = get_state().settings.root_dir
    return load_examples(root / "queries")


@bp.route("/sparql/examples.json")
def examples_index() -> Response:
    body = json.dumps([e.to_dict() for e in examples()], ensure_ascii=False, indent=1)
    return Response(body, 200, content_type="application/json; charset=utf-8")


def query_page(result: dict | None = None, error: VeikartError | None = None,
               text: str = "") -> Response:
    lang = request.args.get("lang", "nb") if request.args.get("lang") in ("nb", "en") else "nb"
    kind = (result or {}).get("kind")
    formats = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    html = render_template("query.html", examples=examples(), result=result, error=error,
                           query_text=text, lang=lang, formats=formats,
                           endpoint=url_for("sparql.endpoint"))
    return Response(html, 400 if error else 200, mimetype="text/html")


@bp.route("/query")
def query_ui() -> Response:
    """The HTML query page: runs the query and shows the result as a table."""
    text = request.args.get("query", "")
    if not text.strip():
        return query_page()
    parsed = protocol.Parsed(text, (), ())
    try:
        response = run_query(parsed, "application/sparql-results+json, text/turtle;q=0.9", None,
                             max_bytes=QUERY_PAGE_BYTES)
    except VeikartError as exc:
        if exc.status >= 500 and exc.status != 503:
            raise
        return query_page(error=exc, text=text)
    if response.mimetype == "application/sparql-results+json":
        data = json.loads(response.get_data())
        return query_page(result={"kind": "table", "data": data}, text=text)
    return query_page(result={"kind": "graph", "text": response.get_data(as_text=True)}, text=text)


def init_app(app) -> None:  # pragma: no cover - registered directly in create_app
    app.register_blueprint(bp)


__all__ = ["bp", "current_app"]
