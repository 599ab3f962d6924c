"""The data behind each roadmap view: SPARQL over the graph → plain dataclasses (no Flask).

Every list on the roadmap pages comes from a query here or in ``roadmap_items``; nothing is kept
by hand. Values are bound with the store's trailing ``VALUES`` clause, never spliced into query
text. This module is the views' one import: it re-exports what the web layer and tests use from
``view_values``, ``roadmap_items`` and ``indicator_data``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .charts import year_axis
from .indicator_data import IndicatorPage, IndicatorSummary, Observation, indicator_page, indicators
from .namespaces import BRREG, VK, VKID
from .roadmap_items import (
    Item,
    Milestone,
    Ownership,
    Phase,
    PhaseGroup,
    group_by_phase,
    load_items,
    load_phases,
    phase_stylesheet,
)
from .store import KnowledgeGraph
from .view_values import (
    RDFS,
    SCHEMA,
    Details,
    Ref,
    Text,
    catalog,
    details,
    exists_as,
    iri_of,
    pick,
    pick_all,
    properties,
    valid_key,
    year_of,
)

__all__ = [
    "VKID", "Details", "IndicatorPage", "IndicatorSummary", "Item", "Milestone", "Observation", "Ownership",
    "Phase", "PhaseGroup", "Ref", "Text", "exists_as", "group_by_phase", "indicator_page", "indicators",
    "iri_of", "load_items", "load_phases", "phase_stylesheet", "pick", "valid_key", "year_of",
]

STRATEGY_PERIOD = (2023, 2030)


# ------------------------------------------------------------------------------------ home

@dataclass
class GoalSummary:
    ref: Ref
    subgoals: int = 0
    activities: int = 0
    measures: int = 0
    indicators: int = 0


@dataclass
class Home:
    strategy: Ref
    vision: Text | None
    period: str | None
    goals: list[GoalSummary]


COUNT_QUERIES = {
    "subgoals": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:SubGoal ; vk:subGoalOf ?goal } GROUP BY ?goal",
    "activities": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:Activity ; vk:contributesToTransitive ?goal } "
                  "GROUP BY ?goal",
    "measures": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:PortfolioMeasure ; "
                "vk:contributesToTransitive ?goal } GROUP BY ?goal",
    "indicators": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:Indicator . ?goal a vk:Goal . "
                  "{ ?x vk:measures ?goal } UNION { ?x vk:measures ?m . ?m vk:contributesToTransitive ?goal } } "
                  "GROUP BY ?goal",
}


def goal_order(ref: Ref) -> tuple[int, str]:
    notation = ref.notation or ""
    return (int(notation), "") if notation.isdigit() else (999, notation or ref.label.value)


def home(graph: KnowledgeGraph, lang: str) -> Home:
    """The strategy, its vision and period, and its goals with what belongs to each."""
    rows = graph.select("""
        SELECT ?s ?goal ?vision ?period WHERE {
          ?s a vk:Strategy . OPTIONAL { ?s vk:hasGoal ?goal } OPTIONAL { ?s vk:vision ?vision }
          OPTIONAL { ?s dct:temporal/rdfs:label ?period }
        } ORDER BY ?s""")
    if not rows:
        raise LookupError("the graph has no vk:Strategy")
    cat = catalog(graph)
    strategy = rows[0]["s"].value
    mine = [r for r in rows if r["s"].value == strategy]
    goals = {r["goal"].value: GoalSummary(cat.ref(r["goal"].value, lang)) for r in mine if "goal" in r}
    for attribute, query in COUNT_QUERIES.items():
        for row in graph.select(query):
            if row["goal"].value in goals:
                setattr(goals[row["goal"].value], attribute, int(row["n"].value))
    period = next((r["period"].value for r in mine if "period" in r), None)
    return Home(cat.ref(strategy, lang), pick([r["vision"] for r in mine if "vision" in r], lang), period,
                sorted(goals.values(), key=lambda g: goal_order(g.ref)))


# ------------------------------------------------------------------------------------ goal, sub-goal

@dataclass
class SubGoalSection:
    ref: Ref
    phase_groups: list[PhaseGroup]


@dataclass
class GoalPage:
    details: Details
    ambitions: list[Text]
    subgoals: list[SubGoalSection]
    direct_items: list[PhaseGroup]
    measures: list[Item]
    indicators: list[Ref]
    related_initiatives: list[Ref]


def subgoals_of(graph: KnowledgeGraph, goal: str, lang: str) -> list[Ref]:
    rows = graph.select("SELECT ?sg ?order WHERE { ?sg a vk:SubGoal ; vk:subGoalOf ?goal . "
                        "OPTIONAL { ?sg vk:orderIndex ?order } }", goal=ox.NamedNode(goal))
    order = {r["sg"].value: int(r["order"].value) if "order" in r else 99 for r in rows}
    cat = catalog(graph)
    refs = [cat.ref(iri, lang) for iri in order]
    return sorted(refs, key=lambda r: (order[r.iri], r.notation or "", r.label.value))


def indicators_of(graph: KnowledgeGraph, target: str, lang: str) -> list[Ref]:
    """Indicators measuring ``target`` or anything contributing to it (a benefit statement)."""
    rows = graph.select("""
        SELECT DISTINCT ?ind WHERE {
          ?ind a vk:Indicator ; vk:measures ?m .
          { ?ind vk:measures ?target } UNION { ?m vk:contributesToTransitive ?target }
        }""", target=ox.NamedNode(target))
    cat = catalog(graph)
    return sorted((cat.ref(r["ind"].value, lang) for r in rows), key=lambda r: r.label.value)


def goal_page(graph: KnowledgeGraph, goal: str, lang: str) -> GoalPage:
    """A goal with its sub-goals, each sub-goal's items by phase, measures and indicators."""
    items = load_items(graph, lang)
    activities = [i for i in items if i.kind == "activity"]
    sections = [SubGoalSection(sg, group_by_phase([i for i in activities if i.contributes(sg.iri)]))
                for sg in subgoals_of(graph, goal, lang)]
    ambitions = [r["a"] for r in graph.select("SELECT ?a { ?g vk:ambition ?a }", g=ox.NamedNode(goal))]
    initiatives = graph.select("SELECT ?i { ?i vk:possibleGoal ?g }", g=ox.NamedNode(goal))
    cat = catalog(graph)
    return GoalPage(
        details=details(graph, goal, lang),
        ambitions=pick_all(ambitions, lang),
        subgoals=sections,
        direct_items=group_by_phase([i for i in activities if i.contributes(goal)]),
        measures=[i for i in items if i.kind == "measure" and goal in i.goals],
        indicators=indicators_of(graph, goal, lang),
        related_initiatives=sorted((cat.ref(r["i"].value, lang) for r in initiatives), key=lambda r: r.label.value),
    )


