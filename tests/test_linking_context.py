"""Unknown names are typed from the nouns around them, whatever the tagger guessed (hand-built Docs)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from geokg.extract.linking import _kind_from_context
from geokg.model import EntityKind

pytestmark = pytest.mark.issue(16)


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


def test_a_name_before_oilfield_or_mine_is_a_place(vocab) -> None:
    doc = Doc(vocab, words=["the", "Mponeng", "mine", "flooded"], heads=[2, 2, 3, 3],
              deps=["det", "compound", "nsubj", "ROOT"], pos=["DET", "PROPN", "NOUN", "VERB"],
              lemmas=["the", "Mponeng", "mine", "flood"])
    assert _kind_from_context(Span(doc, 1, 2, label="PERSON")) is EntityKind.PLACE


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
