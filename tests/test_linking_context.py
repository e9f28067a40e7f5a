"""Unknown names are typed from the nouns around them, whatever the tagger guessed (hand-built Docs)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from geokg.extract.linking import LinkedDoc, _facilities, _kind_from_context
from geokg.model import Entity, EntityKind, EntityRef

pytestmark = pytest.mark.issue(16)


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


def test_a_name_before_oilfield_or_mine_is_a_facility_before_basin_a_place(vocab) -> None:
    doc = Doc(vocab, words=["the", "Mponeng", "mine", "flooded"], heads=[2, 2, 3, 3],
              deps=["det", "compound", "nsubj", "ROOT"], pos=["DET", "PROPN", "NOUN", "VERB"],
              lemmas=["the", "Mponeng", "mine", "flood"])
    assert _kind_from_context(Span(doc, 1, 2, label="PERSON")) is EntityKind.FACILITY
    basin = Doc(vocab, words=["the", "Karoo", "basin", "dried"], heads=[2, 2, 3, 3],
                deps=["det", "compound", "nsubj", "ROOT"], pos=["DET", "PROPN", "NOUN", "VERB"],
                lemmas=["the", "Karoo", "basin", "dry"])
    assert _kind_from_context(Span(basin, 1, 2, label="ORG")) is EntityKind.PLACE


@pytest.fixture(scope="module")
def reference():
    from geokg.reference import load_reference

    return load_reference()


def _facility_doc(vocab, words, heads, deps, pos, countries=()):
    """A hand-parsed Doc and the LinkedDoc of its country names (token indices in ``countries``)."""
    doc = Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=[w.lower() for w in words])
    linked = LinkedDoc()
    for i, code in countries:
        linked.add(Span(doc, i, i + 1), Entity(EntityRef(EntityKind.COUNTRY, code), words[i]))
    return doc, linked


def test_a_facility_takes_its_name_across_modifiers_and_its_country_from_a_possessor(vocab, reference) -> None:
    # "Chile's Los Bronces copper mine closed"
    doc, linked = _facility_doc(
        vocab, ["Chile", "'s", "Los", "Bronces", "copper", "mine", "closed"],
        heads=[5, 0, 3, 5, 5, 6, 6], deps=["poss", "case", "compound", "compound", "compound", "nsubj", "ROOT"],
        pos=["PROPN", "PART", "PROPN", "PROPN", "NOUN", "NOUN", "VERB"], countries=[(0, "CL")])
    [(span, entity)] = _facilities(doc, linked, {0}, reference)
    assert span.text == "Los Bronces"
    assert entity.ref == EntityRef(EntityKind.FACILITY, "los-bronces") and not entity.known
    assert entity.located_in == EntityRef(EntityKind.COUNTRY, "CL")


def test_a_facility_in_a_country_after_its_noun_or_its_verb(vocab, reference) -> None:
    # "the Kollsnes plant in Norway restarted"
    doc, linked = _facility_doc(
        vocab, ["the", "Kollsnes", "plant", "in", "Norway", "restarted"],
        heads=[2, 2, 5, 2, 3, 5], deps=["det", "compound", "nsubj", "prep", "pobj", "ROOT"],
        pos=["DET", "PROPN", "NOUN", "ADP", "PROPN", "VERB"], countries=[(4, "NO")])
    [(span, entity)] = _facilities(doc, linked, {4}, reference)
    assert (span.text, entity.located_in) == ("Kollsnes", EntityRef(EntityKind.COUNTRY, "NO"))
    # "Eni shut the Zohr field in Egypt": the place phrase hangs on the verb
    doc, linked = _facility_doc(
        vocab, ["Eni", "shut", "the", "Zohr", "field", "in", "Egypt"],
        heads=[1, 1, 4, 4, 1, 1, 5], deps=["nsubj", "ROOT", "det", "compound", "dobj", "prep", "pobj"],
        pos=["PROPN", "VERB", "DET", "PROPN", "NOUN", "ADP", "PROPN"], countries=[(6, "EG")])
    [(span, entity)] = _facilities(doc, linked, {6}, reference)
    assert (span.text, entity.located_in) == ("Zohr", EntityRef(EntityKind.COUNTRY, "EG"))


def test_no_facility_without_a_proper_name_or_named_after_a_country(vocab, reference) -> None:
    # "the copper mine flooded": no name; "the Iraq oilfield": the gazetteer took the country
    doc, linked = _facility_doc(vocab, ["the", "copper", "mine", "flooded"], heads=[2, 2, 3, 3],
                                deps=["det", "compound", "nsubj", "ROOT"], pos=["DET", "NOUN", "NOUN", "VERB"])
    assert _facilities(doc, linked, set(), reference) == []
    doc, linked = _facility_doc(vocab, ["an", "Iraq", "oilfield", "flooded"], heads=[2, 2, 3, 3],
                                deps=["det", "compound", "nsubj", "ROOT"], pos=["DET", "PROPN", "NOUN", "VERB"],
                                countries=[(1, "IQ")])
    assert _facilities(doc, linked, {1}, reference) == []


def test_a_name_after_firm_or_with_a_company_apposition_is_a_company(vocab) -> None:
    doc = Doc(vocab, words=["oil", "firm", "Tullow", "said"], heads=[1, 2, 3, 3],
              deps=["compound", "compound", "nsubj", "ROOT"], pos=["NOUN", "NOUN", "PROPN", "VERB"],
              lemmas=["oil", "firm", "Tullow", "say"])
    assert _kind_from_context(Span(doc, 2, 3, label="PERSON")) is EntityKind.COMPANY
    appos = Doc(vocab, words=["Kosmos", ",", "the", "explorer", ",", "said"], heads=[5, 0, 3, 0, 0, 5],
                deps=["nsubj", "punct", "det", "appos", "punct", "ROOT"],
                pos=["PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB"],
                lemmas=["Kosmos", ",", "the", "explorer", ",", "say"])
    assert _kind_from_context(Span(appos, 0, 1, label="PERSON")) is EntityKind.COMPANY


def test_no_telling_noun_leaves_the_tagger_s_guess(vocab) -> None:
    doc = Doc(vocab, words=["Ana", "Rojas", "said"], heads=[1, 2, 2], deps=["compound", "nsubj", "ROOT"],
              pos=["PROPN", "PROPN", "VERB"], lemmas=["Ana", "Rojas", "say"])
    assert _kind_from_context(Span(doc, 0, 2, label="PERSON")) is None


@pytest.mark.slow
def test_facilities_are_stored_as_places_in_their_country(tmp_path) -> None:
    """End to end: the facility validates against the shapes, the ``mentions`` query lists it
    with its country's ISO code, and the event that happens there names it as its place."""
    import json

    import geokg
    from geokg.settings import Settings

    text = ("Output at Kuwait's Burgan oilfield fell to 1.5 million barrels per day in May. "
            "Vedanta halted work at its Lanjigarh alumina refinery.")
    path = tmp_path / "facilities.jsonl"
    path.write_text(json.dumps({"id": "burgan", "date": "2024-06-12", "text": text}) + "\n", encoding="utf-8")
    settings = Settings.from_env(store=tmp_path / "geokg.db")
    summary = geokg.build([path], settings)
    assert summary.failures == [] and summary.quarantined == [], summary
    mentions = geokg.query("mentions", {}, settings)
    rows = {row["label"]: row for row in mentions.as_dicts()}
    # The contract's types: a facility is reported as a Place (as an exchange is an Organization).
    assert rows["Burgan"]["type"] == "Place" and rows["Burgan"]["iso"] == "KW"
    assert rows["Lanjigarh"]["type"] == "Place" and not rows["Lanjigarh"]["iso"]
    facilities = geokg.sparql("SELECT ?label WHERE { ?f a gk:Facility ; skos:prefLabel ?label }", settings)
    assert {str(row[0]) for row in facilities.rows} == {"Burgan", "Lanjigarh"}
    places = geokg.sparql("SELECT ?label WHERE { ?e a gk:Production ; gk:place/skos:prefLabel ?label }", settings)
    # Both stoppages happen at their facility (the refinery's owner goes unnamed: "Vedanta" is
    # read as a place, so the production there is nobody's in particular).
    assert {str(row[0]) for row in places.rows} == {"Burgan", "Lanjigarh"}


