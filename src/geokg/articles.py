"""Articles: the dataclass and its readers. No NLP here.

Readers turn files into :class:`Article` values. A bad file or a bad JSON Lines
record becomes an :class:`~geokg.errors.IngestError` *value* in the stream, so one
broken input never stops a build and nothing is dropped without a trace.

Formats, chosen by extension:

``.txt`` with a seed header
    ``date YYYY-MM-DD <lead sentence>`` on the first line, then the text. The text
    is the file from the lead sentence on, so offsets index the file's own words.
``.txt`` with a header block
    ``date``, ``source``, ``url`` (and optionally ``title``, ``id``) lines, a blank
    line, then the body. The text is the body alone: gold offsets of the news-dev
    set are taken in the body, and a ``title`` line only fills ``Article.title``.
``.txt`` without header
    The whole file is the text; no date.
``.jsonl`` (and ``.json`` holding a list)
    One object per line: ``id``, ``date``, ``title``, ``body`` or ``text``,
    ``source``, ``url``, ``dateline``. The text is ``title + "\\n\\n" + body``; a
    Reuters-style ``dateline`` ("SALVADOR, Feb 26") is put before the body as
    ``"SALVADOR, Feb 26 - "`` so that the place it names is part of the text.
``.html`` / ``.htm``
    The main text extracted by trafilatura, with its title and date.

Ids: a given id (``id`` header line or JSON field) must match ``[A-Za-z0-9._-]+``;
else a file-per-article (seed, header, HTML) uses its file stem when that is a
valid id; else, and always for plain ``.txt`` and records without ``id``, the id
is :func:`article_id` of the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geokg.errors import IngestError


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``text`` is what extraction reads: the title, then the body."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None


def article_id(text: str) -> str:
    """Stable id from the normalised text: whitespace-insensitive SHA-256, 16 hex digits.

    Example:
        >>> article_id("Oil  rose.\\n") == article_id("Oil rose.")
        True
    """
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def is_valid_id(candidate: str) -> bool:
    """Whether ``candidate`` can be used as an article id (it goes into IRIs as is).

    Example:
        >>> is_valid_id("2025-02-25-putin-rare-earths"), is_valid_id("a b")
        (True, False)
    """
    return bool(_ID.fullmatch(candidate))


SUFFIXES = (".txt", ".jsonl", ".json", ".html", ".htm")
_ID = re.compile(r"[A-Za-z0-9._-]+")
_HEADER_KEYS = ("date", "source", "url", "title", "id")
# The seed line; the lead sentence after the date is optional (header format).
_DATE_LINE = re.compile(r"date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+(\S.*))?")
_HEADER_LINE = re.compile(r"([a-z]+)[ \t]+(\S.*?)[ \t]*")
_REUTERS_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | IngestError]:
    """Read articles from files and folders, lazily, in a deterministic order.

    Folders are walked recursively in sorted order; hidden files and folders and
    files with other extensions are skipped there. A path named explicitly that
    does not exist or has an unknown extension yields an error instead.

    Args:
        paths: files or folders.

    Yields:
        An :class:`Article` per article, or an :class:`IngestError` per bad file
        or record; reading always goes on with the next one.

    Example:
        >>> [type(x).__name__ for x in iter_articles(["no/such/file.txt"])]
        ['IngestError']
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file)
        elif path.exists():
            yield from read_file(path)
        else:
            yield IngestError(path, "no such file or directory")


def _walk(folder: Path) -> Iterator[Path]:
    # os.scandir rather than rglob: sorted per folder, hidden folders pruned, and
    # symlinked folders not followed (no loops).
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif Path(entry.name).suffix.lower() in SUFFIXES:
            yield Path(entry.path)


