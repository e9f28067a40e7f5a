"""The incremental cross-document pass equals the whole one, quad for quad.

Without spaCy: articles of hand-made facts (the DESIGN seam) written into a store in
increments, replaced and removed, each increment followed by the incremental pass and
compared with :func:`geokg.crossdoc.refresh` of the same store. The slow tests at the end
build the team-written articles of ``tests/data/crossdoc`` with the real pipeline.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF

import geokg
from geokg import api, crossdoc, crossdoc_incremental
from geokg.articles import Article
from geokg.cli import cli
from geokg.crossdoc_incremental import Changes
from geokg.model import ArticleFacts, Entity, EntityKind, EntityRef, Event, EventType, Evidence, Quantity
from geokg.namespaces import GK
from geokg.keys import entity_key, entity_name
from geokg.rdf import reference_graph, to_graph
from geokg.iri_space import ID
from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH, REFERENCE_GRAPH, graph_iri
from geokg.settings import Settings
from geokg.rdf.terms import to_ntriples
from geokg.store import Store

DERIVED = (CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH)
DAY = dt.date(2025, 3, 1)
COUNTRIES = [Entity(EntityRef(EntityKind.COUNTRY, c), name) for c, name in
             (("US", "United States"), ("UA", "Ukraine"), ("RU", "Russia"), ("CN", "China"))]
COMMODITIES = [Entity(EntityRef(EntityKind.COMMODITY, c), name) for c, name in
               (("aluminium", "Aluminium"), ("wheat", "Wheat"), ("rare-earth-elements", "Rare-earth elements"),
                ("critical-minerals", "Critical minerals"))]
# Entities the reference data lacks, under names that make aliases come and go: a surname and
# two full names ending with it; a company, an organisation and an outlet of one name.
MINTED = [(EntityKind.PERSON, "Volkov"), (EntityKind.PERSON, "Dmitriy Volkov"), (EntityKind.PERSON, "Anna Volkov"),
          (EntityKind.COMPANY, "Ferrox Metals Ltd"), (EntityKind.ORGANIZATION, "Ferrox Metals"),
          (EntityKind.MEDIA, "Ferrox Metals")]
OUTLETS = ["North Ledger", "South Courier"]
TYPES = [EventType.SALE_OR_SUPPLY, EventType.AGREEMENT, EventType.RESERVES_RANK, EventType.STATEMENT]
# 5 and 5.0 tonnes are one value to the disagreements query; 7 tonnes and 5 kilograms are not.
QUANTITIES = [None, Quantity(Decimal(5), "tonne"), Quantity(Decimal("5.0"), "tonne"), Quantity(Decimal(7), "tonne"),
              Quantity(Decimal(5), "kilogram")]


def minted(kind: EntityKind, name: str, label: str | None = None) -> Entity:
    return Entity(EntityRef(kind, entity_key(kind, name)), label or entity_name(kind, name), known=False)


@st.composite
def events(draw: st.DrawFn, actors: list[Entity]) -> tuple[Event, list[Entity]]:
    """An event among few types, roles and days, so that reports often group and chain."""
    kind = draw(st.sampled_from([TYPES[0]] * 4 + TYPES))
    agent = draw(st.sampled_from(actors))
    other = draw(st.sampled_from([None, COUNTRIES[3], *actors]))
    theme = draw(st.sampled_from([None, *COMMODITIES[1:]]))
    sentence = f"{agent.label} {kind.value.lower()}."
    side = (other.ref,) if other is not None and other.ref != agent.ref else ()
    event = Event(kind, Evidence(0, len(sentence), sentence), agent=agent.ref,
                  recipients=side if kind is not EventType.AGREEMENT else (),
                  counterparties=side if kind is EventType.AGREEMENT else (),
                  themes=(theme.ref,) if theme is not None else (),
                  date=draw(st.none() | st.integers(0, 14).map(lambda d: DAY + dt.timedelta(days=d))),
                  status=draw(st.sampled_from([None, "signed", "negotiating"])),
                  quantity=draw(st.sampled_from(QUANTITIES)),
                  rank=draw(st.sampled_from([None, 1, 2])) if kind is EventType.RESERVES_RANK else None,
                  measure=draw(st.sampled_from([None, "reserves"])) if kind is EventType.RESERVES_RANK else None)
    return event, [e for e in (agent, other, theme) if e is not None]


@st.composite
def articles(draw: st.DrawFn, article_id: str) -> ArticleFacts:
    """One article: a date, maybe an outlet, one to three events among few actors."""
    actors = COUNTRIES[:1] + [minted(kind, name, draw(st.sampled_from([None, name.upper()]))) for kind, name in
                              draw(st.lists(st.sampled_from(MINTED), max_size=3, unique=True))]
    drawn = draw(st.lists(events(actors), min_size=1, max_size=4))
    # Named without an event too: a label counted for the display label, an alias made or broken.
    entities = {e.ref: e for e in draw(st.lists(st.sampled_from(actors), max_size=2))}
    entities.update((e.ref, e) for _, used in drawn for e in used)
    outlet = draw(st.sampled_from([None, *OUTLETS]))
    publisher = minted(EntityKind.MEDIA, outlet) if outlet else None
    text = " ".join(event.evidence.text for event, _ in drawn)
    return ArticleFacts(Article(article_id, text, DAY + dt.timedelta(days=draw(st.integers(0, 14)))),
                        publisher=publisher, entities=tuple(entities.values()),
                        events=tuple(event for event, _ in drawn))


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, ArticleFacts | None]]:
    """Increments of a store: article id -> its facts (written, maybe replacing), or None (removed)."""
    ids = [f"a{n}" for n in range(5)]
    steps = []
    for _ in range(draw(st.integers(2, 5))):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        steps.append({i: draw(st.none() | articles(i)) if steps else draw(articles(i)) for i in chosen})
    return steps


@pytest.fixture(scope="module")
def reference_ntriples() -> str:
    return to_ntriples(reference_graph())


# disagreements as it was read from the article graphs, before the pass cached the disputed reports.
FROM_ARTICLE_GRAPHS = (Path(__file__).parent / "data" / "disagreements-from-article-graphs.rq").read_text()


def assert_disagreements_as_from_article_graphs(store: Store) -> None:
    """The disagreements query, unbound and bound to each commodity, gives the rows of the query
    that reads the article graphs (the cache holds what the rows need)."""
    from geokg.queries import bind_params, get_query, with_values

    stored = get_query("disagreements")
    for commodity in [None, *(c.label for c in COMMODITIES)]:
        params = {"commodity": commodity} if commodity else {}
        bindings = bind_params(stored, params)
        cached = store.select_tsv(with_values(stored.text, bindings))
        assert cached == store.select_tsv(with_values(FROM_ARTICLE_GRAPHS, bindings)), commodity


def derived(store: Store) -> dict[str, set[str]]:
    return {str(g): {str(q) for q in store.quads(g)} for g in DERIVED}


def write(store: Store, changes: Changes, step: dict[str, ArticleFacts | None]) -> None:
    """What a build does with a batch: tell ``changes``, then replace the graphs in one transaction."""
    batch = {str(graph_iri(i)): to_ntriples(to_graph(facts)) if facts else "" for i, facts in step.items()}
    changes.before_writing(batch)
    store.replace_graphs(batch)


def assert_same(incremental: dict[str, set[str]], whole: dict[str, set[str]]) -> None:
    for graph in whole:
        missing, extra = sorted(whole[graph] - incremental[graph]), sorted(incremental[graph] - whole[graph])
        assert not missing and not extra, f"{graph}\nmissing:\n" + "\n".join(missing) + "\nextra:\n" + "\n".join(extra)


@pytest.mark.slow
@settings(max_examples=40)
@given(histories())
def test_every_increment_equals_a_whole_recompute(reference_ntriples: str,
                                                  history: list[dict[str, ArticleFacts | None]]) -> None:
    with Store() as store:
        store.replace_graphs({str(REFERENCE_GRAPH): reference_ntriples})
        first, *rest = history
        write(store, Changes(store, track=False), first)
        crossdoc.refresh(store)  # the first build of a store recomputes everything
        for step in rest:
            changes = Changes(store)
            write(store, changes, step)
            summary = crossdoc_incremental.update(store, changes)
            assert summary.incremental and not summary.skipped
            incremental = derived(store)
            assert_disagreements_as_from_article_graphs(store)
            crossdoc.refresh(store)
            assert_same(incremental, derived(store))


def test_a_second_full_name_unlinks_the_surname_and_splits_the_reports(reference_ntriples: str) -> None:
    """"Volkov" is Dmitry Volkov while he is the only Volkov; "Anna Volkov" arriving makes the
    surname ambiguous: the alias goes, and so does the canonical event it held together."""
    def offer(article_id: str, day: int, name: str) -> ArticleFacts:
        person = minted(EntityKind.PERSON, name)
        sentence = f"{name} offered wheat to China."
        event = Event(EventType.OFFER, Evidence(0, len(sentence), sentence), agent=person.ref,
                      themes=(COMMODITIES[1].ref,), recipients=(COUNTRIES[3].ref,))
        return ArticleFacts(Article(article_id, sentence, DAY + dt.timedelta(days=day)),
                            entities=(person, COMMODITIES[1], COUNTRIES[3]), events=(event,))

    with Store() as store:
        store.replace_graphs({str(REFERENCE_GRAPH): reference_ntriples})
        write(store, Changes(store, track=False), {"v1": offer("v1", 1, "Dmitriy Volkov"), "v2": offer("v2", 2, "Volkov")})
        assert crossdoc.refresh(store).canonical_events == 1
        changes = Changes(store)
        write(store, changes, {"v3": ArticleFacts(Article("v3", "Anna Volkov spoke.", DAY),
                                                  entities=(minted(EntityKind.PERSON, "Anna Volkov"),))})
        summary = crossdoc_incremental.update(store, changes)
        assert (summary.incremental, summary.canonical_events) == (True, 2)  # the two offers, apart again
        incremental = derived(store)
        assert not any(f"<{GK.canonical}>" in q for q in incremental[str(CROSSDOC_ENTITIES_GRAPH)])
        crossdoc.refresh(store)
        assert_same(incremental, derived(store))


def sale(article_id: str, day: int, tonnes: str, date: dt.date | None = None) -> ArticleFacts:
    """One article reporting Ukraine's sale of wheat to China: the tonnage and date vary."""
    sentence = f"Ukraine sold {tonnes} tonnes of wheat to China."
    event = Event(EventType.SALE_OR_SUPPLY, Evidence(0, len(sentence), sentence), agent=COUNTRIES[1].ref,
                  themes=(COMMODITIES[1].ref,), recipients=(COUNTRIES[3].ref,),
                  quantity=Quantity(Decimal(tonnes), "tonne", f"{tonnes} tonnes"), date=date)
    return ArticleFacts(Article(article_id, sentence, DAY + dt.timedelta(days=day)),
                        entities=(COUNTRIES[1], COUNTRIES[3], COMMODITIES[1]), events=(event,))


