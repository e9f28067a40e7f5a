"""The store as a networkx graph: entities and events as nodes, roles as edges.

Two views of the same facts:

``view="events"`` (the default) is a :class:`networkx.MultiDiGraph` with two kinds of node.

* **entity** nodes (countries, people, organisations, companies, media, exchanges,
  commodities, places), keyed by IRI, with attributes ``kind="entity"``, ``type``
  (the class's local name: ``Country``, ``Person``, ``Organization``, ``Company``,
  ``Media``, ``Exchange``, ``Commodity``, ``Place``), ``label`` (``skos:prefLabel``),
  ``iri``, and where known ``iso`` (ISO 3166-1 alpha-2), ``wikidata`` (a QID) and
  ``country`` (the preferred label of the entity's ``gk:country``: Putin → Russia).
* **event** nodes, keyed by IRI, with ``kind="event"``, ``type`` (``Offer``,
  ``Statement``, … the event class's local name), ``label`` (``rdfs:label``, else the
  type), ``iri``, ``article`` (the article id), ``sentence`` (the evidence sentence)
  and, where the article gives them, ``date`` (ISO ``YYYY-MM-DD`` string),
  ``status``, ``value`` (float) and ``unit``, ``measure``, ``rank``.

Each edge runs **from the event to a participant**; its key and its ``role`` and
``label`` attributes name the role: ``agent``, ``onBehalfOf``, ``theme``,
``recipient``, ``counterparty``, ``place``, ``about``, ``rankedAfter``,
``attributedTo``, ``reportedBy`` (the ``gk:`` properties of ``ontology/MAPPING.md``).

``view="actors"`` collapses each event into edges between entities: a
:class:`networkx.MultiDiGraph` with the same entity nodes, and one edge per event
from the acting side (``onBehalfOf``, else ``agent``) to each ``recipient``, else to
each ``theme`` commodity. The edge key is the event IRI; attributes ``type``,
``label`` (``"Offer: Aluminium"``), ``event``, ``themes`` (commodity labels),
``article``, ``sentence``, ``date``, ``status``, ``value``, ``unit``. Entities with no
such edge are left out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Union

import networkx as nx

from geokg.errors import ConfigError, NameNotFoundError
from geokg.names import normalize
from geokg.namespaces import DCTERMS, GK, OA, OWL, PROV, QUDT, RDFS, SKOS, WD
from geokg.queries import get_query, run_query, to_python
from geokg.resolve import Resolver, resolve_params
from geokg.store import Store

__all__ = ["ENTITY_TYPES", "EVENT_ROLES", "VIEWS", "to_networkx"]

StoreLike = Union[Store, str, "os.PathLike[str]"]

ENTITY_TYPES = ("Country", "Person", "Organization", "Company", "Media", "Exchange", "Commodity", "Place", "Facility")
EVENT_ROLES = (
    "agent",
    "onBehalfOf",
    "theme",
    "recipient",
    "counterparty",
    "place",
    "about",
    "rankedAfter",
    "attributedTo",
    "reportedBy",
)
VIEWS = ("events", "actors")

_EVENTS = f"""
SELECT DISTINCT ?event ?type ?label ?article ?date ?status ?sentence ?value ?unit ?measure ?rank WHERE {{
  ?event a <{GK.Event}>, ?class ; <{PROV.wasDerivedFrom}>/<{DCTERMS.identifier}> ?article .
  FILTER(?class != <{GK.Event}> && STRSTARTS(STR(?class), "{GK._NS}"))
  BIND(STRAFTER(STR(?class), "{GK._NS}") AS ?type)
  OPTIONAL {{ ?event <{RDFS.label}> ?label }}
  OPTIONAL {{ ?event <{GK.date}> ?date }}
  OPTIONAL {{ ?event <{GK.status}> ?status }}
  OPTIONAL {{ ?event <{GK.measure}> ?measure }}
  OPTIONAL {{ ?event <{GK.rank}> ?rank }}
  OPTIONAL {{ ?event <{GK.evidence}>/<{OA.exact}> ?sentence }}
  OPTIONAL {{ ?event <{GK.quantity}> ?quantity . ?quantity <{QUDT.numericValue}> ?value .
             OPTIONAL {{ ?quantity <{QUDT.unit}> ?unitIri . OPTIONAL {{ ?unitIri <{RDFS.label}> ?unitLabel }} }} }}
  BIND(COALESCE(?unitLabel, STR(?unitIri)) AS ?unit)
}} ORDER BY ?event
"""

_ROLES = f"""
SELECT DISTINCT ?event ?role ?entity ?type ?label ?iso ?wikidata ?country WHERE {{
  VALUES ?property {{ {" ".join(f"<{GK[role]}>" for role in EVENT_ROLES)} }}
  VALUES ?class {{ {" ".join(f"<{GK[kind]}>" for kind in ENTITY_TYPES)} }}
  ?event a <{GK.Event}> ; ?property ?entity .
  ?entity a ?class ; <{SKOS.prefLabel}> ?label .
  BIND(STRAFTER(STR(?property), "{GK._NS}") AS ?role)
  BIND(STRAFTER(STR(?class), "{GK._NS}") AS ?type)
  OPTIONAL {{ ?entity <{GK.iso3166Alpha2}> ?iso }}
  OPTIONAL {{ ?entity <{OWL.sameAs}> ?same . FILTER(STRSTARTS(STR(?same), "{WD}"))
             BIND(STRAFTER(STR(?same), "{WD}") AS ?wikidata) }}
  OPTIONAL {{ ?entity <{GK.country}>/<{SKOS.prefLabel}> ?country }}
}} ORDER BY ?event ?role ?entity
"""

_EVENT_FIELDS = ("date", "status", "value", "unit", "measure", "rank")


def to_networkx(
    store: StoreLike,
    *,
    view: str = "events",
    query: str | None = None,
    params: Mapping[str, object] | None = None,
    entity: str | None = None,
    hops: int = 1,
) -> nx.MultiDiGraph:
    """Project the store's events and the entities taking part in them into networkx.

    See the module docstring for the node and edge attributes of each view.

    Args:
        store: an open :class:`~geokg.store.Store`, or the path of one (opened read-only).
        view: ``"events"`` (events as nodes, role-labelled edges) or ``"actors"``
            (one edge per event from the acting side to the recipients or commodities).
        query: keep only what a stored query returns: the events whose IRI is in a row,
            else (rows without an event IRI) the events of the row's article in which every
            entity the row names (by label or IRI) takes part; plus the entities the rows name.
        params: parameters of ``query``, resolved as :func:`geokg.query` resolves them.
        entity: keep only the neighbourhood of this entity: its IRI or any name the store
            gives it, in any case (other names, ISO codes, a surname: :mod:`geokg.resolve`).
        hops: with ``entity``, how many events away: 1 keeps the entity's events and
            their participants, 2 adds those participants' events, and so on.

    Returns:
        A MultiDiGraph; empty when the store holds no events.

    Raises:
        ConfigError: unknown ``view``, ``hops`` < 1, or ``entity`` in no event.
        NameNotFoundError, AmbiguousNameError: ``entity`` or a parameter names nothing, or several things.
        StoreError, QueryNotFoundError, QueryParameterError: as the store and queries raise them.

    Example:
        >>> with Store() as store:
        ...     to_networkx(store).number_of_nodes()
        0
    """
    if view not in VIEWS:
        raise ConfigError("view", view, VIEWS)
    if hops < 1:
        raise ConfigError("hops", hops, "It must be 1 or more.")
    with _opened(store) as opened:
        graph = _event_graph(opened)
        resolver = Resolver.local(opened)
        if query is not None:
            stored = get_query(query)
            values, _ = resolve_params(stored, params, resolver)
            result = run_query(opened, stored, values)
            graph = graph.subgraph(_matching(graph, result.columns, result.rows)).copy()
        if entity is not None:
            graph = _neighbourhood(graph, _find_entity(graph, entity, resolver), hops)
    return graph if view == "events" else _actor_graph(graph)


@contextmanager
def _opened(store: StoreLike) -> Iterator[Store]:
    if isinstance(store, Store):
        yield store
        return
    with Store.open(Path(store), read_only=True) as opened:
        yield opened


def _event_graph(store: Store) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    columns, rows = store.query(_EVENTS, source="geokg.viz events")
    for row in rows:
        values = dict(zip(columns, (to_python(term) for term in row), strict=True))
        iri = str(values["event"])
        if iri in graph:  # a second event subclass or evidence: keep the first, sorted row
            continue
        attrs: dict[str, object] = {
            "kind": "event",
            "type": values["type"],
            "iri": iri,
            "label": values["label"] or values["type"],
            "article": values["article"],
            "sentence": values["sentence"],
        }
        for name in _EVENT_FIELDS:
            value = values[name]
            if value is not None:
                attrs[name] = _plain(value)
        graph.add_node(iri, **attrs)
    columns, rows = store.query(_ROLES, source="geokg.viz roles")
    for row in rows:
        values = dict(zip(columns, (to_python(term) for term in row), strict=True))
        event, entity, role = str(values["event"]), str(values["entity"]), str(values["role"])
        if event not in graph:
            continue
        if entity not in graph:
            attrs = {"kind": "entity", "type": values["type"], "label": values["label"], "iri": entity}
            attrs.update({k: values[k] for k in ("iso", "wikidata", "country") if values[k] is not None})
            graph.add_node(entity, **attrs)
        if not graph.has_edge(event, entity, key=role):
            graph.add_edge(event, entity, key=role, role=role, label=role)
    return graph


def _plain(value: object) -> object:
    """Dates as ISO strings and decimals as floats, so attributes serialise to JSON."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _matching(graph: nx.MultiDiGraph, columns: Iterable[str], rows: Iterable[tuple[object, ...]]) -> set[str]:
    """Nodes behind query rows: events named or matched by article + entities, their participants."""
    by_name: dict[str, str] = {}
    by_article: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "entity":
            by_name[data["iri"]] = node
            by_name.setdefault(str(data["label"]), node)
        else:
            by_article.setdefault(str(data["article"]), []).append(node)
    columns = tuple(columns)
    keep: set[str] = set()
    for row in rows:
        cells = {str(value) for value in row if value is not None}
        named = {by_name[cell] for cell in cells if cell in by_name}
        keep |= named
        events = {cell for cell in cells if cell in graph and graph.nodes[cell]["kind"] == "event"}
        article = dict(zip(columns, row, strict=True)).get("article")
        if not events and named and article is not None:  # no event IRI in the row: match by article
            events.update(event for event in by_article.get(str(article), []) if named <= set(graph.successors(event)))
        for event in events:
            keep.add(event)
            keep.update(graph.successors(event))
    return keep


