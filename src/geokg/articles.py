"""Articles: the readers. No NLP here.

Readers turn files into :class:`~geokg.model.Article` values. A bad file or a bad JSON Lines
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
else a file-per-article (seed, header or plain ``.txt``, HTML) uses its file stem
when that is a valid id; else, and always for records without ``id``, the id is
:func:`article_id` of the text. The stem, not a hash, for plain ``.txt`` too: an
edited file then replaces its own graph on the next build (a hash made it a new
article beside the old one), and the id names the file it came from.

What is refused, each as an :class:`~geokg.errors.IngestError` naming the file
(and line) so that the rest of the batch goes on:

- text that is not UTF-8 (UTF-16 and UTF-32 are read when the file starts with
  their byte-order mark), binary data (a NUL byte), files without text;
- files over :data:`MAX_FILE_BYTES` (``.txt`` over :data:`MAX_TXT_BYTES`), JSON Lines records over
  :data:`MAX_RECORD_BYTES`, article texts over :data:`MAX_ARTICLE_CHARS`
  (checked before anything is read whole, so a huge input costs no memory);
- a declared date before :data:`EARLIEST_DATE` or after tomorrow (UTC): a
  publication date cannot lie ahead, and a mistyped year would make every
  relative date in the text wrong. A date *guessed* from an HTML page is
  dropped instead, since the page text itself is fine;
- an id already read in the same batch with different content
  (:func:`iter_articles`): nothing is silently overwritten. The same article
  read twice (same id, same content) is loaded once;
- anything that is not a regular file (a FIFO, a device, a folder put in place
  of a file) and files that vanish or cannot be opened while the batch runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph

from geokg.errors import IngestError
from geokg.model import Article


def article_id(text: str) -> str:
    """Stable id from the normalised text: whitespace-insensitive SHA-256, 16 hex digits.

    Example:
        >>> article_id("Oil  rose.\\n") == article_id("Oil rose.")
        True
    """
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be an article's ``dcterms:source`` IRI, or None when it can.

    Only values that claim to be web addresses (``http://``, ``https://``) are
    checked; anything else is kept as a plain literal. The check is Oxigraph's own
    IRI parser, so whatever passes here can be stored (a hand-written grammar would
    drift from it, and one unstorable IRI used to end the whole build).

    Example:
        >>> url_problem("https://example.org/a?b=c#d") is None, url_problem("see the wire") is None
        (True, True)
        >>> url_problem("http://example.org/%zz")
        "Invalid IRI percent encoding '%zz'"
    """
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        pyoxigraph.NamedNode(url)
        host = urlsplit(url).hostname
    except ValueError as e:
        return str(e)
    return None if host else "no host name"


def is_valid_id(candidate: str) -> bool:
    """Whether ``candidate`` can be used as an article id (it goes into IRIs as is).

    Example:
        >>> is_valid_id("2025-02-25-putin-rare-earths"), is_valid_id("a b")
        (True, False)
    """
    return bool(_ID.fullmatch(candidate))


SUFFIXES = (".txt", ".jsonl", ".json", ".html", ".htm")
#: spaCy's default ``nlp.max_length``: longer texts are dumps or junk, not articles,
#: and would make the parser allocate gigabytes.
MAX_ARTICLE_CHARS = 1_000_000
#: Files read whole (.txt, .json, .html); collections larger than this belong in JSON Lines.
MAX_FILE_BYTES = 64 * 2**20
#: A .txt file holds one article: its longest text at 4 bytes a character (UTF-8 at most,
#: UTF-32), plus room for a header. Checked on the size before reading: decoding a huge
#: file only to refuse its text would take gigabytes.
MAX_TXT_BYTES = 4 * MAX_ARTICLE_CHARS + 2**16
#: One JSON Lines record: a maximal article of \\uXXXX-escaped characters (6 bytes each) fits.
MAX_RECORD_BYTES = 8 * 2**20
EARLIEST_DATE = dt.date(1900, 1, 1)

