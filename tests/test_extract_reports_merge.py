"""Two reports of one sale, on consecutive days, in different words: one happening, and the
disagreement on the tonnage is shown. Our own sentences; rules alone (no trained model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import geokg
from geokg.queries import run_query
from geokg.settings import Settings
from geokg.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.issue(16)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    (docs / "harbor.txt").write_text("date 2025-03-04\nsource Harbor Wire\n\n"
                                     "Zambia agreed to sell 20,000 tonnes of copper to India, officials said.\n")
    (docs / "valley.txt").write_text("date 2025-03-05\nsource Valley Post\n\n"
                                     "Zambia will supply 25,000 tonnes of copper to India under a deal signed on "
                                     "Monday, the mining ministry said.\n")
    (docs / "cut.txt").write_text("date 2025-03-05\n\nKazakhstan will cut wheat exports by 300,000 tonnes.\n")
    (docs / "restated.txt").write_text("date 2025-03-06\nsource Steppe Daily\n\nMongolia bans coal exports to China\n\n"
                                       "Mongolia banned coal exports to China on Thursday, the trade ministry said.\n")
    path = tmp_path_factory.mktemp("store") / "store"
    summary = geokg.build([docs], Settings(store=path))
    assert not summary.failures and not summary.violations, summary
    return path


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEOKG_EVENT_MODEL", "none")
        yield patch


def test_a_deal_signed_on_monday_is_the_monday_before_and_frames_the_supply(store: Path) -> None:
    with Store.open(store, read_only=True) as opened:
        rows = run_query(opened, "events", {"article": "valley"}).as_dicts()
    assert [(r["type"], r["date"], r["value"]) for r in rows] == [("SaleOrSupply", dt.date(2025, 3, 3), 25000)]


def test_the_two_reports_are_one_happening_and_their_tonnages_disagree(store: Path) -> None:
    with Store.open(store, read_only=True) as opened:
        rows = run_query(opened, "disagreements", {}).as_dicts()
    assert [(r["type"], r["field"], r["value1"], r["value2"]) for r in rows] == [
        ("SaleOrSupply", "quantity", "20,000 tonnes", "25,000 tonnes")]


def test_a_cut_in_exports_is_never_a_supply(store: Path) -> None:
    with Store.open(store, read_only=True) as opened:
        rows = run_query(opened, "events", {"article": "cut"}).as_dicts()
    assert not any(r["type"] == "SaleOrSupply" for r in rows)


def test_a_headline_and_its_lead_are_one_event_citing_both_sentences(store: Path) -> None:
    with Store.open(store, read_only=True) as opened:
        rows = run_query(opened, "events", {"article": "restated"}).as_dicts()
        restated = geokg.queries.run_sparql(opened, """
            PREFIX oa: <http://www.w3.org/ns/oa#>
            SELECT ?first ?again WHERE { ?e gk:evidence/oa:exact ?first ; gk:restatedIn/oa:exact ?again }""")
    assert [(r["type"], r["agent"], r["date"]) for r in rows] == [("ExportRestriction", "Mongolia", dt.date(2025, 3, 6))]
    assert [tuple(map(str, row)) for row in restated.rows] == [
        ("Mongolia banned coal exports to China on Thursday, the trade ministry said.",
         "Mongolia bans coal exports to China")]
