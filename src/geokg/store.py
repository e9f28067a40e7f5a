"""The geokg store: a small wrapper over an on-disk :class:`pyoxigraph.Store`.

One named graph per article (``https://w3id.org/geokg/graph/article/{article-id}``), plus
the reference and ontology graphs, the cross-document ones, and a marker graph while those
are out of date (:meth:`Store.mark_derived_stale`). Loading an article *replaces* its graph in one
SPARQL update (``DROP SILENT GRAPH`` + ``INSERT DATA``), which Oxigraph applies as
one transaction: readers never see a half-written article, and building the same
input twice gives the same store. A build killed outright (SIGKILL, power cut of the
process) leaves every graph whole or absent: the next open replays Oxigraph's
write-ahead log up to the last committed transaction, and re-running the build
completes the store (``tests/test_reliability_crash.py``). :meth:`Store.bulk_load`
and the chunked writes of a derived graph (:meth:`Store.load_graph`) are the exceptions:
they are not one transaction.

Reading needs pyoxigraph alone: the methods that take or give rdflib graphs import
rdflib and the term conversion (:mod:`geokg.rdf.terms`) when they are called.

Example:
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/geokg/id/country/CL"),
    ...            URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("Chile")))
    >>> with Store() as store:
    ...     first = store.replace_graph("https://w3id.org/geokg/graph/article/a1", g)
    ...     again = store.replace_graph("https://w3id.org/geokg/graph/article/a1", g)
    ...     (first, again, len(store), store.article_graphs())
    (1, 1, 1, ['https://w3id.org/geokg/graph/article/a1'])
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Union

import pyoxigraph as ox

from geokg.errors import StoreError
from geokg.iri_space import (
    ARTICLE_GRAPH,
    CROSSDOC_EVENTS_FORM,
    CROSSDOC_EVENTS_GRAPH,
    DERIVED_STALE_GRAPH,
    LAYOUT_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    article_id_from_graph,
    is_legacy_article_graph,
)
from geokg.sparql_text import syntax_error

if TYPE_CHECKING:
    # Inside class Store the name ``ox`` is its property, so annotations there say ``pyoxigraph``.
    import pyoxigraph
    from rdflib import Graph, URIRef
    from rdflib.term import Node

__all__ = ["Store", "StoreStats", "OxTerm", "DEFAULT_PATH"]

log = logging.getLogger("geokg.store")

DEFAULT_PATH = "geokg.db"
#: Characters of update text written between two flushes of an on-disk store. Oxigraph's
#: RocksDB keeps up to 2 × 128 MiB of writes in memory per index (12 column families) before
#: flushing them by itself, so a build of a few hundred thousand quads never flushed and its
#: resident memory grew with every article. Flushing every 8 MiB of N-Triples keeps the write
#: buffers small (bench/memory.py prints the memory of a build).
FLUSH_EVERY_BYTES = 8 * 2**20
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
#: N-Triples lines :meth:`Store.load_graph` loads per transaction.
LOAD_LINES = 50_000
#: Named graphs :meth:`Store.warnings` looks at for old article graph names in a read-only store
#: without the layout marker: listing all of them took 0.9 s at 10 million quads (124,000 graphs).
#: An older geokg named every article graph the old way, so a store of its finds one at once.
LAYOUT_SAMPLE = 1000
#: A display value canonical events carried under gk: before the report: namespace held them.
_OLD_REPORT_CACHE = ox.NamedNode("https://w3id.org/geokg/ontology#reportCount")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_CANONICAL_EVENT = ox.NamedNode("https://w3id.org/geokg/ontology#CanonicalEvent")
#: What a cross-document pass that caches disputed values states (iri_space.CROSSDOC_EVENTS_FORM).
_EVENTS_FORM = ox.Quad(
    ox.NamedNode(CROSSDOC_EVENTS_GRAPH),
    ox.NamedNode("http://purl.org/dc/terms/conformsTo"),
    ox.NamedNode(CROSSDOC_EVENTS_FORM),
    ox.NamedNode(CROSSDOC_EVENTS_GRAPH),
)
#: The layout marker (iri_space.LAYOUT_GRAPH): the store names its article graphs under ARTICLE_GRAPH.
_LAYOUT_MARKER = ox.Quad(
    ox.NamedNode(LAYOUT_GRAPH),
    ox.NamedNode("http://purl.org/dc/terms/conformsTo"),
    ox.NamedNode(ARTICLE_GRAPH),
    ox.NamedNode(LAYOUT_GRAPH),
)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
GraphName = Union[str, "URIRef", ox.NamedNode]


def _graph_node(graph: GraphName) -> ox.NamedNode:
    return graph if isinstance(graph, ox.NamedNode) else ox.NamedNode(str(graph))


@dataclass(frozen=True)
class StoreStats:
    """Counts that describe a store: article graphs, quads, events by type."""

    articles: int
    triples: int
    events: dict[str, int] = field(default_factory=dict)


class Store:
    """A geokg store on disk (or in memory when ``path`` is None).

    Args:
        path: folder of the Oxigraph database; created when missing. None keeps
            the store in memory (tests, doctests).
        read_only: open an existing store for reading only (no lock is taken,
            so several readers may share it while nobody writes).

    Raises:
        StoreError: the path is a file, holds no Oxigraph data, or is locked by
            another process.
    """

    #: Which engine answers: stored queries may have a form for it (``queries/plans/oxigraph/``).
    engine = "oxigraph"

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.in_memory = path is None  # also true of a replica (see replica)
        self._unflushed = 0  # bytes of updates since the last flush (see FLUSH_EVERY_BYTES)
        where = str(self.path) if self.path is not None else "<memory>"
        if self.path is not None and self.path.exists() and not self.path.is_dir():
            raise StoreError(where, "exists and is not a directory; pass a folder for the store")
        if read_only and (self.path is None or not self.path.is_dir()):
            raise StoreError(where, "no store to open read-only; build one first")
        if not read_only and self.path is not None and not is_store_folder(self.path):
            # Oxigraph would write its database files among the user's own (".", "/", ~/news).
            raise StoreError(
                where,
                "is a folder of other files, not a geokg store; geokg writes its database "
                "files into the store folder, so give a new or empty folder "
                "(for example --store geokg.db)",
            )
        try:
            if self.path is None:
                self._store: ox.Store | None = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(where, _explain_open_error(exc)) from exc

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = DEFAULT_PATH, *, read_only: bool = False) -> Store:
        """Open (and create when missing) the store at ``path``; see :class:`Store`."""
        return cls(path, read_only=read_only)

    @classmethod
    def replica(cls, path: str | os.PathLike[str] = DEFAULT_PATH) -> Store:
        """A read-only copy in memory of the on-disk store at ``path``, for answering many queries.

        Oxigraph's in-memory store looks a term up faster than its on-disk (RocksDB)
        one, which is what most query time goes to (docs/performance.md). The copy
        takes time and memory in proportion to the store, and does not see later
        writes to the store.

        Example:
            >>> import tempfile
            >>> folder = tempfile.mkdtemp()
            >>> with Store(folder) as disk:
            ...     disk.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 'o' } }")
            >>> with Store.replica(folder) as copy:
            ...     (len(copy), copy.read_only, copy.in_memory)
            (1, True, True)
        """
        with cls(path, read_only=True) as disk:
            copy = cls(None)
            try:
                copy.ox.bulk_extend(disk.ox.quads_for_pattern(None, None, None, None))
            except OSError as exc:  # pragma: no cover - disk failure mid-copy
                raise StoreError(str(disk.path), f"cannot copy into memory: {exc}") from exc
        copy.path, copy.read_only, copy.in_memory = disk.path, True, True  # named after its source
        return copy

    def optimize(self) -> None:
        """Compact the on-disk store (Oxigraph's ``optimize``), a no-op in memory or read-only.

        A build or bulk load leaves RocksDB data spread over many levels and files;
        compacting them makes index lookups, hence queries, faster, at the cost of
        rewriting the store.
        """
        if self.read_only or self.path is None:
            return
        try:
            self.ox.optimize()
        except OSError as exc:  # pragma: no cover - disk failure
            raise StoreError(str(self.path), f"cannot compact: {exc}") from exc

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        """Flush and release the database (its lock goes with the last reference)."""
        if self._store is not None:
            self.flush()
            self._store = None

    def flush(self) -> None:
        """Write Oxigraph's in-memory write buffers to disk (a no-op in memory or read-only)."""
        self._unflushed = 0
        if self._store is not None and not self.read_only and self.path is not None:
            try:
                self._store.flush()
            except OSError as exc:  # pragma: no cover - disk failure
                raise StoreError(str(self.path), f"cannot flush: {exc}") from exc

    def written(self, size: int) -> None:
        """Count ``size`` characters of update text written outside this class's methods (they
        count their own); flush once FLUSH_EVERY_BYTES have gathered, so that a long build or
        load does not keep the whole store in memory."""
        self._unflushed += size
        if self._unflushed >= FLUSH_EVERY_BYTES:
            self.flush()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def ox(self) -> pyoxigraph.Store:
        """The underlying :class:`pyoxigraph.Store` (raises StoreError once closed)."""
        if self._store is None:
            raise StoreError(self._where, "the store is closed")
        return self._store

    @property
    def _writable(self) -> pyoxigraph.Store:
        """The underlying store, for a write: refused when read-only (a replica's writes would be lost)."""
        if self.read_only:
            raise StoreError(self._where, f"{self._read_only_reason}; cannot write to it")
        return self.ox

    @property
    def _read_only_reason(self) -> str:
        return "an in-memory replica" if self.in_memory else "opened read-only"

    @property
    def _where(self) -> str:
        return str(self.path) if self.path is not None else "<memory>"

    # -- writing -----------------------------------------------------------
    def replace_graph(self, graph: GraphName, triples: Graph | Iterable[tuple[Node, Node, Node]]) -> int:
        """Replace the named graph ``graph`` with ``triples`` in one transaction.

        Args:
            graph: the named graph IRI (an article's ``graph_iri``).
            triples: an rdflib Graph or any iterable of rdflib (s, p, o) triples.

        Returns:
            The number of distinct triples now in the graph.

        Raises:
            StoreError: a term cannot be stored (invalid IRI) or the write fails.
        """
        from geokg.rdf.terms import to_ntriples

        name = _graph_node(graph)
        try:
            body = to_ntriples(triples)
        except ValueError as exc:
            raise StoreError(self._where, f"graph {name.value}: {exc}") from exc
        self.replace_graphs({name.value: body})
        count = body.count("\n") + 1 if body else 0
        log.debug("replaced %s with %d triples", name.value, count)
        return count

    def replace_graphs(self, graphs: Mapping[str, str]) -> None:
        """Replace several named graphs in one transaction.

        Args:
            graphs: named-graph IRI -> its new triples as N-Triples text (from
                :func:`geokg.rdf.terms.to_ntriples`); empty text removes the graph.

        Raises:
            StoreError: the text is not N-Triples or the write fails.
        """
        if not graphs:
            return
        # One update = one transaction: the old graphs are gone and the new ones in
        # place at the same instant. N-Triples terms are valid SPARQL terms.
        names = [_graph_node(g) for g in graphs]
        # TriG graph blocks: N-Triples lines inside are valid TriG, and valid SPARQL after GRAPH.
        bodies = [f"{name} {{\n{text}\n}}" for name, text in zip(names, graphs.values(), strict=True) if text]
        try:
            store = self._writable
            if not any(store.contains_named_graph(name) for name in names):
                # Nothing to drop (a first build): Oxigraph's loader adds the graphs in one
                # transaction too, and parses TriG faster than an INSERT DATA.
                written = "\n".join(bodies)
                if written:
                    store.load(written, ox.RdfFormat.TRIG)
            else:
                written = " ;\n".join(f"DROP SILENT GRAPH {name}" for name in names)
                if bodies:
                    written += " ;\nINSERT DATA {\n" + "\n".join(f"GRAPH {body}" for body in bodies) + "\n}"
                store.update(written)
        except (OSError, SyntaxError) as exc:
            first = names[0].value if len(names) == 1 else f"{len(names)} graphs from {names[0].value}"
            raise StoreError(self._where, f"cannot write {first}: {exc}") from exc
        self.written(len(written))
        log.debug("replaced %d graph(s) in one transaction: %s", len(names), " ".join(n.value for n in names))

    def load_graph(self, graph: GraphName, lines: str | Iterable[str]) -> None:
        """Replace a large named graph (a derived graph of every article) with N-Triples
        ``lines`` (or text): delete its triples, then load the lines, :data:`LOAD_LINES` at a time
        (Oxigraph's loader), one transaction each, flushed to disk between them; ``lines`` are
        read as they come, so a generator is never held whole.

        One transaction holds all its writes in memory: dropping and loading the 3.5 million
        triples of the canonical events of a store of 10 million quads at once took most of
        the cross-document pass's time and peak memory. A crash leaves part of the graph, so a
        build marks the derived graphs stale before it replaces them (:meth:`mark_derived_stale`)
        and the next one recomputes them.

        Raises:
            StoreError: a line is not N-Triples or the write fails.
        """
        name = _graph_node(graph)
        try:
            # Dropped a chunk at a time too: one DROP of the events graph held its deletions in memory.
            delete = (
                f"DELETE {{ GRAPH {name} {{ ?s ?p ?o }} }} WHERE {{ "
                f"{{ SELECT ?s ?p ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }} LIMIT {LOAD_LINES} }} }}"
            )
            while next(self.ox.quads_for_pattern(None, None, None, name), None) is not None:
                self._writable.update(delete)
                self.flush()
            self._writable.update(f"DROP SILENT GRAPH {name}")
            chunk: list[str] = []
            for line in itertools.chain(lines.splitlines() if isinstance(lines, str) else lines, [None]):
                if line is not None:
                    chunk.append(line)
                if chunk and (line is None or len(chunk) >= LOAD_LINES):
                    text = "\n".join(chunk)
                    self.ox.load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=name)
                    chunk = []
                    self.flush()
        except (OSError, SyntaxError) as exc:
            raise StoreError(self._where, f"cannot write {name.value}: {exc}") from exc

    def article_hash(self, article_id: str) -> str | None:
        """The ``gk:contentHash`` stored for an article, or None when it has no graph here."""
        from geokg.iri_space import article_iri, graph_iri
        from geokg.namespaces import GK

        graph = ox.NamedNode(graph_iri(article_id))
        for quad in self.ox.quads_for_pattern(
            ox.NamedNode(article_iri(article_id)), ox.NamedNode(str(GK.contentHash)), None, graph
        ):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

    def bulk_load(self, path: str | os.PathLike[str]) -> None:
        """Load an N-Quads file with Oxigraph's bulk loader (fast, not one transaction).

        The loader writes new files directly; a reader may see part of the data
        while it runs, and a crash may leave part of it loaded. Use it for large
        inputs (``geokg build --dask``), not for replacing single graphs.
        """
        try:
            self._writable.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(self._where, f"cannot bulk-load {path}: {exc}") from exc

    def remove_graph(self, graph: GraphName) -> None:
        """Remove a named graph and its triples (no error when absent)."""
        try:
            self._writable.update(f"DROP SILENT GRAPH {_graph_node(graph)}")
        except OSError as exc:  # pragma: no cover - disk failure
            raise StoreError(self._where, str(exc)) from exc

    def load_reference(self, graph: Graph) -> int:
        """Replace the reference graph (``…/graph/reference``) with ``graph``."""
        return self.replace_graph(REFERENCE_GRAPH, graph)

    def holds(self, graph: GraphName, body: str) -> bool:
        """Whether the named graph holds exactly the N-Triples ``body`` (sorted distinct lines, as
        :func:`geokg.rdf.terms.to_ntriples` gives), up to the names of blank nodes."""
        stored = "\n".join(sorted(f"{q.subject} {q.predicate} {q.object} ." for q in self.quads(graph)))
        if "_:" not in body:
            return stored == body
        # Blank nodes (the ontology's restrictions) are named anew by each load: compare the
        # graphs up to renaming them, which costs little on graphs of this size.
        from rdflib import Graph
        from rdflib.compare import isomorphic

        return stored.count("\n") == body.count("\n") and isomorphic(
            Graph().parse(data=stored, format="nt"), Graph().parse(data=body, format="nt")
        )

    def ensure_graph(self, graph: GraphName, body: str) -> bool:
        """Make the named graph hold exactly ``body`` (as :meth:`holds`), writing only when it
        differs: a build with nothing new then writes nothing. Returns whether it wrote."""
        if self.holds(graph, body):
            return False
        self.replace_graphs({_graph_node(graph).value: body})
        return True

    def load_ontology(self, graph: Graph) -> int:
        """Replace the ontology graph (``…/graph/ontology``) with ``graph``."""
        return self.replace_graph(ONTOLOGY_GRAPH, graph)

    def mark_derived_stale(self) -> None:
        """Record that the cross-document graphs no longer follow the article graphs (until
        :meth:`clear_derived_stale`): committed before any article graph is written."""
        from geokg.namespaces import PROV

        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.replace_graphs(
            {
                str(DERIVED_STALE_GRAPH): f"<{DERIVED_STALE_GRAPH}> <{PROV.invalidatedAtTime}> "
                f'"{now}"^^<{XSD_DATETIME}> .'
            }
        )

    def clear_derived_stale(self) -> None:
        """Record that the cross-document graphs follow the article graphs again."""
        self.remove_graph(DERIVED_STALE_GRAPH)

    @property
    def derived_stale(self) -> bool:
        """Whether a build or load stopped between writing article graphs and refreshing the derived ones."""
        return self.ox.contains_named_graph(ox.NamedNode(DERIVED_STALE_GRAPH))

    @property
    def derived_outdated(self) -> bool:
        """Whether an older geokg wrote the cross-document graphs: its display values on canonical
        events are in gk:, where the stored queries no longer read them, or its canonical events
        lack the disputed fields and the values their reports give (``report:reportedValue``)
        that ``disagreements`` reads."""
        events = ox.NamedNode(CROSSDOC_EVENTS_GRAPH)
        if next(self.ox.quads_for_pattern(None, _OLD_REPORT_CACHE, None, events), None) is not None:
            return True
        canonical = next(self.ox.quads_for_pattern(None, _RDF_TYPE, _CANONICAL_EVENT, events), None)
        return canonical is not None and _EVENTS_FORM not in self.ox

    @property
    def layout_current(self) -> bool:
        """Whether the store records that it names every article graph as this geokg does
        (``…/graph/article/{id}``): written by :meth:`migrate_legacy_graphs` once none is left
        under an older name (or by :meth:`warnings` on a writable store that has none), so that
        later builds and readers need not list every graph."""
        return _LAYOUT_MARKER in self.ox

    def legacy_article_graphs(self) -> list[str]:
        """Article graphs named as geokg before issue 18 named them (``…/graph/{id}``), sorted.
        Lists every named graph: see :attr:`layout_current` for the cheap answer."""
        return [g for g in self.graphs() if is_legacy_article_graph(g)]

    def migrate_legacy_graphs(self, batch: int = 200, *, check: bool = False) -> int:
        """Move article graphs of the old layout to ``…/graph/article/{id}``; how many moved.

        Their triples do not name their graph, so a move is all it takes. ``batch`` graphs
        move per transaction: a crash leaves each graph under one name or the other, and
        the next call moves the rest. An article whose id was ``reference`` or ``ontology``
        was lost when it replaced that graph, and cannot be told apart: build it again.

        Once none is left the store records its layout as current (:attr:`layout_current`),
        and later calls return 0 without listing the graphs, unless ``check`` (a store that
        another geokg wrote to since: its article graphs may have old names again).
        """
        from geokg.iri_space import graph_iri

        if self.layout_current and not check:
            return 0
        legacy = self.legacy_article_graphs()
        for start in range(0, len(legacy), batch):
            moves = [
                f"MOVE SILENT GRAPH <{g}> TO {_graph_node(graph_iri(g.rsplit('/', 1)[1]))}"
                for g in legacy[start : start + batch]
            ]
            self.update(" ;\n".join(moves), source="migration of the article graphs")
        if not self.layout_current:
            self._writable.add(_LAYOUT_MARKER)
        return len(legacy)

    def _legacy_for_warnings(self) -> list[str]:
        """The article graphs of an older layout in a store without the layout marker, cheaply:
        a writable store of geokg's articles lists its graphs once and, finding none, writes the
        marker, so that later opens need not list them; a read-only one looks at :data:`LAYOUT_SAMPLE` graphs only (in
        the store's own order, not by name), and lists them all only when one of those is old."""
        if not self.read_only:
            legacy = self.legacy_article_graphs()
            if not legacy and self.count_article_graphs(stop_after=0):
                self._writable.add(_LAYOUT_MARKER)  # only in a store of geokg's articles, not any store
            return legacy
        sample = itertools.islice(self.ox.named_graphs(), LAYOUT_SAMPLE)
        if any(isinstance(g, ox.NamedNode) and is_legacy_article_graph(g.value) for g in sample):
            return self.legacy_article_graphs()
        return []

    def warnings(self) -> list[str]:
        """What a reader of this store should know: derived graphs out of date, an old layout."""
        where = self._where
        found = []
        if self.derived_stale:
            found.append(
                f"store {where}: the cross-document graphs (aliases, canonical events) are out of "
                "date: a build or load stopped before refreshing them, so entities, event-reports, "
                f"timeline and the like may miss articles; run `geokg build --store {where}` "
                "(no paths needed) to refresh them"
            )
        elif self.derived_outdated:
            found.append(
                f"store {where}: an older geokg wrote the cross-document graphs, so timeline, "
                f"event-reports or disagreements may list nothing; run `geokg build --store {where}` "
                "(no paths needed) to recompute them"
            )
        legacy = [] if self.layout_current else self._legacy_for_warnings()
        if legacy:
            found.append(
                f"store {where}: {len(legacy)} article graph(s) use the graph names of an older geokg "
                f"(such as {legacy[0]}); run `geokg build --store {where}` (no paths needed) to move "
                "them to …/graph/article/{id}"
            )
        return found

    # -- reading -----------------------------------------------------------
    def graphs(self) -> list[str]:
        """IRIs of every named graph, sorted."""
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def article_graphs(self) -> list[str]:
        """IRIs of the article graphs (reference and ontology excluded), sorted."""
        return [g for g in self.graphs() if article_id_from_graph(g) is not None]

    def count_article_graphs(self, stop_after: int | None = None) -> int:
        """How many article graphs the store holds, counting no further than ``stop_after`` + 1:
        enough to compare with a threshold without listing every graph of a large store."""
        count = 0
        for graph in self.ox.named_graphs():
            if isinstance(graph, ox.NamedNode) and article_id_from_graph(graph.value) is not None:
                count += 1
                if stop_after is not None and count > stop_after:
                    break
        return count

    def has_graph(self, graph: GraphName) -> bool:
        """Whether the store holds the named graph ``graph``."""
        return self.ox.contains_named_graph(_graph_node(graph))

    def __len__(self) -> int:
        """Number of quads in the store (a triple in two graphs counts twice)."""
        return len(self.ox)

    def quads(self, graph: GraphName | None = None) -> Iterator[pyoxigraph.Quad]:
        """Iterate the quads of one named graph, or of the whole store."""
        name = _graph_node(graph) if graph is not None else None
        return self.ox.quads_for_pattern(None, None, None, name)

    def rdflib_graph(self, graph: GraphName) -> Graph:
        """Copy one named graph into an rdflib Graph whose identifier is the graph IRI."""
        from rdflib import Graph, URIRef

        from geokg.rdf.terms import to_rdflib

        name = _graph_node(graph)
        result = Graph(identifier=URIRef(name.value))
        for quad in self.quads(name):
            result.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return result

    def triple_count(self, graph: GraphName) -> int:
        """Number of triples in one named graph."""
        return sum(1 for _ in self.quads(graph))

    def stats(self) -> StoreStats:
        """Article graphs, quads, and events by type (local name of the class)."""
        from geokg.namespaces import GK

        _, rows = self.query(f"""
            SELECT ?type (COUNT(DISTINCT ?event) AS ?n) WHERE {{
              ?event a <{GK.Event}>, ?class .
              FILTER(?class != <{GK.Event}> && STRSTARTS(STR(?class), "{GK._NS}"))
              BIND(STRAFTER(STR(?class), "{GK._NS}") AS ?type)
            }} GROUP BY ?type ORDER BY ?type""")
        events = {str(t.value): int(n.value) for t, n in rows if t is not None and n is not None}
        return StoreStats(articles=len(self.article_graphs()), triples=len(self), events=events)

    def execute(
        self,
        sparql: str,
        bindings: dict[str, OxTerm] | None = None,
        *,
        source: str = "<sparql>",
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; return pyoxigraph's result.

        Args:
            sparql: a SELECT, ASK, CONSTRUCT or DESCRIBE query.
            bindings: variable name -> term, substituted (SEP-0007) before
                evaluation; each must be a projected variable of a SELECT.
            source: where the text came from, for error messages.
            prefixes: prefix -> namespace known without a PREFIX line (one in the text wins).

        Raises:
            QuerySyntaxError: the text does not parse (with line and column).
            StoreError: a binding names a variable the query does not project,
                or reading fails.
        """
        subs: dict[ox.Variable, OxTerm | ox.Triple] = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self.ox.query(
                sparql,
                use_default_graph_as_union=True,
                substitutions=subs or None,
                prefixes=dict(prefixes) if prefixes else None,
            )
        except SyntaxError as exc:
            raise syntax_error(source, exc, sparql, prefixes) from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(self._where, f"{source}: {exc}") from exc

    def update(self, sparql: str, *, source: str = "<sparql>", prefixes: Mapping[str, str] | None = None) -> None:
        """Run a SPARQL Update against the store, as one transaction (all of it or nothing);
        ``prefixes`` as for :meth:`execute`.

        Raises:
            QuerySyntaxError: the text does not parse as SPARQL Update.
            StoreError: the store is read-only, or the write fails.
        """
        if self.read_only:
            raise StoreError(self._where, f"{source}: {self._read_only_reason}; cannot run SPARQL Update")
        try:
            self.ox.update(sparql, prefixes=dict(prefixes) if prefixes else None)
        except SyntaxError as exc:
            raise syntax_error(source, exc, sparql, prefixes) from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(self._where, f"{source}: {exc}") from exc
        self.written(len(sparql))

    def query(
        self, sparql: str, bindings: dict[str, OxTerm] | None = None, *, source: str = "<sparql>"
    ) -> tuple[list[str], list[tuple[OxTerm | None, ...]]]:
        """Run a SELECT query; return (variable names, rows of terms or None).

        Example:
            >>> Store().query('SELECT ?x WHERE { VALUES ?x { "a" } }')
            (['x'], [(<Literal value=a datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,)])
        """
        names, rows = self._select(sparql, bindings, source)
        return names, list(rows)

    def select(self, sparql: str, *, source: str = "<sparql>") -> tuple[list[str], Iterator[tuple[OxTerm | None, ...]]]:
        """Run a SELECT query; return (variable names, its rows as an iterator read as it is consumed).

        Raises:
            StoreError: not a SELECT query, or reading fails.
        """
        return self._select(sparql, None, source)

    def rows(self, sparql: str, *, source: str = "<sparql>") -> Iterator[tuple[OxTerm | None, ...]]:
        """Run a SELECT query and yield its rows one at a time (:meth:`query` makes a list).

        Raises:
            StoreError: not a SELECT query, or reading fails.
        """
        yield from self._select(sparql, None, source)[1]

    def _solutions(
        self, sparql: str, bindings: dict[str, OxTerm] | None, source: str
    ) -> tuple[list[str], pyoxigraph.QuerySolutions]:
        """Run a SELECT query; return (variable names, pyoxigraph's solutions)."""
        result = self.execute(sparql, bindings, source=source)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(self._where, f"{source}: not a SELECT query; use Store.execute")
        return [v.value for v in result.variables], result

    def _select(
        self, sparql: str, bindings: dict[str, OxTerm] | None, source: str
    ) -> tuple[list[str], Iterator[tuple[OxTerm | None, ...]]]:
        names, result = self._solutions(sparql, bindings, source)

        def solutions() -> Iterator[tuple[OxTerm | None, ...]]:
            try:
                for solution in result:
                    yield tuple(solution)  # the terms in variable order, None where unbound
            except OSError as exc:  # pragma: no cover - disk failure mid-query
                raise StoreError(self._where, f"{source}: {exc}") from exc

        return names, solutions()

    def select_tsv(self, sparql: str, *, source: str = "<sparql>") -> tuple[list[str], bytes]:
        """Run a SELECT query; return (variable names, the results as SPARQL TSV bytes).

        Oxigraph writes TSV without making a Python object per term, which
        :meth:`query` does; see geokg.queries.
        """
        names, result = self._solutions(sparql, None, source)
        try:
            tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
        except OSError as exc:  # pragma: no cover - disk failure mid-query
            raise StoreError(self._where, f"{source}: {exc}") from exc
        assert tsv is not None  # given no output, serialize returns the bytes
        return names, tsv

    def dump(
        self,
        output: str | os.PathLike[str] | IO[bytes] | None,
        format: pyoxigraph.RdfFormat,
        graph: GraphName | None = None,
    ) -> bytes | None:
        """Serialise the whole dataset (quad formats) or one graph (triple formats).

        Returns the bytes when ``output`` is None. See :mod:`geokg.export` for the
        file-level export that merges graphs into one.
        """
        from_graph = _graph_node(graph) if graph is not None else None
        try:
            return self.ox.dump(output, format, from_graph=from_graph)
        except (OSError, ValueError) as exc:
            raise StoreError(self._where, f"cannot dump as {format.name}: {exc}") from exc


def is_store_folder(path: Path) -> bool:
    """Whether a store may be opened for writing at ``path``: it does not exist yet, is an empty
    folder, or holds an Oxigraph database (RocksDB's ``CURRENT`` file and a ``MANIFEST-*``).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> is_store_folder(folder / "new.db"), is_store_folder(folder)
        (True, True)
        >>> (folder / "notes.txt").write_text("mine")
        4
        >>> is_store_folder(folder)
        False
    """
    if not path.is_dir():
        return True  # missing (Oxigraph creates it), or a file (refused with its own message)
    try:
        names = os.listdir(path)
    except OSError:
        return True  # Oxigraph's own error says why it cannot be opened
    return not names or ("CURRENT" in names and any(n.startswith("MANIFEST-") for n in names))


def _explain_open_error(exc: OSError) -> str:
    text = str(exc)
    if "LOCK" in text or "lock" in text:
        return (
            "is locked: another process (or another Store in this one) has it open for "
            f"writing. Close it, or open it read-only. ({text})"
        )
    return text