log = logging.getLogger("geokg.articles")
_ID = re.compile(r"[A-Za-z0-9._-]+")
_HEADER_KEYS = ("date", "source", "url", "title", "id")
# The seed line; the lead sentence after the date is optional (header format).
_DATE_LINE = re.compile(r"date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+(\S.*))?")
_HEADER_LINE = re.compile(r"([a-z]+)[ \t]+(\S.*?)[ \t]*")
_REUTERS_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def iter_articles(
    paths: Iterable[str | Path], *, follow_links: bool = False, skip: Iterable[str | Path] = ()
) -> Iterator[Article | IngestError]:
    """Read articles from files and folders, lazily, in a deterministic order.

    Folders are walked recursively in sorted order; hidden files and folders and
    files with other extensions are skipped there. A path named explicitly that
    does not exist or has an unknown extension yields an error instead.

    A symbolic link met while walking a folder is read only when it points inside
    that folder (else a GK105 error names it: a link to ``/etc/passwd`` is not an
    article), unless ``follow_links``; links to folders are never walked (loops).
    Folders in ``skip`` (the store being built and its quarantine) are not walked.

    Ids are checked across the whole batch: an id read again with different
    content yields a GK104 error (the first article stands); the same article
    read again is skipped.

    Args:
        paths: files or folders.
        follow_links: read file links that lead out of the folder walked.
        skip: folders not to walk into.

    Yields:
        An :class:`Article` per article, or an :class:`IngestError` per bad file
        or record; reading always goes on with the next one.

    Example:
        >>> [type(x).__name__ for x in iter_articles(["no/such/file.txt"])]
        ['IngestError']
    """
    seen: dict[str, tuple[str, str]] = {}  # id -> (content digest, where it was read)
    for item in _iter_paths(paths, follow_links, {os.path.realpath(f) for f in skip}):
        if isinstance(item, Article):
            digest, where = _content_digest(item), _where_read(item)
            first = seen.get(item.id)
            if first is None:
                seen[item.id] = (digest, where)
            elif first[0] == digest:
                log.info("%s: article %s already read from %s; loaded once", where, item.id, first[1])
                continue
            else:
                item = IngestError(
                    item.path or "<input>",
                    f"article id {item.id!r} was already read from {first[1]} with "
                    "different content; the first one is kept and nothing is "
                    "overwritten: give this article its own id",
                    item.line,
                    code="GK104",
                    article_id=item.id,
                )
        yield item


def count_articles(paths: Iterable[str | Path]) -> int | None:
    """About how many articles :func:`iter_articles` will yield, without parsing anything
    (a progress bar's total); None when that cannot be known cheaply (a ``.json`` list).

    A ``.txt`` or HTML file counts one, a JSON Lines file one per line (newlines
    counted in binary chunks, so memory stays small whatever the file's size).
    Blank lines and records that fail count too: the total is an upper bound.

    Example:
        >>> count_articles(["no/such/file.txt"])
        0
    """
    total = 0
    for path in paths:
        path = Path(path)
        files = (f for f in _walk(path) if isinstance(f, Path)) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            if suffix == ".json":
                return None
            if suffix == ".jsonl":
                total += _count_lines(file)
            elif suffix in SUFFIXES and file.is_file():
                total += 1
    return total


