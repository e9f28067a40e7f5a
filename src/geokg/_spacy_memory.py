"""Keep spaCy's memory flat over a long build: tuning, not what the pipeline means.

Once spaCy's vocabulary has grown by :data:`VOCAB_GROWTH_MAX` strings each batch runs in a
spaCy memory zone (the vocabulary entries it adds are freed after it), and the lemmatizer's
memo is cleared past :data:`LEMMA_CACHE_MAX` entries, so the vocabulary does not pile up.
The graphs are the same with or without either (``tests/test_build.py``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

#: Strings spaCy's vocabulary may gain for good before every batch runs in a memory zone:
#: enough for the common words of a corpus, small against the memory of a build.
VOCAB_GROWTH_MAX = 25_000
#: Entries of spaCy's lemmatizer cache kept between batches (a few hundred bytes each).
LEMMA_CACHE_MAX = 100_000


def batch_zone(nlp: Language) -> AbstractContextManager[object]:
    """spaCy's memory zone for a batch once the vocabulary has grown by VOCAB_GROWTH_MAX
    strings since the pipeline's first batch; no zone before that.

    In a zone the strings and lexemes a batch adds to the vocabulary are freed when it ends:
    without zones the vocabulary grows with every new word of the corpus. But spaCy's
    tokenizer caches nothing inside a zone, so every word is split afresh in every batch, a
    small part of the parsing time. Outside one the tokenizer keeps what it learnt, the first
    words met being the corpus's common ones; the growth stops at the bound. Nothing may leave
    a zone holding a Doc, Span or Token, as the zone requires.
    """
    if len(nlp.vocab.strings) - _first_vocab_size(nlp) < VOCAB_GROWTH_MAX:
        return nullcontext()
    return nlp.memory_zone()


@lru_cache(maxsize=4)
def _first_vocab_size(nlp: Language) -> int:
    return len(nlp.vocab.strings)


def bound_lemma_cache(nlp: Language) -> None:
    """spaCy's rule lemmatizer memoises the lemmas of every (word, tag, morphology) it meets,
    outside any memory zone, so over a large corpus the cache grows with the vocabulary; clear
    it when it passes LEMMA_CACHE_MAX entries (a memo of a pure function: the same lemmas).
    geokg's table-driven attribute ruler and lemmatizer (:mod:`geokg._spacy_speedups`) is bounded alike."""
    from geokg._spacy_speedups import TokenAttributes

    for _, pipe in nlp.pipeline:
        if isinstance(pipe, TokenAttributes):
            if pipe.remembered > LEMMA_CACHE_MAX:
                pipe.forget()
            continue
        cache = getattr(pipe, "cache", None)
        if isinstance(cache, dict) and len(cache) > LEMMA_CACHE_MAX:
            cache.clear()
