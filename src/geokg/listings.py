"""Whole-graph listings read a page at a time, at a cost that grows with the page, not the store.

Oxigraph sorts every row of a query before its ``LIMIT`` takes the first ones, so the first page
of a listing costs the whole listing (docs/performance.md). Where a listing's ``ORDER BY`` starts
with columns whose values the store can list cheaply, ``queries/plans/ENGINE/NAME.keys.rq``
lists them: a SELECT projecting those key columns (named as in the listing, in its order) and
the parameter variables (``?_article``) whose values give a key's rows. The keys are sorted here
and the listing runs for a few keys at a time, their parameter values bound by one ``VALUES``
block: its rows for those keys come out in the listing's own order, and all of them precede the
rows of the keys after them. A page reads keys until it holds its rows.

A key's values must be plain strings or ``xsd:date``, which sort here as Oxigraph sorts them
(unbound first); a store whose keys are anything else (a language tag, an IRI, two kinds in one
column) is read by the plain query instead. The sorted keys of a store opened read-only are kept
for the process, for as long as the store's data files stay as they were, and saved for later
processes in ``geokg-listings/`` in the store's folder, stamped with its data files
(:func:`_folder_stamp`): any write to the store makes them stale (but a build keeps those of a keys
text marked ``# keys kept by builds: article`` up to date, :mod:`geokg._kept_keys`), and a saved
file that cannot be read is read again from the store, one that cannot be written kept for the
process only.

A bound value's page is read the same way, by the keys of that value: the keys text with the
value bound by a ``VALUES`` block (:func:`geokg.queries.with_values`) lists them, sorted and saved
per value like a listing's. The whole listing's keys text serves where its rows can be limited to
one value (``# read by keys with: P``: the value is its first key column). Where they cannot,
``NAME.P.keys.rq`` beside it lists the keys of a value of P (:meth:`geokg.queries.StoredQuery.keys_for`):
a second, narrow text rather than finer keys for the whole listing, because a whole listing's
keys are read whole by its first reader (finer ones cost every reader of a page more), and a
value's keys start from the value, which the whole listing's text cannot assume. Its keys are
the same columns, so pages, cursors and saved files need nothing new here.

A cursor (:func:`encode_cursor`) names where the next page starts: the first key it reads and
how many rows of it were given already, or a row offset for a listing without keys.

A listing whose order no key can give, such as an aggregate ordered by its counts, is computed
from rows the store streams instead (:mod:`geokg.aggregates`), and kept and saved the same way.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import datetime as dt
import hashlib
import json
import logging
import math
import os
import re
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from geokg.errors import ConfigError
from geokg.sparql_text import NOT_KEYWORDS, where_brace
from geokg.store import Store

__all__ = [
    "Position",
    "encode_cursor",
    "read_cursor",
    "KeyOrder",
    "key_order",
    "with_rows",
    "keyed_rows",
    "JOINED",
    "joined_select",
    "keyed_with",
    "order_keys",
]

T = TypeVar("T")
_DATE = re.compile(r'^"(\d{4}-\d{2}-\d{2})"\^\^<http://www\.w3\.org/2001/XMLSchema#date>$')
_INTEGER = re.compile(r"[+-]?\d+")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

#: Keys read by the first query of a page; later ones read as many as the rows per key so far predict,
#: up to MAX_BATCH or the keys text's "# keys per query: N": past some number of VALUES rows,
#: which depends on the query, Oxigraph 0.5 stops starting from them (at 10 million quads events
#: of 1,000 articles took 0.5 s, of 1,300 86 s; entity-articles of 9 labels 0.1 s, of 10 27 s).
FIRST_BATCH = 16
MAX_BATCH = 512
_PER_QUERY = re.compile(r"^#\s*keys per query:\s*(\d+)\s*$", re.MULTILINE)
_WITH = re.compile(r"^#\s*read by keys with:\s*(.*?)\s*$", re.MULTILINE)


def keyed_with(keys_text: str) -> set[str]:
    """The parameters a keys text's line ``# read by keys with: P, Q`` names: with any of them
    bound (and no other), the listing is read by the keys of those values (the keys text projects
    ``?_P``, so a ``VALUES`` block binds it), not by its plain query.

    Example:
        >>> sorted(keyed_with("# title: K\\n# read by keys with: commodity, since\\nSELECT ..."))
        ['commodity', 'since']
    """
    found = _WITH.search(keys_text)
    return {name.strip() for name in found[1].split(",") if name.strip()} if found else set()


_KEPT = re.compile(r"^#\s*keys kept by builds:\s*(.*?)\s*$", re.MULTILINE)
#: What a keys text's line ``# keys kept by builds: article`` may say: each key row comes from
#: the triples of one article's named graph, its ``?_article`` the id of that article.
KEPT_BY = ("article",)


def kept_by_builds(keys_text: str) -> str | None:
    """What the keys text's line ``# keys kept by builds: article`` says (None without one): a
    build that adds, replaces or removes article graphs then updates the keys saved for the store
    (:class:`geokg._kept_keys.KeptKeys`) instead of leaving them stale.

    Example:
        >>> kept_by_builds("# title: K\\n# keys kept by builds: article\\nSELECT ?a ?_article { }")
        'article'
    """
    found = _KEPT.search(keys_text)
    return found[1] if found else None


_ORDER_BY = re.compile(r"\bORDER\s+BY\b(.*)$", re.IGNORECASE | re.DOTALL)
_UNBOUND_LAST = re.compile(r"\(!BOUND\([?$](\w+)\)\)")


def order_keys(text: str) -> list[tuple[str, str]]:
    """The variables a query's ``ORDER BY`` starts with, each with how it orders them: "asc"
    (``?x``: unbound first), "last" (``(!BOUND(?x)) ?x``: unbound last) or "desc" (``DESC(?x)``:
    unbound last), as long as the terms are of those forms.

    Example:
        >>> order_keys("SELECT * { } ORDER BY DESC(?n) (!BOUND(?d)) ?d ?a STR(?b) ?c")
        [('n', 'desc'), ('d', 'last'), ('a', 'asc')]
    """
    match = _ORDER_BY.search(NOT_KEYWORDS.sub(" ", text))
    tokens = (match[1] if match else "").split()
    out: list[tuple[str, str]] = []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if (plain := re.fullmatch(r"[?$](\w+)", token)) is not None:
            out.append((plain[1], "asc"))
        elif (desc := re.fullmatch(r"DESC\([?$](\w+)\)", token, re.IGNORECASE)) is not None:
            out.append((desc[1], "desc"))
        elif (last := _UNBOUND_LAST.fullmatch(token)) and at + 1 < len(tokens) and tokens[at + 1][1:] == last[1]:
            out.append((last[1], "last"))
            at += 1
        else:
            break
        at += 1
    return out


@dataclass(frozen=True)
class Position:
    """Where a page starts: ``skip`` rows after the first row of ``key`` (its TSV cells), or after
    the first row of the listing when ``key`` is None."""

    skip: int = 0
    key: tuple[str, ...] | None = None


def encode_cursor(name: str, position: Position) -> str:
    """An opaque text for ``position`` in the listing ``name``, safe on a command line.

    Example:
        >>> read_cursor("events", encode_cursor("events", Position(3, ('"a1"',))))
        Position(skip=3, key=('"a1"',))
    """
    data = {"q": name, "skip": position.skip, "key": list(position.key) if position.key is not None else None}
    return base64.urlsafe_b64encode(json.dumps(data, ensure_ascii=False).encode("utf-8")).decode("ascii").rstrip("=")


def read_cursor(name: str, cursor: str) -> Position:
    """The position a cursor of :func:`encode_cursor` names.

    Raises:
        ConfigError: not a cursor, or one given by another query.
    """
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        name_given, skip, key = data["q"], data["skip"], data["key"]
        if not isinstance(skip, int) or skip < 0 or not (key is None or all(isinstance(c, str) for c in key)):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise ConfigError("cursor", cursor, "Give the cursor a page of this query printed, unchanged.") from None
    if name_given != name:
        raise ConfigError("cursor", cursor, f"It is a cursor of {name_given}, not of {name}.")
    return Position(skip, tuple(key) if key is not None else None)


class KeyOrder:
    """A listing's keys, sorted: each key's TSV cells and the parameter values that give its rows.

    A key is kept as a short line of text (:meth:`compact`) and read when a page reaches it, so a
    process that reads saved keys (:func:`_kept`) pays for its page, not for every key.
    """

    def __init__(
        self,
        text: str,
        columns: tuple[str, ...],
        bind: tuple[str, ...],
        how: tuple[str, ...],
        kinds: tuple[str, ...],
        affixes: tuple[tuple[str, str], ...],
        lines: list[str],
        refs: tuple[int, ...] = (),
        bind_affixes: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.text, self.columns, self.bind, self.lines = text, columns, bind, lines
        self.how, self.kinds = how, kinds  # per column: as order_keys and _column_kind say
        self.affixes = affixes  # per column: what every bound cell starts and ends with (not in lines)
        # per parameter column: the key column it always repeats (-1: none), and its affixes
        self.refs = refs or (-1,) * len(bind)
        self.bind_affixes = bind_affixes or (("", ""),) * len(bind)
        # (column, cell) -> its place in the column's order, and its value
        self._cells: dict[tuple[int, str], tuple[tuple[int, object], object]] = {}

    @classmethod
    def compact(
        cls,
        text: str,
        columns: tuple[str, ...],
        bind: tuple[str, ...],
        how: tuple[str, ...],
        kinds: tuple[str, ...],
        found: Sequence[tuple[tuple[str, ...], Sequence[tuple[str, ...]]]],
    ) -> KeyOrder:
        """The keys ``found`` (each key's cells and parameter rows, sorted) as lines: each key's
        cells, then each parameter row after a "\\r", without the parameter columns that always
        repeat a key column, each cell without its column's affixes (SPARQL TSV escapes a tab,
        newline or carriage return in a cell)."""
        affixes = tuple(_affixes([key[i] for key, _ in found]) for i in range(len(columns)))
        refs = tuple(
            next((j for j in range(len(columns)) if all(row[b] == key[j] for key, rows in found for row in rows)), -1)
            for b in range(len(bind))
        )
        bind_affixes = tuple(
            _affixes([row[b] for _, rows in found for row in rows]) if refs[b] < 0 else ("", "")
            for b in range(len(bind))
        )
        order = cls(text, columns, bind, how, kinds, affixes, [], refs, bind_affixes)
        order.lines = [order.line(key, rows) for key, rows in found]
        return order

    def line(self, key: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
        """The line of a key (its TSV cells) and its parameter rows (sorted), as :meth:`compact` writes it."""
        free = [b for b in range(len(self.bind)) if self.refs[b] < 0]
        cells = "\t".join(_strip(cell, affix) for cell, affix in zip(key, self.affixes, strict=True))
        stored = dict.fromkeys("\t".join(_strip(row[b], self.bind_affixes[b]) for b in free) for row in rows)
        return cells + "".join("\r" + row for row in stored)

    def fits(self, key: Sequence[str], rows: Iterable[Sequence[str]]) -> bool:
        """Whether :meth:`line` writes this key and its rows so that :meth:`key` and :meth:`binds`
        read them back: each bound cell has its column's affixes, each parameter that repeats a
        key column repeats it (cells of the column's kind are checked apart)."""
        if not all(map(_has, key, self.affixes)):
            return False
        for row in rows:
            for b, (ref, affix) in enumerate(zip(self.refs, self.bind_affixes, strict=True)):
                if (row[b] != key[ref]) if ref >= 0 else not _has(row[b], affix):
                    return False
        return True

    def __len__(self) -> int:
        return len(self.lines)

    def key(self, i: int) -> tuple[str, ...]:
        """The ``i``-th key's TSV cells."""
        cells = self.lines[i].split("\r", 1)[0].split("\t")
        return tuple([p + cell + s if cell else "" for cell, (p, s) in zip(cells, self.affixes, strict=True)])

    def binds(self, i: int) -> list[tuple[str, ...]]:
        """The parameter values that give the rows of the ``i``-th key."""
        key, out = self.key(i), []
        for row in self.lines[i].split("\r")[1:]:
            cells = iter(row.split("\t"))
            values = []
            for ref, (start, end) in zip(self.refs, self.bind_affixes, strict=True):
                cell = key[ref] if ref >= 0 else next(cells)
                values.append(cell if ref >= 0 or not cell else start + cell + end)
            out.append(tuple(values))
        return out

    def _cell(self, column: int, cell: str) -> tuple[tuple[int, object], object]:
        found = self._cells.get((column, cell))
        if found is None:
            how = self.how[column]
            if not cell:
                found = ((0, "") if how == "asc" else (2, ""), None)
            else:
                value = _value(cell)
                found = ((1, _negated(value) if how == "desc" else value), value)
            self._cells[(column, cell)] = found
        return found

    def sort_key(self, key: Sequence[str]) -> tuple[tuple[int, object], ...]:
        """A key's place in Oxigraph's order (cells of a kind :func:`_column_kind` accepts)."""
        return tuple([self._cell(i, cell)[0] for i, cell in enumerate(key)])

    def value(self, i: int) -> tuple[object, ...]:
        """The ``i``-th key's cells as the values :func:`geokg.queries.rows_from_tsv` gives."""
        return tuple([self._cell(n, cell)[1] for n, cell in enumerate(self.key(i))])

    def index(self, key: tuple[str, ...] | None) -> int:
        """Where the rows of ``key`` start (the next key's, if the store no longer has it)."""
        if key is None:
            return 0
        if len(key) != len(self.columns) or any(
            cell and _column_kind({cell}) != kind for cell, kind in zip(key, self.kinds, strict=True)
        ):
            raise ConfigError("cursor", key, "It names no key of this listing; start again from its first page.")
        return bisect.bisect_left(range(len(self)), self.sort_key(key), key=lambda i: self.sort_key(self.key(i)))


_CACHE: dict[tuple[str, str], tuple[tuple[object, ...], object]] = {}
_REPLICAS: weakref.WeakKeyDictionary[Store, dict[str, object]] = weakref.WeakKeyDictionary()
#: The folder, inside a store's folder, of what :func:`_kept` saves for later processes.
SAVED = "geokg-listings"
_SAVED_FORMAT = 3
log = logging.getLogger("geokg.listings")


@dataclass(frozen=True)
class _Saved:
    """How :func:`_kept` saves a value for later processes: its file name in :data:`SAVED`, and
    the value as JSON data and a text (lines, read without parsing JSON) and back (``read`` raises
    ValueError, KeyError or TypeError on data it cannot use)."""

    name: str
    write: Callable[[Any], tuple[object, str]]
    read: Callable[[Any, str], object]


def _kept(store: Store, what: str, read: Callable[[], T], saved: _Saved | None = None) -> T:
    """``read()``, kept while the store is read-only and its files unchanged: for the process, and
    (``saved``) in a file of the store's folder for later processes, stamped with the store's data
    files (:func:`_folder_stamp`), so any write to the store makes it stale."""
    if store.read_only and store.in_memory:
        per_store = _REPLICAS.setdefault(store, {})
        if what not in per_store:
            per_store[what] = read()
        return per_store[what]  # type: ignore[return-value]
    if not store.read_only or store.path is None:
        return read()
    cache_key = (str(store.path.resolve()), what)
    stamp = _folder_stamp(store.path)
    cached = _CACHE.get(cache_key)
    if cached is not None and cached[0] == stamp:
        return cached[1]  # type: ignore[return-value]
    if saved is None:
        value: object = read()
    else:
        file = store.path / SAVED / f"{saved.name}.{hashlib.sha256(what.encode()).hexdigest()[:16]}.json"
        value = _read_saved(file, stamp, saved)
        if value is _MISSING:
            value = read()
            if _folder_stamp(store.path) == stamp:  # nobody wrote to the store meanwhile
                _write_saved(file, stamp, saved.write(value))
    _CACHE[cache_key] = (stamp, value)
    return value  # type: ignore[return-value]


_MISSING = object()


def _read_saved(file: Path, stamp: tuple[object, ...], saved: _Saved) -> object:
    """The value saved in ``file`` for a store with files ``stamp``, or _MISSING when there is none
    (no file, another stamp, or a file this geokg cannot read: it is read again from the store)."""
    try:
        head, newline, body = file.read_bytes().partition(b"\n")
        data = json.loads(head)
        if data["format"] != _SAVED_FORMAT or [tuple(f) for f in data["stamp"]] != list(stamp) or not newline:
            return _MISSING
        return saved.read(data["value"], body.decode("utf-8"))
    except FileNotFoundError:
        return _MISSING
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.debug("%s: not read (%s); reading the store instead", file, exc)
        return _MISSING


def _write_saved(file: Path, stamp: tuple[object, ...], value: tuple[object, str]) -> None:
    """Write ``value`` (JSON data and a text) to ``file`` whole or not at all (a temporary file
    renamed over it); a folder that cannot be written keeps it for this process only."""
    data = {"format": _SAVED_FORMAT, "stamp": stamp, "value": value[0]}
    temporary: str | None = None
    try:
        file.parent.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=file.parent, prefix=".", suffix=".tmp", delete=False) as out:
            temporary = out.name
            out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            out.write(value[1].encode("utf-8"))
        os.replace(temporary, file)
        _remove_stale(file.parent, stamp)
    except OSError as exc:
        log.debug("%s: not saved (%s)", file, exc)
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _remove_stale(folder: Path, stamp: tuple[object, ...]) -> None:
    """Remove the saved files written before the store's latest write: no store they fit remains."""
    latest = max((int(f[2]) for f in stamp if isinstance(f, tuple)), default=0)
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.stat().st_mtime_ns < latest:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def key_order(store: Store, keys_text: str, source: str, order: Sequence[tuple[str, str]] = ()) -> KeyOrder | None:
    """The keys ``keys_text`` lists on ``store``, sorted as ``order`` (the listing's
    :func:`order_keys`; by default ascending) says, or None when they cannot be sorted as
    Oxigraph sorts them (module notes)."""
    how = dict(order)
    what = keys_text + repr(sorted(how.items()))
    saved = _Saved(
        Path(source).stem + ".keys", _keys_data, lambda data, body: _keys_from_data(keys_text, how, data, body)
    )
    return _kept(store, what, lambda: _read_keys(store, keys_text, source, how), saved)


