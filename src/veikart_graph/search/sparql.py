"""Text search inside SPARQL: custom functions for pyoxigraph's ``Store.query``.

``sparql_functions(snapshot_dir)`` is the factory the query executor calls in each query
process (setting ``PoolConfig.functions = "veikart_graph.search.sparql:sparql_functions"``).

- ``vk:textScore(?entity, "words")`` → ``xsd:double``: the entity's relevance for the words
  on the search page (higher is better; exact label/code matches get +1000, so ``ORDER BY
  DESC(?score)`` gives the search page's order); unbound when the entity does not match.
- ``vk:matches(?text, "words")`` → ``xsd:boolean``: whether a literal contains every word
  (same analysis as the search: case, diacritics, æ/ø/å spellings, stemming, prefixes).

Example (``queries/search-in-sparql.rq``)::

    SELECT ?item ?score WHERE {
      ?item vk:owner vkid:organisasjon/helsedirektoratet .
      BIND(vk:textScore(?item, "legemiddelliste") AS ?score)
      FILTER(BOUND(?score))
    } ORDER BY DESC(?score)

Scores per query text are cached (LRU), so a function called once per candidate row costs one
search per distinct text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadRequest
from ..namespaces import VK
from . import analysis
from .index import ensure_index
from .query import SearchIndex

XSD = "http://www.w3.org/2001/XMLSchema#"
TEXT_SCORE = ox.NamedNode(str(VK) + "textScore")
MATCHES = ox.NamedNode(str(VK) + "matches")
MAX_TEXT = 500


def _text(term: object) -> str | None:
    """The text of a plain or language-tagged string literal of at most ``MAX_TEXT`` characters."""
    if isinstance(term, ox.Literal) and len(term.value) <= MAX_TEXT and \
            (term.language or term.datatype.value == XSD + "string"):
        return term.value
    return None


def word_matches(text_terms: set[str], word: analysis.QueryWord) -> bool:
    for term in word.terms:
        if any(t == term or (len(term) >= 3 and not word.has_digit and t.startswith(term))
               for t in text_terms):
            return True
    return False


def text_matches(text: str, lang: str, query: str) -> bool:
    """Every query word is a term (or, from 3 letters, a term prefix) of ``text``."""
    words = analysis.query_words(query)
    terms = set(analysis.analyse(text, lang)) | set(analysis.analyse(text, "en" if lang != "en" else "nb"))
    return bool(words) and all(word_matches(terms, w) for w in words)


def sparql_functions(snapshot_dir: str | Path) -> dict[ox.NamedNode, Callable[..., ox.Literal | None]]:
    """``vk:textScore`` and ``vk:matches`` over the snapshot in ``snapshot_dir``."""
    index = SearchIndex(ensure_index(Path(snapshot_dir)))
    scores = lru_cache(maxsize=256)(index.scores)

    def text_score(entity: object, query: object) -> ox.Literal | None:
        text = _text(query)
        if not isinstance(entity, ox.NamedNode) or text is None:
            return None
        score = scores(text).get(entity.value)
        return None if score is None else ox.Literal(repr(float(score)), datatype=ox.NamedNode(XSD + "double"))

    def matches(literal: object, query: object) -> ox.Literal | None:
        text = _text(query)
        if not isinstance(literal, ox.Literal) or text is None:
            return None
        try:
            found = text_matches(literal.value, literal.language or "nb", text)
        except BadRequest:  # words too long once folded (analysis.MAX_WORD): no match possible
            return None
        return ox.Literal("true" if found else "false", datatype=ox.NamedNode(XSD + "boolean"))

    return {TEXT_SCORE: text_score, MATCHES: matches}
