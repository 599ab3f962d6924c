"""Typo tolerance: the vocabulary's deletion neighbourhood (the SymSpell method).

Two words are within ``k`` edits of each other only if deleting at most ``k`` letters from each
gives a common string. So the index stores, for every vocabulary term, the strings it gives
with one deletion (terms of 3+ letters) and two deletions (terms of 7+ letters); a query term
generates its own deletions, one indexed lookup finds the candidates, and the true
(Damerau-)Levenshtein distance decides. Nothing is computed per vocabulary entry at query
time, so the cost does not grow with the data.

Limits (from the issue): 1 edit for words of 5+ letters, 2 edits for 9+ letters when a query
word finds nothing; for "did you mean" suggestions on an empty result, also 1 edit from 4.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TERM = 24  # longer terms get one-deletion entries only (a 2-deletion set grows with n²)
MAX_PROBES = 4096  # deletions looked up for one query, at most (a 24-letter term gives 300)


def max_edits(length: int, suggest: bool = False) -> int:
    if length >= 9:
        return 2
    if length >= 5 or (suggest and length >= 4):
        return 1
    return 0


def deletions(word: str, depth: int) -> set[str]:
    """Every string made by deleting 1..``depth`` letters from ``word``."""
    found: set[str] = set()
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))} - found
        found |= frontier
    found.discard("")
    return found


def index_deletions(term: str) -> set[str]:
    """What the index stores for ``term`` (see the module docstring)."""
    if len(term) < 3 or any(ch.isdigit() for ch in term):
        return set()
    return deletions(term, 2 if 7 <= len(term) <= MAX_TERM else 1)


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (an adjacent swap counts 1); ``limit + 1`` if above."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Candidate:
    term: str
    word: str
    edits: int
    freq: int


def candidates(conn: sqlite3.Connection, terms: Iterable[str], edits: int) -> list[Candidate]:
    """Vocabulary terms within ``edits`` of any of ``terms``, closest and most frequent first."""
    terms = [t for t in dict.fromkeys(terms) if not any(ch.isdigit() for ch in t)]
    if edits <= 0 or not terms:
        return []
    probes: set[str] = set(terms)
    for term in terms:
        # the index holds two-deletion entries only up to MAX_TERM letters: deeper probes of a
        # longer term could find nothing, and their number grows with the square of its length
        probes |= deletions(term, edits if len(term) <= MAX_TERM else 1)
        if len(probes) > MAX_PROBES:
            break
    found = _lookup(conn, sorted(probes))
    best: dict[str, Candidate] = {}
    for term_found, (word, freq) in found.items():
        gap = min(distance(t, term_found, edits) for t in terms)
        if 0 < gap <= edits and term_found not in terms:
            best[term_found] = Candidate(term_found, word, gap, freq)
    return sorted(best.values(), key=lambda c: (c.edits, -c.freq, c.term))


def _lookup(conn: sqlite3.Connection, probes: list[str]) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for start in range(0, len(probes), 500):
        chunk = probes[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT v.term, v.word, v.freq FROM vocab v WHERE v.term IN ({marks}) "  # noqa: S608 - only '?' marks
            f"UNION SELECT v.term, v.word, v.freq FROM deletes d JOIN vocab v ON v.term = d.term "
            f"WHERE d.del IN ({marks})",
            chunk + chunk,
        )
        for term, word, freq in rows:
            found[term] = (word, freq)
    return found
