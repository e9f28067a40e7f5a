"""Write the store to a file: Turtle, N-Triples, N-Quads, TriG or JSON-LD.

One map, :data:`FORMATS`, says everything about a format: its names, its file
extension, the pyoxigraph serialiser and whether it keeps the named graphs.

* Turtle and N-Triples hold triples only: all graphs are merged into one default
  graph (a triple present in several graphs is written once).
* TriG, N-Quads and JSON-LD keep one named graph per article (plus the reference
  and ontology graphs). JSON-LD is a dataset format, so we keep the graphs there
  too: nothing is lost, and rdflib's ``Dataset.parse`` reads them back.

Turtle and TriG declare :data:`~geokg.iri_space.DECLARED_PREFIXES`, one prefix per
kind of id (``country:RU``, ``commodity:crude-oil``). JSON-LD is written here, compacted
with the same prefixes as its ``@context`` and indented: pyoxigraph's writer has no
context and puts the whole dataset on one line. Everything streams from the store
(no rdflib round trip): memory holds one subject's properties at a time.

Example:
    >>> sorted(FORMATS)
    ['jsonld', 'nquads', 'nt', 'trig', 'turtle']
    >>> format_for("out/graph.nq").name
    'nquads'
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from geokg.errors import ExportError, StoreError
from geokg.iri_space import DECLARED_PREFIXES
from geokg.store import Store

__all__ = ["ExportFormat", "FORMATS", "format_for", "export"]


@dataclass(frozen=True)
class ExportFormat:
    """An export format: CLI name, file extension, pyoxigraph format, graphs kept or merged."""

    name: str
    extension: str
    rdf_format: ox.RdfFormat
    keeps_graphs: bool


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("turtle", ".ttl", ox.RdfFormat.TURTLE, keeps_graphs=False),
        ExportFormat("nt", ".nt", ox.RdfFormat.N_TRIPLES, keeps_graphs=False),
        ExportFormat("nquads", ".nq", ox.RdfFormat.N_QUADS, keeps_graphs=True),
        ExportFormat("trig", ".trig", ox.RdfFormat.TRIG, keeps_graphs=True),
        ExportFormat("jsonld", ".jsonld", ox.RdfFormat.JSON_LD, keeps_graphs=True),
    )
}
_BY_EXTENSION = {f.extension: f for f in FORMATS.values()}

_ALL_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"


def _valid() -> str:
    return ", ".join(f"{f.name} ({f.extension})" for f in FORMATS.values())


def format_for(path: str | os.PathLike[str], format: str | None = None) -> ExportFormat:
    """The export format named ``format``, else the one of the path's extension.

    Raises:
        ExportError: unknown name or extension; the message lists the valid ones.
    """
    if format is not None:
        key = format.lower().lstrip(".")
        found = FORMATS.get(key) or _BY_EXTENSION.get("." + key)
        if found is None:
            raise ExportError(path, f"unknown format {format!r}. Valid formats: {_valid()}")
        return found
    suffix = Path(path).suffix.lower()
    if suffix not in _BY_EXTENSION:
        raise ExportError(
            path,
            f"cannot tell the format from the extension {suffix or '(none)'!r}. Valid: {_valid()}, or pass a format",
        )
    return _BY_EXTENSION[suffix]


def _merged_triples(store: Store) -> Iterator[ox.Triple]:
    # DISTINCT over the union of all graphs: Oxigraph's union default graph
    # repeats a triple once per graph holding it.
    solutions = store.execute(_ALL_TRIPLES, source="export")
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
    for solution in solutions:
        yield ox.Triple(solution["s"], solution["p"], solution["o"])


def export(store: Store, output: str | os.PathLike[str] | IO[bytes], format: str | None = None) -> Path | None:
    """Write the whole store to a file or a binary stream; return the path (None for a stream).

    Args:
        store: an open store.
        output: the file to write (parent folders are created), or a binary stream
            such as ``sys.stdout.buffer``.
        format: a name of :data:`FORMATS`; by default from the file's extension
            (required for a stream).

    Raises:
        ExportError: unknown format, or the output cannot be written.
    """
    if isinstance(output, (str, os.PathLike)):
        target = Path(output)
        fmt = format_for(target, format)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                _write(store, out, fmt, target)
        except OSError as exc:
            raise ExportError(target, f"cannot write {fmt.name}: {exc}") from exc
        return target
    where = getattr(output, "name", "<stream>")
    if format is None:
        raise ExportError(where, f"give a format to write to a stream. Valid formats: {_valid()}")
    _write(store, output, format_for(where, format), where)
    return None


def _write(store: Store, out: IO[bytes], fmt: ExportFormat, where: str | Path) -> None:
    try:
        if fmt.rdf_format is ox.RdfFormat.JSON_LD:
            _write_jsonld(store, out)
        elif fmt.keeps_graphs:
            ox.serialize(store.quads(), out, fmt.rdf_format, prefixes=_prefixes(fmt))
        else:
            ox.serialize(_merged_triples(store), out, fmt.rdf_format, prefixes=_prefixes(fmt))
    except BrokenPipeError:
        raise  # the reader went away (``geokg export -o - | head``): the CLI stops quietly
    except (OSError, ValueError, TypeError, StoreError) as exc:
        raise ExportError(where, f"cannot write {fmt.name}: {exc}") from exc


def _prefixes(fmt: ExportFormat) -> dict[str, str] | None:
    return DECLARED_PREFIXES if fmt.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None


# -- JSON-LD ---------------------------------------------------------------
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_BY_NAMESPACE = {namespace: prefix for prefix, namespace in DECLARED_PREFIXES.items()}


@lru_cache(maxsize=65536)
def compact_iri(iri: str) -> str:
    """``prefix:local`` when the IRI up to its last "/" or "#" is a declared namespace, else the IRI.

    The local part then never holds a "/", so a JSON-LD reader cannot mistake it for an IRI.

    Example:
        >>> compact_iri("https://w3id.org/geokg/id/country/RU"), compact_iri("https://w3id.org/geokg/ontology#agent")
        ('country:RU', 'gk:agent')
        >>> compact_iri("https://example.org/a/b")
        'https://example.org/a/b'
    """
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _BY_NAMESPACE.get(iri[:cut]) if cut else None
    return f"{prefix}:{iri[cut:]}" if prefix else iri


def _node_id(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise ValueError(f"JSON-LD cannot hold the term {term} (RDF-star)")


def _value(term: Any) -> Any:
    if not isinstance(term, ox.Literal):
        return {"@id": _node_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == _XSD_STRING:
        return term.value  # a plain JSON string is an xsd:string
    return {"@value": term.value, "@type": compact_iri(term.datatype.value)}


def _nodes(quads: Iterable[ox.Quad]) -> Iterator[dict[str, Any]]:
    """One node object per run of quads with the same subject (the store yields them grouped)."""
    node: dict[str, Any] | None = None
    subject = None
    for quad in quads:
        if node is None or quad.subject != subject:
            if node is not None:
                yield _unwrapped(node)
            subject, node = quad.subject, {"@id": _node_id(quad.subject)}
        if quad.predicate.value == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact_iri(quad.object.value))
        else:
            node.setdefault(compact_iri(quad.predicate.value), []).append(_value(quad.object))
    if node is not None:
        yield _unwrapped(node)


def _unwrapped(node: dict[str, Any]) -> dict[str, Any]:
    """The node as compacted JSON-LD reads: ``@id``, ``@type`` first; a single value without its list."""
    keys = ["@id", *(["@type"] if "@type" in node else []), *(k for k in node if k[0] != "@")]
    return {key: node[key][0] if isinstance(node[key], list) and len(node[key]) == 1 else node[key] for key in keys}


def _write_jsonld(store: Store, out: IO[bytes]) -> None:
    """The dataset as one JSON-LD document: the prefixes as ``@context``; in ``@graph`` the
    default graph's nodes, then one ``{"@id": graph, "@graph": [nodes]}`` per named graph."""

    def write(text: str) -> None:
        out.write(text.encode("utf-8"))

    def array(items: Iterable[dict[str, Any] | ox.NamedNode | ox.BlankNode], indent: str) -> None:
        separator = ""
        for item in items:
            write(f"{separator}\n{indent}")
            separator = ","
            if isinstance(item, dict):
                write(json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n" + indent))
            else:  # a named graph, its nodes streamed inside it
                write(f'{{\n{indent}  "@id": {json.dumps(_node_id(item), ensure_ascii=False)},\n{indent}  "@graph": [')
                array(_nodes(store.ox.quads_for_pattern(None, None, None, item)), indent + "    ")
                write(f"\n{indent}}}")
        write(f"\n{indent[:-2]}]")

    context = json.dumps(DECLARED_PREFIXES, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    write(f'{{\n  "@context": {context},\n  "@graph": [')
    default = _nodes(store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    array(chain(default, sorted(store.ox.named_graphs(), key=str)), "    ")
    write("\n}\n")
