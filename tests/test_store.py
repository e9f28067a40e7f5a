"""The store wrapper: one named graph per article, replaced in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import concatenations_as_sets
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import geokg
from geokg import crossdoc
from geokg.errors import QuerySyntaxError, StoreError
from geokg.queries import list_queries
from geokg.rdf.iris import REFERENCE_GRAPH, graph_iri
from geokg.rdf.terms import to_ox, to_rdflib
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data" / "store"
ARTICLES = sorted(p for p in DATA.glob("*.ttl") if p.stem != "reference")
SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def load_fixtures(store: Store) -> None:
    """The reference graph and the two hand-written article graphs of tests/data/store/."""
    store.load_reference(Graph().parse(DATA / "reference.ttl"))
    for path in ARTICLES:
        store.replace_graph(graph_iri(path.stem), Graph().parse(path))


def canonical(graph: Graph) -> Graph:
    """``graph`` as Oxigraph stores it: numeric literals in canonical form ("300000.0" → "300000")."""
    with Store() as memory:
        memory.replace_graph("urn:geokg:test", graph)
        return memory.rdflib_graph("urn:geokg:test")


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "geokg.db") as opened:
        yield opened


def test_store_replace_graph_is_idempotent(store: Store) -> None:
    load_fixtures(store)
    first = sorted(str(q) for q in store.quads())
    load_fixtures(store)
    assert sorted(str(q) for q in store.quads()) == first
    assert len(store) == len(first)


def test_store_replace_graph_removes_old_triples(store: Store) -> None:
    load_fixtures(store)
    iri = graph_iri(ARTICLES[0].stem)
    before = len(store)
    small = Graph()
    small.add((URIRef("https://w3id.org/geokg/id/country/CL"), SKOS_PREF, Literal("Chile")))
    assert store.replace_graph(iri, small) == 1
    assert store.triple_count(iri) == 1
    assert len(store) == before - len(Graph().parse(ARTICLES[0])) + 1
    other = graph_iri(ARTICLES[1].stem)
    assert isomorphic(store.rdflib_graph(other), canonical(Graph().parse(ARTICLES[1])))


def test_store_replace_graph_with_nothing_removes_the_graph(store: Store) -> None:
    load_fixtures(store)
    iri = graph_iri(ARTICLES[0].stem)
    store.replace_graph(iri, Graph())
    assert str(iri) not in store.article_graphs()
    store.remove_graph(graph_iri(ARTICLES[1].stem))
    assert store.article_graphs() == []


def test_store_graphs_and_article_graphs(store: Store) -> None:
    load_fixtures(store)
    assert store.article_graphs() == [str(graph_iri(p.stem)) for p in ARTICLES]
    assert str(REFERENCE_GRAPH) in store.graphs()
    assert str(REFERENCE_GRAPH) not in store.article_graphs()


def test_store_load_reference_is_idempotent(store: Store) -> None:
    reference = Graph().parse(DATA / "reference.ttl")
    store.load_reference(reference)
    store.load_reference(reference)
    assert len(store) == len(reference)
    assert isomorphic(store.rdflib_graph(REFERENCE_GRAPH), canonical(reference))


def test_store_stats(store: Store) -> None:
    load_fixtures(store)
    stats = store.stats()
    assert stats.articles == 2
    assert stats.triples == len(store)
    assert stats.events == {"ExportRestriction": 1, "Offer": 2, "PurchaseOrImport": 1,
                            "ReservesRank": 1, "Statement": 1}


def test_store_persists_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store.open(path) as store:
        load_fixtures(store)
        count = len(store)
    with Store.open(path, read_only=True) as store:
        assert len(store) == count
        assert store.stats().articles == 2


def test_store_locked_path_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store.open(path):
        with pytest.raises(StoreError, match="locked") as info:
            Store.open(path)
    assert info.value.path == str(path)
    with Store.open(path) as again:  # closing released the lock
        assert len(again) == 0


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "geokg.db"
    path.write_text("not a store")
    with pytest.raises(StoreError, match="not a directory") as info:
        Store.open(path)
    assert str(path) in str(info.value)


def test_store_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="build one first"):
        Store.open(tmp_path / "missing", read_only=True)


def test_store_closed_store_raises(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db")
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        len(store)


def test_store_rejects_an_invalid_iri(store: Store) -> None:
    graph = Graph()
    graph.add((URIRef("https://example.org/a b"), SKOS_PREF, Literal("x")))
    with pytest.raises(StoreError, match="graph https://w3id.org/geokg/graph/article/bad"):
        store.replace_graph("https://w3id.org/geokg/graph/article/bad", graph)
    assert len(store) == 0


def test_store_query_with_bindings(store: Store) -> None:
    load_fixtures(store)
    sparql = ("SELECT ?label ?e WHERE { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } "
              "ORDER BY ?e")
    columns, rows = store.query(sparql, {"label": to_ox(Literal("Japan"))})
    assert columns == ["label", "e"]
    assert [to_rdflib(e) for _, e in rows] == [URIRef("https://w3id.org/geokg/id/country/JP")]


def test_store_query_syntax_error_has_line_and_column(store: Store) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        store.query("SELECT ?x WHERE {\n  ?x ?y }", source="q.rq")
    assert (info.value.filename, info.value.lineno) == ("q.rq", 2)
    assert info.value.offset is not None
    assert str(info.value).startswith("[GK502] q.rq:2:")


@given(st.text(), st.sampled_from([None, "en", "pt-br"]))  # Oxigraph lower-cases tags
def test_store_literal_round_trip(text: str, lang: str | None) -> None:
    graph = Graph()
    graph.add((URIRef("https://w3id.org/geokg/id/place/x"), SKOS_PREF, Literal(text, lang=lang)))
    with Store() as store:
        store.replace_graph("https://w3id.org/geokg/graph/article/t", graph)
        assert isomorphic(store.rdflib_graph("https://w3id.org/geokg/graph/article/t"), graph)


def test_store_flushes_its_write_buffers_to_disk_every_few_mib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Oxigraph would keep up to 2 × 128 MiB per index in memory: the store flushes on its own
    once FLUSH_EVERY_BYTES of updates gathered, so a build's memory does not grow with the store."""
    import geokg.store

    def on_disk(path: Path) -> int:  # bytes of RocksDB tables; unflushed writes are only in the log
        return sum(file.stat().st_size for file in path.iterdir() if file.suffix == ".sst")

    body = "\n".join(f'<https://e.org/s{i}> <https://e.org/p> "{i}" .' for i in range(300))
    path = tmp_path / "db"
    with Store(path) as store:
        before = on_disk(path)
        store.replace_graphs({str(graph_iri("a1")): body})  # far below 8 MiB: stays in memory
        assert on_disk(path) < before + 5000
        monkeypatch.setattr(geokg.store, "FLUSH_EVERY_BYTES", len(body))
        store.replace_graphs({str(graph_iri("a2")): body})
        assert on_disk(path) > before + 20000  # both graphs written out, the store still open
        assert store.triple_count(graph_iri("a1")) == store.triple_count(graph_iri("a2")) == 300


