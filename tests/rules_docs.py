"""Hand-parsed sentences for the rule tests (``tests/test_rules_*.py``): no pipeline is loaded.

A sentence is one row per token, ``"word head dep POS [lemma] [TAG]"`` (``=`` keeps the default
lemma, the lower-cased word; a word written ``+'s`` follows the one before without a space),
with its linked entities by token index::

    sentence(["Chile 1 nsubj PROPN", "sold 1 ROOT VERB sell VBD", "copper 1 dobj NOUN"],
             linked={0: "Country:CL", 2: "Commodity:copper"})
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import spacy
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from geokg.extract.events.context import SentenceContext
from geokg.extract.linking import LinkedDoc
from geokg.model import Entity, EntityKind, EntityRef

ANCHOR = dt.date(2024, 3, 14)  # a Thursday: the article's date in every test


@cache
def vocab() -> Vocab:
    return spacy.blank("en").vocab


def ref(text: str) -> EntityRef:
    """``"Country:CL"`` → ``EntityRef(EntityKind.COUNTRY, "CL")``."""
    kind, key = text.split(":", 1)
    return EntityRef(EntityKind(kind), key)


def sentence(rows: list[str], linked: dict[int | tuple[int, int], str] | None = None,
             ents: dict[tuple[int, int], str] | None = None) -> tuple[Span, SentenceContext]:
    """The sentence as a Span of its own Doc, and a fresh context with its entities linked.

    ``linked`` maps a token index (or a ``(start, end)`` token range) to ``"Kind:key"``; ``ents``
    maps a token range to a spaCy NER label (``GPE``, ``NORP``, ``DATE``).
    """
    fields = [row.split() for row in rows]
    glued = [len(f[0]) > 1 and f[0].startswith("+") for f in fields]
    words = [f[0][1:] if glue else f[0] for f, glue in zip(fields, glued)]
    spaces = [not glue for glue in glued[1:]] + [False]
    lemmas = [f[4] if len(f) > 4 and f[4] != "=" else word.lower() for f, word in zip(fields, words)]
    tags = [f[5] if len(f) > 5 else "" for f in fields]
    iob = ["O"] * len(words)
    for (start, end), label in (ents or {}).items():
        iob[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    doc = Doc(vocab(), words=words, spaces=spaces, heads=[int(f[1]) for f in fields], deps=[f[2] for f in fields],
              pos=[f[3] for f in fields], lemmas=lemmas, tags=tags, ents=iob,
              sent_starts=[True] + [False] * (len(words) - 1))
    context = SentenceContext(LinkedDoc(), ANCHOR, None)
    for where, name in (linked or {}).items():
        start, end = where if isinstance(where, tuple) else (where, where + 1)
        span = Span(doc, start, end)
        context.linked.add(span, Entity(ref(name), span.text))
    return doc[:], context
