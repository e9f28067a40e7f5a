"""Speed-ups of pySHACL for geokg's validation: tuning, not what validation means.

pySHACL re-reads the shapes graph, rebuilds constraint components and tests parameter
membership in Python lists on every check; the classes here answer the same questions
from memos and sets. :mod:`geokg.validate` uses them; ``tests/test_validate_batch.py``
checks that its verdicts equal plain pySHACL's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyshacl.shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from rdflib import Graph
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.stores.memory import SimpleMemory

if TYPE_CHECKING:
    from rdflib.graph import _ContextType, _QuadType, _TriplePatternType, _TripleSelectorType, _TripleType
    from rdflib.term import Node

__all__ = ["CachedConstraint", "ParameterList", "ReadOnlyUnionStore", "ShapesGraphData", "install"]


class ShapesGraphData(Graph):
    """The shapes as an rdflib graph that remembers the answer to every triple pattern.

    pySHACL re-reads the shapes graph for every shape and every value node it checks
    (targets, constraint parameters, ``sh:in`` lists): most of its lookups on an article
    graph. The shapes never change once loaded, so each pattern is looked up once;
    any change empties the memo.
    """

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[tuple, tuple] = {}
        self.constraints: dict[tuple[int, type], object] = {}  # see CachedConstraint

    def _changed(self) -> None:
        self._memo.clear()
        self.constraints.clear()

    def add(self, triple: _TripleType) -> ShapesGraphData:
        self._changed()
        return super().add(triple)

    def addN(self, quads: Iterable[_QuadType]) -> ShapesGraphData:  # noqa: N802
        self._changed()
        return super().addN(quads)

    def remove(self, triple: _TriplePatternType) -> ShapesGraphData:
        self._changed()
        return super().remove(triple)

    # rdflib declares generators; a tuple's iterator serves the callers the same, without a frame per call.
    def triples(self, triple: _TripleSelectorType) -> Iterator[Any]:  # type: ignore[override]
        if isinstance(triple[1], PropertyPath):
            return super().triples(triple)
        try:
            found = self._memo[triple]
        except KeyError:
            found = self._memo[triple] = tuple(super().triples(triple))
        return iter(found)

    def items(self, list: Node) -> Iterator[Node]:  # type: ignore[override]  # noqa: A002
        # pySHACL builds a constraint anew for every value node it checks, and its sh:in
        # reads the whole RDF list each time.
        key = ("items", list)
        try:
            found = self._memo[key]
        except KeyError:
            found = self._memo[key] = tuple(super().items(list))
        return iter(found)


class ReadOnlyUnionStore(SimpleMemory):
    """rdflib's SimpleMemory store, accepted by pySHACL as context-aware.

    pySHACL wraps the data graph in an rdflib Dataset, which insists on a context-aware
    store, though it only reads the graph (no inference, no ontology mixed in, no SHACL
    rules: see geokg.validate._OPTIONS) and never asks for its contexts. rdflib's context-aware Memory store
    keeps a context index per triple, which makes building the union graphs in it slow; this
    store keeps the three triple indexes only.
    """

    context_aware = True
    graph_aware = True

    def __init__(self) -> None:
        super().__init__()
        self._length: int | None = None

    def add(self, triple: _TripleType, context: _ContextType, quoted: bool = False) -> None:
        self._length = None
        super().add(triple, context, quoted)

    def remove(self, triple: _TriplePatternType, context: _ContextType | None = None) -> None:
        self._length = None
        super().remove(triple, context)

    def __len__(self, context: _ContextType | None = None) -> int:
        # SimpleMemory counts by walking every triple; pySHACL asks for it once per shape checked.
        if self._length is None:
            self._length = super().__len__()
        return self._length


class ParameterList(list):
    """pySHACL's list of constraint parameters, with membership by hash.

    pySHACL tests each predicate of a shape against this list on every check of that shape,
    item by item in rdflib's Python-level ``__eq__``; a set answers the same question. The order
    and contents are pySHACL's own.
    """

    def __init__(self, items: list) -> None:
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item: object) -> bool:
        return item in self._members


class CachedConstraint:
    """Stands for one of pySHACL's constraint component classes in its parameter map, and
    builds each shape's component once when the shape comes from a :class:`ShapesGraphData`.

    pySHACL builds every constraint of a shape anew each time it checks the shape, which for
    the shapes inside sh:property, sh:not and sh:qualifiedValueShape is once per value node,
    reading parameters that cannot have changed (the cache
    empties with the memo when the shapes graph changes). A component holds the shape's
    parameters only; what it finds goes into the reports it returns. Shapes of other graphs
    get a new component every time, as pySHACL builds them.
    """

    def __init__(self, component: type) -> None:
        self.component = component

    def __call__(self, shape: pyshacl.shape.Shape) -> object:
        graph = shape.sg.graph
        if not isinstance(graph, ShapesGraphData):
            return self.component(shape)
        key = (id(shape), self.component)  # the cached component holds the shape: the id stays its own
        try:
            return graph.constraints[key]
        except KeyError:
            built = graph.constraints[key] = self.component(shape)  # a load error is raised, not kept
            return built


def install() -> bool:
    """Hand pySHACL its parameter list as a :class:`ParameterList` and its parameter map
    with a :class:`CachedConstraint` for each component class.

    Shape.validate (pySHACL 0.26 to 0.40) reads both from its module's ``CONSTRAINT_PARAMS``
    attribute, which it otherwise sets itself to the plain pair on first use. False when
    this pySHACL has no such module attribute (nothing changed then).
    """
    module = getattr(pyshacl.shape, "module", None)
    if module is None:
        return False
    # One stand-in per class: pySHACL runs a component once per shape even when several of
    # its parameters name it (sh:qualifiedMinCount and sh:qualifiedMaxCount).
    stand_ins: dict[type, CachedConstraint] = {}
    cached = {
        parameter: stand_ins.setdefault(component, CachedConstraint(component))
        for parameter, component in CONSTRAINT_PARAMETERS_MAP.items()
    }
    module.CONSTRAINT_PARAMS = (ParameterList(ALL_CONSTRAINT_PARAMETERS), cached)
    return True
