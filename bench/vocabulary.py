"""Words for synthetic titles and the real code lists the generated data must use.

Titles are made of Norwegian roadmap-like words (so the text search has something to find) with
an English paraphrase for ``dct:description``. Code-list concepts are read from the project's
own ``ontology/codelists.ttl``, never typed in here, so the generated data follows the model.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA_POSITION = ox.NamedNode("http://schema.org/position")
KODELISTE = "https://w3id.org/veikart/id/kodeliste/"

# (nb, en) pairs
TOPICS = [
    ("kjernejournal", "the summary care record"), ("pasientjournal", "the patient record"),
    ("legemiddelliste", "the medication list"), ("e-resept", "e-prescription"),
    ("Helsenorge", "Helsenorge"), ("velferdsteknologi", "welfare technology"),
    ("digital hjemmeoppfølging", "digital home follow-up"), ("samhandling", "collaboration"),
    ("pasientforløp", "patient pathways"), ("prøvesvar", "test results"),
    ("timebestilling", "appointment booking"), ("videokonsultasjon", "video consultation"),
    ("helsedata", "health data"), ("dokumentdeling", "document sharing"),
    ("meldingsutveksling", "message exchange"), ("kodeverk og terminologi", "code systems"),
    ("samtykke", "consent"), ("fullmakt", "power of attorney"), ("henvisning", "referrals"),
    ("epikrise", "discharge summaries"), ("helsekort", "the health card"),
    ("multidose", "multidose dispensing"), ("bildedeling", "image sharing"),
    ("kritisk informasjon", "critical information"), ("legevakt", "out-of-hours services"),
    ("helsestasjon", "health stations"), ("journalinnsyn", "record access"),
    ("tannhelse", "dental health"), ("kunstig intelligens", "artificial intelligence"),
    ("helseregistre", "health registries"),
]
ACTIONS = [
    ("Innføring av", "Roll-out of"), ("Utvikling av", "Development of"),
    ("Utprøving av", "Trial of"), ("Nasjonal løsning for", "A national solution for"),
    ("Forbedret", "Improved"), ("Felles", "Shared"), ("Regional", "Regional"),
    ("Videreutvikling av", "Further development of"),
]
TARGETS = [
    ("i kommunene", "in the municipalities"), ("for fastleger", "for GPs"),
    ("i spesialisthelsetjenesten", "in specialist care"), ("for innbyggere", "for citizens"),
    ("på tvers av nivåer", "across care levels"), ("i helseregionene", "in the health regions"),
    ("for pårørende", "for next of kin"), ("i pleie- og omsorgstjenesten", "in nursing and care"),
]
PLACES = [
    "Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Bodø", "Kristiansand", "Drammen",
    "Fredrikstad", "Ålesund", "Hamar", "Lillehammer", "Molde", "Harstad", "Narvik", "Alta",
    "Gjøvik", "Skien", "Arendal", "Sandnes", "Haugesund", "Steinkjer", "Kongsberg", "Larvik",
]
ORG_KINDS = ["kommune", "helseforetak", "sykehus", "legesenter", "IKT-samarbeid", "apotek"]
GOAL_TITLES = [
    ("Aktiv medvirkning i egen og næres helse", "Active participation in one's own health"),
    ("Enklere arbeidshverdag", "A simpler working day"),
    ("Helsedata til fornying og forbedring", "Health data for renewal and improvement"),
    ("Bærekraftig digitalisering", "Sustainable digitalisation"),
    ("Trygg og sikker tjenesteyting", "Safe and secure services"),
]


def code_lists(codelists_ttl: Path) -> dict[str, list[str]]:
    """Concepts of each code list (``"fase"`` → IRIs), phases in their ``schema:position`` order."""
    store = ox.Store()
    store.load(path=str(codelists_ttl), format=ox.RdfFormat.TURTLE)
    by_scheme: dict[str, list[tuple[int, str]]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), None):
        scheme = quad.object.value
        if not scheme.startswith(KODELISTE):
            continue
        positions = list(store.quads_for_pattern(quad.subject, SCHEMA_POSITION, None))
        order = int(positions[0].object.value) if positions else 0
        by_scheme.setdefault(scheme.removeprefix(KODELISTE), []).append((order, quad.subject.value))
    return {key: [iri for _, iri in sorted(values)] for key, values in by_scheme.items()}


def organisation_number(draw: list[int]) -> str | None:
    """Nine digits with a valid modulus-11 check digit from eight drawn digits (None if none)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    rest = sum(d * w for d, w in zip(draw, weights, strict=True)) % 11
    check = 0 if rest == 0 else 11 - rest
    if check == 10:
        return None
    return "".join(map(str, draw)) + str(check)
