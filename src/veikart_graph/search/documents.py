"""The graph as search documents: one per entity that has a page.

An entity is an IRI under ``https://w3id.org/veikart/id/`` without a fragment that has an
asserted ``rdf:type`` (statement nodes such as ``…#eier-hod`` resolve with their entity's page,
so their text is searched as part of that entity). Its text goes into these fields:

| field | from |
|---|---|
| ``label`` | ``skos:prefLabel``, ``rdfs:label``, ``dct:title``, ``foaf:name`` (every language) |
| ``alt`` | ``skos:altLabel``, ``skos:hiddenLabel``, ``dcat:keyword`` (abbreviations such as "PLL") |
| ``code`` | ``skos:notation`` ("1B"), ``vk:organisationNumber`` |
| ``body`` | ``dct:description``, ``skos:definition``, ``vk:ambition``, ``vk:vision``, ``rdfs:comment`` |
| ``related`` | names of its owner, user groups, phase and components; notations of its goals |
| ``detail`` | other language-tagged text, and all text of its statement nodes (``…#…``) |

``dct:identifier`` (the IRI key, "vkp-datadeling") is searched too, with a low weight, but never
shown in snippets (it goes into the index's ``parts`` column). A delivery's identifier is the
published Leveranse-ID ("56876000020107079"): it is also the delivery's display code (its
``notation`` in results), as the list has no other code.

Facets: ``type`` (the most specific asserted class), ``goal`` (goals reached through
``vk:contributesToTransitive`` or ``vk:measures``, or the goal itself), ``owner`` (``vk:owner``),
``usergroup`` (``vk:userGroup``), ``phase`` (``vk:phase``) and ``year`` (every year from
``vk:startYear`` to ``vk:endYear``, the years of its milestones' ``vk:when`` and of its
observations' ``vk:refYear``). Documents hold facet values as IRIs (the class for ``type``);
the index turns them into the keys used in URLs (``facets.value_key``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import DCAT, DCTERMS, FOAF, PREFIXES, RDFS, SKOS, VK
from ..store import KnowledgeGraph

COLUMNS = ("label", "alt", "code", "body", "related", "detail")
FIELD_OF = {
    **{str(p): "label" for p in (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)},
    **{str(p): "alt" for p in (SKOS.altLabel, SKOS.hiddenLabel, DCAT.keyword)},
    **{str(p): "code" for p in (SKOS.notation, VK.organisationNumber)},
    **{str(p): "body" for p in (DCTERMS.description, SKOS.definition, VK.ambition, VK.vision,
                                RDFS.comment, SKOS.scopeNote, DCTERMS.abstract)},
}
NAME_PREDICATES = (str(SKOS.prefLabel), str(SKOS.altLabel))
CODE_PREDICATES = (str(SKOS.notation), str(VK.organisationNumber), str(DCTERMS.identifier))
RELATED_LINKS = (VK.owner, VK.userGroup, VK.phase, VK.component)
FACET_LINKS = {str(VK.owner): "owner", str(VK.userGroup): "usergroup", str(VK.phase): "phase"}
TYPE_ORDER = ("Strategy", "Roadmap", "RoadmapRelease", "Goal", "SubGoal", "BenefitStatement",
              "ActivityGroup", "Delivery", "Activity", "Deliverable", "PortfolioMeasure", "PortfolioProject",
              "RelatedInitiative", "Indicator", "Organisation", "GovernanceBody", "Portfolio",
              "UserGroup", "Phase")
YEAR = re.compile(r"^(\d{4})")
MAX_YEAR_SPAN = 60

Text = tuple[str, str]  # (text, language tag or "")

Q_TYPES = """SELECT DISTINCT ?e ?c WHERE {
  GRAPH ?g { ?e a ?c }
  FILTER(?g IN (vkg:data, vkg:ontology, vkg:metadata) && isIRI(?e)
         && STRSTARTS(STR(?e), STR(vkid:)) && !CONTAINS(STR(?e), "#"))
}"""
Q_LITERALS = """SELECT DISTINCT ?s ?p ?o WHERE {
  ?s ?p ?o FILTER(isLiteral(?o) && isIRI(?s) && STRSTARTS(STR(?s), STR(vkid:)))
}"""
Q_LINKS = """SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { vk:owner vk:userGroup vk:phase vk:component vk:contributesToTransitive vk:measures }
  ?s ?p ?o FILTER(isIRI(?o))
}"""
Q_NAMES = """SELECT DISTINCT ?x ?p ?l WHERE {
  VALUES ?p { skos:prefLabel rdfs:label dct:title foaf:name skos:altLabel skos:notation }
  ?x ?p ?l FILTER(isIRI(?x) && isLiteral(?l))
}"""
Q_YEARS = """SELECT DISTINCT ?s ?p ?y WHERE {
  { ?s vk:startYear ?y BIND(vk:startYear AS ?p) }
  UNION { ?s vk:endYear ?y BIND(vk:endYear AS ?p) }
  UNION { ?s vk:milestone/vk:when ?y BIND(vk:when AS ?p) }
  UNION { ?obs vk:indicator ?s ; vk:refYear ?y BIND(vk:refYear AS ?p) }
}"""


@dataclass
class Document:
    iri: str
    type: str  # the type's facet key, e.g. "Activity" or "dcat:Dataset"
    type_iri: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    notation: str = ""
    fields: dict[str, list[Text]] = field(default_factory=lambda: defaultdict(list))
    facets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    belongs_to: list[str] = field(default_factory=list)

    names: list[Text] = field(default_factory=list)  # skos:prefLabel and skos:altLabel
    codes: list[str] = field(default_factory=list)  # notations, organisation numbers, identifiers


@dataclass
class Names:
    """Labels and notations of every IRI in the graph (also classes and code-list concepts)."""

    labels: dict[str, list[Text]] = field(default_factory=lambda: defaultdict(list))
    notations: dict[str, str] = field(default_factory=dict)
    preferred: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def label(self, iri: str, lang: str) -> str:
        pref = self.preferred.get(iri, {})
        return pref.get(lang) or pref.get("nb") or pref.get("") or next(iter(pref.values()), "") or \
            re.split(r"[/#]", iri.rstrip("/"))[-1]


def _lang(term: object) -> str:
    return getattr(term, "language", None) or ""


def _is_text(literal: object) -> bool:
    datatype = getattr(literal, "datatype", None)
    return _lang(literal) != "" or datatype is None or datatype.value.endswith("#string")


def read_names(graph: KnowledgeGraph) -> Names:
    names = Names()
    label_rank = {str(SKOS.prefLabel): 0, str(RDFS.label): 1, str(DCTERMS.title): 2, str(FOAF.name): 3}
    ranks: dict[tuple[str, str], int] = {}
    for row in graph.select(Q_NAMES):
        iri, pred, literal = row["x"].value, row["p"].value, row["l"]
        if pred == str(SKOS.notation):
            names.notations.setdefault(iri, literal.value)
            continue
        names.labels[iri].append((literal.value, _lang(literal)))
        rank = label_rank.get(pred)
        slot = (iri, _lang(literal))
        if rank is not None and rank < ranks.get(slot, 99):
            ranks[slot] = rank
            names.preferred[iri][_lang(literal)] = literal.value
    return names


def type_key(class_iri: str) -> str:
    """``Activity`` for vk: classes, ``dcat:Dataset`` (prefixed name) for the others."""
    if class_iri.startswith(str(VK)):
        return class_iri[len(str(VK)):]
    for prefix, ns in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if class_iri.startswith(ns) and prefix not in ("vkid", "vkg"):
            return f"{prefix}:{class_iri[len(ns):]}"
    return class_iri


def _type_rank(class_iri: str) -> tuple[int, str]:
    if class_iri.startswith(str(VK)):
        return 0, class_iri
    if class_iri.startswith(str(DCAT)):
        return 1, class_iri
    return (3 if class_iri == str(SKOS.Concept) else 2), class_iri


def read_documents(graph: KnowledgeGraph, names: Names) -> dict[str, Document]:
    """Every entity with a page, its type and display labels."""
    classes: dict[str, list[str]] = defaultdict(list)
    for row in graph.select(Q_TYPES):
        classes[row["e"].value].append(row["c"].value)
    docs = {}
    for iri, found in classes.items():
        type_iri = min(found, key=_type_rank)
        doc = Document(iri, type_key(type_iri), type_iri)
        doc.labels = {lang: names.label(iri, lang) for lang in ("nb", "en")}
        doc.notation = names.notations.get(iri, "")
        doc.facets["type"].add(type_iri)
        docs[iri] = doc
    return docs


def add_literals(graph: KnowledgeGraph, docs: dict[str, Document]) -> None:
    """Own literals by predicate; literals of statement nodes (``entity#…``) into ``detail``."""
    for row in graph.select(Q_LITERALS):
        subject, pred, literal = row["s"].value, row["p"].value, row["o"]
        owner, _, fragment = subject.partition("#")
        doc = docs.get(owner)
        if doc is None or not _is_text(literal):
            continue
        column = FIELD_OF.get(pred)
        if pred == str(DCTERMS.identifier):
            column = None
        elif fragment:
            column = "detail" if column != "code" else None
        elif column is None and _lang(literal):
            column = "detail"
        if column:
            doc.fields[column].append((literal.value, _lang(literal)))
        if not fragment and pred in NAME_PREDICATES:
            doc.names.append((literal.value, _lang(literal)))
        if not fragment and pred in CODE_PREDICATES:
            doc.codes.append(literal.value)
        if not fragment and pred == str(DCTERMS.identifier) and doc.type == "Delivery" and not doc.notation:
            doc.notation = literal.value


def add_links(graph: KnowledgeGraph, docs: dict[str, Document], names: Names) -> None:
    """Names of linked things, facet values, and the goals/sub-goals each entity serves."""
    targets: dict[str, set[str]] = defaultdict(set)
    for row in graph.select(Q_LINKS):
        subject, pred, obj = row["s"].value, row["p"].value, row["o"].value
        doc = docs.get(subject)
        if doc is None:
            continue
        if pred in (str(VK.contributesToTransitive), str(VK.measures)):
            targets[subject].add(obj)
            continue
        doc.fields["related"].extend(names.labels.get(obj, []))
        if pred in FACET_LINKS:
            doc.facets[FACET_LINKS[pred]].add(obj)
    for subject, reached in targets.items():
        _add_goals(docs[subject], reached, targets, docs)
    for doc in docs.values():
        if doc.type == "Goal":
            doc.facets["goal"].add(doc.iri)


def _add_goals(doc: Document, reached: set[str], targets: dict[str, set[str]],
               docs: dict[str, Document]) -> None:
    # vk:measures points at a goal or sub-goal; follow its own contributions one step further.
    closure = set(reached)
    for iri in reached:
        closure |= targets.get(iri, set())
    kinds = ("Goal", "SubGoal")
    served = [docs[i] for i in closure if i in docs and docs[i].type in kinds]
    served.sort(key=lambda d: (kinds.index(d.type), natural_key(d.notation)))
    doc.belongs_to = [d.iri for d in served]
    for goal in served:
        if goal.notation:
            doc.fields["related"].append((goal.notation, ""))
        if goal.type == "Goal":
            doc.facets["goal"].add(goal.iri)


def add_years(graph: KnowledgeGraph, docs: dict[str, Document]) -> None:
    spans: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row in graph.select(Q_YEARS):
        match = YEAR.match(row["y"].value)
        if match and row["s"].value in docs:
            spans[row["s"].value][row["p"].value].append(int(match.group(1)))
    for iri, found in spans.items():
        docs[iri].facets["year"].update(str(y) for y in years_of(found))


def years_of(found: dict[str, list[int]]) -> set[int]:
    starts, ends = found.get(str(VK.startYear), []), found.get(str(VK.endYear), [])
    years = set(starts) | set(ends) | set(found.get(str(VK.when), [])) | set(found.get(str(VK.refYear), []))
    if starts and ends and 0 <= max(ends) - min(starts) <= MAX_YEAR_SPAN:
        years |= set(range(min(starts), max(ends) + 1))
    return years


def natural_key(text: str) -> tuple:
    """"1B" < "1B-2" < "2A" < "10": digits compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.findall(r"\d+|\D+", text))


def sort_key(doc: Document) -> tuple:
    rank = TYPE_ORDER.index(doc.type) if doc.type in TYPE_ORDER else len(TYPE_ORDER)
    return rank, doc.type, natural_key(doc.notation), doc.labels.get("nb", "").casefold(), doc.iri


def collect(graph: KnowledgeGraph) -> tuple[list[Document], Names]:
    """All search documents of ``graph``, in browsing order."""
    names = read_names(graph)
    docs = read_documents(graph, names)
    add_literals(graph, docs)
    add_links(graph, docs, names)
    add_years(graph, docs)
    return sorted(docs.values(), key=sort_key), names

