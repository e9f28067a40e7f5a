"""``geokg evaluate`` on a gold file written for the test: scores follow from the stored queries."""

from __future__ import annotations

from pathlib import Path

import pytest

import geokg
from geokg.api import evaluate
from geokg.evaluate import Score

pytestmark = pytest.mark.slow
DATA = Path(__file__).resolve().parent / "data" / "evaluate"


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory):
    settings = geokg.Settings.from_env(store=tmp_path_factory.mktemp("eval") / "geokg.db")
    return evaluate(DATA / "gold.jsonl", [DATA / "docs"], settings)


def test_evaluate_entities_match_by_identity_and_count_misses_and_false_hits(evaluation) -> None:
    countries = evaluation.entities["Country"]
    # Chile and Japan found; Bolivia (never in the text) missed; Peru found but not in gold.
    assert (countries.tp, countries.fn, countries.fp) == (2, 1, 1)
    assert evaluation.entities["Commodity"].tp == 1
    assert "e1 entity miss: Country Bolivia" in evaluation.errors
    assert "e1 entity false: Country Peru" in evaluation.errors


def test_evaluate_facts_and_roles(evaluation) -> None:
    assert evaluation.facts["Offer"].tp == 1
    assert evaluation.facts["Tariff"].fn == 1
    assert evaluation.roles["date"].tp == 1 and evaluation.roles["date"].fn == 0
    assert evaluation.roles["recipient"].tp == 1
    assert evaluation.roles["attribution"].tp == 1


def test_evaluate_matches_an_agentless_fact_with_an_agentless_prediction(evaluation) -> None:
    assert (evaluation.facts["PriceChange"].tp, evaluation.facts["PriceChange"].fp) == (1, 0)


def test_evaluate_pairs_each_gold_fact_with_the_prediction_from_its_sentence(tmp_path: Path) -> None:
    # e3 lists its two sales out of text order: first-found pairing would swap the quantities.
    pairing = DATA.parent / "evaluate-pairing"
    result = evaluate(pairing / "gold.jsonl", [pairing / "docs"], geokg.Settings.from_env(store=tmp_path / "db"))
    assert result.facts["SaleOrSupply"].tp == 2
    assert (result.roles["quantity"].tp, result.roles["quantity"].fn) == (2, 0)


def test_score_arithmetic() -> None:
    score = Score(tp=3, fp=1, fn=2)
    assert (round(score.precision, 3), round(score.recall, 3), round(score.f1, 3)) == (0.75, 0.6, 0.667)
    assert Score().f1 == 0.0


def test_events_of_types_the_gold_schema_lacks_are_listed_not_scored(tmp_path: Path) -> None:
    # news-dev's annotators mark twelve types; a trade-volume fall is neither right nor wrong there.
    schema = DATA.parent / "evaluate-schema"
    result = evaluate(schema / "gold.jsonl", [schema / "docs"], geokg.Settings.from_env(store=tmp_path / "db"))
    assert result.unscored == {"TradeChange": 1}
    assert (result.facts["SaleOrSupply"].tp, result.total(result.facts).fp) == (1, 0)
    assert "not scored (types the gold schema does not annotate): TradeChange 1" in result.table()
