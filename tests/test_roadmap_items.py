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
