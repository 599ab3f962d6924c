"""Filtering changes by goal, owner or user group (``/changes?goal=1&owner=983544622``).

A filter value may be what a reader knows: a goal's number (``1``) or key (``mal/1``), an
organisation number (``983544622``) or key (``helsedirektoratet``), a user group's key
(``kommuner-og-fylkeskommuner``), or the full IRI. Unknown values are a 400 that lists the valid
ones. An entity matches when the older *or* the newer release links it to the value, so an
activity that moved from goal 1 to goal 2 shows up under both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from ..errors import BadRequest
from ..namespaces import VK, VKID
from .index import ReleaseIndex

KINDS = ("goal", "owner", "usergroup")
CLASSES = {"goal": VK.Goal, "owner": VK.Organisation, "usergroup": VK.UserGroup}
KEY_PREFIX = {"goal": "mal/", "owner": "organisasjon/", "usergroup": "brukergruppe/"}


@dataclass(frozen=True)
class ChangeFilter:
    goal: URIRef | None = None
    owner: URIRef | None = None
    usergroup: URIRef | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, kind) is not None for kind in KINDS)

    def args(self) -> dict[str, str]:
        """The filter as query arguments (IRIs shortened to keys) for links and feed ids."""
        return {kind: str(value).removeprefix(str(VKID) + KEY_PREFIX[kind])
                for kind in KINDS if (value := getattr(self, kind)) is not None}


def resolve(index: ReleaseIndex, args: Mapping[str, str]) -> ChangeFilter:
    """The filter named by the request's ``goal``, ``owner`` and ``usergroup`` arguments."""
    graphs = [*(index.content(r.version) for r in reversed(index.releases)), index.ontology]
    found = {kind: _resolve(kind, args[kind].strip(), graphs) for kind in KINDS if args.get(kind, "").strip()}
    return ChangeFilter(**found)


def _resolve(kind: str, value: str, graphs: list[Graph]) -> URIRef:
    cls = CLASSES[kind]
    members = {s for g in graphs for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    candidates = [URIRef(value), VKID[value], VKID[KEY_PREFIX[kind] + value]]
    if kind == "goal":
        candidates += [s for g in graphs for s in g.subjects(SKOS.notation, Literal(value))]
    if kind == "owner" and value.isdigit():
        candidates += [s for g in graphs for s in g.subjects(VK.organisationNumber, Literal(value))]
    for candidate in candidates:
        if candidate in members:
            return candidate
    raise BadRequest(f"unknown {kind} {value!r}; use one of: " + ", ".join(_valid(kind, members, graphs)))


def _valid(kind: str, members: set[URIRef], graphs: list[Graph]) -> list[str]:
    keys = sorted(str(m).removeprefix(str(VKID) + KEY_PREFIX[kind]) for m in members)
    if kind == "goal":
        return sorted({str(n) for g in graphs for m in members for n in g.objects(m, SKOS.notation)}) or keys
    if kind == "owner":
        numbers = {m: n for g in graphs for m in members for n in g.objects(m, VK.organisationNumber)}
        return [f"{key} ({numbers[m]})" if m in numbers else key
                for key, m in sorted((str(m).removeprefix(str(VKID) + KEY_PREFIX[kind]), m) for m in members)]
    return keys


def matches(flt: ChangeFilter, iri: str, graphs: Iterable[Graph]) -> bool:
    """True when ``iri`` is linked, in any of ``graphs``, to every value of the filter."""
    graphs = list(graphs)
    node = URIRef(iri)
    wanted = {"goal": lambda: goals(node, graphs), "owner": lambda: owners(node, graphs),
              "usergroup": lambda: {u for g in graphs for u in g.objects(node, VK.userGroup)}}
    return all(getattr(flt, kind) in wanted[kind]() for kind in KINDS if getattr(flt, kind) is not None)


def goals(node: URIRef, graphs: list[Graph]) -> set[URIRef]:
    """The goals ``node`` is, belongs to, or contributes to (through a sub-goal or, for a
    deliverable, through its activity)."""
    reached, todo = set(), [node]
    steps = (VK.contributesTo, VK.supportsGoal, VK.subGoalOf, VK.componentOf, VK.benefitStatementOf)
    while todo:
        current = todo.pop()
        if current in reached:
            continue
        reached.add(current)
        todo += [o for g in graphs for p in steps for o in g.objects(current, p) if isinstance(o, URIRef)]
    return {r for r in reached if any((r, RDF.type, VK.Goal) in g for g in graphs)}


def owners(node: URIRef, graphs: list[Graph]) -> set[URIRef]:
    direct = {o for g in graphs for o in g.objects(node, VK.owner)}
    qualified = {a for g in graphs for q in g.objects(node, VK.qualifiedOwnership) for a in g.objects(q, PROV.agent)}
    return direct | qualified
