"""The only place geokg mints IRIs. Pure functions over keys and ids.

Example:
    >>> entity_iri(EntityRef(EntityKind.COUNTRY, "RU"))
    rdflib.term.URIRef('https://w3id.org/geokg/id/country/RU')
    >>> event_iri("a1", 3)
    rdflib.term.URIRef('https://w3id.org/geokg/id/event/a1-3')
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from geokg.extract.model import EntityKind, EntityRef

BASE = "https://w3id.org/geokg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

REFERENCE_GRAPH = URIRef(GRAPH + "reference")
ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")
COMMODITY_SCHEME = URIRef(ID + "scheme/commodities")

# IRI path segment of each entity kind (DESIGN.md: country/RU, person/…, org/…).
KIND_SEGMENT = {
    EntityKind.PERSON: "person",
    EntityKind.COUNTRY: "country",
    EntityKind.ORGANIZATION: "org",
    EntityKind.COMPANY: "company",
    EntityKind.MEDIA: "media",
    EntityKind.COMMODITY: "commodity",
    EntityKind.PLACE: "place",
}
SEGMENT_KIND = {segment: kind for kind, segment in KIND_SEGMENT.items()}

_QUDT_UNIT = "http://qudt.org/vocab/unit/"
_QUDT_CURRENCY = "http://qudt.org/vocab/currency/"
# Unit keys the extractor emits → QUDT IRIs where QUDT has the unit; other keys
# get gkid:unit/{slug}. Labels for all of them live in ontology/reference/units.ttl.
UNIT_IRIS = {
    "tonne": _QUDT_UNIT + "TONNE",
    "kilogram": _QUDT_UNIT + "KiloGM",
    "percent": _QUDT_UNIT + "PERCENT",
    "barrel": _QUDT_UNIT + "BBL",
    "cubic metre": _QUDT_UNIT + "M3",
    "troy ounce": _QUDT_UNIT + "OZ_TROY",
    "megawatt": _QUDT_UNIT + "MegaW",
    "USD": _QUDT_CURRENCY + "USD",
    "EUR": _QUDT_CURRENCY + "EUR",
    "GBP": _QUDT_CURRENCY + "GBP",
    "JPY": _QUDT_CURRENCY + "JPY",
    "CNY": _QUDT_CURRENCY + "CNY",
    "AUD": _QUDT_CURRENCY + "AUD",
    "CAD": _QUDT_CURRENCY + "CAD",
    "INR": _QUDT_CURRENCY + "INR",
    "RUB": _QUDT_CURRENCY + "RUB",
}


def slugify(text: str) -> str:
    """Lower-case ASCII slug: the key of entities minted from a label.

    Example:
        >>> slugify("Nicolás  Maduro")
        'nicolas-maduro'
        >>> slugify("JW&JI Mcdonald & Sons")
        'jw-ji-mcdonald-sons'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


def entity_iri(ref: EntityRef) -> URIRef:
    return URIRef(f"{ID}{KIND_SEGMENT[ref.kind]}/{ref.key}")


def article_iri(article_id: str) -> URIRef:
    return URIRef(f"{ID}article/{article_id}")


def graph_iri(article_id: str) -> URIRef:
    return URIRef(f"{GRAPH}{article_id}")


def event_iri(article_id: str, n: int) -> URIRef:
    return URIRef(f"{ID}event/{article_id}-{n}")


def quantity_iri(article_id: str, n: int) -> URIRef:
    return URIRef(f"{ID}quantity/{article_id}-{n}")


def evidence_iri(article_id: str, n: int) -> URIRef:
    return URIRef(f"{ID}evidence/{article_id}-{n}")


def unit_iri(key: str) -> URIRef:
    """QUDT IRI of a unit key, else ``gkid:unit/{slug}``.

    Example:
        >>> unit_iri("tonne")
        rdflib.term.URIRef('http://qudt.org/vocab/unit/TONNE')
        >>> unit_iri("USD per tonne")
        rdflib.term.URIRef('https://w3id.org/geokg/id/unit/usd-per-tonne')
    """
    return URIRef(UNIT_IRIS.get(key) or f"{ID}unit/{slugify(key)}")


def article_id_from_graph(graph: str) -> str | None:
    """Inverse of :func:`graph_iri` (None for the reference and ontology graphs)."""
    if not graph.startswith(GRAPH):
        return None
    rest = graph[len(GRAPH):]
    return None if rest in ("reference", "ontology") else rest
