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


def format_date(iso_date: str, lang: str = "nb") -> str:
    """``2026-07-01`` → ``01.07.2026`` (nb, as the delivery list writes dates) or unchanged (en)."""
    if lang == "nb" and len(iso_date) == 10 and iso_date[4] == "-" and iso_date[7] == "-":
        return f"{iso_date[8:10]}.{iso_date[5:7]}.{iso_date[:4]}"
    return iso_date


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


OPEN_MONTHS = 6  # drawn length of a segment with no end date and nothing after it (a fading start marker)


@dataclass(frozen=True)
class Bar:
    """Where one dated segment is drawn on a month grid: grid lines ``first`` … ``last`` (exclusive).

    ``kind``: ``given`` (start to end, end month included), ``until-next`` (no end date; runs to the
    start of the line's next segment), ``open`` (no usable end date and nothing after it: a start
    marker whose length carries no meaning).
    """

    first: int
    last: int
    kind: str


def month_line(axis_start: int, iso_date: str) -> int:
    """The grid line where the month of ``iso_date`` (``YYYY-MM…``) begins; January of ``axis_start`` is 1."""
    return (int(iso_date[:4]) - axis_start) * 12 + int(iso_date[5:7])


def segment_bars(axis: list[int], spans: list[tuple[str | None, str | None]]) -> list[Bar | None]:
    """The bars of one line's segments, given as (start, end) ISO dates sorted by start.

    A segment without a start is not drawn (None). One without an end date, or whose end is before
    its start, runs to the next later start of the line if there is one, else it is ``open``.
    Nothing is drawn past the axis.
    """
    limit = len(axis) * 12 + 1
    bars: list[Bar | None] = []
    for index, (start, end) in enumerate(spans):
        if start is None:
            bars.append(None)
            continue
        first = month_line(axis[0], start)
        later = [s for s, _ in spans[index + 1:] if s is not None and s[:7] > start[:7]]
        if end is not None and end >= start:
            bars.append(Bar(first, min(month_line(axis[0], end) + 1, limit), "given"))
        elif later:
            bars.append(Bar(first, month_line(axis[0], later[0]), "until-next"))
        else:
            bars.append(Bar(first, min(first + OPEN_MONTHS, limit), "open"))
    return bars


def grid_stylesheet(axis: list[int]) -> str:
    """CSS for the timeline's month grid over ``axis``: ``.months`` (the columns), ``.gs-N``/``.ge-N``
    (a bar's first and last grid line) and ``.years`` (a year rule every 12 columns)."""
    months = len(axis) * 12
    lines = [f"/* Timeline grid: {axis[0]}-{axis[-1]}, one column per month (veikart_graph.charts). */",
             f".months {{ grid-template-columns: repeat({months}, minmax(0, 1fr)); }}",
             f".years {{ background-size: calc(100% / {len(axis)}) 100%; }}"]
    lines += [f".gs-{n} {{ grid-column-start: {n}; }} .ge-{n} {{ grid-column-end: {n}; }}"
              for n in range(1, months + 2)]
    return "\n".join(lines) + "\n"


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
