"""The data behind the roadmap views (``veikart_graph.views_data``), on the real graph and on a
small sample (tests/roadmap_sample.py) for what the real data does not have yet.

Facts are from tests/reference/veikart-facts.yaml; the data model is docs/model.md.
"""

from __future__ import annotations

import pytest

from tests.roadmap_sample import load_sample
from veikart_graph import views_data as vd
from veikart_graph.store import KnowledgeGraph

TITLES_1 = {  # the 2026-08 codes and titles (the delivery list's "Strategisk delmål")
    "1A": "Innbygger skal ha mulighet for å administrere behandlingsforløp, digital dialog og "
          "innsynstjenester gjennom Helsenorge",
    "1B": "Innbyggere skal ha tilgang på velferdsteknologi og digital hjemmeoppfølging",
    "1C": "Innbygger skal ha tilbud om relevante digitale selvhjelp-,læring- og mestringsressurser",
    "1D": "Ungdom skal ha tilgang på digitale tjenester",
    "1E": "Redusere digitale barrierer",
    "1F": "Gravide skal ha tilgang på digitalt helsekort for gravide",
}


@pytest.fixture(scope="module")
def sample() -> KnowledgeGraph:
    """The made-up sample roadmap."""
    return load_sample()


def labels(items) -> list[str]:
    return [i.ref.label.value for i in items]


# ------------------------------------------------------------------------------------ home

def test_home_has_the_strategy_vision_period_and_five_goals_in_order(graph):
    home = vd.home(graph, "nb")
    assert home.strategy.label.value == "Nasjonal e-helsestrategi for helse- og omsorgssektoren"
    assert home.vision == vd.Text(
        "Sammen om helhetlige, trygge og nyskapende tjenester som fremmer helse og mestring", "nb")
    assert home.period == "2023-2030"
    assert [g.ref.notation for g in home.goals] == ["1", "2", "3", "4", "5"]
    assert home.goals[1].ref.label.value == "Enklere arbeidshverdag"


# Counts per goal recomputed with property paths over the asserted links only (not the inferred
# vk:contributesToTransitive the views use): the two must agree.
INDEPENDENT_COUNTS = {
    "subgoals": "?x vk:subGoalOf ?g",
    "groups": "?x a vk:ActivityGroup ; vk:contributesTo/vk:subGoalOf ?g",
    "deliveries": "?x a vk:Delivery ; vk:activityGroup/vk:contributesTo/vk:subGoalOf ?g",
    "activities": "?x a vk:Activity ; vk:contributesTo/vk:subGoalOf? ?g",
    "measures": "?x a vk:PortfolioMeasure ; (vk:supportsGoal|vk:contributesTo)/vk:subGoalOf? ?g",
    "indicators": "?x a vk:Indicator ; vk:measures/(vk:benefitStatementOf|vk:subGoalOf)* ?g",
}


def independent_counts(graph: KnowledgeGraph) -> dict[tuple[str, str], int]:
    """(goal IRI, count name) → count, from ``INDEPENDENT_COUNTS``; absent means 0."""
    counts = {}
    for name, pattern in INDEPENDENT_COUNTS.items():
        rows = graph.select(f"SELECT ?g (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?g a vk:Goal . {pattern} }} GROUP BY ?g")
        counts.update({(row["g"].value, name): int(row["n"].value) for row in rows})
    return counts


def test_home_counts_match_an_independent_query(graph):
    expected = independent_counts(graph)
    for goal in vd.home(graph, "nb").goals:
        for name in INDEPENDENT_COUNTS:
            assert getattr(goal, name) == expected.get((goal.ref.iri, name), 0), (goal.ref.notation, name)
    assert [g.subgoals for g in vd.home(graph, "nb").goals] == [6, 5, 3, 3, 3]  # 1A–1F, 2A–2E, 3A–3C …


def test_home_totals_are_counted_in_the_graph(graph):
    """Item 7 of issue 12: the home page's counts by kind come from the graph, one query."""
    totals = vd.home(graph, "nb").totals
    assert (totals["deliveries"], totals["groups"], totals["subgoals"], totals["goals"]) == (263, 54, 20, 5)
    for name, cls in vd.TOTAL_CLASSES.items():
        rows = graph.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{cls}> }}")
        assert totals[name] == int(rows[0]["n"].value), name


# ------------------------------------------------------------------------------------ goal, sub-goal

