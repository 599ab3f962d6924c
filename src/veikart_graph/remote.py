"""Reading from a SPARQL 1.1 store over HTTP: ``RemoteGraph``, the second ``GraphReader``.

The app runs on an existing triple store with one setting, ``store`` (``VEIKART_STORE``): the
URL of the store's SPARQL query endpoint. Queries go out as SPARQL 1.1 Protocol POST forms
(https://www.w3.org/TR/sparql11-protocol/#query-via-post-urlencoded) with ``default-graph-uri``
for each queryable graph and ``named-graph-uri`` for each graph of the dataset, so the store
sees exactly the dataset the embedded engine sees; answers are parsed with pyoxigraph, so
callers get the same types as from ``KnowledgeGraph``.

Why ``http.client`` and not SPARQLWrapper: SPARQLWrapper 2.0 sends every request through
``urllib.request``, which opens a new connection per request (``Connection: close``). Here each
thread keeps one keep-alive connection per store. Connection errors (refused, reset, closed
keep-alive) are retried with backoff (``BACKOFF``, under 1.5 s in all); a timeout is not retried
(the store is slow, not gone). Either way the caller gets ``StoreUnavailable`` (503) with a
message a person can act on, never a hang or a traceback.

Releases: ``veikart-graph publish`` writes the snapshot hash into ``RELEASE_GRAPH`` in the
same transaction that swaps the graphs in. The named graphs a query sees are the snapshot's
(``graphs``, from its manifest), as in the embedded store; staging graphs and the release record
stay invisible. An app server serves only the release its local
snapshot (search index, caches) was built from: ``check_release`` compares the two (cached for
``RELEASE_TTL`` seconds) and answers 503 ``ReleaseMismatch`` while they differ.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit

import pyoxigraph as ox

from . import sorting
from .errors import QueryError, StoreUnavailable
from .guard import body_start, has_dataset_clause
from .namespaces import ALL_GRAPHS, QUERYABLE_GRAPHS, VKG
from .sparql_lexer import Token, tokenize
from .store import GraphQueries, values_clause

RELEASE_GRAPH = str(VKG) + "publication"  # the published snapshot hash (not a data graph)
RELEASE_PROPERTY = "http://purl.org/dc/terms/identifier"
DEFAULT_GRAPH_IRIS = tuple(str(g) for g in QUERYABLE_GRAPHS)
CONNECT_TIMEOUT = 2.0
BACKOFF = (0.05, 0.25, 1.0)
RELEASE_TTL = 1.0
MAX_BODY = 512 * 1024 * 1024
RESULTS_JSON = "application/sparql-results+json"
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
VIRTUOSO_ASK = "__ASK_RETVAL"
VIRTUOSO_BNODE = "nodeID://"  # Virtuoso's blank node labels, not valid as labels elsewhere
_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
N_TRIPLES = "application/n-triples"
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/n-quads": ox.RdfFormat.N_QUADS,
}
_CONNECTION_ERRORS = (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine,
                      socket.gaierror, BrokenPipeError)


class StoreTimeout(StoreUnavailable):
    """The store did not answer within the time limit."""


class ReleaseMismatch(StoreUnavailable):
    """The store holds another release than the snapshot this app server was started with."""


# ----------------------------------------------------------------------------- endpoints


@dataclass(frozen=True)
class Endpoints:
    """The store's query, update and Graph Store Protocol URLs, from the one ``store`` setting.

    ``…/query`` or no path: Oxigraph's layout (``/query``, ``/update``, ``/store``);
    ``…/sparql``: Virtuoso's (``/sparql`` for both, ``/sparql-graph-crud``). ``publish`` can
    override the update and GSP URLs for other layouts.
    """

    query: str
    update: str
    gsp: str

    @classmethod
    def from_url(cls, url: str, update: str | None = None, gsp: str | None = None) -> Endpoints:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the store setting must be `embedded` or an http(s) URL, not {url!r}")
        path = parts.path.rstrip("/")
        origin = f"{parts.scheme}://{parts.netloc}"
        if path.endswith("/sparql"):
            base = origin + path[: -len("/sparql")]
            found = cls(origin + path, origin + path, base + "/sparql-graph-crud")
        else:
            base = origin + (path[: -len("/query")] if path.endswith("/query") else path)
            found = cls(base + "/query", base + "/update", base + "/store")
        return cls(found.query, update or found.update, gsp or found.gsp)


def is_remote(store_setting: str) -> bool:
    return store_setting.strip().lower() != "embedded"


# ----------------------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace").strip()


class StoreClient:
    """HTTP to one store: a keep-alive connection per thread, timeouts, retries with backoff."""

    def __init__(self, url: str, timeout: float = 10.0, max_body: int = MAX_BODY) -> None:
        self.url = url
        self.timeout = timeout
        self.max_body = max_body
        self._local = threading.local()

    @property
    def where(self) -> str:
        return urlsplit(self.url).netloc.rpartition("@")[2]

    def post_form(self, url: str, fields: list[tuple[str, str]], accept: str,
                  timeout: float | None = None) -> Answer:
        body = urlencode(fields).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self.request("POST", url, body, headers, timeout)

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, timeout: float | None = None,
                retry: bool = True) -> Answer:
        """Send one request; retry connection errors with backoff (unless ``retry`` is false, for
        requests that must not run twice); ``StoreUnavailable`` at last."""
        failure: Exception | None = None
        for delay in (0.0, *BACKOFF) if retry else (0.0,):
            if delay:
                time.sleep(delay)
            try:
                return self._once(method, url, body, dict(headers or {}), timeout or self.timeout)
            except _CONNECTION_ERRORS as exc:
                self._drop(url)
                failure = exc
            except TimeoutError as exc:
                self._drop(url)
                raise StoreTimeout(
                    f"the triple store at {self.where} did not answer within {timeout or self.timeout:g} s"
                ) from exc
        raise StoreUnavailable(
            f"the triple store at {self.where} cannot be reached ({_reason(failure)}); "
            "the service is unavailable until it is back - try again in a moment"
        ) from failure

    def _once(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
              timeout: float) -> Answer:
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        connection = self._connection(url)
        connection.sock.settimeout(timeout)
        headers.setdefault("User-Agent", "veikart-graph")
        if parts.username:
            headers.setdefault("Authorization", _basic(parts.username, parts.password or ""))
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read(self.max_body + 1)
        if len(data) > self.max_body:
            self._drop(url)
            raise StoreUnavailable(f"the store's answer is larger than {self.max_body} bytes")
        if response.will_close:
            self._drop(url)
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return Answer(response.status, content_type, data,
                      {k.lower(): v for k, v in response.getheaders()})

    def _connection(self, url: str) -> http.client.HTTPConnection:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname, parts.port)
        pool: dict = self._local.__dict__.setdefault("connections", {})
        connection = pool.get(key)
        if connection is None or connection.sock is None:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = kind(parts.hostname, parts.port, timeout=CONNECT_TIMEOUT)
            connection.connect()
            pool[key] = connection
        return connection

    def _drop(self, url: str) -> None:
        parts = urlsplit(url)
        pool: dict = self._local.__dict__.setdefault("connections", {})
        connection = pool.pop((parts.scheme, parts.hostname, parts.port), None)
        if connection is not None:
            connection.close()


def _basic(user: str, password: str) -> str:
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode()
    return f"Basic {token}"


def _reason(exc: Exception | None) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    return type(exc).__name__ if exc is not None else "no answer"


# ----------------------------------------------------------------------------- queries


FORMS = ("select", "ask", "construct", "describe")


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue, or None."""
    tokens = tokenize(text)
    start = body_start(tokens)
    return tokens[start].text.upper() if start < len(tokens) and tokens[start].is_word(*FORMS) else None


