"""Load RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD) into the store.

Quad formats keep their named graphs, so a TriG or N-Quads export of another
geokg store loads graph for graph. Triples (Turtle, N-Triples, JSON-LD without
named graphs, and the default graph of a quad file) go into one named graph: the
one given (``--graph IRI``), else the file's own ``file://`` URI.

Each graph a load writes is *replaced*: cleared once per load, then filled from
the files that name it; loading the same files twice leaves the store the same.

Files are streamed, never held whole: a first pass parses the file (so a syntax
error changes nothing; the other files still load), a second pass feeds the quads
to Oxigraph's bulk loader :data:`CHUNK` at a time, so memory stays bounded
whatever the file size (one update of a whole file grows with the file). The
second pass is not one transaction: a crash during it can leave part of the file.

Reading follows one rule, shared with ``geokg validate`` (:func:`read_quads`): no
network and no file but the input (a JSON-LD ``@context`` must be inline), no DTD
entities in RDF/XML (a 1 kB "billion laughs" file expands to gigabytes), elements
nested at most :data:`MAX_XML_DEPTH` deep, literals of at most :data:`MAX_LITERAL`
characters.

geokg's own graphs (everything under ``https://w3id.org/geokg/graph/`` but article graphs:
the reference data, the ontology, the cross-document graphs, the store's state) are never
written by a load: a build writes them from the packaged files and the article graphs, and a
file that named them replaced them (a TriG of the reference graph holding one triple left
every query without labels). Their quads are left out and counted in
:attr:`LoadSummary.kept_own`; a geokg export therefore loads its article graphs only.

Graphs that use geokg terms (``gk:``) are then checked against the shapes, as
built article graphs are. A graph that violates them is dropped and reported
(GK302) unless ``keep_invalid``: the store's promise that every graph in it
conforms is what the stored queries and the cross-document pass rely on, and a
load is the only way around the build's quarantine. Graphs without geokg terms
are other people's data, which no shape targets, so they are not checked.

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

import itertools
import logging
import xml.parsers.expat
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from geokg.errors import ConfigError, IngestError
from geokg.iri_space import ARTICLE_GRAPH, GRAPH
from geokg.namespaces import GK
from geokg.store import Store
from geokg.validate import Violation, validate

if TYPE_CHECKING:
    from geokg.crossdoc import CrossDocSummary

__all__ = ["FORMATS", "LoadedFile", "LoadSummary", "load_files", "format_of", "read_quads"]

log = logging.getLogger("geokg.load")

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json-ld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
MAX_LITERAL = 8 * 1024 * 1024  # characters: the bound the article readers put on a JSON Lines line
MAX_XML_DEPTH = 1000  # Oxigraph's RDF/XML parser slows quadratically with depth
CHUNK = 100_000  # quads per bulk-loader call: bounds the peak memory of a load
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
    #: quads left out per geokg graph a file named (its own graphs are never loaded)
    kept_own: dict[str, int] = field(default_factory=dict)
    #: shape violations of the graphs loaded (dropped ones and, with keep_invalid, kept ones)
    violations: list[Violation] = field(default_factory=list)
    #: what the cross-document pass after the load did (None: no graph written, nothing to repair)
    crossdoc: CrossDocSummary | None = None

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
        raise IngestError(
            path, f"unknown RDF extension {suffix or '(none)'!r}; known: {', '.join(FORMATS)} (or pass --format)"
        )
    return FORMATS[suffix]


def load_files(
    store: Store,
    paths: Iterable[str | Path],
    *,
    graph: str | None = None,
    format: str | None = None,
    keep_invalid: bool = False,
    before_writing: Callable[[Collection[str]], None] | None = None,
) -> LoadSummary:
    """Load each file into ``store``; see the module notes for graphs, replacement and checks.

    Args:
        store: an open, writable store.
        paths: RDF files.
        graph: IRI of the named graph for triples (default: each file's ``file://`` URI).
        format: force one format for every file (default: from each extension).
        keep_invalid: keep a graph that violates the shapes (its violations are still reported).
        before_writing: called with the IRIs of the graphs a file is about to replace, before
            they are cleared (:meth:`geokg.crossdoc_incremental.Changes.before_writing`).

    Returns:
        A LoadSummary; a file that cannot be read or parsed is an IngestError in
        ``failures`` naming the file (and line), and nothing of it is written; a graph
        dropped for violating the shapes is a GK302 IngestError naming the file and graph.
    """
    if graph is not None and is_own_graph(graph):
        raise ConfigError(
            "graph",
            graph,
            "It names one of geokg's own graphs, which only `geokg build` writes; load into another graph",
        )
    summary = LoadSummary()
    cleared: set[ox.NamedNode] = set()
    target = _named_node(graph) if graph is not None else None
    for raw in paths:
        path = Path(raw)
        try:
            loaded = _load_file(store, path, format, target, cleared, summary.kept_own, before_writing)
        except IngestError as error:
            summary.failures.append(error)
            continue
        kept = [name for name in loaded.graphs if _conforms(store, path, name, keep_invalid, summary)]
        if kept or not loaded.graphs:
            summary.loaded.append(LoadedFile(loaded.path, tuple(kept), loaded.triples))
    return summary


def read_quads(path: Path, rdf_format: ox.RdfFormat) -> Iterator[ox.Quad]:
    """Stream the quads of an RDF file under geokg's reading rule (module notes).

    Raises:
        IngestError: the file cannot be read, does not parse, or breaks the rule; it names
            the file (and the line where the parser gives one).
    """
    if rdf_format == ox.RdfFormat.RDF_XML:
        _check_xml(path)
    try:
        for quad in ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri()):
            if isinstance(quad.object, ox.Literal) and len(quad.object.value) > MAX_LITERAL:
                raise IngestError(
                    path,
                    f"a literal of {len(quad.object.value):,} characters (at most "
                    f"{MAX_LITERAL:,}) for {quad.subject} {quad.predicate}",
                )
            yield quad
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc).split(f" ({path}", 1)[0]
        if "LoadDocumentCallback" in message:  # Oxigraph asks for a loader of remote and file contexts
            message = (
                "a JSON-LD @context that is not inline (a URL or another file); geokg reads "
                "nothing but the input file: put the context in it"
            )
        raise IngestError(path, f"not valid {rdf_format.name}: {message}", exc.lineno) from None
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from None


def _check_xml(path: Path) -> None:
    """Refuse DTD entity declarations and deep nesting in an XML file, in one expat pass
    (expat expands no entity it is not given and keeps no tree)."""
    depth = 0

    def entity(name: str, *_: object) -> None:
        raise IngestError(
            path,
            f"the DTD declares entity {name!r}; geokg refuses DTD entities in RDF/XML "
            "(entity expansion can blow a small file up to gigabytes)",
        )

    def start(*_: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise IngestError(path, f"elements nested deeper than {MAX_XML_DEPTH}", parser.CurrentLineNumber)

    def end(*_: object) -> None:
        nonlocal depth
        depth -= 1

    parser = xml.parsers.expat.ParserCreate()
    parser.EntityDeclHandler, parser.StartElementHandler, parser.EndElementHandler = entity, start, end
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)  # no external DTD
    try:
        with path.open("rb") as file:
            parser.ParseFile(file)
    except xml.parsers.expat.ExpatError as exc:
        raise IngestError(path, f"not valid XML: {xml.parsers.expat.errors.messages[exc.code]}", exc.lineno) from None
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from None


def _named_node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise ConfigError("graph", iri, f"It must be an absolute IRI ({exc})") from None


def is_own_graph(iri: str) -> bool:
    """Whether ``iri`` names one of geokg's own graphs, which only a build writes."""
    return iri.startswith(GRAPH) and not iri.startswith(ARTICLE_GRAPH)


def _load_file(
    store: Store,
    path: Path,
    format: str | None,
    target: ox.NamedNode | None,
    cleared: set[ox.NamedNode],
    kept_own: dict[str, int],
    before_writing: Callable[[Collection[str]], None] | None,
) -> LoadedFile:
    if not path.is_file():
        raise IngestError(path, "no such file")
    rdf_format = format_of(path, format)
    default = target or ox.NamedNode(path.resolve().as_uri())

    def graph_of(quad: ox.Quad) -> ox.NamedNode:
        return quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else default

    graphs: set[ox.NamedNode] = set()
    statements = 0
    for quad in read_quads(path, rdf_format):  # first pass: the whole file parses before a write
        name = graph_of(quad)
        if is_own_graph(name.value):
            kept_own[name.value] = kept_own.get(name.value, 0) + 1
            continue
        graphs.add(name)
        statements += 1
    fresh = sorted((name for name in graphs if name not in cleared), key=str)
    if fresh and before_writing is not None:
        before_writing([name.value for name in fresh])
    try:
        if fresh:
            store.ox.update("".join(f"DROP SILENT GRAPH {name} ;\n" for name in fresh))
        cleared.update(fresh)
        named = ((q, graph_of(q)) for q in read_quads(path, rdf_format))
        quads = (ox.Quad(q.subject, q.predicate, q.object, name) for q, name in named if not is_own_graph(name.value))
        while chunk := list(itertools.islice(quads, CHUNK)):
            store.ox.bulk_extend(chunk)
    except (OSError, SyntaxError) as exc:
        raise IngestError(path, f"cannot write to the store: {exc}") from None
    log.info("loaded %s: %d statements into %d graph(s)", path, statements, len(graphs))
    return LoadedFile(str(path), tuple(sorted(n.value for n in graphs)), statements)


_USES_GEOKG = f"""ASK {{ GRAPH ?g {{ ?s ?p ?o
  FILTER(STRSTARTS(STR(?p), "{GK._NS}") || (isIRI(?o) && STRSTARTS(STR(?o), "{GK._NS}"))) }} }}"""


def _conforms(store: Store, path: Path, graph: str, keep_invalid: bool, summary: LoadSummary) -> bool:
    """Check one loaded graph against the shapes; drop it (reported as GK302) unless it conforms or
    ``keep_invalid``. Returns whether the graph stays."""
    name = ox.NamedNode(graph)
    if not store.ox.query(_USES_GEOKG, substitutions={ox.Variable("g"): name}):
        return True
    report = validate(store.rdflib_graph(graph))
    if report.conforms:
        return True
    summary.violations.extend(report.violations)
    if keep_invalid:
        log.warning(
            "%s: graph %s violates the shapes (%d violation(s)); kept (keep_invalid)",
            path,
            graph,
            len(report.violations),
        )
        return True
    store.ox.update(f"DROP SILENT GRAPH {name}")
    summary.failures.append(
        IngestError(
            path,
            f"graph {graph} violates the shapes ({len(report.violations)} violation(s)); "
            "dropped, as a build quarantines such a graph (--keep-invalid keeps it)",
            code="GK302",
        )
    )
    return False
