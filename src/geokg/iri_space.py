"""geokg's IRI space and the store's named graphs as plain strings, without rdflib.

The store, the stored queries and ``geokg query`` read graphs by these names and
so start without rdflib; :mod:`geokg.rdf.iris` mints rdflib terms on top of them.

Example:
    >>> ARTICLE_GRAPH
    'https://w3id.org/geokg/graph/article/'
    >>> article_id_from_graph(ARTICLE_GRAPH + "a1")
    'a1'
    >>> ID_PREFIXES["country"], KIND_SEGMENT[EntityKind.ORGANIZATION]
    ('https://w3id.org/geokg/id/country/', 'org')
"""

from __future__ import annotations

from geokg.extract.model import EntityKind

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
#: Present while the graphs derived across articles are out of date: set before a build or
#: load writes article graphs, removed once crossdoc has refreshed them (an interrupted
#: build leaves it, and every reading command then says so).
DERIVED_STALE_GRAPH = GRAPH + "state/derived-stale"


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

# IRI path segment of each entity kind (DESIGN.md: country/RU, person/…, org/…); geokg.rdf.iris mints with it.
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

# Prefix → segment of the other ids under ID: minted per article (geokg.rdf.iris), across articles
# (crossdoc) and in the reference data. Units get "gkunit", since "unit" is QUDT's.
_OTHER_ID_SEGMENTS = {
    "article": "article", "event": "event", "evidence": "evidence", "quantity": "quantity",
    "canonical-event": "canonical-event", "office": "office", "tenure": "tenure", "scheme": "scheme",
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
    """Inverse of :func:`geokg.rdf.iris.graph_iri` (None for the reference, ontology and
    cross-document graphs).

    Example:
        >>> article_id_from_graph("https://w3id.org/geokg/graph/article/a1"), article_id_from_graph(REFERENCE_GRAPH)
        ('a1', None)
    """
    if not graph.startswith(ARTICLE_GRAPH):
        return None
    rest = graph[len(ARTICLE_GRAPH):]
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
    rest = graph[len(GRAPH):]
    return bool(rest) and "/" not in rest and graph not in BUILT_IN_GRAPHS
