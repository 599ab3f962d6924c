"""The order of ``ORDER BY`` as a total order on RDF terms (SPARQL 1.1 Query §15.1).

Oxigraph 0.5.13 sorts with a comparison that treats every pair of literals it cannot compare
(a string and a number, two language tags, a NaN …) as *equal*. That "equal" is not transitive,
so Rust's sort may panic and abort the process (docs/oxigraph-sort-panic.md), and where it does
not, comparable values can come out of order. The service therefore sorts a query's top-level
``ORDER BY`` itself (``veikart_graph.sorting``), with the key below. It is a total order that
agrees with SPARQL's ``<`` wherever the engine defines it, and fixes an order everywhere else:

1. unbound (no value, or an expression error) < blank nodes < IRIs < literals < triple terms
   (§15.1); blank nodes by label, IRIs by code point.
2. literals by family, in this order: numbers (``xsd:integer`` and its derived types,
   ``xsd:decimal``, ``xsd:float``, ``xsd:double``; by exact value, NaN after every number),
   simple strings and ``xsd:string`` (by code point), language-tagged strings (by language tag,
   then direction, then text), booleans (false < true), then ``xsd:dateTime``, ``xsd:date``,
   ``xsd:time``, ``xsd:gYearMonth``, ``xsd:gYear``, ``xsd:gMonthDay``, ``xsd:gMonth``,
   ``xsd:gDay`` (each by the instant it denotes; a value without a time zone counts as UTC, which
   agrees with every comparison XSD can decide), durations (all three duration types, by their
   length counted from 1696-09-01, the first of XSD's reference instants), and last every other
   literal, including ill-typed ones (``"abc"^^xsd:integer``), by datatype IRI then lexical form.
3. ties (``1`` and ``1.0``, one instant in two time zones) by datatype IRI, then lexical form,
   so that two different terms never compare equal.

Rows whose keys are equal in every condition keep the order the engine produced them in.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

UNBOUND, BLANK, IRI, LITERAL, TRIPLE = range(5)
INTEGER_TYPES = {XSD + name for name in (
    "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
    "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "positiveInteger")}
NUMBER, STRING, LANG_STRING, BOOLEAN = range(4)
TEMPORAL = ("dateTime", "date", "time", "gYearMonth", "gYear", "gMonthDay", "gMonth", "gDay")
TEMPORAL_FAMILY = {XSD + name: 4 + i for i, name in enumerate(TEMPORAL)}
DURATION = 4 + len(TEMPORAL)
OTHER = DURATION + 1
DURATION_TYPES = {XSD + "duration", XSD + "yearMonthDuration", XSD + "dayTimeDuration"}

_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")
_DOUBLE = re.compile(r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)\Z")
_TZ = r"(?P<tz>Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])?"
_YEAR = r"(?P<y>-?(?:[1-9][0-9]{4,}|[0-9]{4}))"
_TIME = r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<s>[0-9]{2}(?:\.[0-9]+)?)"
_PATTERNS = {
    "dateTime": _YEAR + r"-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})T" + _TIME + _TZ,
    "date": _YEAR + r"-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})" + _TZ,
    "time": _TIME + _TZ,
    "gYearMonth": _YEAR + r"-(?P<m>[0-9]{2})" + _TZ,
    "gYear": _YEAR + _TZ,
    "gMonthDay": r"--(?P<m>[0-9]{2})-(?P<d>[0-9]{2})" + _TZ,
    "gMonth": r"--(?P<m>[0-9]{2})" + _TZ,
    "gDay": r"---(?P<d>[0-9]{2})" + _TZ,
}
_TEMPORAL_RE = {XSD + name: re.compile(pattern + r"\Z") for name, pattern in _PATTERNS.items()}
_DURATION = re.compile(
    r"(?P<sign>-)?P(?!\Z)(?:(?P<y>[0-9]+)Y)?(?:(?P<mo>[0-9]+)M)?(?:(?P<d>[0-9]+)D)?"
    r"(?:T(?!\Z)(?:(?P<h>[0-9]+)H)?(?:(?P<mi>[0-9]+)M)?(?:(?P<s>[0-9]+(?:\.[0-9]+)?)S)?)?\Z")
REFERENCE_YEAR = 1972  # XSD's year for the recurring types (gMonthDay, gMonth, gDay, time)


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar, for any year."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _temporal_value(datatype: str, lexical: str) -> Decimal | None:
    """Seconds since 1970-01-01T00:00:00Z of a date/time literal (no time zone: UTC)."""
    match = _TEMPORAL_RE[datatype].match(lexical)
    if match is None:
        return None
    parts = match.groupdict()
    year = int(parts.get("y") or REFERENCE_YEAR)
    month, day = int(parts.get("m") or 1), int(parts.get("d") or 1)
    hour, minute = int(parts.get("h") or 0), int(parts.get("mi") or 0)
    second = Decimal(parts.get("s") or 0)
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute < 60 and second < 60
            and (hour < 24 or (hour == 24 and minute == 0 and second == 0))):
        return None
    zone = parts.get("tz") or "Z"
    offset = 0 if zone == "Z" else (-1 if zone[0] == "-" else 1) * (int(zone[1:3]) * 60 + int(zone[4:6]))
    days = days_from_civil(year, month, day)
    return Decimal(days * 86400 + hour * 3600 + (minute - offset) * 60) + second


def _duration_value(lexical: str) -> Decimal | None:
    """The length of a duration in seconds, counted from 1696-09-01T00:00:00Z."""
    match = _DURATION.match(lexical)
    if match is None:
        return None
    parts = {k: v for k, v in match.groupdict().items() if v is not None}
    months = int(parts.get("y", 0)) * 12 + int(parts.get("mo", 0))
    seconds = (int(parts.get("d", 0)) * 86400 + int(parts.get("h", 0)) * 3600
               + int(parts.get("mi", 0)) * 60 + Decimal(parts.get("s", 0)))
    sign = -1 if parts.get("sign") else 1
    year, month = divmod(9 - 1 + sign * months, 12)
    start = days_from_civil(1696, 9, 1)
    shifted = days_from_civil(1696 + year, month + 1, 1)
    return Decimal((shifted - start) * 86400) + sign * seconds


def _number(datatype: str, lexical: str) -> int | Decimal | float | None:
    """The exact value of a numeric literal (float and double as the engine stores them)."""
    text = lexical.strip()
    if datatype in INTEGER_TYPES:
        return int(text) if _INTEGER.match(text) else None
    if datatype == XSD + "decimal":
        try:
            return Decimal(text) if _DECIMAL.match(text) else None
        except InvalidOperation:
            return None
    if datatype in (XSD + "double", XSD + "float") and _DOUBLE.match(text):
        value = float(text)
        if datatype == XSD + "float" and math.isfinite(value):
            try:
                value = struct.unpack("f", struct.pack("f", value))[0]
            except OverflowError:
                value = math.copysign(math.inf, value)
        return value
    return None


def literal_key(literal: ox.Literal) -> tuple:
    """The position of a literal among literals (families, then value, then the term)."""
    datatype = literal.datatype.value
    lexical = literal.value
    tie = (datatype, lexical)
    if literal.language:
        direction = getattr(literal, "direction", None)
        return (LANG_STRING, literal.language.lower(), str(direction or ""), lexical, literal.language)
    if datatype == XSD + "string":
        return (STRING, lexical)
    number = _number(datatype, lexical)
    if number is not None:
        if isinstance(number, float) and math.isnan(number):
            return (NUMBER, 1, 0, tie)
        return (NUMBER, 0, number, tie)
    if datatype == XSD + "boolean" and lexical in ("true", "false", "1", "0"):
        return (BOOLEAN, lexical in ("true", "1"), tie)
    if datatype in TEMPORAL_FAMILY:
        instant = _temporal_value(datatype, lexical)
        if instant is not None:
            return (TEMPORAL_FAMILY[datatype], instant, tie)
    if datatype in DURATION_TYPES:
        length = _duration_value(lexical)
        if length is not None:
            return (DURATION, length, tie)
    return (OTHER, tie)


def term_key(term: object) -> tuple:
    """Sort key of one value of an ``ORDER BY`` condition (``None`` = unbound)."""
    if term is None:
        return (UNBOUND,)
    if isinstance(term, ox.BlankNode):
        return (BLANK, term.value)
    if isinstance(term, ox.NamedNode):
        return (IRI, term.value)
    if isinstance(term, ox.Literal):
        return (LITERAL, literal_key(term))
    if isinstance(term, ox.Triple):
        return (TRIPLE, term_key(term.subject), term_key(term.predicate), term_key(term.object))
    raise TypeError(f"not an RDF term: {term!r}")


def sort_rows(rows: list, conditions: Sequence[tuple[Callable[[object], object], bool]]) -> list:
    """``rows`` sorted by ``conditions`` — (value of the condition for a row, descending) pairs,
    most significant first; stable, so rows equal in every condition keep their order."""
    ordered = list(rows)
    for value, descending in reversed(conditions):
        ordered.sort(key=lambda row, value=value: term_key(value(row)), reverse=descending)
    return ordered


def sorted_terms(terms: Iterable[object], descending: bool = False) -> list:
    """``terms`` in ``ORDER BY`` order (one condition on the value itself)."""
    return sort_rows(list(terms), [(lambda term: term, descending)])
