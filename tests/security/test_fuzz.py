"""Property-based fuzzing of /sparql, /id/, /search and the query page (issue 7): whatever is
sent, the answer is not a 5xx (other than a query stopped at the time limit), never a traceback,
and well-formed in its content type. Errors say what went wrong.

Bounded so the file runs in well under a minute: ``FUZZ_EXAMPLES`` (default 150) examples per
target; set ``VEIKART_FUZZ_EXAMPLES=2000`` for a longer hunt. Hypothesis keeps failing examples
in ``.hypothesis/`` and replays them first.

Specs: SPARQL 1.1 Protocol §2.1 (query operation) and §2.1.5 (responses); RFC 9110 §15.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.security.checks import assert_client_error, assert_html, assert_well_formed

ROOT = Path(__file__).resolve().parents[2]
FUZZ_EXAMPLES = int(os.environ.get("VEIKART_FUZZ_EXAMPLES", "150"))
# The Flask test client keeps no state between requests (no cookies are ever set), so sharing
# the function-scoped ``client`` across examples is sound.
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o", "$o",
    ".", ";", ",", "*", "a", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS", "VALUES",
    "LIMIT 5", "OFFSET 2", "ORDER BY", "GROUP BY", "HAVING", "DISTINCT", "COUNT(*)", "SAMPLE(?o)", "NOT EXISTS",
    "PREFIX vk: <https://w3id.org/veikart/def/>", "vk:Goal", "vk:", "nope:x", "<https://w3id.org/veikart/id/mal/1>",
    "<http://a b>", "<>", "<", ">", "=", "!=", "&&", "||", "!", "+", "-", "/", "|", "^", "^^", "@nb", "@",
    '"helse"', "'x'", '"""', '"', "'", "\\", "\\u0022", "\\U0000007B", "1", "-2.5e3", "true", "_:b", "#c\n",
    "REGEX(?o, \"a\")", "STR(?s)", "LANG(?o)", "IRI(?o)", "xsd:integer(?o)", "BASE <x:>", "SERVICE <http://127.0.0.1:9/>",
    "SERVICE ?s", "INSERT DATA", "DELETE WHERE", "LOAD <http://127.0.0.1:9/>", "DROP ALL", "CLEAR DEFAULT",
    "FROM <https://w3id.org/veikart/graph/data>", "FROM NAMED <x:y>", "\x00", "\x1b", "\u202e", "\ufeff", "\n",
]
ACCEPTS = [None, "*/*", "text/html", "application/json", "application/sparql-results+xml", "text/csv",
           "text/turtle", "application/rdf+xml", "image/png", "garbage;;q=x", "text/*;q=0.1"]
FORMATS = [None, "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml", "docx", "", "\x00"]


def examples() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted((ROOT / "queries").glob("*.rq"))]


@st.composite
def mutated_example(draw) -> str:
    """An example query with a few tokens inserted, or a slice cut out or doubled."""
    text = draw(st.sampled_from(examples()))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + 40)))
        edit = draw(st.sampled_from(["insert", "cut", "double"]))
        if edit == "insert":
            text = f"{text[:at]} {draw(st.sampled_from(TOKENS))} {text[at:]}"
        elif edit == "cut":
            text = text[:at] + text[end:]
        else:
            text = text[:end] + text[at:end] + text[end:]
    return text


QUERIES = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join),
    mutated_example(),
    st.text(max_size=300),
)


def assert_sound(response, *, query: bool = False) -> None:
    """Not a 5xx (except a query stopped at the time limit), errors with a message, bodies that
    parse as their content type (``--hypothesis-show-statistics`` shows the statuses)."""
    event(f"status {response.status_code}")
    if query and response.status_code == 503:
        assert "stopped" in response.get_data(as_text=True)
        return
    assert response.status_code < 500, (response.status_code, response.get_data()[:400])
    if response.status_code >= 400:
        assert_client_error(response)
    else:
        assert_well_formed(response)
    for name, value in response.headers.items():
        assert "\n" not in value and "\r" not in value, name


