"""Tests for the SHACL shapes (shapes/*.ttl) and the vocabulary (ontology/*.ttl).

Fixtures: ``tests/fixtures/shapes/valid.ttl`` conforms; each ``invalid/<name>.ttl`` starts with
``# expect: vksh:<Shape>`` and is merged with valid.ttl (after removing the triples listed in
``invalid/<name>.remove.ttl``, if that file exists), which must then violate exactly that shape.

The data graph is the fixture plus ``ontology/codelists.ttl``: pySHACL copies only class and
property definitions from ``ont_graph`` into the data graph, not SKOS concepts, so code-list
membership checks (``skos:inScheme``) need the code lists in the data graph itself.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from veikart_graph.namespaces import PREFIXES, SH, VK, VKID
from veikart_graph.validation import ValidationReport, validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
INVALID = FIXTURES / "invalid"
VKSH = "https://w3id.org/veikart/def/shapes/"
QB = "http://purl.org/linked-data/cube#"

INVALID_FIXTURES = sorted(
    p for p in INVALID.glob("*.ttl") if not p.name.endswith(".remove.ttl")
)

# Organisation numbers from tests/reference/veikart-facts.yaml (`organisations`), all valid.
FACTS_ORG_NUMBERS = (
    "915933149", "983544622", "994598759", "983744516", "971032146", "983887406",
    "991324968", "983658725", "983658776", "883658752",
)


def _load(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@cache
def shapes_graph() -> Graph:
    return _load(sorted((ROOT / "shapes").glob("*.ttl")))


@cache
def ontology_graph() -> Graph:
    return _load(sorted((ROOT / "ontology").glob("*.ttl")))


@cache
def codelists_graph() -> Graph:
    return _load([ROOT / "ontology" / "codelists.ttl"])


def _valid_graph() -> Graph:
    return _load([FIXTURES / "valid.ttl"])


def _run(data: Graph) -> ValidationReport:
    graph = Graph()
    for triple in data:
        graph.add(triple)
    for triple in codelists_graph():
        graph.add(triple)
    return validate(graph, shapes_graph(), ontology_graph())


def _expected_shape(fixture: Path) -> str:
    first = fixture.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect: vksh:(\S+)", first)
    assert match, f"{fixture.name}: first line must be '# expect: vksh:<Shape>'"
    return VKSH + match.group(1)


def _fixture_graph(fixture: Path) -> Graph:
    data = _valid_graph()
    removal = fixture.with_name(fixture.stem + ".remove.ttl")
    if removal.exists():
        for triple in _load([removal]):
            assert triple in data, f"{removal.name}: {triple} is not in valid.ttl"
            data.remove(triple)
    for triple in _load([fixture]):
        data.add(triple)
    return data


def _messages(shape: URIRef) -> dict[str, str]:
    """sh:message of a property shape, or of the SPARQL constraint of a node shape."""
    g = shapes_graph()
    carriers = [shape, *g.objects(shape, SH.sparql)]
    found: dict[str, str] = {}
    for carrier in carriers:
        for message in g.objects(carrier, SH.message):
            assert isinstance(message, Literal)
            assert message.language not in found, f"{shape}: two messages @{message.language}"
            found[str(message.language)] = str(message)
    return found


def _checked_shapes() -> set[URIRef]:
    """Every IRI property shape used by a node shape, and every node shape with sh:sparql.

    Helper node shapes reached only through sh:node have no targets and report through the
    property shape that uses them, so their (blank) property shapes are not listed.
    """
    g = shapes_graph()
    found: set[URIRef] = set()
    for node_shape in set(g.subjects(SH.property, None)) | set(g.subjects(SH.sparql, None)):
        for prop in g.objects(node_shape, SH.property):
            if isinstance(prop, URIRef):
                found.add(prop)
        if (node_shape, SH.sparql, None) in g and isinstance(node_shape, URIRef):
            found.add(node_shape)
    return found


def _qname(iri: URIRef) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if str(iri).startswith(namespace):
            return f"{prefix}:{str(iri)[len(namespace):]}"
    return f"<{iri}>"


# --------------------------------------------------------------------------- conformance


def test_valid_fixture_conforms() -> None:
    """The valid graph has no result at all, not even a warning.

    https://www.w3.org/TR/shacl/#conforms : a report conforms when it has no validation result
    (of severity Violation; we also require no Warning here).
    """
    report = _run(_valid_graph())
    assert report.conforms, report.text("en")
    assert report.violations == [], report.text("en")


def _is_sparql_shape(shape: str) -> bool:
    return (URIRef(shape), SH.sparql, None) in shapes_graph()


SPARQL_FIXTURES = [f for f in INVALID_FIXTURES if _is_sparql_shape(_expected_shape(f))]


@pytest.mark.parametrize("fixture", INVALID_FIXTURES, ids=lambda p: p.stem)
def test_invalid_fixture_violates_exactly_its_shape(fixture: Path) -> None:
    """Each invalid fixture produces results from exactly the shape it names, with its messages.

    https://www.w3.org/TR/shacl/#results-source-shape (sh:sourceShape of each result) and
    https://www.w3.org/TR/shacl/#results-message (sh:resultMessage copied from sh:message, one
    per language). For SHACL-SPARQL constraints the source shape is the node shape holding the
    sh:sparql constraint (https://www.w3.org/TR/shacl/#sparql-constraints-validation); their
    messages are checked in test_sparql_result_messages_keep_languages.
    Results with a blank-node source shape are sh:detail results of sh:node helpers
    (https://www.w3.org/TR/shacl/#results-detail) and are ignored here.
    """
    expected = _expected_shape(fixture)
    report = _run(_fixture_graph(fixture))
    named = [v for v in report.violations if not v.source_shape.startswith("_:")]
    assert named, report.text("en")
    assert {v.source_shape for v in named} == {expected}, report.text("en")
    if _is_sparql_shape(expected):
        return
    messages = _messages(URIRef(expected))
    for violation in named:
        assert violation.message_nb == messages["nb"]
        assert violation.message_en == messages["en"]


# pySHACL 0.40.1 re-creates every message of a SHACL-SPARQL result as Literal(text) to fill in
# {?var} templates, dropping the language tag (pyshacl/constraints/constraint_component.py,
# make_v_result). Until validation.py restores the tagged originals from sh:sourceConstraint,
# both message_nb and message_en carry one of the two texts.
@pytest.mark.parametrize("fixture", SPARQL_FIXTURES, ids=lambda p: p.stem)
def test_sparql_result_messages_keep_languages(fixture: Path) -> None:
    """SHACL-SPARQL results carry the constraint's sh:message in nb and in en.

    https://www.w3.org/TR/shacl/#sparql-constraints-validation (sh:resultMessage from the
    constraint's sh:message values).
    """
    expected = _expected_shape(fixture)
    messages = _messages(URIRef(expected))
    named = [v for v in _run(_fixture_graph(fixture)).violations if v.source_shape == expected]
    assert named
    for violation in named:
        assert violation.message_nb == messages["nb"]
        assert violation.message_en == messages["en"]


def test_every_constraint_has_an_invalid_fixture() -> None:
    """No dead shapes: every property shape and SPARQL constraint is triggered by a fixture.

    https://www.w3.org/TR/shacl/#property-shapes and https://www.w3.org/TR/shacl/#sparql-constraints .
    A shape that no fixture violates may be silently broken (for example a comparison the
    engine cannot evaluate).
    """
    named = {_expected_shape(f) for f in INVALID_FIXTURES}
    missing = sorted(str(s) for s in _checked_shapes() if str(s) not in named)
    assert not missing, f"shapes without an invalid fixture: {missing}"
    unknown = sorted(s for s in named if URIRef(s) not in _checked_shapes())
    assert not unknown, f"fixtures naming no checked shape: {unknown}"


def test_every_constraint_has_actionable_messages_in_nb_and_en() -> None:
    """Each checked shape has exactly one sh:message @nb and one @en, and both name the property.

    https://www.w3.org/TR/shacl/#message : sh:message values are copied to sh:resultMessage;
    a data editor reads them, so they must say which property is wrong.
    """
    g = shapes_graph()
    for shape in sorted(_checked_shapes()):
        messages = _messages(shape)
        assert set(messages) == {"nb", "en"}, f"{shape}: messages {sorted(messages)}"
        path = g.value(shape, SH.path)
        if isinstance(path, URIRef):
            needle = _qname(path)
        else:  # SPARQL constraint: it must name some property in prefixed form
            needle = re.search(r"\b[a-z-]+:[A-Za-z]+", messages["en"])
            needle = needle.group(0) if needle else "<no property named>"
        for lang, text in messages.items():
            assert needle in text, f"{shape} @{lang} does not name {needle}: {text}"


def test_property_shapes_have_iris() -> None:
    """Property shapes used directly by node shapes are IRIs, so reports name a stable shape.

    https://www.w3.org/TR/shacl/#results-source-shape
    """
    g = shapes_graph()
    targeted = {
        s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
        for s in g.subjects(p, None)
    }
    blank = [(str(s), o.n3()) for s in targeted for o in g.objects(s, SH.property)
             if not isinstance(o, URIRef)]
    assert not blank


# --------------------------------------------------------------------------- organisation numbers


def _mod11_valid(number: str) -> bool:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    rest = sum(int(d) * w for d, w in zip(number[:8], weights, strict=True)) % 11
    check = 0 if rest == 0 else 11 - rest
    return check != 10 and check == int(number[8])


def _organisations(numbers: list[str]) -> Graph:
    data = _valid_graph()
    for number in numbers:
        org = VKID[f"organisasjon/test-{number}"]
        data.add((org, RDF.type, VK.Organisation))
        data.add((org, SKOS.prefLabel, Literal(f"Test {number}", lang="nb")))
        data.add((org, URIRef("http://xmlns.com/foaf/0.1/name"), Literal(f"Test {number}")))
        data.add((org, URIRef("http://purl.org/dc/terms/source"), URIRef("https://www.brreg.no/")))
        data.add((org, VK.organisationNumber, Literal(number)))
        data.add((org, VK.organisationNumberNote, Literal("Test number.", lang="en")))
        data.add((org, RDFS.seeAlso,
                  URIRef(f"https://data.brreg.no/enhetsregisteret/api/enheter/{number}")))
    return data


def test_org_number_check_accepts_the_real_numbers() -> None:
    """All organisation numbers in tests/reference/veikart-facts.yaml pass the mod-11 SHACL-SPARQL constraint.

    https://www.w3.org/TR/shacl/#sparql-constraints
    """
    assert all(_mod11_valid(n) for n in FACTS_ORG_NUMBERS)
    report = _run(_organisations(list(FACTS_ORG_NUMBERS)))
    assert report.conforms, report.text("en")


def test_org_number_check_agrees_with_python() -> None:
    """The SPARQL check digit flags exactly the numbers a Python mod-11 check rejects.

    https://www.w3.org/TR/shacl/#sparql-constraints (sh:value is the offending organisation).
    """
    rng = random.Random(20261126)
    numbers = sorted({f"{rng.randrange(10**8, 10**9)}" for _ in range(60)})
    report = _run(_organisations(numbers))
    flagged = {v.value for v in report.violations
               if v.source_shape == VKSH + "OrganisationNumberChecksum"}
    expected = {str(VKID[f"organisasjon/test-{n}"]) for n in numbers if not _mod11_valid(n)}
    assert flagged == expected
    assert expected, "the sample should contain some invalid numbers"


# --------------------------------------------------------------------------- ontology


def _vk_terms() -> set[URIRef]:
    g = _load([ROOT / "ontology" / "veikart.ttl"])
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property,
             URIRef(QB + "DimensionProperty"), URIRef(QB + "AttributeProperty"),
             URIRef(QB + "DataStructureDefinition"))
    return {s for k in kinds for s in g.subjects(RDF.type, k)
            if isinstance(s, URIRef) and str(s).startswith(str(VK))}


def test_every_vocabulary_term_has_labels_and_definitions() -> None:
    """Each vk: class and property has rdfs:label, skos:prefLabel and skos:definition in nb and en.

    Contract: docs/model.md, "Classes" (labels are not SHACL-checked; SKOS semantic relations
    https://www.w3.org/TR/skos-reference/#labels).
    """
    g = _load([ROOT / "ontology" / "veikart.ttl"])
    terms = _vk_terms()
    assert len(terms) > 60
    for term in sorted(terms):
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.definition):
            langs = sorted(str(o.language) for o in g.objects(term, prop) if isinstance(o, Literal))
            assert langs == ["en", "nb"], f"{term} {_qname(prop)}: {langs}"


def test_vocabulary_has_no_forbidden_axioms() -> None:
    """No rdfs:domain/range, functional properties or owl:sameAs; only one transitive property.

    the axioms ontology/veikart.ttl deliberately leaves out (what blows up under OWL-RL).
    """
    g = ontology_graph()
    vk_subjects = {s for s in g.subjects() if str(s).startswith(str(VK))}
    for s in vk_subjects:
        assert (s, RDFS.domain, None) not in g and (s, RDFS.range, None) not in g, s
    assert not list(g.subjects(RDF.type, OWL.FunctionalProperty))
    assert not list(g.subjects(RDF.type, OWL.InverseFunctionalProperty))
    assert not list(g.triples((None, OWL.sameAs, None)))
    assert set(g.subjects(RDF.type, OWL.TransitiveProperty)) == {VK.contributesToTransitive}


def test_every_predicate_in_the_valid_fixture_has_labels() -> None:
    """Every predicate used in the valid fixture has an rdfs:label in nb and en (for the pages)."""
    g = ontology_graph()
    for predicate in sorted(set(_valid_graph().predicates())):
        langs = {o.language for o in g.objects(predicate, RDFS.label) if isinstance(o, Literal)}
        assert {"nb", "en"} <= langs, f"no nb+en label for {predicate}"
