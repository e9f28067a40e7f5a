"""geokg's IRIs as rdflib terms, for the code that builds rdflib graphs.

The rules live in :mod:`geokg.iri_space` (plain strings, no rdflib); each function
here wraps its namesake there in a ``URIRef``.

Example:
    >>> from geokg.model import EntityKind
    >>> entity_iri(EntityRef(EntityKind.COUNTRY, "RU"))
    rdflib.term.URIRef('https://w3id.org/geokg/id/country/RU')
    >>> event_iri("a1", 3)
    rdflib.term.URIRef('https://w3id.org/geokg/id/event/a1-3')
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef

from geokg import iri_space
from geokg.model import EntityRef

REFERENCE_GRAPH = URIRef(iri_space.REFERENCE_GRAPH)
ONTOLOGY_GRAPH = URIRef(iri_space.ONTOLOGY_GRAPH)
#: The graphs every build loads from the packaged files (``geokg validate`` checks them).
BUILT_IN_GRAPHS = (REFERENCE_GRAPH, ONTOLOGY_GRAPH)
DERIVED_STALE_GRAPH = URIRef(iri_space.DERIVED_STALE_GRAPH)
CROSSDOC_ENTITIES_GRAPH = URIRef(iri_space.CROSSDOC_ENTITIES_GRAPH)
CROSSDOC_EVENTS_GRAPH = URIRef(iri_space.CROSSDOC_EVENTS_GRAPH)


def entity_iri(ref: EntityRef) -> URIRef:
    return URIRef(iri_space.entity_iri(ref))


def article_iri(article_id: str) -> URIRef:
    return URIRef(iri_space.article_iri(article_id))


def graph_iri(article_id: str) -> URIRef:
    return URIRef(iri_space.graph_iri(article_id))


def event_iri(article_id: str, n: int) -> URIRef:
    return URIRef(iri_space.event_iri(article_id, n))


def quantity_iri(article_id: str, n: int, role: str = "") -> URIRef:
    return URIRef(iri_space.quantity_iri(article_id, n, role))


def evidence_iri(article_id: str, n: int, restatement: int = 0) -> URIRef:
    return URIRef(iri_space.evidence_iri(article_id, n, restatement))


def unit_iri(key: str) -> URIRef:
    return URIRef(iri_space.unit_iri(key))


def canonical_event_iri(members: Iterable[str]) -> URIRef:
    return URIRef(iri_space.canonical_event_iri(members))
