"""The layers of geokg, checked on its import graph (grimp), lazy imports included.

The kernel (the article and facts model, entity keys, the IRI space as strings, name
keys, the event-type registry, errors, settings) sits below every stage and imports
nothing else of geokg. Extraction knows nothing of RDF, the RDF mapping nothing of spaCy.
The pipeline spine runs downwards only: cli → api → cluster → parallel → pipeline →
validate → rdf, and pipeline → extract. No modules, and no packages, import each other in
a cycle.
"""

from __future__ import annotations

import grimp
import networkx as nx
import pytest

KERNEL = frozenset({"geokg.model", "geokg.keys", "geokg.iri_space", "geokg.names", "geokg.event_types",
                    "geokg.errors", "geokg.settings"})
# Libraries a stage below them must not pull in: the kernel runs with none of them.
HEAVY = ("rdflib", "spacy", "pyshacl", "pyoxigraph", "networkx", "requests")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("geokg", include_external_packages=True, cache_dir=None)


def geokg_imports(graph: grimp.ImportGraph, module: str) -> set[str]:
    return {m for m in graph.find_modules_directly_imported_by(module) if m == "geokg" or m.startswith("geokg.")}


def test_the_kernel_modules_exist(graph: grimp.ImportGraph) -> None:
    assert KERNEL <= graph.modules


@pytest.mark.parametrize("module", sorted(KERNEL))
def test_the_kernel_imports_nothing_of_geokg_above_it(graph: grimp.ImportGraph, module: str) -> None:
    assert geokg_imports(graph, module) <= KERNEL, f"{module} imports {sorted(geokg_imports(graph, module) - KERNEL)}"


@pytest.mark.parametrize("module", sorted(KERNEL))
def test_the_kernel_needs_no_heavy_library(graph: grimp.ImportGraph, module: str) -> None:
    assert not [lib for lib in HEAVY if graph.chain_exists(module, lib)]


@pytest.mark.parametrize("target", ["geokg.rdf", "rdflib", "pyshacl", "geokg.validate", "geokg.store"])
def test_extraction_reaches_no_rdf(graph: grimp.ImportGraph, target: str) -> None:
    assert not graph.chain_exists("geokg.extract", target, as_packages=True), \
        graph.find_shortest_chains("geokg.extract", target, as_packages=True)


@pytest.mark.parametrize("target", ["geokg.extract", "geokg.nlp", "spacy"])
def test_the_rdf_mapping_reaches_no_extraction(graph: grimp.ImportGraph, target: str) -> None:
    assert not graph.chain_exists("geokg.rdf", target, as_packages=True), \
        graph.find_shortest_chains("geokg.rdf", target, as_packages=True)


@pytest.mark.parametrize("layers", [
    ["geokg.cli", "geokg.api", "geokg.cluster", "geokg.parallel", "geokg.pipeline", "geokg.validate", "geokg.rdf",
     "geokg.reference"],
    ["geokg.pipeline", "geokg.extract", "geokg.reference"],
], ids=["build", "extract"])
def test_the_pipeline_spine_imports_downwards_only(graph: grimp.ImportGraph, layers: list[str]) -> None:
    illegal = graph.find_illegal_dependencies_for_layers(layers)
    assert not illegal, [(d.importer, d.imported, [(r.heads, r.middle, r.tails) for r in d.routes])
                         for d in illegal]


def module_graph(graph: grimp.ImportGraph) -> nx.DiGraph:
    """geokg's modules and their imports of each other."""
    modules = nx.DiGraph()
    for module in graph.modules:
        if module == "geokg" or module.startswith("geokg."):
            modules.add_node(module)
            modules.add_edges_from((module, imported) for imported in geokg_imports(graph, module))
    return modules


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    return sorted(sorted(component) for component in nx.strongly_connected_components(graph) if len(component) > 1)


def test_no_modules_import_each_other_in_a_cycle(graph: grimp.ImportGraph) -> None:
    assert cycles(module_graph(graph)) == []


def test_no_packages_import_each_other_in_a_cycle(graph: grimp.ImportGraph) -> None:
    # A package is geokg's top-level module or subpackage a module belongs to: geokg.extract, geokg.model.
    packages = nx.DiGraph()
    for importer, imported in module_graph(graph).edges:
        outer, inner = ".".join(importer.split(".")[:2]), ".".join(imported.split(".")[:2])
        if outer != inner:
            packages.add_edge(outer, inner)
    assert cycles(packages) == []