def inline_values(text: str, clause: str) -> str:
    """``clause`` (``VALUES …``) at the start of the query's WHERE group, else at the end.

    Stores differ on a trailing ``VALUES`` (Virtuoso 7.2 refuses it on variables that are not
    projected), while inline data at the start of the group is understood by all and lets the
    engine start from the bound terms. Code binds only variables of the pattern (never ones a
    FILTER must see unbound), so the answers are the same (the backend tests check it).
    """
    position = _where_group(tokenize(text))
    if position is None:
        return text + "\n" + clause
    return text[:position + 1] + " " + clause + " " + text[position + 1:]


def _where_group(tokens: list[Token]) -> int | None:
    """Offset of the ``{`` opening the WHERE group (after a CONSTRUCT template), or None.
    ``tokenize`` reads codepoint escapes inside strings and IRIs, so offsets are the text's."""
    start = body_start(tokens)
    if start >= len(tokens) or not tokens[start].is_word(*FORMS):
        return None
    braces = list(_top_braces(tokens, start + 1))
    if tokens[start].is_word("construct") and braces:
        if braces[0] != start + 1:
            return None  # CONSTRUCT WHERE { … }: its group is the template, no VALUES allowed
        braces = braces[1:]  # the template; the WHERE group comes next
    return tokens[braces[0]].start if braces else None


