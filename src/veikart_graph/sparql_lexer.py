"""The one SPARQL lexer: every check that reads query text reads these tokens.

It follows the terminals of the SPARQL 1.1 grammar (https://www.w3.org/TR/sparql11-query/#grammar,
§19.8, with the notes of §19.2-19.5) and the way the query engine, Oxigraph, reads them:

- whitespace is space, tab, CR and LF only (§19.3 ``WS``); anything else between tokens is refused;
- a comment runs from ``#`` outside an IRI or string to the first CR *or* LF (§19.4);
- ``STRING_LITERAL1/2`` cannot hold a raw CR or LF; long strings can; a backslash starts an
  ``ECHAR`` (``\\t \\b \\n \\r \\f \\" \\' \\\\``) or a codepoint escape, nothing else;
- ``IRIREF`` excludes ``<>"{}|^`\\`` and U+0000-U+0020; ``PN_PREFIX`` / ``PN_LOCAL`` with ``PLX``
  (``%hex`` and ``\\``-escapes), ``BLANK_NODE_LABEL``, ``VARNAME``, ``LANGTAG`` (with Oxigraph's
  SPARQL 1.2 ``--ltr`` direction), numbers;
- codepoint escapes (``\\u0041``, ``\\U0001F600``): §19.2 says to apply them to the whole text
  before parsing, but Oxigraph applies them only inside strings and IRIs (``SEL\\u0045CT`` is a
  syntax error there, ``"a\\u0022b"`` one string). The engine decides what runs, so ``unescape``
  does as Oxigraph does (a text unescaped the other way would hide code from the checks:
  ``"\\u005C" SERVICE … "`` is code to the engine and one string to a whole-text unescape).

``<`` is the one place where the grammar's terminals overlap: ``<x>`` is an ``IRIREF`` and
``1<x>2`` is two comparisons. A longest-match tokenizer always takes the IRI; Oxigraph's parser
takes the operator where an expression continues (after an operand, inside an expression's
parentheses). The lexer tracks which parentheses hold an expression: there, ``<`` that cannot
start an IRIREF is less-than, and text the grammar reads as an IRIREF after an operand is refused
(the grammar makes such a query invalid, W3C ``syn-bad-26``: ``?x<?a&&?b>?y``; the engine would
read a comparison): ``1<(((2)))&&3>2`` cannot pass as one IRI to hide its nesting, nor as a
comparison. Outside an expression, an IRIREF after an operand that would hide brackets or a
string start (a collection ``(1 <(x)> 2)``) is refused too.

Bare names are read by longest match (``LIMIT10`` is one WORD, ``SERVICE:x`` one PNAME_LN), but
Oxigraph matches keywords without a word boundary (``LIMIT10`` is LIMIT 10 there, ``SERVICE:x``
is SERVICE and ``:x``, ``PREFIXex:`` a declaration): a check that looks for a keyword must also
consider WORD and prefixed-name tokens that *start with* it (``guard.py`` does).

Everything is linear in the length of the text (each character is read a bounded number of
times; the regular expressions have no overlapping alternatives), and text that cannot be
lexed raises ``LexError``: the checks fail closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import BadRequest

GRAMMAR = "https://www.w3.org/TR/sparql11-query/#grammar"

_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"""\\[tbnrf"'\\]"""
_PLX = rf"%{_HEX}{_HEX}|\\[_~.\-!$&'()*+,;=/?#@%]"

_SPACE = re.compile(r"(?:[ \t\r\n]|#[^\r\n]*)*")
_IRIREF = re.compile(rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>")
_STRINGS = {
    '"""': re.compile(rf'"""(?:[^"\\]|{_ECHAR}|{_UCHAR}|"(?!""))*"""'),
    "'''": re.compile(rf"'''(?:[^'\\]|{_ECHAR}|{_UCHAR}|'(?!''))*'''"),
    '"': re.compile(rf'"(?:[^"\\\r\n]|{_ECHAR}|{_UCHAR})*"'),
    "'": re.compile(rf"'(?:[^'\\\r\n]|{_ECHAR}|{_UCHAR})*'"),
}
_PN_LOCAL = rf"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_BASE_CHAR = re.compile(f"[{_BASE}]")
_RUN = re.compile(f"[{_CHARS}.]*")  # after a PN_CHARS_BASE: a PN_PREFIX, or a word and more
_LOCAL = re.compile(_PN_LOCAL)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_VAR = re.compile(rf"[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_BNODE = re.compile(rf"_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")
_NUMBER = re.compile(r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?"
                     r"|[0-9]+(?:[eE][+-]?[0-9]+)?")
_TWO = ("!=", "<=", ">=", "&&", "||", "^^")
_ONE = set("{}()[];,.*/+-!=<>^|?~")
_ESCAPES = re.compile(rf"{_UCHAR}|\\.", re.DOTALL)  # codepoint escapes; other pairs kept as they are

# Tokens after which an expression can continue with an operator (an operand's last token).
_OPERAND_END = frozenset({"VAR", "NUMBER", "STRING", "LANGTAG", "IRIREF", "PNAME_LN", "PNAME_NS",
                          "BLANK_NODE_LABEL"})
_OPERAND_WORDS = frozenset({"true", "false"})
# Words before "(" that do not open an expression: a collection after `a`, VALUES' variables.
_DATA_WORDS = frozenset({"a", "values", "undef", "true", "false"})
# Where "<…>" after an operand reads as a comparison, "#" or "'" inside would start a comment or
# a string; where it reads as an IRI, brackets or "'" inside would hide them: such text is refused
# (a mistaken reading of the context could then not hide anything from the checks).
_HIDES_IN_EXPRESSION = re.compile(r"[#']")
_HIDES_IN_IRI = re.compile(r"[()\[\]']")
# Words that start or end the clauses where "(" after a variable or IRI opens an expression.
_CLAUSE_WORDS = frozenset({"select", "by", "having", "where", "limit", "offset", "values"})


class LexError(BadRequest):
    """Text the lexer cannot read; the message names its line:column (as the engine's messages
    do: ``error at 1:7``) and the problem."""

    def __init__(self, problem: str, text: str, offset: int) -> None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        super().__init__(f"error at {line}:{column} (offset {offset}): {problem}", link=GRAMMAR,
                         where=f"{line}:{column}")
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        """True for a bare name equal (case-insensitively, as keywords are) to one of ``words``."""
        return self.kind == "WORD" and self.text.lower() in words


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (comments and whitespace dropped); ``LexError`` if it cannot be lexed.

    ``text`` is normally ``unescape``'s output; codepoint escapes still in strings and IRIs are
    read as part of them, so the token boundaries are the same either way.
    """
    return _Lexer(text).run()


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = []
        self.brackets: list[str] = []  # open brackets; "e" marks a parenthesis holding an expression
        self.clause = False  # in a projection, GROUP BY, HAVING or ORDER BY: "?a (" is an expression
        self.run_end = -1  # end of the last run of name characters (each run is scanned once)

    def run(self) -> list[Token]:
        text, n = self.text, len(self.text)
        pos = _SPACE.match(text, 0).end()
        while pos < n:
            kind, end = self.next(pos)
            token = Token(kind, text[pos:end], pos, end)
            self.tokens.append(token)
            if kind == "PUNCT":
                self.track(token)
            elif kind == "WORD" and token.text.lower() in _CLAUSE_WORDS:
                self.clause = token.text.lower() in ("select", "by", "having")
            pos = _SPACE.match(text, end).end()
        return self.tokens

    def next(self, pos: int) -> tuple[str, int]:
        """The kind and end of the token starting at ``pos``."""
        text = self.text
        c = text[pos]
        if c == "<":
            return self.angle(pos)
        if c in "\"'":
            quote = text[pos:pos + 3] if text.startswith(c * 3, pos) else c
            match = _STRINGS[quote].match(text, pos)
            if match is None and len(quote) == 3:  # as Oxigraph: an unclosed """ is "" and "…
                match = _STRINGS[c].match(text, pos)
            if match is None:
                raise LexError(_string_problem(text, pos, quote), text, pos)
            return "STRING", match.end()
        if c in "?$":
            match = _VAR.match(text, pos)
            if match:
                return "VAR", match.end()
            if c == "?":
                return "PUNCT", pos + 1
            raise LexError("'$' must start a variable name", text, pos)
        if c == "_" and text.startswith("_:", pos):
            match = _BNODE.match(text, pos)
            if match is None:
                raise LexError("a blank node label needs a name after '_:'", text, pos)
            return "BLANK_NODE_LABEL", match.end()
        if c == "@":
            match = _LANGTAG.match(text, pos)
            if match is None:
                raise LexError("'@' must start a language tag", text, pos)
            return "LANGTAG", match.end()
        if "0" <= c <= "9" or (c == "." and "0" <= text[pos + 1:pos + 2] <= "9"):
            return "NUMBER", _NUMBER.match(text, pos).end()
        colon = self.prefix_end(pos)
        if colon is not None:
            local = _LOCAL.match(text, colon + 1)
            return ("PNAME_LN", local.end()) if local else ("PNAME_NS", colon + 1)
        match = _WORD.match(text, pos)
        if match:
            return "WORD", match.end()
        if text[pos:pos + 2] in _TWO:
            return "PUNCT", pos + 2
        if c in _ONE:
            return "PUNCT", pos + 1
        raise LexError(f"unexpected character {_show(c)}", text, pos)

    def prefix_end(self, pos: int) -> int | None:
        """Offset of the ':' ending a ``PN_PREFIX`` at ``pos`` (or ``pos`` for ``:``), else None."""
        text = self.text
        if text[pos] == ":":
            return pos
        if not _BASE_CHAR.match(text, pos):
            return None
        if pos >= self.run_end:  # a later start inside the same run ends where it ends
            self.run_end = _RUN.match(text, pos).end()
        end = self.run_end
        return end if text[end:end + 1] == ":" and text[end - 1] != "." else None

    def angle(self, pos: int) -> tuple[str, int]:
        """``<``: an IRIREF, or less-than / ``<=`` where an expression continues (module doc)."""
        text = self.text
        iri = _IRIREF.match(text, pos)
        operator = "PUNCT", pos + (2 if text.startswith("<=", pos) else 1)
        if iri is None:
            return operator
        previous = self.tokens[-1] if self.tokens else None
        after_operand = previous is not None and (
            previous.kind in _OPERAND_END or previous.text in (")", "]")
            or (previous.kind == "WORD" and previous.text.lower() in _OPERAND_WORDS))
        if not after_operand or self.brackets[-1:] not in (["("], ["e"]):
            return "IRIREF", iri.end()
        expression = self.brackets[-1] == "e"
        if expression or _HIDES_IN_IRI.search(text, pos + 1, iri.end() - 1):
            # In an expression the grammar's longest match (§19.8) makes "<…>" an IRIREF, which
            # cannot follow an operand (W3C syn-bad-26: ?x<?a&&?b>?y); the engine reads a
            # comparison. Refused either way, so no reading can hide anything from the checks.
            raise LexError(
                f"{_show(text[pos:iri.end()][:40])} reads both as an IRI and as a comparison; "
                "write a space after '<' when it means less-than", text, pos)
        return "IRIREF", iri.end()

    def track(self, token: Token) -> None:
        """Keep the stack of open brackets, marking parentheses that hold an expression."""
        brackets, previous = self.brackets, self.tokens[-2] if len(self.tokens) > 1 else None
        adjacent = previous is not None and previous.end == token.start
        if token.text in ("{", "[", "}"):
            self.clause = False
        if token.text in ("{", "["):
            brackets.append(token.text)
        elif token.text == "(":
            brackets.append("e" if self.opens_expression() else "(")
        elif token.text in (")", "]", "}") and brackets:
            brackets.pop()
        elif token.text == "<" and adjacent and previous.text == "<":
            brackets.append("<<")  # a SPARQL 1.2 triple: its terms are IRIs, not comparisons
        elif token.text == ">" and adjacent and previous.text == ">" and brackets[-1:] == ["<<"]:
            brackets.pop()

    def opens_expression(self) -> bool:
        """Whether the ``(`` just read opens an expression (as Oxigraph's parser takes it)."""
        tokens, brackets = self.tokens, self.brackets
        before = tokens[-2] if len(tokens) > 1 else None
        if brackets[-1:] == ["e"]:
            return True
        if before is None or brackets[-1:] == ["<<"]:
            return False  # <<( … )>>: a triple term
        if before.kind == "WORD":
            return before.text.lower() not in _DATA_WORDS  # FILTER, BIND, a function, SELECT, BY…
        if not brackets or (self.clause and brackets[-1] == "{"):
            return True  # SELECT ?a (…), GROUP BY ?a (…), ORDER BY <f>(…), in a sub-select too
        if before.kind in ("IRIREF", "PNAME_LN", "PNAME_NS"):  # FILTER <f>(…) or a collection
            return len(tokens) > 2 and tokens[-3].is_word("filter")
        return False


def _string_problem(text: str, pos: int, quote: str) -> str:
    if len(quote) == 1:
        stop = re.compile(rf"[{quote}\r\n]|\\(?:[tbnrf\"'\\]|u{_HEX}{{4}}|U{_HEX}{{8}})?")
        for found in stop.finditer(text, pos + 1):
            if found.group() in ("\r", "\n"):
                return "a line break inside a one-line string (use \\n, or a long string)"
            if found.group() == "\\":
                return "a backslash in a string must start an escape (\\t \\n \\\" \\\\ \\uXXXX …)"
            if found.group() == quote:
                break
    elif "\\" in text[pos:]:
        return "the long string is not closed, or holds a backslash that starts no escape"
    return f"the string opened with {quote} is not closed"


def _show(part: str) -> str:
    return repr(part) if part.isprintable() else ascii(part)


def unescape(text: str) -> str:
    """``text`` with the codepoint escapes decoded where the engine decodes them: inside strings
    and IRIs (see the module doc). The result means the same to the engine: a decoded quote,
    backslash or line break inside a string is written as its ``ECHAR``; an escape that decodes to
    a character not allowed in an IRI, a surrogate or a codepoint past U+10FFFF is refused
    (``LexError``), as is text with an escape that cannot be lexed (it is lexed to find the
    strings and IRIs). Offsets of ``tokenize(unescape(text))`` are offsets in the result."""
    if "\\u" not in text and "\\U" not in text:
        return text
    out: list[str] = []
    last = 0
    for token in tokenize(text):
        if token.kind in ("STRING", "IRIREF") and "\\" in token.text:
            out.append(text[last:token.start])
            out.append(_ESCAPES.sub(lambda m, t=token: _decode(m, t, text), token.text))
            last = token.end
    out.append(text[last:])
    return "".join(out)


_NAME_ESCAPE = re.compile(rf"(?<!\\)((?:\\\\)*)\\(?:u({_HEX}{{4}})|U({_HEX}{{8}}))")
_NAME_CHAR = re.compile(f"[{_CHARS}]")


def decode_name_escapes(text: str) -> str:
    """``text`` with the codepoint escapes that stand for a name character (``PN_CHARS``: letters,
    digits, ``_``, ``-``, combining marks …) decoded wherever they are.

    §19.2 decodes every escape before parsing; Oxigraph decodes them only inside strings and IRIs,
    so ``?xx\\u0078`` or ``:\\u0070`` are syntax errors there. Inside a string or an IRI the engine
    would decode such an escape to the same character, so decoding it here changes only names: from
    an error to what the grammar means. Escapes of anything that could change the query's structure
    (quotes, brackets, ``#``, ``<``, ``:``, whitespace) stay as they are, and an escaped backslash
    (``\\\\u0070`` in a string) is not an escape. Linear: a match starts only where a run of
    backslashes starts. The service applies it before the guard, so the guard and the engine read
    the same text."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(2) or match.group(3), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or not _NAME_CHAR.fullmatch(chr(code)):
            return match.group()
        return match.group(1) + chr(code)

    return _NAME_ESCAPE.sub(decode, text)


_AS_ECHAR = {'"': '\\"', "'": "\\'", "\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_NOT_IN_IRI = frozenset('<>"{}|^`\\') | {chr(c) for c in range(0x21)}


def _decode(match: re.Match[str], token: Token, text: str) -> str:
    escape = match.group()
    if escape[1] not in "uU" or len(escape) == 2:
        return escape  # an ECHAR: the engine keeps it as it is
    offset = token.start + match.start()
    code = int(escape[2:], 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise LexError(f"{escape} is not a Unicode scalar value", text, offset)
    char = chr(code)
    if token.kind == "IRIREF":
        if char in _NOT_IN_IRI:
            raise LexError(f"{escape} stands for {_show(char)}, which an IRI cannot hold", text,
                           offset)
        return char
    return _AS_ECHAR.get(char, char)
