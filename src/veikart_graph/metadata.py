"""The dataset's own description: DCAT-AP-NO (catalogue, dataset, distributions, data service)
and VoID statistics, generated at build time from the graph it describes.

Choices (see README, "Dataset metadata"): the publisher is Helsedirektoratet, the owner of the
roadmap content since 2024; the contact point is the roadmap's public web page (no personal
names); licence NLOD 2.0 from the EU licence list, as DCAT-AP-NO v3 asks.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from .namespaces import (
    BASE,
    BRREG,
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_METADATA,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    SCHEMA,
    VCARD,
    VK,
    VKID,
    VOID,
    bind_prefixes,
)

DATASET = VKID.datasett
CATALOG = VKID.katalog
SERVICE = VKID["sparql-tjeneste"]
PUBLISHER = VKID["organisasjon/helsedirektoratet"]
PUBLISHER_BRREG = URIRef(BRREG + "983544622")
NLOD = URIRef("http://publications.europa.eu/resource/authority/licence/NLOD_2_0")
THEMES = (
    URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL"),
    URIRef("https://psi.norge.no/los/tema/helse-og-omsorg"),
)
CONTACT_URL = URIRef(
    "https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi"
)
SPARQL_URL = URIRef(BASE + "sparql")
WIKIDATA = "http://www.wikidata.org/entity/"

GRAPH_TITLES = {
    GRAPH_DATA: ("Data fra kildene", "Data from the sources"),
    GRAPH_INFERRED: ("Utledede utsagn (OWL-RL)", "Inferred statements (OWL-RL)"),
    GRAPH_ONTOLOGY: ("Vokabular og kodelister", "Vocabulary and code lists"),
    GRAPH_SHAPES: ("SHACL-regler", "SHACL shapes"),
    GRAPH_METADATA: ("Beskrivelse av datasettet (DCAT-AP-NO og VoID)", "Dataset description (DCAT-AP-NO and VoID)"),
}

# format key -> (file suffix, media type, EU file-type IRI)
DOWNLOADS = {
    "ttl": ("ttl", "text/turtle", "TURTLE"),
    "nt": ("nt", "application/n-triples", "RDF_N_TRIPLES"),
    "jsonld": ("jsonld", "application/ld+json", "JSON_LD"),
    "trig": ("trig", "application/trig", "RDF_TRIG"),
}


def download_url(key: str) -> URIRef:
    return URIRef(f"{BASE}download/veikart.{DOWNLOADS[key][0]}")


def describe_dataset(data: Graph, triples_by_graph: dict[str, int], issued: date) -> Graph:
    """DCAT-AP-NO + VoID description of the dataset built from ``data``."""
    g = bind_prefixes(Graph())
    _catalog(g)
    _dataset(g, issued)
    _distributions(g)
    _service(g)
    _void(g, data, triples_by_graph)
    return g


def _labels(g: Graph, node: URIRef, nb: str, en: str, prop: URIRef = DCTERMS.title) -> None:
    g.add((node, prop, Literal(nb, lang="nb")))
    g.add((node, prop, Literal(en, lang="en")))


def _catalog(g: Graph) -> None:
    g.add((CATALOG, RDF.type, DCAT.Catalog))
    _labels(g, CATALOG, "Katalog for veikart-graph", "veikart-graph catalogue")
    _labels(g, CATALOG, "Datasett og tjenester fra veikart-graph.",
            "Datasets and services of veikart-graph.", DCTERMS.description)
    g.add((CATALOG, DCTERMS.identifier, Literal(str(CATALOG))))
    g.add((CATALOG, DCTERMS.publisher, PUBLISHER))
    g.add((CATALOG, DCAT.dataset, DATASET))
    g.add((CATALOG, DCAT.contactPoint, VKID["datasett#kontakt"]))
    g.add((CATALOG, DCAT.service, SERVICE))
    g.add((CATALOG, DCTERMS.license, NLOD))
    g.add((CATALOG, DCTERMS.language, URIRef("http://publications.europa.eu/resource/authority/language/NOB")))


def _dataset(g: Graph, issued: date) -> None:
    g.add((DATASET, RDF.type, DCAT.Dataset))
    _labels(g, DATASET, "Veikart for nasjonal e-helsestrategi som lenkede åpne data",
            "The national e-health strategy roadmap as Linked Open Data")
    _labels(
        g, DATASET,
        "Mål, delmål, aktiviteter, eiere, brukergrupper, faser, tiltak i nasjonal "
        "e-helseportefølje og målinger fra veikartet for nasjonal e-helsestrategi (2023–2030), "
        "med kilde på hvert faktum.",
        "Goals, sub-goals, activities, owners, user groups, phases, national e-health portfolio "
        "measures and measurements from the roadmap of the Norwegian national e-health strategy "
        "(2023-2030), each fact with its public source.",
        DCTERMS.description,
    )
    g.add((DATASET, DCTERMS.identifier, Literal(str(DATASET))))
    g.add((DATASET, DCTERMS.publisher, PUBLISHER))
    g.add((DATASET, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
    g.add((DATASET, DCTERMS.license, NLOD))
    g.add((DATASET, DCAT.contactPoint, VKID["datasett#kontakt"]))
    g.add((VKID["datasett#kontakt"], RDF.type, VCARD.Organization))
    g.add((VKID["datasett#kontakt"], VCARD.hasURL, CONTACT_URL))
    g.add((VKID["datasett#kontakt"], VCARD["organization-name"], Literal("Helsedirektoratet", lang="nb")))
    g.add((VKID["datasett#kontakt"], VCARD.fn, Literal("Helsedirektoratet", lang="nb")))
    for theme in THEMES:
        g.add((DATASET, DCAT.theme, theme))
    for word in ("e-helse", "veikart", "digitalisering", "helse og omsorg"):
        g.add((DATASET, DCAT.keyword, Literal(word, lang="nb")))
    g.add((DATASET, URIRef(str(DCAT) + "inSeries"), VKID.veikart))
    g.add((DATASET, FOAF.page, URIRef(BASE + "dataset")))
    g.add((DATASET, DCTERMS.accessRights,
           URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")))
    g.add((PUBLISHER, RDFS.seeAlso, PUBLISHER_BRREG))  # the number is not looked up (docs/model.md)


def _distributions(g: Graph) -> None:
    for key, (suffix, media_type, file_type) in DOWNLOADS.items():
        dist = VKID[f"datasett/distribusjon/{suffix}"]
        g.add((DATASET, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        _labels(g, dist, f"Hele datasettet ({suffix})", f"The whole dataset ({suffix})")
        g.add((dist, DCAT.accessURL, download_url(key)))
        g.add((dist, DCAT.downloadURL, download_url(key)))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")))
        g.add((dist, DCTERMS.format,
               URIRef(f"http://publications.europa.eu/resource/authority/file-type/{file_type}")))
        g.add((dist, DCTERMS.license, NLOD))
    sparql_dist = VKID["datasett/distribusjon/sparql"]
    g.add((DATASET, DCAT.distribution, sparql_dist))
    g.add((sparql_dist, RDF.type, DCAT.Distribution))
    _labels(g, sparql_dist, "SPARQL-endepunkt", "SPARQL endpoint")
    g.add((sparql_dist, DCAT.accessURL, SPARQL_URL))
    g.add((sparql_dist, DCAT.accessService, SERVICE))
    g.add((sparql_dist, DCTERMS.license, NLOD))


def _service(g: Graph) -> None:
    g.add((SERVICE, RDF.type, DCAT.DataService))
    _labels(g, SERVICE, "SPARQL 1.1-endepunkt for veikartet", "SPARQL 1.1 endpoint of the roadmap")
    _labels(g, SERVICE, "Spørringer mot hele kunnskapsgrafen med SPARQL 1.1.",
            "Query the whole knowledge graph with SPARQL 1.1.", DCTERMS.description)
    g.add((SERVICE, DCTERMS.identifier, Literal(str(SERVICE))))
    g.add((SERVICE, DCTERMS.publisher, PUBLISHER))
    g.add((SERVICE, DCAT.endpointURL, SPARQL_URL))
    g.add((SERVICE, DCAT.endpointDescription, SPARQL_URL))
    g.add((SERVICE, DCAT.servesDataset, DATASET))
    g.add((SERVICE, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((SERVICE, DCTERMS.license, NLOD))
    g.add((SERVICE, DCAT.contactPoint, VKID["datasett#kontakt"]))


def _void(g: Graph, data: Graph, triples_by_graph: dict[str, int]) -> None:
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, VOID.triples, Literal(sum(triples_by_graph.values()))))
    g.add((DATASET, VOID.sparqlEndpoint, SPARQL_URL))
    g.add((DATASET, VOID.uriSpace, Literal(str(VKID))))
    g.add((DATASET, VOID.vocabulary, URIRef(str(VK))))
    for key in DOWNLOADS:
        g.add((DATASET, VOID.dataDump, download_url(key)))
    entities = {s for s in data.subjects(RDF.type, None) if str(s).startswith(str(VKID))}
    g.add((DATASET, VOID.entities, Literal(len(entities))))
    classes = Counter(o for s, o in data.subject_objects(RDF.type) if s in entities)
    for cls, count in sorted(classes.items()):
        part = VKID[f"datasett/klasse/{_local(cls)}"]
        g.add((DATASET, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count)))
    for graph_iri, count in sorted(triples_by_graph.items()):
        _graph_subset(g, URIRef(graph_iri))
        g.add((URIRef(graph_iri), VOID.triples, Literal(count)))
    _graph_subset(g, GRAPH_METADATA)  # not counted: it is being written
    _linksets(g, data)


def _graph_subset(g: Graph, graph_iri: URIRef) -> None:
    """A named graph of the snapshot as a VoID subset, titled, so its IRI resolves to a page."""
    g.add((DATASET, VOID.subset, graph_iri))
    g.add((graph_iri, RDF.type, VOID.Dataset))
    if graph_iri in GRAPH_TITLES:
        _labels(g, graph_iri, *GRAPH_TITLES[graph_iri])


def _linksets(g: Graph, data: Graph) -> None:
    # Register records are rdfs:seeAlso (numbers not looked up there); Wikidata items are schema:sameAs.
    targets = {"brreg": (BRREG, RDFS.seeAlso), "wikidata": (WIKIDATA, SCHEMA.sameAs)}
    for name, (prefix, predicate) in targets.items():
        links = [o for o in data.objects(None, predicate) if str(o).startswith(prefix)]
        linkset = VKID[f"datasett/lenkesett/{name}"]
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, DATASET))
        g.add((linkset, VOID.objectsTarget, URIRef(prefix)))
        g.add((linkset, VOID.linkPredicate, predicate))
        g.add((linkset, VOID.triples, Literal(len(links))))
        g.add((DATASET, VOID.subset, linkset))


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