def _find_entity(graph: nx.MultiDiGraph, name: str, resolver: Resolver) -> str:
    """The node ``name`` means: an entity's IRI or label, else whatever the store's names
    say it means (another name, an ISO code, a surname: :mod:`geokg.resolve`)."""
    if name in graph and graph.nodes[name]["kind"] == "entity":
        return name
    matches: list[str] = sorted(
        node
        for node, data in graph.nodes(data=True)
        if data["kind"] == "entity" and normalize(str(data["label"])) == normalize(name)
    )
    if matches:
        return matches[0]
    try:
        resolution = resolver.resolve(name, "Entity")
    except NameNotFoundError as error:
        if error.suggestions:
            raise
        meaning = "No entity with that IRI or name takes part in an event in this store"
    else:
        nodes = [iri for iri in resolution.iris if iri in graph and graph.nodes[iri]["kind"] == "entity"]
        if nodes:
            return nodes[0]
        meaning = f"It means {resolution.label} ({resolution.how}), which takes part in no event in this store"
    known = sorted({str(data["label"]) for _, data in graph.nodes(data=True) if data["kind"] == "entity"})
    sample = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
    raise ConfigError("entity", name, f"{meaning}. Known entities: {sample or 'none (the store has no events)'}")


def _neighbourhood(graph: nx.MultiDiGraph, entity: str, hops: int) -> nx.MultiDiGraph:
    # Entity and event nodes alternate, so one event hop is two steps in the graph.
    keep = nx.ego_graph(graph.to_undirected(as_view=True), entity, radius=2 * hops)
    return graph.subgraph(keep.nodes).copy()


def _actor_graph(events: nx.MultiDiGraph) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((node, data) for node, data in events.nodes(data=True) if data["kind"] == "entity")
    for event, data in events.nodes(data=True):
        if data["kind"] != "event":
            continue
        roles: dict[str, list[str]] = {}
        for _, entity, role in sorted(events.out_edges(event, keys=True)):
            roles.setdefault(role, []).append(entity)
        source = next(iter(roles.get("onBehalfOf") or roles.get("agent") or []), None)
        targets = roles.get("recipient") or roles.get("theme") or []
        if source is None:
            continue
        themes = [str(events.nodes[theme]["label"]) for theme in roles.get("theme", [])]
        label = f"{data['type']}: {', '.join(themes)}" if themes else str(data["type"])
        attrs = {key: value for key, value in data.items() if key not in ("kind", "iri", "label")}
        for target in targets:
            if target != source:
                graph.add_edge(source, target, key=event, event=event, label=label, themes=themes, **attrs)
    graph.remove_nodes_from([node for node in list(graph) if graph.degree(node) == 0])
    return graph
