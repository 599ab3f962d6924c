"""Running searches on an index file: matching, ranking, facets, paging, snippets.

Matching: every query word must match (AND). A word matches through any of its terms (its
Norwegian and English stems, ``analysis``), as a prefix when it has 3+ letters ("legemiddel"
finds "legemiddellisten"), inside a compound when it has 4+ letters (column ``parts``), and
through the data's synonyms (an abbreviation finds the phrase it stands for). A word of 5+
letters that matches nothing is replaced by the vocabulary terms closest to it (``typos``),
and the result says so (``corrections``). The FTS5 expression is built only from the terms,
each quoted as an FTS5 string, so operators typed by a user (AND, OR, NEAR, ``*``, ``^``,
``:``, quotes, parentheses) are plain words; the expression is passed as a bound parameter.

Ranking: exact matches of the whole query against a code (notation, organisation number,
identifier) or a label come first; then FTS5 ``bm25()`` with column weights (``index.WEIGHTS``)
times a prior per type (``TYPE_PRIOR``: the roadmap's own goals, sub-goals, activities and
measures before context-only pages, code lists and dataset metadata); then the browsing order.
An empty query lists everything in browsing order (type, notation, label).

Facets are counted over the query's matches with the *other* facets' selections applied
(disjunctive facets), so each count says how many results choosing that value would add.

One ``SearchIndex`` per process and file: it opens the file read-only (``mode=ro``, one SQLite
connection per thread) and keeps only the small per-document tables in memory.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import BadRequest
from . import analysis, snippets, typos
from .documents import COLUMNS
from .facets import FACETS, MAX_WORDS, Filters, SearchRequest
from .index import FTS_COLUMNS, SCOPE_TEXT, WEIGHTS
from .results import FacetCount, FacetValue, Hit, SearchResult, doc_info

TEXT_COLUMNS = "{" + " ".join(COLUMNS) + "}"
CODE_COLUMNS = "{" + " ".join(FTS_COLUMNS) + "}"  # with ``parts``: identifiers (a Leveranse-ID) live there
RUNNING_TEXT = "{body related detail}"
SNIPPET_ORDER = ("body", "alt", "related", "detail", "code")
SNIPPET_TERMS = 24
LABEL_TERMS = 64  # FTS5's most: enough for the whole label field
MAX_SYNONYMS = 10
MAX_FIXES = 3
MAX_SUGGESTIONS = 8
MATCH_CACHE = 256
EXACT_BONUS = 1000.0  # added to exact matches' relevance (above any bm25 score seen here)
TIER = 1e9  # ordering: exact code matches, then exact label matches, then the rest
ROADMAP, CONTEXT, REFERENCE = 1.3, 0.8, 0.6
TYPE_PRIOR = {
    **dict.fromkeys(("Goal", "SubGoal", "Activity", "PortfolioMeasure"), ROADMAP),
    **dict.fromkeys(("ActivityGroup", "Delivery", "Deliverable", "Organisation", "GovernanceBody", "UserGroup",
                     "Phase"), 1.1),
    **dict.fromkeys(("PortfolioProject", "RelatedInitiative"), CONTEXT),
    **dict.fromkeys(("Status", "RiskLevel", "Role", "ValueKind", "PortfolioSegment"), REFERENCE),
}
BM25 = "bm25(entries, " + ", ".join(str(WEIGHTS[c]) for c in FTS_COLUMNS) + ")"


def fts_string(text: str) -> str:
    """``text`` as an FTS5 string: always quoted, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def term_expression(term: str) -> str:
    if any(ch.isdigit() for ch in term):
        return f"{CODE_COLUMNS} : {fts_string(term)}"
    if len(term) < 3:
        return f"{TEXT_COLUMNS} : {fts_string(term)}"
    if len(term) < 4:
        return f"{TEXT_COLUMNS} : {fts_string(term)}*"
    return f"{fts_string(term)}*"


@dataclass
class Group:
    """One query word and the ways it may match."""

    word: analysis.QueryWord
    terms: list[str]
    phrases: list[tuple[str, int]] = field(default_factory=list)  # (phrase, index.SCOPE_*)

    def expression(self) -> str:
        parts = [term_expression(t) for t in self.terms]
        parts += [f"{RUNNING_TEXT if scope == SCOPE_TEXT else TEXT_COLUMNS} : {fts_string(p)}"
                  for p, scope in self.phrases]
        return "(" + " OR ".join(parts) + ")"


@dataclass
class Matched:
    scores: dict[int, float]  # bm25 times the type prior: lower is better
    exact: dict[int, int] = field(default_factory=dict)  # doc → KIND_CODE (0) or KIND_LABEL (1)
    corrections: dict[str, list[str]] = field(default_factory=dict)
    expression: str = ""

    def order(self, ids: frozenset[int]) -> list[int]:
        """``ids`` best first: exact code, exact label, then score; ties in browsing order."""
        ascending = sorted(ids)
        if not self.expression:
            return ascending
        keys = dict(self.scores)
        for doc_id, kind in self.exact.items():
            keys[doc_id] -= TIER * (2 - kind)
        return sorted(ascending, key=keys.__getitem__)

    def relevance(self, doc_id: int) -> float:
        bonus = EXACT_BONUS if doc_id in self.exact else 0.0
        return round(bonus - self.scores.get(doc_id, 0.0), 6)


