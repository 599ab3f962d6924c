"""Fixtures of the search tests: the index the build wrote into the real snapshot, and a tiny
hand-written graph for the cases the real data does not show (hostile text, ties)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

import veikart_graph.search.hook  # noqa: F401 - the session snapshot is built with the search hook
from veikart_graph.search import INDEX_FILE
from veikart_graph.search.facets import SearchRequest
from veikart_graph.search.index import write_index
from veikart_graph.search.query import SearchIndex
from veikart_graph.snapshot import Snapshot
from veikart_graph.store import KnowledgeGraph

ID = "https://w3id.org/veikart/id/"
TINY = """
@base <https://w3id.org/veikart/id/> .
@prefix vk: <https://w3id.org/veikart/def/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/veikart/graph/data> {
  <mal/9> a vk:Goal ; skos:notation "9" ; skos:prefLabel "Trygg e-helse"@nb , "Safe e-health"@en .
  <aktivitet/a> a vk:Activity ; skos:prefLabel "Kjernejournal for alle"@nb ;
      vk:contributesTo <mal/9> ; vk:contributesToTransitive <mal/9> ; vk:owner <organisasjon/o> ;
      dct:description "Viser <script>alert('x')</script> & \\"sitat\\" i kjernejournalen."@nb .
  <aktivitet/b> a vk:Activity ; skos:prefLabel "Café Ærlig"@nb ; skos:altLabel "CÆ"@nb ;
      dct:description "Tekst om fødselsnummer og Helse Sør-Øst."@nb .
  <organisasjon/o> a vk:Organisation ; skos:prefLabel "Testetaten"@nb ;
      vk:organisationNumber "974760673" .
}
"""


@pytest.fixture(scope="session")
def index(snapshot: Snapshot) -> SearchIndex:
    """The search index the build wrote into the real snapshot."""
    return SearchIndex(snapshot.path / INDEX_FILE)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """An index of ``TINY``: three entities, hostile markup in a description."""
    store = ox.Store()
    store.load(TINY.encode(), format=ox.RdfFormat.TRIG)
    path = Path(tmp_path_factory.mktemp("tiny")) / INDEX_FILE
    write_index(KnowledgeGraph(store), path)
    return SearchIndex(path)


@pytest.fixture(scope="session")
def top(index: SearchIndex) -> Callable[..., list[str]]:
    """``top(q, limit=3, **filters)``: the first results on the real data as IRI keys ("delmal/2b")."""

    def first(q: str, limit: int = 3, **filters: tuple[str, ...]) -> list[str]:
        result = index.search(SearchRequest(q=q, filters=filters, limit=limit))
        return [hit.doc.iri.removeprefix(ID) for hit in result.hits]

    return first
