"""Crawl the site like a reader clicking every link: no internal link may be broken.

Starts at the home page ``/`` (or, while it does not exist yet, at every entity IRI), follows every
internal ``href`` (starting with ``/``) breadth-first up to ``LIMIT`` requests, and asserts that
none answers 404 or 5xx. Then every entity of the data resolves to a page, with its statement
nodes nested on it (docs/model.md, "IRIs of entities").
"""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from veikart_graph.namespaces import VKID
from veikart_graph.store import KnowledgeGraph

LIMIT = 4000
PER_PATH = 10  # query-string variants crawled per path (search facets alone would fill the limit)
HTML = {"Accept": "text/html"}


class Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag in ("a", "link") and attributes.get("href"):
            self.hrefs.append(attributes["href"])


def entity_iris(graph: KnowledgeGraph) -> list[str]:
    """Every subject under vkid: in the asserted data, minus statement nodes (hash IRIs)."""
    rows = graph.select(f'SELECT DISTINCT ?s {{ GRAPH vkg:data {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{VKID}")) }}')
    return sorted(r["s"].value for r in rows if "#" not in r["s"].value)


def to_path(iri: str) -> str:
    return "/" + iri[len("https://w3id.org/veikart/"):]


def internal(href: str) -> str | None:
    url = urldefrag(href).url
    if not url.startswith("/") or url.startswith("//"):
        return None
    return url


@pytest.fixture(scope="module")
def crawl(app, graph) -> dict[str, int]:
    """Status of every internal URL reached (after redirects), breadth-first from the start pages."""
    client = app.test_client()
    home = client.get("/", headers=HTML).status_code == 200
    start = ["/"] if home else [to_path(iri) for iri in entity_iris(graph)]
    seen: dict[str, int] = {}
    per_path: Counter[str] = Counter()
    queue = deque(start)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or per_path[path] >= PER_PATH or (path == "/" and not home):
            continue
        per_path[path] += 1
        response = client.get(url, headers=HTML, follow_redirects=True)
        seen[url] = response.status_code
        if response.status_code == 200 and response.mimetype == "text/html":
            for href in Links(response.get_data(as_text=True)).hrefs:
                target = internal(href)
                if target and target not in seen:
                    queue.append(target)
    return seen


def test_crawl_finds_no_broken_internal_links(crawl):
    broken = {url: status for url, status in crawl.items() if status == 404 or status >= 500}
    assert not broken, f"{len(broken)} broken of {len(crawl)}: {sorted(broken.items())[:20]}"
    assert len(crawl) > 100


def test_crawl_reaches_entity_pages(crawl, graph):
    reached = {urlsplit(url).path for url in crawl}
    entities = {to_path(iri) for iri in entity_iris(graph)}
    assert len(entities & reached) > len(entities) // 2


def test_every_entity_resolves_to_a_page_with_its_statement_nodes(client, graph):
    iris = entity_iris(graph)
    assert len(iris) > 50
    hash_nodes: dict[str, set[str]] = {}
    rows = graph.select(f'SELECT DISTINCT ?s {{ GRAPH vkg:data {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{VKID}")) }}')
    for row in rows:
        base, _, fragment = row["s"].value.partition("#")
        if fragment:
            hash_nodes.setdefault(base, set()).add(fragment)
    for iri in iris:
        first = client.get(to_path(iri), headers=HTML)
        assert first.status_code == 303, iri
        response = client.get(first.headers["Location"], headers=HTML)
        assert response.status_code == 200, iri
        missing = hash_nodes.get(iri, set()) - Links(response.get_data(as_text=True)).ids
        assert not missing, (iri, missing)