def _folder_stamp(path: os.PathLike[str]) -> tuple[object, ...]:
    """The store's data files: any write adds to a write-ahead log (``*.log``) or a table file
    (``*.sst``, never changed once written). RocksDB's own bookkeeping, which every opening for
    writing renews (an empty log, ``MANIFEST``, ``OPTIONS``, ``LOG``), is left out, so that a build
    with nothing new leaves saved listings valid."""
    with os.scandir(path) as entries:
        return tuple(
            sorted(
                (e.name, size, e.stat().st_mtime_ns)
                for e in entries
                if e.name.endswith((".sst", ".log")) and (size := e.stat().st_size)
            )
        )


def _affixes(cells: list[str]) -> tuple[str, str]:
    """What every bound cell starts and ends with, leaving at least a character of each (so that
    a bound cell never reads as unbound).

    Example:
        >>> _affixes(['<http://e.org/c/a1>', '', '<http://e.org/c/b22>'])
        ('<http://e.org/c/', '>')
    """
    bound = [cell for cell in cells if cell]
    if not bound:
        return "", ""
    room = min(map(len, bound)) - 1
    prefix = os.path.commonprefix(bound)[:room]
    suffix = os.path.commonprefix([cell[::-1] for cell in bound])[: room - len(prefix)][::-1]
    return prefix, suffix