def disputed(store: Store) -> set[tuple[str, str]]:
    return {(q.subject.value, q.object.value) for q in store.quads(CROSSDOC_EVENTS_GRAPH)
            if q.predicate.value == str(GK.disputedField)}


def test_disputed_fields_follow_the_reports_in_increments_as_in_one_go(reference_ntriples: str) -> None:
    """Two reports of one sale that differ on the tonnage mark the canonical event disputed on
    "quantity"; a third dated another day than the first adds "date"; 300,000.0 tonnes is no dispute with
    300,000. The incremental pass writes what a whole one does, and the disagreements query lists
    exactly the marked fields."""
    with Store() as store:
        store.replace_graphs({str(REFERENCE_GRAPH): reference_ntriples})
        write(store, Changes(store, track=False), {"s1": sale("s1", 1, "300000", DAY + dt.timedelta(days=1))})
        crossdoc.refresh(store)
        assert not disputed(store)
        steps = [({"s2": sale("s2", 2, "300000.0")}, set()),
                 ({"s3": sale("s3", 2, "250000")}, {"quantity"}),
                 ({"s4": sale("s4", 3, "300000", DAY)}, {"quantity", "date"}),
                 ({"s3": None}, {"date"}),
                 ({"s4": sale("s4", 3, "300000")}, set())]
        for step, fields in steps:
            changes = Changes(store)
            write(store, changes, step)
            crossdoc_incremental.update(store, changes)
            incremental = derived(store)
            assert {field for _, field in disputed(store)} == fields, step
            assert len({c for c, _ in disputed(store)}) == (1 if fields else 0)
            rows = geokg.query("disagreements", store=store).as_dicts()
            assert {(r["canonical"], r["field"]) for r in rows} == disputed(store)
            assert_disagreements_as_from_article_graphs(store)
            crossdoc.refresh(store)
            assert_same(incremental, derived(store))


