"""A strict structural check of an Atom 1.0 feed document, written from RFC 4287 (no feed
validator runs offline). Returns the problems found; an empty list means the checks pass."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

NS = "http://www.w3.org/2005/Atom"
# RFC 3339 §5.6 date-time, as RFC 4287 §3.3 requires (upper-case T and Z).
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TEXT_TYPES = {"text", "html", "xhtml"}


def _one(parent: ET.Element, name: str, where: str, problems: list[str]) -> ET.Element | None:
    found = parent.findall(f"{{{NS}}}{name}")
    if len(found) != 1:
        problems.append(f"{where} must contain exactly one atom:{name} (found {len(found)})")
    return found[0] if found else None


def _date(element: ET.Element | None, where: str, problems: list[str]) -> None:
    """§3.3: a Date construct is an RFC 3339 date-time."""
    text = (element.text or "") if element is not None else ""
    if not DATE_TIME.match(text):
        problems.append(f"{where}: {text!r} is not an RFC 3339 date-time (§3.3)")
        return
    datetime.fromisoformat(text.replace("Z", "+00:00"))


def _iri(text: str | None, where: str, problems: list[str]) -> None:
    """§4.2.6: atom:id is an absolute IRI."""
    if not text or not urlsplit(text).scheme:
        problems.append(f"{where}: {text!r} is not an absolute IRI (§4.2.6)")


def _text_construct(element: ET.Element | None, where: str, problems: list[str]) -> None:
    """§3.1: a Text construct has type text, html or xhtml."""
    if element is not None and element.get("type", "text") not in TEXT_TYPES:
        problems.append(f"{where}: type {element.get('type')!r} is not text, html or xhtml (§3.1.1)")


def _links(parent: ET.Element, where: str, problems: list[str]) -> list[ET.Element]:
    """§4.2.7: every atom:link has href."""
    links = parent.findall(f"{{{NS}}}link")
    for link in links:
        if not link.get("href"):
            problems.append(f"{where}: atom:link without href (§4.2.7.1)")
    return links


def check_atom(document: bytes) -> list[str]:
    problems: list[str] = []
    root = ET.fromstring(document)  # §2: well-formed XML, or this raises
    if root.tag != f"{{{NS}}}feed":
        return [f"the root element is {root.tag}, not atom:feed in {NS} (§4.1.1)"]
    feed_id = _one(root, "id", "atom:feed", problems)
    _iri(feed_id.text if feed_id is not None else None, "atom:feed/atom:id", problems)
    _text_construct(_one(root, "title", "atom:feed", problems), "atom:feed/atom:title", problems)
    _date(_one(root, "updated", "atom:feed", problems), "atom:feed/atom:updated", problems)
    feed_links = _links(root, "atom:feed", problems)
    if not any(link.get("rel") == "self" for link in feed_links):
        problems.append("atom:feed SHOULD contain a link rel=self (§4.1.1); we require it")
    feed_has_author = bool(root.findall(f"{{{NS}}}author"))
    for author in root.findall(f"{{{NS}}}author"):
        _one(author, "name", "atom:author", problems)  # §3.2: a Person construct has one atom:name
    ids = []
    for number, entry in enumerate(root.findall(f"{{{NS}}}entry"), start=1):
        where = f"atom:entry {number}"
        entry_id = _one(entry, "id", where, problems)
        ids.append(entry_id.text if entry_id is not None else None)
        _iri(ids[-1], f"{where}/atom:id", problems)
        _text_construct(_one(entry, "title", where, problems), f"{where}/atom:title", problems)
        _date(_one(entry, "updated", where, problems), f"{where}/atom:updated", problems)
        if not feed_has_author and not entry.findall(f"{{{NS}}}author"):
            problems.append(f"{where}: no atom:author in the entry or the feed (§4.1.2)")
        contents = entry.findall(f"{{{NS}}}content")
        links = _links(entry, where, problems)
        if len(contents) > 1:
            problems.append(f"{where}: more than one atom:content (§4.1.2)")
        if not contents and not any(link.get("rel", "alternate") == "alternate" for link in links):
            problems.append(f"{where}: no atom:content and no link rel=alternate (§4.1.2)")
        for content in contents:
            _text_construct(content, f"{where}/atom:content", problems)
        for category in entry.findall(f"{{{NS}}}category"):
            if not category.get("term"):
                problems.append(f"{where}: atom:category without term (§4.2.2.1)")
    if len(ids) != len(set(ids)):
        problems.append("two entries share an atom:id (§4.2.6: ids identify entries)")
    return problems
