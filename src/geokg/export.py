"""Write the store to a file: Turtle, N-Triples, N-Quads, TriG or JSON-LD.

One map, :data:`FORMATS`, says everything about a format: its names, its file
extension, the pyoxigraph serialiser and whether it keeps the named graphs.

* Turtle and N-Triples hold triples only: all graphs are merged into one default
  graph (a triple present in several graphs is written once).
* TriG, N-Quads and JSON-LD keep one named graph per article (plus the reference
  and ontology graphs). JSON-LD is a dataset format, so we keep the graphs there
  too: nothing is lost, and rdflib's ``Dataset.parse`` reads them back.

All five go through pyoxigraph's streaming serialisers (no rdflib round trip).

Example:
    >>> sorted(FORMATS)
    ['jsonld', 'nquads', 'nt', 'trig', 'turtle']
    >>> format_for("out/graph.nq").name
    'nquads'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from geokg.errors import ExportError, StoreError
from geokg.namespaces import PREFIXES
from geokg.store import Store

__all__ = ["ExportFormat", "FORMATS", "format_for", "export"]


@dataclass(frozen=True)
class ExportFormat:
    """An export format: CLI name, file extension, pyoxigraph format, graphs kept or merged."""

    name: str
    extension: str
    rdf_format: ox.RdfFormat
    keeps_graphs: bool


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("turtle", ".ttl", ox.RdfFormat.TURTLE, keeps_graphs=False),
    ExportFormat("nt", ".nt", ox.RdfFormat.N_TRIPLES, keeps_graphs=False),
    ExportFormat("nquads", ".nq", ox.RdfFormat.N_QUADS, keeps_graphs=True),
    ExportFormat("trig", ".trig", ox.RdfFormat.TRIG, keeps_graphs=True),
    ExportFormat("jsonld", ".jsonld", ox.RdfFormat.JSON_LD, keeps_graphs=True),
)}
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
        raise ExportError(path, f"cannot tell the format from the extension {suffix or '(none)'!r}. "
                          f"Valid: {_valid()}, or pass a format")
    return _BY_EXTENSION[suffix]


def _merged_triples(store: Store) -> Iterator[ox.Triple]:
    # DISTINCT over the union of all graphs: Oxigraph's union default graph
    # repeats a triple once per graph holding it.
    for solution in store.execute(_ALL_TRIPLES, source="export"):
        yield ox.Triple(solution["s"], solution["p"], solution["o"])


def export(store: Store, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write the whole store to ``path`` and return the path.

    Args:
        store: an open store.
        path: the file to write (parent folders are created).
        format: a name of :data:`FORMATS`; by default from the extension.

    Raises:
        ExportError: unknown format, or the file cannot be written.
    """
    target = Path(path)
    fmt = format_for(target, format)
    prefixes = PREFIXES if fmt.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            if fmt.keeps_graphs:
                quads = store.quads()
                ox.serialize(quads, out, fmt.rdf_format, prefixes=prefixes)
            else:
                ox.serialize(_merged_triples(store), out, fmt.rdf_format, prefixes=prefixes)
    except (OSError, ValueError, StoreError) as exc:
        raise ExportError(target, f"cannot write {fmt.name}: {exc}") from exc
    return target
