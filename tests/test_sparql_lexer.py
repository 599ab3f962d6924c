"""The SPARQL lexer: the grammar's terminals (SPARQL 1.1 Query §19.8, notes in §19.2-19.5), read as
the engine (Oxigraph) reads them, linear, and refusing what it cannot read."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from veikart_graph.errors import BadRequest
from veikart_graph.sparql_lexer import LexError, Token, tokenize, unescape

SERVICE_AT = "SERVICE <http://127.0.0.1:59999/x> { ?s ?p ?o }"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


def engine_parses(text: str) -> bool:
    try:
        result = ox.Store().query(text)
        if isinstance(result, ox.QuerySolutions):
            list(result)
    except SyntaxError:
        return False
    except (OSError, RuntimeError):
        return True  # parsed, then failed evaluating (SERVICE could not connect, a custom function)
    return True


def test_tokens_carry_kind_text_and_offsets():
    tokens = tokenize("SELECT ?s { ?s a <http://e/C> }")
    assert tokens[0] == Token("WORD", "SELECT", 0, 6)
    assert tokens[1] == Token("VAR", "?s", 7, 9)
    assert [t.kind for t in tokens] == ["WORD", "VAR", "PUNCT", "VAR", "WORD", "IRIREF", "PUNCT"]


def test_every_terminal_kind():
    text = ('PREFIX e: <http://e/> SELECT $v { _:b0 e:p e: ; e:q "x"@en-GB, \'y\', """z""", '
            "'''w''', 1, 1.5, .5, 2e3, 1.e5, true . ?v e:p [] FILTER(?v != 1 && ?v >= 2 || !?v) "
            "?s e:p/^e:q|e:r* ?o . ?s ?p \"1\"^^e:t } LIMIT 1")
    found = {t.kind for t in tokenize(text)}
    assert found == {"WORD", "PNAME_NS", "PNAME_LN", "IRIREF", "VAR", "BLANK_NODE_LABEL",
                     "STRING", "LANGTAG", "NUMBER", "PUNCT"}
    assert engine_parses(text)


def test_a_comment_ends_at_a_carriage_return():
    """§19.4: a comment ends at the end of line, CR or LF. The SERVICE after ``#\\r`` is code
    (issue 16, finding 1: rdflib's parser read it as part of the comment)."""
    text = "SELECT * WHERE { #\r " + SERVICE_AT + " \n }"
    assert ("WORD", "SERVICE") in kinds(text)
    assert ("WORD", "SERVICE") not in kinds("SELECT * WHERE { # SERVICE <http://a/> {}\n }")


@pytest.mark.parametrize("text, expected", [
    ('"a\\"b"', '"a\\"b"'),
    ("'a\\'b'", "'a\\'b'"),
    ('"""a\n"b""c"""', '"""a\n"b""c"""'),
    ("'''a\r\n'b'''", "'''a\r\n'b'''"),
    ('"\\t\\b\\n\\r\\f\\\\"', '"\\t\\b\\n\\r\\f\\\\"'),
])
def test_string_forms(text, expected):
    """§19.8 STRING_LITERAL1/2, STRING_LITERAL_LONG1/2, ECHAR."""
    assert kinds(f"SELECT ({text} AS ?x) {{}}")[2] == ("STRING", expected)


@pytest.mark.parametrize("text, problem", [
    ('SELECT ("a\nb" AS ?x) {}', "line break"),
    ('SELECT ("a\rb" AS ?x) {}', "line break"),
    ('SELECT ("\\q" AS ?x) {}', "backslash"),
    ('SELECT ("abc AS ?x) {}', "not closed"),
    ("SELECT * { ?s ?p ?o }\f", "unexpected character"),
    ("SELECT * {\u00a0}", "unexpected character"),
    ("SELECT * { ?s ?p ?o } &", "unexpected character"),
    ("SELECT * { ?s ?p $ }", "must start a variable"),
])
def test_what_cannot_be_lexed_is_refused_with_its_place(text, problem):
    """Fails closed; the engine refuses these too (checked), so nothing valid is lost."""
    with pytest.raises(LexError, match=problem) as caught:
        tokenize(text)
    assert isinstance(caught.value, BadRequest)
    assert caught.value.where and caught.value.where.startswith("1:")
    assert caught.value.message.startswith("error at 1:")
    assert not engine_parses(text)


def test_lex_error_names_line_and_column():
    with pytest.raises(LexError) as caught:
        tokenize('SELECT *\nWHERE {\n  ?s ?p "x\n" }')
    assert caught.value.where == "3:9"


def test_iriref_excludes_its_characters():
    """§19.8 IRIREF: no <>"{}|^`\\ and nothing up to U+0020; ``<a b>`` is not one IRI."""
    assert kinds("SELECT * { ?s ?p <http://e/a> }")[5] == ("IRIREF", "<http://e/a>")
    for bad in (" ", "{", "}", "|", "^", "`", '"'):
        assert ("IRIREF", f"<http://e/a{bad}b>") not in kinds_or_none(f"ASK {{ ?s ?p <http://e/a{bad}b> }}")


def kinds_or_none(text: str) -> list[tuple[str, str]]:
    try:
        return kinds(text)
    except LexError:
        return []


@pytest.mark.parametrize("name, kind, text", [
    ("e:a\\.b", "PNAME_LN", "e:a\\.b"),      # PN_LOCAL_ESC
    ("e:a%2Fb", "PNAME_LN", "e:a%2Fb"),      # PERCENT
    ("e:a:b", "PNAME_LN", "e:a:b"),
    ("e:1", "PNAME_LN", "e:1"),
    ("e.f:a", "PNAME_LN", "e.f:a"),          # PN_PREFIX may hold dots inside
    (":a", "PNAME_LN", ":a"),
    ("e:", "PNAME_NS", "e:"),
])
def test_prefixed_names(name, kind, text):
    """§19.8 PNAME_NS, PNAME_LN, PN_LOCAL with PLX."""
    query = f"PREFIX e: <http://e/> PREFIX e.f: <http://e/> PREFIX : <http://e/> SELECT * {{ ?s ?p {name} }}"
    assert (kind, text) in kinds(query)
    assert engine_parses(query)


def test_a_trailing_dot_ends_the_triple_not_the_name():
    tokens = kinds("PREFIX e: <http://e/> SELECT * { ?s ?p e:a. ?s ?p 1. }")
    assert ("PNAME_LN", "e:a") in tokens and ("NUMBER", "1") in tokens
    assert tokens.count(("PUNCT", ".")) == 2


def test_numbers():
    assert [t.text for t in tokenize("1 1.5 .5 2e3 1.e5 1.5E-2") if t.kind == "NUMBER"] == [
        "1", "1.5", ".5", "2e3", "1.e5", "1.5E-2"]


def test_variables_blank_nodes_and_language_tags():
    assert kinds("?a $b _:c.d @en-GB @en--ltr") == [
        ("VAR", "?a"), ("VAR", "$b"), ("BLANK_NODE_LABEL", "_:c.d"), ("LANGTAG", "@en-GB"),
        ("LANGTAG", "@en--ltr")]


def test_punctuation():
    text = "{ } ( ) [ ] ; , . * / + - ! = != < > <= >= && || ^^ ^ | ?"
    assert [t.text for t in tokenize(text)] == text.split()
    assert all(t.kind == "PUNCT" for t in tokenize(text))


# ------------------------------------------------------------------------ "<": IRI or less-than


def test_an_iri_shaped_comparison_is_refused_as_ambiguous():
    """``1<(((2)))&&3>2``: the grammar's longest match (§19.8) takes ``<(((2)))&&3>`` as one
    IRIREF, which makes the query invalid (W3C syn-bad-26: ``?x<?a&&?b>?y``); the engine parses a
    comparison. Refused (400) either way, so neither reading can hide brackets from the nesting
    check (issue 16, finding 4)."""
    for text in ("SELECT (1<(((2)))&&3>2 AS ?x) {}", "SELECT * { FILTER(?x<?a&&?b>?y) }"):
        assert engine_parses(text)
        with pytest.raises(LexError, match="reads both as an IRI and as a comparison"):
            tokenize(text)


@pytest.mark.parametrize("text", [
    "SELECT * { BIND(1 < (((2))) && 3 > 2 AS ?x) }",
    "SELECT * { FILTER(?a<?b) }",
    "SELECT ?a (?a<?b AS ?c) {}",
    "SELECT * { { SELECT ?a (?a<?b AS ?c) {} } }",
    "SELECT ?a {} GROUP BY ?a HAVING (?a<?b)",
    "SELECT * { FILTER(?a<=?b) }",
])
def test_comparisons_are_operators(text):
    assert engine_parses(text)
    assert "IRIREF" not in {t.kind for t in tokenize(text)}


@pytest.mark.parametrize("text, iri", [
    ("SELECT * { ?s ?p (1 <http://e/a> 2) }", "<http://e/a>"),
    ("SELECT * { ?s ?p (<http://e/a#x> <http://e/a#y>) }", "<http://e/a#y>"),
    ("SELECT * { VALUES (?a ?b) { (1 <http://e/a>) } }", "<http://e/a>"),
    ("SELECT * { ?s ?p ?o FILTER(?o = <http://e/a>) }", "<http://e/a>"),
    ("SELECT * { FILTER <http://e/f>(?a) }", "<http://e/f>"),
    ("SELECT * { ?s ?p (1 <http://e/a>) FILTER(?s IN (<http://e/b>)) }", "<http://e/b>"),
    ("SELECT * { << <http://e/a> <http://e/b> <http://e/c> >> ?q ?r }", "<http://e/c>"),
    ("SELECT * { <<<http://e/a> <http://e/b> <http://e/c>>> ?q ?r }", "<http://e/c>"),
    ("SELECT (<<(<http://e/a> <http://e/b> <http://e/c>)>> AS ?t) {}", "<http://e/c>"),
    ("SELECT (1<<http://e/a#b> AS ?x) {}", "<http://e/a#b>"),
])
def test_iris_after_a_term_outside_expressions(text, iri):
    assert engine_parses(text)
    assert ("IRIREF", iri) in kinds(text)


@pytest.mark.parametrize("text", [
    "SELECT * { FILTER(?a<?b#>) }",          # comparison + comment, or IRI?
    "SELECT * { FILTER(?a<?b'>) }",
    "BASE <http://x/> SELECT * { ?s ?p (1 <(((2)))&&3> 2) }",  # IRI hiding brackets
])
def test_text_whose_two_readings_hide_something_is_refused(text):
    """Defence in depth: where a mistaken reading of the context would hide a comment, a string
    or brackets, the text is refused ('write a space after <')."""
    with pytest.raises(LexError, match="reads both as an IRI and as a comparison"):
        tokenize(text)


# ------------------------------------------------------------------------ codepoint escapes


def test_escapes_are_decoded_only_inside_strings_and_iris_as_the_engine_does():
    """§19.2 asks for escapes to be applied to the whole text; Oxigraph applies them inside
    strings and IRIs only (``SEL\\u0045CT`` is a syntax error there). Doing as the engine does
    keeps ``"\\u005C" SERVICE … "`` from hiding code."""
    assert not engine_parses("SEL\\u0045CT * {}")
    with pytest.raises(LexError, match="unexpected character"):
        unescape("SEL\\u0045CT * {}")
    assert (unescape('SELECT ("a\\u0041" AS ?a) { ?s ?p <http://e/\\u0041> }')
            == 'SELECT ("aA" AS ?a) { ?s ?p <http://e/A> }')
    text = 'SELECT * { BIND("\\u005C" AS ?a) ' + SERVICE_AT + ' BIND("" AS ?b) }'
    assert engine_parses(text)
    assert ("WORD", "SERVICE") in kinds(unescape(text))


@pytest.mark.parametrize("raw, unescaped", [
    ('"\\u0022"', '"\\""'),
    ("'\\u0027'", "'\\''"),
    ('"\\u005C"', '"\\\\"'),
    ('"\\u000A"', '"\\n"'),
    ('"\\u005Cn"', '"\\\\n"'),           # one pass: a backslash, then "n"
    ('"\\\\u0041"', '"\\\\u0041"'),      # an escaped backslash, then "u0041"
    ('"""\\u0022"""', '"""\\""""'),
    ('"\\U0001F600"', '"\U0001F600"'),
])
def test_unescaped_strings_mean_the_same_to_the_engine(raw, unescaped):
    assert unescape(f"SELECT ({raw} AS ?x) {{}}") == f"SELECT ({unescaped} AS ?x) {{}}"
    before = list(ox.Store().query(f"SELECT ({raw} AS ?x) {{}}"))[0][0]
    after = list(ox.Store().query(f"SELECT ({unescaped} AS ?x) {{}}"))[0][0]
    assert before == after


@pytest.mark.parametrize("text, problem", [
    ("SELECT (<http://e/\\u003E> AS ?x) {}", "an IRI cannot hold"),
    ("SELECT (<http://e/\\u0020> AS ?x) {}", "an IRI cannot hold"),
    ('SELECT ("\\uD800" AS ?x) {}', "not a Unicode scalar value"),
    ('SELECT ("\\U00110000" AS ?x) {}', "not a Unicode scalar value"),
])
def test_escapes_the_engine_refuses_are_refused(text, problem):
    assert not engine_parses(text)
    with pytest.raises(LexError, match=problem):
        unescape(text)


def test_an_unclosed_long_string_reads_as_an_empty_string_as_in_the_engine():
    text = 'SELECT * { ?s ?p ("""" true) }'
    assert engine_parses(text)
    assert kinds(text)[6:9] == [("STRING", '""'), ("STRING", '""'), ("WORD", "true")]


# ------------------------------------------------------------------------ agreement with the engine
# (linear time: tests/test_guard.py times the whole guard, lexer included, on 64 KB worst cases)

FRAGMENTS = ["#", "\r", "\n", " ", '"', "'", '"""', "\\", "\\u0022", "\\u005C", "\\u000A", "<", ">",
             "(", ")", "{", "}", "[", "]", "?a", "?b", "1", "&&", "=", "e:a", ".", ";", ",", "a",
             SERVICE_AT, "SERVICE", "<http://e/p>", "<http://e/p#f>", "<<", ">>", "!", "-", "*",
             "1<2", "?a<?b", "<x>", "<(x)>", "FILTER", "VALUES", "true"]
TEMPLATES = ["PREFIX e: <http://e/> SELECT * WHERE { ?s ?p ?o . %s }",
             "PREFIX e: <http://e/> SELECT * WHERE { BIND(%s) }",
             "PREFIX e: <http://e/> SELECT (%s) WHERE { }",
             "PREFIX e: <http://e/> SELECT * { ?s ?p (%s) }",
             "PREFIX e: <http://e/> SELECT * { VALUES (?a ?b) { (%s) } }",
             "BASE <http://x/> SELECT * { ?s ?p (%s) }"]


def test_lexer_accepts_what_the_engine_parses_and_sees_every_service_it_runs():
    """A seeded random corpus of hostile fragments: where the engine parses, the lexer accepts;
    where the engine tried to call SERVICE, the lexer saw the SERVICE keyword."""
    rng = random.Random(16)
    parsed = 0
    for _ in range(3000):
        body = "".join(rng.choice(FRAGMENTS) + rng.choice(["", " "]) for _ in range(rng.randint(1, 7)))
        text = rng.choice(TEMPLATES) % body
        try:
            result = ox.Store().query(text)
            if isinstance(result, ox.QuerySolutions):
                list(result)
            called = False
        except SyntaxError:
            continue
        except OSError:
            called = True
        parsed += 1
        try:
            tokens = tokenize(unescape(text))  # raises if the lexer refuses what the engine parses
        except LexError as error:  # the one stricter case: an IRI-shaped comparison (§19.8)
            assert "reads both as an IRI and as a comparison" in error.message, (text, error.message)
            continue
        if called:
            assert any(t.is_word("service") for t in tokens), text
    assert parsed > 30


@pytest.mark.parametrize("text,expected", [
    (r"SELECT * WHERE { <\u0078> :\u0070 ?xx\u0078 }", "SELECT * WHERE { <x> :p ?xxx }"),  # W3C syntax-esc-04
    (r"\u0049NSERT DATA {}", "INSERT DATA {}"),  # the guard then reads the update the engine would run
    (r'"a\\u0070"', r'"a\\u0070"'),  # an escaped backslash is no escape
    (r'"a\\\u0070"', r'"a\\p"'),  # an escaped backslash, then an escape: the same string
    (r'"\u0022" ?a\u003Ab ?b\u0020c <\u003E>', r'"\u0022" ?a\u003Ab ?b\u0020c <\u003E>'),  # structure stays
    (r"?x\u00D7 ?y\uD800 ?z\U0001F600", "?x\\u00D7 ?y\\uD800 ?z\U0001F600"),  # × is no name character,
    # a surrogate is none either; U+1F600 is one (PN_CHARS_BASE reaches U+EFFFF)
])
def test_name_escapes_are_decoded_as_section_19_2_says(text: str, expected: str):
    from veikart_graph.sparql_lexer import decode_name_escapes

    assert decode_name_escapes(text) == expected


def test_name_escape_decoding_is_linear_on_backslash_runs():
    """Bounded, not timed absolutely: 64 KB of backslashes against 64 KB of plain names."""
    import time

    from veikart_graph.sparql_lexer import decode_name_escapes

    def seconds(text: str) -> float:
        start = time.perf_counter()
        decode_name_escapes(text)
        return time.perf_counter() - start

    baseline = min(seconds("?a\\u0070 " * 7000) for _ in range(3))
    worst = min(seconds("\\" * 65536 + "u0070") for _ in range(3))
    assert worst < max(20 * baseline, 0.05), (worst, baseline)
