"""``veikart-graph diff OLD NEW``: exit 0 with the changes in words, 2 when a side cannot be read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from veikart_graph.cli import main
from veikart_graph.errors import SourceError

from .project import PREFIXES, ROOT

ENV = {"VEIKART_ROOT": str(ROOT)}


def test_diff_of_the_real_releases_lists_the_changes_in_words():
    result = CliRunner().invoke(main, ["diff", "ehelse", "2026-11"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Endret: Digitalt helsekort for gravide" in result.output
    assert "Milepæl lagt til:" in result.output and "(juni 2025)" in result.output


def test_diff_as_json_in_english():
    result = CliRunner().invoke(main, ["diff", "ehelse", "2026-11", "--format", "json", "--lang", "en"], env=ENV)
    body = json.loads(result.output)
    assert [e["kind"] for e in body["entities"]] == ["changed", "changed"]
    assert {e["type"] for e in body["entities"]} == {"Activity"}
    lines = [c["text"] for e in body["entities"] for c in e["changes"]]
    assert any(line.startswith("Milestone added: first trial") for line in lines)


def test_diff_of_a_release_with_itself_says_so():
    result = CliRunner().invoke(main, ["diff", "2026-11", "2026-11"], env=ENV)
    assert result.exit_code == 0 and result.output.strip() == "Ingen endringer."


def test_an_unknown_release_exits_2_naming_the_known_ones():
    result = CliRunner().invoke(main, ["diff", "ehelse", "1999"], env=ENV)
    assert result.exit_code == 2
    assert "no release '1999'" in result.output and "ehelse, 2026-11, 2026-08" in result.output


def test_diff_of_two_turtle_files(tmp_path):
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(PREFIXES + '<aktivitet/x> skos:prefLabel "X"@nb ; vk:phase <fase/tilpasning> .\n')
    new.write_text(PREFIXES + '<aktivitet/x> skos:prefLabel "X"@nb ; vk:phase <fase/innforing> .\n')
    result = CliRunner().invoke(main, ["diff", str(old), str(new)], env=ENV)
    assert result.exit_code == 0, result.output
    assert "Fase: Tilpasning og utvidet utprøving → Innføring" in result.output


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["diff", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "veikart-graph diff" in result.output


def test_freeze_records_a_deliberate_erratum_of_an_older_release(tmp_path):
    """A hand-edited content.nq stops the build until `freeze` rewrites it canonically and records
    its new SHA-256; the change is printed in words. The current release cannot be frozen so."""
    from veikart_graph.releases import compose_releases
    from veikart_graph.sources import load_sources

    from .project import copy_project

    project = copy_project(tmp_path / "p")
    content = project / "releases" / "ehelse" / "content.nq"
    graph = "<https://w3id.org/veikart/graph/release/ehelse>"
    note = ('<https://w3id.org/veikart/id/aktivitet/e-multidose> <http://www.w3.org/2004/02/skos/core#note> '
            '"Rettet etter publisering"@nb {} .\n')
    corrected = tmp_path / "rettet.nq"
    corrected.write_bytes(content.read_bytes() + note.format(graph).encode())
    result = CliRunner().invoke(main, ["--root", str(project), "freeze", "ehelse", "--content", str(corrected)])
    assert result.exit_code == 0, result.output
    assert "Merknad lagt til: Rettet etter publisering" in result.output
    ehelse = compose_releases(project, load_sources(project)).contents["ehelse"]
    assert any(str(o) == "Rettet etter publisering" for o in ehelse.objects())
    content.write_bytes(content.read_bytes().replace(b"Rettet etter publisering", b"Rettet to ganger"))
    with pytest.raises(SourceError, match="has changed since the release was frozen"):
        compose_releases(project, load_sources(project))
    assert CliRunner().invoke(main, ["--root", str(project), "freeze", "ehelse"]).exit_code == 0
    ehelse = compose_releases(project, load_sources(project)).contents["ehelse"]
    assert any(str(o) == "Rettet to ganger" for o in ehelse.objects())
    refused = CliRunner().invoke(main, ["--root", str(project), "freeze", "2026-08"])
    assert refused.exit_code == 2 and "is the current release" in refused.output


def test_freeze_refuses_a_correction_that_adds_a_violation(tmp_path):
    """A correction may not break a rule the published content kept (nothing written, exit 1);
    rules the published content already broke under today's shapes do not block it."""
    from .project import copy_project

    project = copy_project(tmp_path / "p")
    content = project / "releases" / "ehelse" / "content.nq"
    before = content.read_bytes()
    graph = "<https://w3id.org/veikart/graph/release/ehelse>"
    bad = (f'<https://w3id.org/veikart/id/aktivitet/uten-delmal> '
           f'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/veikart/def/Activity> {graph} .\n')
    corrected = tmp_path / "rettet.nq"
    corrected.write_bytes(before + bad.encode())
    result = CliRunner().invoke(main, ["--root", str(project), "freeze", "ehelse", "--content", str(corrected)])
    assert result.exit_code == 1, result.output
    assert "rules the published one did not; nothing was written" in result.output
    assert "aktivitet/uten-delmal" in result.output
    assert content.read_bytes() == before


def test_freeze_help_has_an_example():
    result = CliRunner().invoke(main, ["freeze", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "veikart-graph freeze" in result.output
