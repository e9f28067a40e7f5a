"""Check graphs against ``shapes/`` with pySHACL and turn the report into data.

Non-conformance is a result, not an error (the pySHACL habit): :func:`validate`
returns a :class:`ValidationReport` whatever the data says, and raises only when
it cannot run at all (the shapes do not load). An article graph is validated on
its own: no reference graph, no inference. The shapes are written for that (see
the header of ``shapes/geokg-shapes.ttl``); RDFS inference would add its closure
to every graph for nothing the shapes need.

Speed (the build validates every article graph): the shapes are parsed and
harvested once per process, pySHACL runs with the speed-ups of
:mod:`geokg._pyshacl_speedups` and only the shapes that have targets, and
:func:`validate_graphs` checks a batch of article graphs in as few pySHACL runs as
their overlap allows, with the same verdict and results per graph as one run each
(see :func:`_compatible_groups` for why that holds).

Example:
    >>> from rdflib import Graph, Literal, RDF
    >>> from geokg.namespaces import DCTERMS, GK, GKID
    >>> g = Graph(identifier=URIRef("https://w3id.org/geokg/graph/article/a1"))
    >>> article = GKID["article/a1"]
    >>> _ = g.add((article, RDF.type, GK.Article)).add((article, DCTERMS.identifier, Literal("a1")))
    >>> report = validate(g)
    >>> report.conforms
    False
    >>> print(format_violation(report.violations[0]))  # doctest: +NORMALIZE_WHITESPACE
    focus <https://w3id.org/geokg/id/article/a1> path gk:text: An article needs exactly one gk:text,
    a plain string that evidence offsets point into (article a1)
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import ShapesGraph, Validator
from pyshacl.errors import ReportableRuntimeError
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import IdentifiedNode, Node

from geokg import _pyshacl_speedups, iri_space, resources
from geokg.errors import ShapesError
from geokg.namespaces import DCTERMS, GK, PREFIXES, PROV, bind_prefixes
from geokg.rdf import iris

__all__ = [
    "ValidationReport",
    "Violation",
    "format_violation",
    "load_shapes",
    "validate",
    "quarantine_stem",
    "validate_graphs",
    "write_quarantine",
]

_ARTICLE_PREFIX = iri_space.ID + "article/"
# A local name that may follow a prefix in a prefixed name we print (no '/' so
# gkid:country/RU stays <…>, which Turtle would not accept unescaped either).
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")
_OPTIONS = {"inference": "none", "allow_warnings": True, "allow_infos": True, "advanced": False}
# SHACL terms whose checks look only at the focus node and the nodes reachable from it by
# forward paths, which is what makes checking several graphs in one run exact (see
# _compatible_groups). Shapes using anything else (sh:targetNode, sh:inversePath, SPARQL
# constraints or targets, ...) are run on each graph on its own.
_LOCAL_TERMS = frozenset(
    SH[name]
    for name in (
        "targetClass targetSubjectsOf targetObjectsOf property path node message name description "
        "severity deactivated order group defaultValue datatype class nodeKind minCount maxCount "
        "minInclusive maxInclusive minExclusive maxExclusive minLength maxLength pattern flags "
        "languageIn uniqueLang in hasValue equals disjoint lessThan lessThanOrEquals not and or xone "
        "qualifiedValueShape qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint closed "
        "ignoredProperties alternativePath zeroOrMorePath oneOrMorePath zeroOrOnePath"
    ).split()
)


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
        raise ShapesError(
            f"no *.ttl shapes in {resources.resource_dir('shapes')}; reinstall geokg or set GEOKG_RESOURCES"
        )
    shapes = bind_prefixes(_pyshacl_speedups.ShapesGraphData())
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise ShapesError(f"{path}: cannot parse the shapes: {exc}") from exc
    return shapes


@dataclass(frozen=True)
class _Harvest:
    """The shapes as pySHACL harvested them, and what the build's fast path needs to know."""

    shapes: ShapesGraph
    targeted: tuple[str, ...] | None  # IRIs of the shapes with targets; None: run them all
    local: bool  # every SHACL term used is in _LOCAL_TERMS: graphs may be checked together


@lru_cache(maxsize=1)
def _harvest(shapes_data: Graph) -> _Harvest:
    """Harvest the shapes once per shapes graph (node shapes, their constraints, targets)."""
    _pyshacl_speedups.install()
    shapes = ShapesGraph(shapes_data)
    harvested = list(shapes.shapes)  # the property harvests and caches them
    targeted = [s.node for s in harvested if any(len(list(t)) for t in s.target())]
    local = all(p in _LOCAL_TERMS for p in shapes_data.predicates() if str(p).startswith(str(SH)))
    # Shapes without targets are only checked through the shapes that refer to them, so
    # running just the targeted ones is the same validation; use_shapes takes IRIs only.
    named = all(isinstance(node, URIRef) for node in targeted)
    return _Harvest(shapes, tuple(str(node) for node in targeted) if named else None, local)


