"""Facts → RDF: one rdflib Graph per article, its identifier the article's named-graph IRI;
and the reference data as the rdflib graph the store loads.

The mapping is documented in ``ontology/MAPPING.md``. This package knows nothing of
spaCy; it is tested with hand-built ``ArticleFacts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from geokg.articles import url_problem
from geokg.model import ArticleFacts, Entity, EntityKind, EntityRef, Event
from geokg.namespaces import DCTERMS, GK, OA, PROV, QUDT, SKOS
from geokg.rdf.iris import (
    REFERENCE_GRAPH,
    article_iri,
    entity_iri,
    event_iri,
    evidence_iri,
    graph_iri,
    quantity_iri,
    unit_iri,
)
from geokg.rdf.terms import to_rdflib
from geokg.reference import ReferenceIndex, load_reference

__all__ = ["reference_graph", "to_graph"]

_ENTITY_CLASS = {kind: GK[kind.value] for kind in EntityKind}


def to_graph(facts: ArticleFacts, *, content_hash: str | None = None) -> Graph:
    """Map one article's facts to its named graph.

    Reference entities are only referenced; entities the reference data lacks
    are typed and labelled here, so the graph is valid on its own. ``content_hash``
    (:func:`geokg.model.content_hash` of the article) is stated as ``gk:contentHash``,
    which incremental builds compare.
    """
    article = facts.article
    # No prefixes: the graph travels as N-Triples, and a quarantined one is written with
    # geokg's prefixes bound there; binding rdflib's and ours costs time on every article.
    # rdflib's SimpleMemory store, not its default one: it keeps no contexts, so the graph
    # holds no reference cycle and is freed as soon as it is dropped (the default store
    # refers back to the graph, and a build's worth of such cycles keeps the garbage
    # collector busy).
    graph = Graph(store="SimpleMemory", identifier=graph_iri(article.id), bind_namespaces="none")
    subject = article_iri(article.id)
    graph.add((subject, RDF.type, GK.Article))
    graph.add((subject, DCTERMS.identifier, Literal(article.id)))
    graph.add((subject, GK.text, Literal(article.text)))
    if article.title:
        graph.add((subject, DCTERMS.title, Literal(article.title)))
    if article.date:
        graph.add((subject, DCTERMS.date, Literal(article.date, datatype=XSD.date)))
    if article.url:
        graph.add((subject, DCTERMS.source, URIRef(article.url) if _is_iri(article.url) else Literal(article.url)))
    if content_hash is not None:
        graph.add((subject, GK.contentHash, Literal(content_hash)))
    if facts.publisher:
        graph.add((subject, DCTERMS.publisher, entity_iri(facts.publisher.ref)))
        _add_new_entity(graph, facts.publisher)

    surface: dict[EntityRef, set[str]] = {}
    for mention in facts.mentions:
        surface.setdefault(mention.entity, set()).add(" ".join(mention.evidence.text.split()))
    for entity in facts.entities:
        graph.add((subject, GK.mentions, entity_iri(entity.ref)))
        _add_new_entity(graph, entity, surface.get(entity.ref, ()))
    for ref in facts.about:
        graph.add((subject, GK.salientMention, entity_iri(ref)))

    labels = {entity.ref: entity.label for entity in facts.entities}
    for n, event in enumerate(facts.events, start=1):
        _add_event(graph, article.id, subject, n, event, labels)
    return graph


def _add_new_entity(graph: Graph, entity: Entity, surface_forms: Iterable[str] = ()) -> None:
    if entity.known:
        return
    node = entity_iri(entity.ref)
    graph.add((node, RDF.type, _ENTITY_CLASS[entity.ref.kind]))
    if entity.located_in is not None:
        graph.add((node, GK.country, entity_iri(entity.located_in)))
    graph.add((node, SKOS.prefLabel, Literal(entity.label)))
    # The spellings this article used ("Zelenskyy", "Acme Lithium Inc."), for curators and `geokg entities`.
    for form in surface_forms:
        if form and form != entity.label:
            graph.add((node, SKOS.altLabel, Literal(form)))


def _add_event(
    graph: Graph, article_id: str, article_node: URIRef, n: int, event: Event, labels: dict[EntityRef, str]
) -> None:
    node = event_iri(article_id, n)
    add = graph.add
    add((node, RDF.type, GK.Event))
    add((node, RDF.type, GK[event.type.value]))
    add((node, PROV.wasDerivedFrom, article_node))
    agent = labels.get(event.agent) if event.agent else None
    add((node, RDFS.label, Literal(f"{event.type.value} by {agent}" if agent else event.type.value)))

    for k, span in enumerate((event.evidence, *event.restated)):
        evidence = evidence_iri(article_id, n, k)
        add((node, GK.restatedIn if k else GK.evidence, evidence))
        add((evidence, RDF.type, GK.Evidence))
        add((evidence, OA.start, Literal(span.start, datatype=XSD.integer)))
        add((evidence, OA.end, Literal(span.end, datatype=XSD.integer)))
        add((evidence, OA.exact, Literal(span.text)))

    for prop, ref in (
        (GK.agent, event.agent),
        (GK.onBehalfOf, event.on_behalf_of),
        (GK.place, event.place),
        (GK.attributedTo, event.attributed_to),
        (GK.reportedBy, event.reported_by),
    ):
        if ref is not None:
            add((node, prop, entity_iri(ref)))
    for prop, refs in (
        (GK.theme, event.themes),
        (GK.recipient, event.recipients),
        (GK.counterparty, event.counterparties),
        (GK.rankedAfter, event.ranked_after),
        (GK.about, event.about),
    ):
        for ref in refs:
            add((node, prop, entity_iri(ref)))

    for prop, amount, role in (
        (GK.quantity, event.quantity, ""),
        (GK.change, event.change, "change"),
        (GK.previousQuantity, event.previous, "previous"),
    ):
        if amount is None:
            continue
        quantity = quantity_iri(article_id, n, role)
        add((node, prop, quantity))
        add((quantity, RDF.type, GK.Quantity))
        add((quantity, QUDT.numericValue, Literal(amount.value, datatype=XSD.decimal)))
        # The unit's label lives once, in the reference graph (ontology/reference/units.ttl): repeated in
        # every article graph it would match once per graph in the union default graph and multiply joins.
        add((quantity, QUDT.unit, unit_iri(amount.unit)))
        if amount.text:
            add((quantity, RDFS.label, Literal(amount.text)))
    if event.direction:
        add((node, GK.direction, Literal(event.direction)))
    if event.date is not None:
        add((node, GK.date, Literal(event.date, datatype=XSD.date)))
    if event.status:
        add((node, GK.status, Literal(event.status)))
    add((node, GK.confidence, Literal(Decimal(str(round(event.confidence, 2))), datatype=XSD.decimal)))
    if event.rank is not None:
        add((node, GK.rank, Literal(event.rank, datatype=XSD.integer)))
    if event.measure:
        add((node, GK.measure, Literal(event.measure)))
    if event.quote:
        add((node, GK.quote, Literal(event.quote)))


def _is_iri(value: str) -> bool:
    # The readers refuse malformed web addresses; an Article built by hand may still hold one.
    return value.lower().startswith(("http://", "https://")) and url_problem(value) is None


def reference_graph(index: ReferenceIndex | None = None) -> Graph:
    """The reference data (:meth:`~geokg.reference.ReferenceIndex.stated`) as an rdflib graph
    named ``gkgraph:reference``; that of the packaged data is built once per process.

    Example:
        >>> from geokg.namespaces import SKOS
        >>> graph = reference_graph()
        >>> str(graph.value(URIRef("https://w3id.org/geokg/id/country/RU"), SKOS.prefLabel))
        'Russia'
    """
    return _packaged_reference_graph() if index is None else _reference_graph(index)


@lru_cache(maxsize=1)
def _packaged_reference_graph() -> Graph:
    return _reference_graph(load_reference())


def _reference_graph(index: ReferenceIndex) -> Graph:
    graph = Graph(identifier=REFERENCE_GRAPH)
    for triple in index.stated():
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph
