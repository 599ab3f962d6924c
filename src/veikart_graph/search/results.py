"""What a search answers: documents, hits, facet counts, and the ``/search.json`` body.

The JSON shape (also written by ``veikart-graph search --format json``)::

    {"query", "lang", "filters": {facet: [values]}, "total", "offset", "limit",
     "results": [{"rank", "iri", "url", "type": {"key", "label"}, "label", "label_html",
                  "notation", "snippet", "belongs_to": [{"iri", "url", "type", "notation", "label"}],
                  "score", "exact"}],
     "facets": {facet: [{"value", "label", "notation", "iri", "count", "selected"}]},
     "corrections": {word: [words searched instead]}, "suggestions": [words]}

(the time taken is in the ``X-Search-Time`` header, so the body is a function of the snapshot and
the request, and its ETag validates)

``snippet`` and ``label_html`` are HTML: escaped text with matches in ``<mark>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from ..namespaces import BASE
from .facets import SearchRequest


@dataclass(frozen=True)
class DocInfo:
    id: int
    iri: str
    type: str
    labels: dict[str, str]
    notation: str
    belongs_to: tuple[str, ...]

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("nb") or self.iri


@dataclass(frozen=True)
class FacetValue:
    facet: str
    value: str
    iri: str
    notation: str
    labels: dict[str, str]
    position: int


@dataclass(frozen=True)
class FacetCount:
    value: FacetValue
    count: int
    selected: bool


@dataclass
class Hit:
    doc: DocInfo
    score: float
    exact: bool
    snippet: str = ""  # HTML: escaped text, matches in <mark>
    label_html: str = ""  # HTML: the label in the request's language, matches in <mark>
    belongs_to: list[DocInfo] = field(default_factory=list)  # its goals and sub-goals


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    corrections: dict[str, list[str]]
    suggestions: list[str]
    elapsed: float
    searched: bool = True  # False when q has no words (empty, or only punctuation): everything is listed

    def to_dict(self, labels: dict[str, str] | None = None) -> dict:
        """The ``/search.json`` body (``labels``: type key → label in the request's language)."""
        lang = self.request.lang
        labels = labels or {}
        return {
            "query": self.request.q,
            "lang": lang,
            "filters": {k: list(v) for k, v in self.request.filters.items()},
            "total": self.total,
            "offset": self.request.offset,
            "limit": self.request.limit,
            "results": [_hit_dict(hit, self.request.offset + i + 1, lang, labels)
                        for i, hit in enumerate(self.hits)],
            "facets": {facet: [_facet_dict(c, lang) for c in counts]
                       for facet, counts in self.facets.items()},
            "corrections": self.corrections,
            "suggestions": self.suggestions,
        }


def page_path(iri: str) -> str:
    """Where the page of ``iri`` is served on this site ("/id/…")."""
    base = BASE.rstrip("/")
    return iri[len(base):] if iri.startswith(base) else iri


def _hit_dict(hit: Hit, rank: int, lang: str, labels: dict[str, str]) -> dict:
    return {
        "rank": rank,
        "iri": hit.doc.iri,
        "url": page_path(hit.doc.iri),
        "type": {"key": hit.doc.type, "label": labels.get(hit.doc.type, hit.doc.type)},
        "label": hit.doc.label(lang),
        "label_html": hit.label_html or escape(hit.doc.label(lang)),
        "notation": hit.doc.notation or None,
        "snippet": hit.snippet,
        "belongs_to": [{"iri": d.iri, "url": page_path(d.iri), "type": d.type, "notation": d.notation or None,
                        "label": d.label(lang)} for d in hit.belongs_to],
        "score": hit.score,
        "exact": hit.exact,
    }


def _facet_dict(count: FacetCount, lang: str) -> dict:
    value = count.value
    return {"value": value.value, "label": value.labels.get(lang) or value.labels.get("nb") or value.value,
            "notation": value.notation or None, "iri": value.iri or None, "count": count.count,
            "selected": count.selected}


def doc_info(row: tuple) -> DocInfo:
    doc_id, iri, type_, label_nb, label_en, notation, belongs = row
    return DocInfo(doc_id, iri, type_, {"nb": label_nb, "en": label_en}, notation or "",
                   tuple(json.loads(belongs or "[]")))
