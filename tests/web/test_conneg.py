"""Content negotiation for dereferenceable IRIs: ``/id/…`` and ``/def/…`` answer 303 to a page or
a data document (W3C "Cool URIs for the Semantic Web" §4.3; RFC 9110 §15.4.4 303 See Other,
§12.5.1 Accept; RFC 8288 Link)."""

from __future__ import annotations

import json

import pytest
import rdflib

from veikart_graph.namespaces import ONTOLOGY_IRI, VK, VKID

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
RDFLIB_FORMATS = {
    "text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
    "application/rdf+xml": "xml", "application/trig": "trig", "application/n-quads": "nquads",
}

# (IRI path, Accept, format=, expected 303 Location)
MATRIX = [
    ("/id/mal/1", None, None, "/page/id/mal/1"),
    ("/id/mal/1", "*/*", None, "/page/id/mal/1"),
    ("/id/mal/1", BROWSER, None, "/page/id/mal/1"),
    ("/id/mal/1", "text/turtle", None, "/data/id/mal/1.ttl"),
    ("/id/mal/1", "application/n-triples", None, "/data/id/mal/1.nt"),
    ("/id/mal/1", "application/ld+json", None, "/data/id/mal/1.jsonld"),
    ("/id/mal/1", "application/rdf+xml", None, "/data/id/mal/1.rdf"),
    ("/id/mal/1", "application/trig", None, "/data/id/mal/1.trig"),
    ("/id/mal/1", "application/n-quads", None, "/data/id/mal/1.nq"),
    ("/id/mal/1", "text/turtle;q=0.5, application/ld+json", None, "/data/id/mal/1.jsonld"),
    ("/id/mal/1", BROWSER, "ttl", "/data/id/mal/1.ttl"),
    ("/id/mal/1", "text/turtle", "html", "/page/id/mal/1"),
    ("/id/organisasjon/helsedirektoratet", "text/turtle", None, "/data/id/organisasjon/helsedirektoratet.ttl"),
    ("/id/aktivitet/digitalt-helsekort-gravide", None, None, "/page/id/aktivitet/digitalt-helsekort-gravide"),
    ("/def/Goal", BROWSER, None, "/page/def/Goal"),
    ("/def/Goal", "text/turtle", None, "/data/def/Goal.ttl"),
    ("/def/owner", "application/ld+json", None, "/data/def/owner.jsonld"),
    ("/def", BROWSER, None, "/page/def"),
    ("/def", "text/turtle", None, "/data/def.ttl"),
    ("/def/", BROWSER, None, "/page/def"),
    ("/graph/data", "text/turtle", None, "/data/graph/data.ttl"),
]
IRIS = {"/id/": str(VKID), "/def/": str(VK), "/graph/": "https://w3id.org/veikart/graph/"}


def iri_of(path: str) -> str:
    if path in ("/def", "/def/"):  # the namespace resolves to the ontology
        return ONTOLOGY_IRI
    prefix = next(p for p in IRIS if path.startswith(p))
    return IRIS[prefix] + path[len(prefix):]


def subjects(target: rdflib.Graph | rdflib.Dataset) -> set:
    """Subjects of a parsed document, in any named graph."""
    if isinstance(target, rdflib.Dataset):
        return {quad[0] for quad in target.quads((None, None, None, None))}
    return set(target.subjects())


def get(client, url: str, accept: str | None, fmt: str | None = None):
    headers = {"Accept": accept} if accept is not None else {}
    return client.get(url, headers=headers, query_string={"format": fmt} if fmt else None)


@pytest.mark.parametrize(("path", "accept", "fmt", "location"), MATRIX)
def test_iri_answers_303_to_the_negotiated_document(client, path, accept, fmt, location):
    response = get(client, path, accept, fmt)
    assert response.status_code == 303
    assert response.headers["Location"] == location
    assert "Accept" in response.headers["Vary"]
    assert f'<{iri_of(path)}>; rel="canonical"' in response.headers["Link"]


