"""Export round trips: every format parses back to the store's content."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from geokg.errors import ExportError
from geokg.export import FORMATS, export, format_for
from geokg.rdf.iris import graph_iri
from geokg.rdf.terms import to_rdflib
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data" / "store"
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    with Store.open(tmp_path_factory.mktemp("export") / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "reference.ttl"))
        for path in sorted(DATA.glob("2024-*.ttl")):
            opened.replace_graph(graph_iri(path.stem), Graph().parse(path))
        yield opened


def parse_dataset(path: Path, format: str) -> Dataset:
    """rdflib 7.x's ``Dataset.parse`` warns about its own deprecated internals (ConjunctiveGraph)."""
    dataset = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=path.read_bytes(), format=format)
    return dataset


def merged(store: Store) -> Graph:
    graph = Graph()
    for quad in store.quads():
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_export_round_trip(store: Store, tmp_path: Path, name: str) -> None:
    fmt = FORMATS[name]
    path = export(store, tmp_path / f"out{fmt.extension}")
    assert path.is_file()
    if fmt.keeps_graphs:
        dataset = parse_dataset(path, RDFLIB_FORMAT[name])
        parsed = {str(g.identifier): g for g in dataset.graphs() if len(g)}
        assert sorted(parsed) == store.graphs()
        for iri in store.graphs():
            assert isomorphic(parsed[iri], store.rdflib_graph(iri)), iri
    else:
        graph = Graph().parse(data=path.read_bytes(), format=RDFLIB_FORMAT[name])
        expected = merged(store)
        assert len(graph) == len(expected) < len(store)  # a triple held by two graphs is written once
        assert isomorphic(graph, expected)


def test_export_format_names_override_the_extension(store: Store, tmp_path: Path) -> None:
    path = export(store, tmp_path / "dump.txt", "nquads")
    assert sum(len(g) for g in parse_dataset(path, "nquads").graphs()) == len(store)


def test_export_unknown_extension_lists_the_valid_ones(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"turtle \(\.ttl\), nt \(\.nt\), nquads \(\.nq\)") as info:
        export(store, tmp_path / "out.rdf")
    assert info.value.path == str(tmp_path / "out.rdf")
    with pytest.raises(ExportError, match="unknown format 'xml'"):
        format_for("out.ttl", "xml")
    assert format_for("OUT.TTL").name == "turtle"
