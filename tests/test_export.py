"""Export round trips: every format parses back to the store's content."""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from geokg.errors import ExportError
from geokg.export import FORMATS, export, format_for
from geokg.iri_space import DECLARED_PREFIXES
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


def test_export_to_a_stream_needs_a_format(store: Store) -> None:
    out = io.BytesIO()
    assert export(store, out, "trig") is None
    assert sum(len(g) for g in parse_dataset_bytes(out.getvalue(), "trig").graphs()) == len(store)
    with pytest.raises(ExportError, match=r"give a format to write to a stream\. Valid formats: turtle"):
        export(store, io.BytesIO())


def parse_dataset_bytes(data: bytes, format: str) -> Dataset:
    dataset = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=data, format=format)
    return dataset


# -- the seed build, exported in the formats with prefixes --------------------
@pytest.fixture(scope="module")
def seed_exports(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed-export")
    with Store.open(seed_store, read_only=True) as opened:
        return {name: export(opened, folder / f"seed{FORMATS[name].extension}") for name in ("turtle", "trig", "jsonld")}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["turtle", "trig", "jsonld"])
def test_seed_export_writes_one_prefix_per_kind_of_id(seed_exports: dict[str, Path], name: str) -> None:
    text = seed_exports[name].read_text(encoding="utf-8")
    assert "\\/" not in text  # gkid:country\/RU was how one prefix for all ids came out
    if name == "jsonld":
        document = json.loads(text)
        body = json.dumps(document["@graph"])
        assert document["@context"] == DECLARED_PREFIXES
        assert text.startswith('{\n  "@context": {\n    "gk": ')  # indented, not one line
        assert text.count("\n") > len(text) / 100  # one property a line (was one 3 MB line)
        ids = {node["@id"] for graph in document["@graph"] for node in graph.get("@graph", [])}
        assert {"country:RU", "country:US", "person:vladimir-putin", "commodity:rare-earth-elements"} <= ids
        assert any(i.startswith("event:2025-02-25-putin-rare-earths-") for i in ids)
    else:
        body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix "))
        for prefix in ("country", "person", "commodity", "event", "evidence"):
            assert f"@prefix {prefix}: <{DECLARED_PREFIXES[prefix]}> ." in text
        for name_ in ("country:RU", "person:vladimir-putin", "commodity:rare-earth-elements",
                      "event:2025-02-25-putin-rare-earths-"):
            assert name_ in body, name_
    assert "https://w3id.org/geokg/id/" not in body  # every kind of id is written with its prefix


@pytest.mark.slow
@pytest.mark.parametrize("name", ["turtle", "trig", "jsonld"])
def test_seed_export_loads_into_rdflib_and_oxigraph_with_every_triple(
        seed_store: Path, seed_exports: dict[str, Path], name: str) -> None:
    with Store.open(seed_store, read_only=True) as source:
        quads = set(source.quads())
    fmt = FORMATS[name]
    expected = quads if fmt.keeps_graphs else {ox.Quad(q.subject, q.predicate, q.object) for q in quads}
    fresh = ox.Store()
    fresh.load(path=str(seed_exports[name]), format=fmt.rdf_format)
    assert len(fresh) == len(expected)
    assert named_only(fresh) == named_only(expected)  # blank nodes (OWL lists) get new labels on a load
    dataset = parse_dataset(seed_exports[name], RDFLIB_FORMAT[name])
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == len(expected)


def named_only(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    return {q for q in quads if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))}