def test_goal_1_lists_its_sub_goals_in_order_with_exact_titles(graph):
    page = vd.goal_page(graph, vd.iri_of("mal", "1"), "nb")
    assert [s.ref.notation for s in page.subgoals] == ["1A", "1B", "1C", "1D", "1E", "1F"]
    titles = {s.ref.notation: s.ref.label.value for s in page.subgoals}
    assert titles == TITLES_1
    assert {s.ref.notation for s in page.subgoals if s.ref.uncertain} == set()


def test_goal_1_groups_activities_by_phase_and_says_when_it_is_not_stated(graph):
    """The sources give no phase for these activities: they sit in the "not stated" group."""
    page = vd.goal_page(graph, vd.iri_of("mal", "1"), "nb")
    section_1b = next(s for s in page.subgoals if s.ref.notation == "1B")
    groups = section_1b.phase_groups
    assert [g.phase for g in groups] == [None]
    assert "Velferdsteknologi og digital hjemmeoppfølging" in labels(groups[0].items)
    assert "DHV - Sentrale tiltak digital hjemmeoppfølging og velferdsteknologi" in labels(page.measures)


def test_goal_description_keeps_its_language(graph):
    """The goal statement is the strategy's own Norwegian text (2024 revision): the page must know it is
    @nb, also when the page is in English."""
    page = vd.goal_page(graph, vd.iri_of("mal", "1"), "en")
    assert page.details.descriptions and all(d.lang == "nb" for d in page.details.descriptions)
    assert page.details.sources


def test_phase_groups_follow_phase_order_with_unknown_last(sample):
    page = vd.goal_page(sample, vd.iri_of("mal", "1"), "en")
    groups = page.subgoals[0].phase_groups
    assert [g.phase.key if g.phase else None for g in groups] == ["konsept", "innforing", None]
    assert groups[0].phase.ref.label == vd.Text("Concept", "en")


def test_sub_goal_1b_has_benefit_statements_and_its_activities(graph):
    page = vd.subgoal_page(graph, vd.iri_of("delmal", "1b"), "nb")
    assert page.goal.notation == "1"
    # no codes of our own on the candidates (issue 12, item 5); shown in the source's order
    assert [b.ref.notation for b in page.benefits] == [None] * 4
    assert [b.ref.iri.rsplit("/", 1)[1] for b in page.benefits] == ["1b-1", "1b-2", "1b-3", "1b-4"]
    assert all(b.ref.uncertain for b in page.benefits)
    assert set(labels(i for g in page.phase_groups for i in g.items)) == {
        "Velferdsteknologi og digital hjemmeoppfølging",
        "Velferdsteknologisk knutepunkt og datadeling innenfor samme virksomhet"}


def test_sub_goal_2b_shows_the_indicators_that_measure_it(graph):
    page = vd.subgoal_page(graph, vd.iri_of("delmal", "2b"), "nb")
    assert {i.key for i in page.indicators} >= {"pll-andel-prioriterte-aktorer"}


# ------------------------------------------------------------------------------------ owners

def test_helsedirektoratet_owns_welfare_technology_activity_and_portfolio_measures(graph):
    page = vd.owner_page(graph, vd.iri_of("organisasjon", "helsedirektoratet"), "nb")
    assert "Velferdsteknologi og digital hjemmeoppfølging" in labels(page.activities)
    assert "Program pasientens legemiddelliste" in labels(page.measures)
    assert page.organisation_number == "983544622"
    assert page.register_links == ["https://data.brreg.no/enhetsregisteret/api/enheter/983544622"]


def test_hod_ownership_of_e_multidose_is_marked_uncertain(graph):
    """The reference marks this owner uncertain; the view must say so."""
    page = vd.owner_page(graph, vd.iri_of("organisasjon", "helse-og-omsorgsdepartementet"), "nb")
    multidose = next(i for i in page.activities if i.ref.key == "e-multidose")
    assert [o.uncertain for o in multidose.owners] == [True]
    helsekort = next(i for i in page.activities if i.ref.key == "digitalt-helsekort-gravide")
    assert [o.uncertain for o in helsekort.owners] == [False]


def test_owner_list_counts_what_each_organisation_owns(graph):
    owners = {o.ref.key: o for o in vd.owners(graph, "nb")}
    assert len(owners) >= 14
    assert owners["helse-og-omsorgsdepartementet"].activities == 2
    assert owners["direktoratet-for-e-helse"].projects == 5
    assert owners["helsedirektoratet"].total >= 5


