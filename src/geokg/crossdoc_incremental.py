"""The cross-document pass for what a build changed: the derived graphs of :mod:`geokg.crossdoc`
updated for the article graphs written or removed, the rest left as it is.

A build records the article graphs it replaces (:class:`Changes`, before each write: the
canonical events their old events belonged to and the entities they labelled), then
:func:`update` recomputes only what those articles can change, and gives the same quads as
:func:`geokg.crossdoc.refresh` over the whole store (canonical IRIs hash their members, so
they do not depend on the order articles arrived in):

* **entities**: the entities labelled in the changed graphs, old and new versions; for each,
  its display label and ``gk:linked``; and the alias groups they belong to: organisations,
  companies and media outlets of the same name key, a surname and the full names ending
  with it. An alias that changes (a second "…-volkov" makes "Volkov" ambiguous) changes the
  participants of the events that name it: those events count as changed too;
* **canonical events**: the groups the changed events were in, and the groups of the
  events a changed event is the same happening as: same type, a date in the window
  (events are looked up by date, rankings by type), participants and commodities agreeing
  (:func:`geokg.crossdoc.same_happening`). Those groups are regrouped together, with the
  changed events; groups none of them can join are connected components already and stay.
  Groups showing an entity whose display label changed are rewritten too;
* **storylines**: ``gk:follows`` of each new canonical event, of those that followed a
  replaced one, and of later ones a new event now comes closer before.

Deletions and insertions of a step go to the store in one SPARQL update (one transaction).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from geokg import crossdoc as cd
from geokg.crossdoc import CrossDocSummary, Report, Skipped, Triples
from geokg.iri_space import CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH, ID
from geokg.namespaces import GK, REPORT, SEM
from geokg.sparql_text import term_text
from geokg.store import Store

__all__ = ["Changes", "TRACK_LIMIT", "update"]

log = logging.getLogger("geokg.crossdoc")

#: Article graphs a build tracks for an incremental pass; past this, the pass recomputes the
#: derived graphs whole (:func:`geokg.crossdoc.refresh`), which then costs about the same.
TRACK_LIMIT = 100_000
_EVENTS_GRAPH, _ENTITIES_GRAPH = str(CROSSDOC_EVENTS_GRAPH), str(CROSSDOC_ENTITIES_GRAPH)
_ORG_SEGMENTS = ("company", "media", "org")
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
#: Canonical events read at a time while looking for the one a canonical event follows.
_PAGE = 64

# What the derived graphs said of the article graphs about to be replaced (restricted by ?g).
_OLD_CANONICAL = f"""
SELECT DISTINCT ?c WHERE {{ #VALUES
  GRAPH ?g {{ ?event a <{GK.Event}> }}
  GRAPH <{_EVENTS_GRAPH}> {{ ?event <{GK.canonicalEvent}> ?c }}
}}"""
_LABELLED = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity WHERE { #VALUES
  GRAPH ?g { { ?entity skos:prefLabel ?label } UNION { ?entity skos:altLabel ?label } } }"""
_EVENTS_IN = f"SELECT DISTINCT ?event WHERE {{ #VALUES\n  GRAPH ?g {{ ?event a <{GK.Event}> }} }}"
# Article event -> canonical event (restricted by ?event, or by ?c for a group's members).
_CANONICAL_OF = f"""SELECT DISTINCT ?event ?c WHERE {{ #VALUES
  GRAPH <{_EVENTS_GRAPH}> {{ ?event <{GK.canonicalEvent}> ?c }} }}"""
_REPORTED_VALUES = f"""SELECT ?x WHERE {{ #VALUES
  GRAPH <{_EVENTS_GRAPH}> {{ ?c <{REPORT.reportedValue}> ?x }} }}"""
_FOLLOWERS = f"""SELECT ?x ?c WHERE {{ #VALUES
  GRAPH <{_EVENTS_GRAPH}> {{ ?x <{GK.follows}> ?c }} }}"""
_ENTITY_STATE = f"""SELECT ?entity ?p ?o WHERE {{ #VALUES
  GRAPH <{_ENTITIES_GRAPH}> {{ ?entity ?p ?o }} }}"""
_DISPLAY = f"""SELECT ?entity ?label WHERE {{ #VALUES
  GRAPH <{_ENTITIES_GRAPH}> {{ ?entity <{GK.displayLabel}> ?label }} }}"""
