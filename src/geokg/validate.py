"""Check graphs against ``shapes/`` with pySHACL and turn the report into data.

Non-conformance is a result, not an error (the pySHACL habit): :func:`validate`
returns a :class:`ValidationReport` whatever the data says, and raises only when
it cannot run at all (the shapes do not load). An article graph is validated on
its own: no reference graph, no inference. The shapes are written for that (see
the header of ``shapes/geokg-shapes.ttl``), and it keeps a 150-triple article
graph near 20 ms with the shapes parsed once per process (RDFS inference would
add its closure to every graph for nothing the shapes need).

Example:
    >>> from rdflib import Graph, Literal, RDF
    >>> from geokg.namespaces import DCTERMS, GK, GKID
    >>> g = Graph(identifier=URIRef("https://w3id.org/geokg/graph/a1"))
    >>> article = GKID["article/a1"]
    >>> _ = g.add((article, RDF.type, GK.Article)).add((article, DCTERMS.identifier, Literal("a1")))
    >>> report = validate(g)
    >>> report.conforms
    False
    >>> print(format_violation(report.violations[0]))
    focus <https://w3id.org/geokg/id/article/a1> path gk:text: An article needs exactly one gk:text, a plain string that evidence offsets point into (article a1)
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import ShapesGraph, Validator
from pyshacl.errors import ReportableRuntimeError
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from geokg import resources
from geokg.errors import ShapesError
from geokg.namespaces import DCTERMS, GK, PREFIXES, PROV, bind_prefixes
from geokg.rdf import iris

__all__ = ["ValidationReport", "Violation", "format_violation", "load_shapes", "validate",
           "write_quarantine"]

_ARTICLE_PREFIX = iris.ID + "article/"
# A local name that may follow a prefix in a prefixed name we print (no '/' so
# gkid:country/RU stays <…>, which Turtle would not accept unescaped either).
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result, flattened for printing and filtering.

    Attributes:
        focus_node: IRI of the node that failed (``_:id`` for a blank node).
        path: IRI of the result path, or None for node-level constraints (such as
            "an event needs a participant").
        message: The shape's ``sh:message``: what is wrong and how it should be.
        severity: ``Violation``, ``Warning`` or ``Info`` (local name of the SHACL severity).
        component: Local name of the constraint component (``MinCountConstraintComponent``),
            the full IRI for a component outside the SHACL namespace.
        article: The article the failing node belongs to, when known.
        value: The offending value in N-Triples form, when the result names one.
        shape: IRI of the shape that produced the result (``gksh:RankValue``), when named.
    """

    focus_node: str
    path: str | None
    message: str
    severity: str
    component: str
    article: str | None
    value: str | None = None
    shape: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        conforms: True when no result has severity ``Violation`` (warnings and
            infos are listed but do not fail the data).
        violations: Every result, sorted by article, focus node, path, component.
        graph: The SHACL results graph(s) pySHACL produced, merged.
        text: The report in words: a conformance line, then one line per result.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    graph: Graph
    text: str


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """Parse every ``shapes/*.ttl`` into one graph, once per process.

    The same graph object is returned on every call: treat it as read-only.

    Returns:
        The shapes graph.

    Raises:
        ShapesError: a shapes file does not parse, or there are none.
        ResourceNotFoundError: no ``shapes/`` folder can be found at all.
    """
    files = resources.shape_files()
    if not files:
        raise ShapesError(f"no *.ttl shapes in {resources.resource_dir('shapes')}; "
                          "reinstall geokg or set GEOKG_RESOURCES")
    shapes = bind_prefixes(Graph())
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise ShapesError(f"{path}: cannot parse the shapes: {exc}") from exc
    return shapes


@lru_cache(maxsize=1)
def _shapes_graph() -> ShapesGraph:
    """The shapes harvested by pySHACL (node shapes, their constraints), once per process."""
    shapes = ShapesGraph(load_shapes())
    shapes.shapes  # noqa: B018  the property harvests and caches them
    return shapes


def validate(data: Graph | Dataset, *, article: str | None = None) -> ValidationReport:
    """Validate an article graph (or every graph of a dataset) against the shapes.

    A :class:`~rdflib.Dataset` is validated graph by graph, each on its own, so a
    result names the article whose graph holds it.

    Args:
        data: One graph, ideally with its named-graph IRI as identifier
            (``https://w3id.org/geokg/graph/{article-id}``), or a dataset.
        article: The article id to report for every result; by default it comes
            from the graph identifier, else from the failing node's
            ``prov:wasDerivedFrom``.

    Returns:
        The report; ``report.conforms`` is False when the data violates a shape.

    Raises:
        ShapesError: the shapes cannot be loaded or pySHACL cannot run them.
    """
    shapes = load_shapes()
    graphs = [g for g in data.graphs() if len(g)] if isinstance(data, Dataset) else [data]
    conforms = True
    violations: list[Violation] = []
    results = bind_prefixes(Graph())
    for graph in graphs:
        try:
            validator = Validator(DataGraph.from_rdflib(graph), shacl_graph=shapes, options={
                "inference": "none", "allow_warnings": True, "allow_infos": True, "advanced": False})
            # pyshacl.validate harvests the shapes again on every call (a sixth of the time
            # on a 40-triple article graph); the harvested ShapesGraph holds no data-graph state.
            validator.shacl_graph = _shapes_graph()
            ok, result_graph, _ = validator.run()
        except ReportableRuntimeError as exc:
            raise ShapesError(f"pySHACL cannot validate with the shapes: {exc}") from exc
        conforms = conforms and bool(ok)
        graph_article = article or _article_of_graph(graph)
        assert isinstance(result_graph, Graph)
        results += result_graph
        violations.extend(_violations(result_graph, graph, graph_article))
    violations.sort(key=lambda v: (v.article or "", v.focus_node, v.path or "", v.component,
                                   v.message))
    return ValidationReport(conforms, tuple(violations), results, _report_text(conforms, violations))


