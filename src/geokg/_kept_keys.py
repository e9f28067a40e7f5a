"""Saved listing keys that a build keeps up to date, where it would otherwise leave them stale.

A listing's sorted keys are saved in the store's folder stamped with its data files
(:mod:`geokg.listings`), so any write makes them stale and the next reader reads every key from
the store again (at ten million quads, seconds per listing). A keys text whose line
``# keys kept by builds: article`` says that each key row comes from the triples of one article's
named graph, its ``?_article`` that article's id, can be kept instead: the saved keys, less
those of the articles the build replaced or removed, plus the keys the text gives on the graphs
it wrote (read on those graphs alone), are the keys a whole read would give.

:class:`KeptKeys` takes the store's stamp before the build's first write; :meth:`KeptKeys.update`
reads, after its last write, the files saved for that stamp and the new keys (none written:
the same keys); :meth:`KeptKeys.save`
writes them with the stamp of the store once closed. Anything off (a file another stamp or none,
one that cannot be read, a keys text without the line, graphs other than article graphs, more
graphs than :data:`LIMIT`) leaves the file stale, to be read again as before.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

import pyoxigraph as ox

from geokg import listings
from geokg.iri_space import article_id_from_graph
from geokg.listings import KeyOrder
from geokg.store import Store

__all__ = ["KeptKeys", "LIMIT"]

log = logging.getLogger("geokg.listings")

#: Graphs a build may write and keep keys: past this a whole read of the keys costs about as much.
LIMIT = 10_000


class KeptKeys:
    """The saved keys of a store, kept up to date across one build (module notes)."""

    def __init__(self, path: Path) -> None:
        # Before the store is opened for writing, which already renews its logs: only files
        # saved for the store as it was are kept.
        self.path: Path | None = path if path.is_dir() else None
        self.before = listings._folder_stamp(path) if self.path is not None else None
        self.updates: list[tuple[Path, KeyOrder | None]] = []

    def drop(self) -> None:
        """Keep nothing: the build wrote what the keys texts' line cannot account for."""
        self.path = None

    def update(self, store: Store, graphs: Collection[str]) -> None:
        """Read the kept keys of the files saved before the build, after its last write to ``store``,
        which wrote or removed ``graphs`` (IRIs) and nothing else a kept keys text reads."""
        if self.path is None or self.before is None or len(graphs) > LIMIT:
            return
        ids = [article_id_from_graph(g) for g in graphs]
        if any(i is None for i in ids):
            return  # a graph of another kind (a load): its keys may be any article's
        try:
            files = sorted((self.path / listings.SAVED).glob("*.keys.*.json"))
        except OSError:
            return
        nodes = [ox.NamedNode(g) for g in sorted(graphs)]
        gone = {str(ox.Literal(i)) for i in ids if i is not None}
        for file in files:
            order = listings._read_saved(file, self.before, _SAVED)
            if not isinstance(order, KeyOrder) or listings.kept_by_builds(order.text) not in listings.KEPT_BY:
                continue
            try:
                self.updates.append((file, _updated(store, order, nodes, gone) if graphs else order))
            except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
                log.debug("%s: not kept (%s); left stale", file, exc)

    def save(self) -> list[Path]:
        """Save the keys :meth:`update` read, stamped with the store's files now (closed after
        the build); return the files written."""
        if self.path is None or not self.updates:
            return []
        after = listings._folder_stamp(self.path)
        for file, order in self.updates:  # read all first: saving removes files older than the build
            listings._write_saved(file, after, listings._keys_data(order))
        return [file for file, _ in self.updates]


def _from_data(data: object, body: str) -> KeyOrder | None:
    # A file saved before keys recorded their text and order gives a KeyError: left stale.
    text, how = data["text"], data["how"]  # type: ignore[index]
    return listings._keys_from_data(text, dict(zip(data["columns"], how, strict=True)), data, body)  # type: ignore[index]


_SAVED = listings._Saved("keys", listings._keys_data, _from_data)


def _updated(store: Store, order: KeyOrder, graphs: list[ox.NamedNode], gone: set[str]) -> KeyOrder | None:
    """``order`` without the rows of the articles ``gone`` (their ids' TSV cells), with the keys
    its text gives on ``graphs`` alone, in its order."""
    result = store.ox.query(order.text, default_graph=list(graphs), named_graphs=list(graphs))
    if not isinstance(result, ox.QuerySolutions):
        raise ValueError("not a SELECT query")
    names = [v.value for v in result.variables]
    tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
    if not set(order.columns + order.bind) <= set(names) or tsv is None:
        raise ValueError("the keys text no longer projects the saved columns")
    found = listings._found_keys(names, order.columns + order.bind, tsv)
    at = order.bind.index("_article")
    if any(row[at] not in gone for rows in found.values() for row in rows):
        raise ValueError("a graph written holds the keys of another article")  # a load of such quads
    ref = order.refs[at]
    affix = order.affixes[ref] if ref >= 0 else order.bind_affixes[at]
    stripped = {listings._strip(cell, affix) for cell in gone if listings._has(cell, affix)}
    lines = []
    for i, line in enumerate(order.lines):
        # Most lines name none of the articles: a look at the text decides, the exact cells then.
        named = line.split("\r", 1)[0].split("\t")[ref] in stripped if ref >= 0 else any(s in line for s in stripped)
        if named:
            rows = [row for row in order.binds(i) if row[at] not in gone]
            if rows:
                lines.append(order.line(order.key(i), rows))
        else:
            lines.append(line)
    kept = KeyOrder(
        order.text, order.columns, order.bind, order.how, order.kinds, order.affixes, lines, order.refs,
        order.bind_affixes,
    )  # fmt: skip
    fits = all(kept.fits(key, more) for key, more in found.items()) and all(
        not (bound := {key[i] for key in found} - {""}) or listings._column_kind(bound, how) == kind
        for i, (how, kind) in enumerate(zip(order.how, order.kinds, strict=True))
    )
    if not fits:  # a new prefix or kind of cell: the keys sorted and written again
        every = {kept.key(i): set(kept.binds(i)) for i in range(len(kept))}
        for key, more in found.items():
            every.setdefault(key, set()).update(more)
        return listings._sorted_keys(order.text, order.columns, order.bind, order.how, every)
    for key in found:
        i = kept.index(key)
        if i < len(kept) and kept.key(i) == key:
            kept.lines[i] = kept.line(key, sorted(set(kept.binds(i)) | found[key]))
        else:
            kept.lines.insert(i, kept.line(key, sorted(found[key])))
    return kept
