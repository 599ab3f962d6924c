"""``/dataset`` (the DCAT-AP-NO + VoID record, as HTML or RDF) and ``/download/veikart.<ext>``
(the whole dataset; bytes cached per process and snapshot, ``ETag`` = the snapshot hash).

The record itself is written by the build into ``vkg:metadata`` (``metadata.py``); this module
only shows and serves it. DCAT-AP-NO: https://data.norge.no/specification/dcat-ap-no;
VoID: https://www.w3.org/TR/void/.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, render_template, request

from ..describe import Document, describe, labels, pick_label, vocabulary
from ..errors import NotFound
from ..export import export_bytes
from ..formats import negotiate
from ..metadata import DATASET, DOWNLOADS
from ..namespaces import BASE, BRREG, GRAPH_METADATA
from ..store import KnowledgeGraph
from .i18n import MESSAGES
from .pages import DOCUMENT_TYPES, HTML, OFFERS, SUFFIXES
from .state import get_graph

bp = Blueprint("dataset", __name__)

PAGE = "/dataset"
CANONICAL = BASE + "dataset"
NLOD_PAGE = "https://data.norge.no/nlod/no/2.0"
FILE_NAMES = {f"veikart.{suffix}": (key, media_type) for key, (suffix, media_type, _) in DOWNLOADS.items()}
VOID = """
SELECT ?kind ?x ?n WHERE { GRAPH vkg:metadata {
  { ?dataset void:classPartition ?part . ?part void:class ?x ; void:entities ?n BIND("class" AS ?kind) }
  UNION { ?dataset void:subset ?x . ?x void:triples ?n FILTER NOT EXISTS { ?x a void:Linkset } BIND("graph" AS ?kind) }
  UNION { ?x a void:Linkset ; void:subjectsTarget ?dataset ; void:objectsTarget ?target ; void:triples ?n
          BIND(STR(?target) AS ?kind) }
  UNION { ?dataset void:triples ?n BIND("triples" AS ?kind) }
  UNION { ?dataset void:entities ?n BIND("entities" AS ?kind) }
} }"""

MESSAGES.update({
    "ds_title": {"nb": "Om datasettet", "en": "About the dataset"},
    "ds_downloads": {"nb": "Last ned hele datasettet", "en": "Download the whole dataset"},
    "ds_format": {"nb": "Format", "en": "Format"},
    "ds_media_type": {"nb": "Medietype", "en": "Media type"},
    "ds_downloads_note": {
        "nb": "Turtle, N-Triples og JSON-LD inneholder standardgrafen (alle navngitte grafer unntatt SHACL-formene); "
              "TriG inneholder alle navngitte grafer.",
        "en": "Turtle, N-Triples and JSON-LD hold the default graph (every named graph except the SHACL shapes); "
              "TriG holds every named graph.",
    },
    "ds_sparql": {"nb": "SPARQL-endepunkt", "en": "SPARQL endpoint"},
    "ds_licence": {"nb": "Lisens", "en": "Licence"},
    "ds_statistics": {"nb": "Statistikk (VoID)", "en": "Statistics (VoID)"},
    "ds_triples": {"nb": "Tripler i alt", "en": "Triples in all"},
    "ds_entities": {"nb": "Entiteter", "en": "Entities"},
    "ds_classes": {"nb": "Entiteter per klasse", "en": "Entities per class"},
    "ds_class": {"nb": "Klasse", "en": "Class"},
    "ds_count": {"nb": "Antall", "en": "Count"},
    "ds_graphs": {"nb": "Tripler per navngitt graf", "en": "Triples per named graph"},
    "ds_graph": {"nb": "Graf", "en": "Graph"},
    "ds_linksets": {"nb": "Lenker til andre datasett", "en": "Links to other datasets"},
    "ds_target": {"nb": "Mål", "en": "Target"},
    "ds_record": {"nb": "Hele beskrivelsen (DCAT-AP-NO)", "en": "The full record (DCAT-AP-NO)"},
    "ds_as_data": {"nb": "Beskrivelsen som data", "en": "The record as data"},
    "ds_coverage": {"nb": "Hva datasettet dekker", "en": "What the dataset covers"},
    "ds_coverage_intro": {
        "nb": "Tallene er telt i grafen for gjeldende utgave ({version}).",
        "en": "The numbers are counted in the graph of the current release ({version}).",
    },
    "ds_kind": {"nb": "Slag", "en": "Kind"},
    "ds_sources": {"nb": "Kilder og utgaver", "en": "Sources and editions"},
    "ds_source": {"nb": "Kilde", "en": "Source"},
    "ds_version": {"nb": "Utgave", "en": "Edition"},
    "ds_date": {"nb": "Dato", "en": "Date"},
    "ds_no_date": {"nb": "ikke oppgitt", "en": "not given"},
    "ds_missing": {"nb": "Kjent mangler", "en": "Known to be missing"},
    "ds_missing_owners": {
        "nb": "Eiere og brukergrupper per leveranse: veikartlisten oppgir dem ikke, og ingen annen kilde gjør det "
              "per leveranse; leveransene har derfor ingen.",
        "en": "Owners and user groups per delivery: the delivery list does not give them, and no other source "
              "does per delivery; so the deliveries have none.",
    },
    "ds_missing_indicators": {
        "nb": "De offisielle målindikatorene: listen over strategiske indikatorer er ikke funnet i kildene; "
              "indikatorene her er de som kildene nevner.",
        "en": "The official målindikatorer (target indicators): the list of strategic indicators was not found in "
              "the sources; the indicators here are those the sources mention.",
    },
})
COVERAGE_CLASSES = ("Goal", "SubGoal", "ActivityGroup", "Delivery", "Activity", "Deliverable", "PortfolioMeasure",
                    "Indicator", "Organisation")
COVERAGE = ("SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?cls { "
            + " ".join(f"vk:{c}" for c in COVERAGE_CLASSES) + " } GRAPH vkg:data { ?s a ?cls } } GROUP BY ?cls")
SOURCES = """
SELECT ?s ?kind ?version ?issued WHERE {
  { ?s a vk:RoadmapRelease ; dcat:version ?version BIND("release" AS ?kind) }
  UNION { GRAPH vkg:data { ?s a prov:Entity ; dcat:version ?version } BIND("file" AS ?kind) }
  OPTIONAL { ?s dct:issued ?issued } } ORDER BY ?kind ?version"""
LINKSET_NAMES = {BRREG: "Enhetsregisteret (Brønnøysundregistrene)", "http://www.wikidata.org/entity/": "Wikidata"}


# ----------------------------------------------------------------------------- the record


def record(graph: KnowledgeGraph) -> Document:
    """The whole ``vkg:metadata`` graph (catalogue, dataset, distributions, service, VoID)."""
    quads = graph.store.quads_for_pattern(None, None, None, ox.NamedNode(str(GRAPH_METADATA)))
    return Document(str(DATASET), tuple(quads))


def statistics(graph: KnowledgeGraph, lang: str) -> dict[str, object]:
    """VoID numbers for the page: totals, entities per class, triples per graph, linksets."""
    vocab = vocabulary(graph)
    stats: dict[str, object] = {"classes": [], "graphs": [], "linksets": [], "triples": 0, "entities": 0}
    for row in graph.select(VOID, dataset=ox.NamedNode(str(DATASET))):
        kind, n = row["kind"].value, int(row["n"].value)
        if kind in ("triples", "entities"):
            stats[kind] = n
        elif kind == "class":
            stats["classes"].append((vocab.label(row["x"].value, lang), row["x"].value, n))
        elif kind == "graph":
            title = pick_label(labels(graph, [row["x"]]).get(row["x"].value, []), lang)
            stats["graphs"].append((row["x"].value, title, n))
        else:
            stats["linksets"].append((LINKSET_NAMES.get(kind, kind), kind, row["x"].value, n))
    stats["classes"].sort(key=lambda c: (-c[2], c[0].value))
    stats["graphs"].sort()
    stats["linksets"].sort()
    return stats


def coverage(graph: KnowledgeGraph, lang: str) -> dict[str, object]:
    """Counts by kind in the current data, and the edition and date of each release and source
    file, all read from the graph."""
    vocab = vocabulary(graph)
    found = {row["cls"].value: int(row["n"].value) for row in graph.select(COVERAGE)}
    kinds = []
    for name in COVERAGE_CLASSES:
        iri = f"{BASE}def/{name}"
        kinds.append((vocab.label(iri, lang), iri, found.get(iri, 0)))
    planning = {row["s"].value.rsplit("/", 1)[-1]: int(row["n"].value) for row in graph.select(
        "SELECT ?s (COUNT(?d) AS ?n) WHERE { GRAPH vkg:data { ?d a vk:Delivery ; vk:planningStatus ?s } } GROUP BY ?s")}
    rows = graph.select(SOURCES)
    names = labels(graph, [r["s"] for r in rows])
    sources = [(pick_label(names.get(r["s"].value, []), lang), r["s"].value, r["kind"].value, r["version"].value,
                r["issued"].value if "issued" in r else None) for r in rows]
    current = next((r["v"].value for r in graph.select(
        "SELECT ?v WHERE { vkid:veikart dcat:hasCurrentVersion/dcat:version ?v }")), "")
    return {"kinds": kinds, "planning": planning, "sources": sources, "current": current}


def schema_dataset(entity_label: str, description: str | None) -> dict[str, object]:
    """schema.org Dataset (for dataset search engines) with one DataDownload per format."""
    return {
        "@context": "https://schema.org", "@type": "Dataset", "@id": str(DATASET), "name": entity_label,
        "description": description or entity_label, "url": CANONICAL, "license": NLOD_PAGE,
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media_type, "contentUrl": f"{BASE}download/{name}"}
            for name, (_, media_type) in FILE_NAMES.items()
        ],
    }


# ----------------------------------------------------------------------------- routes


def _link_header() -> str:
    links = [f'<{CANONICAL}>; rel="canonical"', f'<{PAGE}>; rel="alternate"; type="text/html"']
    links += [f'<{PAGE}.{m.suffix}>; rel="alternate"; type="{m.media_type}"' for m in DOCUMENT_TYPES]
    return ", ".join(links)


@bp.route(PAGE)
def dataset() -> Response:
    """The record as HTML (browsers, ``*/*``) or RDF (by ``Accept`` or ``format=``)."""
    media = negotiate(request.headers.get("Accept"), OFFERS, request.args.get("format"))
    response = dataset_page() if media is HTML else _rdf(media.key, media.media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = _link_header()
    return response


@bp.route(f"{PAGE}.<suffix>")
def dataset_document(suffix: str) -> Response:
    """The record as ``/dataset.ttl|.nt|.jsonld|.rdf|.trig|.nq``."""
    media = SUFFIXES.get(suffix)
    if media is None:
        raise NotFound(f"no document {PAGE}.{suffix}; formats: " + ", ".join(SUFFIXES))
    response = _rdf(media.key, media.media_type)
    response.headers["Link"] = _link_header()
    return response


def _rdf(key: str, media_type: str) -> Response:
    return Response(record(get_graph()).serialize(key), content_type=f"{media_type}; charset=utf-8")


def dataset_page() -> Response:
    graph = get_graph()
    entity = describe(graph, str(DATASET), g.lang)
    if entity is None:
        raise NotFound("this snapshot has no dataset record; rebuild it with `veikart-graph build`")
    description = next((v.text for v in entity.node.values("http://purl.org/dc/terms/description")
                        if v.lang == g.lang), None)
    html = render_template(
        "dataset.html", entity=entity, stats=statistics(graph, g.lang), cover=coverage(graph, g.lang),
        downloads=FILE_NAMES,
        formats=DOCUMENT_TYPES, jsonld=schema_dataset(entity.label.value, description),
        nlod=NLOD_PAGE, canonical=CANONICAL,
    )
    return Response(html, mimetype="text/html")


# ----------------------------------------------------------------------------- downloads


_CACHE: dict[tuple[str, str], bytes] = {}
_CACHE_LOCK = threading.Lock()


def cached_export(graph: KnowledgeGraph, key: str) -> bytes:
    """The whole dataset in ``key``, built once per process and snapshot (older ones dropped)."""
    version = graph.snapshot_hash or f"graph-{id(graph)}"
    with _CACHE_LOCK:
        if (version, key) not in _CACHE:
            for stale in [k for k in _CACHE if k[0] != version]:
                del _CACHE[stale]
            _CACHE[(version, key)] = export_bytes(graph, key)
        return _CACHE[(version, key)]


@bp.route("/download/<name>")
def download(name: str) -> Response:
    """``/download/veikart.ttl|.nt|.jsonld|.trig``; anything else is 404 (never a file read)."""
    if name not in FILE_NAMES:
        raise NotFound(f"no download {name!r}; available: " + ", ".join(sorted(FILE_NAMES)))
    key, media_type = FILE_NAMES[name]
    graph = get_graph()
    response = Response(cached_export(graph, key), content_type=f"{media_type}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Link"] = f'<{PAGE}>; rel="describedby"'
    if graph.snapshot_hash:
        response.set_etag(graph.snapshot_hash)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
