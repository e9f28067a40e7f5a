"""Issue 18, hardening: inputs and situations that used to stop a build, overwrite a
built-in graph, read files they should not, or leave a store stale without a word.

Reader-level tests are fast; the build-level ones run the real pipeline (slow).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokg.articles import Article, iter_articles
from geokg.errors import IngestError

pytestmark = pytest.mark.issue(18)

BAD_URLS = {
    "tab": "https://example.org/a\tb",
    "percent": "https://example.org/%zz",
    "bracket": "http://[::1",
    "del": "https://example.org/a\x7fb",
    "hashes": "https://example.org/a#b#c",
}


def sentence(i: int) -> str:
    countries = ["Chile", "Peru", "Japan", "India", "Brazil"]
    return f"{countries[i % 5]} offered to sell {i + 2} million tonnes of copper to {countries[(i + 1) % 5]}."


# -- 2. malformed urls -------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BAD_URLS))
def test_hardening_bad_url_in_jsonl_is_a_coded_error_of_its_record(tmp_path: Path, name: str) -> None:
    path = tmp_path / "wire.jsonl"
    records = [{"id": "ok1", "body": sentence(1), "url": "https://example.org/ok1"},
               {"id": "bad", "body": sentence(2), "url": BAD_URLS[name]},
               {"id": "ok2", "body": sentence(3), "url": "not a web address, kept as a literal"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    found = list(iter_articles([path]))
    assert [type(x).__name__ for x in found] == ["Article", "IngestError", "Article"]
    error = found[1]
    assert isinstance(error, IngestError)
    assert (error.code, error.line, error.article_id) == ("GK101", 2, "bad")
    assert str(error).startswith(f"[GK101] {path}:2: url ") and "is not a valid web address" in error.problem


@pytest.mark.parametrize("name", sorted(BAD_URLS))
def test_hardening_bad_url_header_line_is_a_coded_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"date 2024-06-12\nsource Wire\nurl {BAD_URLS[name]}\n\n{sentence(1)}\n", encoding="utf-8")
    found = list(iter_articles([path]))
    assert len(found) == 1 and isinstance(found[0], IngestError), found
    assert (found[0].code, found[0].line) == ("GK101", 3)
    assert "is not a valid web address" in found[0].problem


def test_hardening_bad_url_in_a_hand_built_article_fails_only_that_article() -> None:
    """Articles built through the API skip the readers: the mapping keeps the url as a literal."""
    from rdflib import Literal

    from geokg.model import ArticleFacts
    from geokg.namespaces import DCTERMS
    from geokg.rdf import to_graph
    from geokg.rdf.iris import article_iri
    from geokg.rdf.terms import to_ntriples

    article = Article(id="a1", text="Copper rose.", url=BAD_URLS["bracket"])
    graph = to_graph(ArticleFacts(article=article))
    assert graph.value(article_iri("a1"), DCTERMS.source) == Literal(BAD_URLS["bracket"])
    to_ntriples(graph)  # storable


@pytest.mark.slow
def test_hardening_build_with_bad_urls_loads_every_good_article(tmp_path: Path) -> None:
    """40 records, five bad urls: 35 load, the five are in --report, the cross-document graphs are built, exit 1."""
    from geokg.cli import cli
    from geokg.rdf.iris import CROSSDOC_EVENTS_GRAPH
    from geokg.store import Store

    bad_at = {7: "tab", 12: "percent", 20: "bracket", 28: "del", 39: "hashes"}
    records = [{"id": f"r{i:02d}", "date": "2024-06-12", "body": sentence(i),
                "url": BAD_URLS[bad_at[i]] if i in bad_at else f"https://example.org/{i}"} for i in range(40)]
    wire = tmp_path / "wire.jsonl"
    wire.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = tmp_path / "report.jsonl"
    result = CliRunner().invoke(cli, ["build", str(wire), "--store", str(tmp_path / "db"), "-q",
                                      "--report", str(report)])
    assert result.exit_code == 1, result.output
    assert "articles loaded: 35" in result.stdout
    got = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [(r["article_id"], r["line"], r["code"]) for r in got] == [
        (f"r{i:02d}", i + 1, "GK101") for i in sorted(bad_at)]
    assert all(r["path"] == str(wire) and "is not a valid web address" in r["message"] for r in got)
    with Store.open(tmp_path / "db", read_only=True) as store:
        assert len(store.article_graphs()) == 35
        assert store.triple_count(CROSSDOC_EVENTS_GRAPH) > 0


# -- 6. quarantine file names ------------------------------------------------
def quarantine_case():
    from geokg.validate import validate

    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from geokg.namespaces import GK

    graph = Graph()
    graph.add((URIRef("https://w3id.org/geokg/id/article/x"), RDF.type, GK.Article))  # no gk:text: a violation
    report = validate(graph)
    assert not report.conforms
    return graph, report


def test_hardening_quarantine_of_a_300_character_id(tmp_path: Path) -> None:
    from geokg.validate import write_quarantine

    graph, report = quarantine_case()
    long_id = "x" * 300
    trig = write_quarantine(tmp_path, long_id, graph, report)  # was OSError: File name too long
    assert len(trig.name.encode()) < 255 and trig.exists() and trig.with_suffix(".txt").exists()
    assert trig.read_text(encoding="utf-8").splitlines()[0] == f'# geokg quarantine: article id "{long_id}"'
    assert long_id in trig.with_suffix(".txt").read_text(encoding="utf-8")


def test_hardening_quarantine_ids_that_read_alike_do_not_overwrite_each_other(tmp_path: Path) -> None:
    from geokg.validate import write_quarantine

    graph, report = quarantine_case()
    ids = ["a", ".a", "..a", "a" * 81, "a" * 80 + "b"]  # the last two share their first 80 characters
    written = [write_quarantine(tmp_path, article_id, graph, report) for article_id in ids]
    assert len(set(written)) == len(ids) == len(list(tmp_path.glob("*.trig"))) == len(list(tmp_path.glob("*.txt")))
    for article_id, trig in zip(ids, written):
        assert trig.read_text(encoding="utf-8").startswith(f'# geokg quarantine: article id "{article_id}"\n')
        assert not trig.name.startswith(".")  # never a hidden file


# -- 12. a huge .txt is refused from its size ----------------------------------
def test_hardening_huge_txt_refused_by_size_before_reading(tmp_path: Path) -> None:
    """A 63 MiB .txt (under the 64 MiB limit of other files) used to be read and decoded whole (2.1 GB)
    before GK102 refused its text; now its size alone refuses it, and reading it allocates next to nothing."""
    import tracemalloc

    from geokg.articles import MAX_ARTICLE_CHARS, MAX_TXT_BYTES

    path = tmp_path / "dump.txt"
    chunk = ("date 2024-06-12 " + "Copper rose. " * 80_000).encode()
    with path.open("wb") as out:
        while out.tell() < 63 * 2**20:
            out.write(chunk)
    tracemalloc.start()
    try:
        found = list(iter_articles([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(found) == 1 and isinstance(found[0], IngestError) and found[0].code == "GK102"
    assert str(found[0]).startswith(f"[GK102] {path}: the file is 63.")
    assert f"at most {MAX_ARTICLE_CHARS:,} characters" in found[0].problem and "split it" in found[0].problem
    assert peak < 2**20, f"{peak:,} bytes allocated to refuse it"
    # The limit leaves room for the longest article in the widest encoding: UTF-32 and a header.
    longest = tmp_path / "longest.txt"
    longest.write_text("date 2024-06-12\nsource Wire\n\n" + "a" * MAX_ARTICLE_CHARS, encoding="utf-32")
    assert longest.stat().st_size <= MAX_TXT_BYTES
    (article,) = iter_articles([longest])
    assert isinstance(article, Article) and len(article.text) == MAX_ARTICLE_CHARS


# -- 13. symbolic links out of the folder walked --------------------------------
def linked_folder(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "private"
    outside.mkdir()
    secret = outside / "passwd.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "real.txt").write_text(sentence(1), encoding="utf-8")
    (folder / "inner.txt").symlink_to(folder / "sub" / "real.txt")  # stays inside: read
    (folder / "x.txt").symlink_to(secret)  # leaves the folder: not read
    (folder / "etc.txt").symlink_to("/etc/passwd")
    (folder / "up").symlink_to(outside, target_is_directory=True)  # folders behind links are never walked
    return folder, secret


def test_hardening_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    folder, secret = linked_folder(tmp_path)
    found = list(iter_articles([folder]))
    articles = [x for x in found if isinstance(x, Article)]
    errors = {Path(x.path).name: x for x in found if isinstance(x, IngestError)}
    # inner.txt links to sub/real.txt, inside the folder: both are read, each under its own name (file stem)
    assert [(Path(a.path).name, a.id) for a in articles] == [("inner.txt", "inner"), ("real.txt", "real")]
    assert sorted(errors) == ["etc.txt", "x.txt"]
    assert all(e.code == "GK105" and "--follow-links" in e.problem for e in errors.values())
    assert str(errors["x.txt"]).startswith(f"[GK105] {folder / 'x.txt'}: a symbolic link to {secret}, outside")
    assert not any("root:x:0:0" in a.text for a in articles)


def test_hardening_follow_links_reads_them(tmp_path: Path) -> None:
    folder, _ = linked_folder(tmp_path)
    found = list(iter_articles([folder], follow_links=True))
    assert all(isinstance(x, Article) for x in found), found
    assert sorted(Path(a.path).name for a in found) == ["etc.txt", "inner.txt", "real.txt", "x.txt"]
    # A link named on the command line is what the user asked for: read without the flag.
    (named,) = iter_articles([folder / "x.txt"])
    assert isinstance(named, Article) and named.text.startswith("root:x:0:0")


# -- 5. the report and the store among the inputs -------------------------------
def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from geokg.cli import main

    try:
        main(args)
        code = 0  # main returns when the command finished without an exit code of its own
    except SystemExit as done:
        code = done.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_hardening_report_naming_an_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wire = tmp_path / "wire.jsonl"
    wire.write_text(json.dumps({"id": "w1", "body": sentence(1)}) + "\n", encoding="utf-8")
    before = wire.read_bytes()
    code, _, err = run_main(["build", str(wire), "--store", str(tmp_path / "db"), "--report", str(wire)], capsys)
    assert code == 2
    assert err.startswith(f"Error: [GK901] --report='{wire}' is not valid. It is an input of this build ({wire})")
    assert wire.read_bytes() == before and not (tmp_path / "db").exists()  # refused before anything was written
    # Inside an input folder, the report would be read as articles by the next build.
    inside = tmp_path / "failures.jsonl"
    code, _, err = run_main(["build", str(tmp_path), "--store", str(tmp_path / "db"), "--report", str(inside)], capsys)
    assert code == 2 and err.startswith(f"Error: [GK901] --report='{inside}' is not valid. It lies in the input folder")
    assert not inside.exists() and not (tmp_path / "db").exists()


def test_hardening_store_in_a_folder_of_other_files_is_refused(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from geokg.errors import StoreError
    from geokg.store import Store

    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "notes.md").write_text("my notes", encoding="utf-8")
    (tmp_path / "a.txt").write_text(sentence(1), encoding="utf-8")
    code, _, err = run_main(["build", str(tmp_path / "a.txt"), "--store", str(documents), "-q"], capsys)
    assert code == 2
    assert err.startswith(f"Error: [GK401] store {documents}: is a folder of other files, not a geokg store")
    assert sorted(p.name for p in documents.iterdir()) == ["notes.md"]  # nothing written among them
    with pytest.raises(StoreError, match="not a geokg store"):
        Store.open(documents)
    # A new folder, an empty one and an existing store open as before.
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "new.db", tmp_path / "empty", tmp_path / "new.db"):
        with Store.open(folder) as store:
            store.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 'o' } }")


def test_hardening_store_inside_the_input_folder_is_not_read(tmp_path: Path) -> None:
    from geokg.settings import Settings
    from geokg.store import Store

    (tmp_path / "a.txt").write_text(sentence(1), encoding="utf-8")
    settings = Settings(store=tmp_path / "geokg.db")
    with Store.open(settings.store):
        pass
    graph, report = quarantine_case()
    from geokg.validate import write_quarantine

    write_quarantine(settings.quarantine, "q1", graph, report)  # its .txt would read as an article
    found = list(iter_articles([tmp_path], skip=[settings.store, settings.quarantine]))
    assert [Path(x.path).name for x in found] == ["a.txt"] and isinstance(found[0], Article)


@pytest.mark.slow
def test_hardening_building_a_folder_that_holds_the_store(tmp_path: Path) -> None:
    """geokg build . --store geokg.db: a second build finds nothing new, not the quarantine's files."""
    from geokg import api
    from geokg.settings import Settings
    from geokg.validate import write_quarantine

    (tmp_path / "a.txt").write_text(sentence(1), encoding="utf-8")
    settings = Settings(store=tmp_path / "geokg.db")
    first = api.build([tmp_path], settings)
    graph, report = quarantine_case()
    write_quarantine(settings.quarantine, "q1", graph, report)
    again = api.build([tmp_path], settings)
    assert (first.articles, first.failures) == (1, [])
    assert (again.articles, again.skipped, again.failures) == (0, 1, [])


