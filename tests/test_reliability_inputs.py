"""Issue 4, bad-input matrix: each hostile input gets a coded error naming the file (and
line), the other articles load, ``--report`` lists what was not loaded, exit code 1.

Reader-level tests are fast; the two build-level tests run the real pipeline (slow).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokg.articles import (MAX_ARTICLE_CHARS, MAX_FILE_BYTES, MAX_RECORD_BYTES, Article, iter_articles,
                            latest_date, read_file)
from geokg.errors import IngestError

GOOD = "date 2024-06-12 Chile offered to sell copper to Japan on Monday, Reuters reports.\n"
pytestmark = pytest.mark.issue(4)


def results(path: Path) -> list[Article | IngestError]:
    return list(iter_articles([path]))


def only_error(path: Path, code: str = "GK101", line: int | None = None) -> IngestError:
    found = results(path)
    assert len(found) == 1 and isinstance(found[0], IngestError), found
    error = found[0]
    assert error.code == code and error.path == str(path) and error.line == line, error
    assert str(error).startswith(f"[{code}] {path}")  # the message names the file first
    return error


# -- empty, whitespace, binary ---------------------------------------------
@pytest.mark.parametrize("name, content, problem", [
    ("empty.txt", b"", "the file holds no text"),
    ("blank.txt", b" \n\t\n\r\n", "the file holds no text"),
    ("empty.html", b"", "the file holds no text"),
    ("blank.htm", b"\n   \n", "the file holds no text"),
    ("empty.jsonl", b"", "the file holds no records"),
    ("blank.jsonl", b"\n \n\t\n", "the file holds no records"),
    ("empty.json", b"", "not valid JSON"),
    ("list.json", b"[]", "empty list"),
])
def test_reliability_empty_and_whitespace_files(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert problem in only_error(path, line=1 if name == "empty.json" else None).problem


def test_reliability_binary_file(tmp_path: Path) -> None:
    rng = random.Random(4)
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes([0]) + bytes(rng.randrange(256) for _ in range(4096)))
    assert "binary data (a NUL byte)" in only_error(path, line=3).problem  # after two \\n


def test_reliability_nul_in_valid_utf8_and_in_json_escapes(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Copper rose.\n\x00\x00")
    assert "binary data" in only_error(path, line=2).problem
    jsonl = tmp_path / "nul.jsonl"
    jsonl.write_text('{"body": "Copper\\u0000 rose."}\n{"body": "lone \\ud800 surrogate"}\n{"body": "Tin fell."}\n',
                     encoding="utf-8")
    first, second, third = results(jsonl)
    assert isinstance(first, IngestError) and first.line == 1 and "NUL character" in first.problem
    assert isinstance(second, IngestError) and second.line == 2 and "lone surrogate (\\ud800)" in second.problem
    assert isinstance(third, Article) and third.text == "Tin fell."


# -- encodings -------------------------------------------------------------
def test_reliability_latin1_is_refused_with_line_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("date 2024-01-02 Prices rose.\nThe caf\u00e9 owners in S\u00e3o Paulo agreed.\n".encode("latin-1"))
    error = only_error(path, line=2)
    assert "not UTF-8 (byte 0xe9)" in error.problem and "iconv -f WINDOWS-1252 -t UTF-8" in error.problem


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_reliability_byte_order_marks_are_read(tmp_path: Path, encoding: str) -> None:
    text = "date 2024-01-02 Caf\u00e9 owners in S\u00e3o Paulo sold coffee to Japan.\r\nA second line.\n"
    path = tmp_path / "bom.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    [article] = results(path)
    assert isinstance(article, Article), article
    assert article.date == dt.date(2024, 1, 2)
    assert article.text == "Caf\u00e9 owners in S\u00e3o Paulo sold coffee to Japan.\nA second line."


def test_reliability_utf16_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    lines = ['{"id": "w1", "body": "Caf\u00e9 prices rose."}', "{broken", '{"id": "w2", "body": "Tin fell."}']
    path.write_bytes("\n".join(lines).encode("utf-16"))
    first, broken, last = results(path)
    assert (first.id, first.text, first.line) == ("w1", "Caf\u00e9 prices rose.", 1)
    assert isinstance(broken, IngestError) and broken.line == 2
    assert (last.id, last.line) == ("w2", 3)


def test_reliability_broken_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(b"\xff\xfeA\x00B")  # UTF-16-LE mark, then an odd number of bytes
    assert "not valid UTF-16-LE" in only_error(path).problem


# -- size ------------------------------------------------------------------
def test_reliability_20mb_article_is_refused_and_the_rest_loads(tmp_path: Path) -> None:
    """Policy: an article is at most MAX_ARTICLE_CHARS (spaCy's nlp.max_length) characters."""
    sentence = "The ministry of a made-up state said copper exports rose again. "
    big = sentence * (20_000_000 // len(sentence))
    (tmp_path / "a-big.txt").write_text("date 2024-01-02 " + big, encoding="utf-8")
    (tmp_path / "b-wire.jsonl").write_text(
        json.dumps({"id": "w1", "body": "Tin fell."}) + "\n" + json.dumps({"id": "w2", "body": big[:3_000_000]}) + "\n"
        + json.dumps({"id": "w3", "body": "Zinc rose."}) + "\n", encoding="utf-8")
    (tmp_path / "c-good.txt").write_text(GOOD, encoding="utf-8")
    found = results(tmp_path)
    summary = [(type(r).__name__, Path(r.path).name, r.line, getattr(r, "code", None)) for r in found]
    assert summary == [("IngestError", "a-big.txt", None, "GK102"), ("Article", "b-wire.jsonl", 1, None),
                       ("IngestError", "b-wire.jsonl", 2, "GK102"), ("Article", "b-wire.jsonl", 3, None),
                       ("Article", "c-good.txt", None, None)]
    assert f"at most {MAX_ARTICLE_CHARS:,}" in found[0].problem and "split it" in found[0].problem
    assert found[2].article_id == "w2" and "2,999,999 characters" in found[2].problem  # stripped


def test_reliability_huge_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "sparse.txt"
    with path.open("wb") as out:  # sparse: no disk, no memory, but stat says 100 MiB
        out.truncate(MAX_FILE_BYTES + 36 * 2**20)
    assert "the file is 100.0 MiB" in only_error(path, code="GK102").problem


def test_reliability_overlong_jsonl_line_is_skipped_unread(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("wb") as out:
        out.write(b'{"body": "' + b"x" * (MAX_RECORD_BYTES + 10) + b'"}\n{"body": "Tin fell."}\n')
    error, article = results(path)
    assert isinstance(error, IngestError) and (error.line, error.code) == (1, "GK102")
    assert isinstance(article, Article) and article.line == 2


def test_reliability_device_named_like_an_article(tmp_path: Path) -> None:
    """/dev/zero behind a .txt name would be read forever; it is refused unread."""
    path = tmp_path / "zero.txt"
    path.symlink_to("/dev/zero")
    assert "not a regular file (a character device)" in only_error(path, code="GK105").problem


# -- dates -----------------------------------------------------------------
@pytest.mark.parametrize("content, line, fragment", [
    ("date 2024-13-01 Copper rose.\n", 1, "'2024-13-01' is not a valid YYYY-MM-DD date"),
    ("date 12/01/2024 Copper rose.\n", 1, 'first line must be "date YYYY-MM-DD"'),
    ("source Ledger\ndate 2024-02-30\n\nCopper rose.\n", 2, "'2024-02-30' is not a valid"),
])
def test_reliability_malformed_date_header(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    assert fragment in only_error(path, line=line).problem


@pytest.mark.parametrize("date, fragment", [
    ("1899-12-31", "before 1900-01-01"),
    ("0001-01-01", "before 1900-01-01"),
    ((dt.date.today() + dt.timedelta(days=400)).isoformat(), "is in the future"),
    ("9999-12-31", "is in the future"),
])
def test_reliability_dates_out_of_range(tmp_path: Path, date: str, fragment: str) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text(f"date {date} Copper rose.\n", encoding="utf-8")
    assert fragment in only_error(seed, code="GK103", line=1).problem
    header = tmp_path / "header.txt"
    header.write_text(f"source Ledger\ndate {date}\n\nCopper rose.\n", encoding="utf-8")
    assert fragment in only_error(header, code="GK103", line=2).problem
    jsonl = tmp_path / "wire.jsonl"
    jsonl.write_text(f'{{"id": "ok", "body": "Tin fell."}}\n{{"id": "w2", "date": "{date}T10:00:00Z", "body": "x"}}\n',
                     encoding="utf-8")
    article, error = results(jsonl)
    assert isinstance(article, Article)
    assert isinstance(error, IngestError) and (error.code, error.line, error.article_id) == ("GK103", 2, "w2")


def test_reliability_date_bounds_are_inclusive(tmp_path: Path) -> None:
    for date in (dt.date(1900, 1, 1), latest_date(), dt.date(1987, 2, 26)):
        path = tmp_path / f"{date}.txt"
        path.write_text(f"date {date} Copper rose.\n", encoding="utf-8")
        [article] = results(path)
        assert isinstance(article, Article) and article.date == date


def test_reliability_html_guessed_future_date_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    paragraph = "The ministry of a made-up state said it would stop selling nickel abroad next year. "
    path.write_text(f'<html><head><title>Nickel halt</title><meta name="date" content="2999-01-01"></head>'
                    f"<body><article><p>{paragraph * 4}</p></article></body></html>", encoding="utf-8")
    [article] = results(path)
    assert isinstance(article, Article) and article.date is None and "stop selling nickel" in article.text


# -- JSON Lines ------------------------------------------------------------
def test_reliability_jsonl_broken_line_mid_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text('{"id": "a", "body": "Tin fell."}\n{"id": "b", "body": "Zinc\n'
                    '{"id": "c", "body": "Lead rose."}\n', encoding="utf-8")
    first, broken, last = results(path)
    assert (first.id, last.id, last.line) == ("a", "c", 3)
    assert isinstance(broken, IngestError) and broken.line == 2
    assert str(broken).startswith(f"[GK101] {path}:2: not valid JSON")


@pytest.mark.parametrize("line, fragment", [
    ("[" * 100_000 + "]" * 100_000, "not readable JSON"),  # deeper than the interpreter's stack
    ('{"body": "x", "id": ' + "9" * 5000 + "}", "not readable JSON"),  # over Python's int-digit limit
])
def test_reliability_jsonl_hostile_json(tmp_path: Path, line: str, fragment: str) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_text(line + '\n{"body": "Tin fell."}\n', encoding="utf-8")
    error, article = results(path)
    assert isinstance(error, IngestError) and error.line == 1 and fragment in error.problem
    assert isinstance(article, Article)


# -- duplicate ids ---------------------------------------------------------
def test_reliability_duplicate_ids_first_wins_nothing_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "x1", "body": "Tin fell."}\n{"id": "x1", "body": "Zinc rose."}\n'
                                      '{"id": "x2", "body": "Lead rose."}\n{"id": "x2", "body": "Lead rose."}\n',
                                      encoding="utf-8")
    (tmp_path / "b.txt").write_text("id x2\n\nCopper is different.\n", encoding="utf-8")
    found = results(tmp_path)
    kinds = [(type(r).__name__, getattr(r, "id", getattr(r, "article_id", None)), r.line) for r in found]
    # x1 line 2 differs: refused. x2 line 4 is the same article again: read once. b.txt claims x2: refused.
    assert kinds == [("Article", "x1", 1), ("IngestError", "x1", 2), ("Article", "x2", 3),
                     ("IngestError", "x2", None)]
    assert found[1].code == found[3].code == "GK104"
    assert f"already read from {tmp_path / 'a.jsonl'}:1 with different content" in found[1].problem
    assert f"already read from {tmp_path / 'a.jsonl'}:3" in found[3].problem


# -- HTML junk -------------------------------------------------------------
NAV = ('<nav><ul>' + "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(40)) + "</ul></nav>")
SCRIPTS = "".join(f"<script>var tracker{i} = {{id: {i}, load: function() {{ return {i} * 2; }} }};</script>"
                  for i in range(200))


def test_reliability_html_only_scripts_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "portal.html"
    path.write_text(f"<html><head><title>Portal</title>{SCRIPTS}</head><body>{NAV}{SCRIPTS}"
                    "<footer>Copyright 2024 Example Media. Privacy. Terms.</footer></body></html>", encoding="utf-8")
    assert "no main text found in the HTML page" in only_error(path).problem


def test_reliability_html_article_among_scripts_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    paragraph = "The trade minister of a made-up state said it would sell tin to a neighbour next year. "
    path.write_text(f"<html><head><title>Tin sale</title>{SCRIPTS}</head><body>{NAV}<article><h1>Tin sale</h1>"
                    f"<p>{paragraph * 3}</p><p>{paragraph * 2}</p></article>{SCRIPTS}</body></html>",
                    encoding="utf-8")
    [article] = results(path)
    assert isinstance(article, Article) and "sell tin to a neighbour" in article.text
    assert "Section 7" not in article.text and "tracker" not in article.text


# -- files that vanish or cannot be read -----------------------------------
def test_reliability_file_vanishes_between_listing_and_reading(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"Copper rose in file {name}.", encoding="utf-8")
    stream = iter_articles([tmp_path])
    first = next(stream)  # the folder is listed, a.txt read
    (tmp_path / "b.txt").unlink()
    rest = list(stream)
    assert isinstance(first, Article)
    assert isinstance(rest[0], IngestError) and rest[0].code == "GK105"
    assert rest[0].path == str(tmp_path / "b.txt") and "No such file or directory" in rest[0].problem
    assert isinstance(rest[1], Article) and rest[1].path == str(tmp_path / "c.txt")


def test_reliability_folder_swapped_in_for_a_file(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Copper rose in {name}.", encoding="utf-8")
    stream = iter_articles([tmp_path])
    next(stream)  # the folder is listed, a.txt read
    (tmp_path / "b.txt").unlink()
    (tmp_path / "b.txt").mkdir()
    [error] = list(stream)
    assert isinstance(error, IngestError) and "not a regular file (a folder)" in error.problem


def test_reliability_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "z.txt").write_text("Copper rose.", encoding="utf-8")
    found: list = []
    reader = threading.Thread(target=lambda: found.extend(iter_articles([tmp_path])), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # unblock the reader before failing, so the session does not hang
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(found[0], IngestError) and "not a regular file (a FIFO)" in found[0].problem
    assert isinstance(found[1], Article)


def test_reliability_dangling_symlink_and_unlistable_names(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    assert "No such file or directory" in only_error(link, code="GK105").problem
    assert only_error(tmp_path / "missing.jsonl", code="GK105").problem == "no such file or directory"


# -- the whole build: summary, report, exit code ---------------------------
def write_matrix(folder: Path) -> dict[str, tuple[str, int | None]]:
    """Every bad input of the matrix beside two good articles; returns name -> (code, line)."""
    folder.mkdir()
    (folder / "good-chile.txt").write_text(GOOD, encoding="utf-8")
    (folder / "good-wide.txt").write_bytes(
        "date 2024-06-13 Japan agreed to buy copper from Chile, Reuters reports.\n".encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("date 2024-06-12 Caf\u00e9 sold.\n".encode("latin-1"))
    (folder / "huge.txt").write_text("date 2024-06-12 " + "Copper rose. " * 1_600_000, encoding="utf-8")
    (folder / "baddate.txt").write_text("date 2024-02-30 Copper rose.\n", encoding="utf-8")
    (folder / "future.txt").write_text("date 2999-01-01 Copper rose.\n", encoding="utf-8")
    (folder / "old.txt").write_text("date 1850-01-01 Copper rose.\n", encoding="utf-8")
    (folder / "wire.jsonl").write_text(
        '{"id": "w1", "body": "Peru sold zinc to China, Reuters reports."}\n{"id": "w2", "body": \n'
        '{"id": "w1", "body": "A different text under the same id."}\n', encoding="utf-8")
    (folder / "portal.html").write_text(f"<html><body>{NAV}{SCRIPTS}</body></html>", encoding="utf-8")
    (folder / "vanishing.txt").write_text("Copper rose.", encoding="utf-8")
    return {"empty.txt": ("GK101", None), "blank.txt": ("GK101", None), "binary.txt": ("GK101", 1),
            "latin1.txt": ("GK101", 1), "huge.txt": ("GK102", None), "baddate.txt": ("GK101", 1),
            "future.txt": ("GK103", 1), "old.txt": ("GK103", 1), "wire.jsonl:2": ("GK101", 2),
            "wire.jsonl:3": ("GK104", 3), "portal.html": ("GK101", None), "vanishing.txt": ("GK105", None)}


@pytest.mark.slow
def test_reliability_build_matrix_report_and_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``geokg build --report``: good articles load, every bad one is in the report, exit 1."""
    from geokg import api
    from geokg.cli import cli

    expected = write_matrix(tmp_path / "in")
    vanish = tmp_path / "in" / "vanishing.txt"
    original_build = api.build

    def build_that_deletes(paths, settings=None, *, on_article=None, **options):  # the real build, plus a hook
        def hook(article: Article) -> None:
            if vanish.exists():  # after the first article, before vanishing.txt is read
                vanish.unlink()
            if on_article:
                on_article(article)
        return original_build(paths, settings, on_article=hook, **options)

    report = tmp_path / "failures.jsonl"
    monkeypatch.setattr(api, "build", build_that_deletes)
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "in"), "--store", str(tmp_path / "db"),
                                      "-q", "--report", str(report)])
    assert result.exit_code == 1, result.output
    assert "articles loaded: 3" in result.stdout  # good-chile, good-wide, wire.jsonl:1
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) == {"path", "line", "article_id", "code", "message"} for r in records)
    got = {Path(r["path"]).name + (f":{r['line']}" if r["path"].endswith(".jsonl") else ""): (r["code"], r["line"])
           for r in records}
    assert got == expected
    assert next(r for r in records if r["code"] == "GK104")["article_id"] == "w1"
    for record in records:
        assert record["message"].startswith(record["path"])  # every message names its file
        assert record["message"] in result.stdout  # and the summary printed it too


@pytest.mark.slow
def test_reliability_build_report_is_empty_when_all_loads(tmp_path: Path) -> None:
    from geokg.cli import cli

    (tmp_path / "chile.txt").write_text(GOOD, encoding="utf-8")
    report = tmp_path / "failures.jsonl"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "chile.txt"), "--store", str(tmp_path / "db"),
                                      "-q", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert report.read_text(encoding="utf-8") == ""
    assert "report: 0 article(s) not loaded" in result.stdout


def test_reliability_report_path_checked_before_the_build(tmp_path: Path) -> None:
    from geokg.cli import cli

    (tmp_path / "in").mkdir()  # the report may not lie in an input folder (issue 18), so apart from it
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "in"), "--store", str(tmp_path / "db"),
                                      "--report", str(tmp_path / "no" / "such" / "dir" / "r.jsonl")])
    assert result.exit_code == 2 and "--report" in result.output
    assert not (tmp_path / "db").exists()
