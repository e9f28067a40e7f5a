"""Per-role scores, the confusion of types and the CrudeOilNews split of ``geokg evaluate``.

Gold and articles are our own sentences (tests/data/evaluate-roles, tests/data/crudeoilnews-split),
built with the real pipeline into an on-disk store.

news-dev gold (evaluate-roles): r1's sale names Peru as the seller where the text (and the
prediction) says Chile, so the fact is missed but found in its sentence, with a wrong agent and
five right roles; its tariff sits on a sentence where nothing is predicted; r1's zinc price rise
has no gold fact (the confusion's '-' row); r2's gold says nickel where the text says zinc.

CrudeOilNews gold (crudeoilnews-split): c1 and c2 are the dev split, c3 the test split (three
articles sorted by id: the last third is test). Every dev gold event is found; c2's demand
event names smelters where geokg names China (a wrong agent), and its zinc price fall has no
gold event. In c3 the thin margins are missed and the Basra exports are a false hit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import geokg
from geokg.api import evaluate
from geokg.cli import cli, main
from geokg.crudeoilnews import predicted_from_rows, split_articles
from geokg.errors import IngestError

NEWS_DEV = Path(__file__).resolve().parent / "data" / "evaluate-roles"
CRUDE = Path(__file__).resolve().parent / "data" / "crudeoilnews-split"


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


def matrix(table: str) -> dict[str, dict[str, str]]:
    """The confusion printed at the end of a table, as {row: {column: cell}}."""
    lines = table[table.index("gold/predicted"):].splitlines()
    columns = lines[0].split()[1:]
    return {line.split()[0]: dict(zip(columns, line.split()[1:])) for line in lines[1:]}


@pytest.fixture(scope="module")
def news_dev(tmp_path_factory: pytest.TempPathFactory):
    settings = geokg.Settings.from_env(store=tmp_path_factory.mktemp("roles") / "geokg.db")
    return evaluate(NEWS_DEV / "gold.jsonl", [NEWS_DEV / "docs"], settings)


@pytest.mark.slow
def test_news_dev_roles_are_scored_on_facts_found_in_their_sentence(news_dev) -> None:
    sale = news_dev.facts["SaleOrSupply"]
    assert (sale.tp, sale.fn, sale.fp) == (0, 1, 1)        # the seller differs: no fact match
    roles = {role: (s.tp, s.tp + s.fn) for role, s in news_dev.roles.items()}
    assert roles == {"agent": (0, 1), "commodity": (1, 2), "recipient": (1, 1), "quantity": (1, 1),
                     "date": (2, 2), "attribution": (1, 1)}
    assert "role wrong: SaleOrSupply agent: gold 'Peru', found 'Chile'" in " ".join(news_dev.errors)
    assert "role wrong: PriceChange commodity: gold 'Nickel', found ['Zinc']" in " ".join(news_dev.errors)
    table = news_dev.table()
    assert "  agent        0/1 = 0.000" in table and "  commodity    1/2 = 0.500" in table
    assert table.index("  agent ") < table.index("  commodity ") < table.index("  attribution ")


@pytest.mark.slow
def test_news_dev_confusion_counts_facts_without_predictions_and_predictions_without_facts(news_dev) -> None:
    assert news_dev.confusion == {("SaleOrSupply", "SaleOrSupply"): 1, ("Tariff", "-"): 1,
                                  ("PriceChange", "PriceChange"): 1, ("-", "PriceChange"): 1}
    cells = matrix(news_dev.table())
    assert list(cells) == ["PriceChange", "SaleOrSupply", "Tariff", "-"]
    assert cells["Tariff"] == {"PriceChange": ".", "SaleOrSupply": ".", "-": "1"}
    assert cells["-"] == {"PriceChange": "1", "SaleOrSupply": ".", "-": "."}


@pytest.fixture(scope="module")
def crude_dev(tmp_path_factory: pytest.TempPathFactory):
    settings = geokg.Settings.from_env(store=tmp_path_factory.mktemp("dev") / "geokg.db")
    return evaluate(CRUDE / "gold.events.jsonl", [CRUDE / "articles.jsonl"], settings, split="dev")


@pytest.mark.slow
def test_crudeoilnews_dev_split_scores_only_its_articles_per_type_and_role(crude_dev) -> None:
    assert crude_dev.name == "crudeoilnews-dev" and crude_dev.events == 4
    total = crude_dev.total
    assert (total.gold, total.found, total.predicted, total.right) == (4, 4, 5, 4)
    assert (crude_dev.types["PriceChange"].predicted, crude_dev.types["PriceChange"].right) == (2, 1)
    roles = {role: (r.right, r.total) for role, r in crude_dev.roles.items() if r.total}
    # value: $80 is the predicted level, 500,000 bpd the predicted change
    assert roles == {"agent": (2, 3), "theme": (4, 4), "value": (2, 2), "direction": (3, 3)}
    assert crude_dev.confusion[("-", "PriceChange")] == 1
    assert crude_dev.confusion[("Slow-weak", "DemandChange")] == 1
    assert any(e.startswith("c2 false: PriceChange") for e in crude_dev.errors)
    assert not any(e.startswith("c3") for e in crude_dev.errors)


@pytest.mark.slow
def test_crudeoilnews_test_split_is_scored_and_keeps_no_errors(tmp_path: Path) -> None:
    # The rules alone, so that retraining the trigger model does not move the counts.
    settings = geokg.Settings.from_env(store=tmp_path / "geokg.db", extractor="rules")
    result = evaluate(CRUDE / "gold.events.jsonl", [CRUDE / "articles.jsonl"], settings, split="test")
    total = result.total
    assert (result.name, total.gold, total.found, total.predicted, total.right) == ("crudeoilnews-test", 3, 1, 2, 1)
    assert result.errors == []          # a miss and a false hit, never listed
    assert "[crudeoilnews-test] schema coverage: 3/3" in result.table()


@pytest.mark.slow
def test_evaluate_cli_prints_split_roles_and_confusion(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(CRUDE / "gold.events.jsonl"), str(CRUDE / "articles.jsonl"),
                                      "--split", "dev", "--errors", "--store", str(tmp_path / "db")])
    assert result.exit_code == 0, result.output
    scores, errors = result.output.split("errors:")
    assert "[crudeoilnews-dev] schema coverage: 4/4 = 1.000" in scores
    assert "ALL (micro)                      4      4     5      4  0.800  1.000  0.889" in scores
    assert "  agent        2/3 = 0.667" in scores
    assert matrix(scores)["-"]["PriceChange"] == "1"
    assert "c2 false: PriceChange" in errors and "c3" not in errors


@pytest.mark.parametrize("args", [["--split", "test", "--errors"], ["--errors"]])
def test_evaluate_cli_refuses_errors_outside_the_crudeoilnews_dev_split(
        args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(["evaluate", str(CRUDE / "gold.events.jsonl"), str(CRUDE / "articles.jsonl"),
                               "--store", str(tmp_path / "db"), *args], capsys)
    assert (code, out) == (2, "")
    assert "--errors on CrudeOilNews gold needs --split dev" in err
    assert not (tmp_path / "db").exists()


def test_evaluate_cli_refuses_a_split_of_news_dev_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(["evaluate", str(NEWS_DEV / "gold.jsonl"), str(NEWS_DEV / "docs"),
                             "--split", "dev", "--store", str(tmp_path / "db")], capsys)
    assert code == 2
    assert err.startswith("Error: [GK901] split='dev' is not valid. The dev/test split is defined for "
                          "CrudeOilNews gold only")


def test_split_articles_picks_the_fixed_split_from_the_articles_file(tmp_path: Path) -> None:
    ids, lines = split_articles([CRUDE / "articles.jsonl"], "dev")
    assert ids == ["c1", "c2"] and lines[0].startswith('{"id": "c1"')
    assert split_articles([CRUDE / "articles.jsonl"], "test")[0] == ["c3"]
    with pytest.raises(IngestError, match=r"give that \.jsonl as DOCS"):
        split_articles([NEWS_DEV / "docs"], "dev")
    (tmp_path / "a.jsonl").write_text('{"id": "a"}\n["not", "an", "article"]\n', encoding="utf-8")
    with pytest.raises(IngestError, match=r'a\.jsonl:2: .*expected a JSON object with an "id"'):
        split_articles([tmp_path / "a.jsonl"], "all")


def test_predicted_values_hold_the_level_and_the_change() -> None:
    rows = [{"article": "a", "event": "e1", "type": "Production", "sentence": "s", "value": "",
             "change": "500000", "direction": "down"},
            {"article": "a", "event": "e2", "type": "PriceChange", "sentence": "s", "value": "80"}]
    first, second = predicted_from_rows(rows)
    assert (first.values, second.values) == ({500000}, {80})
