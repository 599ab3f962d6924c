"""Writing the search index: documents → one SQLite file with an FTS5 table.

Why SQLite FTS5: it ships with Python (no service, no extra package), is maintained with
SQLite itself, ranks with BM25 (``bm25()`` with per-column weights), highlights with
``snippet()``, and a read-only file is safe to share between processes. FTS5 cannot call a
Python tokenizer, so the Norwegian analysis (``analysis``) runs here: each FTS column holds the
*analysed* terms of a field, one per word, separated by spaces (FTS5's ``ascii`` tokenizer
splits exactly there), and table ``originals`` keeps the original text for display.

Tables:

- ``entries`` (FTS5): ``label alt code body related detail`` plus ``parts``, the compound
  helper: every tail of 4+ letters of the longer terms of label, alt and body ("legemiddellist"
  → "middellist", "list" …), so a word inside a compound is found ("journal" → "kjernejournal");
  it also holds the terms of ``dct:identifier``. It is searched but never shown.
- ``docs``: id (browsing order), IRI, type, labels, notation, goals/sub-goals it belongs to.
- ``keys``: each label, alternative label and code as one analysed string (exact matches first).
- ``facets`` / ``facet_values``: facet values per document, and their labels.
- ``vocab`` / ``deletes``: index terms with a common surface word, and their deletion
  neighbourhood (``typos``).
- ``synonyms``: one-word names (abbreviations such as "NHN", notations such as "1B") → the
  entity's other names as phrases, from ``skos:altLabel``/``skos:notation`` in the data; and
  abbreviations the text defines, "pasientens legemiddelliste (PLL)" (``abbreviations``). A
  notation's phrases match only running text (``scope``).
- ``meta``: snapshot hash, counts, format version.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..snapshot import DATASET_FILE, Snapshot, add_file
from ..store import KnowledgeGraph
from . import INDEX_FILE, abbreviations, analysis, typos
from .documents import COLUMNS, TYPE_ORDER, Document, Names, collect, natural_key, type_key
from .facets import FACETS, value_key

FORMAT_VERSION = "1"
FTS_COLUMNS = (*COLUMNS, "parts")
WEIGHTS = {"label": 10.0, "alt": 8.0, "code": 10.0, "body": 2.0, "related": 1.5, "detail": 0.5,
           "parts": 0.3}
PART_SOURCES = ("label", "alt", "body")
MIN_PART, MIN_COMPOUND = 4, 7
MAX_PHRASE = 12
KIND_CODE, KIND_LABEL = 0, 1
SCOPE_ALL, SCOPE_TEXT = 0, 1  # where a synonym phrase may match: any field, or running text only
# FTS5 prefix indexes for prefix queries of 3-12 letters: ~35 % more disk, 3-5x faster
# snippet() and prefix matching on broad queries (measured on 100k triples).
PREFIXES = "3 4 5 6 7 8 9 10 11 12"

SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE docs(id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, type TEXT NOT NULL,
                  label_nb TEXT, label_en TEXT, notation TEXT, belongs TEXT);
CREATE VIRTUAL TABLE entries USING fts5({", ".join(FTS_COLUMNS)}, tokenize='ascii',
                                 prefix='{PREFIXES}');
CREATE TABLE originals(doc INTEGER, col TEXT, text TEXT, PRIMARY KEY(doc, col)) WITHOUT ROWID;
CREATE TABLE keys(key TEXT, doc INTEGER, kind INTEGER, PRIMARY KEY(key, doc)) WITHOUT ROWID;
CREATE TABLE facets(facet TEXT, value TEXT, doc INTEGER, PRIMARY KEY(facet, value, doc)) WITHOUT ROWID;
CREATE TABLE facet_values(facet TEXT, value TEXT, iri TEXT, notation TEXT, label_nb TEXT,
                          label_en TEXT, position INTEGER, PRIMARY KEY(facet, value)) WITHOUT ROWID;
CREATE TABLE vocab(term TEXT PRIMARY KEY, word TEXT, freq INTEGER) WITHOUT ROWID;
CREATE TABLE deletes(del TEXT, term TEXT, PRIMARY KEY(del, term)) WITHOUT ROWID;
CREATE TABLE synonyms(term TEXT, phrase TEXT, scope INTEGER, PRIMARY KEY(term, phrase, scope)) WITHOUT ROWID;
"""


