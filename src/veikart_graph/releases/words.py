"""Changes in words a reader understands: "Fase: Tilpasning → Innføring", "Slutt: 2025 → 2026".

Property names come from a short table of the roadmap's everyday words, then from the ontology's
labels; values are labels (phase, owner, user group …), years and months as words, and text.
Bokmål and English; anything without a label is shown by its IRI rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS, XSD

from ..namespaces import BASE, VK, VKID
from .diff import ADDED, CHANGED, REMOVED, EntityChange, GraphDiff, NodeChange, PropertyChange

LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)
DETAILS = (DCTERMS.description, VK.when, DCTERMS.date)  # what summarises a statement node
NAMED_ONLY = (DCTERMS.isReplacedBy,)  # "Erstattet av: X", not "Erstattet av lagt til: X"
MAX_TEXT = 200
MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
# Everyday words for the properties readers meet most; others use the ontology's label.
PROPERTY_WORDS = {
    SKOS.prefLabel: ("Tittel", "Title"),
    VK.startYear: ("Start", "Start"),
    VK.endYear: ("Slutt", "End"),
    VK.contributesTo: ("Delmål", "Sub-goal"),
    SKOS.note: ("Merknad", "Note"),
    SKOS.historyNote: ("Historikk", "History note"),
    SKOS.notation: ("Kode", "Code"),
    SKOS.altLabel: ("Alternativ betegnelse", "Alternative label"),
    SKOS.hiddenLabel: ("Søkeord", "Search term"),
    RDF.type: ("Type", "Type"),
    DCTERMS.isReplacedBy: ("Erstattet av", "Replaced by"),
}
WORDS = {
    "added": ("lagt til", "added"),
    "removed": ("fjernet", "removed"),
    "new": ("Ny", "New"),
    "gone": ("Fjernet", "Removed"),
    "changed": ("Endret", "Changed"),
    "statement": ("Utsagn", "Statement"),
    "blank": ("(anonym node)", "(blank node)"),
    "true": ("ja", "yes"),
    "false": ("nei", "no"),
    "ov_new": ("Nye", "New"),
    "ov_gone": ("Fjernet", "Removed"),
    "ov_changed": ("Endret", "Changed"),
    "ov_renumbered": ("Ny kode (samme ressurs, nytt nummer)", "Renumbered (same resource, new code)"),
    "ov_renamed": ("Nytt navn", "Renamed"),
}


def word(key: str, lang: str) -> str:
    nb, en = WORDS[key]
    return en if lang == "en" else nb


class Labeller:
    """Labels of IRIs in nb and en, from graphs in order of preference (newest release first,
    then the ontology); the first graph that labels an IRI in a language wins."""

    def __init__(self, graphs: Iterable[Graph]) -> None:
        self._labels: dict[URIRef, dict[str, str]] = {}
        self._types: dict[URIRef, URIRef] = {}
        self._details: dict[tuple[URIRef, URIRef], Literal] = {}  # (statement node, property) -> value
        for graph in graphs:
            for s, o in graph.subject_objects(RDF.type):
                if isinstance(s, URIRef) and isinstance(o, URIRef):
                    known = self._types.get(s)
                    if known is None or (not known.startswith(VK) and o.startswith(VK)):
                        self._types[s] = o  # the project's own class names the thing best
            for prop in DETAILS:
                for s, o in graph.subject_objects(prop):
                    if isinstance(s, URIRef) and "#" in s and isinstance(o, Literal):
                        self._details.setdefault((s, prop), o)
            for prop in LABEL_PROPERTIES:
                for s, o in graph.subject_objects(prop):
                    if isinstance(s, URIRef) and isinstance(o, Literal):
                        self._labels.setdefault(s, {}).setdefault(o.language or "", str(o))

    def label(self, iri: URIRef | str, lang: str) -> str | None:
        found = self._labels.get(URIRef(iri), {})
        for tag in (lang, "nb", "en", ""):
            if tag in found:
                return found[tag]
        return next(iter(found.values()), None)

    def detail(self, node: object, prop: URIRef) -> Literal | None:
        """A statement node's description or date, from the newest graph that has it."""
        return self._details.get((node, prop))

    def type_label(self, iri: URIRef, lang: str) -> str:
        """The label of the entity's class ("Aktivitet"), or "" when it has no type."""
        cls = self._types.get(iri)
        return self.value(cls, lang) if cls is not None else ""

    def property_name(self, predicate: URIRef, lang: str) -> str:
        if predicate in PROPERTY_WORDS:
            nb, en = PROPERTY_WORDS[predicate]
            return en if lang == "en" else nb
        label = self.label(predicate, lang)
        return label[:1].upper() + label[1:] if label else str(predicate)

    def value(self, term: object, lang: str, short: bool = False) -> str:
        if isinstance(term, Literal):
            return literal_text(term, lang, short)
        if isinstance(term, BNode):
            return word("blank", lang)
        label = self.label(term, lang)
        if label:
            return label
        return str(term).removeprefix(BASE) if str(term).startswith(str(VKID)) else str(term)