_MINTED_PERSONS = f"""SELECT ?entity WHERE {{
  GRAPH <{_ENTITIES_GRAPH}> {{ ?entity <{GK.linked}> false }}
  FILTER(STRSTARTS(STR(?entity), "{ID}person/") && (%s))
}}"""
_NAMING = f"""SELECT DISTINCT ?event WHERE {{ #VALUES
  VALUES ?role {{ <{GK.agent}> <{GK.onBehalfOf}> <{GK.recipient}> <{GK.counterparty}> <{GK.theme}> }}
  ?event ?role ?value ; a <{GK.Event}> }}"""
# Canonical events that show an entity by its display label: as a participant, a commodity,
# an outlet. One query each (restricted by ?value): a UNION would read the whole store.
_SHOWING = (
    f"SELECT DISTINCT ?c WHERE {{ #VALUES\n GRAPH <{_EVENTS_GRAPH}> {{ ?c <{SEM.hasActor}> ?value }} }}",
    f"""SELECT DISTINCT ?c WHERE {{ #VALUES
  ?event ?role ?value . FILTER(?role IN (<{GK.theme}>, <{GK.attributedTo}>, <{GK.reportedBy}>))
  GRAPH <{_EVENTS_GRAPH}> {{ ?event <{GK.canonicalEvent}> ?c }} }}""",
    f"""SELECT DISTINCT ?c WHERE {{ #VALUES
  ?doc <http://purl.org/dc/terms/publisher> ?value . ?event <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
  GRAPH <{_EVENTS_GRAPH}> {{ ?event <{GK.canonicalEvent}> ?c }} }}""",
)
# Events of a class dated on a day, by their own date and by their article's, one VALUES row
# per (class, day): what a changed report may be the same happening as. Two queries, not a
# UNION: Oxigraph would read every dated event of the store before joining the block.
_ON_DAYS = (
    f"SELECT DISTINCT ?event WHERE {{ VALUES (?class ?day) {{ %s }} ?event <{GK.date}> ?day ; a ?class }}",
    """SELECT DISTINCT ?event WHERE { VALUES (?class ?day) { %s }
  ?doc <http://purl.org/dc/terms/date> ?day . ?event <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc ; a ?class }""",
)
_OF_CLASS = "SELECT DISTINCT ?event WHERE { VALUES ?class { %s } ?event a ?class }"
# The dated canonical events of some (participant, class) pairs: where the one a canonical event
# follows is, and those that may now follow it. One query reads each participant's events once
# for every canonical event that has it, where a query per canonical event read a frequent one's
# (a country's thousands) again each time.
_DATED = f"""SELECT DISTINCT ?who ?type ?c ?day WHERE {{
  VALUES (?who ?type) {{ %s }}
  GRAPH <{_EVENTS_GRAPH}> {{ ?c <{SEM.hasActor}> ?who ; <{GK.eventType}> ?type ; <{SEM.hasTimeStamp}> ?day }}
}}"""
#: (participant, class) pairs per query: Oxigraph starts from a VALUES block only up to some size.
_PAIRS_PER_QUERY = 64
# The canonical event each of some (restricted) follows, and its date.
_FOLLOWS = f"""SELECT ?c ?previous ?then WHERE {{ #VALUES
  GRAPH <{_EVENTS_GRAPH}> {{ ?c <{GK.follows}> ?previous . ?previous <{SEM.hasTimeStamp}> ?then }}
}}"""


@dataclass
class Changes:
    """The article graphs a build writes or removes, and what the derived graphs said of the old
    ones: call :meth:`before_writing` before every transaction that replaces article graphs.

    The first call marks the store's derived graphs stale (until a pass has run), so that an
    interrupted build says so. With ``track`` false (the pass will recompute everything),
    nothing else is read or kept; past :data:`TRACK_LIMIT` graphs tracking stops.
    """

    store: Store
    track: bool = True
    graphs: set[str] = field(default_factory=set)
    old_canonical: set[str] = field(default_factory=set)
    old_entities: set[str] = field(default_factory=set)
    #: whether any article graph was (about to be) written: the derived graphs are stale
    written: bool = False
    #: every graph written or removed, tracked or not (:class:`geokg._kept_keys.KeptKeys`)
    replaced: set[str] = field(default_factory=set)

    def before_writing(self, graphs: Collection[str]) -> None:
        """Note ``graphs`` (article graph IRIs) as about to be replaced or removed."""
        if not graphs:
            return
        if not self.written:
            self.store.mark_derived_stale()
            self.written = True
        self.replaced.update(graphs)
        if not self.track:
            return
        present = [g for g in graphs if self.store.ox.contains_named_graph(ox.NamedNode(g))]
        if present:
            self.old_canonical |= _iris(self.store, _OLD_CANONICAL, "g", present, "crossdoc: old canonical events")
            self.old_entities |= _iris(self.store, _LABELLED, "g", present, "crossdoc: old entities")
        self.graphs.update(graphs)
        if len(self.graphs) > TRACK_LIMIT:  # a pass over the whole store costs no more: keep nothing
            self.track = False
            self.graphs, self.old_canonical, self.old_entities = set(), set(), set()


def update(store: Store, changes: Changes) -> CrossDocSummary:
    """Update both cross-document graphs for the article graphs in ``changes`` (module docstring)."""
    summary = CrossDocSummary(incremental=True)
    skipped = Skipped()
    graphs = sorted(changes.graphs)
    touched = changes.old_entities | _iris(store, _LABELLED, "g", graphs, "crossdoc: entities")
    relinked, relabelled = _update_entities(store, touched, skipped, summary)
    links = _links(store)
    changed = _iris(store, _EVENTS_IN, "g", graphs, "crossdoc: changed events")
    changed |= _iris(store, _NAMING, "value", relinked, "crossdoc: events naming a relinked entity")
    broader = cd.read_broader(store)
    reports = {r.iri: r for r in cd.read_reports(store, links, skipped, changed)}
    groups = changes.old_canonical | set(_pairs(store, _CANONICAL_OF, "event", changed).values())
    groups |= _joined(store, list(reports.values()), links, broader, skipped)
    if relabelled:
        shown = relabelled | {variant for variant, canonical in links.items() if canonical in relabelled}
        for sparql in _SHOWING:
            groups |= _iris(store, sparql, "value", shown, "crossdoc: canonical events to relabel")
    members = set(_pairs(store, _CANONICAL_OF, "c", groups))
    reports.update((r.iri, r) for r in cd.read_reports(store, links, skipped, members - set(reports)))
    regrouped = cd.group_reports(reports.values(), broader)
    canonical, followers = _replace_groups(store, groups, regrouped, broader, summary)
    summary.events, summary.canonical_events = len(reports), len(regrouped)
    summary.reported_more_than_once = sum(1 for g in regrouped if len({r.article for r in g}) > 1)
    summary.triples += _update_storylines(store, canonical, followers, links, broader, skipped)
    summary.skipped = cd.name_skipped(store, skipped)
    log.debug("incremental cross-document pass: %s", summary)
    return summary


# -- entities ----------------------------------------------------------------
def _update_entities(
    store: Store, touched: set[str], skipped: Skipped, summary: CrossDocSummary
) -> tuple[set[str], set[str]]:
    """Rewrite what the entities graph says of ``touched`` and of the alias groups they are in;
    return the entities whose alias changed and those whose display label changed."""
    # Alias groups (crossdoc.alias_links): organisations, companies and media outlets of one name
    # key; a bare surname and the full names ending with it.
    keys, surnames = set(), set()
    for iri in touched:
        segment, _, key = iri[len(ID) :].rpartition("/") if iri.startswith(ID) else ("", "", "")
        if segment in _ORG_SEGMENTS:
            keys.add(key)
        elif segment == "person":
            surnames.add(key.rsplit("-", 1)[-1])
    group = {f"{ID}{segment}/{key}" for key in keys for segment in _ORG_SEGMENTS}
    group |= {f"{ID}person/{surname}" for surname in surnames}
    minted = cd.read_entities(store, skipped, touched | group)
    # A surname links to a full name only when the bare surname is minted itself.
    linking = {s for s in surnames if any(e.iri == f"{ID}person/{s}" for e in minted)}
    if linking:  # full names are never aliases themselves: read, not rewritten
        minted += cd.read_entities(store, skipped, _full_names(store, linking) - touched - group)
    links = cd.alias_links(minted)
    subjects = touched | group
    before: dict[str, dict[str, str]] = defaultdict(dict)
    for entity, p, o in _rows(store, _ENTITY_STATE, "entity", subjects):
        before[entity][p] = o
    labels = cd.read_labels(store, skipped, touched)
    relinked = {s for s in subjects if before[s].get(str(GK.canonical)) != links.get(s)}
    relabelled = {s for s in touched if before[s].get(str(GK.displayLabel)) != labels.get(s)}
    # Only touched entities can gain or lose a label or gk:linked; a group member's alias may change.
    graph = cd._entities_graph([e for e in minted if e.iri in touched], links, labels)
    delete = (
        [(s, GK.displayLabel) for s in touched]
        + [(s, GK.linked) for s in touched]
        + [(s, GK.canonical) for s in subjects]
    )
    summary.triples += _rewrite(store, _ENTITIES_GRAPH, delete, graph)
    summary.unlinked_entities = len({e.iri for e in minted if e.iri in touched})
    summary.aliases, summary.entities = len(links), len(subjects)
    return relinked, relabelled