def format_violation(v: Violation) -> str:
    """One line for a result: focus node, path, value, message and article.

    Example:
        >>> v = Violation("https://w3id.org/geokg/id/event/a1-2", GK.rank,
        ...               "gk:rank must be a positive integer", "Violation",
        ...               "DatatypeConstraintComponent", "a1", value='"five"')
        >>> format_violation(v)
        'focus <https://w3id.org/geokg/id/event/a1-2> path gk:rank value "five": gk:rank must be a positive integer (article a1)'
        >>> format_violation(Violation("_:b0", None, "Bad", "Warning", "OrConstraintComponent", None))
        'Warning: focus _:b0: Bad'
    """
    parts = [f"focus {_short(v.focus_node)}"]
    if v.path:
        parts.append(f"path {_short(v.path)}")
    if v.value:
        parts.append(f"value {v.value}")
    line = " ".join(parts) + f": {v.message}"
    if v.article:
        line += f" (article {v.article})"
    return line if v.severity == "Violation" else f"{v.severity}: {line}"


def write_quarantine(folder: Path, article_id: str, graph: Graph, report: ValidationReport) -> Path:
    """Set aside a graph that failed validation, with its report in words.

    Writes ``{folder}/{article_id}.trig`` (the graph as the article's named graph)
    and ``{folder}/{article_id}.txt``. Characters other than letters, digits,
    ``.``, ``_`` and ``-`` in the id are replaced by ``_`` in the file names.

    Returns:
        The path of the ``.trig`` file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = _UNSAFE_FILE_CHARS.sub("_", article_id).lstrip(".") or "_"
    dataset = Dataset()
    bind_prefixes(dataset)
    named = dataset.graph(iris.graph_iri(article_id))
    for triple in graph:
        named.add(triple)
    trig = folder / f"{stem}.trig"
    with warnings.catch_warnings():
        # rdflib 7's own TriG serializer calls its deprecated Dataset.contexts().
        warnings.simplefilter("ignore", DeprecationWarning)
        text = dataset.serialize(format="trig")
    trig.write_text(text, encoding="utf-8")
    (folder / f"{stem}.txt").write_text(
        f"Article {article_id} does not conform to the geokg shapes; its graph is in {trig.name}.\n"
        f"{report.text}\n", encoding="utf-8")
    return trig


def _violations(results: Graph, data: Graph, article: str | None) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.append(Violation(
            focus_node=_node_text(focus),
            path=_node_text(path) if path is not None else None,
            message="; ".join(messages) or "(no message)",
            severity=_local(results.value(result, SH.resultSeverity)),
            component=_local(results.value(result, SH.sourceConstraintComponent)),
            article=article or _article_of_node(data, focus),
            value=value.n3() if value is not None else None,
            shape=str(shape) if isinstance(shape, URIRef) else None,
        ))
    return found


def _article_of_graph(graph: Graph) -> str | None:
    identifier = graph.identifier
    return iris.article_id_from_graph(str(identifier)) if isinstance(identifier, URIRef) else None


def _article_of_node(data: Graph, node: Node | None) -> str | None:
    # The node itself, the node it was derived from, or (for evidence and
    # quantities) the event that points at it: one hop is all MAPPING.md needs.
    if node is None:
        return None
    if (node, RDF.type, GK.Article) in data:
        return _article_id(data, node)
    candidates = [node, *data.subjects(None, node)]
    for candidate in candidates:
        source = data.value(candidate, PROV.wasDerivedFrom)
        if source is not None:
            return _article_id(data, source)
    return None


def _article_id(data: Graph, article: Node) -> str | None:
    text = str(article)
    if isinstance(article, URIRef) and text.startswith(_ARTICLE_PREFIX):
        return text[len(_ARTICLE_PREFIX):]
    identifier = data.value(article, DCTERMS.identifier)
    return str(identifier) if isinstance(identifier, Literal) else None


def _node_text(node: Node | None) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        return str(node)
    # A complex SHACL path is a blank-node structure; N3 is an honest fallback.
    return node.n3() if node is not None else ""


def _local(iri: Node | None) -> str:
    text = str(iri or "")
    return text[len(str(SH)):] if text.startswith(str(SH)) else text


def _short(iri: str) -> str:
    """A prefixed name where one reads well, else ``<iri>`` (blank nodes as given).

    Example:
        >>> _short("http://www.w3.org/ns/oa#start")
        'oa:start'
        >>> _short("https://w3id.org/geokg/id/country/RU")
        '<https://w3id.org/geokg/id/country/RU>'
    """
    if iri.startswith("_:"):
        return iri
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _report_text(conforms: bool, violations: list[Violation]) -> str:
    failing = sum(v.severity == "Violation" for v in violations)
    head = "Conforms: True" if conforms else f"Conforms: False ({failing} violations)"
    if len(violations) > failing:
        head += f", {len(violations) - failing} warnings or infos"
    return "\n".join([head, *(format_violation(v) for v in violations)])