def report(article_id: str, day: int, tonnes: str | None = None, unit: str = "tonne", *, status: str | None = None,
           publisher: str | None = None, relay: Entity | None = None, source: Entity | None = None,
           rank: int | None = None, entities: tuple[Entity, ...] = ()) -> ArticleFacts:
    """One article reporting Ukraine's sale of wheat to China, or with ``rank`` its rank in
    rare-earth reserves: the values, the outlets of each kind and the date vary."""
    sentence = f"Report {article_id}: Ukraine and {tonnes or rank} {unit}."
    if rank is None:
        event = Event(EventType.SALE_OR_SUPPLY, Evidence(0, len(sentence), sentence), agent=COUNTRIES[1].ref,
                      themes=(COMMODITIES[1].ref,), recipients=(COUNTRIES[3].ref,), status=status,
                      quantity=Quantity(Decimal(tonnes), unit, "") if tonnes else None,
                      attributed_to=source.ref if source else None, reported_by=relay.ref if relay else None)
    else:
        event = Event(EventType.RESERVES_RANK, Evidence(0, len(sentence), sentence), agent=COUNTRIES[1].ref,
                      themes=(COMMODITIES[2].ref,), rank=rank, measure="reserves",
                      attributed_to=source.ref if source else None)
    named = (COUNTRIES[1], COUNTRIES[3], COMMODITIES[1], COMMODITIES[2], *(e for e in (relay, source) if e), *entities)
    return ArticleFacts(Article(article_id, sentence, DAY + dt.timedelta(days=day)),
                        publisher=minted(EntityKind.MEDIA, publisher) if publisher else None,
                        entities=named, events=(event,))


