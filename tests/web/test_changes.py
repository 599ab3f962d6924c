"""Roadmap releases on the web (``web/changes.py``): the change list as HTML, JSON and Atom,
entities as they were in a release, and 410 Gone for retired entities.

Expected changes come from the reference's two states of ``status_and_dates`` (see
tests/releases/test_diff.py). Atom checks: RFC 4287 (tests/web/atom.py). 410: RFC 9110 §15.5.11;
version links: RFC 5829.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from veikart_graph.settings import Settings
from veikart_graph.store import KnowledgeGraph

from ..releases.project import OLD_ACTIVITY, build_project, removal_project
from .atom import check_atom
from .test_pages import Page

HEALTH_CARD = "/id/aktivitet/digitalt-helsekort-gravide"
CITIZEN_SERVICES = "/id/aktivitet/digitale-innbyggertjenester-kommune"
HTML = {"Accept": "text/html"}


def entity_paths(body: dict) -> list[str]:
    return [e["iri"].removeprefix("https://w3id.org/veikart") for c in body["comparisons"] for e in c["entities"]]


# ----------------------------------------------------------------------------- /changes


def test_changes_page_lists_both_changed_activities_in_words(client):
    response = client.get("/changes", headers=HTML)
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert "Fra utgave ehelse til utgave 2026-11" in page.text
    assert "0 nye, 0 fjernet, 2 endret" in page.text
    assert "Milepæl lagt til: first trial" in page.text and "(juni 2025)" in page.text
    hrefs = {link["href"] for link in page.links}
    assert f"{HEALTH_CARD}?lang=nb" in hrefs and f"{CITIZEN_SERVICES}?lang=nb" in hrefs
    assert page.styles == 0 and set(page.scripts) <= {"application/ld+json"}


def test_changes_page_in_english(client):
    text = Page(client.get("/changes?lang=en").get_data(as_text=True)).text
    assert "From release ehelse to release 2026-11" in text and "Milestone added:" in text


def test_changes_json(client):
    body = client.get("/changes.json").get_json()
    assert [r["version"] for r in body["releases"]] == ["ehelse", "2026-11", "2026-08"]
    assert body["current"] == "2026-08"
    newest, older = body["comparisons"]
    assert (newest["from"], newest["to"]) == ("2026-11", "2026-08")
    assert older["from"] == "ehelse" and older["counts"] == {"added": 0, "removed": 0, "changed": 2}
    assert [e["iri"].removeprefix("https://w3id.org/veikart") for e in older["entities"]] == [
        CITIZEN_SERVICES, HEALTH_CARD]
    assert older["entities"][1]["page"].endswith(HEALTH_CARD)


def test_changes_say_what_2026_08_added_renumbered_and_renamed(client):
    """The delivery list edition in words: 263 deliveries, 54 groups and 16 sub-goals new (with the
    strategy's three overarching goals, two roles, one organisation, the list's source record and
    the planning-status code list); the placeholders 1C, 1D, 2A retired; 1E → 1F and 2B → 2D on
    the same IRIs; two phases and one sub-goal renamed; 38 entities changed (the 2026 texts of
    goals, sub-goals and phases, and the fidelity fixes of organisations and indicators)."""
    body = client.get("/changes.json?from=2026-11&to=2026-08").get_json()
    (comparison,) = body["comparisons"]
    assert comparison["counts"] == {"added": 341, "removed": 3, "changed": 38}
    overview = comparison["overview"]
    assert overview[0] == ("Nye: 341 (263 Leveranse i veikartlisten, 54 Strategigruppering, 16 Delmål, "
                           "3 Overordnet mål, 2 Rolle, 1 Organisasjon, 1 Kilde (fil), 1 Kodeliste)")
    assert overview[1] == "Fjernet: 3 (3 Delmål)"
    renumbered = next(line for line in overview if line.startswith("Ny kode"))
    assert "1E → 1F (Gravide skal ha tilgang på digitalt helsekort for gravide)" in renumbered
    assert "2B → 2D (Helsepersonell skal ha tilgang til pasientens legemiddelliste (PLL))" in renumbered
    renamed = next(line for line in overview if line.startswith("Nytt navn"))
    assert "Nasjonal utvikling → Utvikling og begrenset utprøving" in renamed
    assert "Tilpasning → Tilpasning og utvidet utprøving" in renamed
    assert ("Innbyggere skal ha tilgang på elektronisk helsekort for gravide → "
            "Gravide skal ha tilgang på digitalt helsekort for gravide") in renamed
    by_iri = {e["iri"].removeprefix("https://w3id.org/veikart"): e for e in comparison["entities"]}
    assert {p for p, e in by_iri.items() if e["kind"] == "removed"} == {
        "/id/delmal/1c", "/id/delmal/1d", "/id/delmal/2a"}
    assert "Kode: 2B → 2D" in [c["text"] for c in by_iri["/id/delmal/2b"]["changes"]]
    english = client.get("/changes.json?from=2026-11&to=2026-08&lang=en").get_json()["comparisons"][0]
    assert "National development → Development and limited trial" in next(
        line for line in english["overview"] if line.startswith("Renamed"))


def test_the_changes_page_shows_the_overview(client):
    text = Page(client.get("/changes?from=2026-11&to=2026-08", headers=HTML).get_data(as_text=True)).text
    assert "Fra utgave 2026-11 til utgave 2026-08" in text
    assert "Ny kode (samme ressurs, nytt nummer): 1E → 1F" in text


@pytest.mark.parametrize(("query", "expected"), [
    ("goal=1", [CITIZEN_SERVICES, HEALTH_CARD]),
    ("goal=mal/1", [CITIZEN_SERVICES, HEALTH_CARD]),
    ("goal=2", []),
    ("owner=983887406", [HEALTH_CARD]),  # Helse- og omsorgsdepartementet, by organisation number
    ("owner=helse-og-omsorgsdepartementet", [HEALTH_CARD]),
    ("owner=983544622", []),
    ("usergroup=kommuner-og-fylkeskommuner", [CITIZEN_SERVICES]),
    ("goal=1&owner=983887406", [HEALTH_CARD]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_changes_filtered_by_goal_owner_and_user_group(client, query, expected):
    assert entity_paths(client.get(f"/changes.json?from=ehelse&to=2026-11&{query}").get_json()) == expected


def test_the_2026_08_changes_filtered_by_goal_are_its_deliveries(client):
    """Deliveries match a goal through their sub-goal: the filter for goal 3 keeps exactly the
    list's rows under 3A-3C (counted here from the CSV with the csv module)."""
    path = Path(__file__).resolve().parents[2] / "data" / "sources" / "veikartliste-2026-08.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["Strategisk delmål"].startswith("3")]
    body = client.get("/changes.json?from=2026-11&to=2026-08&goal=3").get_json()
    deliveries = {p.rsplit("/", 1)[-1] for p in entity_paths(body) if p.startswith("/id/leveranse/")}
    assert deliveries == {r["Leveranse-ID"] for r in rows} and len(deliveries) > 0


