"""Issue 6 acceptance: knowledge across articles, checked through the stored queries.

The four articles in ``tests/data/crossdoc/`` were written for these tests: two
outlets report the same US-Ukraine agreement and the same Russian aluminium sale
(2 million vs 1.5 million tonnes), two articles rank Russia fifth and fourth in
rare-earth reserves, an earlier article has the agreement under negotiation, and
a company and a person the reference data lacks appear under several spellings
("Kestrel Minerals Ltd" / "Kestrel Minerals Limited" / "Kestrel Minerals Corp";
"Dmitriy Volkov" / "Dmitrii Volkov" / "Volkov").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import geokg
from geokg import api, crossdoc
from geokg.cli import cli
from geokg.namespaces import GK
from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH, ONTOLOGY_GRAPH
from geokg.settings import Settings
from geokg.store import Store

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data" / "crossdoc"
ARTICLES = sorted(DATA.glob("*.txt"))
KESTREL = "https://w3id.org/geokg/id/company/kestrel-minerals"
VOLKOV = "https://w3id.org/geokg/id/person/dmitry-volkov"


@pytest.fixture(scope="module")
def crossdoc_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings.from_env(store=tmp_path_factory.mktemp("crossdoc") / "geokg.db")
    summary = geokg.build(ARTICLES, settings)
    assert summary.failures == [] and summary.quarantined == [], summary
    assert summary.articles == 4
    return settings


def rows(name: str, settings: Settings, **params: str) -> list[dict[str, object]]:
    result = geokg.query(name, params, settings)
    return [dict(zip(result.columns, row)) for row in result.rows]


def parts(value: object, separator: str = ", ") -> set[str]:
    return set(str(value).split(separator)) if value else set()


def test_one_canonical_event_counts_the_sources_of_the_deal(crossdoc_store: Settings) -> None:
    reports = rows("event-reports", crossdoc_store, entity="Ukraine")
    signed = [r for r in reports if r["type"] == "Agreement" and r["status"] == "signed"]
    assert len(signed) == 1, reports
    deal = signed[0]
    assert deal["reports"] == 2
    assert parts(deal["outlets"]) == {"Harbor Wire", "Valley Post"}
    assert parts(deal["articles"]) == {"2025-03-03-harbor-deal", "2025-03-05-valley-deal"}
    assert str(deal["date"]) == "2025-03-03"
    # The negotiation three weeks earlier is another happening (outside the 7-day window).
    assert [r["status"] for r in reports if r["type"] == "Agreement"] == ["signed", "negotiating"]


def test_each_article_event_links_to_exactly_one_canonical_event(crossdoc_store: Settings) -> None:
    events = {r["event"] for r in rows("events", crossdoc_store)}
    linked = geokg.sparql("""
        SELECT ?event (COUNT(DISTINCT ?c) AS ?n) WHERE {
          ?event a <https://w3id.org/geokg/ontology#Event> .
          OPTIONAL { ?event <https://w3id.org/geokg/ontology#canonicalEvent> ?c } } GROUP BY ?event""",
                          crossdoc_store)
    assert {row[0]: row[1] for row in linked.rows} == {event: 1 for event in events}


# What each canonical event's display values summarise, grouped from the article graphs here (the
# cross-document pass computes them in Python): articles, outlets (publisher, the media an event is
# attributed to or relayed by) and commodities of its reports.
_REPORT_SUMMARY = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?canonical ?what ?value WHERE {
  ?event gk:canonicalEvent ?canonical .
  { ?event prov:wasDerivedFrom/dcterms:identifier ?value . BIND("articles" AS ?what) }
  UNION { ?event prov:wasDerivedFrom/dcterms:publisher/gk:displayLabel ?value . BIND("outlets" AS ?what) }
  UNION { ?event gk:attributedTo ?m . ?m a gk:Media ; gk:displayLabel ?value . BIND("outlets" AS ?what) }
  UNION { ?event gk:reportedBy/gk:displayLabel ?value . BIND("outlets" AS ?what) }
  UNION { ?event gk:theme/gk:displayLabel ?value . BIND("commodities" AS ?what) }
}"""
_DISPLAY_VALUES = """
SELECT ?canonical ?count ?articles ?outlets ?commodities WHERE {
  ?canonical a gk:CanonicalEvent ; report:articleCount ?count ; report:articles ?articles .
  OPTIONAL { ?canonical report:outlets ?outlets }
  OPTIONAL { ?canonical report:commodities ?commodities }
}"""


def test_canonical_event_display_values_summarise_their_reports(crossdoc_store: Settings) -> None:
    expected: dict[str, dict[str, set[str]]] = {}
    for canonical, what, value in geokg.sparql(_REPORT_SUMMARY, crossdoc_store).rows:
        expected.setdefault(str(canonical), {}).setdefault(str(what), set()).add(str(value))
    shown = geokg.sparql(_DISPLAY_VALUES, crossdoc_store).rows
    assert len(shown) == len(expected) == 7
    for canonical, count, articles, outlets, commodities in shown:
        want = expected[str(canonical)]
        assert count == len(want["articles"])
        for what, value in (("articles", articles), ("outlets", outlets), ("commodities", commodities)):
            assert value == (", ".join(sorted(want[what])) if what in want else None), (canonical, what)
    assert sum(1 for row in shown if row[1] > 1) == 4  # docs/graph.md's "4 reported by more than one article"


def test_disagreements_show_both_figures_with_article_outlet_and_sentence(crossdoc_store: Settings) -> None:
    found = rows("disagreements", crossdoc_store)
    quantity = [r for r in found if r["field"] == "quantity"]
    assert len(quantity) == 1, found
    q = quantity[0]
    sides = {(q["value1"], q["article1"], q["outlet1"], q["sentence1"]),
             (q["value2"], q["article2"], q["outlet2"], q["sentence2"])}
    assert {(value, article, outlet) for value, article, outlet, _ in sides} == {
        ("2 million tonnes", "2025-03-03-harbor-deal", "Harbor Wire"),
        ("1.5 million tonnes", "2025-03-05-valley-deal", "Valley Post"),
    }
    for value, _, _, sentence in sides:
        assert str(value) in str(sentence) and "aluminium" in str(sentence)
    rank = [r for r in found if r["field"] == "rank"]
    assert len(rank) == 1, found
    assert {rank[0]["value1"], rank[0]["value2"]} == {"5", "4"}
    assert {rank[0]["article1"], rank[0]["article2"]} == {"2025-02-14-harbor-talks", "2025-04-10-valley-reserves"}
    assert rank[0]["type"] == "ReservesRank"


def test_unlinked_entities_merge_spellings_and_aliases(crossdoc_store: Settings) -> None:
    result = api.entities(crossdoc_store, unlinked=True)
    found = {row["entity"]: row for row in result.as_dicts()}
    assert set(found) == {KESTREL, VOLKOV, "https://w3id.org/geokg/id/media/harbor-wire",
                          "https://w3id.org/geokg/id/media/valley-post"}
    kestrel = found[KESTREL]
    assert (kestrel["type"], kestrel["label"], kestrel["linked"], kestrel["articles"]) == (
        "Company", "Kestrel Minerals", False, 3)
    assert parts(kestrel["aliases"]) == {"Kestrel Minerals Ltd", "Kestrel Minerals Limited",
                                               "Kestrel Minerals Corp"}
    volkov = found[VOLKOV]
    assert (volkov["type"], volkov["label"], volkov["articles"]) == ("Person", "Dmitry Volkov", 3)
    assert parts(volkov["aliases"]) == {"Dmitriy Volkov", "Dmitrii Volkov", "Volkov"}
    assert volkov["variants"] == "https://w3id.org/geokg/id/person/volkov"
    # Reference entities are linked and not listed as unlinked.
    everything = {row["entity"]: row for row in api.entities(crossdoc_store).as_dicts()}
    assert everything["https://w3id.org/geokg/id/country/UA"]["linked"] is True


def test_entities_cli_lists_unlinked_as_csv(crossdoc_store: Settings) -> None:
    result = CliRunner().invoke(cli, ["entities", "--unlinked", "--type", "Person", "--format", "csv",
                                      "--store", str(crossdoc_store.store)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "entity,type,label,linked,aliases,variants,articles"
    assert len(lines) == 2 and lines[1].startswith(VOLKOV + ",Person,Dmitry Volkov,false,")


def test_entities_cli_takes_the_type_in_any_case_and_names_the_types_on_a_miss(crossdoc_store: Settings) -> None:
    def run(kind: str):
        return CliRunner().invoke(cli, ["entities", "--type", kind, "--format", "csv", "--store", str(crossdoc_store.store)])

    lower, upper = run("country"), run("Country")
    assert lower.exit_code == 0 and lower.output == upper.output
    assert {line.split(",")[1] for line in lower.output.strip().splitlines()[1:]} == {"Country"}
    miss = run("planet")
    assert miss.exit_code == 2 and "'planet' is not one of" in miss.output and "'country'" in miss.output


def test_timeline_of_an_entity_shows_the_status_change(crossdoc_store: Settings) -> None:
    timeline = rows("timeline", crossdoc_store, entity="Ukraine")
    agreements = [(str(r["date"]), r["status"], r["statusChange"], r["reports"]) for r in timeline
                  if r["type"] == "Agreement"]
    assert agreements == [("2025-02-14", "negotiating", None, 1), ("2025-03-03", "signed", "negotiating -> signed", 2)]
    dates = [r["date"] for r in timeline]
    assert dates == sorted(dates)
    # An entity the reference data lacks has a timeline too, its reports grouped across spellings.
    kestrel = [(r["type"], r["reports"]) for r in rows("timeline", crossdoc_store, entity="Kestrel Minerals")]
    assert kestrel == [("SaleOrSupply", 2), ("PurchaseOrImport", 1)]


def test_commodity_hierarchy_in_queries(crossdoc_store: Settings) -> None:
    grain = rows("timeline", crossdoc_store, commodity="Grain")
    assert [(r["type"], r["label"]) for r in grain] == [
        ("ExportRestriction", "ExportRestriction: Kazakhstan on Wheat (2025-04-08)"),
        ("PurchaseOrImport", "PurchaseOrImport: Kazakhstan, Kestrel Minerals on Wheat (2025-04-10)")]
    critical = {r["type"] for r in rows("timeline", crossdoc_store, commodity="Critical minerals")}
    assert critical == {"Agreement", "ReservesRank", "SaleOrSupply"}  # rare earths and lithium, not aluminium
    reports = rows("event-reports", crossdoc_store, commodity="Critical minerals")
    assert {r["commodities"] for r in reports} == {"Rare-earth elements", "Lithium"}
    assert {r["field"] for r in rows("disagreements", crossdoc_store, commodity="Critical minerals")} == {"rank"}


def _quads(settings: Settings) -> set[str]:
    """Every quad but the ontology graph's (its OWL lists are blank nodes, named anew at each load)."""
    with Store.open(settings.store, read_only=True) as store:
        return {str(q) for q in store.quads() if str(q.graph_name) != f"<{ONTOLOGY_GRAPH}>"}


def _graph(settings: Settings, graph: str) -> set[str]:
    with Store.open(settings.store, read_only=True) as store:
        return {str(q) for q in store.quads(graph)}


def test_build_order_does_not_change_canonical_events_or_entities(
        crossdoc_store: Settings, tmp_path: Path) -> None:
    reversed_one_by_one = Settings.from_env(store=tmp_path / "reversed.db")
    for article in reversed(ARTICLES):
        summary = geokg.build([article], reversed_one_by_one)
        assert summary.failures == []
    shuffled = Settings.from_env(store=tmp_path / "shuffled.db")
    geokg.build([ARTICLES[2], ARTICLES[0], ARTICLES[3], ARTICLES[1]], shuffled)
    expected = _quads(crossdoc_store)
    assert _graph(crossdoc_store, CROSSDOC_EVENTS_GRAPH) and _graph(crossdoc_store, CROSSDOC_ENTITIES_GRAPH)
    for other in (reversed_one_by_one, shuffled):
        assert _graph(other, CROSSDOC_EVENTS_GRAPH) == _graph(crossdoc_store, CROSSDOC_EVENTS_GRAPH)
        assert _graph(other, CROSSDOC_ENTITIES_GRAPH) == _graph(crossdoc_store, CROSSDOC_ENTITIES_GRAPH)
        assert _quads(other) == expected
        assert display_label_problems(other.store) == {}


def test_rebuilding_keeps_the_store_identical(crossdoc_store: Settings, tmp_path: Path) -> None:
    again = Settings.from_env(store=tmp_path / "again.db")
    geokg.build(ARTICLES, again)
    geokg.build(ARTICLES[:1], again)  # a partial rebuild recomputes the derived graphs from the whole store
    assert _quads(again) == _quads(crossdoc_store)


@pytest.mark.issue(20)
def test_a_whole_pass_in_small_chunks_gives_the_same_graphs(
        crossdoc_store: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole pass sets the events graph aside as it groups each event class, a chunk at a time,
    and loads it in chunks: chunks of 3 lines give the derived graphs of the build, and the summary
    counts them."""
    copy = Settings.from_env(store=tmp_path / "copy.db")
    shutil.copytree(crossdoc_store.store, copy.store)
    monkeypatch.setattr(geokg.store, "LOAD_LINES", 3)
    with Store.open(copy.store) as store:
        assert len(crossdoc.read_classes(store, crossdoc.Skipped())) > 1
        summary = crossdoc.refresh(store)
    derived = [_graph(copy, g) for g in (CROSSDOC_EVENTS_GRAPH, CROSSDOC_ENTITIES_GRAPH)]
    assert derived == [_graph(crossdoc_store, g) for g in (CROSSDOC_EVENTS_GRAPH, CROSSDOC_ENTITIES_GRAPH)]
    assert summary.triples == sum(map(len, derived)) and summary.skipped == []


@pytest.mark.issue(20)
def test_events_read_by_class_are_the_events_read_by_iri(crossdoc_store: Settings) -> None:
    """The whole pass reads the reports and their outlets one class at a time; a build, by IRI."""
    with Store.open(crossdoc_store.store, read_only=True) as store:
        skipped = crossdoc.Skipped()
        links = crossdoc.alias_links(crossdoc.read_entities(store, skipped))
        kinds = crossdoc.read_classes(store, skipped)
        by_class = [r for kind in kinds for r in crossdoc.read_reports(store, links, skipped, kind=kind)]
        assert {r.type for r in by_class} == set(kinds) and links
        iris = [r.iri for r in by_class]
        assert sorted(by_class, key=lambda r: r.iri) == crossdoc.read_reports(store, links, skipped, iris)
        outlets = {e: m for kind in kinds for e, m in crossdoc.read_outlets(store, kind=kind).items()}
        assert outlets and outlets == crossdoc.read_outlets(store, iris)
        with pytest.raises(TypeError, match="among"):
            crossdoc.read_reports(store, links, skipped)
        assert not skipped.any


_USED_ENTITIES = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?entity WHERE {
  { ?x gk:mentions ?entity } UNION { ?x dcterms:publisher ?entity }
  UNION { ?x gk:agent|gk:onBehalfOf|gk:recipient|gk:counterparty|gk:theme|gk:attributedTo|gk:reportedBy ?entity }
  FILTER(isIRI(?entity))
}
"""


def display_labels(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Entity IRI -> its (graph, label) gk:displayLabel statements."""
    found: dict[str, list[tuple[str, str]]] = {}
    with Store.open(path, read_only=True) as store:
        for quad in store.ox.quads_for_pattern(None, ox.NamedNode(str(GK.displayLabel)), None, None):
            found.setdefault(quad.subject.value, []).append((quad.graph_name.value, quad.object.value))
    return found


def display_label_problems(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Entities used by an event, a mention or a publisher without exactly one display label,
    stated once, in the cross-document entities graph (empty when all is well)."""
    labels = display_labels(path)
    with Store.open(path, read_only=True) as store:
        used = {row[0].value for row in store.rows(_USED_ENTITIES) if row[0] is not None}
    assert used
    return {e: labels.get(e, []) for e in sorted(used)
            if len(labels.get(e, [])) != 1 or labels[e][0][0] != str(CROSSDOC_ENTITIES_GRAPH)}


def test_every_used_entity_has_exactly_one_display_label(crossdoc_store: Settings, seed_store: Path) -> None:
    for path in (crossdoc_store.store, seed_store):
        assert display_label_problems(path) == {}
    labels = display_labels(crossdoc_store.store)
    # A minted company found under three spellings, in three article graphs: one label.
    assert labels[KESTREL] == [(str(CROSSDOC_ENTITIES_GRAPH), "Kestrel Minerals")]
    assert labels[VOLKOV] == [(str(CROSSDOC_ENTITIES_GRAPH), "Dmitry Volkov")]
    assert labels["https://w3id.org/geokg/id/country/UA"] == [(str(CROSSDOC_ENTITIES_GRAPH), "Ukraine")]


def test_loaded_article_graphs_with_two_labels_give_one_display_label(tmp_path: Path) -> None:
    """Articles that label an entity differently: the label most article graphs give wins, once;
    a reference entity keeps its reference label; `geokg load` updates it."""
    settings = Settings.from_env(store=tmp_path / "load.db")
    geokg.build(ARTICLES[:1], settings)
    acme = "https://w3id.org/geokg/id/company/acme-mining"
    graphs = {"acme-1": "ACME MINING", "acme-2": "Acme Mining", "acme-3": "Acme Mining"}
    trig = tmp_path / "acme.trig"
    trig.write_text("".join(
        f"<https://w3id.org/geokg/graph/article/{article}> {{\n"
        f"  <https://w3id.org/geokg/id/article/{article}> a <{GK.Article}> ;\n"
        f"    <http://purl.org/dc/terms/identifier> \"{article}\" ;\n"
        f"    <{GK.mentions}> <{acme}>, <https://w3id.org/geokg/id/country/UA> .\n"
        f"  <{acme}> a <{GK.Company}> ; <http://www.w3.org/2004/02/skos/core#prefLabel> \"{label}\" .\n"
        f"  <https://w3id.org/geokg/id/country/UA> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Ukraina\" .\n}}\n"
        for article, label in graphs.items()), encoding="utf-8")
    # These hand-made article graphs are minimal (no date, title or text), so they violate the
    # shapes: kept on purpose, as foreign graphs are with --keep-invalid (issue 18).
    api.load([trig], settings, keep_invalid=True)
    labels = display_labels(settings.store)
    assert labels[acme] == [(str(CROSSDOC_ENTITIES_GRAPH), "Acme Mining")]
    assert labels["https://w3id.org/geokg/id/country/UA"] == [(str(CROSSDOC_ENTITIES_GRAPH), "Ukraine")]
    assert display_label_problems(settings.store) == {}
    assert [r["entity"] for r in rows("entity-articles", settings, entity="Acme Mining")] == ["Acme Mining"] * 3
    geokg.build(ARTICLES[1:2], settings)  # an incremental build keeps it so
    assert display_label_problems(settings.store) == {}
    assert display_labels(settings.store)[acme] == [(str(CROSSDOC_ENTITIES_GRAPH), "Acme Mining")]


def test_new_queries_are_listed_with_their_parameters() -> None:
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0, result.output
    for name, params in (("event-reports", ("commodity", "entity")), ("disagreements", ("commodity",)),
                         ("timeline", ("entity", "commodity")), ("entities", ())):
        assert f"\n{name}: " in "\n" + result.output
        block = result.output.split(f"{name}: ", 1)[1].split("\n\n")[0]
        for param in params:
            assert f"--param {param}=" in block, (name, param)


def test_a_store_with_the_display_values_of_an_older_geokg_is_recomputed_by_a_build(tmp_path: Path) -> None:
    """Canonical events carried their display values under gk: before report: held them: the
    report queries find none there, readers are told, and a build without paths recomputes them."""
    from rdflib import Graph

    from geokg import crossdoc
    from geokg.rdf.iris import graph_iri
    from geokg.rdf import reference_graph

    data = Path(__file__).parent / "data" / "store"
    settings = Settings.from_env(store=tmp_path / "geokg.db")
    with Store.open(settings.store) as store:
        store.load_reference(reference_graph())  # as a build loads it: a build need not reload it
        for path in sorted(data.glob("2024-*.ttl")):
            store.replace_graph(graph_iri(path.stem), Graph().parse(path))
        crossdoc.refresh(store)
        assert not store.warnings()
        store.update(f"""
            DELETE {{ GRAPH <{CROSSDOC_EVENTS_GRAPH}> {{ ?c ?p ?v }} }}
            INSERT {{ GRAPH <{CROSSDOC_EVENTS_GRAPH}> {{ ?c <{GK}reportCount> ?v }} }}
            WHERE {{ GRAPH <{CROSSDOC_EVENTS_GRAPH}> {{ ?c ?p ?v }} FILTER(?p = report:articleCount) }}""",
                     prefixes={"report": "https://w3id.org/geokg/report#"})
        events = len(geokg.query("timeline", store=store).rows)
        assert events == 0 and store.derived_outdated
        assert "an older geokg wrote the cross-document graphs" in store.warnings()[0]
    api.build([], settings)
    with Store.open(settings.store, read_only=True) as store:
        assert not store.derived_outdated and not store.warnings()
        assert len(geokg.query("timeline", store=store).rows) == len(geokg.query("event-reports", store=store).rows) > 0


# Another report of the Chilean copper offer of tests/data/store, with another tonnage and date.
DISPUTING = """
@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/geokg/id/article/d> a gk:Article ; dcterms:identifier "d" ; dcterms:date "2024-03-05"^^xsd:date .
<https://w3id.org/geokg/id/event/d-1> a gk:Event, gk:Offer ; prov:wasDerivedFrom <https://w3id.org/geokg/id/article/d> ;
    gk:agent <https://w3id.org/geokg/id/country/CL> ; gk:theme <https://w3id.org/geokg/id/commodity/copper> ;
    gk:recipient <https://w3id.org/geokg/id/country/JP> ; gk:date "2024-03-02"^^xsd:date ;
    gk:quantity <https://w3id.org/geokg/id/quantity/d-1> .
<https://w3id.org/geokg/id/quantity/d-1> qudt:numericValue 120000.0 ; qudt:unit <http://qudt.org/vocab/unit/TONNE> .
"""


def test_canonical_events_without_disputed_fields_are_recomputed_by_a_build(tmp_path: Path) -> None:
    """An older geokg wrote canonical events without gk:disputedField, which disagreements starts
    from: the store says so, and a build without paths recomputes them."""
    from rdflib import Graph

    from geokg import crossdoc
    from geokg.iri_space import CROSSDOC_EVENTS_FORM
    from geokg.rdf import reference_graph
    from geokg.rdf.iris import graph_iri

    data = Path(__file__).parent / "data" / "store"
    settings = Settings.from_env(store=tmp_path / "geokg.db")
    with Store.open(settings.store) as store:
        store.load_reference(reference_graph())
        for path in sorted(data.glob("2024-*.ttl")):
            store.replace_graph(graph_iri(path.stem), Graph().parse(path))
        store.replace_graph(graph_iri("d"), Graph().parse(data=DISPUTING, format="turtle"))
        crossdoc.refresh(store)
        expected = geokg.query("disagreements", store=store).rows
        assert expected and not store.derived_outdated
        events = f"<{CROSSDOC_EVENTS_GRAPH}>"
        store.update(f"""DELETE WHERE {{ GRAPH {events} {{ ?c <{GK.disputedField}> ?f }} }};
            DELETE DATA {{ GRAPH {events} {{ {events} dcterms:conformsTo <{CROSSDOC_EVENTS_FORM}> }} }}""",
                     prefixes={"dcterms": "http://purl.org/dc/terms/"})
        assert store.derived_outdated and "disagreements may list nothing" in store.warnings()[0]
    summary = api.build([], settings)
    assert summary.crossdoc is not None and not summary.crossdoc.incremental
    with Store.open(settings.store, read_only=True) as store:
        assert not store.derived_outdated
        assert geokg.query("disagreements", store=store).rows == expected
