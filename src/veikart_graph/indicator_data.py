"""Indicators and their observations (RDF Data Cube, docs/model.md) as plain data. No Flask here.

An observation has a reference year (or none, when the source gives none), a value kind
(measured, baseline, target), a decimal value, a unit and optionally a qualifier (``>``, ``>=``,
``ca.``), a breakdown and sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from .namespaces import VK
from .store import KnowledgeGraph
from .view_values import DCT, RDFS, Details, Ref, Text, catalog, details, pick, properties, year_of

SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"


@dataclass
class Observation:
    iri: str
    year: int | None
    kind: Ref | None
    value: Decimal
    qualifier: str | None
    breakdown: Text | None
    unit: Ref | None
    comment: Text | None
    sources: list[str]

    @property
    def kind_key(self) -> str:
        return self.kind.key if self.kind else "malt"


@dataclass
class IndicatorSummary:
    ref: Ref
    official: bool | None
    measures: list[Ref]
    observations: int


@dataclass
class IndicatorPage:
    details: Details
    official: bool | None
    measures: list[Ref]
    observations: list[Observation]
    units: list[Ref]


def indicators(graph: KnowledgeGraph, lang: str) -> list[IndicatorSummary]:
    rows = graph.select("""
        SELECT ?i ?official ?m (COUNT(DISTINCT ?obs) AS ?n) WHERE {
          ?i a vk:Indicator . OPTIONAL { ?i vk:officialIndicator ?official }
          OPTIONAL { ?i vk:measures ?m } OPTIONAL { ?obs vk:indicator ?i }
        } GROUP BY ?i ?official ?m""")
    cat = catalog(graph)
    found: dict[str, IndicatorSummary] = {}
    for row in rows:
        iri = row["i"].value
        official = row["official"].value == "true" if "official" in row else None
        summary = found.setdefault(iri, IndicatorSummary(cat.ref(iri, lang), official, [], int(row["n"].value)))
        if "m" in row:
            summary.measures.append(cat.ref(row["m"].value, lang))
    return sorted(found.values(), key=lambda s: s.ref.label.value.casefold())


def indicator_page(graph: KnowledgeGraph, indicator: str, lang: str) -> IndicatorPage:
    """An indicator, what it measures, and its observations (measured, baseline, target)."""
    props = properties(graph, indicator)
    cat = catalog(graph)
    official = props.get(str(VK.officialIndicator), [])
    observations = observations_of(graph, indicator, lang)
    units = {o.unit.iri: o.unit for o in observations if o.unit}
    return IndicatorPage(
        details=details(graph, indicator, lang),
        official=official[0].value == "true" if official else None,
        measures=sorted((cat.ref(o.value, lang) for o in props.get(str(VK.measures), [])),
                        key=lambda r: (r.notation or "", r.label.value)),
        observations=observations,
        units=list(units.values()),
    )


def observations_of(graph: KnowledgeGraph, indicator: str, lang: str) -> list[Observation]:
    rows = graph.select("SELECT DISTINCT ?obs ?p ?o WHERE { ?obs vk:indicator ?ind ; ?p ?o }",
                        ind=ox.NamedNode(indicator))
    raw: dict[str, dict[str, list]] = {}
    for row in rows:
        raw.setdefault(row["obs"].value, {}).setdefault(row["p"].value, []).append(row["o"])
    cat = catalog(graph)
    found = []
    for iri, props in raw.items():
        value = _decimal(props.get(SDMX_MEASURE + "obsValue", []))
        if value is None:
            continue
        kind = props.get(str(VK.valueKind), [])
        unit = props.get(SDMX_ATTRIBUTE + "unitMeasure", [])
        qualifier = props.get(str(VK.valueQualifier), [])
        year = props.get(str(VK.refYear), [])
        found.append(Observation(
            iri=iri, year=year_of(year[0].value) if year else None,
            kind=cat.ref(kind[0].value, lang) if kind else None, value=value,
            qualifier=qualifier[0].value if qualifier else None,
            breakdown=pick(props.get(str(VK.breakdown), []), lang),
            unit=cat.ref(unit[0].value, lang) if unit else None,
            comment=pick(props.get(RDFS + "comment", []), lang),
            sources=sorted(o.value for o in props.get(DCT + "source", [])),
        ))
    return sorted(found, key=lambda o: (o.year is None, o.year or 0, o.kind_key,
                                        o.breakdown.value if o.breakdown else ""))


def _decimal(terms: list) -> Decimal | None:
    try:
        return Decimal(terms[0].value) if terms else None
    except InvalidOperation:
        return None
