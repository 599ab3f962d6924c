"""The Host header is not reflected (issue 16, finding 9): the service description's endpoint IRI
(SPARQL 1.1 Service Description §3, sd:endpoint) and the Atom feed's links (RFC 4287 §4.2.7) come
from the configured public URL or the address ``serve`` listens on, never from a client's Host
header — a spoofed Host must not reach a cache or a reader. Through the real ``serve`` process."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.server import running_server

pytestmark = pytest.mark.slow
EVIL = "evil.example"
PUBLIC = "https://veikart.example.no/tjeneste"


@pytest.fixture(scope="module")
def servers(snapshot):
    """Two servers on the real data: one with VEIKART_PUBLIC_URL, one without."""
    build_dir = Path(snapshot.path).parents[1]
    with running_server(build_dir, workers=1) as plain, \
            running_server(build_dir, workers=1, env={"VEIKART_PUBLIC_URL": PUBLIC}) as public:
        yield plain, public


def fetch(base: str, path: str, accept: str) -> str:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    connection.request("GET", path, headers={"Host": EVIL, "Accept": accept})
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    assert response.status == 200, body[:300]
    return body


@pytest.mark.parametrize("path,accept", [("/sparql", "text/turtle"), ("/changes.atom", "application/atom+xml"),
                                         ("/changes.json", "application/json")])
def test_a_spoofed_host_is_not_reflected(servers, path: str, accept: str):
    plain, public = servers
    own = f"http://127.0.0.1:{urlsplit(plain).port}"
    body = fetch(plain, path, accept)
    assert EVIL not in body
    assert own in body
    body = fetch(public, path, accept)
    assert EVIL not in body
    assert PUBLIC in body


def test_the_service_description_names_the_configured_endpoint(servers):
    """§3: sd:endpoint is the IRI of the endpoint itself."""
    _, public = servers
    body = fetch(public, "/sparql", "application/n-triples")
    assert f"<{PUBLIC}/sparql> <http://www.w3.org/ns/sparql-service-description#endpoint> <{PUBLIC}/sparql>" in body
