"""Abbreviations the data defines in its own text: "pasientens legemiddelliste (PLL)".

A short form is a single word of 2-10 characters with at least two capitals, in parentheses
right after the words it stands for. Which of those words are the long form is decided by
the Schwartz-Hearst algorithm (PSB 2003): match the short form's characters from the right,
the first one at the start of a word, so "Helsepersonell skal ha tilgang til pasientens
legemiddelliste (PLL)" gives "pasientens legemiddelliste", and "central prescribing module
(SFM)" (a Norwegian abbreviation) gives nothing. Together with ``skos:altLabel`` and
``skos:notation`` these become the index's synonyms; nothing is listed in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

CANDIDATE = re.compile(r"([^()\n;:.!?]+?)\s*\(([^\s()]{2,10})\)")


def is_short_form(text: str) -> bool:
    return (text[0].isalnum() and sum(ch.isupper() for ch in text) >= 2
            and any(ch.isalpha() for ch in text))


def long_form(short: str, before: str) -> str | None:
    """The Schwartz-Hearst long form of ``short`` at the end of ``before``, if any."""
    words = before.split()
    before = " ".join(words[-min(len(short) + 5, len(short) * 2):])
    s_index, l_index = len(short) - 1, len(before) - 1
    while s_index >= 0:
        ch = short[s_index].lower()
        if not ch.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (before[l_index].lower() != ch or
                                (s_index == 0 and l_index > 0 and before[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = before.rfind(" ", 0, l_index + 1) + 1
    found = before[start:]
    if len(found) <= len(short) or short.lower() in found.lower().split():
        return None
    return found


def definitions(text: str) -> Iterator[tuple[str, str]]:
    """(short form, long form) pairs defined in ``text``."""
    for match in CANDIDATE.finditer(text):
        before, short = match.groups()
        if is_short_form(short):
            found = long_form(short, before)
            if found:
                yield short, found


def collect(texts: Iterable[str]) -> set[tuple[str, str]]:
    return {pair for text in texts for pair in definitions(text)}
