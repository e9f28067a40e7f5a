"""Knowledge across articles: entity aliases and canonical events, derived from the article graphs.

Each article is its own named graph; :func:`refresh` reads them all and replaces two
derived graphs as a whole, so the result depends only on the set of article graphs in
the store, never on the order in which they were built. A build updates them for the
articles it wrote only (:mod:`geokg.crossdoc_incremental`), to the same quads:

``…/graph/crossdoc/entities``
    Every labelled entity gets exactly one ``gk:displayLabel`` (:func:`display_labels`):
    its reference ``skos:prefLabel``, else the ``skos:prefLabel`` most article graphs
    give it (the smallest on a tie). An entity the reference data lacks is labelled in
    every article graph that names it, so looking its name up with ``skos:prefLabel`` in
    the union default graph gives one row per article; stored queries read
    ``gk:displayLabel`` instead: one row per entity, in one graph.

    Every entity the reference data lacks gets ``gk:linked false``. Aliases get
    ``gk:canonical`` to the entity they are taken to be (:func:`alias_links`):

    * organisations, companies and media outlets with the same normalised name
      (``org/rosatom`` from "Rosatom", ``company/rosatom`` from "Rosatom State
      Corporation") link to one of them: a company first, then a media outlet,
      then the smallest IRI;
    * a person known by one name word ("Zelensky") links to the only minted person
      whose full name ends with it ("Volodymyr Zelenskyy"); with two candidates,
      nothing is linked.

    Spelling variants of one name ("Zelenskyy", "Zelenskiy") need no link: they
    share one IRI already (:func:`geokg.rdf.iris.entity_key`).

``…/graph/crossdoc/events``
    Article events that report the same happening link by ``gk:canonicalEvent`` to
    one ``gk:CanonicalEvent``. Two reports are the same happening when
    (:func:`same_happening`):

    * they have the same event class;
    * their dates (the event's ``gk:date``, else its article's date) are at most
      :data:`WINDOW_DAYS` apart (:data:`RANKING_WINDOW_DAYS` for rankings, which
      sources restate for months); undated reports stand alone;
    * their participants agree, aliases resolved: agreements and meetings share
      two parties (one when a side names only one) and at least half of all the
      parties named; other events share the acting side (agent or on-behalf-of),
      and a recipient and a counterparty unless neither report names one, and
      name more than their agent (a commodity, a recipient or a counterparty);
    * their commodities agree: both name none, or some are equal or one is broader
      than the other in the commodity scheme (``skos:broader``); rankings need
      the same commodity and, when both give it, the same measure;
    * statements are never grouped: each is its own happening.

    A role that one report fills and the other leaves empty keeps them apart, so an
    underspecified report cannot bridge two happenings. Groups are the connected
    components of that relation. Every event gets a canonical event, alone if
    need be. A canonical event's IRI hashes its members' IRIs
    (:func:`geokg.rdf.iris.canonical_event_iri`); it carries ``gk:eventType``,
    ``sem:hasActor`` (participants), ``sem:hasTimeStamp`` (earliest date),
    ``gk:currentStatus`` (status of the latest report), the display values
    ``report:articleCount``, ``report:articles``, ``report:outlets`` and
    ``report:commodities`` (:class:`geokg.namespaces.REPORT`: a cache of what the timeline and
    report queries list for thousands of canonical events, not ontology), ``gk:disputedField``
    for each of :data:`DISPUTABLE` on which reports from different articles differ
    (:func:`disputed_fields`), with what the ``disagreements`` query lists of them: each value a
    report gives and the pairs of values from different articles that differ
    (``report:reportedValue``, ``report:differsFrom``, ``report:commodity``), and ``gk:follows``: the
    latest earlier canonical event of its storyline (:func:`same_storyline`: the
    same rule without the date window, and lenient on roles one side leaves out), so an
    agreement proposed, negotiated and signed weeks apart reads as one chain.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from rdflib.term import Node

from geokg import store as _store_module
from geokg.event_types import EVENT_TYPES
from geokg.iri_space import CROSSDOC_EVENTS_FORM, GRAPH, reported_value_iri
from geokg.namespaces import GK, OA, PROV, QUDT, REPORT, SEM
from geokg.rdf.iris import (
    CROSSDOC_ENTITIES_GRAPH,
    CROSSDOC_EVENTS_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    canonical_event_iri,
)
from geokg.rdf.terms import ntriples_line
from geokg.store import Store

__all__ = [
    "CrossDocSummary",
    "DISPUTABLE",
    "MintedEntity",
    "Report",
    "Side",
    "RANKING_WINDOW_DAYS",
    "WINDOW_DAYS",
    "alias_links",
    "disputed_events",
    "disputed_fields",
    "display_labels",
    "group_reports",
    "read_disputable",
    "read_sides",
    "refresh",
    "same_happening",
    "same_storyline",
]

log = logging.getLogger("geokg.crossdoc")

WINDOW_DAYS = 7
RANKING_WINDOW_DAYS = 366
# How reports of each type are merged (geokg.event_types): a statement is its own happening
# however often its speaker talks; agreements and meetings have parties in any order.
_SYMMETRIC = {s.name for s in EVENT_TYPES if s.grouping == "symmetric"}
_STANDALONE = {s.name for s in EVENT_TYPES if s.grouping == "standalone"}
_RANKING = {s.name for s in EVENT_TYPES if s.grouping == "ranking"}
_ORG_FAMILY = {"Company": 0, "Media": 1, "Organization": 2}
_T = TypeVar("_T")
_GK = str(GK._NS)

_ENTITY_CLASSES = (GK.Person, GK.Country, GK.Organization, GK.Company, GK.Media, GK.Commodity, GK.Place, GK.Facility)
_MINTED_ENTITIES = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?class WHERE {{
  GRAPH ?g {{
    ?entity a ?class .
    VALUES ?class {{ {" ".join(f"<{c}>" for c in _ENTITY_CLASSES)} }}
    {{ ?entity skos:prefLabel ?label }} UNION {{ ?entity skos:altLabel ?label }}
  }}
  FILTER(STRSTARTS(STR(?g), "{GRAPH}") && ?g != <{REFERENCE_GRAPH}> && ?g != <{ONTOLOGY_GRAPH}>)
  FILTER NOT EXISTS {{ GRAPH <{REFERENCE_GRAPH}> {{ ?entity a ?known }} }}
}}
"""
# The same for some entities (restricted), one query per label property, the classes in a FILTER:
# with a UNION or a VALUES block of classes, Oxigraph would start from every typed entity.
_MINTED_OF = tuple(
    f"""
SELECT DISTINCT ?entity ?class WHERE {{
  #VALUES
  GRAPH ?g {{ ?entity <{label}> ?label ; a ?class }}
  FILTER(?class IN ({", ".join(f"<{c}>" for c in _ENTITY_CLASSES)}))
  FILTER(STRSTARTS(STR(?g), "{GRAPH}") && ?g != <{REFERENCE_GRAPH}> && ?g != <{ONTOLOGY_GRAPH}>)
  FILTER NOT EXISTS {{ GRAPH <{REFERENCE_GRAPH}> {{ ?entity a ?known }} }}
}}
"""
    for label in ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel")
)
_EVENTS = f"""
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?event ?class ?article ?articleDate ?date ?status ?measure WHERE {{
  #VALUES
  ?event a <{GK.Event}>, ?class ;
         prov:wasDerivedFrom ?doc .
  FILTER(?class != <{GK.Event}> && STRSTARTS(STR(?class), "{_GK}"))
  ?doc dcterms:identifier ?article .
  OPTIONAL {{ ?doc dcterms:date ?articleDate }}
  OPTIONAL {{ ?event <{GK.date}> ?date }}
  OPTIONAL {{ ?event <{GK.status}> ?status }}
  OPTIONAL {{ ?event <{GK.measure}> ?measure }}
}}
"""
# The event classes the store holds: the whole pass reads one class at a time.
_CLASSES = f"""
SELECT DISTINCT ?class WHERE {{
  ?event a <{GK.Event}>, ?class .
  FILTER(?class != <{GK.Event}> && STRSTARTS(STR(?class), "{_GK}"))
}}
"""
# The roles of the events of a class (restricted by ?class); the rows go into sets: no DISTINCT,
# which would hold every row seen in memory.
_ROLES_OF_CLASS = f"""
SELECT ?event ?role ?value WHERE {{
  #VALUES
  VALUES ?role {{ <{GK.agent}> <{GK.onBehalfOf}> <{GK.recipient}> <{GK.counterparty}> <{GK.theme}> }}
  ?event a ?class ; ?role ?value .
}}
"""
# The same for some events (restricted): from each given event to its roles, so that only
# those events' triples are read, not every role in the store.
_ROLES_OF = f"""
SELECT DISTINCT ?event ?role ?value WHERE {{
  #VALUES
  ?event ?role ?value .
  FILTER(?role IN (<{GK.agent}>, <{GK.onBehalfOf}>, <{GK.recipient}>, <{GK.counterparty}>, <{GK.theme}>))
  ?event a <{GK.Event}>
}}
"""
# The media behind each event: its article's publisher, the outlet it is attributed to, the one relaying it.
# Each link starts from its rarer side: few articles name a publisher.
_OUTLET_LINKS = (
    "?doc <http://purl.org/dc/terms/publisher> ?media . ?event <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc ; "
    "a {event}",
    f"?event <{GK.attributedTo}> ?media . ?media a <{GK.Media}> . ?event a {{event}}",
    f"?event <{GK.reportedBy}> ?media ; a {{event}}",
)
# For some events (restricted by ?event) or the events of a class (by ?class), one query per link:
# Oxigraph does not carry a VALUES block into the branches of a UNION, so a UNION would read every
# outlet link of the store.
_OUTLETS_OF = tuple(
    f"SELECT DISTINCT ?event ?media WHERE {{ #VALUES\n {b.format(event=f'<{GK.Event}>')} }}" for b in _OUTLET_LINKS
)
_OUTLETS_OF_CLASS = tuple(
    f"SELECT ?event ?media WHERE {{ #VALUES\n {b.format(event='?class')} }}" for b in _OUTLET_LINKS
)
# What reports can disagree on, each read for some events (restricted): the value as the
# disagreements query compares it (for a quantity, number and unit), and as it shows it.
DISPUTABLE = ("quantity", "rank", "date", "status")
_DISPUTABLE_OF = {
    "quantity": f"""SELECT ?event ?value ?unit ?shown WHERE {{ #VALUES
  ?event <{GK.quantity}> ?q . ?q <{QUDT.numericValue}> ?value ; <{QUDT.unit}> ?unit .
  OPTIONAL {{ ?q <{RDFS.label}> ?label }} OPTIONAL {{ ?unit <{RDFS.label}> ?unitLabel }}
  BIND(COALESCE(?label, CONCAT(STR(?value), " ", COALESCE(?unitLabel, STR(?unit)))) AS ?shown) }}""",
    "status": f"SELECT ?event ?value (?value AS ?shown) WHERE {{ #VALUES\n ?event <{GK.status}> ?value }}",
    **{
        name: f"SELECT ?event ?value (STR(?value) AS ?shown) WHERE {{ #VALUES\n ?event <{GK[name]}> ?value }}"
        for name in ("rank", "date")
    },
}
#: Event -> field -> value (as compared) -> how it is shown, as read_disputable gives them.
Disputable = Mapping[str, Mapping[str, Mapping[tuple[object, ...], Collection[str]]]]
# What the disagreements query shows of each report of a disputed canonical event beside its value
# (restricted by ?event): its article, its sentence, and its outlets: its article's publisher,
# else the media relaying it, else the source it is attributed to.
_SIDES_OF = {
    "article": f"SELECT ?event ?x WHERE {{ #VALUES\n ?event <{PROV.wasDerivedFrom}> ?doc . "
    f"?doc <{DCTERMS.identifier}> ?x }}",
    "sentence": f"SELECT ?event ?x WHERE {{ #VALUES\n ?event <{GK.evidence}> ?evidence . ?evidence <{OA.exact}> ?x }}",
    "publisher": f"SELECT ?event ?x WHERE {{ #VALUES\n ?event <{PROV.wasDerivedFrom}> ?doc . "
    f"?doc <{DCTERMS.publisher}> ?media . ?media <{GK.displayLabel}> ?x }}",
    "relay": f"SELECT ?event ?x WHERE {{ #VALUES\n ?event <{GK.reportedBy}> ?media . ?media <{GK.displayLabel}> ?x }}",
    "source": f"SELECT ?event ?x WHERE {{ #VALUES\n ?event <{GK.attributedTo}> ?who . ?who <{GK.displayLabel}> ?x }}",
}
_NUMBERS = {
    str(XSD[name])
    for name in ("decimal", "integer", "double", "float", "int", "long", "nonNegativeInteger", "positiveInteger")
}
_BROADER = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?narrower ?broader WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?narrower skos:broader+ ?broader }} }}
"""
# (entity, label, graphs labelling it so): the reference graph's rows, then the article graphs'.
_LABELS = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?label (COUNT(DISTINCT ?g) AS ?graphs) (MAX(?g = <{REFERENCE_GRAPH}>) AS ?reference) WHERE {{
  #VALUES
  GRAPH ?g {{ ?entity skos:prefLabel ?label }}
  FILTER(STRSTARTS(STR(?g), "{GRAPH}") && ?g != <{ONTOLOGY_GRAPH}>)
}} GROUP BY ?entity ?label
"""