def _full_names(store: Store, surnames: set[str]) -> set[str]:
    """Minted persons whose key ends with ``-surname`` for one of ``surnames`` (before this pass)."""
    found: set[str] = set()
    ordered = sorted(surnames)
    for start in range(0, len(ordered), cd.CHUNK):
        test = " || ".join(
            f"STRENDS(STR(?entity), {term_text(ox.Literal('-' + s))})" for s in ordered[start : start + cd.CHUNK]
        )
        found |= {
            row[0].value
            for row in store.rows(_MINTED_PERSONS % test, source="crossdoc: full names")
            if row[0] is not None
        }
    return found


def _links(store: Store) -> dict[str, str]:
    """Every alias link of the entities graph: variant -> canonical entity."""
    return {
        q.subject.value: q.object.value
        for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(GK.canonical)), None, ox.NamedNode(_ENTITIES_GRAPH))
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
    }


# -- canonical events ------------------------------------------------------------
def _joined(
    store: Store,
    changed: list[Report],
    links: Mapping[str, str],
    broader: Mapping[str, frozenset[str]],
    skipped: Skipped,
) -> set[str]:
    """Canonical events of the stored events that some changed report is the same happening as."""
    days: set[tuple[str, dt.date]] = set()
    rankings: set[str] = set()
    for report in changed:
        if report.when is None or report.type in cd._STANDALONE or not report.participants:
            continue  # such a report joins no other (same_happening)
        if report.type in cd._RANKING:
            rankings.add(report.type)  # a year each side: read them all, rankings are few
            continue
        for offset in range(-cd.WINDOW_DAYS, cd.WINDOW_DAYS + 1):
            days.add((report.type, report.when + dt.timedelta(days=offset)))
    candidates: set[str] = set()
    ordered = sorted(days)
    for start in range(0, len(ordered), cd.CHUNK):
        rows = " ".join(
            f'(<{GK[kind]}> "{day.isoformat()}"^^<{_XSD_DATE}>) (<{GK[kind]}> "{day.isoformat()}")'
            for kind, day in ordered[start : start + cd.CHUNK]
        )
        for sparql in _ON_DAYS:
            candidates |= {
                row[0].value
                for row in store.rows(sparql % rows, source="crossdoc: events by day")
                if isinstance(row[0], ox.NamedNode)
            }
    if rankings:
        classes = " ".join(f"<{GK[kind]}>" for kind in sorted(rankings))
        candidates |= {
            row[0].value
            for row in store.rows(_OF_CLASS % classes, source="crossdoc: rankings")
            if isinstance(row[0], ox.NamedNode)
        }
    candidates -= {r.iri for r in changed}
    blocks: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for report in cd.read_reports(store, links, skipped, candidates):
        for who in report.participants:
            blocks[(report.type, who)].append(report)
    joined = {
        other.iri
        for report in changed
        for who in report.participants
        for other in blocks.get((report.type, who), ())
        if cd.same_happening(report, other, broader)
    }
    return set(_pairs(store, _CANONICAL_OF, "event", joined).values())


