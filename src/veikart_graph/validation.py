"""SHACL validation with pySHACL, turned into a report a data editor can act on.

Validation runs on rdflib's own in-memory graph (oxrdflib types plain literals as xsd:string,
which gives false violations) with ``inference="none"``: the asserted data is what editors
wrote, and inferring first would turn a data error into an inferred type and hide it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import SH

SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Violation:
    """One sh:ValidationResult, flattened."""

    focus: str
    path: str | None
    value: str | None
    source_shape: str
    severity: str
    message_nb: str
    message_en: str
    file: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "file": self.file,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "severity": self.severity,
            "shape": self.source_shape,
            "message_nb": self.message_nb,
            "message_en": self.message_en,
        }

    def describe(self, lang: str = "nb") -> str:
        message = self.message_nb if lang == "nb" else self.message_en
        where = f"{self.file}: " if self.file else ""
        prop = f" [{self.path}]" if self.path else ""
        value = f" (verdi/value: {self.value})" if self.value else ""
        return f"{where}{self.focus}{prop}: {message}{value}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def text(self, lang: str = "nb") -> str:
        lines = [v.describe(lang) for v in self.violations]
        if self.conforms:
            head = "Dataene er gyldige." if lang == "nb" else "The data conforms."
            if lines:
                head += f" {len(lines)} " + ("advarsler:" if lang == "nb" else "warnings:")
            return "\n".join([head, *lines])
        head = f"{len(lines)} brudd på reglene:" if lang == "nb" else f"{len(lines)} violations:"
        return "\n".join([head, *lines])

    def with_files(self, files_by_subject: dict[str, str]) -> ValidationReport:
        """The same report with each violation's ``file`` filled in from ``files_by_subject``."""
        def locate(v: Violation) -> str | None:
            for key in (v.focus, v.focus.split("#")[0], v.value or "", (v.value or "").split("#")[0]):
                if key in files_by_subject:
                    return files_by_subject[key]
            return None

        located = [Violation(**{**v.__dict__, "file": locate(v)}) for v in self.violations]
        return ValidationReport(self.conforms, located)


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (ontology axioms available for class checks).

    pySHACL gets a copy of the shapes: it adds RDFS/OWL axioms (``owl:Class rdfs:subClassOf
    rdfs:Class`` …) to the shapes graph it is given, and the build publishes the shapes graph
    after validating, so those extra triples went into the snapshot behind its triple counts."""
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=copy_graph(shapes),
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = sorted(_violations(results, shapes), key=lambda v: (v.focus, v.path or "", v.message_en))
    return ValidationReport(bool(conforms), violations)


def copy_graph(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    copy += graph
    return copy


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    """Top-level results only (nested ``sh:detail`` results of helper shapes are left out)."""
    found = []
    for result in results.objects(None, SH.result):
        nb, en = _messages(results, result, shapes)
        found.append(
            Violation(
                focus=_text(results.value(result, SH.focusNode)) or "",
                path=_text(results.value(result, SH.resultPath)),
                value=_text(results.value(result, SH.value)),
                source_shape=_text(results.value(result, SH.sourceShape)) or "",
                severity=SEVERITY_NAMES.get(results.value(result, SH.resultSeverity), "Violation"),
                message_nb=nb,
                message_en=en,
            )
        )
    return found


def _messages(results: Graph, result: Node, shapes: Graph) -> tuple[str, str]:
    """The result's message in nb and en. pySHACL drops the language tags of SHACL-SPARQL
    messages (it re-creates them untagged to fill in templates), so for those the tagged
    ``sh:message`` values are read from the constraint in the shapes graph."""
    by_lang: dict[str | None, str] = {}
    for message in results.objects(result, SH.resultMessage):
        if isinstance(message, Literal):
            by_lang[message.language] = str(message)
    constraint = results.value(result, SH.sourceConstraint)
    if constraint is not None and set(by_lang) <= {None}:
        for message in shapes.objects(constraint, SH.message):
            if isinstance(message, Literal) and message.language:
                by_lang[message.language] = str(message)
    fallback = by_lang.get(None) or next(iter(by_lang.values()), "")
    return by_lang.get("nb", fallback), by_lang.get("en", fallback)


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef | Literal):
        return str(node)
    return node.n3()
