"""IRIs of the project and of the vocabularies it reuses; imports only rdflib."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

BASE = "https://w3id.org/veikart/"
VK = Namespace(BASE + "def/")
VKID = Namespace(BASE + "id/")
VKG = Namespace(BASE + "graph/")
ONTOLOGY_IRI = BASE + "def"

CV = Namespace("http://data.europa.eu/m8g/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SCHEMA = Namespace("http://schema.org/")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"

# Named graphs of a snapshot.
GRAPH_DATA = VKG.data
GRAPH_INFERRED = VKG.inferred
GRAPH_ONTOLOGY = VKG.ontology
GRAPH_SHAPES = VKG.shapes
GRAPH_METADATA = VKG.metadata
QUERYABLE_GRAPHS = (GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_METADATA)
ALL_GRAPHS = (*QUERYABLE_GRAPHS, GRAPH_SHAPES)

PREFIXES: dict[str, str] = {
    "vk": str(VK),
    "vkid": str(VKID),
    "vkg": str(VKG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "org": str(ORG),
    "prov": str(PROV),
    "qb": str(QB),
    "foaf": str(FOAF),
    "time": str(TIME),
    "cv": str(CV),
    "adms": str(ADMS),
    "schema": str(SCHEMA),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE),
    "vcard": str(VCARD),
    "void": str(VOID),
    "sd": str(SD),
    "sh": str(SH),
    "dcatap": str(DCATAP),
    "unit": str(UNIT),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """PREFIX declarations for every project prefix, for queries written in code."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
