"""The roadmap views over HTTP (``veikart_graph.web.views``): what a visitor sees on each page,
language switching, the generated phase stylesheet and the 400/404 answers to bad URLs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.roadmap_sample import load_sample
from tests.test_views_data import INDEPENDENT_COUNTS, independent_counts
from veikart_graph.settings import Settings

HTML = {"Accept": "text/html"}
PAGES = [
    "/", "/veikart/mal/1", "/veikart/delmal/1b", "/veikart/eiere", "/veikart/eier/helsedirektoratet",
    "/veikart/brukergrupper", "/veikart/brukergruppe/kommuner-og-fylkeskommuner", "/veikart/faser",
    "/veikart/fase/konsept", "/veikart/tidslinje", "/veikart/indikatorer",
    "/veikart/indikator/digital-kontakt-helsetjenesten",
]


class Page(HTMLParser):
    """Just enough of a page to test: text, links, lang attributes, inline styles and scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text_parts: list[str] = []
        self.links: list[str] = []
        self.langs: list[tuple[str, str]] = []   # (lang, text that follows)
        self.inline_styles = 0
        self.inline_scripts = 0
        self.headings: list[int] = []
        self.html_lang: str | None = None
        self._pending_lang: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "style" in attrs:
            self.inline_styles += 1
        if tag == "script" and attrs.get("type") != "application/ld+json":
            self.inline_scripts += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "lang" in attrs and tag != "html":
            self._pending_lang.append(attrs["lang"])

    def handle_data(self, data):
        if data.strip():
            self.text_parts.append(data.strip())
            while self._pending_lang:
                self.langs.append((self._pending_lang.pop(0), data.strip()))

    @property
    def text(self) -> str:
        return " ".join(self.text_parts)


def get_page(client, url: str, **headers) -> Page:
    response = client.get(url, headers={**HTML, **headers})
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


@pytest.fixture(scope="module")
def sample_client():
    """A client for the app on the made-up sample (bars, phases and charts the data lacks)."""
    from veikart_graph.web import create_app

    root = Path(__file__).resolve().parents[2]
    app = create_app(Settings(root=root), graph=load_sample())
    app.config.update(TESTING=True)
    return app.test_client()


# ------------------------------------------------------------------------------------ every page

@pytest.mark.parametrize("url", PAGES)
def test_every_view_is_html_in_bokmal_with_headings_in_order(client, url):
    """WCAG 2.1 SC 3.1.1 (language of page) and 1.3.1 (one h1, no skipped heading levels)."""
    page = get_page(client, url)
    assert page.html_lang == "nb"
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), page.headings


@pytest.mark.parametrize("url", PAGES)
def test_no_view_has_inline_styles_or_scripts(client, url):
    """The CSP (web/headers.py) forbids inline styles and scripts; nothing may rely on them."""
    response = client.get(url, headers=HTML)
    page = Page(response.get_data(as_text=True))
    assert page.inline_styles == 0 and page.inline_scripts == 0
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", PAGES)
def test_every_view_has_a_skip_link_nav_and_search(client, url):
    page = get_page(client, url)
    assert page.links[0] == "#main"
    assert "Søk i veikartet" in page.text
    assert "/veikart/tidslinje?lang=nb" in page.links


# ------------------------------------------------------------------------------------ facts shown

def test_home_shows_strategy_vision_goals_and_entry_points(client):
    page = get_page(client, "/")
    assert "Nasjonal e-helsestrategi for helse- og omsorgssektoren" in page.text
    assert "Sammen om helhetlige, trygge og nyskapende tjenester som fremmer helse og mestring" in page.text
    for n in range(1, 6):
        assert f"/veikart/mal/{n}?lang=nb" in page.links
    for target in ("/search?lang=nb", "/query?lang=nb", "/dataset?lang=nb", "/veikart/eiere?lang=nb",
                   "/veikart/brukergrupper?lang=nb", "/veikart/faser?lang=nb", "/veikart/indikatorer?lang=nb"):
        assert target in page.links