def test_merged_organisation_points_to_its_successor(graph):
    page = vd.owner_page(graph, vd.iri_of("organisasjon", "direktoratet-for-e-helse"), "nb")
    assert page.merged_into.key == "helsedirektoratet"
    assert len(page.projects) == 5


# ------------------------------------------------------------------------------------ user groups

def test_municipalities_group_plans_digital_citizen_services_for_2026(graph):
    page = vd.user_group_page(graph, vd.iri_of("brukergruppe", "kommuner-og-fylkeskommuner"), "nb")
    assert "Digitale innbyggertjenester i kommunal helse- og omsorgstjeneste" in labels(page.items)
    year_2026 = next(y for y in page.years if y.year == 2026)
    entry = year_2026.entries[0]
    assert entry.item.ref.key == "digitale-innbyggertjenester-kommune"
    assert [m.when for m in entry.milestones] == ["2026-01"]


def test_user_groups_list_the_known_groups_with_counts(graph):
    groups = {g.ref.key: g for g in vd.user_groups(graph, "nb")}
    assert {"kommuner-og-fylkeskommuner", "fastleger", "kommuner-og-fastleger"} <= set(groups)
    assert groups["kommuner-og-fylkeskommuner"].items >= 1
    assert groups["kommuner-og-fastleger"].ref.uncertain


def test_items_without_years_are_undated(sample):
    years, undated = vd.by_year(vd.load_items(sample, "nb"))
    assert [y.year for y in years] == [2024, 2025, 2026, 2031]
    assert labels(undated) == ["Aktivitet uten fase"]
    in_2025 = years[1].entries[0]
    assert in_2025.in_span and [m.when for m in in_2025.milestones] == ["2025-03"]


# ------------------------------------------------------------------------------------ phases

def test_phase_page_lists_items_in_that_phase(sample):
    page = vd.phase_page(sample, vd.iri_of("fase", "innforing"), "nb")
    assert labels(page.items) == ["Aktivitet med periode"]
    assert page.items_without_phase == 1 and page.total == 3


# ------------------------------------------------------------------------------------ timeline

def test_timeline_puts_dated_items_on_the_axis_and_the_rest_apart(graph):
    timeline = vd.timeline(graph, "nb")
    assert timeline.axis[0] <= 2023 and timeline.axis[-1] >= 2030
    dated = {i.ref.key for i in timeline.dated}
    assert {"digitalt-helsekort-gravide", "digitale-innbyggertjenester-kommune"} <= dated
    assert "vkp-datadeling" in {i.ref.key for i in timeline.undated}
    assert len(timeline.dated) + len(timeline.undated) == timeline.total


def test_timeline_filters_by_goal_owner_and_user_group(graph):
    by_goal = vd.timeline(graph, "nb", vd.TimelineFilter(goal=vd.iri_of("mal", "2")))
    keys = {i.ref.key for i in [*by_goal.dated, *by_goal.undated]}
    assert keys == {"e-multidose", "program-pasientens-legemiddelliste"}
    by_owner = vd.timeline(graph, "nb", vd.TimelineFilter(owner=vd.iri_of("organisasjon", "helsedirektoratet")))
    assert all(i.owned_by(vd.iri_of("organisasjon", "helsedirektoratet")) for i in [*by_owner.dated, *by_owner.undated])
    by_group = vd.timeline(graph, "nb", vd.TimelineFilter(
        user_group=vd.iri_of("brukergruppe", "kommuner-og-fylkeskommuner")))
    assert labels(by_group.dated) == ["Digitale innbyggertjenester i kommunal helse- og omsorgstjeneste"]


def test_timeline_axis_stretches_to_items_outside_the_strategy_period(sample):
    timeline = vd.timeline(sample, "nb")
    assert timeline.axis == list(range(2023, 2032))
    spans = {i.ref.key: i.span_years for i in timeline.dated}
    assert spans == {"med-periode": [2024, 2025, 2026], "konsept": [2031]}


def test_filter_options_offer_goals_owners_and_groups(graph):
    options = vd.filter_options(graph, "nb")
    assert [g.notation for g in options.goals] == ["1", "2", "3", "4", "5"]
    assert "helsedirektoratet" in {o.key for o in options.owners}
    assert "kommuner-og-fylkeskommuner" in {g.key for g in options.user_groups}


def test_phase_overview_counts_items_per_phase_and_without_one(sample):
    overview = vd.phase_overview(sample, "nb")
    assert [(p.key, n) for p, n in overview.phases] == [("konsept", 1), ("innforing", 1)]
    assert (overview.without_phase, overview.total) == (1, 3)


