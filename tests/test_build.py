"""Streaming build: batched store transactions, incremental rebuilds, worker processes."""

from __future__ import annotations

import pickle
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import geokg
from conftest import write_articles
from geokg.api import _built_in_texts, build
from geokg.cli import cli, main
from geokg.model import Article, content_hash
from geokg.namespaces import GK
from geokg.pipeline import Outcome, process_batch
from geokg.rdf.iris import ONTOLOGY_GRAPH, article_iri, graph_iri
from geokg.rdf.terms import to_ntriples, to_rdflib
from geokg.settings import Settings
from geokg.store import Store

ARTICLES = {
    "chile-copper": "date 2024-06-12\nsource Reuters\n\nChile offered to sell copper to Japan on Monday.\n",
    "iraq-oil": "date 2024-06-13\nsource Reuters\n\nIraq raised its oil exports to India, the oil minister said.\n",
    "wheat-ban": "date 2024-06-14\nsource Reuters\n\nRussia banned wheat exports to Turkey on Friday.\n",
}



def article_graphs(store_path: Path) -> dict[str, Graph]:
    """Every article graph of a store, as rdflib graphs by IRI (for isomorphism)."""
    graphs: dict[str, Graph] = defaultdict(Graph)
    with Store.open(store_path, read_only=True) as store:
        for iri in store.article_graphs():
            for quad in store.quads(iri):
                graphs[iri].add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return dict(graphs)


def assert_same_article_graphs(left: Path, right: Path) -> None:
    a, b = article_graphs(left), article_graphs(right)
    assert sorted(a) == sorted(b)
    for iri in a:
        assert isomorphic(a[iri], b[iri]), iri


def test_store_replace_graphs_writes_several_graphs_and_removes_empty_ones() -> None:
    one = to_ntriples([(URIRef("urn:a"), URIRef("urn:p"), Literal("1"))])
    two = to_ntriples([(URIRef("urn:b"), URIRef("urn:p"), Literal("2")),
                       (URIRef("urn:b"), URIRef("urn:p"), Literal("3"))])
    with Store() as store:
        store.replace_graphs({"https://w3id.org/geokg/graph/article/a": one, "https://w3id.org/geokg/graph/article/b": two})
        assert len(store) == 3
        store.replace_graphs({"https://w3id.org/geokg/graph/article/a": "", "https://w3id.org/geokg/graph/article/b": one})
        assert store.article_graphs() == ["https://w3id.org/geokg/graph/article/b"]
        assert [q.subject.value for q in store.quads("https://w3id.org/geokg/graph/article/b")] == ["urn:a"]
        store.replace_graphs({})
        assert len(store) == 1


def test_store_article_hash_reads_the_content_hash_of_the_article_graph() -> None:
    graph = [(article_iri("a1"), GK.contentHash, Literal("abc"))]
    with Store() as store:
        assert store.article_hash("a1") is None
        store.replace_graph(graph_iri("a1"), graph)
        assert store.article_hash("a1") == "abc"
        assert store.article_hash("a2") is None


def test_content_hash_follows_text_and_metadata_not_the_file() -> None:
    base = Article(id="a", text="Oil rose.", title="Oil", source="Reuters")
    assert content_hash(base) == content_hash(Article(id="a", text="Oil rose.", title="Oil", source="Reuters",
                                                      path="elsewhere.txt"))
    assert content_hash(base) != content_hash(Article(id="a", text="Oil rose.", title="Oil", source="AP"))
    assert content_hash(base) != content_hash(Article(id="a", text="Oil rose!", title="Oil", source="Reuters"))


@pytest.mark.slow
def test_outcomes_are_picklable_for_worker_processes() -> None:
    outcomes = process_batch([Article(id="x", text="Chile offered to sell copper to Japan.")],
                             Settings().model)
    [outcome] = pickle.loads(pickle.dumps(outcomes))
    assert isinstance(outcome, Outcome) and outcome.failure is None and outcome.ntriples
    assert f'"{content_hash(Article(id="x", text="Chile offered to sell copper to Japan."))}"' in outcome.ntriples


@pytest.mark.slow
def test_build_again_skips_unchanged_articles_and_redoes_changed_ones(tmp_path: Path) -> None:
    docs = write_articles(tmp_path / "docs", ARTICLES)
    settings = Settings(store=tmp_path / "store")
    first = build([docs], settings)
    assert (first.articles, first.skipped) == (3, 0)
    before = article_graphs(settings.store)

    again = build([docs], settings)
    assert (again.articles, again.skipped, again.triples, again.crossdoc) == (0, 3, 0, None)  # nothing loaded or derived

    write_articles(docs, {"iraq-oil": ARTICLES["iraq-oil"].replace("India", "China"),
                          "new-one": "date 2024-06-15\n\nJapan bought Australian coal.\n"})
    third = build([docs], settings)
    assert (third.articles, third.skipped) == (2, 2)
    after = article_graphs(settings.store)
    assert set(after) == set(before) | {str(graph_iri("new-one"))}
    assert not isomorphic(after[str(graph_iri("iraq-oil"))], before[str(graph_iri("iraq-oil"))])
    assert "China" in after[str(graph_iri("iraq-oil"))].serialize(format="nt")

    rebuilt = build([docs], settings, rebuild=True)
    assert (rebuilt.articles, rebuilt.skipped) == (4, 0)
    assert sorted(article_graphs(settings.store)) == sorted(after)


