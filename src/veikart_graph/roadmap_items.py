"""The roadmap's items and phases as plain data, read from the graph in a handful of queries.

Roadmap items are the activities (``vk:Activity``) and the portfolio measures
(``vk:PortfolioMeasure``). ``load_items`` reads all of them with their phase, owners (also from
qualified ownerships with the role "eier"), user groups, contributions, span and milestones in
five queries; each view then filters that list. Phases carry the colour from the data and a text
colour readable on it. No Flask here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .cache import per_graph
from .charts import text_colour_on
from .namespaces import VK
from .store import KnowledgeGraph
from .view_values import DCT, Ref, Text, catalog, iri_of, pick, pick_all, year_of

COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
NO_PHASE_COLOUR = "#e9ecef"
ITEM_KINDS = {str(VK.Activity): "activity", str(VK.PortfolioMeasure): "measure"}


@dataclass(frozen=True)
class Phase:
    """A phase of the roadmap's value chain, with its UI colour and a readable text colour."""

    ref: Ref
    position: int
    colour: str
    definition: Text | None

    @property
    def key(self) -> str:
        return self.ref.key

    @property
    def css_class(self) -> str:
        return f"phase-{self.key}"

    @property
    def text_colour(self) -> str:
        return text_colour_on(self.colour)


def load_phases(graph: KnowledgeGraph, lang: str) -> list[Phase]:
    """The phases (``vk:Phase``) in their order (``schema:position``)."""
    rows = graph.select("""
        SELECT ?p ?pos ?colour ?def WHERE {
          ?p a vk:Phase . OPTIONAL { ?p schema:position ?pos }
          OPTIONAL { ?p schema:color ?colour } OPTIONAL { ?p skos:definition ?def }
        }""")
    grouped: dict[str, dict] = {}
    for row in rows:
        entry = grouped.setdefault(row["p"].value, {"defs": []})
        entry["pos"] = int(row["pos"].value) if "pos" in row else 99
        colour = row["colour"].value if "colour" in row else ""
        entry["colour"] = colour if COLOUR_PATTERN.match(colour) else NO_PHASE_COLOUR
        if "def" in row:
            entry["defs"].append(row["def"])
    cat = catalog(graph)
    phases = [Phase(cat.ref(iri, lang), e["pos"], e["colour"], pick(e["defs"], lang))
              for iri, e in grouped.items()]
    return sorted(phases, key=lambda p: (p.position, p.key))


