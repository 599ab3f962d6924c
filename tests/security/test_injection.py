"""No text from a request is ever spliced into a SPARQL or SQL string: values are bound (issue 7).

Three angles: (1) the source, read as a syntax tree: every query text built at run time uses only
constants, placeholders and bound values; (2) the engine's view: every query the app runs while
answering crafted IRIs and search text is recorded, and the crafted text appears only inside a
bound term; (3) what a user sees: crafted text that tries to break out matches nothing extra.

Specs: SPARQL 1.1 Query §10.2.2 (VALUES), §19.5–§19.7 (IRI and string escapes);
SQLite "Binding values to prepared statements"; FTS5 §3 (full-text query syntax).
"""

from __future__ import annotations

import ast
import re
import uuid
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from tests.security.checks import assert_client_error

SRC = Path(__file__).resolve().parents[2] / "src" / "veikart_graph"
QUERY_CALLS = {"select", "ask", "construct", "run", "query", "execute", "executemany", "executescript"}
# Reviewed places whose query text is not made of constants alone, and why that is safe.
REVIEWED = {
    ("executor.py", "_answer"): "runs the user's own SPARQL, in a query process (the /sparql endpoint)",
    ("cli.py", "query"): "runs the user's own SPARQL from the command line",
    ("sparql.py", "run_query"): "hands the user's own SPARQL to the query pool",
    ("remote.py", "quads_for_pattern"): "splices str() of pyoxigraph terms: validated, N-Triples escaped",
}
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|<[^<>"{}|^`\\\s]*>')


# ----------------------------------------------------------------------------- (1) the source


def pieces(node: ast.AST) -> list[ast.AST]:
    """The expressions interpolated into a string built with an f-string, ``+``, ``%`` or ``format``."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.JoinedStr):
        return [p for v in node.values if isinstance(v, ast.FormattedValue) for p in pieces(v.value)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return pieces(node.left) + pieces(node.right)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return pieces(node.left) + [node.right]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return pieces(node.func.value) + list(node.args) + [k.value for k in node.keywords]
    return [node]


class Scope:
    """A function's parameters and the values assigned to each local name."""

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = function.args
        self.params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        self.assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.For):
                for target in ast.walk(node.target):
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node.iter)

    def trusted(self, node: ast.AST, seen: frozenset[str] = frozenset()) -> bool:
        """Constants (UPPER_CASE), '?' placeholders, ``values_clause``, parameters (their callers are
        checked where they call), and locals made only of these."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            if node.id.isupper() or node.id in self.params:
                return True
            values = self.assigned.get(node.id)
            return node.id not in seen and bool(values) and all(
                all(self.trusted(p, seen | {node.id}) for p in pieces(v)) for v in values)
        if isinstance(node, ast.Attribute):
            return node.attr.isupper() or (node.attr in ("items", "values", "keys") and self.trusted(node.value, seen))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            return isinstance(node.left, ast.Constant) and node.left.value == "?"
        if isinstance(node, ast.Tuple | ast.List):
            return all(self.trusted(e, seen) for e in node.elts)
        if isinstance(node, ast.Starred):
            return self.trusted(node.value, seen)
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            receiver_ok = not isinstance(node.func, ast.Attribute) or self.trusted(node.func.value, seen)
            if name in ("values_clause", "len"):
                return True
            return name in ("join", "str", "items", "values", "keys") and receiver_ok and all(
                self.trusted(a, seen) for a in node.args)
        return False


def own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of ``function`` outside the functions nested in it (those are scanned on their own)."""
    nodes, todo = [], list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            nodes.append(node)
            todo.extend(ast.iter_child_nodes(node))
    return nodes


