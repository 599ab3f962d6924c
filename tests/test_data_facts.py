"""The Turtle in data/ against the reference compiled from public pages (tests/reference/).

Titles, names, organisation numbers, portfolio key data and measured values must be exactly as
in the reference; every entity has a source, one Norwegian label and no blank nodes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, QB, RDF, RDFS, SKOS, XSD

from veikart_graph.namespaces import BRREG, SDMX_MEASURE, VCARD, VK, VKID

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FACTS_PATH = ROOT / "tests" / "reference" / "veikart-facts.yaml"


# Nodes that are statements about an entity, not entities: no label or identifier required.
STATEMENT_CLASSES = {VK.ContextFact, VK.Milestone, VK.QualifiedOwnership}
TTL_FILES = sorted(DATA.glob("*.ttl"))


@pytest.fixture(scope="module")
def facts() -> dict:
    if not FACTS_PATH.is_file():
        pytest.fail(f"reference not found at {FACTS_PATH} (see tests/reference/README.md)", pytrace=False)
    with FACTS_PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def slug(text: str) -> str:
    """Lower-case ASCII slug as used for code-list keys ("Noen utfordringer" -> "noen-utfordringer")."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def nb_labels(g: Graph, node) -> list[str]:
    return [str(o) for o in g.objects(node, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "nb"]


def by_label(g: Graph, cls, label: str) -> URIRef:
    hits = [s for s in g.subjects(RDF.type, cls) if label in nb_labels(g, s)]
    assert len(hits) == 1, f"expected one {cls} labelled {label!r}, found {hits}"
    return hits[0]


def one(g: Graph, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} {p}: expected one value, got {values}"
    return values[0]


def is_true(g: Graph, s, p) -> bool:
    return any(o.toPython() is True for o in g.objects(s, p) if isinstance(o, Literal))


# --- files and structure ---------------------------------------------------------------------


def test_data_files_exist():
    assert TTL_FILES, "no data/*.ttl files"


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_each_file_parses(path: Path):
    assert len(Graph().parse(path, format="turtle")) > 0


def test_no_blank_nodes(g: Graph):
    blank = [t for t in g if any(isinstance(x, BNode) for x in t)]
    assert not blank, f"blank nodes in data/: {blank[:5]}"


def test_every_vk_typed_subject_has_an_https_source(g: Graph):
    missing, bad = [], []
    for s, cls in g.subject_objects(RDF.type):
        if not str(cls).startswith(str(VK)):
            continue
        sources = list(g.objects(s, DCTERMS.source))
        if not sources:
            missing.append(s)
        bad += [o for o in sources if not (isinstance(o, URIRef) and str(o).startswith("https://"))]
    assert not missing, f"no dct:source: {missing}"
    assert not bad, f"dct:source must be https IRIs: {bad}"


def test_entities_have_one_nb_label_and_their_key(g: Graph):
    for s, cls in g.subject_objects(RDF.type):
        if not str(cls).startswith(str(VK)) or cls in STATEMENT_CLASSES:
            continue
        assert "#" not in str(s), f"entity {s} should not be a hash IRI"
        assert len(nb_labels(g, s)) == 1, f"{s}: expected exactly one skos:prefLabel @nb"
        key = str(s).rsplit("/", 1)[1]
        assert re.fullmatch(r"[a-z0-9-]+", key), f"{s}: key is not a lower-case ASCII slug"
        assert str(one(g, s, DCTERMS.identifier)) == key, f"{s}: dct:identifier is not the key"


def test_uncertain_nodes_explain_why(g: Graph):
    for s in g.subjects(VK.uncertain, None):
        assert is_true(g, s, VK.uncertain)
        notes = [o for o in g.objects(s, VK.uncertaintyNote) if o.language == "en"]
        assert notes, f"{s}: vk:uncertain without an @en vk:uncertaintyNote"


def test_no_persons(g: Graph):
    assert not list(g.subjects(RDF.type, FOAF.Person)), "foaf:Person is not used (no personal names)"
    assert not list(g.subjects(VCARD.fn, None)), "vcard:fn is not used in data/"
    assert not [p for p in g.predicates() if str(p).startswith(str(VCARD))]


def test_every_source_url_of_the_facts_file_is_cited(g: Graph, facts: dict):
    text = FACTS_PATH.read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s\"'\],]+", text))
    cited = {str(o) for o in g.objects() if isinstance(o, URIRef)}
    missing = sorted(u for u in urls if u not in cited)
    assert not missing, f"reference URLs not cited in data/: {missing}"


