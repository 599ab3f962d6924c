"""Media types as data, content negotiation as one function, and result serializers.

No Flask here: the CLI's ``query --format`` and the HTTP endpoint use the same tables.
Serializers stop at ``max_rows`` + 1 and raise ``ResultTooLarge``: a result is never cut short
silently. XML formats refuse (406) literals holding characters XML 1.0 cannot carry (most C0
control characters), rather than writing a document no XML parser reads.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from .errors import BadRequest, NotAcceptable, ResultTooLarge
from .namespaces import PREFIXES


@dataclass(frozen=True)
class MediaType:
    key: str
    media_type: str
    suffix: str
    label: str


SELECT, ASK, GRAPH = "select", "ask", "graph"

RESULT_TYPES = (
    MediaType("json", "application/sparql-results+json", "srj", "SPARQL JSON"),
    MediaType("xml", "application/sparql-results+xml", "srx", "SPARQL XML"),
    MediaType("csv", "text/csv", "csv", "CSV"),
    MediaType("tsv", "text/tab-separated-values", "tsv", "TSV"),
)
GRAPH_TYPES = (
    MediaType("ttl", "text/turtle", "ttl", "Turtle"),
    MediaType("nt", "application/n-triples", "nt", "N-Triples"),
    MediaType("jsonld", "application/ld+json", "jsonld", "JSON-LD"),
    MediaType("rdfxml", "application/rdf+xml", "rdf", "RDF/XML"),
)
DATASET_TYPES = (
    MediaType("trig", "application/trig", "trig", "TriG"),
    MediaType("nq", "application/n-quads", "nq", "N-Quads"),
)
ALIASES = {
    "turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdf": "rdfxml",
    "rdf+xml": "rdfxml", "srj": "json", "srx": "xml", "nquads": "nq", "n-quads": "nq",
}
# What common clients send as ``format`` for a CONSTRUCT or DESCRIBE, meaning an RDF syntax:
# SPARQLWrapper sends ``xml`` (its default) and ``json``; others send ``n3`` for Turtle.
GRAPH_ALIASES = {"xml": "rdfxml", "json": "jsonld", "n3": "ttl", "application/json": "jsonld"}
RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
}
XML_KEYS = ("xml", "rdfxml")
# Characters outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets).
NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BOOLEAN_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}


def offers(kind: str) -> tuple[MediaType, ...]:
    """What a result of ``kind`` (select, ask, graph) can be served as, preferred first."""
    return GRAPH_TYPES if kind == GRAPH else RESULT_TYPES


def by_key(key: str, choices: Iterable[MediaType]) -> MediaType | None:
    """The offer ``key`` names (a key, media type, suffix or alias); for an RDF graph, also the
    meaning common clients give ``xml``, ``json`` and ``n3`` (RDF/XML, JSON-LD, Turtle)."""
    choices = tuple(choices)
    wanted = ALIASES.get(key.lower(), key.lower())
    for candidate in (wanted, GRAPH_ALIASES.get(wanted) if any(m.key == "rdfxml" for m in choices) else None):
        for media in choices:
            if candidate in (media.key, media.media_type, media.suffix):
                return media
    return None


def negotiate(accept: str | None, choices: tuple[MediaType, ...],
              format_param: str | None = None) -> MediaType:
    """Pick a media type: ``format`` wins, then ``Accept`` (q-values), else the first offer.

    ``*/*`` and a missing or empty ``Accept`` give the first offer. Nothing acceptable raises
    ``NotAcceptable`` listing what is offered.
    """
    if format_param:
        media = by_key(format_param.strip(), choices)
        if media is None:
            raise BadRequest(
                f"unknown format {format_param!r}; use one of: "
                + ", ".join(m.key for m in choices)
            )
        return media
    if not accept or not accept.strip():
        return choices[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    best = parsed.best_match([m.media_type for m in choices])
    if best is None:
        raise NotAcceptable(
            "none of the requested media types can be produced; available: "
            + ", ".join(m.media_type for m in choices),
            link="https://www.rfc-editor.org/rfc/rfc9110#name-406-not-acceptable",
        )
    return next(m for m in choices if m.media_type == best)


def result_kind(result: object) -> str:
    if isinstance(result, ox.QueryBoolean):
        return ASK
    if isinstance(result, ox.QuerySolutions) or hasattr(result, "variables"):
        return SELECT  # also sorting.SortedSolutions (rows the service sorted), read the same way
    return GRAPH


def serialize(result: object, media: MediaType, max_rows: int, max_bytes: int | None = None) -> bytes:
    """Serialize a pyoxigraph query result; ``ResultTooLarge`` past ``max_rows`` rows or triples,
    or past ``max_bytes`` bytes of answer (counted while the rows are read, so a few huge values
    are refused before they are written out, and checked again on the written answer)."""
    kind = result_kind(result)
    if kind == ASK:
        return result.serialize(format=BOOLEAN_FORMATS[media.key])
    if kind == SELECT:
        names = [v.value for v in result.variables]
        rows = _capped(result, max_rows, "rows", max_bytes)
        body = SOLUTION_WRITERS[media.key](names, rows)
    else:
        body = serialize_triples(_capped(result, max_rows, "triples", max_bytes), media.key)
    if max_bytes is not None and len(body) > max_bytes:
        raise too_many_bytes(max_bytes)
    return body


def serialize_triples(triples: Iterable[ox.Triple], key: str) -> bytes:
    prefixes = PREFIXES if key in ("ttl", "trig", "rdfxml") else None
    triples = list(triples)
    if key in XML_KEYS:
        for triple in triples:
            check_xml_chars(triple.object)
    return ox.serialize(triples, format=RDF_FORMATS[key], prefixes=prefixes)


def check_xml_chars(term: object) -> None:
    """Raise ``NotAcceptable`` if ``term`` is a literal XML 1.0 cannot represent."""
    found = NOT_XML_CHAR.search(term.value) if isinstance(term, ox.Literal) else None
    if found:
        raise NotAcceptable(
            f"the result holds the character U+{ord(found.group()):04X}, which XML cannot carry; "
            "ask for JSON, CSV or TSV (results) or Turtle, N-Triples or JSON-LD (graphs)",
            link="https://www.w3.org/TR/xml/#charsets",
        )


def too_large(max_rows: int, what: str) -> ResultTooLarge:
    """The error of a result with more than ``max_rows`` rows or triples."""
    return ResultTooLarge(
        f"the result has more than {max_rows} {what} (the server's limit); "
        "narrow the query or add LIMIT/OFFSET to page through it"
    )


def too_many_bytes(max_bytes: int) -> ResultTooLarge:
    """The error of an answer larger than ``max_bytes``."""
    limit = f"{max_bytes / 1048576:g} MiB" if max_bytes >= 1048576 else f"{max_bytes} bytes"
    return ResultTooLarge(
        f"the answer is larger than the server's limit of {limit}; select fewer or shorter values, "
        "or page with LIMIT/OFFSET"
    )


def _capped(items: Iterable, max_rows: int, what: str, max_bytes: int | None = None) -> list:
    collected = []
    size = 0
    for item in items:
        if len(collected) >= max_rows:
            raise too_large(max_rows, what)
        if max_bytes is not None:
            size += sum(len(term.value) for term in item if term is not None)
            if size > max_bytes:
                raise too_many_bytes(max_bytes)
        collected.append(item)
    return collected


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {
        "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
        "object": _json_term(term.object)}}


def write_json(names: list[str], rows: list) -> bytes:
    bindings = [
        {n: _json_term(row[n]) for n in names if row[n] is not None} for row in rows
    ]
    body = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        check_xml_chars(term)
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def write_xml(names: list[str], rows: list) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>"
                for n in names if row[n] is not None]
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out).encode("utf-8")


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def write_csv(names: list[str], rows: list) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_value(row[n]) for n in names])
    return buffer.getvalue().encode("utf-8")


def write_tsv(names: list[str], rows: list) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in rows:
        lines.append("\t".join("" if row[n] is None else str(row[n]) for n in names))
    return ("\n".join(lines) + "\n").encode("utf-8")


SOLUTION_WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}
