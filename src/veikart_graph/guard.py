"""Checks on a query's text before it reaches the engine (no engine cooperation needed).

Every check reads the tokens of the one SPARQL lexer (``sparql_lexer``), which reads the text
as the engine does; text it cannot read is refused (400) before any check runs. No regular
expression and no second parser decides here.

- size: longer than the limit → 413;
- update: the first token after the prologue (BASE / PREFIX / VERSION) is an update keyword → 403;
- nesting: deeper than ``MAX_DEPTH`` brackets (``{ ( [ <<``) or chained ``!``, or more than
  ``MAX_CHAIN`` items joined at one level → 400 (Oxigraph overflows its stack on both; we stop
  far earlier);
- SERVICE: federation only to allow-listed endpoints (a public endpoint must not fetch
  arbitrary hosts: SSRF). The endpoint is the IRIREF after ``SERVICE [SILENT]``, or a prefixed
  name resolved through the query's PREFIX declarations; compared as written with the allow-list,
  so a relative IRI, an undeclared prefix or a variable endpoint is refused.

Oxigraph matches keywords without a word boundary (``SERVICE:x`` is SERVICE and ``:x``,
``SERVICESILENT`` is SERVICE SILENT, ``PREFIXex: <…>`` declares ``ex:``, ``LIMIT10`` is LIMIT 10),
where the grammar's longest match reads one name. The checks read such glued spellings as the
engine does, or refuse them: a name or prefix with ``service`` in it is refused outright.
"""

from __future__ import annotations

import re

from .errors import Forbidden, PayloadTooLarge, QueryError
from .sparql_lexer import Token, tokenize, unescape

MAX_DEPTH = 64
# Oxigraph also recurses once per item of a chain at one level (1+1+…, ?s :p 1, 1, …, {} UNION
# {} …): it crashed at 8,000-10,000 items (pyoxigraph 0.5.13) and was fine at 6,000.
MAX_CHAIN = 4000
_CHAIN_PUNCT = frozenset({",", ".", ";", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*",
                          "/", "|", "^"})
_CHAIN_WORDS = ("union", "optional", "minus", "filter", "bind", "graph", "service", "values",
                "lateral", "in")
UPDATE_WORDS = ("insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with")
_OPEN, _CLOSE = ("{", "(", "["), ("}", ")", "]")
_UNARY = ("!", "-", "+")
_PN_LOCAL_ESC = re.compile(r"\\(.)")


def tokens_of(text: str) -> list[Token]:
    """The query's tokens, codepoint escapes decoded as the engine decodes them."""
    return tokenize(unescape(text))


def has_dataset_clause(text: str | list[Token]) -> bool:
    """True when the query names its own dataset (``FROM`` / ``FROM NAMED``); then the
    service's default dataset must not override it. ``FROM`` is a keyword nowhere else; as the
    engine needs no space after it, ``FROMNAMED`` and ``FROM:g`` count too."""
    tokens = tokens_of(text) if isinstance(text, str) else text
    return any((t.kind == "WORD" or t.kind.startswith("PNAME"))
               and t.text.partition(":")[0].lower() in ("from", "fromnamed") for t in tokens)


def check_size(text: str | bytes, limit: int) -> None:
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > limit:
        raise PayloadTooLarge(f"the query is {size} bytes; the limit is {limit} bytes")


def prologue(tokens: list[Token]) -> tuple[dict[str, str], int]:
    """The prefixes the prologue declares (BASE, PREFIX, VERSION) and the index of the first
    token after it. Oxigraph needs no space after a keyword: ``PREFIXex: <…>`` declares ``ex:``
    there (the lexer reads one prefixed name), so that spelling is read as a declaration too."""
    prefixes: dict[str, str] = {}
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token.is_word("base", "version") and i + 1 < n:
            i += 2
        elif token.is_word("prefix") and i + 2 < n and tokens[i + 2].kind == "IRIREF":
            prefixes[tokens[i + 1].text[:-1]] = tokens[i + 2].text[1:-1]
            i += 3
        elif (token.kind == "PNAME_NS" and token.text.lower().startswith("prefix") and i + 1 < n
              and tokens[i + 1].kind == "IRIREF"):
            prefixes[token.text[6:-1]] = tokens[i + 1].text[1:-1]
            i += 2
        else:
            break
    return prefixes, i


def body_start(tokens: list[Token]) -> int:
    """Index of the first token after the prologue."""
    return prologue(tokens)[1]


def is_update(text: str | list[Token]) -> bool:
    """True for any SPARQL Update request, however its prologue is spaced or commented."""
    tokens = tokens_of(text) if isinstance(text, str) else text
    start = body_start(tokens)
    return start < len(tokens) and tokens[start].is_word(*UPDATE_WORDS)


