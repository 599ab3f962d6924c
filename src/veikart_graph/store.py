"""The query engine seam: a read-only pyoxigraph store loaded once from a snapshot.

pyoxigraph (Rust) answers this data's query mix 40-7000x faster than rdflib's pure-Python
evaluator (measured in ``bench/``), so every query runs here.
Values are bound with a trailing ``VALUES`` clause built from pyoxigraph terms: the term
constructors validate IRIs and escape literals, so user text cannot break out of the term
(pyoxigraph's ``substitutions`` only binds projected variables, so it cannot serve here).

``GraphReader`` is the one reading interface of the app: ``KnowledgeGraph`` here (embedded,
the default) and ``veikart_graph.remote.RemoteGraph`` (a SPARQL 1.1 store over HTTP) implement it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from . import sorting
from .errors import QueryError
from .extension_functions import DEFAULT_BASE, with_unknown_functions
from .guard import has_dataset_clause
from .namespaces import QUERYABLE_GRAPHS, VKID, sparql_prologue

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = dict[str, Term]

PROLOGUE = sparql_prologue()
DEFAULT_GRAPHS = [ox.NamedNode(str(g)) for g in QUERYABLE_GRAPHS]


UNION_FILE = "default.nt"


def load_store(dataset_path: Path) -> ox.Store:
    """An in-memory store holding the snapshot's N-Quads (the named graphs) and, when the
    snapshot has it, ``default.nt``: the union of the queryable graphs as the store's default
    graph. pyoxigraph evaluates a pattern over one default graph 2-3x faster than over a list of
    graphs (``bench/store_bench.py``), for the same answers."""
    store = ox.Store()
    store.bulk_load(path=str(dataset_path), format=ox.RdfFormat.N_QUADS)
    union = dataset_path.parent / UNION_FILE
    if union.is_file():
        store.bulk_load(path=str(union), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def union_nt(nquads: bytes) -> bytes:
    """N-Triples of the distinct triples in the queryable graphs (the SPARQL default graph)."""
    queryable = {ox.NamedNode(str(g)) for g in QUERYABLE_GRAPHS}
    triples = {q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS) if q.graph_name in queryable}
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)


def named_quads(store: ox.Store, graph: object = None) -> Iterator[ox.Quad]:
    """``quads_for_pattern`` over the named graphs only (never the default-graph copy)."""
    for quad in store.quads_for_pattern(None, None, None, graph):
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield quad


def to_term(value: object) -> Term:
    """A Python value as an RDF term: str starting with http(s) → IRI, else a literal."""
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    text = str(value)
    if text.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(text)
    return ox.Literal(text)


def values_clause(bindings: Mapping[str, object]) -> str:
    """``VALUES (?a ?b) { (<iri> "lit") }`` for one row of bindings."""
    names = list(bindings)
    for name in names:
        if not name.isidentifier():
            raise ValueError(f"bad variable name {name!r}")
    terms = " ".join(str(to_term(bindings[n])) for n in names)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"


class QuadSource(Protocol):
    """Index lookups by pattern (``None`` = any), as ``pyoxigraph.Store.quads_for_pattern``."""

    def quads_for_pattern(self, subject: object, predicate: object, object: object,
                          graph_name: object = None) -> Iterator[ox.Quad]: ...


@runtime_checkable
class GraphReader(Protocol):
    """All reading the app does, on the embedded snapshot (``KnowledgeGraph``) or a SPARQL 1.1
    store over HTTP (``veikart_graph.remote.RemoteGraph``); both give pyoxigraph's types."""

    snapshot_hash: str

    @property
    def store(self) -> QuadSource: ...

    def run(self, text: str, *, default_graphs: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None, bindings: Mapping[str, object] | None = None,
            custom_functions: Mapping[ox.NamedNode, object] | None = None,
            max_rows: int | None = None,
            ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]: ...

    def select(self, text: str, **bindings: object) -> list[Row]: ...

    def ask(self, text: str, **bindings: object) -> bool: ...

    def construct(self, text: str, **bindings: object) -> list[ox.Triple]: ...

    def exists(self, iri: str) -> bool: ...

    def count_triples(self) -> dict[str, int]: ...

    def entities_by_class(self) -> dict[str, int]: ...