def test_disagreements_read_from_the_cache_equal_those_read_from_the_article_graphs(reference_ntriples: str) -> None:
    """The values, articles, outlets (publisher, else relay, else source) and sentences the pass
    caches for disputed canonical events give the rows that the query reading the article graphs
    gave, unbound and bound, in increments (an outlet renamed, a report replaced and removed) as
    after a whole recompute."""
    relay, source = minted(EntityKind.MEDIA, "South Courier"), minted(EntityKind.PERSON, "Dmitriy Volkov")
    steps = [
        {"p1": report("p1", 1, "5", publisher="North Ledger", status="signed"),
         "p2": report("p2", 2, "7", relay=relay, status="negotiating")},
        {"p3": report("p3", 1, "5", "kilogram", source=source),
         "p4": report("p4", 2, "5.0", publisher="North Ledger", relay=relay),
         "p5": report("p5", 1, "7"), "r1": report("r1", 1, rank=5, source=source),
         "r2": report("r2", 40, rank=4, publisher="North Ledger")},
        # Two articles more name the relay "SOUTH COURIER": its display label changes.
        {f"n{i}": ArticleFacts(Article(f"n{i}", "SOUTH COURIER.", DAY),
                               entities=(minted(EntityKind.MEDIA, "South Courier", "SOUTH COURIER"),))
         for i in (1, 2)},
        {"p2": report("p2", 2, "8", relay=relay, status="negotiating"), "p5": None},
    ]
    outlets: set[object] = set()
    with Store() as store:
        store.replace_graphs({str(REFERENCE_GRAPH): reference_ntriples})
        for n, step in enumerate(steps):
            changes = Changes(store, track=n > 0)
            write(store, changes, step)
            if n == 0:
                crossdoc.refresh(store)
            else:
                crossdoc_incremental.update(store, changes)
            incremental = derived(store)
            assert_disagreements_as_from_article_graphs(store)
            rows = geokg.query("disagreements", store=store).as_dicts()
            assert rows, step
            outlets |= {r[f"outlet{k}"] for r in rows for k in (1, 2)}
            crossdoc.refresh(store)
            assert_same(incremental, derived(store))
        assert {r["field"] for r in rows} == {"quantity", "status", "rank"}
    assert outlets == {"North Ledger", "South Courier", "SOUTH COURIER", "Dmitry Volkov", None}


def as_nquads(step: dict[str, ArticleFacts | None]) -> str:
    """A step as an N-Quads file for ``geokg load``: each article's graph, or for a removal a graph
    that violates the shapes (an agent that is a literal), which the load drops with the old one."""
    lines = []
    for article_id, facts in step.items():
        event = f"<{ID}event/{article_id}-1>"
        body = to_ntriples(to_graph(facts)) if facts else (
            f"{event} <{RDF.type}> <{GK.Event}> .\n{event} <{RDF.type}> <{GK.Offer}> .\n"
            f'{event} <{GK.agent}> "Nobody" .\n')
        lines += [f"{line[:-1]}<{graph_iri(article_id)}> .\n" for line in body.splitlines() if line.strip()]
    return "".join(lines)