# Where the data the pass skips sits, with what is wrong: run only when something was skipped,
# so a clean store pays nothing for it.
_UNREADABLE = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?g ?problem WHERE {{
  GRAPH ?g {{
    {{ ?event a <{GK.Event}> FILTER(!isIRI(?event)) BIND("an event that is a blank node" AS ?problem) }}
    UNION {{ ?event a <{GK.Event}>, ?class FILTER(STRSTARTS(STR(?class), "{_GK}") && ?class NOT IN (%s))
            BIND(CONCAT("an event class geokg does not know: <", STR(?class), ">") AS ?problem) }}
    UNION {{ ?event a <{GK.Event}> ; ?role ?value
            VALUES ?role {{ <{GK.agent}> <{GK.onBehalfOf}> <{GK.recipient}> <{GK.counterparty}> <{GK.theme}> }}
            FILTER(!isIRI(?value))
            BIND(CONCAT("a ", REPLACE(STR(?role), "^.*#", "gk:"), " that is not an IRI") AS ?problem) }}
    UNION {{ ?entity skos:prefLabel ?label FILTER(!isIRI(?entity))
            BIND("a labelled entity that is a blank node" AS ?problem) }}
  }}
}} ORDER BY ?g ?problem
"""


def _known_class(iri: str) -> bool:
    """Whether ``iri`` is a class the ontology declares (the GK namespace refuses other names)."""
    try:
        return bool(iri.startswith(_GK) and GK[iri[len(_GK) :]])
    except AttributeError:
        return False


@dataclass(frozen=True)
class MintedEntity:
    """An entity some article graph types and labels because the reference data lacks it."""

    iri: str
    kind: str

    @property
    def key(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)  # slots: a whole class of events is held at once
class Report:
    """One article's event, as the grouping sees it (participants already alias-resolved)."""

    iri: str
    type: str
    article: str
    date: dt.date | None = None
    article_date: dt.date | None = None
    status: str | None = None
    measure: str | None = None
    agents: frozenset[str] = frozenset()
    recipients: frozenset[str] = frozenset()
    counterparties: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()

    @property
    def when(self) -> dt.date | None:
        """The resolved date: the event's own, else its article's."""
        return self.date or self.article_date

    @property
    def participants(self) -> frozenset[str]:
        return self.agents | self.recipients | self.counterparties


