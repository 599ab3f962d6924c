"""Hostile text in the data, and in the request, is shown as text on every page (issue 7).

A fixture project is the real ontology/, shapes/ and data/ plus one file whose goal, sub-goal,
activity and organisation carry ``<script>``, attribute break-outs, ``</script>`` inside JSON-LD,
RTL overrides, zero-width and control characters. It is built like the real one and served.

Specs: HTML §13.1.3 (escaping text and attribute values), §4.12.1.3 (restrictions on the contents
of script elements: a data block must not contain ``</script`` or ``<!--``), JSON-LD 1.1 §7
(embedding in HTML); XML 1.0 §2.2 (characters); SPARQL 1.1 Query Results XML Format §2.3.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.security.checks import Markup, assert_html, assert_well_formed
from veikart_graph.build import build
from veikart_graph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = "\"'><img src=x onerror=alert(1)>"
END_SCRIPT = "</script><script>alert(2)</script><!--"
RTL, ZERO_WIDTH, CONTROL = "\u202e", "\u200b\u200d\ufeff", "\u0001\u001b\u007f"
HOSTILE = [SCRIPT, BREAKOUT, END_SCRIPT]
GOAL_LABEL = f"Mål {SCRIPT} {RTL}evil"
LABELS = {
    "mal/9": GOAL_LABEL, "delmal/9a": f"Delmål {BREAKOUT}", "aktivitet/xss-test": f"Aktivitet {SCRIPT}{ZERO_WIDTH}",
    "organisasjon/xss-test": f"Org {END_SCRIPT} {RTL}",
}
DESCRIPTION = f"{BREAKOUT} {END_SCRIPT} {RTL}txt.exe {ZERO_WIDTH} {CONTROL} <b>bold</b>"
SOURCE = "https://example.org/kilde?a=1&b=%22%3E%3Cscript%3E"


def turtle(text: str) -> str:
    """``text`` as a Turtle string literal (quotes, backslashes and non-printables escaped)."""
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04X}" for c in text)
    return f'"{escaped}"'


def hostile_turtle() -> str:
    label = {key: turtle(value) for key, value in LABELS.items()}
    return f"""@base <https://w3id.org/veikart/id/> .
@prefix vk: <https://w3id.org/veikart/def/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

<strategi/nasjonal-e-helsestrategi> vk:hasGoal <mal/9> .
<mal/9> a vk:Goal ; dct:identifier "9" ; skos:notation "9" ;
    skos:prefLabel {label["mal/9"]}@nb , {turtle("Goal " + SCRIPT)}@en ;
    skos:inScheme <strategi/nasjonal-e-helsestrategi> ;
    dct:description {turtle(DESCRIPTION)}@en ; dct:source <{SOURCE}> .
<delmal/9a> a vk:SubGoal ; dct:identifier "9a" ; skos:notation "9A" ; vk:orderIndex 1 ;
    skos:prefLabel {label["delmal/9a"]}@nb ; vk:subGoalOf <mal/9> ;
    skos:inScheme <strategi/nasjonal-e-helsestrategi> ; dct:source <{SOURCE}> .
<aktivitet/xss-test> a vk:Activity ; dct:identifier "xss-test" ;
    skos:prefLabel {label["aktivitet/xss-test"]}@nb ; vk:contributesTo <delmal/9a> ;
    vk:owner <organisasjon/xss-test> ; vk:qualifiedOwnership <aktivitet/xss-test#eier> ;
    vk:userGroup <brukergruppe/kommuner-og-fylkeskommuner> ;
    dct:description {turtle(DESCRIPTION)}@en ; dct:source <{SOURCE}> .
<aktivitet/xss-test#eier> a vk:QualifiedOwnership ; prov:agent <organisasjon/xss-test> ;
    dcat:hadRole <rolle/eier> ; dct:source <{SOURCE}> .
<organisasjon/xss-test> a vk:Organisation ; dct:identifier "xss-test" ;
    skos:prefLabel {label["organisasjon/xss-test"]}@nb ; foaf:name {turtle("Org " + BREAKOUT)}@nb ;
    dct:description {turtle(END_SCRIPT)}@en ; dct:source <{SOURCE}> .
