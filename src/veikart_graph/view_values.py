"""Values the roadmap views show: text with its language, links to entities, the facts of one entity.

``Text`` keeps a literal's language tag so a page can mark values that are not in its own
language (English paraphrases on a bokmål page get ``lang="en"``). ``Catalog`` holds every
label, notation and uncertainty flag of a snapshot, read once. No Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .cache import per_graph
from .namespaces import BASE, VK, VKID
from .store import KnowledgeGraph

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,159}$")  # group keys are slugs of long names
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"

# Which class an IRI under each type segment must have to be shown by a view.
SEGMENT_CLASSES = {
    "mal": VK.Goal, "delmal": VK.SubGoal, "organisasjon": VK.Organisation,
    "brukergruppe": VK.UserGroup, "fase": VK.Phase, "indikator": VK.Indicator,
    "gruppe": VK.ActivityGroup, "planleggingsstatus": VK.PlanningStatus,
}


@dataclass(frozen=True)
class Text:
    """A literal's text and language tag (None for plain literals)."""

    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Ref:
    """A link to an entity: its IRI, a label in the page's language if there is one."""

    iri: str
    label: Text
    notation: str | None = None
    uncertain: bool = False

    @property
    def href(self) -> str:
        """The entity's path on this site (``/id/…``, which redirects to its page)."""
        return "/" + self.iri[len(BASE):] if self.iri.startswith(BASE) else self.iri

    @property
    def key(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


def pick(literals: Iterable[ox.Literal], lang: str) -> Text | None:
    """The literal in ``lang``, else bokmål, else English, else untagged, else any."""
    found = pick_all(literals, lang)
    return found[0] if found else None


def pick_all(literals: Iterable[ox.Literal], lang: str) -> list[Text]:
    """All literals in the best available language (same order of preference as ``pick``)."""
    by_lang: dict[str, list[Text]] = {}
    for literal in literals:
        tag = literal.language or ""
        by_lang.setdefault(tag, []).append(Text(literal.value, literal.language))
    for tag in (lang, "nb", "en", ""):
        if tag in by_lang:
            return sorted(set(by_lang[tag]), key=lambda t: t.value)
    return next(iter(by_lang.values()), [])


def year_of(value: str | None) -> int | None:
    """The year of an ``xsd:gYear``/``gYearMonth``/``date`` lexical value."""
    if value and re.match(r"^\d{4}", value):
        return int(value[:4])
    return None


def iri_of(segment: str, key: str) -> str:
    return f"{VKID}{segment}/{key}"


def valid_key(key: str) -> bool:
    return bool(KEY_PATTERN.fullmatch(key))


def exists_as(graph: KnowledgeGraph, segment: str, key: str) -> bool:
    """True if ``vkid:{segment}/{key}`` is an entity of the class that segment stands for."""
    return valid_key(key) and graph.ask(
        "ASK { ?s a ?cls }", s=ox.NamedNode(iri_of(segment, key)),
        cls=ox.NamedNode(str(SEGMENT_CLASSES[segment])))


# ------------------------------------------------------------------------------------ catalogue

@dataclass
class Catalog:
    """Labels, notations and uncertainty flags of every subject, read once per snapshot."""

    labels: dict[str, list[ox.Literal]]
    fallback_labels: dict[str, list[ox.Literal]]
    notations: dict[str, str]
    uncertain: set[str]

    def ref(self, iri: str, lang: str) -> Ref:
        label = pick(self.labels.get(iri) or self.fallback_labels.get(iri, []), lang)
        return Ref(iri, label or Text(iri.rsplit("/", 1)[-1]), self.notations.get(iri),
                   iri in self.uncertain)


@per_graph
def catalog(graph: KnowledgeGraph) -> Catalog:
    """The graph's catalogue (cached: a snapshot never changes)."""
    labels: dict[str, list[ox.Literal]] = {}
    fallback: dict[str, list[ox.Literal]] = {}
    rows = graph.select("SELECT ?s ?p ?l WHERE { VALUES ?p { skos:prefLabel rdfs:label foaf:name } "
                        "?s ?p ?l FILTER(isLiteral(?l)) }")
    for row in rows:
        target = labels if row["p"].value == SKOS + "prefLabel" else fallback
        target.setdefault(row["s"].value, []).append(row["l"])
    notations = {r["s"].value: r["n"].value for r in graph.select("SELECT ?s ?n { ?s skos:notation ?n }")}
    uncertain = {r["s"].value for r in graph.select("SELECT ?s { ?s vk:uncertain true }")}
    return Catalog(labels, fallback, notations, uncertain)


def properties(graph: KnowledgeGraph, iri: str) -> dict[str, list[ox.NamedNode | ox.Literal]]:
    """Every predicate → objects of one subject (for the facts of a single page)."""
    found: dict[str, list] = {}
    for row in graph.select("SELECT DISTINCT ?p ?o WHERE { ?s ?p ?o }", s=ox.NamedNode(iri)):
        found.setdefault(row["p"].value, []).append(row["o"])
    return found


@dataclass
class Details:
    """The facts every view shows about its main entity: text, caveats and sources."""

    ref: Ref
    descriptions: list[Text]
    definition: Text | None
    uncertainty_note: Text | None
    notes: list[Text]
    truncated: bool
    sources: list[str]


def details(graph: KnowledgeGraph, iri: str, lang: str) -> Details:
    props = properties(graph, iri)

    def literals(name: str) -> list[ox.Literal]:
        return [o for o in props.get(name, []) if isinstance(o, ox.Literal)]

    return Details(
        ref=catalog(graph).ref(iri, lang),
        descriptions=pick_all(literals(DCT + "description"), lang),
        definition=pick(literals(SKOS + "definition"), lang),
        uncertainty_note=pick(literals(str(VK.uncertaintyNote)), lang),
        notes=pick_all(literals(SKOS + "note"), lang),
        truncated=any(o.value == "true" for o in literals(str(VK.truncatedInSource))),
        sources=sorted(o.value for o in props.get(DCT + "source", []) if isinstance(o, ox.NamedNode)),
    )