@dataclass
class Analysed:
    """One document's fields as original text and as analysed terms."""

    originals: dict[str, str] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)


def analyse_document(doc: Document) -> Analysed:
    out = Analysed()
    for column in COLUMNS:
        texts = list(dict.fromkeys(doc.fields.get(column, [])))
        out.originals[column] = "\n".join(text for text, _ in texts)
        out.terms[column], out.words[column] = [], []
        for text, lang in texts:
            found = [m.group() for m in analysis.words(text)]
            out.words[column] += found
            out.terms[column] += [analysis.term(w, lang) for w in found]
    return out


def compound_parts(terms: Iterable[str]) -> list[str]:
    """Tails of 4+ letters of terms of 7+ letters, starting after their second letter."""
    parts: dict[str, None] = {}
    for term in terms:
        if len(term) >= MIN_COMPOUND and not any(ch.isdigit() for ch in term):
            parts.update(dict.fromkeys(term[i:] for i in range(2, len(term) - MIN_PART + 1)))
    return list(parts)


def document_keys(doc: Document) -> set[tuple[str, int]]:
    labels = [*doc.fields.get("label", []), *doc.fields.get("alt", [])]
    keys = {(analysis.key(text, lang), KIND_LABEL) for text, lang in labels}
    keys |= {(analysis.key(code), KIND_CODE) for code in doc.codes}
    return {(k, kind) for k, kind in keys if k}


def _one_term(text: str, lang: str) -> str | None:
    terms = analysis.analyse(text, lang)
    if len(terms) == 1 and len(terms[0]) >= 2 and any(ch.isalpha() for ch in terms[0]):
        return terms[0]
    return None


def document_synonyms(doc: Document) -> set[tuple[str, str, int]]:
    """(term, phrase, scope): a one-word name → the entity's other names (found anywhere); a
    notation with letters ("1B") → its names, found only in running text (the entity itself is
    found by the notation, and its title need not light up as a match)."""
    phrases = {analysis.key(text, lang) for text, lang in doc.names}
    found = set()
    for text, lang in doc.names:
        term = _one_term(text, lang)
        found |= {(term, p, SCOPE_ALL) for p in phrases if term and p != term and len(p.split()) <= MAX_PHRASE}
    notation = _one_term(doc.notation, "") if doc.notation else None
    found |= {(notation, p, SCOPE_TEXT) for p in phrases if notation and p != notation and len(p.split()) <= MAX_PHRASE}
    return found


def defined_synonyms(doc: Document) -> set[tuple[str, str, int]]:
    """Abbreviations defined in the document's own text → their long forms."""
    found = set()
    for column in ("label", "alt", "body", "detail"):
        for text, lang in doc.fields.get(column, []):
            for short, long in abbreviations.definitions(text):
                found.add((analysis.term(short), analysis.key(long, lang), SCOPE_ALL))
    return found