def literal_text(term: Literal, lang: str, short: bool = False) -> str:
    """A literal as a reader says it: months as words, booleans as yes/no; long text shortened
    when ``short`` (for sentences)."""
    text = str(term)
    if term.datatype == XSD.gYearMonth and len(text) == 7 and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        return f"{MONTHS['en' if lang == 'en' else 'nb'][int(text[5:]) - 1]} {text[:4]}"
    if term.datatype == XSD.boolean:
        return word("true" if term.toPython() is True else "false", lang)
    return text if not short or len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


@dataclass(frozen=True)
class Line:
    """One change in words, with the property and the old and new values as shown."""

    text: str
    property: str
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "property": self.property, "old": list(self.old), "new": list(self.new)}


@dataclass(frozen=True)
class EntitySummary:
    """An added, removed or changed entity, in words."""

    iri: str
    kind: str
    label: str
    type_label: str
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        return "/" + self.iri.removeprefix(BASE) if self.iri.startswith(BASE) else self.iri

    def to_dict(self) -> dict[str, object]:
        return {"iri": self.iri, "kind": self.kind, "label": self.label, "type": self.type_label,
                "changes": [line.to_dict() for line in self.lines]}


def in_language(removed: Iterable[object], added: Iterable[object], lang: str) -> tuple[list, list]:
    """The values to show of a change: of language-tagged texts only those in ``lang`` (else
    bokmål) when either side has one, so a title reads ``Tilpasning → Tilpasning og …`` and not
    both languages at once; other values as they are."""
    removed, added = list(removed), list(added)
    tags = {v.language for v in (*removed, *added) if isinstance(v, Literal) and v.language}
    tag = lang if lang in tags else "nb" if "nb" in tags else None
    if tag is None:
        return removed, added

    def keep(values: list) -> list:
        return [v for v in values if not (isinstance(v, Literal) and v.language and v.language != tag)]

    return keep(removed), keep(added)


def property_line(change: PropertyChange, labels: Labeller, lang: str, prefix: str = "") -> Line:
    """``Fase: Tilpasning → Innføring``; ``Kilde lagt til: …``; ``Merknad fjernet: …``."""
    name = prefix + labels.property_name(change.predicate, lang)
    removed, added = in_language(change.removed, change.added, lang)
    if not removed and not added:  # only other languages changed: show them all
        removed, added = list(change.removed), list(change.added)
    old = [labels.value(v, lang, short=True) for v in removed]
    new = [labels.value(v, lang, short=True) for v in added]
    if old and new:
        text = f"{name}: {', '.join(old)} → {', '.join(new)}"
    elif new and change.predicate in NAMED_ONLY:
        text = f"{name}: {'; '.join(new)}"
    elif new:
        text = f"{name} {word('added', lang)}: {'; '.join(new)}"
    else:
        text = f"{name} {word('removed', lang)}: {'; '.join(old)}"
    return Line(text, str(change.predicate), tuple(labels.value(v, lang) for v in removed),
                tuple(labels.value(v, lang) for v in added))


def node_lines(part: NodeChange, labels: Labeller, lang: str) -> list[Line]:
    """A statement node added or removed in one line; a changed one line per property."""
    kind_name = node_type(part, labels, lang)
    summary = node_summary(part, labels, lang)
    if part.kind == CHANGED:
        return [property_line(c, labels, lang, prefix=f"{kind_name} «{summary}» – ") for c in part.properties]
    verb = word("added" if part.kind == ADDED else "removed", lang)
    return [Line(f"{kind_name} {verb}: {summary}", str(part.node),
                 () if part.kind == ADDED else (summary,), (summary,) if part.kind == ADDED else ())]


def node_type(part: NodeChange, labels: Labeller, lang: str) -> str:
    types = [v for c in part.properties if c.predicate == RDF.type for v in (*c.added, *c.removed)]
    label = labels.type_label(part.node, lang) if isinstance(part.node, URIRef) else ""
    if not label and types:
        label = labels.value(types[0], lang)
    return label[:1].upper() + label[1:] if label else word("statement", lang)


