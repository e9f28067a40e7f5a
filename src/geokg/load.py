"""Load RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD) into the store.

Quad formats keep their named graphs, so a TriG or N-Quads export of another
geokg store loads graph for graph. Triples (Turtle, N-Triples, JSON-LD without
named graphs, and the default graph of a quad file) go into one named graph: the
one given (``--graph IRI``), else the file's own ``file://`` URI.

Each graph a load writes is *replaced*: cleared once per load, then filled from
the files that name it; loading the same files twice leaves the store the same.
Each file is parsed whole before anything is written and written in one update,
so a file with a syntax error changes nothing; the other files still load.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.ttl").write_text('<http://ex/a> <http://ex/p> "x" .')
    >>> _ = (folder / "b.nt").write_text('<http://ex/a> <http://ex/p> "no end')
    >>> with Store() as store:
    ...     summary = load_files(store, [folder / "a.ttl", folder / "b.nt"], graph="http://ex/g")
    ...     store.graphs(), [f.triples for f in summary.loaded], len(summary.failures)
    (['http://ex/g'], [1], 1)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from geokg.errors import ConfigError, IngestError
from geokg.store import Store

__all__ = ["FORMATS", "LoadedFile", "LoadSummary", "load_files", "format_of"]

log = logging.getLogger("geokg.load")

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD, ".json-ld": ox.RdfFormat.JSON_LD,
}
FORMAT_NAMES = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld"}


@dataclass(frozen=True)
class LoadedFile:
    path: str
    graphs: tuple[str, ...]
    triples: int


@dataclass
class LoadSummary:
    """Files loaded (with their graphs and triple counts) and files that failed, each an IngestError."""

    loaded: list[LoadedFile] = field(default_factory=list)
    failures: list[IngestError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def format_of(path: Path, format: str | None = None) -> ox.RdfFormat:
    """The RDF format of ``path``: ``format`` (turtle, nt, nquads, trig, jsonld) or its extension.

    Raises:
        IngestError: an extension geokg does not read (the message lists the known ones).
        ConfigError: an unknown ``format`` name.
    """
    if format is not None:
        if format not in FORMAT_NAMES:
            raise ConfigError("format", format, FORMAT_NAMES)
        return FORMATS[FORMAT_NAMES[format]]
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise IngestError(path, f"unknown RDF extension {suffix or '(none)'!r}; known: "
                          f"{', '.join(FORMATS)} (or pass --format)")
    return FORMATS[suffix]


def load_files(store: Store, paths: Iterable[str | Path], *, graph: str | None = None,
               format: str | None = None) -> LoadSummary:
    """Load each file into ``store``; see the module notes for graphs and replacement.

    Args:
        store: an open, writable store.
        paths: RDF files.
        graph: IRI of the named graph for triples (default: each file's ``file://`` URI).
        format: force one format for every file (default: from each extension).

    Returns:
        A LoadSummary; a file that cannot be read or parsed is an IngestError in
        ``failures`` naming the file (and line), and nothing of it is written.
    """
    summary = LoadSummary()
    cleared: set[ox.NamedNode] = set()
    target = _named_node(graph) if graph is not None else None
    for raw in paths:
        path = Path(raw)
        try:
            loaded = _load_file(store, path, format, target, cleared)
        except IngestError as error:
            summary.failures.append(error)
            continue
        summary.loaded.append(loaded)
    return summary


def _named_node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise ConfigError("graph", iri, f"It must be an absolute IRI ({exc})") from None


def _load_file(store: Store, path: Path, format: str | None, target: ox.NamedNode | None,
               cleared: set[ox.NamedNode]) -> LoadedFile:
    if not path.is_file():
        raise IngestError(path, "no such file")
    rdf_format = format_of(path, format)
    default = target or ox.NamedNode(path.resolve().as_uri())
    by_graph: dict[ox.NamedNode, list[str]] = {}
    try:
        for quad in ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri()):
            name = quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else default
            by_graph.setdefault(name, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc).split(f" ({path}", 1)[0]
        raise IngestError(path, f"not valid {rdf_format.name}: {message}", exc.lineno) from None
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from None
    fresh = [name for name in by_graph if name not in cleared]
    update = "".join(f"DROP SILENT GRAPH {name} ;\n" for name in fresh)
    update += "INSERT DATA {\n" + "\n".join(
        f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}" for name, lines in by_graph.items()) + "\n}"
    try:
        store.ox.update(update)  # one update: the file's graphs change together
    except (OSError, SyntaxError) as exc:
        raise IngestError(path, f"cannot write to the store: {exc}") from None
    store.written(len(update))
    cleared.update(fresh)
    triples = sum(len(set(lines)) for lines in by_graph.values())
    log.info("loaded %s: %d triples into %d graph(s)", path, triples, len(by_graph))
    return LoadedFile(str(path), tuple(sorted(n.value for n in by_graph)), triples)
