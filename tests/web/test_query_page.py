"""The HTML query page and the example queries."""

from __future__ import annotations

import json
from urllib.parse import quote

from veikart_graph.examples import load_examples
from veikart_graph.settings import Settings

FEDERATED = "14-federated-wikidata"


def test_there_are_at_least_twelve_examples_with_titles(settings: Settings):
    examples = load_examples(settings.root_dir / "queries")
    assert len(examples) >= 12
    for example in examples:
        assert example.title.get("nb") and example.title.get("en"), example.key
        assert example.description.get("nb") and example.description.get("en"), example.key


def test_every_example_returns_rows(client, settings: Settings):
    """Every example except the federated one runs through /sparql and returns something."""
    for example in load_examples(settings.root_dir / "queries"):
        if example.key == FEDERATED:
            continue
        response = client.post("/sparql", data=example.text.encode(),
                               content_type="application/sparql-query",
                               headers={"Accept": "application/sparql-results+json, text/turtle"})
        assert response.status_code == 200, (example.key, response.get_data()[:300])
        body = response.get_data()
        if response.mimetype == "application/sparql-results+json":
            assert json.loads(body)["results"]["bindings"], example.key
        else:
            assert body.strip(), example.key


def test_examples_index_is_json(client):
    index = json.loads(client.get("/sparql/examples.json").get_data())
    assert {e["id"] for e in index} >= {"01-goals-subgoals-activities", FEDERATED}


def test_query_page_renders_results_with_links(client):
    query = "PREFIX vk: <https://w3id.org/veikart/def/> SELECT ?g WHERE { ?g a vk:Goal }"
    response = client.get(f"/query?query={quote(query)}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/id/mal/1"' in html
    assert "format=csv" in html


def test_query_page_shows_errors_next_to_the_query(client):
    response = client.get("/query?query=" + quote("SELECT ?s WHERE { ?s ?p }"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert "SELECT ?s WHERE { ?s ?p }" in html


def test_download_links_fit_the_result_kind(client):
    """Regression: SELECT results offered RDF downloads that answered 400."""
    select = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    html = client.get(f"/query?query={quote(select)}").get_data(as_text=True)
    assert "format=csv" in html and "format=ttl" not in html
    construct = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
    html = client.get(f"/query?query={quote(construct)}").get_data(as_text=True)
    assert "format=ttl" in html and "format=csv" not in html
