"""Norwegian-aware text analysis: one analysed term per word, the same at index and query time.

A *word* is a run of Unicode letters and digits. Its *term* is:

1. case-folded and NFKC-normalised;
2. diacritics removed (``é`` → ``e``, ``ü`` → ``u``) except that ``æ``, ``ø`` and ``å`` stay
   letters of their own; ``ä``/``ö`` count as ``æ``/``ø``, and the spellings ``ae``/``oe``/``aa``
   as ``æ``/``ø``/``å`` (so "Helse Soer-Oest" finds "Helse Sør-Øst");
3. stemmed with Snowball (PyStemmer): Norwegian for bokmål/untagged text, English for ``@en``
   text. Snowball's Norwegian derivational step (-leg, -lig, -els, -lov) is undone, because on
   compounds it cuts into the head word ("fastlege" → "fast", "digihelse" → "digih").

Words with digits ("1B", "994598759", "2023") are folded but never stemmed. A query word is
looked up under both its Norwegian and its English stem, since a query has no language tag.

Every word gives exactly one term, so the analysed text of a field has as many tokens as its
original text has words; ``snippets`` relies on that to put highlights back on the original.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import Stemmer

from ..errors import BadRequest

WORD = re.compile(r"[^\W_]+")
KEEP = frozenset("æøå")
LETTERS = {"ä": "æ", "ö": "ø"}
DIGRAPHS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))
# Snowball Norwegian step 3, longest first; undone by ``stem_nb``.
PLACEHOLDER = "\u00b7"  # the term of a word that folds to nothing: a token no query can type
DERIVATIONAL = ("hetslov", "eleg", "elig", "elov", "slov", "leg", "eig", "lig", "els", "lov", "ig")

# Caps on a query after folding: NFKC turns one character into up to 18 (U+FDFA), so the 500
# characters of ``q`` can fold to a 9,000-letter word, and typo correction on it grew without
# bound (issue 16, finding 2). No vocabulary word is near these lengths.
MAX_WORD = 64  # letters of one query word after folding
MAX_FOLDED = 1000  # letters of all query words after folding

_local = threading.local()  # PyStemmer objects are not thread-safe: one per thread


def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(language)
    return stemmers[language]


def _fold_char(ch: str) -> str:
    if ch in KEEP:
        return ch
    if ch in LETTERS:
        return LETTERS[ch]
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


def fold(word: str) -> str:
    """Case, width and diacritic folding that keeps æ/ø/å; never empty for a non-empty word."""
    text = unicodedata.normalize("NFKC", word).casefold()
    folded = "".join(_fold_char(ch) for ch in text)
    for digraph, letter in DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return "".join(ch for ch in folded if ch.isalnum()) or PLACEHOLDER


def stem_nb(word: str) -> str:
    """Snowball Norwegian without its derivational step (see the module docstring)."""
    stem = _stemmer("norwegian").stemWord(word)
    rest = word[len(stem):] if word.startswith(stem) else ""
    for suffix in DERIVATIONAL:
        if rest.startswith(suffix):
            return stem + suffix
    return stem


def stem_en(word: str) -> str:
    return _stemmer("english").stemWord(word)


def term(word: str, lang: str = "nb") -> str:
    """The analysed term of one word in a literal tagged ``lang`` ("" for untagged)."""
    folded = fold(word)
    if any(ch.isdigit() for ch in folded):
        return folded
    return stem_en(folded) if lang.lower().startswith("en") else stem_nb(folded)


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of ``text`` with their positions (``text`` must be NFC, as RDF literals are)."""
    return WORD.finditer(text)


def analyse(text: str, lang: str = "nb") -> list[str]:
    """The terms of ``text``, one per word."""
    return [term(m.group(), lang) for m in words(text)]


@dataclass(frozen=True)
class QueryWord:
    """A word typed by a user: its folded form and the terms it is looked up under."""

    surface: str
    folded: str
    terms: tuple[str, ...]

    @property
    def has_digit(self) -> bool:
        return any(ch.isdigit() for ch in self.folded)


def query_word(surface: str) -> QueryWord:
    folded = fold(surface)
    if len(folded) > MAX_WORD:
        raise BadRequest(f"the word {surface[:20]!r}… is {len(folded)} letters long once folded "
                         f"(Unicode NFKC); at most {MAX_WORD} are searched", where="q")
    if any(ch.isdigit() for ch in folded):
        return QueryWord(surface, folded, (folded,))
    variants = dict.fromkeys((stem_nb(folded), stem_en(folded)))
    return QueryWord(surface, folded, tuple(variants))


def query_words(text: str) -> list[QueryWord]:
    """The words of a query; ``BadRequest`` when one word or all of them fold too long."""
    found, letters = [], 0
    for match in words(unicodedata.normalize("NFC", text)):
        found.append(query_word(match.group()))
        letters += len(found[-1].folded)
        if letters > MAX_FOLDED:
            raise BadRequest(f"the query is more than {MAX_FOLDED} letters long once folded "
                             "(Unicode NFKC)", where="q")
    return found


def key(text: str, lang: str = "nb") -> str:
    """A whole label or code as one comparable string: its terms joined by spaces."""
    return " ".join(analyse(unicodedata.normalize("NFC", text), lang))