def _count_lines(path: Path) -> int:
    try:
        fd, _ = _open_regular(path)
    except IngestError:
        return 0  # the build reports it
    lines, last = 0, b"\n"
    with os.fdopen(fd, "rb") as stream:
        while chunk := stream.read(2**20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")  # a last line without its newline


def _iter_paths(
    paths: Iterable[str | Path], follow_links: bool = False, skip: frozenset[str] | set[str] = frozenset()
) -> Iterator[Article | IngestError]:
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in _walk(path, follow_links=follow_links, skip=skip):
                if isinstance(file, IngestError):
                    yield file
                else:
                    yield from read_file(file)
        elif path.exists() or path.is_symlink():
            yield from read_file(path)
        else:
            yield IngestError(path, "no such file or directory", code="GK105")


def _content_digest(article: Article) -> str:
    fields = (article.text, article.date, article.title, article.source, article.url)
    return hashlib.sha256(repr(fields).encode("utf-8", "surrogatepass")).hexdigest()


def _where_read(article: Article) -> str:
    return f"{article.path}:{article.line}" if article.line else str(article.path)


def _walk(
    folder: Path, root: str | None = None, *, follow_links: bool = False, skip: frozenset[str] | set[str] = frozenset()
) -> Iterator[Path | IngestError]:
    # os.scandir rather than rglob: sorted per folder, hidden folders pruned, and
    # symlinked folders not followed (no loops).
    root = root if root is not None else os.path.realpath(folder)
    if os.path.realpath(folder) in skip:
        return  # the store being built, or its quarantine: geokg's own files are not articles
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        yield IngestError(folder, f"cannot list the folder: {e.strerror or e}", code="GK105")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), root, follow_links=follow_links, skip=skip)
        elif Path(entry.name).suffix.lower() in SUFFIXES:
            if entry.is_symlink() and not follow_links:
                target = os.path.realpath(entry.path)
                if os.path.commonpath([root, target]) != root:
                    # x.txt -> /etc/passwd would put any file the user can read into the graph.
                    yield IngestError(
                        entry.path,
                        f"a symbolic link to {target}, outside the folder {root}; "
                        "not followed (pass --follow-links to read it)",
                        code="GK105",
                    )
                    continue
            yield Path(entry.path)


def read_file(path: str | Path) -> Iterator[Article | IngestError]:
    """Read one file by its extension; see the module docstring for the formats.

    Yields:
        Articles, or IngestErrors for what cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield IngestError(path, f"unknown extension {suffix or '(none)'!r}; expected one of: {', '.join(SUFFIXES)}")
        return
    try:
        items: Iterable[Article | IngestError]
        if suffix == ".jsonl":
            items = _read_jsonl(path)
        else:
            raw = _read_bytes(path, MAX_TXT_BYTES if suffix == ".txt" else MAX_FILE_BYTES)
            if suffix == ".txt":
                items = [_parse_txt(_decode(raw, path), path)]
            elif suffix == ".json":
                items = _parse_json_list(_decode(raw, path), path)
            else:
                items = [_parse_html(raw, path)]
        for item in items:
            yield _checked_size(item)
    except IngestError as e:
        yield e


def _checked_size(item: Article | IngestError) -> Article | IngestError:
    if isinstance(item, Article) and len(item.text) > MAX_ARTICLE_CHARS:
        return IngestError(
            item.path or "<input>",
            f"the article text is {len(item.text):,} characters; geokg reads articles of "
            f"at most {MAX_ARTICLE_CHARS:,} (spaCy's nlp.max_length): split it",
            item.line,
            code="GK102",
            article_id=item.id,
        )
    return item


def _open_regular(path: Path) -> tuple[int, int]:
    """Open ``path`` for reading; (file descriptor, size). Refuses anything but a regular file.

    O_NONBLOCK so that opening a FIFO does not wait for a writer; the type is
    checked on the open descriptor, so a file swapped after listing is caught too.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise IngestError(path, f"cannot read the file: {e.strerror or e}", code="GK105") from e
    try:
        info = os.fstat(fd)
    except OSError as e:  # pragma: no cover - fstat on an open descriptor
        os.close(fd)
        raise IngestError(path, f"cannot read the file: {e.strerror or e}", code="GK105") from e
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise IngestError(
            path, f"not a regular file ({_file_kind(info.st_mode)}); geokg reads files only", code="GK105"
        )
    return fd, info.st_size


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def _too_large(path: Path, size: int, limit: int = MAX_FILE_BYTES) -> IngestError:
    if limit == MAX_TXT_BYTES:
        return IngestError(
            path,
            f"the file is {size / 2**20:.1f} MiB; a .txt file holds one article of at "
            f"most {MAX_ARTICLE_CHARS:,} characters, so geokg reads .txt files of at most "
            f"{limit / 2**20:.1f} MiB: split it, or write a collection as JSON Lines",
            code="GK102",
        )
    return IngestError(
        path,
        f"the file is {size / 2**20:.1f} MiB; geokg reads files of at most "
        f"{MAX_FILE_BYTES // 2**20} MiB whole (one article is at most "
        f"{MAX_ARTICLE_CHARS:,} characters): split it, or write a collection "
        "as JSON Lines",
        code="GK102",
    )


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    fd, size = _open_regular(path)
    with os.fdopen(fd, "rb") as stream:
        if size > limit:
            raise _too_large(path, size, limit)
        try:
            raw = stream.read(limit + 1)  # the file may grow after fstat
        except OSError as e:
            raise IngestError(path, f"cannot read the file: {e.strerror or e}", code="GK105") from e
    if len(raw) > limit:
        raise _too_large(path, len(raw), limit)
    return raw