def _run(graph: Graph) -> tuple[bool, Graph]:
    """One pySHACL run over one data graph, with the shapes harvested once per process."""
    harvest = _harvest(load_shapes())
    if not graph.store.context_aware:  # pySHACL wraps the data in a Dataset, which needs contexts
        graph = _union([graph], graph.identifier)
    options = dict(_OPTIONS)
    if harvest.targeted is not None:
        options["use_shapes"] = list(harvest.targeted)
    try:
        validator = Validator(DataGraph.from_rdflib(graph), shacl_graph=load_shapes(), options=options)
        # pyshacl.validate harvests the shapes again on every call, which costs more than
        # checking a small article graph; the harvested ShapesGraph holds no data-graph state.
        validator.shacl_graph = harvest.shapes
        ok, result_graph, _ = validator.run()
    except ReportableRuntimeError as exc:
        raise ShapesError(f"pySHACL cannot validate with the shapes: {exc}") from exc
    assert isinstance(result_graph, Graph)
    return bool(ok), result_graph


def validate(data: Graph | Dataset, *, article: str | None = None) -> ValidationReport:
    """Validate an article graph (or every graph of a dataset) against the shapes.

    A :class:`~rdflib.Dataset` is validated graph by graph, each on its own, so a
    result names the article whose graph holds it.

    Args:
        data: One graph, ideally with its named-graph IRI as identifier
            (``https://w3id.org/geokg/graph/article/{article-id}``), or a dataset.
        article: The article id to report for every result; by default it comes
            from the graph identifier, else from the failing node's
            ``prov:wasDerivedFrom``.

    Returns:
        The report; ``report.conforms`` is False when the data violates a shape.

    Raises:
        ShapesError: the shapes cannot be loaded or pySHACL cannot run them.
    """
    load_shapes()
    graphs = [g for g in data.graphs() if len(g)] if isinstance(data, Dataset) else [data]
    reports = validate_graphs(graphs, articles=[article] * len(graphs))
    violations = sorted((v for r in reports for v in r.violations), key=_violation_order)
    results = bind_prefixes(Graph())
    for report in reports:
        results += report.graph
    conforms = all(r.conforms for r in reports)
    return ValidationReport(conforms, tuple(violations), results, _report_text(conforms, violations))


def validate_graphs(graphs: Sequence[Graph], *, articles: Sequence[str | None] | None = None) -> list[ValidationReport]:
    """Validate each graph on its own, in as few pySHACL runs as the graphs allow.

    Graphs that share no node with different statements about it are checked together,
    as one union graph; a graph holding the focus node of any result of that run is then
    checked alone for its own report. Every report is the one :func:`validate` gives for
    that graph alone (proved in tests on damaged graphs), at a fraction of the cost of one
    pySHACL run per graph.

    Args:
        graphs: the graphs, each standing alone (an article graph each, typically).
        articles: the article id to report for each graph's results (None: from the graph).

    Returns:
        One report per graph, in order.
    """
    articles = list(articles) if articles is not None else [None] * len(graphs)
    if len(articles) != len(graphs):
        raise ValueError(f"{len(graphs)} graphs but {len(articles)} article ids")
    reports: list[ValidationReport | None] = [None] * len(graphs)
    harvest = _harvest(load_shapes())
    groups = _compatible_groups(graphs) if harvest.local and len(graphs) > 1 else [[i] for i in range(len(graphs))]
    for group in groups:
        if len(group) == 1:
            alone = group
        else:
            ok, result_graph = _run(_union([graphs[i] for i in group]))
            focus = set(result_graph.objects(None, SH.focusNode))
            if ok and not focus:
                alone = []
            else:
                alone = [i for i in group if _holds_any(graphs[i], focus)] if focus else list(group)
            for i in set(group) - set(alone):
                reports[i] = _report(graphs[i], articles[i], True, _empty_results())
        for i in alone:
            ok, result_graph = _run(graphs[i])
            reports[i] = _report(graphs[i], articles[i], ok, result_graph)
    assert all(r is not None for r in reports)
    return reports  # type: ignore[return-value]


def _compatible_groups(graphs: Sequence[Graph]) -> list[list[int]]:
    """Split graphs (by index) into groups whose union validates each member exactly.

    Within a group every node (subject or IRI/blank object) that two graphs hold has the
    same outgoing statements in both. A check of a focus node reads only that node and the
    nodes reachable from it forward (all the shapes' terms are in _LOCAL_TERMS), so in the
    union it sees exactly what it sees in its own graph; targets (class, subjects-of,
    objects-of) can only find more focus nodes in the union, never fewer. Hence: a union
    without results means none of its graphs has any, and a result in the union belongs
    to a graph holding its focus node. Two articles that label one minted company
    differently, for instance, land in different groups. First fit, in input order.
    """
    groups: list[tuple[list[int], dict[Node, frozenset]]] = []
    for index, graph in enumerate(graphs):
        outgoing: dict[Node, set] = {}
        for s, p, o in graph:
            outgoing.setdefault(s, set()).add((p, o))
            if not isinstance(o, Literal):
                outgoing.setdefault(o, set())
        signature = {node: frozenset(statements) for node, statements in outgoing.items()}
        for members, known in groups:
            if all(known.get(node, statements) == statements for node, statements in signature.items()):
                members.append(index)
                known.update(signature)
                break
        else:
            groups.append(([index], signature))
    return [members for members, _ in groups]