def nesting_depth(text: str | list[Token]) -> int:
    """Deepest nesting of brackets (``{ ( [`` and SPARQL 1.2's ``<<``), a chain of unary
    operators (``!!!!x``: the engine recurses once per operator) counting one level each."""
    tokens = tokens_of(text) if isinstance(text, str) else text
    depth = deepest = chain = 0
    previous: Token | None = None
    for token in tokens:
        value = token.text if token.kind == "PUNCT" else ""
        adjacent = previous is not None and previous.end == token.start and previous.text == value
        if value in _OPEN or (value == "<" and adjacent):
            depth += 1
        elif value in _CLOSE or (value == ">" and adjacent):
            depth -= 1
        chain = chain + 1 if value in _UNARY else 0
        deepest = max(deepest, depth + chain)
        previous = token
    return deepest


def longest_chain(text: str | list[Token]) -> int:
    """Most items joined at one bracket level (operators, ``, . ;`` and pattern keywords)."""
    tokens = tokens_of(text) if isinstance(text, str) else text
    counts = [0]
    longest = 0
    for token in tokens:
        value = token.text if token.kind == "PUNCT" else ""
        if value in _OPEN:
            counts.append(0)
        elif value in _CLOSE:
            if len(counts) > 1:
                counts.pop()
        elif value in _CHAIN_PUNCT or token.is_word(*_CHAIN_WORDS):
            counts[-1] += 1
            longest = max(longest, counts[-1])
    return longest


def check_nesting(text: str | list[Token]) -> None:
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise QueryError(f"the query nests {depth} levels deep; at most {MAX_DEPTH} are allowed")
    chain = longest_chain(text)
    if chain > MAX_CHAIN:
        raise QueryError(f"the query joins {chain} items (operators, triples or patterns) at one "
                         f"level; at most {MAX_CHAIN} are allowed")


def service_endpoints(text: str | list[Token]) -> list[str]:
    """The endpoint of each SERVICE in the query, as the engine would call it; what cannot be an
    allow-listed IRI (a variable, a relative IRI, an undeclared prefix) is given as written."""
    tokens = tokens_of(text) if isinstance(text, str) else text
    prefixes = prologue(tokens)[0]
    found: list[str] = []
    for i, token in enumerate(tokens):
        if _glued_service(token):
            found.append(f"{token.text} (the engine can read SERVICE in it: it needs no space after "
                         "a keyword; write SERVICE apart, and name no prefix or word with 'service')")
        elif token.is_word("service"):
            j = i + 2 if i + 1 < len(tokens) and tokens[i + 1].is_word("silent") else i + 1
            found.append(_endpoint(tokens[j] if j < len(tokens) else None, prefixes))
    return found


def _glued_service(token: Token) -> bool:
    """A bare name or a prefix holding ``service`` beside other letters (``SERVICE:x``,
    ``SERVICESILENT``, ``trueSERVICE``): Oxigraph matches keywords without a word boundary."""
    if token.kind == "WORD":
        return "service" in token.text.lower() and token.text.lower() != "service"
    return token.kind in ("PNAME_NS", "PNAME_LN") and "service" in token.text.partition(":")[0].lower()


def _endpoint(token: Token | None, prefixes: dict[str, str]) -> str:
    if token is None:
        return "(nothing)"
    if token.kind == "IRIREF":
        return token.text[1:-1]
    if token.kind in ("PNAME_LN", "PNAME_NS"):
        prefix, _, local = token.text.partition(":")
        if prefix.lower().startswith("silent"):  # SERVICE SILENT:x is SILENT and :x to the engine
            return f"{token.text} (read as SILENT {token.text[6:]})"
        if prefix not in prefixes:
            return f"{token.text} (prefix {prefix}: is not declared)"
        return prefixes[prefix] + _PN_LOCAL_ESC.sub(r"\1", local)
    return token.text


def check_services(text: str | list[Token], allowlist: tuple[str, ...]) -> None:
    refused = [e for e in service_endpoints(text) if e not in allowlist]
    if refused:
        allowed = ", ".join(allowlist) if allowlist else "none (federation is off)"
        raise Forbidden(
            f"SERVICE to {', '.join(refused)} is not allowed here; allowed endpoints: {allowed}",
            link="https://www.w3.org/TR/sparql11-federated-query/",
        )


def check_query(text: str, *, max_bytes: int, allowlist: tuple[str, ...]) -> None:
    """All pre-evaluation checks, cheapest first; the text is lexed once."""
    check_size(text, max_bytes)
    tokens = tokens_of(text)
    if is_update(tokens):
        raise Forbidden(
            "this endpoint is read-only: SPARQL Update is not accepted",
            link="https://www.w3.org/TR/sparql11-protocol/#update-operation",
        )
    check_nesting(tokens)
    check_services(tokens, allowlist)
