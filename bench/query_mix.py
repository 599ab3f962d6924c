"""The query mix of the HTTP benchmark (the issue's list; same text for every server).

Parameters are fixed IRIs that exist at every generated size (the generator numbers its
entities from 1), so every server answers the same questions on the same data. Year filters
compare ``xsd:integer(STR(?year))``: rdflib cannot order ``xsd:gYear`` values, and the mix must
return the same rows everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

ID = "https://w3id.org/veikart/id/"
PROLOGUE = (
    "PREFIX vk: <https://w3id.org/veikart/def/>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    "PREFIX schema: <http://schema.org/>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
SELECT_JSON = "application/sparql-results+json"
TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Query:
    key: str
    what: str
    text: str
    accept: str = SELECT_JSON


def _entity(iri: str) -> str:
    return f"""SELECT ?dir ?p ?o WHERE {{
  {{ <{iri}> ?p ?o BIND("out" AS ?dir) }} UNION {{ ?o ?p <{iri}> BIND("in" AS ?dir) }}
}}"""


QUERIES = [
    Query("q1_entity", "entity lookup with incoming links (a sub-goal)", _entity(ID + "delmal/1b")),
    Query("q2_goal_acts", "goal → sub-goals → activities, nb labels", f"""SELECT ?sg ?sgLabel ?a ?label WHERE {{
  ?sg vk:subGoalOf <{ID}mal/1> ; skos:prefLabel ?sgLabel .
  ?a vk:contributesTo ?sg ; a vk:Activity ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "nb" && LANG(?sgLabel) = "nb")
}} ORDER BY ?sg ?label"""),
    Query("q3_owner_phase", "activities of one owner in phase ≥ 2 running in 2025–2026",
          f"""SELECT ?a ?label ?phase ?start ?end WHERE {{
  ?a vk:owner <{ID}organisasjon/bench-00002> ; vk:phase ?phase ; vk:startYear ?start ;
     vk:endYear ?end ; skos:prefLabel ?label .
  ?phase schema:position ?pos .
  FILTER(?pos >= 2 && xsd:integer(STR(?start)) <= 2026 && xsd:integer(STR(?end)) >= 2025
         && LANG(?label) = "nb")
}} ORDER BY ?start ?label"""),
    Query("q4_count_group", "activities per goal × phase", """SELECT ?goal ?phase (COUNT(?a) AS ?n) WHERE {
  ?a a vk:Activity ; vk:contributesTo ?sg ; vk:phase ?phase .
  ?sg vk:subGoalOf ?goal .
} GROUP BY ?goal ?phase ORDER BY ?goal ?phase"""),
    Query("q5_text", "naive text search over all labels", """SELECT ?s ?label WHERE {
  ?s skos:prefLabel ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "journal"))
} ORDER BY ?label ?s LIMIT 100"""),
    Query("q6_describe", "DESCRIBE one activity", f"DESCRIBE <{ID}aktivitet/bench-000007>", TRIPLES),
    Query("q7_construct", "CONSTRUCT one goal's subtree (goal, sub-goals, activities)", f"""CONSTRUCT {{
  ?goal ?p ?o . ?sg ?p2 ?o2 . ?a ?p3 ?o3 .
}} WHERE {{
  VALUES ?goal {{ <{ID}mal/2> }}
  {{ ?goal ?p ?o }}
  UNION {{ ?sg vk:subGoalOf ?goal ; ?p2 ?o2 }}
  UNION {{ ?sg vk:subGoalOf ?goal . ?a vk:contributesTo ?sg ; a vk:Activity ; ?p3 ?o3 }}
}}""", TRIPLES),
    Query("q8_list", "activity listing: 6 OPTIONALs, ORDER BY DESC(start) LIMIT 50",
          """SELECT ?a ?label ?ownerName ?phaseLabel ?start ?end ?status WHERE {
  ?a a vk:Activity .
  OPTIONAL { ?a skos:prefLabel ?label FILTER(LANG(?label) = "nb") }
  OPTIONAL { ?a vk:owner ?owner . ?owner foaf:name ?ownerName }
  OPTIONAL { ?a vk:phase ?ph . ?ph skos:prefLabel ?phaseLabel FILTER(LANG(?phaseLabel) = "nb") }
  OPTIONAL { ?a vk:startYear ?start }
  OPTIONAL { ?a vk:endYear ?end }
  OPTIONAL { ?a vk:status ?status }
} ORDER BY DESC(?start) ?a LIMIT 50"""),
]
ENTITY_QUERIES = [
    Query("q1_entity_act", "entity lookup with incoming links (an activity)", _entity(ID + "aktivitet/bench-000003")),
    Query("q6_describe", "DESCRIBE one activity", f"DESCRIBE <{ID}aktivitet/bench-000007>", TRIPLES),
]
MIXES = {"full": QUERIES, "entity": ENTITY_QUERIES}

# HTML pages of the browser (routes owned by other features; missing ones are skipped).
PAGES = {
    "entity page": "/page/id/aktivitet/bench-000003",
    "goal page": "/veikart/mal/1",
    "timeline": "/veikart/tidslinje",
    "search": "/search?q=journal",
}


def full_text(query: Query) -> str:
    return PROLOGUE + query.text