def test_store_load_graph_replaces_one_graph_whole(tmp_path: Path) -> None:
    line = '<https://e.org/s{}> <https://e.org/p> "{}" .'
    with Store(tmp_path / "db") as store:
        store.replace_graphs({str(graph_iri("keep")): line.format(0, 0)})
        store.load_graph(graph_iri("big"), "\n".join(line.format(i, i) for i in range(50)))
        store.load_graph(graph_iri("big"), "\n".join(line.format(i, i) for i in range(10, 20)))
        assert sorted(q.object.value for q in store.quads(graph_iri("big"))) == sorted(str(i) for i in range(10, 20))
        store.load_graph(graph_iri("big"), "")
        assert store.article_graphs() == [str(graph_iri("keep"))]
        with pytest.raises(StoreError, match="cannot write"):
            store.load_graph(graph_iri("bad"), "<s> <p> not-a-term .")


def test_store_replica_holds_the_same_quads_and_answers_the_same(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store.open(path) as disk:
        load_fixtures(disk)
        on_disk = sorted(map(str, disk.quads()))
        stats = disk.stats()
    with Store.replica(path) as copy:
        assert copy.in_memory and copy.read_only
        assert sorted(map(str, copy.quads())) == on_disk
        assert copy.stats() == stats


def test_store_replica_refuses_writes_and_names_its_source(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store.open(path) as disk:
        load_fixtures(disk)
    with Store.replica(path) as copy:
        count = len(copy)
        with pytest.raises(StoreError, match="in-memory replica; cannot write") as info:
            copy.replace_graph(graph_iri("new"), Graph())
        assert info.value.path == str(path)
        with pytest.raises(StoreError, match="in-memory replica"):
            copy.update("INSERT DATA { <urn:s> <urn:p> <urn:o> }")
        with pytest.raises(StoreError, match="in-memory replica"):
            copy.remove_graph(graph_iri(ARTICLES[0].stem))
        assert len(copy) == count


def test_store_replica_is_a_snapshot(tmp_path: Path) -> None:
    """Writes to the disk store after the copy are not seen by it (it is for reading a finished build)."""
    path = tmp_path / "db"
    with Store.open(path) as disk:
        load_fixtures(disk)
    copy = Store.replica(path)
    with Store.open(path) as disk:  # the copy holds no lock on the folder
        disk.remove_graph(graph_iri(ARTICLES[0].stem))
        assert disk.stats().articles == 1
    assert copy.stats().articles == 2
    copy.close()


def test_store_replica_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="build one first"):
        Store.replica(tmp_path / "missing")


def test_store_optimize_keeps_every_quad(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store.open(path) as disk:
        load_fixtures(disk)
        before = sorted(map(str, disk.quads()))
        disk.optimize()
        assert sorted(map(str, disk.quads())) == before
    with Store.open(path, read_only=True) as reader:
        reader.optimize()  # nothing to do, and no error, on a read-only store
        assert sorted(map(str, reader.quads())) == before


def test_query_on_a_replica_gives_every_stored_query_the_rows_it_gives_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store.open(path) as disk:
        load_fixtures(disk)
        crossdoc.refresh(disk)  # as a build does: the queries read its display labels
    settings = geokg.Settings(store=path)
    asked = [(q.name, {}) for q in list_queries()] + [
        ("entity-articles", {"entity": "Japan"}), ("commodity-timeline", {"commodity": "Copper"}),
        ("country-activity", {"country": "Chile"})]
    with geokg.replica(settings) as copy:
        answered = 0
        for name, params in asked:
            on_disk = geokg.query(name, params, settings)
            in_memory = geokg.query(name, params, store=copy)
            assert in_memory.columns == on_disk.columns
            assert concatenations_as_sets(name, in_memory.columns, in_memory.rows) == \
                concatenations_as_sets(name, on_disk.columns, on_disk.rows), name  # in the same order
            answered += bool(on_disk.rows)
    assert answered >= len(asked) - 3  # the fixtures answer nearly every query: the comparison has rows


@pytest.mark.issue(20)
def test_store_warnings_without_the_layout_marker_list_the_graphs_at_most_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store without the layout marker (loaded, or written by an older geokg): a writable open
    lists its graphs once and, finding no old name, records the layout; a read-only open looks at
    a sample only, and lists the graphs (to count them) only when the sample holds an old name."""
    from geokg import store as store_module
    from geokg.iri_space import GRAPH

    listed: list[str] = []
    original = Store.graphs

    def counting(self: Store) -> list[str]:
        listed.append(self._where)
        return original(self)

    monkeypatch.setattr(Store, "graphs", counting)
    monkeypatch.setattr(store_module, "LAYOUT_SAMPLE", 5)
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    with Store.open(new) as store:
        store.replace_graphs({str(graph_iri(f"a{i}")): f'<urn:s> <urn:p> "{i}" .' for i in range(20)})
    with Store.open(new, read_only=True) as store:
        assert not store.layout_current and store.warnings() == [] and listed == []
    with Store.open(new) as store:
        assert store.warnings() == [] and store.layout_current and len(listed) == 1
    with Store.open(new, read_only=True) as store:
        assert store.layout_current and store.warnings() == [] and len(listed) == 1
    with Store.open(old) as store:  # an older geokg's names, every one of them
        store.replace_graphs({f"{GRAPH}a{i}": f'<urn:s> <urn:p> "{i}" .' for i in range(20)})
    with Store.open(old, read_only=True) as store:
        warned = store.warnings()
        assert len(warned) == 1 and "20 article graph(s) use the graph names of an older geokg" in warned[0]
    with Store.open(old) as store:
        assert len(store.warnings()) == 1 and not store.layout_current  # no marker while old names remain


@pytest.mark.issue(20)
def test_store_load_graph_writes_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large graph is deleted and loaded LOAD_LINES triples per transaction (each holds its
    writes in memory): the result is the graph of the lines, the other graphs untouched."""
    monkeypatch.setattr(geokg.store, "LOAD_LINES", 7)
    line = '<https://e.org/s{}> <https://e.org/p> "{}" .'
    with Store(tmp_path / "db") as store:
        store.replace_graphs({str(graph_iri("keep")): line.format(0, 0)})
        store.load_graph(graph_iri("big"), (line.format(i, i) for i in range(50)))
        assert store.triple_count(graph_iri("big")) == 50
        store.load_graph(graph_iri("big"), [line.format(i, i) for i in range(45, 60)])
        assert sorted(int(q.object.value) for q in store.quads(graph_iri("big"))) == list(range(45, 60))
        assert store.triple_count(graph_iri("keep")) == 1
        store.load_graph(graph_iri("big"), [])
        assert not store.has_graph(graph_iri("big"))


@pytest.mark.issue(20)
def test_store_load_graph_loads_each_chunk_as_it_fills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A generator of lines is read as it comes: each chunk is in the store before the next line
    is asked for, so the lines are never held whole."""
    monkeypatch.setattr(geokg.store, "LOAD_LINES", 7)
    line = '<https://e.org/s{}> <https://e.org/p> "{}" .'
    with Store(tmp_path / "db") as store:
        seen = []

        def lines():
            for i in range(20):
                seen.append(store.triple_count(graph_iri("big")))
                yield line.format(i, i)

        store.load_graph(graph_iri("big"), lines())
        assert seen == [0] * 7 + [7] * 7 + [14] * 6
        assert sorted(int(q.object.value) for q in store.quads(graph_iri("big"))) == list(range(20))
