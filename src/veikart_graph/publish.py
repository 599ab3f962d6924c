"""``veikart-graph publish --store URL``: load the validated snapshot into a SPARQL 1.1 store.

With the Graph Store Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) and one SPARQL
Update request, never a home-made loader:

1. **stage**: each named graph of the snapshot is uploaded to its own staging graph
   (``…/graph/staging/<hash12>/<name>``): ``PUT`` the first chunk, ``POST`` the rest
   (``CHUNK`` triples a request); the live graphs are not touched;
2. **check**: the staging graphs are counted; any difference stops here;
3. **swap**: one update request moves every staging graph onto its live graph and records the
   release (``RELEASE_GRAPH``: the snapshot hash). One request is one transaction on Oxigraph
   and Virtuoso: readers see the old release or the new one, never a mix;
4. **verify**: the live graphs are counted again and the release read back.

A failure before the swap drops the staging graphs and leaves the live graphs as they were,
and says so; the command exits 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

import click
import pyoxigraph as ox

from .errors import VeikartError
from .namespaces import ALL_GRAPHS, VKG
from .remote import RELEASE_GRAPH, RELEASE_PROPERTY, Endpoints, RemoteGraph, StoreClient, raise_for_status
from .snapshot import Snapshot

CHUNK = 50_000
UPLOAD_TIMEOUT = 600.0
OK = (200, 201, 204)
ISSUED = "http://purl.org/dc/terms/issued"
HAS_PART = "http://purl.org/dc/terms/hasPart"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
Progress = Callable[[str], None]


class PublishError(VeikartError):
    """Publishing stopped; ``message`` says at which step and what the store now holds."""

    status = 503
    exit_code = 2


@dataclass
class Plan:
    """What a snapshot puts in the store: triples per live graph, and the staging graph names."""

    snapshot_hash: str
    triples: dict[str, list[ox.Triple]] = field(default_factory=dict)

    @property
    def expected(self) -> dict[str, int]:
        return {g: len(t) for g, t in self.triples.items()}

    def staging(self, graph: str) -> str:
        return f"{VKG}staging/{self.snapshot_hash[:12]}/{quote(graph.removeprefix(str(VKG)), safe='')}"


@dataclass
class Result:
    snapshot_hash: str
    previous: str | None
    counts: dict[str, int]

    def summary(self) -> str:
        lines = [f"published snapshot {self.snapshot_hash[:12]} (the store held "
                 f"{self.previous[:12] if self.previous else 'no release'} before)"]
        lines += [f"  {n:>9}  {g}" for g, n in sorted(self.counts.items())]
        return "\n".join(lines)


def plan(snapshot: Snapshot) -> Plan:
    """The snapshot's triples by named graph (the standard graphs always, empty or not)."""
    by_graph: dict[str, set[ox.Triple]] = {str(g): set() for g in ALL_GRAPHS}
    for quad in ox.parse(path=str(snapshot.dataset_path), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise PublishError("the snapshot has triples outside the named graphs; rebuild it")
        by_graph.setdefault(quad.graph_name.value, set()).add(quad.triple)
    result = Plan(snapshot.manifest.hash)
    for iri in sorted(by_graph):
        result.triples[iri] = sorted(by_graph[iri], key=str)
    return result


class Publisher:
    """The four steps against one store (``Endpoints``), reporting through ``progress``."""

    def __init__(self, endpoints: Endpoints, progress: Progress = lambda _: None,
                 timeout: float = UPLOAD_TIMEOUT) -> None:
        self.endpoints = endpoints
        self.client = StoreClient(endpoints.query, timeout)
        self.reader = RemoteGraph(endpoints.query, timeout=timeout)
        self.progress = progress

    def publish(self, snapshot: Snapshot) -> Result:
        the_plan = plan(snapshot)
        previous = self.reader.release()
        try:
            self.stage(the_plan)
            self.check(the_plan.expected, {the_plan.staging(g): g for g in the_plan.triples}, "staging")
        except VeikartError as exc:
            self.drop_staging(the_plan)
            raise PublishError(f"publish failed before the swap: {exc.message}. The store's graphs are "
                               f"unchanged: it still holds {_release(previous)}.") from exc
        self.swap(the_plan, previous)
        counts = self.check(the_plan.expected, {g: g for g in the_plan.triples}, "live")
        return Result(the_plan.snapshot_hash, previous, counts)

    def stage(self, the_plan: Plan) -> None:
        for graph, triples in the_plan.triples.items():
            staging = the_plan.staging(graph)
            self.progress(f"uploading {len(triples)} triples of {graph}")
            for start in range(0, max(len(triples), 1), CHUNK):
                chunk = triples[start:start + CHUNK]
                if chunk:
                    self.upload(staging, chunk, replace=start == 0)

    def upload(self, graph: str, triples: list[ox.Triple], *, replace: bool) -> None:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        url = f"{self.endpoints.gsp}?graph={quote(graph, safe='')}"
        answer = self.client.request("PUT" if replace else "POST", url, body,
                                     {"Content-Type": "application/n-triples"})
        if answer.status not in OK:
            raise PublishError(f"the store refused the upload to {graph} ({answer.status}: {answer.text[:300]})")

    def check(self, expected: dict[str, int], names: dict[str, str], what: str) -> dict[str, int]:
        """Count the graphs ``names`` (store name → live name); ``PublishError`` on a difference."""
        found = {names[g]: n for g, n in self._counts(list(names)).items()}
        wrong = {g: (n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n}
        if wrong:
            detail = "; ".join(f"{g}: expected {n}, found {m}" for g, (n, m) in sorted(wrong.items()))
            raise PublishError(f"the {what} graphs do not hold the snapshot ({detail})")
        self.progress(f"{what} graphs verified: " + ", ".join(f"{g.rsplit('/', 1)[-1]} {n}"
                                                           for g, n in sorted(found.items())))
        return found

    def _counts(self, graphs: list[str]) -> dict[str, int]:
        text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        result = self.reader.run(text, default_graphs=graphs, named_graphs=graphs)
        return {row["g"].value: int(row["n"].value) for row in result}

    def swap(self, the_plan: Plan, previous: str | None) -> None:
        """One update request: every live graph replaced by its staging graph, and the release."""
        gone = set(self.reader.release_record(HAS_PART)) - set(the_plan.triples)
        operations = [f"DROP SILENT GRAPH <{g}>" for g in sorted(gone)]
        operations += [
            f"MOVE <{the_plan.staging(g)}> TO <{g}>" if triples else f"DROP SILENT GRAPH <{g}>"
            for g, triples in the_plan.triples.items()
        ]
        operations += [f"DROP SILENT GRAPH <{RELEASE_GRAPH}>", "INSERT DATA { " + release_triples(the_plan) + " }"]
        self.progress("swapping the staging graphs in (one update request)")
        try:
            answer = self.client.request("POST", self.endpoints.update, " ;\n".join(operations).encode(),
                                         {"Content-Type": "application/sparql-update"}, retry=False)
            raise_for_status(answer, self.client.where)
        except VeikartError as exc:
            if self._release_or_none() == the_plan.snapshot_hash:
                return  # the answer was lost but the swap happened
            self.drop_staging(the_plan)
            raise PublishError(f"the swap failed: {exc.message}. The store's graphs are unchanged: it "
                               f"still holds {_release(previous)}.") from exc

    def _release_or_none(self) -> str | None:
        try:
            return self.reader.release()
        except VeikartError:
            return None

    def drop_staging(self, the_plan: Plan) -> None:
        """Best effort: remove what was uploaded (a store that is down keeps it until next time)."""
        text = " ;\n".join(f"DROP SILENT GRAPH <{the_plan.staging(g)}>" for g in the_plan.triples)
        try:
            self.client.request("POST", self.endpoints.update, text.encode(),
                                {"Content-Type": "application/sparql-update"})
        except VeikartError:
            self.progress("could not remove the staging graphs; the next publish replaces them")


def release_triples(the_plan: Plan) -> str:
    """The release record as a ``GRAPH`` block for ``INSERT DATA``."""
    node = ox.NamedNode(RELEASE_GRAPH)
    issued = ox.Literal(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD_DATETIME))
    triples = [(node, ox.NamedNode(RELEASE_PROPERTY), ox.Literal(the_plan.snapshot_hash)),
               (node, ox.NamedNode(ISSUED), issued)]
    triples += [(node, ox.NamedNode(HAS_PART), ox.NamedNode(g)) for g in the_plan.triples]
    body = " ".join(f"{s} {p} {o} ." for s, p, o in triples)
    return f"GRAPH <{RELEASE_GRAPH}> {{ {body} }}"


def _release(found: str | None) -> str:
    return f"release {found[:12]}" if found else "no published release"


@click.command(epilog="Example:\n\n  veikart-graph publish --store http://127.0.0.1:7878")
@click.option("--store", "store_url", default=None,
              help="The store's SPARQL query endpoint URL (default: VEIKART_STORE).")
@click.option("--update-url", default=None, help="Its SPARQL Update endpoint, if not the usual one.")
@click.option("--gsp-url", default=None, help="Its Graph Store Protocol endpoint, if not the usual one.")
@click.pass_context
def publish(ctx: click.Context, store_url: str | None, update_url: str | None, gsp_url: str | None) -> None:
    """Load the validated snapshot into a SPARQL 1.1 store: each named graph staged with the Graph
    Store Protocol, swapped in by one update request, and counted afterwards.

    Builds first if the snapshot is missing or stale. Exit 0 published, 2 failed (the store's
    previous graphs are then unchanged; the message says so).
    """
    from .build import ensure_snapshot
    from .remote import is_remote
    from .settings import Settings

    settings = Settings.from_env(root=(ctx.obj or {}).get("root"))
    url = store_url or settings.store
    if not is_remote(url):
        raise click.UsageError("give the store's URL with --store or VEIKART_STORE")
    try:
        endpoints = Endpoints.from_url(url, update_url, gsp_url)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    progress = lambda message: click.echo(message, err=True)  # noqa: E731
    try:
        snapshot = ensure_snapshot(settings, progress=progress)
        result = Publisher(endpoints, progress).publish(snapshot)
    except VeikartError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    click.echo(result.summary())