class Writer:
    """Fills a fresh SQLite file; ``close()`` optimises it."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.executescript(SCHEMA)
        self.term_freq: Counter[str] = Counter()
        self.surfaces: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, doc_id: int, doc: Document) -> None:
        data = analyse_document(doc)
        parts = [analysis.term(w) for code in doc.codes for w in analysis.WORD.findall(code)]
        parts += compound_parts(t for c in PART_SOURCES for t in data.terms[c])
        row = [" ".join(data.terms[c]) for c in COLUMNS] + [" ".join(parts)]
        marks = ",".join("?" * (len(FTS_COLUMNS) + 1))
        self.conn.execute(f"INSERT INTO entries(rowid, {', '.join(FTS_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                          [doc_id, *row])
        self.conn.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", (
            doc_id, doc.iri, doc.type, doc.labels.get("nb", ""), doc.labels.get("en", ""),
            doc.notation, json.dumps(doc.belongs_to)))
        self.conn.executemany("INSERT INTO originals VALUES (?, ?, ?)",
                              [(doc_id, c, data.originals[c]) for c in COLUMNS if data.originals[c]])
        self.conn.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)",
                              [(k, doc_id, kind) for k, kind in document_keys(doc)])
        self.conn.executemany("INSERT OR IGNORE INTO synonyms VALUES (?, ?, ?)",
                              document_synonyms(doc) | defined_synonyms(doc))
        self.conn.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?, ?)", [
            (facet, value_key(facet, value), doc_id)
            for facet in FACETS for value in doc.facets.get(facet, ())])
        for column in COLUMNS:
            for term, word in zip(data.terms[column], data.words[column], strict=True):
                self.term_freq[term] += 1
                self.surfaces[term][word.casefold()] += 1

    def add_facet_values(self, docs: list[Document], names: Names) -> None:
        rows = {}
        for doc in docs:
            for facet in FACETS:
                for value in doc.facets.get(facet, ()):
                    rows[(facet, value_key(facet, value))] = _facet_value(facet, value, names)
        ordered = sorted(rows.items(), key=lambda item: (item[0][0], _facet_order(item[0][0], item[1])))
        self.conn.executemany("INSERT INTO facet_values VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (facet, key, *row, position) for position, ((facet, key), row) in enumerate(ordered)])

    def add_vocabulary(self) -> None:
        self.conn.executemany("INSERT INTO vocab VALUES (?, ?, ?)", [
            (term, self.surfaces[term].most_common(1)[0][0], freq)
            for term, freq in self.term_freq.items()])
        self.conn.executemany("INSERT OR IGNORE INTO deletes VALUES (?, ?)", _deletion_rows(self.term_freq))

    def close(self, meta: dict[str, str]) -> None:
        self.conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        self.conn.execute("INSERT INTO entries(entries) VALUES ('optimize')")
        self.conn.commit()
        self.conn.execute("VACUUM")
        self.conn.close()


def _deletion_rows(terms: Iterable[str]) -> Iterator[tuple[str, str]]:
    for term in terms:
        for deleted in typos.index_deletions(term):
            yield deleted, term


def _facet_value(facet: str, value: str, names: Names) -> tuple[str, str, str, str]:
    if facet == "year":
        return "", "", value, value
    if facet == "type" and value not in names.preferred:
        return value, "", type_key(value), type_key(value)
    return (value, names.notations.get(value, ""), names.label(value, "nb"), names.label(value, "en"))


def _facet_order(facet: str, row: tuple[str, str, str, str]) -> tuple:
    iri, notation, label_nb, _ = row
    if facet == "type":
        key = type_key(iri)
        return (TYPE_ORDER.index(key) if key in TYPE_ORDER else len(TYPE_ORDER), key)
    return natural_key(notation), label_nb.casefold()


def write_index(graph: KnowledgeGraph, path: Path, snapshot_hash: str = "") -> int:
    """Write the index of ``graph`` to ``path`` (replaced if present); returns the entity count."""
    docs, names = collect(graph)
    path.unlink(missing_ok=True)
    writer = Writer(path)
    for doc_id, doc in enumerate(docs, 1):
        writer.add(doc_id, doc)
    writer.add_facet_values(docs, names)
    writer.add_vocabulary()
    writer.close({"format": FORMAT_VERSION, "snapshot": snapshot_hash, "documents": str(len(docs))})
    return len(docs)


def index_bytes(graph: KnowledgeGraph, snapshot_hash: str = "") -> bytes:
    """The index as bytes (for ``snapshot.add_file``)."""
    handle, name = tempfile.mkstemp(suffix=".sqlite")
    os.close(handle)
    path = Path(name)
    try:
        write_index(graph, path, snapshot_hash)
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def add_to_snapshot(snapshot: Snapshot) -> Path:
    """Index the snapshot's dataset and add ``search.sqlite`` to it (atomically)."""
    graph = KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)
    return add_file(snapshot, INDEX_FILE, index_bytes(graph, snapshot.manifest.hash))


def ensure_index(folder: Path) -> Path:
    """The index file of the snapshot in ``folder``, written first if that snapshot predates
    the search feature. Safe when several processes race: each writes its own temporary file
    and renames it into place."""
    path = folder / INDEX_FILE
    if path.is_file():
        return path
    graph = KnowledgeGraph.from_snapshot(folder / DATASET_FILE)
    handle, name = tempfile.mkstemp(prefix=".search-", suffix=".part", dir=folder)
    os.close(handle)
    try:
        write_index(graph, Path(name))
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)
    return path
