"""Whole-graph listings computed here from rows the store streams, with the rows and order of their query.

A listing ordered by its counts (``co-mentions``, ``outlets-per-event``) needs every row of the
store before its first: Oxigraph groups them all, holding every solution, then sorts. Here the
few plain patterns such a query reads are streamed once, joined and counted in Python, and the
rows are kept for the process and saved in the store's folder for later processes, as sorted keys
are (:func:`geokg.listings.key_order`: stamped with the store's data files, stale after any write).
A page is then a slice of them. ``disagreements`` is listed the same way from the small cache the
cross-document pass writes (its rows cost Oxigraph a dozen lookups each), and ``entities`` is
read whole once by its query (:data:`WHOLE`).

Each function returns None where its rows could differ from the query's (a label with a language
tag, a date of another type): the query answers instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Collection, Container, Sequence
from decimal import Decimal
from typing import Any, TypeVar, overload

import pyoxigraph as ox

from geokg.listings import _column_kind, _kept, _Saved, _value
from geokg.store import Store

__all__ = [
    "COMPUTED",
    "WHOLE",
    "whole",
    "co_mentions",
    "count_co_mentions",
    "outlets_per_event",
    "count_outlets_per_event",
]

_GK = "https://w3id.org/geokg/ontology#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DCTERMS = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_EVENT = f"<{_GK}Event>"

Row = tuple[object, ...]
T = TypeVar("T")


class _LineReader:
    """A binary file to serialise SPARQL TSV results into, handing each complete line to ``take``:
    the rows are read as Oxigraph writes them, never held whole."""

    def __init__(self, take: Callable[[str], None]) -> None:
        self.take, self.rest, self.header = take, b"", True

    def write(self, data: bytes) -> int:
        lines = (self.rest + data).split(b"\n")
        self.rest = lines.pop()
        for line in lines:
            if self.header:
                self.header = False
            else:
                self.take(line.decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        pass


def _stream(store: Store, query: str, source: str, take: Callable[[list[str]], None]) -> None:
    """Hand each row of ``query`` (its TSV cells) to ``take``, as the store writes them."""
    solutions = store.execute(query, source=source)
    assert isinstance(solutions, ox.QuerySolutions)
    reader = _LineReader(lambda line: take(line.split("\t")))
    solutions.serialize(reader, format=ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]


class SavedRows(Sequence[Row]):
    """Rows read from a saved file, parsed when a page reaches them: a later process pays for its
    page, not for every row. Each distinct text is saved once (on a line of ``texts``), and each
    row as a line of JSON: a text as its number, an integer as ``["i", n]``, a date as ``["d",
    "YYYY-MM-DD"]``, a decimal ``["D", text]``, a double ``["f", text]`` (``disagreements``
    repeats whole sentences in its rows).

    Example:
        >>> rows = [("Reuters", 3, dt.date(2024, 1, 2), None), ("Reuters", 1, None, True)]
        >>> saved = _saved_rows("x")
        >>> data, text = saved.write(rows)
        >>> data, saved.read(data, text)[:] == rows
        ([1, 2], True)
    """

    def __init__(self, texts: list[str], lines: list[str]) -> None:
        self.texts, self.lines = texts, lines
        self._read: dict[int, str] = {}
        self._numbers: dict[str, int] | None = None

    def first_in(self, values: Collection[str]) -> list[Row]:
        """The rows whose first cell is one of the texts ``values``, in order, parsing only those."""
        if self._numbers is None:
            self._numbers = {text: n for n, text in enumerate(self.texts)}
        saved = (self._numbers.get(json.dumps(value, ensure_ascii=False)) for value in values)
        wanted = {str(n) for n in saved if n is not None}
        return [self._row(line) for line in self.lines if line[1 : line.find(",")] in wanted]

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self._row(line) for line in self.lines[index]]
        return self._row(self.lines[index])

    def _row(self, line: str) -> Row:
        return tuple([self._cell(cell) for cell in json.loads(line)])

    def _cell(self, cell: object) -> object:
        if isinstance(cell, bool) or cell is None:
            return cell
        if isinstance(cell, int):
            text = self._read.get(cell)
            if text is None:
                text = self._read[cell] = json.loads(self.texts[cell])
            return text
        if isinstance(cell, list) and cell[0] == "i":
            return int(cell[1])
        if isinstance(cell, list) and cell[0] == "d":
            return dt.date.fromisoformat(cell[1])
        if isinstance(cell, list) and cell[0] == "D":
            return Decimal(cell[1])
        if isinstance(cell, list) and cell[0] == "f":
            return float(cell[1])
        raise ValueError(f"not a saved cell: {cell!r}")


def _saved_rows(name: str) -> _Saved:
    """Rows saved as :class:`SavedRows` reads them: the number of texts and of rows, then the texts
    and the rows, a line each."""

    def write(rows: Sequence[Row] | None) -> tuple[object, str]:
        if rows is None:
            return None, ""
        if isinstance(rows, SavedRows):
            return [len(rows.texts), len(rows)], "\n".join([*rows.texts, *rows.lines])
        texts: dict[str, int] = {}
        lines = [json.dumps([_saved_cell(cell, texts) for cell in row]) for row in rows]
        return [len(texts), len(lines)], "\n".join([*(json.dumps(t, ensure_ascii=False) for t in texts), *lines])

    def read(data: Any, body: str) -> SavedRows | None:
        if data is None:
            return None
        texts, count = data
        lines = body.split("\n") if body else []
        if len(lines) != texts + count:
            raise ValueError(f"{texts} texts and {count} rows saved, {len(lines)} lines read")
        return SavedRows(lines[:texts], lines[texts:])

    return _Saved(name, write, read)


def _saved_cell(cell: object, texts: dict[str, int]) -> object:
    if isinstance(cell, str):
        return texts.setdefault(cell, len(texts))
    if isinstance(cell, bool) or cell is None:
        return cell
    if isinstance(cell, int):
        return ["i", cell]
    if isinstance(cell, dt.date):
        return ["d", cell.isoformat()]
    if isinstance(cell, Decimal):
        return ["D", str(cell)]
    if isinstance(cell, float):
        return ["f", repr(cell)]
    raise TypeError(f"a listing gave a cell of no kind a query gives: {cell!r}")


# -- co-mentions ----------------------------------------------------------------


def co_mentions(store: Store) -> list[Row] | None:
    """The rows of ``queries/co-mentions.rq`` (:func:`count_co_mentions`), kept as sorted keys are."""
    return _kept(store, "co-mentions", lambda: count_co_mentions(store), _saved_rows("co-mentions"))


def count_co_mentions(store: Store) -> list[Row] | None:
    """The rows of ``queries/co-mentions.rq``, counted here from each article's entities.

    Oxigraph holds every (article, entity, entity) row of the query to group them: 2.1 GB at ten
    million quads. Here each article's entities are read once, as a stream, and articles that name
    the same entities are counted together; what is held is one entry per article, per distinct set
    of entities and per pair of labels. None when a display label is not a plain string (the
    query's order of those is Oxigraph's to give).
    """
    labels: dict[str, list[str]] = {}
    _, tsv = store.select_tsv(f"SELECT DISTINCT ?e ?label WHERE {{ ?e <{_GK}displayLabel> ?label }}")
    for line in tsv.decode("utf-8").split("\n")[1:]:
        if not line:
            continue
        entity, label = line.split("\t")
        if _column_kind({label}) != "string":
            return None
        if entity.startswith("<"):  # STR() of a blank node is an error: the query skips it
            labels.setdefault(entity[1:-1], []).append(str(_value(label)))
    ids: dict[str, int] = {}
    entities: list[str] = []
    by_doc: dict[str, list[int]] = {}

    def take(cells: list[str]) -> None:
        doc, cell = cells
        entity = cell[1:-1]
        if entity not in labels:
            return
        number = ids.get(entity)
        if number is None:
            number = ids[entity] = len(entities)
            entities.append(entity)
        by_doc.setdefault(doc, []).append(number)

    query = f"SELECT ?doc ?e WHERE {{ ?doc <{_RDF_TYPE}> <{_GK}Article> ; <{_GK}mentions> ?e }}"
    _stream(store, query, "co-mentions", take)
    sets: dict[tuple[int, ...], int] = {}
    for named in by_doc.values():
        key = tuple(sorted(set(named)))
        sets[key] = sets.get(key, 0) + 1
    by_doc.clear()
    counts: dict[tuple[str, str], int] = {}
    for named_set, articles in sets.items():
        iris = sorted(entities[n] for n in named_set)  # STR(?e1) < STR(?e2): each pair once
        pairs = set()
        for i, first in enumerate(iris):
            for second in iris[i + 1 :]:
                for label1 in labels[first]:
                    for label2 in labels[second]:
                        pairs.add((label1, label2) if label1 <= label2 else (label2, label1))
        for pair in pairs:
            counts[pair] = counts.get(pair, 0) + articles
    rows: list[Row] = [(first, second, count) for (first, second), count in counts.items()]
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))  # type: ignore[operator]
    return rows


# -- outlets per event ----------------------------------------------------------


def outlets_per_event(store: Store) -> list[Row] | None:
    """The rows of ``queries/outlets-per-event.rq`` (:func:`count_outlets_per_event`), kept as sorted keys are."""
    saved = _saved_rows("outlets-per-event")
    return _kept(store, "outlets-per-event", lambda: count_outlets_per_event(store), saved)


class _Group:
    """One (type, agent, commodity) of ``outlets-per-event`` as its rows arrive."""

    __slots__ = ("docs", "outlets", "first", "articles")

    def __init__(self) -> None:
        self.docs: set[str] = set()
        self.outlets: dict[str, None] | None = {}  # None once a row has no outlet
        self.first: dt.date | None | bool = None  # False once a row has no date
        self.articles: dict[str, None] = {}


def count_outlets_per_event(store: Store) -> list[Row] | None:
    """The rows of ``queries/outlets-per-event.rq``, counted here from the patterns it reads.

    Oxigraph takes minutes at ten million quads to evaluate the query's joins and its optional
    outlets for every event. Here each pattern is streamed once and the events are met in the
    order the query's evaluation meets them (its first pattern, ``?event a gk:Event``), so that
    the concatenated outlets and article ids come in the query's order. As Oxigraph does, an
    aggregate of a group where a row lacks the value (an outlet, a date) is unbound.

    None when a label, identifier or date is not of the kind compared here as Oxigraph compares
    it (a plain string, an ``xsd:date``).
    """
    order: dict[str, int] = {}
    _stream(store, f"SELECT ?event WHERE {{ ?event a {_EVENT} }}", "outlets-per-event", _first_seen(order))
    rank: dict[tuple[str, object], int] = {}  # where each label comes in the store's scan of them
    labels = _values_of(store, f"<{_GK}displayLabel>", "string", rank=rank)
    # The classes of events that name a type of event (the query's filter), joined in the store: most
    # typed things are no events.
    classes = _objects(
        store, _RDF_TYPE, order, f'. ?s a {_EVENT} FILTER(?o != {_EVENT} && STRSTARTS(STR(?o), "{_GK}"))'
    )
    agents = _objects(store, f"{_GK}agent", order)
    themes = _objects(store, f"{_GK}theme", order)
    docs = _objects(store, f"{_PROV}wasDerivedFrom", order)
    dates = _values_of(store, f"<{_GK}date>", "date", order)
    identifiers = _values_of(store, f"<{_DCTERMS}identifier>", "string", {d for ds in docs.values() for d in ds})
    publishers = _objects(store, f"{_DCTERMS}publisher")
    attributed = _objects(store, f"{_GK}attributedTo", order)
    reported = _objects(store, f"{_GK}reportedBy", order)
    media = _objects(store, _RDF_TYPE, obj=f"<{_GK}Media>")
    if labels is None or dates is None or identifiers is None:
        return None
    groups: dict[tuple[str, str, str], _Group] = {}
    for event in order:
        kinds = [c[len(_GK) + 1 : -1] for c in classes.get(event, ()) if c.startswith("<" + _GK) and c != _EVENT]
        agent_labels = [label for a in agents.get(event, ()) for label in labels.get(a, ())]
        theme_labels = [label for t in themes.get(event, ()) for label in labels.get(t, ())]
        if not (kinds and agent_labels and theme_labels):
            continue
        event_dates = dates.get(event, [])
        first = min(event_dates) if event_dates else False
        for doc in docs.get(event, ()):
            ids = identifiers.get(doc)
            if not ids:
                continue
            # The query's UNION (the article's publisher, who the event is attributed to or reported
            # by): Oxigraph gives its outlets in the reverse order of the store's scan of labels.
            found = {*publishers.get(doc, ()), *(m for m in attributed.get(event, ()) if m in media)}
            found.update(reported.get(event, ()))
            named = sorted(((rank[m, label], label) for m in found for label in labels.get(m, ())), reverse=True)
            outlets = [label for _, label in named]
            for key in {(k, a, t): None for k in kinds for a in agent_labels for t in theme_labels}:
                group = groups.get(key)
                if group is None:
                    group = groups[key] = _Group()
                group.docs.add(doc)
                if not outlets:
                    group.outlets = None
                elif group.outlets is not None:
                    for outlet in outlets:
                        group.outlets.setdefault(outlet, None)
                if group.first is not False:
                    group.first = first if first is False or group.first is None else min(group.first, first)
                for article in ids:
                    group.articles.setdefault(article, None)
    rows: list[Row] = [
        (
            *key,
            len(group.docs),
            None if group.outlets is None else ", ".join(group.outlets),
            group.first or None,
            ", ".join(group.articles),
        )
        for key, group in groups.items()
        if len(group.docs) > 1
    ]
    rows.sort(key=lambda row: (-row[3], row[0], row[1], row[2]))  # type: ignore[operator]
    return rows


def _first_seen(order: dict[str, int]) -> Callable[[list[str]], None]:
    def take(cells: list[str]) -> None:
        order.setdefault(cells[0], len(order))

    return take


def _objects(
    store: Store,
    predicate: str,
    subjects: Container[str] | None = None,
    where: str = "",
    obj: str = "?o",
    *,
    before: str = "",
    source: str = "aggregates",
) -> dict[str, list[str]]:
    """Each subject's objects of ``predicate`` (TSV cells) that the patterns ``before`` and
    ``where`` (after it) keep, in the order the store gives them, for the ``subjects`` given (by
    default all); with ``obj`` a term, its subjects (as keys)."""
    found: dict[str, list[str]] = {}

    def take(cells: list[str]) -> None:
        if subjects is None or cells[0] in subjects:
            objects = found.setdefault(cells[0], [])
            if len(cells) > 1 and cells[1] not in objects:  # a triple in several graphs
                objects.append(cells[1])

    variables = "?s ?o" if obj == "?o" else "?s"
    _stream(store, f"SELECT {variables} WHERE {{ {before} ?s <{predicate}> {obj} {where} }}", source, take)
    return found


def _values_of(
    store: Store,
    predicate: str,
    kind: str,
    subjects: Container[str] | None = None,
    rank: dict[tuple[str, object], int] | None = None,
    *,
    before: str = "",
) -> dict[str, list[Any]] | None:
    """Each subject's literal objects of ``predicate`` that the pattern ``before`` keeps, as
    values, for the ``subjects`` given (by default all), or None when one is not of ``kind``;
    ``rank`` takes where each (subject, value) first comes in the store's scan."""
    found: dict[str, list[Any]] = {}
    wrong: list[str] = []

    def take(cells: list[str]) -> None:
        subject, cell = cells
        if subjects is not None and subject not in subjects:
            return
        if _column_kind({cell}) != kind:
            wrong.append(cell)
            return
        values = found.setdefault(subject, [])
        value = _value(cell)
        if value not in values:
            values.append(value)
            if rank is not None:
                rank[subject, value] = len(rank)

    query = f"SELECT ?s ?o WHERE {{ {before} ?s {predicate} ?o }}"
    _stream(store, query, "aggregates", take)
    return None if wrong else found


