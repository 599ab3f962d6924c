"""Restricted inference equals the full OWL-RL run, filtered the same way (issue: give owlrl
less to do, and prove the result is the same)."""

from __future__ import annotations

from pathlib import Path

import owlrl
from rdflib import Graph

from veikart_graph.inference import infer, is_useful
from veikart_graph.sources import load_sources

ROOT = Path(__file__).resolve().parents[1]


def full_closure(data: Graph, ontology: Graph) -> set:
    """owlrl on everything (data with literals, the whole ontology), then the same filter."""
    scratch = Graph()
    scratch += data
    scratch += ontology
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(scratch)
    asserted = set(data) | set(ontology)
    return {t for t in scratch if t not in asserted and is_useful(t)}


def test_restricted_inference_equals_the_full_run_on_the_real_data():
    sources = load_sources(ROOT)
    restricted = set(infer(sources.data, sources.ontology))
    assert restricted == full_closure(sources.data, sources.ontology)
