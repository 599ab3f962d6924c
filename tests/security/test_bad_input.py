"""Malformed input on every endpoint: a 4xx with a message a person can act on, never a 500 and
never a traceback (issue 7).

Specs: RFC 9110 §15.5 (client errors), §12.5.1 (Accept); RFC 3986 §2.5 (text in a URI is UTF-8);
SPARQL 1.1 Protocol §2.1.1–§2.1.4 (query, dataset) and §2.1.5 (responses);
SPARQL 1.1 Query §19.5 (IRIs), §4.1.1.1 (prefixed names).
"""

from __future__ import annotations

import io
import logging
from urllib.parse import quote

import pytest

from tests.security.checks import assert_client_error, assert_no_internals, assert_well_formed

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
ASK = quote("ASK {}")
ENDPOINTS = [
    "/sparql", "/query", "/search", "/search.json", "/id/mal/1", "/page/id/mal/1", "/data/id/mal/1.ttl",
    "/dataset", "/download/veikart.ttl", "/", "/veikart/mal/1", "/veikart/tidslinje", "/sparql/examples.json",
    "/changes", "/changes.json",
]
SECRETS = (b"root:x:0:0", b"[build-system]", b"[project]", b"PRIVATE KEY")


def require(client, base: str) -> None:
    """The route under attack must exist (a 404 base would make every check below vacuous)."""
    assert client.get(base).status_code != 404, f"{base} is not served"


# ----------------------------------------------------------------------------- invalid UTF-8


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("query_string", ["lang=%ff%fe", "lang=\xff", "q=ok&x=%C3"], ids=["percent", "raw", "cut"])
def test_query_string_that_is_not_utf8_is_400_naming_the_parameter(client, endpoint, query_string):
    """RFC 3986 §2.5: text in a URI is percent-encoded UTF-8; anything else is the client's error.
    Raw bytes used to raise inside Werkzeug (500 on every URL); bad escapes passed as ``%FF``."""
    require(client, endpoint.split("?")[0])
    response = client.get(endpoint, environ_overrides={"QUERY_STRING": query_string},
                          headers={"Accept": "text/html"})
    message = assert_client_error(response, (400,))
    assert "UTF-8" in message and query_string.split("&")[-1].split("=")[0] in message


@pytest.mark.parametrize("body", [b"query=ASK%7B%7D\xff", b"query=%ff%fe", b"x=\xc3&query=ASK%7B%7D"])
def test_form_body_that_is_not_utf8_is_400(client, body):
    """Protocol §2.1.2: a form POST is UTF-8. Werkzeug drops a form it cannot decode, which used to
    answer a query with the service description (200)."""
    response = client.post("/sparql", data=body, content_type=FORM)
    assert "UTF-8" in assert_client_error(response, (400,))


def test_direct_post_that_is_not_utf8_is_400(client):
    """Protocol §2.1.3: the body of ``application/sparql-query`` is UTF-8."""
    response = client.post("/sparql", data=b"ASK {}\xff", content_type=DIRECT)
    assert "UTF-8" in assert_client_error(response, (400,))


def test_direct_post_with_a_byte_order_mark_is_answered(client):
    """A query file saved with a BOM (common on Windows) is still the same query."""
    response = client.post("/sparql", data="\ufeffASK {}".encode(), content_type=DIRECT)
    assert response.status_code == 200
    assert response.get_json()["boolean"] is True


# ----------------------------------------------------------------------------- bad queries


