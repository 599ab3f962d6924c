"""Calls of functions the engine does not know are expression errors, not failed queries.

SPARQL 1.1 Query §17.2-17.3: a function IRI an implementation does not support raises an
expression error when it is called: the ``(expr AS ?v)`` or ``BIND`` leaves ``?v`` unbound, the
``FILTER`` is false, the ``ORDER BY``/``GROUP BY`` key is unbound. Oxigraph instead refuses the
whole query ("The custom function <…> is not supported"). So every function IRI a query calls
that the engine does not know is registered as a custom function that returns no value, which
the engine treats as an expression error.

Function IRIs are read from ``sparql_lexer``'s tokens (an ``IRIREF`` or prefixed name directly
before ``(``; prefixed names resolve through the query's ``PREFIX`` declarations, relative IRIs
against its ``BASE`` or ``DEFAULT_BASE``). A collection after a predicate (``?s ex:p (1 2)``)
reads the same way; registering that IRI too changes nothing. Whether the engine knows an IRI is
asked of the engine itself, once per IRI and process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urljoin

import pyoxigraph as ox

from .namespaces import BASE
from .sparql_lexer import LexError, Token, tokenize, unescape

DEFAULT_BASE = BASE  # the base IRI of queries that declare none (RFC 3986 §5.1.4)
_PLX_ESCAPE = re.compile(r"\\(.)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # an absolute IRI (RFC 3987 scheme)
_PROBE = ox.Store()


def no_value(*_args: object) -> None:
    """A function the engine does not know: every call is an expression error."""
    return None


def with_unknown_functions(text: str, functions: Mapping[ox.NamedNode, object] | None,
                           tokens: list[Token] | None = None) -> dict[ox.NamedNode, object] | None:
    """``functions`` plus ``no_value`` for every function IRI ``text`` calls that neither the
    engine nor ``functions`` knows; None when there is nothing to register. ``tokens``: the
    tokens of ``text``, when already read."""
    known = dict(functions or {})
    for iri in called_functions(text, tokens):
        node = ox.NamedNode(iri)
        if node not in known and not engine_knows(iri):
            known[node] = no_value
    return known or None


def called_functions(text: str, tokens: list[Token] | None = None) -> set[str]:
    """Absolute IRIs of the names directly followed by ``(`` in ``text`` (empty if it cannot be
    lexed: the engine then reports the syntax error)."""
    if tokens is None:
        try:
            tokens = tokenize(text)
        except LexError:
            return set()
    prefixes: dict[str, str] = {}
    base = DEFAULT_BASE
    found: set[str] = set()
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.is_word("base") and following is not None and following.kind == "IRIREF":
            base = _iri(following, base)
        elif token.is_word("prefix") and i + 2 < len(tokens) and tokens[i + 2].kind == "IRIREF":
            prefixes[following.text[:-1]] = _iri(tokens[i + 2], base)
        elif following is not None and following.text == "(" and following.kind == "PUNCT":
            if token.kind == "IRIREF":
                found.add(_iri(token, base))
            elif token.kind == "PNAME_LN":
                prefix, _, local = token.text.partition(":")
                if prefix in prefixes:
                    found.add(prefixes[prefix] + _PLX_ESCAPE.sub(r"\1", local))
    return found


def _iri(token: Token, base: str) -> str:
    try:
        reference = unescape(token.text)[1:-1]
    except LexError:
        reference = token.text[1:-1]
    if _SCHEME.match(reference):
        return reference
    resolved = urljoin(base, reference)  # RFC 3986 §5.2; urljoin drops an empty fragment
    return resolved + "#" if reference.endswith("#") and not resolved.endswith("#") else resolved


@lru_cache(maxsize=1024)
def engine_knows(iri: str) -> bool:
    """True unless the engine refuses a call of ``iri`` as an unsupported function."""
    try:
        _PROBE.query(f"SELECT (<{iri}>() AS ?x) {{}}")
    except (RuntimeError, SyntaxError, ValueError) as exc:
        return "is not supported" not in str(exc)
    return True
