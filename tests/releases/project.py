"""Throw-away copies of the project for tests that change sources (never the real tree).

``removal_project`` is the editors' workflow for retiring an activity: the current release
(2026-08) has ``aktivitet/gammel-aktivitet`` when it is frozen; release 2027-01 then drops it and
says it is replaced by ``aktivitet/digitalt-helsekort-gravide`` (``dct:isReplacedBy``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from veikart_graph.build import build
from veikart_graph.importer import ImportPlan, freeze_files, write_plan
from veikart_graph.releases import compose_releases
from veikart_graph.settings import Settings
from veikart_graph.snapshot import Snapshot
from veikart_graph.sources import load_sources

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = """@base <https://w3id.org/veikart/id/> .
@prefix vk: <https://w3id.org/veikart/def/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
OLD_ACTIVITY = "https://w3id.org/veikart/id/aktivitet/gammel-aktivitet"
REPLACEMENT = "https://w3id.org/veikart/id/aktivitet/digitalt-helsekort-gravide"


def copy_project(target: Path) -> Path:
    """ontology/, shapes/, data/ and releases/ of the real project, copied into ``target``."""
    for name in ("ontology", "shapes", "data", "releases"):
        shutil.copytree(ROOT / name, target / name)
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def freeze_current(root: Path) -> None:
    """Freeze the current release of ``root`` as ``import --release NEW`` does."""
    releases = compose_releases(root, load_sources(root))
    current = releases.current
    write_plan(ImportPlan(freeze_files(current, releases.contents[current.version])))


def removal_project(target: Path) -> Path:
    root = copy_project(target)
    old = write(root / "data" / "zz-gammel.ttl", """
<aktivitet/gammel-aktivitet> a vk:Activity ;
    dct:identifier "gammel-aktivitet" ;
    skos:prefLabel "Gammel aktivitet"@nb ;
    vk:contributesTo <delmal/1e> ;
    dct:source <https://ehelse.no/veikart/helse-og-omsorgsdepartementet> .
""")
    freeze_current(root)
    old.unlink()
    write(root / "data" / "zz-erstattet.ttl",
          "<aktivitet/gammel-aktivitet> dct:isReplacedBy <aktivitet/digitalt-helsekort-gravide> .\n")
    write(root / "releases" / "2027-01" / "release.ttl", """
<veikart/2027-01> a vk:RoadmapRelease ;
    skos:prefLabel "Testutgave 2027-01"@nb ;
    dcat:version "2027-01" ;
    dcat:inSeries <veikart> ;
    dcat:previousVersion <veikart/2026-08> ;
    dct:issued "2027-01-15"^^xsd:date ;
    dct:source <https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi> .
""")
    return root


def build_project(root: Path) -> Snapshot:
    return build(Settings(root=root, build_dir=root / "build")).snapshot