@pytest.mark.parametrize(("query", "hint"), [
    ("SELECT * WHERE { ?s ?p ?o", "error at"),
    ("SELECT * WHERE { ?s ?p ?o }}}", "error at"),
    ("SELECT * WHERE {{{ ?s ?p ?o }", "error at"),
    ("SELECT * WHERE { ?s nope:p ?o }", "prefix"),
    ("SELECT * WHERE { <http://a b> ?p ?o }", "error at"),
    ("SELECT * WHERE { <javascript:alert(1)\n> ?p ?o }", "error at"),
    ("SELECT\x01* WHERE { ?s ?p ?o }", "error at"),
    ("SELECT * WHERE { ?s ?p \"\x00\" . ?s ?p ?o", "error at"),
    ("\x00", "error at"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT -1", "error at"),
])
@pytest.mark.parametrize("how", ["get", "form", "direct", "page"])
def test_malformed_query_is_400_with_the_parser_message(client, query, hint, how):
    """Protocol §2.1.5: a query that does not parse is 400 with a message (position or cause)."""
    if how == "get":
        response = client.get("/sparql", query_string={"query": query})
    elif how == "form":
        response = client.post("/sparql", data={"query": query})
    elif how == "direct":
        response = client.post("/sparql", data=query.encode(), content_type=DIRECT)
    else:
        response = client.get("/query", query_string={"query": query}, headers={"Accept": "text/html"})
    message = assert_client_error(response, (400,))
    assert hint.lower() in message.lower()


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("value", ["not an iri", "", "javascript:alert(1)", "http://a b/", "http://x/<script>",
                                   "file:///etc/passwd", "http://x/\x00", "http://x/{}"])
def test_dataset_iri_that_is_not_an_absolute_http_iri_is_400(client, name, value):
    """Protocol §2.1.4: the dataset is given by IRIs; anything else is refused naming the parameter."""
    response = client.get("/sparql", query_string={"query": "ASK {}", name: value})
    assert name in assert_client_error(response, (400,))


# ----------------------------------------------------------------------------- bad parameters


@pytest.mark.parametrize("url", [
    f"/sparql?query={ASK}", "/id/mal/1", "/data/id/mal/1", "/dataset", "/sparql", "/id/finnes/ikke"])
@pytest.mark.parametrize("accept", [
    "image/png", "garbage", ",,,;;;", "text/html;q=abc", "*/*;q=0", "a/b;q=2", "x" * 4000,
    "text/html;level=" + "1" * 500, "application/json;q=0.5, application/json;q=0.1;q=0.9"])
def test_bogus_accept_is_406_listing_what_is_offered_or_an_answer(client, url, accept):
    """RFC 9110 §12.5.1 / §15.5.7: nothing acceptable is a 406 naming the types that are offered;
    anything the server can make sense of is answered, well-formed."""
    response = client.get(url, headers={"Accept": accept})
    if response.status_code == 406:
        assert "available" in assert_client_error(response, (406,))
    else:
        assert response.status_code in (200, 303, 404), response.status_code
        assert_well_formed(response)


@pytest.mark.parametrize("url", [f"/sparql?query={ASK}", "/id/mal/1", "/page/id/mal/1", "/data/id/mal/1",
                                 "/dataset", "/sparql"])
@pytest.mark.parametrize("fmt", ["docx", "%00", "%3Cscript%3E", "json%0d%0aSet-Cookie:x=1", "ttl.", "x" * 300])
def test_unknown_format_is_400_naming_it(client, url, fmt):
    """A ``format=`` that names no format is refused (400) with the list of formats."""
    response = client.get(f"{url}{'&' if '?' in url else '?'}format={fmt}")
    assert "format" in assert_client_error(response, (400,)).lower()
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url", ["/", "/veikart/mal/1", "/veikart/eiere", "/veikart/tidslinje", "/page/id/mal/1",
                                 "/search", "/query", "/dataset", "/changes"])
@pytest.mark.parametrize("lang", ["xx", "nb&lang=en", "%00", "%3Cscript%3E", "en-GB", "nb" * 200])
def test_bogus_lang_is_400_or_the_default_language(client, url, lang):
    """``lang`` is nb or en: the views refuse anything else (400 naming it); the other pages fall back
    to bokmål, and never echo the value into the page's language."""
    require(client, url)
    response = client.get(f"{url}?lang={lang}", headers={"Accept": "text/html"})
    if response.status_code == 400:
        assert "nb, en" in assert_client_error(response, (400,))
    else:
        assert response.status_code == 200
        assert_well_formed(response)
        assert '<html lang="nb">' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/search", "/search.json"])
@pytest.mark.parametrize(("param", "value"), [
    ("limit", "-1"), ("limit", "abc"), ("limit", "1e9"), ("limit", "9" * 30), ("limit", "%00"),
    ("offset", "-1"), ("offset", "abc"), ("offset", "9" * 30), ("offset", "0x10"), ("offset", "1.5"),
])
def test_bogus_paging_is_400_naming_the_parameter(client, path, param, value):
    """Paging parameters are small non-negative integers; anything else is a 400 naming the parameter."""
    response = client.get(f"{path}?q=helse&{param}={value}", headers={"Accept": "text/html"})
    assert param in assert_client_error(response, (400,))


# ----------------------------------------------------------------------------- path traversal