def _has(cell: str, affix: tuple[str, str]) -> bool:
    """Whether ``cell`` is unbound, or starts and ends with ``affix`` and holds more."""
    start, end = affix
    return not cell or (len(cell) > len(start) + len(end) and cell.startswith(start) and cell.endswith(end))


def _strip(cell: str, affix: tuple[str, str]) -> str:
    return cell[len(affix[0]) : len(cell) - len(affix[1])] if cell else ""


def _keys_data(order: KeyOrder | None) -> tuple[object, str]:
    if order is None:
        return None, ""
    data = {
        "text": order.text,  # what a build that keeps the keys up to date reads them by
        "how": order.how,
        "columns": order.columns,
        "bind": order.bind,
        "kinds": order.kinds,
        "affixes": order.affixes,
        "refs": order.refs,
        "bind_affixes": order.bind_affixes,
    }
    return data, "\n".join(order.lines)


def _keys_from_data(text: str, how: dict[str, str], data: Any, body: str) -> KeyOrder | None:
    """A KeyOrder from :func:`_keys_data`, in the order it was saved."""
    if data is None:
        return None
    columns, bind, kinds = tuple(data["columns"]), tuple(data["bind"]), tuple(data["kinds"])
    affixes = tuple((str(p), str(s)) for p, s in data["affixes"])
    refs = tuple(int(ref) for ref in data["refs"])
    bind_affixes = tuple((str(p), str(s)) for p, s in data["bind_affixes"])
    if (
        not all(isinstance(name, str) for name in columns + bind + kinds)
        or len(affixes) != len(columns)
        or len(refs) != len(bind)
        or len(bind_affixes) != len(bind)
    ):
        raise TypeError("columns, parameters and kinds are text, with affixes for each column")
    lines = body.split("\n") if body else []
    return KeyOrder(text, columns, bind, _how(columns, how), kinds, affixes, lines, refs, bind_affixes)


