"""``geokg build --dask``: a real LocalCluster with worker processes gives the store a plain build gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import write_articles
from geokg.api import build
from geokg.rdf.terms import to_rdflib
from geokg.settings import Settings
from geokg.store import Store

pytest.importorskip("distributed", reason="the dask extra is not installed (make install adds it)")

ARTICLES = {
    "chile-copper": "date 2024-06-12\nsource Reuters\n\nChile offered to sell copper to Japan on Monday.\n",
    "iraq-oil": "date 2024-06-13\nsource Reuters\n\nIraq raised its oil exports to India, the oil minister said.\n",
    "wheat-ban": "date 2024-06-14\nsource Reuters\n\nRussia banned wheat exports to Turkey on Friday.\n",
}



def article_graphs(store_path: Path) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    with Store.open(store_path, read_only=True) as store:
        for iri in store.article_graphs():
            graphs[iri] = Graph()
            for quad in store.quads(iri):
                graphs[iri].add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graphs


def derived_quads(store_path: Path) -> set[str]:
    from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH

    with Store.open(store_path, read_only=True) as store:
        return {str(q) for g in (CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH) for q in store.quads(g)}


def assert_same_article_graphs(left: Path, right: Path) -> None:
    a, b = article_graphs(left), article_graphs(right)
    assert sorted(a) == sorted(b)
    for iri in a:
        assert isomorphic(a[iri], b[iri]), iri

@pytest.mark.integration
@pytest.mark.slow
def test_dask_local_cluster_builds_the_same_store_as_a_plain_build(tmp_path: Path, seeds_dir: Path) -> None:
    docs = write_articles(tmp_path / "docs", ARTICLES)
    inputs = [seeds_dir, docs]
    plain = build(inputs, Settings(store=tmp_path / "plain"))
    settings = Settings(store=tmp_path / "dask", workers=2, batch_size=2)
    on_dask = build(inputs, settings, dask="local")
    assert plain.articles == len(ARTICLES) + 1 and not plain.failures
    assert (on_dask.articles, on_dask.triples, on_dask.events, on_dask.failures) == (
        plain.articles, plain.triples, plain.events, plain.failures)
    assert_same_article_graphs(tmp_path / "plain", tmp_path / "dask")

    # Incremental on Dask too: unchanged articles are not sent, a changed one replaces its graph.
    write_articles(docs, {"wheat-ban": ARTICLES["wheat-ban"].replace("Turkey", "Egypt")})
    again = build(inputs, settings, dask="local")
    assert (again.articles, again.skipped) == (1, len(ARTICLES))
    wheat = article_graphs(tmp_path / "dask")["https://w3id.org/geokg/graph/article/wheat-ban"].serialize(format="nt")
    assert "Egypt" in wheat and "Turkey" not in wheat
    # The cross-document graphs were updated for the replaced article: as a whole recompute gives them.
    assert again.crossdoc is not None and again.crossdoc.incremental
    derived = derived_quads(tmp_path / "dask")
    build([], settings, recompute_crossdoc=True)
    assert derived == derived_quads(tmp_path / "dask")


@pytest.mark.slow
def test_dask_unreachable_scheduler_is_a_readable_error(tmp_path: Path) -> None:
    from geokg.errors import ConfigError

    docs = write_articles(tmp_path / "docs", {"chile-copper": ARTICLES["chile-copper"]})
    with pytest.raises(ConfigError, match="Cannot reach the Dask scheduler"):
        build([docs], Settings(store=tmp_path / "store"), dask="tcp://127.0.0.1:9")


@pytest.mark.integration
@pytest.mark.slow
def test_an_interrupted_dask_build_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    from geokg.articles import Article, iter_articles
    from geokg.cluster import build_on_dask

    docs = write_articles(tmp_path / "docs", ARTICLES)
    build([docs], Settings(store=tmp_path / "store"))
    before = article_graphs(tmp_path / "store")
    articles = [item for item in iter_articles([docs]) if isinstance(item, Article)]
    settings = Settings(store=tmp_path / "store", workers=1, batch_size=1)
    with Store.open(tmp_path / "store") as store:
        outcomes = build_on_dask(articles, settings, "local", store)
        assert next(outcomes).article_id == articles[0].id  # one partition back, two still out
        outcomes.close()  # stopped here, as by Ctrl-C: nothing may be lost
    after = article_graphs(tmp_path / "store")
    assert sorted(after) == sorted(before) and len(after) == len(ARTICLES)
    assert all(isomorphic(after[iri], before[iri]) for iri in before)
