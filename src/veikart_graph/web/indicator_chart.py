"""The indicator chart: observations → chart geometry plus its text alternative.

Measured values are joined by a line (one line per breakdown); baseline and target values are
separate markers. The chart's ``<desc>`` lists every plotted value in words, and the page also
shows all observations in a table, so the chart is never the only way to read the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..charts import ChartValue, LineChart, format_number, line_chart
from ..views_data import IndicatorPage, Observation, Ref
from .i18n import t

PERCENT = "http://qudt.org/vocab/unit/PERCENT"
MARKER_SERIES = {"utgangsverdi": "baseline", "malverdi": "target"}
MAX_LINES = 3
QUALIFIER_SIGNS = {">=": "≥", "<=": "≤", "nærmere": "≲"}


def qualifier_sign(qualifier: str | None) -> str:
    """How a value qualifier is written on the page (``>=`` as ``≥``)."""
    return QUALIFIER_SIGNS.get(qualifier or "", qualifier or "")


@dataclass
class IndicatorChart:
    geometry: LineChart
    title: str
    description: str
    series_names: dict[str, str]


def unit_text(unit: Ref | None) -> str:
    if unit is None:
        return ""
    return "%" if unit.iri == PERCENT else unit.label.value


def point_text(obs: Observation, lang: str) -> str:
    """A value as labelled in the chart: the unit only when it is short (``%``)."""
    qualifier = f"{qualifier_sign(obs.qualifier)} " if obs.qualifier else ""
    suffix = " %" if obs.unit and obs.unit.iri == PERCENT else ""
    return f"{qualifier}{format_number(obs.value, lang)}{suffix}"


def series_of(obs: Observation, breakdowns: list[str]) -> str:
    if obs.kind_key in MARKER_SERIES:
        return MARKER_SERIES[obs.kind_key]
    if obs.breakdown is None:
        return "measured"
    return f"measured-{breakdowns.index(obs.breakdown.value)}"


def chart_for(page: IndicatorPage, lang: str) -> IndicatorChart | None:
    """The chart of an indicator page, or None where a chart would not help: fewer than two
    years (nothing to follow over time), more than ``MAX_LINES`` breakdowns, or values in
    different units (one axis would mislead). The table always shows every value."""
    dated = [o for o in page.observations if o.year is not None]
    breakdowns = sorted({o.breakdown.value for o in dated if o.breakdown and o.kind_key not in MARKER_SERIES})
    if (len({o.year for o in dated}) < 2 or len(breakdowns) > MAX_LINES
            or len({o.unit.iri if o.unit else None for o in dated}) > 1):
        return None
    values = [ChartValue(o.year, o.value, point_text(o, lang), series_of(o, breakdowns)) for o in dated]
    geometry = line_chart(values, lang)
    if geometry is None:
        return None
    names = {"measured": t("vk_series_measured"), "baseline": t("vk_series_baseline"),
             "target": t("vk_series_target")}
    names.update({f"measured-{i}": f"{t('vk_series_measured')}: {b}" for i, b in enumerate(breakdowns)})
    parts = []
    for series in sorted({v.series for v in values}, key=lambda s: (s in ("baseline", "target"), s)):
        points = ", ".join(f"{v.year}: {v.label}" for v in values if v.series == series)
        parts.append(f"{names[series]} – {points}.")
    return IndicatorChart(geometry, page.details.ref.label.value, " ".join(parts), names)
