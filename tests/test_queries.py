"""Stored queries: headers, the DESIGN contract, expected rows, parameters, injection."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rdflib import Graph

from geokg import crossdoc
from geokg.errors import QueryNotFoundError, QueryParameterError, QuerySyntaxError
from geokg.queries import (ENTITY_KINDS, PARAM_KINDS, QueryResult, bind_params, get_query, list_queries, load_query,
                           run_query, run_sparql, to_python, with_values)
from geokg.rdf.iris import graph_iri
from geokg.resources import query_files
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data"
CONTRACT = {k: v for k, v in json.loads((DATA / "query_contract.json").read_text()).items()
            if not k.startswith("_")}
A = "2024-03-04-chile-copper-offer"
B = "2024-03-10-japan-copper-imports"
EVENT = "https://w3id.org/geokg/id/event/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    """The reference graph and the two hand-written articles of tests/data/store/, on disk."""
    with Store.open(tmp_path_factory.mktemp("queries") / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for article in (A, B):
            opened.replace_graph(graph_iri(article), Graph().parse(DATA / "store" / f"{article}.ttl"))
        crossdoc.refresh(opened)  # as a build does: the queries read its display labels
        yield opened


def rows(store: Store, name: str, **params: str) -> list[tuple]:
    return run_query(store, name, params).rows


# -- files and headers -----------------------------------------------------
def test_queries_every_file_has_a_complete_header_and_parses() -> None:
    queries = list_queries()
    assert [q.name for q in queries] == [p.stem for p in query_files()]
    for q in queries:
        assert q.title and q.description, q.path
        assert q.text.startswith("# title: "), q.path
        for param in q.params:
            assert param.kind in PARAM_KINDS and "e.g." in param.doc, (q.name, param)
            assert f"?{param.variable}" in q.text, (q.name, param)


def test_queries_are_portable_sparql_without_engine_commentary() -> None:
    """Comments are the header only; every PREFIX declared is used; no engine-specific guard."""
    for q in list_queries():
        lines = q.text.splitlines()
        header = [line for line in lines if line.startswith("#")]
        assert lines[: len(header)] == header, f"{q.path}: a comment after the header"
        assert "#" not in re.sub(r'"[^"\n]*"|<[^>\s]*>', "", "\n".join(lines[len(header):])), q.path
        assert not re.search(r"oxigraph|planner|hash|join|\bms\b|faster|slower", "\n".join(header), re.I), q.path
        declared = re.findall(r"^PREFIX (\w*):", q.text, re.MULTILINE)
        body = q.text.split("SELECT", 1)[1]
        assert all(f"{prefix}:" in body for prefix in declared), (q.path, declared)
        assert "urn:geokg:unbound" not in q.text and "LIMIT" not in q.text, q.path


def test_queries_header_is_under_a_tenth_of_the_texts() -> None:
    """The texts are queries to read and copy: the header lines (``#``) stay under 11 % of all
    characters (10 % until disagreements, reading a cache, shrank by half with its header as it
    was). When a new query tips it over, shorten its description, not the query."""
    texts = [q.text for q in list_queries()]
    header = sum(len(line) + 1 for text in texts for line in text.splitlines() if line.startswith("#"))
    share = header / sum(len(text) for text in texts)
    assert share < 0.11, f"headers are {share:.1%} of queries/*.rq"


def test_queries_at_least_six_analyst_questions() -> None:
    analyst = [q.name for q in list_queries() if q.name not in CONTRACT]
    assert len(analyst) >= 6, analyst


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_queries_contract_columns(name: str) -> None:
    """DESIGN.md: contract queries project these columns first, in this order."""
    columns = get_query(name).columns
    assert columns[: len(CONTRACT[name])] == tuple(CONTRACT[name])


def test_queries_unknown_name_lists_the_available_ones() -> None:
    with pytest.raises(QueryNotFoundError) as info:
        get_query("offer")
    assert "offers" in info.value.available and "reserves-rank" in info.value.available
    assert "Available: " in str(info.value) and "mentions" in str(info.value)


def test_queries_bad_file_reports_path_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: Bad\n# description: does not parse\nSELECT ?x WHERE {\n  ?x ?y }\n")
    with pytest.raises(QuerySyntaxError) as info:
        load_query(bad)
    assert info.value.filename == str(bad)
    assert info.value.lineno is not None and info.value.lineno >= 4  # the body, not the header
    headless = tmp_path / "headless.rq"
    headless.write_text("SELECT ?x WHERE { ?x ?y ?z }\n")
    with pytest.raises(QuerySyntaxError, match="title"):
        load_query(headless)
    unread = tmp_path / "unread.rq"  # the parameter y is bound to ?_y, which the query never reads
    unread.write_text("# title: T\n# description: D\n# param: y (literal) - e.g. \"y\"\n"
                      "SELECT ?x ?y WHERE { ?x ?y ?z }\n")
    with pytest.raises(QuerySyntaxError, match=r"parameter 'y' is never read: the query must use \?_y"):
        load_query(unread)


# -- contract queries on the fixture --------------------------------------
def test_queries_mentions(store: Store) -> None:
    result = run_query(store, "mentions", {"article": A})
    by_label = {r[3]: r for r in result.rows}
    assert set(by_label) == {"Chile", "Japan", "Copper", "Reuters", "United States Geological Survey",
                             "Ana Rojas", "Santiago"}
    assert by_label["Chile"] == (A, "https://w3id.org/geokg/id/country/CL", "Country", "Chile", "CL", "Q298")
    assert by_label["Santiago"][2:] == ("Place", "Santiago", "CL", None)  # ISO of its gk:country
    assert by_label["Copper"][2:] == ("Commodity", "Copper", None, "Q753")
    assert by_label["Reuters"][2:] == ("Media", "Reuters", None, "Q130879")
    assert by_label["Ana Rojas"][2] == "Person"
    lme = [r for r in rows(store, "mentions", article=B) if r[3] == "London Metal Exchange"]
    assert lme == [(B, "https://w3id.org/geokg/id/org/lme", "Organization", "London Metal Exchange", None, None)]
    assert len(rows(store, "mentions")) == 7 + 8  # no duplicates from labels repeated across graphs


def test_queries_salient_mentions_are_a_subset_with_the_same_columns(store: Store) -> None:
    salient = run_query(store, "salient-mentions", {})
    assert salient.columns == run_query(store, "mentions", {}).columns
    assert {r[3]: r[4] for r in salient.rows} == {"Chile": "CL", "Copper": None, "Santiago": "CL"}
    assert set(salient.rows) <= set(rows(store, "mentions"))
    assert rows(store, "salient-mentions", article=B) == []


def test_queries_events(store: Store) -> None:
    result = run_query(store, "events")
    assert len(result.rows) == 6
    offer = result.as_dicts()[0]
    assert offer == {
        "article": A, "event": f"{EVENT}{A}-1", "type": "Offer", "agent": "Chile", "theme": "Copper",
        "recipient": "Japan", "value": Decimal("300000"), "unit": "tonne", "date": dt.date(2024, 3, 3),
        "status": "offered", "attributedTo": "Reuters",
        "sentence": "Chile offered 300,000 tonnes of copper to Japan on 3 March 2024, Reuters reports.",
        "confidence": Decimal("0.8"), "direction": None, "change": None, "changeUnit": None}
    types = [(r["article"], r["type"]) for r in result.as_dicts()]
    assert types == [(A, "Offer"), (A, "ReservesRank"), (A, "Statement"),
                     (B, "PurchaseOrImport"), (B, "Offer"), (B, "ExportRestriction")]
    statement = result.as_dicts()[2]
    assert statement["attributedTo"] == "Reuters"  # from gk:reportedBy


def test_queries_offers(store: Store) -> None:
    assert rows(store, "offers") == [
        (A, "Chile", "Copper", "Japan", dt.date(2024, 3, 3), f"{EVENT}{A}-1"),
        (B, "Chile", "Copper", "Japan", dt.date(2024, 3, 3), f"{EVENT}{B}-2"),
    ]


def test_queries_reserves_rank(store: Store) -> None:
    assert rows(store, "reserves-rank") == [
        ("Chile", "Copper", 1, "United States Geological Survey", A, "reserves", f"{EVENT}{A}-2")]


def test_queries_statements(store: Store) -> None:
    assert rows(store, "statements") == [
        ("Ana Rojas", "Chile will remain a reliable supplier of copper to Asia", "Reuters", A,
         dt.date(2024, 3, 4), f"{EVENT}{A}-3",
         '"Chile will remain a reliable supplier of copper to Asia," mining minister Ana Rojas told '
         "Reuters in Santiago.")]


# -- analyst questions -----------------------------------------------------
def test_queries_commodity_flows(store: Store) -> None:
    flows = {(r[0], r[1], r[2], r[3]) for r in rows(store, "commodity-flows")}
    assert flows == {("Chile", "Japan", "Copper", "Offer"),
                     ("Chile", "Japan", "Refined copper", "PurchaseOrImport"),  # counterparty → agent
                     ("Indonesia", None, "Nickel ore", "ExportRestriction")}


def test_queries_country_activity_is_ordered_by_date(store: Store) -> None:
    result = run_query(store, "country-activity", {"country": "Japan"}).as_dicts()
    assert [(r["date"], r["role"], r["type"]) for r in result] == [
        (dt.date(2024, 3, 3), "recipient", "Offer"), (dt.date(2024, 3, 3), "recipient", "Offer"),
        (dt.date(2024, 3, 8), "agent", "PurchaseOrImport")]
    chile = run_query(store, "country-activity", {"country": "Chile"}).as_dicts()
    assert chile[-1]["type"] == "ReservesRank" and chile[-1]["date"] is None  # undated last


def test_queries_commodity_timeline_includes_narrower(store: Store) -> None:
    copper = run_query(store, "commodity-timeline", {"commodity": "Copper"}).as_dicts()
    assert {r["theme"] for r in copper} == {"Copper", "Refined copper"}
    assert [r["date"] for r in copper] == [dt.date(2024, 3, 3), dt.date(2024, 3, 3), dt.date(2024, 3, 8), None]
    base = run_query(store, "commodity-timeline", {"commodity": "Base metals"}).as_dicts()
    assert {r["theme"] for r in base} == {"Copper", "Refined copper", "Nickel ore"}
    since = run_query(store, "commodity-timeline", {"commodity": "Copper", "since": "2024-03-05"}).as_dicts()
    assert [(r["type"], r["since"]) for r in since] == [("PurchaseOrImport", dt.date(2024, 3, 5))]


def test_queries_outlets_per_event(store: Store) -> None:
    result = run_query(store, "outlets-per-event").as_dicts()
    assert len(result) == 1
    row = result[0]
    assert (row["type"], row["agent"], row["commodity"], row["articles"]) == ("Offer", "Chile", "Copper", 2)
    assert set(row["outlets"].split(", ")) == {"Reuters", "Nikkei"}
    assert row["firstDate"] == dt.date(2024, 3, 3)


def test_queries_co_mentions(store: Store) -> None:
    top = rows(store, "co-mentions")[:3]
    assert [(r[0], r[1], r[2]) for r in top] == [("Chile", "Copper", 2), ("Chile", "Japan", 2),
                                                 ("Copper", "Japan", 2)]


def test_queries_rankings_sanctions_entity_articles(store: Store) -> None:
    assert [r[:4] for r in rows(store, "rankings", commodity="Copper")] == [("Copper", "reserves", 1, "Chile")]
    assert rows(store, "sanctions-and-restrictions", agent="Indonesia")[0][1:6] == (
        "ExportRestriction", "Indonesia", "export ban", None, "Nickel ore")
    chile = run_query(store, "entity-articles", {"entity": "Chile"}).as_dicts()
    assert [(r["article"], r["publisher"], r["events"]) for r in chile] == [(A, "Reuters", 2), (B, "Nikkei", 2)]
    assert [r[0] for r in rows(store, "articles")] == [A, B]


# -- pages -----------------------------------------------------------------
@pytest.mark.parametrize("name", ["mentions", "events", "co-mentions", "entity-articles"])
def test_queries_pages_put_together_are_the_whole_listing(store: Store, name: str) -> None:
    whole = run_query(store, name).rows
    assert len(whole) >= 5
    pages, offset = [], 0
    while True:
        page = run_query(store, name, limit=4, offset=offset)
        assert page.offset == offset and len(page.rows) <= 4
        pages += page.rows
        if not page.more:
            break
        offset += 4
    assert pages == whole
    assert run_query(store, name, limit=len(whole)).more is False
    assert run_query(store, name, limit=len(whole) - 1).more is True
    assert run_query(store, name, offset=len(whole)).rows == []


def test_queries_iter_query_reads_the_rows_lazily(store: Store) -> None:
    from geokg.queries import iter_query

    columns, rows = iter_query(store, "events", {"article": A})
    assert columns == get_query("events").columns
    assert next(rows) == run_query(store, "events", {"article": A}).rows[0]  # one row read, the rest not yet
    assert [next(rows), *rows] == run_query(store, "events", {"article": A}).rows[1:]
    assert list(iter_query(store, "mentions", limit=3, offset=2)[1]) == run_query(store, "mentions").rows[2:5]


def test_queries_api_query_rows_yields_dicts_as_resolved_and_paged(store: Store) -> None:
    from geokg import api

    rows = api.query_rows("offers", {"commodity": "copper"}, store=store)  # resolved as geokg.query does
    assert next(rows) == run_query(store, "offers", {"commodity": "Copper"}).as_dicts()[0]
    assert list(api.query_rows("mentions", store=store, offset=3, limit=2)) == \
        run_query(store, "mentions", limit=2, offset=3).as_dicts()


def test_queries_a_negative_page_is_refused(store: Store) -> None:
    from geokg.errors import ConfigError

    with pytest.raises(ConfigError, match="limit=-1 is not valid"):
        run_query(store, "offers", limit=-1)


# -- engine-specific forms --------------------------------------------------
BOUND_PLANNED = {(q.name, engine, names) for q in list_queries() for engine, names, _ in q.bound_plans}
# Queries with a form for an engine: for every case, or only for some bound parameters.
PLANNED = sorted({(q.name, engine) for q in list_queries() for engine, _ in q.plans}
                 | {(name, engine) for name, engine, _ in BOUND_PLANNED})


def test_queries_plans_exist_only_for_oxigraph() -> None:
    assert {engine for _, engine in PLANNED} == {"oxigraph"}
    assert {q.name for q in list_queries() if q.plans} == {
        "co-mentions", "commodity-flows", "entities", "event-reports", "sanctions-and-restrictions", "timeline"
    }


def test_queries_bound_plans_are_picked_for_exactly_their_parameters() -> None:
    """Issue 20: a form for bound parameters runs only when exactly those are bound."""
    assert {("event-reports", "oxigraph", ("commodity",)), ("timeline", "oxigraph", ("entity",)),
            ("disagreements", "oxigraph", ("commodity",))} <= BOUND_PLANNED
    timeline = get_query("timeline")
    by_entity = timeline.text_for("oxigraph", {"entity"})
    by_both = timeline.text_for("oxigraph", ["entity", "commodity"])
    assert len({by_entity, by_both, timeline.text_for("oxigraph"), timeline.text}) == 4
    assert timeline.text_for("oxigraph", ()) == timeline.text_for("oxigraph")
    assert timeline.text_for("rdflib", {"entity"}) == timeline.text


def test_queries_bound_plan_names_must_be_parameters(tmp_path: Path) -> None:
    from geokg.errors import QuerySyntaxError
    from geokg.queries import load_query

    (tmp_path / "plans" / "oxigraph").mkdir(parents=True)
    query = tmp_path / "q.rq"
    query.write_text("# title: T\n# description: D\n# param: x (literal) - a value\nSELECT ?a WHERE { ?a ?p ?_x }\n")
    (tmp_path / "plans" / "oxigraph" / "q.y.rq").write_text("SELECT ?a WHERE { ?a ?p ?_x }\n")
    with pytest.raises(QuerySyntaxError, match="P\\+Q"):
        load_query(query)


# A third article (our own made-up text) that reports the first article's offer with another
# quantity and status, so that the canonical-event queries have a disagreement to show.
DISAGREEING = """
@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/geokg/id/article/c> a gk:Article ; dcterms:identifier "c" ;
    dcterms:date "2024-03-05"^^xsd:date ; gk:mentions <https://w3id.org/geokg/id/country/CL> ;
    gk:salientMention <https://w3id.org/geokg/id/country/CL> .
<https://w3id.org/geokg/id/event/c-1> a gk:Event, gk:Offer ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/article/c> ;
    gk:agent <https://w3id.org/geokg/id/country/CL> ; gk:theme <https://w3id.org/geokg/id/commodity/copper> ;
    gk:recipient <https://w3id.org/geokg/id/country/JP> ; gk:date "2024-03-03"^^xsd:date ;
    gk:status "withdrawn" ; gk:quantity <https://w3id.org/geokg/id/quantity/c-1> .
<https://w3id.org/geokg/id/quantity/c-1> qudt:numericValue 250000.0 ; qudt:unit <http://qudt.org/vocab/unit/TONNE> .
"""

# A fourth (made up) with a tariff and an undated sanction, so that sanctions-and-restrictions has rows to show.
SANCTIONING = """
@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/geokg/id/article/d> a gk:Article ; dcterms:identifier "d" ; dcterms:date "2024-03-06"^^xsd:date .
<https://w3id.org/geokg/id/event/d-1> a gk:Event, gk:Tariff ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/article/d> ;
    gk:agent <https://w3id.org/geokg/id/country/CL> ; gk:recipient <https://w3id.org/geokg/id/country/JP> ;
    gk:date "2024-03-06"^^xsd:date .
<https://w3id.org/geokg/id/event/d-2> a gk:Event, gk:Sanction ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/article/d> ;
    gk:agent <https://w3id.org/geokg/id/country/JP> .
"""


@pytest.fixture(scope="module")
def disagreeing_store(tmp_path_factory: pytest.TempPathFactory):
    """The store of the other tests plus a third article that disagrees with the first one, and a fourth."""
    with Store.open(tmp_path_factory.mktemp("plans") / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for article in (A, B):
            opened.replace_graph(graph_iri(article), Graph().parse(DATA / "store" / f"{article}.ttl"))
        opened.replace_graph(graph_iri("c"), Graph().parse(data=DISAGREEING, format="turtle"))
        opened.replace_graph(graph_iri("d"), Graph().parse(data=SANCTIONING, format="turtle"))
        crossdoc.refresh(opened)
        yield opened


@pytest.mark.parametrize(("name", "engine"), PLANNED)
def test_queries_plan_gives_the_rows_of_the_contract_text(disagreeing_store: Store, name: str, engine: str) -> None:
    """An engine-specific form returns the rows of the contract text, in order, for every parameter
    case: unbound, values found in the rows, a broader commodity, a miss, and all bound at once."""
    store = disagreeing_store
    stored = get_query(name)
    forms = [stored.text_for(engine), *(text for e, _, text in stored.bound_plans if e == engine)]
    assert any(form != stored.text for form in forms)
    everything = run_query(store, stored).as_dicts()
    cases: list[dict[str, str]] = [{}]
    extras = {"Commodity": ["Base metals", "Copper", "Refined copper", "No such thing"],
              "date": ["2024-03-04", "2030-01-01"], "literal": [A, B, "c", "d", "No such thing"]}
    for param in stored.params:
        seen = sorted({str(row[param.name]) for row in everything if row.get(param.name)})
        extra = extras.get(param.kind, ["Chile", "Japan", "No such thing"])
        cases += [{param.name: value} for value in [*seen, *extra]]
    if stored.params:
        cases.append({p.name: "Copper" if p.kind == "Commodity" else extras.get(p.kind, ["Chile"])[0]
                      for p in stored.params})
    hits = 0
    for params in cases:
        bindings = bind_params(stored, params)
        contract = store.select_tsv(with_values(stored.text, bindings))
        # The form for exactly these bound parameters where one exists (plans/ENGINE/NAME.P+Q.rq).
        planned = store.select_tsv(with_values(stored.text_for(engine, bindings), bindings))
        assert planned == contract, params
        hits += contract[1].count(b"\n") > 1
    assert hits >= min(3, len(cases)), hits  # not only empty results


# -- parameters ------------------------------------------------------------
def test_queries_params_filter_rows(store: Store) -> None:
    assert len(rows(store, "offers", commodity="Copper")) == 2
    assert rows(store, "offers", commodity="Wheat") == []
    assert rows(store, "offers", commodity="Nickel ore") == []  # not an offer theme, though a label
    assert [r[0] for r in rows(store, "offers", article=B)] == [B]
    assert rows(store, "statements", speaker="Nobody") == []
    assert rows(store, "offers", commodity="") == rows(store, "offers")  # empty = unbound = all


def test_queries_unknown_param_lists_the_params() -> None:
    with pytest.raises(QueryParameterError, match="Parameters of offers: commodity, article"):
        bind_params(get_query("offers"), {"comodity": "Wheat"})
    with pytest.raises(QueryParameterError, match="none"):
        bind_params(get_query("co-mentions"), {"x": "1"})


@pytest.mark.parametrize("value", ["3 March 2024", "2024-3-3", "2024-02-30", "20240303", "yesterday"])
def test_queries_date_param_rejects_non_dates(value: str) -> None:
    with pytest.raises(QueryParameterError, match="YYYY-MM-DD") as info:
        bind_params(get_query("commodity-timeline"), {"since": value})
    assert info.value.name == "since"


def test_queries_date_param_accepts_a_date_object() -> None:
    term = bind_params(get_query("commodity-timeline"), {"since": dt.date(2024, 1, 2)})["since"]
    assert term == ox.Literal("2024-01-02", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))


# Parameters naming an entity are bound as literals too (run_query binds values as given).
LITERAL_PARAMS = sorted((q.name, p.name) for q in list_queries() for p in q.params
                        if p.kind == "literal" or p.kind in ENTITY_KINDS)


@pytest.mark.parametrize(("name", "param"), LITERAL_PARAMS)
@given(value=st.text(max_size=40))
@example(value='"} ; DROP ALL ; #')
@example(value="Copper\") } UNION { ?s ?p ?o } #")
@example(value="?commodity")
@example(value="<https://w3id.org/geokg/id/country/CL>")
@example(value="Copper")
@example(value="Chile")
def test_queries_literal_params_cannot_inject(store: Store, name: str, param: str, value: str) -> None:
    """Arbitrary strings bound as literals never raise, never add rows, never write."""
    size = len(store)
    everything = set(rows(store, name))
    bound = set(rows(store, name, **{param: value}))
    # timeline and event-reports echo their parameters as columns, unbound in the "all" rows.
    echo = get_query(name).columns.index(param)
    assert all(row in everything or row[:echo] + (None,) + row[echo + 1:] in everything for row in bound)
    assert len(store) == size


@given(st.text())
@example('" } ; DROP ALL ; SELECT * { "')
@example("\\\" . ?s ?p ?o #")
@example("'''\n\"\"\"")
@example("a\\u0041")
def test_queries_values_block_never_changes_the_query_structure(value: str) -> None:
    """Whatever the value, the text with its VALUES block parses as the same query and binds
    exactly that value: the text the local store runs and an endpoint receives."""
    offers = get_query("offers")
    bindings = bind_params(offers, {"commodity": value})
    text = with_values(offers.text, bindings)
    result = ox.Store().query(text, use_default_graph_as_union=True)  # parses: the value stayed inside its string
    assert [v.value for v in result.variables] == list(offers.columns)
    if bindings:  # an empty value leaves the parameter unbound
        bound = ox.Store().query(with_values("SELECT ?_commodity WHERE { }", bindings))
        assert [s["_commodity"] for s in bound] == [ox.Literal(value)]


# -- ad-hoc SPARQL ---------------------------------------------------------
def test_queries_run_sparql_select_ask_construct(store: Store) -> None:
    select = run_sparql(store, "SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/geokg/ontology#Offer> }")
    assert isinstance(select, QueryResult) and select.rows == [(2,)]
    assert run_sparql(store, "ASK { ?e a <https://w3id.org/geokg/ontology#Offer> }") is True
    assert run_sparql(store, "ASK { ?e a <https://w3id.org/geokg/ontology#Tariff> }") is False
    construct = run_sparql(store, "CONSTRUCT { ?e a ?t } WHERE { ?e a ?t "
                                  "FILTER(?t = <https://w3id.org/geokg/ontology#Statement>) }")
    assert isinstance(construct, QueryResult)
    assert construct.columns == ("subject", "predicate", "object")
    assert construct.rows == [(f"{EVENT}{A}-3", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                               "https://w3id.org/geokg/ontology#Statement")]


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "PREFIX gk: <https://w3id.org/geokg/ontology#>\nDELETE WHERE { ?s ?p ?o }",
    "# comment\nINSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "CLEAR GRAPH <https://w3id.org/geokg/graph/reference>",
])
def test_queries_run_sparql_is_read_only(store: Store, update: str) -> None:
    size = len(store)
    with pytest.raises(QuerySyntaxError, match="read-only"):
        run_sparql(store, update)
    assert len(store) == size


def test_queries_run_sparql_syntax_error_has_location(store: Store) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        run_sparql(store, "SELECT * WHERE {\n ?s ?p ?o .\n FILTER( }", source="q.sparql")
    assert (info.value.filename, info.value.lineno) == ("q.sparql", 3)


def test_queries_to_python() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert to_python(ox.Literal("1", datatype=ox.NamedNode(xsd + "positiveInteger"))) == 1
    assert to_python(ox.Literal("1.5", datatype=ox.NamedNode(xsd + "double"))) == 1.5
    assert to_python(ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))) is True
    assert to_python(ox.Literal("2024-03", datatype=ox.NamedNode(xsd + "gYearMonth"))) == "2024-03"
    assert to_python(ox.Literal("x", language="en")) == "x"
    assert to_python(ox.BlankNode("b1")) == "_:b1"
    assert to_python(None) is None


def test_queries_entity_described_in_many_graphs(store: Store) -> None:
    """A minted entity is typed and labelled in every article that names it; the union
    default graph keeps each copy. Results must not change (nor blow up)."""
    before = {q.name: rows(store, q.name) for q in list_queries()}
    copy = Graph().parse(data="""
        @prefix gk: <https://w3id.org/geokg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/geokg/id/person/ana-rojas> a gk:Person ; skos:prefLabel "Ana Rojas" ;
            gk:country <https://w3id.org/geokg/id/country/CL> .
        <https://w3id.org/geokg/id/country/CL> skos:prefLabel "Chile" ; a gk:Country .
        <https://w3id.org/geokg/id/commodity/copper> skos:prefLabel "Copper" ; a gk:Commodity .
        """, format="turtle")
    extra = [f"https://w3id.org/geokg/graph/article/copy-{i}" for i in range(40)]
    try:
        for iri in extra:
            store.replace_graph(iri, copy)
        assert {q.name: rows(store, q.name) for q in list_queries()} == before
    finally:
        for iri in extra:
            store.remove_graph(iri)


def test_rows_from_tsv_give_the_values_of_to_python() -> None:
    """run_query reads Oxigraph's TSV: every kind of term gives what to_python gives for the term."""
    from geokg.queries import rows_from_tsv

    text = r'''SELECT * WHERE { VALUES (?a ?b ?c ?d ?e ?f ?g ?h ?i ?j ?k ?l ?m ?n) {
      (1 2.50 1.0e3 true "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>
       "x\ty\"z\\ \u00e9"@en "plain" <http://e.org/a%20b> UNDEF
       "0012"^^<http://www.w3.org/2001/XMLSchema#long> "tab\tnew\nline\r" "2024-13-45"^^<http://www.w3.org/2001/XMLSchema#date>
       "1"^^<http://www.w3.org/2001/XMLSchema#boolean> "-5"^^<http://www.w3.org/2001/XMLSchema#int>)
      ("a\\b" -1.5 "NaN"^^<http://www.w3.org/2001/XMLSchema#double> false UNDEF "日本" "" <urn:x> 0
       "bad"^^<http://www.w3.org/2001/XMLSchema#integer> "\"quoted\"" "1.5E-3"^^<http://www.w3.org/2001/XMLSchema#float>
       "x"^^<http://e.org/type> -0) } }'''
    result = ox.Store().query(text)
    names = [v.value for v in result.variables]
    expected = [tuple(to_python(solution[n]) for n in names) for solution in result]
    got = rows_from_tsv(ox.Store().query(text).serialize(format=ox.QueryResultsFormat.TSV))
    assert [tuple(map(repr, row)) for row in got] == [tuple(map(repr, row)) for row in expected]
    blank = ox.Store().query("SELECT ?b WHERE { BIND(BNODE() AS ?b) }")
    assert rows_from_tsv(blank.serialize(format=ox.QueryResultsFormat.TSV))[0][0].startswith("_:")