@pytest.mark.parametrize("path", [
    "/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/..%2f..%2fetc%2fpasswd", "/id/mal/1%00",
    "/id/%00", "/id/mal/..%5c..%5cwindows%5cwin.ini", "/id/mal/1%2f..%2f..%2f..%2fpyproject.toml",
    "/id/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/id/mal/1%0d%0aSet-Cookie:%20x=1", "/page/../../etc/passwd",
    "/page/id/..%2f..%2fpyproject.toml", "/data/..%2f..%2fpyproject.toml.ttl", "/data/id/mal/1%00.ttl",
    "/def/..%2f..%2fetc%2fpasswd", "/graph/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/download/../../pyproject.toml", "/download/%2e%2e%2fpyproject.toml", "/download/..%2F..%2Fpyproject.toml",
    "/download/veikart.ttl%00.txt", "/download/veikart.ttl%2f..%2f..%2fpyproject.toml", "/download/%2fetc%2fpasswd",
    "/download/....%2f%2f....%2f%2fetc%2fpasswd", "/download/veikart.nq", "/download/dataset.nq",
    "/static/../../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2f..%2f..%2fpyproject.toml",
    "/dataset.ttl%00", "/dataset.%2e%2e%2fpyproject", "/veikart/mal/..%2f..%2fetc", "/veikart/eier/%2e%2e",
    "/release/..%2f..%2f/id/mal/1", "/release/%2e%2e/id/%2e%2e/etc/passwd",
])
def test_path_traversal_finds_nothing(client, path):
    """Paths name resources in the graph, never files: traversal is a 404 (or 400) with a message,
    and nothing from the file system comes back."""
    response = client.get(path, headers={"Accept": "text/plain"})
    assert_client_error(response, (400, 404))
    assert not any(secret in response.get_data() for secret in SECRETS)
    assert "Set-Cookie" not in response.headers


# ----------------------------------------------------------------------------- every endpoint, every bad value

BAD_VALUES = ["%00%01%1b%7f", "%7B%7B%7B", "%7D", "%22%27%3E%3Cscript%3Ealert(1)%3C/script%3E", "nope:prefix",
              "-1", "9" * 40, "%E2%80%AE%E2%80%8B", "x" * 3000, "%0d%0aX-Injected:%201", "..%2f..%2f"]
PARAMS = ["q", "query", "format", "lang", "limit", "offset", "type", "owner", "mal", "default-graph-uri", "page"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("value", BAD_VALUES)
def test_no_bad_value_in_any_parameter_gives_a_5xx(client, endpoint, value):
    """Every known parameter name with every bad value, on every endpoint: 2xx/3xx well-formed, or a
    4xx with a message; never a 5xx, never a traceback, never an injected header."""
    require(client, endpoint)
    for param in PARAMS:
        response = client.get(f"{endpoint}?{param}={value}", headers={"Accept": "text/html"})
        assert response.status_code < 500, (param, response.status_code, response.get_data()[:300])
        if response.status_code >= 400:
            assert_client_error(response)
        else:
            assert_well_formed(response)
        assert "X-Injected" not in response.headers
        assert_no_internals(response)


# ----------------------------------------------------------------------------- regressions (bugs found here)


@pytest.mark.parametrize("url", ["/veikart/mal/1%0a", "/veikart/delmal/1a%0A", "/veikart/eier/helsedirektoratet%0a",
                                 "/veikart/tidslinje?mal=1%0a", "/veikart/tidslinje?eier=helsedirektoratet%0a"])
def test_view_key_with_a_trailing_newline_is_400(client, url):
    """A key is lower-case letters, digits and '-' only; a trailing newline is a malformed key."""
    assert_client_error(client.get(url, headers={"Accept": "text/plain"}), (400, 404))


@pytest.mark.parametrize(("body", "content_type"), [
    (b"query=ASK+%7B%7D" + b"+" * 100_000, FORM), (b"<a:a> <a:b> <a:c> ." + b" " * 100_000, "text/turtle")],
    ids=["form", "turtle"])
def test_oversized_post_body_is_413_or_415(client, caplog, body, content_type):
    """RFC 9110 §15.5.14: a body over the limit is refused with 413 (or 415 for a type that is no query)."""
    caplog.set_level(logging.INFO, logger="veikart_graph.access")
    assert_client_error(client.post("/sparql", data=body, content_type=content_type), (413, 415))


def test_a_refused_body_is_read_so_the_connection_can_be_reused(client):
    """RFC 9112 §9.3: after a 413 the server still says keep-alive, so it must read what is left of
    the body; gunicorn itself drains only 64 KiB and then drops the connection."""
    stream = io.BytesIO(b"ASK {}" + b" " * 200_000)
    response = client.post("/sparql", input_stream=stream, content_type=DIRECT,
                           headers={"Content-Length": str(len(stream.getvalue()))})
    assert_client_error(response, (413,))
    assert stream.read() == b""
