"""One entity as plain values: the data behind its HTML page and its RDF document (no Flask).

``describe(graph, iri, lang)`` gives an ``Entity``: label (page language, then nb, then en, then
the IRI), types, identifiers, every outgoing property with the property's label from the
ontology, values with their labels, incoming links grouped by property, sources, uncertainty,
external links, and the hash-IRI statement nodes (``…/x#eier-hod``) nested as ``parts``.
``entity_graph(graph, iri)`` gives the RDF document of the same IRI.

Cost per entity: three SELECTs, whatever its size: its statements and its statement nodes'
(``VALUES ?s { … }``), the links to it, and the labels of every linked term (``VALUES`` again;
measured as fast as pyoxigraph's direct index reads, and one request instead of a hundred on a
remote store). Two more run once per process and graph: the ontology's labels, and which
statement nodes each entity has (a statement node may hang off another statement node, so
"linked from the entity" is not enough to find them).

A statement is *inferred* when it is only in ``vkg:inferred``. In RDF documents, dataset formats
(TriG, N-Quads) keep every quad in its named graph, so inferred ones are in ``vkg:inferred``.
Triple formats have no graphs: they carry every statement (as the SPARQL default graph does)
and, for each inferred one, a standard RDF reification
``[] a rdf:Statement; rdf:subject …; rdf:predicate …; rdf:object …; dct:isPartOf vkg:inferred``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pyoxigraph as ox
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS

from .cache import per_graph
from .formats import RDF_FORMATS, serialize_triples
from .namespaces import (
    BASE,
    BRREG,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    ONTOLOGY_IRI,
    PREFIXES,
    QUERYABLE_GRAPHS,
    SCHEMA,
    VK,
)
from .store import PROLOGUE, KnowledgeGraph, Term

NAMED_GRAPHS = [str(g) for g in QUERYABLE_GRAPHS]
INFERRED = str(GRAPH_INFERRED)
MAX_LINKS = 100  # incoming links shown per property on a page; the RDF document has them all
MAX_LABELLED = 2000  # linked terms whose labels an RDF document carries (a class has many instances)

LABEL_PROPERTIES = (str(SKOS.prefLabel), str(RDFS.label), str(DCTERMS.title), str(FOAF.name))
TYPE, SOURCE = str(RDF.type), str(DCTERMS.source)
UNCERTAIN, UNCERTAINTY_NOTE = str(VK.uncertain), str(VK.uncertaintyNote)
IDENTIFYING = (str(SKOS.notation), str(DCTERMS.identifier), str(VK.organisationNumber))
LINKING = (str(SCHEMA.sameAs), str(RDFS.seeAlso), str(FOAF.homepage), str(FOAF.page))
SHOWN_ELSEWHERE = {TYPE, SOURCE, UNCERTAIN, UNCERTAINTY_NOTE, *IDENTIFYING, *LINKING}
PROPERTY_ORDER = [str(p) for p in (
    SKOS.prefLabel, SKOS.altLabel, RDFS.label, DCTERMS.title, FOAF.name, SKOS.definition,
    DCTERMS.description, VK.vision, VK.ambition, VK.subGoalOf, VK.hasSubGoal, VK.contributesTo,
    VK.supportsGoal, VK.possibleGoal, VK.owner, VK.qualifiedOwnership, VK.relatedOrganisation,
    VK.userGroup, VK.phase, VK.status, VK.risk, VK.segment, VK.when, VK.startYear, VK.endYear,
    VK.milestone, VK.component, VK.componentOf, VK.relatedMeasure, VK.contextFact,
    VK.fromRoadmap, DCTERMS.date, DCTERMS.modified, SKOS.inScheme, SKOS.note,
)]
REGISTERS = {BRREG: "Enhetsregisteret", "http://www.wikidata.org/entity/": "Wikidata"}  # names of linked registers
SCHEMA_TYPES = {
    **dict.fromkeys((str(VK.Organisation), str(VK.GovernanceBody)), "Organization"),
    **dict.fromkeys((str(VK.Strategy), str(VK.Roadmap), str(VK.RoadmapRelease)), "CreativeWork"),
    **dict.fromkeys((str(VK[c]) for c in ("Phase", "UserGroup", "Status", "RiskLevel",
                                          "PortfolioSegment", "ValueKind", "Role")), "DefinedTerm"),
    str(DCAT.Dataset): "Dataset",
}

VOCABULARY = """
SELECT ?x ?lp ?label WHERE {
  GRAPH vkg:ontology { VALUES ?lp { skos:prefLabel rdfs:label } ?x ?lp ?label FILTER(isLiteral(?label)) }
}"""
STATEMENT_NODES = f"""
SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && CONTAINS(STR(?s), "#")) }}"""

STATEMENTS = "SELECT ?s ?p ?o ?g WHERE { $NODES GRAPH ?g { ?s ?p ?o } }"
LINKS_HERE = "SELECT ?s ?p ?g WHERE { GRAPH ?g { ?s ?p ?iri } }"
LABELS = """SELECT ?s ?lp ?label ?lg WHERE { $NODES GRAPH ?lg { ?s ?lp ?label }
  FILTER(?lp IN (skos:prefLabel, rdfs:label, dct:title, foaf:name) && isLiteral(?label)) }"""
EXISTS = "ASK { { ?iri ?p ?o } UNION { ?s ?p ?iri } }"

Statements = dict[tuple[Term, str, Term], set[str]]  # (s, p, o) -> the named graphs stating it
Labels = dict[str, list[ox.Quad]]  # IRI -> its label quads
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Text:
    """A string with its language tag (None when it has none)."""

    value: str
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Value:
    """One object (or, for incoming links, subject) of a statement, ready to show.

    ``text`` is the label, else the literal's lexical form, else the IRI (prefixed for
    vocabularies); ``href`` a path on this host for our IRIs (``#frag`` for this page's statement
    nodes), the IRI itself for other web IRIs; ``boolean`` is set for ``xsd:boolean`` literals.
    """

    term: Term
    text: str
    lang: str | None = None
    href: str | None = None
    external: bool = False
    inferred: bool = False
    uncertain: bool = False
    boolean: bool | None = None

    @property
    def is_iri(self) -> bool:
        return isinstance(self.term, ox.NamedNode)


def literal_value(term: Term, inferred: bool = False) -> Value:
    if not isinstance(term, ox.Literal):
        return Value(term, str(term), inferred=inferred)
    boolean = term.value == "true" if term.datatype.value == XSD_BOOLEAN else None
    return Value(term, term.value, term.language, inferred=inferred, boolean=boolean)


def iri_value(term: ox.NamedNode, label: Text | None, href: str | None, uncertain: bool = False) -> Value:
    text, lang = (label.value, label.lang) if label else (compact(term.value), None)
    external = bool(href) and not href.startswith(("/", "#"))
    return Value(term, text, lang, href, external, uncertain=uncertain)


@dataclass(frozen=True)
class PropertyValues:
    predicate: str
    label: Text
    values: tuple[Value, ...]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.values)


@dataclass(frozen=True)
class Node:
    """The entity itself or one of its statement nodes (hash IRIs)."""

    iri: str
    label: Text
    types: tuple[Value, ...]
    properties: tuple[PropertyValues, ...]
    identifiers: tuple[PropertyValues, ...]
    links: tuple[PropertyValues, ...]
    sources: tuple[Value, ...]
    uncertain: bool
    uncertainty_notes: tuple[Text, ...]

    @property
    def fragment(self) -> str | None:
        return self.iri.split("#", 1)[1] if "#" in self.iri else None

    def values(self, predicate: str) -> tuple[Value, ...]:
        for group in (*self.properties, *self.identifiers, *self.links):
            if group.predicate == predicate:
                return group.values
        return ()


@dataclass(frozen=True)
class Entity:
    node: Node
    parts: tuple[Node, ...]
    incoming: tuple[PropertyValues, ...]

    @property
    def iri(self) -> str:
        return self.node.iri

    @property
    def label(self) -> Text:
        return self.node.label

    @property
    def has_inferred(self) -> bool:
        groups = (*self.node.properties, *self.incoming, *(g for p in self.parts for g in p.properties))
        return any(v.inferred for g in groups for v in g.values) or any(v.inferred for v in self.node.types)


# ----------------------------------------------------------------------------- helpers


def local_path(iri: str) -> str | None:
    """``/id/mal/1`` for ``https://w3id.org/veikart/id/mal/1``; None for other IRIs."""
    if iri == ONTOLOGY_IRI:
        return "/def"
    if iri.startswith(BASE) and len(iri) > len(BASE):
        return "/" + iri[len(BASE):]
    return None