@pytest.mark.slow
def test_a_first_or_large_build_compacts_the_store_and_a_few_new_articles_do_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compacted: list[int] = []  # article graphs in the store at each compaction
    real_optimize = Store.optimize

    def recording_optimize(self: Store) -> None:
        compacted.append(len(self.article_graphs()))
        real_optimize(self)

    monkeypatch.setattr(Store, "optimize", recording_optimize)
    docs = write_articles(tmp_path / "docs", {
        f"day-{day}": f"date 2024-06-{day:02d}\n\nPeru sold zinc to Korea on day {day}.\n" for day in range(1, 11)})
    settings = Settings(store=tmp_path / "store")
    assert build([docs], settings).articles == 10
    assert compacted == [10]
    write_articles(docs, {"day-11": "date 2024-06-11\n\nPeru sold tin to Korea.\n"})
    assert build([docs], settings).articles == 1  # 1 of 11: under a tenth, left as it is
    assert compacted == [10]
    write_articles(docs, {"day-12": "date 2024-06-12\n\nPeru sold lead.\n", "day-13": "Peru sold silver.\n"})
    assert build([docs], settings).articles == 2  # 2 of 13
    assert compacted == [10, 13]
    assert build([], settings, recompute_crossdoc=True).crossdoc is not None  # the derived graphs written whole
    assert compacted == [10, 13, 13]
    build([], settings)  # nothing to do
    assert compacted == [10, 13, 13]


@pytest.mark.slow
def test_batch_size_does_not_change_the_store(tmp_path: Path) -> None:
    docs = write_articles(tmp_path / "docs", ARTICLES)
    one = build([docs], Settings(store=tmp_path / "one", batch_size=1))
    many = build([docs], Settings(store=tmp_path / "many", batch_size=64))
    assert (one.articles, one.triples) == (many.articles, many.triples) == (3, one.triples)
    assert_same_article_graphs(tmp_path / "one", tmp_path / "many")


@pytest.mark.slow
def test_an_id_repeated_within_a_batch_keeps_the_first_and_reports_the_second(tmp_path: Path) -> None:
    """Issue 4: nothing is silently overwritten; the repeated id with other content fails with GK104."""
    data = tmp_path / "twice.jsonl"
    data.write_text('{"id": "same", "text": "Chile sold copper to Japan."}\n'
                    '{"id": "same", "text": "Iraq sold oil to India."}\n', encoding="utf-8")
    summary = build([data], Settings(store=tmp_path / "store"))
    assert summary.articles == 1
    assert [(f.code, f.article_id, f.line) for f in summary.failures] == [("GK104", "same", 2)]
    text = article_graphs(tmp_path / "store")[str(graph_iri("same"))].value(article_iri("same"), GK.text)
    assert str(text) == "Chile sold copper to Japan."


@pytest.mark.slow
def test_workers_give_the_same_store_as_one_process(tmp_path: Path) -> None:
    docs = write_articles(tmp_path / "docs", ARTICLES)
    single = build([docs], Settings(store=tmp_path / "single"))
    pooled = build([docs], Settings(store=tmp_path / "pooled", workers=2, batch_size=1))
    assert (pooled.articles, pooled.triples, pooled.events) == (single.articles, single.triples, single.events)
    assert_same_article_graphs(tmp_path / "single", tmp_path / "pooled")


@pytest.mark.slow
def test_cli_build_reports_skipped_articles_and_rebuild(tmp_path: Path) -> None:
    docs = write_articles(tmp_path / "docs", {"chile-copper": ARTICLES["chile-copper"]})
    store = str(tmp_path / "store")
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(docs), "--store", store, "-q"])
    assert first.exit_code == 0, first.output
    assert "articles loaded: 1\nunchanged, skipped: 0\n" in first.output
    second = runner.invoke(cli, ["build", str(docs), "--store", store, "-q"])
    assert "articles loaded: 0\nunchanged, skipped: 1\n" in second.output
    forced = runner.invoke(cli, ["build", str(docs), "--store", store, "-q", "--rebuild"])
    assert "articles loaded: 1\nunchanged, skipped: 0\n" in forced.output


def test_a_build_naming_a_missing_path_is_refused_and_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = write_articles(tmp_path / "docs", {"chile-copper": ARTICLES["chile-copper"]})
    store, report = tmp_path / "store", tmp_path / "failures.jsonl"
    with pytest.raises(SystemExit) as done:
        main(["build", str(docs), str(tmp_path / "dcos"), str(tmp_path / "more.jsonl"), "--store", str(store),
              "--report", str(report)])
    captured = capsys.readouterr()
    assert done.value.code == 2 and captured.out == ""
    assert captured.err == (f"Error: [GK105] {tmp_path / 'dcos'}: no such file or folder (also missing: "
                            f"{tmp_path / 'more.jsonl'}); nothing was read and no store was written: check the path\n")
    assert not store.exists() and not report.exists()
    with pytest.raises(geokg.errors.IngestError, match="no such file or folder"):
        build([tmp_path / "dcos"], Settings(store=store))
    assert not store.exists()