def _union(graphs: Sequence[Graph], identifier: IdentifiedNode | None = None) -> Graph:
    """The triples of ``graphs`` in one graph that pySHACL takes as it is (see ReadOnlyUnionStore)."""
    union = Graph(store=_pyshacl_speedups.ReadOnlyUnionStore(), identifier=identifier, bind_namespaces="none")
    add = union.store.add
    for graph in graphs:
        for triple in graph:
            add(triple, union)
    return union


def _holds_any(graph: Graph, nodes: set[Node]) -> bool:
    return any((node, None, None) in graph or (None, None, node) in graph for node in nodes)


def _empty_results() -> Graph:
    """The results graph pySHACL makes for a conforming graph with no results (its prefixes aside)."""
    graph, report = Graph(store="SimpleMemory", bind_namespaces="core"), BNode()  # no cycle: see rdf.to_graph
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(True)))
    return graph


def _report(graph: Graph, article: str | None, conforms: bool, result_graph: Graph) -> ValidationReport:
    violations = sorted(_violations(result_graph, graph, article or _article_of_graph(graph)), key=_violation_order)
    return ValidationReport(conforms, tuple(violations), result_graph, _report_text(conforms, violations))


def _violation_order(v: Violation) -> tuple[str, str, str, str, str]:
    return v.article or "", v.focus_node, v.path or "", v.component, v.message


def format_violation(v: Violation) -> str:
    """One line for a result: focus node, path, value, message and article.

    Example:
        >>> v = Violation("https://w3id.org/geokg/id/event/a1-2", GK.rank,
        ...               "gk:rank must be a positive integer", "Violation",
        ...               "DatatypeConstraintComponent", "a1", value='"five"')
        >>> format_violation(v)  # doctest: +NORMALIZE_WHITESPACE
        'focus <https://w3id.org/geokg/id/event/a1-2> path gk:rank value "five":
        gk:rank must be a positive integer (article a1)'
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

    Writes ``{folder}/{stem}.trig`` (the graph as the article's named graph, the
    id in a comment on its first line) and ``{folder}/{stem}.txt``, the stem being
    :func:`quarantine_stem` of the id.

    Returns:
        The path of the ``.trig`` file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = quarantine_stem(article_id)
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
    # json.dumps: the id on one line, whatever it holds (file names cannot carry it all).
    trig.write_text(f"# geokg quarantine: article id {json.dumps(article_id)}\n{text}", encoding="utf-8")
    (folder / f"{stem}.txt").write_text(
        f"Article {article_id} does not conform to the geokg shapes; its graph is in {trig.name}.\n{report.text}\n",
        encoding="utf-8",
    )
    return trig


#: Characters of an id kept in a quarantine file name: ``NAME_MAX`` is 255 bytes on
#: common file systems, and the name also holds the hash and the extension.
QUARANTINE_STEM_CHARS = 80


def quarantine_stem(article_id: str) -> str:
    """A safe, unique, bounded file name stem for an article id's quarantine files.

    The id made file-safe and cut to :data:`QUARANTINE_STEM_CHARS`, then 12 hex
    digits of its SHA-256: ids that read alike once made safe (``a``, ``.a``,
    ``..a``) or share a long prefix still get files of their own.

    Example:
        >>> quarantine_stem("t-noquote")
        't-noquote-7881a40f7a26'
        >>> len({quarantine_stem(i) for i in ("a", ".a", "..a")}), len(quarantine_stem("x" * 300))
        (3, 93)
    """
    safe = _UNSAFE_FILE_CHARS.sub("_", article_id).lstrip(".")[:QUARANTINE_STEM_CHARS] or "_"
    return f"{safe}-{hashlib.sha256(article_id.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def _violations(results: Graph, data: Graph, article: str | None) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.append(
            Violation(
                focus_node=_node_text(focus),
                path=_node_text(path) if path is not None else None,
                message="; ".join(messages) or "(no message)",
                severity=_local(results.value(result, SH.resultSeverity)),
                component=_local(results.value(result, SH.sourceConstraintComponent)),
                article=article or _article_of_node(data, focus),
                value=value.n3() if value is not None else None,
                shape=str(shape) if isinstance(shape, URIRef) else None,
            )
        )
    return found


def _article_of_graph(graph: Graph) -> str | None:
    identifier = graph.identifier
    return iri_space.article_id_from_graph(str(identifier)) if isinstance(identifier, URIRef) else None


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
        return text[len(_ARTICLE_PREFIX) :]
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
    return text[len(str(SH)) :] if text.startswith(str(SH)) else text


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
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def _report_text(conforms: bool, violations: list[Violation]) -> str:
    failing = sum(v.severity == "Violation" for v in violations)
    head = "Conforms: True" if conforms else f"Conforms: False ({failing} violations)"
    if len(violations) > failing:
        head += f", {len(violations) - failing} warnings or infos"
    return "\n".join([head, *(format_violation(v) for v in violations)])