def href_for(iri: str) -> str | None:
    """Where a link to ``iri`` points: a path on this host for our IRIs, else the IRI itself."""
    path = local_path(iri)
    if path:
        return path
    return iri if iri.startswith(("http://", "https://", "mailto:")) else None


def compact(iri: str) -> str:
    """``skos:note`` for a known namespace, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def lang_rank(tag: str | None, lang: str) -> int:
    tag = (tag or "").lower()
    if tag == lang:
        return 0
    return {"nb": 1, "no": 1, "en": 2, "": 3}.get(tag, 4)


def pick_label(quads: Iterable[ox.Quad], lang: str) -> Text | None:
    """The best label: the page language first, then nb, en, untagged; prefLabel before others."""
    best = min(
        quads,
        key=lambda q: (lang_rank(q.object.language, lang), LABEL_PROPERTIES.index(q.predicate.value), q.object.value),
        default=None,
    )
    return Text(best.object.value, best.object.language) if best else None


def pick_text(texts: Iterable[Text], lang: str) -> Text | None:
    return min(texts, key=lambda t: (lang_rank(t.lang, lang), t.value), default=None)


def is_inferred(graphs: set[str]) -> bool:
    return INFERRED in graphs and len(graphs) == 1


# ----------------------------------------------------------------------------- reading the graph


@dataclass(frozen=True)
class Vocabulary:
    """Per-graph lookups read once: labels of the ontology's terms (properties, classes, code-list
    concepts) and, for each entity, its statement nodes (hash IRIs ``<entity>#…``)."""

    labels: Labels
    statement_nodes: dict[str, tuple[str, ...]]
    _chosen: dict[tuple[str, str], Text | None] = field(default_factory=dict, compare=False)

    def term_label(self, iri: str, lang: str) -> Text | None:
        """The term's label in ``lang`` (fallback nb, en), remembered per language."""
        key = (iri, lang)
        if key not in self._chosen:
            self._chosen[key] = pick_label(self.labels.get(iri, []), lang)
        return self._chosen[key]

    def label(self, iri: str, lang: str) -> Text:
        return self.term_label(iri, lang) or Text(compact(iri))


@per_graph
def vocabulary(graph: KnowledgeGraph) -> Vocabulary:
    """The per-graph lookups, read once per process and graph (two SELECTs)."""
    return _read_vocabulary(graph)


def _read_vocabulary(graph: KnowledgeGraph) -> Vocabulary:
    labels: Labels = defaultdict(list)
    ontology = ox.NamedNode(str(GRAPH_ONTOLOGY))
    for row in graph.select(VOCABULARY):
        labels[row["x"].value].append(ox.Quad(row["x"], row["lp"], row["label"], ontology))
    nodes: dict[str, list[str]] = defaultdict(list)
    for row in graph.select(STATEMENT_NODES):
        nodes[row["s"].value.split("#", 1)[0]].append(row["s"].value)
    return Vocabulary(dict(labels), {base: tuple(sorted(found)) for base, found in nodes.items()})


def iri_values(var: str, iris: Iterable[str]) -> str:
    """``VALUES ?var { <a> <b> }`` for IRIs. Each IRI goes through ``ox.NamedNode``, which rejects
    anything that is not an IRI (no ``>``, spaces, quotes): the guarantee the store's own
    ``bindings`` give, for several rows. Nothing else is ever put into a query text."""
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"


def _run(graph: KnowledgeGraph, text: str, **bindings: object) -> list[tuple[Term, ...]]:
    """Solutions as tuples in SELECT order (``tuple(row)`` is pyoxigraph's fast path)."""
    result = graph.run(PROLOGUE + text, named_graphs=NAMED_GRAPHS, bindings=bindings or None)
    return [tuple(row) for row in result]


def fetch(graph: KnowledgeGraph, iri: str) -> tuple[Statements, Statements]:
    """The statements of ``iri`` and of its statement nodes, and the statements linking to ``iri``
    (two SELECTs; each statement with the named graphs that state it)."""
    nodes = (iri, *vocabulary(graph).statement_nodes.get(iri, ()))
    outgoing: Statements = defaultdict(set)
    for s, p, o, g in _run(graph, STATEMENTS.replace("$NODES", iri_values("s", nodes))):
        outgoing[(s, p.value, o)].add(g.value)
    incoming: Statements = defaultdict(set)
    target = ox.NamedNode(iri)
    for s, p, g in _run(graph, LINKS_HERE, iri=target):
        incoming[(s, p.value, target)].add(g.value)
    return outgoing, incoming


def labels(graph: KnowledgeGraph, nodes: Iterable[Term]) -> Labels:
    """Label quads (prefLabel, rdfs:label, dct:title, foaf:name) of the IRIs among ``nodes`` (one SELECT)."""
    iris = sorted({n.value for n in nodes if isinstance(n, ox.NamedNode)})
    found: Labels = defaultdict(list)
    if iris:
        for s, lp, label, lg in _run(graph, LABELS.replace("$NODES", iri_values("s", iris))):
            found[s.value].append(ox.Quad(s, lp, label, lg))
    return found


def exists(graph: KnowledgeGraph, iri: str) -> bool:
    """True if the queryable graphs say anything about ``iri``, its statement nodes included."""
    return iri in vocabulary(graph).statement_nodes or graph.ask(EXISTS, iri=ox.NamedNode(iri))


# ----------------------------------------------------------------------------- assembling


Grouped = dict[str, list[tuple[Term, set[str]]]]  # predicate -> (term, graphs)


@dataclass
class _Context:
    graph: KnowledgeGraph
    lang: str
    vocab: Vocabulary
    labels: Labels
    own: dict[str, bool]  # statement nodes shown on this page -> uncertain?
    seen: dict[str, Value] = field(default_factory=dict)  # IRI -> its (asserted) Value

    def value(self, term: Term, graphs: set[str]) -> Value:
        inferred = is_inferred(graphs)
        if not isinstance(term, ox.NamedNode):
            return literal_value(term, inferred)
        found = self.seen.get(term.value)
        if found is None:
            found = self.seen[term.value] = self._iri_value(term)
        return replace(found, inferred=True) if inferred else found

    def _iri_value(self, term: ox.NamedNode) -> Value:
        iri = term.value
        if iri in self.own:
            return iri_value(term, self.node_label(iri), "#" + iri.split("#", 1)[1], self.own[iri])
        return iri_value(term, self.term_label(iri), href_for(iri))

    def term_label(self, iri: str) -> Text | None:
        found = pick_label(self.labels.get(iri, []), self.lang) or self.vocab.term_label(iri, self.lang)
        if found:
            return found
        for prefix, register in REGISTERS.items():
            if iri.startswith(prefix):
                return Text(f"{register} {iri[len(prefix):]}")
        if "#" not in iri:
            return None
        base, fragment = iri.split("#", 1)  # another entity's unlabelled statement node
        owner = pick_label(self.labels.get(base, []), self.lang)
        return Text(f"{owner.value} #{fragment}", owner.lang) if owner else None

    def node_label(self, iri: str) -> Text:
        found = pick_label(self.labels.get(iri, []), self.lang)
        if found:
            return found
        return Text(f"#{iri.split('#', 1)[1]}") if "#" in iri else Text(iri)

    def group(self, statements: Grouped) -> tuple[PropertyValues, ...]:
        groups = []
        for predicate, objects in statements.items():
            values = sorted((self.value(o, gs) for o, gs in objects), key=lambda v: (v.inferred, v.text.lower()))
            groups.append(PropertyValues(predicate, self.vocab.label(predicate, self.lang), tuple(values),
                                         len(values)))
        return tuple(sorted(groups, key=_order))

    def node(self, iri: str, statements: Grouped) -> Node:
        types = tuple(sorted((self.value(o, gs) for o, gs in statements.get(TYPE, [])),
                             key=lambda v: (v.inferred, v.text)))
        notes = tuple(sorted((Text(o.value, o.language) for o, _ in statements.get(UNCERTAINTY_NOTE, [])),
                             key=lambda t: lang_rank(t.lang, self.lang)))
        label = self.node_label(iri)
        if label.value.startswith("#") and types:
            label = Text(f"{types[0].text} {label.value}", types[0].lang)
        return Node(
            iri=iri,
            label=label,
            types=types,
            properties=self.group({p: v for p, v in statements.items() if p not in SHOWN_ELSEWHERE}),
            identifiers=self.group({p: statements[p] for p in IDENTIFYING if p in statements}),
            links=self.group({p: statements[p] for p in LINKING if p in statements}),
            sources=tuple(sorted((self.value(o, gs) for o, gs in statements.get(SOURCE, [])), key=lambda v: v.text)),
            uncertain=_says_uncertain(statements) or bool(notes),
            uncertainty_notes=notes,
        )


def _order(group: PropertyValues) -> tuple[int, str]:
    index = PROPERTY_ORDER.index(group.predicate) if group.predicate in PROPERTY_ORDER else len(PROPERTY_ORDER)
    return index, group.label.value.lower()


def _says_uncertain(statements: Grouped) -> bool:
    return any(o.value == "true" for o, _ in statements.get(UNCERTAIN, []))


def _by_subject(statements: Statements) -> dict[str, Grouped]:
    subjects: dict[str, Grouped] = defaultdict(lambda: defaultdict(list))
    for (s, p, o), graphs in statements.items():
        subjects[s.value][p].append((o, graphs))
    return subjects


def _links_here(incoming: Statements, own: dict[str, bool]) -> Grouped:
    """Incoming links by property (not from this page's own statement nodes), at most MAX_LINKS each."""
    grouped: Grouped = defaultdict(list)
    for (s, p, _), graphs in sorted(incoming.items(), key=lambda item: item[0][0].value):
        if s.value not in own:
            grouped[p].append((s, graphs))
    return grouped


def describe(graph: KnowledgeGraph, iri: str, lang: str = "nb") -> Entity | None:
    """The entity ``iri`` for a page in ``lang``; None when the graph says nothing about it."""
    outgoing, incoming = fetch(graph, iri)
    if not outgoing and not incoming:
        return None
    subjects = _by_subject(outgoing)
    parts = sorted(s for s in subjects if s != iri)
    own = {s: _says_uncertain(subjects[s]) for s in parts}
    links_here = _links_here(incoming, own)
    shown = {p: links[:MAX_LINKS] for p, links in links_here.items()}
    nodes = {o.value for _, _, o in outgoing if isinstance(o, ox.NamedNode)}
    nodes |= {s.value for links in shown.values() for s, _ in links} | {iri}
    nodes |= {n.split("#", 1)[0] for n in nodes if "#" in n}  # whose statement node it is
    ctx = _Context(graph, lang, vocabulary(graph), labels(graph, map(ox.NamedNode, nodes)), own)
    groups = ctx.group(shown)
    totals = {p: len(links) for p, links in links_here.items()}
    return Entity(
        node=ctx.node(iri, subjects.get(iri, {})),
        parts=tuple(ctx.node(s, subjects[s]) for s in parts),
        incoming=tuple(PropertyValues(g.predicate, g.label, g.values, totals[g.predicate]) for g in groups),
    )


# ----------------------------------------------------------------------------- schema.org


def schema_org(entity: Entity, lang: str = "nb") -> dict[str, object]:
    """A schema.org description for a ``<script type="application/ld+json">`` block."""
    node = entity.node
    kind = next((SCHEMA_TYPES[v.term.value] for v in node.types if v.term.value in SCHEMA_TYPES), "Thing")
    data: dict[str, object] = {
        "@context": "https://schema.org", "@type": kind, "@id": node.iri, "name": node.label.value, "url": node.iri,
    }
    identifiers = [v.term.value for g in node.identifiers for v in g.values]
    description = pick_text((Text(v.term.value, v.lang) for v in node.values(str(DCTERMS.description))), lang)
    same = [v.term.value for g in node.links for v in g.values if v.is_iri]
    optional = {
        "identifier": identifiers, "description": description.value if description else None,
        "sameAs": same, "citation": [v.term.value for v in node.sources],
    }
    data.update({k: v for k, v in optional.items() if v})
    return data


# ----------------------------------------------------------------------------- RDF document


@dataclass(frozen=True)
class Document:
    """The RDF document of one IRI: quads in their named graphs."""

    iri: str
    quads: tuple[ox.Quad, ...]

    def triples(self) -> list[ox.Triple]:
        """Every statement once, plus a reification of each inferred one (see module docstring)."""
        graphs: dict[ox.Triple, set[str]] = defaultdict(set)
        for quad in self.quads:
            graphs[quad.triple].add(quad.graph_name.value)
        ordered = sorted(graphs, key=str)
        return ordered + [t for triple in ordered if is_inferred(graphs[triple]) for t in _reify(triple)]

    def serialize(self, key: str) -> bytes:
        """The document as ``key`` (a ``formats.RDF_FORMATS`` key). RDF/XML goes through
        ``formats.serialize_triples``, which refuses (406) what XML 1.0 cannot carry."""
        if key == "rdfxml":
            return serialize_triples(self.triples(), key)
        dataset = key in ("trig", "nq")
        items = sorted(self.quads, key=str) if dataset else self.triples()
        return ox.serialize(items, format=RDF_FORMATS[key], prefixes=self._prefixes(key))

    def _prefixes(self, key: str) -> dict[str, str] | None:
        """The prefixes the document uses (not ``vkid:``, whose local names would need escapes)."""
        if key not in ("ttl", "trig", "rdfxml"):
            return None
        used = {t.value for q in self.quads for t in (q.predicate, q.object, q.graph_name)
                if isinstance(t, ox.NamedNode)}
        wanted = {"rdf", "dct"} | {p for p, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)}
        return {p: PREFIXES[p] for p in sorted(wanted) if p != "vkid"}