# --- strategy, goals, sub-goals -----------------------------------------------------------------


def test_strategy(g: Graph, facts: dict):
    strategy = VKID["strategi/nasjonal-e-helsestrategi"]
    assert nb_labels(g, strategy) == [facts["strategy"]["name"]]
    assert str(one(g, strategy, VK.vision)) == facts["strategy"]["vision"]
    goals = set(g.objects(strategy, VK.hasGoal))
    assert len(goals) == facts["strategy"]["number_of_strategic_goals"]
    assert nb_labels(g, VKID.veikart) == [facts["roadmap"]["name"]]


def test_goal_titles(g: Graph, facts: dict):
    """Titles as on ehelse.no; the ambitions are now the 2024 revision's (tests/test_data_texts_2026.py),
    so the older, cut-off paraphrases are gone."""
    for goal in facts["goals"]:
        node = VKID[f"mal/{goal['id']}"]
        assert (node, RDF.type, VK.Goal) in g
        assert nb_labels(g, node) == [goal["title"]]
        assert Literal(goal["label_on_roadmap"], lang="nb") in set(g.objects(node, SKOS.altLabel))
        assert all(a.language == "nb" for a in g.objects(node, VK.ambition))
        assert not is_true(g, node, VK.truncatedInSource)


# The older edition's codes → the 2026-08 codes of the same sub-goals (same IRI, new notation).
RENUMBERED_2026 = {"1A": "1A", "1B": "1B", "1E": "1F", "2B": "2D"}


def test_sub_goals(g: Graph, facts: dict):
    """Identity across editions: every sub-goal of the older edition with a known title keeps its
    IRI in the current data, under its 2026 code; the untitled placeholders are retired (they
    live on in the older releases only)."""
    for sub in facts["sub_goals"]:
        node = VKID[f"delmal/{sub['id'].lower()}"]
        if sub["title"]:
            assert (node, RDF.type, VK.SubGoal) in g
            assert one(g, node, VK.subGoalOf) == VKID[f"mal/{sub['goal']}"]
            assert str(one(g, node, SKOS.notation)) == RENUMBERED_2026[sub["id"]]
        else:
            assert (node, None, None) not in g, f"placeholder {sub['id']} should be retired"


def test_benefit_statements_of_1b_are_uncertain(g: Graph):
    statements = list(g.subjects(VK.benefitStatementOf, VKID["delmal/1b"]))
    assert len(statements) == 4
    for s in statements:
        assert is_true(g, s, VK.uncertain) and is_true(g, s, VK.truncatedInSource)


# --- activities ---------------------------------------------------------------------------------


def test_activities(g: Graph, facts: dict):
    for act in facts["activities"]:
        node = by_label(g, VK.Activity, act["name"])
        assert one(g, node, VK.contributesTo) == VKID[f"delmal/{act['sub_goal'].lower()}"]
        owners = {str(one(g, o, FOAF.name)) for o in g.objects(node, VK.owner)}
        assert owners == set(act["owners"])
        for q in g.objects(node, VK.qualifiedOwnership):
            assert list(g.objects(q, DCTERMS.source))
            assert is_true(g, q, VK.uncertain) == bool(act.get("owners_uncertain"))
        assert {str(one(g, d, SKOS.prefLabel)) for d in g.objects(node, VK.component)} == set(
            act.get("components", []))
        assert not list(g.objects(node, VK.startYear)) and not list(g.objects(node, VK.endYear))