def _how(columns: Sequence[str], how: dict[str, str]) -> tuple[str, ...]:
    return tuple(how.get(column, "asc") for column in columns)


def _read_keys(store: Store, keys_text: str, source: str, how: dict[str, str]) -> KeyOrder | None:
    """The keys ``keys_text`` lists, sorted as Oxigraph sorts them, or None when that cannot be said here."""
    names, tsv = store.select_tsv(keys_text, source=source)
    columns = tuple(n for n in names if not n.startswith("_"))
    bind = tuple(n for n in names if n.startswith("_"))
    return _sorted_keys(keys_text, columns, bind, _how(columns, how), _found_keys(names, columns + bind, tsv))


def _found_keys(names: Sequence[str], wanted: Sequence[str], tsv: bytes) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    """Each key's TSV cells (the columns of ``wanted`` not starting with "_") and its parameter rows."""
    key_at = [names.index(c) for c in wanted if not c.startswith("_")]
    bind_at = [names.index(b) for b in wanted if b.startswith("_")]
    found: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for line in tsv.decode("utf-8").split("\n")[1:]:
        if line:
            cells = line.split("\t")
            found.setdefault(tuple([cells[i] for i in key_at]), set()).add(tuple([cells[i] for i in bind_at]))
    return found


def _sorted_keys(
    text: str,
    columns: tuple[str, ...],
    bind: tuple[str, ...],
    directions: tuple[str, ...],
    found: dict[tuple[str, ...], set[tuple[str, ...]]],
) -> KeyOrder | None:
    """The keys ``found`` sorted as Oxigraph sorts them, or None when that cannot be said here."""
    kinds = [_column_kind({key[i] for key in found}, directions[i]) for i in range(len(columns))]
    if None in kinds:
        return None
    known = tuple(kind for kind in kinds if kind is not None)
    sorter = KeyOrder(text, columns, bind, directions, known, (("", ""),) * len(columns), [])
    keys = sorted(found, key=sorter.sort_key)
    return KeyOrder.compact(text, columns, bind, directions, known, [(key, sorted(found[key])) for key in keys])