def _reify(triple: ox.Triple) -> list[ox.Triple]:
    """The statement as an ``rdf:Statement`` node, named from the triple itself, so the same
    document serializes to the same bytes every time (stable ETags, reproducible downloads)."""
    node = ox.BlankNode("s" + hashlib.sha256(str(triple).encode()).hexdigest()[:20])
    return [
        ox.Triple(node, ox.NamedNode(TYPE), ox.NamedNode(str(RDF.Statement))),
        ox.Triple(node, ox.NamedNode(str(RDF.subject)), triple.subject),
        ox.Triple(node, ox.NamedNode(str(RDF.predicate)), triple.predicate),
        ox.Triple(node, ox.NamedNode(str(RDF.object)), triple.object),
        ox.Triple(node, ox.NamedNode(str(DCTERMS.isPartOf)), ox.NamedNode(INFERRED)),
    ]


def entity_graph(graph: KnowledgeGraph, iri: str) -> Document | None:
    """Outgoing statements, statement nodes, incoming links and the labels of linked terms
    (of the first ``MAX_LABELLED`` of them).

    The ontology IRI (``/def``) gives the whole ontology graph. None when nothing is known.
    """
    if iri == ONTOLOGY_IRI:
        ontology = ox.NamedNode(str(GRAPH_ONTOLOGY))
        return Document(iri, tuple(graph.store.quads_for_pattern(None, None, None, ontology)))
    outgoing, incoming = fetch(graph, iri)
    if not outgoing and not incoming:
        return None
    quads = {
        ox.Quad(s, ox.NamedNode(p), o, ox.NamedNode(g))
        for statements in (outgoing, incoming) for (s, p, o), graphs in statements.items() for g in graphs
    }
    linked = sorted({o for _, _, o in outgoing} | {s for s, _, _ in incoming}, key=str)
    quads.update(q for found in labels(graph, linked[:MAX_LABELLED]).values() for q in found)
    return Document(iri, tuple(quads))