def test_home_counts_equal_an_independent_query(client, graph):
    """The counts per goal on the page equal counts from property-path queries."""
    html = client.get("/", headers=HTML).get_data(as_text=True)
    cards = re.findall(r'href="/veikart/mal/(\d)\?lang=nb".*?<dl class="counts">(.*?)</dl>', html, re.S)
    assert [n for n, _ in cards] == ["1", "2", "3", "4", "5"]
    expected = independent_counts(graph)
    for number, block in cards:
        shown = [int(v) for v in re.findall(r"<dd>(\d+)</dd>", block)]
        iri = f"https://w3id.org/veikart/id/mal/{number}"
        assert shown == [expected.get((iri, name), 0) for name in INDEPENDENT_COUNTS], number


def test_goal_1_page_lists_its_sub_goals_with_exact_titles(client):
    """The 2026-08 codes and titles, as the delivery list gives them."""
    page = get_page(client, "/veikart/mal/1")
    for notation, title in [
        ("1A", "Innbygger skal ha mulighet for å administrere behandlingsforløp, digital dialog og "
               "innsynstjenester gjennom Helsenorge"),
        ("1B", "Innbyggere skal ha tilgang på velferdsteknologi og digital hjemmeoppfølging"),
        ("1C", "Innbygger skal ha tilbud om relevante digitale selvhjelp-,læring- og mestringsressurser"),
        ("1F", "Gravide skal ha tilgang på digitalt helsekort for gravide"),
    ]:
        assert f"{notation}: {title}" in page.text
    assert "/veikart/delmal/1b?lang=nb" in page.links
    assert "Fase ikke oppgitt" in page.text
    assert "tittel ikke funnet" not in page.text


def test_english_paraphrase_on_a_bokmal_page_is_marked_english(client):
    """WCAG 2.1 SC 3.1.2 (language of parts)."""
    page = get_page(client, "/veikart/eier/norsk-helsenett")
    english = [text for lang, text in page.langs if lang == "en"]
    assert any(text.startswith("Norsk helsenett AS was set up by the four regional health authorities")
               for text in english)


def test_norwegian_source_text_on_an_english_page_is_not_called_a_paraphrase(client):
    """The goal statement is the strategy's own text (2024 revision), marked nb, never 'paraphrased'."""
    page = get_page(client, "/veikart/mal/1?lang=en")
    assert "the source's own Norwegian text" in page.text.replace("&#39;", "'")
    assert "paraphrases the source in English" not in page.text
    norwegian = [text for lang, text in page.langs if lang == "nb"]
    assert any(text.startswith("Digitale helse- og omsorgstjenester skal tilrettelegge") for text in norwegian)


def test_bokmal_names_on_an_english_page_are_marked_bokmal(client):
    page = get_page(client, "/veikart/mal/1?lang=en")
    assert page.html_lang == "en"
    assert ("nb", "Aktiv medvirkning i egen og næres helse") in page.langs


def test_helsedirektoratet_owner_page_lists_welfare_technology(client):
    page = get_page(client, "/veikart/eier/helsedirektoratet")
    assert "Velferdsteknologi og digital hjemmeoppfølging" in page.text
    assert "Program pasientens legemiddelliste" in page.text
    assert "983544622" in page.text


def test_owners_table_links_each_owner_to_its_view(client):
    page = get_page(client, "/veikart/eiere")
    assert "/veikart/eier/helsedirektoratet?lang=nb" in page.links
    assert "/veikart/eier/helse-og-omsorgsdepartementet?lang=nb" in page.links


def test_municipal_user_group_lists_digital_citizen_services_by_year(client):
    page = get_page(client, "/veikart/brukergruppe/kommuner-og-fylkeskommuner")
    assert "Digitale innbyggertjenester i kommunal helse- og omsorgstjeneste" in page.text
    text = page.text
    assert text.index("2026") < text.index("Digitale innbyggertjenester i kommunal helse- og omsorgstjeneste")
    assert "Uten tidsangivelse" in text


def test_entity_names_link_to_their_entity_pages(client):
    page = get_page(client, "/veikart/delmal/1b")
    assert "/id/aktivitet/velferdsteknologi-dho" in page.links
    assert "/id/delmal/1b?lang=nb" in page.links