def phase_stylesheet(graph: KnowledgeGraph) -> str:
    """CSS classes ``.phase-<key>`` with each phase's colour and a text colour ≥ 4.5:1 on it."""
    lines = ["/* Generated from the phases' schema:color in the graph (veikart_graph.views_data). */"]
    for phase in load_phases(graph, "nb"):
        lines.append(f".{phase.css_class} {{ background-color: {phase.colour}; color: {phase.text_colour}; "
                     f"border-color: {phase.colour}; }}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ items

@dataclass
class Milestone:
    """A dated (or undated) statement about an item, as precise as its source."""

    iri: str
    when: str | None
    text: Text | None
    uncertain: bool
    sources: list[str]

    @property
    def year(self) -> int | None:
        return year_of(self.when)


@dataclass(frozen=True)
class Ownership:
    org: Ref
    uncertain: bool


@dataclass
class Item:
    """An activity or portfolio measure with everything the roadmap views show about it."""

    ref: Ref
    kind: str
    description: Text | None = None
    phase: Phase | None = None
    owners: list[Ownership] = field(default_factory=list)
    user_groups: list[Ref] = field(default_factory=list)
    contributes_to: list[Ref] = field(default_factory=list)
    goals: set[str] = field(default_factory=set)
    start: int | None = None
    end: int | None = None
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def span_years(self) -> list[int]:
        first = self.start if self.start is not None else self.end
        last = self.end if self.end is not None else self.start
        return list(range(first, last + 1)) if first is not None and last is not None else []

    @property
    def years(self) -> list[int]:
        """Every year the item has something in: its span and its dated milestones."""
        return sorted({*self.span_years, *(m.year for m in self.milestones if m.year is not None)})

    def owned_by(self, iri: str) -> bool:
        return any(o.org.iri == iri for o in self.owners)

    def for_group(self, iri: str) -> bool:
        return any(g.iri == iri for g in self.user_groups)

    def contributes(self, iri: str) -> bool:
        return any(t.iri == iri for t in self.contributes_to)


ITEMS_QUERY = """
SELECT DISTINCT ?item ?kind ?phase ?start ?end ?desc WHERE {
  VALUES ?kind { vk:Activity vk:PortfolioMeasure }
  ?item a ?kind .
  OPTIONAL { ?item vk:phase ?phase . ?phase a vk:Phase }
  OPTIONAL { ?item vk:startYear ?start } OPTIONAL { ?item vk:endYear ?end }
  OPTIONAL { ?item dct:description ?desc }
}"""
OWNERS_QUERY = """
SELECT DISTINCT ?item ?org ?unsure WHERE {
  { ?item vk:owner ?org }
  UNION
  { ?item vk:qualifiedOwnership ?q . ?q prov:agent ?org ; dcat:hadRole <https://w3id.org/veikart/id/rolle/eier> .
    OPTIONAL { ?q vk:uncertain ?unsure } }
  ?org a vk:Organisation .
}"""
LINKS_QUERY = """
SELECT DISTINCT ?item ?rel ?target WHERE {
  VALUES ?rel { vk:userGroup vk:contributesTo vk:contributesToTransitive }
  ?item ?rel ?target .
  VALUES ?kind { vk:Activity vk:PortfolioMeasure } ?item a ?kind .
}"""
MILESTONES_QUERY = """
SELECT DISTINCT ?item ?m ?p ?o WHERE {
  VALUES ?p { vk:when dct:description vk:uncertain dct:source }
  ?item vk:milestone ?m . ?m ?p ?o .
}"""


def load_items(graph: KnowledgeGraph, lang: str) -> list[Item]:
    """All roadmap items, sorted by label."""
    cat = catalog(graph)
    phases = {p.ref.iri: p for p in load_phases(graph, lang)}
    items: dict[str, Item] = {}
    descriptions: dict[str, list[ox.Literal]] = {}
    for row in graph.select(ITEMS_QUERY):
        iri = row["item"].value
        item = items.setdefault(iri, Item(cat.ref(iri, lang), ITEM_KINDS[row["kind"].value]))
        item.phase = phases.get(row["phase"].value) if "phase" in row else item.phase
        item.start = year_of(row["start"].value) if "start" in row else item.start
        item.end = year_of(row["end"].value) if "end" in row else item.end
        if "desc" in row:
            descriptions.setdefault(iri, []).append(row["desc"])
    for iri, literals in descriptions.items():
        items[iri].description = pick(literals, lang)
    _add_owners(graph, items, lang)
    _add_links(graph, items, lang)
    _add_milestones(graph, items, lang)
    return sorted(items.values(), key=lambda i: i.ref.label.value.casefold())


def _add_owners(graph: KnowledgeGraph, items: dict[str, Item], lang: str) -> None:
    unsure: dict[tuple[str, str], bool] = {}
    for row in graph.select(OWNERS_QUERY):
        pair = (row["item"].value, row["org"].value)
        unsure[pair] = unsure.get(pair, False) or row.get("unsure", ox.Literal("false")).value == "true"
    cat = catalog(graph)
    for (item, org), uncertain in sorted(unsure.items()):
        if item in items:
            items[item].owners.append(Ownership(cat.ref(org, lang), uncertain))


def _add_links(graph: KnowledgeGraph, items: dict[str, Item], lang: str) -> None:
    cat = catalog(graph)
    for row in graph.select(LINKS_QUERY):
        item, rel, target = items.get(row["item"].value), row["rel"].value, row["target"].value
        if item is None:
            continue
        if rel == str(VK.userGroup):
            item.user_groups.append(cat.ref(target, lang))
        elif rel == str(VK.contributesTo):
            item.contributes_to.append(cat.ref(target, lang))
        elif target.startswith(iri_of("mal", "")):
            item.goals.add(target)
    for item in items.values():
        item.user_groups.sort(key=lambda r: r.label.value)
        item.contributes_to.sort(key=lambda r: (r.notation or "", r.label.value))


def _add_milestones(graph: KnowledgeGraph, items: dict[str, Item], lang: str) -> None:
    raw: dict[tuple[str, str], dict[str, list]] = {}
    for row in graph.select(MILESTONES_QUERY):
        key = (row["item"].value, row["m"].value)
        raw.setdefault(key, {}).setdefault(row["p"].value, []).append(row["o"])
    for (item, iri), props in sorted(raw.items()):
        if item not in items:
            continue
        when = props.get(str(VK.when), [None])[0]
        items[item].milestones.append(Milestone(
            iri=iri,
            when=when.value if when is not None else None,
            text=pick(props.get(DCT + "description", []), lang),
            uncertain=any(o.value == "true" for o in props.get(str(VK.uncertain), [])),
            sources=sorted(o.value for o in props.get(DCT + "source", [])),
        ))
    for item in items.values():
        item.milestones.sort(key=lambda m: (m.when is None, m.when or "", m.iri))


@dataclass
class PhaseGroup:
    """Items sharing a phase; ``phase`` None means the source does not state one."""

    phase: Phase | None
    items: list[Item]


def group_by_phase(items: list[Item]) -> list[PhaseGroup]:
    """Items grouped by phase in phase order; items without a phase last."""
    groups: dict[str | None, PhaseGroup] = {}
    for item in items:
        key = item.phase.ref.iri if item.phase else None
        groups.setdefault(key, PhaseGroup(item.phase, [])).items.append(item)
    return sorted(groups.values(), key=lambda g: (g.phase is None, g.phase.position if g.phase else 0))


# ------------------------------------------------------------------------------------ deliveries

TENTATIVE = "https://w3id.org/veikart/id/planleggingsstatus/tentativ"


@dataclass
class Segment:
    """One row of the delivery list (a ``vk:Delivery``): a phase segment of its line.

    ``phases`` are the phase concepts its ``phaseText`` names (several for a span such as
    "Utvikling - tilpasning - innføring", none when the list leaves the cell empty).
    """

    ref: Ref
    identifier: str
    row: int
    phase_text: Text | None = None
    phases: list[Phase] = field(default_factory=list)
    start: str | None = None  # xsd:date lexical form, exactly as in the graph
    end: str | None = None
    status: Ref | None = None
    description: Text | None = None
    notes: list[Text] = field(default_factory=list)
    group: str = ""  # IRI of its activity group
    subgoal: str = ""  # IRI of the sub-goal it contributes to

    @property
    def tentative(self) -> bool:
        return self.status is not None and self.status.iri == TENTATIVE

    @property
    def end_before_start(self) -> bool:
        return self.start is not None and self.end is not None and self.end < self.start

    @property
    def css_class(self) -> str:
        return self.phases[0].css_class if len(self.phases) == 1 else "phase-none"


@dataclass
class Line:
    """One line of the timeline: the rows with the same name in the same group, by start date."""

    name: Text
    group: Ref
    subgoal: Ref
    segments: list[Segment]

    @property
    def key(self) -> str:
        return self.segments[0].identifier


DELIVERIES_QUERY = """
SELECT ?d ?id ?row ?name ?text ?start ?end ?status ?group ?sg WHERE {
  ?d a vk:Delivery ; dct:identifier ?id ; skos:prefLabel ?name ; vk:activityGroup ?group ; vk:contributesTo ?sg .
  OPTIONAL { ?d vk:rowNumber ?row } OPTIONAL { ?d vk:phaseText ?text }
  OPTIONAL { ?d vk:startDate ?start } OPTIONAL { ?d vk:endDate ?end } OPTIONAL { ?d vk:planningStatus ?status }
}"""
DELIVERY_EXTRAS_QUERY = """
SELECT ?d ?p ?o WHERE {
  VALUES ?p { vk:phase vk:dataQualityNote dct:description }
  ?d a vk:Delivery ; ?p ?o .
}"""


@per_graph
def _delivery_rows(graph: KnowledgeGraph) -> tuple[list, list]:
    """The two queries' rows, read once per snapshot (a snapshot never changes)."""
    return graph.select(DELIVERIES_QUERY), graph.select(DELIVERY_EXTRAS_QUERY)


def load_deliveries(graph: KnowledgeGraph, lang: str) -> list[Segment]:
    """Every delivery of the list with its phase(s), dates, status and notes (two queries, cached
    per snapshot; the objects are built per call and language)."""
    cat = catalog(graph)
    phases = {p.ref.iri: p for p in load_phases(graph, lang)}
    found: dict[str, Segment] = {}
    rows, extras = _delivery_rows(graph)
    for row in rows:
        iri = row["d"].value
        if iri in found:  # a second value of a single-valued property: keep the first, SHACL reports it
            continue
        found[iri] = Segment(
            ref=Ref(iri, Text(row["name"].value, row["name"].language), None, False),
            identifier=row["id"].value, row=int(row["row"].value) if "row" in row else 0,
            phase_text=Text(row["text"].value, row["text"].language) if "text" in row else None,
            start=row["start"].value if "start" in row else None, end=row["end"].value if "end" in row else None,
            status=cat.ref(row["status"].value, lang) if "status" in row else None,
            group=row["group"].value, subgoal=row["sg"].value)
    notes: dict[str, list[ox.Literal]] = {}
    descriptions: dict[str, list[ox.Literal]] = {}
    for row in extras:
        segment, pred, obj = found.get(row["d"].value), row["p"].value, row["o"]
        if segment is None:
            continue
        if pred == str(VK.phase) and obj.value in phases:
            segment.phases.append(phases[obj.value])
        elif pred == str(VK.dataQualityNote):
            notes.setdefault(segment.ref.iri, []).append(obj)
        elif pred == DCT + "description":
            descriptions.setdefault(segment.ref.iri, []).append(obj)
    for iri, segment in found.items():
        segment.phases.sort(key=lambda p: p.position)
        segment.notes = pick_all(notes.get(iri, []), lang)  # nb/en pairs: the page's language
        segment.description = pick(descriptions.get(iri, []), lang)
    return sorted(found.values(), key=lambda s: s.row)


def lines_of(graph: KnowledgeGraph, segments: list[Segment], lang: str) -> list[Line]:
    """Rows with the same name in the same group form one line (rows of different groups never do),
    in the order of the list's first row of each line; a line's segments by start date."""
    cat = catalog(graph)
    by_key: dict[tuple[str, str], Line] = {}
    for segment in segments:
        key = (segment.group, segment.ref.label.value)
        if key not in by_key:
            by_key[key] = Line(segment.ref.label, cat.ref(segment.group, lang), cat.ref(segment.subgoal, lang), [])
        by_key[key].segments.append(segment)
    for line in by_key.values():
        line.segments.sort(key=lambda s: (s.start is None, s.start or "", s.row))
    return list(by_key.values())