@dataclass
class Benefit:
    ref: Ref
    descriptions: list[Text]
    uncertainty_note: Text | None


@dataclass
class SubGoalPage:
    details: Details
    goal: Ref | None
    benefits: list[Benefit]
    indicators: list[Ref]
    phase_groups: list[PhaseGroup]


def subgoal_page(graph: KnowledgeGraph, subgoal: str, lang: str) -> SubGoalPage:
    """A sub-goal with its goal, benefit statements, indicators and activities by phase."""
    goal_rows = graph.select("SELECT ?g { ?sg vk:subGoalOf ?g }", sg=ox.NamedNode(subgoal))
    benefit_rows = graph.select("SELECT ?b { ?b vk:benefitStatementOf ?sg }", sg=ox.NamedNode(subgoal))
    benefits = []
    for iri in sorted(r["b"].value for r in benefit_rows):
        d = details(graph, iri, lang)
        benefits.append(Benefit(d.ref, d.descriptions, d.uncertainty_note))
    items = [i for i in load_items(graph, lang) if i.contributes(subgoal)]
    return SubGoalPage(
        details=details(graph, subgoal, lang),
        goal=catalog(graph).ref(goal_rows[0]["g"].value, lang) if goal_rows else None,
        benefits=sorted(benefits, key=lambda b: (b.ref.notation or "", b.ref.iri)),  # keys keep source order
        indicators=indicators_of(graph, subgoal, lang),
        phase_groups=group_by_phase(items),
    )


# ------------------------------------------------------------------------------------ owners

@dataclass
class OwnerSummary:
    ref: Ref
    activities: int = 0
    measures: int = 0
    projects: int = 0

    @property
    def total(self) -> int:
        return self.activities + self.measures + self.projects


OWNED_COUNTS = """
SELECT ?org ?kind (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?org a vk:Organisation .
  OPTIONAL {
    VALUES ?kind { vk:Activity vk:PortfolioMeasure vk:PortfolioProject }
    ?item a ?kind .
    { ?item vk:owner ?org }
    UNION
    { ?item vk:qualifiedOwnership ?q . ?q prov:agent ?org ; dcat:hadRole <https://w3id.org/veikart/id/rolle/eier> }
  }
} GROUP BY ?org ?kind"""
KIND_FIELDS = {str(VK.Activity): "activities", str(VK.PortfolioMeasure): "measures",
               str(VK.PortfolioProject): "projects"}