@dataclass
class CrossDocSummary:
    """What a cross-document pass derived: over the whole store for :func:`refresh`; for an
    incremental pass (:func:`geokg.crossdoc_incremental.update`), what it recomputed."""

    unlinked_entities: int = 0
    aliases: int = 0
    events: int = 0
    canonical_events: int = 0
    reported_more_than_once: int = 0
    triples: int = 0
    #: one line per graph holding data the pass skipped (see :func:`refresh`)
    skipped: list[str] = field(default_factory=list)
    #: whether the pass updated only what the articles of a build could change
    incremental: bool = False
    #: entities whose display label, ``gk:linked`` and alias an incremental pass recomputed
    entities: int = 0


def alias_links(entities: Iterable[MintedEntity]) -> dict[str, str]:
    """Variant IRI -> canonical IRI among minted entities (see the module docstring for the rules).

    Example:
        >>> base = "https://w3id.org/geokg/id/"
        >>> links = alias_links([
        ...     MintedEntity(base + "org/rosatom", "Organization"),
        ...     MintedEntity(base + "company/rosatom", "Company"),
        ...     MintedEntity(base + "person/zelensky", "Person"),
        ...     MintedEntity(base + "person/volodymyr-zelensky", "Person")])
        >>> sorted((v.split("id/")[1], c.split("id/")[1]) for v, c in links.items())
        [('org/rosatom', 'company/rosatom'), ('person/zelensky', 'person/volodymyr-zelensky')]
    """
    entities = sorted(set(entities), key=lambda e: e.iri)
    links: dict[str, str] = {}
    orgs: dict[str, list[MintedEntity]] = defaultdict(list)
    for entity in entities:
        if entity.kind in _ORG_FAMILY:
            orgs[entity.key].append(entity)
    for members in orgs.values():
        if len(members) > 1:
            canonical = min(members, key=lambda e: (_ORG_FAMILY[e.kind], e.iri))
            links.update({m.iri: canonical.iri for m in members if m.iri != canonical.iri})
    full_names: dict[str, list[str]] = defaultdict(list)
    persons = [e for e in entities if e.kind == "Person"]
    for person in persons:
        if "-" in person.key:
            full_names[person.key.rsplit("-", 1)[1]].append(person.iri)
    for person in persons:
        candidates = full_names.get(person.key, []) if "-" not in person.key else []
        if len(candidates) == 1:
            links[person.iri] = candidates[0]
    return links


