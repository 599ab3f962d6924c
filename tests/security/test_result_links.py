"""The query page links only http(s) IRIs from results (issue 16, finding 9): an IRI with another
scheme (`javascript:`, `data:`, `vbscript:`) or a protocol-relative one is shown as text, never as a
link a reader could click. Through the real ``serve`` process (HTML 5 §4.6.1: an <a href> runs
`javascript:` URLs when followed)."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.server import running_server

pytestmark = pytest.mark.slow
HOSTILE = ["javascript:alert(1)", "JaVaScRiPt:alert(2)", "data:text/html,<b>x</b>", "vbscript:msgbox(3)"]


@pytest.fixture(scope="module")
def base(snapshot):
    with running_server(Path(snapshot.path).parents[1], workers=1) as url:
        yield url


def query_page(base: str, query: str) -> str:
    with urllib.request.urlopen(f"{base}/query?query={quote(query)}", timeout=15) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("iri", HOSTILE)
def test_a_result_iri_of_another_scheme_is_text_not_a_link(base: str, iri: str):
    html = query_page(base, f'SELECT ?x WHERE {{ BIND(IRI("{iri}") AS ?x) }}')
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:", "vbscript:"))], hrefs
    assert iri.split("<")[0].replace("&", "&amp;") in html  # still shown, as text


def test_a_protocol_relative_result_is_not_a_link(base: str):
    html = query_page(base, 'BASE <http://a.example/> SELECT ?x WHERE { BIND(IRI("//evil.example/x") AS ?x) }')
    assert 'href="http://evil.example/x"' in html  # resolved against BASE: an absolute http IRI
    assert 'href="//evil.example' not in html


def test_an_http_result_is_still_a_link(base: str):
    html = query_page(base, 'SELECT ?x WHERE { BIND(IRI("https://www.wikidata.org/wiki/Q20") AS ?x) }')
    assert 'href="https://www.wikidata.org/wiki/Q20" rel="external"' in html
