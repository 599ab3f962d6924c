"""Chart geometry, number formatting and colour contrast (``veikart_graph.charts``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from veikart_graph import charts
from veikart_graph.charts import (
    ChartValue,
    contrast_ratio,
    format_number,
    line_chart,
    nice_step,
    text_colour_on,
    timeline_cells,
    year_axis,
)


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#767676", "#ffffff", 4.54),   # the lightest grey that passes 4.5:1 on white
])
def test_contrast_ratio_follows_wcag_formula(first, second, expected):
    """WCAG 2.1, definition "contrast ratio": (L1 + 0.05) / (L2 + 0.05)."""
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("background", ["#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725", "#e9ecef"])
def test_text_on_any_phase_colour_reaches_aa(background):
    """WCAG 2.1 SC 1.4.3: the chosen text colour has at least 4.5:1 on the phase colour."""
    assert contrast_ratio(background, text_colour_on(background)) >= 4.5


def test_bad_colour_is_refused():
    with pytest.raises(ValueError):
        contrast_ratio("red", "#ffffff")


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (Decimal("37.2"), "nb", "37,2"),
    (Decimal("37.2"), "en", "37.2"),
    (Decimal("43000"), "nb", "43\u00a0000"),
    (Decimal("43000"), "en", "43,000"),
    (Decimal("20.0"), "nb", "20"),
    (Decimal("1E+1"), "en", "10"),
])
def test_numbers_are_written_the_readers_way(value, lang, expected):
    """Bokmål uses a decimal comma and a space between thousands; English a point and a comma."""
    assert format_number(value, lang) == expected


def test_year_axis_covers_the_strategy_period_and_every_item_year():
    assert year_axis([], (2023, 2030)) == list(range(2023, 2031))
    assert year_axis([2019, 2031], (2023, 2030)) == list(range(2019, 2032))


class _Mark:
    def __init__(self, year):
        self.year = year


def test_timeline_cells_mark_the_span_and_the_milestones():
    marks = [_Mark(2025)]
    cells = timeline_cells([2023, 2024, 2025, 2026], 2024, 2025, marks)
    assert [c.active for c in cells] == [False, True, True, False]
    assert [len(c.milestones) for c in cells] == [0, 0, 1, 0]


def test_timeline_cells_with_only_an_end_year_mark_that_year():
    cells = timeline_cells([2029, 2030, 2031], None, 2031, [])
    assert [c.active for c in cells] == [False, False, True]


def test_nice_steps_are_round():
    assert [nice_step(x) for x in (80, 57, 1, 140.9, 5_000_000)] == [20, 20, 0.2, 50, 1_000_000]


def test_line_chart_places_values_left_to_right_and_bottom_up():
    values = [ChartValue(2020, Decimal(20), "20 %", "baseline"), ChartValue(2022, Decimal(40), "40 %"),
              ChartValue(2023, Decimal(45), "45 %"), ChartValue(2030, Decimal(80), "80 %", "target")]
    chart = line_chart(values)
    measured = chart.lines["measured"]
    assert [p.year for p in measured] == [2022, 2023]
    assert measured[0].x < measured[1].x and measured[0].y > measured[1].y
    assert {m.series for m in chart.markers} == {"baseline", "target"}
    assert chart.x_ticks[0][1] == "2020" and chart.x_ticks[-1][1] == "2030"
    assert chart.y_ticks[0][1] == "0" and chart.y_ticks[-1][1] == "80"
    assert all(chart.left <= p.x <= chart.right and chart.top <= p.y <= chart.bottom
               for p in [*measured, *chart.markers])


def test_line_chart_of_nothing_is_none():
    assert line_chart([]) is None


def test_line_chart_with_one_year_centres_it():
    chart = line_chart([ChartValue(2023, Decimal(274), "274")])
    point = chart.lines["measured"][0]
    assert point.x == pytest.approx(chart.left + chart.plot_width / 2)


# ------------------------------------------------------------------------------------ delivery segments

AXIS = list(range(2024, 2031))


def test_month_line_counts_months_from_january_of_the_first_year():
    assert charts.month_line(2024, "2024-01-01") == 1
    assert charts.month_line(2024, "2026-07-01") == 31


def test_a_segment_with_both_dates_runs_from_start_month_through_end_month():
    assert charts.segment_bars(AXIS, [("2025-01-01", "2026-12-31")]) == [charts.Bar(13, 37, "given")]


def test_no_end_date_runs_to_the_next_later_start_of_the_line_else_is_an_open_marker():
    bars = charts.segment_bars(AXIS, [("2026-10-01", None), ("2027-04-01", None)])
    assert bars == [charts.Bar(34, 40, "until-next"), charts.Bar(40, 40 + charts.OPEN_MONTHS, "open")]


def test_end_before_start_is_never_drawn_backwards():
    """Row 'Innføring' of SFM: start 01.01.2027, end 01.11.2025 (a data-quality note says so)."""
    assert charts.segment_bars(AXIS, [("2027-01-01", "2025-11-01")]) == [charts.Bar(37, 43, "open")]


def test_a_row_without_start_is_not_drawn_and_an_open_marker_stops_at_the_axis_end():
    bars = charts.segment_bars(AXIS, [(None, None), ("2030-10-01", None)])
    assert bars == [None, charts.Bar(82, 85, "open")]


def test_grid_stylesheet_has_a_start_and_end_class_for_every_grid_line():
    css = charts.grid_stylesheet([2025, 2026])
    assert "grid-template-columns: repeat(24, minmax(0, 1fr))" in css
    assert ".gs-25 { grid-column-start: 25; }" in css and ".ge-25 { grid-column-end: 25; }" in css
    assert ".gs-26" not in css
    assert "background-size: calc(100% / 2) 100%" in css


def test_dates_are_written_as_the_delivery_list_writes_them_in_bokmal():
    assert charts.format_date("2026-07-01", "nb") == "01.07.2026"
    assert charts.format_date("2026-07-01", "en") == "2026-07-01"
