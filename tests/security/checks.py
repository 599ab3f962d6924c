"""What every answer must be, whatever was asked: well-formed in its content type, and (for an
error) a 4xx with a message and no internals.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pyoxigraph as ox

INTERNALS = ("Traceback (most recent call last)", 'File "/', "site-packages/", "werkzeug.exceptions")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets an author leave out (WHATWG HTML §13.1.2.4).
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "colgroup",
                "caption", "rt", "rp", "optgroup", "html", "head", "body"}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG, "application/n-quads": ox.RdfFormat.N_QUADS,
}
XML_TYPES = {"application/sparql-results+xml", "application/xml", "text/xml"}
JSON_TYPES = {"application/json", "application/sparql-results+json"}


class Markup(HTMLParser):
    """An HTML page's structure as far as safety goes: tags left open or closed twice, scripts
    (type and body), event-handler and style attributes, ``javascript:`` URLs, text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.scripts: list[dict[str, str]] = []
        self.handlers: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.script_urls: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._script: dict[str, str] | None = None
        self.feed(html)
        self.close()
        self.problems += [f"<{tag}> never closed" for tag in self.open if tag not in OPTIONAL_END]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        self.handlers += [(tag, name) for name in values if name.startswith("on")]
        self.styles += [tag for name in values if name == "style"]
        self.script_urls += [v for n, v in values.items() if n in ("href", "src", "action", "formaction")
                             and v.strip().lower().startswith(("javascript:", "data:text/html"))]
        if tag == "script":
            self._script = {"type": values.get("type", ""), "body": ""}
            self.scripts.append(self._script)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if tag not in self.open:
            self.problems.append(f"</{tag}> without <{tag}>")
            return
        while self.open:
            top = self.open.pop()
            if top == tag:
                return
            if top not in OPTIONAL_END:
                self.problems.append(f"<{top}> closed by </{tag}>")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script["body"] += data
        else:
            self.text.append(data)


def body_text(response) -> str:
    data = response.get_data()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AssertionError(f"{response.mimetype} body is not UTF-8 (byte {exc.start})") from exc


def assert_no_internals(response) -> None:
    text = response.get_data().decode("utf-8", "replace")
    leaked = [marker for marker in INTERNALS if marker in text]
    assert not leaked, f"{response.status_code} shows internals {leaked}: {text[:300]!r}"


def assert_html(text: str) -> Markup:
    """A complete page: doctype, one html element, nothing left open, only JSON-LD scripts."""
    assert text.lstrip().lower().startswith("<!doctype html>"), text[:80]
    page = Markup(text)
    assert not page.problems, page.problems[:5]
    assert [t for t, _ in page.tags].count("html") == 1
    for script in page.scripts:
        assert script["type"] == "application/ld+json", f"inline script of type {script['type']!r}"
        json.loads(script["body"])
    assert not page.handlers, f"event-handler attributes {page.handlers[:5]}"
    assert not page.script_urls, f"script URLs {page.script_urls[:5]}"
    return page


def assert_well_formed(response) -> None:
    """The body parses as what its Content-Type says (HTML, JSON, XML, RDF, CSV, TSV, text)."""
    assert_no_internals(response)
    media = response.mimetype
    if response.status_code in (204, 304) or (300 <= response.status_code < 400 and not response.get_data()):
        return
    text = body_text(response)
    if media == "text/html":
        assert_html(text)
    elif media in JSON_TYPES:
        json.loads(text)
    elif media in XML_TYPES:
        ET.fromstring(response.get_data())
    elif media in RDF_TYPES:
        list(ox.parse(response.get_data(), format=RDF_TYPES[media]))
    elif media == "text/csv":
        list(csv.reader(io.StringIO(text)))
    elif media == "text/tab-separated-values":
        width = {len(line.split("\t")) for line in text.splitlines()}
        assert len(width) <= 1, "TSV rows of different widths"
    else:
        assert media.startswith("text/"), f"unexpected content type {media}"


def assert_client_error(response, statuses: tuple[int, ...] = tuple(range(400, 500))) -> str:
    """A 4xx (one of ``statuses``) with a non-empty, well-formed message; returns its text."""
    assert response.status_code in statuses, (response.status_code, response.get_data()[:300])
    assert_well_formed(response)
    text = body_text(response)
    if response.mimetype == "application/json":
        text = json.loads(text).get("error", "")
    elif response.mimetype == "text/html":
        text = " ".join(Markup(text).text)
    assert text.strip(), f"{response.status_code} without a message"
    return text
