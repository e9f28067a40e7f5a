"""Date expressions resolved against the article date (extract/dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geokg.extract.dates import resolve_date, resolve_partial

TUE = dt.date(2025, 2, 25)  # a Tuesday


@pytest.mark.parametrize("expression, expected", [
    ("on Monday", "2025-02-24"),
    ("Monday", "2025-02-24"),
    ("on Monday evening", "2025-02-24"),
    ("earlier on Monday", "2025-02-24"),
    ("last Monday", "2025-02-24"),
    ("late Tuesday", "2025-02-25"),  # the anchor's own weekday is the anchor
    ("on Tuesday", "2025-02-25"),
    ("last Tuesday", "2025-02-18"),
    ("Wednesday", "2025-02-19"),
    ("Sunday night", "2025-02-23"),
    ("next Monday", "2025-03-03"),
    ("next Tuesday", "2025-03-04"),
    ("this coming Friday", "2025-02-28"),
    ("today", "2025-02-25"),
    ("yesterday", "2025-02-24"),
    ("late yesterday", "2025-02-24"),
    ("tomorrow", "2025-02-26"),
    ("24 February", "2025-02-24"),
    ("February 24", "2025-02-24"),
    ("Feb. 24", "2025-02-24"),
    ("Feb 24", "2025-02-24"),
    ("24th of February", "2025-02-24"),
    ("February 24th", "2025-02-24"),
    ("24 February 2024", "2024-02-24"),
    ("February 24, 2023", "2023-02-24"),
    ("2025-02-24", "2025-02-24"),
    ("on the 24th", "2025-02-24"),
    ("the 3rd", "2025-03-03"),
    ("Monday, Feb. 17", "2025-02-17"),
    ("December 30", "2024-12-30"),  # nearest: two months back beats ten ahead
])
def test_dates_resolve(expression: str, expected: str) -> None:
    assert resolve_date(expression, TUE) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("expression, anchor, prefer, expected", [
    ("May 19", dt.date(2020, 5, 19), "nearest", "2020-05-19"),
    ("April 8", dt.date(1987, 4, 8), "past", "1987-04-08"),
    ("Apr 8", dt.date(1987, 4, 9), "past", "1987-04-08"),
    # a past-tense report may name a date up to about two months ahead
    ("April 1", dt.date(2025, 2, 25), "past", "2025-04-01"),
    ("June 1", dt.date(2025, 2, 25), "past", "2024-06-01"),
    ("January 10", dt.date(2025, 12, 20), "future", "2026-01-10"),
    ("February 1", dt.date(2025, 2, 25), "future", "2026-02-01"),
    ("Thursday", TUE, "future", "2025-02-27"),
    ("Thursday", TUE, "past", "2025-02-20"),
])
def test_dates_prefer(expression: str, anchor: dt.date, prefer: str, expected: str) -> None:
    assert resolve_date(expression, anchor, prefer=prefer) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("expression", [
    "this week", "next week", "last month", "2023", "in March", "March 2023", "recently",
    "", "February 30", "2025-13-01", "mid-2024", "the 45th",
])
def test_dates_vague_is_none(expression: str) -> None:
    assert resolve_date(expression, TUE) is None


def test_dates_without_anchor_only_full_dates() -> None:
    assert resolve_date("on Monday", None) is None
    assert resolve_date("24 February", None) is None
    assert resolve_date("24 February 2025", None) == dt.date(2025, 2, 24)


@pytest.mark.parametrize("expression, expected", [
    ("last month", "2025-01"),
    ("this month", "2025-02"),
    ("next month", "2025-03"),
    ("last year", "2024"),
    ("this year", "2025"),
    ("in March 2023", "2023-03"),
    ("March, 2023", "2023-03"),
    ("in January", "2025-01"),
    ("in December", "2024-12"),
    ("2024", "2024"),
    ("in 2019", "2019"),
    ("mid-2024", "2024"),
    ("2024-03", "2024-03"),
    ("may", "2025-05"),
])
def test_dates_partial(expression: str, expected: str) -> None:
    assert resolve_partial(expression, TUE) == expected


@pytest.mark.parametrize("expression", [
    "on Monday", "24 February", "2025-02-24", "this week", "the 2024-25 season", "may rise", "soon",
])
def test_dates_partial_none(expression: str) -> None:
    assert resolve_partial(expression, TUE) is None


def test_dates_partial_january_last_month_crosses_year() -> None:
    assert resolve_partial("last month", dt.date(2025, 1, 15)) == "2024-12"


def test_dates_extreme_anchors() -> None:
    assert resolve_date("tomorrow", dt.date.max) is None
    assert resolve_date("yesterday", dt.date.min) is None
    assert resolve_partial("next year", dt.date.max) is None
    assert resolve_date("December 31", dt.date.max) == dt.date.max


@given(st.text(), st.none() | st.dates(), st.sampled_from(["past", "future", "nearest"]))
def test_dates_never_crash(expression: str, anchor: dt.date | None, prefer: str) -> None:
    result = resolve_date(expression, anchor, prefer)  # type: ignore[arg-type]
    assert result is None or isinstance(result, dt.date)
    partial = resolve_partial(expression, anchor, prefer)  # type: ignore[arg-type]
    assert partial is None or len(partial) in (4, 7)


@given(st.sampled_from(["on Monday", "late Friday", "next Sunday", "last Thursday", "3 March", "the 9th",
                        "yesterday", "May 5", "Sept. 30"]), st.dates())
def test_dates_stay_near_the_anchor(expression: str, anchor: dt.date) -> None:
    result = resolve_date(expression, anchor)
    assert result is None or abs((result - anchor).days) <= 366
