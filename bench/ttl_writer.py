"""A tiny Turtle writer that counts what it writes (one subject block at a time).

Generating a million triples through rdflib would take longer than building them; this writes
text directly. Only IRIs and literals the generator controls pass through it, but literals
are still escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

PREFIXES = {
    "vk": "https://w3id.org/veikart/def/",
    "vkid": "https://w3id.org/veikart/id/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "http://schema.org/",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "unit": "http://qudt.org/vocab/unit/",
}
BASE = "https://w3id.org/veikart/id/"


def iri(path: str) -> str:
    """An entity IRI relative to the ``@base`` (``aktivitet/x`` → ``<aktivitet/x>``)."""
    return f"<{path}>"


def text(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^{datatype}'


@dataclass
class Block:
    """The triples of one subject: ``Block(iri("mal/1")).add("a", "vk:Goal")``."""

    subject: str
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, predicate: str, *objects: str) -> Block:
        for obj in objects:
            self.pairs.append((predicate, obj))
        return self

    def render(self) -> str:
        lines: list[str] = []
        for predicate in dict.fromkeys(p for p, _ in self.pairs):
            objects = " , ".join(o for p, o in self.pairs if p == predicate)
            lines.append(f"    {predicate} {objects}")
        return self.subject + "\n" + " ;\n".join(lines) + " .\n\n"


class TurtleFile:
    """One output file; counts triples and subjects written."""

    def __init__(self, handle: TextIO, comment: str) -> None:
        self.handle = handle
        self.triples = 0
        self.subjects = 0
        handle.write(f"# {comment}\n\n@base <{BASE}> .\n")
        for prefix, namespace in PREFIXES.items():
            handle.write(f"@prefix {prefix}: <{namespace}> .\n")
        handle.write("\n")

    def write(self, *blocks: Block) -> None:
        for block in blocks:
            self.handle.write(block.render())
            self.triples += len(block.pairs)
            self.subjects += 1