def _column_kind(cells: set[str], how: str = "asc") -> str | None:
    """The kind of every bound cell, when they share one that sorts here as in Oxigraph: "string"
    (plain), "date" (``xsd:date``), "iri" or "integer" (as TSV writes an ``xsd:integer``); None
    otherwise, or for a descending column of strings or IRIs (unbound cells go with any)."""
    bound = cells - {""}
    if all(c[0] == '"' and c[-1] == '"' and len(c) > 1 for c in bound):
        kind = "string"
    elif all(_DATE.match(c) for c in bound):
        kind = "date"
    elif all(c[0] == "<" and c[-1] == ">" and c[1] != "<" and "\\" not in c for c in bound):
        kind = "iri"
    elif all(_INTEGER.fullmatch(c) for c in bound):
        kind = "integer"
    else:
        return None
    return None if how == "desc" and kind in ("string", "iri") and bound else kind


def _value(cell: str) -> object:
    """A key cell as the value :func:`geokg.queries.rows_from_tsv` gives its column."""
    if not cell:
        return None
    if cell[0] == "<":
        return cell[1:-1]  # an IRI without escapes (checked by _column_kind)
    if cell[-1] != '"':
        if cell[0] != '"':
            return int(cell)
        return dt.date.fromisoformat(cell[1:11])  # an xsd:date (checked by _column_kind)
    text = cell[1:-1]
    return _unescape(text) if "\\" in text else text