# -- 1. article ids that name built-in graphs ------------------------------------
def test_hardening_article_graphs_have_an_iri_space_of_their_own() -> None:
    from geokg.iri_space import article_id_from_graph
    from geokg.rdf.iris import (BUILT_IN_GRAPHS, CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH, DERIVED_STALE_GRAPH,
                                graph_iri)

    others = {str(g) for g in (*BUILT_IN_GRAPHS, CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH, DERIVED_STALE_GRAPH)}
    for article_id in ("reference", "ontology", "crossdoc", "state", "article", "a1"):
        iri = str(graph_iri(article_id))
        assert iri == f"https://w3id.org/geokg/graph/article/{article_id}" and iri not in others
        assert article_id_from_graph(iri) == article_id
    assert all(article_id_from_graph(g) is None for g in others)


def packaged_store(path: Path):
    """A store holding the built-in graphs as a build loads them (no article, no spaCy)."""
    from geokg.api import _ontology_graph
    from geokg.rdf import reference_graph
    from geokg.store import Store

    store = Store.open(path)
    store.load_reference(reference_graph())
    store.load_ontology(_ontology_graph())
    return store


@pytest.mark.slow
def test_hardening_validate_store_checks_the_built_in_graphs(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from geokg import api
    from geokg.rdf.iris import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from geokg.settings import Settings

    settings = Settings(store=tmp_path / "db")
    with packaged_store(settings.store):
        pass
    assert api.validate(None, settings).conforms
    with packaged_store(settings.store) as store:  # what an article with the id "reference" used to do
        store.replace_graphs({str(REFERENCE_GRAPH): f'<{REFERENCE_GRAPH}> <urn:p> "an article" .'})
        store.remove_graph(ONTOLOGY_GRAPH)
    report = api.validate(None, settings)
    assert not report.conforms
    assert [(v.focus_node, v.component) for v in report.violations] == [
        (str(REFERENCE_GRAPH), "BuiltInGraph"), (str(ONTOLOGY_GRAPH), "BuiltInGraph")]
    code, out, _ = run_main(["validate", "--store", str(settings.store)], capsys)
    assert code == 1
    assert f"focus <{REFERENCE_GRAPH}>: the built-in graph {REFERENCE_GRAPH} holds 1 triples where" in out
    assert f"the built-in graph {ONTOLOGY_GRAPH} is missing" in out and "run `geokg build`" in out
    # Same size, other content: the content is compared, not only the counts.
    with packaged_store(settings.store) as store:
        store.update(f"DELETE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{REFERENCE_GRAPH}> "
                     "{ ?s ?p ?o FILTER(?o = 'Chile') } } ;"
                     f"INSERT DATA {{ GRAPH <{REFERENCE_GRAPH}> {{ <urn:x> <urn:p> 'Chile' }} }}")
    (damage,) = api.validate(None, settings).violations
    assert "differs from the packaged files" in damage.message


@pytest.mark.filterwarnings("always::geokg.errors.GeokgWarning")
def test_hardening_old_layout_store_warns_and_migrates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store an older geokg built (article graphs at …/graph/{id}): readers say so, the move is lossless."""
    from geokg.errors import GeokgWarning
    from geokg.iri_space import GRAPH
    from geokg.rdf.iris import graph_iri
    from geokg.settings import Settings

    from geokg import api

    settings = Settings(store=tmp_path / "db")
    old = [f"{GRAPH}a{i}" for i in range(5)]
    with packaged_store(settings.store) as store:
        store.replace_graphs({g: f'<https://w3id.org/geokg/id/article/{g[-2:]}> <urn:p> "{g[-2:]}" .' for g in old})
    with pytest.warns(GeokgWarning, match=r"5 article graph\(s\) use the graph names of an older geokg"):
        api.query("articles", {}, settings)
    code, _, err = run_main(["query", "articles", "--store", str(settings.store)], capsys)
    assert code == 0 and err.startswith(f"Warning: store {settings.store}: 5 article graph(s) use the graph names")
    assert f"run `geokg build --store {settings.store}` (no paths needed)" in err
    from geokg.store import Store

    with Store.open(settings.store) as store:
        before = len(store)
        assert store.migrate_legacy_graphs(batch=2) == 5
        assert store.article_graphs() == [str(graph_iri(f"a{i}")) for i in range(5)]
        # Lossless: the one quad more is the layout marker (Store.layout_current).
        assert store.legacy_article_graphs() == [] and len(store) == before + 1 and store.warnings() == []
        assert store.layout_current
        assert [q.object.value for q in store.quads(graph_iri("a3"))] == ["a3"]


@pytest.mark.slow
def test_hardening_a_build_without_paths_moves_old_layout_graphs(tmp_path: Path) -> None:
    """What the readers' warning says to run. A build with paths looks for old graph names only
    when the store was written by another geokg (its reference graph differs): it reads them all."""
    from geokg import api
    from geokg.iri_space import GRAPH
    from geokg.rdf.iris import graph_iri
    from geokg.settings import Settings
    from geokg.store import Store

    settings = Settings(store=tmp_path / "db")
    with packaged_store(settings.store) as store:
        store.replace_graphs({f"{GRAPH}a{i}": f'<https://w3id.org/geokg/id/article/a{i}> <urn:p> "a{i}" .'
                              for i in range(3)})
    assert api.build([], settings).migrated == 3
    with Store.open(settings.store, read_only=True) as store:
        assert store.legacy_article_graphs() == [] and store.warnings() == []
        assert store.article_graphs() == [str(graph_iri(f"a{i}")) for i in range(3)]


def test_hardening_layout_marker_is_written_once_and_honoured(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20 (a): the first build moves an old store's graphs and records the layout as current;
    later builds and readers trust the record and list no graph, until the reference data changes
    (another geokg wrote to the store), which makes a build look again."""
    from geokg import api
    from geokg.iri_space import GRAPH, LAYOUT_GRAPH
    from geokg.rdf.iris import graph_iri
    from geokg.settings import Settings
    from geokg.store import Store

    settings = Settings(store=tmp_path / "db")
    with packaged_store(settings.store) as store:  # an older geokg's store: no marker, old names
        store.replace_graphs({f"{GRAPH}a{i}": f'<https://w3id.org/geokg/id/article/a{i}> <urn:p> "a{i}" .'
                              for i in range(2)})
        assert not store.layout_current and not store.has_graph(LAYOUT_GRAPH)
    assert api.build([], settings).migrated == 2
    with Store.open(settings.store, read_only=True) as store:
        assert store.layout_current and store.has_graph(LAYOUT_GRAPH)
        assert store.article_graphs() == [str(graph_iri(f"a{i}")) for i in range(2)]

    listed: list[str] = []
    original = Store.graphs

    def counting(self: Store) -> list[str]:
        listed.append("graphs")
        return original(self)

    monkeypatch.setattr(Store, "graphs", counting)
    # A graph under an old name that the marker hides: proof that nothing listed the graphs.
    with Store.open(settings.store) as store:
        store.replace_graphs({f"{GRAPH}late": '<urn:s> <urn:p> "late" .'})
        assert store.warnings() == [] and store.migrate_legacy_graphs() == 0
    assert api.build([], settings).migrated == 0 and listed == []
    assert api.query("articles", {}, settings) is not None and listed == []
    # Reference data that differs: another geokg wrote here, so the build looks again.
    with Store.open(settings.store) as store:
        store.update(f"INSERT DATA {{ GRAPH <{GRAPH}reference> {{ <urn:x> <urn:p> 'x' }} }}")
    assert api.build([], settings).migrated == 1 and listed
    with Store.open(settings.store, read_only=True) as store:
        assert store.layout_current and store.legacy_article_graphs() == []
        assert str(graph_iri("late")) in store.article_graphs()


def test_hardening_a_new_store_records_its_layout(tmp_path: Path) -> None:
    """A store built by this geokg carries the marker from its first build on."""
    from geokg import api
    from geokg.settings import Settings
    from geokg.store import Store

    settings = Settings(store=tmp_path / "db")
    api.build([], settings)
    with Store.open(settings.store, read_only=True) as store:
        assert store.layout_current and store.legacy_article_graphs() == [] and store.warnings() == []


@pytest.mark.slow
def test_hardening_articles_named_like_built_in_graphs_leave_them_intact(tmp_path: Path) -> None:
    from geokg import api
    from geokg.rdf.iris import graph_iri
    from geokg.settings import Settings
    from geokg.store import Store

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wire.jsonl").write_text(
        json.dumps({"id": "reference", "body": sentence(1)}) + "\n" + json.dumps({"id": "ontology", "body": sentence(2)})
        + "\n", encoding="utf-8")
    (tmp_path / "in" / "state.txt").write_text(f"date 2024-06-12 {sentence(3)}\n", encoding="utf-8")  # id: the stem
    settings = Settings(store=tmp_path / "db")
    summary = api.build([tmp_path / "in"], settings)
    assert (summary.articles, summary.failures) == (3, [])
    with Store.open(settings.store, read_only=True) as store:
        assert store.article_graphs() == sorted(str(graph_iri(i)) for i in ("reference", "ontology", "state"))
    assert api.validate(None, settings).conforms  # the built-in graphs equal the packaged files


