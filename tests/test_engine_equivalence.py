"""pyoxigraph gives the same answers as rdflib's own SPARQL engine on the example queries
(the engine was chosen for speed; the answers must not change)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import rdflib
from rdflib import Literal

from tests.conftest import ROOT
from veikart_graph.examples import load_examples
from veikart_graph.namespaces import GRAPH_SHAPES, QUERYABLE_GRAPHS
from veikart_graph.store import KnowledgeGraph

# Left out: federated queries (need a remote endpoint) and the app's own text-search
# functions (rdflib has no vk:textScore); both are tested through /sparql elsewhere.
EXAMPLES = [e for e in load_examples(ROOT / "queries")
            if "SERVICE" not in e.text.upper() and "vk:textScore" not in e.text and "vk:matches(" not in e.text]


@pytest.fixture(scope="module")
def rdflib_graph(snapshot) -> rdflib.Dataset:
    """rdflib's engine over the same default graph: the union of the queryable graphs (as our
    endpoint's): not the shapes, and not the older releases' content graphs, which differ from
    the current data since 2026-08."""
    keep = tuple(f"<{g}> .".encode() for g in QUERYABLE_GRAPHS)
    lines = [line for line in snapshot.dataset_path.read_bytes().splitlines() if line.endswith(keep)]
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=b"\n".join(lines), format="nquads")
    return dataset


@pytest.fixture(scope="module")
def rdflib_dataset(snapshot) -> rdflib.Dataset:
    """All named graphs, for queries with GRAPH patterns (every graph is addressable by name)."""
    dataset = rdflib.Dataset()
    dataset.parse(snapshot.dataset_path, format="nquads")
    return dataset


def _norm(value: object) -> object:
    if isinstance(value, Literal) and isinstance(value.toPython(), int | float | Decimal):
        return ("num", float(value.toPython()))
    if value is None:
        return None
    return str(value) + (f"@{value.language}" if isinstance(value, Literal) and value.language else "")


def _ox_norm(term: object) -> object:
    if term is None:
        return None
    if hasattr(term, "datatype") and term.datatype.value.startswith("http://www.w3.org/2001/XMLSchema#") and \
            term.datatype.value.rsplit("#", 1)[1] in ("integer", "decimal", "double", "float", "int", "long"):
        return ("num", float(term.value))
    language = getattr(term, "language", None)
    return term.value + (f"@{language}" if language else "")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.key for e in EXAMPLES])
def test_same_answers_as_rdflib(example, graph: KnowledgeGraph, rdflib_graph: rdflib.Dataset,
                                rdflib_dataset: rdflib.Dataset):
    ours = graph.run(example.text)
    engine = rdflib_dataset if "GRAPH " in example.text.split("SELECT", 1)[-1] else rdflib_graph
    theirs = engine.query(example.text)
    if theirs.type == "CONSTRUCT":
        assert len(list(ours)) == len(theirs.graph)
        return
    names = [v.value for v in ours.variables]
    ox_rows = sorted(tuple(_ox_norm(row[n]) for n in names) for row in ours)
    rdflib_rows = sorted(tuple(_norm(row[n]) for n in names) for row in theirs)
    assert ox_rows == rdflib_rows


def test_named_graph_counts(graph: KnowledgeGraph, snapshot):
    dataset = rdflib.Dataset()
    dataset.parse(snapshot.dataset_path, format="nquads")
    counts = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert str(GRAPH_SHAPES) in counts
    assert graph.count_triples() == counts
