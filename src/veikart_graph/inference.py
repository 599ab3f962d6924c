"""OWL-RL inference restricted to the axioms that help queries, with the noise filtered out.

owlrl's full closure of the data is mostly noise (reflexive owl:sameAs for every term, literal
subjects, axiomatic triples about RDF/OWL themselves). So inference is given less to do:

1. the input is only the data triples a rule can fire on (a property with a super-property,
   an inverse or transitivity; a type whose class has a super-class), plus the schema axioms
   that drive the wanted inferences (``rdfs:subClassOf``, ``rdfs:subPropertyOf``, ``owl:inverseOf``,
   ``owl:TransitiveProperty``) from ``ontology/``;
2. owlrl's ``DeductiveClosure(OWLRL_Semantics)`` runs on that, without axiomatic or datatype
   triples;
3. what is kept is the closure minus the input, about the data's own entities only (IRI
   subjects in ``https://w3id.org/veikart/id/``), minus ``owl:sameAs``, reflexive triples and
   types that say nothing (``owl:Thing``, ``rdfs:Resource``, ``owl:NamedIndividual``).
"""

from __future__ import annotations

import owlrl
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import OWL

from .namespaces import VKID, bind_prefixes

SCHEMA_PREDICATES = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentClass)
NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}
DROPPED_PREDICATES = {OWL.sameAs, OWL.differentFrom}


def reasoning_input(data: Graph, ontology: Graph) -> Graph:
    """The data triples a rule can fire on, plus the driving axioms from ``ontology``.

    With only sub-property, inverse, transitive and sub-/equivalent-class axioms, a triple whose
    property has none of them (and a type whose class has no super-class) fires no rule, so
    leaving it out changes nothing that is kept (it is asserted anyway). ``tests/test_inference``
    proves the result equals owlrl's run over everything.
    """
    scratch = Graph()
    for predicate in SCHEMA_PREDICATES:
        for s, o in ontology.subject_objects(predicate):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                scratch.add((s, predicate, o))
    transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
    for prop in transitive:
        scratch.add((prop, RDF.type, OWL.TransitiveProperty))
    active = (set(ontology.subjects(RDFS.subPropertyOf, None)) | set(ontology.subjects(OWL.inverseOf, None))
              | set(ontology.objects(None, OWL.inverseOf)) | transitive)
    typed = (set(ontology.subjects(RDFS.subClassOf, None)) | set(ontology.subjects(OWL.equivalentClass, None))
             | set(ontology.objects(None, OWL.equivalentClass)))
    for s, p, o in data:
        if p in active or (p == RDF.type and o in typed):
            scratch.add((s, p, o))
    return scratch


def is_useful(triple: tuple, entity_prefix: str = str(VKID)) -> bool:
    """True for an inferred triple worth publishing (see the module docstring, step 3)."""
    s, p, o = triple
    if not isinstance(s, URIRef) or not str(s).startswith(entity_prefix):
        return False
    if p in DROPPED_PREDICATES or s == o:
        return False
    return not (p == RDF.type and o in NOISE_TYPES)


def infer(data: Graph, ontology: Graph) -> Graph:
    """The useful inferred triples (not already asserted in ``data``) as a new graph."""
    scratch = reasoning_input(data, ontology)
    asserted = set(scratch)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(scratch)
    inferred = bind_prefixes(Graph())
    for triple in scratch:
        if triple not in asserted and triple not in data and is_useful(triple):
            inferred.add(triple)
    return inferred
