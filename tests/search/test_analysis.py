"""Norwegian text analysis (issue 5: "case folding and diacritic folding that keeps æ/ø/å
meaningful", "ae/oe/aa spellings", "bokmål stemming with Snowball's Norwegian stemmer")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veikart_graph.errors import BadRequest
from veikart_graph.search.analysis import (
    MAX_FOLDED,
    MAX_WORD,
    analyse,
    fold,
    key,
    query_word,
    query_words,
    term,
    words,
)


@pytest.mark.parametrize(("raw", "folded"), [
    ("Café", "cafe"), ("MÜLLER", "muller"), ("Ærlig", "ærlig"), ("Sør", "sør"), ("Ålesund", "ålesund"),
    ("aerlig", "ærlig"), ("Soer", "sør"), ("Aalesund", "ålesund"), ("Oest", "øst"), ("Blåbær", "blåbær"),
    ("Växjö", "væxjø"), ("ﬁle", "file"), ("１B", "1b"),
])
def test_folding_removes_accents_but_keeps_ae_oe_aa_letters(raw: str, folded: str) -> None:
    """é, ü and full-width forms fold away; æ/ø/å stay; ae/oe/aa and ä/ö spell æ/ø/å."""
    assert fold(raw) == folded


def test_ae_oe_aa_are_not_plain_vowels() -> None:
    """"sør" and "sor" are different words, as are "år" and "ar"."""
    assert term("sør") != term("sor")
    assert term("år") != term("ar")


@pytest.mark.parametrize("forms", [
    ("legemiddelliste", "legemiddellisten", "legemiddellista", "legemiddellister"),
    ("fastlege", "fastleger", "fastlegen", "fastlegane", "fastlegar"),
    ("gravid", "gravide"),
    ("kommune", "kommunen", "kommuner", "kommunene"),
    ("løsning", "løsningen", "løsninger", "løsningene"),
])
def test_inflected_bokmal_forms_share_a_term(forms: tuple[str, ...]) -> None:
    """Snowball's Norwegian stemmer maps the inflections of a noun to one term."""
    assert len({term(form) for form in forms}) == 1


def test_derivational_step_does_not_cut_compound_heads() -> None:
    """Snowball alone stems "fastlege" to "fast" and "digihelse" to "digih"; we keep the head."""
    assert term("fastlege") == "fastleg"
    assert term("digihelse") == "digihels"
    assert term("fastlege") != term("fast")


def test_english_literals_use_the_english_stemmer() -> None:
    assert term("technologies", "en") == term("technology", "en")
    assert query_word("technologies").terms[-1] == term("technology", "en")


def test_codes_and_numbers_are_never_stemmed() -> None:
    assert term("1B") == "1b"
    assert term("994598759") == "994598759"
    assert query_word("2B").terms == ("2b",)


def test_a_query_word_is_looked_up_under_both_stems() -> None:
    word = query_word("Medication")
    assert word.terms == (term("medication"), term("medication", "en"))


def test_key_is_the_whole_text_as_terms() -> None:
    assert key("Norsk  Helsenett!") == key("norsk helsenett") == "norsk helsenett"


@given(st.text(max_size=200))
def test_every_word_gives_exactly_one_searchable_term(text: str) -> None:
    """One term per word, never empty, no spaces or ASCII punctuation (the snippet mapping and
    FTS5's ``ascii`` tokenizer rely on it)."""
    found = [m.group() for m in words(text)]
    terms = analyse(text)
    assert len(terms) == len(found)
    for t in terms:
        assert t and " " not in t
        assert all(ch.isalnum() or ord(ch) > 127 for ch in t)


def test_query_words_are_capped_after_folding() -> None:
    """Issue 16, finding 2: U+FDFA is one character and folds (NFKC) to 15 letters, so 500 of
    them are a 7,500-letter word; the caps apply to the folded length, per word and in all."""
    assert len(fold("\ufdfa")) > 10
    with pytest.raises(BadRequest, match=f"at most {MAX_WORD} are searched"):
        query_words("\ufdfa" * 500)
    with pytest.raises(BadRequest, match=f"more than {MAX_FOLDED} letters"):
        query_words(" ".join(["\ufdfa" * 4] * 30))
    assert [w.folded for w in query_words("Helse Sør-Øst")] == ["helse", "sør", "øst"]