def _top_braces(tokens: list[Token], start: int) -> Iterator[int]:
    """Index of each outermost ``{`` token outside parentheses."""
    depth = parens = 0
    for i in range(start, len(tokens)):
        value = tokens[i].text if tokens[i].kind == "PUNCT" else ""
        if value == "(":
            parens += 1
        elif value == ")":
            parens -= 1
        elif value == "{":
            if depth == 0 and parens == 0:
                yield i
            depth += 1
        elif value == "}":
            depth -= 1


def accept_for(form: str | None) -> str:
    if form in ("CONSTRUCT", "DESCRIBE"):
        return f"{N_TRIPLES}, text/turtle;q=0.5"
    if form in ("SELECT", "ASK"):
        return RESULTS_JSON
    return f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"


def parse_answer(answer: Answer) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
    """The store's answer as pyoxigraph results (solutions, boolean, or a list of triples).

    Booleans come back in their canonical form: Virtuoso writes ``true`` as ``"1"^^xsd:boolean``
    (the same value, RDF 1.1 section 3.3), which code comparing lexical forms would misread, and
    answers ASK in JSON as a one-column table (``VIRTUOSO_ASK``: no row for false); its blank
    node labels (``nodeID://b1``) are made valid labels.
    """
    if answer.content_type in (RESULTS_JSON, "application/json"):
        body = answer.body
        if BOOLEAN.encode() in body or VIRTUOSO_ASK.encode() in body or VIRTUOSO_BNODE.encode() in body:
            body = _canonical_json(body)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if answer.content_type == "application/sparql-results+xml":
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.XML)
    rdf_format = GRAPH_FORMATS.get(answer.content_type)
    if rdf_format is None:
        raise StoreUnavailable(f"the triple store answered with {answer.content_type or 'no type'}, "
                               "which is not a SPARQL result format")
    triples = (q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(answer.body, format=rdf_format))
    return [ox.Triple(t.subject, t.predicate, _canonical(t.object)) for t in triples]


def _canonical(term: object) -> object:
    if isinstance(term, ox.Literal) and term.datatype.value == BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


def _canonical_json(body: bytes) -> bytes:
    data = json.loads(body)
    if data.get("head", {}).get("vars") == [VIRTUOSO_ASK]:
        rows = data.get("results", {}).get("bindings", [])
        answer = bool(rows) and rows[0].get(VIRTUOSO_ASK, {}).get("value") in ("1", "true")
        return json.dumps({"head": {}, "boolean": answer}).encode("utf-8")
    for row in data.get("results", {}).get("bindings", ()):
        for term in row.values():
            if term.get("datatype") == BOOLEAN and term.get("value") in ("1", "0"):
                term["value"] = "true" if term["value"] == "1" else "false"
            elif term.get("type") == "bnode":
                term["value"] = _BNODE_UNSAFE.sub("_", term["value"])
    return json.dumps(data).encode("utf-8")


def raise_for_status(answer: Answer, where: str) -> None:
    """400 → ``QueryError`` with the store's message; anything else not 2xx → 503."""
    if 200 <= answer.status < 300:
        return
    message = answer.text[:1000] or f"status {answer.status}"
    if answer.status == 400:
        raise QueryError(message)
    raise StoreUnavailable(f"the triple store at {where} answered {answer.status}: {message}")


# ----------------------------------------------------------------------------- the reader


class RemoteQuads:
    """``quads_for_pattern`` answered by the store (one SELECT per call, graph names included)."""

    def __init__(self, graph: RemoteGraph) -> None:
        self.graph = graph

    def quads_for_pattern(self, subject: object = None, predicate: object = None,
                          object: object = None, graph_name: object = None) -> Iterator[ox.Quad]:
        terms = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        if any(isinstance(t, ox.BlankNode | ox.Triple | ox.DefaultGraph) for t in terms.values()):
            return iter(())  # the data has no blank nodes and nothing in the default graph
        pattern = {k: str(t) if t is not None else f"?{k}" for k, t in terms.items()}
        projected = [f"?{k}" for k, t in terms.items() if t is None] or ["*"]
        text = (f"SELECT {' '.join(projected)} WHERE {{ GRAPH {pattern['g']} "
                f"{{ {pattern['s']} {pattern['p']} {pattern['o']} }} }}")
        rows = self.graph.run(text)
        return iter([ox.Quad(*(row[k] if t is None else t for k, t in terms.items())) for row in rows])