def test_timeline_shows_dated_items_legend_and_undated_list(client):
    page = get_page(client, "/veikart/tidslinje")
    assert "Tegnforklaring" in page.text and "Fase ikke oppgitt" in page.text
    assert "Fase 1: Konsept" in page.text
    assert "Uten tidsangivelse" in page.text
    assert "Digitalt helsekort for gravide" in page.text
    assert "Milepæl 2025-06" in page.text   # the text alternative of the mark in the 2025 cell


def test_timeline_filter_by_owner_keeps_only_that_owners_items(client):
    page = get_page(client, "/veikart/tidslinje?eier=ks")
    older = page.text.split("Aktiviteter og tiltak fra tidligere kilder", 1)[1]
    assert "Felles kommunal journal" in older
    assert "Digitalt helsekort for gravide" not in older
    assert "Viser 0 av 263 leveranser" in page.text  # deliveries have no owner in the data
    assert "Fjern filtre" in page.text


def test_timeline_with_empty_filters_is_unfiltered(client):
    page = get_page(client, "/veikart/tidslinje?mal=&eier=&brukergruppe=&lang=nb")
    assert "Viser" in page.text and "Fjern filtre" not in page.text


def test_timeline_bars_carry_the_phase_class_and_a_text_label(sample_client):
    """Colour is never the only signal (WCAG 2.1 SC 1.4.1): phase text in its own column."""
    html = sample_client.get("/veikart/tidslinje?lang=en", headers=HTML).get_data(as_text=True)
    assert html.count('class="cell bar phase-innforing') == 3
    assert html.count('class="cell bar phase-konsept') == 1
    assert "4: Introduction" in html and "1: Concept" in html


def test_indicator_page_draws_a_described_chart_and_a_table(sample_client):
    html = sample_client.get("/veikart/indikator/andel?lang=en", headers=HTML).get_data(as_text=True)
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="chart-title chart-desc"', html)
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', html).group(1)
    assert "2022: &gt; 37.5 %" in desc and "2030: 80 %" in desc and "2020: 20 %" in desc
    assert "<caption" in html and "year not stated" in html
    assert "5,000,000" in html


def test_indicator_page_in_bokmal_writes_numbers_the_norwegian_way(sample_client):
    html = sample_client.get("/veikart/indikator/andel?lang=nb", headers=HTML).get_data(as_text=True)
    assert "37,5" in html and "5\u00a0000\u00a0000" in html


def test_real_indicator_page_shows_its_values_and_goal(client):
    page = get_page(client, "/veikart/indikator/digital-kontakt-helsetjenesten")
    assert "1: Aktiv medvirkning i egen og næres helse" in page.text
    for value in ("33", "47", "46", "54", "57"):
        assert value in page.text
    assert "Relatert måling (ikke en offisiell indikator)" in page.text