class GraphQueries:
    """The reads written in code, on top of ``run``; shared by both ``GraphReader`` kinds."""

    def run(self, text: str, *, bindings: Mapping[str, object] | None = None, **options: object):
        raise NotImplementedError

    def select(self, text: str, **bindings: object) -> list[Row]:
        """Rows of a SELECT written in code (project prefixes are declared for it)."""
        result = self.run(PROLOGUE + text, bindings=bindings)
        names = [v.value for v in result.variables]
        return [
            {name: row[name] for name in names if row[name] is not None} for row in result
        ]

    def ask(self, text: str, **bindings: object) -> bool:
        return bool(self.run(PROLOGUE + text, bindings=bindings))

    def construct(self, text: str, **bindings: object) -> list[ox.Triple]:
        return list(self.run(PROLOGUE + text, bindings=bindings))

    def exists(self, iri: str) -> bool:
        """True if ``iri`` is the subject of any triple in a queryable graph."""
        return self.ask("ASK { ?iri ?p ?o }", iri=ox.NamedNode(iri))

    def count_triples(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"].value: int(row["n"].value) for row in rows}

    def entities_by_class(self) -> dict[str, int]:
        rows = self.select(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { GRAPH vkg:data { ?s a ?c } "
            f'FILTER(STRSTARTS(STR(?s), "{VKID}")) }} GROUP BY ?c ORDER BY ?c'
        )
        return {row["c"].value: int(row["n"].value) for row in rows}


class KnowledgeGraph(GraphQueries):
    """Read-only access to one snapshot; shared by the web pages, the CLI and the tests."""

    def __init__(self, store: ox.Store, snapshot_hash: str = "") -> None:
        self.store = store
        self.snapshot_hash = snapshot_hash
        # True when the store's default graph holds the union of the queryable graphs
        self.union_default = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
                                  None) is not None

    @classmethod
    def from_snapshot(cls, dataset_path: Path, snapshot_hash: str = "") -> KnowledgeGraph:
        return cls(load_store(dataset_path), snapshot_hash)

    def run(
        self,
        text: str,
        *,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        bindings: Mapping[str, object] | None = None,
        custom_functions: Mapping[ox.NamedNode, object] | None = None,
        max_rows: int | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | sorting.SortedSolutions:
        """Evaluate ``text``; the default graph is the union of the queryable graphs, unless the
        query names its own dataset (FROM / FROM NAMED) or the caller gives one (the protocol's
        default-graph-uri / named-graph-uri, which take precedence over FROM).

        Relative IRIs resolve against ``DEFAULT_BASE`` unless the query has a ``BASE``; calls of
        functions the engine does not know are expression errors (``extension_functions``); a
        top-level ``ORDER BY`` is sorted here (``sorting``; ``max_rows`` bounds what it keeps)."""
        default = [ox.NamedNode(g) for g in default_graphs] if default_graphs else DEFAULT_GRAPHS
        named = [ox.NamedNode(g) for g in named_graphs] if named_graphs else None
        if not default_graphs and (self.union_default or (not named_graphs and has_dataset_clause(text))):
            default = None  # the store's default graph (the union), or the query's own FROM
        if bindings:
            text = text + "\n" + values_clause(bindings)
        tokens = sorting.tokens_of(text)
        functions = with_unknown_functions(text, custom_functions, tokens or [])

        def query(source: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
            return self.store.query(source, default_graph=default, named_graphs=named,
                                    custom_functions=functions, base_iri=DEFAULT_BASE)

        try:
            return sorting.evaluate(text, query, max_rows, tokens=tokens)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
