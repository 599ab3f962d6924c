"""Indicators and observations (``veikart_graph.indicator_data``) on the real graph and the sample."""

from __future__ import annotations

from decimal import Decimal

from tests.roadmap_sample import load_sample
from veikart_graph import indicator_data as idata
from veikart_graph.view_values import iri_of


def test_indicator_observations_keep_year_kind_qualifier_and_unit():
    page = idata.indicator_page(load_sample(), iri_of("indikator", "andel"), "nb")
    rows = [(o.year, o.kind_key, o.value, o.qualifier) for o in page.observations]
    assert rows == [(2020, "utgangsverdi", Decimal("20.0"), None), (2022, "malt", Decimal("37.5"), ">"),
                    (2023, "malt", Decimal("45"), None), (2030, "malverdi", Decimal("80"), None),
                    (None, "malt", Decimal("5000000"), ">")]
    assert page.official is True
    assert [m.notation for m in page.measures] == ["1"]
    assert [u.iri for u in page.units] == ["http://qudt.org/vocab/unit/PERCENT"]


def test_real_indicator_has_its_measured_values_per_year(graph):
    page = idata.indicator_page(graph, iri_of("indikator", "digital-kontakt-helsetjenesten"), "nb")
    measured = {o.year: o.value for o in page.observations if o.kind_key == "malt"}
    assert measured == {2019: 33, 2020: 47, 2021: 46, 2022: 54, 2023: 57}
    assert page.official is False and [m.notation for m in page.measures] == ["1"]


def test_indicator_list_names_what_each_measures(graph):
    found = {i.ref.key: i for i in idata.indicators(graph, "nb")}
    assert found["digital-kontakt-helsetjenesten"].observations == 5
    assert [m.notation for m in found["pll-andel-prioriterte-aktorer"].measures] == ["2D"]  # PLL: 2D in 2026-08
