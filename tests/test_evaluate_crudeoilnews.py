"""CrudeOilNews scoring on gold and events files written for the test (tests/data/crudeoilnews/).

The sentences are our own; the corpus itself is never read by the tests. Expected figures:
d1 holds a price rise (found), protests that halt shipments (the unrest found, the shipment
drop missed), a demand forecast (found by a Forecast) and a worry (out of scope); d2 holds an
export ban (found) and an inventory fall (missed: predicted as a price change). Predictions:
six of scored types, four right; a Statement (not scored); one event of a document without gold.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokg.cli import cli
from geokg.crudeoilnews import (
    GoldEvent,
    map_type,
    numbers,
    predicted_from_rows,
    read_events_csv,
    read_gold,
    score,
    split_docs,
    split_name,
)
from geokg.errors import IngestError
from geokg.evaluate import detect_format, render_confusion, sentences_overlap

DATA = Path(__file__).resolve().parent / "data" / "crudeoilnews"


@pytest.fixture(scope="module")
def evaluation():
    predicted, has_direction = read_events_csv(DATA / "events.csv")
    return score(read_gold(DATA / "gold.events.jsonl"), predicted, name="test-set", direction_column=has_direction)


@pytest.mark.parametrize(("kind", "arguments", "trigger", "label", "accepts"), [
    ("Movement-down-loss", {"attribute": ["futures"]}, "fell", "PriceChange", {"PriceChange"}),
    ("Movement-up-gain", {"attribute": ["output"]}, "rose", "Production", {"Production"}),
    ("Movement-up-gain", {"attribute": ["exports"]}, "rose", "TradeChange", {"TradeChange"}),
    ("Cause-movement-down-loss", {"attribute": ["consumption"]}, "curbed", "DemandChange", {"DemandChange"}),
    ("MOVEMENT-UP-GAIN", {"attribute": ["stockpiles"]}, "rose", "InventoryChange", {"InventoryChange"}),
    ("Movement-down-loss", {"item": ["economic growth"]}, "slowed", "EconomicTrend", {"EconomicTrend"}),
    ("Movement-down-loss", {"attribute": ["demand growth"]}, "slowed", "DemandChange", {"DemandChange"}),
    ("Movement-up-gain", {"item": ["Brent crude"]}, "climbed", "PriceChange", {"PriceChange"}),
    ("Movement-up-gain", {"item": ["U.S. stocks"]}, "climbed", "PriceChange", {"PriceChange"}),
    ("Movement-up-gain", {}, "build", "InventoryChange", {"InventoryChange"}),
    ("Movement-down-loss", {"difference": ["85 cents"]}, "lost", "PriceChange", {"PriceChange"}),
    ("Cause-movement-down-loss", {}, "cuts", "Production", {"Production"}),
    ("Cause-movement-down-loss", {"attribute": ["supply"]}, "outage", "Production", {"Production", "SupplyDisruption"}),
    ("Position-high", {"duration": ["five-month"]}, "high", "PriceChange", {"PriceChange"}),
    ("Grow-strong", {"attribute": ["demand"]}, "strong", "DemandChange", {"DemandChange"}),
    ("Slow-weak", {}, "sluggish", "EconomicTrend", {"EconomicTrend"}),
    ("Cause-movement-down-loss", {"attribute": ["output"], "forecaster": ["the agency"]}, "lowered", "Production",
     {"Production", "Forecast"}),
    ("Embargo", {}, "sanctions", "Sanction|ExportRestriction", {"Sanction", "ExportRestriction"}),
    ("Prohibiting", {}, "ban", "Sanction|ExportRestriction", {"Sanction", "ExportRestriction"}),
    ("Oversupply", {}, "glut", "MarketBalance", {"MarketBalance"}),
    ("Shortage", {}, "shortfall", "MarketBalance", {"MarketBalance"}),
    ("Civil-unrest", {}, "fighting", "SupplyDisruption", {"SupplyDisruption"}),
    ("Geopolitical-tension", {}, "tensions", "Tension", {"Tension"}),
    ("trade-financial-tension", {}, "trade war", "Tension", {"Tension"}),
    ("Crisis", {}, "crisis", "Tension", {"Tension"}),
    ("Negative_sentiment", {}, "fears", "", set()),
    ("Movement-down-loss", {"attribute": ["profits"]}, "fell", "", set()),
    ("Movement-up-gain", {}, "jumped", "", set()),
])
def test_crudeoilnews_map_type(kind, arguments, trigger, label, accepts) -> None:
    mapped = map_type(kind, arguments, trigger)
    assert (mapped.label, set(mapped.accepts)) == (label, accepts)


def test_crudeoilnews_split_is_fixed_and_deterministic() -> None:
    ids = [f"con-{n:03d}" for n in range(150)]
    shuffled = random.Random(7).sample(ids, len(ids))
    dev, test = split_docs(shuffled, "dev"), split_docs(ids, "test")
    assert (len(dev), len(test)) == (100, 50)
    assert test == ids[100:] and dev == ids[:100]
    assert split_docs(reversed(ids), "test") == test
    assert split_docs(ids, "all") == sorted(dev + test)
    assert split_name("test") == "crudeoilnews-test"
    with pytest.raises(ValueError, match="dev, test, all"):
        split_docs(ids, "train")


def test_crudeoilnews_scores_per_type_and_micro(evaluation) -> None:
    assert (evaluation.events, evaluation.total.gold) == (7, 6)
    assert round(evaluation.coverage, 3) == 0.857
    price = evaluation.types["PriceChange"]
    assert (price.gold, price.found, price.predicted, price.right) == (1, 1, 3, 1)
    assert (evaluation.types["InventoryChange"].gold, evaluation.types["InventoryChange"].found) == (1, 0)
    assert (evaluation.types["TradeChange"].gold, evaluation.types["TradeChange"].found) == (1, 0)
    assert (evaluation.types["DemandChange"].found, evaluation.types["Forecast"].right) == (1, 1)
    ban = evaluation.types["Sanction|ExportRestriction"]
    assert (ban.gold, ban.found, ban.predicted, ban.right) == (1, 1, 1, 1)
    total = evaluation.total
    assert (total.gold, total.found, total.predicted, total.right) == (6, 4, 6, 4)
    assert (round(total.precision, 3), round(total.recall, 3), round(total.f1, 3)) == (0.667, 0.667, 0.667)
    assert "Statement" not in evaluation.types


def test_crudeoilnews_role_accuracy_on_found_events(evaluation) -> None:
    roles = {k: (r.right, r.total) for k, r in evaluation.roles.items()}
    assert roles["agent"] == (2, 2)          # "Example Bank"; "The government" ~ "Government of Indonesia"
    assert roles["theme"] == (3, 3)          # copper (price), copper (forecast), nickel ore ~ Nickel
    assert roles["value"] == (1, 1)
    assert roles["direction"] == (2, 2)
    assert "recipient" not in roles


def test_crudeoilnews_confusion_of_types(evaluation) -> None:
    confusion = evaluation.confusion
    assert confusion[("Movement-up-gain", "PriceChange")] == 1
    assert confusion[("Civil-unrest", "SupplyDisruption")] == 1
    assert confusion[("Cause-movement-down-loss", "SupplyDisruption")] == 1
    assert confusion[("Slow-weak", "Forecast")] == 1
    assert confusion[("Negative_sentiment", "Statement")] == 1
    assert confusion[("Prohibiting", "ExportRestriction")] == 1
    assert confusion[("Movement-down-loss", "PriceChange")] == 1
    # "Nickel prices were steady" holds no gold event: the '-' row; d9 has no gold, so no row at all
    assert confusion[("-", "PriceChange")] == 1
    assert sum(confusion.values()) == 8
    table = evaluation.table()
    assert "[test-set] schema coverage: 6/7 = 0.857" in table
    assert "Prohibiting" in table and "gold/predicted" in table
    matrix = table[table.index("gold/predicted"):].splitlines()
    columns = matrix[0].split()[1:]
    assert matrix[-1].split()[0] == "-"
    assert dict(zip(columns, matrix[-1].split()[1:]))["PriceChange"] == "1"


def test_crudeoilnews_errors_list_misses_and_false_hits(evaluation) -> None:
    assert any(e.startswith("d2 miss: InventoryChange") for e in evaluation.errors)
    assert any(e.startswith("d2 false: PriceChange") and "steady" in e for e in evaluation.errors)
    assert not any(e.startswith("d9") for e in evaluation.errors)


def test_crudeoilnews_without_direction_column_leaves_direction_unscored(tmp_path: Path) -> None:
    lines = (DATA / "events.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "e.csv").write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    predicted, has_direction = read_events_csv(tmp_path / "e.csv")
    result = score(read_gold(DATA / "gold.events.jsonl"), predicted, direction_column=has_direction)
    assert not has_direction and "direction" not in result.roles
    assert "direction    not scored" in result.table()


def test_crudeoilnews_rejects_a_csv_of_another_query(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("article,entity,type\nd1,x,Country\n", encoding="utf-8")
    with pytest.raises(IngestError, match="missing column"):
        read_events_csv(tmp_path / "m.csv")


def test_evaluate_detects_the_gold_format(tmp_path: Path) -> None:
    assert detect_format(DATA / "gold.events.jsonl") == "crudeoilnews"
    assert detect_format(DATA.parent / "evaluate" / "gold.jsonl") == "news-dev"
    (tmp_path / "x.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(IngestError, match="unknown gold format"):
        detect_format(tmp_path / "x.jsonl")


def test_sentence_overlap_and_numbers() -> None:
    assert sentences_overlap("Headline. Copper prices rose 4% on Tuesday.", "Copper prices rose 4% on Tuesday.")
    assert not sentences_overlap("", "Copper prices rose.")
    assert 20000 in numbers(["20,000 tonnes"]) and 1500000 in numbers(["1.5 million barrels"])
    assert render_confusion({("A", "X"): 1}).splitlines()[1].split() == ["A", "1"]


@pytest.mark.slow
def test_evaluate_cli_scores_crudeoilnews_gold(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(DATA / "gold.events.jsonl"), str(DATA / "articles.jsonl"),
                                      "--store", str(tmp_path / "db")])
    assert result.exit_code == 0, result.output
    assert "[crudeoilnews] schema coverage: 6/7 = 0.857" in result.output
    assert "ALL (micro)" in result.output and "gold/predicted" in result.output


@pytest.mark.parametrize(("difference", "label"), [
    ("$1.20 a barrel", "PriceChange"), ("40 cents", "PriceChange"), ("$3", "PriceChange"),
    ("2.5 million barrels", "InventoryChange"), ("300,000 bpd", "Production"), ("$12 million", ""),
])
def test_crudeoilnews_map_type_by_the_unit_of_the_change(difference: str, label: str) -> None:
    assert map_type("Movement-down-loss", {"difference": [difference]}, "dropped").label == label


def test_crudeoilnews_an_event_is_found_in_every_sentence_that_states_it() -> None:
    kind, arguments = "Movement-down-loss", {"attribute": ["prices"], "item": ["copper"]}
    gold = [GoldEvent("d", sentence, kind, trigger, arguments, map_type(kind, arguments, trigger))
            for sentence, trigger in (("Copper prices fell 2% on Monday in London.", "fell"),
                                      ("Traders blamed the slide of the metal on weaker Chinese demand.", "slide"))]
    rows = [{"article": "d", "event": "e1", "type": "PriceChange", "sentence": gold[0].sentence}]
    restated = [{"event": "e1", "sentence": gold[1].sentence}, {"event": "other", "sentence": "Gold rose."}]
    first_only, every = score(gold, predicted_from_rows(rows)), score(gold, predicted_from_rows(rows, restated))
    assert (first_only.types["PriceChange"].found, every.types["PriceChange"].found) == (1, 2)
    assert (every.types["PriceChange"].predicted, every.types["PriceChange"].right) == (1, 1)
