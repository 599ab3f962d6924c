"""Checks on a query's text before it reaches the engine (no engine cooperation needed).

- size: longer than the limit → 413;
- nesting: deeper than ``MAX_DEPTH`` groups/brackets → 400 (Oxigraph overflows its stack
  on ~1000 levels; we stop far earlier);
- SERVICE: federation only to allow-listed endpoints (a public endpoint must not fetch
  arbitrary hosts: SSRF). Endpoints are read from rdflib's parse of the query, which resolves
  prefixes and escapes; a variable endpoint is refused.
"""

from __future__ import annotations

import re

from .errors import BadRequest, Forbidden, PayloadTooLarge, QueryError

MAX_DEPTH = 64
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"service", re.IGNORECASE)
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
# Strings, IRIs and comments, so comments can be dropped without touching the others.
_LEXEMES = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)


_DATASET_CLAUSE = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)


def has_dataset_clause(text: str) -> bool:
    """True when the query names its own dataset (``FROM`` / ``FROM NAMED``) outside strings,
    IRIs and comments; then the service's default dataset must not override it."""
    return bool(_DATASET_CLAUSE.search(_code_only(unescape(text))))


def _code_only(text: str) -> str:
    """``text`` with strings and comments blanked out (IRIs kept: FROM needs them)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            end = _skip_string(text, i)
            out.append(" ")
            i = end + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes (``\\u0041``), as the grammar does before parsing."""
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


def check_size(text: str | bytes, limit: int) -> None:
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > limit:
        raise PayloadTooLarge(f"the query is {size} bytes; the limit is {limit} bytes")


def nesting_depth(text: str) -> int:
    """Deepest nesting of ``{``/``(``/``[`` outside strings, IRIs and comments."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif c in "\"'":
            i = _skip_string(text, i)
        elif c == "<" and _looks_like_iri(text, i):
            i = text.find(">", i)
            i = n if i < 0 else i
        elif c in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "})]":
            depth -= 1
        i += 1
    return deepest


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        return len(text) if end < 0 else end + 2
    i += 1
    while i < len(text) and text[i] != quote and text[i] != "\n":
        i += 2 if text[i] == "\\" else 1
    return i


def _looks_like_iri(text: str, i: int) -> bool:
    end = text.find(">", i)
    return end > 0 and not any(ch in " \t\n{}" for ch in text[i + 1:end])


def check_nesting(text: str) -> None:
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise QueryError(f"the query nests {depth} levels deep; at most {MAX_DEPTH} are allowed")


def without_comments(text: str) -> str:
    """``text`` with its ``#`` comments blanked (``#`` inside strings and IRIs is kept)."""
    return _LEXEMES.sub(lambda m: " " if m.group().startswith("#") else m.group(), text)


def is_update(text: str) -> bool:
    """True for any SPARQL Update request, however its prologue is spaced or commented."""
    return bool(_UPDATE.match(without_comments(unescape(text))))


def service_endpoints(text: str) -> list[str] | None:
    """IRIs named by SERVICE in ``text``; None when it has no SERVICE at all."""
    if not _SERVICE.search(unescape(text)):
        return None
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import URIRef

    try:
        query = prepareQuery(text)
    except Exception as exc:
        raise BadRequest(
            f"the query uses SERVICE, and its endpoints could not be checked: {exc}"
        ) from exc
    found: list[str] = []

    def visit(node: object) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            term = node.get("term")
            found.append(str(term) if isinstance(term, URIRef) else "?variable")
        if isinstance(node, dict):
            for value in node.values():
                visit(value)
        elif isinstance(node, list | tuple):
            for value in node:
                visit(value)

    visit(query.algebra)
    return found


def check_services(text: str, allowlist: tuple[str, ...]) -> None:
    endpoints = service_endpoints(text)
    if not endpoints:
        return
    refused = [e for e in endpoints if e not in allowlist]
    if refused:
        allowed = ", ".join(allowlist) if allowlist else "none (federation is off)"
        raise Forbidden(
            f"SERVICE to {', '.join(refused)} is not allowed here; allowed endpoints: {allowed}",
            link="https://www.w3.org/TR/sparql11-federated-query/",
        )


def check_query(text: str, *, max_bytes: int, allowlist: tuple[str, ...]) -> None:
    """All pre-evaluation checks, cheapest first."""
    check_size(text, max_bytes)
    if is_update(text):
        raise Forbidden(
            "this endpoint is read-only: SPARQL Update is not accepted",
            link="https://www.w3.org/TR/sparql11-protocol/#update-operation",
        )
    check_nesting(text)
    check_services(text, allowlist)