def node_summary(part: NodeChange, labels: Labeller, lang: str) -> str:
    """The node's label, else its description; with its date when it was added or removed (a
    changed node's dates are in its lines)."""
    values = {c.predicate: (*c.added, *c.removed) for c in part.properties}

    def detail(prop: URIRef) -> object | None:
        return next(iter(values.get(prop, ())), None) or labels.detail(part.node, prop)

    label = labels.label(part.node, lang) if isinstance(part.node, URIRef) else None
    description = detail(DCTERMS.description)
    if label:
        text = label
    elif description is not None:
        text = labels.value(description, lang, short=True)
    else:
        text = str(part.node).rsplit("#", 1)[-1]
    when = detail(VK.when) or detail(DCTERMS.date)
    return f"{text} ({labels.value(when, lang)})" if when is not None and part.kind != CHANGED else text


def summarise_entity(change: EntityChange, labels: Labeller, lang: str) -> EntitySummary:
    lines: list[Line] = []
    if change.kind == REMOVED:  # a removed entity may say what replaces it
        lines += [property_line(c, labels, lang, prefix="") for c in change.properties
                  if c.predicate == DCTERMS.isReplacedBy and c.added and not c.removed]
    if change.kind == CHANGED:
        lines += [property_line(c, labels, lang) for c in change.properties]
        for part in change.parts:
            lines += node_lines(part, labels, lang)
    label = labels.label(change.iri, lang) or labels.value(change.iri, lang)
    return EntitySummary(str(change.iri), change.kind, label, labels.type_label(change.iri, lang), tuple(lines))


def summarise(diff: GraphDiff, labels: Labeller, lang: str,
              keep: Iterable[str] | None = None) -> list[EntitySummary]:
    """Every entity of ``diff`` (or only those in ``keep``) in words: added, removed, then changed,
    each group by label."""
    wanted = set(keep) if keep is not None else None
    order = {ADDED: 0, REMOVED: 1, CHANGED: 2}
    summaries = [summarise_entity(e, labels, lang) for e in diff.entities
                 if wanted is None or str(e.iri) in wanted]
    return sorted(summaries, key=lambda s: (order[s.kind], s.label.lower()))


def kind_word(kind: str, lang: str) -> str:
    """``Ny``, ``Fjernet`` or ``Endret`` (and English) for an entity's kind of change."""
    return word({ADDED: "new", REMOVED: "gone", CHANGED: "changed"}[kind], lang)


def heading(summary: EntitySummary, lang: str) -> str:
    """``Endret: Digitalt helsekort for gravide`` and the like."""
    return f"{kind_word(summary.kind, lang)}: {summary.label}"


def overview(summaries: Iterable[EntitySummary], lang: str) -> list[str]:
    """What a release changed, in a few sentences: how many entities of each kind are new,
    removed or changed, which kept their IRI under a new code (renumbered) and which got a new
    name (renamed)."""
    summaries = list(summaries)
    out = []
    for kind, key in ((ADDED, "ov_new"), (REMOVED, "ov_gone"), (CHANGED, "ov_changed")):
        found = [s for s in summaries if s.kind == kind]
        if found:
            by_type: dict[str, int] = {}
            for summary in found:
                by_type[summary.type_label or "?"] = by_type.get(summary.type_label or "?", 0) + 1
            parts = ", ".join(f"{n} {t[:1].upper() + t[1:]}"
                              for t, n in sorted(by_type.items(), key=lambda item: (-item[1], item[0])))
            out.append(f"{word(key, lang)}: {len(found)} ({parts})")
    for prop, key in ((SKOS.notation, "ov_renumbered"), (SKOS.prefLabel, "ov_renamed")):
        moves = [f"{', '.join(line.old)} → {', '.join(line.new)}" + (f" ({s.label})" if prop == SKOS.notation else "")
                 for s in summaries if s.kind == CHANGED
                 for line in s.lines if line.property == str(prop) and line.old and line.new]
        if moves:
            out.append(f"{word(key, lang)}: {'; '.join(moves)}")
    return out


def as_text(summaries: Iterable[EntitySummary], lang: str) -> str:
    """Plain text for the command line: the overview, then a heading per entity and its changes."""
    summaries = list(summaries)
    out = [*overview(summaries, lang), ""] if summaries else []
    for summary in summaries:
        out.append(f"{heading(summary, lang)} <{summary.iri}>")
        out += [f"  - {line.text}" for line in summary.lines]
    return "\n".join(out)


__all__ = ["ADDED", "CHANGED", "REMOVED", "EntitySummary", "Labeller", "Line", "as_text", "heading",
           "kind_word", "overview", "summarise", "word"]
