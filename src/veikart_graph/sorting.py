"""A query's top-level ``ORDER BY``, sorted by the service instead of the engine.

Oxigraph 0.5.13 can abort the whole process while sorting a column that mixes values SPARQL's
``<`` cannot compare (docs/oxigraph-sort-panic.md), and mis-orders such columns where it does
not. So a SELECT query with a top-level ``ORDER BY`` is rewritten: without its ``ORDER BY``,
``LIMIT`` and ``OFFSET``, each order condition that is not already a projected variable becomes
an extra projected column (``(expr AS ?k)``; for ``SELECT *`` a ``BIND`` at the end of the
WHERE group, which sees every variable of the group). The engine evaluates that; ``apply``
sorts the rows with ``ordering.term_key`` (a total order that agrees with ``<`` wherever it is
defined), removes the extra columns, applies ``DISTINCT``, ``OFFSET`` and ``LIMIT`` (SPARQL 1.1
§18.2.5: order, project, distinct, slice) and returns the rows as a ``SortedSolutions``, which
reads like pyoxigraph's ``QuerySolutions``.

For CONSTRUCT, DESCRIBE and ASK without ``LIMIT``/``OFFSET`` the order cannot change the answer,
so the ``ORDER BY`` is just left out. CONSTRUCT and DESCRIBE with ``LIMIT``/``OFFSET`` run on
the solutions the service sorted and sliced, written into the query as ``VALUES``; so do
subqueries with ``ORDER BY`` and ``LIMIT``/``OFFSET`` (``evaluate``). Left to the engine (which
may still abort its query process): subqueries inside ``GRAPH``/``SERVICE``/``EXISTS`` or in a
query with FROM, and solutions holding blank nodes that would have to be inlined.

The query text is read through ``sparql_lexer``'s tokens only; anything this module does not
recognise leaves the query to the engine unchanged.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .formats import too_large
from .ordering import term_key
from .sparql_lexer import LexError, Token, tokenize

FORMS = ("select", "construct", "describe", "ask")
MODIFIER_END = ("limit", "offset", "values")


@dataclass(frozen=True)
class OrderPlan:
    """How to evaluate a query whose top-level ``ORDER BY`` the service sorts."""

    text: str  # the query without ORDER BY / LIMIT / OFFSET, with the order keys projected
    keys: tuple[tuple[str, bool], ...]  # (variable holding the condition's value, descending)
    hidden: frozenset[str]  # variables projected only for sorting
    distinct: bool  # projected rows must be made distinct here (DISTINCT with extra key columns)
    offset: int
    limit: int | None


@dataclass(frozen=True)
class InlinePlan:
    """CONSTRUCT or DESCRIBE with ``ORDER BY`` and ``LIMIT``/``OFFSET``: the WHERE group's
    solutions as a ``SELECT *`` sorted and sliced by the service (``solutions``), then the query
    with those solutions as its WHERE group: ``head`` + ``{ VALUES … }``."""

    solutions: OrderPlan
    head: str


@dataclass(frozen=True)
class _Condition:
    text: str  # the expression, or the variable (with its ? or $)
    descending: bool
    variable: str | None  # the variable's name when the condition is a bare variable


class Descending:
    """A sort key in reverse (for one ``DESC`` condition among several)."""

    __slots__ = ("key",)

    def __init__(self, key: tuple) -> None:
        self.key = key

    def __lt__(self, other: Descending) -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Descending) and self.key == other.key

    __hash__ = None  # type: ignore[assignment]


class Solution:
    """One row of a ``SortedSolutions``: ``row["name"]``, ``row[ox.Variable]`` or ``row[i]``."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str | ox.Variable) -> object:
        if isinstance(key, int):
            return self._values[key]
        name = key.value if isinstance(key, ox.Variable) else key
        position = self._index.get(name)
        return None if position is None else self._values[position]

    def __iter__(self) -> Iterator[object]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class SortedSolutions:
    """The sorted rows of a SELECT query, read like ``pyoxigraph.QuerySolutions``."""

    def __init__(self, names: list[str], rows: list[tuple]) -> None:
        self.variables = [ox.Variable(name) for name in names]
        self._index = {name: i for i, name in enumerate(names)}
        self._rows = rows

    def __iter__(self) -> Iterator[Solution]:
        return (Solution(self._index, row) for row in self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def tokens_of(text: str) -> list[Token] | None:
    """``sparql_lexer``'s tokens of ``text``; None when it cannot be lexed (the engine then
    reports the syntax error)."""
    try:
        return tokenize(text)
    except LexError:
        return None


def plan(text: str, tokens: list[Token] | None = None) -> OrderPlan | InlinePlan | str | None:
    """How to run ``text`` (``tokens``: its tokens, when already read): an ``OrderPlan`` (the
    service sorts), an ``InlinePlan`` (CONSTRUCT/DESCRIBE on solutions the service sorted), a
    text (the same query without an ``ORDER BY`` that cannot change its answer) or None (run
    ``text`` as it is)."""
    tokens = tokens_of(text) if tokens is None else tokens
    return None if tokens is None else _Reader(text, tokens).plan()


class _Reader:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens

    def plan(self) -> OrderPlan | InlinePlan | str | None:
        tokens = self.tokens
        form = next((i for i, t in enumerate(tokens) if t.kind == "WORD" and t.text.lower() in FORMS), None)
        if form is None:
            return None
        group = self._where_group(form)
        if group is None:
            return None
        _, close_at = group
        order = self._order_by(close_at + 1)
        if order is None:
            return None
        order_at, conditions, end_at = order
        limits = self._limits(end_at)
        if limits is None or conditions is None:
            return None
        offset, limit, values_at = limits
        tail = self.text[tokens[values_at].start:] if values_at < len(tokens) else ""
        head = self.text[:tokens[order_at].start]
        if tokens[form].text.lower() != "select":
            if offset or limit is not None:
                return self._inline_plan(form, group, order_at, tail)
            return head + tail
        return self._select_plan(form, close_at, head, tail, conditions, offset, limit)

    def _inline_plan(self, form: int, group: tuple[int, int], order_at: int, tail: str) -> InlinePlan | None:
        """See ``InlinePlan``. A trailing VALUES clause belongs to the solutions."""
        tokens, text = self.tokens, self.text
        open_at, close_at = group
        start = next((i for i in range(form, open_at) if tokens[i].is_word("from", "where")), open_at)
        dataset = text[tokens[start].start:tokens[open_at].start]
        prologue = text[:tokens[form].start]
        select = (prologue + "SELECT * " + dataset + text[tokens[open_at].start:tokens[close_at].end] + " "
                  + text[tokens[order_at].start:len(text) - len(tail)] + " " + tail)
        solutions = plan(select)
        if not isinstance(solutions, OrderPlan):
            return None
        if tokens[form].is_word("construct") and form + 1 < len(tokens) and tokens[form + 1].is_word("where"):
            template = text[tokens[open_at].start:tokens[close_at].end]  # CONSTRUCT WHERE { … }
            head = prologue + "CONSTRUCT " + template + " " + dataset
        else:
            head = text[:tokens[open_at].start]
        return InlinePlan(solutions, head)

    def _where_group(self, form: int) -> tuple[int, int] | None:
        """Token indexes of the query's WHERE group braces (the first ``{`` after the form)."""
        tokens = self.tokens
        start = next((i for i in range(form, len(tokens)) if tokens[i].text == "{"), None)
        where_next = form + 1 < len(tokens) and tokens[form + 1].is_word("where")
        template = tokens[form].is_word("construct") and not where_next
        if template and start is not None:  # CONSTRUCT { template } … WHERE? { group }
            close = self._matching(start)
            if close is None:
                return None
            start = next((i for i in range(close + 1, len(tokens)) if tokens[i].text == "{"), None)
        if start is None:
            return None
        close = self._matching(start)
        return None if close is None else (start, close)

    def _matching(self, start: int) -> int | None:
        opening = self.tokens[start].text
        closing = {"{": "}", "(": ")", "[": "]"}[opening]
        depth = 0
        for i in range(start, len(self.tokens)):
            text = self.tokens[i].text if self.tokens[i].kind == "PUNCT" else ""
            if text == opening:
                depth += 1
            elif text == closing:
                depth -= 1
                if depth == 0:
                    return i
        return None

    def _order_by(self, start: int) -> tuple[int, list[_Condition] | None, int] | None:
        """(index of ORDER, its conditions, index after them) at the top level after the WHERE
        group; None without one. Conditions are None when they cannot be read."""
        tokens = self.tokens
        i = start
        while i < len(tokens) and not tokens[i].is_word("order"):
            if tokens[i].text in ("{", "}") or tokens[i].is_word(*MODIFIER_END):
                return None
            i += 1
        if i + 1 >= len(tokens) or not tokens[i + 1].is_word("by"):
            return None
        order_at, i = i, i + 2
        conditions: list[_Condition] = []
        while i < len(tokens) and not tokens[i].is_word(*MODIFIER_END):
            read = self._condition(i)
            if read is None:
                return order_at, None, i
            condition, i = read
            conditions.append(condition)
        return order_at, conditions or None, i

    def _condition(self, i: int) -> tuple[_Condition, int] | None:
        tokens = self.tokens
        token = tokens[i]
        descending = False
        if token.is_word("asc", "desc") and i + 1 < len(tokens) and tokens[i + 1].text == "(":
            descending = token.is_word("desc")
            i += 1
            token = tokens[i]
        if token.kind == "VAR":
            return _Condition(token.text, descending, token.text[1:]), i + 1
        if token.kind in ("WORD", "IRIREF", "PNAME_LN") and i + 1 < len(tokens) and tokens[i + 1].text == "(":
            end = self._matching(i + 1)
        elif token.kind == "PUNCT" and token.text == "(":
            end = self._matching(i)
        else:
            return None
        if end is None or any(t.text in ("{", "}") for t in tokens[i:end]):
            return None  # EXISTS { … } in an order condition: left to the engine
        inner = tokens[i + 1:end] if token.text == "(" else None
        if inner is not None and len(inner) == 1 and inner[0].kind == "VAR":
            return _Condition(inner[0].text, descending, inner[0].text[1:]), end + 1
        return _Condition(self.text[token.start:tokens[end].end], descending, None), end + 1

    def _limits(self, i: int) -> tuple[int, int | None, int] | None:
        tokens = self.tokens
        offset, limit = 0, None
        while i + 1 < len(tokens) and tokens[i].is_word("limit", "offset"):
            if tokens[i + 1].kind != "NUMBER" or not tokens[i + 1].text.isdigit():
                return None
            if tokens[i].is_word("limit"):
                limit = int(tokens[i + 1].text)
            else:
                offset = int(tokens[i + 1].text)
            i += 2
        if i < len(tokens) and not tokens[i].is_word("values"):
            return None
        return offset, limit, i

    def _select_plan(self, form: int, close_at: int, head: str, tail: str,
                     conditions: list[_Condition], offset: int, limit: int | None) -> OrderPlan | None:
        tokens = self.tokens
        modifier = form + 1 if form + 1 < len(tokens) and tokens[form + 1].is_word("distinct", "reduced") else None
        first = (modifier or form) + 1
        end = next((i for i in range(first, len(tokens))
                    if tokens[i].text == "{" or tokens[i].is_word("where", "from")), None)
        if end is None:
            return None
        star = end == first + 1 and tokens[first].text == "*"
        projected = self._projected(first, end)
        used = {t.text[1:] for t in tokens if t.kind == "VAR"}
        keys: list[tuple[str, bool]] = []
        added: list[tuple[str, str]] = []  # (variable, expression or variable text)
        for condition in conditions:
            if condition.variable is not None and (star or condition.variable in projected):
                keys.append((condition.variable, condition.descending))
                continue
            name = _fresh(used)
            keys.append((name, condition.descending))
            added.append((name, condition.text))
        hidden = frozenset(name for name, _ in added)
        if star:
            binds = " ".join(f"BIND({expr} AS ?{name})" for name, expr in added)
            at = tokens[close_at].start  # the last elements of the WHERE group: they see it all
            text = head[:at] + " " + binds + " " + head[at:]
        else:
            extra = " ".join(f"({expr} AS ?{name})" for name, expr in added)
            at = tokens[end].start
            text = head[:at] + extra + " " + head[at:]
        distinct = modifier is not None and tokens[modifier].is_word("distinct") and bool(hidden)
        return OrderPlan(text + tail, tuple(keys), hidden, distinct, offset, limit)

    def _projected(self, first: int, end: int) -> set[str]:
        """Variables the SELECT clause projects (plain, or bound with ``AS``)."""
        names: set[str] = set()
        depth = 0
        for i in range(first, end):
            token = self.tokens[i]
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif token.kind == "VAR" and (depth == 0 or self.tokens[i - 1].is_word("as")):
                names.add(token.text[1:])
        return names


def _fresh(used: set[str]) -> str:
    n = 1
    while f"order_key_{n}" in used:
        n += 1
    used.add(f"order_key_{n}")
    return f"order_key_{n}"


def evaluate(text: str, query: Callable[[str], object], max_rows: int | None = None, *,
             rewrite_errors: tuple[type[BaseException], ...] = (SyntaxError,),
             tokens: list[Token] | None = None) -> object:
    """``query(text)``, with a top-level ``ORDER BY`` sorted here (see ``plan``). When the
    rewritten text fails with one of ``rewrite_errors`` (the engine's syntax error), the query
    runs as written, so that an error names the user's text, not the rewrite.

    Subqueries with ``ORDER BY`` and ``LIMIT``/``OFFSET`` (outside ``GRAPH``, ``SERVICE`` and
    ``EXISTS``, in a query without FROM) are evaluated first, the same way, and their solutions
    written into the query as ``VALUES`` (a subquery is evaluated on its own, §18.2.1)."""
    tokens = tokens_of(text) if tokens is None else tokens
    if tokens is None:
        return query(text)
    try:
        source = _inline_subqueries(text, tokens, query, max_rows, rewrite_errors)
        order = plan(source, tokens if source is text else None)
        if order is None:
            return query(source)
        if isinstance(order, OrderPlan):
            return apply(order, query(order.text), max_rows)
        if isinstance(order, InlinePlan):
            solutions = apply(order.solutions, query(order.solutions.text))
            inlined = values_block(solutions)
            if inlined is not None:
                return query(order.head + "{ " + inlined + " }")
            return query(source)  # blank nodes cannot be written in VALUES: the engine sorts
        return query(order)
    except rewrite_errors:
        return query(text)


def _inline_subqueries(text: str, tokens: list[Token], query: Callable[[str], object],
                       max_rows: int | None, rewrite_errors: tuple[type[BaseException], ...]) -> str:
    """``text`` with each outermost ``{ SELECT … ORDER BY … LIMIT … }`` that can be replaced by
    its solutions replaced (see ``evaluate``); ``text`` itself when there is none."""
    form = next((i for i, t in enumerate(tokens) if t.kind == "WORD" and t.text.lower() in FORMS), None)
    if form is None or any(t.is_word("from") for t in tokens):
        return text
    prologue = text[:tokens[form].start]
    replaced = text
    for open_at, close_at in reversed(_subquery_groups(tokens, form)):
        inner = prologue + text[tokens[open_at + 1].start:tokens[close_at].start]
        order = plan(inner)
        if not isinstance(order, OrderPlan) or (order.limit is None and not order.offset):
            continue
        solutions = evaluate(inner, query, max_rows, rewrite_errors=rewrite_errors)
        if not isinstance(solutions, SortedSolutions) or (max_rows is not None and len(solutions) > max_rows):
            continue
        inlined = values_block(solutions)
        if inlined is not None:
            start, end = tokens[open_at].start, tokens[close_at].end
            replaced = replaced[:start] + "{ " + inlined + " }" + replaced[end:]
    return replaced


def _subquery_groups(tokens: list[Token], form: int) -> list[tuple[int, int]]:
    """(open, close) token indexes of the outermost groups that are a subquery ``{ SELECT … }``,
    not inside ``GRAPH``, ``SERVICE`` or ``EXISTS`` (whose evaluation depends on where they are)."""
    found: list[tuple[int, int]] = []
    stack: list[tuple[int, bool, bool]] = []  # (open index, blocked, inside a subquery)
    for i in range(form, len(tokens)):
        token = tokens[i]
        if token.kind != "PUNCT" or token.text not in "{}":
            continue
        if token.text == "{":
            blocked, inside = stack[-1][1:] if stack else (False, False)
            before = tokens[max(form, i - 3):i]
            blocked = blocked or any(t.is_word("graph", "service", "exists") for t in before)
            subquery = i + 1 < len(tokens) and tokens[i + 1].is_word("select")
            if subquery and not blocked and not inside:
                found.append((i, -1))
            stack.append((i, blocked, inside or subquery))
        elif stack:
            opened = stack.pop()[0]
            if found and found[-1] == (opened, -1):
                found[-1] = (opened, i)
    return [group for group in found if group[1] >= 0]


def values_block(solutions: SortedSolutions) -> str | None:
    """``VALUES (?a ?b) { (… …) }`` holding ``solutions``; None if one holds a blank node or a
    triple term (VALUES cannot)."""
    rows = []
    for row in solutions:
        terms = []
        for term in row:
            if term is None:
                terms.append("UNDEF")
            elif isinstance(term, ox.NamedNode | ox.Literal):
                terms.append(str(term))
            else:
                return None
        rows.append("(" + " ".join(terms) + ")")
    names = " ".join(f"?{v.value}" for v in solutions.variables)
    return f"VALUES ({names}) {{ {' '.join(rows)} }}"


def apply(order: OrderPlan, result: object, max_rows: int | None = None) -> SortedSolutions:
    """The rows of ``result`` (the evaluated ``order.text``) sorted, made distinct and sliced.

    With ``max_rows``, at most ``offset + max_rows + 1`` rows are kept once sorted (more could
    only make the answer larger than the cap, which the serializer then reports), and without
    ``LIMIT`` more than ``offset + max_rows`` rows fail at once with the serializer's message.
    """
    names = [v.value for v in result.variables]
    index = {name: i for i, name in enumerate(names)}
    positions = [(index.get(name), descending) for name, descending in order.keys]
    visible = [i for i, name in enumerate(names) if name not in order.hidden]

    def key(row: tuple) -> tuple:
        return tuple(_key(None if at is None else row[at], descending) for at, descending in positions)

    rows: Iterable[tuple] = (tuple(solution) for solution in result)
    wanted = None if order.limit is None else order.offset + order.limit
    if max_rows is not None and not order.distinct:
        if wanted is None:
            rows = _at_most(rows, order.offset, max_rows)
        wanted = order.offset + max_rows + 1 if wanted is None else min(wanted, order.offset + max_rows + 1)
    if wanted is not None and not order.distinct:
        ordered = heapq.nsmallest(wanted, rows, key=key)
    else:
        ordered = sorted(rows, key=key)
    projected = [tuple(row[i] for i in visible) for row in ordered]
    if order.distinct:
        projected = list(dict.fromkeys(projected))
    end = None if order.limit is None else order.offset + order.limit
    return SortedSolutions([names[i] for i in visible], projected[order.offset:end])


def _key(term: object, descending: bool) -> object:
    key = term_key(term)
    return Descending(key) if descending else key


def _at_most(rows: Iterable[tuple], offset: int, max_rows: int) -> Iterator[tuple]:
    for count, row in enumerate(rows, 1):
        if count > offset + max_rows:
            raise too_large(max_rows, "rows")
        yield row
