"""The doc's keys: its text, kept once for the rules to slice, and the span group of the trained
triggers (in a module of its own so that the rule modules, the pipeline loader and the trainer
need not import each other)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

#: ``Doc.user_data`` key of the doc's text, set by :func:`geokg.extract.extract` for :func:`span_text`.
DOC_TEXT = "geokg_text"
#: ``Doc.spans`` key of the event triggers the trained model marks (``geokg.training`` trains it).
SPANS_KEY = "geokg_triggers"


def span_text(span: Span) -> str:
    """``span.text``, sliced from the text :func:`geokg.extract.extract` keeps on the doc when it is
    there: spaCy joins every token of the span again on each ``.text``, and the rules read a
    sentence's text several times (a fifth of the extraction time went to those joins)."""
    text = span.doc.user_data.get(DOC_TEXT)
    return span.text if text is None else text[span.start_char : span.end_char]
