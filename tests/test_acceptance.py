"""Issue 2 acceptance: the seed article, built end to end, answers the stored queries.

Everything is checked through the stored queries (what users query), not internal objects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import geokg
from geokg.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Settings:
    settings = Settings.from_env(store=tmp_path_factory.mktemp("seed") / "geokg.db")
    summary = geokg.build([seeds_dir], settings)
    assert summary.failures == [] and summary.quarantined == [], summary
    return settings


def rows(name: str, settings: Settings, **params: str) -> list[dict[str, object]]:
    result = geokg.query(name, params, settings)
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_seed_offer_of_rare_earths_to_us_attributed_to_interfax(seed_store: Settings) -> None:
    events = rows("events", seed_store)
    offers = [e for e in events if e["type"] == "Offer" and e["agent"] == "Vladimir Putin"
              and e["theme"] == "Rare-earth elements"]
    assert offers, events
    offer = offers[0]
    assert offer["recipient"] == "United States"
    assert str(offer["date"]) == "2025-02-24"
    assert offer["attributedTo"] == "Interfax"


def test_seed_offers_query_lists_putin_rare_earths(seed_store: Settings) -> None:
    offers = rows("offers", seed_store)
    assert any(o["agent"] == "Vladimir Putin" and o["commodity"] == "Rare-earth elements"
               and o["recipient"] == "United States" and str(o["date"]) == "2025-02-24" for o in offers), offers


def test_seed_russia_ranks_fifth_in_rare_earth_reserves_per_usgs(seed_store: Settings) -> None:
    ranks = rows("reserves-rank", seed_store)
    russia = [r for r in ranks if r["country"] == "Russia"]
    assert len(russia) == 1, ranks
    assert russia[0]["rank"] == 5
    assert russia[0]["commodity"] == "Rare-earth elements"
    assert russia[0]["source"] == "United States Geological Survey"
    after = rows("rankings", seed_store)
    ahead = [r["rankedAfter"] for r in after if r["entity"] == "Russia"]
    assert len(ahead) == 1 and set(str(ahead[0]).split(", ")) == {"China", "Brazil", "India", "Australia"}


def test_seed_russia_offers_two_million_tonnes_of_aluminium(seed_store: Settings) -> None:
    events = rows("events", seed_store)
    aluminium = [e for e in events if e["type"] == "Offer" and e["theme"] == "Aluminium"]
    assert aluminium, events
    assert aluminium[0]["agent"] == "Russia"
    assert aluminium[0]["recipient"] == "United States"
    assert float(aluminium[0]["value"]) == 2_000_000
    assert aluminium[0]["unit"] == "tonne"


def test_seed_eu_offers_ukraine_critical_minerals_agreement(seed_store: Settings) -> None:
    events = rows("events", seed_store)
    eu = [e for e in events if e["type"] == "Offer" and e["agent"] == "European Union"]
    assert eu, events
    assert eu[0]["recipient"] == "Ukraine"
    assert eu[0]["theme"] == "Critical minerals"
    assert eu[0]["attributedTo"] == "European Commission"


def test_seed_trump_proposes_meeting_zelenskyy(seed_store: Settings) -> None:
    events = rows("events", seed_store)
    meetings = [e for e in events if e["type"] == "Meeting" and e["agent"] == "Donald Trump"]
    assert meetings, events
    assert meetings[0]["status"] == "proposed"
    assert str(meetings[0]["date"]) == "2025-02-24"
    assert "Volodymyr Zelenskyy" in {e["recipient"] for e in meetings} | _counterparties(seed_store, meetings)
    agreements = [e for e in events if e["type"] == "Agreement" and e["agent"] == "Donald Trump"]
    assert agreements and agreements[0]["status"] == "proposed"


def _counterparties(settings: Settings, events: list[dict[str, object]]) -> set[str]:
    result = geokg.sparql(
        "PREFIX gk: <https://w3id.org/geokg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?e ?label WHERE { ?e gk:counterparty/skos:prefLabel ?label }", settings)
    wanted = {str(e["event"]) for e in events}
    return {str(label) for event, label in result.rows if str(event) in wanted}


def test_seed_trump_statement_about_deals_with_russia(seed_store: Settings) -> None:
    statements = rows("statements", seed_store)
    trump = [s for s in statements if s["speaker"] == "Donald Trump"]
    assert any("major economic development deals with Russia" in str(s["text"]) for s in trump), statements


def test_seed_mentions_link_canonical_entities(seed_store: Settings) -> None:
    mentions = {(m["type"], m["label"], m["iso"], m["wikidata"]) for m in rows("mentions", seed_store)}
    assert ("Country", "Russia", "RU", "Q159") in mentions
    assert ("Country", "United States", "US", "Q30") in mentions
    assert ("Person", "Vladimir Putin", None, "Q7747") in mentions
    assert any(t == "Media" and label == "Interfax" for t, label, _, _ in mentions)


def test_seed_build_is_idempotent(seed_store: Settings, seeds_dir: Path) -> None:
    before = geokg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", seed_store).rows
    geokg.build([seeds_dir], seed_store)
    after = geokg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", seed_store).rows
    assert before == after


def test_seed_unit_labels_live_once_in_the_reference_graph(seed_store: Settings) -> None:
    # A statement about a shared IRI repeated in every article graph matches once per graph in the
    # union default graph and multiplies the rows of the stored queries that join on it.
    units = geokg.sparql("""
        SELECT DISTINCT ?unit ?g ?label WHERE {
          GRAPH ?q { ?quantity <http://qudt.org/schema/qudt/unit> ?unit }
          OPTIONAL { GRAPH ?g { ?unit <http://www.w3.org/2000/01/rdf-schema#label> ?label } } }""", seed_store).rows
    assert units, "the seeds give no quantity"
    assert {g for _, g, _ in units} == {"https://w3id.org/geokg/graph/reference"}, units
    assert len({unit for unit, _, _ in units}) == len(units), units  # one label each
    about_reference = geokg.sparql("""
        SELECT DISTINCT ?g ?s WHERE {
          GRAPH <https://w3id.org/geokg/graph/reference> { ?s ?p ?o }
          GRAPH ?g { ?s ?q ?x } FILTER(?g != <https://w3id.org/geokg/graph/reference>) }""", seed_store).rows
    # Only the derived entities graph speaks of them too: each entity's one gk:displayLabel, stated once.
    assert {g for g, _ in about_reference} <= {"https://w3id.org/geokg/graph/crossdoc/entities"}, about_reference
    assert geokg.sparql("""
        SELECT ?s ?p WHERE {
          GRAPH <https://w3id.org/geokg/graph/reference> { ?s ?x ?y }
          GRAPH <https://w3id.org/geokg/graph/crossdoc/entities> { ?s ?p ?o }
          FILTER(?p != <https://w3id.org/geokg/ontology#displayLabel>) }""", seed_store).rows == []


def test_seed_store_conforms_to_shapes(seed_store: Settings) -> None:
    report = geokg.validate(None, seed_store)
    assert report.conforms, report.text


def test_seed_is_copied_from_shared(seeds_dir: Path, shared_dir: Path) -> None:
    for path in (shared_dir / "seeds").iterdir():
        assert (seeds_dir / path.name).read_bytes() == path.read_bytes()