def owners(graph: KnowledgeGraph, lang: str) -> list[OwnerSummary]:
    """Every organisation with how many activities, measures and older projects it owns."""
    cat = catalog(graph)
    found: dict[str, OwnerSummary] = {}
    for row in graph.select(OWNED_COUNTS):
        summary = found.setdefault(row["org"].value, OwnerSummary(cat.ref(row["org"].value, lang)))
        if "kind" in row:
            setattr(summary, KIND_FIELDS[row["kind"].value], int(row["n"].value))
    return sorted(found.values(), key=lambda s: (-s.total, s.ref.label.value.casefold()))


@dataclass
class Project:
    ref: Ref
    project_phase: Ref | None
    modified: str | None
    start: int | None
    end: int | None


@dataclass
class OwnerPage:
    details: Details
    organisation_number: str | None
    register_links: list[str]
    merged_into: Ref | None
    activities: list[Item]
    measures: list[Item]
    projects: list[Project]
    mentioned_in: list[Ref]


def owner_page(graph: KnowledgeGraph, org: str, lang: str) -> OwnerPage:
    """An organisation's activities, portfolio measures, older projects and other mentions."""
    props = properties(graph, org)
    cat = catalog(graph)
    items = [i for i in load_items(graph, lang) if i.owned_by(org)]
    merged = props.get(str(VK.mergedInto), [])
    mentions = graph.select("SELECT DISTINCT ?x { ?x vk:relatedOrganisation ?org }", org=ox.NamedNode(org))
    number = props.get(str(VK.organisationNumber), [])
    return OwnerPage(
        details=details(graph, org, lang),
        organisation_number=number[0].value if number else None,
        register_links=sorted(o.value for o in props.get(SCHEMA + "sameAs", []) + props.get(RDFS + "seeAlso", [])
                              if o.value.startswith(BRREG)),
        merged_into=cat.ref(merged[0].value, lang) if merged else None,
        activities=[i for i in items if i.kind == "activity"],
        measures=[i for i in items if i.kind == "measure"],
        projects=projects_of(graph, org, lang),
        mentioned_in=sorted((cat.ref(r["x"].value, lang) for r in mentions), key=lambda r: r.label.value),
    )


def projects_of(graph: KnowledgeGraph, org: str, lang: str) -> list[Project]:
    rows = graph.select("""
        SELECT DISTINCT ?p ?phase ?modified ?start ?end WHERE {
          ?p a vk:PortfolioProject ; vk:owner ?org .
          OPTIONAL { ?p vk:phase ?phase } OPTIONAL { ?p dct:modified ?modified }
          OPTIONAL { ?p vk:startYear ?start } OPTIONAL { ?p vk:endYear ?end }
        }""", org=ox.NamedNode(org))
    cat = catalog(graph)
    projects = [Project(cat.ref(r["p"].value, lang), cat.ref(r["phase"].value, lang) if "phase" in r else None,
                        r["modified"].value if "modified" in r else None,
                        year_of(r["start"].value) if "start" in r else None,
                        year_of(r["end"].value) if "end" in r else None) for r in rows]
    return sorted(projects, key=lambda p: p.ref.label.value.casefold())


# ------------------------------------------------------------------------------------ user groups

@dataclass
class ConceptSummary:
    """A code-list concept (user group, phase) with its definition and how many items use it."""

    ref: Ref
    definition: Text | None
    items: int


def user_groups(graph: KnowledgeGraph, lang: str) -> list[ConceptSummary]:
    rows = graph.select("""
        SELECT ?g (COUNT(DISTINCT ?item) AS ?n) WHERE {
          ?g a vk:UserGroup .
          OPTIONAL { VALUES ?kind { vk:Activity vk:PortfolioMeasure } ?item vk:userGroup ?g ; a ?kind }
        } GROUP BY ?g""")
    summaries = []
    for row in rows:
        d = details(graph, row["g"].value, lang)
        summaries.append(ConceptSummary(d.ref, d.definition, int(row["n"].value)))
    return sorted(summaries, key=lambda s: (-s.items, s.ref.label.value.casefold()))


@dataclass
class YearEntry:
    """What one item has in one year: inside its span, and/or milestones dated that year."""

    item: Item
    in_span: bool
    milestones: list[Milestone]