def test_milestone_precision(g: Graph):
    when = {str(s).split("#")[1]: o for s, o in g.subject_objects(VK.when)}
    assert when["pulje-3-januar-2026"] == Literal("2026-01", datatype=XSD.gYearMonth)
    assert when["utproving-juni-2025"] == Literal("2025-06", datatype=XSD.gYearMonth)
    assert when["testversjon-2024"] == Literal("2024", datatype=XSD.gYear)


def test_conflicting_owners_of_the_health_card_are_both_kept(g: Graph):
    activity = VKID["aktivitet/digitalt-helsekort-gravide"]
    measure = VKID["tiltak/helsekort-for-gravide-helsedirektoratet"]
    assert one(g, activity, VK.owner) == VKID["organisasjon/helse-og-omsorgsdepartementet"]
    assert one(g, measure, VK.owner) == VKID["organisasjon/helsedirektoratet"]


# --- organisations ------------------------------------------------------------------------------


def mod11_ok(number: str) -> bool:
    weights = [3, 2, 7, 6, 5, 4, 3, 2]
    rest = sum(int(d) * w for d, w in zip(number[:8], weights, strict=True)) % 11
    check = 0 if rest == 0 else 11 - rest
    return check != 10 and check == int(number[8])


def test_organisations(g: Graph, facts: dict):
    items = facts["organisations"]["items"]
    added_2026 = yaml.safe_load((ROOT / "tests/reference/texts-2026.yaml").read_text(encoding="utf-8"))["organisations"]
    assert len(list(g.subjects(RDF.type, VK.Organisation))) == len(items) + len(added_2026)
    for org in items:
        node = by_label(g, VK.Organisation, org["name"])
        assert str(one(g, node, FOAF.name)) == org["name"]
        numbers = [str(o) for o in g.objects(node, VK.organisationNumber)]
        if org["org_number"] is None:
            assert numbers == [] and not list(g.objects(node, RDFS.seeAlso))
            continue
        assert numbers == [org["org_number"]]
        assert mod11_ok(org["org_number"]), org["name"]
        assert one(g, node, RDFS.seeAlso) == URIRef(BRREG + org["org_number"])
        assert str(one(g, node, VK.orgNumberSourceQuality)) == org["org_number_source_quality"]
        assert is_true(g, node, VK.uncertain) == bool(org.get("uncertain"))


# --- portfolio ----------------------------------------------------------------------------------


def test_portfolio_measures(g: Graph, facts: dict):
    measures = [m for m in facts["portfolio_measures"] if "risk" in m]
    assert len(list(g.subjects(RDF.type, VK.PortfolioMeasure))) == len(measures)
    for m in measures:
        node = by_label(g, VK.PortfolioMeasure, m["name"])
        assert str(one(g, one(g, node, VK.owner), FOAF.name)) == m["owner"]
        assert one(g, node, VK.risk) == VKID[f"risiko/{slug(m['risk'])}"]
        assert one(g, node, VK.segment) == VKID[f"segment/{slug(m['segment'])}"]
        statuses = list(g.objects(node, VK.status))
        assert statuses == ([VKID[f"status/{slug(m['status'])}"]] if m["status"] else [])
        goals = list(g.objects(node, VK.supportsGoal))
        assert goals == ([VKID[f"mal/{m['strategic_goal']}"]] if m["strategic_goal"] else [])
        assert URIRef(m["url"]) in set(g.objects(node, DCTERMS.source))


def test_portfolio_projects(g: Graph, facts: dict):
    projects = [m for m in facts["portfolio_measures"] if "last_updated" in m]
    assert len(list(g.subjects(RDF.type, VK.PortfolioProject))) == len(projects)
    for p in projects:
        node = by_label(g, VK.PortfolioProject, p["name"])
        assert one(g, node, VK.phase) == VKID[f"prosjektfase/{slug(p['phase'])}"]
        assert one(g, node, DCTERMS.modified) == Literal(p["last_updated"], datatype=XSD.date)
        assert str(one(g, one(g, node, VK.owner), FOAF.name)) == p["owner"]