def read_file(path: str | Path) -> Iterator[Article | IngestError]:
    """Read one file by its extension; see the module docstring for the formats.

    Yields:
        Articles, or IngestErrors for what cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path)
            return
        raw = path.read_bytes()
    except OSError as e:
        yield IngestError(path, f"cannot read the file: {e.strerror or e}")
        return
    try:
        if suffix == ".txt":
            yield _parse_txt(_decode(raw, path), path)
        elif suffix == ".json":
            yield from _parse_json_list(_decode(raw, path), path)
        elif suffix in (".html", ".htm"):
            yield _parse_html(raw, path)
        else:
            yield IngestError(path, f"unknown extension {suffix or '(none)'!r}; "
                                    f"expected one of: {', '.join(SUFFIXES)}")
    except IngestError as e:
        yield e


def _decode(raw: bytes, path: Path, line: int | None = None) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        where = line or raw[:e.start].count(b"\n") + 1
        raise IngestError(path, f"not UTF-8 (byte {raw[e.start]:#04x}); "
                                "re-save the file as UTF-8", line=where) from e
    # Universal newlines, as text-mode open() would give, so offsets do not
    # depend on the platform that wrote the file.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _iso_date(value: str, path: Path, line: int | None, what: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise IngestError(path, f"{what} {value!r} is not a valid YYYY-MM-DD date", line) from e


def _id_from(given: str | None, path: Path, text: str, line: int | None = None,
             use_stem: bool = True) -> str:
    if given is not None:
        if not is_valid_id(given):
            raise IngestError(path, f"id {_clip(given)!r} may only contain letters, digits, "
                                    "'.', '_' and '-'", line)
        return given
    if use_stem and is_valid_id(path.stem):
        return path.stem
    return article_id(text)


def _parse_txt(raw: str, path: Path) -> Article:
    first, _, rest = raw.partition("\n")
    head = first.strip()
    if head.startswith("date"):
        match = _DATE_LINE.fullmatch(head)
        if not match:
            raise IngestError(path, f'first line must be "date YYYY-MM-DD", found "{_clip(head)}"', 1)
        date = _iso_date(match[1], path, 1)
        if match[2]:
            # Seed format: the lead sentence starts the text; keep the file's own
            # characters from there on so offsets index the original words.
            start = len(first) - len(first.lstrip()) + match.start(2)
            text = raw[start:].rstrip()
            return Article(id=_id_from(None, path, text), text=text, date=date, path=str(path))
        return _parse_header(raw, path)
    if head.split(" ", 1)[0] in _HEADER_KEYS[1:] and _HEADER_LINE.fullmatch(head):
        return _parse_header(raw, path)
    text = raw.strip()
    if not text:
        raise IngestError(path, "the file holds no text")
    return Article(id=article_id(text), text=text, path=str(path))


def _parse_header(raw: str, path: Path) -> Article:
    fields: dict[str, str] = {}
    lines = raw.split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            body = "\n".join(lines[number:]).strip()
            break
        match = _HEADER_LINE.fullmatch(line.strip())
        if not match or match[1] not in _HEADER_KEYS:
            raise IngestError(path, f'header line must be "KEY value" with KEY in '
                                    f'{", ".join(_HEADER_KEYS)}, found "{_clip(line.strip())}"; '
                                    "end the header with a blank line", number)
        if match[1] in fields:
            raise IngestError(path, f"header key {match[1]!r} given twice", number)
        fields[match[1]] = match[2]
        if match[1] == "date":
            _iso_date(match[2], path, number)
    else:
        raise IngestError(path, "no blank line after the header, so no article text", len(lines))
    if not body:
        raise IngestError(path, "no article text after the header")
    date = dt.date.fromisoformat(fields["date"]) if "date" in fields else None
    return Article(id=_id_from(fields.get("id"), path, body), text=body, date=date,
                   title=fields.get("title"), source=fields.get("source"),
                   url=fields.get("url"), path=str(path))


def _read_jsonl(path: Path) -> Iterator[Article | IngestError]:
    with path.open("rb") as stream:
        for number, raw_line in enumerate(stream, 1):
            try:
                line = _decode(raw_line, path, number)
                if not line.strip():
                    continue  # blank lines separate nothing; they are not records
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as e:
                    raise IngestError(path, f"not valid JSON: {e.msg} (column {e.colno})", number) from e
                yield _article_from_record(record, path, number)
            except IngestError as e:
                yield e


def _parse_json_list(raw: str, path: Path) -> Iterator[Article | IngestError]:
    try:
        records = json.loads(raw)
    except json.JSONDecodeError as e:
        raise IngestError(path, f"not valid JSON: {e.msg} (column {e.colno})", e.lineno) from e
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list):
        raise IngestError(path, f"a .json file must hold an object or a list of objects, "
                                f"found {type(records).__name__}")
    for index, record in enumerate(records):
        try:
            yield _article_from_record(record, path, None, f"item {index}: ")
        except IngestError as e:
            yield e


def _record_str(record: dict[str, Any], key: str, path: Path, line: int | None,
                prefix: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise IngestError(path, f"{prefix}field {key!r} must be a string, found {type(value).__name__}", line)
    return str(value).strip() or None


def _article_from_record(record: Any, path: Path, line: int | None, prefix: str = "") -> Article:
    if not isinstance(record, dict):
        raise IngestError(path, f"{prefix}a record must be a JSON object, found {type(record).__name__}", line)
    get = lambda key: _record_str(record, key, path, line, prefix)  # noqa: E731
    body = get("body") or get("text")
    if not body:
        raise IngestError(path, f'{prefix}no article text: give a non-empty "body" or "text" field', line)
    dateline = get("dateline")
    if dateline:
        # Reuters keeps "SALVADOR, Feb 26" apart from the body; the wire copy
        # itself reads "SALVADOR, Feb 26 - Showers …".
        body = f"{dateline.rstrip(' -')} - {body}"
    title = get("title")
    text = f"{title}\n\n{body}" if title else body
    raw_date = get("date")
    date = _record_date(raw_date, path, line, prefix) if raw_date else None
    return Article(id=_id_from(get("id"), path, text, line, use_stem=False), text=text,
                   date=date, title=title, source=get("source"), url=get("url"), path=str(path))


def _record_date(value: str, path: Path, line: int | None, prefix: str) -> dt.date:
    # ISO dates and datetimes ("2025-02-25", "2025-02-25T10:00:00Z"), and the
    # Reuters-21578 form "26-FEB-1987 15:01:01.79".
    iso = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]|$)", value)
    if iso:
        return _iso_date(iso[1], path, line, f"{prefix}date")
    reuters = _REUTERS_DATE.match(value)
    if reuters and reuters[2].lower() in _MONTHS:
        try:
            return dt.date(int(reuters[3]), _MONTHS[reuters[2].lower()], int(reuters[1]))
        except ValueError:
            pass
    raise IngestError(path, f"{prefix}date {_clip(value)!r} is not a valid date; use YYYY-MM-DD", line)


def _parse_html(raw: bytes, path: Path) -> Article:
    try:
        import trafilatura
    except ImportError as e:  # pragma: no cover - trafilatura is a dependency
        raise IngestError(path, "reading HTML needs trafilatura: pip install trafilatura") from e
    # trafilatura detects the encoding of bytes itself (meta charset, then guesses).
    result = trafilatura.extract(raw, output_format="json", with_metadata=True)
    data = json.loads(result) if result else {}
    body = (data.get("text") or "").strip()
    if not body:
        raise IngestError(path, "no main text found in the HTML page")
    title = (data.get("title") or "").strip() or None
    text = f"{title}\n\n{body}" if title else body
    date = None
    if data.get("date"):
        try:
            date = dt.date.fromisoformat(str(data["date"])[:10])
        except ValueError:
            date = None  # a page date trafilatura cannot pin is no reason to drop the text
    return Article(id=_id_from(None, path, text), text=text, date=date, title=title,
                   source=data.get("sitename") or None, url=data.get("url") or None, path=str(path))
