"""Geometry and colour for the roadmap's charts, as plain data (no Flask, no HTML).

- ``year_axis`` / ``timeline_cells``: the columns of the timeline table.
- ``line_chart``: coordinates for the indicator chart (inline SVG in the template).
- ``contrast_ratio`` / ``text_colour_on``: WCAG 2.1 contrast (1.4.3) for text on phase colours.
- ``format_number``: numbers as written in bokmål (``37,2``, ``43 000``) or English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

DARK_TEXT = "#1b1b1b"
LIGHT_TEXT = "#ffffff"


# ------------------------------------------------------------------------------------ colour

def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (WCAG 2.1, definition "relative luminance")."""
    text = hex_colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_colour!r}")
    r, g, b = (int(text[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05) with L1 the lighter colour (WCAG 2.1, "contrast ratio")."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(background: str) -> str:
    """Dark or white text, whichever contrasts more with ``background``."""
    dark, light = contrast_ratio(background, DARK_TEXT), contrast_ratio(background, LIGHT_TEXT)
    return DARK_TEXT if dark >= light else LIGHT_TEXT


# ------------------------------------------------------------------------------------ numbers

def format_number(value: Decimal | float | int, lang: str = "nb") -> str:
    """``1234.5`` → ``1 234,5`` (nb, with a no-break space) or ``1,234.5`` (en)."""
    number = Decimal(str(value))
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "nb":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


# ------------------------------------------------------------------------------------ timeline

def year_axis(years: list[int], period: tuple[int, int]) -> list[int]:
    """Every year from the earliest to the latest of ``years`` and the strategy ``period``."""
    low = min([*years, period[0]])
    high = max([*years, period[1]])
    return list(range(low, high + 1))


@dataclass
class TimelineCell:
    """One year of one row: inside the item's span (``active``) and/or its milestones."""

    year: int
    active: bool = False
    milestones: list = field(default_factory=list)


def timeline_cells(axis: list[int], start: int | None, end: int | None,
                   milestones: list) -> list[TimelineCell]:
    """The cells of one timeline row; ``milestones`` are objects with a ``year`` attribute.

    A span with only a start runs to the start year; with only an end, it is the end year.
    """
    first = start if start is not None else end
    last = end if end is not None else start
    cells = []
    for year in axis:
        active = first is not None and last is not None and first <= year <= last
        marks = [m for m in milestones if m.year == year]
        cells.append(TimelineCell(year, active, marks))
    return cells


# ------------------------------------------------------------------------------------ line chart

@dataclass
class ChartPoint:
    x: float
    y: float
    year: int
    label: str
    series: str


@dataclass
class LineChart:
    """An SVG chart in a ``width`` × ``height`` viewBox; the template draws it."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    lines: dict[str, list[ChartPoint]]
    markers: list[ChartPoint]

    @property
    def bottom(self) -> int:
        return self.top + self.plot_height

    @property
    def right(self) -> int:
        return self.left + self.plot_width

    def polyline(self, series: str) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.lines.get(series, []))


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^n) giving about ``ticks`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


@dataclass
class ChartValue:
    """One value to draw: ``series`` is ``"measured"`` (joined by a line) or a marker kind."""

    year: int
    value: Decimal
    label: str
    series: str = "measured"


def line_chart(values: list[ChartValue], lang: str = "nb", *, width: int = 640,
               height: int = 320) -> LineChart | None:
    """Coordinates for ``values`` (None if nothing has a year); y starts at 0."""
    if not values:
        return None
    left, top, right_pad, bottom_pad = 72, 30, 44, 40
    plot_w, plot_h = width - left - right_pad, height - top - bottom_pad
    years = sorted({v.year for v in values})
    low, high = years[0], years[-1]
    x_span = max(high - low, 1)
    y_max_value = max(float(v.value) for v in values)
    step = nice_step(y_max_value if y_max_value > 0 else 1)
    y_top = step * math.ceil((y_max_value if y_max_value > 0 else 1) / step)

    def x_of(year: int) -> float:
        if high == low:
            return left + plot_w / 2
        return left + (year - low) / x_span * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - value / y_top * plot_h

    y_ticks = [(y_of(i * step), format_number(_round(i * step), lang))
               for i in range(int(round(y_top / step)) + 1)]
    x_ticks = [(x_of(year), str(year)) for year in range(low, high + 1)]
    lines: dict[str, list[ChartPoint]] = {}
    markers: list[ChartPoint] = []
    for v in sorted(values, key=lambda v: v.year):
        point = ChartPoint(x_of(v.year), y_of(float(v.value)), v.year, v.label, v.series)
        if v.series.startswith("measured"):
            lines.setdefault(v.series, []).append(point)
        else:
            markers.append(point)
    return LineChart(width, height, left, top, plot_w, plot_h, x_ticks, y_ticks, lines, markers)


def _round(value: float) -> Decimal:
    return Decimal(str(round(value, 6))).normalize()