def _decode(raw: bytes, path: Path, line: int | None = None) -> str:
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            encoding, raw = name, raw[len(bom) :]
            break
    if encoding == "utf-8" and b"\x00" in raw:
        where = line or raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise IngestError(
            path,
            "binary data (a NUL byte), not text; if it is UTF-16 without a byte-order mark, convert it to UTF-8",
            where,
        )
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        if encoding != "utf-8":
            raise IngestError(
                path,
                f"starts with the {encoding.upper()} byte-order mark but is not "
                f"valid {encoding.upper()}; re-save the file as UTF-8",
                line,
            ) from e
        where = line or raw[: e.start].count(b"\n") + 1
        raise IngestError(
            path,
            f"not UTF-8 (byte {raw[e.start]:#04x}); if it is Latin-1 or "
            "Windows-1252, convert it: iconv -f WINDOWS-1252 -t UTF-8",
            where,
        ) from e
    if encoding != "utf-8" and "\x00" in text:  # UTF-8 bytes with a NUL were refused above
        where = line or text[: text.index("\x00")].count("\n") + 1
        raise IngestError(path, "binary data (a NUL character), not text", where)
    # Universal newlines, as text-mode open() would give, so offsets do not
    # depend on the platform that wrote the file.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _iso_date(value: str, path: Path, line: int | None, what: str = "date") -> dt.date:
    try:
        date = dt.date.fromisoformat(value)
    except ValueError as e:
        raise IngestError(path, f"{what} {value!r} is not a valid YYYY-MM-DD date", line) from e
    return _in_range(date, path, line, what)


def latest_date() -> dt.date:
    """The latest publication date accepted: tomorrow in UTC (time zones run ahead)."""
    return dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)


def _in_range(date: dt.date, path: Path, line: int | None, what: str = "date") -> dt.date:
    if date < EARLIEST_DATE:
        raise IngestError(
            path,
            f"{what} {date} is before {EARLIEST_DATE}: geokg reads news from 1900 on; fix the date or leave it out",
            line,
            code="GK103",
        )
    if date > latest_date():
        raise IngestError(
            path,
            f"{what} {date} is in the future (latest accepted: {latest_date()}); "
            "a publication date cannot lie ahead: fix the date or leave it out",
            line,
            code="GK103",
        )
    return date


def _id_from(given: str | None, path: Path, text: str, line: int | None = None, use_stem: bool = True) -> str:
    if given is not None:
        if not is_valid_id(given):
            raise IngestError(path, f"id {_clip(given)!r} may only contain letters, digits, '.', '_' and '-'", line)
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
    return Article(id=_id_from(None, path, text), text=text, path=str(path))


