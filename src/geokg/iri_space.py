"""geokg's IRI space and the store's named graphs as plain strings, without rdflib.

The store, the stored queries and ``geokg query`` read graphs by these names and
so start without rdflib; :mod:`geokg.rdf.iris` mints rdflib terms on top of them.

Example:
    >>> ARTICLE_GRAPH
    'https://w3id.org/geokg/graph/article/'
    >>> article_id_from_graph(ARTICLE_GRAPH + "a1")
    'a1'
"""

from __future__ import annotations

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
