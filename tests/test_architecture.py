"""The layers of geokg, checked on its import graph (grimp), lazy imports included.

The kernel (the article and facts model, entity keys, the IRI space as strings, name
keys, the event-type registry, errors, settings) sits below every stage and imports
nothing else of geokg. Extraction knows nothing of RDF, the RDF mapping nothing of spaCy.
The pipeline spine runs downwards only: cli → api → cluster → parallel → pipeline →
validate → rdf, and pipeline → extract. No modules, and no packages, import each other in
a cycle, except the imports listed in KNOWN_CYCLE_IMPORTS with the reason each stays.
"""

from __future__ import annotations

import grimp
import networkx as nx
import pytest

KERNEL = frozenset({"geokg.model", "geokg.keys", "geokg.iri_space", "geokg.names", "geokg.event_types",
                    "geokg.errors", "geokg.settings"})
# Libraries a stage below them must not pull in: the kernel runs with none of them.
HEAVY = ("rdflib", "spacy", "pyshacl", "pyoxigraph", "networkx", "requests")
#: (importer, imported, import line) → why the import stays though it closes a cycle.
KNOWN_CYCLE_IMPORTS = {
    ("geokg.nlp", "geokg.training", "from geokg.training import SPANS_KEY"):
        "the trigger spans' key is defined in geokg.training, whose train() loads geokg.nlp; "
        "it goes once the key lives below both (geokg.training is another piece of work)",
    ("geokg.extract.events", "geokg.training", "from geokg.training import SPANS_KEY"):
        "the same key: extract → training → nlp → extract.gazetteer closes a cycle of packages",
}


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


def without_known_cycle_imports(graph: grimp.ImportGraph) -> nx.DiGraph:
    """geokg's modules and their imports of each other, less KNOWN_CYCLE_IMPORTS."""
    modules = nx.DiGraph()
    for module in graph.modules:
        if module == "geokg" or module.startswith("geokg."):
            modules.add_node(module)
            modules.add_edges_from((module, imported) for imported in geokg_imports(graph, module))
    for importer, imported, line in KNOWN_CYCLE_IMPORTS:
        lines = {d["line_contents"] for d in graph.get_import_details(importer=importer, imported=imported)}
        if lines == {line}:  # another import between the two is not excused
            modules.remove_edge(importer, imported)
    return modules


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    return sorted(sorted(component) for component in nx.strongly_connected_components(graph) if len(component) > 1)


def test_no_modules_import_each_other_in_a_cycle(graph: grimp.ImportGraph) -> None:
    assert cycles(without_known_cycle_imports(graph)) == []


def test_no_packages_import_each_other_in_a_cycle(graph: grimp.ImportGraph) -> None:
    # A package is geokg's top-level module or subpackage a module belongs to: geokg.extract, geokg.model.
    packages = nx.DiGraph()
    for importer, imported in without_known_cycle_imports(graph).edges:
        outer, inner = ".".join(importer.split(".")[:2]), ".".join(imported.split(".")[:2])
        if outer != inner:
            packages.add_edge(outer, inner)
    assert cycles(packages) == []


@pytest.mark.parametrize("importer, imported, line", sorted(KNOWN_CYCLE_IMPORTS))
def test_each_known_cycle_import_is_still_there(graph: grimp.ImportGraph, importer: str, imported: str,
                                                 line: str) -> None:
    # So that the list shrinks when one goes, and excuses nothing else.
    details = graph.get_import_details(importer=importer, imported=imported)
    assert [d["line_contents"] for d in details] == [line]
