"""Snippets (issue 5: "a snippet with the match highlighted (FTS5 snippet(), HTML-escaped
safely — build the <mark> markup after escaping)")."""

from __future__ import annotations

from veikart_graph.search.analysis import analyse
from veikart_graph.search.facets import SearchRequest
from veikart_graph.search.snippets import highlight, lead

ORIGINAL = "Roll-out of <b>e-multidose</b> to GP offices; part of the path to the patient's medication list (PLL)."
ANALYSED = " ".join(analyse(ORIGINAL, "en"))


def test_marks_land_on_the_original_words() -> None:
    snippet = "path to the \x01patient\x02 s \x01medic list\x02 pll"
    assert highlight(snippet, ANALYSED, ORIGINAL) == (
        "… path to the <mark>patient</mark>&#x27;s <mark>medication</mark> <mark>list</mark> (PLL).")


def test_markup_in_the_data_is_escaped_before_marks_are_added() -> None:
    html = highlight("\x01roll\x02 out of b e", ANALYSED, ORIGINAL)
    assert html == "<mark>Roll</mark>-out of &lt;b&gt;e …"


def test_no_marker_means_no_snippet() -> None:
    assert highlight("roll out of", ANALYSED, ORIGINAL) is None


def test_lead_is_escaped_and_shortened() -> None:
    assert lead(ORIGINAL, 5) == "Roll-out of &lt;b&gt;e …"
    assert lead("a\nb") == "a · b"


def test_search_snippet_of_hostile_description_is_safe(tiny) -> None:
    """A description with <script> is shown as text, with the match marked."""
    hit = tiny.search(SearchRequest(q="kjernejournal")).hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>kjernejournalen</mark>" in hit.snippet


def test_snippet_prefers_the_description(index) -> None:
    hit = index.search(SearchRequest(q="Digihelse")).hits[0]
    assert hit.snippet.startswith("<mark>Digihelse</mark> lets users")


def test_matched_words_of_the_label_are_marked(index) -> None:
    hit = index.search(SearchRequest(q="legemiddellista", limit=1)).hits[0]
    assert hit.label_html == "Program pasientens <mark>legemiddelliste</mark>"


def test_a_notation_does_not_light_up_the_whole_title(index) -> None:
    hit = index.search(SearchRequest(q="1B", limit=1)).hits[0]
    assert hit.doc.notation == "1B" and "<mark>" not in hit.label_html


def test_label_in_the_requested_language(index) -> None:
    hit = index.search(SearchRequest(q="general practitioners", limit=1, lang="en")).hits[0]
    assert hit.label_html == "<mark>General</mark> <mark>practitioners</mark>"
