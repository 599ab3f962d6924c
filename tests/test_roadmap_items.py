"""Roadmap items and phases (``veikart_graph.roadmap_items``) on the real graph and the sample."""

from __future__ import annotations

import pytest

from tests.roadmap_sample import load_sample
from veikart_graph import roadmap_items as ri
from veikart_graph.charts import contrast_ratio
from veikart_graph.store import KnowledgeGraph
from veikart_graph.view_values import iri_of


@pytest.fixture(scope="module")
def sample() -> KnowledgeGraph:
    """The made-up sample roadmap."""
    return load_sample()


def test_five_phases_in_order_with_readable_text_on_their_colours(graph):
    """WCAG 2.1 SC 1.4.3 for text on the phase colours (the colours are in the data)."""
    phases = ri.load_phases(graph, "nb")
    assert [p.key for p in phases] == ["konsept", "nasjonal-utvikling", "tilpasning", "innforing", "ny-praksis-i-bruk"]
    assert [p.position for p in phases] == [1, 2, 3, 4, 5]
    for phase in phases:
        assert contrast_ratio(phase.colour, phase.text_colour) >= 4.5, phase.key


def test_phase_stylesheet_has_a_class_per_phase_from_the_data(graph):
    css = ri.phase_stylesheet(graph)
    assert ".phase-konsept { background-color: #440154; color: #ffffff;" in css
    assert ".phase-ny-praksis-i-bruk { background-color: #FDE725; color: #1b1b1b;" in css
    assert "style=" not in css


def test_items_read_owners_user_groups_contributions_and_milestones(graph):
    items = {i.ref.key: i for i in ri.load_items(graph, "nb")}
    assert {i.kind for i in items.values()} == {"activity", "measure"}
    municipal = items["digitale-innbyggertjenester-kommune"]
    assert [g.key for g in municipal.user_groups] == ["kommuner-og-fylkeskommuner"]
    assert [c.notation for c in municipal.contributes_to] == ["1A"]
    assert municipal.goals == {iri_of("mal", "1")}
    assert municipal.owners == []          # the roadmap's Eier is not visible in the source
    assert [m.when for m in municipal.milestones] == ["2026-01"]
    assert municipal.milestones[0].sources and municipal.milestones[0].text.lang == "en"
    assert items["program-pasientens-legemiddelliste"].kind == "measure"


def test_items_have_a_span_from_start_and_end_year(sample):
    items = {i.ref.key: i for i in ri.load_items(sample, "nb")}
    assert (items["med-periode"].start, items["med-periode"].end) == (2024, 2026)
    assert items["med-periode"].years == [2024, 2025, 2026]
    assert items["konsept"].span_years == [2031]
    assert items["uten-fase"].years == []


def test_group_by_phase_puts_unknown_phase_last(sample):
    groups = ri.group_by_phase(ri.load_items(sample, "nb"))
    assert [g.phase.key if g.phase else None for g in groups] == ["konsept", "innforing", None]


# ------------------------------------------------------------------------------------ deliveries

@pytest.fixture(scope="module")
def segments(graph) -> dict[str, ri.Segment]:
    return {s.identifier: s for s in ri.load_deliveries(graph, "en")}


def test_every_delivery_is_loaded_once_in_list_order(graph, segments):
    loaded = ri.load_deliveries(graph, "nb")
    assert len(loaded) == len(segments) == 263
    assert [s.row for s in loaded] == sorted(s.row for s in loaded)


def test_a_span_names_its_phases_in_order_and_keeps_the_cell_as_published(segments):
    span = segments["56876000020125031"]
    assert span.phase_text == ri.Text("Utvikling - tilpasning", "nb")
    assert [p.key for p in span.phases] == ["nasjonal-utvikling", "tilpasning"]
    assert span.css_class == "phase-none"  # drawn in stripes, one per phase


def test_a_row_with_an_empty_phase_cell_has_no_phase_and_says_why(segments):
    row = segments["56876000020123113"]
    assert row.phases == [] and row.phase_text is None
    assert row.notes == [ri.Text("The list gives no phase (Veikartfase is empty).", "en")]


def test_same_name_in_two_groups_is_two_lines(graph, segments):
    """'Innføring' is the name of rows in two groups: they are never one line."""
    lines = [line for line in ri.lines_of(graph, list(segments.values()), "nb") if line.name.value == "Innføring"]
    assert len(lines) == 2 and len({line.group.iri for line in lines}) == 2
    assert all(len(line.segments) == 1 for line in lines)


def test_tentative_is_the_planning_status_tentativ(segments):
    assert segments["56876000020107084"].tentative and not segments["56876000020107079"].tentative
    assert segments["56876000020107084"].status.label == ri.Text("Tentative", "en")