def _replace_groups(
    store: Store,
    groups: set[str],
    regrouped: list[list[Report]],
    broader: Mapping[str, frozenset[str]],
    summary: CrossDocSummary,
) -> tuple[list[Report], set[str]]:
    """Replace the canonical events ``groups`` with ``regrouped`` in one transaction; return the
    new canonical events and the other canonical events that followed a replaced one."""
    followers = {x for x, c in _rows(store, _FOLLOWERS, "c", groups)} - groups
    events = {r.iri for members in regrouped for r in members}
    outlets = cd.read_outlets(store, events)
    shown = {iri for members in regrouped for r in members for iri in r.participants | r.themes}
    shown |= {media for found in outlets.values() for media in found}
    shown |= {b for members in regrouped for r in members for theme in r.themes for b in broader.get(theme, ())}
    labels = {entity: label for entity, label in _rows(store, _DISPLAY, "entity", shown)}
    disputable = cd.read_disputable(store, cd.reported_apart(regrouped))
    sides = cd.read_sides(store, cd.disputed_events(regrouped, disputable))
    graph = Triples()
    canonical = [cd.add_group(graph, members, labels, outlets, disputable, sides, broader) for members in regrouped]
    values = _iris(store, _REPORTED_VALUES, "c", groups, "crossdoc: reported values")  # theirs go with them
    summary.triples += _rewrite(store, _EVENTS_GRAPH, [], graph, replaced=groups | values)
    return canonical, followers


# -- storylines --------------------------------------------------------------
def _update_storylines(
    store: Store,
    canonical: list[Report],
    followers: set[str],
    links: Mapping[str, str],
    broader: Mapping[str, frozenset[str]],
    skipped: Skipped,
) -> int:
    """Set ``gk:follows`` of the new canonical events and of those that followed a replaced one,
    and move that of later ones a new canonical event now comes closer before; return the
    triples written."""
    new = {event.iri for event in canonical}
    recompute = canonical + list(_canonical_reports(store, followers, links, skipped).values())
    dated = _dated(store, {(who, event.type) for event in recompute for who in _who(event)})
    previous = {
        event.iri: found
        for event in recompute
        for found in [_previous(store, event, dated, links, broader, skipped)]
        if found is not None
    }
    later_of = {
        event.iri: {c for when, c in _storyline_dates(event, dated) if when > event.when} - new - followers  # type: ignore[operator]
        for event in canonical
        if _in_storyline(event)
    }
    follows = _follows(store, set().union(*later_of.values()))
    closer: dict[str, Report] = {}
    for event in canonical:
        if not _in_storyline(event):
            continue
        # Those following nothing, or something before this event (by date, then IRI).
        later = {
            c
            for c in later_of[event.iri]
            if not follows.get(c) or any((then, p) < (event.when, event.iri) for p, then in follows[c])
        }
        for iri, other in _canonical_reports(store, later, links, skipped).items():
            best = closer.get(iri)
            if cd.same_storyline(event, other, broader) and (
                best is None or (event.when, event.iri) > (best.when, best.iri)
            ):
                closer[iri] = event
    previous.update((iri, event.iri) for iri, event in closer.items())
    graph = Triples()
    for current, earlier in previous.items():
        graph.lines.add(f"<{current}> <{GK.follows}> <{earlier}> .")
    return _rewrite(store, _EVENTS_GRAPH, [(iri, GK.follows) for iri in closer], graph)


def _in_storyline(event: Report) -> bool:
    return event.when is not None and event.type not in cd._STANDALONE and bool(event.participants)


def _who(event: Report) -> frozenset[str]:
    """The participants another canonical event must share with ``event`` to be on its storyline:
    an agent, except for agreements and meetings (any party)."""
    return event.participants if event.type in cd._SYMMETRIC else event.agents


Dated = Mapping[tuple[str, str], list[tuple[dt.date, str]]]


def _dated(store: Store, pairs: set[tuple[str, str]]) -> Dated:
    """(date, IRI) of the dated canonical events of each (participant, type) pair."""
    found: dict[tuple[str, str], list[tuple[dt.date, str]]] = defaultdict(list)
    ordered = sorted(pairs)
    for start in range(0, len(ordered), _PAIRS_PER_QUERY):
        values = " ".join(f"(<{who}> <{GK[kind]}>)" for who, kind in ordered[start : start + _PAIRS_PER_QUERY])
        for who, kind, c, day in store.rows(_DATED % values, source="crossdoc: dated canonical events"):
            when = cd._date(day)
            if when is not None and isinstance(c, ox.NamedNode):
                found[(who.value, kind.value.removeprefix(str(GK)))].append((when, c.value))  # type: ignore[union-attr]
    return found


def _storyline_dates(event: Report, dated: Dated) -> set[tuple[dt.date, str]]:
    """(date, IRI) of the other canonical events of ``event``'s type sharing a participant of :func:`_who`."""
    return {found for who in _who(event) for found in dated.get((who, event.type), ()) if found[1] != event.iri}


