"""The release index of a snapshot (``releases.index``): order, removed entities, history.

Uses the real snapshot, and a copy of the project where release 2026-08 is frozen with an
activity that release 2027-01 retires, naming its replacement with ``dct:isReplacedBy``.
"""

from __future__ import annotations

import pytest

from veikart_graph.releases.index import release_index
from veikart_graph.store import KnowledgeGraph

from .project import OLD_ACTIVITY, REPLACEMENT, build_project, removal_project

HEALTH_CARD = "https://w3id.org/veikart/id/aktivitet/digitalt-helsekort-gravide"


@pytest.fixture(scope="module")
def retired(tmp_path_factory):
    snapshot = build_project(removal_project(tmp_path_factory.mktemp("retired")))
    return release_index(KnowledgeGraph.from_snapshot(snapshot.dataset_path, snapshot.manifest.hash))


def test_real_releases_in_order(graph):
    """The series is ehelse → 2026-11 → 2026-08 (the dcat:previousVersion chain, not the names)."""
    index = release_index(graph)
    assert [r.version for r in index.releases] == ["ehelse", "2026-11", "2026-08"]
    assert index.current.version == "2026-08" and index.current.issued == "2026-08-09"
    assert index.get("2026-11").issued is None


def test_history_of_a_changed_activity(graph):
    entries = release_index(graph).history(HEALTH_CARD, "nb")
    assert [(e.release.version, e.status) for e in entries] == [
        ("ehelse", "first"), ("2026-11", "changed"), ("2026-08", "changed")]
    assert [line.text[:18] for line in entries[1].lines] == ["Milepæl lagt til: "]
    # 2026-08: the roadmap document's own trial date (May 2025) beside Norsk helsenett's (June 2025)
    assert len(entries[2].lines) == 1
    assert entries[2].lines[0].text.startswith("Milepæl lagt til: I mai 2025 startet utprøving")


def test_history_of_an_unchanged_entity(graph):
    entries = release_index(graph).history("https://w3id.org/veikart/id/aktivitet/vkp-datadeling", "en")
    assert [e.status for e in entries] == ["first", "unchanged", "unchanged"]


def test_nothing_is_removed_between_ehelse_and_2026_11(graph):
    index = release_index(graph)
    assert index.removal(HEALTH_CARD) is None
    assert index.entities["ehelse"] == index.entities["2026-11"]


def test_the_placeholder_sub_goals_are_retired_in_2026_08(graph):
    """1C, 1D and 2A of the older edition (inferred, untitled) are not verifiably the 2026 ones:
    they end with 2026-11, and the 2026 sub-goals have IRIs of their own."""
    index = release_index(graph)
    for key in ("1c", "1d", "2a"):
        iri = f"https://w3id.org/veikart/id/delmal/{key}"
        assert index.removal(iri).last.version == "2026-11"
        assert iri not in index.entities["2026-08"]
    assert "https://w3id.org/veikart/id/delmal/selvhjelp-laering-mestring" in index.entities["2026-08"]
    assert index.entities["2026-11"] <= index.entities["2026-08"] | {
        f"https://w3id.org/veikart/id/delmal/{key}" for key in ("1c", "1d", "2a")}


def test_a_retired_entity_names_its_last_release_and_replacement(retired):
    removal = retired.removal(OLD_ACTIVITY)
    assert removal.last.version == "2026-08"
    assert removal.replaced_by == (REPLACEMENT,)
    assert [r.version for r in retired.releases_with(OLD_ACTIVITY)] == ["2026-08"]


def test_a_tombstone_alone_does_not_keep_an_entity_alive(retired):
    """The current data says ``gammel-aktivitet dct:isReplacedBy …`` and nothing else."""
    assert OLD_ACTIVITY not in retired.entities["2027-01"]


def test_history_of_a_retired_entity_ends_with_removed(retired):
    entries = retired.history(OLD_ACTIVITY, "nb")
    assert [(e.release.version, e.status) for e in entries] == [("2026-08", "added"), ("2027-01", "removed")]
    assert retired.get("2027-01").issued == "2027-01-15"
