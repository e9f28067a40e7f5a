"""Sentence boundaries set before the parser: line breaks end sentences, words within a line don't."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from geokg.nlp import line_breaks


def test_a_headline_ends_at_its_line_and_a_line_splits_only_after_punctuation() -> None:
    words = ["Grain", "\n\n", "Egypt", "bought", "wheat", ".", "Prices", "rose", "."]
    spaces = [False, False, True, True, False, True, True, False, False]
    doc = line_breaks(Doc(spacy.blank("en").vocab, words=words, spaces=spaces))
    starts = {token.text: token.is_sent_start for token in doc}
    assert starts["Egypt"] is True  # after the headline
    assert starts["bought"] is False and starts["wheat"] is False  # inside the line
    assert starts["Prices"] is None  # after a full stop the parser decides


def test_a_name_ending_in_a_sign_does_not_end_a_sentence() -> None:
    words = ["Oil", "\n\n", "OPEC+", "agreed", "to", "cut", "."]
    spaces = [False, False, True, True, True, False, False]
    doc = line_breaks(Doc(spacy.blank("en").vocab, words=words, spaces=spaces))
    assert [t.is_sent_start for t in doc][2:4] == [True, False]