# -- disagreements -------------------------------------------------------------

_REPORT = "https://w3id.org/geokg/report#"
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def disagreements(store: Store) -> Sequence[Row] | None:
    """The rows of ``queries/disagreements.rq`` (:func:`list_disagreements`), kept as sorted keys are."""
    return _kept(store, "disagreements", lambda: list_disagreements(store), _saved_rows("disagreements"))


def disagreements_of(store: Store, bindings: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]) -> list[Row] | None:
    """The rows of ``queries/disagreements.rq`` with a commodity bound: the rows of the whole
    listing (:func:`disagreements`, kept and saved) whose canonical event the cross-document pass
    cached as of that commodity (``report:commodity``), the commodity in their last column. The
    query sorts by that column last, so the listing's order is theirs. None for a value that is
    not a plain string (the query answers)."""
    commodity = bindings["commodity"]
    if not isinstance(commodity, ox.Literal) or commodity.language or commodity.datatype != _XSD_STRING:
        return None
    rows = disagreements(store)
    if rows is None:
        return None
    query = f"SELECT DISTINCT ?c WHERE {{ ?c <{_REPORT}commodity> {commodity} }}"
    of = {c.value for (c,) in store.rows(query, source="disagreements") if isinstance(c, ox.NamedNode)}
    kept = rows.first_in(of) if isinstance(rows, SavedRows) else [row for row in rows if row[0] in of]
    return [(*row[:-1], commodity.value) for row in kept]