@pytest.mark.parametrize(("query", "valid"), [
    ("goal=9", "1, 2, 3, 4, 5"), ("owner=123", "983544622"), ("usergroup=pasienter", "kommuner-og-fylkeskommuner")])
def test_an_unknown_filter_value_is_400_listing_the_valid_ones(client, query, valid):
    response = client.get(f"/changes.json?{query}")
    assert response.status_code == 400 and valid in response.get_json()["error"]


def test_changes_between_two_named_releases_either_way(client):
    body = client.get("/changes.json?from=2026-11&to=ehelse").get_json()
    assert body["comparisons"][0]["from"] == "2026-11"
    lines = [c["text"] for e in body["comparisons"][0]["entities"] for c in e["changes"]]
    assert any(line.startswith("Milepæl fjernet: first trial") for line in lines)
    assert client.get("/changes.json?to=1999").status_code == 400


# ----------------------------------------------------------------------------- Atom


def test_the_atom_feed_is_valid_atom(client):
    response = client.get("/changes.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert check_atom(response.data) == []
    entities = sum(len(c["entities"]) for c in client.get("/changes.json").get_json()["comparisons"])
    assert response.data.count(b"<entry>") == entities == 2 + 382
    assert b"https://w3id.org/veikart/id/veikart/2026-11#endring-aktivitet-digitalt-helsekort-gravide" in response.data
    assert b"https://w3id.org/veikart/id/veikart/2026-08#endring-delmal-1e" in response.data


def test_a_filtered_feed_has_its_own_id_and_fewer_entries(client):
    response = client.get("/changes.atom?owner=983887406&lang=en")
    assert check_atom(response.data) == []
    # the ministry's activities: the health card (changed in 2026-11 and in 2026-08) and e-multidose
    # (its uncertain owner marked on the activity itself in 2026-08)
    assert response.data.count(b"<entry>") == 3
    assert b"2026-08#endring-aktivitet-e-multidose" in response.data
    assert b"<id>https://w3id.org/veikart/changes.atom?owner=helse-og-omsorgsdepartementet</id>" in response.data
    assert b'xml:lang="en"' in response.data


# ----------------------------------------------------------------------------- one release


def test_an_entity_as_it_was_in_the_older_release(client):
    response = client.get(f"/release/ehelse{HEALTH_CARD}", headers=HTML)
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert "slik den var i utgave ehelse" in page.text
    assert "in 2024 the project is to build a test version" in page.text
    assert "starts June 2025" not in page.text.split("Historikk")[0]
    assert any(link["href"] == f"/page{HEALTH_CARD}?lang=nb" for link in page.links)
    assert page.styles == 0 and set(page.scripts) <= {"application/ld+json"}


def test_the_release_page_has_the_history(client):
    page = Page(client.get(f"/release/2026-11{HEALTH_CARD}?lang=en").get_data(as_text=True))
    history = page.text.split("History")[-1]
    assert "in the first release" in history and "changed" in history and "Milestone added:" in history
    assert any(link["href"] == f"/release/ehelse{HEALTH_CARD}?lang=en" for link in page.links)


def test_an_older_release_as_turtle(client):
    response = client.get(f"/release/ehelse{HEALTH_CARD}?format=ttl")
    assert response.mimetype == "text/turtle"
    assert b"testversjon-2024" in response.data and b"utproving-juni-2025" not in response.data


def test_release_parameter_on_id_and_page_redirects_to_the_release_page(client):
    for path in (HEALTH_CARD, f"/page{HEALTH_CARD}"):
        response = client.get(f"{path}?release=ehelse&lang=en")
        assert response.status_code == 303
        assert response.headers["Location"] == f"/release/ehelse{HEALTH_CARD}?lang=en"


def test_unknown_release_or_entity_is_404(client):
    assert client.get(f"{HEALTH_CARD}?release=1999").status_code == 404
    assert client.get("/release/ehelse/id/aktivitet/finnes-ikke").status_code == 404


# ----------------------------------------------------------------------------- 410 Gone


@pytest.fixture(scope="module")
def retired_client(tmp_path_factory):
    """An app on a copy of the project where release 2027-01 retired ``aktivitet/gammel-aktivitet``."""
    from veikart_graph.web import create_app

    root = removal_project(tmp_path_factory.mktemp("retired"))
    snapshot = build_project(root)
    graph = KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash)
    app = create_app(Settings(root=root, build_dir=root / "build"), graph=graph, snapshot=snapshot)
    app.config.update(TESTING=True)
    yield app.test_client()
    app.extensions["veikart"].close()