"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory):
    """The app on the real data plus the hostile entities, built like the real snapshot."""
    from veikart_graph.store import KnowledgeGraph
    from veikart_graph.web import create_app

    root = tmp_path_factory.mktemp("hostile")
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data" / "zz-hostile.ttl").write_text(hostile_turtle(), encoding="utf-8")
    settings = Settings(root=root, build_dir=root / "build", query_timeout=5.0, query_slots=1)
    snapshot = build(settings).snapshot
    graph = KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)
    application = create_app(settings, graph=graph, snapshot=snapshot)
    application.config.update(TESTING=True)
    yield application
    application.extensions["veikart"].close()


@pytest.fixture
def hostile(hostile_app):
    return hostile_app.test_client()


def query_page(text: str) -> str:
    return "/query?query=" + quote(text)


FIND = 'SELECT ?s ?l WHERE { ?s ?p ?l FILTER(CONTAINS(STR(?l), "alert")) } ORDER BY ?s ?l'
# Pages that show the hostile entities (each must show the text, escaped).
SHOWING = [
    "/id/mal/9", "/id/mal/9?lang=en", "/id/delmal/9a", "/id/aktivitet/xss-test", "/id/organisasjon/xss-test",
    "/veikart/mal/9", "/veikart/mal/9?lang=en", "/veikart/delmal/9a",
    "/veikart/eier/xss-test", "/veikart/eiere", "/", "/veikart/tidslinje", "/veikart/tidslinje?eier=xss-test",
    "/veikart/brukergruppe/kommuner-og-fylkeskommuner", "/search?q=alert", "/search?q=" + quote(SCRIPT),
    "/search?q=img", "/search?q=org&lang=en", query_page(FIND),
    query_page("CONSTRUCT { ?s ?p ?l } WHERE { ?s ?p ?l FILTER(CONTAINS(STR(?l), 'alert')) }"),
]
# Pages that may show them (or not), and must never show them raw.
OTHERS = ["/dataset", "/dataset?lang=en", "/veikart/faser", "/veikart/brukergrupper", "/query", "/search"]


def page(client, url: str):
    response = client.get(url, headers=HTML, follow_redirects=True)
    assert response.status_code == 200, (url, response.status_code)
    return response


def assert_nothing_raw(html: str) -> Markup:
    """The page parses with no element or attribute from the data: only JSON-LD scripts, no
    event handlers, no ``<img src=x>``, no ``<b>`` from a description."""
    markup = assert_html(html)
    assert not [attrs for tag, attrs in markup.tags if tag == "img" and attrs.get("src") == "x"]
    assert "bold</b>" not in html and "<script>alert" not in html
    return markup


@pytest.mark.parametrize("url", SHOWING)
def test_hostile_labels_are_shown_as_text(hostile, url):
    """HTML §13.1.3: ``<``, ``>``, ``&`` and quotes in the data are escaped; the text is visible as
    written (so the page really shows the entity), and nothing from it becomes markup."""
    html = page(hostile, url).get_data(as_text=True)
    markup = assert_nothing_raw(html)
    text = "".join(markup.text)
    assert any(s in text for s in ("alert(1)", "alert(2)", "onerror=alert")), f"{url} shows no hostile entity"


@pytest.mark.parametrize("url", OTHERS)
def test_other_pages_show_nothing_raw(hostile, url):
    assert_nothing_raw(page(hostile, url).get_data(as_text=True))


@pytest.mark.parametrize("url", ["/id/mal/9", "/id/organisasjon/xss-test", "/id/aktivitet/xss-test", "/dataset"])
def test_json_ld_blocks_cannot_be_closed_by_the_data(hostile, url):
    """HTML §4.12.1.3: a data block holds no ``</script`` and no ``<!--``; the JSON still parses
    and carries the label exactly (escaped as ``\\u003c``, not mangled)."""
    html = page(hostile, url).get_data(as_text=True)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert blocks, f"{url} has no JSON-LD"
    for block in blocks:
        assert "</script" not in block.lower() and "<!--" not in block
        json.loads(block)
    data = json.dumps([json.loads(block) for block in blocks], ensure_ascii=False)
    assert url == "/dataset" or any(label in data for label in LABELS.values())


