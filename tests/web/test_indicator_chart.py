"""The indicator chart and its text alternative (``veikart_graph.web.indicator_chart``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.roadmap_sample import load_sample
from veikart_graph import views_data as vd
from veikart_graph.settings import Settings
from veikart_graph.web.indicator_chart import chart_for, qualifier_sign, unit_text


@pytest.fixture(scope="module")
def sample_app():
    from veikart_graph.web import create_app

    return create_app(Settings(root=Path(__file__).resolve().parents[2]), graph=load_sample())


def chart(app, graph, key: str, lang: str = "en"):
    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        return chart_for(vd.indicator_page(graph, vd.iri_of("indikator", key), lang), lang)


def test_chart_joins_measured_values_and_marks_baseline_and_target(sample_app):
    found = chart(sample_app, load_sample(), "andel")
    assert [p.year for p in found.geometry.lines["measured"]] == [2022, 2023]
    assert {p.series for p in found.geometry.markers} == {"baseline", "target"}
    assert found.description.startswith("Measured value – 2022: > 37.5 %, 2023: 45 %.")
    assert "Baseline – 2020: 20 %." in found.description and "Target – 2030: 80 %." in found.description


def test_chart_text_is_bokmal_on_bokmal_pages(sample_app):
    found = chart(sample_app, load_sample(), "andel", "nb")
    assert found.description.startswith("Målt verdi – 2022: > 37,5 %, 2023: 45 %.")


def test_no_chart_for_a_single_year(app, graph):
    """One year with four breakdowns is a table, not a chart (nothing to follow over time)."""
    assert chart(app, graph, "spredning-digital-hjemmeoppfolging") is None


def test_real_series_gets_a_chart(app, graph):
    found = chart(app, graph, "digital-kontakt-helsetjenesten")
    assert [p.year for p in found.geometry.lines["measured"]] == [2019, 2020, 2021, 2022, 2023]


def test_signs_and_units_as_written_on_the_page():
    assert qualifier_sign(">=") == "≥" and qualifier_sign(">") == ">" and qualifier_sign(None) == ""
    assert unit_text(None) == ""
    assert unit_text(vd.Ref("http://qudt.org/vocab/unit/PERCENT", vd.Text("PERCENT"))) == "%"