def same_happening(a: Report, b: Report, broader: Mapping[str, frozenset[str]] | None = None) -> bool:
    """Whether two reports are taken to describe the same happening (module docstring: the rule).

    Example:
        >>> us, ua, ree = "gkid:country/US", "gkid:country/UA", "gkid:commodity/rare-earth-elements"
        >>> a = Report("e/a-1", "Agreement", "a", dt.date(2025, 2, 25), agents=frozenset({us}),
        ...            counterparties=frozenset({ua}), themes=frozenset({ree}))
        >>> b = Report("e/b-3", "Agreement", "b", dt.date(2025, 2, 28), agents=frozenset({ua}),
        ...            counterparties=frozenset({us}), themes=frozenset({ree}))
        >>> same_happening(a, b), same_happening(a, Report("e/c-1", "Agreement", "c", dt.date(2025, 3, 20),
        ...                                                 agents=frozenset({us, ua}), themes=frozenset({ree})))
        (True, False)
    """
    if a.when is None or b.when is None or a.type in _STANDALONE:
        return False
    window = RANKING_WINDOW_DAYS if a.type in _RANKING else WINDOW_DAYS
    return abs((a.when - b.when).days) <= window and _agree(a, b, broader or {}, strict=True)


def same_storyline(a: Report, b: Report, broader: Mapping[str, frozenset[str]] | None = None) -> bool:
    """Whether ``b`` may continue ``a``'s storyline: :func:`same_happening` without the date
    window, and a side one report leaves out (no commodity, no recipient) does not count against.

    Canonical events on one storyline are chained by ``gk:follows`` (an agreement
    under negotiation, then signed).
    """
    return a.type not in _STANDALONE and _agree(a, b, broader or {}, strict=False)


def _agree(a: Report, b: Report, broader: Mapping[str, frozenset[str]], *, strict: bool) -> bool:
    # strict: a role one report fills and the other leaves empty keeps them apart, so an
    # underspecified report cannot bridge two different happenings into one group.
    if a.type != b.type or not _themes_agree(a, b, broader, strict):
        return False
    if a.type in _SYMMETRIC:
        shared = len(a.participants & b.participants)
        enough = shared >= 1 and shared >= min(2, len(a.participants), len(b.participants))
        return enough and (not strict or 2 * shared >= len(a.participants | b.participants))
    if not a.agents & b.agents:
        return False
    if strict and a.type not in _RANKING and not (a.themes or a.recipients or a.counterparties):
        return False  # "the US sold", nothing more: too vague to be the same happening as another report
    for side in ("recipients", "counterparties"):
        mine, theirs = getattr(a, side), getattr(b, side)
        if (mine or theirs) and not mine & theirs and (strict or (mine and theirs)):
            return False
    return True


def _themes_agree(a: Report, b: Report, broader: Mapping[str, frozenset[str]], strict: bool) -> bool:
    if a.type in _RANKING:
        if a.measure and b.measure and a.measure.lower() != b.measure.lower():
            return False
        return bool(a.themes & b.themes)
    if not a.themes or not b.themes:
        return not strict or a.themes == b.themes
    return any(x == y or y in broader.get(x, ()) or x in broader.get(y, ()) for x in a.themes for y in b.themes)


