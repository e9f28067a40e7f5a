"""Cross-document rules without spaCy: name normalisation, aliases, event grouping, and the
derived graphs built from hand-made facts (the DESIGN seam) and read through the stored queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import XSD, Graph, Literal, URIRef

from geokg import crossdoc
from geokg.articles import Article
from geokg.crossdoc import MintedEntity, Report, alias_links, group_reports, same_happening, same_storyline
from geokg.model import ArticleFacts, Entity, EntityKind, EntityRef, Event, EventType, Evidence, Mention, Quantity
from geokg.queries import run_query
from geokg.rdf import reference_graph, to_graph
from geokg.iri_space import article_id_from_graph
from geokg.keys import entity_key, entity_name
from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH, graph_iri
from geokg.rdf.terms import to_ntriples
from geokg.store import Store

ID = "https://w3id.org/geokg/id/"
US, UA, RU, CN = (f"{ID}country/{c}" for c in ("US", "UA", "RU", "CN"))
REE, CRITICAL, WHEAT = (f"{ID}commodity/{c}" for c in ("rare-earth-elements", "critical-minerals", "wheat"))
BROADER = {REE: frozenset({CRITICAL})}
D = dt.date(2025, 3, 3)


@pytest.mark.parametrize(("kind", "names", "label"), [
    (EntityKind.COMPANY, ["Rosatom State Corporation", "Rosatom Corp.", "ROSATOM", "Rosatom"], None),
    (EntityKind.COMPANY, ["Acme Lithium, Inc.", "Acme Lithium Ltd", "Acme Lithium Limited", "Acme Lithium"],
     "Acme Lithium"),
    (EntityKind.PERSON, ["Volodymyr Zelenskyy", "Volodymyr Zelenskiy", "Volodymyr Zelenskii", "Volodymyr  Zelensky"],
     "Volodymyr Zelensky"),
    (EntityKind.PERSON, ["Dmitriy Volkov", "Dmitrii Volkov", "Dmitry Volkov"], "Dmitry Volkov"),
])
def test_spelling_variants_share_one_key(kind: EntityKind, names: list[str], label: str | None) -> None:
    assert len({entity_key(kind, name) for name in names}) == 1
    if label is not None:
        assert {entity_name(kind, name) for name in names} == {label}


def test_normalisation_keeps_what_is_not_a_variant() -> None:
    assert entity_key(EntityKind.COMPANY, "Acme Holdings") != entity_key(EntityKind.COMPANY, "Acme")
    assert entity_name(EntityKind.PERSON, "Inc") == "Inc"  # legal forms are stripped from organisations only
    assert entity_name(EntityKind.COMPANY, "Company") == "Company"  # never strip a name to nothing
    assert entity_name(EntityKind.PERSON, "Wei Li") == "Wei Li"


def test_crossdoc_graphs_are_not_article_graphs() -> None:
    assert article_id_from_graph(str(CROSSDOC_EVENTS_GRAPH)) is None
    assert article_id_from_graph(str(CROSSDOC_ENTITIES_GRAPH)) is None


def _person(key: str) -> MintedEntity:
    return MintedEntity(f"{ID}person/{key}", "Person")


def test_surname_links_only_when_one_full_name_ends_with_it() -> None:
    one = alias_links([_person("volkov"), _person("dmitry-volkov"), _person("ivanova")])
    assert one == {f"{ID}person/volkov": f"{ID}person/dmitry-volkov"}
    two = alias_links([_person("volkov"), _person("dmitry-volkov"), _person("anna-volkov")])
    assert two == {}


def test_organisation_family_prefers_company_then_media() -> None:
    members = [MintedEntity(f"{ID}org/kestrel", "Organization"), MintedEntity(f"{ID}media/kestrel", "Media"),
               MintedEntity(f"{ID}company/kestrel", "Company"), MintedEntity(f"{ID}place/kestrel", "Place")]
    assert alias_links(members) == {f"{ID}org/kestrel": f"{ID}company/kestrel",
                                    f"{ID}media/kestrel": f"{ID}company/kestrel"}


def report(iri: str, kind: str = "SaleOrSupply", when: dt.date = D, *, agents: set[str] = frozenset({RU}),
           recipients: set[str] = frozenset(), counterparties: set[str] = frozenset(),
           themes: set[str] = frozenset(), measure: str | None = None, article: str | None = None) -> Report:
    return Report(f"{ID}event/{iri}", kind, article or iri.split("-")[0], when, None, None, measure,
                  frozenset(agents), frozenset(recipients), frozenset(counterparties), frozenset(themes))


def test_same_happening_needs_type_window_participants_and_commodity() -> None:
    base = report("a-1", recipients={US}, themes={REE})
    assert same_happening(base, report("b-1", when=D + dt.timedelta(days=7), recipients={US}, themes={REE}))
    assert not same_happening(base, report("b-1", when=D + dt.timedelta(days=8), recipients={US}, themes={REE}))
    assert not same_happening(base, report("b-1", "Offer", recipients={US}, themes={REE}))
    assert not same_happening(base, report("b-1", recipients={CN}, themes={REE}))  # another buyer
    assert not same_happening(base, report("b-1", agents={CN}, recipients={US}, themes={REE}))
    assert not same_happening(base, report("b-1", recipients={US}, themes={WHEAT}))
    vague = report("b-1", recipients={US})  # names no commodity: may continue the storyline, not merge
    assert not same_happening(base, vague) and same_storyline(base, vague)
    assert not same_happening(base, report("b-1", themes={REE})) and same_storyline(base, report("b-1", themes={REE}))
    assert not same_happening(report("a-4"), report("b-4"))  # "Russia sold", twice: too vague to merge
    statement = report("a-3", "Statement")
    assert not same_happening(statement, report("b-3", "Statement"))
    assert same_happening(base, report("b-1", recipients={US}, themes={CRITICAL}), BROADER)
    assert not same_happening(base, report("b-1", recipients={US}, themes={CRITICAL}))
    assert not same_happening(base, Report(f"{ID}event/b-1", "SaleOrSupply", "b", agents=frozenset({RU})))


def test_agreements_match_with_sides_swapped_and_rankings_over_months() -> None:
    one = report("a-1", "Agreement", agents={US}, counterparties={UA})
    assert same_happening(one, report("b-1", "Agreement", agents={UA}, counterparties={US}))
    assert not same_happening(one, report("b-1", "Agreement", agents={US}, counterparties={CN}))
    summit = report("b-1", "Agreement", agents={US}, counterparties={UA, CN, RU, f"{ID}country/JP"})
    assert not same_happening(one, summit)  # two of six parties shared: another meeting of the week
    fifth = report("a-2", "ReservesRank", themes={REE}, measure="reserves")
    assert same_happening(fifth, report("b-2", "ReservesRank", D + dt.timedelta(days=200), themes={REE}))
    assert not same_happening(fifth, report("b-2", "ReservesRank", themes={REE}, measure="production"))
    assert not same_happening(fifth, report("b-2", "ReservesRank"))  # a ranking needs its commodity


REPORTS = [
    report("a-1", recipients={US}, themes={REE}), report("b-4", when=D + dt.timedelta(days=5), recipients={US}, themes={CRITICAL}),
    report("c-2", when=D + dt.timedelta(days=11), recipients={US}, themes={REE}),  # chains through b-4
    report("d-1", when=D + dt.timedelta(days=40), recipients={US}, themes={REE}),
    report("e-1", "Agreement", agents={US}, counterparties={UA}, themes={REE}),
    report("f-1", "Agreement", D + dt.timedelta(days=2), agents={UA}, counterparties={US}, themes={REE}),
]


def test_groups_are_connected_components() -> None:
    groups = [[r.iri.rsplit("/", 1)[1] for r in g] for g in group_reports(REPORTS, BROADER)]
    assert groups == [["a-1", "b-4", "c-2"], ["d-1"], ["e-1", "f-1"]]


@given(st.permutations(REPORTS))
def test_grouping_ignores_input_order(shuffled: list[Report]) -> None:
    assert group_reports(shuffled, BROADER) == group_reports(REPORTS, BROADER)


# -- the derived graphs from hand-made facts, read through the stored queries ---------
def _facts(article_id: str, day: int, publisher: str, tonnes: str, sentence: str,
           company_label: str) -> ArticleFacts:
    text = f"{sentence} {company_label} said."
    article = Article(article_id, text, dt.date(2025, 3, day), source=publisher)
    evidence = Evidence(0, len(sentence), sentence)
    company = Entity(EntityRef(EntityKind.COMPANY, entity_key(EntityKind.COMPANY, company_label)),
                     entity_name(EntityKind.COMPANY, company_label), known=False)
    outlet = Entity(EntityRef(EntityKind.MEDIA, entity_key(EntityKind.MEDIA, publisher)), publisher, known=False)
    sale = Event(EventType.SALE_OR_SUPPLY, evidence, agent=EntityRef(EntityKind.COUNTRY, "RU"),
                 themes=(EntityRef(EntityKind.COMMODITY, "aluminium"),),
                 recipients=(EntityRef(EntityKind.COUNTRY, "US"),),
                 quantity=Quantity(Decimal(tonnes), "tonne", f"{tonnes} tonnes"), attributed_to=company.ref)
    start = len(sentence) + 1
    mention = Mention(company.ref, Evidence(start, start + len(company_label), company_label))
    return ArticleFacts(article, publisher=outlet, mentions=(mention,), entities=(
        Entity(EntityRef(EntityKind.COUNTRY, "RU"), "Russia"), Entity(EntityRef(EntityKind.COUNTRY, "US"), "United States"),
        Entity(EntityRef(EntityKind.COMMODITY, "aluminium"), "Aluminium"), company), events=(sale,))


@pytest.fixture(scope="module")
def facts_store():
    with Store() as store:
        store.load_reference(reference_graph())
        for facts in (_facts("x1", 3, "North Ledger", "2000000", "Russia sold 2000000 tonnes of aluminium.",
                             "Ferrox Metals Ltd"),
                      _facts("x2", 6, "South Courier", "1500000", "Russia sold 1500000 tonnes of aluminium.",
                             "Ferrox Metals Corporation")):
            store.replace_graph(graph_iri(facts.article.id), to_graph(facts))
        summary = crossdoc.refresh(store)
        yield store, summary


def test_refresh_groups_the_two_reports(facts_store) -> None:
    store, summary = facts_store
    assert (summary.events, summary.canonical_events, summary.reported_more_than_once) == (2, 1, 1)
    rows = run_query(store, "event-reports").as_dicts()
    assert len(rows) == 1 and rows[0]["reports"] == 2
    assert set(str(rows[0]["outlets"]).split(", ")) == {"North Ledger", "South Courier"}


def test_disagreement_from_hand_made_facts(facts_store) -> None:
    store, _ = facts_store
    rows = run_query(store, "disagreements").as_dicts()
    assert [(r["field"], {r["value1"], r["value2"]}, {r["outlet1"], r["outlet2"]}) for r in rows] == [
        ("quantity", {"2000000 tonnes", "1500000 tonnes"}, {"North Ledger", "South Courier"})]


def test_unlinked_company_under_two_legal_forms_is_one_entity(facts_store) -> None:
    store, _ = facts_store
    rows = [r for r in run_query(store, "entities").as_dicts() if r["type"] == "Company"]
    assert [(r["label"], r["linked"], r["articles"]) for r in rows] == [("Ferrox Metals", False, 2)]
    assert set(str(rows[0]["aliases"]).split(", ")) == {"Ferrox Metals Ltd", "Ferrox Metals Corporation"}


def test_refresh_is_idempotent(facts_store) -> None:
    store, _ = facts_store
    before = {str(q) for q in store.quads(CROSSDOC_EVENTS_GRAPH)}
    crossdoc.refresh(store)
    assert {str(q) for q in store.quads(CROSSDOC_EVENTS_GRAPH)} == before
    assert store.article_graphs() == [str(graph_iri("x1")), str(graph_iri("x2"))]


def _offer_by(article_id: str, day: int, name: str) -> ArticleFacts:
    sentence = f"{name} offered lithium to Germany."
    person = Entity(EntityRef(EntityKind.PERSON, entity_key(EntityKind.PERSON, name)),
                    entity_name(EntityKind.PERSON, name), known=False)
    offer = Event(EventType.OFFER, Evidence(0, len(sentence), sentence), agent=person.ref,
                  themes=(EntityRef(EntityKind.COMMODITY, "lithium"),),
                  recipients=(EntityRef(EntityKind.COUNTRY, "DE"),))
    return ArticleFacts(Article(article_id, sentence, dt.date(2025, 5, day)), entities=(
        person, Entity(EntityRef(EntityKind.COMMODITY, "lithium"), "Lithium"),
        Entity(EntityRef(EntityKind.COUNTRY, "DE"), "Germany")), events=(offer,))


def test_a_surname_alias_joins_reports_and_finds_the_timeline() -> None:
    with Store() as store:
        store.load_reference(reference_graph())
        for facts in (_offer_by("y1", 5, "Dmitriy Volkov"), _offer_by("y2", 7, "Volkov")):
            store.replace_graph(graph_iri(facts.article.id), to_graph(facts))
        summary = crossdoc.refresh(store)
        assert (summary.aliases, summary.canonical_events) == (1, 1)
        for name in ("Volkov", "Dmitry Volkov"):
            rows = run_query(store, "timeline", {"entity": name}).as_dicts()
            assert [(r["type"], r["reports"]) for r in rows] == [("Offer", 2)], name
        assert run_query(store, "timeline", {"entity": "Dmitriy"}).rows == []


# -- writing the derived graphs in little memory (issue 7) --------------------
TERMS = st.one_of(st.text(max_size=12).map(Literal), st.booleans().map(Literal),
                  st.dates().map(lambda d: Literal(d, datatype=XSD.date)), st.sampled_from([US, UA, REE]).map(URIRef))


@given(st.lists(st.tuples(st.sampled_from([US, UA, RU]), st.sampled_from([f"{ID}p", f"{ID}q"]), TERMS), max_size=30))
def test_derived_triples_are_the_lines_an_rdflib_graph_would_give(triples: list) -> None:
    """The pass keeps its triples as N-Triples lines: the same text to_ntriples makes of a Graph."""
    graph, lines = Graph(), crossdoc.Triples()
    for s, p, o in triples:
        graph.add((URIRef(s), URIRef(p), o))
        lines.add((URIRef(s), URIRef(p), o))
    assert "\n".join(sorted(lines.lines)) == to_ntriples(graph)


@pytest.mark.slow
def test_refresh_on_disk_replaces_the_derived_graphs_whole_and_counts_them(tmp_path) -> None:
    """On disk the derived graphs are dropped, flushed and loaded again (Store.load_graph):
    the same quads as in memory, counted in the summary, and a second pass changes nothing."""
    def derived(store: Store) -> list[str]:
        return sorted(str(q) for g in (CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH) for q in store.quads(g))

    facts = [_facts("x1", 3, "North Ledger", "2000000", "Russia sold 2000000 tonnes of aluminium.", "Ferrox Metals Ltd"),
             _facts("x2", 6, "South Courier", "1500000", "Russia sold 1500000 tonnes of aluminium.",
                    "Ferrox Metals Corporation")]
    results = []
    for path in (None, tmp_path / "db"):
        with Store(path) as store:
            store.load_reference(reference_graph())
            for f in facts:
                store.replace_graph(graph_iri(f.article.id), to_graph(f))
            first, quads = crossdoc.refresh(store), derived(store)
            again = crossdoc.refresh(store)
            assert derived(store) == quads and first.triples == again.triples == len(quads)
            results.append(quads)
    assert results[0] == results[1]