def spliced_query_texts() -> list[str]:
    """Every call that runs a query whose text interpolates something not known to be safe."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if (path.name, function.name) in REVIEWED:
                continue
            scope = Scope(function)
            for call in own_nodes(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr in QUERY_CALLS and call.args):
                    continue
                reviewed = any("noqa: S608 -" in lines[n - 1] for n in range(call.lineno, call.end_lineno + 1))
                unsafe = [p for p in pieces(call.args[0]) if not scope.trusted(p)]
                if unsafe and not reviewed:
                    found.append(f"{path.relative_to(SRC)}:{call.lineno} {function.name}: "
                                 + ", ".join(ast.unparse(p)[:60] for p in unsafe))
    return found


def test_query_texts_are_built_from_constants_and_bound_values_only():
    """Every SPARQL/SQL text the code runs is constants, '?' placeholders and bound values.
    Fix a finding by binding the value (``graph.select(TEXT, name=value)``, ``execute(sql, params)``);
    a text built from the code's own names may carry ``# noqa: S608 - <why>`` or go in REVIEWED."""
    assert spliced_query_texts() == []


def test_the_source_check_finds_a_spliced_value(tmp_path, monkeypatch):
    """The check above is not vacuous: an f-string with a request value is reported."""
    module = tmp_path / "bad.py"
    module.write_text("def page(graph, request):\n    key = request.args['k']\n"
                      "    return graph.select(f'SELECT * {{ <{key}> ?p ?o }}')\n")
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    assert [line.split(" ")[0] for line in spliced_query_texts()] == ["bad.py:3"]


# ----------------------------------------------------------------------------- (2) the engine's view


class RecordingStore:
    """A pyoxigraph store that remembers every query text it is given."""

    def __init__(self, store: ox.Store, texts: list[str]) -> None:
        self._store, self._texts = store, texts

    def query(self, text: str, **options: object):
        self._texts.append(text)
        return self._store.query(text, **options)

    def __getattr__(self, name: str):
        return getattr(self._store, name)


class RecordingConnection:
    """A sqlite3 connection that remembers every SQL text (not its bound parameters)."""

    def __init__(self, conn, texts: list[str]) -> None:
        self._conn, self._texts = conn, texts

    def execute(self, sql: str, *params):
        self._texts.append(sql)
        return self._conn.execute(sql, *params)

    def executemany(self, sql: str, *params):
        self._texts.append(sql)
        return self._conn.executemany(sql, *params)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


@pytest.fixture
def recorded(app, graph, monkeypatch):
    """SPARQL and SQL texts run while the test's requests are answered (in this thread)."""
    sparql: list[str] = []
    sql: list[str] = []
    monkeypatch.setattr(graph, "store", RecordingStore(graph.store, sparql))
    holder = app.extensions.get("veikart.search")
    if holder is not None:
        with app.app_context():
            index = holder.get()
        monkeypatch.setattr(index._local, "conn", RecordingConnection(index.connection(), sql))
    return {"sparql": sparql, "sql": sql}


def only_inside_terms(text: str, marker: str) -> bool:
    """True if ``marker`` occurs in ``text`` only inside a string literal or an IRI."""
    return marker not in STRING.sub("", text)


def crafted(marker: str) -> list[str]:
    """URLs whose IRI keys, filters and search words try to close the term they are put in."""
    breakout = quote(f'{marker}"> }} UNION {{ ?s ?p ?o }} #', safe="")
    sql = quote(f"{marker}' OR '1'='1' -- ); DROP TABLE docs; --", safe="")
    return [
        f"/id/mal/{marker}", f"/id/mal/{breakout}", f"/page/id/{marker}", f"/data/id/{marker}.ttl",
        f"/def/{marker}", f"/graph/{breakout}", f"/veikart/mal/{marker}", f"/veikart/eier/{marker}",
        f"/veikart/tidslinje?mal={marker}", f"/veikart/tidslinje?eier={breakout}", f"/search?q={breakout}",
        f"/search.json?q={sql}", f"/search.json?q={marker}%20OR%20helse", f"/search.json?owner={sql}",
        f"/search.json?type={breakout}", f"/search.json?goal={marker}", f"/release/{marker}/id/mal/1",
        f"/sparql?query=ASK%7B%7D&default-graph-uri=http://x/{breakout}",
    ]