def group_reports(reports: Iterable[Report], broader: Mapping[str, frozenset[str]] | None = None) -> list[list[Report]]:
    """Connected components of :func:`same_happening`, each sorted by IRI; the list sorted by first IRI.

    Only reports that share a class and a participant are compared, and within
    such a block only those inside the date window, so the cost stays near
    linear in the number of events.
    """
    reports = sorted(set(reports), key=lambda r: r.iri)
    index = {r.iri: i for i, r in enumerate(reports)}
    parent = list(range(len(reports)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for report in reports:
        if report.when is None:
            continue
        for who in report.participants:
            blocks[(report.type, who)].append(report)
    for kind, who in sorted(blocks):
        block = blocks[(kind, who)]
        window = RANKING_WINDOW_DAYS if kind in _RANKING else WINDOW_DAYS
        block.sort(key=lambda r: (r.when, r.iri))
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if (b.when - a.when).days > window:  # type: ignore[operator]
                    break
                if same_happening(a, b, broader):
                    ra, rb = find(index[a.iri]), find(index[b.iri])
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[Report]] = defaultdict(list)
    for i, report in enumerate(reports):
        groups[find(i)].append(report)
    return sorted(groups.values(), key=lambda members: members[0].iri)


def refresh(store: Store) -> CrossDocSummary:
    """Recompute both cross-document graphs from the article graphs of ``store`` and replace them.

    Events are the same happening, or on one storyline, only with events of their class, so the
    events graph is computed one class at a time and set aside on disk as it goes (:class:`_Spool`):
    what a pass holds is one class's reports and a chunk of triples, not every event of the store
    and its whole graph.
    """
    summary = CrossDocSummary()
    skipped = Skipped()
    entities = read_entities(store, skipped)
    links = alias_links(entities)
    summary.unlinked_entities, summary.aliases = len(entities), len(links)
    broader = read_broader(store)
    labels = read_labels(store, skipped)
    # The derived graphs go to the store as N-Triples text through Oxigraph's loader: an rdflib
    # graph and one SPARQL update of that size need far more memory.
    entities_graph = _entities_graph(entities, links, labels)
    store.load_graph(CROSSDOC_ENTITIES_GRAPH, sorted(entities_graph.lines))
    summary.triples += len(entities_graph.lines)
    del entities, entities_graph
    events_graph = _Spool(store, CROSSDOC_EVENTS_GRAPH)
    # Says that the graph marks disputed fields (store.derived_outdated: an older geokg's does not).
    events_graph.add((URIRef(CROSSDOC_EVENTS_GRAPH), DCTERMS.conformsTo, URIRef(CROSSDOC_EVENTS_FORM)))
    for kind in read_classes(store, skipped):
        groups = group_reports(read_reports(store, links, skipped, kind=kind), broader)
        summary.events += sum(len(members) for members in groups)
        summary.canonical_events += len(groups)
        summary.reported_more_than_once += sum(1 for g in groups if len({r.article for r in g}) > 1)
        outlets = read_outlets(store, kind=kind)
        disputable = read_disputable(store, reported_apart(groups))
        sides = read_sides(store, disputed_events(groups, disputable))
        canonical = []
        for members in groups:
            canonical.append(add_group(events_graph, members, labels, outlets, disputable, sides, broader))
            events_graph.spill_if_full()
        del groups, outlets, disputable, sides
        for current, previous in _previous_in_storyline(canonical, broader):
            events_graph.add((URIRef(current), GK.follows, URIRef(previous)))
    summary.triples += events_graph.close()
    summary.skipped = name_skipped(store, skipped)
    log.debug("cross-document pass: %s", summary)
    return summary


class Skipped:
    """Whether reading skipped anything: loaded data may hold what geokg never writes (a blank
    node or a literal as an event's agent, an unknown event class); the pass leaves it out."""

    def __init__(self) -> None:
        self.any = False

    def iri(self, term: object) -> str | None:
        """The IRI of ``term``, or None (noted as skipped) for a blank node or a literal."""
        if isinstance(term, ox.NamedNode):
            return term.value
        self.any = True
        return None


def name_skipped(store: Store, skipped: Skipped) -> list[str]:
    """One warning per graph and problem, when reading skipped anything."""
    if not skipped.any:
        return []
    known = ", ".join(f"<{_GK}{name}>" for name in sorted(GK.__annotations__))
    lines = [
        f"graph {g.value}: skipped {problem.value}"
        for g, problem in store.rows(_UNREADABLE % known, source="crossdoc: unreadable data")
        if g is not None and problem is not None  # both bound in every branch of the query
    ]
    for line in lines:
        log.warning("cross-document pass: %s", line)
    return lines or ["skipped data the cross-document pass cannot read"]


class Triples:
    """Triples kept as the distinct N-Triples lines the store loads (what :func:`to_ntriples`
    makes of a Graph), without an rdflib Graph's three indexes of every triple."""

    def __init__(self) -> None:
        self.lines: set[str] = set()

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self.lines.add(ntriples_line(triple))


class _Spool(Triples):
    """Triples for a large named graph, kept in a temporary file as they are made and loaded
    into the store in chunks at :meth:`close` (:meth:`geokg.store.Store.load_graph`): memory
    holds :data:`geokg.store.LOAD_LINES` lines or so, never the whole graph, and the store is
    read before it is written, as when the graph was held whole (writing between the reads made
    RocksDB rewrite a third more data at 10 million quads, for 14 % more CPU time). Call :meth:`spill_if_full`
    between groups: lines never repeat across groups, so the lines spilled are distinct and
    their count is the graph's."""

    def __init__(self, store: Store, graph: URIRef) -> None:
        super().__init__()
        self.store, self.graph, self.count = store, graph, 0
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")

    def spill_if_full(self) -> None:
        if len(self.lines) >= _store_module.LOAD_LINES:
            self._spill()

    def close(self) -> int:
        """Replace the graph in the store with the lines made; return how many there are."""
        self._spill()
        with self.file:
            self.file.seek(0)
            self.store.load_graph(self.graph, (line.rstrip("\n") for line in self.file))
        return self.count

    def _spill(self) -> None:
        self.file.writelines(f"{line}\n" for line in sorted(self.lines))  # N-Triples lines hold no newline
        self.count += len(self.lines)
        self.lines = set()


def display_labels(rows: Iterable[tuple[str, str, int, bool]]) -> dict[str, str]:
    """Entity IRI -> its one display label, from (entity, prefLabel, graphs giving it, given by the
    reference graph) rows: a reference label first, then the label most graphs give, then the smallest.

    Example:
        >>> display_labels([("e/acme", "Acme", 3, False), ("e/acme", "ACME", 3, False),
        ...                 ("e/acme", "Acme Corp", 1, False), ("e/cl", "Chile", 1, True), ("e/cl", "Chili", 9, False)])
        {'e/acme': 'ACME', 'e/cl': 'Chile'}
    """
    best: dict[str, tuple[bool, int, str]] = {}
    for entity, label, graphs, reference in rows:
        rank = (not reference, -graphs, label)
        if entity not in best or rank < best[entity]:
            best[entity] = rank
    return {entity: rank[2] for entity, rank in sorted(best.items())}


def _entities_graph(entities: list[MintedEntity], links: Mapping[str, str], labels: Mapping[str, str]) -> Triples:
    graph = Triples()
    for iri, label in labels.items():
        graph.add((URIRef(iri), GK.displayLabel, Literal(label)))
    for entity in entities:
        graph.add((URIRef(entity.iri), GK.linked, Literal(False)))
    for variant, canonical in links.items():
        graph.add((URIRef(variant), GK.canonical, URIRef(canonical)))
    return graph


def canonical_report(members: list[Report]) -> Report:
    """The canonical event of a group of reports, as the storyline rule compares it: its IRI,
    earliest date (the reports' own dates first), and the union of the reports' roles."""
    dates = [r.date for r in members if r.date] or [r.when for r in members if r.when]
    measures = sorted({r.measure for r in members if r.measure})
    return Report(
        str(canonical_event_iri(r.iri for r in members)),
        members[0].type,
        "",
        min(dates) if dates else None,
        None,
        None,
        measures[0] if len(measures) == 1 else None,
        agents=frozenset().union(*(r.agents for r in members)),
        recipients=frozenset().union(*(r.recipients for r in members)),
        counterparties=frozenset().union(*(r.counterparties for r in members)),
        themes=frozenset().union(*(r.themes for r in members)),
    )


def add_group(
    graph: Triples,
    members: list[Report],
    labels: Mapping[str, str],
    outlets: Mapping[str, frozenset[str]],
    disputable: Disputable,
    sides: Mapping[str, Side],
    broader: Mapping[str, frozenset[str]],
) -> Report:
    """Add a group's canonical event and its members' links to ``graph`` (all but ``gk:follows``);
    return the canonical event as :func:`canonical_report` gives it. ``disputable`` and ``sides``
    are what :func:`read_disputable` and :func:`read_sides` give for its members; ``broader``
    what :func:`read_broader` gives."""
    event = canonical_report(members)
    node, kind, date, themes, participants = URIRef(event.iri), event.type, event.date, event.themes, event.participants
    graph.add((node, RDF.type, GK.CanonicalEvent))
    graph.add((node, GK.eventType, GK[kind]))
    graph.add((node, RDFS.label, Literal(_label(kind, participants, themes, date, labels))))
    for who in sorted(participants):
        graph.add((node, SEM.hasActor, URIRef(who)))
    if date is not None:
        graph.add((node, SEM.hasTimeStamp, Literal(date, datatype=XSD.date)))
    statuses = sorted((r.article_date or r.when or dt.date.min, r.iri, r.status) for r in members if r.status)
    if statuses:
        graph.add((node, GK.currentStatus, Literal(statuses[-1][2])))
    articles = {r.article for r in members}
    graph.add((node, REPORT.articleCount, Literal(len(articles))))
    graph.add((node, REPORT.articles, Literal(", ".join(sorted(articles)))))
    media = frozenset().union(*(outlets.get(r.iri, frozenset()) for r in members))
    for prop, named in ((REPORT.outlets, media), (REPORT.commodities, themes)):
        shown = sorted({labels[iri] for iri in named if iri in labels})
        if shown:
            graph.add((node, prop, Literal(", ".join(shown))))
    disputed = disputed_fields(members, disputable)
    for name in disputed:
        graph.add((node, GK.disputedField, Literal(name)))
        _add_reported_values(graph, event.iri, name, members, disputable, sides)
    if disputed:  # what disagreements of a commodity starts from
        for commodity in themes | {b for theme in themes for b in broader.get(theme, ())}:
            if commodity in labels:
                graph.add((node, REPORT.commodity, Literal(labels[commodity])))
    for report in members:
        graph.add((URIRef(report.iri), GK.canonicalEvent, node))
    return event


def _add_reported_values(
    graph: Triples,
    canonical: str,
    name: str,
    members: list[Report],
    disputable: Disputable,
    sides: Mapping[str, Side],
) -> None:
    """Add what ``disagreements`` lists of the disputed field ``name`` of ``canonical``: a
    ``report:reportedValue`` per value a member gives for it, with the member's article, outlets
    and sentence, and ``report:differsFrom`` from each such value to each value of a report of
    another article that differs from it (the query's rows, from the report of the smaller IRI),
    so that the query reads these few nodes rather than pairing reports of the whole store."""
    given = []  # (report IRI, node, value as compared, article ids)
    for report in members:
        side = sides.get(report.iri)
        if side is None or not side.articles:
            continue  # no article id: no row
        for value, shown in disputable.get(report.iri, {}).get(name, {}).items():
            compared = _compared_text(value)
            for text in shown:
                node = f"<{reported_value_iri(report.iri, name, text, compared)}>"
                given.append((report.iri, node, compared, side.articles))
                lines = [
                    f"<{canonical}> <{REPORT.reportedValue}> {node} .",
                    f"{node} <{REPORT.field}> {ox.Literal(name)} .",
                    f"{node} <{REPORT.event}> <{report.iri}> .",
                    f"{node} <{REPORT.value}> {text} .",
                ]
                for prop, terms in (
                    (REPORT.article, side.articles),
                    (REPORT.outlet, side.outlets),
                    (REPORT.sentence, side.sentences),
                ):
                    lines += [f"{node} <{prop}> {term} ." for term in terms]
                graph.lines.update(lines)
    for event1, node1, compared1, articles1 in given:
        for event2, node2, compared2, articles2 in given:
            # As the rows pair them: reports in IRI order, values that differ, two articles.
            if event1 < event2 and compared1 != compared2 and (len(articles1 | articles2) > 1):
                graph.lines.add(f"{node1} <{REPORT.differsFrom}> {node2} .")


def disputed_fields(members: Iterable[Report], disputable: Disputable) -> list[str]:
    """The fields of :data:`DISPUTABLE` on which two of ``members`` from different articles give
    different values: those given two values or more, by two articles or more (then some pair of
    reports from different articles differs), as ``disputable`` (:func:`read_disputable`) has them.
    Two dates in one article are no dispute.

    Example:
        >>> a, b, c = (Report(f"e/{n}-1", "SaleOrSupply", n) for n in "abc")
        >>> days = {(dt.date(2025, 3, 1),): {'"2025-03-01"'}, (dt.date(2025, 3, 2),): {'"2025-03-02"'}}
        >>> tonnes = {"e/a-1": {"quantity": {(Decimal(5), "t"): {'"5 t"'}}, "date": days},
        ...           "e/b-1": {"quantity": {(Decimal("5.0"), "t"): {'"5.0 t"'}}},
        ...           "e/c-1": {"quantity": {(Decimal(6), "t"): {'"6 t"'}}}}
        >>> disputed_fields([a, b], tonnes), disputed_fields([a, b, c], tonnes)
        ([], ['quantity'])
    """
    found = []
    for name in DISPUTABLE:
        given = [(r.article, value) for r in members for value in disputable.get(r.iri, {}).get(name, ())]
        if len({value for _, value in given}) > 1 and len({article for article, _ in given}) > 1:
            found.append(name)
    return found


def _previous_in_storyline(events: list[Report], broader: Mapping[str, frozenset[str]]) -> list[tuple[str, str]]:
    """(event, the latest earlier event of its storyline) pairs; ties in date are broken by IRI."""
    blocks: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for event in events:
        if event.when is not None:
            for who in event.participants:
                blocks[(event.type, who)].append(event)
    previous: dict[str, Report] = {}
    for block in blocks.values():
        block.sort(key=lambda r: (r.when, r.iri))
        for i, event in enumerate(block):
            for earlier in reversed(block[:i]):
                if earlier.when < event.when and same_storyline(earlier, event, broader):  # type: ignore[operator]
                    best = previous.get(event.iri)
                    if best is None or (earlier.when, earlier.iri) > (best.when, best.iri):
                        previous[event.iri] = earlier
                    break
    return sorted((iri, p.iri) for iri, p in previous.items())


def _label(
    kind: str, participants: frozenset[str], themes: frozenset[str], date: dt.date | None, labels: Mapping[str, str]
) -> str:
    names = ", ".join(sorted(labels.get(p, p.rsplit("/", 1)[-1]) for p in participants))
    text = f"{kind}: {names}" if names else kind
    if themes:
        text += " on " + ", ".join(sorted(labels.get(t, t.rsplit("/", 1)[-1]) for t in themes))
    return f"{text} ({date.isoformat()})" if date else text


# -- reading the store -------------------------------------------------------
#: IRIs per VALUES block when a read is restricted to some entities or events: Oxigraph joins
#: from the block, so a read costs what it restricts to, not the size of the store.
CHUNK = 500


def values_blocks(var: str, iris: Iterable[str]) -> Iterator[str]:
    """``VALUES ?var { … }`` blocks of at most :data:`CHUNK` of ``iris`` each, sorted."""
    ordered = sorted(set(iris))
    for start in range(0, len(ordered), CHUNK):
        yield f"VALUES ?{var} {{ " + " ".join(f"<{iri}>" for iri in ordered[start : start + CHUNK]) + " }"


def restricted(sparql: str, var: str, iris: Iterable[str] | None) -> Iterator[str]:
    """``sparql`` as it is when ``iris`` is None, else once per :func:`values_blocks` block of
    ``iris`` in its ``#VALUES`` slot (not at all when ``iris`` is empty)."""
    if iris is None:
        yield sparql
        return
    for block in values_blocks(var, iris):
        yield sparql.replace("#VALUES", block, 1)


def _rows(
    store: Store, sparql: str, var: str, iris: Iterable[str] | None, source: str
) -> Iterator[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]]:
    for text in restricted(sparql, var, iris):
        yield from store.rows(text, source=source)


