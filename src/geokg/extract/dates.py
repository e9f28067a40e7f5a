"""Resolve the date expressions news text uses against the article date.

Pure functions over strings: NER finds "on Monday" or "24 February"; this module
turns them into ``datetime.date`` values (or ``"YYYY-MM"`` / ``"YYYY"`` for
partial ones) relative to the article's publication date, the *anchor*.

Conventions (those of the news-dev annotation):

* A bare weekday is the most recent such day strictly before the anchor, or the
  anchor itself when it is that weekday ("on Monday" in a Tuesday article is the
  day before). News reports what happened; pass ``prefer="future"`` for a verb
  in the future tense. "next Monday" is always ahead, "last Monday" always before.
* A day and month without a year takes the year that puts it nearest the anchor,
  bent by ``prefer``: "past" allows dates up to about two months ahead (reports
  name effective dates: "duties apply from May 19"), "future" allows dates up to
  a week back.
* Vague or partial expressions ("this week", "in March", "2023") give ``None``
  from :func:`resolve_date`; :func:`resolve_partial` gives months and years.

Nothing here raises on odd input: any string gives a value or ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

Prefer = Literal["past", "future", "nearest"]

# fmt: off
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    # No "wed", "sat", "sun": they are ordinary English words too.
    "mon": 0, "tue": 1, "tues": 1, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
}
# fmt: on
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
# "24 February 2025", "24th of Feb. 2025", "February 24, 2025", "Feb. 24", "April 8"
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}{_YEAR}\b(?!\s*(?:-|:|\d))")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ORDINAL_DAY = re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b")
_WEEKDAY = re.compile(
    r"\b(?P<mod>next|last|past|previous|this|coming|this\s+coming)?\s*"
    r"(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\b\.?"
)
_RELATIVE = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_MONTH_YEAR = re.compile(rf"\b{_MONTH}(?:\s+of)?,?\s+(?P<year>\d{{4}})\b")
_MONTH_ALONE = re.compile(rf"\b(?:in|during|since|until|by|from|early|late|mid|mid-)?\s*{_MONTH}\b(?!\s*\d)")
# A year alone, but not either end of a span such as "2024-25" or "2022-2023".
_YEAR_ALONE = re.compile(r"(?<!\d)(?<!\d-)(?P<year>1[89]\d\d|2\d\d\d)(?![\d-])")
_ISO_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b(?!-\d)")

# How far a past-tense report may point ahead, and a future-tense one back.
_PAST_SLACK = dt.timedelta(days=61)
_FUTURE_SLACK = dt.timedelta(days=7)


def resolve_date(expression: str, anchor: dt.date | None, prefer: Prefer = "nearest") -> dt.date | None:
    """Resolve a day-precise date expression against the article date.

    Args:
        expression: what NER found, e.g. "on Monday evening", "Feb. 24", "May 19".
        anchor: the article's publication date; without it only expressions
            that carry a year resolve.
        prefer: "past" for reported events, "future" for plans, "nearest" when
            the tense is unknown (weekdays then count as past, see the module).

    Returns:
        The date, or None for vague, partial or unknown expressions.

    Example:
        >>> tue = dt.date(2025, 2, 25)
        >>> resolve_date("on Monday evening", tue)
        datetime.date(2025, 2, 24)
        >>> resolve_date("late Tuesday", tue), resolve_date("next Monday", tue)
        (datetime.date(2025, 2, 25), datetime.date(2025, 3, 3))
        >>> resolve_date("Feb. 24", tue), resolve_date("February 24, 2025", None)
        (datetime.date(2025, 2, 24), datetime.date(2025, 2, 24))
        >>> resolve_date("yesterday", tue), resolve_date("on the 24th", tue)
        (datetime.date(2025, 2, 24), datetime.date(2025, 2, 24))
        >>> resolve_date("Dec 30", dt.date(2025, 1, 5), prefer="past")
        datetime.date(2024, 12, 30)
        >>> resolve_date("this week", tue) is None, resolve_date("in March", tue) is None
        (True, True)
    """
    if not isinstance(expression, str):
        return None
    text = " ".join(expression.lower().split())
    try:
        return _resolve(text, anchor, prefer)
    except (ValueError, OverflowError):
        # Out-of-range arithmetic near date.min/date.max: no date rather than a crash.
        return None


def _resolve(text: str, anchor: dt.date | None, prefer: Prefer) -> dt.date | None:
    if match := _ISO.search(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if match := pattern.search(text):
            month, day = _MONTHS[match["month"]], int(match["day"])
            if match["year"]:
                return _safe_date(int(match["year"]), month, day)
            return _pick_year(month, day, anchor, prefer) if anchor else None
    if anchor is None:
        return None
    for word, shift in _RELATIVE.items():
        if re.search(rf"\b{word}\b", text):
            return anchor + dt.timedelta(days=shift)
    if match := _WEEKDAY.search(text):
        return _weekday(_WEEKDAYS[match["weekday"]], (match["mod"] or "").split()[-1:], anchor, prefer)
    if match := _ORDINAL_DAY.search(text):
        return _pick_month(int(match[1]), anchor, prefer)
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _choose(candidates: list[dt.date], anchor: dt.date, prefer: Prefer) -> dt.date | None:
    if prefer == "past":
        candidates = [c for c in candidates if c <= anchor + _PAST_SLACK]
    elif prefer == "future":
        candidates = [c for c in candidates if c >= anchor - _FUTURE_SLACK]
    if not candidates:
        return None
    # Ties go to the earlier date, news being mostly about the past.
    return min(candidates, key=lambda c: (abs(c - anchor), c))


def _pick_year(month: int, day: int, anchor: dt.date, prefer: Prefer) -> dt.date | None:
    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    candidates = [d for y in years if 1 <= y <= 9999 and (d := _safe_date(y, month, day))]
    return _choose(candidates, anchor, prefer)


def _pick_month(day: int, anchor: dt.date, prefer: Prefer) -> dt.date | None:
    candidates = []
    for shift in (-1, 0, 1):
        year, month = divmod(anchor.year * 12 + anchor.month - 1 + shift, 12)
        if 1 <= year <= 9999 and (d := _safe_date(year, month + 1, day)):
            candidates.append(d)
    return _choose(candidates, anchor, prefer)


def _weekday(weekday: int, modifier: list[str], anchor: dt.date, prefer: Prefer) -> dt.date:
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if modifier in (["next"], ["coming"]):
        return anchor + dt.timedelta(days=ahead or 7)
    if modifier in (["last"], ["past"], ["previous"]):
        return anchor - dt.timedelta(days=back or 7)
    if prefer == "future":
        return anchor + dt.timedelta(days=ahead)
    return anchor - dt.timedelta(days=back)


def resolve_partial(expression: str, anchor: dt.date | None, prefer: Prefer = "nearest") -> str | None:
    """Resolve a month- or year-precise expression to ``"YYYY-MM"`` or ``"YYYY"``.

    Day-precise expressions are :func:`resolve_date`'s job and give None here, as
    do weeks and seasons, which have no ISO partial form.

    Args:
        expression: e.g. "last month", "in March 2023", "2024".
        anchor: the article's publication date (needed for relative forms).
        prefer: as for :func:`resolve_date`, for a month without a year.

    Returns:
        ``"YYYY-MM"``, ``"YYYY"`` or None.

    Example:
        >>> tue = dt.date(2025, 2, 25)
        >>> resolve_partial("last month", tue), resolve_partial("in March 2023", tue)
        ('2025-01', '2023-03')
        >>> resolve_partial("2024", None), resolve_partial("next year", tue)
        ('2024', '2026')
        >>> resolve_partial("in December", tue, prefer="past")
        '2024-12'
        >>> resolve_partial("on Monday", tue) is None
        True
    """
    if not isinstance(expression, str):
        return None
    text = " ".join(expression.lower().split())
    try:
        return _resolve_partial(text, anchor, prefer)
    except (ValueError, OverflowError):
        return None


def _resolve_partial(text: str, anchor: dt.date | None, prefer: Prefer) -> str | None:
    if _ISO.search(text) or _DAY_MONTH.search(text) or _MONTH_DAY.search(text):
        return None
    if match := _MONTH_YEAR.search(text):
        return f"{int(match['year']):04d}-{_MONTHS[match['month']]:02d}"
    if (match := _ISO_MONTH.search(text)) and 1 <= int(match[2]) <= 12:
        return f"{match[1]}-{match[2]}"
    if anchor is not None:
        if match := re.search(r"\b(last|this|next|previous|past|coming)\s+(month|year)\b", text):
            shift = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(match[1], 0)
            if match[2] == "year":
                year = anchor.year + shift
                return f"{year:04d}" if 1 <= year <= 9999 else None
            year, month = divmod(anchor.year * 12 + anchor.month - 1 + shift, 12)
            return f"{year:04d}-{month + 1:02d}" if 1 <= year <= 9999 else None
        if (match := _MONTH_ALONE.search(text)) and not _WEEKDAY.search(text):
            # "may" is also a verb: only a month when it is the whole expression
            # or comes after a preposition.
            if match["month"] != "may" or text.strip(" .") == "may" or match.group(0).strip() != "may":
                day = _pick_year(_MONTHS[match["month"]], 1, anchor.replace(day=1), prefer)
                return f"{day.year:04d}-{day.month:02d}" if day else None
    if match := _YEAR_ALONE.search(text):
        return match["year"]
    return None