# ------------------------------------------------------------------------------------ timeline of deliveries

def all_lines(timeline: vd.Timeline) -> list:
    return [line for g in timeline.goals for sg in g.subgoals for grp in sg.groups for line in grp.lines]


def shown_ids(timeline: vd.Timeline) -> set[str]:
    return {d.segment.identifier for line in all_lines(timeline) for d in line.segments}


def sparql_ids(graph: KnowledgeGraph, pattern: str = "") -> set[str]:
    """Leveranse-IDs of the deliveries matching ``pattern`` (?d is the delivery), asked independently."""
    rows = graph.select(f"SELECT ?id {{ ?d a vk:Delivery ; dct:identifier ?id . {pattern} }}")
    return {r["id"].value for r in rows}


def test_timeline_has_every_delivery_once_in_its_group_line(graph):
    timeline = vd.timeline(graph, "nb")
    ids = [d.segment.identifier for line in all_lines(timeline) for d in line.segments]
    assert len(ids) == len(set(ids)) == timeline.segments == timeline.deliveries == 263
    assert set(ids) == sparql_ids(graph)
    lines = {(grp.group.iri, line.name.value) for g in timeline.goals for sg in g.subgoals
             for grp in sg.groups for line in grp.lines}
    expected = graph.select("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?g ?name "
                            "{ ?d a vk:Delivery ; skos:prefLabel ?name ; vk:activityGroup ?g } }")
    assert timeline.lines == len(lines) == int(expected[0]["n"].value)


def test_a_line_holds_only_rows_of_its_own_name_and_group_sorted_by_start(graph):
    for g in vd.timeline(graph, "nb").goals:
        for sg in g.subgoals:
            for grp in sg.groups:
                for line in grp.lines:
                    segments = [d.segment for d in line.segments]
                    assert {s.group for s in segments} == {grp.group.iri}
                    assert {s.subgoal for s in segments} == {sg.subgoal.iri}
                    assert {s.ref.label.value for s in segments} == {line.name.value}
                    starts = [s.start for s in segments if s.start]
                    assert starts == sorted(starts)


def test_dips_arena_is_one_line_of_two_segments_in_phase_order(graph):
    """Two rows, same name and group: Innføring 01.04.2021–02.11.2025, then I bruk from 01.01.2026."""
    line = next(line for line in all_lines(vd.timeline(graph, "nb")) if line.name.value == "DIPS Arena, Helse Sør-Øst")
    assert [(d.segment.start, d.segment.end) for d in line.segments] == [("2021-04-01", "2025-11-02"),
                                                                      ("2026-01-01", None)]
    assert [d.bar.kind for d in line.segments] == ["given", "open"]
    assert [p.key for d in line.segments for p in d.segment.phases] == ["innforing", "ny-praksis-i-bruk"]


def test_goals_sub_goals_and_groups_come_in_the_roadmaps_order(graph):
    timeline = vd.timeline(graph, "nb")
    assert [g.goal.notation for g in timeline.goals] == ["1", "2", "3", "4", "5"]
    notations = [sg.subgoal.notation for g in timeline.goals for sg in g.subgoals]
    assert notations == ["1A", "1B", "1C", "1D", "1E", "1F", "2A", "2B", "2C", "2D", "2E",
                         "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C"]


@pytest.mark.parametrize(("chosen", "pattern"), [
    (vd.TimelineFilter(goal=vd.iri_of("mal", "3")), "?d vk:contributesTo/vk:subGoalOf <https://w3id.org/veikart/id/mal/3>"),
    (vd.TimelineFilter(subgoal=vd.iri_of("delmal", "2b")), "?d vk:contributesTo <https://w3id.org/veikart/id/delmal/2b>"),
    (vd.TimelineFilter(group=vd.iri_of("gruppe", "innsynstjenester-gjennom-helsenorge")),
     "?d vk:activityGroup <https://w3id.org/veikart/id/gruppe/innsynstjenester-gjennom-helsenorge>"),
    (vd.TimelineFilter(phase=vd.iri_of("fase", "konsept")), "?d vk:phase <https://w3id.org/veikart/id/fase/konsept>"),
    (vd.TimelineFilter(status=vd.iri_of("planleggingsstatus", "tentativ")),
     "?d vk:planningStatus <https://w3id.org/veikart/id/planleggingsstatus/tentativ>"),
    (vd.TimelineFilter(goal=vd.iri_of("mal", "1"), phase=vd.iri_of("fase", "innforing"),
                       status=vd.iri_of("planleggingsstatus", "planlagt")),
     "?d vk:contributesTo/vk:subGoalOf <https://w3id.org/veikart/id/mal/1> ; "
     "vk:phase <https://w3id.org/veikart/id/fase/innforing> ; "
     "vk:planningStatus <https://w3id.org/veikart/id/planleggingsstatus/planlagt>"),
    (vd.TimelineFilter(owner=vd.iri_of("organisasjon", "helsedirektoratet")), "?d vk:owner ?anyone"),
])
def test_filters_narrow_the_deliveries_exactly_as_sparql_does(graph, chosen, pattern):
    expected = sparql_ids(graph, pattern)
    timeline = vd.timeline(graph, "nb", chosen)
    assert shown_ids(timeline) == expected
    assert timeline.segments == len(expected) < 263


