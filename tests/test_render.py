"""Rendering rows as table, CSV and JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest

from geokg.errors import ConfigError
from geokg.render import FORMATS, render, render_csv, render_json, render_table

COLUMNS = ("article", "value", "date", "sentence")
LONG = "Chile offered 300,000 tonnes of copper to Japan on 3 March 2024, Reuters reports."
ROWS = [("a1", Decimal("300000"), dt.date(2024, 3, 3), LONG), ("a2", None, None, "two\nlines")]


def test_render_table_aligns_truncates_and_titles() -> None:
    lines = render_table(COLUMNS, ROWS, title="Offers").splitlines()
    assert lines[0] == "Offers"
    assert lines[1].split() == list(COLUMNS)
    assert set(lines[2].replace(" ", "")) == {"-"}
    assert lines[3].startswith("a1       300000  2024-03-03  Chile offered")
    assert lines[3].endswith("…") and len(lines[3].split("  ")[-1]) == 60
    assert lines[4].split() == ["a2", "two", "lines"]  # empty cells, one line per row
    assert lines[-1] == "(2 rows)"
    starts = [lines[1].index(c) for c in COLUMNS]
    assert lines[3].index("300000") == starts[1] and lines[3].index("2024") == starts[2]


def test_render_table_cuts_long_iris_in_the_middle_so_that_their_ends_tell_them_apart() -> None:
    events = [f"https://w3id.org/geokg/id/event/2025-02-25-putin-rare-earths-{n}" for n in (1, 14)]
    lines = render_table(("event",), [(e,) for e in events]).splitlines()
    assert [line.rstrip() for line in lines[2:4]] == ["https://w3id.org…/id/event/2025-02-25-putin-rare-earths-1",
                                                      "https://w3id.org…/id/event/2025-02-25-putin-rare-earths-14"]
    assert render_table(("note",), [("see https://w3id.org/" + "x" * 60,)], max_width=30).splitlines()[2] \
        == "see https://w3id.org/xxxxxxxx…"  # text that holds an IRI is cut at its end as before


def test_render_table_without_rows() -> None:
    assert render_table(("a", "b"), []).splitlines() == ["a  b", "-  -", "(0 rows)"]


def test_render_csv_keeps_full_values() -> None:
    text = render_csv(COLUMNS, ROWS)
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [list(COLUMNS), ["a1", "300000", "2024-03-03", LONG], ["a2", "", "", "two\nlines"]]


def test_render_json_is_a_list_of_objects() -> None:
    records = json.loads(render_json(COLUMNS, ROWS + [("a3", Decimal("1.25"), None, True)]))
    assert records[0] == {"article": "a1", "value": 300000, "date": "2024-03-03", "sentence": LONG}
    assert records[1]["value"] is None
    assert records[2]["value"] == 1.25 and records[2]["sentence"] is True


def test_render_dispatch_and_unknown_format() -> None:
    assert sorted(FORMATS) == ["csv", "json", "table"]
    assert render(COLUMNS, ROWS, "csv") == render_csv(COLUMNS, ROWS)
    with pytest.raises(ConfigError, match="It must be in: table, csv, json"):
        render(COLUMNS, ROWS, "xml")