def test_related_initiatives_are_not_from_the_roadmap(g: Graph, facts: dict):
    for item in facts["related_initiatives"]["items"]:
        node = by_label(g, VK.RelatedInitiative, item["name"])
        assert one(g, node, VK.fromRoadmap).toPython() is False
        assert one(g, node, VK.possibleGoal) == VKID[f"mal/{item['possible_goal']}"]
        assert is_true(g, node, VK.uncertain)


# --- indicators and observations ----------------------------------------------------------------


def observations(g: Graph, indicator, kind: str) -> set[tuple]:
    out = set()
    for obs in g.subjects(VK.indicator, indicator):
        if one(g, obs, VK.valueKind) != VKID[f"verditype/{kind}"]:
            continue
        value = one(g, obs, SDMX_MEASURE.obsValue)
        assert value.datatype == XSD.decimal
        breakdown = next(iter(g.objects(obs, VK.breakdown)), None)
        qualifier = next(iter(g.objects(obs, VK.valueQualifier)), None)
        out.add((str(one(g, obs, VK.refYear)), slug(str(breakdown)) if breakdown else None,
                 value.toPython(), str(qualifier) if qualifier else None))
        assert list(g.objects(obs, DCTERMS.source)), obs
        assert one(g, obs, QB.dataSet) == VKID["indikator/datasett"]
    return out


def split_value(value) -> tuple[Decimal, str | None]:
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(>=|>)?\s*([\d.]+)\s*%?\s*", value)
        assert m, value
        return Decimal(m.group(2)), m.group(1)
    return Decimal(str(value)), None


def test_measurement_values(g: Graph, facts: dict):
    for m in facts["indicators"]["related_measurements"]:
        node = by_label(g, VK.Indicator, m["name"])
        assert one(g, node, VK.officialIndicator).toPython() is False
        if m.get("goal_mapping"):
            assert one(g, node, VK.measures) == VKID[f"mal/{m['goal_mapping']}"]
            assert is_true(g, node, VK.uncertain) == bool(m.get("goal_mapping_uncertain"))
        status_year = re.search(r"status \d\d\.\d\d\.(\d{4})", m["name"])
        expected = set()
        for key, value in m["values"].items():
            key = str(key)
            if key == "as_stated":  # no reference year in the source: a note, not an observation
                assert any("5 millioner" in str(n) for n in g.objects(node, SKOS.note))
                continue
            number, qualifier = split_value(value)
            if key.isdigit():
                year, breakdown = key, None
            elif re.match(r"\d{4}_", key):
                year, breakdown = key[:4], slug(key[5:])
            else:
                year, breakdown = status_year.group(1), slug(key)
            if "nærmere" in str(m.get("values_note", "")) and year in m["values_note"]:
                qualifier = "nærmere"  # the source's own word, not "ca." (issue 12, item 5)
            expected.add((year, breakdown, number, qualifier))
        assert observations(g, node, "malt") == expected, m["name"]


def test_related_targets(g: Graph, facts: dict):
    pll = VKID["indikator/pll-andel-prioriterte-aktorer"]
    expected = set()
    for t in facts["indicators"]["related_targets"]["items"]:
        if t["subject"] == "Pasientens legemiddelliste (PLL)":
            number, qualifier = split_value(t["value"])
            expected.add((re.search(r"\d{4}", t["by"]).group(0), None, number, qualifier))
    assert observations(g, pll, "malverdi") == expected
    medio = [o for o in g.subjects(VK.indicator, pll)
             if (o, RDFS.comment, Literal("medio 2026", lang="nb")) in g]
    assert len(medio) == 1
    assert observations(g, VKID["indikator/kjernejournal-andel-kommuner"], "malverdi") == {
        ("2023", None, Decimal("80"), ">=")}