def read_entities(store: Store, skipped: Skipped, among: Iterable[str] | None = None) -> list[MintedEntity]:
    """The minted entities of the store (or those ``among`` the IRIs given), sorted."""
    among = None if among is None else sorted(set(among))
    rows = (
        row
        for sparql in ((_MINTED_ENTITIES,) if among is None else _MINTED_OF)
        for row in _rows(store, sparql, "entity", among, "crossdoc: minted entities")
    )
    found = {
        MintedEntity(iri, kind.value[len(_GK) :])
        for entity, kind in rows
        if entity is not None and kind is not None
        for iri in [skipped.iri(entity)]
        if iri is not None
    }
    return sorted(found, key=lambda e: (e.iri, e.kind))


def _restriction(among: Iterable[str] | None, kind: str | None) -> tuple[str, list[str]]:
    """The variable a read is restricted by and its IRIs: the events ``among``, else the class ``kind``."""
    if among is not None:
        return "event", sorted(set(among))
    if kind is None:
        raise TypeError("give the events to read (among) or their class (kind)")
    return "class", [str(GK[kind])]


def read_classes(store: Store, skipped: Skipped) -> list[str]:
    """The event classes of the store that the ontology declares (local names), sorted; an
    unknown one is noted as skipped."""
    found = set()
    for (kind,) in store.rows(_CLASSES, source="crossdoc: event classes"):
        if kind is not None and _known_class(kind.value):
            found.add(kind.value[len(_GK) :])
        else:
            skipped.any = True
    return sorted(found)


