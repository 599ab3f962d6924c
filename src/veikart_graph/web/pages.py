"""Dereferenceable IRIs: ``/id/…``, ``/def/…`` and ``/graph/…`` answer ``303 See Other`` to a
document, ``/page/<path>`` (HTML) or ``/data/<path>.ttl|.nt|.jsonld|.rdf|.trig|.nq`` (RDF).

``<path>`` is the IRI's path under ``https://w3id.org/veikart/`` (``id/mal/1``, ``def/Goal``,
``def`` for the ontology), so every IRI resolves at the same path on whatever host serves it.
Browsers, ``*/*`` and a missing ``Accept`` get HTML; ``format=`` wins over ``Accept``
(W3C "Cool URIs for the Semantic Web", section 4.3, 303 URIs forwarding to different documents).
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Flask, Response, g, redirect, render_template, request

from ..describe import describe, entity_graph, exists, schema_org
from ..errors import BadRequest, NotFound
from ..formats import DATASET_TYPES, GRAPH_TYPES, MediaType, by_key, negotiate
from ..namespaces import BASE, ONTOLOGY_IRI
from .errors import error_response
from .i18n import MESSAGES
from .state import get_graph, get_state

bp = Blueprint("pages", __name__)

HTML = MediaType("html", "text/html", "html", "HTML")
DOCUMENT_TYPES = (*GRAPH_TYPES, *DATASET_TYPES)
OFFERS = (HTML, *DOCUMENT_TYPES)
SUFFIXES = {m.suffix: m for m in DOCUMENT_TYPES}
PATH = re.compile(r"(?:id|def|graph)(?:/[\w~-][\w.~-]*)+")
NOT_FOUND_TYPES = ["text/html", "application/json", "application/ld+json", "text/plain"]

MESSAGES.update({
    "pg_type": {"nb": "Type", "en": "Type"},
    "pg_identifiers": {"nb": "Identifikatorer", "en": "Identifiers"},
    "pg_properties": {"nb": "Egenskaper", "en": "Properties"},
    "pg_links_out": {"nb": "Lenker til andre nettsteder", "en": "Links to other sites"},
    "pg_sources": {"nb": "Kilde", "en": "Source"},
    "pg_no_sources": {"nb": "Ingen kilde er oppgitt for denne ressursen.",
                   "en": "No source is given for this resource."},
    "pg_statements": {"nb": "Utsagn", "en": "Statements"},
    "pg_incoming": {"nb": "Lenker hit", "en": "Links here"},
    "pg_incoming_intro": {"nb": "Andre ressurser som viser til denne, etter egenskap.",
                       "en": "Other resources that refer to this one, by property."},
    "pg_more_links": {"nb": "flere – se SPARQL-spørringen", "en": "more – see the SPARQL query"},
    "pg_uncertain": {"nb": "Usikkert", "en": "Uncertain"},
    "pg_uncertain_intro": {"nb": "kilden er ikke entydig.", "en": "the source is not conclusive."},
    "pg_yes": {"nb": "ja", "en": "yes"},
    "pg_no": {"nb": "nei", "en": "no"},
    "pg_uncertain_link": {"nb": "usikkert", "en": "uncertain"},
    "pg_inferred": {"nb": "utledet", "en": "inferred"},
    "pg_inferred_note": {
        "nb": "«utledet»: utsagnet er sluttet fra ontologien (OWL-RL), ikke skrevet i kildedataene.",
        "en": "“inferred”: the statement follows from the ontology (OWL-RL); it is not in the source data.",
    },
    "pg_cite": {"nb": "Siter", "en": "Cite"},
    "pg_cite_in": {"nb": "I: Veikart for nasjonal e-helsestrategi som lenkede åpne data",
                "en": "In: The national e-health strategy roadmap as Linked Open Data"},
    "pg_snapshot": {"nb": "datagrunnlag", "en": "data snapshot"},
    "pg_iri": {"nb": "IRI", "en": "IRI"},
    "pg_formats": {"nb": "Som data", "en": "As data"},
    "pg_not_found_title": {"nb": "Fant ikke ressursen", "en": "Resource not found"},
    "pg_not_found_text": {"nb": "Det finnes ingen ressurs med denne adressen i veikartet.",
                       "en": "There is no resource with this address in the roadmap."},
    "pg_not_found_search": {"nb": "Søk etter det du lette etter:", "en": "Search for what you were looking for:"},
})


# ----------------------------------------------------------------------------- URLs and headers


def iri_for(path: str) -> str:
    """The IRI a document path names (``id/mal/1`` → ``https://w3id.org/veikart/id/mal/1``)."""
    if path == "def":
        return ONTOLOGY_IRI
    if not PATH.fullmatch(path) or any(part in (".", "..") for part in path.split("/")):
        raise NotFound(f"/{path} is not the path of a resource in this dataset")
    return BASE + path


def page_url(path: str) -> str:
    return f"/page/{path}"


def data_url(path: str, media: MediaType) -> str:
    return f"/data/{path}.{media.suffix}"


def link_header(path: str, iri: str) -> str:
    """``Link``: the canonical IRI and every other representation (RFC 8288)."""
    links = [f'<{iri}>; rel="canonical"', f'<{page_url(path)}>; rel="alternate"; type="text/html"']
    links += [f'<{data_url(path, m)}>; rel="alternate"; type="{m.media_type}"' for m in DOCUMENT_TYPES]
    return ", ".join(links)


def _finish(response: Response, path: str, iri: str) -> Response:
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = link_header(path, iri)
    return response


def _with_lang(url: str) -> str:
    lang = request.args.get("lang")
    return f"{url}?lang={lang}" if lang in ("nb", "en") else url


def _media(fmt: str | None, choices: tuple[MediaType, ...]) -> MediaType | None:
    if not fmt:
        return None
    media = by_key(fmt, choices)
    if media is None:
        raise BadRequest(f"unknown format {fmt!r}; use one of: " + ", ".join(m.key for m in choices))
    return media


# ----------------------------------------------------------------------------- routes


@bp.route("/id/<path:rest>")
def resolve_id(rest: str) -> Response:
    return see_other(f"id/{rest}")


@bp.route("/def/", defaults={"rest": None}, strict_slashes=False)  # /def and /def/ (the namespace)
@bp.route("/def/<path:rest>")
def resolve_def(rest: str | None) -> Response:
    return see_other(f"def/{rest}" if rest else "def")


@bp.route("/graph/<path:rest>")
def resolve_graph(rest: str) -> Response:
    return see_other(f"graph/{rest}")


def see_other(path: str) -> Response:
    """303 to the page or the data document, by ``format=`` or ``Accept``; 404 if unknown."""
    iri = iri_for(path)
    if not exists(get_graph(), iri):
        raise NotFound(f"no resource {iri} in this dataset")
    media = negotiate(request.headers.get("Accept"), OFFERS, request.args.get("format"))
    target = page_url(path) if media is HTML else data_url(path, media)
    return _finish(redirect(_with_lang(target), 303), path, iri)


@bp.route("/page/<path:path>")
def page(path: str) -> Response:
    """The HTML page of an entity (``?format=ttl`` etc. redirect to the data document)."""
    media = _media(request.args.get("format"), OFFERS)
    if media is not None and media is not HTML:
        return _finish(redirect(data_url(path, media), 303), path, iri_for(path))
    iri = iri_for(path)
    entity = describe(get_graph(), iri, g.lang)
    if entity is None:
        raise NotFound(f"no resource {iri} in this dataset")
    snapshot = get_state().snapshot
    html = render_template(
        "entity.html", entity=entity, path=path, jsonld=schema_org(entity, g.lang),
        formats=DOCUMENT_TYPES, data_url=data_url, snapshot=snapshot.manifest if snapshot else None,
        query_in=_incoming_query,
    )
    return _finish(Response(html, mimetype="text/html"), path, iri)


@bp.route("/data/<path:path>")
def data(path: str) -> Response:
    """The RDF document; the suffix or ``format=`` picks the format, else ``Accept``."""
    stem, _, suffix = path.rpartition(".")
    media = SUFFIXES.get(suffix) if stem else None
    path = stem if media else path
    media = _media(request.args.get("format"), DOCUMENT_TYPES) or media
    negotiated = media is None
    media = media or negotiate(request.headers.get("Accept"), DOCUMENT_TYPES)
    iri = iri_for(path)
    document = entity_graph(get_graph(), iri)
    if document is None:
        raise NotFound(f"no resource {iri} in this dataset")
    response = Response(document.serialize(media.key), content_type=f"{media.media_type}; charset=utf-8")
    if negotiated:
        response.headers["Content-Location"] = data_url(path, media)
    return _finish(response, path, iri)


def _incoming_query(iri: str, predicate: str) -> str:
    """A SPARQL query listing every link of ``predicate`` to ``iri`` (for truncated lists)."""
    return f"SELECT ?s WHERE {{ ?s <{predicate}> <{iri}> }} ORDER BY ?s"


# ----------------------------------------------------------------------------- not found


@bp.errorhandler(NotFound)
def not_found(exc: NotFound) -> Response:
    """404 in the requested format: an HTML page with a search box, JSON, or plain text."""
    if request.headers.get("Accept", "").strip():
        best = request.accept_mimetypes.best_match(NOT_FOUND_TYPES, default="text/plain")
    else:
        best = "text/html"
    if best == "text/html":
        query = request.path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
        html = render_template("not_found.html", message=exc.message, query=query)
        response = Response(html, 404, mimetype="text/html")
    elif best in ("application/json", "application/ld+json"):
        response = Response(json.dumps(exc.to_dict(), ensure_ascii=False), 404, mimetype="application/json")
    else:
        response = error_response(404, exc.message)
    response.headers["Vary"] = "Accept"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