def _parse_header(raw: str, path: Path) -> Article:
    fields: dict[str, str] = {}
    lines = raw.split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            body = "\n".join(lines[number:]).strip()
            break
        match = _HEADER_LINE.fullmatch(line.strip())
        if not match or match[1] not in _HEADER_KEYS:
            raise IngestError(
                path,
                f'header line must be "KEY value" with KEY in '
                f'{", ".join(_HEADER_KEYS)}, found "{_clip(line.strip())}"; '
                "end the header with a blank line",
                number,
            )
        if match[1] in fields:
            raise IngestError(path, f"header key {match[1]!r} given twice", number)
        fields[match[1]] = match[2]
        if match[1] == "date":
            _iso_date(match[2], path, number)
        elif match[1] == "url":
            _check_url(match[2], path, number)
    else:
        raise IngestError(path, "no blank line after the header, so no article text", len(lines))
    if not body:
        raise IngestError(path, "no article text after the header")
    date = dt.date.fromisoformat(fields["date"]) if "date" in fields else None  # checked above
    return Article(
        id=_id_from(fields.get("id"), path, body),
        text=body,
        date=date,
        title=fields.get("title"),
        source=fields.get("source"),
        url=fields.get("url"),
        path=str(path),
    )


def _read_jsonl(path: Path) -> Iterator[Article | IngestError]:
    fd, size = _open_regular(path)
    with os.fdopen(fd, "rb") as stream:
        if any(stream.peek(4).startswith(bom) for bom, name in _BOMS if name != "utf-8"):
            # UTF-16/32 lines cannot be split on b"\n"; such files are read whole.
            if size > MAX_FILE_BYTES:
                raise _too_large(path, size)
            lines: Iterable[bytes | None] = [
                line.encode("utf-8") for line in _decode(stream.read(MAX_FILE_BYTES + 1), path).split("\n")
            ]
        else:
            lines = _bounded_lines(stream, path)
        records = 0
        for number, raw_line in enumerate(lines, 1):
            try:
                if raw_line is None:
                    raise IngestError(
                        path,
                        f"the line is longer than {MAX_RECORD_BYTES // 2**20} MiB; "
                        f"one article is at most {MAX_ARTICLE_CHARS:,} characters",
                        number,
                        code="GK102",
                    )
                line = _decode(raw_line, path, number)
                if not line.strip():
                    continue  # blank lines separate nothing; they are not records
                records += 1
                yield _article_from_record(_json_loads(line, path, number), path, number)
            except IngestError as e:
                records += 1  # a line that fails is a record too, and its error names it
                yield e
        if not records:
            yield IngestError(path, "the file holds no records (one JSON object per line)")


def _bounded_lines(stream: Any, path: Path) -> Iterator[bytes | None]:
    """Lines of a binary stream, None for a line over MAX_RECORD_BYTES (skipped unread)."""
    number = 0
    while True:
        number += 1
        try:
            line = stream.readline(MAX_RECORD_BYTES + 1)
            if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                while True:  # drop the rest of the overlong line, a chunk at a time
                    rest = stream.readline(2**20)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield None
                continue
        except OSError as e:
            raise IngestError(path, f"cannot read the file: {e.strerror or e}", number, code="GK105") from e
        if not line:
            return
        yield line


def _json_loads(text: str, path: Path, line: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise IngestError(path, f"not valid JSON: {e.msg} (column {e.colno})", line or e.lineno) from e
    except (ValueError, RecursionError) as e:  # over-long integers, nesting beyond the stack
        raise IngestError(path, f"not readable JSON: {e}", line) from e


def _parse_json_list(raw: str, path: Path) -> Iterator[Article | IngestError]:
    records = _json_loads(raw, path, None)
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list):
        raise IngestError(
            path, f"a .json file must hold an object or a list of objects, found {type(records).__name__}"
        )
    if not records:
        raise IngestError(path, "the file holds an empty list: no articles")
    for index, record in enumerate(records):
        try:
            yield _article_from_record(record, path, None, f"item {index}: ")
        except IngestError as e:
            yield e