def _negated(value: object) -> object:
    """A value of a descending column (an integer or a date) as one that sorts the other way."""
    return -value.toordinal() if isinstance(value, dt.date) else -value  # type: ignore[operator]


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _ESCAPES.get(m[3], m[3]), text)


def with_rows(text: str, names: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """``text`` with a ``VALUES`` block of several rows at the head of its WHERE clause: ``names``
    are variables (without ``?``), each row their terms in SPARQL syntax ("" for UNDEF).

    Example:
        >>> print(with_rows('SELECT ?x WHERE { ?x ?p ?_a }', ["_a"], [['"a1"'], ['"a2"']]))
        SELECT ?x WHERE { VALUES (?_a) { ("a1") ("a2") } ?x ?p ?_a }
    """
    at = where_brace(text)
    head = " ".join(f"?{name}" for name in names)
    body = " ".join("(" + " ".join(term or "UNDEF" for term in row) + ")" for row in rows)
    return f"{text[: at + 1]} VALUES ({head}) {{ {body} }}{text[at + 1 :]}"


def keyed_rows(
    order: KeyOrder,
    text: str,
    columns: Sequence[str],
    read: Callable[[str], Sequence[tuple[object, ...]]],
    start: Position,
    *,
    want: int | None = None,
    variables: Sequence[str] | None = None,
) -> Iterator[tuple[tuple[object, ...], tuple[str, ...], int]]:
    """The rows of the listing ``text`` (projecting ``columns``) from the first row of
    ``start.key``, each with its key and its place among that key's rows, read a few keys at a time
    (``read`` runs a query, returning its rows as :func:`geokg.queries.rows_from_tsv` gives them).

    Args:
        want: about how many rows the caller reads (None: all), to size the queries.
        variables: the variables the ``VALUES`` block binds, one per ``order.bind`` (by default
            those names: parameter variables); ``?x`` for a keys text's ``?_x`` that names no parameter.
    """
    key_at = [list(columns).index(c) for c in order.columns]
    bound = order.bind if variables is None else variables
    cap = int(found[1]) if (found := _PER_QUERY.search(order.text)) else MAX_BATCH

    def rows() -> Iterator[tuple[tuple[object, ...], tuple[str, ...], int]]:
        i, batch, given, done = order.index(start.key), min(FIRST_BATCH, cap), 0, 0
        current: tuple[str, ...] | None = None
        index = 0
        while i < len(order):
            chunk = [order.key(j) for j in range(i, min(i + batch, len(order)))]
            wanted = {order.value(i + n): key for n, key in enumerate(chunk)}
            binds = list(dict.fromkeys(b for n in range(len(chunk)) for b in order.binds(i + n)))
            before = given
            for row in read(with_rows(text, bound, binds)):
                key = wanted.get(tuple(row[j] for j in key_at))
                if key is None:
                    continue  # a row of a key outside this chunk: read with its own
                if key != current:
                    current, index = key, 0
                yield row, key, index
                index += 1
                given += 1
            i += len(chunk)
            done += len(chunk)
            left = None if want is None else want - given
            if left is None or given == before:  # all rows wanted, or keys without rows: read more at once
                batch = min(batch * 2, cap)
            elif left > 0:
                per_key = max(given, 1) / done
                batch = max(min(FIRST_BATCH, cap), min(cap, math.ceil(left / per_key * 1.25)))

    return rows()


# -- listings read by keys, their rows joined here with a table ------------------
_GK = "https://w3id.org/geokg/ontology#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_ENTITY_TABLE = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?entity ?type ?label ?iso ?wikidata WHERE {
  { SELECT DISTINCT ?entity ?type WHERE {
      ?entity a ?class .
      VALUES (?class ?type) {
        (gk:Person "Person") (gk:Country "Country") (gk:Organization "Organization")
        (gk:Exchange "Organization") (gk:Company "Company") (gk:Media "Media")
        (gk:Commodity "Commodity") (gk:Place "Place") (gk:Facility "Place")
      } } }
  OPTIONAL { ?entity gk:displayLabel ?label }
  OPTIONAL { SELECT DISTINCT ?entity ?ownIso WHERE { ?entity gk:iso3166Alpha2 ?ownIso } }
  OPTIONAL { SELECT DISTINCT ?entity ?countryIso WHERE {
      VALUES ?placeClass { gk:Place gk:Facility } ?entity a ?placeClass ; gk:country/gk:iso3166Alpha2 ?countryIso } }
  BIND(COALESCE(?ownIso, ?countryIso) AS ?iso)
  OPTIONAL { SELECT DISTINCT ?entity ?wikidata WHERE {
      ?entity owl:sameAs ?wd .
      FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/Q"))
      BIND(STRAFTER(STR(?wd), "http://www.wikidata.org/entity/") AS ?wikidata) } }
}"""


def _article_entities(link: str) -> str:
    return (
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        f"SELECT ?article ?entity WHERE {{ ?doc a <{_GK}Article> ; dcterms:identifier ?_article ;"
        f" <{_GK}{link}> ?entity . BIND(?_article AS ?article) }}"
    )


#: Listings whose keyed queries read only (article, entity) rows, joined here with the table of
#: every entity's type, label and codes (the same for every page; Oxigraph would evaluate it again
#: for each query of a page): the name's query text, and the text of those rows (``?_article`` bound).
JOINED = {"mentions": _article_entities("mentions"), "salient-mentions": _article_entities("salientMention")}


def joined_select(store: Store, name: str) -> Callable[[str], bytes] | None:
    """For a listing of :data:`JOINED`: a function that runs its rows text (with a ``VALUES``
    block) and gives the SPARQL TSV of the listing's rows for those keys, in the listing's order;
    None when the table holds terms whose order here may not be Oxigraph's (a blank node, a
    language tag, a datatype)."""
    table = _kept(store, _ENTITY_TABLE, lambda: _entity_table(store), _Saved("entity-table", _table_data, _table_from))
    if table is None:
        return None

    def select(text: str) -> bytes:
        _, tsv = store.select_tsv(text, source=name)
        rows: dict[tuple[str, ...], tuple[tuple[int, object], ...]] = {}
        for line in tsv.decode("utf-8").split("\n")[1:]:
            if line:
                article, entity = line.split("\t")
                for cells, order in table.get(entity, ()):
                    rows[(article, entity) + cells] = ((1, _value(article)),) + order
        out = sorted(rows, key=rows.__getitem__)
        return "\n".join(["?article\t?entity\t?type\t?label\t?iso\t?wikidata", *map("\t".join, out), ""]).encode()

    return select


_Table = dict[str, list[tuple[tuple[str, ...], tuple[tuple[int, object], ...]]]]


def _entity_table(store: Store) -> _Table | None:
    """Each entity's (type, label, iso, wikidata) cells, with their sort keys after the article's
    (``ORDER BY ?article ?type ?label ?entity ?iso ?wikidata``), by the entity's TSV cell."""
    _, tsv = store.select_tsv(_ENTITY_TABLE, source="entity table")
    data = [line.split("\t") for line in tsv.decode("utf-8").split("\n")[1:] if line]
    for entity, *cells in data:
        if entity[0] != "<" or "\\" in entity or _column_kind(set(cells)) != "string":
            return None
    return _table_from(data)


def _table_data(table: _Table | None) -> tuple[object, str]:
    return None if table is None else [[entity, *cells] for entity, rows in table.items() for cells, _ in rows], ""


def _table_from(data: Any, _body: str = "") -> _Table | None:
    if data is None:
        return None
    table: _Table = {}
    for entity, kind, label, iso, wikidata in data:
        order = [(0, "") if not c else (1, _value(c)) for c in (kind, label, "", iso, wikidata)]
        order[2] = (1, entity[1:-1])  # an IRI (checked): by its text
        table.setdefault(entity, []).append(((kind, label, iso, wikidata), tuple(order)))
    return table