OLD = OLD_ACTIVITY.removeprefix("https://w3id.org/veikart")


def test_a_retired_entity_is_410_with_links_to_its_last_release_and_replacement(retired_client):
    response = retired_client.get(OLD, headers=HTML)
    assert response.status_code == 410
    page = Page(response.get_data(as_text=True))
    assert "«Gammel aktivitet» var med til og med utgave 2026-08" in page.text
    hrefs = [link["href"] for link in page.links]
    assert f"/release/2026-08{OLD}?lang=nb" in hrefs
    assert f"{HEALTH_CARD}?lang=nb" in hrefs
    assert response.headers["Link"] == (f'</release/2026-08{OLD}>; rel="predecessor-version", '
                                        f'<{HEALTH_CARD}>; rel="successor-version"')


def test_410_as_json_and_text(retired_client):
    body = retired_client.get(OLD, headers={"Accept": "application/json"}).get_json()
    assert body["status"] == 410 and body["last_release"]["version"] == "2026-08"
    assert body["replaced_by"][0]["iri"].endswith("/aktivitet/digitalt-helsekort-gravide")
    text = retired_client.get(OLD, headers={"Accept": "text/plain"}).get_data(as_text=True)
    assert f"/release/2026-08{OLD}" in text and HEALTH_CARD in text


