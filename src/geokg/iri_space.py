"""geokg's IRI space as plain strings: the only place geokg mints IRIs.

Part of the kernel, without rdflib: the store, the stored queries and ``geokg query``
read graphs by these names and so start without rdflib. :mod:`geokg.rdf.iris` wraps
the minting functions for code that builds rdflib graphs.

Example:
    >>> ARTICLE_GRAPH
    'https://w3id.org/geokg/graph/article/'
    >>> article_id_from_graph(ARTICLE_GRAPH + "a1")
    'a1'
    >>> ID_PREFIXES["country"], KIND_SEGMENT[EntityKind.ORGANIZATION]
    ('https://w3id.org/geokg/id/country/', 'org')
    >>> entity_iri(EntityRef(EntityKind.COUNTRY, "RU")), event_iri("a1", 3)
    ('https://w3id.org/geokg/id/country/RU', 'https://w3id.org/geokg/id/event/a1-3')
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from geokg.keys import slugify
from geokg.model import EntityKind, EntityRef

BASE = "https://w3id.org/geokg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

# Article graphs live in a space of their own: when they sat right under GRAPH, an article
# with the id "reference" or "ontology" (a JSON Lines record, reference.txt) replaced that
# built-in graph. Nothing else is minted under ARTICLE_GRAPH, so no id can reach another graph.
ARTICLE_GRAPH = GRAPH + "article/"
REFERENCE_GRAPH = GRAPH + "reference"
ONTOLOGY_GRAPH = GRAPH + "ontology"
#: The graphs every build loads from the packaged files (``geokg validate`` checks them).
BUILT_IN_GRAPHS = (REFERENCE_GRAPH, ONTOLOGY_GRAPH)
# Graphs derived across articles (geokg.crossdoc).
CROSSDOC_ENTITIES_GRAPH = GRAPH + "crossdoc/entities"
CROSSDOC_EVENTS_GRAPH = GRAPH + "crossdoc/events"
#: ``<CROSSDOC_EVENTS_GRAPH> dcterms:conformsTo <CROSSDOC_EVENTS_FORM>``, in that graph, says a
#: cross-document pass that marks disputed fields (``gk:disputedField``) and caches the values its
#: reports give (``report:reportedValue``) wrote it: canonical events without it were written by an
#: older geokg, and a build recomputes them.
CROSSDOC_EVENTS_FORM = GRAPH + "crossdoc/events#reported-values"
#: Present while the graphs derived across articles are out of date: set before a build or
#: load writes article graphs, removed once crossdoc has refreshed them (an interrupted
#: build leaves it, and every reading command then says so).
DERIVED_STALE_GRAPH = GRAPH + "state/derived-stale"
#: Holds one triple, ``<LAYOUT_GRAPH> dcterms:conformsTo <ARTICLE_GRAPH>``, once the store is known
#: to name every article graph under ARTICLE_GRAPH: a build or a reading command then need not
#: list every named graph to look for the names of an older geokg (0.77 s at 10 million quads).
LAYOUT_GRAPH = GRAPH + "state/layout"


# Prefix → namespace of every vocabulary geokg writes (ontology/MAPPING.md): bound on graphs we
# serialise and used for prefixed names in messages. geokg.namespaces builds its terms from these.
PREFIXES: dict[str, str] = {
    "gk": BASE + "ontology#",
    "gkid": ID,
    "gksh": BASE + "shapes#",
    "report": BASE + "report#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "currency": "http://qudt.org/vocab/currency/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}

# IRI path segment of each entity kind (DESIGN.md: country/RU, person/…, org/…).
KIND_SEGMENT: dict[EntityKind, str] = {
    EntityKind.PERSON: "person",
    EntityKind.COUNTRY: "country",
    EntityKind.ORGANIZATION: "org",
    EntityKind.COMPANY: "company",
    EntityKind.MEDIA: "media",
    EntityKind.COMMODITY: "commodity",
    EntityKind.PLACE: "place",
    EntityKind.FACILITY: "facility",
}
SEGMENT_KIND: dict[str, EntityKind] = {segment: kind for kind, segment in KIND_SEGMENT.items()}

# Prefix → segment of the other ids under ID: minted per article (below), across articles
# (crossdoc) and in the reference data. Units get "gkunit", since "unit" is QUDT's.
_OTHER_ID_SEGMENTS = {
    "article": "article",
    "event": "event",
    "evidence": "evidence",
    "quantity": "quantity",
    "canonical-event": "canonical-event",
    "office": "office",
    "tenure": "tenure",
    "scheme": "scheme",
    "gkunit": "unit",
}

#: One prefix per kind of geokg id, so that a serialisation writes ``country:RU`` rather than
#: ``gkid:country\/RU`` (a prefixed name cannot hold a bare "/").
ID_PREFIXES: dict[str, str] = {
    **{segment: f"{ID}{segment}/" for segment in KIND_SEGMENT.values()},
    **{prefix: f"{ID}{segment}/" for prefix, segment in _OTHER_ID_SEGMENTS.items()},
}

#: What exports declare (Turtle, TriG, the JSON-LD ``@context``) and ``geokg sparql`` predeclares.
DECLARED_PREFIXES: dict[str, str] = {**PREFIXES, **ID_PREFIXES}


def article_id_from_graph(graph: str) -> str | None:
    """Inverse of :func:`graph_iri` (None for the reference, ontology and
    cross-document graphs).

    Example:
        >>> article_id_from_graph("https://w3id.org/geokg/graph/article/a1"), article_id_from_graph(REFERENCE_GRAPH)
        ('a1', None)
    """
    if not graph.startswith(ARTICLE_GRAPH):
        return None
    rest = graph[len(ARTICLE_GRAPH) :]
    return rest if rest and "/" not in rest else None


def is_legacy_article_graph(graph: str) -> bool:
    """Whether ``graph`` is an article graph as geokg before issue 18 named it (``…/graph/{id}``).

    Example:
        >>> is_legacy_article_graph("https://w3id.org/geokg/graph/a1"), is_legacy_article_graph(REFERENCE_GRAPH)
        (True, False)
    """
    graph = str(graph)  # rdflib terms never equal plain strings
    if not graph.startswith(GRAPH):
        return False
    rest = graph[len(GRAPH) :]
    return bool(rest) and "/" not in rest and graph not in BUILT_IN_GRAPHS


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


def entity_iri(ref: EntityRef) -> str:
    return f"{ID}{KIND_SEGMENT[ref.kind]}/{ref.key}"


def article_iri(article_id: str) -> str:
    return f"{ID}article/{article_id}"


def graph_iri(article_id: str) -> str:
    """The named graph of an article, in the article graph space.

    Example:
        >>> graph_iri("reference")
        'https://w3id.org/geokg/graph/article/reference'
    """
    return f"{ARTICLE_GRAPH}{article_id}"


def event_iri(article_id: str, n: int) -> str:
    return f"{ID}event/{article_id}-{n}"


def quantity_iri(article_id: str, n: int, role: str = "") -> str:
    """The quantity of event ``n``; ``role`` tells a change or previous level from the amount.

    Example:
        >>> quantity_iri("a1", 2), quantity_iri("a1", 2, "change")
        ('https://w3id.org/geokg/id/quantity/a1-2', 'https://w3id.org/geokg/id/quantity/a1-2-change')
    """
    return f"{ID}quantity/{article_id}-{n}" + (f"-{role}" if role else "")


def evidence_iri(article_id: str, n: int, restatement: int = 0) -> str:
    """The sentence event ``n`` was extracted from; its ``restatement``-th other sentence (from 1)
    as ``…-{n}.{k}``, which no article id with its event number can spell."""
    return f"{ID}evidence/{article_id}-{n}" + (f".{restatement}" if restatement else "")


def unit_iri(key: str) -> str:
    """QUDT IRI of a unit key, else ``gkid:unit/{slug}``.

    Example:
        >>> unit_iri("tonne")
        'http://qudt.org/vocab/unit/TONNE'
        >>> unit_iri("USD per tonne")
        'https://w3id.org/geokg/id/unit/usd-per-tonne'
    """
    return UNIT_IRIS.get(key) or f"{ID}unit/{slugify(key)}"


def canonical_event_iri(members: Iterable[str]) -> str:
    """IRI of the canonical event that groups article events: a hash of their sorted IRIs.

    The same set of reports gives the same IRI whatever order articles were built in.

    Example:
        >>> canonical_event_iri(["https://w3id.org/geokg/id/event/b-1", "https://w3id.org/geokg/id/event/a-2"]) \\
        ...     == canonical_event_iri(["https://w3id.org/geokg/id/event/a-2", "https://w3id.org/geokg/id/event/b-1"])
        True
    """
    digest = hashlib.sha256("\n".join(sorted(set(members))).encode("utf-8")).hexdigest()[:16]
    return f"{ID}canonical-event/{digest}"


def reported_value_iri(event: str, field: str, shown: str, compared: str) -> str:
    """IRI of one value an article event gives for a disputed field, as the cross-document pass
    caches it for the ``disagreements`` query: a hash of the event, the field and the value.

    Example:
        >>> reported_value_iri("https://w3id.org/geokg/id/event/a-1", "rank", '"5"', "5")
        'https://w3id.org/geokg/id/reported-value/7f4b5d6b7574e937'
    """
    text = "\n".join((event, field, shown, compared))
    return f"{ID}reported-value/{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"