def test_a_benchmark_the_tagger_took_for_a_person_is_the_commodity_in_a_market_report(vocab, reference) -> None:
    from geokg.extract.linking import _resolve_ner

    def brent(words: list[str], heads: list[int], deps: list[str]) -> Entity | None:
        doc = Doc(vocab, words=words, heads=heads, deps=deps, lemmas=[w.lower() for w in words])
        return _resolve_ner(Span(doc, 0, 1, label="PERSON"), reference, [])

    market = brent(["Brent", "fell", "to", "a", "low"], [1, 1, 1, 4, 2], ["nsubj", "ROOT", "prep", "det", "pobj"])
    assert market is not None and market.ref == EntityRef(EntityKind.COMMODITY, "brent")
    talk = brent(["Brent", "said", "nothing"], [1, 1, 1], ["nsubj", "ROOT", "dobj"])
    assert talk is not None and talk.ref.kind is EntityKind.PERSON


def test_a_name_with_figures_is_no_person(vocab, reference) -> None:
    from geokg.extract.linking import _resolve_ner

    doc = Doc(vocab, words=["License", "41A", "expires"], heads=[1, 2, 2], deps=["compound", "nsubj", "ROOT"])
    assert _resolve_ner(Span(doc, 0, 2, label="PERSON"), reference, []) is None


def test_a_firm_named_after_its_trade_is_a_company_not_a_person_nor_the_commodity(vocab, reference) -> None:
    from geokg.extract.linking import _commodity_in_a_name, _resolve_ner

    doc = Doc(vocab, words=["Kosmos", "Oil", "drilled"], heads=[1, 2, 2], deps=["compound", "nsubj", "ROOT"])
    name = Span(doc, 0, 2, label="PERSON")
    resolved = _resolve_ner(name, reference, [])
    assert resolved is not None and resolved.ref == EntityRef(EntityKind.COMPANY, "kosmos-oil")
    assert _commodity_in_a_name(Span(doc, 1, 2, label="Commodity"), [name])
    oil = Doc(vocab, words=["Oil", "rose"], heads=[1, 1], deps=["nsubj", "ROOT"])
    assert not _commodity_in_a_name(Span(oil, 0, 1, label="Commodity"), [])