def _follows(store: Store, iris: set[str]) -> dict[str, list[tuple[str, dt.date]]]:
    """The dated canonical events each of ``iris`` follows."""
    found: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    for c, earlier, day in _rows(store, _FOLLOWS, "c", iris):
        with contextlib.suppress(ValueError):  # a date geokg did not write: not one to compare with
            found[c].append((earlier, dt.date.fromisoformat(day)))
    return found


def _previous(
    store: Store,
    event: Report,
    dated: Dated,
    links: Mapping[str, str],
    broader: Mapping[str, frozenset[str]],
    skipped: Skipped,
) -> str | None:
    """The canonical event ``event`` follows (crossdoc._previous_in_storyline): the latest earlier
    one of its storyline, by date then IRI, read from the latest back, a page at a time."""
    if event.when is None or not _in_storyline(event) or not _who(event):
        return None
    earlier = sorted(((when, c) for when, c in _storyline_dates(event, dated) if when < event.when), reverse=True)
    for start in range(0, len(earlier), _PAGE):
        page = earlier[start : start + _PAGE]
        reports = _canonical_reports(store, {iri for _, iri in page}, links, skipped)
        for _, iri in page:
            other = reports.get(iri)
            if (
                other is not None
                and other.when is not None
                and other.when < event.when
                and cd.same_storyline(other, event, broader)
            ):
                return iri
    return None


def _canonical_reports(
    store: Store, iris: Collection[str], links: Mapping[str, str], skipped: Skipped
) -> dict[str, Report]:
    """Stored canonical events as :func:`geokg.crossdoc.canonical_report` gives them, from their members."""
    members: dict[str, list[str]] = defaultdict(list)
    for event, c in _pairs(store, _CANONICAL_OF, "c", iris).items():
        members[c].append(event)
    reports = {r.iri: r for r in cd.read_reports(store, links, skipped, {e for m in members.values() for e in m})}
    found = {}
    for c, events in members.items():
        group = [reports[e] for e in sorted(events) if e in reports]
        if group:
            found[c] = dataclasses.replace(cd.canonical_report(group), iri=c)
    return found


# -- reading and writing -------------------------------------------------------
def _rows(store: Store, sparql: str, var: str, iris: Iterable[str]) -> Iterable[tuple[str, ...]]:
    """The rows of ``sparql`` restricted to ``iris`` (crossdoc.restricted), as term values."""
    for text in cd.restricted(sparql, var, iris):
        for row in store.rows(text, source="crossdoc: incremental pass"):
            if all(term is not None for term in row):
                yield tuple(term.value for term in row)  # type: ignore[union-attr]


def _iris(store: Store, sparql: str, var: str, iris: Iterable[str], source: str) -> set[str]:
    """The IRIs in the first column of ``sparql`` restricted to ``iris``."""
    return {
        row[0].value
        for text in cd.restricted(sparql, var, iris)
        for row in store.rows(text, source=source)
        if isinstance(row[0], ox.NamedNode)
    }


def _pairs(store: Store, sparql: str, var: str, iris: Iterable[str]) -> dict[str, str]:
    """First column -> second column of ``sparql`` restricted to ``iris``."""
    return dict(_rows(store, sparql, var, iris))  # type: ignore[arg-type]


def _rewrite(
    store: Store, graph: str, delete: Iterable[tuple[str, object]], insert: Triples, *, replaced: Collection[str] = ()
) -> int:
    """In one transaction, delete from ``graph`` the triples of each (subject, predicate) in
    ``delete`` and every triple with a subject or object in ``replaced``, then insert ``insert``."""
    operations = []
    pairs = sorted({f"(<{s}> <{p}>)" for s, p in delete})
    for start in range(0, len(pairs), cd.CHUNK):
        operations.append(
            f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ VALUES (?s ?p) "
            f"{{ {' '.join(pairs[start : start + cd.CHUNK])} }} GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
    for block in cd.values_blocks("x", replaced):
        operations.append(
            f"DELETE {{ GRAPH <{graph}> {{ ?x ?p ?o }} }} WHERE {{ {block} GRAPH <{graph}> {{ ?x ?p ?o }} }}"
        )
        operations.append(
            f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?x }} }} WHERE {{ {block} GRAPH <{graph}> {{ ?s ?p ?x }} }}"
        )
    if insert.lines:
        operations.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(sorted(insert.lines)) + "\n} }")
    if operations:
        store.update(" ;\n".join(operations), source=f"crossdoc: incremental update of {graph}")
    return len(insert.lines)
