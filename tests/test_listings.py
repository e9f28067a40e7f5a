"""Whole-graph listings read by keys, or computed in Python: the rows and order of the contract text."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import all_pages
from geokg import aggregates, crossdoc, listings
from geokg.errors import ConfigError, QuerySyntaxError
from geokg.queries import (
    bind_params,
    get_query,
    iter_query,
    list_queries,
    load_query,
    rows_from_tsv,
    run_query,
    with_values,
)
from geokg.rdf.iris import graph_iri
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data"
# Ids whose order tests the sort: digits as text, case, a non-ASCII letter, a quote and a backslash.
IDS = ["a10", "a9", "B-1", "b", "é-1", "z", 'q"uote', "back\\slash", "a1"]
ENTITIES = ["country/CL", "country/JP", "country/ID", "commodity/copper", "commodity/nickel", "place/santiago",
            "media/reuters", "org/lme"]
KEYED = sorted(q.name for q in list_queries() if q.keys_for("oxigraph"))



def _queries_sent(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SPARQL texts the store is asked from now on, in order."""
    texts: list[str] = []
    select_tsv = store.select_tsv

    def counting(sparql: str, *, source: str = "<sparql>") -> tuple[list[str], bytes]:
        texts.append(sparql)
        return select_tsv(sparql, source=source)

    monkeypatch.setattr(store, "select_tsv", counting)
    return texts