@pytest.mark.slow
def test_a_build_that_finds_nothing_new_says_the_store_is_unchanged(tmp_path: Path) -> None:
    docs = write_articles(tmp_path / "docs", ARTICLES)
    store = str(tmp_path / "store")
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(docs), "--store", store, "-q"])
    assert first.exit_code == 0 and "canonical events: " in first.output, first.output
    again = runner.invoke(cli, ["build", str(docs), "--store", store, "-q"])
    assert again.exit_code == 0, again.output
    # Said without counting the store: that would cost a pass over it, whatever its size.
    assert "nothing new: 3 articles read, all in the store unchanged\ncross-document graphs: unchanged\n" \
        in again.output
    assert "events: none" not in again.output
    refresh = runner.invoke(cli, ["build", "--store", store, "-q"])
    assert "no paths given\ncross-document graphs: unchanged\n" in refresh.output
    write_articles(docs, {"new-one": "date 2024-06-15\n\nJapan bought Australian coal.\n"})
    more = runner.invoke(cli, ["build", str(docs), "--store", store, "-q"])
    assert "articles loaded: 1\n" in more.output and "nothing new" not in more.output


def test_a_build_with_nothing_new_writes_nothing_and_saved_listings_stay_valid(tmp_path: Path) -> None:
    from geokg import listings

    docs = write_articles(tmp_path / "docs", ARTICLES)
    settings = Settings(store=tmp_path / "store")
    build([docs], settings)
    with Store.open(settings.store) as store:  # the ontology's blank nodes are named anew by each load
        assert store.holds(ONTOLOGY_GRAPH, _built_in_texts()[1])
    stamp = listings._folder_stamp(settings.store)
    assert any(name.endswith(".sst") for name, *_ in stamp)
    build([docs], settings)
    build([], settings)
    assert listings._folder_stamp(settings.store) == stamp  # so keys saved before still serve
    write_articles(docs, {"new-one": "date 2024-06-15\n\nJapan bought Australian coal.\n"})
    build([docs], settings)
    assert listings._folder_stamp(settings.store) != stamp


def test_workers_must_be_positive() -> None:
    with pytest.raises(geokg.errors.ConfigError, match="workers=0"):
        Settings(workers=0)


@pytest.mark.slow
def test_lemmatizer_cache_is_bounded_between_batches_with_the_same_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lemmatizer (geokg's memoised attribute ruler and lemmatizer, which holds spaCy's) memoises
    every word it meets, outside the memory zone: a batch that takes it past LEMMA_CACHE_MAX
    clears it, and the graphs come out the same."""
    import geokg._spacy_memory
    from geokg._spacy_speedups import NAME
    from geokg.nlp import get_pipeline
    from geokg.settings import DEFAULT_MODEL

    batch = [Article(id=f"b{i}", text=text) for i, text in enumerate((
        "Chile offered to sell copper to Japan on Monday.",
        "Russia agreed to supply wheat and barley to Egypt, its trade ministers said."))]
    memo = get_pipeline(DEFAULT_MODEL).get_pipe(NAME)
    memo.forget()
    warm = process_batch(batch, DEFAULT_MODEL)
    assert memo.remembered > 5  # the memo grows with the words met
    monkeypatch.setattr(geokg._spacy_memory, "LEMMA_CACHE_MAX", 5)
    process_batch(batch, DEFAULT_MODEL)
    assert memo.remembered == 0
    cold = process_batch(batch, DEFAULT_MODEL)  # lemmatised afresh from the cleared cache
    assert [o.ntriples for o in cold] == [o.ntriples for o in warm] and all(o.ntriples for o in warm)


@pytest.mark.slow
def test_vocabulary_keeps_new_words_only_up_to_its_bound_with_the_same_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below VOCAB_GROWTH_MAX new strings a batch's words stay in spaCy's vocabulary (and its
    tokenizer cache); past it each batch runs in a memory zone that frees them. The graphs are
    the same either way."""
    import geokg._spacy_memory
    from geokg.nlp import get_pipeline
    from geokg.settings import DEFAULT_MODEL

    strings = get_pipeline(DEFAULT_MODEL).vocab.strings
    word = "Qorvanex"  # in no vocabulary
    assert word not in strings
    batch = [Article(id="v1", text=f"Chile offered to sell copper to Japan on Monday, {word} said.")]
    monkeypatch.setattr(geokg._spacy_memory, "VOCAB_GROWTH_MAX", 0)
    zoned = [o.ntriples for o in process_batch(batch, DEFAULT_MODEL)]
    assert word not in strings  # freed when the batch's zone ended
    monkeypatch.setattr(geokg._spacy_memory, "VOCAB_GROWTH_MAX", 10**9)
    kept = [o.ntriples for o in process_batch(batch, DEFAULT_MODEL)]
    assert word in strings
    assert kept == zoned and word in (kept[0] or "")
