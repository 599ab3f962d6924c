"""``/dataset`` (DCAT-AP-NO + VoID record) and ``/download/veikart.*`` (the whole dataset).

DCAT-AP-NO: https://data.norge.no/specification/dcat-ap-no; VoID: https://www.w3.org/TR/void/
(§4 statistics, §5 linksets); RFC 9110 §8.8.3 ETag and §13.1.2 If-None-Match.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

from veikart_graph.namespaces import BRREG, QUERYABLE_GRAPHS, VK, VKID, VOID
from veikart_graph.store import KnowledgeGraph, named_quads

NLOD = rdflib.URIRef("http://publications.europa.eu/resource/authority/licence/NLOD_2_0")
DATASET = rdflib.URIRef(VKID.datasett)
RDFLIB = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml", "trig": "trig", "nq": "nquads"}


def record(client, **kwargs) -> rdflib.Graph:
    response = client.get("/dataset", **kwargs)
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.get_data(), format=RDFLIB[{
        "text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
        "application/rdf+xml": "rdf"}[response.mimetype]])


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/n-triples",
                                    "application/rdf+xml"])
def test_record_by_accept_is_a_dcat_dataset_with_nlod(client, accept):
    graph = record(client, headers={"Accept": accept})
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    assert (DATASET, DCTERMS.license, NLOD) in graph
    assert graph.value(DATASET, DCTERMS.publisher) == rdflib.URIRef(VKID["organisasjon/helsedirektoratet"])


def test_record_negotiation_headers(client):
    response = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert "Accept" in response.headers["Vary"]
    assert '</dataset.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]
    assert client.get("/dataset").mimetype == "text/html"
    assert client.get("/dataset", query_string={"format": "ttl"}).mimetype == "text/turtle"


@pytest.mark.parametrize("suffix", ["ttl", "nt", "jsonld", "rdf", "trig", "nq"])
def test_record_documents_parse(client, suffix):
    response = client.get(f"/dataset.{suffix}")
    assert response.status_code == 200
    parsed = rdflib.Dataset().parse(data=response.get_data(), format=RDFLIB[suffix])
    assert any(True for _ in parsed.quads((DATASET, RDF.type, DCAT.Dataset, None)))


def test_void_counts_match_the_graph(client, graph: KnowledgeGraph):
    """VoID class partitions and the Enhetsregisteret linkset agree with the data itself."""
    void = record(client, headers={"Accept": "text/turtle"})
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                  for p in void.objects(DATASET, VOID.classPartition)}
    assert partitions[rdflib.URIRef(VK.Goal)] == graph.entities_by_class()[str(VK.Goal)] == 5
    links = graph.select(f'SELECT (COUNT(*) AS ?n) {{ GRAPH vkg:data {{ ?s rdfs:seeAlso ?o }} '
                         f'FILTER(STRSTARTS(STR(?o), "{BRREG}")) }}')[0]["n"].value
    brreg = next(ls for ls in void.subjects(RDF.type, VOID.Linkset)
                 if void.value(ls, VOID.objectsTarget) == rdflib.URIRef(BRREG))
    # the register records are rdfs:seeAlso: the numbers were not looked up there (issue 12, item 5)
    assert void.value(brreg, VOID.linkPredicate) == rdflib.RDFS.seeAlso
    assert int(void.value(brreg, VOID.triples)) == int(links) > 0


def test_dataset_page_shows_downloads_and_statistics(client):
    html = client.get("/dataset", headers={"Accept": "text/html"}).get_data(as_text=True)
    for name in ("veikart.ttl", "veikart.nt", "veikart.jsonld", "veikart.trig"):
        assert f'href="/download/{name}"' in html
    assert 'href="/def/Goal"' in html and "Enhetsregisteret" in html
    assert '<script type="application/ld+json">' in html and 'rel="external license"' in html


def test_dataset_page_in_english(client):
    html = client.get("/dataset", query_string={"lang": "en"}).get_data(as_text=True)
    assert "Download the whole dataset" in html and "Entities per class" in html


# ----------------------------------------------------------------------------- downloads


def default_graph_size(graph: KnowledgeGraph) -> int:
    """Distinct triples of the SPARQL default graph: the union of the queryable named graphs."""
    default = {str(g) for g in QUERYABLE_GRAPHS}
    return len({q.triple for q in named_quads(graph.store) if q.graph_name.value in default})


@pytest.mark.parametrize(("name", "fmt"), [("veikart.ttl", "turtle"), ("veikart.nt", "nt"),
                                           ("veikart.jsonld", "json-ld")])
def test_triple_downloads_round_trip_the_default_graph(client, graph, name, fmt):
    response = client.get(f"/download/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert len(rdflib.Graph().parse(data=response.get_data(), format=fmt)) == default_graph_size(graph)


def test_trig_download_round_trips_every_named_graph(client, graph):
    parsed = rdflib.Dataset().parse(data=client.get("/download/veikart.trig").get_data(), format="trig")
    expected = sum(1 for _ in named_quads(graph.store))
    assert sum(1 for _ in parsed.quads((None, None, None, None))) == expected


def test_download_etag_is_the_snapshot_hash_and_revalidates(client, graph):
    first = client.get("/download/veikart.nt")
    assert first.headers["ETag"] == f'"{graph.snapshot_hash}"'
    again = client.get("/download/veikart.nt", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()
    assert client.get("/download/veikart.nt").get_data() == first.get_data()


@pytest.mark.parametrize("path", [
    "/download/veikart.nq", "/download/veikart", "/download/dataset.nq", "/download/../build/current/dataset.nq",
    "/download/..%2F..%2Fpyproject.toml", "/download/%2e%2e", "/download/", "/dataset.exe", "/download/veikart.ttl/x",
])
def test_anything_else_under_download_is_404(client, path):
    assert client.get(path).status_code == 404


def test_the_page_says_what_the_dataset_covers(client, graph: KnowledgeGraph):
    """Issue 12, item 7: counts by kind from the graph, the edition and date of each source,
    and what is known to be missing."""
    from .test_pages import Page

    page = Page(client.get("/dataset", headers={"Accept": "text/html"}).get_data(as_text=True))
    coverage = "".join(page.text.split("Hva datasettet dekker")[1].split("Statistikk (VoID)")[0].split())
    counts = {r["cls"].value.rsplit("/", 1)[-1]: r["n"].value for r in graph.select(
        "SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH vkg:data { ?s a ?cls } } GROUP BY ?cls")}
    assert f"Leveranseiveikartlisten(planlagt204,tentativ59){counts['Delivery']}" in coverage  # spaces removed
    assert f"Strategigruppering{counts['ActivityGroup']}" in coverage and f"Delmål{counts['SubGoal']}" in coverage
    assert "gjeldendeutgave(2026-08)" in coverage
    assert "versjon2026-082026-082026-08-09" in coverage  # the list: its version and (secondary) date
    assert "ehelse.noehelseikkeoppgitt" in coverage  # the ehelse.no release: no date known
    assert "Eiereogbrukergrupperperleveranse" in coverage and "målindikatorene" in coverage
    english = Page(client.get("/dataset?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)).text
    assert "Known to be missing" in english and "Owners and user groups per delivery" in english