def type_prior(type_key: str) -> float:
    """Ranking weight of a type; prefixed names (dcat:, skos:, void:, qb:) are reference data."""
    return TYPE_PRIOR.get(type_key, REFERENCE if ":" in type_key else 1.0)


class SearchIndex:
    """A read-only search index file, shared by the threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        if not self.path.is_file():
            raise FileNotFoundError(f"no search index at {self.path}")
        self._local = threading.local()
        conn = self.connection()
        self.docs = {row[0]: doc_info(row) for row in conn.execute(
            "SELECT id, iri, type, label_nb, label_en, notation, belongs FROM docs ORDER BY id")}
        self.by_iri = {doc.iri: doc for doc in self.docs.values()}
        self.all_ids = frozenset(self.docs)
        self.facet_docs: dict[str, dict[str, frozenset[int]]] = {f: {} for f in FACETS}
        groups: dict[tuple[str, str], set[int]] = {}
        for facet, value, doc in conn.execute("SELECT facet, value, doc FROM facets"):
            groups.setdefault((facet, value), set()).add(doc)
        for (facet, value), ids in groups.items():
            self.facet_docs[facet][value] = frozenset(ids)
        self.facet_values = {(row[0], row[1]): FacetValue(row[0], row[1], row[2], row[3],
                                                          {"nb": row[4], "en": row[5]}, row[6])
                             for row in conn.execute("SELECT * FROM facet_values")}
        self.match = lru_cache(maxsize=MATCH_CACHE)(self._match)

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            uri = self.path.as_uri() + "?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("PRAGMA mmap_size = 268435456")
            self._local.conn = conn
        return conn

    def type_labels(self, lang: str) -> dict[str, str]:
        return {value: fv.labels.get(lang) or value
                for (facet, value), fv in self.facet_values.items() if facet == "type"}

    # -- matching -------------------------------------------------------------------------

    def _match(self, q: str) -> Matched:
        """Scores (FTS5 bm25 times the type prior, lower is better) of the matches of ``q``.
        Cached per process (``match``): paging and facet clicks repeat the same text."""
        words = analysis.query_words(q)
        if len(words) > MAX_WORDS:
            raise BadRequest(f"q has {len(words)} words; at most {MAX_WORDS} are used", where="q")
        if not words:
            return Matched({doc_id: 0.0 for doc_id in self.docs})
        conn = self.connection()
        groups = [self._group(conn, w) for w in words]
        corrections = {}
        for group in groups:
            if not self._has_hits(conn, group.expression()):
                fixes = self._fix(conn, group)
                if fixes:
                    corrections[group.word.surface] = fixes
        expression = " AND ".join(g.expression() for g in groups)
        rows = conn.execute(f"SELECT rowid, {BM25} FROM entries WHERE entries MATCH ?", (expression,))  # noqa: S608
        scores = {doc_id: bm25 * type_prior(self.docs[doc_id].type) for doc_id, bm25 in rows}
        exact = self._exact(conn, q) if scores else {}
        return Matched(scores, {d: k for d, k in exact.items() if d in scores}, corrections, expression)

    def _group(self, conn: sqlite3.Connection, word: analysis.QueryWord) -> Group:
        terms = list(word.terms)
        marks = ",".join("?" * len(terms))
        phrases = conn.execute(
            f"SELECT phrase, MIN(scope) FROM synonyms WHERE term IN ({marks}) "  # noqa: S608 - only '?' marks
            f"GROUP BY phrase ORDER BY phrase LIMIT {MAX_SYNONYMS}", terms).fetchall()
        return Group(word, terms, phrases)

    @staticmethod
    def _has_hits(conn: sqlite3.Connection, expression: str) -> bool:
        return conn.execute("SELECT 1 FROM entries WHERE entries MATCH ? LIMIT 1",
                            (expression,)).fetchone() is not None

    @staticmethod
    def _fix(conn: sqlite3.Connection, group: Group) -> list[str]:
        if group.word.has_digit:
            return []
        found = typos.candidates(conn, group.word.terms, typos.max_edits(len(group.word.folded)))
        best = [c for c in found if c.edits == found[0].edits][:MAX_FIXES] if found else []
        group.terms += [c.term for c in best]
        return list(dict.fromkeys(c.word for c in best))

    @staticmethod
    def _exact(conn: sqlite3.Connection, q: str) -> dict[int, int]:
        keys = list({analysis.key(q, "nb"), analysis.key(q, "en")})
        rows = conn.execute("SELECT doc, MIN(kind) FROM keys WHERE key IN (?, ?) GROUP BY doc",
                            (keys[0], keys[-1]))
        return dict(rows.fetchall())

    # -- facets ---------------------------------------------------------------------------

    def _selection(self, facet: str, values: tuple[str, ...]) -> frozenset[int]:
        docs = self.facet_docs.get(facet, {})
        return frozenset().union(*(docs.get(v, frozenset()) for v in values))

    def apply(self, ids: frozenset[int], filters: Filters, skip: str | None = None) -> frozenset[int]:
        for facet, values in filters.items():
            if facet != skip:
                ids = ids & self._selection(facet, values)
        return ids

    def facet_counts(self, ids: frozenset[int], filters: Filters) -> dict[str, list[FacetCount]]:
        out = {}
        for facet in FACETS:
            base = self.apply(ids, filters, skip=facet)
            chosen = filters.get(facet, ())
            counts = []
            for value, docs in self.facet_docs[facet].items():
                count = len(base & docs)
                if count or value in chosen:
                    counts.append(FacetCount(self._facet_value(facet, value), count, value in chosen))
            counts += [FacetCount(self._facet_value(facet, v), 0, True)
                       for v in chosen if v not in self.facet_docs[facet]]
            out[facet] = sorted(counts, key=lambda c: (c.value.position, c.value.value))
        return out

    def _facet_value(self, facet: str, value: str) -> FacetValue:
        return self.facet_values.get((facet, value)) or FacetValue(
            facet, value, "", "", {"nb": value, "en": value}, 1 << 30)

    # -- the whole search -----------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        matched = self.match(request.q)
        found = frozenset(matched.scores)
        selected = matched.order(self.apply(found, request.filters))
        page = selected[request.offset:request.offset + request.limit]
        hits = self._hits(page, matched, request.lang)
        suggestions = self.suggest(request.q) if matched.expression and not found else []
        return SearchResult(request, len(selected), hits, self.facet_counts(found, request.filters),
                            matched.corrections, suggestions, time.perf_counter() - started,
                            bool(matched.expression))

    def scores(self, q: str) -> dict[str, float]:
        """IRI → relevance (higher is better; exact matches get +1000), for ``vk:textScore``."""
        try:
            matched = self.match(q)
        except BadRequest:
            return {}
        if not q.strip():
            return {}
        return {self.docs[d].iri: matched.relevance(d) for d in matched.scores}

    def _hits(self, page: list[int], matched: Matched, lang: str) -> list[Hit]:
        originals = self._originals(page)
        marked = self._snippets(page, matched.expression, originals, lang) if matched.expression else {}
        hits = []
        for doc_id in page:
            own = originals.get(doc_id, {})
            snippet, label_html = marked.get(doc_id, (None, None))
            snippet = snippet or snippets.lead(own.get("body") or own.get("detail") or "")
            doc = self.docs[doc_id]
            belongs = [self.by_iri[i] for i in doc.belongs_to if i in self.by_iri]
            hits.append(Hit(doc, matched.relevance(doc_id), doc_id in matched.exact, snippet,
                            label_html or "", belongs))
        return hits

    def _originals(self, ids: list[int]) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {}
        if not ids:
            return out
        marks = ",".join("?" * len(ids))
        for doc, column, text in self.connection().execute(
                f"SELECT doc, col, text FROM originals WHERE doc IN ({marks})", ids):  # noqa: S608
            out.setdefault(doc, {})[column] = text
        return out

    def _snippets(self, ids: list[int], expression: str, originals: dict[int, dict[str, str]],
                  lang: str) -> dict[int, tuple[str | None, str | None]]:
        """Per document: the first text field with a match as a snippet, and the marked label."""
        if not ids:
            return {}
        fields = (*SNIPPET_ORDER, "label")
        calls = ", ".join(f"snippet(entries, {FTS_COLUMNS.index(c)}, char(1), char(2), '', "
                          f"{LABEL_TERMS if c == 'label' else SNIPPET_TERMS})" for c in fields)
        marks = ",".join("?" * len(ids))
        rows = self.connection().execute(
            f"SELECT rowid, {', '.join(fields)}, {calls} FROM entries "  # noqa: S608 - names are ours
            f"WHERE entries MATCH ? AND rowid IN ({marks})", [expression, *ids]).fetchall()
        out = {}
        for row in rows:
            doc_id, analysed, found = row[0], row[1:1 + len(fields)], row[1 + len(fields):]
            own = originals.get(doc_id, {})
            texts = dict(zip(fields, zip(analysed, found, strict=True), strict=True))
            snippet = next((html for c in SNIPPET_ORDER
                            if (html := snippets.highlight(texts[c][1], texts[c][0], own.get(c, "")))), None)
            label = snippets.mark_label(texts["label"][1], texts["label"][0], own.get("label", ""),
                                        self.docs[doc_id].label(lang))
            out[doc_id] = (snippet, label)
        return out

    def suggest(self, q: str) -> list[str]:
        """Close vocabulary words for a query that found nothing, and its words that do match."""
        words = analysis.query_words(q)[:MAX_WORDS]
        conn = self.connection()
        found: list[str] = []
        for word in words:
            edits = typos.max_edits(len(word.folded), suggest=True)
            found += [c.word for c in typos.candidates(conn, word.terms, edits)[:MAX_FIXES]]
        if len(words) > 1:
            found += [w.surface for w in words if self._has_hits(conn, self._group(conn, w).expression())]
        return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]
