"""HTTP caching on every route (issue 13): a strong ETag per snapshot and representation
(RFC 9110 §8.8.3), 304 on If-None-Match (§13.1.2), Cache-Control by what can change (RFC 9111
§5.2.2)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from veikart_graph.web.caching import FROZEN, NO_STORE, SHORT

ROUTES = ["/", "/veikart/mal/1", "/veikart/tidslinje", "/page/id/mal/1", "/data/id/mal/1.ttl",
          "/def/Goal", "/search?q=helse", "/search.json?q=helse", "/sparql?query=" + quote("ASK {}"),
          "/query?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 2"), "/dataset", "/changes",
          "/changes.json", "/changes.atom", "/sparql/examples.json", "/static-gen/phases.css"]


def final(client, url: str, **kwargs):
    response = client.get(url, **kwargs)
    while response.status_code in (301, 302, 303, 307, 308):
        response = client.get(response.headers["Location"], **kwargs)
    return response


@pytest.mark.parametrize("url", ROUTES)
def test_every_route_has_an_etag_and_answers_304_when_it_matches(client, url: str):
    first = final(client, url)
    assert first.status_code == 200, url
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith('W/'), etag
    again = final(client, url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"", url
    assert again.headers["ETag"] == etag


def test_representations_of_one_resource_have_different_etags(client):
    nb = final(client, "/veikart/mal/1?lang=nb").headers["ETag"]
    en = final(client, "/veikart/mal/1?lang=en").headers["ETag"]
    turtle = final(client, "/data/id/mal/1.ttl").headers["ETag"]
    jsonld = final(client, "/data/id/mal/1.jsonld").headers["ETag"]
    assert len({nb, en, turtle, jsonld}) == 4


def test_a_stale_etag_gets_the_full_answer(client):
    response = final(client, "/veikart/mal/1", headers={"If-None-Match": '"not-this-one"'})
    assert response.status_code == 200 and response.get_data()


@pytest.mark.parametrize("url,expected", [("/veikart/mal/1", SHORT), ("/healthz", NO_STORE), ("/readyz", NO_STORE),
                                          ("/metrics", NO_STORE)])
def test_cache_control_says_how_long_an_answer_may_be_kept(client, url: str, expected: str):
    assert final(client, url).headers["Cache-Control"] == expected


def test_operations_are_never_validated_or_cached(client):
    assert "ETag" not in client.get("/healthz").headers


def test_an_older_release_in_rdf_is_kept_a_day_its_page_a_minute(client):
    from veikart_graph.releases.index import release_index
    from veikart_graph.web.state import get_state

    with client.application.app_context():
        index = release_index(get_state().graph)
        older = index.releases[0].version
        current = index.current.version
    assert older != current
    rdf = final(client, f"/release/{older}/id/mal/1?format=ttl")
    assert rdf.status_code == 200 and rdf.headers["Cache-Control"] == FROZEN
    page = final(client, f"/release/{older}/id/mal/1", headers={"Accept": "text/html"})
    assert page.headers["Cache-Control"] == SHORT
    now = final(client, f"/release/{current}/id/mal/1?format=ttl")
    assert now.headers["Cache-Control"] == SHORT