def test_crafted_text_reaches_the_engines_only_as_a_bound_value(client, recorded):
    """Whatever the request holds stays inside one IRI or one string literal of a VALUES clause
    (SPARQL) or a bound parameter (SQL); it is never part of the query's own text."""
    marker = "zqinj" + uuid.uuid4().hex[:8]
    for url in crafted(marker):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
    assert recorded["sparql"], "no SPARQL was recorded"
    for text in recorded["sparql"]:
        assert only_inside_terms(text, marker), text
    assert any(marker in text for text in recorded["sparql"]), "the marker never reached a query as a value"
    assert recorded["sql"], "no SQL was recorded"
    assert not any(marker in text for text in recorded["sql"]), "search text was put into SQL"


def test_bound_values_cannot_close_their_term(graph):
    """The binding mechanism itself: a literal with quotes and braces is one literal, and an IRI
    with ``>`` is refused before a query is written (SPARQL §19.5, §19.7)."""
    for literal in ('x" } UNION { ?s ?p ?o } #', "x\\u0022 } UNION { ?s ?p ?o } #", "x\n} UNION {"):
        assert graph.select("SELECT ?s WHERE { ?s ?p ?o }", o=literal) == [], literal
    with pytest.raises(ValueError):
        graph.select("SELECT ?p WHERE { ?s ?p ?o }", s=ox.NamedNode("https://w3id.org/veikart/id/mal/1> ?p ?o . <x:"))


# ----------------------------------------------------------------------------- (3) what a user sees


@pytest.mark.parametrize("q", [
    'zzqx" OR "helse', "zzqx OR helse", "zzqx') OR 1=1 --", "zzqx* OR *", "label:zzqx", "NEAR(zzqx helse)",
    'zzqx" OR ""="', "zzqx' UNION SELECT iri FROM docs --", "zzqx AND NOT zzqx", "zzqx) OR (helse",
    "{label description}: zzqx", "zzqx\x00helse", "zzqx%", "zzqx_",
])
def test_search_text_cannot_widen_the_result(client, q):
    """FTS5 and SQL operators in the search box are words, not syntax: a word that matches nothing,
    whatever surrounds it, finds nothing (and the query is never an error)."""
    response = client.get("/search.json", query_string={"q": q})
    assert response.status_code == 200, response.get_data()[:300]
    assert response.get_json()["total"] == 0


@pytest.mark.parametrize("facet", ["owner", "type", "goal", "phase", "usergroup", "year"])
def test_crafted_facet_values_are_refused(client, facet):
    response = client.get("/search.json", query_string={"q": "helse", facet: "x' OR '1'='1"})
    assert facet in assert_client_error(response, (400,))


@pytest.mark.parametrize("path", [
    "/id/mal/1%3E%20%3Fp%20%3Fo%20%7D%20UNION%20%7B%20%3Fs", "/id/mal/1%22", "/id/mal/1%3E",
    "/id/mal/1%20%3Chttps://w3id.org/veikart/id/mal/2", "/data/id/mal/1%3E%20%3Fp%20%3Fo.ttl",
    "/veikart/mal/1%3E%20%7D%20UNION%20%7B", "/veikart/tidslinje?mal=1%3E%20%7D%20UNION%20%7B",
])
def test_crafted_iris_resolve_to_nothing(client, path):
    """An IRI that tries to close itself and add a pattern is no IRI of the dataset: 404 or 400,
    never a 303 to, or a page about, some other resource."""
    assert_client_error(client.get(path, headers={"Accept": "text/plain"}), (400, 404))


@pytest.mark.parametrize("value", ["http://x/> } SELECT * { ?s ?p ?o", "http://x/\n", "http://x/\"><script>"])
def test_crafted_graph_iris_in_the_protocol_are_refused(client, value):
    """Protocol §2.1.4: default-graph-uri is an IRI; one that breaks out of ``<…>`` is a 400."""
    response = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": value})
    assert "default-graph-uri" in assert_client_error(response, (400,))
