"""The pipeline: extractors chosen by name behind one protocol, the same steps after the facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from spacy.language import Language
from spacy.tokens import Doc

import geokg
from geokg.cli import cli, main
from geokg.errors import ConfigError
from geokg.model import (Article, ArticleFacts, Entity, EntityKind, EntityRef, Event, EventType, Evidence,
                         content_hash)
from geokg.pipeline import EXTRACTORS, get_extractor, process_batch
from geokg.reference import ReferenceIndex
from geokg.settings import DEFAULT_EXTRACTOR, DEFAULT_MODEL, Settings

TEXT = "Chile offered copper to Japan."
CHILE, JAPAN, COPPER = (EntityRef(EntityKind.COUNTRY, "CL"), EntityRef(EntityKind.COUNTRY, "JP"),
                        EntityRef(EntityKind.COMMODITY, "copper"))


class FirstSentenceOffers:
    """An extractor that is not geokg's rules: every article is an offer of copper by Chile to
    Japan, told by its first sentence. It parses with a blank pipeline."""

    name = "first-sentence"
    description = "reads an offer in every first sentence"

    def nlp(self, model: str) -> Language:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp

    def extract(self, article: Article, doc: Doc, reference: ReferenceIndex) -> ArticleFacts:
        first = next(iter(doc.sents))
        evidence = Evidence(first.start_char, first.end_char, first.text)
        return ArticleFacts(
            article=article,
            entities=tuple(Entity(ref, reference.get(ref).label) for ref in (CHILE, JAPAN, COPPER)),
            events=(Event(EventType.OFFER, evidence, agent=CHILE, themes=(COPPER,), recipients=(JAPAN,),
                          date=article.date, confidence=0.9),))


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(EXTRACTORS, FirstSentenceOffers.name, FirstSentenceOffers())
    return FirstSentenceOffers.name


def test_the_extractors_are_rules_and_trained_and_trained_is_the_default() -> None:
    assert sorted(EXTRACTORS) == ["rules", "trained"] and DEFAULT_EXTRACTOR == "trained"
    assert Settings().extractor == "trained"


def test_an_unknown_extractor_is_a_config_error_listing_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"extractor='llm' is not valid\. It must be in: rules, trained"):
        get_extractor("llm")


def test_settings_take_the_extractor_from_the_environment_then_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOKG_EXTRACTOR", "rules")
    assert Settings.from_env().extractor == "rules"
    assert Settings.from_env(extractor="trained").extractor == "trained"


def test_build_help_names_every_extractor() -> None:
    # The help text is written out (cli --help imports no pipeline); it must follow EXTRACTORS.
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert all(f"'{name}'" in " ".join(result.output.split()) for name in EXTRACTORS), result.output


def test_build_with_an_unknown_extractor_exits_2_and_writes_nothing(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    store, report = tmp_path / "geokg.db", tmp_path / "report.jsonl"
    with pytest.raises(SystemExit) as done:
        main(["build", str(tmp_path / "a.txt"), "--store", str(store), "--extractor", "llm", "--report", str(report)])
    assert done.value.code == 2
    assert capsys.readouterr().err == "Error: [GK901] extractor='llm' is not valid. It must be in: rules, trained\n"
    assert not store.exists() and not report.exists()


@pytest.mark.slow
def test_another_extractor_plugs_in_by_name_and_its_facts_are_mapped_validated_and_stored(
        plugged: str, tmp_path: Path) -> None:
    path = tmp_path / "offer.txt"
    path.write_text("date 2024-06-12\nsource Reuters\n\nChile offered copper to Japan. Prices held.\n",
                    encoding="utf-8")
    settings = Settings(store=tmp_path / "geokg.db", extractor=plugged)
    summary = geokg.build([path], settings)
    assert (summary.articles, summary.failures, summary.quarantined) == (1, [], [])
    rows = geokg.query("offers", {}, settings).as_dicts()
    assert [(r["agent"], r["commodity"], r["recipient"], r["date"]) for r in rows] == [
        ("Chile", "Copper", "Japan", dt.date(2024, 6, 12))]


def test_a_batch_carries_the_content_hash_whatever_the_extractor(plugged: str) -> None:
    article = Article(id="x", text=TEXT)
    [outcome] = process_batch([article], DEFAULT_MODEL, extractor=plugged)
    assert outcome.failure is None and f'"{content_hash(article)}"' in (outcome.ntriples or "")


@pytest.mark.slow
def test_the_rules_extractor_is_the_trained_one_without_its_event_model(monkeypatch: pytest.MonkeyPatch) -> None:
    batch = [Article(id="r1", text="Chile offered to sell copper to Japan on Monday."),
             Article(id="r2", text="Kazakhstan will cut wheat exports by 300,000 tonnes, the ministry said.")]
    rules = [o.ntriples for o in process_batch(batch, DEFAULT_MODEL, extractor="rules")]
    monkeypatch.setenv("GEOKG_EVENT_MODEL", "none")
    assert [o.ntriples for o in process_batch(batch, DEFAULT_MODEL, extractor="trained")] == rules
    assert all(rules)