@pytest.mark.slow
@settings(max_examples=10)
@given(histories())
def test_loading_in_increments_equals_a_whole_recompute(history: list[dict[str, ArticleFacts | None]]) -> None:
    """`geokg load` updates the derived graphs as a build does: incrementally after the first load."""
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "geokg.db"
        for n, step in enumerate(history):
            path = Path(tmp) / f"step-{n}.nq"
            path.write_text(as_nquads(step), encoding="utf-8")
            summary = api.load([path], Settings(store=store_path))
            assert summary.crossdoc is not None and summary.crossdoc.incremental == (n > 0)
            with Store.open(store_path) as store:
                assert not store.derived_stale
                assert not any(store.has_graph(graph_iri(i)) for i, facts in step.items() if facts is None)
                incremental = derived(store)
                crossdoc.refresh(store)
                assert_same(incremental, derived(store))


# -- builds with the real pipeline ---------------------------------------------
DATA = Path(__file__).parent / "data" / "crossdoc"
ARTICLES = sorted(DATA.glob("*.txt"))


def stored(path: Path) -> dict[str, set[str]]:
    with Store.open(path, read_only=True) as store:
        return derived(store)


@pytest.fixture(scope="module")
def one_go(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    settings = Settings(store=tmp_path_factory.mktemp("one-go") / "geokg.db")
    summary = geokg.build(ARTICLES, settings)
    assert summary.ok and summary.articles == 4 and summary.crossdoc is not None
    assert not summary.crossdoc.incremental  # a first build recomputes everything
    return stored(settings.store)


@pytest.mark.slow
@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (2, 0, 3, 1), (1, 3, 0, 2)])
def test_building_in_increments_equals_building_in_one_go(one_go: dict[str, set[str]], tmp_path: Path,
                                                          order: tuple[int, ...]) -> None:
    settings = Settings(store=tmp_path / "geokg.db")
    passes = []
    for n in order:
        summary = geokg.build([ARTICLES[n]], settings)
        assert summary.ok and summary.crossdoc is not None
        passes.append(summary.crossdoc.incremental)
    assert passes == [False, True, True, True]
    assert_same(stored(settings.store), one_go)


@pytest.mark.slow
def test_a_changed_article_updates_the_groups_it_was_in_and_recompute_agrees(
        one_go: dict[str, set[str]], tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for article in ARTICLES:
        (folder / article.name).write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(store=tmp_path / "geokg.db")
    geokg.build([folder], settings)
    # The second report of the aluminium sale now names another buyer: the sale splits in two.
    valley = folder / "2025-03-05-valley-deal.txt"
    valley.write_text(valley.read_text(encoding="utf-8").replace("to the United States", "to China"), encoding="utf-8")
    summary = geokg.build([folder], settings)
    assert (summary.articles, summary.skipped) == (1, 3) and summary.crossdoc is not None
    assert summary.crossdoc.incremental
    incremental = stored(settings.store)
    assert incremental != one_go
    result = CliRunner().invoke(cli, ["build", "--recompute-crossdoc", "--store", str(settings.store), "-q"])
    assert result.exit_code == 0, result.output
    assert "canonical events: " in result.output and "articles loaded: 0" in result.output
    assert_same(incremental, stored(settings.store))
    # Changed back, the store is as if it had been built in one go.
    valley.write_text((DATA / valley.name).read_text(encoding="utf-8"), encoding="utf-8")
    assert geokg.build([folder], settings).crossdoc.incremental  # type: ignore[union-attr]
    assert_same(stored(settings.store), one_go)


@pytest.mark.slow
def test_a_build_with_nothing_new_runs_no_cross_document_pass(one_go: dict[str, set[str]], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(store=tmp_path / "geokg.db")
    geokg.build(ARTICLES, settings)

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("a build with nothing new ran the cross-document pass")

    monkeypatch.setattr(crossdoc, "refresh", must_not_run)
    monkeypatch.setattr(crossdoc_incremental, "update", must_not_run)
    summary = geokg.build(ARTICLES, settings)
    assert (summary.articles, summary.skipped, summary.crossdoc) == (0, 4, None)
    result = CliRunner().invoke(cli, ["build", str(DATA), "--store", str(settings.store), "-q"])
    assert result.exit_code == 0, result.output
    assert "nothing new: 4 articles read, all in the store unchanged\ncross-document graphs: unchanged\n" in result.output
    assert_same(stored(settings.store), one_go)
    with Store.open(settings.store, read_only=True) as store:
        assert not store.derived_stale