def read_reports(
    store: Store,
    links: Mapping[str, str],
    skipped: Skipped,
    among: Iterable[str] | None = None,
    *,
    kind: str | None = None,
) -> list[Report]:
    """The events ``among`` the IRIs given, or else those of the class ``kind`` (a local name),
    as reports, aliases resolved."""
    var, iris = _restriction(among, kind)
    # Equal values are shared between reports (an article's id and date, an entity, a set of
    # participants): a pass over the whole store holds every event of a class at once.
    shared: dict[object, object] = {}

    def one(value: _T) -> _T:
        return shared.setdefault(value, value)  # type: ignore[return-value]

    # event -> the Report fields after its IRI: type, article, date, article date, status, measure
    scalars: dict[str, tuple[str, str, dt.date | None, dt.date | None, str | None, str | None]] = {}
    rows = _rows(store, _EVENTS, var, iris, "crossdoc: events")
    for event, cls, article, article_date, date, status, measure in rows:
        if event is None or cls is None or article is None:
            continue
        iri = skipped.iri(event)
        if iri is None or not _known_class(cls.value):
            skipped.any = True
            continue
        scalars[iri] = (
            one(cls.value[len(_GK) :]),
            one(article.value),
            one(_date(date)),
            one(_date(article_date)),
            one(status.value) if status is not None else None,
            one(measure.value) if measure is not None else None,
        )
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    sparql = _ROLES_OF_CLASS if var == "class" else _ROLES_OF
    for event, role, value in _rows(store, sparql, var, iris, "crossdoc: event roles"):
        if event is not None and role is not None and value is not None:
            iri = skipped.iri(value)
            if iri is not None and isinstance(event, ox.NamedNode) and event.value in scalars:
                roles[event.value][role.value[len(_GK) :]].add(links.get(iri, iri))
    reports = []
    for iri in sorted(scalars):
        fields, r = scalars.pop(iri), roles.pop(iri, {})  # popped: the rows do not outlive their report
        reports.append(
            Report(
                iri,
                *fields,
                agents=one(frozenset(r.get("agent", set()) | r.get("onBehalfOf", set()))),
                recipients=one(frozenset(r.get("recipient", ()))),
                counterparties=one(frozenset(r.get("counterparty", ()))),
                themes=one(frozenset(r.get("theme", ()))),
            )
        )
    return reports


