"""A small made-up roadmap for the view tests: what the real data does not have yet.

The real data has no activity with start/end years or a stated phase and (so far) few
indicators, so bars on the timeline, phase grouping and the indicator chart are pinned down on
this sample. It follows docs/model.md; every value is invented and lives only in the tests.
"""

from __future__ import annotations

import pyoxigraph as ox

from veikart_graph.store import KnowledgeGraph

SAMPLE = """
@prefix vk: <https://w3id.org/veikart/def/> .
@prefix vkg: <https://w3id.org/veikart/graph/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@base <https://w3id.org/veikart/id/> .

vkg:ontology {
  <fase/konsept> a vk:Phase ; skos:prefLabel "Konsept"@nb , "Concept"@en ;
      schema:position 1 ; schema:color "#440154" ; skos:definition "Concept studies."@en .
  <fase/innforing> a vk:Phase ; skos:prefLabel "Innføring"@nb , "Introduction"@en ;
      schema:position 4 ; schema:color "#5EC962" .
  <verditype/utgangsverdi> skos:prefLabel "Utgangsverdi"@nb , "Baseline"@en .
  <verditype/malverdi> skos:prefLabel "Målverdi"@nb , "Target"@en .
  <verditype/malt> skos:prefLabel "Målt verdi"@nb , "Measured value"@en .
  <brukergruppe/pasienter> a vk:UserGroup ; skos:prefLabel "Pasienter"@nb .
}

vkg:data {
  <strategi/s> a vk:Strategy ; skos:prefLabel "Prøvestrategi"@nb ; vk:hasGoal <mal/1> , <mal/2> ;
      vk:vision "En visjon"@nb .
  <mal/1> a vk:Goal ; skos:notation "1" ; skos:prefLabel "Første mål"@nb ;
      dct:description "The first goal."@en ; dct:source <https://example.org/mal-1> .
  <mal/2> a vk:Goal ; skos:notation "2" ; skos:prefLabel "Andre mål"@nb .
  <delmal/1a> a vk:SubGoal ; skos:notation "1A" ; skos:prefLabel "Delmål A"@nb ; vk:subGoalOf <mal/1> ;
      vk:orderIndex 1 .
  <organisasjon/eier-as> a vk:Organisation ; skos:prefLabel "Eier AS"@nb .
  <aktivitet/med-periode> a vk:Activity ; skos:prefLabel "Aktivitet med periode"@nb ;
      vk:contributesTo <delmal/1a> ; vk:phase <fase/innforing> ; vk:owner <organisasjon/eier-as> ;
      vk:userGroup <brukergruppe/pasienter> ;
      vk:startYear "2024"^^xsd:gYear ; vk:endYear "2026"^^xsd:gYear ; vk:milestone <aktivitet/med-periode#m> .
  <aktivitet/med-periode#m> a vk:Milestone ; vk:when "2025-03"^^xsd:gYearMonth ;
      dct:description "Pilot starts"@en ; dct:source <https://example.org/m> .
  <aktivitet/uten-fase> a vk:Activity ; skos:prefLabel "Aktivitet uten fase"@nb ; vk:contributesTo <delmal/1a> .
  <aktivitet/konsept> a vk:Activity ; skos:prefLabel "Konseptaktivitet"@nb ; vk:contributesTo <delmal/1a> ;
      vk:phase <fase/konsept> ; vk:endYear "2031"^^xsd:gYear .
  <indikator/andel> a vk:Indicator ; skos:prefLabel "Andel som bruker tjenesten"@nb ;
      vk:measures <mal/1> ; vk:officialIndicator true ; dct:source <https://example.org/ind> .
  <indikator/andel#2020> a qb:Observation ; vk:indicator <indikator/andel> ; vk:refYear "2020"^^xsd:gYear ;
      vk:valueKind <verditype/utgangsverdi> ; sdmx-measure:obsValue 20.0 ;
      sdmx-attribute:unitMeasure <http://qudt.org/vocab/unit/PERCENT> .
  <indikator/andel#2022> a qb:Observation ; vk:indicator <indikator/andel> ; vk:refYear "2022"^^xsd:gYear ;
      vk:valueKind <verditype/malt> ; sdmx-measure:obsValue 37.5 ; vk:valueQualifier ">" ;
      sdmx-attribute:unitMeasure <http://qudt.org/vocab/unit/PERCENT> ; dct:source <https://example.org/2022> .
  <indikator/andel#2023> a qb:Observation ; vk:indicator <indikator/andel> ; vk:refYear "2023"^^xsd:gYear ;
      vk:valueKind <verditype/malt> ; sdmx-measure:obsValue 45 ;
      sdmx-attribute:unitMeasure <http://qudt.org/vocab/unit/PERCENT> .
  <indikator/andel#2030> a qb:Observation ; vk:indicator <indikator/andel> ; vk:refYear "2030"^^xsd:gYear ;
      vk:valueKind <verditype/malverdi> ; sdmx-measure:obsValue 80 ;
      sdmx-attribute:unitMeasure <http://qudt.org/vocab/unit/PERCENT> .
  <indikator/andel#uten-ar> a qb:Observation ; vk:indicator <indikator/andel> ;
      vk:valueKind <verditype/malt> ; sdmx-measure:obsValue 5000000 ; vk:valueQualifier ">" .
}

vkg:inferred {
  <aktivitet/med-periode> vk:contributesToTransitive <delmal/1a> , <mal/1> .
  <aktivitet/uten-fase> vk:contributesToTransitive <delmal/1a> , <mal/1> .
  <aktivitet/konsept> vk:contributesToTransitive <delmal/1a> , <mal/1> .
  <delmal/1a> vk:contributesToTransitive <mal/1> .
}
"""


def load_sample() -> KnowledgeGraph:
    """The sample roadmap in a fresh in-memory store."""
    store = ox.Store()
    store.load(SAMPLE.encode(), format=ox.RdfFormat.TRIG)
    return KnowledgeGraph(store, "sample")
