"""Security headers on every HTML page type, and no cookies anywhere (issue 7).

Specs: CSP Level 3 (https://www.w3.org/TR/CSP3/ §6.1.1 script-src, §6.4.2 frame-ancestors);
Fetch §3.5 X-Content-Type-Options; Referrer Policy §3; RFC 7034 X-Frame-Options;
RFC 6265 §4.1 (Set-Cookie: reading needs no state).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.security.checks import Markup

HTML = {"Accept": "text/html"}
SAFE_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
# One URL per HTML page type; the ones with a key are found by following a listing page's links.
PAGE_TYPES = {
    "home": "/", "goal view": "/veikart/mal/1", "owners": "/veikart/eiere", "user groups": "/veikart/brukergrupper",
    "phases": "/veikart/faser", "timeline": "/veikart/tidslinje", "indicators": "/veikart/indikatorer",
    "entity page": "/page/id/mal/1", "statement node page": "/page/id/aktivitet/digitalt-helsekort-gravide",
    "vocabulary term": "/page/def/Goal", "ontology": "/page/def", "dataset": "/dataset", "search": "/search",
    "search results": "/search?q=helse", "query page": "/query",
    "query results": "/query?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 3"),
    "query error": "/query?query=" + quote("SELECT {"), "sparql for browsers": "/sparql", "changes": "/changes",
    "404 page": "/id/finnes/ikke", "404 route": "/ukjent-side", "400 page": "/veikart/mal/%3Cx%3E",
    "405 page": "/sparql",
}
METHODS = {"405 page": "PUT"}
EXPECTED_404 = ("404 page", "404 route")
LINKED = {"sub-goal view": ("/veikart/mal/1", "/veikart/delmal/"), "owner view": ("/veikart/eiere", "/veikart/eier/"),
          "user group view": ("/veikart/brukergrupper", "/veikart/brukergruppe/"),
          "phase view": ("/veikart/faser", "/veikart/fase/"),
          "indicator view": ("/veikart/indikatorer", "/veikart/indikator/")}
OTHER_URLS = ["/sparql?query=" + quote("ASK {}"), "/sparql", "/sparql/examples.json", "/search.json?q=helse",
              "/id/mal/1", "/data/id/mal/1.ttl", "/dataset.ttl", "/download/veikart.ttl", "/healthz", "/readyz",
              "/metrics", "/static-gen/phases.css", "/changes.json", "/changes.atom", "/id/finnes/ikke",
              "/sparql?query=" + quote("SELECT {")]


def linked_page(client, listing: str, prefix: str) -> str:
    """The first link under ``prefix`` on ``listing`` (so no key is hard-coded here)."""
    html = client.get(listing, headers=HTML).get_data(as_text=True)
    found = re.search(rf'href="({re.escape(prefix)}[^"?#]+)', html)
    assert found, f"{listing} links to no {prefix}…"
    return found.group(1)


def html_pages(client) -> dict[str, object]:
    urls = dict(PAGE_TYPES)
    urls.update({name: linked_page(client, *where) for name, where in LINKED.items()})
    pages = {}
    for name, url in urls.items():
        response = client.open(url, method=METHODS.get(name, "GET"), headers=HTML)
        if response.status_code == 404 and name not in EXPECTED_404:
            pytest.skip(f"{url} ({name}) is not served yet")
        assert response.mimetype == "text/html", (name, url, response.status_code, response.mimetype)
        pages[name] = response
    return pages


@pytest.fixture(scope="module")
def pages(app):
    """Every HTML page type once, with its response."""
    return html_pages(app.test_client())


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed.setdefault(words[0].lower(), words[1:])
    return parsed


def test_every_html_page_type_is_covered(pages):
    assert len(pages) == len(PAGE_TYPES) + len(LINKED)
    assert {r.status_code for r in pages.values()} >= {200, 400, 404, 405}


@pytest.mark.parametrize("name", [*PAGE_TYPES, *LINKED])
def test_csp_allows_no_inline_or_foreign_script(pages, name):
    """CSP3 §6.1.1: script-src (or its default-src fallback) has no 'unsafe-inline', 'unsafe-eval',
    wildcard or data:; objects are off; the base URI cannot be changed."""
    response = pages[name]
    policy = directives(response.headers.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts, f"{name}: no script-src or default-src"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts), scripts
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("base-uri") in (["'none'"], ["'self'"])


@pytest.mark.parametrize("name", [*PAGE_TYPES, *LINKED])
def test_pages_cannot_be_framed(pages, name):
    """CSP3 §6.4.2 frame-ancestors 'none' (or RFC 7034 X-Frame-Options DENY) against clickjacking."""
    response = pages[name]
    policy = directives(response.headers.get("Content-Security-Policy", ""))
    assert policy.get("frame-ancestors") == ["'none'"] or response.headers.get("X-Frame-Options") == "DENY"


@pytest.mark.parametrize("name", [*PAGE_TYPES, *LINKED])
def test_nosniff_and_a_referrer_policy(pages, name):
    response = pages[name]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in SAFE_REFERRER


@pytest.mark.parametrize("name", [*PAGE_TYPES, *LINKED])
def test_markup_needs_nothing_the_policy_forbids(pages, name):
    """With script-src 'self' and style-src 'self', inline scripts (other than JSON-LD data blocks),
    event-handler attributes, style attributes and javascript: URLs would be blocked or unsafe."""
    page = Markup(pages[name].get_data(as_text=True))
    assert all(s["type"] == "application/ld+json" for s in page.scripts), page.scripts
    assert not page.handlers and not page.styles and not page.script_urls


@pytest.mark.parametrize("url", OTHER_URLS)
def test_every_other_response_is_nosniff(client, url):
    """Fetch §3.5: with nosniff, a browser never runs a Turtle or JSON answer as a script or page."""
    response = client.get(url)
    assert response.status_code < 500
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in SAFE_REFERRER


def test_no_response_sets_a_cookie(client, pages):
    """RFC 6265: reading the roadmap needs no state, so no page, document or error sets a cookie."""
    responses = [*pages.values(), *(client.get(url) for url in OTHER_URLS),
                 client.post("/sparql", data={"query": "ASK {}"}),
                 client.get("/search?q=helse&lang=en"), client.get("/?lang=en")]
    setting = [(r.request.path, r.headers["Set-Cookie"]) for r in responses if "Set-Cookie" in r.headers]
    assert not setting


def test_pages_work_without_cookies_or_javascript(client):
    """Every read is a plain GET: search and the query page answer without a session or a script."""
    for url in ("/search?q=helse", "/query?query=" + quote("ASK {}"), "/veikart/tidslinje?mal=1"):
        response = client.get(url, headers={**HTML, "Cookie": ""})
        assert response.status_code == 200, url
