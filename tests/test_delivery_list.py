"""The delivery list reader (``delivery_list``): every kind of row in the real file, and every
rule a broken row can break (rejected with row, column and message in nb and en, or kept with a
data-quality note).

Rows are taken from the committed list (data/sources/veikartliste-2026-08.csv); broken variants
change one cell of a real row in the text, so the quoting and line breaks stay the real ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from veikart_graph.delivery_list import (
    HEADER,
    ListCodes,
    group_key,
    is_delivery_list,
    parse_date,
    read_list,
    read_rows,
)
from veikart_graph.namespaces import VK
from veikart_graph.sources import load_sources

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "data" / "sources" / "veikartliste-2026-08.csv"
ID = "https://w3id.org/veikart/id/"
PAGE = URIRef("https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi")


def delivery(key: str) -> URIRef:
    return URIRef(f"{ID}leveranse/{key}")


def phase(key: str) -> URIRef:
    return URIRef(f"{ID}fase/{key}")


@pytest.fixture(scope="module")
def codes() -> ListCodes:
    sources = load_sources(ROOT)
    return ListCodes.from_graph(sources.data + sources.ontology)


@pytest.fixture(scope="module")
def real(codes):
    return read_list(LIST, codes, "2026-08", [PAGE])


def variant(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """The real list with ``old`` (which must occur exactly ``count`` times) replaced by ``new``."""
    text = LIST.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times"
    path = tmp_path / "liste.csv"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="")
    return path


def errors_of(path: Path, codes: ListCodes, version: str = "2026-08") -> list[tuple[int, str | None, str, str]]:
    result = read_list(path, codes, version, [PAGE])
    return [(e.row, e.column, e.text("nb"), e.text("en")) for e in result.errors]


# ----------------------------------------------------------------------------- the real file


def test_the_real_list_reads_without_errors(real):
    assert real.errors == [] and real.rows == 263 and len(real.ids) == 263


def test_the_layout_is_recognised_by_its_header(tmp_path):
    assert is_delivery_list(LIST)
    other = tmp_path / "aktiviteter.csv"
    other.write_text("id,tittel_nb,kilde\n", encoding="utf-8")
    assert not is_delivery_list(other)


def test_quoted_cells_keep_their_line_breaks(real):
    """Row 3: a description quoted over two lines, ending in a line break, as published."""
    text = real.graph.value(delivery("56876000020107081"), DCTERMS.description)
    assert text == Literal("Innbygger har i dag mulig å gi andre fullmakt til å som kan hente reseptvarer på "
                           "utvalgte apotek eller hos bandasjist\n", lang="nb")


@pytest.mark.parametrize(("key", "text", "phases"), [
    ("56876000020107079", "Innføring", ["innforing"]),
    ("56876000020107084", "Konsept", ["konsept"]),
    ("56876000020107086", "Utvikling og begrenset utprøving", ["nasjonal-utvikling"]),
    ("56876000020123011", "Tilpasning og utvidet utprøving", ["tilpasning"]),
    ("56876000020123005", "I bruk", ["ny-praksis-i-bruk"]),
    ("56876000020088012", "Konsept - utvikling", ["konsept", "nasjonal-utvikling"]),
    ("56876000019902982", "Utvikling - tilpasning", ["nasjonal-utvikling", "tilpasning"]),
    ("56876000019903282", "Utvikling - tilpasning - innføring", ["nasjonal-utvikling", "tilpasning", "innforing"]),
    ("56876000019903122", "Utvikling - innføring", ["nasjonal-utvikling", "innforing"]),
    ("56876000019902986", "Tilpasning - innføring", ["tilpasning", "innforing"]),
])
def test_every_phase_value_of_the_list_names_its_phases(real, key, text, phases):
    """A single phase names one concept; a span names each phase it lists (not the ones between)."""
    item = delivery(key)
    assert real.graph.value(item, VK.phaseText) == Literal(text, lang="nb")
    assert set(real.graph.objects(item, VK.phase)) == {phase(p) for p in phases}


def test_an_empty_phase_is_kept_with_a_note(real):
    item = delivery("56876000020123087")
    assert (item, VK.phase, None) not in real.graph and (item, VK.phaseText, None) not in real.graph
    assert Literal("Veikartfase er tom i listen.", lang="nb") in set(real.graph.objects(item, VK.dataQualityNote))


def test_dates_are_xsd_dates_and_an_empty_start_is_no_date(real):
    assert real.graph.value(delivery("56876000020107084"), VK.startDate) == Literal("2026-07-01", datatype=XSD.date)
    assert (delivery("56876000020107079"), VK.startDate, None) not in real.graph


def test_end_before_start_is_kept_as_published_with_a_note(real):
    """Row with Startdato 01.01.2026 and Sluttdato 30.06.2025: both kept, the note says so."""
    item = delivery("56876000019902382")
    assert real.graph.value(item, VK.startDate) == Literal("2026-01-01", datatype=XSD.date)
    assert real.graph.value(item, VK.endDate) == Literal("2025-06-30", datatype=XSD.date)
    notes = {str(n) for n in real.graph.objects(item, VK.dataQualityNote)}
    assert "The end date (30.06.2025) is before the start date (01.01.2026) in the list; both are given as " \
           "published." in notes


def test_planning_status_is_a_concept(real):
    status = URIRef(ID + "planleggingsstatus/")
    assert real.graph.value(delivery("56876000020107079"), VK.planningStatus) == status + "planlagt"
    assert real.graph.value(delivery("56876000020107084"), VK.planningStatus) == status + "tentativ"


def test_the_same_name_on_several_rows_gives_several_deliveries(real):
    """Rows 9 and 10: "Reservasjon - sekundærbruk av helsedata", one per phase, each its own id."""
    name = Literal("Reservasjon - sekundærbruk av helsedata", lang="nb")
    assert set(real.graph.subjects(SKOS.prefLabel, name)) == {delivery("56876000020107097"),
                                                              delivery("56876000020107099")}


def test_names_keep_double_and_trailing_spaces(real):
    item = delivery("56876000020107089")
    assert real.graph.value(item, SKOS.prefLabel) == Literal("Tilgangsbegrensning,  nasjonale samhandlingstjenester ",
                                                             lang="nb")
    assert Literal("The name is given exactly as published, with double spaces.", lang="en") in set(
        real.graph.objects(item, VK.dataQualityNote))


def test_an_empty_description_gives_no_description(real):
    assert (delivery("56876000020107097"), DCTERMS.description, None) not in real.graph


def test_groups_are_keyed_by_their_name_and_linked_to_their_sub_goal(real):
    group = URIRef(ID + "gruppe/fullmakt-representasjon-og-tilgangsbegrensning-gjennom-helsenorge")
    assert real.graph.value(delivery("56876000020107079"), VK.activityGroup) == group
    assert real.graph.value(group, VK.contributesTo) == URIRef(ID + "delmal/1a")
    assert group_key("Digitale tjenester til barn og unge (0-16 år)") == "digitale-tjenester-til-barn-og-unge-0-16-ar"
    assert group_key("Økt bruk av æ og å") == "okt-bruk-av-ae-og-a"


def test_row_numbers_count_records_not_lines(real):
    """Row 3 spans two lines of the file; the row after it is still row 4."""
    assert real.graph.value(delivery("56876000020107084"), VK.rowNumber) == Literal(4, datatype=XSD.positiveInteger)


def test_parse_date_accepts_only_real_dd_mm_yyyy_dates():
    assert parse_date("29.02.2028").isoformat() == "2028-02-29"
    assert [parse_date(t) for t in ("31.02.2026", "2026-01-01", "1.7.2026", "01.07.26")] == [None] * 4


def test_read_rows_keeps_cells_verbatim():
    header, rows = read_rows(";".join(HEADER) + '\n" a ;b ";;;\n')
    assert header == list(HEADER) and rows == [(2, [" a ;b ", "", "", ""])]


# ----------------------------------------------------------------------------- broken rows


ROW2 = ("Fullmakter Helsenorge;Innbyggere har i dag mulighet til å gi andre fullmakt til å bruke tjenester på "
        "Helsenorge;Innføring;;1A - ")
R4 = "interoperatible mellom EU/EØS-land"  # the end of row 4's description


@pytest.mark.parametrize(("old", "new", "column", "nb", "en"), [
    ("56876000020107079;2026-08", ";2026-08", "Leveranse-ID",
     "leveranse-ID mangler.", "the delivery id is missing."),
    ("56876000020107081;2026-08", "56876000020107079;2026-08", "Leveranse-ID",
     "leveranse-ID 56876000020107079 står også på rad 2.", "delivery id 56876000020107079 is also on row 2."),
    ("56876000020107079;2026-08", "5687600002010707X;2026-08", "Leveranse-ID",
     "'5687600002010707X' er ikke en leveranse-ID (bare sifre).", "'5687600002010707X' is not a delivery id"),
    ("Tentativ;56876000020107084", "Usikker;56876000020107084", "Planleggingsstatus",
     "'Usikker' er ikke en planleggingsstatus. Gyldige: Planlagt, Tentativ.", "is not a planning status"),
    ("56876000020107079;2026-08", "56876000020107079;2026-09", "Versjon",
     "'2026-09' er ikke utgaven som importeres (2026-08).", "is not the release being imported"),
    (R4 + ";Konsept;01.07.2026;1A", R4 + ";Konsept;31.02.2026;1A", "Startdato",
     "'31.02.2026' er ikke en dato (dd.mm.åååå).", "'31.02.2026' is not a date (dd.mm.yyyy)."),
    ("31.12.2025;Planlagt;56876000019902474", "desember 2025;Planlagt;56876000019902474", "Sluttdato",
     "'desember 2025' er ikke en dato", "is not a date"),
    (R4 + ";Konsept;01.07.2026;1A", R4 + ";Konsept - testing;01.07.2026;1A", "Veikartfase",
     "'testing' i 'Konsept - testing' er ikke en kjent fase.",
     "'testing' in 'Konsept - testing' is not a known phase."),
    (R4 + ";Konsept;01.07.2026;1A", R4 + ";Pilot;01.07.2026;1A", "Veikartfase",
     "'Pilot' i 'Pilot' er ikke en kjent fase. Gyldige: Konsept,", "is not a known phase"),
])
def test_a_broken_cell_is_rejected_naming_row_column_and_problem(tmp_path, codes, old, new, column, nb, en):
    errors = errors_of(variant(tmp_path, old, new), codes)
    assert len(errors) == 1, errors
    row, found_column, text_nb, text_en = errors[0]
    assert found_column == column
    assert text_nb.startswith(f"Rad {row}, kolonne '{column}': ") and nb in text_nb
    assert text_en.startswith(f"Row {row}, column '{column}': ") and en in text_en


def test_an_unknown_sub_goal_code_is_rejected(tmp_path, codes):
    path = variant(tmp_path, ROW2 + "Innbygger", ROW2.replace("1A - ", "6A - ") + "Innbygger")
    ((row, column, nb, en),) = errors_of(path, codes)
    assert (row, column) == (2, "Strategisk delmål")
    assert "er ikke et kjent delmål" in nb and "Known codes: 1A, 1B, 1C, 1D, 1E, 1F, 2A" in en


def test_a_sub_goal_title_that_contradicts_the_data_is_rejected(tmp_path, codes):
    path = variant(tmp_path, "1D - Ungdom skal ha tilgang på digitale tjenester;Digitale tjenester til barn og unge "
                   "(0-16 år);;Planlagt;56876000019903050", "1D - Ungdom skal ha digitale tjenester;Digitale tjenester "
                   "til barn og unge (0-16 år);;Planlagt;56876000019903050")
    ((row, column, nb, en),) = errors_of(path, codes)
    assert column == "Strategisk delmål"
    assert "the title of 1D is 'Ungdom skal ha digitale tjenester' here but 'Ungdom skal ha tilgang på digitale " \
           "tjenester' in the data" in en


def test_missing_name_and_group_are_rejected(tmp_path, codes):
    path = variant(tmp_path, "Fullmakter Helsenorge;", ";")
    errors = errors_of(path, codes)
    assert [(r, c) for r, c, _, _ in errors] == [(2, "Leveransenavn i veikartet")]
    text = path.read_text(encoding="utf-8").replace(
        "Fullmakt, representasjon og tilgangsbegrensning gjennom Helsenorge;;Tentativ;56876000020107084",
        ";;Tentativ;56876000020107084")
    path.write_text(text, encoding="utf-8")
    assert [(r, c) for r, c, _, _ in errors_of(path, codes)] == [(2, "Leveransenavn i veikartet"),
                                                                 (4, "Strategi gruppering")]


def test_a_row_with_too_few_cells_is_rejected(tmp_path, codes):
    path = variant(tmp_path, ";Planlagt;56876000020107079;2026-08", ";Planlagt;56876000020107079")
    assert errors_of(path, codes) == [(2, None, "Rad 2: raden har 9 celler, ikke 10.",
                                       "Row 2: the row has 9 cells, not 10.")]


def test_every_error_is_listed_not_only_the_first(tmp_path, codes):
    path = variant(tmp_path, "2026-08\n", "2026-07\n", count=263)
    errors = errors_of(path, codes)
    assert len(errors) == 263 and {c for _, c, _, _ in errors} == {"Versjon"}


def test_a_wrong_header_is_one_error_on_row_1(tmp_path, codes):
    path = variant(tmp_path, "Beskrivelse av leveranse gant", "Beskrivelse")
    ((row, column, nb, en),) = errors_of(path, codes)
    assert (row, column) == (1, None) and "the header is not the delivery list's" in en
    assert not is_delivery_list(path)
