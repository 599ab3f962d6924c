"""Highlighted snippets: FTS5 ``snippet()`` chooses the passage and the matched terms; this
module puts them back onto the original text and escapes it.

FTS5 sees only analysed terms ("pasient legemiddellist"), so its snippet cannot be shown as
is. But each analysed column has exactly one term per word of the original (``analysis``), so
the snippet's first term tells which word the passage starts at, and its markers tell which
words matched. The HTML is built from escaped pieces of the original text; ``<mark>`` is added
only after escaping, so nothing in the data can inject markup.
"""

from __future__ import annotations

from html import escape

from . import analysis

START, END = "\x01", "\x02"  # markers given to snippet(); they never occur in analysed text
ELLIPSIS = "…"
SEPARATOR = " · "  # shown between two literals of a field (stored as a line break)
LEAD_WORDS = 28


def _marked_terms(snippet: str) -> list[bool]:
    """For each term of a snippet, whether it lies (partly) inside a marker pair."""
    flags: list[bool] = []
    inside = in_term = term_marked = False
    for ch in snippet + " ":
        if ch == START:
            inside = True
            term_marked = term_marked or in_term
        elif ch == END:
            inside = False
        elif ch == " ":
            if in_term:
                flags.append(term_marked)
            in_term = term_marked = False
        else:
            term_marked = term_marked or inside
            in_term = True
    return flags


def _start_term(snippet: str, analysed: str) -> int | None:
    """Index of the term where ``snippet`` (markers removed) starts inside ``analysed``."""
    clean = snippet.replace(START, "").replace(END, "").strip()
    position = analysed.find(clean)
    while position > 0 and analysed[position - 1] != " ":
        position = analysed.find(clean, position + 1)
    if position < 0:
        return None
    return analysed.count(" ", 0, position)


def marked_words(snippet: str, analysed: str) -> set[int]:
    """Indexes (in the whole field) of the words a snippet marks."""
    start = _start_term(snippet, analysed) if START in snippet else None
    if start is None:
        return set()
    return {start + i for i, marked in enumerate(_marked_terms(snippet)) if marked}


def mark_label(snippet: str, analysed: str, original: str, label: str) -> str | None:
    """HTML of ``label`` (one literal of the label field) with its matched words marked."""
    marked = marked_words(snippet, analysed)
    position = original.find(label)
    spans = [m.span() for m in analysis.words(original)]
    if not marked or position < 0 or len(spans) != analysed.count(" ") + 1:
        return None
    end = position + len(label)
    inside = [(i, span) for i, span in enumerate(spans) if position <= span[0] and span[1] <= end]
    if not any(i in marked for i, _ in inside):
        return None
    pieces, cursor = [], position
    for i, (begin, stop) in inside:
        if i in marked:
            pieces += [escape(original[cursor:begin]), "<mark>", escape(original[begin:stop]), "</mark>"]
            cursor = stop
    pieces.append(escape(original[cursor:end]))
    return "".join(pieces)


def highlight(snippet: str, analysed: str, original: str) -> str | None:
    """HTML of the original words behind ``snippet``, matches in ``<mark>``; None if no match."""
    if START not in snippet:
        return None
    flags = _marked_terms(snippet)
    start = _start_term(snippet, analysed)
    spans = [m.span() for m in analysis.words(original)]
    if start is None or not flags or len(spans) != analysed.count(" ") + 1 \
            or start + len(flags) > len(spans):
        return None
    window = spans[start:start + len(flags)]
    end = len(original) if start + len(flags) == len(spans) else window[-1][1]
    pieces = [ELLIPSIS + " "] if start > 0 else []
    cursor = window[0][0]
    for (begin, stop), marked in zip(window, flags, strict=True):
        if marked:
            pieces += [_text(original[cursor:begin]), "<mark>", escape(original[begin:stop]), "</mark>"]
            cursor = stop
    tail = original[cursor:end]
    pieces.append(_text(tail.split("\n", 1)[0].rstrip() if end == len(original) else tail))
    if end < len(original):
        pieces.append(" " + ELLIPSIS)
    return "".join(pieces)


def _text(between: str) -> str:
    """Escaped text between two words; a line break (between two literals) becomes a dot."""
    return SEPARATOR.join(escape(part) for part in between.split("\n")) if "\n" in between else escape(between)


def lead(original: str, words: int = LEAD_WORDS) -> str:
    """The first ``words`` words of ``original``, escaped (the snippet when nothing matched)."""
    spans = [m.span() for m in analysis.words(original)]
    if len(spans) <= words:
        return _text(original.strip())
    return _text(original[:spans[words - 1][1]].strip()) + " " + ELLIPSIS