def test_tentative_segments_are_the_rows_with_status_tentativ(graph):
    tentative = {d.segment.identifier for line in all_lines(vd.timeline(graph, "nb"))
                 for d in line.segments if d.segment.tentative}
    assert tentative == sparql_ids(graph, "?d vk:planningStatus <https://w3id.org/veikart/id/planleggingsstatus/tentativ>")
    assert len(tentative) == 59


def test_rows_with_data_quality_notes_carry_them(graph):
    noted = {d.segment.identifier: d.segment for line in all_lines(vd.timeline(graph, "en"))
             for d in line.segments if d.segment.notes}
    assert set(noted) == sparql_ids(graph, "?d vk:dataQualityNote ?n")
    ended_early = {i for i, s in noted.items() if s.end_before_start}
    assert len(ended_early) == 3
    assert all(any(n.lang == "en" for n in noted[i].notes) for i in ended_early)


def test_goal_page_lists_exactly_the_groups_and_deliveries_sparql_gives(graph):
    for number in ("1", "2", "3", "4", "5"):
        page = vd.goal_page(graph, vd.iri_of("mal", number), "nb")
        groups = {grp.group.iri for s in page.subgoals for grp in s.groups}
        ids = {d.segment.identifier for s in page.subgoals for grp in s.groups for line in grp.lines
               for d in line.segments}
        goal = f"<https://w3id.org/veikart/id/mal/{number}>"
        expected_groups = {r["g"].value for r in graph.select(
            f"SELECT ?g {{ ?g a vk:ActivityGroup ; vk:contributesTo/vk:subGoalOf {goal} }}")}
        assert groups == expected_groups, number
        assert ids == sparql_ids(graph, f"?d vk:contributesTo/vk:subGoalOf {goal}"), number
        assert (page.groups, page.deliveries) == (len(expected_groups), len(ids))


def test_sub_goal_page_lists_its_groups_with_their_deliveries(graph):
    page = vd.subgoal_page(graph, vd.iri_of("delmal", "2b"), "nb")  # 2D in 2026-08: PLL
    assert page.details.ref.notation == "2D"
    ids = {d.segment.identifier for grp in page.groups for line in grp.lines for d in line.segments}
    assert ids == sparql_ids(graph, "?d vk:contributesTo <https://w3id.org/veikart/id/delmal/2b>")
    assert page.deliveries == len(ids) > 0


def test_the_totals_query_counts_every_class_the_home_page_names():
    """TOTALS_QUERY is constant text (no splicing): its VALUES must list every TOTAL_CLASSES class."""
    for cls in vd.TOTAL_CLASSES.values():
        assert "vk:" + str(cls).rsplit("/", 1)[-1] in vd.TOTALS_QUERY


def test_phase_overview_counts_the_list_rows_naming_each_phase(graph):
    overview = vd.phase_overview(graph, "nb")
    rows = graph.select("SELECT ?p (COUNT(?d) AS ?n) { ?d a vk:Delivery ; vk:phase ?p } GROUP BY ?p")
    assert overview.deliveries == {r["p"].value: int(r["n"].value) for r in rows}
    assert (overview.deliveries_without_phase, overview.delivery_total) == (3, 263)


def test_phase_page_lists_exactly_the_deliveries_naming_that_phase(graph):
    page = vd.phase_page(graph, vd.iri_of("fase", "tilpasning"), "nb")
    ids = {d.segment.identifier for sg in page.deliveries for grp in sg.groups for line in grp.lines
           for d in line.segments}
    assert ids == sparql_ids(graph, "?d vk:phase <https://w3id.org/veikart/id/fase/tilpasning>")
    assert page.delivery_count == len(ids) > 0
