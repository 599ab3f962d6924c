"""Typo tolerance (issue 5: "a vocabulary table of index terms and edit-distance ≤ 1 for words
≥ 5 letters, ≤ 2 for ≥ 9"), checked against brute force."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veikart_graph.search import typos
from veikart_graph.search.typos import candidates, deletions, distance, index_deletions, max_edits

VOCABULARY = ["velferdsteknologi", "legemiddellist", "fastleg", "kjernejournal", "helsenett",
              "gravid", "pasient", "journal", "helsekort", "digihels", "hjemmeoppfølging"]


def vocabulary_db(terms: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE vocab(term TEXT PRIMARY KEY, word TEXT, freq INTEGER);"
                       "CREATE TABLE deletes(del TEXT, term TEXT, PRIMARY KEY(del, term));")
    conn.executemany("INSERT INTO vocab VALUES (?, ?, 1)", [(t, t) for t in terms])
    conn.executemany("INSERT OR IGNORE INTO deletes VALUES (?, ?)",
                     [(d, t) for t in terms for d in index_deletions(t)])
    return conn


@pytest.mark.parametrize(("length", "edits"), [(3, 0), (4, 0), (5, 1), (8, 1), (9, 2), (20, 2)])
def test_edit_budget_grows_with_word_length(length: int, edits: int) -> None:
    assert max_edits(length) == edits


def test_suggestions_allow_one_edit_from_four_letters() -> None:
    assert max_edits(4, suggest=True) == 1


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("velferdsteknolgi", "velferdsteknologi", 1), ("fastleg", "fastelg", 1), ("gravid", "gravd", 1),
    ("kjernejournal", "kjernjornal", 2), ("helsenett", "helsenett", 0), ("abc", "xyz", 3),
])
def test_distance_counts_insertions_deletions_substitutions_and_swaps(a: str, b: str, expected: int) -> None:
    assert distance(a, b, 3) == expected


def test_distance_stops_above_the_limit() -> None:
    assert distance("velferdsteknologi", "kjernejournal", 2) == 3


def test_one_letter_typo_of_a_long_word_finds_it() -> None:
    found = candidates(vocabulary_db(VOCABULARY), ["velferdsteknolgi"], 2)
    assert [c.term for c in found] == ["velferdsteknologi"]
    assert found[0].edits == 1


def test_exact_term_is_not_a_candidate() -> None:
    assert candidates(vocabulary_db(VOCABULARY), ["journal"], 1) == []


def test_numbers_are_never_corrected() -> None:
    assert candidates(vocabulary_db(["2023", "2024"]), ["2025"], 1) == []


def test_deletions_of_depth_two() -> None:
    assert deletions("abc", 2) == {"ab", "ac", "bc", "a", "b", "c"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text("abcdeøå", min_size=3, max_size=10), min_size=1, max_size=25, unique=True),
       st.text("abcdeøå", min_size=1, max_size=11))
def test_candidates_equal_brute_force(terms: list[str], query: str) -> None:
    """The deletion neighbourhood finds exactly the terms within the edit budget."""
    edits = max_edits(len(query))
    expected = {t for t in terms if 0 < distance(query, t, edits) <= edits}
    assert {c.term for c in candidates(vocabulary_db(terms), [query], edits)} == expected


def test_probes_of_a_long_term_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16, finding 2: a term longer than MAX_TERM gets one-deletion probes only (the index
    holds no deeper ones for it), so a 64-letter word makes 65 probes, not about 2,000."""
    looked_up: list[int] = []
    monkeypatch.setattr(typos, "_lookup", lambda conn, probes: looked_up.append(len(probes)) or {})
    word = "abcdefghij" * 6 + "abcd"
    candidates(vocabulary_db(VOCABULARY), [word], 2)
    assert looked_up == [len(deletions(word, 1)) + 1]
