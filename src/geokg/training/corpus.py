"""The corpus reader the argument-role model learns from.

``spacy.Corpus.v1`` re-tokenizes each stored text and gives the model bare docs to predict
from, so features of the host's annotation (lemma, part of speech, dependency label, the
trigger path) would be empty in training though set when the model runs. This reader keeps
the host's annotation on the predicted docs and only clears the gold spans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

__all__ = ["annotated_corpus"]


@registry.readers("geokg.annotated_corpus.v1")
def annotated_corpus(path: Path) -> Callable[[Language], Iterator[Example]]:
    """Examples from a DocBin whose docs carry the host's annotation and the gold spans."""
    from spacy.tokens import DocBin

    def read(nlp: Language) -> Iterator[Example]:
        for reference in DocBin().from_disk(path).get_docs(nlp.vocab):
            predicted = reference.copy()
            predicted.spans.clear()
            yield Example(predicted, reference)

    return read
