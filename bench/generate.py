#!/usr/bin/env python3
"""Generate a synthetic, roadmap-shaped project folder of a given size (deterministic).

Writes ``bench/work/<size>/`` with a copy of the repository's ontology/ and shapes/ and
generated ``data/*.ttl`` that follow docs/model.md and conform to shapes/: goals, sub-goals
(notation ``1A``…``9Z``), benefit statements, indicators with observations, activities with
owners (plus qualified ownership), user groups, phases, start/end years, milestones and
deliverables, portfolio measures, organisations with valid organisation numbers, governance
bodies and several roadmap releases. The repository's own data/ is never read or written.

Partitioning: one file per goal (``data/goal-<n>.ttl``: the goal's sub-goals, benefit
statements, indicators, activities and measures) plus shared files (strategy and the goals
themselves, releases, portfolio, governance, organisations). A goal file refers only to its own
entities, the shared ones and code-list concepts, and no shared entity refers into a goal file,
so each goal file can be validated together with the shared files alone
(``partitioned_validation.py`` checks that this gives the same violations as one run).

Example:
    python3 bench/generate.py 10k 100k          # → bench/work/10k, bench/work/100k
    veikart-graph --root bench/work/10k build
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from common import REPO, WORK, parse_size, progress
from ttl_writer import Block, TurtleFile, iri, text, typed
from vocabulary import ACTIONS, GOAL_TITLES, ORG_KINDS, PLACES, TARGETS, TOPICS, code_lists, organisation_number

SOURCE = "<https://example.org/veikart-bench/{}>"
RELEASES = ["2024-06", "2025-01", "2025-06", "2026-01"]
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The dataset record the build writes names Helsedirektoratet (this key) as publisher.
PUBLISHER_NUMBER = "983544622"


@dataclass(frozen=True)
class Plan:
    """How many of the fixed entities a size gets; activities then fill up to ``target``."""

    target: int
    goals: int
    subgoals_per_goal: int
    organisations: int
    benefits_per_subgoal: int = 4

    @classmethod
    def for_target(cls, target: int) -> Plan:
        goals = 5 if target < 50_000 else 9
        per_goal = min(26, max(3, target // (goals * 1500)))
        return cls(target, goals, per_goal, max(14, target // 700))


@dataclass
class SubGoal:
    key: str
    goal: int
    benefits: list[str] = field(default_factory=list)


def source(path: str) -> str:
    return SOURCE.format(path)


class Generator:
    """Writes the entities; every choice comes from one seeded ``random.Random``."""

    def __init__(self, plan: Plan, codes: dict[str, list[str]], seed: int) -> None:
        self.plan = plan
        self.codes = codes
        self.rng = random.Random(seed)
        self.organisations: list[str] = []
        self.subgoals: list[SubGoal] = []
        self.measures: dict[int, list[str]] = {}
        self.counts: dict[str, int] = {}

    def count(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind]

    def title(self) -> tuple[str, str]:
        (a_nb, a_en), (t_nb, t_en), (g_nb, g_en) = (
            self.rng.choice(ACTIONS), self.rng.choice(TOPICS), self.rng.choice(TARGETS))
        return f"{a_nb} {t_nb} {g_nb}", f"{a_en} {t_en} {g_en}"

    def code(self, scheme: str) -> str:
        return f"<{self.rng.choice(self.codes[scheme])}>"

    # --- shared entities -----------------------------------------------------------------

    def strategy(self) -> Iterator[Block]:
        yield (Block(iri("strategi/nasjonal-e-helsestrategi")).add("a", "vk:Strategy")
               .add("dct:identifier", text("nasjonal-e-helsestrategi"))
               .add("skos:prefLabel", text("Nasjonal e-helsestrategi (syntetisk)", "nb"))
               .add("vk:vision", text("Sammen om helhetlige, trygge og nyskapende tjenester", "nb"))
               .add("vk:hasGoal", *(iri(f"mal/{g}") for g in range(1, self.plan.goals + 1)))
               .add("dct:source", source("strategi")))
        yield (Block(iri("veikart")).add("a", "vk:Roadmap")
               .add("dct:identifier", text("veikart"))
               .add("skos:prefLabel", text("Veikart for nasjonal e-helsestrategi (syntetisk)", "nb"))
               .add("dct:description", text("Synthetic roadmap series for benchmarks.", "en"))
               .add("dct:source", source("veikart")))
        yield from self.releases()
        yield (Block(iri("portefolje")).add("a", "vk:Portfolio")
               .add("dct:identifier", text("portefolje"))
               .add("skos:prefLabel", text("Nasjonal e-helseportefølje (syntetisk)", "nb"))
               .add("dct:source", source("portefolje")))
        yield (Block(iri("indikator/datasett")).add("a", "qb:DataSet")
               .add("qb:structure", "vk:indicatorStructure")
               .add("skos:prefLabel", text("Strategiske e-helseindikatorer", "nb")))
        yield from self.governance()

    def releases(self) -> Iterator[Block]:
        for index, version in enumerate(RELEASES):
            block = (Block(iri(f"veikart/{version}")).add("a", "vk:RoadmapRelease")
                     .add("dct:identifier", text(version))
                     .add("skos:prefLabel", text(f"Veikart for nasjonal e-helsestrategi, {version}", "nb"))
                     .add("dcat:version", text(version)).add("dcat:inSeries", iri("veikart"))
                     .add("dct:issued", typed(f"{version}-01", "xsd:date"))
                     .add("dct:source", source(f"veikart/{version}")))
            if index:
                block.add("dcat:previousVersion", iri(f"veikart/{RELEASES[index - 1]}"))
            yield block

    def governance(self) -> Iterator[Block]:
        bodies = ["nasjonal-radsmodell", "nasjonalt-e-helserad", "nuit", "nufa"]
        for key in bodies:
            block = (Block(iri(f"organ/{key}")).add("a", "vk:GovernanceBody")
                     .add("dct:identifier", text(key))
                     .add("skos:prefLabel", text(key.replace("-", " ").capitalize(), "nb"))
                     .add("dct:source", source(f"organ/{key}")))
            if key == bodies[0]:
                block.add("vk:consistsOf", *(iri(f"organ/{b}") for b in bodies[1:]))
            yield block

    def organisation_blocks(self) -> Iterator[Block]:
        yield self.organisation("organisasjon/helsedirektoratet", "helsedirektoratet", "Helsedirektoratet",
                                PUBLISHER_NUMBER)
        seen = {PUBLISHER_NUMBER}
        while len(self.organisations) < self.plan.organisations:
            number = organisation_number([self.rng.randrange(10) for _ in range(8)])
            if number is None or number in seen or number[0] == "0":
                continue
            seen.add(number)
            n = len(self.organisations) + 1
            name = f"{PLACES[n % len(PLACES)]} {ORG_KINDS[n % len(ORG_KINDS)]} {n}"
            yield self.organisation(f"organisasjon/bench-{n:05d}", f"bench-{n:05d}", name, number)

    def organisation(self, key: str, identifier: str, name: str, number: str) -> Block:
        self.organisations.append(key)
        return (Block(iri(key)).add("a", "vk:Organisation").add("dct:identifier", text(identifier))
                .add("skos:prefLabel", text(name, "nb")).add("foaf:name", text(name, "nb"))
                .add("vk:organisationNumber", text(number)).add("rdfs:seeAlso", f"<{BRREG}{number}>")
                .add("vk:orgNumberSourceQuality", text("secondary"))
                .add("vk:organisationNumberNote", text("Made-up number of the benchmark data.", "en"))
                .add("dct:source", source(key)))

    def owner(self) -> str:
        """Owners are skewed (a few own many items), as in the real portfolio."""
        return self.organisations[int(len(self.organisations) * self.rng.random() ** 2)]

    # --- goal skeleton ---------------------------------------------------------------------

    def goal(self, number: int) -> Block:
        """A goal: in the shared file, because the strategy, sub-goals and measures point to it."""
        nb, en = GOAL_TITLES[(number - 1) % len(GOAL_TITLES)]
        return (Block(iri(f"mal/{number}")).add("a", "vk:Goal")
                .add("dct:identifier", text(str(number))).add("skos:notation", text(str(number)))
                .add("skos:prefLabel", text(f"{nb} ({number})", "nb"))
                .add("skos:inScheme", iri("strategi/nasjonal-e-helsestrategi"))
                .add("dct:description", text(f"Synthetic goal {number}: {en}.", "en"))
                .add("vk:ambition", *(text(f"ambition {i} of goal {number}", "en") for i in (1, 2, 3)))
                .add("dct:source", source(f"mal/{number}")))

    def subgoals_of(self, number: int) -> Iterator[Block]:
        for index in range(self.plan.subgoals_per_goal):
            yield from self.subgoal(number, index)

    def subgoal(self, goal: int, index: int) -> Iterator[Block]:
        notation = f"{goal}{LETTERS[index]}"
        key = f"delmal/{notation.lower()}"
        nb, en = self.title()
        subgoal = SubGoal(key, goal)
        yield (Block(iri(key)).add("a", "vk:SubGoal")
               .add("dct:identifier", text(notation.lower())).add("skos:notation", text(notation))
               .add("skos:prefLabel", text(nb, "nb")).add("dct:description", text(en, "en"))
               .add("vk:subGoalOf", iri(f"mal/{goal}"))
               .add("skos:inScheme", iri("strategi/nasjonal-e-helsestrategi"))
               .add("vk:orderIndex", str(index + 1)).add("dct:source", source(key)))
        for b in range(1, self.plan.benefits_per_subgoal + 1):
            benefit = f"nyttemal/{notation.lower()}-{b}"
            subgoal.benefits.append(benefit)
            yield (Block(iri(benefit)).add("a", "vk:BenefitStatement")
                   .add("dct:identifier", text(f"{notation.lower()}-{b}"))
                   .add("skos:prefLabel", text(f"Nyttemål {b} for delmål {notation}: {self.title()[0]}", "nb"))
                   .add("vk:benefitStatementOf", iri(key)).add("dct:source", source(benefit)))
        self.subgoals.append(subgoal)

    # --- filling entities --------------------------------------------------------------------

    def activity(self, subgoal: SubGoal) -> Iterator[Block]:
        n = self.count("activity")
        key = f"aktivitet/bench-{n:06d}"
        nb, en = self.title()
        owner = self.owner()
        start = self.rng.randint(2023, 2029)
        block = (Block(iri(key)).add("a", "vk:Activity").add("dct:identifier", text(f"bench-{n:06d}"))
                 .add("skos:prefLabel", text(nb, "nb"))
                 .add("dct:description", text(f"Synthetic activity {n}: {en}.", "en"))
                 .add("vk:contributesTo", iri(subgoal.key))
                 .add("vk:owner", iri(owner)).add("vk:qualifiedOwnership", iri(f"{key}#eier"))
                 .add("vk:userGroup", *sorted({self.code("brukergruppe") for _ in range(self.rng.randint(1, 2))}))
                 .add("vk:phase", self.code("fase")).add("vk:status", self.code("status"))
                 .add("vk:startYear", typed(str(start), "xsd:gYear"))
                 .add("vk:endYear", typed(str(self.rng.randint(start, 2030)), "xsd:gYear"))
                 .add("prov:wasDerivedFrom", iri(f"veikart/{self.rng.choice(RELEASES)}"))
                 .add("dct:source", source(key)))
        if self.rng.random() < 0.5:
            block.add("skos:prefLabel", text(en, "en"))
        if self.rng.random() < 0.4:
            block.add("vk:relatedOrganisation", iri(self.owner()))
        if self.measures.get(subgoal.goal) and self.rng.random() < 0.2:
            block.add("vk:relatedMeasure", iri(self.rng.choice(self.measures[subgoal.goal])))
        if self.rng.random() < 0.03:
            block.add("vk:uncertain", "true").add("vk:uncertaintyNote", text("Synthetic uncertainty.", "en"))
        yield from self.ownership(key, owner)
        yield from self.milestones(block, key)
        yield from self.deliverable(block, key, subgoal)
        yield from self.context_fact(block, key)
        yield block

    def ownership(self, item: str, owner: str) -> Iterator[Block]:
        yield (Block(iri(f"{item}#eier")).add("a", "vk:QualifiedOwnership")
               .add("prov:agent", iri(owner)).add("dcat:hadRole", f"<{self.codes['rolle'][0]}>")
               .add("dct:source", source(item)))

    def milestones(self, block: Block, item: str) -> Iterator[Block]:
        for m in range(self.rng.choice((0, 1, 1, 2))):
            year = self.rng.randint(2023, 2030)
            when = (typed(str(year), "xsd:gYear") if m == 0
                    else typed(f"{year}-{self.rng.randint(1, 12):02d}", "xsd:gYearMonth"))
            node = f"{item}#milepael-{m + 1}"
            block.add("vk:milestone", iri(node))
            yield (Block(iri(node)).add("a", "vk:Milestone").add("vk:when", when)
                   .add("dct:description", text(f"milestone {m + 1} of {item}", "en"))
                   .add("dct:source", source(item)))

    def deliverable(self, block: Block, item: str, subgoal: SubGoal) -> Iterator[Block]:
        if self.rng.random() >= 0.2:
            return
        n = self.count("deliverable")
        key = f"leveranse/bench-{n:06d}"
        block.add("vk:component", iri(key))
        yield (Block(iri(key)).add("a", "vk:Deliverable").add("dct:identifier", text(f"bench-{n:06d}"))
               .add("skos:prefLabel", text(f"Leveranse {n}: {self.title()[0]}", "nb"))
               .add("vk:componentOf", iri(item)).add("vk:contributesTo", iri(subgoal.key))
               .add("dct:source", source(key)))

    def context_fact(self, block: Block, item: str) -> Iterator[Block]:
        if self.rng.random() >= 0.05:
            return
        node = f"{item}#kontekst-1"
        block.add("vk:contextFact", iri(node))
        yield (Block(iri(node)).add("a", "vk:ContextFact").add("vk:fromRoadmap", "false")
               .add("dct:description", text(f"A related page mentions {item}.", "en"))
               .add("dct:source", source(node)))

    def measure(self, subgoal: SubGoal) -> Iterator[Block]:
        n = self.count("measure")
        key = f"tiltak/bench-{n:05d}"
        owner = self.owner()
        self.measures.setdefault(subgoal.goal, []).append(key)
        yield from self.ownership(key, owner)
        yield (Block(iri(key)).add("a", "vk:PortfolioMeasure").add("dct:identifier", text(f"bench-{n:05d}"))
               .add("skos:prefLabel", text(f"Tiltak {n}: {self.title()[0]}", "nb"))
               .add("dct:description", text(f"Synthetic portfolio measure {n}.", "en"))
               .add("vk:inPortfolio", iri("portefolje")).add("vk:supportsGoal", iri(f"mal/{subgoal.goal}"))
               .add("vk:contributesTo", iri(subgoal.key))
               .add("vk:owner", iri(owner)).add("vk:qualifiedOwnership", iri(f"{key}#eier"))
               .add("vk:risk", self.code("risiko")).add("vk:segment", self.code("segment"))
               .add("vk:status", self.code("status")).add("vk:phase", self.code("prosjektfase"))
               .add("vk:userGroup", self.code("brukergruppe"))
               .add("dct:source", source(key)))

    def indicator(self, subgoal: SubGoal) -> Iterator[Block]:
        n = self.count("indicator")
        key = f"indikator/bench-{n:05d}"
        target = self.rng.choice([subgoal.key, *subgoal.benefits])
        yield (Block(iri(key)).add("a", "vk:Indicator")
               .add("skos:prefLabel", text(f"Andel {self.rng.choice(TOPICS)[0]} {n}", "nb"))
               .add("dct:description", text(f"Synthetic indicator {n}.", "en"))
               .add("vk:measures", iri(target)).add("vk:officialIndicator", self.rng.choice(("true", "false")))
               .add("dct:source", source(key)))
        first = self.rng.randint(2019, 2022)
        kinds = self.codes["verditype"]
        for year in range(first, first + self.rng.randint(3, 5)):
            yield self.observation(key, year, kinds[0] if year == first else kinds[-1])
        yield self.observation(key, 2030, kinds[1] if len(kinds) > 1 else kinds[0])

    def observation(self, indicator: str, year: int, kind: str) -> Block:
        slug = kind.rsplit("/", 1)[1]
        return (Block(iri(f"{indicator}#{year}-{slug}")).add("a", "qb:Observation")
                .add("qb:dataSet", iri("indikator/datasett")).add("vk:indicator", iri(indicator))
                .add("vk:refYear", typed(str(year), "xsd:gYear")).add("vk:valueKind", f"<{kind}>")
                .add("sdmx-measure:obsValue", f"{self.rng.randint(0, 1000) / 10:.1f}")
                .add("sdmx-attribute:unitMeasure", "unit:PERCENT").add("dct:source", source(indicator)))


def write_project(label: str, target: int, out: Path, seed: int) -> dict[str, int]:
    """Write ``out/<label>`` (ontology/, shapes/ copied; data/ generated); return counts."""
    root = out / label
    guard(root)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "data").mkdir()
    plan = Plan.for_target(target)
    gen = Generator(plan, code_lists(root / "ontology" / "codelists.ttl"), seed)
    with ExitStack() as stack:
        def open_file(name: str, comment: str) -> TurtleFile:
            handle = stack.enter_context(open(root / "data" / name, "w", encoding="utf-8"))
            return TurtleFile(handle, comment)

        files = [open_file("strategy.ttl", "Synthetic strategy, roadmap releases, portfolio, governance"),
                 open_file("organisations.ttl", "Synthetic organisations (valid check digits)")]
        files[0].write(*gen.strategy(), *(gen.goal(g) for g in range(1, plan.goals + 1)))
        files[1].write(*gen.organisation_blocks())
        by_goal = {g: open_file(f"goal-{g}.ttl", f"Synthetic goal {g}: its sub-goals, indicators, activities, measures")
                   for g in range(1, plan.goals + 1)}
        files.extend(by_goal.values())
        for g, handle in by_goal.items():
            handle.write(*gen.subgoals_of(g))
        fill(gen, by_goal, files, target)
    return {"triples": sum(f.triples for f in files), "subjects": sum(f.subjects for f in files),
            "goals": plan.goals, "subgoals": len(gen.subgoals), "organisations": len(gen.organisations),
            **{f"{k}s": v for k, v in gen.counts.items()}}


def fill(gen: Generator, by_goal: dict[int, TurtleFile], files: list[TurtleFile], target: int) -> None:
    """Round-robin over sub-goals: an activity each step, a measure every 7th, an indicator every 10th."""
    step = 0
    while sum(f.triples for f in files) < target:
        subgoal = gen.subgoals[step % len(gen.subgoals)]
        out = by_goal[subgoal.goal]
        if step % 7 == 3:
            out.write(*gen.measure(subgoal))
        if step % 10 == 5:
            out.write(*gen.indicator(subgoal))
        out.write(*gen.activity(subgoal))
        step += 1


def guard(root: Path) -> None:
    """Refuse to write into the repository's own data/, ontology/ or shapes/ (or the repo root)."""
    resolved = root.resolve()
    protected = [REPO / "data", REPO / "ontology", REPO / "shapes"]
    if resolved == REPO or any(resolved == p or p in resolved.parents or resolved in p.parents
                               for p in protected):
        raise SystemExit(f"refusing to write to {resolved}: it is (or holds) the project's own sources")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python3 bench/generate.py 10k 100k 1m",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", help="target data triples: 10k, 100k, 1m or a number")
    parser.add_argument("--out", type=Path, default=WORK, help=f"parent folder (default {WORK})")
    parser.add_argument("--seed", type=int, default=20261126, help="random seed (same seed, same data)")
    args = parser.parse_args(argv)
    for size in args.sizes:
        label, target = parse_size(size)
        progress(f"generating {label} (target {target:,} data triples) into {args.out / label}")
        counts = write_project(label, target, args.out, args.seed)
        progress(f"  {label}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