class RemoteGraph(GraphQueries):
    """The ``GraphReader`` of a SPARQL 1.1 store; ``snapshot_hash`` is the release it must hold."""

    def __init__(self, url: str, snapshot_hash: str = "", timeout: float = 10.0,
                 graphs: Iterable[str] = ()) -> None:
        self.endpoints = Endpoints.from_url(url)
        self.client = StoreClient(url, timeout)
        self.snapshot_hash = snapshot_hash
        self.graphs = tuple(graphs) or tuple(str(g) for g in ALL_GRAPHS)
        self._release: tuple[float, str | None] | None = None
        self._release_lock = threading.Lock()

    @property
    def store(self) -> RemoteQuads:
        return RemoteQuads(self)

    @property
    def where(self) -> str:
        return self.client.where

    def run(
        self,
        text: str,
        *,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        bindings: Mapping[str, object] | None = None,
        custom_functions: Mapping[ox.NamedNode, object] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple] | sorting.SortedSolutions:
        """Evaluate ``text`` on the store; the default graph is the union of the queryable graphs."""
        if custom_functions:
            raise QueryError("custom SPARQL functions run only in the embedded engine")
        if bindings:
            text = inline_values(text, values_clause(bindings))
        def query(source: str) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
            return parse_answer(self.send(source, default_graphs, named_graphs, timeout=timeout))

        return sorting.evaluate(text, query, max_rows, rewrite_errors=(QueryError,))

    def send(self, text: str, default_graphs: Iterable[str] | None = None,
             named_graphs: Iterable[str] | None = None, *, accept: str | None = None,
             timeout: float | None = None) -> Answer:
        """POST ``text`` with the dataset parameters; the raw answer (errors raised). As in the
        embedded store, a query naming its own dataset (FROM / FROM NAMED) keeps it unless the
        caller gives graphs (the protocol's parameters take precedence over FROM)."""
        fields = [("query", text)]
        defaults, named = tuple(default_graphs or ()), tuple(named_graphs or ())
        if defaults or named or not has_dataset_clause(text):
            fields += [("default-graph-uri", g) for g in (defaults or DEFAULT_GRAPH_IRIS)]
            fields += [("named-graph-uri", g) for g in (named or self.graphs)]
        answer = self.client.post_form(self.endpoints.query, fields, accept or accept_for(query_form(text)),
                                       timeout)
        raise_for_status(answer, self.where)
        return answer

    # ------------------------------------------------------------------ releases

    def release(self) -> str | None:
        """The snapshot hash ``publish`` recorded in the store, or None if there is none."""
        found = self.release_record(RELEASE_PROPERTY)
        return found[0] if found else None

    def release_record(self, predicate: str) -> list[str]:
        """Values of ``predicate`` on the store's release record (empty if nothing was published)."""
        text = f"SELECT ?v WHERE {{ <{RELEASE_GRAPH}> <{predicate}> ?v }}"
        rows = self.run(text, default_graphs=[RELEASE_GRAPH], named_graphs=[RELEASE_GRAPH])
        return sorted(row["v"].value for row in rows)

    def check_release(self) -> None:
        """Raise ``ReleaseMismatch`` (503) unless the store holds this server's snapshot."""
        if not self.snapshot_hash:
            return
        with self._release_lock:
            now = time.monotonic()
            if self._release is None or now - self._release[0] > RELEASE_TTL:
                self._release = (now, self.release())
            found = self._release[1]
        if found != self.snapshot_hash:
            held = f"release {found[:12]}" if found else "no published release"
            raise ReleaseMismatch(
                f"the triple store at {self.where} holds {held}, but this server serves snapshot "
                f"{self.snapshot_hash[:12]}; it answers again once both match (publish this snapshot "
                "with `veikart-graph publish`, or restart the server on the published one)")

    def ping(self) -> None:
        """A trivial query: ``StoreUnavailable`` if the store does not answer."""
        self.run("ASK {}", default_graphs=[RELEASE_GRAPH], named_graphs=[RELEASE_GRAPH],
                 timeout=min(self.client.timeout, 5.0))


__all__ = ["Endpoints", "ReleaseMismatch", "RemoteGraph", "StoreClient", "StoreTimeout", "is_remote",
           "query_form"]