def test_page_and_data_documents_of_a_retired_entity_are_410_too(retired_client):
    assert retired_client.get(f"/page{OLD}", headers=HTML).status_code == 410
    assert retired_client.get(f"/data{OLD}.ttl").status_code == 410


def test_the_old_release_page_of_a_retired_entity_still_resolves(retired_client):
    response = retired_client.get(f"/release/2026-08{OLD}", headers=HTML)
    assert response.status_code == 200
    text = Page(response.get_data(as_text=True)).text
    assert "Gammel aktivitet" in text and "fjernet" in text.split("Historikk")[-1]


def test_the_retirement_is_in_the_changes_and_the_feed(retired_client):
    body = retired_client.get("/changes.json?from=2026-08&to=2027-01").get_json()
    (entity,) = body["comparisons"][0]["entities"]
    assert (entity["iri"], entity["kind"]) == (OLD_ACTIVITY, "removed")
    assert [c["text"] for c in entity["changes"]] == ["Erstattet av: Digitalt helsekort for gravide"]
    feed = retired_client.get("/changes.atom").data
    assert check_atom(feed) == []
    assert b"<updated>2027-01-15T00:00:00Z</updated>" in feed
    assert f"/release/2026-08{OLD}".encode() in feed


def test_entities_still_in_the_current_release_are_not_gone(retired_client):
    assert retired_client.get(HEALTH_CARD).status_code == 303


def test_an_older_release_shows_the_phase_names_it_published(client):
    """The phases were renamed in 2026-08 on the same concepts; /release/2026-11/… keeps the
    older name, the current page the new one with the older as an alternative."""
    old = Page(client.get("/release/2026-11/id/fase/nasjonal-utvikling", headers=HTML).get_data(as_text=True))
    assert "Nasjonal utvikling" in old.text and "Utvikling og begrenset utprøving" not in old.text.split("Historikk")[0]
    new = Page(client.get("/page/id/fase/nasjonal-utvikling", headers=HTML).get_data(as_text=True))
    assert "Utvikling og begrenset utprøving" in new.text and "Nasjonal utvikling" in new.text


def test_a_sub_goal_keeps_its_iri_under_its_new_code(client):
    """1E of 2026-11 is 1F of 2026-08: one IRI, the release page shows the older code and title."""
    old = Page(client.get("/release/2026-11/id/delmal/1e", headers=HTML).get_data(as_text=True)).text
    assert "Innbyggere skal ha tilgang på elektronisk helsekort for gravide" in old and "1E" in old
    new = Page(client.get("/page/id/delmal/1e", headers=HTML).get_data(as_text=True)).text
    assert "Gravide skal ha tilgang på digitalt helsekort for gravide" in new and "1F" in new
    assert "Kode: 1E → 1F" in new.split("Historikk")[-1]
