"""Hypothesis strategies for RDF terms of every kind ``ORDER BY`` meets, and a column of them."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import strategies as st

XSD = "http://www.w3.org/2001/XMLSchema#"
TEXT = st.text(st.characters(blacklist_categories=("Cs",), max_codepoint=0x1F600), max_size=6)


def typed(lexical: st.SearchStrategy[str], datatype: str) -> st.SearchStrategy[ox.Literal]:
    return lexical.map(lambda text: ox.Literal(text, datatype=ox.NamedNode(XSD + datatype)))


def _date(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


ZONE = st.sampled_from(["", "Z", "+02:00", "-05:30", "+14:00"])
DATE = st.builds(_date, st.integers(1, 2100), st.integers(1, 12), st.integers(1, 28))
TIME = st.builds(lambda h, m, s: f"{h:02d}:{m:02d}:{s:02d}", st.integers(0, 23), st.integers(0, 59),
                 st.integers(0, 59))
LITERALS = st.one_of(
    TEXT.map(ox.Literal),
    st.tuples(TEXT, st.sampled_from(["en", "nb", "EN", "de-ch"])).map(
        lambda p: ox.Literal(p[0], language=p[1])),
    typed(st.integers(-10**20, 10**20).map(str), "integer"),
    typed(st.integers(-300, 300).map(str), "int"),
    typed(st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: format(d, "f")), "decimal"),
    typed(st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: "NaN" if f != f else "INF" if f == float("inf") else "-INF"
        if f == float("-inf") else repr(f)), "double"),
    typed(st.floats(width=32, allow_nan=False).map(repr).map(
        lambda s: s.replace("inf", "INF")), "float"),
    typed(st.tuples(DATE, ZONE).map("".join), "date"),
    typed(st.tuples(DATE, TIME, ZONE).map(lambda p: f"{p[0]}T{p[1]}{p[2]}"), "dateTime"),
    typed(st.tuples(st.integers(1, 9999), ZONE).map(lambda p: f"{p[0]:04d}{p[1]}"), "gYear"),
    typed(st.sampled_from(["true", "false", "1", "0"]), "boolean"),
    typed(st.sampled_from(["P1M", "P30D", "P1Y2M", "PT36H", "-P2D", "P1DT2H"]), "duration"),
    typed(st.sampled_from(["abc", "1x", ""]), "integer"),
    st.sampled_from(["a", "b"]).map(lambda t: ox.Literal(t, datatype=ox.NamedNode("http://example.org/dt"))),
)
IRIS = st.sampled_from(["http://example.org/a", "http://example.org/b", "urn:x:1", "https://w3id.org/veikart/id/x"]).map(ox.NamedNode)
BLANKS = st.sampled_from(["b0", "b1", "b2"]).map(ox.BlankNode)
TERMS = st.one_of(LITERALS, IRIS, BLANKS, st.none())
COLUMNS = st.lists(TERMS, min_size=0, max_size=40)

# The column of docs/oxigraph-sort-panic.md as a VALUES list, in an input order that aborts
# Oxigraph 0.5.13's sort, and its values in the documented order (§15.1; numbers, then strings).
PANIC_VALUES = ('7932 1779 939 280 199 49 16 14 13 10 8 7 6 5 1 '
                '"983658725" "983544622" "915933149" "4" "2b" "2a"')
PANIC_SORTED = ["1", "5", "6", "7", "8", "10", "13", "14", "16", "49", "199", "280", "939", "1779",
                "7932", "2a", "2b", "4", "915933149", "983544622", "983658725"]


def engine_inversions(ordered: list) -> list[tuple[object, object]]:
    """Pairs of ``ordered`` that the engine's own ``<`` (SPARQL 1.1 §17.3) says are out of order."""
    literals = [(i, t) for i, t in enumerate(ordered) if isinstance(t, ox.Literal)]
    if len(literals) < 2:
        return []
    values = " ".join(f"({i} {t})" for i, t in literals)
    query = (f"SELECT ?a ?b {{ VALUES (?i ?a) {{ {values} }} VALUES (?j ?b) {{ {values} }} "
             "FILTER(?i < ?j && ?b < ?a) }")
    return [(row["a"], row["b"]) for row in ox.Store().query(query)]
