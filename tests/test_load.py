"""geokg load: RDF files into the store, graphs kept or chosen, errors naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from geokg import api
from geokg.cli import cli
from geokg.errors import IngestError
from geokg.load import load_files
from geokg.rdf.iris import graph_iri
from geokg.settings import Settings
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data" / "store"
ARTICLE = "2024-03-04-chile-copper-offer"


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, Path]:
    """A small geokg store exported in every format geokg writes."""
    source = tmp_path / "source.db"
    with Store.open(source) as store:
        store.load_reference(Graph().parse(DATA / "reference.ttl"))
        store.replace_graph(graph_iri(ARTICLE), Graph().parse(DATA / f"{ARTICLE}.ttl"))
    settings = Settings(store=source)
    return {fmt: api.export(tmp_path / f"out.{ext}", None, settings)
            for fmt, ext in (("trig", "trig"), ("nquads", "nq"), ("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld"))}


def quads_of(path: Path) -> set[tuple[str, str, str, str]]:
    with Store.open(path, read_only=True) as store:
        return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store.quads()}


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_load_quad_files_keep_their_graphs(exported: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    with Store.open(tmp_path / "a.db") as store:
        summary = load_files(store, [exported[fmt]])
        assert summary.ok, summary.failures
        # The export's reference graph is geokg's own: a build writes it, a load leaves it out.
        assert store.graphs() == [str(graph_iri(ARTICLE))]
        assert list(summary.kept_own) == ["https://w3id.org/geokg/graph/reference"]
        before = len(store)
        load_files(store, [exported[fmt]])  # again: each graph replaced, nothing doubled
        assert len(store) == before
    source = quads_of(exported["trig"].parent / "source.db")
    assert quads_of(tmp_path / "a.db") == {q for q in source if q[3] == f"<{graph_iri(ARTICLE)}>"}


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_load_triple_files_go_to_the_chosen_graph_or_the_file_uri(exported: dict[str, Path], tmp_path: Path,
                                                                   fmt: str) -> None:
    with Store.open(tmp_path / "b.db") as store:
        assert load_files(store, [exported[fmt]], graph="https://example.org/g").ok
        assert load_files(store, [exported[fmt]]).ok
        expected = len(Graph().parse(exported[fmt]))
        assert store.graphs() == sorted(["https://example.org/g", exported[fmt].resolve().as_uri()])
        assert store.triple_count("https://example.org/g") == expected


def test_load_files_naming_the_same_graph_add_up(tmp_path: Path) -> None:
    (tmp_path / "one.ttl").write_text('<http://ex/a> <http://ex/p> "1" .')
    (tmp_path / "two.nt").write_text('<http://ex/a> <http://ex/p> "2" .\n')
    with Store.open(tmp_path / "c.db") as store:
        for _ in range(2):  # a second load replaces the graph with the same two triples
            summary = load_files(store, [tmp_path / "one.ttl", tmp_path / "two.nt"], graph="http://ex/g")
            assert [f.triples for f in summary.loaded] == [1, 1]
            assert store.triple_count("http://ex/g") == 2


def test_load_bad_files_are_named_and_the_rest_loads(tmp_path: Path) -> None:
    (tmp_path / "good.ttl").write_text('<http://ex/a> <http://ex/p> "ok" .')
    (tmp_path / "bad.ttl").write_text('<http://ex/a> <http://ex/p> "1" .\n<http://ex/a> <http://ex/p> "open .\n')
    (tmp_path / "bad.jsonld").write_text('{"@id": "http://ex/a", "http://ex/p": "x"')
    (tmp_path / "notes.txt").write_text("hello")
    with Store.open(tmp_path / "d.db") as store:
        summary = load_files(store, [tmp_path / "bad.ttl", tmp_path / "good.ttl", tmp_path / "bad.jsonld",
                                     tmp_path / "notes.txt", tmp_path / "missing.nq"], graph="http://ex/g")
        assert [Path(f.path).name for f in summary.loaded] == ["good.ttl"]
        assert store.triple_count("http://ex/g") == 1  # nothing of bad.ttl, not even its valid first line
    errors = {Path(e.path).name: e for e in summary.failures}
    assert set(errors) == {"bad.ttl", "bad.jsonld", "notes.txt", "missing.nq"}
    assert all(isinstance(e, IngestError) for e in errors.values())
    assert str(errors["bad.ttl"]).startswith(f"[GK101] {tmp_path / 'bad.ttl'}:2: not valid Turtle: Parser error")
    assert errors["bad.jsonld"].line == 1 and "JSON-LD" in str(errors["bad.jsonld"])
    assert "unknown RDF extension '.txt'" in str(errors["notes.txt"])
    assert "no such file" in str(errors["missing.nq"])


@pytest.mark.slow
def test_load_cli_reports_each_file_and_exits_1_on_a_bad_one(exported: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "bad.nt").write_text("not rdf\n")
    store = tmp_path / "e.db"
    result = CliRunner().invoke(cli, ["load", str(exported["trig"]), str(tmp_path / "bad.nt"), "--store", str(store)])
    assert result.exit_code == 1
    assert f"loaded {exported['trig']}: " in result.output
    assert f"failed [GK101] {tmp_path / 'bad.nt'}:1: not valid N-Triples" in result.output
    ok = CliRunner().invoke(cli, ["load", str(exported["trig"]), "--store", str(store)])
    assert ok.exit_code == 0, ok.output


@pytest.mark.slow
def test_load_cli_counts_the_graphs_and_names_them_with_verbose(tmp_path: Path) -> None:
    trig = tmp_path / "three.trig"
    trig.write_text("".join(f"<https://example.org/g{i}> {{ <https://example.org/s> <https://example.org/p> {i} . }}\n"
                            for i in range(3)), encoding="utf-8")
    store = str(tmp_path / "v.db")
    quiet = CliRunner().invoke(cli, ["load", str(trig), "--store", store])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == f"loaded {trig}: 3 triples into 3 graphs\n"
    verbose = CliRunner().invoke(cli, ["load", str(trig), "-v", "--store", store])
    assert verbose.stdout.splitlines() == [f"loaded {trig}: 3 triples into 3 graphs",
                                           *(f"  https://example.org/g{i}" for i in range(3))]
    ttl = tmp_path / "one.ttl"
    ttl.write_text("<https://example.org/s> <https://example.org/p> 1 .\n", encoding="utf-8")
    one = CliRunner().invoke(cli, ["load", str(ttl), "--graph", "https://example.org/one", "--store", store])
    assert one.stdout == f"loaded {ttl}: 1 triples into 1 graph (https://example.org/one)\n"
