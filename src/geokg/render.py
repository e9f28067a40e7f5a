"""Query results as text: an aligned table, CSV or JSON. No business logic.

Shared by ``geokg query``, ``geokg sparql`` and ``geokg validate``. Empty cells
(None) are empty in every format (``null`` in JSON).

Example:
    >>> print(render_table(("country", "rank"), [("Chile", 1), ("Peru", None)], title="Ranks"))
    Ranks
    country  rank
    -------  ----
    Chile    1
    Peru
    (2 rows)
    >>> render_csv(("a", "b"), [("x,y", None)])
    'a,b\\r\\n"x,y",\\r\\n'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from geokg.errors import ConfigError

__all__ = ["FORMATS", "render", "render_table", "render_csv", "render_json", "cell_text", "clip"]

MAX_CELL = 60
ELLIPSIS = "…"


def cell_text(value: Any) -> str:
    """A value as display text: '' for None, ISO dates, plain decimals, 'true'/'false'.

    Example:
        >>> cell_text(Decimal("3E+5")), cell_text(dt.date(2024, 3, 3)), cell_text(None)
        ('300000', '2024-03-03', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


# Control characters (C0, DEL, C1) and bidi overrides: article text may carry escape sequences
# that would recolour, retitle or rewrite the user's terminal, or reorder what a row shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_IRI = re.compile(r"([a-z][a-z0-9+.-]*://[^/\s]+)/\S*", re.IGNORECASE)


def clip(text: str, width: int) -> str:
    """One line of display text: whitespace runs become one space, control characters go.

    A long IRI keeps its host and its end: IRIs of one kind share their start
    (``…/id/event/2025-02-25-putin-rare-earths-…``) and differ at the end.

    Example:
        >>> clip("red\x1b[31m alert\x07\u202e!", 60)
        'red[31m alert!'
        >>> clip("https://w3id.org/geokg/id/event/2025-02-25-putin-rare-earths-14", 50)
        'https://w3id.org…/2025-02-25-putin-rare-earths-14'
    """
    text = _CONTROL.sub("", " ".join(text.split()))  # one line per row: newlines and tabs become spaces
    if len(text) <= width:
        return text
    iri = _IRI.fullmatch(text)
    if iri and len(iri[1]) + 10 < width:
        tail = text[len(text) - (width - len(iri[1]) - 1) :]
        return iri[1] + ELLIPSIS + (tail[tail.index("/") :] if "/" in tail else tail)
    return text[: width - 1] + ELLIPSIS


def render_table(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None, max_width: int = MAX_CELL
) -> str:
    """Aligned columns with a header rule; long cells cut to ``max_width`` with '…'."""
    header = [clip(c, max_width) for c in columns]
    body = [[clip(cell_text(v), max_width) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [_CONTROL.sub("", title)] if title else []
    out += [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in body]
    out.append(f"({len(body)} row{'' if len(body) == 1 else 's'})")
    return "\n".join(out)


def render_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> str:
    """RFC 4180 CSV with a header row and full (untruncated) values; ``title`` is ignored."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
    return buffer.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def render_json(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> str:
    """A JSON list of objects keyed by column; numbers stay numbers, dates are ISO strings."""
    records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2)


FORMATS: dict[str, Callable[..., str]] = {"table": render_table, "csv": render_csv, "json": render_json}


def render(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], format: str = "table", title: str | None = None
) -> str:
    """Render rows in one of :data:`FORMATS` (table, csv, json).

    Raises:
        ConfigError: an unknown format, listing the valid ones.
    """
    try:
        renderer = FORMATS[format]
    except KeyError:
        raise ConfigError("format", format, FORMATS) from None
    return renderer(columns, rows, title=title)
