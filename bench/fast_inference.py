#!/usr/bin/env python3
"""Prototypes for the lead: the build's restricted OWL-RL inference, faster, with the same result.

``veikart_graph.inference.infer`` gives owlrl only the data's links and four kinds of axiom
(``rdfs:subClassOf``, ``rdfs:subPropertyOf``, ``owl:inverseOf``/``owl:equivalentClass``,
``owl:TransitiveProperty``). With only those in the input, the OWL-RL rules that can fire on the
data's own entities are prp-spo1 (sub-property), prp-inv1/2 (inverse), prp-trp (transitive),
cax-sco and cax-eqc1/2 (sub-class, equivalent class) over the schema closure (scm-spo, scm-sco,
scm-eqc); everything else owlrl derives is about the schema, is reflexive, or is owl:sameAs, and
``is_useful`` drops it. This applies exactly those rules, semi-naively with indexes, on the same
``reasoning_input`` and keeps the result through the same filter — then checks that the answer
equals ``infer``'s (the full owlrl run) and reports the CPU time of both. Second prototype, which
keeps owlrl as the issue asks ("pyshacl and owlrl stay ... give them less to do"): owlrl on only
the input triples a rule can fire on (``owlrl_on_less``).

Example:
    python3 bench/fast_inference.py real 10k 100k          # compare with owlrl (100k: ~1 min)
    python3 bench/fast_inference.py 1m --no-owlrl          # time the prototype alone
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import owlrl
from common import REPO, WORK, fmt, progress, table
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import OWL

from veikart_graph.inference import infer, is_useful, reasoning_input
from veikart_graph.namespaces import bind_prefixes
from veikart_graph.sources import load_sources


def closure(pairs: set[tuple]) -> dict:
    """Reflexive-transitive closure of a relation given as (sub, super) pairs: node → supers."""
    direct: dict = defaultdict(set)
    for sub, sup in pairs:
        direct[sub].add(sup)
    result = {}
    for start in list(direct):
        seen, todo = set(), [start]
        while todo:
            for nxt in direct.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        result[start] = seen - {start}
    return result


class Rules:
    """The schema part of the input, pre-closed (scm-spo, scm-sco, scm-eqc)."""

    def __init__(self, scratch: Graph) -> None:
        classes = {(s, o) for s, o in scratch.subject_objects(RDFS.subClassOf)}
        for a, b in scratch.subject_objects(OWL.equivalentClass):
            classes |= {(a, b), (b, a)}
        self.super_classes = closure(classes)
        self.super_properties = closure(set(scratch.subject_objects(RDFS.subPropertyOf)))
        self.inverses: dict = defaultdict(set)
        for p, q in scratch.subject_objects(OWL.inverseOf):
            self.inverses[p].add(q)
            self.inverses[q].add(p)
        self.transitive = set(scratch.subjects(RDF.type, OWL.TransitiveProperty))
        self.schema = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentClass}

    def consequences(self, s, p, o) -> list[tuple]:
        """What one triple gives on its own (everything but transitivity)."""
        out = [(s, q, o) for q in self.super_properties.get(p, ())]
        out += [(o, q, s) for q in self.inverses.get(p, ())]
        if p == RDF.type:
            out += [(s, RDF.type, c) for c in self.super_classes.get(o, ())]
        return out


def saturate(triples: set[tuple], rules: Rules) -> set[tuple]:
    """Semi-naive fixpoint of the rules over ``triples`` (returned grown)."""
    forward: dict = defaultdict(lambda: defaultdict(set))   # p → s → {o} for transitive p
    backward: dict = defaultdict(lambda: defaultdict(set))  # p → o → {s}
    todo = list(triples)
    for s, p, o in todo:
        if p in rules.transitive:
            forward[p][s].add(o)
            backward[p][o].add(s)
    while todo:
        s, p, o = todo.pop()
        derived = rules.consequences(s, p, o)
        if p in rules.transitive:
            derived += [(s, p, z) for z in list(forward[p].get(o, ()))]
            derived += [(w, p, o) for w in list(backward[p].get(s, ()))]
        for triple in derived:
            if triple[1] in rules.schema or triple in triples:
                continue
            triples.add(triple)
            todo.append(triple)
            if triple[1] in rules.transitive:
                forward[triple[1]][triple[0]].add(triple[2])
                backward[triple[1]][triple[2]].add(triple[0])
    return triples


def fast_infer(data: Graph, ontology: Graph) -> Graph:
    """Same contract as ``veikart_graph.inference.infer``."""
    scratch = reasoning_input(data, ontology)
    asserted = set(scratch)
    grown = saturate(set(asserted), Rules(scratch))
    inferred = bind_prefixes(Graph())
    for triple in grown - asserted:
        if triple not in data and is_useful(triple):
            inferred.add(triple)
    return inferred


def owlrl_on_less(data: Graph, ontology: Graph) -> Graph:
    """owlrl kept, given less: only the triples a rule can fire on (the issue's first choice).

    With only sub-property, inverse, transitive and sub-/equivalent-class axioms in the input, a
    data triple whose property has none of them (and a type whose class has no super-class)
    fires no rule; dropping it changes nothing the filter keeps (it is asserted data anyway).
    """
    scratch = reasoning_input(data, ontology)
    schema = Rules(scratch)
    active = (set(schema.super_properties) | set(schema.inverses) | schema.transitive)
    typed = set(schema.super_classes)
    less = Graph()
    for s, p, o in scratch:
        if p in schema.schema or p in active or (p == RDF.type and (o in typed or o == OWL.TransitiveProperty)):
            less.add((s, p, o))
    asserted = set(less)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(less)
    inferred = bind_prefixes(Graph())
    for triple in less:
        if triple not in asserted and triple not in data and is_useful(triple):
            inferred.add(triple)
    return inferred


def timed(function, *args) -> tuple[Graph, float]:
    started = time.process_time()
    result = function(*args)
    return result, time.process_time() - started


def verdict(reference: Graph, other: Graph, name: str, label: str) -> str:
    missing, extra = set(reference) - set(other), set(other) - set(reference)
    for triple in sorted(missing)[:3]:
        progress(f"  {label} {name} misses {triple}")
    for triple in sorted(extra)[:3]:
        progress(f"  {label} {name} adds {triple}")
    return "equal" if not missing and not extra else f"DIFFERENT: {len(missing)} missing, {len(extra)} extra"


def compare(label: str, run_owlrl: bool, work: Path) -> list:
    root = REPO if label == "real" else work / label
    sources = load_sources(root)
    fast, fast_s = timed(fast_infer, sources.data, sources.ontology)
    progress(f"{label}: rule prototype {fast_s:.2f} s CPU, {len(fast):,} triples")
    less, less_s = timed(owlrl_on_less, sources.data, sources.ontology)
    progress(f"{label}: owlrl on less {less_s:.2f} s CPU, {len(less):,} triples")
    if not run_owlrl:
        return [label, len(sources.data), None, less_s, fast_s, None, "not compared",
                verdict(less, fast, "rules", label)]
    full, full_s = timed(infer, sources.data, sources.ontology)
    progress(f"{label}: owlrl as today {full_s:.2f} s CPU, {len(full):,} triples")
    return [label, len(sources.data), full_s, less_s, fast_s, len(full),
            verdict(full, less, "owlrl on less", label), verdict(full, fast, "rules", label)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["real", "10k"], help="real, 10k, 100k, 1m (generated)")
    parser.add_argument("--no-owlrl", action="store_true", help="time the prototype only")
    parser.add_argument("--work", type=Path, default=WORK)
    args = parser.parse_args(argv)
    rows = [compare(label, not args.no_owlrl, args.work) for label in args.sizes]
    print(table(["size", "data triples", "owlrl today CPU s", "owlrl on less CPU s", "rules CPU s",
                 "inferred triples", "owlrl on less vs today", "rules vs today (or vs owlrl on less)"], rows))
    different = [r[0] for r in rows if any(str(c).startswith("DIFFERENT") for c in r[-2:])]
    print("\nsummary: " + "; ".join(f"{r[0]} owlrl today {fmt(r[2])} s, on less {fmt(r[3])} s, rules {fmt(r[4])} s CPU"
                                    for r in rows)
          + (f"; DIFFERENT on {', '.join(different)}" if different else "; all results equal"))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