def article(n: int, identifier: str) -> str:
    """An article graph of our own making: some entities and 0 to 3 offers, one without a date."""
    doc = f"<https://w3id.org/geokg/id/article/x{n}>"
    named = [ENTITIES[(n + k) % len(ENTITIES)] for k in range(2 + n % 5)]
    literal = identifier.replace("\\", "\\\\").replace('"', '\\"')
    lines = [
        "@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        f'{doc} a gk:Article ; dcterms:identifier "{literal}" ; '
        + (f'dcterms:date "2024-0{1 + n % 3}-1{n % 7}"^^xsd:date ; ' if n % 4 else "")
        + "gk:mentions "
        + ", ".join(f"<https://w3id.org/geokg/id/{e}>" for e in named)
        + " ; gk:salientMention "
        + f"<https://w3id.org/geokg/id/{named[0]}> .",
    ]
    for k in range(n % 4):
        event = f"<https://w3id.org/geokg/id/event/x{n}-{k}>"
        lines.append(
            f"{event} a gk:Event, gk:Offer ; prov:wasDerivedFrom {doc} ; "
            f"gk:agent <https://w3id.org/geokg/id/{named[0]}> ; "
            "gk:theme <https://w3id.org/geokg/id/commodity/copper> ; "
            f'gk:date "2024-02-0{1 + k}"^^xsd:date .'
        )
    for k in range(1 + n % 3):  # sanctions, tariffs and restrictions, some without an imposer or a date
        kind = ("Sanction", "Tariff", "ExportRestriction")[k]
        lines.append(
            f"<https://w3id.org/geokg/id/event/x{n}-t{k}> a gk:Event, gk:{kind} ; prov:wasDerivedFrom {doc} "
            + (f"; gk:agent <https://w3id.org/geokg/id/{named[k % len(named)]}> " if (n + k) % 4 else "")
            + (f'; gk:date "2024-04-0{1 + (n + k) % 3}"^^xsd:date .' if (n + 2 * k) % 5 else ".")
        )
    for k in range(n % 3):  # statements, half of them with a date of their own
        lines.append(
            f"<https://w3id.org/geokg/id/event/x{n}-s{k}> a gk:Event, gk:Statement ; prov:wasDerivedFrom {doc} ; "
            f'gk:agent <https://w3id.org/geokg/id/{named[-1]}> ; gk:quote "Words {n}-{k}" '
            + (f'; gk:date "2024-01-0{1 + k}"^^xsd:date .' if k % 2 else ".")
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    """The reference graph, the two hand-written articles and nine made-up ones, read-only on disk."""
    path = tmp_path_factory.mktemp("listings") / "geokg.db"
    with Store.open(path) as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for name in ("2024-03-04-chile-copper-offer", "2024-03-10-japan-copper-imports"):
            opened.replace_graph(graph_iri(name), Graph().parse(DATA / "store" / f"{name}.ttl"))
        for n, identifier in enumerate(IDS):
            opened.replace_graph(graph_iri(f"x{n}"), Graph().parse(data=article(n, identifier), format="turtle"))
        crossdoc.refresh(opened)
        opened.replace_graph(URIRef("https://w3id.org/geokg/graph/test-disputes"), Graph().parse(data=disputes()))
        # A storyline of our own: the offer follows the export restriction (a status change).
        opened.update(
            "PREFIX gk: <https://w3id.org/geokg/ontology#> INSERT { GRAPH <https://w3id.org/geokg/graph/test> {"
            " ?later gk:follows ?earlier } } WHERE { GRAPH ?g { ?later gk:currentStatus 'offered' }"
            " GRAPH ?h { ?earlier gk:currentStatus 'imposed' } }"
        )
    with Store.open(path, read_only=True) as reading:
        yield reading


# Disputed canonical events as the cross-document pass caches them (report: values that differ):
# labels whose order tests the sort (case, a non-ASCII letter), two events of one type and label,
# an event of two labels, values without an outlet or a sentence, and a value of two outlets.
DISPUTE_LABELS = ["Offer of copper", "offer of copper", "Élan offer", "Offer of copper", "Zinc deal", "Ban"]


def disputes() -> str:
    """Turtle of disputed canonical events and the values their reports give."""
    lines = [
        "@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix report: <https://w3id.org/geokg/report#> . @prefix d: <https://w3id.org/geokg/id/test/> .",
    ]
    for n, label in enumerate(DISPUTE_LABELS):
        kind = ("Offer", "Offer", "Offer", "Offer", "Agreement", "ExportRestriction")[n]
        other = ' , "Alt label"' if n == 4 else ""
        lines.append(f'd:c{n} gk:eventType gk:{kind} ; rdfs:label "{label}"{other} .')
        # The commodities the pass caches, a broader one too: copper for some, none for others.
        lines += [f'd:c{n} report:commodity "{c}" .' for c in (("Copper", "Metals"), ("Metals",), ())[n % 3]]
        values = [f"d:c{n}-v{k}" for k in range(2 + n % 3)]
        for k, value in enumerate(values):
            field = ("quantity", "date")[k % 2] if n % 2 else "quantity"
            outlets = [] if (n + k) % 3 == 0 else ['"Reuters"', '"Nikkei"'][: 1 + (n + k) % 2]
            lines.append(
                f'd:c{n} report:reportedValue {value} . {value} report:field "{field}" ; '
                f'report:value "{10 * k + n} t" ; report:article "art-{(n + k) % 4}"'
                + "".join(f" ; report:outlet {o}" for o in outlets)
                + (f' ; report:sentence "Sentence {n}-{k}."' if k % 2 == 0 else "")
                + " ."
            )
        for k in range(len(values) - 1):
            lines.append(f"{values[k]} report:differsFrom {values[k + 1]} .")
        lines.append(f"{values[0]} report:differsFrom {values[-1]} .")
        # A value of the first value's article that sorts the other way by outlet: rows tied up to ?value1.
        lines.append(
            f'd:c{n} report:reportedValue d:c{n}-w . d:c{n}-w report:field "quantity" ; report:value "{n}.5 t" ; '
            f'report:article "art-{n % 4}" ; report:outlet "Agence" . d:c{n}-w report:differsFrom {values[1]} .'
        )
    return "\n".join(lines)


def contract(store: Store, name: str) -> list[tuple]:
    """The rows of the portable text, run as it is written."""
    return rows_from_tsv(store.select_tsv(get_query(name).text)[1])


def test_listings_some_are_read_by_keys() -> None:
    assert {"events", "mentions", "salient-mentions"} <= set(KEYED)


@pytest.mark.parametrize("name", KEYED)
def test_listings_keyed_pages_give_the_rows_of_the_contract_text(
    store: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listings, "FIRST_BATCH", 2)  # several keys per query, several queries per page
    whole = contract(store, name)
    assert len(whole) >= 10
    assert listings.key_order(store, get_query(name).keys_for("oxigraph") or "", name) is not None
    assert run_query(store, name).rows == whole
    assert list(iter_query(store, name)[1]) == whole
    for size in (1, 3, 7):
        pages, cursor = [], None
        while True:
            page = run_query(store, name, limit=size, cursor=cursor)
            assert len(page.rows) <= size
            pages += page.rows
            if not page.more:
                assert page.cursor is None
                break
            cursor = page.cursor
        assert pages == whole, size
        assert run_query(store, name, limit=size, offset=4).rows == whole[4 : 4 + size]
        assert list(iter_query(store, name, limit=size, offset=4)[1]) == whole[4 : 4 + size]
    # A later process reads the keys this one saved, not the store's.
    monkeypatch.setattr(listings, "_CACHE", {})
    monkeypatch.setattr(listings, "_read_keys", None)
    assert all_pages(store, name, 3) == whole


def test_listings_co_mentions_are_counted_as_the_query_counts_them(store: Store) -> None:
    whole = contract(store, "co-mentions")
    assert len(whole) >= 10 and any(row[2] > 1 for row in whole)
    assert aggregates.count_co_mentions(store) == whole
    assert run_query(store, "co-mentions").rows == whole
    page = run_query(store, "co-mentions", limit=5)
    assert page.rows == whole[:5] and page.more
    assert run_query(store, "co-mentions", limit=5, cursor=page.cursor).rows == whole[5:10]


def test_listings_keys_that_cannot_be_sorted_here_leave_it_to_the_query(tmp_path: Path) -> None:
    """A language-tagged id sorts as Oxigraph decides: the plain query is read instead."""
    with Store.open(tmp_path / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for n, identifier in enumerate(["b", "a"]):
            opened.replace_graph(graph_iri(f"x{n}"), Graph().parse(data=article(n + 1, identifier), format="turtle"))
        text = article(3, "c").replace('dcterms:identifier "c"', 'dcterms:identifier "c"@en')
        opened.replace_graph(graph_iri("x3"), Graph().parse(data=text, format="turtle"))
        keys = get_query("mentions").keys_for("oxigraph") or ""
        assert listings.key_order(opened, keys, "mentions") is None
        assert run_query(opened, "mentions").rows == contract(opened, "mentions")
        assert len(run_query(opened, "mentions", limit=2).rows) == 2


def test_listings_a_cursor_of_another_query_or_garbled_is_refused(store: Store) -> None:
    cursor = run_query(store, "events", limit=2).cursor
    assert cursor is not None
    with pytest.raises(ConfigError, match="a cursor of events, not of mentions"):
        run_query(store, "mentions", cursor=cursor)
    with pytest.raises(ConfigError, match="cursor='x!' is not valid"):
        run_query(store, "events", cursor="x!")
    with pytest.raises(ConfigError, match="an offset or a cursor, not both"):
        run_query(store, "events", offset=2, cursor=cursor)
    with pytest.raises(ConfigError, match="not read by keys"):
        run_query(store, "events", {"article": "a1"}, cursor=cursor)


def test_listings_keys_must_lead_the_order_of_their_listing(tmp_path: Path) -> None:
    (tmp_path / "plans" / "oxigraph").mkdir(parents=True)
    query = tmp_path / "q.rq"
    query.write_text("# title: T\n# description: D\n# param: a (literal) - a value\n"
                     "SELECT ?x ?y WHERE { ?x ?y ?_a } ORDER BY ?x ?y\n")
    keys = tmp_path / "plans" / "oxigraph" / "q.keys.rq"
    keys.write_text("SELECT ?y ?_a WHERE { ?y ?p ?_a }\n")
    with pytest.raises(QuerySyntaxError, match=r"ORDER BY of q.rq starts with \(\?x \?y\)"):
        load_query(query)
    keys.write_text("SELECT ?x ?_a WHERE { ?x ?p ?_a }\n")
    assert load_query(query).keys_for("oxigraph") == keys.read_text()


def test_listings_keys_of_a_bound_parameter_read_it_and_are_named_by_it(tmp_path: Path) -> None:
    """plans/ENGINE/NAME.P.keys.rq lists the keys of a value of P: read with P bound, and only then."""
    (tmp_path / "plans" / "oxigraph").mkdir(parents=True)
    query = tmp_path / "q.rq"
    query.write_text("# title: T\n# description: D\n# param: a (literal) - a value\n# param: b (literal) - another\n"
                     "SELECT ?x ?y WHERE { ?x ?y ?_a . ?y ?p ?_b } ORDER BY ?x ?y\n")
    keys = tmp_path / "plans" / "oxigraph" / "q.a.keys.rq"
    keys.write_text("SELECT ?x ?_y WHERE { ?x ?y ?z }\n")
    with pytest.raises(QuerySyntaxError, match=r"q\.a\.keys\.rq:1:1: .* reads those its name gives"):
        load_query(query)
    keys.write_text("SELECT ?x ?_y WHERE { ?x ?y ?_a }\n")
    loaded = load_query(query)
    assert loaded.keys_for("oxigraph", ["a"]) == keys.read_text()
    assert loaded.keys_for("oxigraph") is None and loaded.keys_for("oxigraph", ["a", "b"]) is None
    keys.rename(keys.with_name("q.c.keys.rq"))
    with pytest.raises(QuerySyntaxError, match=r"named q\.P\+Q\.keys\.rq, with parameters of q\.rq \(a, b\)"):
        load_query(query)


def test_listings_a_keys_text_caps_the_keys_per_query(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """entity-articles reads at most 8 labels per query ("# keys per query: 8" in its keys text)."""
    keys_text = get_query("entity-articles").keys_for("oxigraph") or ""
    assert "# keys per query: 8" in keys_text
    sizes: list[int] = []
    select_tsv = store.select_tsv

    def counting(sparql: str, *, source: str = "<sparql>") -> tuple[list[str], bytes]:
        if "VALUES (?_entity)" in sparql:
            sizes.append(sparql.split("VALUES (?_entity) {", 1)[1].split("}", 1)[0].count("("))
        return select_tsv(sparql, source=source)

    monkeypatch.setattr(store, "select_tsv", counting)
    assert run_query(store, "entity-articles").rows == contract(store, "entity-articles")
    assert len(sizes) > 1 and max(sizes) == 8


def test_listings_kept_keys_are_read_again_once_the_store_changed(tmp_path: Path) -> None:
    path = tmp_path / "geokg.db"
    with Store.open(path) as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        opened.replace_graph(graph_iri("x1"), Graph().parse(data=article(1, "m"), format="turtle"))
    with Store.open(path, read_only=True) as reading:
        before = run_query(reading, "mentions").rows
    with Store.open(path, read_only=True) as reading:  # kept: the same keys, the same rows
        keys = get_query("mentions").keys_for("oxigraph") or ""
        assert listings.key_order(reading, keys, "mentions") is listings.key_order(reading, keys, "mentions")
        assert run_query(reading, "mentions").rows == before
    with Store.open(path) as opened:
        opened.replace_graph(graph_iri("x2"), Graph().parse(data=article(2, "a"), format="turtle"))
    with Store.open(path, read_only=True) as reading:
        after = run_query(reading, "mentions").rows
        assert after == contract(reading, "mentions") and after[0][0] == "a" and len(after) > len(before)


def _small_store(path: Path, articles: int) -> None:
    with Store.open(path) as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for n in range(1, articles + 1):
            opened.replace_graph(graph_iri(f"x{n}"), Graph().parse(data=article(n, IDS[n]), format="turtle"))



def test_listings_sorted_keys_are_saved_for_later_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "geokg.db"
    _small_store(path, 4)
    with Store.open(path, read_only=True) as reading:
        before = all_pages(reading, "mentions", 3)
        assert before == contract(reading, "mentions")
    assert sorted(f.name.split(".")[0] for f in (path / listings.SAVED).iterdir()) == ["entity-table", "mentions"]
    # A later process reads the saved keys and table: here reading them would fail, in a process of its own.
    script = (
        "import sys; from geokg import listings; from geokg.queries import run_query; from geokg.store import Store\n"
        "listings._read_keys = listings._entity_table = None\n"
        "with Store.open(sys.argv[1], read_only=True) as s: print(len(run_query(s, 'mentions', limit=3).rows))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(listings.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "3\n", "")
    monkeypatch.setattr(listings, "_CACHE", {})
    monkeypatch.setattr(listings, "_read_keys", None)
    with Store.open(path, read_only=True) as reading:
        assert all_pages(reading, "mentions", 3) == before
    monkeypatch.undo()
    # A build that adds an article makes the saved keys stale: they are read again, and saved.
    with Store.open(path) as opened:
        opened.replace_graph(graph_iri("x9"), Graph().parse(data=article(9, "0-new"), format="turtle"))
    monkeypatch.setattr(listings, "_CACHE", {})
    with Store.open(path, read_only=True) as reading:
        after = all_pages(reading, "mentions", 3)
        assert after == contract(reading, "mentions") and after[0][0] == "0-new" and len(after) > len(before)
    monkeypatch.setattr(listings, "_CACHE", {})
    monkeypatch.setattr(listings, "_read_keys", None)
    with Store.open(path, read_only=True) as reading:
        assert all_pages(reading, "mentions", 3) == after


def test_listings_a_saved_file_that_cannot_be_read_or_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "geokg.db"
    _small_store(path, 3)
    with Store.open(path, read_only=True) as reading:
        whole = contract(reading, "mentions")
        assert run_query(reading, "mentions").rows == whole
    (saved,) = (path / listings.SAVED).glob("mentions.*")
    saved.write_text('{"format": 3, "stamp": [["CURRENT", 1')  # cut short
    monkeypatch.setattr(listings, "_CACHE", {})
    with Store.open(path, read_only=True) as reading:
        assert run_query(reading, "mentions").rows == whole
    head, body = saved.read_bytes().decode().split("\n", 1)  # read again and saved whole
    assert json.loads(head)["format"] == listings._SAVED_FORMAT and body.count("\n") == 2
    shutil.rmtree(path / listings.SAVED)
    (path / listings.SAVED).write_text("not a folder")  # nowhere to save: kept for the process only
    monkeypatch.setattr(listings, "_CACHE", {})
    with Store.open(path, read_only=True) as reading:
        assert run_query(reading, "mentions", limit=2).rows == whole[:2]
        assert all_pages(reading, "mentions", 2) == whole


def test_listings_mentions_join_the_entity_table_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of mentions reads (article, entity) rows; each entity's type, label and codes come
    from one table read with the keys, not from each query of a page."""
    monkeypatch.setattr(listings, "FIRST_BATCH", 2)
    monkeypatch.setattr(listings, "_CACHE", {})
    assert store.path is not None
    shutil.rmtree(store.path / listings.SAVED, ignore_errors=True)  # nothing saved by the tests before
    whole = {name: contract(store, name) for name in ("mentions", "salient-mentions")}
    texts = _queries_sent(store, monkeypatch)
    for name in ("mentions", "salient-mentions"):
        assert all_pages(store, name, 4) == whole[name]
    assert sum(text == listings._ENTITY_TABLE for text in texts) == 1
    assert not any("displayLabel" in text for text in texts if text != listings._ENTITY_TABLE)


def test_listings_a_table_that_cannot_be_sorted_here_leaves_it_to_the_listing(tmp_path: Path) -> None:
    """A language-tagged label sorts as Oxigraph decides: each page runs the listing's own text."""
    with Store.open(tmp_path / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for n in (1, 2, 3):
            opened.replace_graph(graph_iri(f"x{n}"), Graph().parse(data=article(n, IDS[n]), format="turtle"))
        tagged = '<https://w3id.org/geokg/id/country/JP> <https://w3id.org/geokg/ontology#displayLabel> "Nippon"@en .'
        opened.replace_graph(graph_iri("x4"), Graph().parse(data=tagged, format="turtle"))
        assert listings.joined_select(opened, "mentions") is None
        assert all_pages(opened, "mentions", 3) == contract(opened, "mentions")


def test_listings_the_timeline_store_has_a_status_change(store: Store) -> None:
    """So that the keyed pages of the timeline are compared on a row with a status change."""
    assert any(row[4] == "imposed -> offered" for row in contract(store, "timeline"))


def _bound_contract(store: Store, name: str, params: dict[str, str]) -> list[tuple]:
    stored = get_query(name)
    return rows_from_tsv(store.select_tsv(with_values(stored.text, bind_params(stored, params)))[1])


# (query, parameter, values: several with rows and one without, the VALUES block of a key's rows):
# by the whole listing's keys ("# read by keys with: P"), or by the keys of plans/oxigraph/NAME.P.keys.rq.
BOUND_KEYS = [
    ("commodity-timeline", "commodity", ("Copper", "Nickel", "Base metals", "Wheat"), "VALUES (?_commodity ?event)"),
    ("country-activity", "country", ("Chile", "Japan", "Peru"), "VALUES (?_country ?event ?roleProperty)"),
    ("entity-articles", "entity", ("Chile", "Japan", "Copper", "Reuters", "Wheat"), "VALUES (?_entity ?doc ?e)"),
    ("timeline", "entity", ("Chile", "Japan", "Indonesia", "Santiago", "Peru"), "VALUES (?canonical)"),
    ("event-reports", "commodity", ("Copper", "Base metals", "Nickel", "Wheat"), "VALUES (?canonical)"),
    ("commodity-flows", "commodity", ("Copper", "Refined copper", "Wheat"), "VALUES (?_commodity ?event)"),
    ("sanctions-and-restrictions", "agent", ("Indonesia", "Santiago", "Japan", "Peru"), "VALUES (?_agent ?event)"),
    ("statements", "speaker", ("Nickel", "Reuters", "Santiago", "Japan", "Peru"), "VALUES (?_speaker ?event)"),
]
BOUND_KEYED = [(name, param, value, block) for name, param, values, block in BOUND_KEYS for value in values]


@pytest.mark.parametrize(("name", "param", "values", "block"), BOUND_KEYS)
def test_listings_the_bound_keys_cases_have_values_with_rows_and_without(
    store: Store, name: str, param: str, values: tuple[str, ...], block: str
) -> None:
    rows = [len(_bound_contract(store, name, {param: value})) for value in values]
    assert sum(n > 0 for n in rows) >= 2 and max(rows) > 1 and 0 in rows, rows  # pages of 1 row too


@pytest.mark.issue(20)
@pytest.mark.parametrize(("name", "param", "value", "values"), BOUND_KEYED)
def test_listings_a_bound_value_is_read_by_its_keys(
    store: Store, name: str, param: str, value: str, values: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bound value's pages are read by its keys a few at a time, with the rows of the contract
    text, page after page (the cursor of a page gives the next) and at an offset."""
    monkeypatch.setattr(listings, "FIRST_BATCH", 2)
    whole = _bound_contract(store, name, {param: value})
    texts = _queries_sent(store, monkeypatch)
    for size in (1, 3):
        pages, cursor = [], None
        while True:
            page = run_query(store, name, {param: value}, limit=size, cursor=cursor)
            pages += page.rows
            if not page.more:
                break
            cursor = page.cursor
        assert pages == whole, size
    assert run_query(store, name, {param: value}, limit=2, offset=1).rows == whole[1:3]
    assert run_query(store, name, {param: value}).rows == whole  # one query, all rows
    assert any(values in text for text in texts) == bool(whole)


# org/lme is no gk:Media: attributed to it, no outlet. Labels over 16 bytes are stored by their hash.
MEDIA = ["media/reuters", "media/nikkei", "org/lme", "media/andes-wire", "media/pacific-ledger"]
LONG_MEDIA = (
    '<https://w3id.org/geokg/id/media/andes-wire> a gk:Media ; skos:prefLabel "Andes Wire Mining Desk" .\n'
    '<https://w3id.org/geokg/id/media/pacific-ledger> a gk:Media ; skos:prefLabel "The Pacific Ledger Weekly" .'
)


def outlet_article(n: int) -> str:
    """An article whose events have several outlets or none, a date or none, one or two agents."""
    doc = f"<https://w3id.org/geokg/id/article/o{n}>"
    publisher = f"dcterms:publisher <https://w3id.org/geokg/id/{MEDIA[n % 2]}> ; " if n % 6 else ""
    lines = [
        "@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        LONG_MEDIA,
        f'{doc} a gk:Article ; {publisher}dcterms:identifier "o-{n:02d}{"é" if n % 4 == 1 else ""}" .',
    ]
    for k in range(1 + n % 3):
        agents = ["country/CL", "country/JP"][: 1 + (n + k) % 2] if k != 2 else ["org/lme"]
        theme = ("commodity/copper", "commodity/nickel")[(n * k) % 2]
        extra = [f"gk:attributedTo <https://w3id.org/geokg/id/{MEDIA[(n + k) % 3]}>"] if (n + k) % 2 else []
        if n % 5 == k:
            extra.append(f"gk:reportedBy <https://w3id.org/geokg/id/{MEDIA[k % 2]}>")
        if n % 4 == 2:
            more = (MEDIA[3 + k % 2], MEDIA[4 - n % 2])
            extra.append("gk:reportedBy " + ", ".join(f"<https://w3id.org/geokg/id/{m}>" for m in more))
        if (n + k) % 4:
            extra.append(f'gk:date "2024-0{1 + (n + k) % 9}-1{n % 10}"^^xsd:date')
        lines.append(
            f"<https://w3id.org/geokg/id/event/o{n}-{k}> a gk:Event, gk:{('Offer', 'Sanction', 'Offer')[k]} ;"
            f" prov:wasDerivedFrom {doc} ; gk:theme <https://w3id.org/geokg/id/{theme}> ; "
            + " ; ".join([*(f"gk:agent <https://w3id.org/geokg/id/{a}>" for a in agents), *extra])
            + " ."
        )
    return "\n".join(lines)


@pytest.mark.parametrize("reverse", [False, True])
def test_listings_outlets_per_event_are_counted_as_the_query_counts_them(tmp_path: Path, reverse: bool) -> None:
    """Outlets and article ids concatenated in the query's order, unbound where a row lacks one."""
    path = tmp_path / "geokg.db"
    numbers = list(range(14))
    with Store.open(path) as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for n in reversed(numbers) if reverse else numbers:
            opened.replace_graph(graph_iri(f"o{n}"), Graph().parse(data=outlet_article(n), format="turtle"))
        # The same event in a second graph: its rows twice over, the same groups.
        opened.replace_graph(graph_iri("o-copy"), Graph().parse(data=outlet_article(4), format="turtle"))
        crossdoc.refresh(opened)
    with Store.open(path, read_only=True) as reading:
        whole = contract(reading, "outlets-per-event")
        outlets = [row[4] for row in whole]
        assert len(whole) >= 5 and None in outlets and any(", " in (o or "") for o in outlets)
        assert None in [row[5] for row in whole] and any(row[5] for row in whole)
        assert aggregates.count_outlets_per_event(reading) == whole
        page = run_query(reading, "outlets-per-event", limit=3)
        assert page.rows == whole[:3] and page.more
        assert run_query(reading, "outlets-per-event", limit=3, cursor=page.cursor).rows == whole[3:6]
    # A later process reads the rows this one saved.
    with Store.open(path, read_only=True) as reading, pytest.MonkeyPatch.context() as patch:
        patch.setattr(listings, "_CACHE", {})
        patch.setattr(aggregates, "count_outlets_per_event", None)
        assert run_query(reading, "outlets-per-event").rows == whole


def test_listings_disagreements_are_listed_as_the_query_lists_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = contract(store, "disagreements")
    assert len(whole) >= 20 and None in [row[6] for row in whole] and None in [row[7] for row in whole]
    assert aggregates.list_disagreements(store) == whole
    # Where they are not listed here, they are read by keys: the same pages.
    monkeypatch.setattr(listings, "FIRST_BATCH", 2)
    monkeypatch.setitem(aggregates.COMPUTED, "disagreements", lambda _: None)
    texts = _queries_sent(store, monkeypatch)
    assert all_pages(store, "disagreements", 5) == whole
    assert any("VALUES (?canonical ?r1)" in text for text in texts)


def test_listings_disagreements_with_a_tagged_label_are_read_by_keys_or_the_query(tmp_path: Path) -> None:
    """A language tag sorts as Oxigraph decides: not listed here, read by keys (by the query
    where the keys hold it too)."""
    text = disputes()
    path = tmp_path / "geokg.db"
    with Store.open(path) as opened:
        opened.replace_graph(URIRef("https://w3id.org/geokg/graph/test-disputes"), Graph().parse(data=text))
        opened.replace_graph(URIRef("https://w3id.org/geokg/graph/test-tag"), Graph().parse(
            data='<https://w3id.org/geokg/id/test/c1> <http://www.w3.org/2000/01/rdf-schema#label> "Offre"@fr .',
            format="turtle"))
    with Store.open(path, read_only=True) as reading:
        whole = contract(reading, "disagreements")
        assert aggregates.list_disagreements(reading) is None
        assert listings.key_order(reading, get_query("disagreements").keys_for("oxigraph") or "", "d") is None
        assert run_query(reading, "disagreements").rows == whole and any(row[2] == "Offre" for row in whole)
        assert all_pages(reading, "disagreements", 4) == whole


@pytest.mark.parametrize("name", ["co-mentions", "entities", "disagreements", "outlets-per-event"])
def test_listings_computed_or_whole_rows_are_paged_and_saved(
    store: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listings, "_CACHE", {})  # computed here, not by a test before
    whole = contract(store, name)
    assert len(whole) >= (1 if name == "outlets-per-event" else 10)
    assert run_query(store, name).rows == whole
    assert all_pages(store, name, 3) == whole
    assert list(iter_query(store, name, limit=4, offset=2)[1]) == whole[2:6]
    assert store.path is not None
    assert any(f.name.startswith(name + ".") for f in (store.path / listings.SAVED).iterdir())
    # A later process reads the saved rows: here neither the store nor the query answers.
    monkeypatch.setattr(listings, "_CACHE", {})
    for compute in ("count_co_mentions", "count_outlets_per_event", "list_disagreements"):
        monkeypatch.setattr(aggregates, compute, None)
    monkeypatch.setattr(store, "select_tsv", None)
    monkeypatch.setattr(store, "execute", None)
    assert run_query(store, name, limit=5).rows == whole[:5]
    assert all_pages(store, name, 4) == whole


def test_listings_saved_files_older_than_a_write_go_once_a_listing_is_saved_again(tmp_path: Path) -> None:
    path = tmp_path / "geokg.db"
    _small_store(path, 4)
    with Store.open(path, read_only=True) as reading:
        all_pages(reading, "events", 3)
        all_pages(reading, "statements", 3)
    saved = path / listings.SAVED
    assert sorted(f.name.split(".")[0] for f in saved.iterdir()) == ["events", "statements"]
    with Store.open(path):  # opened for writing and closed: no data written, the saved files stay valid
        pass
    listings._CACHE.clear()
    with Store.open(path, read_only=True) as reading:
        all_pages(reading, "events", 3)
    assert sorted(f.name.split(".")[0] for f in saved.iterdir()) == ["events", "statements"]
    with Store.open(path) as opened:
        opened.replace_graph(graph_iri("x9"), Graph().parse(data=article(9, "0-new"), format="turtle"))
    listings._CACHE.clear()
    with Store.open(path, read_only=True) as reading:
        assert all_pages(reading, "events", 3) == contract(reading, "events")
    # The keys of statements were read before the write: no store they fit remains.
    assert sorted(f.name.split(".")[0] for f in saved.iterdir()) == ["events"]


@pytest.mark.parametrize("value", ["Copper", "Metals", "Tin"])
def test_listings_disagreements_of_a_commodity_are_the_listing_s_rows_of_its_events(
    store: Store, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = get_query("disagreements")
    bindings = bind_params(stored, {"commodity": value})
    expected = rows_from_tsv(store.select_tsv(with_values(stored.text, bindings))[1])
    sent = _queries_sent(store, monkeypatch)
    assert run_query(store, "disagreements", {"commodity": value}).rows == expected
    assert run_query(store, "disagreements", {"commodity": value}, limit=2).rows == expected[:2]
    assert not any("report:commodity ?_commodity" in text or "differsFrom" in text for text in sent)  # no query
    assert (len(expected) > 0) == (value != "Tin")
    monkeypatch.setattr(listings, "_CACHE", {})  # as a later process: the rows saved in the store folder
    assert run_query(store, "disagreements", {"commodity": value}).rows == expected