def test_phase_stylesheet_is_css_from_the_data(client):
    response = client.get("/static-gen/phases.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    body = response.get_data(as_text=True)
    assert ".phase-konsept { background-color: #440154; color: #ffffff;" in body
    again = client.get("/static-gen/phases.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


# ------------------------------------------------------------------------------------ language

def test_lang_en_switches_the_ui_strings(client):
    nb, en = get_page(client, "/veikart/mal/1"), get_page(client, "/veikart/mal/1?lang=en")
    assert "Delmål" in nb.text and "Tiltak i nasjonal e-helseportefølje som støtter målet" in nb.text
    assert "Sub-goals" in en.text and "Measures of the national e-health portfolio supporting the goal" in en.text
    assert "/veikart/delmal/1b?lang=en" in en.links


def test_accept_language_english_gives_english(client):
    page = get_page(client, "/veikart/tidslinje", **{"Accept-Language": "en-GB,en;q=0.9"})
    assert page.html_lang == "en" and "Legend" in page.text


def test_language_switch_keeps_the_filters(client):
    page = get_page(client, "/veikart/tidslinje?eier=ks&lang=nb")
    assert "/veikart/tidslinje?eier=ks&lang=en" in page.links


# ------------------------------------------------------------------------------------ bad URLs

@pytest.mark.parametrize(("url", "status", "message"), [
    ("/veikart/mal/9", 404, "Fant ikke mål «9»."),
    ("/veikart/delmal/1z", 404, "Fant ikke delmål «1z»."),
    ("/veikart/eier/finnes-ikke", 404, "Fant ikke organisasjonen «finnes-ikke»."),
    ("/veikart/eier/nuit", 404, "Fant ikke organisasjonen «nuit»."),
    ("/veikart/brukergruppe/pasienter", 404, "Fant ikke brukergruppen «pasienter»."),
    ("/veikart/fase/gjennomforing", 404, "Fant ikke fasen «gjennomforing»."),
    ("/veikart/indikator/x", 404, "Fant ikke indikatoren «x»."),
    ("/veikart/mal/1A", 400, "«1A» er ikke en gyldig nøkkel"),
    ("/veikart/mal/1?lang=de", 400, "Ugyldig språk «de»"),
    ("/?lang=xx", 400, "Ugyldig språk «xx»"),
    ("/veikart/tidslinje?maal=1", 400, "Ukjent parameter: maal"),
    ("/veikart/tidslinje?mal=9", 400, "Filteret mal=9 finnes ikke"),
    ("/veikart/tidslinje?eier=NUIT", 400, "Filteret eier=NUIT finnes ikke"),
    ("/veikart/tidslinje?mal=1&mal=2", 400, "«mal» kan bare ha én verdi"),
])
def test_bad_urls_get_a_status_and_a_message(client, url, status, message):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert message in response.get_json()["error"]


def test_error_message_follows_the_language(client):
    response = client.get("/veikart/mal/9?lang=en", headers={"Accept": "application/json"})
    assert response.get_json()["error"] == "No goal \u201c9\u201d."


def test_error_page_is_html_for_browsers(client):
    response = client.get("/veikart/tidslinje?mal=9", headers=HTML)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Filteret mal=9 finnes ikke" in response.get_data(as_text=True)


def test_links_go_to_the_view_or_entity_page_and_keep_the_language(app):
    from veikart_graph import views_data as vd
    from veikart_graph.web.views import view_href

    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        link = lambda iri: view_href(vd.Ref(iri, vd.Text("x")))  # noqa: E731
        assert link("https://w3id.org/veikart/id/mal/1") == "/veikart/mal/1?lang=en"
        assert link("https://w3id.org/veikart/id/organisasjon/ks") == "/veikart/eier/ks?lang=en"
        assert link("https://w3id.org/veikart/id/aktivitet/e-multidose") == "/id/aktivitet/e-multidose?lang=en"
        assert link("http://qudt.org/vocab/unit/PERCENT") == "http://qudt.org/vocab/unit/PERCENT"


# ------------------------------------------------------------------------------------ deliveries (issue 12)

SEGMENT = re.compile(r'<span class="seg ([^"]*)">')
LINE = re.compile(r'<li class="tl-row" id="l-(\d+)">(.*?)</div>\s*</li>', re.S)  # label and track of one line


def test_timeline_draws_the_dated_segments_of_all_263_deliveries(client, graph):
    html = client.get("/veikart/tidslinje?lang=nb", headers=HTML).get_data(as_text=True)
    ids = re.findall(r'href="/id/leveranse/(\d+)\?lang=nb" class="id-link"', html)
    assert len(ids) == len(set(ids)) == 263
    dated = graph.select("SELECT (COUNT(?d) AS ?n) { ?d a vk:Delivery ; vk:startDate ?s }")
    assert len(SEGMENT.findall(html)) == int(dated[0]["n"].value)  # a row without start is listed, not drawn
    assert "Viser 263 av 263 leveranser på 257 linjer." in html


def test_tentative_segments_are_dashed_and_named_not_only_coloured(client):
    """WCAG 2.1 SC 1.4.1 (use of colour): the status is a border style, a pattern and a word."""
    html = client.get("/veikart/tidslinje?status=tentativ&lang=en", headers=HTML).get_data(as_text=True)
    lines = LINE.findall(html)
    assert lines
    for key, body in lines:
        classes = SEGMENT.findall(body)
        assert classes or "no start date given" in body, key
        assert all("tentative" in c.split() for c in classes), key
        assert body.count('<strong class="tentative-word">Tentative</strong>') == body.count('class="id-link"'), key
    css = Path(__file__).resolve().parents[2] / "src/veikart_graph/web/static/style.css"
    assert re.search(r"\.seg\.tentative[^{]*\{ border-style: dashed;", css.read_text(encoding="utf-8"))


def test_timeline_filter_form_narrows_by_sub_goal_phase_and_status_as_sparql_does(client, graph):
    html = client.get("/veikart/tidslinje?delmal=2b&fase=innforing&status=planlagt&lang=nb",
                      headers=HTML).get_data(as_text=True)
    for selected in ('value="2b" selected', 'value="innforing" selected', 'value="planlagt" selected'):
        assert selected in html
    ids = set(re.findall(r'href="/id/leveranse/(\d+)\?lang=nb" class="id-link"', html))
    rows = graph.select("SELECT ?id { ?d a vk:Delivery ; dct:identifier ?id ; vk:contributesTo "
                        "<https://w3id.org/veikart/id/delmal/2b> ; "
                        "vk:phase <https://w3id.org/veikart/id/fase/innforing> ; "
                        "vk:planningStatus <https://w3id.org/veikart/id/planleggingsstatus/planlagt> }")
    assert ids == {r["id"].value for r in rows} and 0 < len(ids) < 263
    assert f"Viser {len(ids)} av 263 leveranser" in html and "Fjern filtre" in html


@pytest.mark.parametrize("query", ["gruppe=finnes-ikke", "status=kanskje", "fase=x y", "gruppe=a&gruppe=b"])
def test_timeline_rejects_unknown_filter_values_with_400(client, query):
    response = client.get(f"/veikart/tidslinje?{query}", headers=HTML)
    assert response.status_code == 400


def test_segment_without_end_says_so_and_end_before_start_shows_its_note(client):
    html = client.get("/veikart/tidslinje?gruppe=sentral-forskrivningsmodul-sfm-til-ovrige-brukergrupper-f-eks-"
                      "helsestasjoner-og-tannleger&lang=en", headers=HTML).get_data(as_text=True)
    line = dict(LINE.findall(html))["56876000019902390"]  # "Innføring": start 01.01.2027, end 01.11.2025
    assert "· 2027-01-01\n– 2025-11-01" in line
    assert "Note: The end date (01.11.2025) is before the start date (01.01.2027)" in line
    assert SEGMENT.findall(line) == ["open gs-85 ge-91 phase-innforing noted"]  # a start marker, not backwards
    opened = dict(LINE.findall(client.get("/veikart/tidslinje?lang=en", headers=HTML).get_data(as_text=True)))
    assert '<span class="none">no end date given</span>' in opened["56876000020107084"]


def test_goal_page_lists_groups_and_deliveries_with_counts(client, graph):
    page = get_page(client, "/veikart/mal/3")
    expected = graph.select("SELECT (COUNT(DISTINCT ?g) AS ?groups) (COUNT(DISTINCT ?d) AS ?deliveries) "
                            "{ ?d a vk:Delivery ; vk:activityGroup ?g . ?g vk:contributesTo/vk:subGoalOf "
                            "<https://w3id.org/veikart/id/mal/3> }")[0]
    assert (f"3 delmål, {expected['groups'].value} grupperinger, {expected['deliveries'].value} leveranser"
            in page.text)
    ids = set(re.findall(r"/id/leveranse/(\d+)\?lang=nb", "\n".join(page.links)))
    assert len(ids) == int(expected["deliveries"].value)


def test_home_shows_totals_counted_in_the_graph(client):
    html = client.get("/?lang=en", headers=HTML).get_data(as_text=True)
    block = html.split('class="totals"')[1].split("</dl>")[0]
    totals = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>([\d\u00a0,]+)</dd></div>", block))
    assert (totals["Deliveries"], totals["Activity groups"], totals["Sub-goals"], totals["Goals"]) == (
        "263", "54", "20", "5")


def test_search_finds_a_delivery_by_its_id_and_by_a_word_of_its_description(client):
    by_id = client.get("/search.json?q=56876000020107079").get_json()
    assert [r["iri"] for r in by_id["results"]][:1] == ["https://w3id.org/veikart/id/leveranse/56876000020107079"]
    by_word = client.get("/search.json?q=interoperatible").get_json()
    assert "https://w3id.org/veikart/id/leveranse/56876000020107084" in [r["iri"] for r in by_word["results"]]
