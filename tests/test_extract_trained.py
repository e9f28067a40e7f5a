"""The shipped trigger model with the rules, on sentences written for these tests: the events a
commodity desk needs, with direction and the size of the move. Built end to end and read back
through the stored ``events`` query. (What the model still misses is measured in
docs/quality.md, not pinned here.)"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import geokg
from geokg.nlp import PACKAGED_EVENT_MODEL
from geokg.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.issue(16),
              pytest.mark.skipif(not (PACKAGED_EVENT_MODEL / "meta.json").is_file(),
                                 reason="no shipped event model: run `make model`")]

SENTENCES = {
    "brent": "Brent crude rose 3% to $78 a barrel on Tuesday.",
    "russia-cut": "Russia would cut crude exports by 500,000 bpd, Deputy Prime Minister Alexander Novak said.",
    "eia": "U.S. crude inventories rose by 4.2 million barrels last week, the Energy Information Administration said.",
    "china-gdp": "China's economy grew 5.2% last year, the statistics bureau said.",
    "hormuz": "Iran threatened to close the Strait of Hormuz if Washington tightened sanctions.",
    "kenya-surplus": "Kenya's energy minister said that the diesel market would be in surplus in February.",
    "sugar": "Analysts expect the sugar market to swing to a surplus of 3 million tonnes next season.",
    "nickel": "Nickel prices were down 8% at $16,500 a tonne on Friday.",
    "coffee": "Lower coffee prices hurt growers in Uganda last year.",
    "egypt": "Traders expect wheat demand in Egypt to rise next year.",
    "palm-goal": "Indonesia banned palm oil exports, aiming to stabilize rising cooking oil prices.",
    "office": "Chevron expects to open a new office in Perth this year.",
}


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, object]]]:
    folder = tmp_path_factory.mktemp("desk")
    path = folder / "desk.jsonl"
    path.write_text("".join(json.dumps({"id": key, "date": "2025-03-05", "text": text}) + "\n"
                            for key, text in SENTENCES.items()), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("GEOKG_EVENT_MODEL", raising=False)
        settings = Settings.from_env(store=folder / "geokg.db")
        summary = geokg.build([path], settings)
    assert summary.failures == [] and summary.quarantined == [], summary
    rows = geokg.query("events", {}, settings).as_dicts()
    found: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        found.setdefault(str(row["article"]), []).append(row)
    return found


def one(events, article: str, type_: str) -> dict[str, object]:
    rows = [r for r in events.get(article, []) if r["type"] == type_]
    assert len(rows) == 1, events.get(article)
    return rows[0]


def test_a_price_move_without_the_word_price_has_its_direction_change_and_level(events) -> None:
    row = one(events, "brent", "PriceChange")
    assert (row["direction"], row["change"], row["changeUnit"], row["value"], row["unit"]) == (
        "up", Decimal("3"), "percent", Decimal("78"), "USD per barrel")


def test_a_cut_in_exports_is_a_trade_volume_down_never_a_supply(events) -> None:
    row = one(events, "russia-cut", "TradeChange")
    assert (row["agent"], row["theme"], row["direction"], row["change"], row["value"]) == (
        "Russia", "Crude oil", "down", Decimal("500000"), None)
    assert not [r for r in events["russia-cut"] if r["type"] == "SaleOrSupply"]


def test_a_stock_build_is_an_inventory_change_up(events) -> None:
    row = one(events, "eia", "InventoryChange")
    assert (row["direction"], row["change"], row["changeUnit"]) == ("up", Decimal("4200000"), "barrel")


def test_growth_is_an_economic_trend_of_its_country(events) -> None:
    row = one(events, "china-gdp", "EconomicTrend")
    assert (row["agent"], row["direction"], row["change"]) == ("China", "up", Decimal("5.2"))


def test_a_threat_is_a_tension(events) -> None:
    assert one(events, "hormuz", "Tension")["agent"] == "Iran"


def test_a_surplus_is_a_market_balance_of_its_commodity(events) -> None:
    row = one(events, "sugar", "MarketBalance")
    assert (row["theme"], row["value"], row["unit"]) == ("Sugar", Decimal("3000000"), "tonne")


def test_an_event_only_the_model_finds_in_reported_speech_leaves_the_statement(events) -> None:
    kinds = {str(r["type"]) for r in events["kenya-surplus"]}
    assert "Statement" in kinds and len(kinds) >= 2, kinds  # what the minister said, and the move in it


def test_a_move_is_typed_by_what_moves(events) -> None:
    nickel = one(events, "nickel", "PriceChange")
    assert (nickel["direction"], nickel["change"], nickel["value"]) == ("down", Decimal("8"), Decimal("16500"))
    assert one(events, "coffee", "PriceChange")["direction"] == "down"
    assert one(events, "egypt", "DemandChange")["direction"] == "up"


def test_a_move_someone_aims_at_is_no_event(events) -> None:
    kinds = {str(r["type"]) for r in events["palm-goal"]}
    assert "ExportRestriction" in kinds and "PriceChange" not in kinds, kinds


def test_expecting_to_act_is_no_forecast(events) -> None:
    assert "Forecast" not in {str(r["type"]) for r in events.get("office", [])}
