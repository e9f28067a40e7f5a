"""Saved listing keys that a build keeps up to date: the keys and pages a fresh read gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import all_pages, write_articles
from geokg import listings
from geokg._kept_keys import KeptKeys
from geokg.api import build, load
from geokg.errors import QuerySyntaxError
from geokg.queries import get_query, list_queries, load_query, rows_from_tsv, run_query
from geokg.rdf.iris import graph_iri
from geokg.settings import Settings
from geokg.store import Store

KEPT = ["articles", "events", "mentions", "offers", "salient-mentions", "statements"]
NOT_KEPT = "entity-articles"  # keyed by entity labels, which derived graphs give: not kept
FIRST = {
    "chile": "date 2024-06-12\nsource Reuters\n\nChile offered to sell copper to Japan on Monday.\n\n"
    '"We will raise copper output next year," Chilean President Gabriel Boric said on Monday.\n',
    "iraq": "date 2024-06-13\nsource Reuters\n\nIraq raised its oil exports to India, the oil minister said.\n\n"
    '"Exports will grow," Iraqi Oil Minister Hayan Abdul-Ghani said.\n',
    "russia": "date 2024-06-11\nsource Reuters\n\nRussia offered wheat to Egypt, the Kremlin said.\n",
    "peru": "date 2024-06-14\n\nPeru sold zinc to Korea. Peru's mining minister said output would rise.\n",
}
SECOND = {
    # replaced: another date, other events, the same id
    "iraq": "date 2024-05-02\nsource Reuters\n\nIndonesia offered nickel to China, the trade minister said.\n\n"
    '"Prices are too low," Indonesian President Joko Widodo said on Tuesday.\n',
    "a-new": "date 2024-06-20\nsource Reuters\n\nJapan bought Australian coal, a trader said.\n",
    "brazil": "date 2023-12-31\n\nBrazil offered soybeans to China. Brazil's president said exports grew.\n",
    "zz-undated": 'Canada offered potash to India, Ottawa said. "Demand is strong," Justin Trudeau said.\n',
}



def _keys(order: listings.KeyOrder | None) -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    assert order is not None
    return [(order.key(i), sorted(order.binds(i))) for i in range(len(order))]



@pytest.mark.slow
def test_listings_kept_keys_of_a_build_are_the_keys_of_a_fresh_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(store=tmp_path / "store")
    docs = write_articles(tmp_path / "docs", FIRST)
    build([docs], settings)
    with Store.open(settings.store, read_only=True) as reading:
        for name in [*KEPT, NOT_KEPT]:
            run_query(reading, name, limit=2)  # saves its keys
    # New articles, one replaced (same id, other text), the others unchanged.
    summary = build([write_articles(docs, SECOND)], settings)
    assert (summary.articles, summary.skipped) == (4, 3)

    read_keys = listings._read_keys
    read_again = _read_again(monkeypatch)
    monkeypatch.setattr(listings, "FIRST_BATCH", 2)  # several queries per page
    with Store.open(settings.store, read_only=True) as reading:
        for name in KEPT:
            whole = rows_from_tsv(reading.select_tsv(get_query(name).text)[1])
            assert whole, name
            assert run_query(reading, name, limit=3).rows == whole[:3], name
            assert all_pages(reading, name, 3) == whole, name
            assert run_query(reading, name).rows == whole, name
            text = get_query(name).keys_for("oxigraph") or ""
            how = dict(listings.order_keys(get_query(name).text_for("oxigraph")))
            assert _keys(listings.key_order(reading, text, name, how.items())) == _keys(
                read_keys(reading, text, name, how)
            ), name
        run_query(reading, NOT_KEPT, limit=2)
    assert read_again == [NOT_KEPT]  # the one not kept was read again
    with Store.open(settings.store, read_only=True) as reading:
        assert len({row[0] for row in run_query(reading, "articles").rows}) == 7


def _read_again(monkeypatch: pytest.MonkeyPatch, *, refuse: bool = True) -> list[str]:
    """The listings whose keys are read from the store from now on (with ``refuse``, none kept by builds may be)."""
    read_again: list[str] = []
    read_keys = getattr(listings._read_keys, "read_keys", listings._read_keys)

    def refusing(store: Store, keys_text: str, source: str, how: dict[str, str]) -> listings.KeyOrder | None:
        assert not refuse or listings.kept_by_builds(keys_text) is None, f"{source}: its keys were read again"
        read_again.append(Path(source).stem)
        return read_keys(store, keys_text, source, how)

    refusing.read_keys = read_keys  # type: ignore[attr-defined]
    monkeypatch.setattr(listings, "_CACHE", {})
    monkeypatch.setattr(listings, "_read_keys", refusing)
    return read_again


def _as_fresh(path: Path, names: list[str]) -> None:
    """Each listing's keys are those a fresh read gives, its pages and rows the contract text's."""
    with Store.open(path, read_only=True) as reading:
        for name in names:
            whole = rows_from_tsv(reading.select_tsv(get_query(name).text)[1])
            assert all_pages(reading, name, 2) == whole and run_query(reading, name).rows == whole, name
            text = get_query(name).keys_for("oxigraph") or ""
            how = dict(listings.order_keys(get_query(name).text_for("oxigraph")))
            fresh = getattr(listings._read_keys, "read_keys", listings._read_keys)(reading, text, name, how)
            assert _keys(listings.key_order(reading, text, name, how.items())) == _keys(fresh), name


def _saved(path: Path, names: list[str]) -> None:
    with Store.open(path, read_only=True) as reading:
        for name in names:
            run_query(reading, name, limit=2)


@pytest.mark.slow
def test_listings_a_removed_article_loses_its_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store"
    build([write_articles(tmp_path / "docs", FIRST)], Settings(store=path))
    _saved(path, KEPT)
    kept = KeptKeys(path)
    with Store.open(path) as store:  # as a build removes the graph of an article it quarantines
        store.remove_graph(graph_iri("chile"))
        kept.update(store, {str(graph_iri("chile"))})
    assert len(kept.save()) == len(KEPT)
    _read_again(monkeypatch)
    _as_fresh(path, KEPT)
    with Store.open(path, read_only=True) as reading:
        assert "chile" not in {row[0] for row in run_query(reading, "articles").rows}


@pytest.mark.slow
def test_listings_a_load_of_article_graphs_keeps_keys_and_of_others_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(store=tmp_path / "store")
    build([write_articles(tmp_path / "docs", FIRST)], settings)
    _saved(settings.store, KEPT)
    turtle = tmp_path / "l1.ttl"
    turtle.write_text(
        "@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/geokg/id/article/l1> a gk:Article ; dcterms:identifier "l1" ;\n'
        '  dcterms:date "2024-01-05"^^xsd:date ; gk:mentions <https://w3id.org/geokg/id/country/CL> .\n'
        "<https://w3id.org/geokg/id/event/l1-1> a gk:Event, gk:Offer ;\n"
        "  prov:wasDerivedFrom <https://w3id.org/geokg/id/article/l1> ;\n"
        '  gk:agent <https://w3id.org/geokg/id/country/CL> ; gk:date "2024-01-04"^^xsd:date .\n',
        encoding="utf-8",
    )
    load([turtle], settings, graph=str(graph_iri("l1")), keep_invalid=True)
    _read_again(monkeypatch)
    _as_fresh(settings.store, KEPT)
    with Store.open(settings.store, read_only=True) as reading:
        assert "l1" in {row[0] for row in run_query(reading, "offers").rows}
    # Quads of a graph that is no article's: any keys may change, none is kept.
    load([turtle], settings, graph="https://example.org/elsewhere", keep_invalid=True)
    read_again = _read_again(monkeypatch, refuse=False)
    _as_fresh(settings.store, KEPT)
    assert sorted(read_again) == sorted(KEPT)


@pytest.mark.slow
def test_listings_a_saved_file_that_cannot_be_read_is_left_stale(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store")
    docs = write_articles(tmp_path / "docs", FIRST)
    build([docs], settings)
    with Store.open(settings.store, read_only=True) as reading:
        run_query(reading, "articles", limit=2)
        run_query(reading, "events", limit=2)
    (garbled,) = (settings.store / listings.SAVED).glob("articles.keys.*.json")
    garbled.write_text("not a saved file", encoding="utf-8")
    build([write_articles(docs, {"a-new": SECOND["a-new"]})], settings)
    assert not garbled.exists() or garbled.read_text(encoding="utf-8") == "not a saved file"
    assert len(list((settings.store / listings.SAVED).glob("events.keys.*.json"))) == 1  # kept
    with Store.open(settings.store, read_only=True) as reading:
        whole = rows_from_tsv(reading.select_tsv(get_query("articles").text)[1])
        assert run_query(reading, "articles").rows == whole and whole[-1][0] == "a-new"


def test_listings_kept_by_builds_is_checked_when_the_query_loads(tmp_path: Path) -> None:
    (tmp_path / "plans" / "oxigraph").mkdir(parents=True)
    query = tmp_path / "l.rq"
    query.write_text("# title: L\n# description: D\nSELECT ?a ?article ?b WHERE { ?a ?article ?b } ORDER BY ?a\n")
    keys = tmp_path / "plans" / "oxigraph" / "l.keys.rq"
    keys.write_text("# keys kept by builds: article\nSELECT ?a ?_b WHERE { ?a ?p ?_b }\n")
    with pytest.raises(QuerySyntaxError, match=r"projects \?_article"):
        load_query(query)
    keys.write_text("# keys kept by builds: store\nSELECT ?a ?_article WHERE { ?a ?_article ?b }\n")
    with pytest.raises(QuerySyntaxError, match="says '# keys kept by builds: article'"):
        load_query(query)
    keys.write_text("# keys kept by builds: article\nSELECT ?a ?_article WHERE { ?a ?_article ?b }\n")
    assert listings.kept_by_builds(load_query(query).keys_for("oxigraph") or "") == "article"


def test_listings_the_kept_listings_are_those_of_one_article_graph() -> None:
    kept = {q.name for q in list_queries() if listings.kept_by_builds(q.keys_for("oxigraph") or "")}
    assert kept == set(KEPT)