@FUZZ
@given(text=QUERIES, accept=st.sampled_from(ACCEPTS), fmt=st.sampled_from(FORMATS),
       method=st.sampled_from(["get", "form", "direct"]))
def test_sparql_endpoint_answers_any_text_soundly(client, text, accept, fmt, method):
    """§2.1: GET, form POST and direct POST with any text, Accept and format."""
    headers = {"Accept": accept} if accept else {}
    params = {"format": fmt} if fmt is not None else {}
    if method == "get":
        response = client.get("/sparql", query_string={"query": text, **params}, headers=headers)
    elif method == "form":
        response = client.post("/sparql", data={"query": text, **params}, headers=headers)
    else:
        response = client.post("/sparql", data=text.encode("utf-8", "surrogatepass"), query_string=params,
                               content_type="application/sparql-query", headers=headers)
    assert_sound(response, query=True)


@FUZZ
@given(body=st.binary(max_size=200), kind=st.sampled_from(["application/sparql-query",
                                                           "application/x-www-form-urlencoded"]))
def test_sparql_endpoint_answers_any_bytes_soundly(client, body, kind):
    """§2.1.2–§2.1.3: any POST body, valid UTF-8 or not."""
    assert_sound(client.post("/sparql", data=body, content_type=kind), query=True)


KNOWN = ["mal/1", "delmal/1a", "aktivitet/digitalt-helsekort-gravide", "organisasjon/helsedirektoratet", "fase/konsept"]
ID_PATHS = st.one_of(st.text(max_size=80), st.sampled_from(KNOWN),
                     st.tuples(st.sampled_from(KNOWN), st.text(max_size=20)).map("".join),
                     st.lists(st.sampled_from(["..", ".", "%2e%2e", "%2f", "mal", "1", "", "%00", "\\"]),
                              max_size=6).map("/".join))


@FUZZ
@given(path=ID_PATHS, accept=st.sampled_from(ACCEPTS), encode=st.booleans())
def test_any_path_under_id_is_a_redirect_or_a_clear_error(client, path, accept, encode):
    """Any /id/… path: a 303 to the entity's document, or a 4xx (404 unknown, 400/406 bad request)."""
    url = "/id/" + (quote(path, safe="/") if encode else path.replace("?", "%3F").replace("#", "%23"))
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code in (303, 308, 400, 404, 406), (url, response.status_code)
    assert_sound(response)
    if response.status_code == 303:
        assert response.headers["Location"].startswith(("/page/id/", "/data/id/"))


SEARCH_PARAMS = ["type", "goal", "owner", "usergroup", "phase", "year", "lang", "limit", "offset"]
NUMBERS = st.one_of(st.integers(-5, 10**12).map(str), st.text(max_size=6))


@FUZZ
@given(q=st.text(max_size=120), extra=st.dictionaries(st.sampled_from(SEARCH_PARAMS),
                                                     st.one_of(NUMBERS, st.text(max_size=30)), max_size=3),
       as_json=st.booleans())
def test_search_answers_any_words_and_filters_soundly(client, q, extra, as_json):
    """Any search text and any filter values: results, or a 400 naming the bad parameter."""
    response = client.get("/search.json" if as_json else "/search", query_string={"q": q, **extra},
                          headers={"Accept": "application/json" if as_json else "text/html"})
    assert response.status_code in (200, 400), response.status_code
    assert_sound(response)
    if as_json and response.status_code == 200:
        body = response.get_json()
        assert 0 <= len(body["results"]) <= body["total"]


@FUZZ
@given(text=QUERIES)
def test_query_page_shows_any_query_and_its_result_or_error(client, text):
    """The query page always renders: the result table, or the error next to the query text;
    the text the user typed never becomes markup."""
    response = client.get("/query", query_string={"query": text}, headers={"Accept": "text/html"})
    event(f"status {response.status_code}")
    if response.status_code == 503:
        assert_sound(response, query=True)
        return
    assert response.status_code in (200, 400), response.status_code
    assert response.mimetype == "text/html"
    assert_html(response.get_data(as_text=True))
