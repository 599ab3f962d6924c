"""Abbreviations defined in the data's own text (issue 5: "abbreviations mapped to what they
stand for from the data … not a list in code"); Schwartz & Hearst, PSB 2003."""

from __future__ import annotations

import pytest

from veikart_graph.search.abbreviations import definitions


@pytest.mark.parametrize(("text", "expected"), [
    ("Helsepersonell skal ha tilgang til pasientens legemiddelliste (PLL)",
     [("PLL", "pasientens legemiddelliste")]),
    ("Helse- og omsorgsdepartementet (HOD) eier", [("HOD", "Helse- og omsorgsdepartementet")]),
    ("Direktoratet for e-helse (DfE) og Norsk helsenett (NHN)",
     [("DfE", "Direktoratet for e-helse"), ("NHN", "Norsk helsenett")]),
])
def test_long_form_is_found_before_the_parenthesis(text: str, expected: list[tuple[str, str]]) -> None:
    assert list(definitions(text)) == expected


@pytest.mark.parametrize("text", [
    "the central prescribing module (SFM) is immature",  # a Norwegian abbreviation in English text
    "white paper Meld. St. 29 (2012-2013)",
    "Spredning av digital hjemmeoppfølging (status 31.12.2024)",
    "record systems (EPJ) vendors",
    "Helsenorge (nasjonal)",
])
def test_no_definition_without_matching_letters(text: str) -> None:
    assert list(definitions(text)) == []


def test_real_data_maps_pll_to_the_medication_list(index) -> None:
    """The data's "pasientens legemiddelliste (PLL)" makes PLL find the phrase."""
    phrases = {row[0] for row in index.connection().execute(
        "SELECT phrase FROM synonyms WHERE term = 'pll'")}
    assert "pasient legemiddellist" in phrases