@dataclass
class YearGroup:
    year: int
    entries: list[YearEntry]


def by_year(items: list[Item]) -> tuple[list[YearGroup], list[Item]]:
    """Items per year (span and dated milestones), and the items with no year at all."""
    years: dict[int, list[YearEntry]] = {}
    undated = []
    for item in items:
        if not item.years:
            undated.append(item)
        for year in item.years:
            marks = [m for m in item.milestones if m.year == year]
            years.setdefault(year, []).append(YearEntry(item, year in item.span_years, marks))
    return [YearGroup(y, years[y]) for y in sorted(years)], undated


@dataclass
class UserGroupPage:
    details: Details
    years: list[YearGroup]
    undated: list[Item]
    items: list[Item]


def user_group_page(graph: KnowledgeGraph, group: str, lang: str) -> UserGroupPage:
    """What is planned for a user group, by year."""
    items = [i for i in load_items(graph, lang) if i.for_group(group)]
    years, undated = by_year(items)
    return UserGroupPage(details(graph, group, lang), years, undated, items)


# ------------------------------------------------------------------------------------ phases

@dataclass
class PhasePage:
    details: Details
    phase: Phase
    items: list[Item]
    items_without_phase: int
    total: int


@dataclass
class PhaseOverview:
    """Every phase with how many items are in it, and how many items have no phase stated."""

    phases: list[tuple[Phase, int]]
    without_phase: int
    total: int


def phase_overview(graph: KnowledgeGraph, lang: str) -> PhaseOverview:
    items = load_items(graph, lang)
    counts = [(p, sum(1 for i in items if i.phase == p)) for p in load_phases(graph, lang)]
    return PhaseOverview(counts, sum(1 for i in items if i.phase is None), len(items))


def phase_page(graph: KnowledgeGraph, phase: str, lang: str) -> PhasePage:
    items = load_items(graph, lang)
    chosen = next(p for p in load_phases(graph, lang) if p.ref.iri == phase)
    return PhasePage(details(graph, phase, lang), chosen, [i for i in items if i.phase == chosen],
                     sum(1 for i in items if i.phase is None), len(items))


# ------------------------------------------------------------------------------------ timeline

@dataclass(frozen=True)
class TimelineFilter:
    """IRIs to filter the timeline by (None: no filter)."""

    goal: str | None = None
    owner: str | None = None
    user_group: str | None = None

    def keeps(self, item: Item) -> bool:
        return ((self.goal is None or self.goal in item.goals)
                and (self.owner is None or item.owned_by(self.owner))
                and (self.user_group is None or item.for_group(self.user_group)))


@dataclass
class FilterOptions:
    goals: list[Ref]
    owners: list[Ref]
    user_groups: list[Ref]


def filter_options(graph: KnowledgeGraph, lang: str) -> FilterOptions:
    """Choices for the timeline's filters: the goals, the owners of items, the user groups."""
    cat = catalog(graph)

    def refs(query: str) -> list[Ref]:
        return [cat.ref(r["x"].value, lang) for r in graph.select(query)]

    goals = refs("SELECT ?x { ?x a vk:Goal }")
    orgs = refs("SELECT DISTINCT ?x { VALUES ?k { vk:Activity vk:PortfolioMeasure } ?i a ?k . "
                "{ ?i vk:owner ?x } UNION { ?i vk:qualifiedOwnership/prov:agent ?x } ?x a vk:Organisation }")
    groups = refs("SELECT ?x { ?x a vk:UserGroup }")
    return FilterOptions(sorted(goals, key=goal_order), sorted(orgs, key=lambda r: r.label.value.casefold()),
                         sorted(groups, key=lambda r: r.label.value.casefold()))


@dataclass
class Timeline:
    axis: list[int]
    dated: list[Item]
    undated: list[Item]
    phases: list[Phase]
    total: int


def timeline(graph: KnowledgeGraph, lang: str, chosen: TimelineFilter | None = None) -> Timeline:
    """Items with years against an axis covering them and the strategy period; the rest apart."""
    chosen = chosen or TimelineFilter()
    items = load_items(graph, lang)
    kept = [i for i in items if chosen.keeps(i)]
    dated = sorted((i for i in kept if i.years), key=lambda i: (i.years[0], i.ref.label.value.casefold()))
    axis = year_axis([y for i in dated for y in i.years], STRATEGY_PERIOD)
    return Timeline(axis, dated, [i for i in kept if not i.years], load_phases(graph, lang), len(items))