@pytest.mark.parametrize(("path", "accept", "fmt", "location"), [m for m in MATRIX if "/data/" in m[3]])
def test_data_document_parses_and_has_the_entity_as_subject(client, path, accept, fmt, location):
    response = client.get(location)
    assert response.status_code == 200
    media = response.mimetype
    assert media in RDFLIB_FORMATS and location.rsplit(".", 1)[1] in ("ttl", "nt", "jsonld", "rdf", "trig", "nq")
    target = rdflib.Dataset() if media in ("application/trig", "application/n-quads") else rdflib.Graph()
    target.parse(data=response.get_data(), format=RDFLIB_FORMATS[media])
    subject = rdflib.URIRef(iri_of(path))
    assert subject in subjects(target)
    assert "Accept" in response.headers["Vary"]


def test_document_has_incoming_links(client):
    """The strategy links to goal 1 (vk:hasGoal): the goal's document carries that triple."""
    graph = rdflib.Graph().parse(data=client.get("/data/id/mal/1.ttl").get_data(), format="turtle")
    strategy = rdflib.URIRef(VKID["strategi/nasjonal-e-helsestrategi"])
    assert (strategy, rdflib.URIRef(VK.hasGoal), rdflib.URIRef(VKID["mal/1"])) in graph


def test_documents_link_to_every_other_representation(client):
    link = client.get("/data/id/mal/1.ttl").headers["Link"]
    for target in ("/page/id/mal/1", "/data/id/mal/1.nt", "/data/id/mal/1.jsonld", "/data/id/mal/1.rdf",
                   "/data/id/mal/1.trig", "/data/id/mal/1.nq"):
        assert f"<{target}>; rel=\"alternate\"" in link
    page = client.get("/page/id/mal/1")
    assert page.headers["Link"] == link
    assert "Accept" in page.headers["Vary"]


def test_data_url_without_suffix_negotiates_and_names_the_document(client):
    response = client.get("/data/id/mal/1", headers={"Accept": "application/n-triples"})
    assert response.mimetype == "application/n-triples"
    assert response.headers["Content-Location"] == "/data/id/mal/1.nt"
    assert client.get("/data/id/mal/1", query_string={"format": "jsonld"}).mimetype == "application/ld+json"


def test_page_with_an_rdf_format_redirects_to_the_data(client):
    response = client.get("/page/id/mal/1", query_string={"format": "ttl"})
    assert (response.status_code, response.headers["Location"]) == (303, "/data/id/mal/1.ttl")


def test_language_survives_the_redirect(client):
    assert client.get("/id/mal/1", query_string={"lang": "en"}).headers["Location"] == "/page/id/mal/1?lang=en"


def test_nothing_acceptable_is_406(client):
    response = client.get("/id/mal/1", headers={"Accept": "application/pdf"})
    assert response.status_code == 406


def test_unknown_format_is_400(client):
    assert client.get("/id/mal/1", query_string={"format": "docx"}).status_code == 400


# ----------------------------------------------------------------------------- 404, negotiated

@pytest.mark.parametrize("path", ["/id/finnes/ikke", "/def/NoSuchTerm", "/page/id/finnes/ikke",
                                  "/data/id/finnes/ikke.ttl", "/graph/nope"])
def test_unknown_iri_is_404_html_with_a_search_box(client, path):
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'action="/search"' in html and 'name="q"' in html


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/plain"), ("text/plain", "text/plain"),
    ("application/json", "application/json"), ("application/ld+json", "application/json"),
])
def test_unknown_iri_is_404_in_the_requested_format(client, accept, media):
    response = client.get("/id/finnes/ikke", headers={"Accept": accept})
    assert (response.status_code, response.mimetype) == (404, media)
    if media == "application/json":
        assert json.loads(response.get_data())["status"] == 404
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("path", [
    "/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/mal/..%2F..%2Fetc", "/id/a%20b",
    "/id/%3Cscript%3E", "/id/mal/1%22%3E", "/id/", "/page/../../etc/passwd",
    "/page/etc/passwd", "/data/etc/passwd.ttl", "/data/id/mal/1.exe", "/data/id/mal/1.ttl.ttl",
    "/def/Goal/../../x", "/id/mal/1%00", "/id/" + "a" * 3000, "/data/id/%E2%98%83.ttl",
])
def test_malformed_paths_are_404_or_400_never_500(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code in (400, 404), (path, response.status_code)
