"""Readers of articles.py: every format, folder walking, errors as values."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geokg.articles import Article, article_id, count_articles, iter_articles, read_file
from geokg.errors import IngestError

SEED_TEXT = ("date 2024-03-04 The Republic of Nowhere offered on Monday to sell tin to Elsewhere.\n"
             "\nIts trade minister said the offer covered 20,000 tonnes.\n")


def _only(items: list) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def test_articles_seed_format(tmp_path: Path) -> None:
    path = tmp_path / "2024-03-04-tin-offer.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    article = _only(list(iter_articles([path])))
    assert article.id == "2024-03-04-tin-offer"
    assert article.date == dt.date(2024, 3, 4)
    assert article.text.startswith("The Republic of Nowhere offered on Monday")
    assert article.text.endswith("20,000 tonnes.")
    assert article.path == str(path)
    # The text is the file's own characters from the lead sentence on.
    assert article.text in path.read_text(encoding="utf-8")


def test_articles_seed_file_of_the_repo(seeds_dir: Path) -> None:
    articles = list(iter_articles([seeds_dir]))
    assert articles and all(isinstance(a, Article) for a in articles)
    seed = next(a for a in articles if a.id == "2025-02-25-putin-rare-earths")
    assert seed.date == dt.date(2025, 2, 25)
    assert seed.text.startswith("Russian leader Vladimir Putin")


def test_articles_header_format(tmp_path: Path) -> None:
    path = tmp_path / "07.txt"
    path.write_text("date 2024-05-06\nsource The Daily Ledger\nurl https://example.org/a/1\n"
                    "title Tin talks\n\nTin talks resumed in Someplace.\nA second paragraph.\n",
                    encoding="utf-8")
    article = _only(list(read_file(path)))
    assert (article.id, article.date, article.source) == ("07", dt.date(2024, 5, 6), "The Daily Ledger")
    assert (article.url, article.title) == ("https://example.org/a/1", "Tin talks")
    # The body alone: gold offsets of the news-dev set are taken in the body.
    assert article.text == "Tin talks resumed in Someplace.\nA second paragraph."


def test_articles_header_id_line_wins(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("date 2024-05-06\nid my-id.1\n\nSome text.\n", encoding="utf-8")
    assert _only(list(read_file(path))).id == "my-id.1"


def test_articles_news_dev_header_format(shared_dir: Path) -> None:
    docs = shared_dir / "data" / "news-dev" / "docs"
    if not docs.is_dir():
        pytest.skip("news-dev not present")
    articles = list(iter_articles([docs]))
    assert len(articles) == 20 and all(isinstance(a, Article) for a in articles)
    gold = [json.loads(line) for line in (docs.parent / "gold.jsonl").read_text().splitlines()]
    for article, record in zip(articles, gold):
        assert (article.id, str(article.date), article.source) == (record["doc"], record["date"], record["source"])
        for fact in record["facts"]:
            assert fact["source_sentence"] in article.text


def test_articles_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("\nCopper rose in Somewhere on a made-up day.\n", encoding="utf-8")
    article = _only(list(read_file(path)))
    assert article.date is None
    assert article.text == "Copper rose in Somewhere on a made-up day."
    assert article.id == "notes"  # the file stem, as for every file holding one article


def test_articles_plain_text_edited_keeps_its_id_and_a_stem_that_is_no_id_gives_a_hash(tmp_path: Path) -> None:
    path = tmp_path / "copper-note.txt"
    path.write_text("Copper rose.", encoding="utf-8")
    first = _only(list(read_file(path)))
    path.write_text("Copper fell.", encoding="utf-8")
    edited = _only(list(read_file(path)))
    assert first.id == edited.id == "copper-note"  # so a build replaces its graph, not adds a second one
    spaced = tmp_path / "my notes.txt"
    spaced.write_text("Copper rose.", encoding="utf-8")
    assert _only(list(read_file(spaced))).id == article_id("Copper rose.")


@pytest.mark.parametrize("first_line, fragment", [
    ("dated 25 Feb", '1: first line must be "date YYYY-MM-DD", found "dated 25 Feb"'),
    ("date 25 Feb 2025 Text.", 'found "date 25 Feb 2025 Text."'),
    ("date 2025-02-30 Text.", "'2025-02-30' is not a valid YYYY-MM-DD date"),
])
def test_articles_malformed_seed_header(tmp_path: Path, first_line: str, fragment: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(first_line + "\nBody.\n", encoding="utf-8")
    [error] = list(read_file(path))
    assert isinstance(error, IngestError)
    assert (error.path, error.line) == (str(path), 1)
    assert str(error).startswith("[GK101] ") and fragment in str(error)


def test_articles_malformed_header_block(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("date 2024-05-06\nsource Ledger\nulr https://example.org\n\nText.\n", encoding="utf-8")
    [error] = list(read_file(path))
    assert isinstance(error, IngestError) and error.line == 3 and "ulr" in error.problem


@pytest.mark.parametrize("content", ["date 2024-05-06\nsource Ledger\n", "date 2024-05-06\n\n  \n", "  \n\n"])
def test_articles_no_text_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    [error] = list(read_file(path))
    assert isinstance(error, IngestError)


def test_articles_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"date 2024-05-06 Fine first line.\nbad \xff byte\n")
    [error] = list(read_file(path))
    assert isinstance(error, IngestError) and error.line == 2 and "UTF-8" in error.problem


def test_articles_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    records = [
        {"id": "w-1", "date": "2024-01-02", "title": "TIN UP", "body": "Tin rose.", "source": "Wire"},
        {"date": "2-JAN-1987 10:01:02.00", "text": "Zinc fell.", "dateline": "SOMEWHERE, Jan 2"},
        {"id": 17, "date": "2024-01-02T08:00:00Z", "body": "Lead was flat.", "url": "https://example.org/3"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    first, second, third = list(read_file(path))
    assert (first.id, first.date, first.title, first.source) == ("w-1", dt.date(2024, 1, 2), "TIN UP", "Wire")
    assert first.text == "TIN UP\n\nTin rose."
    assert second.text == "SOMEWHERE, Jan 2 - Zinc fell." and second.date == dt.date(1987, 1, 2)
    assert second.id == article_id(second.text)
    assert (third.id, third.date, third.url) == ("17", dt.date(2024, 1, 2), "https://example.org/3")
    assert all(a.path == str(path) for a in (first, second, third))


def test_articles_jsonl_bad_lines_continue(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text('{"body": "One."}\n{not json\n{"title": "no body"}\n{"body": "x", "date": "soon"}\n'
                    '[1, 2]\n{"body": "x", "id": "has space"}\n{"body": "Two."}\n', encoding="utf-8")
    results = list(read_file(path))
    assert [type(r).__name__ for r in results] == ["Article"] + ["IngestError"] * 5 + ["Article"]
    assert [r.line for r in results if isinstance(r, IngestError)] == [2, 3, 4, 5, 6]
    assert "not valid JSON" in results[1].problem and '"body"' in results[2].problem


def test_articles_json_list(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"body": "One."}, {"nobody": 1}]), encoding="utf-8")
    article, error = list(read_file(path))
    assert article.text == "One." and isinstance(error, IngestError) and "item 1" in error.problem


def test_articles_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    paragraph = "The ministry of a made-up state said it would stop selling nickel abroad next year. "
    path.write_text(f"<html><head><title>Nickel halt</title></head><body><article><h1>Nickel halt</h1>"
                    f"<p>{paragraph * 3}</p><p>{paragraph * 2}</p></article></body></html>", encoding="utf-8")
    article = _only(list(read_file(path)))
    assert article.id == "page" and "stop selling nickel" in article.text
    assert article.title == "Nickel halt" and article.text.startswith("Nickel halt\n\n")


def test_articles_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text("<html><body></body></html>", encoding="utf-8")
    [error] = list(read_file(path))
    assert isinstance(error, IngestError) and "no main text" in error.problem


def test_articles_folders_walked_sorted(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_text("Alpha text.", encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.txt").write_text("Gamma text.", encoding="utf-8")
    (tmp_path / "b" / "bad.txt").write_text("dated tomorrow\nBeta.", encoding="utf-8")
    (tmp_path / "b" / "z.jsonl").write_text('{"body": "Zeta."}\n', encoding="utf-8")
    (tmp_path / ".hidden" / "h.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".dot.txt").write_text("Hidden too.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    results = list(iter_articles([tmp_path, tmp_path / "missing"]))
    kinds = [(type(r).__name__, Path(r.path).name) for r in results]
    assert kinds == [("Article", "a.txt"), ("IngestError", "bad.txt"), ("Article", "c.txt"),
                     ("Article", "z.jsonl"), ("IngestError", "missing")]


def test_articles_unknown_extension_named_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    [error] = list(iter_articles([path]))
    assert isinstance(error, IngestError) and ".txt" in error.problem


def _check(results: list, path: Path) -> None:
    for result in results:
        assert isinstance(result, (Article, IngestError))
        assert result.path == str(path)
        if isinstance(result, Article):
            assert result.text.strip() and result.id


@given(st.text())
def test_articles_arbitrary_text_never_crashes(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("t") / "x.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _check(list(read_file(path)), path)


@pytest.mark.slow
@given(st.lists(st.one_of(
    st.text(),
    st.dictionaries(st.sampled_from(["id", "date", "title", "body", "text", "source", "url", "dateline"]),
                    st.one_of(st.none(), st.text(), st.integers(), st.booleans(), st.lists(st.integers())))
    .map(json.dumps),
    st.recursive(st.none() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c))
    .map(json.dumps),
)))
def test_articles_arbitrary_jsonl_never_crashes(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("j") / "x.jsonl"
    path.write_bytes("\n".join(line.replace("\n", " ") for line in lines).encode("utf-8", "surrogatepass"))
    results = list(read_file(path))
    _check(results, path)
    if all(not line.strip() for line in lines):
        assert [r.problem for r in results] == ["the file holds no records (one JSON object per line)"]
    else:  # every record-level error names its line
        assert all(r.line for r in results if isinstance(r, IngestError))


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40), st.text(max_size=80))
def test_articles_malformed_seed_headers_never_crash(tmp_path_factory: pytest.TempPathFactory,
                                                     header: str, body: str) -> None:
    path = tmp_path_factory.mktemp("s") / "x.txt"
    path.write_bytes(f"date{header}\n{body}".encode("utf-8", "surrogatepass"))
    _check(list(read_file(path)), path)


def test_count_articles_counts_files_and_jsonl_lines_without_parsing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    (folder / "sub" / "b.html").write_text("<html><body><p>Tin.</p></body></html>", encoding="utf-8")
    (folder / ".hidden.txt").write_text(SEED_TEXT, encoding="utf-8")  # skipped by the walk, as by the reader
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    records = "".join(json.dumps({"id": f"r{i}", "text": "Oil rose."}) + "\n" for i in range(5))
    (folder / "c.jsonl").write_text(records, encoding="utf-8")
    last_unterminated = tmp_path / "d.jsonl"
    last_unterminated.write_text(records + json.dumps({"id": "r9", "text": "Oil fell."}), encoding="utf-8")
    assert count_articles([folder]) == 1 + 1 + 5
    assert count_articles([last_unterminated]) == 6 == sum(isinstance(a, Article) for a in iter_articles([last_unterminated]))
    assert count_articles([folder, last_unterminated, tmp_path / "missing.txt"]) == 13


def test_count_articles_is_unknown_for_a_json_list(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"id": "a", "text": "Oil rose."}]), encoding="utf-8")
    (tmp_path / "b.txt").write_text(SEED_TEXT, encoding="utf-8")
    assert count_articles([tmp_path]) is None