def list_disagreements(store: Store) -> list[Row] | None:
    """The rows of ``queries/disagreements.rq`` with no commodity bound, from the values of
    disputed canonical events the cross-document pass caches (``report:``), read as streams.

    Each row costs Oxigraph about a dozen lookups on disk: a page of a thousand took over half a
    second at ten million quads, read by keys. The cache is small (2 % of the store), so every row
    is made here once, in the query's order (unbound first, then plain strings or IRIs by their
    text). None when a cell is of another kind (a language tag, a number): the query answers.
    """
    reported = _objects(store, f"{_REPORT}reportedValue", source="disagreements")
    differs = _objects(store, f"{_REPORT}differsFrom", source="disagreements")
    # The disputed canonical events first: joined the other way, Oxigraph reads every label.
    disputed = f"{{ SELECT DISTINCT ?s WHERE {{ ?s <{_REPORT}reportedValue> ?r }} }}"
    classes = _objects(store, f"{_GK}eventType", before=disputed, source="disagreements")
    labels = _values_of(store, f"<{_RDFS_LABEL}>", "string", before=disputed)
    cells = {
        name: _values_of(store, f"<{_REPORT}{name}>", "string")
        for name in ("field", "value", "article", "outlet", "sentence")
    }
    iris = set(reported) | {c for found in classes.values() for c in found}
    if labels is None or None in cells.values() or (iris and _column_kind(iris) != "iri"):
        return None
    field, value, article, outlet, sentence = (cells[n] or {} for n in cells)
    rows: set[Row] = set()
    for canonical, values in reported.items():
        types = [c[1:-1].removeprefix(_GK) if c.startswith("<" + _GK) else "" for c in classes.get(canonical, ())]
        names = labels.get(canonical, [])
        for r1 in values:
            for r2 in differs.get(r1, ()):
                pairs = [
                    (v1, a1, v2, a2)
                    for v1 in value.get(r1, ())
                    for a1 in article.get(r1, ())
                    for v2 in value.get(r2, ())
                    for a2 in article.get(r2, ())
                    if a1 != a2
                ]
                # The query's rows: every type, label and field with every pair, and the OPTIONAL
                # outlets and sentences, unbound where a value has none.
                for kind, label, name, (v1, a1, v2, a2), o1, s1, o2, s2 in itertools.product(
                    types,
                    names,
                    field.get(r1, ()),
                    pairs,
                    outlet.get(r1) or [None],
                    sentence.get(r1) or [None],
                    outlet.get(r2) or [None],
                    sentence.get(r2) or [None],
                ):
                    rows.add((canonical[1:-1], kind, label, name, v1, a1, o1, s1, v2, a2, o2, s2, None))
    order = (1, 2, 3, 5, 9, 0, 4, 6, 7, 8, 10, 11)  # ORDER BY ?type ?label ?field ?article1 ?article2 ...
    return sorted(rows, key=lambda row: tuple((0, "") if row[i] is None else (1, row[i]) for i in order))


#: Listings computed in Python on the local store, by name (each returns None to leave it to the query).
COMPUTED: dict[str, Callable[[Store], Sequence[Row] | None]] = {
    "co-mentions": co_mentions,
    "outlets-per-event": outlets_per_event,
    "disagreements": disagreements,
}

#: Listings with parameters bound computed in Python, by name: the parameters and how.
BOUND: dict[str, tuple[frozenset[str], Callable[[Store, Any], Sequence[Row] | None]]] = {
    "disagreements": (frozenset({"commodity"}), disagreements_of),
}

#: Listings whose query groups the whole store to sort its rows (``entities``: by type and label,
#: with each entity's count of articles), read whole once and kept as computed rows are: a few
#: seconds at ten million quads, held as rows far fewer than what the query reads.
WHOLE = {"entities"}


def whole(store: Store, name: str, read: Callable[[], T]) -> T:
    """The rows ``read()`` gives for the listing ``name`` of :data:`WHOLE`, kept as computed rows are."""
    return _kept(store, name, read, _saved_rows(name))