def read_outlets(
    store: Store, among: Iterable[str] | None = None, *, kind: str | None = None
) -> dict[str, frozenset[str]]:
    """Event -> the media behind it, for the events ``among`` the IRIs given, or else those of
    the class ``kind`` (a local name)."""
    found: dict[str, set[str]] = defaultdict(set)
    var, iris = _restriction(among, kind)
    media_of: dict[str, str] = {}  # one string per outlet
    for sparql in _OUTLETS_OF if var == "event" else _OUTLETS_OF_CLASS:
        for event, media in _rows(store, sparql, var, iris, "crossdoc: outlets"):
            if event is not None and media is not None:
                found[event.value].add(media_of.setdefault(media.value, media.value))
    shared: dict[frozenset[str], frozenset[str]] = {}
    return {k: shared.setdefault(f, f) for k, v in found.items() for f in [frozenset(v)]}


def reported_apart(groups: Iterable[list[Report]]) -> set[str]:
    """The events of the groups that more than one article reports: the only reports that can disagree."""
    return {r.iri for members in groups if len({r.article for r in members}) > 1 for r in members}


def read_disputable(store: Store, among: Iterable[str]) -> dict[str, dict[str, dict[tuple[object, ...], set[str]]]]:
    """Event -> field of :data:`DISPUTABLE` -> the values it gives (for a quantity: number and unit),
    each as the ``disagreements`` query compares them (:func:`_comparable`), -> how it shows them
    (N-Triples terms), for the events ``among``."""
    found: dict[str, dict[str, dict[tuple[object, ...], set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for name, sparql in _DISPUTABLE_OF.items():
        for event, *value, shown in _rows(store, sparql, "event", sorted(set(among)), "crossdoc: disputable values"):
            if isinstance(event, ox.NamedNode) and shown is not None and all(v is not None for v in value):
                found[event.value][name][tuple(_comparable(v) for v in value)].add(str(shown))
    return found


@dataclass
class Side:
    """What the ``disagreements`` query shows of one report beside its value (N-Triples terms)."""

    articles: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)


def disputed_events(groups: Iterable[list[Report]], disputable: Disputable) -> set[str]:
    """The events of the groups that have a disputed field (:func:`disputed_fields`)."""
    return {r.iri for members in groups if disputed_fields(members, disputable) for r in members}


def read_sides(store: Store, among: Iterable[str]) -> dict[str, Side]:
    """Event -> its :class:`Side`, for the events ``among``; outlets as the query has them: the
    publisher's display labels, else those of the media relaying it, else of its sources."""
    among = sorted(set(among))
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for name, sparql in _SIDES_OF.items():
        for event, value in _rows(store, sparql, "event", among, "crossdoc: reports of disputed events"):
            if isinstance(event, ox.NamedNode) and value is not None:
                found[event.value][name].add(str(value))
    return {
        event: Side(given["article"], given["sentence"], given["publisher"] or given["relay"] or given["source"])
        for event, given in found.items()
    }


def _compared_text(value: tuple[object, ...]) -> str:
    """A value as :func:`_comparable` gives it, as text that is equal exactly when the values are.

    Example:
        >>> _compared_text((Decimal("5.0"), ox.NamedNode("http://qudt.org/vocab/unit/TONNE")))
        '5 <http://qudt.org/vocab/unit/TONNE>'
        >>> _compared_text((dt.date(2025, 3, 1),)), _compared_text((Decimal("-0"),)), _compared_text((Decimal(5E2),))
        ('2025-03-01', '0', '500')
    """
    parts = []
    for part in value:
        if isinstance(part, Decimal):
            parts.append("0" if part == 0 else format(part.normalize(), "f"))
        elif isinstance(part, dt.date):
            parts.append(part.isoformat())
        else:
            parts.append(str(part))
    return " ".join(parts)


def _comparable(term: object) -> object:
    """``term`` as SPARQL's ``!=`` compares it: a number or a date by its value (``5.0`` is ``5``),
    anything else as the term itself."""
    if isinstance(term, ox.Literal):
        try:
            if term.datatype.value in _NUMBERS:
                number = Decimal(term.value)
                return term if number.is_nan() else number
            if term.datatype.value == str(XSD.date):
                return dt.date.fromisoformat(term.value)
        except (InvalidOperation, ValueError):
            pass
    return term


def read_broader(store: Store) -> dict[str, frozenset[str]]:
    """Commodity -> every broader commodity of the reference scheme."""
    found: dict[str, set[str]] = defaultdict(set)
    for narrower, broader in store.rows(_BROADER, source="crossdoc: commodity scheme"):
        if narrower is not None and broader is not None:
            found[narrower.value].add(broader.value)
    return {k: frozenset(v) for k, v in found.items()}


def read_labels(store: Store, skipped: Skipped, among: Iterable[str] | None = None) -> dict[str, str]:
    """Entity -> its display label (:func:`display_labels`), for every labelled entity or those ``among``."""
    rows = _rows(store, _LABELS, "entity", among, "crossdoc: labels")
    return display_labels(
        (iri, label.value, int(n.value), r.value == "true")
        for e, label, n, r in rows
        if label is not None and n is not None and r is not None
        for iri in [skipped.iri(e)]
        if iri is not None
    )


def _date(term: object) -> dt.date | None:
    value = getattr(term, "value", None)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