def test_rtl_and_invisible_characters_reach_the_page_unchanged(hostile):
    """Text is escaped, not rewritten: RTL overrides and zero-width characters stay in the text
    (the browser's bidi algorithm shows them; they never change the markup)."""
    markup = assert_nothing_raw(page(hostile, "/id/mal/9").get_data(as_text=True))
    text = "".join(markup.text)
    assert GOAL_LABEL in text
    assert all(RTL not in value for _, attrs in markup.tags for name, value in attrs.items() if name == "href")


def test_search_json_and_sparql_json_keep_the_text_exactly(hostile):
    """JSON escapes by its own rules (RFC 8259 §7): the exact label comes back, nothing lost."""
    found = hostile.get("/search.json?q=alert").get_json()
    assert GOAL_LABEL in json.dumps(found, ensure_ascii=False)
    rows = hostile.get("/sparql", query_string={"query": FIND}).get_json()["results"]["bindings"]
    assert DESCRIPTION in {row["l"]["value"] for row in rows}


@pytest.mark.parametrize("fmt", ["xml", "rdfxml"])
def test_xml_results_refuse_characters_xml_cannot_carry(hostile, fmt):
    """XML 1.0 §2.2: U+0001 and U+001B cannot appear in XML even as references, so an XML answer
    holding them is refused (406) with the formats that can carry them, never sent broken."""
    text = FIND if fmt == "xml" else FIND.replace("SELECT ?s ?l", "CONSTRUCT { ?s <urn:l> ?l }")
    response = hostile.get("/sparql", query_string={"query": text, "format": fmt})
    assert response.status_code == 406
    assert "U+0001" in response.get_data(as_text=True) and "JSON" in response.get_data(as_text=True)


def test_xml_results_escape_markup_in_literals(hostile):
    """Results XML §2.3: a literal with ``<script>`` is escaped and parses back to the same text."""
    text = FIND.replace('"alert"', '"Goal <script>"')
    response = hostile.get("/sparql", query_string={"query": text, "format": "xml"})
    assert response.status_code == 200
    values = [e.text for e in ET.fromstring(response.get_data()).iter("{http://www.w3.org/2005/sparql-results#}literal")]
    assert "Goal " + SCRIPT in values


def test_rdf_xml_document_of_an_entity_is_refused_not_broken(hostile):
    """The entity's RDF/XML document holds U+0001: 406 naming the formats that can carry it."""
    response = hostile.get("/data/id/mal/9.rdf")
    assert response.status_code == 406 and "U+0001" in response.get_data(as_text=True)
    assert hostile.get("/data/id/mal/9.ttl").status_code == 200


@pytest.mark.parametrize("url", [
    "/id/" + quote(SCRIPT), "/id/x" + quote(BREAKOUT), "/page/id/" + quote(SCRIPT),
    "/veikart/mal/" + quote(SCRIPT, safe=""), "/veikart/tidslinje?mal=" + quote(BREAKOUT),
    "/search?q=" + quote(BREAKOUT), "/search?q=" + quote(END_SCRIPT) + "&lang=en",
    "/search?type=" + quote(BREAKOUT), query_page(SCRIPT), query_page(f'SELECT * {{ ?s ?p "{BREAKOUT}" }}'),
    query_page("SELECT * { ?s ?p ?o } </textarea>" + SCRIPT), "/sparql?query=" + quote(SCRIPT),
])
def test_text_from_the_request_is_escaped_on_pages_and_errors(hostile, url):
    """Reflected input (404 search box, 400 messages, the query text in the query page's form) is
    escaped like data: it never closes the element or attribute it is written into."""
    response = hostile.get(url, headers=HTML)
    assert response.status_code < 500
    assert_well_formed(response)
    if response.mimetype == "text/html":
        assert_nothing_raw(response.get_data(as_text=True))
        assert "</textarea><script" not in response.get_data(as_text=True)
