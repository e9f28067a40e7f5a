"""Issue 4, properties: any input yields articles or coded errors (ingest), and any
article yields a conforming graph or a coded error (extraction), never an escaping
exception, never a non-conforming graph in the store.

Example counts follow the hypothesis profile of tests/conftest.py (dev 30, ci 100);
the whole-build property runs a tenth of that.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rdflib import Graph

from geokg.articles import EARLIEST_DATE, MAX_ARTICLE_CHARS, SUFFIXES, Article, iter_articles, latest_date
from geokg.errors import IngestError
from geokg.rdf.iris import graph_iri
from geokg.settings import Settings
from geokg.store import Store
from geokg.validate import validate

pytestmark = pytest.mark.issue(4)
FEW = hypothesis_settings(max_examples=max(3, hypothesis_settings().max_examples // 10),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Fragments that steer the text into the extraction rules: actors, metonyms, offices,
# commodity phrases, quantities, relative and absolute dates, attribution, noise.
FRAGMENTS = [
    "Chile", "Russia", "China", "Japan", "the Kremlin", "Washington", "Putin", "the US president", "Moscow",
    "OPEC", "the European Union", "Reuters", "Interfax", "Glencore", "the ministry",
    "offered to sell", "agreed to buy", "banned exports of", "imposed sanctions on", "imposed tariffs on",
    "met", "said", "told reporters", "produced", "ranks first in", "prices rose", "fell by",
    "copper", "wheat", "rare earths", "crude oil", "aluminium", "natural gas", "lithium",
    "2 million tonnes of", "1e308 tonnes", "99999999999999999999 barrels", "-5 tonnes", "0.0000001 %",
    "$3.5 billion", "40 percent", "½ tonne",
    "on Monday", "on 24 February", "next year", "last week", "in 1987", "on 31 February", "in the year 10000",
    "on 29 February 1900", "yesterday", "tomorrow",
    ", Reuters reports.", ", according to Interfax.", "\"We will sell,\" he said.", ".", ",", ";", "\n", "\n\n",
    "–", "\u201c", "\u201d", "(", ")", "#", "<", ">", "\\", "\"", "'", "{", "}",
]
WORDS = st.one_of(st.sampled_from(FRAGMENTS),
                  st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12))
NEWSY = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)
ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)
DATES = st.one_of(st.none(), st.dates(EARLIEST_DATE, latest_date()),
                  st.sampled_from([EARLIEST_DATE, latest_date(), dt.date(1987, 2, 26)]))


# -- ingest ------------------------------------------------------------------
def check_ingest(results: list, path: Path) -> None:
    for item in results:
        assert isinstance(item, (Article, IngestError)), item
        assert item.path == str(path)
        if isinstance(item, IngestError):
            assert item.code in {"GK101", "GK102", "GK103", "GK104", "GK105"}
            assert str(item).startswith(f"[{item.code}] {path}")
            continue
        assert item.text.strip() and len(item.text) <= MAX_ARTICLE_CHARS and "\x00" not in item.text
        item.text.encode("utf-8")  # no lone surrogates reach the pipeline
        assert item.date is None or EARLIEST_DATE <= item.date <= latest_date()


@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=2000))
@example(suffix=".jsonl", data=b'{"body": "x", "date": "0001-01-01"}\n{"body": "\\ud800"}')
@example(suffix=".json", data=b"[" * 50_000)
@example(suffix=".txt", data=b"\xff\xfe\x00")
@example(suffix=".html", data=b"<html><body><p>" + b"\x00" * 10 + b"</p></body></html>")
def test_reliability_any_bytes_read_as_articles_or_coded_errors(
        tmp_path_factory: pytest.TempPathFactory, suffix: str, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"input{suffix}"
    path.write_bytes(data)
    check_ingest(list(iter_articles([path])), path)


@given(text=st.one_of(NEWSY, ANY_TEXT), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
       header=st.sampled_from(["", "date 2024-01-02 ", "date 1899-12-31 ", "source Ledger\ndate 2024-01-02\n\n"]))
def test_reliability_any_text_in_any_encoding(tmp_path_factory: pytest.TempPathFactory, text: str,
                                              encoding: str, header: str) -> None:
    path = tmp_path_factory.mktemp("text") / "input.txt"
    path.write_bytes((header + text).encode(encoding))
    check_ingest(list(iter_articles([path])), path)


# -- extraction ----------------------------------------------------------------
@pytest.fixture(scope="module")
def pipeline():
    from geokg.nlp import get_pipeline
    from geokg.reference import load_reference

    return get_pipeline(Settings.from_env().model), load_reference()


def assert_conforms(ntriples: str, article_id: str) -> None:
    graph = Graph(identifier=graph_iri(article_id)).parse(data=ntriples, format="nt")
    report = validate(graph, article=article_id)
    assert report.conforms, report.text


@pytest.mark.slow
@given(text=st.one_of(NEWSY, ANY_TEXT), date=DATES)
@example(text="Chile offered to sell 99999999999999999999 tonnes of copper to Japan next year, Reuters reports.",
         date=latest_date())
@example(text="Russia banned exports of wheat on 29 February 1900.", date=EARLIEST_DATE)
@example(text="Putin met the US president in Moscow on 31 February, according to Interfax.", date=None)
@hypothesis_settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_reliability_any_article_yields_a_conforming_graph_or_a_coded_error(
        pipeline, tmp_path_factory: pytest.TempPathFactory, text: str, date: dt.date | None) -> None:
    from geokg.pipeline import process

    nlp, reference = pipeline
    path = tmp_path_factory.mktemp("article") / "input.jsonl"
    path.write_text(json.dumps({"id": "prop-1", "body": text, "date": date and date.isoformat()}) + "\n",
                    encoding="utf-8")
    [item] = list(iter_articles([path]))
    check_ingest([item], path)
    if isinstance(item, IngestError):
        return
    outcome = process(item, nlp(item.text), reference)  # raises nothing: that is the property
    if outcome.failure is not None:
        assert outcome.failure.code != "GK200", outcome.failure.message  # GK200 = an unexpected exception
        assert outcome.failure.code.startswith("GK")
    elif outcome.quarantine is not None:
        assert not outcome.quarantine[1].conforms
    else:
        assert outcome.ntriples
        assert_conforms(outcome.ntriples, item.id)
        with Store() as store:  # what the store holds after loading still conforms
            store.replace_graphs({str(graph_iri(item.id)): outcome.ntriples})
            assert validate(store.rdflib_graph(graph_iri(item.id)), article=item.id).conforms


@pytest.mark.slow
@FEW
@given(texts=st.lists(st.tuples(st.one_of(NEWSY, ANY_TEXT), DATES), min_size=1, max_size=6))
def test_reliability_build_stores_only_conforming_graphs(tmp_path_factory: pytest.TempPathFactory,
                                                        texts: list[tuple[str, dt.date | None]]) -> None:
    """The whole build: every input is loaded, failed or quarantined; the store conforms."""
    from geokg import api

    folder = tmp_path_factory.mktemp("build")
    lines = [json.dumps({"id": f"p{i}", "body": text, "date": date and date.isoformat()})
             for i, (text, date) in enumerate(texts)]
    (folder / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(store=folder / "db")
    summary = api.build([folder / "in.jsonl"], settings)
    assert not [f for f in summary.failures if f.code == "GK200"], summary.failures
    assert summary.articles + len(summary.not_loaded()) == len(texts)
    with Store.open(settings.store, read_only=True) as store:
        assert len(store.article_graphs()) == summary.articles
    assert api.validate(None, settings).conforms
