"""The data behind each roadmap view: SPARQL over the graph → plain dataclasses (no Flask).

Every list on the roadmap pages comes from a query here or in ``roadmap_items``; nothing is kept
by hand. Values are bound with the store's trailing ``VALUES`` clause, never spliced into query
text. This module is the views' one import: it re-exports what the web layer and tests use from
``view_values``, ``roadmap_items`` and ``indicator_data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .charts import Bar, grid_stylesheet, segment_bars, year_axis
from .indicator_data import IndicatorPage, IndicatorSummary, Observation, indicator_page, indicators
from .namespaces import BRREG, VK, VKID
from .roadmap_items import (
    Item,
    Milestone,
    Ownership,
    Phase,
    PhaseGroup,
    Segment,
    group_by_phase,
    lines_of,
    load_deliveries,
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
    "Phase", "PhaseGroup", "Ref", "Segment", "Text", "exists_as", "grid_stylesheet", "group_by_phase",
    "indicator_page", "indicators",
    "iri_of", "load_items", "load_phases", "phase_stylesheet", "pick", "valid_key", "year_of",
]

STRATEGY_PERIOD = (2023, 2030)


# ------------------------------------------------------------------------------------ home

@dataclass
class GoalSummary:
    ref: Ref
    subgoals: int = 0
    groups: int = 0
    deliveries: int = 0
    activities: int = 0
    measures: int = 0
    indicators: int = 0


@dataclass
class Home:
    strategy: Ref
    vision: Text | None
    period: str | None
    goals: list[GoalSummary]
    totals: dict[str, int]  # TOTAL_CLASSES name → number of entities of that class in the graph


COUNT_QUERIES = {
    "subgoals": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:SubGoal ; vk:subGoalOf ?goal } GROUP BY ?goal",
    "groups": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:ActivityGroup ; vk:contributesToTransitive ?goal } "
              "GROUP BY ?goal",
    "deliveries": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:Delivery ; vk:contributesToTransitive ?goal } "
                  "GROUP BY ?goal",
    "activities": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:Activity ; vk:contributesToTransitive ?goal } "
                  "GROUP BY ?goal",
    "measures": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:PortfolioMeasure ; "
                "vk:contributesToTransitive ?goal } GROUP BY ?goal",
    "indicators": "SELECT ?goal (COUNT(DISTINCT ?x) AS ?n) { ?x a vk:Indicator . ?goal a vk:Goal . "
                  "{ ?x vk:measures ?goal } UNION { ?x vk:measures ?m . ?m vk:contributesToTransitive ?goal } } "
                  "GROUP BY ?goal",
}


# What the home page counts in the whole graph, in the order shown.
TOTAL_CLASSES = {"deliveries": VK.Delivery, "groups": VK.ActivityGroup, "subgoals": VK.SubGoal, "goals": VK.Goal,
                 "activities": VK.Activity, "measures": VK.PortfolioMeasure, "indicators": VK.Indicator,
                 "organisations": VK.Organisation}


TOTALS_QUERY = """SELECT ?k (COUNT(DISTINCT ?x) AS ?n) {
  VALUES ?k { vk:Delivery vk:ActivityGroup vk:SubGoal vk:Goal vk:Activity vk:PortfolioMeasure vk:Indicator
              vk:Organisation }
  ?x a ?k } GROUP BY ?k"""


def totals(graph: KnowledgeGraph) -> dict[str, int]:
    """How many entities of each ``TOTAL_CLASSES`` class the graph has (one query)."""
    found = {r["k"].value: int(r["n"].value) for r in graph.select(TOTALS_QUERY)}
    return {name: found.get(str(iri), 0) for name, iri in TOTAL_CLASSES.items()}


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
                sorted(goals.values(), key=lambda g: goal_order(g.ref)), totals(graph))


# ------------------------------------------------------------------------------------ goal, sub-goal

@dataclass
class SubGoalSection:
    ref: Ref
    phase_groups: list[PhaseGroup]
    groups: list[GroupLines] = field(default_factory=list)  # activity groups and their deliveries

    @property
    def deliveries(self) -> int:
        return sum(g.segment_count for g in self.groups)


@dataclass
class GoalPage:
    details: Details
    ambitions: list[Text]
    subgoals: list[SubGoalSection]
    direct_items: list[PhaseGroup]
    measures: list[Item]
    indicators: list[Ref]
    related_initiatives: list[Ref]

    @property
    def groups(self) -> int:
        return sum(len(s.groups) for s in self.subgoals)

    @property
    def deliveries(self) -> int:
        return sum(s.deliveries for s in self.subgoals)


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
    delivered = {sg.subgoal.iri: sg.groups for sg in deliveries_under(graph, lang, TimelineFilter(goal=goal))}
    sections = [SubGoalSection(sg, group_by_phase([i for i in activities if i.contributes(sg.iri)]),
                               delivered.get(sg.iri, []))
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
    groups: list[GroupLines] = field(default_factory=list)  # activity groups and their deliveries

    @property
    def deliveries(self) -> int:
        return sum(g.segment_count for g in self.groups)


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
        groups=[grp for sg in deliveries_under(graph, lang, TimelineFilter(subgoal=subgoal)) for grp in sg.groups],
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
    deliveries: list[SubGoalLines] = field(default_factory=list)  # the list's rows naming this phase

    @property
    def delivery_count(self) -> int:
        return sum(g.segment_count for sg in self.deliveries for g in sg.groups)


@dataclass
class PhaseOverview:
    """Every phase with how many items are in it, and how many items have no phase stated."""

    phases: list[tuple[Phase, int]]
    without_phase: int
    total: int
    deliveries: dict[str, int] = field(default_factory=dict)  # phase IRI → rows of the list naming it
    deliveries_without_phase: int = 0
    delivery_total: int = 0


def phase_overview(graph: KnowledgeGraph, lang: str) -> PhaseOverview:
    items = load_items(graph, lang)
    counts = [(p, sum(1 for i in items if i.phase == p)) for p in load_phases(graph, lang)]
    segments = load_deliveries(graph, lang)
    per_phase = {p.ref.iri: sum(1 for s in segments if p in s.phases) for p, _ in counts}
    return PhaseOverview(counts, sum(1 for i in items if i.phase is None), len(items), per_phase,
                         sum(1 for s in segments if not s.phases), len(segments))


def phase_page(graph: KnowledgeGraph, phase: str, lang: str) -> PhasePage:
    items = load_items(graph, lang)
    chosen = next(p for p in load_phases(graph, lang) if p.ref.iri == phase)
    return PhasePage(details(graph, phase, lang), chosen, [i for i in items if i.phase == chosen],
                     sum(1 for i in items if i.phase is None), len(items),
                     deliveries_under(graph, lang, TimelineFilter(phase=phase)))


# ------------------------------------------------------------------------------------ timeline

@dataclass(frozen=True)
class TimelineFilter:
    """IRIs to filter the timeline by (None: no filter).

    Goal, sub-goal, group, phase and planning status narrow the deliveries (segment by segment: a
    line keeps the rows that match); owner and user group exist only on the older activities and
    measures, so choosing one leaves no delivery. The older items have no group or planning status.
    """

    goal: str | None = None
    subgoal: str | None = None
    group: str | None = None
    phase: str | None = None
    status: str | None = None
    owner: str | None = None
    user_group: str | None = None

    def keeps(self, item: Item) -> bool:
        return ((self.goal is None or self.goal in item.goals)
                and (self.subgoal is None or item.contributes(self.subgoal))
                and self.group is None and self.status is None
                and (self.phase is None or (item.phase is not None and item.phase.ref.iri == self.phase))
                and (self.owner is None or item.owned_by(self.owner))
                and (self.user_group is None or item.for_group(self.user_group)))

    def keeps_segment(self, segment: Segment, goal: str | None) -> bool:
        return ((self.goal is None or self.goal == goal)
                and (self.subgoal is None or self.subgoal == segment.subgoal)
                and (self.group is None or self.group == segment.group)
                and (self.phase is None or any(p.ref.iri == self.phase for p in segment.phases))
                and (self.status is None or (segment.status is not None and segment.status.iri == self.status))
                and self.owner is None and self.user_group is None)

    @property
    def active(self) -> bool:
        return any(vars(self).values())


@dataclass
class FilterOptions:
    goals: list[Ref]
    subgoals: list[Ref]
    groups: list[tuple[Ref, list[Ref]]]  # (sub-goal, its groups)
    phases: list[Phase]
    statuses: list[Ref]
    owners: list[Ref]
    user_groups: list[Ref]


def subgoal_goals(graph: KnowledgeGraph, lang: str) -> dict[str, tuple[Ref, str | None]]:
    """Every sub-goal → (its ref, its goal's IRI), in the roadmap's order."""
    rows = graph.select("SELECT ?sg ?g ?order WHERE { ?sg a vk:SubGoal . OPTIONAL { ?sg vk:subGoalOf ?g } "
                        "OPTIONAL { ?sg vk:orderIndex ?order } }")
    cat = catalog(graph)
    found = {r["sg"].value: (cat.ref(r["sg"].value, lang), r["g"].value if "g" in r else None,
                             int(r["order"].value) if "order" in r else 99) for r in rows}
    ordered = sorted(found.values(), key=lambda v: (v[2], v[0].notation or "", v[0].label.value))
    return {ref.iri: (ref, goal) for ref, goal, _ in ordered}


def filter_options(graph: KnowledgeGraph, lang: str) -> FilterOptions:
    """Choices for the timeline's filters, each from the graph."""
    cat = catalog(graph)

    def refs(query: str) -> list[Ref]:
        return [cat.ref(r["x"].value, lang) for r in graph.select(query)]

    goals = refs("SELECT ?x { ?x a vk:Goal }")
    orgs = refs("SELECT DISTINCT ?x { VALUES ?k { vk:Activity vk:PortfolioMeasure } ?i a ?k . "
                "{ ?i vk:owner ?x } UNION { ?i vk:qualifiedOwnership/prov:agent ?x } ?x a vk:Organisation }")
    user_groups = refs("SELECT ?x { ?x a vk:UserGroup }")
    statuses = graph.select("SELECT ?x ?pos { ?x a vk:PlanningStatus OPTIONAL { ?x schema:position ?pos } }")
    group_rows = graph.select("SELECT ?x ?sg { ?x a vk:ActivityGroup ; vk:contributesTo ?sg }")
    subgoals = subgoal_goals(graph, lang)
    groups = [(ref, sorted((cat.ref(r["x"].value, lang) for r in group_rows if r["sg"].value == iri),
                           key=lambda r: r.label.value.casefold()))
              for iri, (ref, _) in subgoals.items()]
    return FilterOptions(
        goals=sorted(goals, key=goal_order), subgoals=[ref for ref, _ in subgoals.values()],
        groups=[(sg, members) for sg, members in groups if members], phases=load_phases(graph, lang),
        statuses=[cat.ref(r["x"].value, lang) for r in sorted(
            statuses, key=lambda r: (int(r["pos"].value) if "pos" in r else 99, r["x"].value))],
        owners=sorted(orgs, key=lambda r: r.label.value.casefold()),
        user_groups=sorted(user_groups, key=lambda r: r.label.value.casefold()))


@dataclass
class DrawnSegment:
    segment: Segment
    bar: Bar | None  # None: no start date, not drawn


@dataclass
class TimelineLine:
    name: Text
    key: str  # the first row's Leveranse-ID (an anchor on the page)
    segments: list[DrawnSegment]


@dataclass
class GroupLines:
    group: Ref
    lines: list[TimelineLine]

    @property
    def segment_count(self) -> int:
        return sum(len(line.segments) for line in self.lines)


@dataclass
class SubGoalLines:
    subgoal: Ref
    groups: list[GroupLines]


@dataclass
class GoalLines:
    goal: Ref
    subgoals: list[SubGoalLines]


@dataclass
class Timeline:
    axis: list[int]
    goals: list[GoalLines]
    segments: int  # deliveries shown
    lines: int
    deliveries: int  # deliveries in the graph
    dated: list[Item]
    undated: list[Item]
    phases: list[Phase]
    total: int  # older activities and measures in the graph


def delivery_tree(graph: KnowledgeGraph, lang: str, segments: list[Segment], axis: list[int] | None,
                  keep=lambda segment, goal: True) -> list[GoalLines]:
    """Deliveries as lines grouped goal → sub-goal → group in the roadmap's order, with their bars
    when an ``axis`` is given; only the segments ``keep`` accepts (bars are computed on whole
    lines, before filtering)."""
    subgoals = subgoal_goals(graph, lang)
    tree: dict[str, dict[str, dict[str, GroupLines]]] = {}
    for line in lines_of(graph, segments, lang):
        goal = subgoals.get(line.subgoal.iri, (line.subgoal, None))[1]
        bars = segment_bars(axis, [(s.start, s.end) for s in line.segments]) if axis else [None] * len(line.segments)
        kept = [DrawnSegment(s, b) for s, b in zip(line.segments, bars, strict=True) if keep(s, goal)]
        if kept:
            groups = tree.setdefault(goal or "", {}).setdefault(line.subgoal.iri, {})
            groups.setdefault(line.group.iri, GroupLines(line.group, [])).lines.append(
                TimelineLine(line.name, line.key, kept))
    cat = catalog(graph)
    goals = []
    for goal_iri in sorted(tree, key=lambda iri: goal_order(cat.ref(iri, lang))):
        in_order = [sg for sg in subgoals if sg in tree[goal_iri]]
        goals.append(GoalLines(cat.ref(goal_iri, lang), [
            SubGoalLines(subgoals[sg][0], list(tree[goal_iri][sg].values())) for sg in in_order]))
    return goals


def deliveries_under(graph: KnowledgeGraph, lang: str, chosen: TimelineFilter) -> list[SubGoalLines]:
    """The groups and deliveries of the sub-goals ``chosen`` keeps (for goal and sub-goal pages)."""
    goals = delivery_tree(graph, lang, load_deliveries(graph, lang), None, chosen.keeps_segment)
    return [sg for g in goals for sg in g.subgoals]


def timeline_axis(graph: KnowledgeGraph, items: list[Item] | None = None,
                  segments: list[Segment] | None = None) -> list[int]:
    """The years of every delivery date and item year, and the strategy period (not per filter)."""
    items = load_items(graph, "nb") if items is None else items
    segments = load_deliveries(graph, "nb") if segments is None else segments
    dates = [d for s in segments for d in (s.start, s.end) if d is not None]
    return year_axis([*(int(d[:4]) for d in dates), *(y for i in items for y in i.years)], STRATEGY_PERIOD)


def timeline(graph: KnowledgeGraph, lang: str, chosen: TimelineFilter | None = None) -> Timeline:
    """The deliveries as lines of phase segments over years (goal → sub-goal → group), and the
    older activities and measures with years against the same axis; the rest apart."""
    chosen = chosen or TimelineFilter()
    items = load_items(graph, lang)
    segments = load_deliveries(graph, lang)
    axis = timeline_axis(graph, items, segments)
    goals = delivery_tree(graph, lang, segments, axis, chosen.keeps_segment)
    shown = [line for g in goals for sg in g.subgoals for grp in sg.groups for line in grp.lines]
    kept = [i for i in items if chosen.keeps(i)]
    dated = sorted((i for i in kept if i.years), key=lambda i: (i.years[0], i.ref.label.value.casefold()))
    return Timeline(axis, goals, sum(len(line.segments) for line in shown), len(shown), len(segments),
                    dated, [i for i in kept if not i.years], load_phases(graph, lang), len(items))
