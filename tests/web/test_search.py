"""``/search`` and ``/search.json`` (issue 5): ranked results with snippets and facets, every
state a shareable URL, the search box on every page, 400 naming the bad parameter, never 500."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

import veikart_graph.search.hook  # noqa: F401 - the session snapshot is built with its search index

PLL_MEASURE = "/id/tiltak/program-pasientens-legemiddelliste"


def get_json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())


def links(html: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in re.findall(r'href="([^"]+)"', html)]


# -- HTML ---------------------------------------------------------------------------------

def test_search_box_on_other_pages_submits_here(client) -> None:
    html = client.get("/query").get_data(as_text=True)
    form = re.search(r'<form class="search"[^>]*action="/search"[^>]*>.*?</form>', html, re.S)
    assert form and 'name="q"' in form.group(0)


def test_results_page_shows_type_label_snippet_and_goal(client) -> None:
    html = client.get("/search?q=legemiddelliste").get_data(as_text=True)
    assert re.search(r"\d+ treff for «legemiddelliste»", html)
    assert f'href="{PLL_MEASURE}"' in html
    assert "<mark>" in html
    assert 'href="/id/mal/2">Mål 2</a>' in html
    for facet in ("Type", "Strategisk mål", "Eier"):
        assert f">{facet}</h3>" in html


def test_facet_link_is_a_shareable_url_of_the_narrowed_search(client) -> None:
    html = client.get("/search?q=helse").get_data(as_text=True)
    activity = next(u for u in links(html) if parse_qs(urlsplit(u).query).get("type") == ["Activity"])
    assert parse_qs(urlsplit(activity).query) == {"q": ["helse"], "type": ["Activity"], "lang": ["nb"]}
    narrowed = client.get(activity).get_data(as_text=True)
    assert 'class="selected" aria-current="true">Aktivitet' in narrowed
    types = re.findall(r'<p class="hit-type">([^<·]+)', narrowed)
    assert types and {t.strip() for t in types} == {"Aktivitet"}
    removal = next(u for u in links(narrowed) if "q=helse" in u and "type=" not in u and "/search?" in u)
    assert client.get(removal).status_code == 200


def test_empty_query_lists_everything_browsable(client, app) -> None:
    html = client.get("/search").get_data(as_text=True)
    total = len(app.extensions["veikart.search"].get().docs)
    assert f"{total} oppføringer i veikartet" in html
    assert 'rel="next"' in html


def test_nothing_found_says_so_and_suggests(client) -> None:
    html = client.get("/search?q=velferdsteknologi+gravide").get_data(as_text=True)
    assert "Ingen treff for «velferdsteknologi gravide»" in html
    assert "Prøv heller" in html and "/search?q=gravide" in html


def test_typo_correction_is_shown(client) -> None:
    html = client.get("/search?q=velferdsteknolgi").get_data(as_text=True)
    assert "«velferdsteknolgi» → <strong>velferdsteknologi</strong>" in html


def test_english_interface(client) -> None:
    html = client.get("/search?q=PLL&lang=en").get_data(as_text=True)
    assert "results for «PLL»" in html and ">Sub-goal" in html and ">Strategic goal</h3>" in html
    assert '<html lang="en">' in html


def test_page_is_safe_under_the_content_security_policy(client) -> None:
    response = client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    html = response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert " style=" not in html and "<script" not in html.replace('<script type="application/ld+json"', "")


# -- JSON ---------------------------------------------------------------------------------

def test_json_shape(client) -> None:
    body = get_json(client, "/search.json?q=PLL&limit=2")
    assert set(body) >= {"query", "lang", "filters", "total", "offset", "limit", "results", "facets",
                         "corrections", "suggestions", "next"}
    assert body["limit"] == 2 and len(body["results"]) == 2 and body["total"] > 2
    first = body["results"][0]
    assert set(first) >= {"rank", "iri", "url", "type", "label", "notation", "snippet", "belongs_to", "score", "exact"}
    assert first["url"] == first["iri"].removeprefix("https://w3id.org/veikart")
    assert set(body["facets"]) == {"type", "goal", "owner", "usergroup", "phase", "year"}
    assert body["next"] == "/search.json?q=PLL&limit=2&offset=2&lang=nb"


def test_json_paging_reaches_every_result(client) -> None:
    first = get_json(client, "/search.json?q=helsenorge&limit=100")  # more than 9, fewer than 100
    seen, url = [], "/search.json?q=helsenorge&limit=9"
    while url:
        page = get_json(client, url)
        seen += [r["iri"] for r in page["results"]]
        url = page["next"]
    assert seen[:100] == [r["iri"] for r in first["results"]]
    assert len(seen) == len(set(seen)) == first["total"]


def test_json_facets_combine(client) -> None:
    body = get_json(client, "/search.json?type=Activity&goal=1&limit=100")
    assert body["total"] == len(body["results"]) > 0
    assert {r["type"]["key"] for r in body["results"]} == {"Activity"}
    assert all(any(b["notation"] == "1" for b in r["belongs_to"]) for r in body["results"])


def test_json_is_open_to_other_sites(client) -> None:
    assert client.get("/search.json?q=x").headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("query", "name"), [
    ("limit=abc", "limit"), ("limit=101", "limit"), ("limit=2.5", "limit"), ("offset=-1", "offset"),
    ("year=abcd", "year"), ("owner=Not%20A%20Key", "owner"), ("type=%3Cb%3E", "type"),
    ("q=" + "x" * 10_000, "q"), ("q=a&q=b", "q"),
])
def test_bad_parameter_is_400_naming_it(client, query: str, name: str) -> None:
    response = client.get(f"/search.json?{query}")
    assert response.status_code == 400
    body = json.loads(response.get_data())
    assert body["where"] == name and name in body["error"]
    page = client.get(f"/search?{query}", headers={"Accept": "text/html"})
    assert page.status_code == 400 and name in page.get_data(as_text=True)


HOSTILE = ["%22", "%22%22%22", "AND", "OR+NOT", "NEAR(a+b)", "*", "%5E", "a%3Ab", "%7Blabel%7D%3A+x",
           "(", "%29", "%27%3B+DROP+TABLE+docs%3B--", "%00%01%02", "%ff%fe%fd", "%ED%A0%80", "%C3",
           "%E2%80%AE", "x" * 500, "%F0%9F%99%82", "a+" * 33]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_query_is_answered_or_refused_never_500(client, q: str) -> None:
    for path in ("/search", "/search.json"):
        response = client.get(f"{path}?q={q}")
        assert response.status_code in (200, 400), (path, q, response.status_code)


def test_control_bytes_are_ignored(client) -> None:
    body = get_json(client, "/search.json?q=%00legemiddel%01liste%1f")
    assert body["query"] == "legemiddel liste"


def test_query_without_words_lists_everything(client) -> None:
    html = client.get("/search?q=%21%21%21").get_data(as_text=True)
    assert "oppføringer i veikartet" in html and "treff for «!!!»" not in html
