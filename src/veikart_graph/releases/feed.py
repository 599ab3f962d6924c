"""The change feed as Atom 1.0 (RFC 4287), built with ElementTree so every text is escaped.

One entry per entity that changed between two consecutive releases. Its ``atom:id`` is a
permanent IRI under the newer release's IRI (``…/id/veikart/2026-11#endring-aktivitet-x``), so a
feed reader never sees the same change twice (RFC 4287 §4.2.6). Dates are RFC 3339 (§3.3): the
newer release's ``dct:issued`` when the data gives one, else the time this snapshot was built
(when the change was published here); never a guessed publication date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str
    link: str
    text: str
    category: str
    category_label: str


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    updated: str
    self_url: str
    alternate_url: str
    author: str
    lang: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)


def rfc3339(value: str | None, fallback: str) -> str:
    """A date (``2026-11-26``) as midnight UTC, a date-time as is; anything else → ``fallback``."""
    if value and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value}T00:00:00Z"
    if value and "T" in value:
        return value
    return fallback


def entry_id(release_iri: str, entity_iri: str, base: str) -> str:
    """``<release IRI>#endring-<entity path with / as ->``."""
    return f"{release_iri}#endring-{entity_iri.removeprefix(base + 'id/').replace('/', '-')}"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def render(feed: Feed) -> bytes:
    """The feed document (UTF-8, with an XML declaration)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: feed.lang})
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    _add(root, "updated", feed.updated)
    _add(_add(root, "author"), "name", feed.author)
    _add(root, "link", rel="self", type=MEDIA_TYPE, href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.alternate_url)
    for entry in feed.entries:
        _entry(root, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _entry(root: ET.Element, entry: Entry) -> None:
    element = _add(root, "entry")
    _add(element, "id", entry.id)
    _add(element, "title", entry.title)
    _add(element, "updated", entry.updated)
    _add(element, "link", rel="alternate", type="text/html", href=entry.link)
    _add(element, "category", term=entry.category, label=entry.category_label)
    _add(element, "content", entry.text, type="text")


def newest(entries: Iterable[Entry], fallback: str) -> str:
    return max((e.updated for e in entries), default=fallback)