# -- 4. an interrupted build leaves the derived graphs stale, and says so -----------
@pytest.mark.slow
@pytest.mark.filterwarnings("always::geokg.errors.GeokgWarning")
def test_hardening_interrupted_build_marks_derived_graphs_stale(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from geokg import api
    from geokg.errors import GeokgWarning
    from geokg.settings import Settings
    from geokg.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(f"date 2024-06-1{i}\n\n{sentence(i)}\n", encoding="utf-8")
    settings = Settings(store=tmp_path / "db", batch_size=1)
    read = []

    def ctrl_c_on_the_third(article: Article) -> None:  # the real build; Ctrl-C as the third article is read
        read.append(article.id)
        if len(read) == 3:
            raise KeyboardInterrupt

    with pytest.raises(api.BuildInterrupted) as interrupted:
        api.build([folder], settings, on_article=ctrl_c_on_the_third)
    assert interrupted.value.summary.stored == 2
    with Store.open(settings.store, read_only=True) as store:
        assert store.derived_stale and len(store.article_graphs()) == 2
    fix = f"run `geokg build --store {settings.store}` (no paths needed) to refresh them"
    for command in (["query", "offers"], ["sparql", "ASK {}"], ["export", "-o", str(tmp_path / "x.nq")],
                    ["viz", "-o", str(tmp_path / "x.html")], ["validate"]):
        code, _, err = run_main([*command, "--store", str(settings.store)], capsys)
        assert code == 0, (command, err)
        assert err.startswith(f"Warning: store {settings.store}: the cross-document graphs"), (command, err)
        assert fix in err
    with pytest.warns(GeokgWarning, match="cross-document graphs"):
        api.query("offers", {}, settings)

    code, out, _ = run_main(["build", "--store", str(settings.store), "-q"], capsys)  # the fix: nothing new
    assert code == 0 and "articles loaded: 0" in out
    with Store.open(settings.store, read_only=True) as store:
        assert not store.derived_stale and store.warnings() == []
    code, _, err = run_main(["query", "offers", "--store", str(settings.store)], capsys)
    assert code == 0 and err == ""


@pytest.mark.slow
@pytest.mark.integration
def test_hardening_ctrl_c_mid_build_says_what_was_loaded_and_how_to_refresh(tmp_path: Path) -> None:
    """A real ``geokg build`` sent SIGINT (Ctrl-C) after two committed transactions."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from geokg.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(60):
        (folder / f"a{i:03d}.txt").write_text(f"date 2024-06-12\nsource Wire {i}\n\n{sentence(i)}\n", encoding="utf-8")
    store = tmp_path / "db"
    process = subprocess.Popen([sys.executable, "-m", "geokg", "--debug", "build", str(folder), "--store", str(store),
                                "-q", "--batch-size", "3"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    committed, deadline, lines = 0, time.monotonic() + 240, []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "geokg.store: replaced" in line and "/graph/article/" in line:
                committed += 1
                if committed == 2:
                    process.send_signal(signal.SIGINT)
                    break
            if time.monotonic() > deadline:
                break
        lines = process.stderr.readlines()
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
    assert committed == 2
    message = next((line for line in lines if line.startswith("Interrupted: ")), None)
    assert message is not None, "".join(lines[-20:])
    assert process.returncode == 2
    with Store.open(store, read_only=True) as opened:
        loaded = len(opened.article_graphs())
        assert opened.derived_stale
    assert 6 <= loaded < 60
    assert message.startswith(f"Interrupted: {loaded} article(s) loaded before the interrupt; the cross-document "
                              "graphs were not refreshed.")
    assert f"`geokg build --store {store}` to refresh them" in message