def _record_str(record: dict[str, Any], key: str, path: Path, line: int | None, prefix: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise IngestError(path, f"{prefix}field {key!r} must be a string, found {type(value).__name__}", line)
    text = str(value)
    # JSON escapes can smuggle in what a UTF-8 file cannot hold: NUL, lone surrogates.
    if "\x00" in text:
        raise IngestError(path, f"{prefix}field {key!r} holds a NUL character (\\u0000): binary data, not text", line)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise IngestError(
            path, f"{prefix}field {key!r} holds a lone surrogate (\\u{ord(text[e.start]):04x}), which is not text", line
        ) from e
    return text.strip() or None


def _article_from_record(record: Any, path: Path, line: int | None, prefix: str = "") -> Article:
    if not isinstance(record, dict):
        raise IngestError(path, f"{prefix}a record must be a JSON object, found {type(record).__name__}", line)
    given = record.get("id")
    known = str(given) if isinstance(given, (str, int)) and is_valid_id(str(given)) else None
    try:
        return _record_article(record, path, line, prefix)
    except IngestError as e:
        e.article_id = e.article_id or known  # the report can name the record by its id
        raise


def _record_article(record: dict[str, Any], path: Path, line: int | None, prefix: str) -> Article:
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
    url = get("url")
    if url:
        _check_url(url, path, line, prefix)
    return Article(
        id=_id_from(get("id"), path, text, line, use_stem=False),
        text=text,
        date=date,
        title=title,
        source=get("source"),
        url=url,
        path=str(path),
        line=line,
    )


def _check_url(url: str, path: Path, line: int | None, prefix: str = "") -> None:
    problem = url_problem(url)
    if problem is not None:
        raise IngestError(
            path,
            f"{prefix}url {_clip(url)!r} is not a valid web address ({problem}); fix it or leave the url out",
            line,
        )


def _record_date(value: str, path: Path, line: int | None, prefix: str) -> dt.date:
    # ISO dates and datetimes ("2025-02-25", "2025-02-25T10:00:00Z"), and the
    # Reuters-21578 form "26-FEB-1987 15:01:01.79".
    iso = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]|$)", value)
    if iso:
        return _iso_date(iso[1], path, line, f"{prefix}date")
    reuters = _REUTERS_DATE.match(value)
    if reuters and reuters[2].lower() in _MONTHS:
        try:
            date = dt.date(int(reuters[3]), _MONTHS[reuters[2].lower()], int(reuters[1]))
        except ValueError:
            pass
        else:
            return _in_range(date, path, line, f"{prefix}date")
    raise IngestError(path, f"{prefix}date {_clip(value)!r} is not a valid date; use YYYY-MM-DD", line)


def _parse_html(raw: bytes, path: Path) -> Article:
    try:
        import trafilatura
    except ImportError as e:  # pragma: no cover - trafilatura is a dependency
        raise IngestError(path, "reading HTML needs trafilatura: pip install trafilatura") from e
    if not raw.strip():
        raise IngestError(path, "the file holds no text")
    # trafilatura detects the encoding of bytes itself (meta charset, then guesses).
    # favor_precision: a page of menus, scripts and footers yields no text rather
    # than its link labels passed off as an article.
    try:
        result = trafilatura.extract(raw, output_format="json", with_metadata=True, favor_precision=True)
    except Exception as e:  # a third-party parser: whatever it raises is about this page
        raise IngestError(path, f"cannot extract text from the HTML page: {type(e).__name__}: {e}") from e
    data = json.loads(result) if result else {}
    body = (data.get("text") or "").strip()
    if not body:
        raise IngestError(
            path, "no main text found in the HTML page (only scripts, menus or boilerplate, or nothing at all)"
        )
    title = (data.get("title") or "").strip() or None
    text = f"{title}\n\n{body}" if title else body
    date = None
    if data.get("date"):
        try:
            date = _in_range(dt.date.fromisoformat(str(data["date"])[:10]), path, None)
        except (ValueError, IngestError):
            date = None  # a page date trafilatura cannot pin is no reason to drop the text
    url = data.get("url") or None
    if url and url_problem(url):
        url = None  # a page's own link tag is as unreliable as its guessed date: the text is fine
    return Article(
        id=_id_from(None, path, text),
        text=text,
        date=date,
        title=title,
        source=data.get("sitename") or None,
        url=url,
        path=str(path),
    )
